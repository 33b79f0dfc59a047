//! The browser's only way out: a forward proxy on 127.0.0.1 that resolves every host through
//! the SSRF guard and connects to the address it checked.
//!
//! Chromium is started with this proxy for every scheme (`--proxy-server`, loopback included
//! with `<-loopback>`) and with its own resolver switched off, so that every connection a page
//! makes — documents, subresources, WebSockets (tunnelled with CONNECT), fetches from workers —
//! goes through [`GuardedResolver`]: a name cannot resolve to a public address for the check
//! and to a private one for the connection (DNS rebinding), and `ws://127.0.0.1` is refused
//! like `http://127.0.0.1`. Responses are cut at [`MAX_RESPONSE_BYTES`], which bounds what a
//! hostile page can make the browser load.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::guard::{GuardedResolver, is_forbidden};

/// The most one response (or one tunnel, downstream) may carry.
pub const MAX_RESPONSE_BYTES: u64 = 32 << 20;
/// The longest request head the proxy reads.
const MAX_HEAD: usize = 64 << 10;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the proxy lets the browser connect.
#[derive(Debug, Clone)]
pub enum Rule {
    /// Wherever the resolver permits (its `allow_private` decides about private addresses).
    Resolve(GuardedResolver),
    /// Nowhere (offline snapshots).
    Deny,
}

/// A running proxy; stops (with every connection) when dropped.
pub struct Proxy {
    pub addr: SocketAddr,
    /// Connections refused by the rule.
    pub refused: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    pub async fn start(rule: Rule) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind((IpAddr::from([127, 0, 0, 1]), 0)).await?;
        let addr = listener.local_addr()?;
        let refused = Arc::new(AtomicU64::new(0));
        let (rule, count) = (Arc::new(rule), refused.clone());
        let task = tokio::spawn(async move {
            let mut conns = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let (rule, count) = (rule.clone(), count.clone());
                conns.spawn(async move {
                    if let Err(Refusal) = serve(stream, &rule).await {
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                });
                while conns.try_join_next().is_some() {}
            }
        });
        Ok(Proxy { addr, refused, task })
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The rule refused the connection.
struct Refusal;

async fn serve(mut client: TcpStream, rule: &Rule) -> Result<(), Refusal> {
    let Some((head, rest)) = read_head(&mut client).await else { return Ok(()) };
    let Some(req) = Request::parse(&head) else {
        let _ = client.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n").await;
        return Ok(());
    };
    let Some(ip) = permitted(rule, &req.host).await else {
        let _ = client
            .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return Err(Refusal);
    };
    let Ok(Ok(mut server)) = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect((ip, req.port))).await
    else {
        let _ = client
            .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return Ok(());
    };
    let sent = match &req.forward {
        None => client.write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n").await,
        Some(head) => server.write_all(head).await,
    };
    if sent.is_err() || server.write_all(&rest).await.is_err() {
        return Ok(());
    }
    let (mut cr, mut cw) = client.split();
    let (mut sr, mut sw) = server.split();
    let up = tokio::io::copy(&mut cr, &mut sw);
    let down = async {
        let _ = tokio::io::copy(&mut (&mut sr).take(MAX_RESPONSE_BYTES), &mut cw).await;
        let _ = cw.shutdown().await;
    };
    // Either direction ending ends the exchange (the response is cut at the cap).
    tokio::select! {
        _ = up => {}
        _ = down => {}
    }
    Ok(())
}

/// The address to connect to for `host`, when the rule permits one.
async fn permitted(rule: &Rule, host: &str) -> Option<IpAddr> {
    let Rule::Resolve(resolver) = rule else { return None };
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = literal.parse::<IpAddr>() {
        return (resolver.allow_private || !is_forbidden(ip)).then_some(ip);
    }
    resolver.lookup(host).await.ok()?.first().copied()
}

/// Reads up to the end of the request head; returns it and the bytes read past it.
async fn read_head(client: &mut TcpStream) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        let n = client.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            return Some((buf, rest));
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
    }
}

/// A proxy request: `CONNECT host:port` (a tunnel) or `METHOD http://host:port/path` (a
/// plain request, forwarded in origin form with `Connection: close`).
struct Request {
    host: String,
    port: u16,
    /// The head to send to the server; none for a tunnel.
    forward: Option<Vec<u8>>,
}

impl Request {
    fn parse(head: &[u8]) -> Option<Request> {
        let text = std::str::from_utf8(head).ok()?;
        let mut lines = text.split("\r\n");
        let mut first = lines.next()?.split(' ');
        let (method, target, version) = (first.next()?, first.next()?, first.next()?);
        if method.eq_ignore_ascii_case("CONNECT") {
            let url = url::Url::parse(&format!("http://{target}/")).ok()?;
            return Some(Request { host: url.host_str()?.to_owned(), port: url.port()?, forward: None });
        }
        let url = url::Url::parse(target).ok()?;
        if url.scheme() != "http" {
            return None;
        }
        let mut out =
            format!("{method} {} {version}\r\n", &url[url::Position::BeforePath..url::Position::AfterQuery]);
        for line in lines.filter(|l| !l.is_empty()) {
            let name = line.split(':').next().unwrap_or("").trim().to_ascii_lowercase();
            if !matches!(
                name.as_str(),
                "connection" | "proxy-connection" | "keep-alive" | "proxy-authorization"
            ) {
                out.push_str(line);
                out.push_str("\r\n");
            }
        }
        out.push_str("Connection: close\r\n\r\n");
        Some(Request {
            host: url.host_str()?.to_owned(),
            port: url.port_or_known_default()?,
            forward: Some(out.into_bytes()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tunnels_and_plain_requests() {
        let r = Request::parse(b"CONNECT example.gov.cn:443 HTTP/1.1\r\nHost: example.gov.cn:443\r\n\r\n")
            .unwrap();
        assert_eq!((r.host.as_str(), r.port, r.forward.is_none()), ("example.gov.cn", 443, true));
        let r = Request::parse(b"CONNECT [::1]:8080 HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!((r.host.as_str(), r.port), ("[::1]", 8080));
        let r = Request::parse(
            b"GET http://a.gov.cn/x?y=1 HTTP/1.1\r\nHost: a.gov.cn\r\nProxy-Connection: keep-alive\r\n\r\n",
        )
        .unwrap();
        assert_eq!((r.host.as_str(), r.port), ("a.gov.cn", 80));
        assert_eq!(
            String::from_utf8(r.forward.unwrap()).unwrap(),
            "GET /x?y=1 HTTP/1.1\r\nHost: a.gov.cn\r\nConnection: close\r\n\r\n"
        );
        assert!(Request::parse(b"GET ftp://a/ HTTP/1.1\r\n\r\n").is_none());
    }

    #[tokio::test]
    async fn refuses_private_addresses_and_everything_when_denying() {
        let guarded = Rule::Resolve(GuardedResolver::default());
        assert_eq!(permitted(&guarded, "127.0.0.1").await, None);
        assert_eq!(permitted(&guarded, "[::1]").await, None);
        assert_eq!(permitted(&guarded, "localhost").await, None);
        assert_eq!(permitted(&guarded, "1.1.1.1").await, Some(IpAddr::from([1, 1, 1, 1])));
        let open = Rule::Resolve(GuardedResolver { allow_private: true, ..GuardedResolver::default() });
        assert_eq!(permitted(&open, "127.0.0.1").await, Some(IpAddr::from([127, 0, 0, 1])));
        assert_eq!(permitted(&Rule::Deny, "1.1.1.1").await, None);
    }

    /// The proxy connects to the address the resolver gave, never looks the name up again:
    /// `localhost` pinned to 127.0.0.2 reaches 127.0.0.2, not 127.0.0.1.
    #[tokio::test]
    async fn connects_where_the_guard_looked() {
        let pinned = TcpListener::bind("127.0.0.2:0").await.unwrap();
        let port = pinned.local_addr().unwrap().port();
        let Ok(other) = TcpListener::bind(("127.0.0.1", port)).await else { return };
        let overrides = std::iter::once(("localhost".to_owned(), IpAddr::from([127, 0, 0, 2]))).collect();
        let proxy = Proxy::start(Rule::Resolve(GuardedResolver {
            allow_private: true,
            overrides: Arc::new(overrides),
        }))
        .await
        .unwrap();
        let mut c = TcpStream::connect(proxy.addr).await.unwrap();
        c.write_all(format!("CONNECT localhost:{port} HTTP/1.1\r\n\r\n").as_bytes()).await.unwrap();
        let (accepted, _) =
            tokio::time::timeout(Duration::from_secs(5), pinned.accept()).await.unwrap().unwrap();
        let mut reply = [0u8; 12];
        c.read_exact(&mut reply).await.unwrap();
        assert_eq!(&reply, b"HTTP/1.1 200");
        drop(accepted);
        assert!(tokio::time::timeout(Duration::from_millis(200), other.accept()).await.is_err());
    }
}
