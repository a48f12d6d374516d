//! SCIM over OAuth 2.0 (SPEC 4.5, 5.2; issue 11): the instance's **Authenticate** step, the
//! authorization code grant with PKCE S256 against the vendor's authorization server.
//!
//! - `POST /instances/{id}/scim-oauth` answers the vendor's authorize URL: a fresh state
//!   (kept only as its SHA-256, single use, 10 minutes) and a PKCE verifier (sealed).
//! - `GET /scim-oauth/callback` is where the vendor sends the browser back. The session cookie
//!   is SameSite=Strict, so it is not sent on that cross-site return: the state alone says
//!   whose instance it is. The code is exchanged at the token endpoint with
//!   `client_secret_basic`; the tokens are sealed (AES-256-GCM) per instance; the browser is
//!   sent to the Test integration page with the outcome. Neither the code nor the state is
//!   logged (the trace layer records the path only, `http::request_span`).
//! - [`access_token`]: what Test API Credentials and Run SCIM tests send, refreshed first
//!   when it expires within a minute.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use oin_scim_runner::oauth::{TokenClient, Tokens};
use oin_scim_runner::SystemLookup;
use oin_wizard::domain::model::base64;
use oin_wizard::domain::roles::Action;
use oin_wizard::domain::scim_oauth::{
    authorize_url, expiry, needs_refresh, oauth_client, return_path, OauthClient, ScimOauthStart,
};
use oin_wizard::domain::{ErrorCode, Instance, Submission};
use oin_wizard::expr::seam::ExpressionLanguage;
use serde::{Deserialize, Serialize};

use super::{now, ApiJson};
use crate::auth::Signed;
use crate::context::AppState;
use crate::error::{ApiError, ApiResult};
use crate::keys::token_hash;
use crate::store::PendingScimOauth;

/// How long the vendor's authorize page may take before the state expires.
const STATE_MINUTES: i64 = 10;

pub use oin_wizard::domain::scim_oauth::CALLBACK_PATH;

/// The tokens of an instance as sealed in the database.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredTokens {
    access_token: String,
    refresh_token: Option<String>,
    expires_at: Option<DateTime<Utc>>,
}

/// The redirect URI the vendor registers (shown on the Test integration page).
pub fn redirect_uri(state: &AppState) -> String {
    format!("{}{CALLBACK_PATH}", state.settings.public_url)
}

/// RFC 7636 §4.2: `BASE64URL(SHA256(verifier))` without padding.
pub fn s256_challenge(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    base64::encode(digest.as_ref())
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

fn verifier_context(state_hash: &str) -> String {
    format!("scim_oauth_states/{state_hash}")
}

fn tokens_context(org_id: &str, instance_id: &str) -> String {
    format!("scim_oauth_tokens/{org_id}/{instance_id}")
}

fn client_of(
    state: &AppState,
    submission: &Submission,
    instance: &Instance,
) -> Result<OauthClient, String> {
    oauth_client(
        submission,
        instance,
        &ExpressionLanguage,
        state.scim.allow_local,
    )
}

fn token_client(state: &AppState, client: &OauthClient) -> TokenClient {
    TokenClient {
        token_endpoint: client.token_endpoint.clone(),
        client_id: client.client_id.clone(),
        client_secret: client.client_secret.clone(),
        allow_local: state.scim.allow_local,
        lookup: Arc::new(SystemLookup),
    }
}

async fn save_tokens(
    state: &AppState,
    org_id: &str,
    instance_id: &str,
    tokens: Tokens,
    previous_refresh: Option<String>,
    at: DateTime<Utc>,
) -> ApiResult<StoredTokens> {
    let stored = StoredTokens {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token.or(previous_refresh),
        expires_at: expiry(at, tokens.expires_in),
    };
    let plain = serde_json::to_vec(&stored).map_err(ApiError::internal)?;
    let sealed = state
        .keys
        .seal(&tokens_context(org_id, instance_id), &plain)
        .map_err(ApiError::internal)?;
    state
        .store
        .put_scim_oauth_tokens(org_id, instance_id, &sealed, at)
        .await?;
    Ok(stored)
}

/// The access token the runner sends for an OAuth 2.0 instance: the stored one, refreshed
/// first when it expires within a minute. `Err` is words for the vendor (never a secret).
pub async fn access_token(
    state: &AppState,
    org_id: &str,
    submission: &Submission,
    instance: &Instance,
) -> Result<String, String> {
    let client = client_of(state, submission, instance)?;
    let sealed = state
        .store
        .scim_oauth_tokens(org_id, &instance.id)
        .await
        .map_err(|e| format!("The stored OAuth 2.0 tokens could not be read: {e:?}"))?
        .ok_or("This instance has no OAuth 2.0 access token yet: choose Authenticate in its provisioning settings first.")?;
    let plain = state
        .keys
        .open(&tokens_context(org_id, &instance.id), &sealed)
        .map_err(|_| "The stored OAuth 2.0 tokens do not open with this server's key: choose Authenticate again.")?;
    let stored: StoredTokens = serde_json::from_slice(&plain)
        .map_err(|_| "The stored OAuth 2.0 tokens are unreadable: choose Authenticate again.")?;
    let at = now();
    if !needs_refresh(stored.expires_at, at) {
        return Ok(stored.access_token);
    }
    let Some(refresh) = stored.refresh_token.clone() else {
        return Err("The OAuth 2.0 access token expired and the vendor issued no refresh token: choose Authenticate again.".into());
    };
    let tokens = token_client(state, &client)
        .refresh(&refresh)
        .await
        .map_err(|e| format!("Refreshing the OAuth 2.0 access token failed: {e}"))?;
    let saved = save_tokens(state, org_id, &instance.id, tokens, Some(refresh), at)
        .await
        .map_err(|e| format!("The refreshed OAuth 2.0 tokens could not be saved: {e:?}"))?;
    Ok(saved.access_token)
}

async fn start(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    ApiJson(_empty): ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> ApiResult<Json<ScimOauthStart>> {
    signed.allow(Action::Test)?;
    let (instance, submission) = super::scim::instance_of(&state, &signed, &id).await?;
    let client = client_of(&state, &submission, &instance)
        .map_err(|m| ApiError::refused(ErrorCode::Rejected, m))?;
    let oauth_state = state.keys.token("", 43).map_err(ApiError::internal)?;
    // RFC 7636 §4.1: 43–128 unreserved characters.
    let verifier = state.keys.token("", 64).map_err(ApiError::internal)?;
    let state_hash = token_hash(&oauth_state);
    let sealed_verifier = state
        .keys
        .seal(&verifier_context(&state_hash), verifier.as_bytes())
        .map_err(ApiError::internal)?;
    let pending = PendingScimOauth {
        org_id: signed.org().to_string(),
        instance_id: instance.id.clone(),
        sealed_verifier,
    };
    state
        .store
        .put_scim_oauth_state(
            &state_hash,
            &pending,
            now() + Duration::minutes(STATE_MINUTES),
        )
        .await?;
    let url = authorize_url(
        &client,
        &redirect_uri(&state),
        &oauth_state,
        &s256_challenge(&verifier),
    )
    .map_err(|m| ApiError::refused(ErrorCode::Rejected, m))?;
    Ok(Json(ScimOauthStart { authorize_url: url }))
}

/// What the vendor's authorize endpoint sends back (RFC 6749 §4.1.2, §4.1.2.1).
#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// A plain page for a callback that cannot be tied to an instance: nothing to go back to.
/// `status`: 400 without a state, 404 for a state no pending sign-in has (unknown, used or
/// expired) or an instance since deleted, 503 when the store could not be read.
fn dead_end(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        format!("SCIM OAuth 2.0: {message}\nGo back to the Test integration page and choose Authenticate again."),
    )
        .into_response()
}

/// Back to the instance's Test integration page with the outcome (no secret in it).
fn back_to_app(
    state: &AppState,
    submission_id: &str,
    instance_id: &str,
    outcome: Result<(), String>,
) -> Response {
    let path = return_path(
        submission_id,
        instance_id,
        outcome.as_ref().map(|_| ()).map_err(String::as_str),
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("{}{path}", state.settings.public_url)) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

async fn callback(State(state): State<AppState>, Query(q): Query<CallbackQuery>) -> Response {
    let Some(oauth_state) = q.state.as_deref().filter(|s| !s.is_empty()) else {
        return dead_end(StatusCode::BAD_REQUEST, "the vendor's answer has no state.");
    };
    let state_hash = token_hash(oauth_state);
    let pending = match state.store.take_scim_oauth_state(&state_hash, now()).await {
        Ok(Some(p)) => p,
        Ok(None) => {
            return dead_end(
                StatusCode::NOT_FOUND,
                "this sign-in is unknown, was already used or expired (10 minutes).",
            )
        }
        Err(e) => {
            tracing::warn!(error = ?e, "could not read a pending SCIM OAuth request");
            return dead_end(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server could not read the pending request.",
            );
        }
    };
    let found = async {
        let org = state.store.read_org(&pending.org_id).await.ok()?;
        let instance = org
            .instances
            .into_iter()
            .find(|i| i.id == pending.instance_id)?;
        let submission = state
            .store
            .get_submission(&pending.org_id, &instance.submission_id)
            .await
            .ok()??;
        Some((instance, submission))
    }
    .await;
    let Some((instance, submission)) = found else {
        return dead_end(StatusCode::NOT_FOUND, "the instance no longer exists.");
    };
    let outcome = async {
        if let Some(error) = &q.error {
            return Err(format!(
                "The vendor's authorization server answered {error}{}.",
                q.error_description
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            ));
        }
        let code = q
            .code
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or("The vendor's answer has no authorization code.")?;
        let verifier = state
            .keys
            .open(&verifier_context(&state_hash), &pending.sealed_verifier)
            .ok()
            .and_then(|v| String::from_utf8(v).ok())
            .ok_or("The pending request does not open with this server's key.")?;
        let client = client_of(&state, &submission, &instance)?;
        let tokens = token_client(&state, &client)
            .exchange_code(code, &redirect_uri(&state), &verifier)
            .await?;
        save_tokens(&state, &pending.org_id, &instance.id, tokens, None, now())
            .await
            .map_err(|_| "The tokens could not be saved.".to_string())?;
        Ok(())
    }
    .await;
    back_to_app(&state, &submission.id, &instance.id, outcome)
}

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/instances/{id}/scim-oauth", post(start))
        .route("/scim-oauth/callback", get(callback))
}
