//! The SCIM runner through the server (issue 15): Test API Credentials and Run SCIM tests
//! against scim2-server (PyPI, scim-runner's fixture) as the vendor's SCIM server, behind the
//! fixture's proxy that accepts the instance's own bearer token. On SQLite and PostgreSQL.

mod common;
#[path = "../../scim-runner/tests/fixture/mod.rs"]
mod fixture;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::{complete_oidc, Client, Harness};
use oin_wizard::domain::Role;
use serde_json::{json, Value};

/// A signed-in super admin, an OIDC + SCIM integration whose SCIM base URL is
/// `http://127.0.0.1:{app.port}/v2`, and a generated SCIM instance: (client, instance id,
/// the instance's token).
async fn scim_instance(h: &Harness) -> (Client, String, String) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let r = dev
        .save(&id, |s| {
            complete_oidc(s);
            s["protocols"]["scim"] = json!(true);
            s["variables"] = json!([{ "label": "Port", "name": "port" }]);
            s["scim"]["baseUrl"] = json!("'http://127.0.0.1:' + app.port + '/v2'");
            s["scim"]["authMode"] = json!("bearer");
            s["scim"]["userOperations"] = json!({
                "create": true, "read": true, "update": true, "changePassword": false,
                "deactivate": true, "patch": true, "importUserSchema": false, "importUsers": true
            });
            s["scim"]["configGuideUrl"] = json!("https://strawberry.example.org/docs/okta-scim");
        })
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = dev
        .post(
            "/api/v1/instances",
            json!({
                "submissionId": id, "version": "current", "protocols": ["scim"],
                "label": "Strawberry SCIM test", "variableValues": { "port": "9" }
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let instance = r.body["id"].as_str().unwrap_or_default().to_string();
    // SPEC 5.2: the org does not invent the token; the admin enables API integration and
    // enters the token the vendor's SCIM server expects.
    assert_eq!(r.body["details"]["scim"]["token"], "", "{}", r.text);
    let token = format!("vendor-token-{instance}");
    let r = dev
        .patch(
            &format!("/api/v1/instances/{instance}"),
            json!({ "apiIntegrationEnabled": true, "scimToken": token }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    (dev, instance, token)
}

/// Points the instance at `base` (the proxy's port).
async fn point_at(dev: &mut Client, instance: &str, base: &str) {
    let port = base
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/v2");
    let r = dev
        .patch(
            &format!("/api/v1/instances/{instance}"),
            json!({ "variableValues": { "port": port } }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["details"]["scim"]["baseUrl"], base);
}

/// Polls the latest run until it ended.
async fn finished_run(dev: &mut Client, instance: &str) -> Value {
    let start = Instant::now();
    loop {
        let r = dev
            .get(&format!("/api/v1/instances/{instance}/scim-runs/latest"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        if !r.body["finishedAt"].is_null() {
            return r.body;
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the run did not end"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn verdicts(run: &Value) -> String {
    run["steps"]
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .map(|s| format!("{} {} {}", s["verdict"], s["id"], s["reason"]))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

async fn credentials_and_a_run_pass_against_scim2_server(h: Harness) {
    let (mut dev, instance, token) = scim_instance(&h).await;
    let (_proxy, base) = fixture::proxy(&["--accept-bearer", &token]);
    point_at(&mut dev, &instance, &base).await;

    // No run yet.
    let r = dev
        .get(&format!("/api/v1/instances/{instance}/scim-runs/latest"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);

    // Test API Credentials really calls it.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-check"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (&r.body["ok"], &r.body["called"], &r.body["status"]),
        (&json!(true), &json!(true), &json!(200)),
        "{}",
        r.text
    );
    assert!(r.body["latencyMs"].is_u64());
    assert!(
        !r.text.contains(&token),
        "the token never comes back in a report"
    );

    // Run SCIM tests: 202 with a running run, then a concurrent start is 409.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-runs"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    assert!(r.body["finishedAt"].is_null());
    let run_id = r.body["id"].clone();
    let again = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-runs"),
            json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert!(again.text.contains("already in progress"), "{}", again.text);

    let run = finished_run(&mut dev, &instance).await;
    assert_eq!(run["id"], run_id);
    assert_eq!(run["report"]["passed"], true, "{}", verdicts(&run));
    for id in [
        "credentials",
        "users.create",
        "users.filter",
        "users.patch",
        "users.deactivate",
    ] {
        assert!(
            run["steps"]
                .as_array()
                .is_some_and(|s| s.iter().any(|s| s["id"] == id && s["verdict"] == "pass")),
            "{id} passed:\n{}",
            verdicts(&run)
        );
    }
    let stored = serde_json::to_string(&run).unwrap_or_default();
    assert!(
        !stored.contains(&token),
        "tokens are redacted in the stored run"
    );
    assert!(stored.contains("[redacted]"));

    // The lease was released: a second run may start.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-runs"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let second = finished_run(&mut dev, &instance).await;
    assert_ne!(second["id"], run_id);
}
both!(credentials_and_a_run_pass_against_scim2_server);

async fn a_wrong_token_fails_at_the_first_step(h: Harness) {
    let (mut dev, instance, _token) = scim_instance(&h).await;
    let (_proxy, base) = fixture::proxy(&["--accept-bearer", "not-the-instance-token"]);
    point_at(&mut dev, &instance, &base).await;

    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-check"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (&r.body["ok"], &r.body["status"]),
        (&json!(false), &json!(401)),
        "{}",
        r.text
    );
    assert!(
        r.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("401"),
        "{}",
        r.text
    );

    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-runs"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let run = finished_run(&mut dev, &instance).await;
    assert_eq!(run["report"]["passed"], false);
    let steps = run["steps"].as_array().cloned().unwrap_or_default();
    assert_eq!(steps.first().map(|s| &s["id"]), Some(&json!("credentials")));
    assert_eq!(steps.first().map(|s| &s["verdict"]), Some(&json!("fail")));
    assert!(
        steps
            .iter()
            .skip(1)
            .filter(|s| s["kind"] == "check")
            .all(|s| s["verdict"] == "skipped"),
        "{}",
        verdicts(&run)
    );
}
both!(a_wrong_token_fails_at_the_first_step);

async fn another_orgs_instance_and_incomplete_settings(h: Harness) {
    let (_dev, instance, _token) = scim_instance(&h).await;
    let mut other = h
        .signed_in("eve@elsewhere.example", &[Role::SuperAdmin])
        .await;
    for path in ["scim-runs", "scim-check"] {
        let r = other
            .post(&format!("/api/v1/instances/{instance}/{path}"), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
    }
    let r = other
        .get(&format!("/api/v1/instances/{instance}/scim-runs/latest"))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}
both!(another_orgs_instance_and_incomplete_settings);

/// The database lease is what keeps two replicas (two processes, each with its own run locks)
/// from running one instance at once: taken once, refused while held, released when the run
/// is saved as ended, and taken over once expired (a replica that died mid-run).
async fn the_lease_allows_one_run_per_instance_across_replicas(h: Harness) {
    use chrono::{Duration as Span, Utc};
    use oin_wizard::domain::scim_report::ScimRun;

    h.account("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let org = h
        .store
        .account_by_email("dev@strawberry.example")
        .await
        .ok()
        .flatten()
        .map(|a| a.org_id)
        .unwrap_or_default();
    let now = Utc::now();
    let run = |id: &str| ScimRun {
        id: id.into(),
        instance_id: "0oa-scim".into(),
        submission_id: "sub-1".into(),
        started_at: now,
        finished_at: None,
        steps: Vec::new(),
        report: None,
    };
    let until = now + Span::minutes(5);
    let first = run("scim-a");
    assert_eq!(
        h.store.start_scim_run(&org, &first, now, until).await.ok(),
        Some(true)
    );
    assert_eq!(
        h.store
            .start_scim_run(&org, &run("scim-b"), now, until)
            .await
            .ok(),
        Some(false),
        "a second replica is refused while the lease is held"
    );
    // Progress does not release it; the end does.
    assert!(h.store.save_scim_run(&org, &first).await.is_ok());
    assert_eq!(
        h.store
            .start_scim_run(&org, &run("scim-c"), now, until)
            .await
            .ok(),
        Some(false)
    );
    let mut ended = first.clone();
    ended.finished_at = Some(now);
    assert!(h.store.save_scim_run(&org, &ended).await.is_ok());
    let latest = h
        .store
        .latest_scim_run(&org, "0oa-scim")
        .await
        .ok()
        .flatten();
    assert_eq!(latest.map(|r| r.finished_at), Some(Some(now)));
    assert_eq!(
        h.store
            .start_scim_run(&org, &run("scim-d"), now, until)
            .await
            .ok(),
        Some(true),
        "released at the end"
    );
    // A lease whose holder died expires.
    let later = until + Span::seconds(1);
    assert_eq!(
        h.store
            .start_scim_run(&org, &run("scim-e"), later, later + Span::minutes(5))
            .await
            .ok(),
        Some(true),
        "an expired lease is taken over"
    );
    let runs = h
        .store
        .latest_scim_runs_of(&org, "sub-1")
        .await
        .ok()
        .unwrap_or_default();
    assert_eq!(runs.len(), 1, "one latest run per instance");
}
both!(the_lease_allows_one_run_per_instance_across_replicas);

/// The SCIM links' requirements in a refused submit (field, message).
async fn link_requirements(dev: &mut Client, id: &str) -> Vec<(String, String)> {
    let r = dev.get(&format!("/api/v1/submissions/{id}")).await;
    let version = r.body["version"].clone();
    let r = dev
        .post(
            &format!("/api/v1/submissions/{id}/submit"),
            json!({ "version": version, "certified": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    r.body["unmet"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|u| {
            let field = u["field"].as_str()?;
            field.starts_with("scimTestResults.").then(|| {
                (
                    field.to_string(),
                    u["message"].as_str().unwrap_or_default().to_string(),
                )
            })
        })
        .collect()
}

/// Issue 15, SPEC 5.5: on the server, a passing run of the current SCIM instance stands in
/// for the two pasted result links; before it, and after a failing run, the links are asked
/// for with the runner named as the other way.
async fn a_passing_run_stands_in_for_the_result_links(h: Harness) {
    let (mut dev, instance, token) = scim_instance(&h).await;
    let id = {
        let r = dev.get("/api/v1/instances").await;
        r.body["items"]
            .as_array()
            .and_then(|list| list.iter().find(|i| i["id"] == instance.as_str()))
            .and_then(|i| i["submissionId"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let links = link_requirements(&mut dev, &id).await;
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(
        links
            .iter()
            .all(|(_, m)| m.contains("or pass Run SCIM tests")),
        "{links:?}"
    );

    // A failing run (wrong token) does not count, and says so.
    let (wrong_proxy, base) = fixture::proxy(&["--accept-bearer", "not-the-instance-token"]);
    point_at(&mut dev, &instance, &base).await;
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-runs"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let run = finished_run(&mut dev, &instance).await;
    assert_eq!(run["report"]["passed"], false);
    let links = link_requirements(&mut dev, &id).await;
    assert_eq!(links.len(), 2, "{links:?}");
    assert!(
        links
            .iter()
            .all(|(_, m)| m.contains("last SCIM test run failed")),
        "{links:?}"
    );
    drop(wrong_proxy);

    // A passing run: the links are no longer asked for.
    let (_proxy, base) = fixture::proxy(&["--accept-bearer", &token]);
    point_at(&mut dev, &instance, &base).await;
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-runs"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let run = finished_run(&mut dev, &instance).await;
    assert_eq!(run["report"]["passed"], true, "{}", verdicts(&run));
    assert_eq!(link_requirements(&mut dev, &id).await, vec![]);

    // The instance then points elsewhere (its variable changed): the run describes other
    // settings, so the links are asked for again.
    point_at(&mut dev, &instance, "http://127.0.0.1:9/v2").await;
    let links = link_requirements(&mut dev, &id).await;
    assert!(
        links
            .iter()
            .all(|(_, m)| m.contains("base URL changed since the last run")),
        "{links:?}"
    );
}
both!(a_passing_run_stands_in_for_the_result_links);
