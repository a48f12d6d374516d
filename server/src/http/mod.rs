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
pub mod scim_oauth;
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

/// Reads a JSON body as `T` (see [`ApiJson`]). Every request body of the API is an object:
/// anything else is 400, also where serde would read a struct from an array of its fields.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    if bytes.trim_ascii_start().first() != Some(&b'{') {
        return Err(ApiError::bad_request(
            "The request body must be a JSON object ({ … })",
        ));
    }
    if let Ok(probe) = serde_json::from_slice::<VersionProbe>(bytes) {
        if let Some(v) = probe.api_version {
            if v.as_f64() != Some(f64::from(API_VERSION)) {
                return Err(ApiError::bad_request(format!(
                    "This server speaks apiVersion {API_VERSION}; the request says {v}"
                )));
            }
        }
    }
    serde_json::from_slice(bytes).or_else(|e| {
        // JSON has one kind of number, so `3.0` is the integer 3 (JSON Schema's `integer`
        // agrees), but serde reads it only as a float: read again with integral floats as
        // integers. Only a body that failed takes this path.
        let retried = serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|mut value| integral_floats_as_integers(&mut value).then_some(value))
            .and_then(|value| serde_json::from_value(value).ok());
        retried.ok_or_else(|| {
            ApiError::bad_request(format!(
                "The request body is not the JSON this operation expects: {e}"
            ))
        })
    })
}

/// Writes every float with no fractional part that fits a 64-bit integer as that integer;
/// answers whether any changed.
fn integral_floats_as_integers(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // -2^63 ..= 2^64 - 2^11 (the largest f64 below 2^64): exact in i64 or u64.
            if f.fract() != 0.0
                || !(-9.223_372_036_854_776e18..1.844_674_407_370_955_2e19).contains(&f)
            {
                return false;
            }
            *value = if f < 0.0 {
                Value::from(f as i64)
            } else {
                Value::from(f as u64)
            };
            true
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |changed, v| integral_floats_as_integers(v) | changed),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |changed, v| integral_floats_as_integers(v) | changed),
        _ => false,
    }
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

/// 405 (axum adds `Allow`): the problem's own status says 405 too; its code is the domain's
/// nearest, `notFound` (no such operation).
async fn method_not_allowed() -> Response {
    crate::error::problem(
        StatusCode::METHOD_NOT_ALLOWED,
        &oin_wizard::domain::DomainError::new(
            ErrorCode::NotFound,
            "This operation does not take that method (docs/api.md lists them)",
        ),
    )
}

/// The `/api/v1` routes. The CSRF guard runs on matched routes only: a method a path does not
/// take is 405 with `Allow`, and an unknown path 404, whatever the request's headers.
fn api(state: AppState) -> Router<AppState> {
    Router::new()
        .merge(session::routes())
        .merge(users::routes())
        .merge(submissions::routes())
        .merge(instances::routes())
        .merge(scim::routes())
        .merge(scim_oauth::routes())
        .merge(testing::routes())
        .route("/openapi.json", get(openapi::serve))
        .route_layer(middleware::from_fn_with_state(state, crate::csrf::guard))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

/// The whole server: API, health, the app's config, the app.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .nest("/api/v1", api(state.clone()))
        .route("/api", get(api_not_found))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
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
    .layer(TraceLayer::new_for_http().make_span_with(request_span))
    .with_state(state)
}

/// The span of a request: method and path only. A query can carry what must not reach a log
/// (the SCIM OAuth 2.0 callback's code and state; the IdP's parameters), and tower-http's
/// default span records the whole URI.
fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    tracing::debug_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
    )
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
