//! The SSRF guard: which addresses a check may connect to, and a DNS resolver that enforces it.
//!
//! Menu URLs come from accounts we do not control, so a URL must never make us connect to
//! our own machine, the local network or a cloud metadata service. Names are resolved once,
//! here, and the connection goes to the address we checked (reqwest connects to what the
//! resolver returns), so a name cannot resolve to a public address for the check and to a
//! private one for the connection. Literal IP hosts never reach a resolver: [`check_url`]
//! refuses them before any request, and the fetcher calls it for every redirect hop.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why the guard refused a URL or a name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    #[error("地址 {0} 属于内网、本机、链路本地或云元数据地址，已拒绝访问")]
    Forbidden(IpAddr),
    #[error("不支持的协议“{0}”（仅检查 http/https）")]
    Scheme(String),
    #[error("链接缺少主机名")]
    NoHost,
    #[error("域名解析失败：{0}")]
    Dns(String),
}

/// True for addresses a public link must not point to.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return forbidden_v4(v4);
            }
            let s = v6.segments();
            v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated) fec0::/10
                || (s[0] == 0x64 && s[1] == 0xff9b) // NAT64 may reach private v4
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0x2002) // 6to4 may embed a private v4
        }
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // includes 169.254.169.254 (metadata)
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0 // "this network"
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // carrier-grade NAT 100.64/10
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking 198.18/15
        || o[0] >= 240 // reserved
}

/// Checks a URL before any connection: scheme, host, and a literal IP host.
pub fn check_url(url: &Url, allow_private: bool) -> Result<(), GuardError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(GuardError::Scheme(url.scheme().to_owned()));
    }
    let ip = match url.host() {
        None => return Err(GuardError::NoHost),
        Some(url::Host::Domain(_)) => return Ok(()),
        Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
    };
    if !allow_private && is_forbidden(ip) {
        return Err(GuardError::Forbidden(ip));
    }
    Ok(())
}

/// A resolver that drops forbidden addresses (fails when none is left), with optional fixed
/// answers per name (like curl's `--resolve`), which pass the same filter.
#[derive(Debug, Clone, Default)]
pub struct GuardedResolver {
    pub allow_private: bool,
    pub overrides: Arc<BTreeMap<String, IpAddr>>,
}

impl GuardedResolver {
    /// Resolves `host` and returns the permitted addresses (port 0).
    pub async fn lookup(&self, host: &str) -> Result<Vec<IpAddr>, GuardError> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let found: Vec<IpAddr> = if let Some(ip) = self.overrides.get(&host) {
            vec![*ip]
        } else {
            tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|e| GuardError::Dns(e.to_string()))?
                .map(|sa| sa.ip())
                .collect()
        };
        if found.is_empty() {
            return Err(GuardError::Dns(format!("{host} 无地址")));
        }
        if self.allow_private {
            return Ok(found);
        }
        let allowed: Vec<IpAddr> = found.iter().copied().filter(|ip| !is_forbidden(*ip)).collect();
        if allowed.is_empty() { Err(GuardError::Forbidden(found[0])) } else { Ok(allowed) }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let this = self.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let ips = this.lookup(&host).await?;
            let addrs: Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// Finds a [`GuardError`] in an error's source chain (reqwest wraps resolver errors).
pub fn find_guard_error<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a GuardError> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(g) = e.downcast_ref::<GuardError>() {
            return Some(g);
        }
        cur = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_addresses() {
        for s in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(is_forbidden(s.parse().unwrap()), "{s} should be forbidden");
        }
        for s in ["1.1.1.1", "202.108.22.5", "2400:3200::1", "8.8.8.8"] {
            assert!(!is_forbidden(s.parse().unwrap()), "{s} should be allowed");
        }
    }

    #[test]
    fn literal_hosts_are_refused_before_connecting() {
        for u in [
            "http://127.0.0.1/",
            "http://10.0.0.1/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://2130706433/",
            "http://0x7f.0.0.1/",
            "http://[::ffff:169.254.169.254]/",
            "http://0.0.0.0:8080/",
        ] {
            let url = Url::parse(u).unwrap();
            assert!(matches!(check_url(&url, false), Err(GuardError::Forbidden(_))), "{u}");
            assert!(check_url(&url, true).is_ok(), "{u} allowed with allow_private");
        }
        assert!(check_url(&Url::parse("https://www.gov.cn/").unwrap(), false).is_ok());
        assert!(matches!(
            check_url(&Url::parse("ftp://www.gov.cn/").unwrap(), false),
            Err(GuardError::Scheme(_))
        ));
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused() {
        let r = GuardedResolver::default();
        assert!(matches!(r.lookup("localhost").await, Err(GuardError::Forbidden(_))));
        let mut map = BTreeMap::new();
        map.insert("metadata.example".to_owned(), "169.254.169.254".parse().unwrap());
        let r = GuardedResolver { allow_private: false, overrides: Arc::new(map) };
        assert!(matches!(r.lookup("metadata.example").await, Err(GuardError::Forbidden(_))));
        let r = GuardedResolver { allow_private: true, ..r };
        assert_eq!(
            r.lookup("metadata.example").await.unwrap(),
            vec!["169.254.169.254".parse::<IpAddr>().unwrap()]
        );
    }
}
