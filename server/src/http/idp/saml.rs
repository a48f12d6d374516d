//! SAML 2.0 identity provider endpoints of an org's instances (issue 14): metadata, single
//! sign-on (HTTP-Redirect and HTTP-POST), the IdP flow (`{org}/home/saml/{id}`), and the
//! sign-in page both protocols share.

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use oin_idp::check::{Check, CheckKind};
use oin_idp::keys::{Certificate, KeySet};
use oin_idp::oidc::{Params, Session};
use oin_idp::saml::{self, Binding, IdentityProvider, ServiceProvider, SsoRequest};
use oin_wizard::domain::{Instance, Org, TestRun};

use super::{full_url, org_of, page, record, run_of};
use crate::context::AppState;
use crate::error::ApiError;
use crate::http::now;

/// The certificates' common name.
const CERT_NAME: &str = "OIN Wizard identity provider";
/// A key's certificate is valid from its creation for this long.
const CERT_YEARS: i64 = 10;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/orgs/{org_id}/app/{instance_id}/sso/saml/metadata",
            get(metadata),
        )
        .route(
            "/orgs/{org_id}/app/{instance_id}/sso/saml",
            get(sso).post(sso),
        )
        .route("/orgs/{org_id}/home/saml/{instance_id}", get(idp_flow))
}

fn certificate(key: &oin_idp::SigningKey, created: DateTime<Utc>) -> Result<Certificate, ApiError> {
    key.self_signed_certificate(
        CERT_NAME,
        created,
        created + Duration::days(365 * CERT_YEARS),
    )
    .map_err(ApiError::internal)
}

fn certificates(set: &KeySet) -> Result<Vec<Certificate>, ApiError> {
    set.keys()
        .map(|k| certificate(&k.key, k.created_at))
        .collect()
}

fn saml_instance<'a>(org: &'a Org, instance_id: &str) -> Option<(&'a Instance, IdentityProvider)> {
    let i = org.instances.iter().find(|i| i.id == instance_id)?;
    Some((i, IdentityProvider::of_instance(i)?))
}

fn no_app() -> Response {
    page::error(
        StatusCode::NOT_FOUND,
        "No such app",
        "There is no SAML app instance at this address.",
    )
}

async fn metadata(
    State(state): State<AppState>,
    Path((org_id, instance_id)): Path<(String, String)>,
) -> Response {
    let org = match org_of(&state, &org_id).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some((_, idp)) = saml_instance(&org, &instance_id) else {
        return no_app();
    };
    let certs = match super::key_set(&state).await.and_then(|s| certificates(&s)) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    (
        [(header::CONTENT_TYPE, "application/samlmetadata+xml")],
        idp.metadata(&certs),
    )
        .into_response()
}

async fn service_provider(
    state: &AppState,
    org_id: &str,
    instance: &Instance,
) -> Result<ServiceProvider, Response> {
    let submission = match state
        .store
        .get_submission(org_id, &instance.submission_id)
        .await
    {
        Ok(Some(s)) => s,
        Ok(None) => {
            return Err(page::error(
                StatusCode::NOT_FOUND,
                "No integration",
                "The integration of this app instance no longer exists.",
            ))
        }
        Err(e) => return Err(e.into_response()),
    };
    let source = oin_wizard::domain::testing::instance_source(&submission, instance);
    ServiceProvider::resolve(source, instance).map_err(|why| {
        page::error(
            StatusCode::BAD_REQUEST,
            "The app's SAML settings are incomplete",
            &why,
        )
    })
}

async fn sso(
    State(state): State<AppState>,
    Path((org_id, instance_id)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> Response {
    let org = match org_of(&state, &org_id).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some((instance, idp)) = saml_instance(&org, &instance_id) else {
        return no_app();
    };
    let sp = match service_provider(&state, &org_id, instance).await {
        Ok(sp) => sp,
        Err(r) => return r,
    };
    let (binding, params) = if method == Method::POST {
        (
            Binding::Post,
            Params::from_urlencoded(&String::from_utf8_lossy(&body)),
        )
    } else {
        (
            Binding::Redirect,
            Params::from_urlencoded(uri.query().unwrap_or("")),
        )
    };
    let run_id = run_of(&org, &headers, &instance.id).map(|r| r.id.clone());
    let url = full_url(&state.settings, &uri);
    let what = "SAML AuthnRequest";
    let sso = saml::sp_initiated(
        &idp,
        &sp,
        binding,
        params.get("SAMLRequest").unwrap_or(""),
        params.get("RelayState"),
    );
    match sso.outcome {
        Err(p) => {
            record(
                &state,
                &org_id,
                run_id.as_deref(),
                method.as_str(),
                &url,
                400,
                what,
                &sso.checks,
            )
            .await;
            page::error(StatusCode::BAD_REQUEST, &p.title, &p.description)
        }
        Ok(request) => {
            let session = match super::session(&state, &org_id, &headers).await {
                Ok(s) => s,
                Err(e) => return e.into_response(),
            };
            let step = Step {
                org: &org,
                org_id: &org_id,
                instance,
                idp: &idp,
                sp: &sp,
                run_id,
                method: method.as_str(),
                url: &url,
                what,
                csrf_cookie: super::cookie(&headers, super::CSRF_COOKIE),
            };
            answer(&state, &step, request, sso.checks, session, None).await
        }
    }
}

async fn idp_flow(
    State(state): State<AppState>,
    Path((org_id, instance_id)): Path<(String, String)>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
) -> Response {
    let org = match org_of(&state, &org_id).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some((instance, idp)) = saml_instance(&org, &instance_id) else {
        return no_app();
    };
    let sp = match service_provider(&state, &org_id, instance).await {
        Ok(sp) => sp,
        Err(r) => return r,
    };
    let run_id = run_of(&org, &headers, &instance.id).map(|r| r.id.clone());
    let url = full_url(&state.settings, &uri);
    let (request, checks) = saml::idp_initiated(&sp);
    let session = match super::session(&state, &org_id, &headers).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let step = Step {
        org: &org,
        org_id: &org_id,
        instance,
        idp: &idp,
        sp: &sp,
        run_id,
        method: "GET",
        url: &url,
        what: "IdP-initiated SAML sign-in",
        csrf_cookie: super::cookie(&headers, super::CSRF_COOKIE),
    };
    answer(&state, &step, request, checks, session, None).await
}

/// One SAML request's context.
pub struct Step<'a> {
    pub org: &'a Org,
    pub org_id: &'a str,
    pub instance: &'a Instance,
    pub idp: &'a IdentityProvider,
    pub sp: &'a ServiceProvider,
    pub run_id: Option<String>,
    pub method: &'a str,
    pub url: &'a str,
    pub what: &'a str,
    /// The browser's login-CSRF cookie, if it has one ([`super::csrf_token`]).
    pub csrf_cookie: Option<&'a str>,
}

/// The auto-posting form page with its CSP: only its own script (by hash), posting only to
/// the ACS URL's origin.
fn post_page(response: &saml::SignedResponse) -> Response {
    let action = super::oidc::origin_of(&response.acs_url).unwrap_or("'none'");
    let csp = format!(
        "default-src 'none'; script-src {}; form-action {action}; frame-ancestors 'none'; base-uri 'none'",
        saml::post_form_script_csp()
    );
    page::with_csp(StatusCode::OK, &csp, saml::post_form(response))
}

/// After a valid SAML request: the sign-in page, a signed Response in the auto-posting form,
/// or a signed error Response / error page.
async fn answer(
    state: &AppState,
    step: &Step<'_>,
    request: SsoRequest,
    mut checks: Vec<Check>,
    session: Option<Session>,
    signed_in: Option<&str>,
) -> Response {
    let now = now();
    let org = step.org;
    let run = step
        .run_id
        .as_deref()
        .and_then(|id| oin_idp::assignment::run_in_progress(org, id, &step.instance.id).ok());
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
    let (need, check) =
        saml::needs_sign_in(step.sp, &request, session.is_some(), signed_in.is_some());
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
    let keys = match super::key_set(state).await {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    let Some(dated) = keys.keys().next() else {
        return ApiError::internal("no signing key").into_response();
    };
    let cert = match certificate(&dated.key, dated.created_at) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let signer = saml::Signer {
        key: &dated.key,
        certificate: &cert,
    };
    let random = || oin_idp::keys::random_token().map(|t| saml::saml_id(&t));
    let error_response = |status: saml::ErrorStatus, message: &str| {
        let id = random().map_err(ApiError::internal)?;
        saml::respond_error(step.idp, &request, status, message, &id, now, signer)
            .map_err(ApiError::internal)
    };
    match need {
        Err(why) => {
            if request.in_response_to.is_none() {
                rec(400, checks).await;
                return page::error(StatusCode::BAD_REQUEST, "Sign-in needed", &why);
            }
            match error_response(saml::ErrorStatus::NoPassive, &why) {
                Ok(r) => {
                    rec(200, checks).await;
                    post_page(&r)
                }
                Err(e) => e.into_response(),
            }
        }
        Ok(true) => {
            let (csrf, set_cookie) = match super::csrf_token(state, step.org_id, step.csrf_cookie) {
                Ok(t) => t,
                Err(e) => return e.into_response(),
            };
            let pending = super::Pending {
                instance_id: step.instance.id.clone(),
                run_id: step.run_id.clone(),
                request: super::PendingRequest::Saml(request.clone()),
                csrf_hash: crate::keys::token_hash(&csrf),
            };
            let id = match super::put_pending(state, step.org_id, &pending).await {
                Ok(id) => id,
                Err(e) => return e.into_response(),
            };
            rec(200, checks).await;
            let mut response = sign_in_page(
                state,
                step.org_id,
                step.instance,
                run,
                (&id, &csrf),
                None,
                None,
            )
            .await;
            if let Some(c) = set_cookie {
                response.headers_mut().append(header::SET_COOKIE, c);
            }
            response
        }
        Ok(false) => {
            let email = signed_in
                .map(str::to_string)
                .or(session_user)
                .unwrap_or_default();
            let auth_time = session.as_ref().map(|s| s.auth_time).unwrap_or(now);
            let (user, check) =
                oin_idp::assignment::sign_in_user(org, &step.instance.id, &email, run);
            checks.push(check);
            let user = match user {
                Ok(u) => u,
                Err(why) => {
                    if request.in_response_to.is_none() {
                        rec(403, checks).await;
                        return page::error(StatusCode::FORBIDDEN, "Access denied", &why);
                    }
                    return match error_response(saml::ErrorStatus::RequestDenied, &why) {
                        Ok(r) => {
                            rec(200, checks).await;
                            post_page(&r)
                        }
                        Err(e) => e.into_response(),
                    };
                }
            };
            let saml_user =
                saml::SamlUser::of_user(user, oin_idp::assignment::group_names(org, &user.id));
            let (Ok(response_id), Ok(assertion_id)) = (random(), random()) else {
                return ApiError::internal("no randomness").into_response();
            };
            let input = saml::ResponseInput {
                response_id: &response_id,
                assertion_id: &assertion_id,
                now,
                auth_instant: auth_time,
                user: &saml_user,
            };
            match saml::respond(step.idp, step.sp, &request, &input, signer) {
                Ok(r) => {
                    checks.extend(r.checks.iter().cloned());
                    rec(200, checks).await;
                    post_page(&r)
                }
                Err(e) => ApiError::internal(e).into_response(),
            }
        }
    }
}

/// The sign-in page for a pending request of `instance`.
pub async fn sign_in_page(
    state: &AppState,
    org_id: &str,
    instance: &Instance,
    run: Option<&TestRun>,
    (request_id, csrf): (&str, &str),
    error: Option<&str>,
    redirect_origin: Option<&str>,
) -> Response {
    let _ = state;
    let jit_user = run
        .filter(|r| {
            matches!(
                r.case,
                Some(
                    oin_wizard::domain::TestCase::JitWithIdp
                        | oin_wizard::domain::TestCase::JitWithSp
                )
            )
        })
        .and_then(|r| r.jit_user.as_ref());
    let (hint, username) = match jit_user {
        Some(u) => (
            format!(
                "This JIT test signs in as its temporary user {}, with the one-time password Run test showed.",
                u.email
            ),
            u.email.clone(),
        ),
        None => (
            "Sign in with the test account of the integration's Test information.".to_string(),
            String::new(),
        ),
    };
    page::sign_in(&page::SignInPage {
        org_id,
        request_id,
        csrf,
        app_label: &instance.label,
        hint: &hint,
        username: &username,
        error,
        redirect_origin,
    })
}

/// `POST {org}/idp/sign-in`: the sign-in page's form, for either protocol.
pub async fn sign_in(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    body: Bytes,
) -> Response {
    let form = Params::from_urlencoded(&String::from_utf8_lossy(&body));
    let expired = || {
        page::error(
            StatusCode::BAD_REQUEST,
            "This sign-in has expired",
            "Start the sign-in again from the app.",
        )
    };
    let Some(request_id) = form.get("request") else {
        return expired();
    };
    let pending = match super::pending(&state, &org_id, request_id).await {
        Ok(Some(p)) => p,
        Ok(None) => return expired(),
        Err(e) => return e.into_response(),
    };
    let org = match org_of(&state, &org_id).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let Some(instance) = org.instances.iter().find(|i| i.id == pending.instance_id) else {
        return expired();
    };
    // The cookie names the run (an HTTP-POST AuthnRequest from another site carried none).
    let run = run_of(&org, &headers, &instance.id).or_else(|| {
        pending
            .run_id
            .as_deref()
            .and_then(|id| oin_idp::assignment::run_in_progress(&org, id, &instance.id).ok())
    });
    let run_id = run.map(|r| r.id.clone());
    let url = full_url(&state.settings, &uri);
    // Login CSRF: only the sign-in page this browser was shown may sign it in.
    let csrf_cookie = super::cookie(&headers, super::CSRF_COOKIE);
    let Some(csrf) =
        csrf_cookie.filter(|_| super::csrf_ok(&pending, csrf_cookie, form.get("csrf")))
    else {
        let why = "The sign-in form was not sent from the sign-in page shown to this browser, so it is refused (login CSRF protection). Start the sign-in again from the app.";
        let check = Check::fail(CheckKind::Request, "RFC 6749 §10.12", why);
        record(
            &state,
            &org_id,
            run_id.as_deref(),
            "POST",
            &url,
            403,
            "Sign-in",
            &[check],
        )
        .await;
        return page::error(StatusCode::FORBIDDEN, "Sign-in refused", why);
    };
    let username = form.get("username").unwrap_or("").trim().to_string();
    let password = form.get("password").unwrap_or("");
    let redirect_origin = match &pending.request {
        super::PendingRequest::Oidc(v) => super::oidc::origin_of(&v.redirect_uri),
        super::PendingRequest::Saml(_) => None,
    };
    match super::check_password(&state, &org_id, instance, run, &username, password).await {
        Err(e) => return e.into_response(),
        Ok(Err(why)) => {
            let check = Check::fail(CheckKind::Request, "SPEC 5.1", why.clone());
            record(
                &state,
                &org_id,
                run_id.as_deref(),
                "POST",
                &url,
                401,
                "Sign-in",
                &[check],
            )
            .await;
            return sign_in_page(
                &state,
                &org_id,
                instance,
                run,
                (request_id, csrf),
                Some(&why),
                redirect_origin,
            )
            .await;
        }
        Ok(Ok(())) => {}
    }
    let now = now();
    if let Err(e) = state
        .store
        .delete_idp_item(super::kind::PENDING, request_id)
        .await
    {
        return e.into_response();
    }
    let user_id = org
        .users
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(&username))
        .map(|u| u.id.clone())
        .unwrap_or_default();
    let cookie = if user_id.is_empty() {
        None
    } else {
        match super::start_session(&state, &org_id, &user_id, now).await {
            Ok(c) => c,
            Err(e) => return e.into_response(),
        }
    };
    let session = Some(Session {
        user_id,
        auth_time: now,
    });
    let what = "Sign-in";
    let mut response = match pending.request {
        super::PendingRequest::Oidc(valid) => {
            let step = super::oidc::Step {
                org: &org,
                org_id: &org_id,
                instance,
                run_id,
                method: "POST",
                url: &url,
                what,
                csrf_cookie: Some(csrf),
            };
            super::oidc::proceed(&state, &step, valid, Vec::new(), session, Some(&username)).await
        }
        super::PendingRequest::Saml(request) => {
            let Some(idp) = IdentityProvider::of_instance(instance) else {
                return no_app();
            };
            let sp = match service_provider(&state, &org_id, instance).await {
                Ok(sp) => sp,
                Err(r) => return r,
            };
            let step = Step {
                org: &org,
                org_id: &org_id,
                instance,
                idp: &idp,
                sp: &sp,
                run_id,
                method: "POST",
                url: &url,
                what,
                csrf_cookie: Some(csrf),
            };
            answer(&state, &step, request, Vec::new(), session, Some(&username)).await
        }
    };
    if let Some(c) = cookie {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    response
}
