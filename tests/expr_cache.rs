//! Parsed values and the parse cache: a parsed value answers exactly what the free functions
//! answer; the cache hits, stays within its bound (evicting the least recently used value),
//! keeps no oversized source, and never lets two dialects share an entry.

use oin_wizard::expr::{
    analyze, cached, evaluate, is_expression, variables, CheckOptions, Dialect, FieldKind,
    ParseCache, Parsed, SPEC_EXAMPLES,
};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

const DIALECTS: [Dialect; 3] = [Dialect::Oidc, Dialect::Saml, Dialect::Scim];

fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn options(field: FieldKind) -> CheckOptions {
    CheckOptions {
        known_variables: Some(vec!["x".into(), "sub".into()]),
        field,
        preview: vars(&[("x", "acme"), ("sub", ""), ("user.userName", "a@b.c")]),
        added_since_published: vec!["sub".into()],
    }
}

/// Every entry point on a parsed value against the free function, on one source.
fn same_as_free_functions(d: Dialect, s: &str) {
    let p = Parsed::new(d, s);
    let v = vars(&[("x", "acme"), ("y", "42"), ("user.userName", "a@b.c")]);
    assert_eq!(p.evaluate(&v), evaluate(d, s, &v), "{d:?} {s:?}");
    assert_eq!(p.variables(), variables(d, s), "{d:?} {s:?}");
    assert_eq!(p.is_expression(), is_expression(d, s), "{d:?} {s:?}");
    for field in [
        FieldKind::Text,
        FieldKind::Url { allow_http: false },
        FieldKind::SamlAttributeValue,
    ] {
        let o = options(field);
        assert_eq!(p.analyze(&o), analyze(d, s, &o), "{d:?} {s:?} {field:?}");
    }
    assert_eq!(p.source(), s);
    assert_eq!(p.dialect(), d);
}

#[test]
fn parsed_values_answer_like_the_free_functions() {
    let rows = [
        "https://{app.x}.example.com/{String.toLowerCase(app.y)}",
        "https://${org.x}.example.com/${fn:toUpperCase(org.y)}",
        "'https://' + app.x + (app.y == '42' ? '/a' : '/b')",
        "${'a' + 'b'}",
        "{String.nope(app.x)}",
        "{app.unknown",
        "\\${org.x} ${org.x}",
        "user.userName",
        "user.profile.email",
        "plain text",
        "",
    ];
    for s in rows
        .iter()
        .copied()
        .chain(SPEC_EXAMPLES.iter().map(|e| e.source))
    {
        for d in DIALECTS {
            same_as_free_functions(d, s);
        }
    }
}

#[test]
fn a_second_get_is_a_hit_returning_the_same_parse() {
    let mut cache = ParseCache::new(8);
    let src = "https://{app.x}.example.com";
    let a = cache.get(Dialect::Oidc, src);
    let b = cache.get(Dialect::Oidc, src);
    assert!(Arc::ptr_eq(&a, &b));
    assert_eq!((cache.hits(), cache.misses(), cache.len()), (1, 1, 1));
    let v = vars(&[("x", "acme")]);
    assert_eq!(
        cache.evaluate(Dialect::Oidc, src, &v).as_deref(),
        Ok("https://acme.example.com")
    );
    assert_eq!((cache.hits(), cache.misses()), (2, 1));
    // Different values for the variables, same parse.
    let w = vars(&[("x", "other")]);
    assert_eq!(
        cache.evaluate(Dialect::Oidc, src, &w).as_deref(),
        Ok("https://other.example.com")
    );
    assert_eq!((cache.hits(), cache.misses(), cache.len()), (3, 1, 1));
}

#[test]
fn the_cache_keeps_at_most_its_capacity_evicting_the_least_recently_used() {
    let mut cache = ParseCache::new(3);
    let srcs = ["{app.a}", "{app.b}", "{app.c}", "{app.d}"];
    for s in &srcs[..3] {
        cache.get(Dialect::Oidc, s);
    }
    // Use the oldest again: now "{app.b}" is the least recently used.
    cache.get(Dialect::Oidc, srcs[0]);
    cache.get(Dialect::Oidc, srcs[3]);
    assert_eq!(cache.len(), 3);
    assert!(cache.contains(Dialect::Oidc, "{app.a}"));
    assert!(!cache.contains(Dialect::Oidc, "{app.b}"));
    assert!(cache.contains(Dialect::Oidc, "{app.c}"));
    assert!(cache.contains(Dialect::Oidc, "{app.d}"));
    // Many more values: the bound holds across dialects too.
    for i in 0..50 {
        let d = DIALECTS[i % 3];
        cache.get(d, &format!("'x{i}' + app.x"));
        assert!(cache.len() <= 3);
    }
    assert_eq!(cache.len(), 3);
    cache.clear();
    assert!(cache.is_empty());
    assert_eq!(cache.bytes(), 0);
}

#[test]
fn the_cache_keeps_within_its_memory_budget() {
    // Values near the longest kept source: far fewer than the capacity fit in the budget.
    let mut cache = ParseCache::new(100_000);
    let mut kept_max = 0;
    for i in 0..2_000 {
        let s = format!("{i}-{}", "{app.x}".repeat(250));
        assert!(s.len() <= ParseCache::MAX_SOURCE_LEN);
        cache.get(Dialect::Oidc, &s);
        assert!(cache.bytes() <= ParseCache::MAX_BYTES, "{}", cache.bytes());
        kept_max = kept_max.max(cache.len());
    }
    assert!(kept_max > 1 && kept_max < 2_000, "{kept_max}");
    // The most recent value is kept, and answers.
    let last = format!("1999-{}", "{app.x}".repeat(250));
    assert!(cache.contains(Dialect::Oidc, &last));
    let v = vars(&[("x", "y")]);
    let out = cache.evaluate(Dialect::Oidc, &last, &v);
    assert_eq!(out, evaluate(Dialect::Oidc, &last, &v));
    assert_eq!(out.map(|s| s.len()), Ok(5 + 250));
}

#[test]
fn dialects_never_share_an_entry() {
    let mut cache = ParseCache::new(8);
    let v = vars(&[("x", "acme")]);
    // The same text in each dialect: OIDC evaluates the braces, SAML keeps them as text,
    // SCIM refuses them.
    let src = "{app.x}";
    let results: Vec<_> = DIALECTS
        .iter()
        .map(|&d| cache.evaluate(d, src, &v))
        .collect();
    assert_eq!(results[0].as_deref(), Ok("acme"));
    assert_eq!(results[1].as_deref(), Ok("{app.x}"));
    assert!(results[2].is_err());
    for (&d, r) in DIALECTS.iter().zip(&results) {
        assert_eq!(r, &evaluate(d, src, &v), "{d:?}");
        assert!(cache.contains(d, src));
        assert_eq!(cache.get(d, src).dialect(), d);
    }
    assert_eq!(cache.len(), 3);
    assert_eq!(cache.misses(), 3);
}

#[test]
fn oversized_sources_and_a_zero_capacity_keep_nothing() {
    let long = format!("'{}' + app.x", "a".repeat(ParseCache::MAX_SOURCE_LEN));
    let mut cache = ParseCache::new(8);
    let v = vars(&[("x", "!")]);
    let out = cache.evaluate(Dialect::Scim, &long, &v);
    assert_eq!(out, evaluate(Dialect::Scim, &long, &v));
    assert!(out.is_ok_and(|s| s.ends_with("a!")));
    assert!(cache.is_empty());
    let mut none = ParseCache::new(0);
    none.get(Dialect::Oidc, "{app.x}");
    none.get(Dialect::Oidc, "{app.x}");
    assert!(none.is_empty());
    assert_eq!((none.hits(), none.misses()), (0, 2));
}

#[test]
fn the_thread_cache_parses_a_value_once() {
    let src = "https://${fn:toLowerCase(org.thread_cache_test)}.example.com";
    let a = cached(Dialect::Saml, src);
    let b = cached(Dialect::Saml, src);
    assert!(Arc::ptr_eq(&a, &b));
    let v = vars(&[("thread_cache_test", "ACME")]);
    assert_eq!(b.evaluate(&v).as_deref(), Ok("https://acme.example.com"));
    // Another dialect: another parse.
    assert!(!Arc::ptr_eq(&a, &cached(Dialect::Oidc, src)));
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
    "app.x",
    "app.y",
    "org.x",
    "org.y",
    "user.userName",
    "user.a.b",
    "String.len(",
    "String.substring(",
    "String.nope(",
    "String.toLowerCase(",
    "fn:substring(",
    "fn:trim(",
    "fn:join(",
    "fn:split(",
    ",",
    "?",
    ":",
    "?:",
    "+",
    "+=",
    "-",
    "==",
    "<",
    "&&",
    "||",
    "!",
    "and",
    "not",
    "empty",
    "eq",
    "div",
    "true",
    "null",
    "1",
    "0",
    "1.5",
    "1e999",
    " ",
    "😀",
    "é",
    "https://",
    ".",
    "#",
    "'a'",
    "\"b\"",
    "'a''b'",
    "'x\\'y'",
    "a.b.c(",
    "x:y(",
];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(1500),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn parsed_values_match_the_free_functions_on_any_input(
        v in prop::collection::vec(prop::sample::select(PIECES), 0..32)
    ) {
        let s = v.concat();
        for d in DIALECTS {
            same_as_free_functions(d, &s);
        }
    }
}
