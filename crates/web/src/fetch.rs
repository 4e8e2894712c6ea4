//! Fetching a source's address to archive it, when an editor asks. A
//! server that fetches what a form names must not become a way into the
//! network it sits in: only http and https, at most 10 MB, 15 seconds, a
//! few redirects, and every address a name resolves to must be a public
//! one (no loopback, private, link-local or unspecified addresses) unless
//! the server was started to allow them (`serve --archive-private`).

use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::Duration;

/// The most bytes fetched.
pub const MAX_BYTES: u64 = 10 << 20;

/// A page fetched: its bytes and the address it came from (after
/// redirects). What it is, is told from the bytes on intake.
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub url: String,
}

/// Whether an address is one the open internet reaches.
fn public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00
                || (seg[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| !public(IpAddr::V4(v4))))
        }
    }
}

/// Resolves names as the system does, keeping only public addresses
/// (checked where the connection is made, so a name cannot change its
/// answer between a check and the fetch).
struct PublicOnly {
    allow_private: bool,
}

impl ureq::Resolver for PublicOnly {
    fn resolve(&self, netloc: &str) -> std::io::Result<Vec<SocketAddr>> {
        let all: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
        let kept: Vec<SocketAddr> = all
            .into_iter()
            .filter(|a| self.allow_private || public(a.ip()))
            .collect();
        if kept.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("{netloc} is not a public address"),
            ));
        }
        Ok(kept)
    }
}

/// Fetches an address for the archive.
pub fn fetch(url: &str, allow_private: bool) -> Result<Fetched, String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(format!("{url:?} is not an http or https address"));
    }
    let agent = ureq::AgentBuilder::new()
        .resolver(PublicOnly { allow_private })
        .timeout(Duration::from_secs(15))
        .redirects(5)
        .user_agent("Dossier (archiving a cited source)")
        .build();
    let response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Status(code, _) => format!("{url} answered {code}"),
        ureq::Error::Transport(t) => format!("{url} could not be fetched: {t}"),
    })?;
    let final_url = response.get_url().to_string();
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{url} could not be read: {e}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!("{url} is larger than {} MB", MAX_BYTES >> 20));
    }
    Ok(Fetched {
        bytes,
        url: final_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.1.1",
            "172.16.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!public(private.parse().unwrap()), "{private}");
        }
        for open in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"] {
            assert!(public(open.parse().unwrap()), "{open}");
        }
        assert!(fetch("file:///etc/passwd", true).is_err());
        assert!(fetch("ftp://example.org/x", true).is_err());
        let refused = fetch("http://127.0.0.1:9/", false)
            .err()
            .unwrap_or_default();
        assert!(refused.contains("not a public address"), "{refused}");
    }
}
