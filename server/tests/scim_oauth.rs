//! SCIM over OAuth 2.0 (SPEC 4.5, 5.2; issue 11): **Authenticate** through the real router
//! against a small loopback OAuth 2.0 authorization server written here (it checks what
//! RFC 6749 §4.1.3 and RFC 7636 §4.6 require of the server's token requests), with
//! scim2-server behind the runner fixture's proxy as the vendor's SCIM server, accepting only
//! the access token the authorization server issued. On SQLite and PostgreSQL.

mod common;
#[path = "../../scim-runner/tests/fixture/mod.rs"]
mod fixture;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use common::{complete_oidc, Client, Harness, ORIGIN};
use oin_wizard::domain::model::base64;
use oin_wizard::domain::Role;
use serde_json::{json, Value};

const CLIENT_ID: &str = "0oa-vendor-client";
const CLIENT_SECRET: &str = "vendor-client-secret";
const ACCESS_TOKEN: &str = "vendor-access-token-1";
const REFRESH_TOKEN: &str = "vendor-refresh-token-1";

/// What the authorization server saw and issued.
#[derive(Default)]
struct Authz {
    /// Codes it issued: code → (code_challenge, redirect_uri).
    codes: HashMap<String, (String, String)>,
    /// Token requests by grant type.
    grants: Vec<String>,
    /// Every refusal, with why.
    refusals: Vec<String>,
    /// `expires_in` of the code exchange (short: the first use refreshes).
    first_lifetime: i64,
}

type Shared = Arc<Mutex<Authz>>;

fn decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            if let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn pairs(query: &str) -> HashMap<String, String> {
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn s256(verifier: &str) -> String {
    oin_server::http::scim_oauth::s256_challenge(verifier)
}

async fn token(
    State(authz): State<Shared>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, Json<Value>) {
    let form = pairs(&body);
    let mut a = authz.lock().unwrap_or_else(|e| e.into_inner());
    let refuse = |a: &mut Authz, why: &str, error: &str| {
        a.refusals.push(why.to_string());
        (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": error, "error_description": why })),
        )
    };
    // RFC 6749 §2.3.1: client_secret_basic.
    let expected = format!(
        "Basic {}",
        base64::encode(format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes())
    );
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(expected.as_str())
    {
        return refuse(&mut a, "client authentication failed", "invalid_client");
    }
    let grant = form.get("grant_type").cloned().unwrap_or_default();
    a.grants.push(grant.clone());
    match grant.as_str() {
        "authorization_code" => {
            let code = form.get("code").cloned().unwrap_or_default();
            let Some((challenge, redirect)) = a.codes.remove(&code) else {
                return refuse(&mut a, "unknown or used code", "invalid_grant");
            };
            if form.get("redirect_uri") != Some(&redirect) {
                return refuse(
                    &mut a,
                    "redirect_uri differs from the authorization request",
                    "invalid_grant",
                );
            }
            let verifier = form.get("code_verifier").cloned().unwrap_or_default();
            if verifier.len() < 43 || s256(&verifier) != challenge {
                return refuse(
                    &mut a,
                    "code_verifier does not match the S256 challenge",
                    "invalid_grant",
                );
            }
            let lifetime = a.first_lifetime;
            (
                StatusCode::OK,
                Json(json!({
                    "access_token": "expires-at-once", "token_type": "Bearer",
                    "expires_in": lifetime, "refresh_token": REFRESH_TOKEN
                })),
            )
        }
        "refresh_token" => {
            if form.get("refresh_token").map(String::as_str) != Some(REFRESH_TOKEN) {
                return refuse(&mut a, "unknown refresh token", "invalid_grant");
            }
            (
                StatusCode::OK,
                Json(
                    json!({ "access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 3600 }),
                ),
            )
        }
        _ => refuse(&mut a, "unsupported grant", "unsupported_grant_type"),
    }
}

/// Starts the authorization server: (its state, its base URL).
async fn authorization_server() -> (Shared, String) {
    let authz: Shared = Arc::new(Mutex::new(Authz {
        first_lifetime: 30,
        ..Authz::default()
    }));
    let app = Router::new()
        .route("/token", post(token))
        .with_state(authz.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (authz, format!("http://127.0.0.1:{port}"))
}

/// An OIDC + SCIM integration using OAuth 2.0 against `authz_base`, its SCIM instance pointed
/// at `scim_base` with API integration on: (client, submission id, instance id).
async fn oauth_instance(
    h: &Harness,
    authz_base: &str,
    scim_base: &str,
) -> (Client, String, String) {
    let mut dev = h
        .signed_in("dev@strawberry.example", &[Role::SuperAdmin])
        .await;
    let id = dev.new_submission().await["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let port = scim_base
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches("/v2")
        .to_string();
    let r = dev
        .save(&id, |s| {
            complete_oidc(s);
            s["protocols"]["scim"] = json!(true);
            s["variables"] = json!([{ "label": "Port", "name": "port" }]);
            s["scim"]["baseUrl"] = json!("'http://127.0.0.1:' + app.port + '/v2'");
            s["scim"]["authMode"] = json!("oauth2");
            s["scim"]["oauth"] = json!({
                "authorizeEndpoint": format!("{authz_base}/authorize"),
                "tokenEndpoint": format!("{authz_base}/token"),
                "clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET, "scopes": "scim"
            });
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
                "label": "Strawberry SCIM test", "variableValues": { "port": port }
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let instance = r.body["id"].as_str().unwrap_or_default().to_string();
    let r = dev
        .patch(
            &format!("/api/v1/instances/{instance}"),
            json!({ "apiIntegrationEnabled": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    (dev, id, instance)
}

/// The vendor's authorize page, as far as the server can tell: a code bound to the request's
/// challenge and redirect URI, sent back to the redirect URI with the state.
fn authorize(authz: &Shared, authorize_url: &str, code: &str) -> String {
    let (_, query) = authorize_url.split_once('?').unwrap_or_default();
    let p = pairs(query);
    let mut a = authz.lock().unwrap_or_else(|e| e.into_inner());
    a.codes.insert(
        code.into(),
        (p["code_challenge"].clone(), p["redirect_uri"].clone()),
    );
    let redirect = &p["redirect_uri"];
    let path = redirect.trim_start_matches(ORIGIN);
    format!("{path}?code={code}&state={}", p["state"])
}

/// A browser returning from another site: no session cookie (SameSite=Strict).
async fn come_back(h: &Harness, path_and_query: &str) -> common::Answer {
    h.anonymous()
        .raw(
            Request::builder()
                .method(Method::GET)
                .uri(path_and_query)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
}

fn location(r: &common::Answer) -> String {
    r.headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn authenticate_then_test_credentials_and_run(h: Harness) {
    let (authz, authz_base) = authorization_server().await;
    let (_proxy, scim_base) = fixture::proxy(&["--accept-bearer", ACCESS_TOKEN]);
    let (mut dev, sid, instance) = oauth_instance(&h, &authz_base, &scim_base).await;

    // Before Authenticate: the runner says what to do, and calls nothing.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-check"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.body["ok"], false);
    assert!(r.text.contains("choose Authenticate"), "{}", r.text);

    // Authenticate: the vendor's authorize URL with every parameter of the request.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-oauth"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let url = r.body["authorizeUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        url.starts_with(&format!("{authz_base}/authorize?")),
        "{url}"
    );
    let (_, query) = url.split_once('?').unwrap_or_default();
    let p = pairs(query);
    assert_eq!(p["response_type"], "code");
    assert_eq!(p["client_id"], CLIENT_ID);
    assert_eq!(
        p["redirect_uri"],
        format!("{ORIGIN}/api/v1/scim-oauth/callback")
    );
    assert_eq!(p["scope"], "scim");
    assert_eq!(p["code_challenge_method"], "S256");
    assert_eq!(p["code_challenge"].len(), 43);
    assert!(p["state"].len() >= 43);
    assert!(!url.contains(CLIENT_SECRET));
    // The page shows the same whole redirect URI to register.
    let r = dev.get(&format!("/api/v1/testing/{sid}")).await;
    assert_eq!(
        r.body["scimOauthRedirectUri"],
        format!("{ORIGIN}/api/v1/scim-oauth/callback"),
        "{}",
        r.text
    );

    // The vendor sends the browser back: the code is exchanged, back to the Test
    // integration page.
    let back = authorize(&authz, &url, "code-1");
    let r = come_back(&h, &back).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(
        location(&r),
        format!(
            "{ORIGIN}/integrations/{sid}/test?scimOauthInstance={instance}&scimOauth=connected"
        )
    );
    {
        let a = authz.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(a.grants, vec!["authorization_code"], "{:?}", a.refusals);
    }
    // Sealed at rest.
    let org = h
        .store
        .account_by_email("dev@strawberry.example")
        .await
        .ok()
        .flatten()
        .map(|a| a.org_id)
        .unwrap_or_default();
    let sealed = h
        .store
        .scim_oauth_tokens(&org, &instance)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    assert!(!sealed.is_empty());
    for secret in ["expires-at-once", REFRESH_TOKEN] {
        assert!(!sealed.contains(secret), "{secret} is sealed");
    }

    // The state is single use.
    let r = come_back(&h, &back).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    assert!(r.text.contains("already used or expired"), "{}", r.text);

    // Test API Credentials: the 30-second token is refreshed first, then sent.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-check"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(
        (&r.body["ok"], &r.body["status"]),
        (&json!(true), &json!(200)),
        "{}",
        r.text
    );
    assert!(
        !r.text.contains(ACCESS_TOKEN),
        "the token never comes back in a report"
    );
    {
        let a = authz.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(
            a.grants,
            vec!["authorization_code", "refresh_token"],
            "{:?}",
            a.refusals
        );
    }
    // The refreshed token lasts an hour: no second refresh.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-check"),
            json!({}),
        )
        .await;
    assert_eq!(r.body["ok"], true, "{}", r.text);
    assert_eq!(authz.lock().map(|a| a.grants.len()).unwrap_or_default(), 2);

    // Run SCIM tests with the same token.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-runs"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
    let started = std::time::Instant::now();
    let run = loop {
        let r = dev
            .get(&format!("/api/v1/instances/{instance}/scim-runs/latest"))
            .await;
        if !r.body["finishedAt"].is_null() {
            break r.body;
        }
        assert!(started.elapsed().as_secs() < 300, "the run did not end");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(run["report"]["passed"], true, "{run}");
    assert!(!run.to_string().contains(ACCESS_TOKEN));

    // Deleting the instance deletes its tokens: no secret outlives its instance.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/active"),
            json!({ "active": false }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = dev.delete(&format!("/api/v1/instances/{instance}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
    let left = h
        .store
        .scim_oauth_tokens(&org, &instance)
        .await
        .ok()
        .flatten();
    assert_eq!(left, None, "the deleted instance's tokens are gone");
}
both!(authenticate_then_test_credentials_and_run);

async fn refusals_come_back_in_words(h: Harness) {
    let (authz, authz_base) = authorization_server().await;
    let (mut dev, sid, instance) = oauth_instance(&h, &authz_base, "http://127.0.0.1:9/v2").await;

    // The admin refused on the vendor's page.
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-oauth"),
            json!({}),
        )
        .await;
    let url = r.body["authorizeUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let state = pairs(url.split_once('?').map(|(_, q)| q).unwrap_or_default())["state"].clone();
    let r = come_back(
        &h,
        &format!("/api/v1/scim-oauth/callback?error=access_denied&error_description=The+admin+said+no&state={state}"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(
        to.starts_with(&format!("{ORIGIN}/integrations/{sid}/test?")),
        "{to}"
    );
    assert!(to.contains("scimOauth=failed"), "{to}");
    assert!(to.contains("access_denied"), "{to}");

    // A code the authorization server refuses (a verifier it cannot match: another code).
    let r = dev
        .post(
            &format!("/api/v1/instances/{instance}/scim-oauth"),
            json!({}),
        )
        .await;
    let url = r.body["authorizeUrl"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let back = authorize(&authz, &url, "code-2").replace("code=code-2", "code=forged");
    let r = come_back(&h, &back).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        location(&r).contains("scimOauth=failed"),
        "{}",
        location(&r)
    );
    assert!(location(&r).contains("invalid_grant"), "{}", location(&r));

    // No state (400), or one nobody issued (404): nothing to go back to, said in plain text.
    for (path, status) in [
        (
            "/api/v1/scim-oauth/callback?code=x",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/scim-oauth/callback?code=x&state=",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/scim-oauth/callback?code=x&state=made-up",
            StatusCode::NOT_FOUND,
        ),
    ] {
        let r = come_back(&h, path).await;
        assert_eq!(r.status, status, "{path}: {}", r.text);
        assert!(
            r.text.contains("choose Authenticate again"),
            "{path}: {}",
            r.text
        );
    }

    // Another org cannot start it on this instance; a token-mode instance has no Authenticate.
    let mut eve = h
        .signed_in("eve@elsewhere.example", &[Role::SuperAdmin])
        .await;
    let r = eve
        .post(
            &format!("/api/v1/instances/{instance}/scim-oauth"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
}
both!(refusals_come_back_in_words);

#[test]
fn the_pkce_challenge_is_rfc_7636s() {
    // RFC 7636 Appendix B.
    assert_eq!(
        s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
}

/// What a test subscriber wrote.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The request span holds the path only: the callback's code and state (and any query) never
/// reach the log, at any level. (tower-http's default span records the whole URI: this test
/// failed before `http::request_span`.)
#[tokio::test]
async fn the_callbacks_code_and_state_never_reach_the_log() {
    let Some(h) = Harness::new(common::Db::Sqlite).await else {
        return;
    };
    let captured = Captured::default();
    let writer = {
        let captured = captured.clone();
        move || captured.clone()
    };
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(writer)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let r = come_back(
        &h,
        "/api/v1/scim-oauth/callback?code=CODE-SECRET-1&state=STATE-SECRET-2",
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text);
    let log =
        String::from_utf8_lossy(&captured.0.lock().unwrap_or_else(|e| e.into_inner())).to_string();
    assert!(
        log.contains("path=/api/v1/scim-oauth/callback"),
        "the request is logged: {log}"
    );
    for secret in ["CODE-SECRET-1", "STATE-SECRET-2"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}
