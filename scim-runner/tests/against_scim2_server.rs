//! The runner against servers nobody here wrote: scim2-server (PyPI) as the vendor's SCIM
//! server, directly or behind tests/fixtures/fixture.py's proxy (other authentication modes,
//! deliberately broken rules). Traffic stays on loopback.

mod fixture;

use std::time::{Duration, Instant};

use oin_scim_runner::report::{StepKind, Verdict};
use oin_scim_runner::{run_scim_tests, test_credentials, Auth, Declared, Report, RunConfig};
use oin_wizard::domain::model::{GroupOperations, UserOperations};

fn everything() -> Declared {
    Declared {
        users: UserOperations {
            create: true,
            read: true,
            update: true,
            change_password: true,
            deactivate: true,
            patch: true,
            import_user_schema: true,
            import_users: true,
        },
        groups: Some(GroupOperations::default()),
    }
}

fn config(base: &str, auth: Auth, declared: Declared) -> RunConfig {
    let mut c = RunConfig::new(base, auth, declared);
    c.allow_local = true;
    c
}

fn bearer(token: &str) -> Auth {
    Auth::Bearer {
        token: token.into(),
    }
}

fn summary(r: &Report) -> String {
    r.steps
        .iter()
        .map(|s| format!("{:?} {} — {}", s.verdict, s.id, s.reason))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every id of a full run, in order, when everything is declared.
const FULL_RUN: &[&str] = &[
    "credentials",
    "discovery.serviceProviderConfig",
    "discovery.schemas",
    "discovery.resourceTypes",
    "users.create",
    "users.get",
    "users.filter",
    "users.list",
    "users.replace",
    "users.patch",
    "users.password",
    "users.duplicate",
    "users.unknownId",
    "groups.create",
    "groups.get",
    "groups.filter",
    "groups.addMember",
    "groups.removeMember",
    "groups.rename",
    "groups.delete",
    "users.deactivate",
];

/// The userName the run created (from the create request's body).
fn created_user_name(r: &Report) -> String {
    let body = r
        .step("users.create")
        .and_then(|s| s.exchanges.first())
        .and_then(|e| e.request.body.clone());
    let v: serde_json::Value = serde_json::from_str(&body.expect("create body")).expect("json");
    v["userName"].as_str().expect("userName").to_string()
}

/// A plain client for looking at scim2-server behind the runner's back.
fn direct() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn json_of(response: reqwest::Response) -> serde_json::Value {
    serde_json::from_slice(&response.bytes().await.expect("body")).expect("json")
}

async fn users_named(user_name: &str) -> u64 {
    let filter: String =
        url::form_urlencoded::byte_serialize(format!("userName eq \"{user_name}\"").as_bytes())
            .collect();
    let url = format!("{}/Users?filter={filter}", fixture::upstream_base());
    let response = direct()
        .get(url)
        .bearer_auth(fixture::UPSTREAM_TOKEN)
        .send()
        .await
        .expect("upstream");
    json_of(response).await["totalResults"]
        .as_u64()
        .expect("totalResults")
}

/// Every request of a run with its answer's status, the run's random parts replaced by
/// placeholders: `{base}`, `{tag}`, `{userId}`, `{groupId}`, `{unknownId}`.
fn transcript(r: &Report) -> String {
    let response_id = |step: &str| -> Option<String> {
        let body = &r.step(step)?.exchanges.first()?.response.as_ref()?.body;
        let v: serde_json::Value = serde_json::from_str(body).ok()?;
        v["id"].as_str().map(str::to_string)
    };
    let user_name = created_user_name(r);
    let tag = user_name
        .trim_start_matches("oin-runner-")
        .trim_end_matches("@example.com")
        .to_string();
    let unknown = r
        .step("users.unknownId")
        .and_then(|s| s.exchanges.first())
        .and_then(|e| e.request.url.rsplit('/').next().map(str::to_string));
    let mut swaps = vec![
        (r.base_url.clone(), "{base}".to_string()),
        (tag, "{tag}".to_string()),
    ];
    for (value, name) in [
        (response_id("users.create"), "{userId}"),
        (response_id("groups.create"), "{groupId}"),
        (unknown, "{unknownId}"),
    ] {
        if let Some(v) = value {
            swaps.push((v, name.to_string()));
        }
    }
    let mut out = String::new();
    for step in &r.steps {
        out.push_str(&format!("# {} ({:?})\n", step.id, step.verdict));
        for ex in &step.exchanges {
            let status = ex
                .response
                .as_ref()
                .map(|r| r.status.to_string())
                .unwrap_or_else(|| "-".into());
            let mut line = format!("{} {} -> {status}\n", ex.request.method, ex.request.url);
            if let Some(body) = &ex.request.body {
                line.push_str(&format!("  {body}\n"));
            }
            for (from, to) in &swaps {
                line = line.replace(from.as_str(), to);
            }
            out.push_str(&line);
        }
    }
    out
}

/// The exact requests a full run sends (STYLE: golden tests of the bytes a protocol module
/// emits). `UPDATE_GOLDEN=1` rewrites the file after a deliberate change.
fn assert_golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs (UPDATE_GOLDEN=1 rewrites it):\n{actual}",
        path.display()
    );
}

#[tokio::test]
async fn passes_every_check_against_scim2_server_and_cleans_up() {
    let started = Instant::now();
    let report = run_scim_tests(&config(
        &fixture::upstream_base(),
        bearer(fixture::UPSTREAM_TOKEN),
        everything(),
    ))
    .await;
    eprintln!(
        "full run: {} ms, {:?}\n{}",
        started.elapsed().as_millis(),
        report.counts,
        summary(&report)
    );
    let checks: Vec<&str> = report
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Check)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(checks, FULL_RUN, "{}", summary(&report));
    assert!(report.passed, "{}", summary(&report));
    assert_eq!(report.counts.passed as usize, FULL_RUN.len());
    assert_eq!((report.counts.failed, report.counts.skipped), (0, 0));
    // Cleanup removed the test user (the group was removed by groups.delete).
    let cleanup: Vec<_> = report
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Cleanup)
        .collect();
    assert_eq!(cleanup.len(), 1, "{}", summary(&report));
    assert!(cleanup.iter().all(|s| s.verdict == Verdict::Pass));
    assert!(report.leftovers.is_empty());
    assert_eq!(users_named(&created_user_name(&report)).await, 0);
    // Every step has a rule with a section, and records its traffic with timing.
    for step in report.steps.iter().filter(|s| s.kind == StepKind::Check) {
        let rule = step.rule.as_ref().expect("rule");
        assert!(
            rule.document.starts_with("RFC ") && !rule.section.is_empty(),
            "{}",
            step.id
        );
        assert!(!step.exchanges.is_empty(), "{}", step.id);
        for ex in &step.exchanges {
            assert!(ex.response.is_some(), "{}: {:?}", step.id, ex.error);
        }
    }
    // No secret in the serialized report: the token and the password are redacted.
    let json = serde_json::to_string(&report).expect("serialize");
    assert!(!json.contains(fixture::UPSTREAM_TOKEN));
    assert!(json.contains("Bearer [redacted]"));
    let password_step = report.step("users.password").expect("password step");
    let body = password_step.exchanges[0]
        .request
        .body
        .as_deref()
        .unwrap_or("");
    assert!(body.contains("\"password\":\"[redacted]\""), "{body}");
    let back: Report = serde_json::from_str(&json).expect("round trip");
    assert_eq!(back, report);
    assert_golden("full_run.txt", &transcript(&report));
}

#[tokio::test]
async fn an_observer_sees_each_step_as_it_completes() {
    let mut seen: Vec<(String, Verdict)> = Vec::new();
    let mut on_step = |step: &oin_scim_runner::Step| seen.push((step.id.clone(), step.verdict));
    let declared = Declared {
        users: UserOperations {
            create: true,
            ..UserOperations::default()
        },
        groups: None,
    };
    let c = config(
        &fixture::upstream_base(),
        bearer(fixture::UPSTREAM_TOKEN),
        declared,
    );
    let report = oin_scim_runner::run_scim_tests_observed(&c, &mut on_step).await;
    let ids: Vec<(String, Verdict)> = report
        .steps
        .iter()
        .map(|s| (s.id.clone(), s.verdict))
        .collect();
    assert_eq!(seen, ids);
    assert!(report.passed, "{}", summary(&report));
}

#[tokio::test]
async fn header_mode_passes_through_a_proxy_that_checks_the_raw_header() {
    let (_proxy, base) = fixture::proxy(&["--accept-header", "raw-header-token-91"]);
    let report = run_scim_tests(&config(
        &base,
        Auth::Header {
            token: "raw-header-token-91".into(),
        },
        everything(),
    ))
    .await;
    assert!(report.passed, "{}", summary(&report));
    assert_eq!(report.counts.passed as usize, FULL_RUN.len());
    let auth = &report.steps[0].exchanges[0].request.headers;
    assert!(
        auth.contains(&("Authorization".into(), "[redacted]".into())),
        "{auth:?}"
    );
}

#[tokio::test]
async fn oauth2_client_credentials_obtains_a_token_then_passes() {
    let (_proxy, base) = fixture::proxy(&[
        "--oauth-client",
        "oin-client:client-secret-55",
        "--oauth-token",
        "issued-access-token-77",
    ]);
    let token_endpoint = base.replace("/v2", "/oauth/token");
    let auth = Auth::OAuth2ClientCredentials {
        token_endpoint: token_endpoint.clone(),
        client_id: "oin-client".into(),
        client_secret: "client-secret-55".into(),
        scopes: "scim".into(),
    };
    let report = run_scim_tests(&config(&base, auth.clone(), everything())).await;
    assert_eq!(report.steps[0].id, "auth.token");
    assert!(report.passed, "{}", summary(&report));
    assert_eq!(report.counts.passed as usize, FULL_RUN.len() + 1);
    let json = serde_json::to_string(&report).expect("serialize");
    for secret in [
        "client-secret-55",
        "issued-access-token-77",
        "b2luLWNsaWVudDpjbGllbnQtc2VjcmV0LTU1",
    ] {
        assert!(!json.contains(secret), "{secret} leaked");
    }
    // A token the server already holds (authorization code grant) is sent as a bearer token.
    let held = Auth::OAuth2AccessToken {
        access_token: "issued-access-token-77".into(),
    };
    let report = test_credentials(&config(&base, held, everything())).await;
    assert!(report.passed, "{}", summary(&report));
    assert_eq!(
        report.steps[0].exchanges[0].request.headers[1],
        ("Authorization".into(), "Bearer [redacted]".into())
    );
    // A wrong secret: the token step fails with the endpoint's error and nothing else runs.
    let wrong = Auth::OAuth2ClientCredentials {
        token_endpoint,
        client_id: "oin-client".into(),
        client_secret: "not-the-secret".into(),
        scopes: String::new(),
    };
    let report = test_credentials(&config(&base, wrong, everything())).await;
    let token = report.step("auth.token").expect("token step");
    assert_eq!(token.verdict, Verdict::Fail);
    assert!(
        token
            .reason
            .contains("refused the request (401 Unauthorized): invalid_client"),
        "{}",
        token.reason
    );
    assert_eq!(
        report.step("credentials").map(|s| s.verdict),
        Some(Verdict::Skipped)
    );
}

#[tokio::test]
async fn a_wrong_token_fails_at_the_first_step_with_a_clear_message() {
    let report = run_scim_tests(&config(
        &fixture::upstream_base(),
        bearer("not-the-token"),
        everything(),
    ))
    .await;
    let first = &report.steps[0];
    assert_eq!(
        (first.id.as_str(), first.verdict),
        ("credentials", Verdict::Fail),
        "{}",
        summary(&report)
    );
    assert!(
        first
            .reason
            .starts_with("The SCIM server refused the credentials (401 Unauthorized"),
        "{}",
        first.reason
    );
    assert!(first.reason.contains("Check the token"), "{}", first.reason);
    assert!(!report.passed);
    assert_eq!(
        (
            report.counts.failed as usize,
            report.counts.skipped as usize
        ),
        (1, FULL_RUN.len() - 1)
    );
    for step in &report.steps[1..] {
        assert_eq!(step.verdict, Verdict::Skipped, "{}", step.id);
        assert!(
            step.reason.contains("Test API Credentials failed"),
            "{}",
            step.reason
        );
        assert!(step.exchanges.is_empty());
    }
    // Header mode against a server that wants a bearer token: the hint says so.
    let report = test_credentials(&config(
        &fixture::upstream_base(),
        Auth::Header {
            token: fixture::UPSTREAM_TOKEN.into(),
        },
        everything(),
    ))
    .await;
    assert!(
        report.steps[0]
            .reason
            .contains("choose the Bearer authentication mode"),
        "{}",
        report.steps[0].reason
    );
}

#[tokio::test]
async fn test_api_credentials_reports_status_and_latency() {
    let report = test_credentials(&config(
        &fixture::upstream_base(),
        bearer(fixture::UPSTREAM_TOKEN),
        everything(),
    ))
    .await;
    assert_eq!(report.steps.len(), 1);
    let step = &report.steps[0];
    assert_eq!(step.verdict, Verdict::Pass, "{}", step.reason);
    assert!(
        step.reason
            .starts_with("Answered 200 with a SCIM ListResponse in "),
        "{}",
        step.reason
    );
    assert_eq!(
        step.exchanges[0].request.url,
        format!("{}/Users?count=1", fixture::upstream_base())
    );
    assert_eq!(
        step.exchanges[0].response.as_ref().map(|r| r.status),
        Some(200)
    );
    assert!(report.passed);
}

#[tokio::test]
async fn test_api_credentials_names_what_was_wrong() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_port = closed.local_addr().expect("addr").port();
    drop(closed);
    let (_tls, tls_base) = fixture::proxy(&["--tls"]);
    let (_forbidden, forbidden) = fixture::proxy(&["--break", "forbidden"]);
    let (_html, html) = fixture::proxy(&["--break", "html-login"]);
    let (_urn, urn) = fixture::proxy(&["--break", "wrong-urn"]);
    let rows = [
        (
            format!("http://127.0.0.1:{closed_port}/v2"),
            "Connection refused",
        ),
        (
            tls_base.replace("http://", "https://"),
            "TLS: invalid peer certificate",
        ),
        (forbidden, "may not list users (403 Forbidden"),
        (html, "not SCIM JSON: it has Content-Type text/html"),
        (
            urn,
            "Wrong schema URN: \"schemas\" is [urn:scim:schemas:core:1.0]",
        ),
        (
            format!("{}/nope", fixture::upstream_base()),
            "No SCIM Users endpoint at",
        ),
    ];
    for (base, want) in rows {
        let report = test_credentials(&config(
            &base,
            bearer(fixture::UPSTREAM_TOKEN),
            everything(),
        ))
        .await;
        let step = &report.steps[0];
        assert_eq!(step.verdict, Verdict::Fail, "{base}");
        assert!(step.reason.contains(want), "{base}: {}", step.reason);
    }
}

/// A check expected to fail, and words its reason must contain.
type Expected = (&'static str, &'static str);

/// Each break fails exactly the checks it affects, with the reason; the rest still pass.
#[tokio::test]
async fn a_broken_fixture_fails_exactly_the_affected_checks() {
    let rows: &[(&[&str], &[Expected])] = &[
        (
            &["no-filter"],
            &[
                (
                    "users.filter",
                    "Does the server ignore the filter parameter?",
                ),
                (
                    "groups.filter",
                    "Does the server ignore the filter parameter?",
                ),
            ],
        ),
        (
            &["create-200"],
            &[(
                "users.create",
                "POST /Users answered 200 OK; expected 201 Created.",
            )],
        ),
        (
            &["not-found-html"],
            &[(
                "users.unknownId",
                "not SCIM JSON: it has Content-Type text/html",
            )],
        ),
        (
            &["no-filter", "create-200", "not-found-html"],
            &[
                ("users.create", "expected 201 Created"),
                ("users.filter", "ignore the filter"),
                ("users.unknownId", "text/html"),
                ("groups.filter", "ignore the filter"),
            ],
        ),
    ];
    for (breaks, want) in rows {
        let mut args = Vec::new();
        for b in *breaks {
            args.extend(["--break", b]);
        }
        let (_proxy, base) = fixture::proxy(&args);
        let report = run_scim_tests(&config(
            &base,
            bearer(fixture::UPSTREAM_TOKEN),
            everything(),
        ))
        .await;
        let failed = report.ids_with(Verdict::Fail);
        let want_ids: Vec<&str> = FULL_RUN
            .iter()
            .copied()
            .filter(|id| want.iter().any(|(w, _)| w == id))
            .collect();
        assert_eq!(failed, want_ids, "{breaks:?}\n{}", summary(&report));
        for (id, text) in *want {
            let step = report.step(id).expect("step");
            assert!(
                step.reason.contains(text),
                "{breaks:?} {id}: {}",
                step.reason
            );
        }
        assert_eq!(
            report.counts.passed as usize,
            FULL_RUN.len() - want.len(),
            "{breaks:?}"
        );
        assert!(
            report.leftovers.is_empty(),
            "{breaks:?}: {:?}",
            report.leftovers
        );
        eprintln!(
            "{breaks:?}: {:?} in {} ms",
            report.counts, report.duration_ms
        );
    }
}

#[tokio::test]
async fn redirects_are_reported_never_followed() {
    let (_proxy, base) = fixture::proxy(&["--break", "redirect"]);
    let report = run_scim_tests(&config(
        &base,
        bearer(fixture::UPSTREAM_TOKEN),
        everything(),
    ))
    .await;
    let first = &report.steps[0];
    assert_eq!(first.verdict, Verdict::Fail);
    assert!(first.reason.contains("302 Found"), "{}", first.reason);
    assert!(
        first
            .reason
            .contains("does not follow redirects (to http://169.254.169.254/latest/meta-data/)"),
        "{}",
        first.reason
    );
    let requests: usize = report.steps.iter().map(|s| s.exchanges.len()).sum();
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn per_request_timeout_and_size_limit() {
    let (_proxy, base) = fixture::proxy(&["--break", "slow", "--slow-seconds", "30"]);
    let mut c = config(&base, bearer(fixture::UPSTREAM_TOKEN), everything());
    c.limits.request_timeout = Duration::from_millis(500);
    let started = Instant::now();
    let report = test_credentials(&c).await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the 30 s answer was not awaited"
    );
    assert!(
        report.steps[0]
            .reason
            .starts_with("Timeout: no complete response within 0.5 s"),
        "{}",
        report.steps[0].reason
    );

    let mut c = config(
        &fixture::upstream_base(),
        bearer(fixture::UPSTREAM_TOKEN),
        everything(),
    );
    c.limits.max_response_bytes = 64;
    let report = test_credentials(&c).await;
    assert!(
        report.steps[0].reason.contains("larger than 64 bytes"),
        "{}",
        report.steps[0].reason
    );
}

#[tokio::test]
async fn run_time_limit_skips_the_remaining_checks() {
    // /ServiceProviderConfig answers after 30 s: the run's 3 s run out while waiting for it.
    let (_proxy, base) = fixture::proxy(&[
        "--slow-when",
        "ServiceProviderConfig",
        "--slow-seconds",
        "30",
    ]);
    let mut c = config(&base, bearer(fixture::UPSTREAM_TOKEN), everything());
    c.limits.request_timeout = Duration::from_secs(10);
    c.limits.run_timeout = Duration::from_secs(3);
    let report = run_scim_tests(&c).await;
    assert_eq!(
        report.step("credentials").map(|s| s.verdict),
        Some(Verdict::Pass),
        "{}",
        summary(&report)
    );
    let spc = report.step("discovery.serviceProviderConfig").expect("spc");
    assert!(
        spc.reason
            .starts_with("Timeout: no complete response within"),
        "{}",
        spc.reason
    );
    for id in ["discovery.schemas", "users.create", "users.deactivate"] {
        assert_eq!(
            report.step(id).map(|s| s.reason.as_str()),
            Some("Skipped: the run's time limit was reached."),
            "{id}"
        );
    }
    assert!(
        report.steps.iter().all(|s| s.kind == StepKind::Check),
        "nothing created, nothing to clean"
    );
    assert!(report.duration_ms < 5_000, "{}", report.duration_ms);
}

#[tokio::test]
async fn cleanup_runs_after_time_is_up() {
    // The run creates its user, then its 5 s run out while listing (answers to startIndex=
    // take 30 s): the rest is skipped, and cleanup still deletes the user.
    let (_proxy, base) = fixture::proxy(&["--slow-when", "startIndex=", "--slow-seconds", "30"]);
    let mut c = config(&base, bearer(fixture::UPSTREAM_TOKEN), everything());
    c.limits.request_timeout = Duration::from_secs(10);
    c.limits.run_timeout = Duration::from_secs(5);
    let report = run_scim_tests(&c).await;
    eprintln!("{}", summary(&report));
    assert_eq!(
        report.step("users.create").map(|s| s.verdict),
        Some(Verdict::Pass),
        "{}",
        summary(&report)
    );
    let list = report.step("users.list").expect("list");
    assert!(list.reason.starts_with("Timeout"), "{}", list.reason);
    assert!(report
        .ids_with(Verdict::Skipped)
        .contains(&"users.deactivate"));
    let cleanup = report
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Cleanup)
        .expect("cleanup step");
    assert_eq!(cleanup.verdict, Verdict::Pass, "{}", cleanup.reason);
    assert!(report.leftovers.is_empty());
    assert_eq!(users_named(&created_user_name(&report)).await, 0);
}

#[tokio::test]
async fn a_user_the_server_will_not_delete_is_deactivated_and_listed_as_a_leftover() {
    let (_proxy, base) = fixture::proxy(&["--break", "no-user-delete"]);
    let mut declared = everything();
    declared.users.deactivate = false;
    declared.groups = None;
    let report = run_scim_tests(&config(&base, bearer(fixture::UPSTREAM_TOKEN), declared)).await;
    // Cleanup is not a check: the run still passes, and says what is left.
    assert!(report.passed, "{}", summary(&report));
    let cleanup = report
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Cleanup)
        .expect("cleanup");
    assert_eq!(cleanup.verdict, Verdict::Fail);
    assert!(
        cleanup.reason.starts_with("Could not delete it (405 Method Not Allowed). It was deactivated instead (active false). Delete the user oin-runner-"),
        "{}",
        cleanup.reason
    );
    let user_name = created_user_name(&report);
    assert_eq!(report.leftovers.len(), 1);
    assert_eq!(
        (
            report.leftovers[0].resource_type.as_str(),
            report.leftovers[0].name.as_str()
        ),
        ("User", user_name.as_str())
    );
    // It really is inactive on the server; remove it for the other tests.
    let url = format!(
        "{}/Users/{}",
        fixture::upstream_base(),
        report.leftovers[0].id
    );
    let user = json_of(
        direct()
            .get(&url)
            .bearer_auth(fixture::UPSTREAM_TOKEN)
            .send()
            .await
            .expect("get"),
    )
    .await;
    assert_eq!(user["active"], serde_json::json!(false));
    direct()
        .delete(&url)
        .bearer_auth(fixture::UPSTREAM_TOKEN)
        .send()
        .await
        .expect("delete");
    assert_eq!(users_named(&user_name).await, 0);
}

#[tokio::test]
async fn local_addresses_are_refused_without_the_flag() {
    let port = fixture::upstream_port();
    let rows = [
        (
            format!("http://127.0.0.1:{port}/v2"),
            "uses http: the runner calls only https URLs",
        ),
        (
            format!("https://127.0.0.1:{port}/v2"),
            "127.0.0.1 is a loopback address",
        ),
        (
            format!("https://localhost:{port}/v2"),
            "localhost resolves to",
        ),
        (
            format!("https://[::ffff:127.0.0.1]:{port}/v2"),
            "is a loopback address",
        ),
    ];
    for (url, want) in rows {
        let mut c = config(&url, bearer(fixture::UPSTREAM_TOKEN), everything());
        c.allow_local = false;
        let report = run_scim_tests(&c).await;
        let first = &report.steps[0];
        assert_eq!(first.verdict, Verdict::Fail, "{url}");
        assert!(
            first.reason.starts_with("Not called: ") && first.reason.contains(want),
            "{url}: {}",
            first.reason
        );
        assert!(first.exchanges[0].response.is_none());
    }
}

#[tokio::test]
async fn read_only_declaration_checks_reads_and_changes_nothing() {
    // Make sure the server has a user to read.
    let user_name = format!("read-only-{}@example.com", std::process::id());
    let response = direct()
        .post(format!("{}/Users", fixture::upstream_base()))
        .bearer_auth(fixture::UPSTREAM_TOKEN)
        .header("content-type", "application/scim+json")
        .body(serde_json::json!({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":user_name}).to_string())
        .send()
        .await
        .expect("create");
    let created = json_of(response).await;
    let declared = Declared {
        users: UserOperations::default(),
        groups: None,
    };
    let report = run_scim_tests(&config(
        &fixture::upstream_base(),
        bearer(fixture::UPSTREAM_TOKEN),
        declared,
    ))
    .await;
    assert!(report.passed, "{}", summary(&report));
    assert_eq!(
        report.ids_with(Verdict::Pass),
        [
            "credentials",
            "discovery.serviceProviderConfig",
            "discovery.schemas",
            "discovery.resourceTypes",
            "users.get",
            "users.filter",
            "users.list",
            "users.unknownId"
        ]
    );
    let skipped = report.ids_with(Verdict::Skipped);
    assert_eq!(
        skipped,
        [
            "users.create",
            "users.replace",
            "users.patch",
            "users.password",
            "users.duplicate",
            "users.deactivate"
        ]
    );
    assert_eq!(
        report.step("users.patch").map(|s| s.reason.as_str()),
        Some("Skipped: Support PATCH for User isn't declared.")
    );
    assert!(
        report.steps.iter().all(|s| s.kind == StepKind::Check),
        "nothing created, nothing to clean"
    );
    let methods: Vec<&str> = report
        .steps
        .iter()
        .flat_map(|s| &s.exchanges)
        .map(|e| e.request.method.as_str())
        .collect();
    assert!(methods.iter().all(|m| *m == "GET"), "{methods:?}");
    assert!(created["id"].is_string());
}

async fn scim2_cli_test(base: &str) -> (bool, usize, Vec<String>) {
    let out = tokio::process::Command::new(fixture::venv_bin("scim2"))
        .args(["--url", base, "test"])
        .env(
            "SCIM_CLI_HEADERS",
            format!("Authorization: Bearer {}", fixture::UPSTREAM_TOKEN),
        )
        .output()
        .await
        .expect("scim2 test");
    let text = String::from_utf8_lossy(&out.stdout);
    let successes = text.lines().filter(|l| l.starts_with("SUCCESS")).count();
    let errors = text
        .lines()
        .filter(|l| l.starts_with("ERROR") || l.starts_with("CRITICAL"))
        .map(str::to_string)
        .collect();
    (out.status.success(), successes, errors)
}

/// The independent tester agrees the fixture is sound, and can tell when it is not.
#[tokio::test]
async fn scim2_cli_also_passes_against_the_same_fixture() {
    let (ok, successes, errors) = scim2_cli_test(&fixture::upstream_base()).await;
    eprintln!("scim2 test: {successes} SUCCESS, {} ERROR", errors.len());
    assert!(ok && errors.is_empty(), "{errors:?}");
    assert!(successes >= 100, "{successes}");
    // The same tool fails behind the proxy that answers 200 to a create.
    let (_proxy, broken) = fixture::proxy(&["--break", "create-200"]);
    let (ok, successes, errors) = scim2_cli_test(&broken).await;
    eprintln!(
        "scim2 test, create-200: {successes} SUCCESS, {} ERROR",
        errors.len()
    );
    assert!(
        !ok && errors.iter().any(|e| e == "ERROR object_creation"),
        "{errors:?}"
    );
}
