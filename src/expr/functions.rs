//! The function libraries: Okta `String.*` (OIDC, SCIM; Java and Commons Lang semantics where
//! Okta's reference is silent) and JSTL `fn:*` (SAML; the semantics of the JSTL `Functions`
//! class: null arguments act as "", `substring` clamps its indexes).

use super::value::{
    concat, find_text, limit, sub, utf16_index_of, utf16_len, utf16_substring, Value,
};
use super::{Error, Kind};
use std::borrow::Cow;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Func {
    Append,
    Join,
    Len,
    RemoveSpaces,
    Replace,
    ReplaceFirst,
    StartsWith,
    StringContains,
    StringSwitch,
    Substring,
    SubstringAfter,
    SubstringBefore,
    ToUpperCase,
    ToLowerCase,
    FnContains,
    FnContainsIgnoreCase,
    FnEndsWith,
    FnStartsWith,
    FnIndexOf,
    FnLength,
    FnSubstring,
    FnSubstringAfter,
    FnSubstringBefore,
    FnToLowerCase,
    FnToUpperCase,
    FnTrim,
    FnReplace,
    FnEscapeXml,
    FnJoin,
    FnSplit,
}

/// What a function returns, for static checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Returns {
    Text,
    Number,
    Bool,
    List,
}

#[derive(Debug, PartialEq)]
pub(crate) struct FnSpec {
    pub name: &'static str,
    pub func: Func,
    pub min: usize,
    /// `None`: any number of arguments from `min` on.
    pub max: Option<usize>,
    pub params: &'static str,
    pub returns: Returns,
    /// The closest function of the other library, for wrong-dialect hints.
    pub other: &'static str,
}

const fn f(
    name: &'static str,
    func: Func,
    min: usize,
    max: Option<usize>,
    params: &'static str,
    returns: Returns,
    other: &'static str,
) -> FnSpec {
    FnSpec {
        name,
        func,
        min,
        max,
        params,
        returns,
        other,
    }
}

use Returns::{Bool as B, List as L, Number as N, Text as T};

/// Okta `String.*` (SPEC 6).
pub(crate) const OKTA: &[FnSpec] = &[
    f(
        "append",
        Func::Append,
        2,
        Some(2),
        "s, suffix",
        T,
        "the `+=` operator",
    ),
    f(
        "join",
        Func::Join,
        1,
        None,
        "separator, s…",
        T,
        "fn:join(fn:split(…), separator)",
    ),
    f("len", Func::Len, 1, Some(1), "s", N, "fn:length(s)"),
    f(
        "removeSpaces",
        Func::RemoveSpaces,
        1,
        Some(1),
        "s",
        T,
        "fn:replace(s, ' ', '')",
    ),
    f(
        "replace",
        Func::Replace,
        3,
        Some(3),
        "s, match, replacement",
        T,
        "fn:replace(s, match, replacement)",
    ),
    f(
        "replaceFirst",
        Func::ReplaceFirst,
        3,
        Some(3),
        "s, match, replacement",
        T,
        "fn:substringBefore and fn:substringAfter",
    ),
    f(
        "startsWith",
        Func::StartsWith,
        2,
        Some(2),
        "s, prefix",
        B,
        "fn:startsWith(s, prefix)",
    ),
    f(
        "stringContains",
        Func::StringContains,
        2,
        Some(2),
        "s, search",
        B,
        "fn:contains(s, search)",
    ),
    f(
        "stringSwitch",
        Func::StringSwitch,
        2,
        None,
        "s, default, key1, value1, …",
        T,
        "fn:contains(s, key) ? value : … conditions",
    ),
    f(
        "substring",
        Func::Substring,
        3,
        Some(3),
        "s, start, end",
        T,
        "fn:substring(s, begin, end)",
    ),
    f(
        "substringAfter",
        Func::SubstringAfter,
        2,
        Some(2),
        "s, search",
        T,
        "fn:substringAfter(s, search)",
    ),
    f(
        "substringBefore",
        Func::SubstringBefore,
        2,
        Some(2),
        "s, search",
        T,
        "fn:substringBefore(s, search)",
    ),
    f(
        "toUpperCase",
        Func::ToUpperCase,
        1,
        Some(1),
        "s",
        T,
        "fn:toUpperCase(s)",
    ),
    f(
        "toLowerCase",
        Func::ToLowerCase,
        1,
        Some(1),
        "s",
        T,
        "fn:toLowerCase(s)",
    ),
];

/// JSTL `fn:*` (SPEC 6).
pub(crate) const JSTL: &[FnSpec] = &[
    f(
        "contains",
        Func::FnContains,
        2,
        Some(2),
        "string, substring",
        B,
        "String.stringContains(s, search)",
    ),
    f(
        "containsIgnoreCase",
        Func::FnContainsIgnoreCase,
        2,
        Some(2),
        "string, substring",
        B,
        "String.stringContains(String.toLowerCase(s), search)",
    ),
    f(
        "endsWith",
        Func::FnEndsWith,
        2,
        Some(2),
        "string, suffix",
        B,
        "String.substringAfter or String.len",
    ),
    f(
        "startsWith",
        Func::FnStartsWith,
        2,
        Some(2),
        "string, prefix",
        B,
        "String.startsWith(s, prefix)",
    ),
    f(
        "indexOf",
        Func::FnIndexOf,
        2,
        Some(2),
        "string, substring",
        N,
        "String.substringBefore with String.len",
    ),
    f(
        "length",
        Func::FnLength,
        1,
        Some(1),
        "string or list",
        N,
        "String.len(s)",
    ),
    f(
        "substring",
        Func::FnSubstring,
        3,
        Some(3),
        "string, begin, end",
        T,
        "String.substring(s, start, end)",
    ),
    f(
        "substringAfter",
        Func::FnSubstringAfter,
        2,
        Some(2),
        "string, substring",
        T,
        "String.substringAfter(s, search)",
    ),
    f(
        "substringBefore",
        Func::FnSubstringBefore,
        2,
        Some(2),
        "string, substring",
        T,
        "String.substringBefore(s, search)",
    ),
    f(
        "toLowerCase",
        Func::FnToLowerCase,
        1,
        Some(1),
        "string",
        T,
        "String.toLowerCase(s)",
    ),
    f(
        "toUpperCase",
        Func::FnToUpperCase,
        1,
        Some(1),
        "string",
        T,
        "String.toUpperCase(s)",
    ),
    f(
        "trim",
        Func::FnTrim,
        1,
        Some(1),
        "string",
        T,
        "String.removeSpaces(s)",
    ),
    f(
        "replace",
        Func::FnReplace,
        3,
        Some(3),
        "string, before, after",
        T,
        "String.replace(s, match, replacement)",
    ),
    f(
        "escapeXml",
        Func::FnEscapeXml,
        1,
        Some(1),
        "string",
        T,
        "String.replace",
    ),
    f(
        "join",
        Func::FnJoin,
        2,
        Some(2),
        "list, separator",
        T,
        "String.join(separator, s…)",
    ),
    f(
        "split",
        Func::FnSplit,
        2,
        Some(2),
        "string, delimiters",
        L,
        "String.substringBefore / String.substringAfter",
    ),
];

pub(crate) fn find(lib: &'static [FnSpec], name: &str) -> Option<&'static FnSpec> {
    // The lengths first: most names are told apart without comparing texts.
    lib.iter()
        .find(|s| s.name.len() == name.len() && s.name.as_bytes() == name.as_bytes())
}

/// The closest known name (case-insensitive match or small edit distance), for "did you mean".
pub(crate) fn suggest(lib: &'static [FnSpec], name: &str) -> Option<&'static str> {
    if let Some(s) = lib.iter().find(|s| s.name.eq_ignore_ascii_case(name)) {
        return Some(s.name);
    }
    let lower = name.to_lowercase();
    if lower.len() >= 3 {
        if let Some(s) = lib
            .iter()
            .find(|s| s.name.to_lowercase().starts_with(&lower))
        {
            return Some(s.name);
        }
    }
    lib.iter()
        .map(|s| (edit_distance(&s.name.to_lowercase(), &lower), s.name))
        .filter(|(d, n)| *d <= 2.max(n.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    // Two rows of the Levenshtein table; `get` keeps it panic-free by construction.
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let diag = prev.get(j).copied().unwrap_or(usize::MAX - 1) + cost;
            let up = prev.get(j + 1).copied().unwrap_or(usize::MAX - 1) + 1;
            let left = cur.get(j).copied().unwrap_or(usize::MAX - 1) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = diag.min(up).min(left);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// One evaluated argument with where it came from.
#[derive(Default)]
pub(crate) struct Arg<'a> {
    pub value: Value<'a>,
    pub span: Range<usize>,
}

fn type_error(span: &Range<usize>, message: String, hint: Option<String>) -> Error {
    Error {
        span: span.clone(),
        message,
        hint,
        kind: Kind::Type,
    }
}

/// Okta: a text argument (null as "", numbers and booleans in their Java text form).
fn okta_text(fname: &str, a: &Arg) -> Result<Cow<'static, str>, Error> {
    match &a.value {
        Value::List(_) => Err(type_error(
            &a.span,
            format!("String.{fname} needs text, not a list"),
            None,
        )),
        v => v.to_text(&a.span).map(|t| Cow::Owned(t.into_owned())),
    }
}

/// Okta: a whole-number argument (a number, or a text holding one).
fn okta_int(fname: &str, what: &str, a: &Arg) -> Result<i64, Error> {
    match &a.value {
        Value::Int(n) => Ok(*n),
        Value::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(*x as i64),
        Value::Str(s) if s.trim().parse::<i64>().is_ok() => {
            Ok(s.trim().parse::<i64>().unwrap_or(0))
        }
        v => Err(type_error(
            &a.span,
            format!(
                "String.{fname} needs a whole number for {what}, got {}",
                v.describe()
            ),
            Some("e.g. String.len(app.x) - 1".into()),
        )),
    }
}

/// JSTL: EL coercion to String (null as "").
fn el_text(fname: &str, a: &Arg) -> Result<Cow<'static, str>, Error> {
    match &a.value {
        Value::List(_) => Err(type_error(
            &a.span,
            format!("fn:{fname} needs text, not a list"),
            None,
        )),
        v => v.to_text(&a.span).map(|t| Cow::Owned(t.into_owned())),
    }
}

/// JSTL: EL coercion to int (null and "" are 0; a number's fraction is dropped).
fn el_int(fname: &str, a: &Arg) -> Result<i64, Error> {
    let bad = |v: &Value| {
        type_error(
            &a.span,
            format!("fn:{fname} needs a whole number, got {}", v.describe()),
            None,
        )
    };
    match &a.value {
        Value::Null => Ok(0),
        Value::Int(n) => Ok(*n),
        Value::Float(x) if x.is_finite() => {
            Ok(x.trunc().clamp(i32::MIN as f64, i32::MAX as f64) as i64)
        }
        Value::Str(s) if s.is_empty() => Ok(0),
        Value::Str(s) => s.trim().parse::<i64>().map_err(|_| bad(&a.value)),
        v => Err(bad(v)),
    }
}

/// Java's `Character.isWhitespace`.
fn java_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\u{1C}'..='\u{1F}'
    ) || (c.is_whitespace()
        && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')
        && !matches!(c, '\u{85}'))
}

/// Literal replace of every (or the first) occurrence, refusing results over the limit.
fn replace_literal<'a>(
    s: Cow<'a, str>,
    from: &str,
    to: &str,
    all: bool,
    span: &Range<usize>,
) -> Result<Cow<'a, str>, Error> {
    if from.is_empty() {
        return Ok(s);
    }
    // Where each occurrence starts, left to right, not overlapping.
    let next = |at: usize| {
        s.get(at..)
            .and_then(|rest| find_text(rest, from))
            .map(|k| at + k)
    };
    let first = next(0);
    if all {
        let mut n = 0usize;
        let mut at = first;
        while let Some(p) = at {
            n += 1;
            at = next(p + from.len());
        }
        limit(s.len() - n * from.len() + n.saturating_mul(to.len()), span)?;
    } else {
        limit(s.len() + to.len(), span)?;
    }
    let Some(mut p) = first else {
        return Ok(s);
    };
    let mut out = String::with_capacity(s.len() + to.len());
    let mut done = 0;
    loop {
        out.push_str(s.get(done..p).unwrap_or(""));
        out.push_str(to);
        done = p + from.len();
        match next(done) {
            Some(q) if all => p = q,
            _ => break,
        }
    }
    out.push_str(s.get(done..).unwrap_or(""));
    Ok(Cow::Owned(out))
}

/// Calls `func` on evaluated arguments (arity already checked).
/// Calls `func` on evaluated arguments (arity already checked). Texts stay borrowed where the
/// result is a part of an argument (`substringAfter`, `trim`, …).
pub(crate) fn apply<'a>(
    func: Func,
    args: &mut [Arg<'a>],
    span: &Range<usize>,
) -> Result<Value<'a>, Error> {
    let okta = (func as u8) < (Func::FnContains as u8);
    Ok(match func {
        Func::Append => {
            let (a, b) = (
                take_text(args, okta, 0, "append")?,
                take_text(args, okta, 1, "append")?,
            );
            Value::Str(concat(a, b, span)?)
        }
        Func::Join => {
            let sep = take_text(args, okta, 0, "join")?;
            let mut out = String::new();
            for i in 1..args.len() {
                if i > 1 {
                    out.push_str(&sep);
                }
                out.push_str(&take_text(args, okta, i, "join")?);
                limit(out.len(), span)?;
            }
            Value::Str(Cow::Owned(out))
        }
        Func::Len => Value::Int(utf16_len(&take_text(args, okta, 0, "len")?) as i64),
        Func::RemoveSpaces => {
            let s = take_text(args, okta, 0, "removeSpaces")?;
            if s.chars().any(java_whitespace) {
                Value::Str(Cow::Owned(
                    s.chars().filter(|c| !java_whitespace(*c)).collect(),
                ))
            } else {
                Value::Str(s)
            }
        }
        Func::Replace | Func::ReplaceFirst => {
            let name = if func == Func::Replace {
                "replace"
            } else {
                "replaceFirst"
            };
            let s = take_text(args, okta, 0, name)?;
            let from = take_text(args, okta, 1, name)?;
            let to = take_text(args, okta, 2, name)?;
            Value::Str(replace_literal(s, &from, &to, func == Func::Replace, span)?)
        }
        Func::StartsWith | Func::FnStartsWith => {
            let s = take_text(args, okta, 0, "startsWith")?;
            let prefix = take_text(args, okta, 1, "startsWith")?;
            Value::Bool(s.starts_with(&*prefix))
        }
        Func::StringContains | Func::FnContains => {
            let name = if okta { "stringContains" } else { "contains" };
            let s = take_text(args, okta, 0, name)?;
            let search = take_text(args, okta, 1, name)?;
            Value::Bool(find_text(&s, &search).is_some())
        }
        Func::StringSwitch => {
            let s = take_text(args, okta, 0, "stringSwitch")?;
            let mut i = 2;
            while i + 1 < args.len() {
                if find_text(&s, &take_text(args, okta, i, "stringSwitch")?).is_some() {
                    return Ok(Value::Str(take_text(args, okta, i + 1, "stringSwitch")?));
                }
                i += 2;
            }
            Value::Str(take_text(args, okta, 1, "stringSwitch")?)
        }
        Func::Substring => {
            let s = take_text(args, okta, 0, "substring")?;
            let (a, b) = match (args.get(1), args.get(2)) {
                (Some(a), Some(b)) => (a, b),
                _ => return Ok(Value::Str(Cow::Borrowed(""))),
            };
            let start = okta_int("substring", "start", a)?;
            let end = okta_int("substring", "end", b)?;
            let len = utf16_len(&s) as i64;
            if start < 0 || start > len {
                return Err(Error {
                    span: a.span.clone(),
                    message: format!("String.substring: start {start} is out of range 0–{len}"),
                    hint: Some(
                        "the text is shorter than the index; guard with String.len(…)".into(),
                    ),
                    kind: Kind::Evaluation,
                });
            }
            if end < start || end > len {
                return Err(Error {
                    span: b.span.clone(),
                    message: format!("String.substring: end {end} is out of range {start}–{len}"),
                    hint: Some("the end must lie between the start and String.len(…)".into()),
                    kind: Kind::Evaluation,
                });
            }
            Value::Str(utf16_substring(s, start as usize, end as usize))
        }
        Func::SubstringAfter => {
            let (s, sep) = (
                take_text(args, okta, 0, "substringAfter")?,
                take_text(args, okta, 1, "substringAfter")?,
            );
            // SPEC 6 / issue 4: an empty separator gives "", a missing one gives "".
            match (sep.is_empty(), find_text(&s, &sep)) {
                (false, Some(p)) => {
                    let n = s.len();
                    Value::Str(sub(s, p + sep.len()..n))
                }
                _ => Value::Str(Cow::Borrowed("")),
            }
        }
        Func::SubstringBefore => {
            let (s, sep) = (
                take_text(args, okta, 0, "substringBefore")?,
                take_text(args, okta, 1, "substringBefore")?,
            );
            if sep.is_empty() {
                Value::Str(Cow::Borrowed(""))
            } else {
                match find_text(&s, &sep) {
                    Some(p) => Value::Str(sub(s, 0..p)),
                    None => Value::Str(s),
                }
            }
        }
        Func::ToUpperCase | Func::FnToUpperCase => {
            Value::Str(to_upper(take_text(args, okta, 0, "toUpperCase")?))
        }
        Func::ToLowerCase | Func::FnToLowerCase => {
            Value::Str(to_lower(take_text(args, okta, 0, "toLowerCase")?))
        }
        Func::FnContainsIgnoreCase => Value::Bool(
            take_text(args, okta, 0, "containsIgnoreCase")?
                .to_uppercase()
                .contains(&take_text(args, okta, 1, "containsIgnoreCase")?.to_uppercase()),
        ),
        Func::FnEndsWith => {
            let s = take_text(args, okta, 0, "endsWith")?;
            let suffix = take_text(args, okta, 1, "endsWith")?;
            // JSTL 1.2 exactly: it compares the FIRST occurrence with the end, so
            // fn:endsWith('abcabc', 'abc') is false there, and here.
            Value::Bool(match find_text(&s, &suffix) {
                None => false,
                Some(0) if suffix.is_empty() => true,
                Some(i) => i + suffix.len() == s.len(),
            })
        }
        Func::FnIndexOf => Value::Int(
            utf16_index_of(
                &take_text(args, okta, 0, "indexOf")?,
                &take_text(args, okta, 1, "indexOf")?,
            )
            .map_or(-1, |i| i as i64),
        ),
        Func::FnLength => match args.first().map(|a| &a.value) {
            None | Some(Value::Null) => Value::Int(0),
            Some(Value::Str(s)) => Value::Int(utf16_len(s) as i64),
            Some(Value::List(l)) => Value::Int(l.len() as i64),
            Some(v) => {
                return Err(type_error(
                    &args.first().map_or(span.clone(), |a| a.span.clone()),
                    format!("fn:length needs a text or a list, got {}", v.describe()),
                    None,
                ))
            }
        },
        Func::FnSubstring => {
            let s = take_text(args, okta, 0, "substring")?;
            let len = utf16_len(&s) as i64;
            let mut begin = match args.get(1) {
                Some(a) => el_int("substring", a)?,
                None => 0,
            };
            let mut end = match args.get(2) {
                Some(a) => el_int("substring", a)?,
                None => len,
            };
            // JSTL: clamp, never fail.
            begin = begin.clamp(0, len);
            if end < 0 || end > len {
                end = len;
            }
            if end < begin {
                Value::Str(Cow::Borrowed(""))
            } else {
                Value::Str(utf16_substring(s, begin as usize, end as usize))
            }
        }
        Func::FnSubstringAfter => {
            let (s, sep) = (
                take_text(args, okta, 0, "substringAfter")?,
                take_text(args, okta, 1, "substringAfter")?,
            );
            match find_text(&s, &sep) {
                Some(p) => {
                    let n = s.len();
                    Value::Str(sub(s, p + sep.len()..n))
                }
                None => Value::Str(Cow::Borrowed("")),
            }
        }
        Func::FnSubstringBefore => {
            let (s, sep) = (
                take_text(args, okta, 0, "substringBefore")?,
                take_text(args, okta, 1, "substringBefore")?,
            );
            match find_text(&s, &sep) {
                Some(p) => Value::Str(sub(s, 0..p)),
                None => Value::Str(Cow::Borrowed("")),
            }
        }
        Func::FnTrim => {
            let s = take_text(args, okta, 0, "trim")?;
            let blank = |c: char| c <= ' ';
            let start = s.len() - s.trim_start_matches(blank).len();
            let end = s.trim_end_matches(blank).len().max(start);
            Value::Str(sub(s, start..end))
        }
        Func::FnReplace => {
            let s = take_text(args, okta, 0, "replace")?;
            if s.is_empty() {
                Value::Str(s)
            } else {
                let from = take_text(args, okta, 1, "replace")?;
                let to = take_text(args, okta, 2, "replace")?;
                Value::Str(replace_literal(s, &from, &to, true, span)?)
            }
        }
        Func::FnEscapeXml => {
            let s = take_text(args, okta, 0, "escapeXml")?;
            if !s.contains(['&', '<', '>', '"', '\'']) {
                limit(s.len(), span)?;
                return Ok(Value::Str(s));
            }
            let mut out = String::with_capacity(s.len() + 16);
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&#034;"),
                    '\'' => out.push_str("&#039;"),
                    c => out.push(c),
                }
            }
            limit(out.len(), span)?;
            Value::Str(Cow::Owned(out))
        }
        Func::FnJoin => {
            let sep = take_text(args, okta, 1, "join")?;
            match args.first().map(|a| &a.value) {
                None | Some(Value::Null) => Value::Str(Cow::Borrowed("")),
                Some(Value::List(items)) => {
                    let total: usize = items.iter().map(|i| i.len() + sep.len()).sum();
                    limit(total, span)?;
                    Value::Str(Cow::Owned(items.join(&*sep)))
                }
                Some(v) => {
                    return Err(type_error(
                        &args.first().map_or(span.clone(), |a| a.span.clone()),
                        format!("fn:join needs a list, got {}", v.describe()),
                        Some(
                            "make one with fn:split, e.g. fn:join(fn:split(org.x, ','), ';')"
                                .into(),
                        ),
                    ))
                }
            }
        }
        Func::FnSplit => {
            let s = take_text(args, okta, 0, "split")?;
            let delims = take_text(args, okta, 1, "split")?;
            if s.is_empty() {
                Value::List(vec![String::new()])
            } else {
                // java.util.StringTokenizer: any delimiter character separates; empty tokens vanish.
                Value::List(
                    s.split(|c: char| delims.contains(c))
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect(),
                )
            }
        }
    })
}

/// Upper case, copying only when something changes.
fn to_upper(s: Cow<'_, str>) -> Cow<'_, str> {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_lowercase()) {
        s
    } else {
        Cow::Owned(s.to_uppercase())
    }
}

/// Lower case, copying only when something changes.
fn to_lower(s: Cow<'_, str>) -> Cow<'_, str> {
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase()) {
        s
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// Takes argument `i` as text (moving it out: each argument is read once).
fn take_text<'a>(
    args: &mut [Arg<'a>],
    okta: bool,
    i: usize,
    name: &str,
) -> Result<Cow<'a, str>, Error> {
    match args.get_mut(i) {
        Some(a) => match &mut a.value {
            Value::Str(s) => Ok(std::mem::replace(s, Cow::Borrowed(""))),
            Value::Null => Ok(Cow::Borrowed("")),
            Value::Bool(b) => Ok(Cow::Borrowed(if *b { "true" } else { "false" })),
            _ if okta => okta_text(name, a),
            _ => el_text(name, a),
        },
        None => Ok(Cow::Borrowed("")),
    }
}
