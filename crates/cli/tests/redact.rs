//! Redaction from the command line, through every export.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

/// A redacted person is gone from every export and search, their name
/// blanked in the claims that mention them; lifted, all is back.
#[test]
fn a_redacted_person_leaves_every_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    // An archived page that names her, in another order and with a
    // zero-width space: the archive and its WARC export blank it too.
    let page = dir.path().join("interview.txt");
    std::fs::write(
        &page,
        "An interview\n\nCohen, Hila spoke to us; later Hi\u{200b}la Cohen wrote back.\n",
    )
    .unwrap();
    common::ok(
        &db,
        &[
            "archive",
            "add",
            page.to_str().unwrap(),
            "--url",
            "https://news.example/i",
        ],
    );
    assert!(common::ok(&db, &["search", "Hila Cohen"]).contains("Hila Cohen"));
    let bad = common::dossier(&db, &["redact", "Hila Cohen"]);
    assert!(!bad.status.success(), "a reason is required");
    let said = common::ok(
        &db,
        &["redact", "Hila Cohen", "--reason", "a private person"],
    );
    assert!(said.contains("is redacted"), "{said}");
    for format in ["ftm", "statements", "jsonl", "popolo", "jsonld", "warc"] {
        let out = String::from_utf8_lossy(
            &common::dossier(&db, &["export", "--format", format, "--public"]).stdout,
        )
        .into_owned();
        let warc_text = if format == "warc" {
            use std::io::Read;
            let bytes = common::dossier(&db, &["export", "--format", "warc"]).stdout;
            let mut plain = String::new();
            dossier_formats::warc::gzip_reader(&bytes)
                .read_to_string(&mut plain)
                .unwrap();
            assert!(plain.contains("spoke to us"), "the copy is there");
            plain
        } else {
            String::new()
        };
        for text in [&out, &warc_text] {
            for spelling in ["Hila Cohen", "Cohen, Hila", "Hi\u{200b}la Cohen"] {
                assert!(!text.contains(spelling), "{format}: {spelling}");
            }
        }
        if format == "warc" {
            continue;
        }
        let out = common::ok(&db, &["export", "--format", format]);
        assert!(!out.contains("Hila Cohen"), "{format}");
        if format == "ftm" {
            assert!(
                out.contains("Attorney [redacted] of the Legal Forum"),
                "{format}"
            );
        }
    }
    assert!(!common::ok(&db, &["search", "Hila Cohen"]).contains("Hila Cohen"));
    assert!(!common::dossier(&db, &["show", "Hila Cohen"])
        .status
        .success());
    common::ok(&db, &["redact", "per-bcadfc834c7b6a82", "--undo"]);
    let out = common::dossier(&db, &["redact", "per-nobody", "--undo"]);
    assert!(!out.status.success());
    assert!(common::ok(&db, &["export", "--format", "ftm"]).contains("Hila Cohen"));
}

/// `redact --undo` takes what `redact` takes: the name, not only the id,
/// though the name is blanked everywhere while the redaction holds.
#[test]
fn a_redaction_is_lifted_by_the_name_it_was_made_with() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    common::ok(
        &db,
        &["redact", "Hila Cohen", "--reason", "a private person"],
    );
    let out = common::dossier(&db, &["redact", "Hila Cohen", "--undo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(common::ok(&db, &["export", "--format", "ftm"]).contains("Hila Cohen"));
    // Undone twice: nothing is redacted any more, and it says so.
    let again = common::dossier(&db, &["redact", "hila cohen", "--undo"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not redacted"));
    // Names match as names do: case and spacing aside.
    common::ok(&db, &["redact", "Hila Cohen", "--reason", "again"]);
    common::ok(&db, &["redact", "hila  COHEN", "--undo"]);
    assert!(common::ok(&db, &["search", "Hila Cohen"]).contains("Hila Cohen"));
}

/// A redaction made through a server shows at once on that server's next
/// read, whichever of its read connections serves it (PostgreSQL's keep
/// the redactions they read for a second).
fn redaction_through_the_server(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let store = std::path::Path::new(db);
    common::ok(store, &["demo"]);
    let added = common::with_input(
        store,
        &["user", "add", "ada", "--role", "admin"],
        "correct horse battery\n",
    );
    assert!(added.status.success(), "{added:?}");
    let index = dir.path().join("index");
    let (_server, port) = common::serve(&["--db", db, "--index", index.to_str().unwrap()], &[]);
    let cookie = common::sign_in(port, "ada", "correct horse battery");
    let found = common::http(port, "GET", "/api/v1/search?q=Hila+Cohen&kind=person", None);
    let v: serde_json::Value = serde_json::from_str(&found.body).unwrap();
    let person = v["hits"][0]["id"].as_str().unwrap().to_string();
    let page = format!("/api/v1/entities/{person}");
    // Many reads at once, so several read connections have read the
    // (empty) redactions.
    std::thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| {
                let r = common::http_as(port, "GET", &page, None, Some(&cookie));
                assert!(r.body.contains("Hila Cohen"), "{}", r.body);
            });
        }
    });
    let form = common::http_as(port, "GET", "/new/organization", None, Some(&cookie));
    let csrf = common::form_field(&form.body, "csrf");
    let r = common::http_as(
        port,
        "POST",
        &format!("/entities/{person}/redact"),
        Some(&format!("csrf={csrf}&reason=a+private+person")),
        Some(&cookie),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    std::thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| {
                for who in [None, Some(cookie.as_str())] {
                    let r = common::http_as(port, "GET", &page, None, who);
                    assert!(!r.body.contains("Hila Cohen"), "{}", r.body);
                }
            });
        }
    });
}

#[test]
fn a_redaction_through_the_server_shows_at_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    redaction_through_the_server(dir.path().join("d.db").to_str().unwrap());
}

#[test]
fn a_redaction_through_the_server_shows_at_once_on_postgres() {
    let Some(pg) = dossier_store::testing::TestDatabase::create().unwrap() else {
        return;
    };
    redaction_through_the_server(&pg.url);
}

/// `dossier redact` while a server holds the search index: the redaction
/// is committed and the command succeeds (it once exited 1 here); the
/// server's search drops the name once it follows the change.
#[test]
fn a_redaction_from_the_command_line_while_a_server_runs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    let (_server, port) = common::serve(&["--db", db.to_str().unwrap()], &[]);
    let search = || {
        let body = common::http(port, "GET", "/api/v1/search?q=Hila+Cohen&kind=person", None).body;
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["hits"].to_string()
    };
    assert!(search().contains("Hila Cohen"));
    let out = common::dossier(
        &db,
        &["redact", "Hila Cohen", "--reason", "a private person"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The server follows the store twice a second; give it ten seconds.
    let start = std::time::Instant::now();
    while search().contains("Hila Cohen") {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the server still finds the name"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
