//! The identity provider's pages: the sign-in page and error pages. Minimal server-rendered
//! HTML, no script and no style, with a strict Content-Security-Policy; every field has a
//! visible label that is its accessible name.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The CSP of a page without script: nothing loads; forms post to this server (and, after
/// the sign-in, the browser may follow the redirect to `redirect_origin`).
pub fn csp(redirect_origin: Option<&str>) -> String {
    let extra = redirect_origin.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'none'; form-action 'self'{extra}; frame-ancestors 'none'; base-uri 'none'"
    )
}

fn html(status: StatusCode, csp: &str, title: &str, body: &str) -> Response {
    let text = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title></head><body><main>{body}</main></body></html>\n",
        escape(title)
    );
    let mut response = (status, text).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// An error page (never a redirect).
pub fn error(status: StatusCode, title: &str, description: &str) -> Response {
    html(
        status,
        &csp(None),
        title,
        &format!("<h1>{}</h1><p>{}</p>", escape(title), escape(description)),
    )
}

/// What the sign-in page says about the account to use.
pub struct SignInPage<'a> {
    pub org_id: &'a str,
    /// The pending request's id (a hidden field).
    pub request_id: &'a str,
    /// The browser's login-CSRF token (a hidden field, the same as its cookie).
    pub csrf: &'a str,
    /// The app the user signs in to.
    pub app_label: &'a str,
    /// Who signs in: the test account, or the JIT run's temporary user.
    pub hint: &'a str,
    /// The username to prefill.
    pub username: &'a str,
    /// The last attempt's error.
    pub error: Option<&'a str>,
    /// Where the browser goes after the sign-in (an OIDC redirect URI's origin).
    pub redirect_origin: Option<&'a str>,
}

/// The sign-in page.
pub fn sign_in(p: &SignInPage<'_>) -> Response {
    let error = p
        .error
        .map(|e| format!("<p role=\"alert\">{}</p>", escape(e)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Sign in to {app}</h1>\
         <p>{hint}</p>{error}\
         <form method=\"post\" action=\"/orgs/{org}/idp/sign-in\">\
         <input type=\"hidden\" name=\"request\" value=\"{request}\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <p><label for=\"username\">Username</label><br>\
         <input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" required value=\"{username}\"></p>\
         <p><label for=\"password\">Password</label><br>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\
         <p><button type=\"submit\">Sign in</button></p></form>",
        app = escape(p.app_label),
        hint = escape(p.hint),
        org = escape(p.org_id),
        request = escape(p.request_id),
        csrf = escape(p.csrf),
        username = escape(p.username),
    );
    html(
        if p.error.is_some() {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::OK
        },
        &csp(p.redirect_origin),
        &format!("Sign in to {}", p.app_label),
        &body,
    )
}

/// A page with its own CSP (the SAML auto-posting form: its script's hash and the ACS URL).
pub fn with_csp(status: StatusCode, csp: &str, text: String) -> Response {
    let mut response = (status, text).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_csp_allows_no_script_and_only_the_redirect_origin() {
        let c = csp(Some("https://app.example"));
        assert!(c.starts_with("default-src 'none'"));
        assert!(c.contains("form-action 'self' https://app.example;"));
        assert!(!c.contains("script-src"));
    }
}
