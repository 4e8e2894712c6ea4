//! Evidence end to end through the binary: a WARC written by `warcio` is
//! archived; the archive written back as WARC is read by `warcio` with the
//! same records and payloads; malformed WARC archives nothing; quotations
//! get origins and marks; annotations carry both selectors.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use serde_json::Value;

mod common;

use common::{dossier, ok};

/// Runs scripts/warc_check.py with the reference `warcio`.
fn warcio(args: &[&str]) -> Value {
    common::checker("warc_check.py", args)
}

#[test]
fn a_warc_from_warcio_is_archived_and_ours_reads_back_in_warcio() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let crawl = dir.path().join("crawl.warc.gz");
    let expected = warcio(&["write", crawl.to_str().unwrap()]);
    let expected = expected.as_array().unwrap();
    assert_eq!(expected.len(), 3);

    let out = ok(&db, &["archive", "add", crawl.to_str().unwrap()]);
    assert!(out.contains("archived 3 new copies"), "{out}");
    assert!(out.contains("image/png is not a text document"), "{out}");
    assert!(out.contains("HTTP status 404"), "{out}");
    let list: Value = serde_json::from_str(&ok(&db, &["archive", "list", "--json"])).unwrap();
    let list = list.as_array().unwrap();
    for e in expected {
        let copy = list
            .iter()
            .find(|c| c["url"] == e["url"])
            .unwrap_or_else(|| panic!("{} not archived", e["url"]));
        assert_eq!(copy["sha256"], e["sha256"], "payload of {}", e["url"]);
        assert_eq!(copy["retrieved"], e["retrieved"]);
    }
    // The chunked, gzip-encoded page was decoded: its text is searchable words.
    let verify = ok(&db, &["stats", "--json"]);
    assert!(verify.contains("Document"), "{verify}");

    // The same WARC again changes nothing.
    let before = ok(&db, &["stats", "--json"]);
    let out = ok(&db, &["archive", "add", crawl.to_str().unwrap()]);
    assert!(
        out.contains("archived 0 new copies (3 already archived)"),
        "{out}"
    );
    assert_eq!(ok(&db, &["stats", "--json"]), before);

    // Written back as WARC/1.1, one gzip member per record, read by warcio
    // with every digest checked.
    let ours = dir.path().join("ours.warc.gz");
    ok(
        &db,
        &[
            "export",
            "--format",
            "warc",
            "--out",
            ours.to_str().unwrap(),
        ],
    );
    let bytes = std::fs::read(&ours).unwrap();
    let members = bytes
        .windows(3)
        .filter(|w| w == &[0x1f, 0x8b, 0x08])
        .count();
    assert!(members >= 7, "one gzip member per record: {members}");
    let records = warcio(&["read", ours.to_str().unwrap()]);
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 1 + 3 * 2);
    assert_eq!(records[0]["type"], "warcinfo");
    assert!(records.iter().all(|r| r["version"] == "WARC/1.1"));
    for e in expected {
        let r = records
            .iter()
            .find(|r| r["type"] == "resource" && r["url"] == e["url"])
            .unwrap();
        assert_eq!(r["sha256"], e["sha256"]);
        assert_eq!(r["date"], e["retrieved"]);
        assert!(records
            .iter()
            .any(|c| c["type"] == "conversion" && c["url"] == e["url"]));
    }
    // Dossier reads its own export: the same copies, nothing new.
    let out = ok(&db, &["archive", "add", ours.to_str().unwrap()]);
    assert!(out.contains("archived 0 new copies"), "{out}");
}

#[test]
fn malformed_warc_archives_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let crawl = dir.path().join("crawl.warc.gz");
    warcio(&["write", crawl.to_str().unwrap()]);
    let bytes = std::fs::read(&crawl).unwrap();
    let good = dir.path().join("good.html");
    std::fs::write(&good, "<p>A good page.</p>").unwrap();
    let truncated = dir.path().join("truncated.warc.gz");
    std::fs::write(&truncated, &bytes[..bytes.len() - 30]).unwrap();
    // Every file is read before anything is stored: one bad file, nothing in.
    let out = dossier(
        &db,
        &[
            "archive",
            "add",
            good.to_str().unwrap(),
            truncated.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("truncated.warc.gz"), "{err}");
    assert!(err.contains("gzip"), "{err}");
    assert!(ok(&db, &["archive", "list"]).contains("0 archived copies"));
}

#[test]
fn quotations_get_origins_marks_and_annotations() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    ok(&db, &["demo"]);
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json"])).unwrap();
    let total = v["checks"].as_array().unwrap().len();
    assert!(total > 10);
    assert_eq!(v["summary"]["no archive"], total);
    assert!(ok(&db, &["show", "ALLMEP"]).contains("[no archive]"));
    // An origin holding one of the demo's quotations, in other typography.
    let q = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["quote"].as_str().unwrap().to_string())
        .find(|q| q.split(' ').count() >= 3)
        .unwrap();
    let page = dir.path().join("origin.html");
    std::fs::write(
        &page,
        format!("<html><body><p>In an interview the group spoke of the &ldquo;{q}&rdquo; at length.</p></body></html>"),
    )
    .unwrap();
    ok(
        &db,
        &[
            "archive",
            "add",
            page.to_str().unwrap(),
            "--url",
            "https://example.org/origin",
            "--retrieved",
            "2022-02-02",
        ],
    );
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json"])).unwrap();
    assert_eq!(v["summary"]["proposed"], 1, "{v}");
    assert_eq!(v["summary"]["linked"], 0);
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json", "--link"])).unwrap();
    assert_eq!(v["summary"]["linked"], 1, "{v}");
    assert_eq!(v["summary"]["verified"], 1, "{v}");
    let checked = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["mark"] == "verified")
        .unwrap();
    assert_eq!(checked["quote"], q.as_str());
    assert_eq!(checked["found"]["method"], "position");

    // The annotations name the text their selectors count in, which the
    // server serves; an independent implementation of the selectors
    // (Python's anchorpoint) resolves both to the quoted words.
    let (server, port) = common::serve(&["--db", db.to_str().unwrap()], &[]);
    let base = format!("http://127.0.0.1:{port}");
    let exported = ok(
        &db,
        &["export", "--format", "annotations", "--base-url", &base],
    );
    let a: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(a["type"], "AnnotationCollection");
    assert_eq!(a["total"], 1);
    let item = &a["first"]["items"][0];
    assert_eq!(item["target"]["type"], "SpecificResource");
    assert_eq!(item["target"]["scope"], "https://example.org/origin");
    let source = item["target"]["source"]["id"].as_str().unwrap();
    assert!(
        source.starts_with(&format!("{base}/archive/")) && source.ends_with("/text"),
        "{source}"
    );
    assert_eq!(item["target"]["source"]["format"], "text/plain");
    assert_eq!(item["creator"]["type"], "Person");
    assert!(
        item["body"]["creator"]["name"]
            .as_str()
            .is_some_and(|n| !n.is_empty()),
        "{item}"
    );
    assert!(item["body"]["creator"]["id"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{base}/entities/")));
    let sel = item["target"]["selector"].as_array().unwrap();
    assert_eq!(sel[0]["type"], "TextQuoteSelector");
    assert_eq!(sel[1]["type"], "TextPositionSelector");
    let exact = sel[0]["exact"].as_str().unwrap();
    assert!(exact.contains(q.split(' ').next().unwrap()), "{exact}");
    let (start, end) = (
        sel[1]["start"].as_u64().unwrap(),
        sel[1]["end"].as_u64().unwrap(),
    );
    assert_eq!((end - start) as usize, exact.chars().count());
    assert_eq!(item["target"]["state"]["type"], "TimeState");
    assert_eq!(
        item["target"]["state"]["sourceDate"],
        "2022-02-02T00:00:00Z"
    );
    assert!(item["target"]["state"]["cached"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{base}/archive/")));
    let file = dir.path().join("annotations.json");
    std::fs::write(&file, &exported).unwrap();
    let workspace = common::WORKSPACE;
    let python =
        std::env::var("DOSSIER_PYTHON").unwrap_or_else(|_| format!("{workspace}/.venv/bin/python"));
    let out = Command::new(&python)
        .arg(format!("{workspace}/scripts/check_annotations.py"))
        .arg(&file)
        .output()
        .unwrap();
    let resolved: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert!(
        out.status.success(),
        "anchorpoint did not resolve the annotations: {resolved} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(resolved["annotations"][0]["by_quote"], exact);
    drop(server);

    // The anchor goes to FtM as a Documentation the real package accepts.
    let ftm = dir.path().join("e.ftm.jsonl");
    ok(
        &db,
        &["export", "--format", "ftm", "--out", ftm.to_str().unwrap()],
    );
    let text = std::fs::read_to_string(&ftm).unwrap();
    assert!(text.contains("quotation origin"), "the anchor is exported");
    let out = Command::new(&python)
        .arg(format!("{workspace}/scripts/check_ftm.py"))
        .arg(&ftm)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "followthemoney rejected the export: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

const NORTHERN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../ingest/tests/profiles/northern-rivers.txt"
);

/// The red-team pass's finding, through the binary: a watchdog's profile
/// imported, then the same page archived under another address (the same
/// bytes, and a mirror with other trimmings). Nothing is linked or
/// verified; every refusal says why; the profile shows no mark but "no
/// archive"; `--fail-on` turns what remains into an exit status.
#[test]
fn the_reporting_page_archived_elsewhere_verifies_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    ok(&db, &["import", NORTHERN]);
    let page = std::fs::read_to_string(NORTHERN).unwrap();
    let mirror = dir.path().join("mirror.txt");
    std::fs::write(
        &mirror,
        format!("Mirrored by an archive service\n\n{page}\nEnd of mirror\n"),
    )
    .unwrap();
    for (file, url) in [
        (NORTHERN.to_string(), "https://copies.example/northern"),
        (
            mirror.display().to_string(),
            "https://mirror.example/northern-rivers",
        ),
    ] {
        ok(
            &db,
            &[
                "archive",
                "add",
                &file,
                "--url",
                url,
                "--retrieved",
                "2024-05-05",
            ],
        );
    }
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json", "--link"])).unwrap();
    let s = &v["summary"];
    assert_eq!(s["indexed"], 2, "both texts indexed for discovery: {s}");
    assert_eq!(
        (s["linked"].as_u64(), s["verified"].as_u64()),
        (Some(0), Some(0)),
        "{s}"
    );
    assert_eq!(s["proposed"], 0, "{s}");
    let refused = v["refused"].as_array().unwrap();
    assert!(refused.len() >= 20, "{} refused", refused.len());
    for r in refused {
        assert!(
            r["reason"].as_str().unwrap().starts_with("not an origin:"),
            "{r}"
        );
    }
    let reasons: std::collections::HashSet<&str> = refused
        .iter()
        .map(|r| r["reason"].as_str().unwrap().split(" (").next().unwrap())
        .collect();
    assert!(
        reasons.len() >= 2,
        "both copies refused, each for its reason: {reasons:?}"
    );
    let shown = ok(&db, &["show", "Northern Rivers"]);
    assert!(!shown.contains("[verified]"), "{shown}");
    // As a scheduled job would run it: quotations without an origin fail
    // it when asked to, with its own exit status.
    let out = dossier(&db, &["verify", "--fail-on", "no-archive"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fail-on"));
    assert!(dossier(&db, &["verify", "--fail-on", "altered,not-found"])
        .status
        .success());
    assert!(!dossier(&db, &["verify", "--fail-on", "verified"])
        .status
        .success());
}

/// A newer copy of an origin moves the quotation: verified still (found by
/// search), stale until checked, and `--reanchor` moves the anchor to where
/// the newest copy has it, so it is found at its place again.
#[test]
fn reanchoring_follows_an_origin_whose_text_moved() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    ok(&db, &["demo"]);
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json"])).unwrap();
    let q = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["quote"].as_str().unwrap().to_string())
        .find(|q| q.split(' ').count() >= 3)
        .unwrap();
    let page = dir.path().join("origin.html");
    let write = |lead: &str| {
        std::fs::write(
            &page,
            format!("<html><body><p>{lead}</p><p>We said it plainly: {q}.</p></body></html>"),
        )
        .unwrap();
    };
    let add = |when: &str| {
        ok(
            &db,
            &[
                "archive",
                "add",
                page.to_str().unwrap(),
                "--url",
                "https://example.org/said",
                "--retrieved",
                when,
            ],
        );
    };
    write("A short lead.");
    add("2023-01-01");
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json", "--link"])).unwrap();
    assert_eq!(v["summary"]["verified"], 1, "{}", v["summary"]);
    let by = |v: &Value| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["quote"] == q.as_str())
            .map(|c| (c["mark"].clone(), c["found"]["method"].clone()))
            .unwrap()
    };
    assert_eq!(by(&v), (Value::from("verified"), Value::from("position")));
    // The page grows a long lead: the quotation moves down.
    write(&"A much longer lead, written after the fact, pushes everything down. ".repeat(5));
    add("2024-01-01");
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json"])).unwrap();
    assert_eq!(by(&v), (Value::from("verified"), Value::from("exact")));
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json", "--reanchor"])).unwrap();
    assert_eq!(v["summary"]["reanchored"], 1, "{}", v["summary"]);
    assert_eq!(by(&v), (Value::from("verified"), Value::from("position")));
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json", "--reanchor"])).unwrap();
    assert_eq!(v["summary"]["reanchored"], 0, "nothing left to move");
}

/// A PDF (a report with its own words on page 2) is archived with its
/// text, page by page; a quotation in it is found and verified like any
/// text; a scan without a text layer is refused, saying so.
#[test]
fn a_pdf_is_archived_and_its_quotations_verified() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    ok(&db, &["demo"]);
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json"])).unwrap();
    let q = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["quote"].as_str().unwrap().to_string())
        .find(|q| q.split(' ').count() >= 4 && q.is_ascii())
        .unwrap();
    let report = dir.path().join("report.pdf");
    let intro = "Annual statement of the network";
    let said = format!("In its statement the group wrote: {q} and it stands by that.");
    std::fs::write(
        &report,
        dossier_evidence::pdf::testing::make(
            Some("Annual statement 2021"),
            &[&[intro, "Contents"], &["Page two", &said]],
        ),
    )
    .unwrap();
    let out = ok(
        &db,
        &[
            "archive",
            "add",
            report.to_str().unwrap(),
            "--url",
            "https://example.org/statement.pdf",
            "--retrieved",
            "2022-03-01",
        ],
    );
    assert!(out.contains("archived 1 new cop"), "{out}");
    let list: Value = serde_json::from_str(&ok(&db, &["archive", "list", "--json"])).unwrap();
    let copy = &list.as_array().unwrap()[0];
    assert_eq!(copy["media_type"], "application/pdf", "{copy}");
    assert_eq!(copy["title"], "Annual statement 2021", "{copy}");
    let v: Value = serde_json::from_str(&ok(&db, &["verify", "--json", "--link"])).unwrap();
    assert_eq!(v["summary"]["verified"], 1, "{v}");
    let checked = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["mark"] == "verified")
        .unwrap();
    assert_eq!(checked["quote"], q.as_str());
    assert_eq!(checked["found"]["page"], 2, "{checked}");

    // Imported, a PDF is not taken for a profile page.
    let out = dossier(&db, &["import", report.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a PDF, not a profile page: archive it"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scan = dir.path().join("scan.pdf");
    std::fs::write(
        &scan,
        dossier_evidence::pdf::testing::make(None, &[&[], &[]]),
    )
    .unwrap();
    let out = dossier(&db, &["archive", "add", scan.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no text layer (2 page(s)"), "{err}");
}
