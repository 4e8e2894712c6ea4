//! Stable identifiers. An id is derived from what identifies the thing (a
//! name key, the two ends of a relationship, a source and a text), so that
//! importing the same source again yields the same ids.

use sha1::{Digest, Sha1};

/// `prefix-` followed by 16 hex digits of the SHA-1 of the parts (joined by a
/// unit separator, so `["a b", "c"]` and `["a", "b c"]` differ).
pub fn stable_id(prefix: &str, parts: &[&str]) -> String {
    let mut h = Sha1::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0x1f]);
        }
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(prefix.len() + 17);
    out.push_str(prefix);
    out.push('-');
    for b in &digest[..8] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// SHA-1 hex of a string, as FtM uses for statement ids.
pub fn sha1_hex(text: &str) -> String {
    sha1_bytes_hex(text.as_bytes())
}

/// SHA-1 hex of bytes: a file's `contentHash`, as FtM defines it (its
/// `checksum` type is SHA-1).
pub fn sha1_bytes_hex(bytes: &[u8]) -> String {
    // The digest's own hex: one string written at once (a `format!` a byte
    // was a twentieth of an FtM import).
    format!("{:x}", Sha1::digest(bytes))
}

/// SHA-256 hex of bytes: the address of an archived copy.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", sha2::Sha256::digest(bytes))
}

/// The id prefix of a schema, so an id says what it names.
pub fn prefix_for(schema: &str) -> &'static str {
    match schema {
        "Organization" | "PublicBody" => "org",
        "Person" => "per",
        "Membership" => "mem",
        "Employment" => "emp",
        "Directorship" => "dir",
        "Payment" => "pay",
        "UnknownLink" => "lnk",
        "Documentation" => "dcn",
        "Document" | "Article" => "doc",
        "Claim" => "clm",
        "Quotation" => "quo",
        "Anchor" => "anc",
        "Judgement" => "jdg",
        "Event" => "evt",
        "Note" => "note",
        _ => "ent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_separated() {
        assert_eq!(stable_id("org", &["a"]), stable_id("org", &["a"]));
        assert_ne!(
            stable_id("org", &["a b", "c"]),
            stable_id("org", &["a", "b c"])
        );
        assert_eq!(stable_id("org", &["x"]).len(), 4 + 16);
        assert_eq!(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
