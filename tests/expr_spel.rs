//! Table tests of the SpEL-style dialects (OIDC `{…}` parts and SCIM whole values): every
//! operator, every Okta `String.*` function, and the errors with their messages and hints.
//! Each row runs in both dialects: OIDC as `{expr}`, SCIM as `(expr)`.

mod expr_common;
use expr_common::{run_rows, run_span_rows};
use oin_wizard::expr::Dialect;

const ROWS: &[(&str, &str)] = &[
    // literals
    ("'abc'", "=abc"),
    ("\"abc\"", "=abc"),
    ("'it''s'", "=it's"),
    ("\"say \"\"hi\"\"\"", "=say \"hi\""),
    ("'a\\b'", "=a\\b"),
    ("''", "="),
    ("42", "=42"),
    ("-42", "=-42"),
    ("1.5", "=1.5"),
    ("1.0", "=1.0"),
    ("1e3", "=1000.0"),
    ("1e10", "=1.0E10"),
    ("0.0001", "=1.0E-4"),
    (".5", "=0.5"),
    ("true", "=true"),
    ("false", "=false"),
    ("TRUE", "=true"),
    ("null", "="),
    ("'héllo😀'", "=héllo😀"),
    // + joins texts, adds numbers
    ("'a' + 'b'", "=ab"),
    ("'a' + 'b' + 'c'", "=abc"),
    ("'a' + 1", "=a1"),
    ("1 + 'a'", "=1a"),
    ("1 + 2", "=3"),
    ("1 + 2 + 'a'", "=3a"),
    ("'a' + 1 + 2", "=a12"),
    ("1 + 2.5", "=3.5"),
    ("'a' + true", "=atrue"),
    ("'a' + null", "=a"),
    ("'a' + 1.5", "=a1.5"),
    ("app.sub + '.example.com'", "=acme.example.com"),
    ("app.num + 1", "=421"),
    ("true + 1", "!`+` needs numbers¦joins texts"),
    ("null + 1", "!`+` needs numbers"),
    // arithmetic
    ("5 - 3", "=2"),
    ("3 - 5", "=-2"),
    ("2 * 3", "=6"),
    ("7 / 2", "=3"),
    ("-7 / 2", "=-3"),
    ("7.0 / 2", "=3.5"),
    ("7 % 3", "=1"),
    ("-7 % 3", "=-1"),
    ("7.5 % 2", "=1.5"),
    ("1 / 0", "!Division by zero"),
    ("1 % 0", "!Division by zero"),
    ("1.0 / 0", "=Infinity"),
    ("2 + 3 * 4", "=14"),
    ("(2 + 3) * 4", "=20"),
    ("10 - 2 - 3", "=5"),
    ("--3", "=3"),
    ("-(1 + 2)", "=-3"),
    ("'a' - 1", "!`-` needs numbers"),
    ("'3' * 2", "!`*` needs numbers"),
    ("-'a'", "!`-` needs a number"),
    ("String.len(app.sub) - 1", "=3"),
    // comparisons
    ("1 < 2", "=true"),
    ("2 < 1", "=false"),
    ("1 <= 1", "=true"),
    ("2 >= 3", "=false"),
    ("3 > 2", "=true"),
    ("1 == 1", "=true"),
    ("1 == 1.0", "=true"),
    ("1 != 2", "=true"),
    ("'a' == 'a'", "=true"),
    ("'a' == 'A'", "=false"),
    ("'a' != 'b'", "=true"),
    ("'a' < 'b'", "=true"),
    ("'b' < 'a'", "=false"),
    ("'Z' < 'a'", "=true"),
    ("'1' == 1", "=false"),
    ("true == true", "=true"),
    ("null == null", "=true"),
    ("app.unset == ''", "=true"),
    ("app.unset == null", "=false"),
    ("app.sub == 'acme'", "=true"),
    ("app.num == 42", "=false"),
    ("app.num == '42'", "=true"),
    ("null < 'a'", "=true"),
    ("'a' < 1", "!Cannot compare"),
    ("true < 1", "!Cannot compare"),
    ("1 < 2 == true", "!Comparisons cannot be chained¦parentheses"),
    // logic
    ("true && false", "=false"),
    ("true && true", "=true"),
    ("true and true", "=true"),
    ("true AND false", "=false"),
    ("true And true", "=true"),
    ("false || true", "=true"),
    ("false or false", "=false"),
    ("false OR true", "=true"),
    ("!true", "=false"),
    ("!false", "=true"),
    ("!!true", "=true"),
    ("!(1 > 2)", "=true"),
    ("!'true'", "=false"),
    ("!'x'", "!`!` needs true or false"),
    ("1 && true", "!`&&` needs true or false"),
    ("true || 1", "=true"),
    ("false && 1", "=false"),
    ("false || 1", "!`||` needs true or false"),
    ("true || false && false", "=true"),
    ("app.truth && true", "=true"),
    ("app.sub == 'acme' && app.env == 'PROD-EU'", "=true"),
    ("app.sub == 'x' || String.startsWith(app.env, 'PROD')", "=true"),
    // conditionals
    ("true ? 'a' : 'b'", "=a"),
    ("false ? 'a' : 'b'", "=b"),
    ("1 > 2 ? 'a' : 'b'", "=b"),
    ("false ? 'a' : true ? 'b' : 'c'", "=b"),
    ("false ? 'a' : false ? 'b' : 'c'", "=c"),
    ("true ? false ? 'x' : 'y' : 'z'", "=y"),
    ("'true' ? 'a' : 'b'", "=a"),
    ("'x' ? 'a' : 'b'", "!`?` needs true or false¦compare it"),
    ("app.unset ? 'a' : 'b'", "!`?` needs true or false"),
    ("null ? 'a' : 'b'", "!`?` needs true or false"),
    ("1 ? 'a' : 'b'", "!`?` needs true or false"),
    ("true ? 1 : 2", "=1"),
    ("(app.sub == 'acme' ? 'x' : 'y') + '!'", "=x!"),
    // Elvis
    ("app.unset ?: 'fallback'", "=fallback"),
    ("app.sub ?: 'fallback'", "=acme"),
    ("null ?: 'x'", "=x"),
    ("'' ?: 'x'", "=x"),
    ("0 ?: 5", "=0"),
    ("app.unset ?: app.unset ?: 'last'", "=last"),
    ("'https://' + (app.unset ?: 'default') + '.example.com'", "=https://default.example.com"),
    // variables
    ("app.sub", "=acme"),
    ("app.unset", "="),
    ("app.UPPER", "=legacy"),
    ("app.uni", "=héllo😀"),
    // String.append
    ("String.append('a', 'b')", "=ab"),
    ("String.append(app.sub, '.com')", "=acme.com"),
    ("String.append('a', 1)", "=a1"),
    ("String.append('a')", "!`String.append` takes 2 arguments, got 1¦String.append(s, suffix)"),
    // String.join
    ("String.join(',', 'a', 'b', 'c')", "=a,b,c"),
    ("String.join('-', 'a')", "=a"),
    ("String.join('-')", "="),
    ("String.join('', 'a', 'b')", "=ab"),
    ("String.join()", "!takes at least 1 argument, got 0"),
    // String.len
    ("String.len('abc')", "=3"),
    ("String.len('')", "=0"),
    ("String.len(app.unset)", "=0"),
    ("String.len(app.uni)", "=7"),
    ("String.len('😀')", "=2"),
    ("String.len(12345)", "=5"),
    ("String.len('a', 'b')", "!`String.len` takes 1 argument, got 2"),
    ("String.len() == 0", "!takes 1 argument, got 0"),
    // String.removeSpaces
    ("String.removeSpaces('This is a test')", "=Thisisatest"),
    ("String.removeSpaces(app.spaced)", "=ab"),
    ("String.removeSpaces('a\tb')", "=ab"),
    ("String.removeSpaces('')", "="),
    // String.replace / replaceFirst (literal, not regex)
    ("String.replace('a.b.c', '.', '-')", "=a-b-c"),
    ("String.replace('aaa', 'a', 'b')", "=bbb"),
    ("String.replace('abc', 'x', 'y')", "=abc"),
    ("String.replace('abc', '', 'y')", "=abc"),
    ("String.replace('a+b', '+', ' plus ')", "=a plus b"),
    ("String.replace('a*b', '.*', '')", "=a*b"),
    ("String.replace('aaa', 'a', 'aa')", "=aaaaaa"),
    ("String.replaceFirst('a.b.c', '.', '-')", "=a-b.c"),
    ("String.replaceFirst('abc', 'x', 'y')", "=abc"),
    ("String.replaceFirst('abc', '', 'y')", "=abc"),
    ("String.replaceFirst('$1$1', '$1', 'x')", "=x$1"),
    ("String.replace('a', 'b')", "!takes 3 arguments, got 2"),
    // String.startsWith / stringContains
    ("String.startsWith('https://x', 'https')", "=true"),
    ("String.startsWith('http://x', 'https')", "=false"),
    ("String.startsWith('abc', '')", "=true"),
    ("String.startsWith(app.unset, 'a')", "=false"),
    ("String.stringContains('abc', 'b')", "=true"),
    ("String.stringContains('abc', 'B')", "=false"),
    ("String.stringContains('abc', '')", "=true"),
    ("String.stringContains(app.env, 'PROD')", "=true"),
    ("String.stringContains('abc')", "!takes 2 arguments, got 1"),
    // String.stringSwitch
    ("String.stringSwitch('First match wins', 'default', 'absent', 'value1', 'wins', 'value2', 'match', 'value3')", "=value2"),
    ("String.stringSwitch('nothing', 'default', 'a1', 'v1')", "=default"),
    ("String.stringSwitch('abc', 'default')", "=default"),
    ("String.stringSwitch('abc', 'default', 'c', 'C', 'a', 'A')", "=C"),
    ("String.stringSwitch('abc', 'default', '', 'empty')", "=empty"),
    ("String.stringSwitch(app.env, 'other', 'PROD', 'prod', 'DEV', 'dev')", "=prod"),
    ("String.stringSwitch('abc', 'default', 'a')", "!`String.stringSwitch` takes an input, a default and key/value pairs, got 3"),
    ("String.stringSwitch('abc')", "!got 1"),
    // String.substring (Java: out of range is an error)
    ("String.substring('This is a test', 2, 9)", "=is is a"),
    ("String.substring('abc', 0, 3)", "=abc"),
    ("String.substring('abc', 1, 1)", "="),
    ("String.substring('abc', 3, 3)", "="),
    ("String.substring('abc', '1', '2')", "=b"),
    ("String.substring('abc', 1.0, 2)", "=b"),
    ("String.substring(app.uni, 0, 5)", "=héllo"),
    ("String.substring(app.uni, 5, 7)", "=😀"),
    ("String.substring(app.uni, 0, 6)", "=héllo\u{FFFD}"),
    ("String.substring('abc', 0, 4)", "!end 4 is out of range 0–3"),
    ("String.substring('abc', -1, 2)", "!start -1 is out of range 0–3"),
    ("String.substring('abc', 2, 1)", "!end 1 is out of range 2–3"),
    ("String.substring('abc', 4, 4)", "!start 4 is out of range"),
    ("String.substring(app.unset, 0, 3)", "!out of range¦String.len"),
    ("String.substring('abc', 'x', 2)", "!needs a whole number for start"),
    ("String.substring('abc', 1)", "!takes 3 arguments, got 2"),
    ("String.substring('abc', 1.5, 2)", "!needs a whole number"),
    // String.substringAfter / substringBefore (Commons Lang)
    ("String.substringAfter('abc@okta.com', '@')", "=okta.com"),
    ("String.substringAfter('a@b@c', '@')", "=b@c"),
    ("String.substringAfter('abc', 'x')", "="),
    ("String.substringAfter('abc', '')", "="),
    ("String.substringAfter('', '@')", "="),
    ("String.substringAfter(app.url, '//')", "=acme.example.com/"),
    ("String.substringBefore('abc@okta.com', '@')", "=abc"),
    ("String.substringBefore('a@b@c', '@')", "=a"),
    ("String.substringBefore('abc', 'x')", "=abc"),
    ("String.substringBefore('abc', '')", "="),
    ("String.substringBefore(app.email, '@')", "=jane.doe"),
    ("String.substringBefore('abc')", "!takes 2 arguments, got 1"),
    // case
    ("String.toUpperCase('abc')", "=ABC"),
    ("String.toUpperCase(app.uni)", "=HÉLLO😀"),
    ("String.toLowerCase('ABC')", "=abc"),
    ("String.toLowerCase(app.env)", "=prod-eu"),
    ("String.toLowerCase()", "!takes 1 argument, got 0"),
    // nesting functions
    ("String.toUpperCase(String.substringBefore(app.email, '@'))", "=JANE.DOE"),
    ("String.len(String.append(app.sub, app.sub))", "=8"),
    ("String.substring(app.email, String.len(app.email) - 3, String.len(app.email))", "=com"),
    // unknown and misplaced functions
    ("String.nope('a')", "!Unknown function `String.nope`"),
    ("String.Len('a')", "!Unknown function `String.Len`¦did you mean String.len?"),
    ("String.substr('a', 0, 1)", "!Unknown function¦String.substring"),
    ("len('a')", "!Unknown function `len`¦String.len"),
    ("fn:length('a')", "!`fn:length` is a SAML function¦String.len(s)"),
    ("fn:contains('a', 'b')", "!SAML function¦String.stringContains"),
    ("Math.max(1, 2)", "!Unknown function `Math.max`"),
    ("app.sub.toUpperCase()", "!Unknown function"),
    ("'abc'.length()", "!`.length` after a value is not supported¦String.toLowerCase"),
    // names
    ("org.sub", "!`org.sub` uses the wrong prefix¦write `app.sub`"),
    ("sub", "!Unknown name `sub`¦app.<name>"),
    ("app", "!`app` needs a variable name¦app.<name>"),
    ("app.a.b", "!a variable has a single name after `app.`"),
    ("user.email", "!`user.email` is not available"),
    ("String.len", "!`String.len` is a function"),
    ("foo.bar", "!Unknown name `foo.bar`"),
    // syntax
    ("'abc", "!Unclosed quote `'`"),
    ("\"abc", "!Unclosed quote `\"`"),
    ("(1 + 2", "!Unclosed `(`"),
    ("1 + 2)", "!Unmatched `)`"),
    ("1 +", "!Expected a value"),
    ("* 2", "!Expected a value, found `*`"),
    ("'a' 'b'", "!Expected an operator¦join values with `+`"),
    ("app.sub app.env", "!Expected an operator"),
    ("a = b", "!A single `=`¦`==`"),
    ("'a' = 'b'", "!A single `=`"),
    ("true & false", "!single `&`¦`&&`"),
    ("true | false", "!single `|`¦`||`"),
    ("'a' eq 'b'", "!`eq` is not an operator here¦`==`"),
    ("1 lt 2", "!`lt` is not an operator here¦`<`"),
    ("true ? 'a'", "!no matching `:`"),
    ("true ? : 'b'", "!Expected a value between `?` and `:`"),
    ("'a' : 'b'", "!Unexpected `:`"),
    ("[1, 2]", "!Lists `[ ]` are not supported"),
    ("'a' # 'b'", "!Unexpected character `#`"),
    ("`x`", "!backtick"),
    ("String.len('a',)", "!Expected a value"),
    ("String.len('a' 'b')", "!Expected `,` or `)`¦separate arguments with `,`"),
    ("String.len('a'", "!Unclosed `(`"),
    ("99999999999999999999", "!too large"),
    ("and", "!Expected a value, found `and`"),
];

#[test]
fn oidc_rows() {
    let rows: Vec<(String, &str)> = ROWS.iter().map(|(s, e)| (format!("{{{s}}}"), *e)).collect();
    let rows: Vec<(&str, &str)> = rows.iter().map(|(s, e)| (s.as_str(), *e)).collect();
    let n = run_rows(Dialect::Oidc, &rows);
    println!("OIDC rows: {n}");
}

#[test]
fn scim_rows() {
    let rows: Vec<(String, &str)> = ROWS.iter().map(|(s, e)| (format!("({s})"), *e)).collect();
    let rows: Vec<(&str, &str)> = rows.iter().map(|(s, e)| (s.as_str(), *e)).collect();
    let n = run_rows(Dialect::Scim, &rows);
    println!("SCIM rows: {n}");
}

/// OIDC-only: templates, literal text, several parts.
#[test]
fn oidc_template_rows() {
    let n = run_rows(
        Dialect::Oidc,
        &[
            ("https://example.com/cb", "=https://example.com/cb"),
            ("", "="),
            (
                "https://{app.sub}.example.com/{app.env}",
                "=https://acme.example.com/PROD-EU",
            ),
            ("{app.sub}{app.sub}", "=acmeacme"),
            ("{ app.sub }", "=acme"),
            ("{'}'}", "=}"),
            ("{'{'}", "={"),
            ("a}b", "=a}b"),
            ("https://{app.sub", "!Unclosed `{`"),
            ("https://{}", "!Empty expression"),
            ("https://{ }.com", "!Empty expression"),
            ("{app.sub {app.env}}", "!`{` inside an expression"),
            ("${app.sub}", "=$acme"),
            ("{1 + 2}", "=3"),
            ("{true}", "=true"),
            ("{7.0 / 2}", "=3.5"),
            ("{org.sub}", "!wrong prefix"),
            ("https://{app.unset}.example.com", "=https://.example.com"),
            ("{'a'}b{'c'}", "=abc"),
            (
                "https://{String.toLowerCase(app.env)}.example.com",
                "=https://prod-eu.example.com",
            ),
        ],
    );
    println!("OIDC template rows: {n}");
}

/// SCIM-only: the whole value is one expression; static values stay as they are.
#[test]
fn scim_whole_value_rows() {
    let n = run_rows(
        Dialect::Scim,
        &[
            ("https://example.com/scim2", "=https://example.com/scim2"),
            ("", "="),
            (
                "'https://' + app.sub + '.example.com/scim2/'",
                "=https://acme.example.com/scim2/",
            ),
            ("  'a' + 'b'  ", "=ab"),
            ("app.sub", "=acme"),
            ("String.toUpperCase(app.sub)", "=ACME"),
            ("!true", "=false"),
            ("'a' + 'b' 'c'", "!Expected an operator or the end"),
            (
                "'https://' + {app.sub}",
                "!`{` is not part of a SCIM expression",
            ),
            ("{app.sub}", "!`{` is not part of a SCIM expression"),
            ("'https://' + app.sub + '", "!Unclosed quote"),
            ("org.sub", "!wrong prefix¦app.sub"),
            ("fn:toUpperCase(app.sub)", "!SAML function"),
            ("'a' += 'b'", "!A single `=`"),
            ("'a' + ", "!Expected a value at the end"),
        ],
    );
    println!("SCIM whole-value rows: {n}");
}

#[test]
fn error_spans_point_at_the_culprit() {
    run_span_rows(
        Dialect::Oidc,
        &[
            ("https://{app.sub", "Unclosed `{`", "{"),
            ("x{org.sub}y", "wrong prefix", "org.sub"),
            ("{String.nope(app.sub)}", "Unknown function", "String.nope"),
            ("{String.len()}", "takes 1 argument", "String.len"),
            ("{'abc}", "Unclosed quote", "'"),
            ("é{'é' + (1}", "Unclosed `(`", "("),
            ("{1 / 0}", "Division by zero", "/"),
            ("{String.substring('abc', 0, 9)}", "out of range", "9"),
            ("{String.substring('abc', -1, 2)}", "out of range", "-1"),
            ("{'😀' + x}", "Unknown name", "x"),
            ("{😀}", "Unexpected character", "😀"),
            ("{fn:length('a')}", "SAML function", "fn:length"),
            ("{'a' ? 1 : 2}", "needs true or false", "'a'"),
            ("{1 = 2}", "single `=`", "="),
        ],
    );
    run_span_rows(
        Dialect::Scim,
        &[
            ("'https://' + org.sub", "wrong prefix", "org.sub"),
            ("'a' + (1", "Unclosed `(`", "("),
            ("'é' + 'abc", "Unclosed quote", "'"),
            ("String.len('a', 'b')", "takes 1 argument", "String.len"),
        ],
    );
}
