//! Malformed WARC files: a clear error naming the record, nothing archived
//! in part, and no panic whatever the bytes.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

use dossier_evidence::intake::{intake, FileMeta};
use dossier_formats::warc::{record_id, NewRecord, WarcWriter};
use proptest::prelude::*;

fn meta() -> FileMeta {
    FileMeta {
        name: "crawl.warc.gz".into(),
        url: None,
        retrieved: None,
        user: "t".into(),
        now: "2024-01-01T00:00:00Z".into(),
    }
}

fn response(html: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}", html.len()).into_bytes()
}

/// Three response records, each its own gzip member.
fn good_warc() -> Vec<u8> {
    let mut w = WarcWriter::new(Vec::new());
    for i in 0..3 {
        let url = format!("https://example.org/{i}");
        let block = response(&format!(
            "<html><body><p>Page {i} says hello.</p></body></html>"
        ));
        w.write(&NewRecord {
            warc_type: "response",
            record_id: record_id(&[url.as_bytes()]),
            date: format!("2024-0{}-01T12:00:00Z", i + 1),
            content_type: "application/http; msgtype=response",
            fields: vec![("WARC-Target-URI", url.clone())],
            block: &block,
        })
        .unwrap();
    }
    w.into_inner()
}

fn plain_warc() -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::MultiGzDecoder::new(&good_warc()[..]),
        &mut out,
    )
    .unwrap();
    out
}

#[test]
fn a_good_warc_gives_every_document() {
    let got = intake(&good_warc(), &meta()).unwrap();
    assert_eq!(got.copies.len(), 3);
    assert_eq!(
        got.copies[2].info.url.as_deref(),
        Some("https://example.org/2")
    );
    assert_eq!(got.copies[2].info.retrieved, "2024-03-01T12:00:00Z");
    assert_eq!(got.copies[2].text, "Page 2 says hello.");
    let plain = intake(&plain_warc(), &meta()).unwrap();
    assert_eq!(plain.copies.len(), 3);
}

/// A gzip bomb is refused as it unpacks, at a hundred times its size: a
/// 1.2 MB `.warc.gz` that unpacked to 1.2 GB took `archive add` to 4.9 GB.
/// Here 200 MB of zeros, in about 200 kB; and the same bomb as an HTTP
/// response's gzip content coding inside a plain WARC, left as served.
#[test]
fn a_gzip_bomb_is_refused_as_it_unpacks() {
    let zeros = vec![0u8; 1 << 20];
    let squeeze = |head: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(head).unwrap();
        for _ in 0..200 {
            gz.write_all(&zeros).unwrap();
        }
        gz.finish().unwrap()
    };
    let warc_bomb = squeeze(
        format!(
            "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:x:1>\r\n\
             WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: text/plain\r\n\
             Content-Length: {}\r\n\r\n",
            200 << 20
        )
        .as_bytes(),
    );
    assert!(warc_bomb.len() < 400_000, "{} bytes", warc_bomb.len());
    let e = intake(&warc_bomb, &meta()).err().unwrap().to_string();
    assert!(e.contains("decompresses to more than"), "{e}");

    let bomb = squeeze(b"<html><body><h1>x</h1>");

    let mut http =
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n".to_vec();
    http.extend_from_slice(format!("Content-Length: {}\r\n\r\n", bomb.len()).as_bytes());
    http.extend_from_slice(&bomb);
    let url = "https://example.org/bomb";
    let mut w = WarcWriter::new(Vec::new());
    w.write(&NewRecord {
        warc_type: "response",
        record_id: record_id(&[url.as_bytes()]),
        date: "2024-01-01T12:00:00Z".into(),
        content_type: "application/http; msgtype=response",
        fields: vec![("WARC-Target-URI", url.to_string())],
        block: &http,
    })
    .unwrap();
    let warc = w.into_inner();
    match intake(&warc, &meta()) {
        Err(e) => assert!(e.to_string().contains("decompresses to more than"), "{e}"),
        Ok(got) => {
            // The coding is left as served, and said so: the bytes kept are
            // the compressed ones, never what they unpack to.
            let said = format!("{:?} {:?}", got.skipped, got.notes);
            assert!(said.contains("decompresses to more than"), "{said}");
            assert!(got.copies.iter().all(|c| c.content.len() < 1 << 20));
        }
    }
}

#[test]
fn a_truncated_record_is_an_error_naming_it() {
    let plain = plain_warc();
    let cut = &plain[..plain.len() - 40];
    let e = intake(cut, &meta()).unwrap_err().to_string();
    assert!(e.contains("record 3"), "{e}");
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn a_wrong_content_length_is_an_error_naming_the_record() {
    let text = String::from_utf8(plain_warc()).unwrap();
    // The second record's length, one too small and one too large.
    let marker = "Content-Length: ";
    let second = text.match_indices("WARC/1.1").nth(1).unwrap().0;
    let at = second + text[second..].find(marker).unwrap() + marker.len();
    let end = at + text[at..].find('\r').unwrap();
    let n: usize = text[at..end].parse().unwrap();
    for wrong in [n - 1, n + 7] {
        let bad = format!("{}{}{}", &text[..at], wrong, &text[end..]);
        let e = intake(bad.as_bytes(), &meta()).unwrap_err().to_string();
        assert!(e.contains("record 2"), "{e}");
        assert!(e.contains("Content-Length"), "{e}");
    }
}

#[test]
fn bad_gzip_is_an_error() {
    let mut gz = good_warc();
    let mid = gz.len() / 2;
    for b in &mut gz[mid..mid + 16] {
        *b ^= 0x5a;
    }
    let e = intake(&gz, &meta()).unwrap_err().to_string();
    assert!(e.contains("gzip"), "{e}");
    // A truncated gzip member too.
    let good = good_warc();
    let e = intake(&good[..good.len() - 10], &meta())
        .unwrap_err()
        .to_string();
    assert!(e.contains("gzip"), "{e}");
}

#[test]
fn a_missing_mandatory_field_is_named() {
    let text = String::from_utf8(plain_warc()).unwrap();
    let bad = text.replacen("WARC-Date:", "X-Date:", 1);
    let e = intake(bad.as_bytes(), &meta()).unwrap_err().to_string();
    assert!(e.contains("WARC-Date"), "{e}");
}

#[test]
fn records_that_are_not_documents_are_skipped_with_a_reason() {
    let mut w = WarcWriter::new(Vec::new());
    let png = b"\x89PNG\r\n\x1a\n";
    let not_found = response("gone");
    let not_found = String::from_utf8(not_found)
        .unwrap()
        .replace("200 OK", "404 Not Found");
    for (ty, ct, block) in [
        ("resource", "image/png", &png[..]),
        (
            "response",
            "application/http; msgtype=response",
            not_found.as_bytes(),
        ),
        ("resource", "text/plain", b"A plain resource".as_slice()),
    ] {
        w.write(&NewRecord {
            warc_type: ty,
            record_id: record_id(&[block]),
            date: "2024-01-01T00:00:00Z".into(),
            content_type: ct,
            fields: vec![("WARC-Target-URI", "https://example.org/x".into())],
            block,
        })
        .unwrap();
    }
    let got = intake(&w.into_inner(), &meta()).unwrap();
    assert_eq!(got.copies.len(), 1);
    assert_eq!(got.skipped.len(), 2, "{:?}", got.skipped);
    assert!(got.skipped.iter().any(|s| s.contains("404")));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn no_bytes_make_it_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = intake(&bytes, &meta());
        let mut warcish = b"WARC/1.1\r\n".to_vec();
        warcish.extend_from_slice(&bytes);
        let _ = intake(&warcish, &meta());
    }

    #[test]
    fn damaged_warcs_never_panic(cuts in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), gz in any::<bool>()) {
        let mut bytes = if gz { good_warc() } else { plain_warc() };
        for (at, b) in cuts {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let _ = intake(&bytes, &meta());
        let mut out = Vec::new();
        out.write_all(&bytes[..bytes.len() / 2]).unwrap();
        let _ = intake(&out, &meta());
    }
}
