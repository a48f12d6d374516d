//! Runtime configuration: `config.json`, read once at start-up from next to the app
//! ([`CONFIG_PATH`]), so one build serves every deployment. It says which backend to open and
//! how to reach an HTTP one; the README's "Configuration" section documents every field.
//!
//! A missing or malformed file never stops the app: it starts on the embedded backend with
//! the defaults, and each problem is a console warning naming the field and the fix.
//! Parsing is plain Rust (tested natively); only [`load`] touches the browser.

use serde_json::{Map, Value};

/// Where the app reads its configuration: Trunk copies `public/` to `dist/public/`, so a
/// deployment edits `dist/public/config.json`.
pub const CONFIG_PATH: &str = "/public/config.json";

/// How long an HTTP backend call may take before it is abandoned, unless configured.
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// The shortest and longest accepted `timeoutMs`.
pub const TIMEOUT_RANGE_MS: (u32, u32) = (100, 300_000);

/// The catalog team's address when the deployment names none: a placeholder on a reserved
/// domain (RFC 2606), to be replaced by each deployment's `catalogContact`.
pub const DEFAULT_CATALOG_CONTACT: &str = "catalog-team@example.com";

/// Which implementation of [`super::Backend`] the app opens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BackendKind {
    /// In the browser, on IndexedDB (`"embedded"`): works with nothing else running.
    #[default]
    Embedded,
    /// A server speaking `docs/api.md` at [`Config::base_url`] (`"http"`).
    Http,
}

/// The configuration the app runs with; every field has a default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `backend`: which backend to open.
    pub backend: BackendKind,
    /// `baseUrl`: where the HTTP backend's `/api/v1` lives, without a trailing slash: an
    /// absolute `http(s)://` URL or a path on this origin (`""` = this origin's root).
    pub base_url: String,
    /// `timeoutMs`: how long one HTTP call may take.
    pub timeout_ms: u32,
    /// `catalogContact`: the catalog team's email, shown where the wizard can't help.
    pub catalog_contact: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            backend: BackendKind::Embedded,
            base_url: String::new(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            catalog_contact: DEFAULT_CATALOG_CONTACT.to_string(),
        }
    }
}

/// The fields `config.json` may have.
const FIELDS: [&str; 4] = ["backend", "baseUrl", "timeoutMs", "catalogContact"];

/// Reads the text of `config.json`. Always answers a usable configuration; the warnings say
/// what was ignored and why (for the console). A malformed file, an unknown `backend` or an
/// unusable `baseUrl` fall back to the embedded backend; a bad `timeoutMs` or
/// `catalogContact` falls back to that field's default.
pub fn parse(text: &str) -> (Config, Vec<String>) {
    parse_checking(text, base_url)
}

/// [`parse`] with `check` in place of [`base_url`]. The app reads the file first without
/// checking `baseUrl` (`|raw| Ok(raw.into())`), only to learn whether it names the HTTP
/// backend: the check (the url crate) is that backend's code, fetched with it (`lazy.rs`),
/// and the file is then read again with [`parse`].
pub fn parse_checking(
    text: &str,
    check: impl Fn(&str) -> Result<String, &'static str>,
) -> (Config, Vec<String>) {
    let mut warnings = Vec::new();
    let mut config = Config::default();
    let fields: Map<String, Value> = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(fields)) => fields,
        Ok(_) => {
            warnings.push(format!(
                "{CONFIG_PATH} is not a JSON object like {{ \"backend\": \"embedded\" }}: using the embedded backend and the defaults"
            ));
            return (config, warnings);
        }
        Err(e) => {
            warnings.push(format!(
                "{CONFIG_PATH} is not valid JSON ({e}): using the embedded backend and the defaults"
            ));
            return (config, warnings);
        }
    };
    for key in fields.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        warnings.push(format!(
            "{CONFIG_PATH}: unknown field \"{key}\" is ignored (the fields are {})",
            FIELDS.join(", ")
        ));
    }

    if let Some(value) = fields.get("timeoutMs") {
        let (low, high) = TIMEOUT_RANGE_MS;
        match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(ms) if (low..=high).contains(&ms) => config.timeout_ms = ms,
            _ => warnings.push(format!(
                "{CONFIG_PATH}: timeoutMs {value} is not a whole number of milliseconds from {low} to {high}: using {DEFAULT_TIMEOUT_MS}"
            )),
        }
    }

    if let Some(value) = fields.get("catalogContact") {
        match value.as_str().map(str::trim) {
            Some(email) if is_email(email) => config.catalog_contact = email.to_string(),
            _ => warnings.push(format!(
                "{CONFIG_PATH}: catalogContact {value} is not an email address like name@company.com: using {DEFAULT_CATALOG_CONTACT}"
            )),
        }
    }

    let backend = match fields.get("backend") {
        None => BackendKind::Embedded,
        Some(Value::String(s)) if s == "embedded" => BackendKind::Embedded,
        Some(Value::String(s)) if s == "http" => BackendKind::Http,
        Some(other) => {
            warnings.push(format!(
                "{CONFIG_PATH}: backend {other} is neither \"embedded\" nor \"http\": using the embedded backend"
            ));
            BackendKind::Embedded
        }
    };
    if backend == BackendKind::Http {
        match fields.get("baseUrl").and_then(Value::as_str).map(check) {
            Some(Ok(url)) => {
                config.backend = BackendKind::Http;
                config.base_url = url;
            }
            // The value is not echoed: it might hold a secret.
            Some(Err(why)) => warnings.push(format!(
                "{CONFIG_PATH}: baseUrl {why}: using the embedded backend"
            )),
            None => warnings.push(format!(
                "{CONFIG_PATH}: backend \"http\" needs baseUrl, a string such as \"https://api.example.com\" or \"/backend\": using the embedded backend"
            )),
        }
    }
    (config, warnings)
}

/// Checks and normalises `baseUrl`: `Err` says why it can't be used (completing
/// "baseUrl …").
pub fn base_url(raw: &str) -> Result<String, &'static str> {
    let trimmed = raw.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    if trimmed.contains(['?', '#']) || trimmed.chars().any(char::is_whitespace) {
        return Err("must not hold spaces, a query (?) or a fragment (#)");
    }
    if trimmed.starts_with("//") {
        return Err("must name its scheme: write https://… or a path starting with /");
    }
    if trimmed.starts_with('/') {
        return Ok(trimmed.to_string());
    }
    let Ok(url) = url::Url::parse(trimmed) else {
        return Err("is neither an http(s):// URL nor a path starting with /");
    };
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("is neither an http(s):// URL nor a path starting with /");
    }
    if !url.username().is_empty() || url.password().is_some() {
        // A secret never goes in a URL (docs/ARCHITECTURE.md, invariants).
        return Err("must not hold a user name or password");
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        // Sign-in passwords and session cookies would cross the network in clear.
        return Err("must use https:// (plain http:// only for localhost)");
    }
    Ok(trimmed.to_string())
}

/// Whether `url` names this machine: `localhost` (and its subdomains), 127.0.0.0/8 or ::1.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.');
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn is_email(value: &str) -> bool {
    crate::domain::emails::check_email("catalogContact", value).is_ok()
}

/// Reads [`CONFIG_PATH`] (never from the HTTP cache, so an edited file applies at the next
/// load). Never fails: without a usable file the app runs on the embedded backend, and the
/// reason is a console warning.
/// Fails only when the file names the HTTP backend and that backend's code can't be fetched.
#[cfg(target_arch = "wasm32")]
pub async fn load() -> Result<Config, super::BackendError> {
    use gloo_net::http::Method;

    /// How long reading config.json may take before starting with the defaults.
    const CONFIG_TIMEOUT_MS: u32 = 5_000;
    let answer = match prefetched().await {
        Some(answer) => Ok(answer),
        None => super::http::exchange(Method::GET, CONFIG_PATH, None, CONFIG_TIMEOUT_MS).await,
    };
    let (config, warnings) =
        match answer {
            Ok((200, text)) => match parse_checking(&text, |raw| Ok(raw.into())) {
                (unchecked, _) if unchecked.backend == BackendKind::Http => {
                    split_call!(super::lazy::http_config(text))?
                }
                embedded => embedded,
            },
            Ok((status, _)) => (
                Config::default(),
                vec![format!(
                    "{CONFIG_PATH} could not be read (HTTP {status}): using the embedded backend and the defaults"
                )],
            ),
            Err(e) => (
                Config::default(),
                vec![format!(
                    "{CONFIG_PATH} could not be read ({e}): using the embedded backend and the defaults"
                )],
            ),
        };
    for warning in warnings {
        web_sys::console::warn_1(&warning.into());
    }
    Ok(config)
}

/// The answer `index.html`'s inline script started fetching while the app's code downloaded
/// (`window.oinConfig`, a promise of `[status, text]`), taken once. `None` when there is none
/// (another host page) or it failed: then [`load`] reads the file itself, with its timeout and
/// its words for what went wrong.
#[cfg(target_arch = "wasm32")]
async fn prefetched() -> Option<(u16, String)> {
    use wasm_bindgen::JsCast;

    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str("oinConfig");
    let promise = js_sys::Reflect::get(&window, &key)
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let pair = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .dyn_into::<js_sys::Array>()
        .ok()?;
    let status = pair
        .get(0)
        .as_f64()
        .filter(|s| (100.0..600.0).contains(s))?;
    Some((status as u16, pair.get(1).as_string()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(base_url: &str) -> Config {
        Config {
            backend: BackendKind::Http,
            base_url: base_url.to_string(),
            ..Config::default()
        }
    }

    #[test]
    fn parses_config_files() {
        let cases: Vec<(&str, Config, usize)> = vec![
            (r#"{ "backend": "embedded" }"#, Config::default(), 0),
            (r#"{}"#, Config::default(), 0),
            (
                r#"{ "backend": "http", "baseUrl": "https://api.example.com/oin/" }"#,
                http("https://api.example.com/oin"),
                0,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "/api-test" }"#,
                http("/api-test"),
                0,
            ),
            (r#"{ "backend": "http", "baseUrl": "" }"#, http(""), 0),
            (
                r#"{ "backend": "http", "baseUrl": "/b", "timeoutMs": 1000, "catalogContact": "oin@partner.example" }"#,
                Config {
                    timeout_ms: 1000,
                    catalog_contact: "oin@partner.example".into(),
                    ..http("/b")
                },
                0,
            ),
            // Malformed: embedded with defaults, one warning each.
            ("not json", Config::default(), 1),
            ("[]", Config::default(), 1),
            (r#"{ "backend": "HTTP" }"#, Config::default(), 1),
            (r#"{ "backend": "http" }"#, Config::default(), 1),
            (
                r#"{ "backend": "http", "baseUrl": 3 }"#,
                Config::default(),
                1,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "ftp://files.example.com" }"#,
                Config::default(),
                1,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "https://user:pw@api.example.com" }"#,
                Config::default(),
                1,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "https://api.example.com?token=x" }"#,
                Config::default(),
                1,
            ),
            // Issue 12: plain http only to this machine.
            (
                r#"{ "backend": "http", "baseUrl": "http://api.example.com" }"#,
                Config::default(),
                1,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "http://10.0.0.5:8080" }"#,
                Config::default(),
                1,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "http://localhost:8201" }"#,
                http("http://localhost:8201"),
                0,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "http://127.0.0.1:8201/oin" }"#,
                http("http://127.0.0.1:8201/oin"),
                0,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "http://[::1]:8201" }"#,
                http("http://[::1]:8201"),
                0,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "http://localhost.evil.example" }"#,
                Config::default(),
                1,
            ),
            // A bad optional field keeps the rest.
            (
                r#"{ "backend": "http", "baseUrl": "/b", "timeoutMs": 0 }"#,
                http("/b"),
                1,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "/b", "timeoutMs": "1000" }"#,
                http("/b"),
                1,
            ),
            (
                r#"{ "backend": "http", "baseUrl": "/b", "catalogContact": "the team" }"#,
                http("/b"),
                1,
            ),
            (
                r#"{ "backend": "embedded", "baseURL": "/b" }"#,
                Config::default(),
                1,
            ),
        ];
        for (text, want, warnings) in cases {
            let (got, said) = parse(text);
            assert_eq!(got, want, "{text}");
            assert_eq!(said.len(), warnings, "{text}: {said:?}");
        }
    }

    #[test]
    fn warnings_name_the_field_and_the_fallback() {
        let (_, said) = parse(r#"{ "backend": "http", "baseUrl": "https://u:secret@x.example" }"#);
        assert_eq!(
            said,
            vec![format!(
                "{CONFIG_PATH}: baseUrl must not hold a user name or password: using the embedded backend"
            )]
        );
        let (_, said) = parse(r#"{ "timeoutMs": 5 }"#);
        assert_eq!(
            said,
            vec![format!(
                "{CONFIG_PATH}: timeoutMs 5 is not a whole number of milliseconds from 100 to 300000: using 15000"
            )]
        );
    }
}
