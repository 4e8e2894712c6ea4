//! SQLite keeps a statement id that is a SHA-1 as its 20 bytes (migration
//! 19), and any other id as its text: every read gives back the text it was
//! given, and the writes that find a row by its id find it in either form.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{all, prov, version};
use dossier_model::Statement;
use dossier_store::prelude::*;
use dossier_store::SqliteStore;

/// How each row's id is kept in the file, in the log's order.
fn kept_as(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT typeof(id) FROM statement ORDER BY seq")
        .unwrap();
    let kinds = stmt.query_map([], |r| r.get(0)).unwrap();
    kinds.collect::<Result<_, _>>().unwrap()
}

/// A source said, then said again less an alias (a retraction, found by
/// the ids of what it said before), then a third time as the second (each
/// row found by its id and source, and touched).
fn said_three_times(s: &mut SqliteStore, which: std::ops::Range<usize>) {
    let versions: [(&str, &str, &[&str]); 3] = [
        ("h1", "2026-01-01T00:00:00", &["A1", "A2"]),
        ("h2", "2026-02-01T00:00:00", &["A1"]),
        ("h3", "2026-03-01T00:00:00", &["A1"]),
    ];
    for (hash, now, aliases) in &versions[which] {
        s.apply(&[version("doc-1", hash, aliases)], &prov(now))
            .unwrap();
    }
}

/// A store version 18 wrote, its ids as text, reads the same once
/// migration 19 has made them bytes, and the writes after it find its
/// rows by their ids: the same log as a store that never migrated.
#[test]
fn ids_become_bytes_by_migration_19_and_are_found_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ids.db");
    let before = {
        let mut s = SqliteStore::open(&path).unwrap();
        said_three_times(&mut s, 0..1);
        all(&s)
    };
    let conn = rusqlite::Connection::open(&path).unwrap();
    common::as_version_18(&conn);
    drop(conn);
    assert!(kept_as(&path).iter().all(|k| k == "text"));
    let mut s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 20);
    assert_eq!(all(&s), before);
    said_three_times(&mut s, 1..3);
    // An edit stating again what the source says now: each row found by
    // its id and source, and kept, none written twice.
    let edit = dossier_store::Edit {
        batch: version("doc-1", "h3", &["A1"]),
        remove: Vec::new(),
        reason: "again".into(),
    };
    let everyone = dossier_store::Scope::everything();
    let report = s
        .edit(&everyone, &edit, &prov("2026-04-01T00:00:00"))
        .unwrap();
    assert_eq!(report.inserted, 0, "{report:?}");
    assert!(report.kept > 0, "{report:?}");
    let migrated = all(&s);
    drop(s);
    assert!(kept_as(&path).iter().all(|k| k == "blob"));

    let mut control = SqliteStore::in_memory().unwrap();
    said_three_times(&mut control, 0..3);
    control
        .edit(&everyone, &edit, &prov("2026-04-01T00:00:00"))
        .unwrap();
    assert_eq!(migrated, all(&control));
    // Retracted: the alias dropped and the two older versions' content
    // hashes; no row said twice.
    assert_eq!(migrated.iter().filter(|st| !st.is_current()).count(), 3);
    let mut ids: Vec<(&str, &str)> = migrated
        .iter()
        .filter(|st| st.is_current())
        .map(|st| (st.id.as_str(), st.source.as_str()))
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
    // The edit touched the rows the second saying made.
    assert!(migrated
        .iter()
        .any(|st| st.is_current() && st.last_seen == "2026-04-01T00:00:00"));
}

/// Ids of any other form (a log loaded verbatim may carry them) stay text
/// and read back as given, beside those kept as bytes; an upper-case SHA-1
/// and its lower-case twin are two ids, as they were as text; and loading
/// the log again changes nothing.
#[test]
fn ids_of_other_forms_stay_text() {
    let mut made = SqliteStore::in_memory().unwrap();
    made.apply(
        &[version("doc-1", "h1", &["A1", "A2", "A3"])],
        &prov("2026-01-01T00:00:00"),
    )
    .unwrap();
    let mut rows: Vec<Statement> = all(&made);
    assert!(rows.len() >= 4, "{rows:?}");
    let twin = rows[1].id.to_uppercase();
    rows[0].id = "note-1".into();
    rows[2].id = twin.clone();
    rows[3].id = format!("{}é", &rows[3].id[..38]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let mut s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.load(&rows).unwrap(), rows.len());
    assert_eq!(all(&s), rows);
    assert_eq!(s.load(&rows).unwrap(), 0);
    drop(s);
    let kinds = kept_as(&path);
    assert_eq!(&kinds[..4], ["text", "blob", "text", "text"]);
    assert!(kinds[4..].iter().all(|k| k == "blob"), "{kinds:?}");
    let s = SqliteStore::open(&path).unwrap();
    let read = all(&s);
    assert_eq!(read[2].id, twin);
    assert_eq!(read[1].id, twin.to_lowercase());
    drop(s);
    // The same store as version 18 held it, every id as text: migration 19
    // makes bytes of the SHA-1s only.
    let conn = rusqlite::Connection::open(&path).unwrap();
    common::as_version_18(&conn);
    drop(conn);
    assert!(kept_as(&path).iter().all(|k| k == "text"));
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(all(&s), rows);
    drop(s);
    assert_eq!(kept_as(&path), kinds);
}
