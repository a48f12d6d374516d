//! The OpenAPI document, the router and docs/api.md's operations table name the same
//! operations: none can drift from the others.
mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::*;
use oin_server::http::openapi::{document, OPERATIONS};

/// Every `METHOD /api/v1/…` in the first column of docs/api.md's operations table.
fn documented() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/api.md"))
        .expect("docs/api.md");
    let mut out = BTreeSet::new();
    for line in text.lines().filter(|l| l.starts_with("| `")) {
        let first = line.split(" | ").next().unwrap_or("");
        for part in first.split('`').skip(1).step_by(2) {
            if let Some((method, path)) = part.split_once(' ') {
                if path.starts_with("/api/v1/") {
                    let path = path.split('?').next().unwrap_or(path);
                    out.insert((method.to_string(), path.to_string()));
                }
            }
        }
    }
    out
}

#[test]
fn the_document_lists_exactly_the_documented_operations() {
    let ours: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|o| (o.method.to_string(), o.path.to_string()))
        .collect();
    let docs = documented();
    assert!(docs.len() >= 28, "{docs:?}");
    assert_eq!(ours, docs, "OPERATIONS and docs/api.md's table differ");

    let doc = serde_json::to_value(document()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for o in OPERATIONS {
        let item = &doc["paths"][o.path][o.method.to_lowercase()];
        assert!(item.is_object(), "{} {} is missing", o.method, o.path);
    }
    // The session: a cookie, needed by every operation but signing in and out and the SCIM
    // OAuth callback (the vendor's redirect carries no SameSite=Strict cookie; its state says
    // whose instance it is). schemathesis signs its requests with it.
    let scheme = &doc["components"]["securitySchemes"]["session"];
    assert_eq!(scheme["type"], "apiKey");
    assert_eq!(scheme["in"], "cookie");
    assert_eq!(scheme["name"], oin_server::auth::SESSION_COOKIE);
    for o in OPERATIONS {
        let security = &doc["paths"][o.path][o.method.to_lowercase()]["security"];
        if o.path == "/api/v1/session" || o.path == "/api/v1/scim-oauth/callback" {
            assert!(security.is_null(), "{} {}", o.method, o.path);
        } else {
            assert_eq!(
                security,
                &serde_json::json!([{ "session": [] }]),
                "{} {}",
                o.method,
                o.path
            );
        }
    }
    // Every referenced schema is defined.
    let text = doc.to_string();
    for part in text.split("\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "schema {name} is undefined"
        );
    }
    // The model's own field names, as serde writes them.
    let submission = &doc["components"]["schemas"]["Submission"]["properties"];
    for field in [
        "id",
        "version",
        "status",
        "configVersion",
        "reviewNote",
        "testInfo",
    ] {
        assert!(submission[field].is_object(), "Submission.{field}");
    }
}

#[tokio::test]
async fn every_operation_is_routed_and_needs_a_session() {
    let h = Harness::new(Db::Sqlite).await.unwrap();
    let mut anon = h.anonymous();
    for o in OPERATIONS {
        let path = o.path.replace("{id}", "x").replace("{submissionId}", "x");
        let method = Method::from_bytes(o.method.as_bytes()).unwrap();
        let body = o.request.map(|_| serde_json::json!({}));
        let r = anon.send(method, &path, body).await;
        let expected = if o.path == "/api/v1/session" {
            if o.method == "POST" {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::NO_CONTENT
            }
        } else if o.sessionless() {
            // The SCIM OAuth 2.0 callback: no state, nothing to go back to.
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::UNAUTHORIZED
        };
        assert_eq!(r.status, expected, "{} {path}: {}", o.method, r.text);
    }
    let r = anon.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["info"]["title"], "OIN Wizard backend contract");
}
