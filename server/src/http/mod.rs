//! The HTTP API of docs/api.md under `/api/v1`, one module per area. Handlers stay thin: read
//! the request, ask the domain (through the store's transactions), answer. The router also
//! carries the health checks, the app's `config.json` and, last, the built app itself.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Router};
use chrono::{DateTime, Utc};
use oin_wizard::domain::{ErrorCode, API_VERSION};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::context::AppState;
use crate::error::{ApiError, ApiResult};

pub mod idp;
pub mod instances;
pub mod openapi;
pub mod scim;
pub mod session;
pub mod submissions;
pub mod testing;
pub mod users;

/// The largest request body: a submission with a 1 MB logo (base64: 1.37 MB) in its current
/// and published versions fits with room to spare.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The time now (the domain never reads a clock; the server does, here).
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// A JSON request body read by the server's rules: over [`BODY_LIMIT`] is 413, not JSON or
/// not the expected shape is 400 saying where, and an `apiVersion` other than this contract's
/// is 400.
pub struct ApiJson<T>(pub T);

#[derive(Deserialize)]
struct VersionProbe {
    #[serde(rename = "apiVersion")]
    api_version: Option<serde_json::Value>,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> ApiResult<Self> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e: BytesRejection| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::refused(
                        ErrorCode::TooLarge,
                        format!(
                            "The request is larger than the server accepts ({} MB)",
                            BODY_LIMIT / (1024 * 1024)
                        ),
                    )
                } else {
                    ApiError::bad_request("The request body could not be read")
                }
            })?;
        parse_body(&bytes).map(ApiJson)
    }
}

/// Reads a JSON body as `T` (see [`ApiJson`]).
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    if let Ok(probe) = serde_json::from_slice::<VersionProbe>(bytes) {
        if let Some(v) = probe.api_version {
            if v != API_VERSION {
                return Err(ApiError::bad_request(format!(
                    "This server speaks apiVersion {API_VERSION}; the request says {v}"
                )));
            }
        }
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(format!(
            "The request body is not the JSON this operation expects: {e}"
        ))
    })
}

/// `/healthz`: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// `/readyz`: the database answers too (a load balancer sends traffic only then).
async fn readyz(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await {
        Ok(Ok(())) => "ready".into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = ?e, "readyz: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timeout").into_response(),
    }
}

async fn api_not_found() -> ApiError {
    ApiError::refused(
        ErrorCode::NotFound,
        "There is no such operation in /api/v1 (docs/api.md lists them)",
    )
}

async fn method_not_allowed() -> Response {
    let mut response = ApiError::refused(
        ErrorCode::NotFound,
        "This operation does not take that method (docs/api.md lists them)",
    )
    .into_response();
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
}

/// The `/api/v1` routes.
fn api() -> Router<AppState> {
    Router::new()
        .merge(session::routes())
        .merge(users::routes())
        .merge(submissions::routes())
        .merge(instances::routes())
        .merge(scim::routes())
        .merge(testing::routes())
        .route("/openapi.json", get(openapi::serve))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// The whole server: API, health, the app's config, the app.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .nest("/api/v1", api())
        .route("/api", get(api_not_found))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::csrf::guard,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT));

    let mut app = Router::new()
        .merge(api)
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(crate::site::CONFIG_PATH, get(crate::site::config))
        .merge(idp::routes());

    if let Some(site) = &state.site {
        let index = site.dist.join("index.html");
        let files = ServeDir::new(&site.dist)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(
                ServeFile::new(index)
                    .precompressed_br()
                    .precompressed_gzip(),
            );
        app = app.fallback_service(files);
    } else {
        app = app.fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "This oin-server runs without the app (--dist has no build): only /api/v1 answers",
            )
        });
    }

    app.layer(middleware::from_fn_with_state(
        state.clone(),
        crate::site::guard,
    ))
    .layer(CompressionLayer::new().br(true).gzip(true))
    .layer(CatchPanicLayer::custom(panicked))
    .layer(TraceLayer::new_for_http())
    .with_state(state)
}

/// A bug that panicked in one request answers 500 like any other fault (and is logged); the
/// process and every other request carry on.
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("a request handler panicked").into_response()
}

/// `Location`-less 204 No Content.
pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}
