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

/// Whether an address is one the open internet reaches. IPv6 forms that
/// carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by
/// that address; Teredo, whose embedded address is hidden, never passes.
fn public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || a == 100 && (b & 0xc0) == 64
                || a == 192 && b == 0 && c == 0
                || a == 198 && (b & 0xfe) == 18
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            let o = v6.octets();
            let embedded = |at: usize| {
                IpAddr::V4(std::net::Ipv4Addr::new(
                    o[at],
                    o[at + 1],
                    o[at + 2],
                    o[at + 3],
                ))
            };
            if let Some(v4) = v6.to_ipv4_mapped() {
                return public(IpAddr::V4(v4));
            }
            // ::a.b.c.d (IPv4-compatible) and 64:ff9b::/96 (NAT64).
            if seg[..6] == [0; 6] && seg[6..] != [0, 1] && seg[6..] != [0, 0] {
                return public(embedded(12));
            }
            if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                return public(embedded(12));
            }
            // 2002::/16, 6to4: the IPv4 address in bits 16 to 48.
            if seg[0] == 0x2002 {
                return public(embedded(2));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00
                || (seg[0] & 0xffc0) == 0xfe80
                || (seg[0] & 0xffc0) == 0xfec0
                || seg[0] == 0x2001 && seg[1] == 0
                || seg[0] == 0x2001 && seg[1] == 0x0db8
                || seg[0] == 0x0064 && seg[1] == 0xff9b
                || seg[..4] == [0x100, 0, 0, 0])
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
        // One answer whether the name does not resolve or resolves only
        // to private addresses: an editor learns nothing of which internal
        // names exist.
        let refused = || {
            std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("{netloc} is not a public address, or no such host"),
            )
        };
        let all: Vec<SocketAddr> = match netloc.to_socket_addrs() {
            Ok(all) => all.collect(),
            Err(_) if !self.allow_private => return Err(refused()),
            Err(e) => return Err(e),
        };
        let kept: Vec<SocketAddr> = all
            .into_iter()
            .filter(|a| self.allow_private || public(a.ip()))
            .collect();
        if kept.is_empty() {
            return Err(refused());
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
            "::127.0.0.1",
            "::10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:db8::1",
            "fec0::1",
            "240.0.0.1",
            "198.18.0.1",
            "192.0.0.8",
            "0.1.2.3",
        ] {
            assert!(!public(private.parse().unwrap()), "{private}");
        }
        for open in [
            "93.184.216.34",
            "2606:2800:220:1:248:1893:25c8:1946",
            "64:ff9b::5db8:d822",
            "2002:5db8:d822::1",
            "::ffff:93.184.216.34",
        ] {
            assert!(public(open.parse().unwrap()), "{open}");
        }
        assert!(fetch("file:///etc/passwd", true).is_err());
        assert!(fetch("ftp://example.org/x", true).is_err());
        let refused = fetch("http://127.0.0.1:9/", false)
            .err()
            .unwrap_or_default();
        assert!(refused.contains("not a public address"), "{refused}");
        // A name that does not resolve is told the same way.
        let unknown = fetch("http://no-such-host.invalid/", false)
            .err()
            .unwrap_or_default();
        assert!(
            unknown.contains("not a public address, or no such host"),
            "{unknown}"
        );
    }
}
