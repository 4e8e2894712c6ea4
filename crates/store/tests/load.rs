//! Loading a log verbatim (`Store::load`, `load_chunks`): what every
//! backend must do, and SQLite's bulk path into an empty store.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{all, entity, prov, version};
use dossier_model::{Batch, Provenance, Statement};
use dossier_store::prelude::*;
use dossier_store::{SqliteStore, Store, StoreError};

/// One source said twice, an alias dropped the second time: the log,
/// with a retracted row.
fn two_versions(store: &mut dyn Store) -> Vec<Statement> {
    store
        .apply(
            &[version("doc-1", "h1", &["A1", "A2"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    store
        .apply(
            &[version("doc-1", "h2", &["A1"])],
            &prov("2026-02-01T00:00:00"),
        )
        .unwrap();
    all(store)
}

fn load_is_verbatim(store: &mut dyn Store, fresh: &mut dyn Store) {
    let rows = two_versions(store);
    assert!(rows.iter().any(|s| !s.is_current()));
    assert_eq!(fresh.load(&rows).unwrap(), rows.len());
    assert_eq!(all(fresh), rows);
    assert_eq!(fresh.entities(&[]).unwrap(), store.entities(&[]).unwrap());
    // Loading the same rows again (a load run again after it was cut off,
    // or after it committed) passes over them and changes nothing.
    let version = fresh.version().unwrap();
    assert_eq!(fresh.load(&rows).unwrap(), 0);
    assert_eq!(all(fresh), rows);
    assert_eq!(fresh.version().unwrap(), version);
    // Rows that say something else under numbers already taken clash, and
    // nothing of that load is written.
    let mut other = rows.clone();
    let last = other.len() - 1;
    other[last].value.push_str(" (altered)");
    let next = other[last].clone();
    other.push(Statement {
        seq: next.seq + 1,
        ..next
    });
    let err = fresh.load(&other).unwrap_err();
    assert!(matches!(err, StoreError::SeqTaken { .. }), "{err}");
    assert_eq!(all(fresh), rows);
}

/// A log loaded a chunk at a time is one transaction: read whole it is the
/// same store as [`Store::load`] makes, and a chunk that cannot be read
/// takes back the chunks before it.
fn a_log_loaded_in_chunks_is_one_transaction(store: &mut dyn Store, fresh: &mut dyn Store) {
    let rows = two_versions(store);
    assert!(rows.len() >= 4, "{}", rows.len());
    let version = fresh.version().unwrap();
    let mut broken = rows
        .chunks(2)
        .map(|c| Ok(c.to_vec()))
        .collect::<Vec<Result<_, String>>>();
    broken.push(Err("log.jsonl:9:1: not a statement".into()));
    let err = fresh.load_chunks(&mut broken.into_iter()).unwrap_err();
    assert!(
        matches!(err, StoreError::Io(ref m) if m.contains("log.jsonl:9")),
        "{err}"
    );
    assert!(all(fresh).is_empty(), "a failed load wrote rows");
    assert!(fresh.entities(&[]).unwrap().is_empty());
    assert_eq!(fresh.version().unwrap(), version);
    // A later chunk giving a number an earlier one took, saying something
    // else, clashes even in a store that was empty.
    let mut clash = rows[0].clone();
    clash.value.push_str(" (altered)");
    let mut twice = vec![Ok(rows.clone()), Ok(vec![clash])].into_iter();
    let err = fresh.load_chunks(&mut twice).unwrap_err();
    assert!(matches!(err, StoreError::SeqTaken { .. }), "{err}");
    assert!(all(fresh).is_empty(), "a failed load wrote rows");
    let n = fresh
        .load_chunks(&mut rows.chunks(3).map(|c| Ok(c.to_vec())))
        .unwrap();
    assert_eq!(n, rows.len());
    assert_eq!(all(fresh), rows);
    assert_eq!(fresh.entities(&[]).unwrap(), store.entities(&[]).unwrap());
    assert_eq!(fresh.load_chunks(&mut std::iter::empty()).unwrap(), 0);
}

/// A log may give a row twice, and an entity's schema more precisely
/// further on, within one chunk as across chunks: a chunk's rows are
/// written together at its end, and what it says of each entity is
/// gathered first.
fn a_chunk_repeats_and_refines_itself(store: &mut dyn Store, fresh: &mut dyn Store) {
    let rows = two_versions(store);
    let mut altered = rows[0].clone();
    altered.value.push_str(" (altered)");
    let mut clash = rows.clone();
    clash.push(altered);
    let err = fresh.load(&clash).unwrap_err();
    assert!(matches!(err, StoreError::SeqTaken { .. }), "{err}");
    assert!(all(fresh).is_empty(), "a failed load wrote rows");
    let mut repeated = rows.clone();
    repeated.push(rows[0].clone());
    assert_eq!(fresh.load(&repeated).unwrap(), rows.len());
    assert_eq!(all(fresh), rows);
    // A body first stated as a legal entity, then as an organization, and
    // one the other way round: each ends as the more specific.
    let last = rows.iter().map(|s| s.seq).max().unwrap();
    let row = |seq: i64, entity: &str, schema: &str, value: &str| Statement {
        seq,
        id: format!("st-{seq}"),
        entity_id: entity.into(),
        canonical_id: entity.into(),
        schema: schema.into(),
        prop: "name".into(),
        value: value.into(),
        ..rows[0].clone()
    };
    let more = vec![
        row(last + 1, "body-1", "LegalEntity", "Body one"),
        row(last + 2, "body-1", "Organization", "Body one, in full"),
        row(last + 3, "body-2", "Organization", "Body two"),
        row(last + 4, "body-2", "LegalEntity", "Body two, briefly"),
    ];
    assert_eq!(fresh.load(&more).unwrap(), 4);
    for id in ["body-1", "body-2"] {
        assert_eq!(
            fresh.entity(id).unwrap().unwrap().schema.name,
            "Organization",
            "{id}"
        );
    }
}

on_both!(load_is_verbatim, two);
on_both!(a_log_loaded_in_chunks_is_one_transaction, two);
on_both!(a_chunk_repeats_and_refines_itself, two);

/// Rows of `path`'s store that name an entity it does not hold.
fn dangling(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok(format!(
                "{}:{}",
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?
            ))
        })
        .unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn sqlite_bulk_load_into_an_empty_store_keeps_every_index_and_is_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bulk.db");
    let indexes = |path: &std::path::Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'statement' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    let before = indexes(&{
        SqliteStore::open(&path).unwrap();
        path.clone()
    });
    assert!(before.len() >= 8, "{before:?}");
    // Enough statements for a bulk load: 4,000 organizations, each with a
    // name, an alias and a membership of one network.
    let mut log: Vec<Statement> = Vec::new();
    let p = prov("2026-01-01T00:00:00");
    let mut b = Batch::new("doc-1", "h");
    b.put(entity(
        "doc-1",
        "Document",
        &[("fileName", "f.txt"), ("contentHash", "h")],
    ))
    .unwrap();
    b.put(entity("org-net", "Organization", &[("name", "Network")]))
        .unwrap();
    for i in 0..4000 {
        b.put(entity(
            &format!("org-{i}"),
            "Organization",
            &[("name", &format!("Body {i}")), ("alias", &format!("B{i}"))],
        ))
        .unwrap();
        b.put(entity(
            &format!("mem-{i}"),
            "Membership",
            &[("member", &format!("org-{i}")), ("organization", "org-net")],
        ))
        .unwrap();
    }
    let prov_doc = Provenance {
        source: "doc-1".into(),
        ..p.clone()
    };
    for e in b.entities() {
        log.extend(dossier_model::statement::entity_statements(e, &prov_doc));
    }
    for (i, st) in log.iter_mut().enumerate() {
        st.seq = i as i64 + 1;
    }
    assert!(log.len() > 20_000, "{}", log.len());
    // A log that clashes with itself at its end: nothing is loaded, and the
    // indexes are as they were.
    let mut bad = log.clone();
    let mut last = bad.last().unwrap().clone();
    last.value.push_str(" again");
    bad.push(last);
    let mut store = SqliteStore::open(&path).unwrap();
    assert!(store.load(&bad).is_err());
    assert_eq!(store.stats().unwrap().statements, 0);
    drop(store);
    assert_eq!(indexes(&path), before);
    // The bulk write goes through a rollback journal; the file is left in
    // write-ahead mode whatever happened.
    let journal = |path: &std::path::Path| -> String {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(journal(&path), "wal");
    // The whole log: every index back, every read as after a row-by-row load.
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.load(&log).unwrap(), log.len());
    let mut small = SqliteStore::in_memory().unwrap();
    for chunk in log.chunks(5000) {
        small.load(chunk).unwrap();
    }
    assert_eq!(all(&store), all(&small));
    assert_eq!(
        store.entity("org-7").unwrap(),
        small.entity("org-7").unwrap()
    );
    assert_eq!(
        store.referencing("org-net").unwrap().len(),
        4000,
        "the reference index is back"
    );
    drop(store);
    assert_eq!(indexes(&path), before);
    assert_eq!(journal(&path), "wal");
    assert_eq!(dangling(&path), Vec::<String>::new());

    // A bulk load does not ask the foreign keys row by row: the loader
    // registers what each row names. Rows citing a source never described,
    // and an entity read as one that has no statement of its own, still
    // leave every name registered.
    let mut odd = log.clone();
    for st in odd.iter_mut().filter(|st| st.entity_id == "org-5") {
        st.canonical_id = "org-kept".into();
    }
    for st in odd.iter_mut().skip(100).take(50) {
        st.source = "doc-only-cited".into();
    }
    let odd_path = dir.path().join("odd.db");
    let mut store = SqliteStore::open(&odd_path).unwrap();
    assert_eq!(store.load(&odd).unwrap(), odd.len());
    let kept = store.entity("org-kept").unwrap().unwrap();
    assert_eq!(kept.first("name"), Some("Body 5"));
    // Rows read as another entity's are found by their own entity through
    // the merged rows' index, which the bulk load kept up row by row.
    let merged_rows = store.history("org-5").unwrap();
    assert!(!merged_rows.is_empty());
    assert!(merged_rows
        .iter()
        .all(|st| st.entity_id == "org-5" && st.canonical_id == "org-kept"));
    drop(store);
    assert_eq!(dangling(&odd_path), Vec::<String>::new());

    // The same source applied whole into an empty store (an FtM import):
    // written in bulk, read back the same, and the next version of the
    // source is compared with it through the indexes made again.
    // Another connection (a server's reader) is open meanwhile: the write
    // stays in write-ahead mode, and the reader sees it once committed.
    let applied = dir.path().join("applied.db");
    let mut store = SqliteStore::open(&applied).unwrap();
    let reader = SqliteStore::open(&applied).unwrap();
    let r = store.apply(std::slice::from_ref(&b), &p).unwrap();
    assert_eq!(r[0].inserted, log.len());
    assert_eq!(indexes(&applied), before);
    assert_eq!(journal(&applied), "wal");
    assert_eq!(reader.stats().unwrap().statements, log.len() as u64);
    drop(reader);
    assert_eq!(dangling(&applied), Vec::<String>::new());
    assert_eq!(
        store.entity("org-7").unwrap(),
        small.entity("org-7").unwrap()
    );
    assert_eq!(store.referencing("org-net").unwrap().len(), 4000);
    assert!(store.apply(std::slice::from_ref(&b), &p).unwrap()[0].unchanged);
    let mut next = Batch::new("doc-1", "h2");
    next.put(entity(
        "doc-1",
        "Document",
        &[("fileName", "f.txt"), ("contentHash", "h2")],
    ))
    .unwrap();
    for e in b.entities().filter(|e| e.id != "org-9" && e.id != "doc-1") {
        next.put(e.clone()).unwrap();
    }
    let r = store.apply(&[next], &p).unwrap();
    // The new hash in; the old hash and org-9's id, name and alias out.
    assert_eq!((r[0].inserted, r[0].retracted), (1, 4));
    assert!(store.entity("org-9").unwrap().is_none());
}
