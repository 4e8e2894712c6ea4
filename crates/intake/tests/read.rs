//! The intake library read the way `dossier import` reads a file: kinds
//! told by content, one source Document per file, diagnostics that say
//! what and where, and no bytes that make it panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dossier_evidence::intake::{intake, FileMeta};
use dossier_ingest::ProfileFormat;
use dossier_intake::{read, Holds, Input, Kind, Matcher, Severity};
use proptest::prelude::*;

fn input(name: &str) -> Input {
    Input {
        shown: format!("in/{name}"),
        file_name: name.into(),
        keep_datasets: true,
        ..Default::default()
    }
}

fn batches(h: Holds) -> Vec<dossier_model::Batch> {
    match h {
        Holds::Batches(b) => b,
        Holds::Statements(_) => panic!("batches expected"),
    }
}

const PAGE: &str = "../ingest/tests/profiles/infobox.txt";

#[test]
fn a_page_is_read_as_a_profile_whatever_its_name() {
    let bytes = std::fs::read(PAGE).unwrap();
    for name in ["infobox.txt", "infobox", "infobox.html"] {
        let r = read(&bytes, &input(name), &mut Matcher::new()).unwrap();
        assert_eq!(r.kind, Kind::Page(ProfileFormat::Text), "{name}");
        assert_eq!(r.origin, "profile");
        assert!(r.label.contains("Tidewater Rights Centre"), "{}", r.label);
        let b = batches(r.holds);
        assert_eq!(b.len(), 1);
        let doc = b[0].get(&b[0].source).expect("the source Document");
        assert_eq!(doc.first("fileName"), Some(name));
        assert_eq!(doc.first("mimeType"), Some("text/plain"));
        assert!(r.diagnostics.iter().all(|d| d.file == format!("in/{name}")));
    }
}

#[test]
fn a_page_imported_and_archived_is_one_document() {
    let bytes = std::fs::read(PAGE).unwrap();
    let mut i = input("infobox.txt");
    i.url = Some("https://reference.example/wiki/Tidewater".into());
    let imported = batches(read(&bytes, &i, &mut Matcher::new()).unwrap().holds);
    let meta = FileMeta {
        name: "infobox.txt".into(),
        url: i.url.clone(),
        retrieved: None,
        user: "tester".into(),
        now: "2026-01-01T00:00:00Z".into(),
    };
    let archived = intake(&bytes, &meta).unwrap();
    assert_eq!(archived.documents.len(), 1);
    assert_eq!(archived.documents[0].source, imported[0].source);
    // Without an address, the file's name is the key for both.
    let imported = batches(
        read(&bytes, &input("infobox.txt"), &mut Matcher::new())
            .unwrap()
            .holds,
    );
    let archived = intake(&bytes, &FileMeta { url: None, ..meta }).unwrap();
    assert_eq!(archived.documents[0].source, imported[0].source);
}

#[test]
fn interchange_files_cite_the_file_as_a_conduit_and_keep_datasets() {
    let csv = b"entity_id,prop,schema,value,dataset\n\
        c1,name,Company,Ada Shipping,registry_a\n\
        c1,name,Company,Ada Shipping Ltd,registry_b\n\
        c1,flavour,Company,odd,registry_b\n";
    let r = read(csv, &input("s.csv"), &mut Matcher::new()).unwrap();
    assert_eq!(r.kind, Kind::Statements);
    assert_eq!(r.origin, "ftm-statements");
    let w: Vec<String> = r.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        w,
        ["in/s.csv:4: warning: Company.flavour: property not in FtM's model; kept as it came"]
    );
    let b = batches(r.holds);
    let datasets: Vec<_> = b.iter().map(|b| b.dataset.as_deref()).collect();
    assert_eq!(datasets, [Some("registry_a"), Some("registry_b")]);
    for one in &b {
        let doc = one.get(&one.source).unwrap();
        assert_eq!(
            doc.first("processingAgent"),
            Some(dossier_formats::ftm::INTERCHANGE_AGENT)
        );
    }
    // The caller's dataset takes every row.
    let mut i = input("s.csv");
    i.keep_datasets = false;
    let b = batches(read(csv, &i, &mut Matcher::new()).unwrap().holds);
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].dataset, None);
    // No row writes to the archive's dataset.
    let archive = b"entity_id,prop,schema,value,dataset\nc1,name,Company,A,archive\n";
    let e = read(archive, &input("a.csv"), &mut Matcher::new()).unwrap_err();
    assert!(e.to_string().contains("archived copies"), "{e}");
}

#[test]
fn an_unknown_schema_is_a_warning_at_its_line_and_the_rest_reads() {
    let ftm = b"{\"id\":\"a\",\"schema\":\"Company\",\"properties\":{\"name\":[\"A\"]}}\n\
        {\"id\":\"b\",\"schema\":\"Spaceship\",\"properties\":{\"name\":[\"B\"]}}\n";
    let r = read(ftm, &input("e.jsonl"), &mut Matcher::new()).unwrap();
    assert_eq!(r.kind, Kind::Ftm);
    assert_eq!(r.diagnostics.len(), 1);
    let d = &r.diagnostics[0];
    assert_eq!((d.severity, d.pos.line), (Severity::Warning, 2));
    assert!(d.message.contains("Spaceship"), "{d}");
    let b = batches(r.holds);
    assert!(b[0].get("a").is_some() && b[0].get("b").is_none());
}

#[test]
fn errors_say_what_and_where() {
    let cases: [(&str, &[u8], &str, u32); 6] = [
        (
            "bad.jsonl",
            b"{\"id\":\"o1\",\"schema\":\"Company\",\"properties\":{\"country\":[\"Atlantis\"]}}\n",
            "Atlantis",
            1,
        ),
        (
            "x.json",
            b"\n\n{\"hello\": 1}\n",
            "no format Dossier reads",
            3,
        ),
        ("noise.bin", b"abc\ndef\xff\xfe", "not UTF-8", 2),
        ("rows.csv", b"name,country\nA,France\n", "--mapping", 0),
        ("r.pdf", b"%PDF-1.4\n", "archive add", 0),
        ("c.warc", b"WARC/1.1\r\n", "archive add", 0),
    ];
    for (name, bytes, what, line) in cases {
        let e = read(bytes, &input(name), &mut Matcher::new()).unwrap_err();
        assert_eq!(e.severity, Severity::Error);
        assert!(e.message.contains(what), "{name}: {e}");
        assert_eq!(e.pos.line, line, "{name}: {e}");
        assert!(e.to_string().starts_with(&format!("in/{name}")), "{e}");
    }
}

#[test]
fn a_kind_the_caller_names_is_the_one_read() {
    let bytes = std::fs::read(PAGE).unwrap();
    let mut i = input("infobox.txt");
    i.kind = Some(Kind::Ftm);
    let e = read(&bytes, &i, &mut Matcher::new()).unwrap_err();
    assert_eq!(e.pos.line, 1, "an FtM reader's error: {e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn no_bytes_make_it_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512), pick in 0usize..6) {
        let name = ["a.txt", "a.html", "a.json", "a.csv", "a.pdf", "a"][pick];
        let _ = read(&bytes, &input(name), &mut Matcher::new());
    }
}

#[test]
fn archiving_and_importing_tell_html_alike() {
    let pages: [&[u8]; 3] = [
        b"<h1>Tern Valley Trust</h1><p>Founded 2015.</p>",
        b"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h1>Tern Valley Trust</h1></body></html>",
        b"<!-- saved page -->\n<html><body><h1>Tern Valley Trust</h1></body></html>",
    ];
    for page in pages {
        let r = read(page, &input("page"), &mut Matcher::new()).unwrap();
        assert_eq!(r.kind, Kind::Page(ProfileFormat::Html));
        let meta = FileMeta {
            name: "page".into(),
            user: "tester".into(),
            now: "2026-01-01T00:00:00Z".into(),
            ..Default::default()
        };
        let archived = intake(page, &meta).unwrap();
        let doc = archived.documents[0]
            .get(&archived.documents[0].source)
            .unwrap();
        assert_eq!(doc.first("mimeType"), Some("text/html"));
        // The archived text is what a reader sees, not the markup.
        assert!(!archived.copies[0].text.contains("<h1>"));
    }
}
