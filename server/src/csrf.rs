//! Cross-site request forgery: a state-changing API request (POST, PUT, PATCH, DELETE) is
//! refused unless it comes from the app's own origin, and a POST, PUT or PATCH unless it is
//! `application/json` (which a form on another site cannot send without a CORS preflight this
//! server never grants).
//!
//! Same origin: `Sec-Fetch-Site: same-origin` (or `none`, typed by the user) when the browser
//! sends it; else an `Origin` whose host is the request's `Host` or the `--public-url`. A request
//! with neither header comes from no browser (curl, a script) and carries no ambient session
//! a forger could ride, so it passes; the session cookie is `SameSite=Strict` besides.

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use oin_wizard::domain::ErrorCode;

use crate::context::AppState;
use crate::error::ApiError;

fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
}

/// The authority (`host[:port]`) of an `Origin` value, when it is an http(s) origin.
fn origin_authority(origin: &str) -> Option<&str> {
    origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .filter(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// Whether a state-changing request comes from this server's own pages.
pub fn same_origin(headers: &axum::http::HeaderMap, public_url: &str) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site") {
        return site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none");
    }
    let Some(origin) = get("origin") else {
        return true;
    };
    if origin.trim_end_matches('/') == public_url.trim_end_matches('/') {
        return true;
    }
    match (origin_authority(origin), get("host")) {
        (Some(authority), Some(host)) => authority.eq_ignore_ascii_case(host),
        _ => false,
    }
}

/// The middleware on `/api`.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let changes_state = matches!(
        method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if changes_state {
        if !same_origin(request.headers(), &state.settings.public_url) {
            return ApiError::forbidden(
                "This request came from another site, so it was refused (cross-site request forgery protection)",
            )
            .into_response();
        }
        let needs_body = method != Method::DELETE;
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_json);
        if needs_body && !json {
            return ApiError::refused(
                ErrorCode::UnsupportedMediaType,
                "Send the request body as JSON, with Content-Type: application/json",
            )
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_table() {
        let public = "https://oin.example.com";
        let rows: &[(&[(&'static str, &'static str)], bool)] = &[
            (&[], true),
            (&[("sec-fetch-site", "same-origin")], true),
            (&[("sec-fetch-site", "none")], true),
            (
                &[
                    ("sec-fetch-site", "cross-site"),
                    ("origin", "https://oin.example.com"),
                ],
                false,
            ),
            (&[("sec-fetch-site", "same-site")], false),
            (&[("origin", "https://oin.example.com")], true),
            (
                &[
                    ("origin", "http://127.0.0.1:8080"),
                    ("host", "127.0.0.1:8080"),
                ],
                true,
            ),
            (
                &[
                    ("origin", "http://evil.example"),
                    ("host", "127.0.0.1:8080"),
                ],
                false,
            ),
            (&[("origin", "null"), ("host", "127.0.0.1:8080")], false),
            (
                &[
                    ("origin", "http://127.0.0.1:8080.evil.example"),
                    ("host", "127.0.0.1:8080"),
                ],
                false,
            ),
        ];
        for (pairs, expected) in rows {
            assert_eq!(same_origin(&headers(pairs), public), *expected, "{pairs:?}");
        }
    }

    #[test]
    fn json_content_types() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/x-www-form-urlencoded"));
        assert!(!is_json("multipart/form-data; boundary=x"));
    }
}
