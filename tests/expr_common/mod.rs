//! Shared helpers of the expression-language table tests.
#![allow(dead_code)]

use oin_wizard::expr::{evaluate, Dialect};
use std::collections::BTreeMap;

/// The variables every table row sees (bare names).
pub fn table_vars() -> BTreeMap<String, String> {
    [
        ("sub", "acme"),
        ("env", "PROD-EU"),
        ("num", "42"),
        ("dec", "1.5"),
        ("url", "https://acme.example.com/"),
        ("email", "jane.doe@acme.com"),
        ("spaced", "  a b  "),
        ("uni", "héllo😀"),
        ("truth", "true"),
        ("csv", "a,b,,c"),
        ("UPPER", "legacy"),
        ("user.userName", "jane@acme.com"),
        ("user.email", "jane@mail.acme.com"),
        ("appuser.dept", "sales"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// Runs rows of (source, expected): `=text` for a result, `!fragment` for an error whose
/// message contains the fragment; `!fragment¦hint` also checks the hint. Checks every error
/// span lies on character boundaries inside the source. Returns the number of rows.
pub fn run_rows(dialect: Dialect, rows: &[(&str, &str)]) -> usize {
    let vars = table_vars();
    let mut failures = Vec::new();
    for (source, expected) in rows {
        let got = evaluate(dialect, source, &vars);
        if let Err(e) = &got {
            let s = e.span();
            assert!(
                s.start <= s.end && s.end <= source.len(),
                "{source}: span {s:?} outside"
            );
            assert!(
                source.is_char_boundary(s.start) && source.is_char_boundary(s.end),
                "{source}: span {s:?} not on char boundary"
            );
        }
        let ok = match (expected.strip_prefix('='), expected.strip_prefix('!'), &got) {
            (Some(want), _, Ok(g)) => g == want,
            (_, Some(want), Err(e)) => {
                let (msg, hint) = want.split_once('¦').unwrap_or((want, ""));
                e.message().contains(msg)
                    && (hint.is_empty() || e.hint().is_some_and(|h| h.contains(hint)))
            }
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{dialect:?} {source:?}: expected {expected:?}, got {:?}",
                got.map_err(|e| format!("{} @{:?}", e, e.span()))
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
    rows.len()
}

/// Runs error rows whose span must cover exactly `span_text`: (source, message fragment, span text).
pub fn run_span_rows(dialect: Dialect, rows: &[(&str, &str, &str)]) -> usize {
    let vars = table_vars();
    let mut failures = Vec::new();
    for (source, msg, span_text) in rows {
        match evaluate(dialect, source, &vars) {
            Ok(v) => failures.push(format!("{source:?}: expected error {msg:?}, got {v:?}")),
            Err(e) => {
                let got_text = source.get(e.span()).unwrap_or("<not on char boundary>");
                if !e.message().contains(msg) || got_text != *span_text {
                    failures.push(format!(
                        "{source:?}: expected {msg:?} at {span_text:?}, got {:?} at {got_text:?}",
                        e.message()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
    rows.len()
}
