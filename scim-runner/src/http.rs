//! The one way the runner sends a request: checked address, no redirects, no proxy, a time
//! budget and a size limit, and a redacted record of what went over the wire.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde_json::Value;

use crate::address::{check_url, CheckedResolver, DnsFailure, NameLookup, Refusal};
use crate::report::{Exchange, RecordedRequest, RecordedResponse, RECORDED_BODY_BYTES};

/// The media type of SCIM messages (RFC 7644 §8.1).
pub const SCIM_JSON: &str = "application/scim+json";

/// Why a request got no usable response, in words a vendor can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The URL or its address is not allowed.
    Refused(Refusal),
    /// The host name did not resolve.
    Dns(String),
    /// Nothing listens on the port.
    ConnectionRefused(String),
    /// The TLS handshake failed (certificate, protocol).
    Tls(String),
    /// Another connection problem.
    Connect(String),
    /// No complete response within the per-request limit.
    Timeout(Duration),
    /// The response body is over the size limit.
    TooLarge(usize),
    /// The run's time limit was reached before this request.
    RunTimeUp,
    /// Anything else the HTTP stack reported.
    Other(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Refused(r) => write!(f, "Not called: {r}"),
            Failure::Dns(d) => f.write_str(d),
            Failure::ConnectionRefused(d) => write!(
                f,
                "Connection refused: nothing accepts connections at {d}. Check the base URL and that the SCIM server is running and reachable from the internet."
            ),
            Failure::Tls(d) => write!(
                f,
                "TLS: {d}. The server's certificate must be valid, chain to a public certificate authority and match the host name."
            ),
            Failure::Connect(d) => write!(f, "Could not connect: {d}."),
            Failure::Timeout(t) => write!(
                f,
                "Timeout: no complete response within {} s. The SCIM server must answer faster.",
                seconds(*t)
            ),
            Failure::TooLarge(limit) => write!(
                f,
                "The response is larger than {limit} bytes, the runner's limit; a SCIM response to this request should be far smaller."
            ),
            Failure::RunTimeUp => f.write_str("Not run: the run's time limit was reached."),
            Failure::Other(d) => write!(f, "The request failed: {d}."),
        }
    }
}

/// Seconds with at most one decimal: "15", "0.5".
fn seconds(t: Duration) -> String {
    let text = format!("{:.1}", t.as_secs_f64());
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// A complete response.
#[derive(Clone, Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Vec<u8>,
    /// The body as JSON, when it parses.
    pub json: Option<Value>,
}

impl Reply {
    /// The media type without parameters, lowercased ("" when absent).
    pub fn media_type(&self) -> String {
        self.header("content-type")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }

    /// A header as text ("" when absent or not text).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// A request body.
#[derive(Clone, Debug)]
pub enum Body {
    /// A SCIM JSON body.
    Json(Value),
    /// An `application/x-www-form-urlencoded` body (OAuth token requests).
    Form(String),
}

/// Replaces every secret the run knows with `[redacted]` in whatever it records.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// Adds a secret (ignored when shorter than 4 characters: it would redact ordinary text).
    pub fn add(&mut self, secret: &str) {
        if secret.chars().count() >= 4 && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_string());
            // Longest first, so a secret containing another is replaced whole.
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// `text` with every secret replaced.
    pub fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "[redacted]");
            }
        }
        out
    }
}

/// Per-request and per-run limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connect, send and read one response.
    pub request_timeout: Duration,
    /// All checks of one run (cleanup gets `cleanup_timeout` more).
    pub run_timeout: Duration,
    /// Time allowed for cleanup after the checks, even when they ran out of time.
    pub cleanup_timeout: Duration,
    /// Largest response body read.
    pub max_response_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout: Duration::from_secs(15),
            run_timeout: Duration::from_secs(180),
            cleanup_timeout: Duration::from_secs(60),
            max_response_bytes: 1024 * 1024,
        }
    }
}

/// The TLS client configuration: ring, the platform's trust store, HTTP/1.1. Built once per
/// process (loading the trust store is the slow part) and cloned for each run.
fn tls_config() -> Result<rustls::ClientConfig, String> {
    static TLS: std::sync::OnceLock<rustls::ClientConfig> = std::sync::OnceLock::new();
    if let Some(tls) = TLS.get() {
        return Ok(tls.clone());
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| format!("TLS set-up failed: {e}"))?;
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS set-up failed: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TLS.get_or_init(|| tls).clone())
}

/// Sends requests for one run.
pub struct Caller {
    client: reqwest::Client,
    allow_local: bool,
    limits: Limits,
    deadline: Instant,
    /// The `Authorization` header value for SCIM calls, once known.
    pub authorization: Option<String>,
    /// Secrets to redact from records.
    pub redactor: Redactor,
}

impl Caller {
    /// A caller with its own client (rustls with the platform's roots, the checked resolver).
    pub fn new(
        lookup: Arc<dyn NameLookup>,
        allow_local: bool,
        limits: Limits,
        started: Instant,
    ) -> Result<Caller, String> {
        let tls = tls_config()?;
        let client = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .dns_resolver(Arc::new(CheckedResolver::new(lookup, allow_local)))
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .http1_only()
            .connect_timeout(limits.request_timeout)
            .user_agent(concat!("oin-scim-runner/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("HTTP client set-up failed: {e}"))?;
        Ok(Caller {
            client,
            allow_local,
            limits,
            deadline: started + limits.run_timeout,
            authorization: None,
            redactor: Redactor::default(),
        })
    }

    /// Gives cleanup its own budget from now, whatever is left of the run's.
    pub fn start_cleanup(&mut self) {
        self.deadline = Instant::now() + self.limits.cleanup_timeout;
    }

    /// Whether the run's time is up.
    pub fn time_up(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Sends one request and records it. `scim` requests carry the SCIM `Authorization`
    /// header and `Accept: application/scim+json`.
    pub async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<Body>,
        extra_auth: Option<&str>,
    ) -> (Exchange, Result<Reply, Failure>) {
        let started = Instant::now();
        let mut headers: Vec<(String, String)> = Vec::new();
        let authorization = extra_auth
            .map(str::to_string)
            .or_else(|| self.authorization.clone());
        let accept = if extra_auth.is_some() {
            "application/json"
        } else {
            SCIM_JSON
        };
        headers.push(("Accept".into(), accept.into()));
        if let Some(auth) = &authorization {
            headers.push(("Authorization".into(), redact_authorization(auth)));
        }
        let (body_bytes, body_record) = match &body {
            None => (None, None),
            Some(Body::Json(v)) => {
                headers.push(("Content-Type".into(), SCIM_JSON.into()));
                let text = v.to_string();
                (
                    Some(text.clone().into_bytes()),
                    Some(self.redactor.apply(&text)),
                )
            }
            Some(Body::Form(f)) => {
                headers.push((
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
                (Some(f.clone().into_bytes()), Some(self.redactor.apply(f)))
            }
        };
        let request = RecordedRequest {
            method: method.to_string(),
            url: self.redactor.apply(url),
            headers,
            body: body_record,
        };
        let result = self
            .exchange(method, url, authorization, accept, body_bytes, &body)
            .await;
        let duration_ms = started.elapsed().as_millis() as u64;
        let (response, error) = match &result {
            Ok(reply) => (Some(self.record(reply)), None),
            Err(f) => (None, Some(self.redactor.apply(&f.to_string()))),
        };
        (
            Exchange {
                request,
                response,
                error,
                duration_ms,
            },
            result,
        )
    }

    async fn exchange(
        &self,
        method: Method,
        url: &str,
        authorization: Option<String>,
        accept: &str,
        body: Option<Vec<u8>>,
        kind: &Option<Body>,
    ) -> Result<Reply, Failure> {
        let parsed = check_url(url, self.allow_local).map_err(Failure::Refused)?;
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Failure::RunTimeUp);
        }
        let budget = left.min(self.limits.request_timeout);
        let mut request = self.client.request(method, parsed).timeout(budget).header(
            ACCEPT,
            HeaderValue::from_str(accept).map_err(|e| Failure::Other(e.to_string()))?,
        );
        if let Some(auth) = authorization {
            let mut value = HeaderValue::from_str(&auth).map_err(|_| {
                Failure::Other(
                    "the credentials contain characters not allowed in an HTTP header".into(),
                )
            })?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        if let Some(bytes) = body {
            let content_type = match kind {
                Some(Body::Form(_)) => "application/x-www-form-urlencoded",
                _ => SCIM_JSON,
            };
            request = request.header(CONTENT_TYPE, content_type).body(bytes);
        }
        let limit = self.limits.max_response_bytes;
        let work = async move {
            let mut response = request.send().await.map_err(|e| classify(&e, budget))?;
            if response.content_length().is_some_and(|n| n > limit as u64) {
                return Err(Failure::TooLarge(limit));
            }
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let mut body = Vec::new();
            while let Some(chunk) = response.chunk().await.map_err(|e| classify(&e, budget))? {
                if body.len() + chunk.len() > limit {
                    return Err(Failure::TooLarge(limit));
                }
                body.extend_from_slice(&chunk);
            }
            let json = serde_json::from_slice(&body).ok();
            Ok(Reply {
                status,
                headers,
                body,
                json,
            })
        };
        match tokio::time::timeout(budget, work).await {
            Ok(result) => result,
            Err(_) => Err(Failure::Timeout(budget)),
        }
    }

    fn record(&self, reply: &Reply) -> RecordedResponse {
        let mut headers = Vec::new();
        for name in [
            "content-type",
            "location",
            "www-authenticate",
            "etag",
            "retry-after",
        ] {
            if let Some(v) = reply.headers.get(name).and_then(|v| v.to_str().ok()) {
                headers.push((name.to_string(), self.redactor.apply(v)));
            }
        }
        let truncated = reply.body.len() > RECORDED_BODY_BYTES;
        let cut = &reply.body[..reply.body.len().min(RECORDED_BODY_BYTES)];
        RecordedResponse {
            status: reply.status,
            headers,
            body: self.redactor.apply(&String::from_utf8_lossy(cut)),
            truncated,
        }
    }
}

/// `Bearer [redacted]` for a bearer header, `[redacted]` for a bare token.
fn redact_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _))
            if ["bearer", "basic"].contains(&scheme.to_ascii_lowercase().as_str()) =>
        {
            format!("{scheme} [redacted]")
        }
        _ => "[redacted]".into(),
    }
}

/// A TLS error in words, the common certificate problems named plainly.
fn tls_words(error: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    let plain = match error {
        rustls::Error::InvalidCertificate(c) => match c {
            C::UnknownIssuer => "the certificate is not signed by a trusted certificate authority",
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                "the certificate does not match the host name"
            }
            C::Expired | C::ExpiredContext { .. } => "the certificate has expired",
            C::NotValidYet | C::NotValidYetContext { .. } => "the certificate is not valid yet",
            C::Revoked => "the certificate was revoked",
            _ => "",
        },
        _ => "",
    };
    if plain.is_empty() {
        error.to_string()
    } else {
        format!("{plain} ({error})")
    }
}

/// Turns the HTTP stack's error into the cause a vendor can fix.
fn classify(error: &reqwest::Error, budget: Duration) -> Failure {
    let address = error
        .url()
        .map(|u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        })
        .unwrap_or_else(|| "that address".into());
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if let Some(r) = e.downcast_ref::<Refusal>() {
            return Failure::Refused(r.clone());
        }
        if let Some(d) = e.downcast_ref::<DnsFailure>() {
            return Failure::Dns(d.to_string());
        }
        if let Some(t) = e.downcast_ref::<rustls::Error>() {
            return Failure::Tls(tls_words(t));
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return Failure::ConnectionRefused(address.clone());
            }
            // An io::Error's source() skips the error it wraps (often another io::Error
            // around a rustls::Error): look at the wrapped one instead.
            if let Some(inner) = io.get_ref() {
                source = Some(inner as &(dyn std::error::Error + 'static));
                continue;
            }
        }
        source = e.source();
    }
    if error.is_timeout() {
        return Failure::Timeout(budget);
    }
    let mut detail = error.to_string();
    let mut next = std::error::Error::source(error);
    while let Some(e) = next {
        detail.push_str(": ");
        detail.push_str(&e.to_string());
        next = e.source();
    }
    if error.is_connect() {
        Failure::Connect(detail)
    } else {
        Failure::Other(detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redactor_replaces_every_secret_longest_first() {
        let mut r = Redactor::default();
        r.add("abc");
        r.add("s3cret");
        r.add("s3cret-and-more");
        assert_eq!(
            r.apply("x s3cret-and-more y s3cret abc"),
            "x [redacted] y [redacted] abc"
        );
    }

    #[test]
    fn authorization_is_recorded_without_the_credential() {
        assert_eq!(redact_authorization("Bearer abc.def"), "Bearer [redacted]");
        assert_eq!(
            redact_authorization("Basic Zm9vOmJhcg=="),
            "Basic [redacted]"
        );
        assert_eq!(redact_authorization("rawtoken123"), "[redacted]");
        assert_eq!(redact_authorization("SSWS rawtoken123"), "[redacted]");
    }
}
