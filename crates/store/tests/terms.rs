//! SQLite keeps a row's schema, property, property type and dataset as
//! keys into a table of words (migration 18), and each connection keeps
//! the words it has read. These try to make a connection read a word
//! wrongly: one another connection has just written, and one whose key
//! means another word after the whole store was restored from a backup.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{entity, prov};
use dossier_model::{Batch, Provenance};
use dossier_store::prelude::*;
use dossier_store::SqliteStore;

/// One organization stated in `dataset` by its own document, with a
/// property only it has.
fn stated(store: &mut SqliteStore, org: &str, dataset: &str, prop: &str, at: &str) {
    let doc = format!("doc-{org}");
    let mut b = Batch::new(&doc, format!("hash-{org}"));
    b.put(entity(&doc, "Document", &[("fileName", "a.txt")]))
        .unwrap();
    b.put(entity(org, "Organization", &[("name", org), (prop, "x")]))
        .unwrap();
    let prov = Provenance {
        dataset: dataset.into(),
        ..prov(at)
    };
    store.apply(&[b], &prov).unwrap();
}

/// (property, dataset) of each current row of `org`, sorted.
fn words(store: &SqliteStore, org: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = store
        .history(org)
        .unwrap()
        .into_iter()
        .filter(|st| st.is_current())
        .map(|st| (st.prop, st.dataset))
        .collect();
    out.sort();
    out
}

#[test]
fn a_word_another_connection_wrote_is_read_as_itself() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let mut writer = SqliteStore::open(&path).unwrap();
    stated(
        &mut writer,
        "org-a",
        "first",
        "legalForm",
        "2026-01-01T00:00:00",
    );
    let reader = SqliteStore::open(&path).unwrap();
    assert!(words(&reader, "org-a").contains(&("legalForm".into(), "first".into())));
    // New words, written by the other connection after this one kept its own.
    stated(
        &mut writer,
        "org-b",
        "second",
        "classification",
        "2026-01-02T00:00:00",
    );
    let b = words(&reader, "org-b");
    assert!(
        b.contains(&("classification".into(), "second".into())),
        "{b:?}"
    );
    assert!(b.iter().all(|(_, d)| d == "second"), "{b:?}");
    assert_eq!(
        reader.entity("org-b").unwrap().unwrap().schema.name,
        "Organization"
    );
    assert!(reader
        .stats()
        .unwrap()
        .datasets
        .contains(&"second".to_string()));
}

#[test]
fn a_restored_store_is_read_with_its_own_words() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let backup = dir.path().join("backup.db");
    {
        // The backup gives its keys in one order ...
        let other = dir.path().join("other.db");
        let mut s = SqliteStore::open(&other).unwrap();
        stated(&mut s, "org-a", "alpha", "legalForm", "2026-01-01T00:00:00");
        stated(
            &mut s,
            "org-b",
            "beta",
            "classification",
            "2026-01-02T00:00:00",
        );
        s.backup_to(&backup).unwrap();
    }
    // ... the live store in the other.
    let mut s = SqliteStore::open(&live).unwrap();
    stated(
        &mut s,
        "org-b",
        "beta",
        "classification",
        "2026-01-01T00:00:00",
    );
    stated(&mut s, "org-a", "alpha", "legalForm", "2026-01-02T00:00:00");
    let reader = SqliteStore::open(&live).unwrap();
    let a_before = words(&reader, "org-a");
    let b_before = words(&reader, "org-b");
    assert!(a_before.contains(&("legalForm".into(), "alpha".into())));
    drop(s);
    SqliteStore::restore(&backup, &live).unwrap();
    // The connection that kept the live store's words reads the restored
    // store's rows with the restored store's words.
    assert_eq!(words(&reader, "org-a"), a_before);
    assert_eq!(words(&reader, "org-b"), b_before);
}
