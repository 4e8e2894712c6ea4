//! Bad input: a clear error that says where, never a panic.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dossier_ingest::{import_profile, ImportOptions, IngestError, Matcher};
use proptest::prelude::*;

fn import(bytes: &[u8], name: &str) -> Result<dossier_ingest::Imported, IngestError> {
    let opts = ImportOptions {
        file_name: name.into(),
        ..Default::default()
    };
    import_profile(bytes, &opts, &mut Matcher::new())
}

fn error(bytes: &[u8], name: &str) -> dossier_ingest::Diagnostic {
    match import(bytes, name) {
        Err(IngestError::Invalid(d)) => d,
        Ok(_) => panic!("{name} was accepted"),
    }
}

const EXAMPLE_LAYOUT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/profiles/northern-rivers.txt"
);
const OLIVE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/profiles/olive-grove.html"
);

#[test]
fn empty_file() {
    for bytes in [&b""[..], b"   \n\n\t \n", b"\xef\xbb\xbf\n"] {
        let d = error(bytes, "empty.txt");
        assert!(d.message.contains("empty"), "{d}");
        assert_eq!((d.pos.line, d.pos.column), (1, 1));
        assert!(d.to_string().starts_with("empty.txt:1:1: error:"));
    }
}

#[test]
fn random_bytes() {
    // A fixed xorshift stream: the same "random" file every run.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let bytes: Vec<u8> = (0..65536)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let d = error(&bytes, "noise.bin");
    assert!(
        d.message.contains("not UTF-8") || d.message.contains("NUL"),
        "{d}"
    );
    assert!(d.pos.line >= 1 && d.pos.column >= 1);
}

#[test]
fn invalid_utf8_is_located() {
    let d = error(b"Good Org\nCountryIsrael\nbad \xff byte\n", "bad.txt");
    assert_eq!((d.pos.line, d.pos.column), (3, 5));
}

#[test]
fn truncated_html() {
    let full = std::fs::read_to_string(OLIVE).unwrap();
    // Cut inside the funding table, inside a tag, and inside the board list.
    for marker in ["<td>$80,000", "<li>Samir", "<h2>Partn"] {
        let at = full.find(marker).unwrap() + marker.len() / 2;
        let d = error(&full.as_bytes()[..at], "cut.html");
        assert!(d.message.contains("truncated"), "cut at {marker}: {d}");
        let last_line = full[..at].lines().count() as u32;
        assert_eq!(
            d.pos.line, last_line,
            "the error points at the end of the input"
        );
    }
    // The whole file is fine.
    assert!(import(full.as_bytes(), "olive.html").is_ok());
}

#[test]
fn html_without_a_name() {
    let d = error(
        b"<!doctype html><html><body><p>No heading here.</p></body></html>",
        "anon.html",
    );
    assert!(d.message.contains("<h1>"), "{d}");
}

#[test]
fn fifty_megabyte_single_line() {
    let line = vec![b'a'; 50 << 20];
    let d = error(&line, "huge.txt");
    assert_eq!((d.pos.line, d.pos.column), (1, 1));
    assert!(d.message.contains("52428800 characters"), "{d}");
}

/// Deep nesting is refused with where it happens, never a stack overflow
/// or minutes of parsing (50,000 nested `<div>` aborted the process;
/// 800 kB of unclosed `<ul><li>` took 156 s).
/// A 60 MB line after the name is not a profile's: refused with where,
/// before it is read as prose (it took 22 s and 2 GB).
#[test]
fn a_huge_line_is_refused_before_it_is_read_as_prose() {
    let text = format!("Big Org\nKeywords: {}\n", "word, ".repeat(10_000_000));
    let started = std::time::Instant::now();
    let d = error(text.as_bytes(), "big.txt");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "the budget nothing reaches"
    );
    assert_eq!(d.pos.line, 2, "{d:?}");
    assert!(d.message.contains("at most 1048576 bytes"), "{}", d.message);
}

#[test]
fn deep_nesting_is_refused_quickly() {
    let divs = format!(
        "<!doctype html><html><body><h1>Deep</h1>\n{}x",
        "<div>".repeat(50_000)
    );
    let lists = format!(
        "<!doctype html><html><body><h1>Deep</h1>\n{}",
        "<ul><li>".repeat(100_000)
    );
    let spans = format!(
        "<!doctype html><html><body><h1>Deep</h1>\n{}",
        "<b><i>".repeat(200_000)
    );
    for (name, page) in [
        ("divs.html", &divs),
        ("lists.html", &lists),
        ("spans.html", &spans),
    ] {
        let d = error(page.as_bytes(), name);
        assert!(d.message.contains("levels deep"), "{name}: {d}");
        assert_eq!(d.pos.line, 2, "{name}: {d}");
        let text = dossier_ingest::html::visible_text(page);
        assert!(text.is_err(), "{name}: archived text too");
    }
    // A real page's nesting is far from the bound.
    let fine = format!(
        "<!doctype html><html><body><h1>Fine</h1>{}text{}</body></html>",
        "<div>".repeat(100),
        "</div>".repeat(100)
    );
    assert!(import(fine.as_bytes(), "fine.html").is_ok());
}

/// A web archive given as a profile page, whole or cut short, is refused
/// with what to do instead; it once became an organization "WARC/1.1".
#[test]
fn a_warc_file_is_not_a_profile() {
    let warc = b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:x:1>\r\nContent-Len";
    let d = error(warc, "crawl.warc");
    assert!(d.message.contains("archive add"), "{d}");
    assert_eq!((d.pos.line, d.pos.column), (1, 1));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = import(&bytes, "any");
    }

    #[test]
    fn arbitrary_text_never_panics(text in "(\\PC|\n|\t| |•|“|”|‘|’|\\(|\\)|:){0,600}") {
        let _ = import(text.as_bytes(), "any.txt");
    }

    #[test]
    fn markup_soup_never_panics(parts in proptest::collection::vec(
        prop_oneof![
            Just("<h1>".to_string()), Just("</h1>".to_string()), Just("<h2>".to_string()), Just("<ul>".to_string()),
            Just("<li>".to_string()), Just("</li>".to_string()), Just("</ul>".to_string()), Just("<table><tr><th>".to_string()),
            Just("<td>".to_string()), Just("<dl><dt>".to_string()), Just("<dd>".to_string()), Just("<blockquote>".to_string()),
            Just("<q>".to_string()), Just("<b>Country:</b>".to_string()), Just("<script>".to_string()), Just("<!--".to_string()),
            Just("</html>".to_string()), "[A-Za-z “”'\".,:()0-9]{0,30}",
        ],
        0..80,
    )) {
        let html = format!("<!doctype html>{}", parts.concat());
        let _ = import(html.as_bytes(), "soup.html");
    }

    #[test]
    fn damaged_example_never_panics(cuts in proptest::collection::vec((0usize..20000, 0usize..200, any::<u8>()), 1..8)) {
        let mut bytes = std::fs::read(EXAMPLE_LAYOUT).unwrap();
        for (at, len, b) in cuts {
            let at = at % bytes.len().max(1);
            let end = (at + len).min(bytes.len());
            bytes.splice(at..end, [b]);
        }
        let _ = import(&bytes, "damaged.txt");
    }
}
