//! The Expression Language on any text: lexer, parser, checker and evaluator, in every
//! dialect and field kind, with preview variables. Must never panic, overflow the stack or
//! hang (the nesting limit holds).
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use oin_wizard::expr::{analyze, evaluate, variables, CheckOptions, Dialect, FieldKind};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(source) = std::str::from_utf8(rest) else {
        return;
    };
    let dialect = match selector % 3 {
        0 => Dialect::Oidc,
        1 => Dialect::Saml,
        _ => Dialect::Scim,
    };
    let field = match (selector / 3) % 3 {
        0 => FieldKind::Text,
        1 => FieldKind::Url {
            allow_http: selector & 0x80 != 0,
        },
        _ => FieldKind::SamlAttributeValue,
    };
    let preview: BTreeMap<String, String> = [
        ("subdomain", "berryfarm"),
        ("environment", "PROD"),
        ("companyId", ""),
        ("baseUrl", "https://fruit.example.com/"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let opts = CheckOptions {
        known_variables: Some(preview.keys().cloned().collect()),
        field,
        preview: preview.clone(),
        added_since_published: vec!["companyId".into()],
    };
    let _ = analyze(dialect, source, &opts);
    let _ = evaluate(dialect, source, &preview);
    let _ = variables(dialect, source);
});
