//! The built app (`--dist`): its files on the API's origin, precompressed `.br`/`.gz` when the
//! build wrote them, `index.html` for every other path (the app routes in the browser), the
//! security headers of the build's own `_headers` file (read at start: one source of truth),
//! and a `config.json` that points the app at this server.

use std::path::{Path, PathBuf};

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::context::AppState;

/// Where the app reads its configuration (`oin_wizard::backend::config::CONFIG_PATH`).
pub const CONFIG_PATH: &str = oin_wizard::backend::config::CONFIG_PATH;

/// The built app.
#[derive(Clone, Debug)]
pub struct Site {
    /// The directory.
    pub dist: PathBuf,
    /// The headers of `_headers`' `/*` block, sent with every response.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The `config.json` served at [`CONFIG_PATH`].
    pub config_json: String,
}

impl Site {
    /// Reads `dist`: `index.html` must exist; `_headers` and `public/config.json` are read
    /// when present (a warning says what is missing).
    pub fn load(dist: &Path) -> Result<Site, String> {
        if !dist.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html: build the app first (trunk build --release)",
                dist.display()
            ));
        }
        let headers = match std::fs::read_to_string(dist.join("_headers")) {
            Ok(text) => parse_headers(&text)?,
            Err(_) => {
                tracing::warn!(
                    "{} has no _headers file: the app is served without its Content-Security-Policy",
                    dist.display()
                );
                Vec::new()
            }
        };
        let shipped = std::fs::read_to_string(dist.join("public/config.json")).ok();
        Ok(Site {
            dist: dist.to_path_buf(),
            headers,
            config_json: config_json(shipped.as_deref()),
        })
    }
}

/// The headers of the `/*` block of a `_headers` file (the static-host format the build
/// writes): a path line, then indented `Name: value` lines.
pub fn parse_headers(text: &str) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    let mut out = Vec::new();
    let mut in_all = false;
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with(char::is_whitespace) {
            in_all = line.trim() == "/*";
            continue;
        }
        if !in_all {
            continue;
        }
        let (name, value) = line
            .trim()
            .split_once(':')
            .ok_or_else(|| format!("_headers: {line:?} is not \"Name: value\""))?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| format!("_headers: {name:?} is not a header name"))?;
        let value = HeaderValue::from_str(value.trim())
            .map_err(|_| format!("_headers: the value of {name} is not a header value"))?;
        out.push((name, value));
    }
    Ok(out)
}

/// The app's configuration with the backend pointed at this server (`"backend": "http"`,
/// `"baseUrl": ""`: the same origin), keeping the shipped file's other fields.
pub fn config_json(shipped: Option<&str>) -> String {
    let mut fields = shipped
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .unwrap_or_default();
    fields.insert("backend".into(), Value::from("http"));
    fields.insert("baseUrl".into(), Value::from(""));
    serde_json::to_string_pretty(&Value::Object(fields)).unwrap_or_default()
}

/// `GET /public/config.json`.
pub async fn config(State(state): State<AppState>) -> Response {
    match &state.site {
        Some(site) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            site.config_json.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Whether a raw request path tries to leave its directory or hide a separator (`..`,
/// encoded slashes, backslashes, NUL): such paths are 404, never a file or the app.
pub fn is_path_trick(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
        || lower.contains('\\')
        || lower.contains("%2e%2e")
        || lower.contains(".%2e")
        || lower.contains("%2e.")
        || path.split('/').any(|segment| segment == "..")
}

/// Middleware on everything: path tricks are 404; every response gets the `_headers` headers
/// (the CSP too: harmless on JSON, and an error page can't run script either).
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if is_path_trick(request.uri().path()) {
        return crate::error::ApiError::refused(
            oin_wizard::domain::ErrorCode::NotFound,
            "There is nothing at this address",
        )
        .into_response();
    }
    let mut response = next.run(request).await;
    if let Some(site) = &state.site {
        let headers = response.headers_mut();
        for (name, value) in &site.headers {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_all_paths_block_of_headers_is_read() {
        let text = "/*\n  Content-Security-Policy: default-src 'self'; script-src 'self'\n  X-Content-Type-Options: nosniff\n/other\n  X-Other: 1\n";
        let headers = parse_headers(text).unwrap();
        assert_eq!(headers.len(), 2);
        assert_eq!(headers[0].0, "content-security-policy");
        assert_eq!(headers[0].1, "default-src 'self'; script-src 'self'");
        assert!(parse_headers("/*\n  no colon here\n").is_err());
    }

    #[test]
    fn the_config_points_the_app_at_this_server() {
        let shipped = r#"{ "backend": "embedded", "baseUrl": "https://x", "catalogContact": "team@corp.example" }"#;
        let v: Value = serde_json::from_str(&config_json(Some(shipped))).unwrap();
        assert_eq!(v["backend"], "http");
        assert_eq!(v["baseUrl"], "");
        assert_eq!(v["catalogContact"], "team@corp.example");
        let v: Value = serde_json::from_str(&config_json(Some("not json"))).unwrap();
        assert_eq!(v["backend"], "http");
    }

    #[test]
    fn path_tricks() {
        for p in [
            "/../etc/passwd",
            "/a/%2e%2e/b",
            "/api/v1/submissions/a%2Fb",
            "/x%5cy",
            "/a/..",
            "/%2E%2E/",
        ] {
            assert!(is_path_trick(p), "{p}");
        }
        for p in [
            "/",
            "/index.html",
            "/api/v1/submissions/sub-1",
            "/wizard/sub-1/configure",
            "/a..b",
        ] {
            assert!(!is_path_trick(p), "{p}");
        }
    }
}
