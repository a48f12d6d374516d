//! The expression-result URL check (SPEC 4.3–4.5, 6): is a text a complete https URL?
//!
//! Deliberately small and strict, without a URL crate: scheme `https` (or `http` when allowed,
//! for migrated integrations), `://`, an ASCII host made of valid DNS labels, an IPv4 address or
//! a bracketed IPv6 address, an optional port 1–65535, no credentials (`user@`), no whitespace
//! or control characters, and a path/query/fragment of characters a URL may carry (`%` only as
//! `%XX`; none of `" < > \ ^ ` { | }`).

use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a text is not a valid URL: a sentence a user can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlProblem(pub String);

impl std::fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad<T>(msg: impl Into<String>) -> Result<T, UrlProblem> {
    Err(UrlProblem(msg.into()))
}

/// Checks that `s` is a complete `https` URL (`http` too when `allow_http`).
pub fn check_url(s: &str, allow_http: bool) -> Result<(), UrlProblem> {
    if s.is_empty() {
        return bad("the URL is empty");
    }
    if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return bad(if c == ' ' {
            "it contains a space".to_string()
        } else {
            format!("it contains the character {c:?}")
        });
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        return bad(if allow_http {
            "it must start with https:// or http://"
        } else {
            "it must start with https://"
        });
    };
    let scheme_ok =
        scheme.eq_ignore_ascii_case("https") || (allow_http && scheme.eq_ignore_ascii_case("http"));
    if !scheme_ok {
        return bad(if scheme.eq_ignore_ascii_case("http") {
            "it must use https://, not http://".to_string()
        } else {
            format!("it must start with https://, not {scheme}://")
        });
    }
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(auth_end);
    if authority.contains('@') {
        return bad("it must not contain credentials (user@ before the host)");
    }
    let (host, port) = split_port(authority)?;
    check_host(host)?;
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return bad(format!("the port `{p}` is not a number"));
        }
        match p.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) => {}
            _ => return bad(format!("the port {p} is out of range 1–65535")),
        }
    }
    check_tail(tail)
}

/// Splits `host[:port]`, minding `[IPv6]`.
fn split_port(authority: &str) -> Result<(&str, Option<&str>), UrlProblem> {
    if authority.starts_with('[') {
        let Some(close) = authority.find(']') else {
            return bad("the IPv6 address has no closing `]`");
        };
        let (h, rest) = authority.split_at(close + 1);
        return match rest.strip_prefix(':') {
            Some(p) => Ok((h, Some(p))),
            None if rest.is_empty() => Ok((h, None)),
            None => bad("unexpected text after the IPv6 address"),
        };
    }
    Ok(match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    })
}

fn check_host(host: &str) -> Result<(), UrlProblem> {
    if host.is_empty() {
        return bad("the host is missing");
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return match inner.parse::<Ipv6Addr>() {
            Ok(_) => Ok(()),
            Err(_) => bad(format!("`{host}` is not a valid IPv6 address")),
        };
    }
    if !host.is_ascii() {
        return bad("the host must be ASCII (write international names in punycode, xn--…)");
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    let labels: Vec<&str> = name.split('.').collect();
    let numeric = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit());
    if labels.last().is_some_and(|l| numeric(l)) {
        if labels.len() == 4
            && labels.iter().all(|l| numeric(l))
            && name.parse::<Ipv4Addr>().is_ok()
        {
            return Ok(());
        }
        return bad(format!(
            "`{host}` is neither a valid IPv4 address nor a host name"
        ));
    }
    if name.len() > 253 {
        return bad("the host name is longer than 253 characters");
    }
    for label in labels {
        if label.is_empty() {
            return bad(format!(
                "the host `{host}` has an empty part (two dots in a row, or a dot at the start)"
            ));
        }
        if label.len() > 63 {
            return bad("a part of the host name is longer than 63 characters");
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return bad(format!("the host `{host}` contains `{c}`"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return bad(format!(
                "a part of the host `{host}` starts or ends with `-`"
            ));
        }
    }
    Ok(())
}

fn check_tail(tail: &str) -> Result<(), UrlProblem> {
    let mut in_fragment = false;
    let b = tail.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(&c) = b.get(i) else { break };
        match c {
            b'%' => {
                let ok = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
                if !ok {
                    return bad("a `%` must be followed by two hex digits (%20)");
                }
                i += 3;
                continue;
            }
            b'#' if in_fragment => return bad("it contains a second `#`"),
            b'#' => in_fragment = true,
            b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' => {
                return bad(format!(
                    "it contains `{}`, which a URL cannot carry unencoded",
                    c as char
                ));
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn table() {
        // (url, allow_http, ok)
        let rows: &[(&str, bool, bool)] = &[
            ("https://example.com", false, true),
            ("https://example.com/", false, true),
            ("HTTPS://Example.COM/Path", false, true),
            (
                "https://berryfarm.example.org/strawberry/login",
                false,
                true,
            ),
            (
                "https://a.b.c.d.example.org:8443/x?y=1&z=2#frag",
                false,
                true,
            ),
            ("https://localhost", false, true),
            ("https://localhost:1", false, true),
            ("https://localhost:65535/", false, true),
            ("https://localhost:65536/", false, false),
            ("https://localhost:0/", false, false),
            ("https://localhost:/", false, false),
            ("https://localhost:80a/", false, false),
            ("https://127.0.0.1/", false, true),
            ("https://256.0.0.1/", false, false),
            ("https://1.2.3/", false, false),
            ("https://example.123/", false, false),
            ("https://[::1]/", false, true),
            ("https://[2001:db8::1]:443/a", false, true),
            ("https://[2001:db8::g]/", false, false),
            ("https://[::1/", false, false),
            ("https://.example.org/strawberry/login", false, false),
            ("https://example..org/", false, false),
            ("https:///path", false, false),
            ("https://", false, false),
            ("", false, false),
            ("example.com", false, false),
            ("//example.com", false, false),
            ("http://example.com", false, false),
            ("http://example.com", true, true),
            ("ftp://example.com", true, false),
            ("https://user:pw@example.com/", false, false),
            ("https://user@example.com/", false, false),
            ("https://exa mple.com/", false, false),
            ("https://example.com/a b", false, false),
            ("https://example.com/a\tb", false, false),
            ("https://-bad.example.com/", false, false),
            ("https://bad-.example.com/", false, false),
            ("https://ok-host.example.com/", false, true),
            ("https://under_score.example.com/", false, false),
            ("https://exämple.com/", false, false),
            ("https://xn--exmple-cua.com/", false, true),
            ("https://example.com./", false, true),
            ("https://example.com/%20ok", false, true),
            ("https://example.com/%2", false, false),
            ("https://example.com/%zz", false, false),
            ("https://example.com/{app.x}", false, false),
            ("https://example.com/a|b", false, false),
            ("https://example.com/a\"b", false, false),
            ("https://example.com/?connection=abc", false, true),
            ("https://login.myapp.io?connection=acme", false, true),
            ("https://example.com#a#b", false, false),
            ("https://example.com/é", false, true),
            ("https://example.com/a@b:c;d=e,f", false, true),
            ("https://app.data.one/", false, true),
            ("https://host1.com/sso/saml", false, true),
            ("https://.host.com/sso/saml", false, false),
            ("https://login.myapp.io", false, true),
            ("https://a.com:443", false, true),
            ("https://a.com:99999", false, false),
            ("https://a.com:-1", false, false),
            (
                "https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com/",
                false,
                false,
            ),
        ];
        for (url, http, ok) in rows {
            assert_eq!(
                check_url(url, *http).is_ok(),
                *ok,
                "{url:?} (allow_http {http}): {:?}",
                check_url(url, *http)
            );
        }
    }

    #[test]
    fn messages_say_what_to_fix() {
        let m = |u: &str| check_url(u, false).err().map(|e| e.0).unwrap_or_default();
        assert_eq!(m("http://a.com"), "it must use https://, not http://");
        assert_eq!(m("a.com"), "it must start with https://");
        assert!(m("https://.a.com").contains("empty part"));
        assert!(m("https://u@a.com").contains("credentials"));
    }
}
