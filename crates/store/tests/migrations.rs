//! Each backend's schema and its migrations: a store made by an older
//! version is brought up to this one and reads as before; a newer one is
//! refused.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{prov, version};
use dossier_store::prelude::*;
use dossier_store::{SqliteStore, StoreError};

#[test]
fn sqlite_file_survives_reopening_and_refuses_newer_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.db");
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.apply(&[version("doc-1", "h1", &[])], &prov("2026-01-01T00:00:00"))
            .unwrap();
        assert_eq!(s.schema_version().unwrap(), 20);
    }
    let s = SqliteStore::open(&path).unwrap();
    assert!(s.entity("org-a").unwrap().is_some());
    drop(s);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    assert!(matches!(
        SqliteStore::open(&path),
        Err(StoreError::TooNew { found: 99, .. })
    ));
}

/// A store of version 14, whose label index had its properties as an IN
/// list, gets the index again with them as `prop = … OR …` (migration 15),
/// and names are read from it as before (`labels` names the index, so a
/// condition it does not cover is an error, not a slow read).
#[test]
fn sqlite_label_index_is_made_again_by_migration_15() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.db");
    let before = {
        let mut s = SqliteStore::open(&path).unwrap();
        s.apply(&[version("doc-1", "h1", &[])], &prov("2026-01-01T00:00:00"))
            .unwrap();
        s.labels(&["org-a".to_string()]).unwrap()
    };
    assert_eq!(before.len(), 1);
    let conn = rusqlite::Connection::open(&path).unwrap();
    common::as_version_17(&conn);
    conn.execute_batch(
        "DROP INDEX statement_label;
         CREATE INDEX statement_label ON statement (canonical_id, prop, schema, value, seq)
         WHERE retracted_at IS NULL
           AND prop IN ('id', 'name', 'title', 'text', 'fileName', 'description');
         PRAGMA user_version = 14;",
    )
    .unwrap();
    drop(conn);
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 20);
    let after = s.labels(&["org-a".to_string()]).unwrap();
    assert_eq!(
        (after[0].schema.name, &after[0].caption),
        (before[0].schema.name, &before[0].caption)
    );
    drop(s);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'statement_label'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // Made again by migration 18, by key.
    assert!(
        sql.contains("prop = 5 OR") && !sql.contains(" IN "),
        "{sql}"
    );
}

#[test]
fn sqlite_schema_declares_foreign_keys() {
    // A statement about an entity, or from a source, the store does not know
    // is refused by the database itself.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fk.db");
    SqliteStore::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    let insert = "INSERT INTO statement (id, entity_id, canonical_id, schema, prop, prop_type, value, dataset, source, user, first_seen, last_seen) \
                  VALUES ('x', 'nobody', 'nobody', 2, 2, 2, 'X', 2, 'nowhere', 'u', 't', 't')";
    let err = conn.execute(insert, []).unwrap_err();
    assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
}

#[test]
fn postgres_migrates_once_and_refuses_a_newer_schema() {
    let Some(db) = dossier_store::testing::TestDatabase::create().unwrap() else {
        return;
    };
    {
        let mut s = dossier_store::PgStore::open(&db.url).unwrap();
        s.apply(&[version("doc-1", "h1", &[])], &prov("2026-01-01T00:00:00"))
            .unwrap();
        assert_eq!(s.schema_version().unwrap(), 12);
        assert_eq!(s.version().unwrap(), 1);
    }
    // Opened again (as a second server would), nothing is migrated twice.
    let s = dossier_store::PgStore::open(&db.url).unwrap();
    assert!(s.entity("org-a").unwrap().is_some());
    drop(s);
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    c.batch_execute("INSERT INTO dossier_migration (version) VALUES (99)")
        .unwrap();
    drop(c);
    assert!(matches!(
        dossier_store::PgStore::open(&db.url),
        Err(StoreError::TooNew { found: 99, .. })
    ));
}

/// A store of version 15 indexed every row by its entity
/// (`statement_history`); migration 16 keeps that index for the rows read
/// as another entity's only (`statement_merged`), and an entity's rows are
/// found as before: its own, a merged record's, after a merge and after
/// the split, each by an index (no read of the whole table).
#[test]
fn sqlite_history_index_is_narrowed_by_migration_16() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let merge = [("org-b".to_string(), "org-a".to_string())];
    let everyone = dossier_store::Scope::everything();
    let history = |s: &SqliteStore, id: &str| -> Vec<(i64, String)> {
        let h = s.history(id).unwrap();
        h.into_iter().map(|st| (st.seq, st.entity_id)).collect()
    };
    let (before_a, before_b) = {
        let mut s = SqliteStore::open(&path).unwrap();
        s.apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
        let mut b = dossier_model::Batch::new("doc-2", "h2");
        b.put(common::entity(
            "doc-2",
            "Document",
            &[("fileName", "b.txt")],
        ))
        .unwrap();
        b.put(common::entity("org-b", "Organization", &[("name", "Beta")]))
            .unwrap();
        s.apply(&[b], &prov("2026-01-02T00:00:00")).unwrap();
        s.resolve(&everyone, &merge, &prov("2026-01-03T00:00:00"))
            .unwrap();
        (history(&s, "org-a"), history(&s, "org-b"))
    };
    assert!(before_a.iter().any(|(_, e)| e == "org-b"));
    assert!(!before_b.is_empty() && before_b.iter().all(|(_, e)| e == "org-b"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    common::as_version_17(&conn);
    conn.execute_batch(
        "DROP INDEX statement_merged;
         CREATE INDEX statement_history ON statement (entity_id, seq);
         PRAGMA user_version = 15;",
    )
    .unwrap();
    drop(conn);
    let mut s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 20);
    assert_eq!(history(&s, "org-a"), before_a);
    assert_eq!(history(&s, "org-b"), before_b);
    // Split: org-b's rows are read as its own again, and found so.
    let split = [("org-b".to_string(), "org-b".to_string())];
    s.resolve(&everyone, &split, &prov("2026-01-04T00:00:00"))
        .unwrap();
    assert!(history(&s, "org-a").iter().all(|(_, e)| e == "org-a"));
    assert_eq!(history(&s, "org-b"), before_b);
    drop(s);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let indexes: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'statement'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        indexes.iter().any(|i| i == "statement_merged"),
        "{indexes:?}"
    );
    assert!(
        !indexes.iter().any(|i| i == "statement_history"),
        "{indexes:?}"
    );
    // Both halves of a read by entity go by an index.
    let plan: Vec<String> = conn
        .prepare(
            "EXPLAIN QUERY PLAN SELECT seq FROM statement WHERE canonical_id = 'org-b' \
             AND entity_id = 'org-b' UNION ALL SELECT seq FROM statement \
             WHERE entity_id = 'org-b' AND canonical_id <> entity_id",
        )
        .unwrap()
        .query_map([], |r| r.get(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let scans: Vec<&String> = plan.iter().filter(|p| p.starts_with("SCAN")).collect();
    assert!(scans.is_empty(), "{plan:?}");
    assert!(
        plan.iter().any(|p| p.contains("statement_merged")),
        "{plan:?}"
    );
}

/// Everything a reader reads that migration 18 could change: every row
/// (words included), entities, labels, names, counts, the version, and
/// the same seen by a reader from whom a dataset is hidden.
fn everything_read(s: &SqliteStore) -> Vec<String> {
    let ids: Vec<String> = ["org-a", "org-b", "org-p", "org-n", "doc-1", "doc-p"]
        .map(String::from)
        .to_vec();
    let mut out = vec![format!("{:?}", s.mark().unwrap())];
    for scope in [
        dossier_store::Scope::everything(),
        dossier_store::Scope::hiding(["notes".to_string()]),
    ] {
        let r = s.reader(&scope);
        let mut rows = Vec::new();
        r.each_statement(&mut |st| {
            rows.push(format!("{st:?}"));
            Ok(())
        })
        .unwrap();
        out.extend(rows);
        for id in &ids {
            out.push(format!("{:?}", r.entity(id).unwrap()));
            out.push(format!("{:?}", r.history(id).unwrap()));
            out.push(format!("{:?}", r.referencing(id).unwrap()));
        }
        out.push(format!("{:?}", r.labels(&ids).unwrap()));
        out.push(format!("{:?}", r.names().unwrap()));
        out.push(format!("{:?}", r.stats().unwrap()));
        out.push(format!(
            "{:?}",
            r.pointing_at(&ids, &["Membership"]).unwrap()
        ));
    }
    out
}

/// A store version 17 wrote, its words in every row, with two datasets, a
/// merge and a retraction, reads the same once migration 18 has made its
/// words keys, for a reader who sees everything and for one from whom a
/// dataset is hidden; its log goes on numbering from where it was, and a
/// new dataset and property written after are read back.
#[test]
fn sqlite_words_become_keys_by_migration_18() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("words.db");
    let everyone = dossier_store::Scope::everything();
    let before = {
        let mut s = SqliteStore::open(&path).unwrap();
        s.apply(
            &[version("doc-1", "h1", &["A1", "A2"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
        let mut b = dossier_model::Batch::new("doc-p", "hp");
        b.put(common::entity(
            "doc-p",
            "Document",
            &[("fileName", "p.txt")],
        ))
        .unwrap();
        b.put(common::entity(
            "org-p",
            "Organization",
            &[("name", "Private")],
        ))
        .unwrap();
        b.put(common::entity("org-b", "Organization", &[("name", "Beta")]))
            .unwrap();
        let notes = dossier_model::Provenance {
            dataset: "notes".into(),
            ..prov("2026-01-02T00:00:00")
        };
        s.apply(&[b], &notes).unwrap();
        // The first source says again what it said, less an alias: a retraction.
        s.apply(
            &[version("doc-1", "h2", &["A1"])],
            &prov("2026-01-03T00:00:00"),
        )
        .unwrap();
        let merge = [("org-b".to_string(), "org-a".to_string())];
        s.resolve(&everyone, &merge, &prov("2026-01-04T00:00:00"))
            .unwrap();
        everything_read(&s)
    };
    assert!(before.iter().any(|l| l.contains("retracted_at: Some")));
    let conn = rusqlite::Connection::open(&path).unwrap();
    common::as_version_17(&conn);
    let newest: i64 = conn
        .query_row("SELECT max(seq) FROM statement", [], |r| r.get(0))
        .unwrap();
    let words: String = conn
        .query_row("SELECT typeof(dataset) FROM statement LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(words, "text");
    drop(conn);
    let mut s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 20);
    assert_eq!(everything_read(&s), before);
    // Written after: a dataset and a property the store never held.
    let mut b = dossier_model::Batch::new("doc-3", "h3");
    b.put(common::entity(
        "doc-3",
        "Document",
        &[("fileName", "c.txt")],
    ))
    .unwrap();
    b.put(common::entity(
        "org-c",
        "Organization",
        &[("name", "Gamma"), ("legalForm", "foundation")],
    ))
    .unwrap();
    let later = dossier_model::Provenance {
        dataset: "later".into(),
        ..prov("2026-01-05T00:00:00")
    };
    s.apply(&[b], &later).unwrap();
    let gamma = s.history("org-c").unwrap();
    assert!(gamma.iter().all(|st| st.seq > newest), "{gamma:?}");
    assert!(gamma
        .iter()
        .any(|st| st.prop == "legalForm" && st.dataset == "later" && st.value == "foundation"));
    assert!(s.stats().unwrap().datasets.contains(&"later".to_string()));
    let hidden = s.reader(&dossier_store::Scope::hiding(["later".to_string()]));
    assert!(hidden.entity("org-c").unwrap().is_none());
    drop(s);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let keyed: String = conn
        .query_row("SELECT typeof(dataset) FROM statement LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(keyed, "integer");
}

/// Two processes opening the same older store at once: the one that waits
/// for the write lock while the other migrates finds the migrations done
/// once it has the lock, and does not run them again (migration 18 cannot
/// run twice: its table of words would be made again).
#[test]
fn sqlite_store_migrated_by_another_while_waiting_is_not_migrated_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("both.db");
    let before = {
        let mut s = SqliteStore::open(&path).unwrap();
        s.apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
        common::all(&s)
    };
    assert_eq!(SqliteStore::migrations_due(&path).unwrap(), None);
    assert_eq!(
        SqliteStore::migrations_due(dir.path().join("none.db")).unwrap(),
        None
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    common::as_version_17(&conn);
    assert_eq!(
        SqliteStore::migrations_due(&path).unwrap(),
        Some((17, 20)),
        "said before opening"
    );
    // The other process: migrations 18 to 20 under its write lock, which
    // it holds until the opening below has read version 17 and waits.
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn.execute_batch(include_str!("../migrations/sqlite/0018_terms.sql"))
        .unwrap();
    conn.execute_batch(include_str!("../migrations/sqlite/0019_statement_ids.sql"))
        .unwrap();
    conn.execute_batch(include_str!(
        "../migrations/sqlite/0020_retracted_by_dataset.sql"
    ))
    .unwrap();
    conn.pragma_update(None, "user_version", 20).unwrap();
    let waiting = {
        let path = path.clone();
        std::thread::spawn(move || SqliteStore::open(&path).map(|s| common::all(&s)))
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    conn.execute_batch("COMMIT").unwrap();
    let read = waiting.join().unwrap().unwrap();
    assert_eq!(read, before);
    assert_eq!(SqliteStore::migrations_due(&path).unwrap(), None);
    let s = SqliteStore::open(&path).unwrap();
    assert_eq!(s.schema_version().unwrap(), 20);
}
