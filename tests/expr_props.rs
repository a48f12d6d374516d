//! Property tests: no input panics or hangs, in any dialect, for evaluate, check and analyze;
//! every span lies on character boundaries; deep input is an error, not a stack overflow.

use oin_wizard::expr::{
    analyze, check, evaluate, is_expression, variables, CheckOptions, Dialect, FieldKind, Kind,
    MAX_LEN,
};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const DIALECTS: [Dialect; 3] = [Dialect::Oidc, Dialect::Saml, Dialect::Scim];

fn vars() -> BTreeMap<String, String> {
    [
        ("x", "acme"),
        ("y", "42"),
        ("z", ""),
        ("u", "héllo😀"),
        ("user.userName", "a@b.c"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn options(field: FieldKind) -> CheckOptions {
    CheckOptions {
        known_variables: Some(vec!["x".into(), "y".into()]),
        field,
        preview: vars(),
        added_since_published: vec!["y".into(), "z".into()],
    }
}

/// Runs every entry point on `s` in every dialect and checks the invariants.
fn exercise(s: &str) {
    let v = vars();
    let start = Instant::now();
    for d in DIALECTS {
        let boundary = |r: &std::ops::Range<usize>| {
            r.start <= r.end
                && r.end <= s.len()
                && s.is_char_boundary(r.start)
                && s.is_char_boundary(r.end)
        };
        match evaluate(d, s, &v) {
            Ok(out) => assert!(out.len() <= MAX_LEN, "{d:?} {s:?}: result too long"),
            Err(e) => {
                assert!(
                    boundary(&e.span()),
                    "{d:?} {s:?}: error span {:?}",
                    e.span()
                );
                assert!(!e.message().is_empty());
                let _ = e.to_string();
            }
        }
        let _ = is_expression(d, s);
        let _ = variables(d, s);
        for field in [
            FieldKind::Text,
            FieldKind::Url { allow_http: false },
            FieldKind::SamlAttributeValue,
        ] {
            let o = options(field);
            for diag in check(d, s, &o) {
                assert!(
                    boundary(&diag.span),
                    "{d:?} {s:?}: diagnostic span {:?}",
                    diag.span
                );
            }
            let a = analyze(d, s, &o);
            for diag in &a.diagnostics {
                assert!(
                    boundary(&diag.span),
                    "{d:?} {s:?}: diagnostic span {:?}",
                    diag.span
                );
            }
        }
    }
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{s:?} took {:?}",
        start.elapsed()
    );
}

/// Pieces that reach deep into the lexer and parser when glued at random.
const PIECES: &[&str] = &[
    "{",
    "}",
    "${",
    "\\${",
    "(",
    ")",
    "'",
    "\"",
    "\\",
    "''",
    "app.x",
    "app.y",
    "app.z",
    "app.u",
    "org.x",
    "org.y",
    "user.userName",
    "user.a.b",
    "String.len(",
    "String.substring(",
    "String.replace(",
    "String.stringSwitch(",
    "String.join(",
    "String.nope(",
    "fn:substring(",
    "fn:split(",
    "fn:join(",
    "fn:length(",
    "fn:escapeXml(",
    "fn:replace(",
    ",",
    "?",
    ":",
    "?:",
    "+",
    "+=",
    "-",
    "*",
    "/",
    "%",
    "==",
    "!=",
    "<",
    ">=",
    "&&",
    "||",
    "!",
    "=",
    "&",
    "|",
    "and",
    "or",
    "not",
    "empty",
    "eq",
    "lt",
    "div",
    "mod",
    "true",
    "null",
    "TRUE",
    "1",
    "0",
    "-1",
    "1.5",
    "1e999",
    "99999999999999999999",
    " ",
    "😀",
    "é",
    "https://",
    ".",
    "[",
    "]",
    "#",
    "`",
    "\u{0}",
    "\n",
];

fn glued() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..48).prop_map(|v| v.concat())
}

/// Well-formed expressions of the SpEL dialects (as an OIDC part body or a SCIM value).
fn spel_expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("app.x".to_string()),
        Just("app.y".to_string()),
        Just("app.z".to_string()),
        Just("app.u".to_string()),
        "[a-z😀 ]{0,6}".prop_map(|s| format!("'{s}'")),
        (-5i64..50).prop_map(|n| n.to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
    ];
    leaf.prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(
                    &["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"][..]
                ),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} ?: {b})")),
            inner.clone().prop_map(|a| format!("!{a}")),
            (
                prop::sample::select(&["len", "toUpperCase", "toLowerCase", "removeSpaces"][..]),
                inner.clone()
            )
                .prop_map(|(f, a)| format!("String.{f}({a})")),
            (
                prop::sample::select(
                    &[
                        "append",
                        "stringContains",
                        "startsWith",
                        "substringAfter",
                        "substringBefore"
                    ][..]
                ),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, a, b)| format!("String.{f}({a}, {b})")),
            (
                prop::sample::select(&["substring", "replace", "replaceFirst"][..]),
                inner.clone(),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, a, b, c)| format!("String.{f}({a}, {b}, {c})")),
            prop::collection::vec(inner.clone(), 1..5).prop_map(|v| format!(
                "String.stringSwitch(app.x, {})",
                v.join(", ") + ", 'k', 'v'"
            )),
        ]
    })
}

/// Well-formed Jakarta EL expressions (SAML part bodies).
fn el_expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("org.x".to_string()),
        Just("org.y".to_string()),
        Just("org.z".to_string()),
        Just("user.userName".to_string()),
        "[a-z😀 '\"]{0,6}".prop_map(|s| format!("'{}'", s.replace('\'', "\\'"))),
        (-5i64..50).prop_map(|n| n.to_string()),
        Just("1.5".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
    ];
    leaf.prop_recursive(6, 64, 4, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(
                    &[
                        "+", "+=", "-", "*", "/", "div", "%", "mod", "==", "eq", "!=", "ne", "<",
                        "lt", ">=", "ge", "&&", "and", "||", "or"
                    ][..]
                ),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("({c} ? {a} : {b})")),
            (
                prop::sample::select(&["!", "not ", "empty ", "-"][..]),
                inner.clone()
            )
                .prop_map(|(op, a)| format!("{op}{a}")),
            (
                prop::sample::select(
                    &["length", "toUpperCase", "toLowerCase", "trim", "escapeXml"][..]
                ),
                inner.clone()
            )
                .prop_map(|(f, a)| format!("fn:{f}({a})")),
            (
                prop::sample::select(
                    &[
                        "contains",
                        "containsIgnoreCase",
                        "endsWith",
                        "startsWith",
                        "indexOf",
                        "substringAfter",
                        "substringBefore"
                    ][..]
                ),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, a, b)| format!("fn:{f}({a}, {b})")),
            (
                prop::sample::select(&["substring", "replace"][..]),
                inner.clone(),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(f, a, b, c)| format!("fn:{f}({a}, {b}, {c})")),
            (inner.clone(), inner.clone())
                .prop_map(|(a, b)| format!("fn:join(fn:split({a}, {b}), ',')")),
        ]
    })
}

proptest! {
    // PROPTEST_CASES=N runs longer (e.g. `PROPTEST_CASES=200000 cargo test --release --test expr_props`).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(3000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        exercise(&s);
    }

    #[test]
    fn glued_pieces_never_panic(s in glued()) {
        exercise(&s);
    }

    #[test]
    fn structured_spel_never_panics(e in spel_expr()) {
        exercise(&format!("https://{{{e}}}.x.org"));
        exercise(&e);
        // Well-formed: no syntax errors in either SpEL dialect.
        for s in [format!("{{{e}}}"), format!("({e})")] {
            let d = if s.starts_with('{') { Dialect::Oidc } else { Dialect::Scim };
            if let Err(err) = evaluate(d, &s, &vars()) {
                prop_assert!(err.kind() != Kind::Syntax, "{s}: {err}");
            }
        }
    }

    #[test]
    fn structured_el_never_panics(e in el_expr()) {
        let s = format!("https://${{{e}}}.x.org");
        exercise(&s);
        if let Err(err) = evaluate(Dialect::Saml, &s, &vars()) {
            prop_assert!(err.kind() != Kind::Syntax, "{s}: {err}");
        }
    }
}

#[test]
fn deep_input_is_an_error_not_a_stack_overflow() {
    let n = 100_000;
    let cases = [
        "(".repeat(n),
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        "!".repeat(n) + "true",
        "-".repeat(n) + "1",
        "not ".repeat(n) + "true",
        "empty ".repeat(n) + "''",
        "String.len(".repeat(n),
        "fn:length(".repeat(n),
        "1?".repeat(n) + "1" + &":1".repeat(n),
        "1 ?: ".repeat(n) + "1",
        "1+".repeat(n) + "1",
        "'a' += ".repeat(n) + "'a'",
        "1 == ".repeat(n) + "1",
        "true && ".repeat(n) + "true",
        "{".repeat(n),
        "${".repeat(n),
        "}".repeat(n),
        "'".repeat(n),
    ];
    for body in &cases {
        for src in [
            format!("{{{body}}}"),
            format!("${{{body}}}"),
            format!("({body})"),
            body.clone(),
        ] {
            let start = Instant::now();
            for d in DIALECTS {
                let r = evaluate(d, &src, &BTreeMap::new());
                if let Err(e) = r {
                    assert!(
                        src.is_char_boundary(e.span().start) && src.is_char_boundary(e.span().end)
                    );
                }
                let _ = analyze(d, &src, &options(FieldKind::Url { allow_http: false }));
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "{} chars took {:?}",
                src.len(),
                start.elapsed()
            );
        }
    }
    let e = evaluate(
        Dialect::Scim,
        &format!("{}1{}", "(".repeat(500), ")".repeat(500)),
        &BTreeMap::new(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), Kind::Nesting);
    assert!(e.message().contains("nested too deeply"));
    let e = evaluate(
        Dialect::Oidc,
        &format!("{{{}1}}", "1+".repeat(500)),
        &BTreeMap::new(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), Kind::Nesting);
    // Within the limit, nesting works.
    let ok = evaluate(
        Dialect::Scim,
        &format!("{}1{}", "(".repeat(50), ")".repeat(50)),
        &BTreeMap::new(),
    );
    assert_eq!(ok.as_deref(), Ok("1"));
}

#[test]
fn explosive_growth_is_refused_quickly() {
    let mut e = "'aaaaaaaa'".to_string();
    for _ in 0..25 {
        e = format!("String.replace({e}, 'a', 'aaaaaaaa')");
    }
    let start = Instant::now();
    let r = evaluate(Dialect::Scim, &e, &BTreeMap::new());
    let e = r.unwrap_err();
    assert!(e.message().contains("longer than"), "{e}");
    let mut e = "'<<<<'".to_string();
    for _ in 0..12 {
        e = format!("fn:escapeXml({e} += {e})");
    }
    let r = evaluate(Dialect::Saml, &format!("${{{e}}}"), &BTreeMap::new());
    assert!(r.is_err());
    let mut e = "app.x".to_string();
    for _ in 0..16 {
        e = format!("({e} + {e})");
    }
    let r = evaluate(Dialect::Scim, &e, &vars());
    assert!(r.is_err());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
}
