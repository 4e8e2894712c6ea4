//! `dossier backup` and `dossier restore` end to end: a backup taken while
//! another process writes is one consistent moment, holds everything (the
//! statement log, archived copies, accounts), restores into a store that
//! reads, searches and exports as the original did, and never overwrites
//! or replaces anything unasked. Also: the native export read back in and
//! written out again is the same, byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{dossier, ok, with_input, WORKSPACE};

fn statements(db: &Path) -> u64 {
    let stats: serde_json::Value = serde_json::from_str(&ok(db, &["stats", "--json"])).unwrap();
    stats["statements"].as_u64().unwrap()
}

fn failed_with(out: &std::process::Output, words: &str) {
    assert!(!out.status.success(), "should have failed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(words), "{err}");
}

#[test]
fn a_backup_is_one_whole_moment_and_restores_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    ok(&db, &["gen", "--orgs", "300", "--seed", "5"]);
    let profile = format!("{WORKSPACE}/crates/ingest/tests/profiles/olive-grove.html");
    ok(
        &db,
        &[
            "archive",
            "add",
            &profile,
            "--url",
            "https://example.org/olive",
        ],
    );
    let added = with_input(
        &db,
        &["user", "add", "ann", "--role", "admin"],
        "a long enough password\n",
    );
    assert!(added.status.success());
    let before = statements(&db);
    let exported = ok(&db, &["export", "--format", "jsonl"]);

    // More statements, imported by another process while the backup runs.
    let more = dir.path().join("more.jsonl");
    let other = dir.path().join("other.db");
    ok(&other, &["gen", "--orgs", "200", "--seed", "9"]);
    let more_log = ok(&other, &["export", "--format", "ftm"]);
    std::fs::write(&more, more_log).unwrap();
    let mut writer = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&db)
        .args(["import"])
        .arg(&more)
        .env_remove("DOSSIER_DB")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let backup = dir.path().join("copy.bak");
    let said = ok(&db, &["backup", backup.to_str().unwrap()]);
    assert!(said.contains("backed up"), "{said}");
    assert!(writer.wait().unwrap().success());
    let after = statements(&db);
    assert!(after > before);

    // The backup holds the store as before the import or as after it,
    // never part of it.
    let restored = dir.path().join("restored.db");
    let said = ok(&restored, &["restore", backup.to_str().unwrap()]);
    assert!(
        said.contains("restored") && said.contains("indexed"),
        "{said}"
    );
    let held = statements(&restored);
    assert!(
        held == before || held == after,
        "{held} is neither {before} nor {after}"
    );
    if held == before {
        assert_eq!(ok(&restored, &["export", "--format", "jsonl"]), exported);
    }
    // Archived copies and accounts came too; the index was made from it.
    assert!(ok(&restored, &["archive", "list"]).contains("example.org/olive"));
    assert!(ok(&restored, &["user", "list"]).contains("ann\tadmin"));
    let org = ok(&restored, &["search", "Olive", "--json"]);
    assert!(org.contains("Olive"), "{org}");

    // Nothing is overwritten or replaced unasked.
    failed_with(
        &dossier(&db, &["backup", backup.to_str().unwrap()]),
        "exists already",
    );
    failed_with(
        &dossier(&db, &["restore", backup.to_str().unwrap()]),
        "--replace",
    );
    assert_eq!(statements(&db), after);
    ok(&db, &["restore", backup.to_str().unwrap(), "--replace"]);
    assert_eq!(statements(&db), held);

    // What is not a whole store is refused, and the store kept.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database").unwrap();
    failed_with(
        &dossier(&restored, &["restore", text.to_str().unwrap(), "--replace"]),
        "not a whole Dossier store",
    );
    let bytes = std::fs::read(&backup).unwrap();
    let cut = dir.path().join("cut.bak");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    failed_with(
        &dossier(&restored, &["restore", cut.to_str().unwrap(), "--replace"]),
        "not a whole Dossier store",
    );
    let empty_db = dir.path().join("plain.db");
    rusqlite::Connection::open(&empty_db)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    failed_with(
        &dossier(
            &restored,
            &["restore", empty_db.to_str().unwrap(), "--replace"],
        ),
        "no statement log",
    );
    assert_eq!(statements(&restored), held);
}

#[test]
fn the_native_export_read_back_is_written_out_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    ok(&db, &["gen", "--orgs", "500", "--seed", "2"]);
    let first = ok(&db, &["export", "--format", "jsonl"]);
    let file = dir.path().join("a.jsonl");
    std::fs::write(&file, &first).unwrap();
    let again = dir.path().join("b.db");
    ok(&again, &["import", file.to_str().unwrap()]);
    let second = ok(&again, &["export", "--format", "jsonl"]);
    assert_eq!(first.lines().count(), second.lines().count());
    assert!(first == second, "the exports differ");
}
