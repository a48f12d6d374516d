//! OpenID Connect provider endpoints of an org (issue 14), at the paths oin-idp's
//! `Provider::at_org` names under the org URL: discovery, JWKS, authorize, token, userinfo,
//! and the IdP flow (third-party initiated login with `iss`).

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use oin_idp::check::{Check, CheckKind};
use oin_idp::oidc::{
    self, AccessGrant, AuthorizationCode, AuthorizeError, Client, Next, Params, Provider, Session,
    TokenError, UserProfile, ValidAuthorization,
};
use oin_wizard::domain::{Instance, Org};
use serde::{Deserialize, Serialize};

use super::{full_url, kind, org_of, page, record, run_of};
use crate::context::AppState;
use crate::http::now;
use crate::store::IdpItem;

/// An authorization code as stored (under `secret_key(code)`), with the run it belongs to.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredCode {
    code: AuthorizationCode,
    run_id: Option<String>,
}

/// An access grant as stored (under `secret_key(token)`), with its run.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredGrant {
    grant: AccessGrant,
    run_id: Option<String>,
}

/// How long a code's record is kept after it expires, so a late reuse is still recognised
/// (and revokes its grants) rather than looking unknown.
const CODE_RECORD_MINUTES: i64 = 60;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/orgs/{org_id}/.well-known/openid-configuration",
            get(discovery),
        )
        .route("/orgs/{org_id}/oauth2/v1/keys", get(jwks))
        .route("/orgs/{org_id}/oauth2/v1/authorize", get(authorize))
        .route("/orgs/{org_id}/oauth2/v1/token", axum::routing::post(token))
        .route(
            "/orgs/{org_id}/oauth2/v1/userinfo",
            get(userinfo).post(userinfo),
        )
        .route("/orgs/{org_id}/home/oidc/{instance_id}", get(initiate))
        .route(
            "/orgs/{org_id}/idp/sign-in",
            axum::routing::post(super::saml::sign_in),
        )
}

fn json_no_store(value: impl Serialize) -> Response {
    let mut response = Json(value).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn discovery(State(state): State<AppState>, Path(org_id): Path<String>) -> Response {
    match org_of(&state, &org_id).await {
        Ok(org) => Json(Provider::at_org(&org.url).discovery()).into_response(),
        Err(r) => r,
    }
}

async fn jwks(State(state): State<AppState>, Path(org_id): Path<String>) -> Response {
    if let Err(r) = org_of(&state, &org_id).await {
        return r;
    }
    match super::key_set(&state).await {
        Ok(set) => {
            let mut response = (
                [(header::CONTENT_TYPE, "application/jwk-set+json")],
                set.jwks().to_json(),
            )
                .into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=300"),
            );
            response
        }
        Err(e) => e.into_response(),
    }
}

/// A redirect (the browser follows it with GET).
pub fn redirect(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(v) => {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(header::LOCATION, v);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(_) => page::error(
            StatusCode::BAD_REQUEST,
            "Cannot redirect",
            "The address to return to is not a valid URL.",
        ),
    }
}

/// `scheme://host[:port]` of a URL.
pub fn origin_of(url: &str) -> Option<&str> {
    let start = url.find("://")? + 3;
    let end = url[start..]
        .find(['/', '?', '#'])
        .map(|i| start + i)
        .unwrap_or(url.len());
    Some(&url[..end])
}

fn instance_by_client<'a>(org: &'a Org, client_id: Option<&str>) -> Option<&'a Instance> {
    let id = client_id?;
    org.instances
        .iter()
        .find(|i| i.details.oidc.as_ref().is_some_and(|d| d.client_id == id))
}

/// The run named by the cookie: in progress and for this instance, or (unknown client) any
/// run in progress.
fn run_id_for(org: &Org, headers: &HeaderMap, instance: Option<&Instance>) -> Option<String> {
    match instance {
        Some(i) => run_of(org, headers, &i.id).map(|r| r.id.clone()),
        None => {
            let id = super::cookie(headers, super::RUN_COOKIE)?;
            org.test_runs
                .iter()
                .find(|r| r.id == id && r.result == oin_wizard::domain::RunResult::InProgress)
                .map(|r| r.id.clone())
        }
    }
}

async fn authorize(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let org = match org_of(&state, &org_id).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let provider = Provider::at_org(&org.url);
    let params = Params::from_urlencoded(uri.query().unwrap_or(""));
    let instance = instance_by_client(&org, params.get("client_id"));
    let client = instance.and_then(Client::of_instance);
    let run_id = run_id_for(&org, &headers, instance);
    let url = full_url(&state.settings, &uri);
    let what = "Authorization request";
    let auth = oidc::validate_authorization(&provider, client.as_ref(), &params);
    let checks = auth.checks;
    match (auth.outcome, instance) {
        (Err(AuthorizeError::Page(p)), _) => {
            record(
                &state,
                &org_id,
                run_id.as_deref(),
                "GET",
                &url,
                400,
                what,
                &checks,
            )
            .await;
            page::error(StatusCode::BAD_REQUEST, &p.error, &p.description)
        }
        (Err(AuthorizeError::Redirect { url: to, .. }), _) => {
            record(
                &state,
                &org_id,
                run_id.as_deref(),
                "GET",
                &url,
                303,
                what,
                &checks,
            )
            .await;
            redirect(&to)
        }
        (Ok(_), None) => page::error(StatusCode::BAD_REQUEST, "invalid_request", "Unknown client"),
        (Ok(valid), Some(instance)) => {
            let session = match super::session(&state, &org_id, &headers).await {
                Ok(s) => s,
                Err(e) => return e.into_response(),
            };
            let step = Step {
                org: &org,
                org_id: &org_id,
                instance,
                run_id,
                method: "GET",
                url: &url,
                what,
                csrf_cookie: super::cookie(&headers, super::CSRF_COOKIE),
            };
            proceed(&state, &step, valid, checks, session, None).await
        }
    }
}

/// One request's context for [`proceed`].
pub struct Step<'a> {
    pub org: &'a Org,
    pub org_id: &'a str,
    pub instance: &'a Instance,
    pub run_id: Option<String>,
    pub method: &'a str,
    pub url: &'a str,
    pub what: &'a str,
    /// The browser's login-CSRF cookie, if it has one ([`super::csrf_token`]).
    pub csrf_cookie: Option<&'a str>,
}

/// After a valid authorization request (`signed_in`: the email the user just signed in
/// with): the sign-in page, or a code, or an error redirect.
pub async fn proceed(
    state: &AppState,
    step: &Step<'_>,
    valid: ValidAuthorization,
    mut checks: Vec<Check>,
    session: Option<Session>,
    signed_in: Option<&str>,
) -> Response {
    let now = now();
    let provider = Provider::at_org(&step.org.url);
    let org = step.org;
    let run = step
        .run_id
        .as_deref()
        .and_then(|id| oin_idp::assignment::run_in_progress(org, id, &step.instance.id).ok());
    // A session whose user is gone, or who may not sign in for this run, is no session.
    let session_user = session.as_ref().and_then(|s| {
        let user = org.users.iter().find(|u| u.id == s.user_id)?;
        let (ok, _) = oin_idp::assignment::sign_in_user(org, &step.instance.id, &user.email, run);
        ok.ok().map(|u| u.email.clone())
    });
    let session = if signed_in.is_some() {
        session
    } else {
        session.filter(|_| session_user.is_some())
    };
    let (next, check) = oidc::next_step(
        &provider,
        &valid,
        session.as_ref(),
        signed_in.is_some(),
        now,
    );
    checks.push(check);
    let rec = |status: u16, checks: Vec<Check>| async move {
        record(
            state,
            step.org_id,
            step.run_id.as_deref(),
            step.method,
            step.url,
            status,
            step.what,
            &checks,
        )
        .await;
    };
    match next {
        Next::Fail(AuthorizeError::Redirect { url: to, .. }) => {
            rec(303, checks).await;
            redirect(&to)
        }
        Next::Fail(AuthorizeError::Page(p)) => {
            rec(400, checks).await;
            page::error(StatusCode::BAD_REQUEST, &p.error, &p.description)
        }
        Next::SignIn => {
            let (csrf, set_cookie) = match super::csrf_token(state, step.org_id, step.csrf_cookie) {
                Ok(t) => t,
                Err(e) => return e.into_response(),
            };
            let pending = super::Pending {
                instance_id: step.instance.id.clone(),
                run_id: step.run_id.clone(),
                request: super::PendingRequest::Oidc(valid.clone()),
                csrf_hash: crate::keys::token_hash(&csrf),
            };
            let id = match super::put_pending(state, step.org_id, &pending).await {
                Ok(id) => id,
                Err(e) => return e.into_response(),
            };
            rec(200, checks).await;
            let mut response = super::saml::sign_in_page(
                state,
                step.org_id,
                step.instance,
                run,
                (&id, &csrf),
                None,
                origin_of(&valid.redirect_uri),
            )
            .await;
            if let Some(c) = set_cookie {
                response.headers_mut().append(header::SET_COOKIE, c);
            }
            response
        }
        Next::Issue => {
            let email = signed_in
                .map(str::to_string)
                .or(session_user)
                .unwrap_or_default();
            let auth_time = session.as_ref().map(|s| s.auth_time).unwrap_or(now);
            let (user, check) =
                oin_idp::assignment::sign_in_user(org, &step.instance.id, &email, run);
            let assigned = user.is_ok();
            checks.push(check);
            let profile = user.map(UserProfile::of_user).unwrap_or(UserProfile {
                sub: String::new(),
                email: email.clone(),
                given_name: String::new(),
                family_name: String::new(),
                preferred_username: email.clone(),
            });
            let code = match oin_idp::keys::random_token() {
                Ok(c) => c,
                Err(e) => return crate::error::ApiError::internal(e).into_response(),
            };
            let issued =
                oidc::issue_code(&provider, &valid, &profile, assigned, auth_time, &code, now);
            checks.extend(
                issued
                    .checks
                    .into_iter()
                    .filter(|c| c.kind != CheckKind::Assignment),
            );
            match issued.outcome {
                Ok((record_, to)) => {
                    if let Err(e) =
                        store_code(state, step.org_id, &record_, step.run_id.clone(), now).await
                    {
                        return e.into_response();
                    }
                    rec(303, checks).await;
                    redirect(&to)
                }
                Err(AuthorizeError::Redirect { url: to, .. }) => {
                    rec(303, checks).await;
                    redirect(&to)
                }
                Err(AuthorizeError::Page(p)) => {
                    rec(400, checks).await;
                    page::error(StatusCode::BAD_REQUEST, &p.error, &p.description)
                }
            }
        }
    }
}

async fn store_code(
    state: &AppState,
    org_id: &str,
    code: &AuthorizationCode,
    run_id: Option<String>,
    now: DateTime<Utc>,
) -> crate::error::ApiResult<()> {
    let item = IdpItem {
        kind: kind::CODE.into(),
        key: code.key.clone(),
        org_id: org_id.into(),
        parent: String::new(),
        body: serde_json::to_string(&StoredCode {
            code: code.clone(),
            run_id,
        })
        .map_err(crate::error::ApiError::internal)?,
        expires_at: code.expires_at + chrono::Duration::minutes(CODE_RECORD_MINUTES),
    };
    state.store.put_idp_item(&item, now).await
}

fn token_error(e: &TokenError) -> Response {
    let status = StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        e.body(),
    )
        .into_response();
    let headers = response.headers_mut();
    for (k, v) in oidc::TOKEN_RESPONSE_HEADERS {
        if let (Ok(k), Ok(v)) = (
            header::HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            headers.insert(k, v);
        }
    }
    if let Some(w) = e
        .www_authenticate
        .as_deref()
        .and_then(|w| HeaderValue::from_str(w).ok())
    {
        headers.insert(header::WWW_AUTHENTICATE, w);
    }
    response
}

async fn token(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> Response {
    let org = match org_of(&state, &org_id).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let now = now();
    let provider = Provider::at_org(&org.url);
    let url = full_url(&state.settings, &uri);
    let what = "Token request";
    let form = Params::from_urlencoded(&String::from_utf8_lossy(&body));
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let (credentials, check) = oidc::client_credentials(authorization, &form);
    let mut checks = vec![check];
    // The code ties this back-channel request to its run.
    let item = match form.get("code") {
        Some(code) => match state
            .store
            .idp_item(kind::CODE, &oidc::secret_key(code), now)
            .await
        {
            Ok(i) => i.filter(|i| i.org_id == org_id),
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let stored: Option<StoredCode> = item
        .as_ref()
        .and_then(|i| serde_json::from_str(&i.body).ok());
    let run_id = stored.as_ref().and_then(|s| s.run_id.clone());
    let credentials = match credentials {
        Ok(c) => c,
        Err(e) => {
            record(
                &state,
                &org_id,
                run_id.as_deref(),
                "POST",
                &url,
                e.status,
                what,
                &checks,
            )
            .await;
            return token_error(&e);
        }
    };
    let client =
        instance_by_client(&org, Some(&credentials.client_id)).and_then(Client::of_instance);
    let keys = match super::key_set(&state).await {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    let Some(key) = keys.signing_key() else {
        return crate::error::ApiError::internal("no signing key").into_response();
    };
    let access_token = match oin_idp::keys::random_token() {
        Ok(t) => t,
        Err(e) => return crate::error::ApiError::internal(e).into_response(),
    };
    let mut code = stored.as_ref().map(|s| s.code.clone());
    let exchange = oidc::exchange_code(
        &provider,
        key,
        client.as_ref(),
        &credentials,
        &form,
        code.as_mut(),
        &access_token,
        now,
    );
    checks.extend(exchange.checks);
    let mut outcome = exchange.outcome;
    // Save the spent code back, compare-and-set: of two concurrent redemptions one wins.
    if let (Some(item), Some(stored), Some(code)) = (&item, &stored, code) {
        if code != stored.code {
            let body = serde_json::to_string(&StoredCode {
                code,
                run_id: run_id.clone(),
            })
            .unwrap_or_default();
            match state
                .store
                .replace_idp_item(kind::CODE, &item.key, &item.body, &body)
                .await
            {
                Ok(true) => {}
                Ok(false) => {
                    let d =
                        "The authorization code was redeemed by another request at the same time";
                    checks.push(Check::fail(CheckKind::Code, "RFC 6749 §4.1.2", d));
                    outcome = Err(TokenError {
                        status: 400,
                        error: "invalid_grant".into(),
                        description: d.into(),
                        www_authenticate: None,
                    });
                }
                Err(e) => return e.into_response(),
            }
        }
    }
    if let Some(code_key) = &exchange.revoke_code_grants {
        match state.store.delete_idp_children(kind::GRANT, code_key).await {
            Ok(n) => checks.push(Check::warn(
                CheckKind::Code,
                "RFC 6749 §4.1.2",
                format!("The code was used before: {n} access token(s) issued with it revoked"),
            )),
            Err(e) => return e.into_response(),
        }
    }
    match outcome {
        Ok((response, grant)) => {
            let item = IdpItem {
                kind: kind::GRANT.into(),
                key: grant.key.clone(),
                org_id: org_id.clone(),
                parent: grant.code_key.clone(),
                body: serde_json::to_string(&StoredGrant {
                    grant: grant.clone(),
                    run_id: run_id.clone(),
                })
                .unwrap_or_default(),
                expires_at: grant.expires_at,
            };
            if let Err(e) = state.store.put_idp_item(&item, now).await {
                return e.into_response();
            }
            record(
                &state,
                &org_id,
                run_id.as_deref(),
                "POST",
                &url,
                200,
                what,
                &checks,
            )
            .await;
            let mut r = json_no_store(response);
            r.headers_mut()
                .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
            r
        }
        Err(e) => {
            record(
                &state,
                &org_id,
                run_id.as_deref(),
                "POST",
                &url,
                e.status,
                what,
                &checks,
            )
            .await;
            token_error(&e)
        }
    }
}

async fn userinfo(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    method: axum::http::Method,
) -> Response {
    let now = now();
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let token = match oidc::bearer_token(authorization) {
        Ok(t) => t,
        Err(e) => return token_error(&e),
    };
    let item = match state
        .store
        .idp_item(kind::GRANT, &oidc::secret_key(token), now)
        .await
    {
        Ok(i) => i.filter(|i| i.org_id == org_id),
        Err(e) => return e.into_response(),
    };
    let stored: Option<StoredGrant> = item.and_then(|i| serde_json::from_str(&i.body).ok());
    let (result, check) = oidc::userinfo(stored.as_ref().map(|s| &s.grant), now);
    let run_id = stored.as_ref().and_then(|s| s.run_id.clone());
    let url = full_url(&state.settings, &uri);
    let status = result.as_ref().map(|_| 200).unwrap_or_else(|e| e.status);
    record(
        &state,
        &org_id,
        run_id.as_deref(),
        method.as_str(),
        &url,
        status,
        "UserInfo request",
        &[check],
    )
    .await;
    match result {
        Ok(claims) => json_no_store(claims),
        Err(e) => token_error(&e),
    }
}

async fn initiate(
    State(state): State<AppState>,
    Path((org_id, instance_id)): Path<(String, String)>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let org = match org_of(&state, &org_id).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some((instance, client)) = org
        .instances
        .iter()
        .find(|i| i.id == instance_id)
        .and_then(|i| Some((i, Client::of_instance(i)?)))
    else {
        return page::error(
            StatusCode::NOT_FOUND,
            "No such app",
            "There is no OpenID Connect app instance at this address.",
        );
    };
    let run_id = run_of(&org, &headers, &instance.id).map(|r| r.id.clone());
    let provider = Provider::at_org(&org.url);
    let (result, check) = oidc::initiate_login(&provider, &client, None);
    let url = full_url(&state.settings, &uri);
    let what = "IdP-initiated sign-in";
    match result {
        Ok(to) => {
            record(
                &state,
                &org_id,
                run_id.as_deref(),
                "GET",
                &url,
                303,
                what,
                &[check],
            )
            .await;
            redirect(&to)
        }
        Err(why) => {
            record(
                &state,
                &org_id,
                run_id.as_deref(),
                "GET",
                &url,
                400,
                what,
                &[check],
            )
            .await;
            page::error(StatusCode::BAD_REQUEST, "No IdP flow", &why)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origins() {
        assert_eq!(
            origin_of("http://127.0.0.1:3000/cb?x=1"),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(origin_of("https://a.example"), Some("https://a.example"));
        assert_eq!(origin_of("nope"), None);
    }
}
