//! The one error type of the server. Every failure of a request becomes an [`ApiError`], and
//! [`IntoResponse`] turns it into its status and body in this one place: a refusal is the
//! domain's [`DomainError`] (docs/api.md, "Errors"), sent as an RFC 9457 problem details object
//! whose extension members are the `DomainError` fields; a server fault is logged with its
//! cause and answered 500 without it (database errors are never echoed).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oin_wizard::domain::{DomainError, ErrorCode};
use serde::Serialize;

/// Why a request failed.
#[derive(Debug)]
pub enum ApiError {
    /// Refused by a rule, a role, the session or the request's shape: the client's to fix.
    Refused(DomainError),
    /// The server failed (database, encryption, I/O): logged here, answered 500.
    Internal(String),
    /// Too many failed sign-ins: 429 with `Retry-After` in seconds.
    Throttled { retry_after_secs: u64 },
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A refusal with a code and a message for the user.
    pub fn refused(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError::Refused(DomainError::new(code, message))
    }

    /// 400: the request could not be read.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::refused(ErrorCode::BadRequest, message)
    }

    /// 401: no valid session.
    pub fn unauthenticated() -> Self {
        Self::refused(
            ErrorCode::Unauthenticated,
            "You are not signed in, or your session has ended: sign in to continue",
        )
    }

    /// 403 with the domain's reason.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::refused(ErrorCode::Forbidden, message)
    }

    /// 404 for an id the signed-in user's org does not have (another org's ids look exactly
    /// like ids that never existed).
    pub fn not_found(what: &str, id: &str) -> Self {
        Self::refused(
            ErrorCode::NotFound,
            format!("There is no {what} with id {id}: it may have been deleted"),
        )
    }

    /// 500 for a fault whose cause is logged, never sent.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Refused(e) => StatusCode::from_u16(e.code.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::Refused(e)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::internal(format!("database: {e}"))
    }
}

/// RFC 9457 problem details whose extension members are the `DomainError` fields, so a client
/// of docs/api.md reads it as a `DomainError` and any HTTP tool as a problem.
#[derive(Serialize)]
struct ProblemBody<'a> {
    title: &'a str,
    status: u16,
    #[serde(flatten)]
    error: &'a DomainError,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let error = match self {
            ApiError::Refused(e) => e,
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                DomainError::new(
                    ErrorCode::Rejected,
                    "The server had a problem with this request. Retry in a moment; if it keeps happening, tell the server's administrator",
                )
            }
            ApiError::Throttled { retry_after_secs } => {
                let mut response = problem(
                    StatusCode::TOO_MANY_REQUESTS,
                    &DomainError::new(
                        ErrorCode::TooManyRequests,
                        format!(
                            "Too many failed sign-ins. Wait {} before trying again",
                            minutes_words(retry_after_secs)
                        ),
                    ),
                );
                if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
                return response;
            }
        };
        problem(status, &error)
    }
}

fn minutes_words(secs: u64) -> String {
    match secs.div_ceil(60) {
        0 | 1 => "a minute".to_string(),
        n => format!("{n} minutes"),
    }
}

/// The problem response for `error` with `status`.
pub fn problem(status: StatusCode, error: &DomainError) -> Response {
    let body = ProblemBody {
        title: status.canonical_reason().unwrap_or("Error"),
        status: status.as_u16(),
        error,
    };
    let text = serde_json::to_string(&body).unwrap_or_else(|_| {
        r#"{"code":"rejected","message":"The server could not describe this error"}"#.to_string()
    });
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )],
        text,
    )
        .into_response()
}
