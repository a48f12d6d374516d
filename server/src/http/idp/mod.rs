//! The org's identity provider (issue 14): oin-idp's pure protocol core wired to HTTP, the
//! store and the clock. Everything lives under the org's URL (`{public}/orgs/{org}`, the
//! issuer): OpenID Connect ([`oidc`]) and SAML 2.0 ([`saml`]), one sign-in page ([`page`]).
//!
//! **Run test** sets the run cookie ([`RUN_COOKIE`], path = the org URL, HttpOnly,
//! SameSite=Lax so the vendor's redirects carry it); every request the IdP answers for that
//! run is recorded with `oin_idp::check::record` as steps and a network entry of the run
//! ([`record`]). Requests without a cookie (the app's back end at the token endpoint) are tied
//! to the run through the code or token they carry.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use oin_idp::keys::{DatedKey, KeySet, SigningKey};
use oin_idp::Check;
use oin_wizard::domain::{Instance, Org, RunResult, TestCase, TestRun};
use serde::{Deserialize, Serialize};

use crate::context::{AppState, Settings};
use crate::error::{ApiError, ApiResult};
use crate::keys::Keys;
use crate::store::{org_op, IdpItem, Scope, Store, StoredKey};

pub mod oidc;
pub mod page;
pub mod saml;

/// The run cookie's name: it holds the id of the run in progress.
pub const RUN_COOKIE: &str = "oin_run";
/// The identity provider's own sign-in session (not the admin session).
pub const SESSION_COOKIE: &str = "oin_idp_session";
/// The sign-in form's login-CSRF token (double submit): the cookie and the form's hidden
/// `csrf` field must carry the same value, and its hash is kept with the pending request.
pub const CSRF_COOKIE: &str = "oin_idp_csrf";
/// How long a pending sign-in (the request the sign-in page answers) waits.
pub const PENDING_MINUTES: i64 = 15;
/// How long the identity provider's sign-in session lasts.
pub const SESSION_HOURS: i64 = 8;
/// How long a JIT run's one-time credential lasts (a run is finished well before).
pub const JIT_CREDENTIAL_HOURS: i64 = 24;

/// Item kinds in the store.
pub mod kind {
    pub const PENDING: &str = "pending";
    pub const CODE: &str = "code";
    pub const GRANT: &str = "grant";
    pub const SESSION: &str = "session";
    pub const JIT: &str = "jit";
}

/// The routes, under `/orgs/{org_id}`.
pub fn routes() -> Router<AppState> {
    Router::new().merge(oidc::routes()).merge(saml::routes())
}

// ----- Keys -----------------------------------------------------------------------------

fn key_context(kid: &str) -> String {
    format!("idp-key:{kid}")
}

/// The stored signing keys, opened.
pub async fn load_keys(store: &dyn Store, keys: &Keys) -> ApiResult<KeySet> {
    let mut out = Vec::new();
    for stored in store.idp_keys().await? {
        let der = keys
            .open(&key_context(&stored.kid), &stored.sealed_pkcs8)
            .map_err(ApiError::internal)?;
        let key = SigningKey::from_pkcs8_der(&der).map_err(ApiError::internal)?;
        out.push(DatedKey {
            created_at: stored.created_at,
            key,
        });
    }
    Ok(KeySet::new(out))
}

/// Rotation per oin-idp's policy (`KeySet::rotation`): a first key on the first start, a new
/// one when the newest is old, superseded ones deleted. Run at start; answers the key set.
pub async fn rotate_keys(store: &dyn Store, keys: &Keys, now: DateTime<Utc>) -> ApiResult<KeySet> {
    let mut set = load_keys(store, keys).await?;
    let rotation = set.rotation(now);
    if rotation.generate {
        let key = tokio::task::spawn_blocking(SigningKey::generate)
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?;
        let stored = StoredKey {
            kid: key.kid().to_string(),
            created_at: now,
            sealed_pkcs8: keys
                .seal(&key_context(key.kid()), key.pkcs8_der())
                .map_err(ApiError::internal)?,
        };
        store.add_idp_key(&stored).await?;
        tracing::info!(kid = %stored.kid, "identity provider: generated a signing key");
        set.add(DatedKey {
            created_at: now,
            key,
        });
    }
    for kid in rotation.retire {
        store.delete_idp_key(&kid).await?;
        set.retire(&kid);
        tracing::info!(%kid, "identity provider: retired a signing key");
    }
    Ok(set)
}

/// The key set for a request: the stored keys (a first key is made if there is none yet).
pub async fn key_set(state: &AppState) -> ApiResult<KeySet> {
    let set = load_keys(state.store.as_ref(), &state.keys).await?;
    if set.signing_key().is_some() {
        return Ok(set);
    }
    rotate_keys(state.store.as_ref(), &state.keys, super::now()).await
}

// ----- The org's URL ---------------------------------------------------------------------

/// `url` moved from under `old` to under `new` (unchanged when it is not under `old`).
fn rebase(url: &mut String, old: &str, new: &str) {
    if let Some(rest) = url.strip_prefix(old) {
        if rest.is_empty() || rest.starts_with('/') {
            *url = format!("{new}{rest}");
        }
    }
}

/// Moves an org to `new_url`: its URL and the identity provider URLs its instances publish
/// (metadata, SSO, issuer, dashboard tiles), which were made under the old one. Answers
/// whether anything changed.
pub fn move_org(org: &mut Org, new_url: &str) -> bool {
    let old = org.url.trim_end_matches('/').to_string();
    if old == new_url || old.is_empty() {
        return false;
    }
    for instance in &mut org.instances {
        if let Some(d) = instance.details.saml.as_mut() {
            for url in [
                &mut d.metadata_url,
                &mut d.sso_url,
                &mut d.issuer,
                &mut d.idp_flow_url,
            ] {
                rebase(url, &old, new_url);
            }
        }
        if let Some(d) = instance.details.oidc.as_mut() {
            rebase(&mut d.idp_flow_url, &old, new_url);
        }
    }
    org.url = new_url.to_string();
    true
}

/// At start: every org under the server's public URL now (`Settings::org_url`).
pub async fn move_orgs(store: &dyn Store, settings: &Settings) -> ApiResult<()> {
    for org_id in store.org_ids().await? {
        let new_url = settings.org_url(&org_id);
        let moved = org_op(store, &org_id, Scope::OrgOnly, |org, _| {
            let from = org.url.clone();
            Ok(move_org(org, &new_url).then_some(from))
        })
        .await?;
        if let Some(from) = moved {
            tracing::info!(org = %org_id, %from, to = %settings.org_url(&org_id), "org URL follows the public URL");
        }
    }
    Ok(())
}

// ----- The org, the instance and the run --------------------------------------------------

/// The org of an IdP URL (404 page when there is none).
pub async fn org_of(state: &AppState, org_id: &str) -> Result<Org, Response> {
    match state.store.read_org(org_id).await {
        Ok(org) if !org.url.is_empty() => Ok(org),
        Ok(_) => Err(page::error(
            StatusCode::NOT_FOUND,
            "No such org",
            "There is no org at this address.",
        )),
        Err(e) => Err(e.into_response()),
    }
}

/// The value of cookie `name`.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The run the run cookie names, when it is in progress and tests `instance_id`.
pub fn run_of<'a>(org: &'a Org, headers: &HeaderMap, instance_id: &str) -> Option<&'a TestRun> {
    let id = cookie(headers, RUN_COOKIE)?;
    oin_idp::assignment::run_in_progress(org, id, instance_id).ok()
}

/// The `Set-Cookie` of the run cookie (Run test), scoped to the org URL.
pub fn run_cookie(settings: &Settings, org_id: &str, run_id: &str) -> Option<HeaderValue> {
    let secure = if settings.https() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{RUN_COOKIE}={run_id}; Path=/orgs/{org_id}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

/// The full URL of a request the IdP received (for the run's record, redacted there).
pub fn full_url(settings: &Settings, uri: &axum::http::Uri) -> String {
    format!(
        "{}{}",
        settings.public_url,
        uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
    )
}

/// Records one request the IdP answered as the run's network entry and steps (nothing when
/// there is no run, or it has ended).
#[allow(clippy::too_many_arguments)]
pub async fn record(
    state: &AppState,
    org_id: &str,
    run_id: Option<&str>,
    method: &str,
    url: &str,
    status: u16,
    what: &str,
    checks: &[Check],
) {
    let Some(run_id) = run_id else { return };
    let (network, steps) = oin_idp::check::record(super::now(), method, url, status, what, checks);
    let run_id = run_id.to_string();
    let result = org_op(
        state.store.as_ref(),
        org_id,
        Scope::OrgOnly,
        move |org, _| {
            if let Some(run) = org
                .test_runs
                .iter_mut()
                .find(|r| r.id == run_id && r.result == RunResult::InProgress)
            {
                run.network.push(network);
                run.steps.extend(steps);
            }
            Ok(())
        },
    )
    .await;
    if let Err(e) = result {
        tracing::warn!(error = ?e, "identity provider: could not record a request of a run");
    }
}

// ----- Sign-in ------------------------------------------------------------------------------

/// What the sign-in page answers: an OIDC authorization or a SAML sign-in.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PendingRequest {
    Oidc(oin_idp::oidc::ValidAuthorization),
    Saml(oin_idp::saml::SsoRequest),
}

/// A request waiting for the sign-in page.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pending {
    pub instance_id: String,
    pub run_id: Option<String>,
    pub request: PendingRequest,
    /// SHA-256 of the login-CSRF token of the browser the sign-in page was shown to.
    #[serde(default)]
    pub csrf_hash: String,
}

/// The browser's login-CSRF token for a sign-in page: the one its cookie already holds (so
/// several sign-in pages open at once stay valid), or a new one with its `Set-Cookie`.
pub fn csrf_token(
    state: &AppState,
    org_id: &str,
    browser: Option<&str>,
) -> ApiResult<(String, Option<HeaderValue>)> {
    if let Some(t) = browser.filter(|t| {
        (32..=128).contains(&t.len())
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }) {
        return Ok((t.to_string(), None));
    }
    let token = state.keys.token("", 32).map_err(ApiError::internal)?;
    let secure = if state.settings.https() {
        "; Secure"
    } else {
        ""
    };
    let cookie = HeaderValue::from_str(&format!(
        "{CSRF_COOKIE}={token}; Path=/orgs/{org_id}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok();
    Ok((token, cookie))
}

/// Whether a sign-in form came from the sign-in page shown to this browser: the cookie and
/// the form carry the same token, and it is the one the pending request was shown with. A
/// forged cross-site POST (login CSRF: the victim's browser signed in as the attacker) has
/// neither.
pub fn csrf_ok(pending: &Pending, cookie_token: Option<&str>, form_token: Option<&str>) -> bool {
    match (cookie_token, form_token) {
        (Some(c), Some(f)) if !c.is_empty() && !pending.csrf_hash.is_empty() => {
            same_secret(c, f) && same_secret(&crate::keys::token_hash(c), &pending.csrf_hash)
        }
        _ => false,
    }
}

/// Stores a pending request; answers its id (the sign-in form carries it).
pub async fn put_pending(state: &AppState, org_id: &str, pending: &Pending) -> ApiResult<String> {
    let id = state.keys.token("", 32).map_err(ApiError::internal)?;
    let now = super::now();
    let item = IdpItem {
        kind: kind::PENDING.into(),
        key: id.clone(),
        org_id: org_id.into(),
        parent: String::new(),
        body: serde_json::to_string(pending).map_err(ApiError::internal)?,
        expires_at: now + Duration::minutes(PENDING_MINUTES),
    };
    state.store.put_idp_item(&item, now).await?;
    Ok(id)
}

/// A pending request of this org.
pub async fn pending(state: &AppState, org_id: &str, id: &str) -> ApiResult<Option<Pending>> {
    match state
        .store
        .idp_item(kind::PENDING, id, super::now())
        .await?
    {
        Some(item) if item.org_id == org_id => Ok(serde_json::from_str(&item.body).ok()),
        _ => Ok(None),
    }
}

/// The identity provider session the session cookie names (any user of this org).
pub async fn session(
    state: &AppState,
    org_id: &str,
    headers: &HeaderMap,
) -> ApiResult<Option<oin_idp::oidc::Session>> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    match state
        .store
        .idp_item(kind::SESSION, &crate::keys::token_hash(token), super::now())
        .await?
    {
        Some(item) if item.org_id == org_id => Ok(serde_json::from_str(&item.body).ok()),
        _ => Ok(None),
    }
}

/// Starts an identity provider session for `user_id`; answers its `Set-Cookie`.
pub async fn start_session(
    state: &AppState,
    org_id: &str,
    user_id: &str,
    now: DateTime<Utc>,
) -> ApiResult<Option<HeaderValue>> {
    let token = state.keys.token("", 32).map_err(ApiError::internal)?;
    let item = IdpItem {
        kind: kind::SESSION.into(),
        key: crate::keys::token_hash(&token),
        org_id: org_id.into(),
        parent: String::new(),
        body: serde_json::to_string(&oin_idp::oidc::Session {
            user_id: user_id.into(),
            auth_time: now,
        })
        .map_err(ApiError::internal)?,
        expires_at: now + Duration::hours(SESSION_HOURS),
    };
    state.store.put_idp_item(&item, now).await?;
    let secure = if state.settings.https() {
        "; Secure"
    } else {
        ""
    };
    Ok(HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/orgs/{org_id}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok())
}

fn same_secret(a: &str, b: &str) -> bool {
    let da = ring::digest::digest(&ring::digest::SHA256, a.as_bytes());
    let db = ring::digest::digest(&ring::digest::SHA256, b.as_bytes());
    da.as_ref()
        .iter()
        .zip(db.as_ref())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

fn is_jit(run: Option<&TestRun>) -> bool {
    run.is_some_and(|r| matches!(r.case, Some(TestCase::JitWithIdp | TestCase::JitWithSp)))
}

/// The password check of the sign-in page: a JIT run's temporary user with the one-time
/// credential Run test showed; otherwise the test account of the instance's submission
/// (Test information, SPEC 5.1). The message never says which half was wrong.
pub async fn check_password(
    state: &AppState,
    org_id: &str,
    instance: &Instance,
    run: Option<&TestRun>,
    username: &str,
    password: &str,
) -> ApiResult<Result<(), String>> {
    let wrong = || Err("The username or password is wrong".to_string());
    if is_jit(run) {
        let (Some(run), Some(temp)) = (run, run.and_then(|r| r.jit_user.as_ref())) else {
            return Ok(wrong());
        };
        let item = state
            .store
            .idp_item(kind::JIT, &run.id, super::now())
            .await?;
        let ok = temp.email.eq_ignore_ascii_case(username.trim())
            && item.is_some_and(|i| crate::keys::verify_password(&i.body, password));
        return Ok(if ok { Ok(()) } else { wrong() });
    }
    let Some(submission) = state
        .store
        .get_submission(org_id, &instance.submission_id)
        .await?
    else {
        return Ok(Err(
            "The integration of this instance no longer exists".into()
        ));
    };
    let source = oin_wizard::domain::testing::instance_source(&submission, instance);
    let info = &source.test_info;
    if info.username.trim().is_empty() || info.password.is_empty() {
        return Ok(Err(
            "The integration's Test information has no test account (username and password)".into(),
        ));
    }
    let ok = info.username.trim().eq_ignore_ascii_case(username.trim())
        && same_secret(&info.password, password);
    Ok(if ok { Ok(()) } else { wrong() })
}

/// Run test of a JIT case: a one-time credential for the temporary user, kept as an argon2
/// hash until the run ends; answers the credential (shown once).
pub async fn issue_jit_credential(
    state: &AppState,
    org_id: &str,
    run: &TestRun,
) -> ApiResult<Option<String>> {
    if !is_jit(Some(run)) || run.jit_user.is_none() {
        return Ok(None);
    }
    let password = state.keys.token("", 20).map_err(ApiError::internal)?;
    let hash = crate::keys::hash_password(&state.keys, &password).map_err(ApiError::internal)?;
    let now = super::now();
    state
        .store
        .put_idp_item(
            &IdpItem {
                kind: kind::JIT.into(),
                key: run.id.clone(),
                org_id: org_id.into(),
                parent: String::new(),
                body: hash,
                expires_at: now + Duration::hours(JIT_CREDENTIAL_HOURS),
            },
            now,
        )
        .await?;
    Ok(Some(password))
}

/// Continue: the run's one-time credential is forgotten.
pub async fn end_run(state: &AppState, run_id: &str) -> ApiResult<()> {
    state.store.delete_idp_item(kind::JIT, run_id).await
}

/// Whether the IdP recorded any request for the run (Continue warns when it saw none): the
/// run's own entries (sign-in window opened, JIT user) have status 0 or are API calls.
pub fn saw_requests(run: &TestRun) -> bool {
    run.network.iter().any(|n| {
        n.status != 0
            && [
                "/oauth2/v1/",
                "/sso/saml",
                "/home/oidc/",
                "/home/saml/",
                "/idp/sign-in",
            ]
            .iter()
            .any(|p| n.url.contains(p))
    })
}
