//! Static URL checks with a real URL parser (SPEC 4, 5.1, 6): complete, https where required,
//! never `javascript:` / `data:`, no credentials in the URL.

use url::{Host, Url};

/// Which schemes a URL field accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// Only `https`.
    Https,
    /// `https`, or `http` (migrated published integrations, SPEC 4.2).
    HttpOrHttps,
}

/// Checks a static URL value; `Err` holds the whole actionable message, starting with
/// `what` ("Redirect URI").
pub fn check_url(what: &str, value: &str, scheme: Scheme) -> Result<(), String> {
    if value.trim() != value {
        return Err(format!(
            "{what} has spaces at the start or end; remove them"
        ));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(format!("{what} contains spaces; encode them as %20"));
    }
    let lower = value.to_ascii_lowercase();
    for bad in ["javascript:", "data:", "vbscript:", "file:"] {
        if lower.starts_with(bad) {
            return Err(format!(
                "{what} must be an https:// address, not a {} URL",
                bad.trim_end_matches(':')
            ));
        }
    }
    if host_part(value).is_some_and(|h| h.is_empty()) {
        return Err(format!("{what} has no host name after https://"));
    }
    let parsed = match Url::parse(value) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            return Err(format!(
                "{what} \"{value}\" is not a complete URL; start it with https://"
            ))
        }
        Err(url::ParseError::EmptyHost) => {
            return Err(format!("{what} has no host name after https://"))
        }
        Err(url::ParseError::IdnaError | url::ParseError::InvalidDomainCharacter) => {
            let host = host_part(value).unwrap_or(value);
            if host.is_ascii() {
                return Err(format!(
                    "{what} has an invalid host name \"{host}\": use letters, digits, hyphens and dots"
                ));
            }
            return Err(non_ascii(what));
        }
        Err(url::ParseError::InvalidPort) => return Err(format!("{what} has an invalid port")),
        Err(e) => {
            if !value.is_ascii() && host_part(value).is_some_and(|h| !h.is_ascii()) {
                return Err(non_ascii(what));
            }
            return Err(format!("{what} is not a valid URL ({e})"));
        }
    };
    match (parsed.scheme(), scheme) {
        ("https", _) | ("http", Scheme::HttpOrHttps) => {}
        ("http", Scheme::Https) => {
            return Err(format!("{what} must use https://, not http://"));
        }
        (other, _) => {
            return Err(format!(
                "{what} must be an https:// address, not a {other}: URL"
            ))
        }
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "{what} must not contain a user name or password; remove the part before @"
        ));
    }
    match parsed.host() {
        None => return Err(format!("{what} has no host name after https://")),
        Some(Host::Domain(d)) => {
            if d.split('.').any(|label| label.starts_with("xn--")) && !value.contains("xn--") {
                return Err(non_ascii(what));
            }
            let bad = |label: &str| {
                !label
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
            };
            if d.split('.').any(bad) || d.starts_with('.') || d.contains("..") {
                return Err(format!(
                    "{what} has an invalid host name \"{d}\": use letters, digits, hyphens and dots"
                ));
            }
        }
        Some(_) => {}
    }
    if !value.is_ascii() && host_part(value).is_some_and(|h| !h.is_ascii()) {
        return Err(non_ascii(what));
    }
    Ok(())
}

fn non_ascii(what: &str) -> String {
    format!("{what} has a non-ASCII host name. Use the ASCII (xn--) form of the host name")
}

/// The host-ish part of a URL text: between `://` and the next `/`, `?` or `#`.
fn host_part(value: &str) -> Option<&str> {
    let rest = &value[value.find("://")? + 3..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// The address to put in a link or a window built from stored data (a configuration guide, a
/// sign-in URL a backend recorded), or `None` when it fails [`check_url`]: a stored
/// `javascript:` or `data:` value never becomes a link.
pub fn link_target(value: &str) -> Option<&str> {
    let value = value.trim();
    check_url("Link", value, Scheme::HttpOrHttps)
        .ok()
        .map(|()| value)
}
