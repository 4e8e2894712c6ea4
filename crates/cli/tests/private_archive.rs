//! A private source stays private when it is archived: the attack of the
//! red-team pass, on SQLite and PostgreSQL. A page imported into a
//! collection made private, then archived under the same address, was
//! readable by anyone at `/api/v1/sources/DOC`, `/entities/DOC` and
//! `/archive/SHA`, and search listed its title.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::http;

const SECRET: &str = "Quillfeather";

fn attack(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let store = Path::new(db);
    let notes = dir.path().join("notes.txt");
    std::fs::write(
        &notes,
        format!(
            "Harrow Lantern Society (HLS)\n\nCountry/TerritoryCanada\n\nNotes\n\n  \u{2022} The {SECRET} donor met the board in May 2024.\n"
        ),
    )
    .unwrap();
    let notes = notes.to_str().unwrap();
    let url = "https://notes.example/x";
    common::ok(
        store,
        &["import", notes, "--dataset", "notes", "--url", url],
    );
    common::ok(store, &["collection", "set", "notes", "--private"]);
    let archived = common::ok(store, &["archive", "add", notes, "--url", url, "--json"]);
    let archived: serde_json::Value = serde_json::from_str(&archived).unwrap();
    let sha = archived["copies"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let doc = archived["copies"][0]["document"]
        .as_str()
        .unwrap()
        .to_string();

    let index = dir.path().join("index");
    let (_server, port) = common::serve(&["--db", db, "--index", index.to_str().unwrap()], &[]);
    for path in [
        format!("/api/v1/sources/{doc}"),
        format!("/entities/{doc}"),
        format!("/entities/{doc}.json"),
        format!("/archive/{sha}"),
    ] {
        let r = http(port, "GET", &path, None);
        assert!(
            !r.body.contains(SECRET) && !r.body.contains("Harrow Lantern"),
            "{path} ({}) shows the private source: {}",
            r.status,
            r.body.chars().take(300).collect::<String>()
        );
    }
    for q in [SECRET, "Harrow+Lantern", "notes", "donor+board"] {
        let r = http(port, "GET", &format!("/api/v1/search?q={q}"), None);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(
            v["total"], 0,
            "search for {q} lists the private source: {}",
            r.body
        );
    }
    // The archive list from the command line is everyone's too.
    let listed = common::ok(store, &["archive", "list", "--json"]);
    assert!(listed.contains(&sha), "the operator sees every copy");
}

#[test]
fn a_private_source_archived_stays_private_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    attack(dir.path().join("d.db").to_str().unwrap());
}

#[test]
fn a_private_source_archived_stays_private_on_postgres() {
    let Some(pg) = dossier_store::testing::TestDatabase::create().unwrap() else {
        return;
    };
    attack(&pg.url);
}
