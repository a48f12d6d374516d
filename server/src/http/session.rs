//! Signing in and out (docs/api.md, "Session"): `POST /api/v1/session` checks the email and
//! password (argon2id), throttles failures, and sets the session cookie; `DELETE` ends it.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Duration;
use oin_wizard::domain::User;
use serde::Deserialize;

use super::{no_content, now, ApiJson};
use crate::auth::{
    check_throttle, cleared_cookie, forwarded_https, record_failure, session_cookie, session_token,
    set_cookie, throttle_keys, ClientAddress, Signed,
};
use crate::context::AppState;
use crate::error::{ApiError, ApiResult};
use crate::keys::{token_hash, verify_password};

/// `POST /api/v1/session`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignIn {
    /// The account's email.
    pub email: String,
    /// Its password.
    pub password: String,
}

/// An argon2id hash of a password nobody has, verified when the email is unknown so that an
/// unknown email takes as long as a wrong password.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$KVMUx0Rd5K+8dr0y1P0lfaEXQTVdP5LsJB1BjmtzmBk";

async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignIn>,
) -> ApiResult<Response> {
    let keys = throttle_keys(&request.email, address);
    check_throttle(state.store.as_ref(), &state.settings, &keys).await?;
    let account = state.store.account_by_email(&request.email).await?;
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_string());
    let password = request.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .map_err(ApiError::internal)?;
    let account = match account {
        Some(a) if matches => a,
        _ => {
            record_failure(state.store.as_ref(), &state.settings, &keys).await?;
            return Err(ApiError::refused(
                oin_wizard::domain::ErrorCode::Unauthenticated,
                "The email or password is not right: try again",
            ));
        }
    };
    if let Some((email_key, _)) = keys.first() {
        state.store.clear_failures(email_key).await?;
    }
    let token = state.keys.token("", 43).map_err(ApiError::internal)?;
    let start = now();
    state
        .store
        .create_session(
            &token_hash(&token),
            &account.user.id,
            start,
            start + Duration::hours(state.settings.session_hours),
        )
        .await?;
    tracing::info!(user = %account.user.id, "signed in");
    let mut response = Json(account.user).into_response();
    set_cookie(
        response.headers_mut(),
        session_cookie(&state.settings, &token, forwarded_https(&headers)),
    );
    Ok(response)
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = session_token(&headers) {
        state.store.delete_session(&token_hash(&token)).await?;
    }
    let mut response = no_content();
    set_cookie(
        response.headers_mut(),
        cleared_cookie(&state.settings, forwarded_https(&headers)),
    );
    Ok(response)
}

/// `GET /api/v1/me`: the signed-in user.
async fn me(signed: Signed) -> Json<User> {
    Json(signed.0.user)
}

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", post(sign_in).delete(sign_out))
        .route("/me", get(me))
}
