//! Which URLs and addresses the runner may call (issue 15, "Safety").
//!
//! The runner calls a URL a vendor typed, from inside our network, so by default it calls only
//! https URLs whose host resolves to public addresses. The check happens where the address is
//! chosen: the HTTP client's resolver ([`CheckedResolver`]) resolves the name once, refuses it
//! when any answer is not public, and hands exactly the checked addresses to the connector, so
//! a second lookup (DNS rebinding) cannot swap in another address. IP-literal hosts never reach
//! a resolver, so [`check_url`] checks them before any request. Redirects are never followed.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use url::{Host, Url};

/// Why an address is not public, in words for the report; `None` when it is public.
pub fn non_public_reason(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_reason(v4),
        IpAddr::V6(v6) => v6_reason(v6),
    }
}

fn v4_reason(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    let reason = match (a, b, c) {
        (0, _, _) => "an unspecified (\"this network\") address",
        (10, _, _) => "a private address (10.0.0.0/8)",
        (100, 64..=127, _) => "a shared (CGNAT) address (100.64.0.0/10)",
        (127, _, _) => "a loopback address",
        (169, 254, _) => {
            "a link-local address (169.254.0.0/16, where cloud metadata services live)"
        }
        (172, 16..=31, _) => "a private address (172.16.0.0/12)",
        (192, 0, 0) => "an IETF protocol address (192.0.0.0/24)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "a documentation address",
        (192, 88, 99) => "a 6to4 relay address (192.88.99.0/24)",
        (192, 168, _) => "a private address (192.168.0.0/16)",
        (198, 18..=19, _) => "a benchmarking address (198.18.0.0/15)",
        (224..=239, _, _) => "a multicast address",
        (240..=255, _, _) => "a reserved or broadcast address",
        // Azure's wire server / metadata address sits in a public range.
        (168, 63, 129) if ip.octets()[3] == 16 => "a cloud metadata address",
        _ => return None,
    };
    Some(reason)
}

fn v6_reason(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    // Forms that carry an IPv4 address are judged by that address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        // ::ffff:a.b.c.d
        return v4_reason(v4);
    }
    if s[0] == 0x0064 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        // 64:ff9b::/96, the well-known NAT64 prefix.
        let v4 = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
        return v4_reason(v4);
    }
    if s[0] == 0x2002 {
        // 2002::/16, 6to4: the IPv4 address is in bits 16..48.
        let v4 = Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8);
        return v4_reason(v4);
    }
    let reason = if ip.is_unspecified() {
        "an unspecified address"
    } else if ip.is_loopback() {
        "a loopback address"
    } else if s[0..6] == [0, 0, 0, 0, 0, 0] {
        "an IPv4-compatible IPv6 address (deprecated)"
    } else if s[0] == 0x0064 && s[1] == 0xff9b {
        "a local-use NAT64 address (64:ff9b:1::/48)"
    } else if s[0] & 0xfe00 == 0xfc00 {
        "a unique local (private) address (fc00::/7, where some cloud metadata services live)"
    } else if s[0] & 0xffc0 == 0xfe80 {
        "a link-local address (fe80::/10)"
    } else if s[0] & 0xffc0 == 0xfec0 {
        "a site-local address (fec0::/10)"
    } else if s[0] & 0xff00 == 0xff00 {
        "a multicast address"
    } else if s[0] == 0x2001 && s[1] < 0x0200 {
        "an IETF protocol address (2001::/23, Teredo included)"
    } else if (s[0] == 0x2001 && s[1] == 0x0db8) || (s[0] == 0x3fff && s[1] & 0xf000 == 0) {
        "a documentation address"
    } else if s[0] & 0xe000 != 0x2000 {
        "an address outside the global unicast range (2000::/3)"
    } else {
        return None;
    };
    Some(reason)
}

/// Why the runner refused to call a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not a URL at all.
    Malformed(String),
    /// Not https (and local testing is off).
    NotHttps(String),
    /// `user:password@` in the URL: credentials belong in the authentication settings.
    CredentialsInUrl,
    /// The host is, or resolves to, an address that is not public.
    NonPublic {
        /// The host as written.
        host: String,
        /// The offending address.
        ip: IpAddr,
        /// Why it is not public.
        why: &'static str,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Malformed(detail) => write!(f, "The URL is not valid: {detail}."),
            Refusal::NotHttps(scheme) => write!(
                f,
                "The URL uses {scheme}: the runner calls only https URLs. Serve the SCIM API over https."
            ),
            Refusal::CredentialsInUrl => f.write_str(
                "The URL contains a user name or password: put credentials in the authentication settings, never in the URL.",
            ),
            Refusal::NonPublic { host, ip, why } if host == &ip.to_string() => write!(
                f,
                "{ip} is {why}: the runner calls only public addresses. Use the public host name of your SCIM server."
            ),
            Refusal::NonPublic { host, ip, why } => write!(
                f,
                "{host} resolves to {ip}, {why}: the runner calls only public addresses. Use the public host name of your SCIM server."
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Parses a URL and checks what can be checked without DNS: the scheme (https only unless
/// `allow_local`), no credentials in it, and an IP-literal host must be public.
pub fn check_url(raw: &str, allow_local: bool) -> Result<Url, Refusal> {
    let url = Url::parse(raw.trim()).map_err(|e| Refusal::Malformed(e.to_string()))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_local => {}
        other => return Err(Refusal::NotHttps(other.to_string())),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::CredentialsInUrl);
    }
    let ip = match url.host() {
        None => return Err(Refusal::Malformed("it has no host".into())),
        Some(Host::Domain(_)) => None,
        Some(Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
    };
    if let (Some(ip), false) = (ip, allow_local) {
        if let Some(why) = non_public_reason(ip) {
            return Err(Refusal::NonPublic {
                host: ip.to_string(),
                ip,
                why,
            });
        }
    }
    Ok(url)
}

/// A name lookup could not find the host.
#[derive(Debug)]
pub struct DnsFailure {
    /// The host name.
    pub host: String,
    /// What the resolver said.
    pub detail: String,
}

impl std::fmt::Display for DnsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "DNS: the name {} could not be resolved ({}). Check the host name in the base URL.",
            self.host, self.detail
        )
    }
}

impl std::error::Error for DnsFailure {}

/// A future resolving a host name to addresses.
pub type Lookup = Pin<Box<dyn Future<Output = Result<Vec<IpAddr>, String>> + Send>>;

/// How host names become addresses. [`SystemLookup`] asks the operating system; tests give a
/// table, so that no query leaves the machine.
pub trait NameLookup: Send + Sync {
    /// All addresses of `host`.
    fn lookup(&self, host: &str) -> Lookup;
}

/// The operating system's resolver (getaddrinfo, through tokio).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemLookup;

impl NameLookup for SystemLookup {
    fn lookup(&self, host: &str) -> Lookup {
        let host = host.to_string();
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| e.to_string())?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

/// The HTTP client's resolver: resolves once, refuses the name if any answer is not public
/// (unless `allow_local`), and returns exactly the checked addresses to connect to.
#[derive(Clone)]
pub struct CheckedResolver {
    lookup: Arc<dyn NameLookup>,
    allow_local: bool,
}

impl CheckedResolver {
    /// A resolver over `lookup`.
    pub fn new(lookup: Arc<dyn NameLookup>, allow_local: bool) -> CheckedResolver {
        CheckedResolver {
            lookup,
            allow_local,
        }
    }

    /// Resolves and checks `host`.
    pub async fn resolve_checked(
        &self,
        host: &str,
    ) -> Result<Vec<IpAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let ips = self
            .lookup
            .lookup(host)
            .await
            .map_err(|detail| DnsFailure {
                host: host.to_string(),
                detail,
            })?;
        if ips.is_empty() {
            return Err(Box::new(DnsFailure {
                host: host.to_string(),
                detail: "no addresses".into(),
            }));
        }
        if !self.allow_local {
            for ip in &ips {
                if let Some(why) = non_public_reason(*ip) {
                    return Err(Box::new(Refusal::NonPublic {
                        host: host.to_string(),
                        ip: *ip,
                        why,
                    }));
                }
            }
        }
        Ok(ips)
    }
}

impl reqwest::dns::Resolve for CheckedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let this = self.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let ips = this.resolve_checked(&host).await?;
            let addrs: reqwest::dns::Addrs =
                Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}
