//! Every operation of docs/api.md against the real server, on SQLite and on PostgreSQL:
//! sessions, submissions through publish and Edit integration, instances, the tester, runs,
//! secrets at rest, the error codes, and optimistic concurrency under 50 writers.
mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use oin_wizard::domain::Role;
use serde_json::{json, Value};

// ---------------------------------------------------------------- sessions

async fn sign_in_and_out(h: Harness) {
    let me = h
        .account("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let mut anon = h.anonymous();
    let r = anon.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "unauthenticated");
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/problem+json",
        "a problem body"
    );
    assert_eq!(r.body["status"], 401);

    let r = anon
        .post(
            "/api/v1/session",
            json!({ "email": "DEV@strawberry.example", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["email"], "dev@strawberry.example");
    assert_eq!(r.body["roles"], json!(["SUPER_ADMIN"]));
    assert_eq!(r.body["id"], me.id);
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap().to_string();
    assert!(cookie.starts_with("oin_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Secure"), "plain http: no Secure flag");

    let mut client = h.sign_in("dev@strawberry.example").await;
    let r = client.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["email"], "dev@strawberry.example");

    let r = client.delete("/api/v1/session").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let r = client.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "the session ended");

    // A made-up cookie is no session.
    client.cookie = Some("oin_session=forged".into());
    assert_eq!(
        client.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}
both!(sign_in_and_out);

async fn wrong_credentials_are_401_and_throttled(h: Harness) {
    h.account("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let mut anon = h.anonymous();
    for (email, password) in [
        ("dev@strawberry.example", "wrong password"),
        ("nobody@strawberry.example", PASSWORD),
    ] {
        let r = anon
            .post(
                "/api/v1/session",
                json!({ "email": email, "password": password }),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{email}");
        assert_eq!(r.code(), "unauthenticated");
        assert!(r.headers.get(header::SET_COOKIE).is_none());
    }
    // Four more failures reach the limit of 5 per email in 15 minutes…
    for _ in 0..4 {
        let r = anon
            .post(
                "/api/v1/session",
                json!({ "email": "dev@strawberry.example", "password": "guess" }),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // …so even the right password now waits.
    let r = anon
        .post(
            "/api/v1/session",
            json!({ "email": "dev@strawberry.example", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert_eq!(r.code(), "tooManyRequests");
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    // Another account is not affected.
    h.account("other@strawberry.example", &[Role::SuperAdmin])
        .await;
    h.sign_in("other@strawberry.example").await;
    // Malformed sign-ins are 400, not a failure count.
    let r = anon.post("/api/v1/session", json!({ "email": "x" })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
both!(wrong_credentials_are_401_and_throttled);

// ---------------------------------------------------------------- submissions

async fn submission_saves_check_and_bump_the_version(h: Harness) {
    let mut c = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let s = c.new_submission().await;
    assert_eq!(s["version"], 1);
    assert_eq!(s["status"], "draft");
    let id = s["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/submissions/{id}");

    let mut edit = s.clone();
    edit["catalog"]["displayName"] = json!("Strawberry");
    // The client cannot set what the server decides.
    edit["status"] = json!("published");
    edit["reviewNote"] = json!("looks great");
    edit["published"] =
        json!({ "version": 1, "publishedAt": "2026-01-01T00:00:00Z", "submission": {} });
    let r = c.put(&path, edit.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["reviewNote"], "");
    assert_eq!(r.body["published"], Value::Null);
    assert_eq!(r.body["catalog"]["displayName"], "Strawberry");

    // The same base version again: someone saved first.
    let r = c.put(&path, edit).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "conflict");

    let r = c.get("/api/v1/submissions").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["apiVersion"], 1);
    assert_eq!(r.body["items"][0]["id"], id.as_str());
    assert_eq!(r.body["items"][0]["version"], 2);
    assert_eq!(r.body["items"][0]["displayName"], "Strawberry");

    // Published and under-review submissions are read-only; Edit integration is only for
    // published ones.
    let r = c.post(&format!("{path}/edit"), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "invalidTransition");
}
both!(submission_saves_check_and_bump_the_version);

async fn secrets_are_encrypted_at_rest_and_redacted_in_lists(h: Harness) {
    let mut c = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = c.new_submission().await["id"].as_str().unwrap().to_string();
    let r = c
        .save(&id, |s| {
            complete_oidc(s);
            s["testInfo"]["password"] = json!("pa55-unique-needle");
            s["scim"]["oauth"]["clientSecret"] = json!("client-secret-needle");
        })
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let path = format!("/api/v1/submissions/{id}");
    let got = c.get(&path).await.body;
    assert_eq!(got["testInfo"]["password"], "pa55-unique-needle");
    assert_eq!(got["scim"]["oauth"]["clientSecret"], "client-secret-needle");
    let list = c.get("/api/v1/submissions").await.text;
    assert!(!list.contains("needle"), "lists never carry secrets");

    // Saving the redacted placeholder keeps the stored secret.
    let r = c
        .save(&id, |s| {
            s["testInfo"]["password"] = json!("********");
            s["catalog"]["description"] = json!("Changed.");
        })
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        c.get(&path).await.body["testInfo"]["password"],
        "pa55-unique-needle"
    );

    // An instance's secrets: shown at generation and by GET one, redacted in lists.
    let r = c.post("/api/v1/tester/session", json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = c
        .post(
            "/api/v1/instances",
            json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": "Test", "variableValues": {} }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let secret = r.body["details"]["oidc"]["clientSecret"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(secret.len(), 40);
    let instance_id = r.body["id"].as_str().unwrap().to_string();
    let list = c.get("/api/v1/instances").await;
    assert_eq!(
        list.body["items"][0]["details"]["oidc"]["clientSecret"],
        "********"
    );
    assert!(!list.text.contains(&secret));
    let view = c.get(&format!("/api/v1/testing/{id}")).await;
    assert!(!view.text.contains(&secret));
    let one = c.get(&format!("/api/v1/instances/{instance_id}")).await;
    assert_eq!(one.body["details"]["oidc"]["clientSecret"], secret.as_str());

    // In the database itself: no secret in any row.
    let dump = dump_database(&h.url).await;
    for needle in [
        "pa55-unique-needle",
        "client-secret-needle",
        secret.as_str(),
    ] {
        assert!(!dump.contains(needle), "{needle} is stored in clear");
    }
    assert!(dump.contains("v1:"), "sealed secrets are stored");
}
both!(secrets_are_encrypted_at_rest_and_redacted_in_lists);

/// Every text column of every row of the tables that hold submissions and instances.
async fn dump_database(url: &str) -> String {
    use sqlx::Row;
    let mut out = String::new();
    let queries = [
        "SELECT body || secrets || summary AS t FROM submissions",
        "SELECT body || secrets AS t FROM instances",
        "SELECT body AS t FROM test_runs",
    ];
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("open sqlite");
        for q in queries {
            for row in sqlx::query(q).fetch_all(&pool).await.expect("dump") {
                out.push_str(&row.get::<String, _>("t"));
            }
        }
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("open postgres");
        for q in queries {
            for row in sqlx::query(q).fetch_all(&pool).await.expect("dump") {
                out.push_str(&row.get::<String, _>("t"));
            }
        }
    }
    out
}

// ---------------------------------------------------------------- the whole flow

async fn submit_review_publish_and_edit(h: Harness) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let mut reviewer = h
        .signed_in("catalog@strawberry.example", &[Role::CatalogReviewer])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/submissions/{id}");
    assert_eq!(dev.save(&id, complete_oidc).await.status, StatusCode::OK);
    let version = dev.get(&path).await.body["version"].clone();

    // The gate, decided by the server: no instance, no test, not certified.
    let r = dev
        .post(
            &format!("{path}/submit"),
            json!({ "version": version, "certified": false }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.code(), "unmetRequirements");
    let fields: Vec<&str> = r.body["unmet"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["field"].as_str())
        .collect();
    assert!(fields.contains(&"instances.current.oidc"), "{fields:?}");
    assert!(fields.contains(&"certified"), "{fields:?}");

    // A stale version is a conflict before anything else.
    let r = dev
        .post(
            &format!("{path}/submit"),
            json!({ "version": 1, "certified": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Generate, add to the tester, run the SP flow, pass it.
    let r = dev
        .post(
            "/api/v1/instances",
            json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": "Strawberry test", "variableValues": {} }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let instance = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["active"], true);
    assert_eq!(
        r.body["details"]["oidc"]["redirectUris"],
        json!(["https://strawberry.example.org/login"])
    );
    let r = dev
        .post(&format!("/api/v1/instances/{instance}/tester"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["inTester"], true);

    // Run test needs a tester session first.
    let run = json!({ "instanceId": instance, "case": "spFlow", "version": "current" });
    let r = dev.post("/api/v1/test-runs", run.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = dev.get("/api/v1/tester/session").await;
    assert_eq!(r.body, json!({ "apiVersion": 1, "session": null }));
    let r = dev.post("/api/v1/tester/session", json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["session"]["expiresAt"].is_string());
    // Not a case of this instance: the IdP flow needs an initiate login URI.
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "idpFlow", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = dev.post("/api/v1/test-runs", run).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["result"], "inProgress");
    let run_id = r.body["id"].as_str().unwrap().to_string();
    // A failure needs a note.
    let r = dev
        .put(
            &format!("/api/v1/test-runs/{run_id}"),
            json!({ "passed": false, "note": " " }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = dev
        .put(
            &format!("/api/v1/test-runs/{run_id}"),
            json!({ "passed": true, "note": "" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["result"], "passed");
    let r = dev
        .put(
            &format!("/api/v1/test-runs/{run_id}"),
            json!({ "passed": true, "note": "" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "already finished");
    let r = dev
        .get(&format!("/api/v1/test-runs?submissionId={id}"))
        .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 1);
    let r = dev.get(&format!("/api/v1/testing/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["testRuns"].as_array().unwrap().len(), 1);
    assert!(r.body["orgUrl"]
        .as_str()
        .unwrap()
        .ends_with("/orgs/strawberry.example"));

    // The reviewer may not submit; the developer may not review.
    let r = reviewer
        .post(
            &format!("{path}/submit"),
            json!({ "version": version, "certified": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = dev
        .post(
            &format!("{path}/submit"),
            json!({ "version": version, "certified": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "oinToReview");
    let version = r.body["version"].clone();

    // Under review: read-only.
    let r = dev
        .save(&id, |s| s["catalog"]["description"] = json!("x"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "invalidTransition");

    let r = dev
        .post(
            &format!("{path}/review"),
            json!({ "version": version, "decision": "publish", "note": "" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = reviewer
        .post(
            &format!("{path}/review"),
            json!({ "version": version, "decision": "changesRequested", "note": "  " }),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a message is required"
    );
    let r = reviewer
        .post(&format!("{path}/review"), json!({ "version": version, "decision": "changesRequested", "note": "Fix the SP flow" }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "isvToReview");
    assert_eq!(r.body["reviewNote"], "Fix the SP flow");

    // Resubmit (the instance and the pass are still valid: nothing changed), then publish.
    let version = r.body["version"].clone();
    let r = dev
        .post(
            &format!("{path}/submit"),
            json!({ "version": version, "certified": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = reviewer
        .post(
            &format!("{path}/review"),
            json!({ "version": version, "decision": "publish", "note": "" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "published");
    assert_eq!(r.body["published"]["version"], version);
    // The published snapshot keeps its secret, sealed like the rest.
    assert_eq!(
        dev.get(&path).await.body["published"]["submission"]["testInfo"]["password"],
        "hunter2-secret"
    );

    // Published: read-only until Edit integration.
    let r = dev
        .save(&id, |s| s["catalog"]["description"] = json!("x"))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = dev.post(&format!("{path}/edit"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "draft");
    assert!(r.body["published"].is_object());
    let r = dev
        .save(&id, |s| s["catalog"]["description"] = json!("Version two."))
        .await;
    assert_eq!(r.status, StatusCode::OK);
}
both!(submit_review_publish_and_edit);

/// **Withdraw submission** and **Delete draft** (docs/api.md): the domain's
/// `transitions::withdraw` and `can_delete`, enforced by the server.
async fn withdraw_and_delete(h: Harness) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let mut reviewer = h
        .signed_in("catalog@strawberry.example", &[Role::CatalogReviewer])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/submissions/{id}");
    assert_eq!(dev.save(&id, complete_oidc).await.status, StatusCode::OK);
    // Submit it: an instance, the SP flow passed, certified.
    let r = dev
        .post(
            "/api/v1/instances",
            json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": "Withdraw test", "variableValues": {} }),
        )
        .await;
    let instance = r.body["id"].as_str().unwrap().to_string();
    dev.post(&format!("/api/v1/instances/{instance}/tester"), json!({}))
        .await;
    dev.post("/api/v1/tester/session", json!({})).await;
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "spFlow", "version": "current" }),
        )
        .await;
    let run = r.body["id"].as_str().unwrap().to_string();
    dev.put(
        &format!("/api/v1/test-runs/{run}"),
        json!({ "passed": true, "note": "" }),
    )
    .await;
    let version = dev.get(&path).await.body["version"].clone();
    let r = dev
        .post(
            &format!("{path}/submit"),
            json!({ "version": version, "certified": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let submitted = r.body["version"].as_u64().unwrap();

    // Under review: not deleted; withdrawn only by a role that may edit.
    let r = dev.delete(&path).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.code(), "invalidTransition");
    let r = reviewer.post(&format!("{path}/withdraw"), json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = dev.post(&format!("{path}/withdraw"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["version"], submitted + 1);
    let r = dev.post(&format!("{path}/withdraw"), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Its instance stays eligible: the configuration did not change.
    let r = dev.get(&format!("/api/v1/testing/{id}")).await;
    assert_eq!(r.body["instances"][0]["submissionVersion"], submitted);

    // A Draft: the reviewer may not delete it, the developer may, and it is gone.
    let r = reviewer.delete(&path).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = dev.delete(&path).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    assert_eq!(dev.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(dev.delete(&path).await.status, StatusCode::NOT_FOUND);
    let r = dev.get("/api/v1/submissions").await;
    assert_eq!(r.body["items"], json!([]));
    // The org keeps its app instance.
    let r = dev.get("/api/v1/instances").await;
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(1));
}
both!(withdraw_and_delete);

// ---------------------------------------------------------------- instances

async fn instance_rules(h: Harness) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(dev.save(&id, complete_oidc).await.status, StatusCode::OK);
    let generate = |label: &str| json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": label, "variableValues": {} });
    // Label required; SAML isn't a protocol of this submission; another org's or an unknown
    // submission is 404.
    let r = dev.post("/api/v1/instances", generate("  ")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut saml = generate("x");
    saml["protocols"] = json!(["saml"]);
    assert_eq!(
        dev.post("/api/v1/instances", saml).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut unknown = generate("x");
    unknown["submissionId"] = json!("sub-nope");
    assert_eq!(
        dev.post("/api/v1/instances", unknown).await.status,
        StatusCode::NOT_FOUND
    );

    let mut ids = Vec::new();
    for n in 0..5 {
        let r = dev
            .post("/api/v1/instances", generate(&format!("Instance {n}")))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    // The sixth active instance is refused.
    let r = dev.post("/api/v1/instances", generate("Sixth")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body["message"].as_str().unwrap().contains("limit is 5"),
        "{}",
        r.text
    );

    // An active instance can't be deleted; an inactive one can; re-activating respects the limit.
    let first = format!("/api/v1/instances/{}", ids[0]);
    assert_eq!(
        dev.delete(&first).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = dev
        .post(&format!("{first}/active"), json!({ "active": false }))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["active"], false);
    assert_eq!(r.body["details"]["oidc"]["clientSecret"], "********");
    assert_eq!(
        dev.post("/api/v1/instances", generate("Sixth"))
            .await
            .status,
        StatusCode::OK
    );
    let r = dev
        .post(&format!("{first}/active"), json!({ "active": true }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dev.delete(&first).await.status, StatusCode::NO_CONTENT);
    assert_eq!(dev.get(&first).await.status, StatusCode::NOT_FOUND);
    assert_eq!(dev.delete(&first).await.status, StatusCode::NOT_FOUND);

    // Update details and assignments: only the org's own users and groups.
    let second = format!("/api/v1/instances/{}", ids[1]);
    let r = dev.patch(&second, json!({ "label": "Renamed" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["label"], "Renamed");
    assert_eq!(
        dev.patch(&second, json!({ "label": "" })).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let users = dev.get("/api/v1/users").await.body;
    let groups = dev.get("/api/v1/groups").await.body;
    assert_eq!(groups["items"][0]["name"], "OIN testers");
    let me = users["items"][0]["id"].clone();
    let group = groups["items"][0]["id"].clone();
    let r = dev
        .put(
            &format!("{second}/assignments"),
            json!({ "userIds": [me], "groupIds": [group] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["assignedGroups"], json!([group]));
    let r = dev
        .put(
            &format!("{second}/assignments"),
            json!({ "userIds": ["00u-elsewhere"], "groupIds": [] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Test users: created by an org admin, then assignable.
    let r = dev
        .post("/api/v1/users", json!({ "email": "tess@strawberry.example", "firstName": "Tess", "lastName": "Tester" }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["roles"], json!([]));
    let tess = r.body["id"].clone();
    let r = dev
        .post(
            "/api/v1/users",
            json!({ "email": "tess@strawberry.example", "firstName": "Tess", "lastName": "Again" }),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the email exists"
    );
    let r = dev
        .put(
            &format!("{second}/assignments"),
            json!({ "userIds": [tess], "groupIds": [] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    // A test user has no password: it can't sign in.
    let r = h
        .anonymous()
        .post(
            "/api/v1/session",
            json!({ "email": "tess@strawberry.example", "password": PASSWORD }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Tester membership.
    let r = dev.post(&format!("{second}/tester"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["inTester"], true);
    let r = dev.delete(&format!("{second}/tester")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["inTester"], false);

    // Test API Credentials: this instance serves no SCIM.
    let r = dev.post(&format!("{second}/scim-check"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["ok"], false);

    // An edit of the submission makes its instances ineligible: Add to Tester refuses.
    assert_eq!(
        dev.save(&id, |s| s["oidc"]["redirectUris"] =
            json!(["https://strawberry.example.org/v2"]))
            .await
            .status,
        StatusCode::OK
    );
    let r = dev.post(&format!("{second}/tester"), json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
}
both!(instance_rules);

async fn jit_runs_create_and_remove_a_temporary_user(h: Harness) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = dev
        .save(&id, |s| {
            complete_oidc(s);
            s["oidc"]["initiateLoginUri"] = json!("https://strawberry.example.org/start");
            s["testSettings"]["oidc"]["jit"] = json!(true);
        })
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = dev
        .post("/api/v1/instances", json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": "JIT", "variableValues": {} }))
        .await;
    let instance = r.body["id"].as_str().unwrap().to_string();
    dev.post(&format!("/api/v1/instances/{instance}/tester"), json!({}))
        .await;
    dev.post("/api/v1/tester/session", json!({})).await;
    let users_before = dev.get("/api/v1/users").await.body["items"]
        .as_array()
        .unwrap()
        .len();
    let r = dev
        .post(
            "/api/v1/test-runs",
            json!({ "instanceId": instance, "case": "jitWithIdp", "version": "current" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let jit = r.body["jitUser"]["id"].as_str().unwrap().to_string();
    let users = dev.get("/api/v1/users").await.body;
    assert_eq!(users["items"].as_array().unwrap().len(), users_before + 1);
    let one = dev.get(&format!("/api/v1/instances/{instance}")).await.body;
    assert!(one["assignedUsers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == &json!(jit)));
    let r = dev
        .put(
            &format!("/api/v1/test-runs/{}", r.body["id"].as_str().unwrap()),
            json!({ "passed": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let users = dev.get("/api/v1/users").await.body;
    assert_eq!(
        users["items"].as_array().unwrap().len(),
        users_before,
        "the JIT user is gone"
    );
    let one = dev.get(&format!("/api/v1/instances/{instance}")).await.body;
    assert!(!one["assignedUsers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == &json!(jit)));
}
both!(jit_runs_create_and_remove_a_temporary_user);

// ---------------------------------------------------------------- bad input

async fn bad_input_gets_a_clear_error_and_changes_nothing(h: Harness) {
    let mut c = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let s = c.new_submission().await;
    let id = s["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/submissions/{id}");

    let cookie = c.cookie.clone().unwrap();
    let send_text = |method: Method, uri: &str, content_type: &str, body: String| {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "oin.test")
            .header(header::ORIGIN, ORIGIN)
            .header(header::COOKIE, cookie.clone());
        if !content_type.is_empty() {
            b = b.header(header::CONTENT_TYPE, content_type);
        }
        b.body(Body::from(body)).unwrap()
    };

    // Malformed JSON, the wrong shape, the wrong apiVersion: 400 with a problem body.
    let r = c
        .raw(send_text(
            Method::PUT,
            &path,
            "application/json",
            "{ not json".into(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "badRequest");
    assert!(r.body["message"].as_str().unwrap().contains("not the JSON"));
    let r = c
        .raw(send_text(
            Method::PUT,
            &path,
            "application/json",
            "[1,2]".into(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let mut wrong = s.clone();
    wrong["version"] = json!("three");
    let r = c.put(&path, wrong).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let mut v2 = s.clone();
    v2["apiVersion"] = json!(2);
    let r = c.put(&path, v2).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("apiVersion"));

    // Not JSON at all: 415; from another site: 403.
    let r = c
        .raw(send_text(
            Method::POST,
            "/api/v1/submissions",
            "text/plain",
            "{}".into(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = c
        .raw(send_text(
            Method::POST,
            "/api/v1/submissions",
            "application/x-www-form-urlencoded",
            "a=b".into(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut cross = send_text(
        Method::POST,
        "/api/v1/submissions",
        "application/json",
        "{}".into(),
    );
    cross
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    let r = c.raw(cross).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut cross = send_text(Method::DELETE, "/api/v1/session", "", String::new());
    cross
        .headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(c.raw(cross).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        c.get("/api/v1/me").await.status,
        StatusCode::OK,
        "still signed in"
    );

    // Over the limit: 413. A 1 MB logo fits.
    let big = format!(
        "{{\"catalog\":{{\"description\":\"{}\"}}}}",
        "x".repeat(5 * 1024 * 1024)
    );
    let r = c
        .raw(send_text(Method::PUT, &path, "application/json", big))
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "tooLarge");
    let mut logo = vec![0u8; 1_000_000];
    logo[..6].copy_from_slice(b"GIF89a");
    let mut with_logo = s.clone();
    with_logo["catalog"]["logo"] = json!({
        "fileName": "big.gif",
        "mediaType": "image/gif",
        "data": oin_wizard::domain::model::base64::encode(&logo)
    });
    let r = c.put(&path, with_logo).await;
    assert_eq!(r.status, StatusCode::OK, "a 1 MB logo fits: {}", r.code());
    assert_eq!(r.body["version"], 2);

    // Unknown ids and path tricks: 404.
    for p in [
        "/api/v1/submissions/sub-unknown",
        "/api/v1/submissions/..",
        "/api/v1/submissions/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/submissions/a%2Fb",
        "/api/v1/instances/0oa-unknown",
        "/api/v1/testing/sub-unknown",
        "/api/v1/nothing-here",
        "/api/v2/submissions",
        "/api/v1/submissions/%2e%2e/",
    ] {
        let r = c.get(p).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{p}: {}", r.text);
    }
    for (method, p) in [
        (Method::PUT, "/api/v1/test-runs/run-unknown"),
        (Method::POST, "/api/v1/instances/0oa-unknown/active"),
        (Method::PATCH, "/api/v1/instances/0oa-unknown"),
        (Method::POST, "/api/v1/instances/0oa-unknown/tester"),
        (Method::PUT, "/api/v1/instances/0oa-unknown/assignments"),
        (Method::POST, "/api/v1/instances/0oa-unknown/scim-check"),
        (Method::POST, "/api/v1/submissions/sub-unknown/submit"),
        (Method::POST, "/api/v1/submissions/sub-unknown/edit"),
        (Method::POST, "/api/v1/submissions/sub-unknown/review"),
        (Method::PUT, "/api/v1/submissions/sub-unknown"),
    ] {
        let body = match method.as_str() {
            "PUT" if p.contains("test-runs") => json!({ "passed": true }),
            "PUT" if p.contains("assignments") => json!({ "userIds": [] }),
            "POST" if p.ends_with("/review") => json!({ "version": 1, "decision": "publish" }),
            "POST" if p.ends_with("/submit") => json!({ "version": 1, "certified": true }),
            _ => json!({}),
        };
        let r = c.send(method.clone(), p, Some(body)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method} {p}: {}", r.text);
    }
    for p in [
        "/api/v1/instances/0oa-unknown",
        "/api/v1/instances/0oa-unknown/tester",
    ] {
        assert_eq!(c.delete(p).await.status, StatusCode::NOT_FOUND, "{p}");
    }
    let r = c.send(Method::DELETE, "/api/v1/submissions", None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);

    // Nothing changed by any of it.
    assert_eq!(c.get(&path).await.body["version"], 2);
}
both!(bad_input_gets_a_clear_error_and_changes_nothing);

/// A request with the session cookie, the app's `Origin` and a raw body (no JSON value).
async fn send_raw(
    c: &Client,
    method: Method,
    uri: &str,
    content_type: Option<&str>,
    body: &str,
) -> Answer {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, "oin.test")
        .header(header::ORIGIN, ORIGIN)
        .header(header::COOKIE, c.cookie.clone().unwrap_or_default());
    if let Some(t) = content_type {
        b = b.header(header::CONTENT_TYPE, t);
    }
    c.raw(b.body(Body::from(body.to_string())).unwrap()).await
}

/// What schemathesis found against the running server (server/tests/schemathesis), each
/// answered differently before its fix.
async fn schemathesis_findings(h: Harness) {
    let mut c = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = c.new_submission().await["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/submissions/{id}");

    // A method the path does not take is 405 with `Allow` (it was 415, or 403 cross-site: the
    // CSRF guard ran before routing), and the problem body says 405 too.
    for (method, uri, content_type) in [
        (Method::PUT, "/api/v1/me", None),
        (Method::PUT, "/api/v1/users", Some("text/plain")),
        (Method::PATCH, path.as_str(), None),
        (Method::DELETE, "/api/v1/groups", None),
    ] {
        let r = send_raw(&c, method.clone(), uri, content_type, "").await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
        assert!(r.headers.get(header::ALLOW).is_some(), "{method} {uri}");
        assert_eq!(r.body["status"], 405);
        assert_eq!(r.body["code"], "notFound");
    }
    let mut evil = Request::builder()
        .method(Method::PUT)
        .uri("/api/v1/instances")
        .header(header::HOST, "oin.test")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    evil.headers_mut()
        .insert(header::COOKIE, c.cookie.clone().unwrap().parse().unwrap());
    assert_eq!(c.raw(evil).await.status, StatusCode::METHOD_NOT_ALLOWED);
    // A route that exists still guards writes: cross-site 403, not JSON 415.
    let r = send_raw(
        &c,
        Method::POST,
        "/api/v1/submissions",
        Some("text/plain"),
        "{}",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // JSON numbers: `2.0` is the integer 2 (JSON Schema's `integer` says so); it was 400.
    let mut s = c.get(&path).await.body;
    let version = s["version"].as_u64().unwrap();
    s["catalog"]["description"] = json!("Saved with a float version");
    let text = s
        .to_string()
        .replacen(
            &format!("\"version\":{version}"),
            &format!("\"version\":{version}.0"),
            1,
        )
        .replacen("\"apiVersion\":1", "\"apiVersion\":1.0", 1);
    assert!(text.contains(&format!("\"version\":{version}.0")), "{text}");
    let r = send_raw(&c, Method::PUT, &path, Some("application/json"), &text).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["version"].as_u64(), Some(version + 1));
    assert_eq!(
        r.body["catalog"]["description"],
        "Saved with a float version"
    );
    // A fraction is still not an integer, and apiVersion 2.0 is still not 1.
    let stale = r.body.to_string().replacen(
        &format!("\"version\":{}", version + 1),
        &format!("\"version\":{}.5", version + 1),
        1,
    );
    let r = send_raw(&c, Method::PUT, &path, Some("application/json"), &stale).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    let r = send_raw(
        &c,
        Method::POST,
        &format!("{path}/submit"),
        Some("application/json"),
        r#"{"apiVersion": 2.0, "version": 2}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["message"].as_str().unwrap().contains("apiVersion"));

    // A body must be an object: serde reads a struct from an array of its fields too, so
    // PATCH with `[null, null]` was 200.
    assert_eq!(c.save(&id, complete_oidc).await.status, StatusCode::OK);
    let r = c
        .post(
            "/api/v1/instances",
            json!({ "submissionId": id, "version": "current", "protocols": ["oidc"], "label": "Fuzzed", "variableValues": {} }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let instance = format!("/api/v1/instances/{}", r.body["id"].as_str().unwrap());
    let before = c.get(&instance).await.body;
    for body in ["[null, null]", "[]", "\"label\"", "7", "null"] {
        let r = send_raw(&c, Method::PATCH, &instance, Some("application/json"), body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text);
        assert_eq!(r.code(), "badRequest");
    }
    let r = send_raw(
        &c,
        Method::POST,
        &format!("{path}/submit"),
        Some("application/json"),
        " [2, true]",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(c.get(&instance).await.body, before);
}
both!(schemathesis_findings);

// ---------------------------------------------------------------- concurrency

async fn fifty_concurrent_writers_lose_nothing(h: Harness) {
    let mut c = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = c.new_submission().await["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/submissions/{id}");
    let base = c.get(&path).await.body;

    // 50 writers on the same version: exactly one wins, 49 conflict.
    let mut tasks = Vec::new();
    for n in 0..50 {
        let mut client = c.clone();
        let mut edit = base.clone();
        let path = path.clone();
        edit["catalog"]["displayName"] = json!(format!("Writer {n}"));
        tasks.push(tokio::spawn(
            async move { client.put(&path, edit).await.status },
        ));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        49
    );
    assert_eq!(c.get(&path).await.body["version"], 2);

    // 50 writers that reload and retry on 409: every change lands, each on its own version.
    let mut tasks = Vec::new();
    for n in 0..50 {
        let mut client = c.clone();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..500 {
                let mut s = client.get(&path).await.body;
                s["previewValues"][format!("writer{n}")] = json!(n.to_string());
                let r = client.put(&path, s).await;
                match r.status {
                    StatusCode::OK => return r.body["version"].as_u64().unwrap(),
                    StatusCode::CONFLICT => continue,
                    other => panic!("writer {n}: {other} {}", r.text),
                }
            }
            panic!("writer {n} never won");
        }));
    }
    let mut won = Vec::new();
    for t in tasks {
        won.push(t.await.unwrap());
    }
    won.sort_unstable();
    assert_eq!(
        won,
        (3..=52).collect::<Vec<u64>>(),
        "exactly one writer per version"
    );
    let last = c.get(&path).await.body;
    assert_eq!(last["version"], 52);
    for n in 0..50 {
        assert_eq!(
            last["previewValues"][format!("writer{n}")],
            json!(n.to_string()),
            "writer {n} lost"
        );
    }
}
both!(fifty_concurrent_writers_lose_nothing);

async fn a_restart_keeps_everything(h: Harness) {
    let mut c = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = c.new_submission().await["id"].as_str().unwrap().to_string();
    assert_eq!(c.save(&id, complete_oidc).await.status, StatusCode::OK);
    let cookie = c.cookie.clone();
    let (db, url, keys) = (h.db, h.url.clone(), h.keys.clone());
    drop(h);
    let h = Harness::open(db, &url, keys, None).await;
    let mut c = h.anonymous();
    c.cookie = cookie;
    let r = c.get(&format!("/api/v1/submissions/{id}")).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the session and the data survive a restart"
    );
    assert_eq!(r.body["testInfo"]["password"], "hunter2-secret");
    // With another key the secrets don't open: an error, never a panic or a wrong value.
    let other = Harness::open(
        db,
        &url,
        std::sync::Arc::new(oin_server::keys::Keys::generate().unwrap()),
        None,
    )
    .await;
    let mut c2 = other.anonymous();
    c2.cookie = c.cookie.clone();
    let r = c2.get(&format!("/api/v1/submissions/{id}")).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!r.text.contains("hunter2"));
}
both!(a_restart_keeps_everything);
