//! Following the store: read snapshots (a page sees one state, the next
//! page the next) and the log a follower reads by position (`mark`,
//! `changed_since`, and what points at what, by which kept pages and
//! indexes are told what changed). Split from `contract.rs`; the same
//! `on_both!` runs each on SQLite and PostgreSQL.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{entity, prov, version};
use dossier_model::Batch;
use dossier_store::prelude::*;
use dossier_store::{Changes, Mark, SqliteStore, Store};

fn aliases_of_a(s: &dyn Store) -> Vec<String> {
    s.entity("org-a")
        .unwrap()
        .map(|e| e.values("alias").map(str::to_string).collect())
        .unwrap_or_default()
}

/// A server's reader holds one snapshot while it makes a page; another
/// connection's commits are seen once it ends. `writer` has recorded
/// `doc-1` version `h1` (alias A1); this records `h2` (A2).
fn a_snapshot_sees_one_state_then_the_next(writer: &mut dyn Store, reader: &dyn Store) {
    assert_eq!(aliases_of_a(reader), ["A1"], "caches filled before");
    assert!(reader.begin_read().unwrap());
    assert!(!reader.begin_read().unwrap(), "one snapshot at a time");
    let before = reader.version().unwrap();
    writer
        .apply(
            &[version("doc-1", "h2", &["A2"])],
            &prov("2026-01-02T00:00:00"),
        )
        .unwrap();
    assert_eq!(aliases_of_a(reader), ["A1"], "the snapshot's state");
    assert_eq!(reader.version().unwrap(), before);
    assert_eq!(reader.referencing("org-a").unwrap().len(), 1);
    reader.end_read().unwrap();
    assert_eq!(aliases_of_a(reader), ["A2"]);
    let after = reader.version().unwrap();
    assert!(after > before);
    reader.end_read().unwrap();
    assert!(
        reader.begin_read().unwrap(),
        "a new snapshot after the last"
    );
    assert_eq!(
        reader.version().unwrap(),
        after,
        "each snapshot its own version"
    );
    assert_eq!(aliases_of_a(reader), ["A2"]);
    reader.end_read().unwrap();
    // The snapshot is of the store as its first read finds it: one asked
    // for and not read from yet holds nothing back.
    assert!(reader.begin_read().unwrap());
    writer
        .apply(
            &[version("doc-1", "h4", &["A4"])],
            &prov("2026-01-02T12:00:00"),
        )
        .unwrap();
    assert_eq!(aliases_of_a(reader), ["A4"]);
    reader.end_read().unwrap();
    // Merges too: a snapshot's are those of its state (PostgreSQL keeps
    // them from snapshot to snapshot while the version holds), the next
    // snapshot's those of the next.
    let everything = dossier_store::Scope::everything();
    let at = |n: &str| (n.to_string(), "org-a".to_string());
    let part_of_a = |reader: &dyn Store| {
        assert!(reader.begin_read().unwrap());
        let seen = (
            reader.canonical_of("org-n").unwrap(),
            reader.merged_into("org-a").unwrap(),
        );
        reader.end_read().unwrap();
        seen
    };
    assert_eq!(part_of_a(reader), (None, vec![]));
    assert!(reader.begin_read().unwrap());
    assert_eq!(reader.canonical_of("org-n").unwrap(), None);
    writer
        .resolve(&everything, &[at("org-n")], &prov("2026-01-02T13:00:00"))
        .unwrap();
    assert_eq!(
        reader.canonical_of("org-n").unwrap(),
        None,
        "the snapshot's"
    );
    assert!(reader.merged_into("org-a").unwrap().is_empty());
    reader.end_read().unwrap();
    let merged = (Some("org-a".to_string()), vec!["org-n".to_string()]);
    assert_eq!(part_of_a(reader), merged);
    // A write that merges nothing leaves the merges as they are, and what
    // a reader keeps of them (kept past such writes) says so.
    writer
        .apply(
            &[version("doc-1", "h5", &["A4"])],
            &prov("2026-01-02T13:30:00"),
        )
        .unwrap();
    assert_eq!(
        part_of_a(reader),
        merged,
        "past a write that merges nothing"
    );
    let alone = ("org-n".to_string(), "org-n".to_string());
    writer
        .resolve(&everything, &[alone], &prov("2026-01-02T14:00:00"))
        .unwrap();
    assert_eq!(part_of_a(reader), (None, vec![]), "split again");
    writer
        .apply(
            &[version("doc-1", "h6", &["A4"])],
            &prov("2026-01-02T14:30:00"),
        )
        .unwrap();
    assert_eq!(
        part_of_a(reader),
        (None, vec![]),
        "still split past a write"
    );
    writer
        .resolve(&everything, &[at("org-n")], &prov("2026-01-02T15:00:00"))
        .unwrap();
    assert_eq!(part_of_a(reader), merged, "merged again");
    let alone = ("org-n".to_string(), "org-n".to_string());
    writer
        .resolve(&everything, &[alone], &prov("2026-01-02T15:30:00"))
        .unwrap();
    assert_eq!(part_of_a(reader), (None, vec![]), "and split");
}

#[test]
fn sqlite_read_snapshot_sees_one_state_then_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.db");
    let mut writer = SqliteStore::open(&path).unwrap();
    writer
        .apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    let reader = SqliteStore::open(&path).unwrap();
    a_snapshot_sees_one_state_then_the_next(&mut writer, &reader);
    // A redaction made meanwhile is seen at once after the snapshot
    // (begun by its first read).
    assert!(reader.begin_read().unwrap());
    reader.version().unwrap();
    writer
        .redact("org-n", "for the test", &prov("2026-01-03T00:00:00"))
        .unwrap();
    assert!(reader.entity("org-n").unwrap().is_some());
    reader.end_read().unwrap();
    assert!(
        reader.entity("org-n").unwrap().is_none(),
        "redacted at once"
    );
    assert!(reader.begin_read().unwrap());
    assert!(reader.entity("org-n").unwrap().is_none());
    reader.end_read().unwrap();
}

#[test]
fn postgres_read_snapshot_sees_one_state_then_the_next() {
    // As on SQLite, but for redactions: PostgreSQL keeps them for a second.
    let Some(db) = dossier_store::testing::TestDatabase::create().unwrap() else {
        return;
    };
    let mut writer = dossier_store::PgStore::open(&db.url).unwrap();
    writer
        .apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    let reader = dossier_store::PgStore::open(&db.url).unwrap();
    a_snapshot_sees_one_state_then_the_next(&mut writer, &reader);
    // A snapshot begins on the database with its first read: one that
    // reads nothing (a page made from what the server keeps) costs no
    // round trip, and no connection waits idle in a transaction.
    let mut watch = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let waiting = |watch: &mut postgres::Client| -> i64 {
        watch
            .query_one(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND state = 'idle in transaction'",
                &[],
            )
            .unwrap()
            .get(0)
    };
    assert!(reader.begin_read().unwrap());
    assert_eq!(waiting(&mut watch), 0, "not begun before a read");
    assert_eq!(aliases_of_a(&reader), ["A4"]);
    assert_eq!(waiting(&mut watch), 1, "begun with the first read");
    reader.end_read().unwrap();
    assert_eq!(waiting(&mut watch), 0, "ended");
    assert!(reader.begin_read().unwrap());
    reader.end_read().unwrap();
    assert_eq!(waiting(&mut watch), 0);
    // A connection writes again once its snapshot has ended.
    assert!(writer.begin_read().unwrap());
    writer.end_read().unwrap();
    writer
        .apply(
            &[version("doc-1", "h3", &["A3"])],
            &prov("2026-01-03T00:00:00"),
        )
        .unwrap();
    assert_eq!(aliases_of_a(&reader), ["A3"]);
}

fn changed(store: &dyn Store, since: &Mark) -> Vec<String> {
    match store.changed_since(since, 100).unwrap() {
        Changes::Entities { changed, .. } => changed,
        Changes::Everything => panic!("a small change should be listed"),
    }
}

fn a_follower_learns_what_changed_since_its_mark(store: &mut dyn Store) {
    let empty = store.mark().unwrap();
    assert_eq!(empty, Mark::default());
    assert_eq!(empty.to_string().parse::<Mark>(), Ok(empty));
    assert!("12".parse::<Mark>().is_err(), "an older index's stamp");
    store
        .apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    let m1 = store.mark().unwrap();
    assert_eq!(m1.version, store.version().unwrap());
    assert!(m1.seq > 0);
    assert_eq!(changed(store, &empty), ["doc-1", "mem-1", "org-a", "org-n"]);
    assert_eq!(changed(store, &m1), Vec::<String>::new());

    // A claim about the network, with a quotation: what points at what.
    let mut b = Batch::new("doc-2", "h2");
    b.put(entity("doc-2", "Document", &[("fileName", "c.txt")]))
        .unwrap();
    b.put(entity(
        "claim-1",
        "Claim",
        &[("text", "Network said so"), ("subject", "org-n")],
    ))
    .unwrap();
    b.put(entity(
        "quote-1",
        "Quotation",
        &[("text", "so"), ("claim", "claim-1")],
    ))
    .unwrap();
    store.apply(&[b], &prov("2026-01-02T00:00:00")).unwrap();
    assert_eq!(
        changed(store, &m1),
        ["claim-1", "doc-2", "org-n", "quote-1"],
        "org-n is pointed at by the claim; claim-1 by the quotation"
    );
    assert_eq!(
        store
            .pointing_at(&["org-n".to_string()], &["Claim"])
            .unwrap(),
        ["claim-1"]
    );
    assert_eq!(
        store
            .pointing_at(&["org-n".to_string()], &["Membership", "Claim"])
            .unwrap(),
        ["claim-1", "mem-1"]
    );

    // A retraction alone, with no new row: still found.
    let m2 = store.mark().unwrap();
    store
        .delete(
            &dossier_store::Scope::everything(),
            "quote-1",
            "not a quotation",
            &prov("2026-01-03T00:00:00"),
        )
        .unwrap();
    let m3 = store.mark().unwrap();
    assert_eq!(m3.seq, m2.seq, "a deletion only retracts");
    assert!(m3.version > m2.version);
    assert_eq!(changed(store, &m2), ["claim-1", "quote-1"]);

    // A merge: both sides, and whatever points at the merged one.
    store
        .resolve(
            &dossier_store::Scope::everything(),
            &[("org-n".to_string(), "org-a".to_string())],
            &prov("2026-01-04T00:00:00"),
        )
        .unwrap();
    // (A retraction made when the newest row was the mark's is listed
    // again: reading an entity twice costs little, missing one would not.)
    let merged = changed(store, &m3);
    assert!(
        merged.contains(&"org-a".to_string()) && merged.contains(&"org-n".to_string()),
        "{merged:?}"
    );
    match store.changed_since(&m3, 100).unwrap() {
        Changes::Entities { merged, .. } => assert_eq!(merged, ["org-a", "org-n"]),
        Changes::Everything => panic!("a merge should be listed"),
    }
    assert_eq!(
        store
            .pointing_at(&["org-n".to_string()], &["Membership"])
            .unwrap(),
        ["mem-1"],
        "what pointed at the merged entity is found through it"
    );
    assert_eq!(
        store
            .pointing_at(&["org-a".to_string()], &["Claim"])
            .unwrap(),
        ["claim-1"],
        "a claim about a merged entity is about the one it is part of"
    );
    // Each id apart, in one read, as the answers for one id at a time say:
    // through the merge too, and nothing for an id nothing points at.
    let ids: Vec<String> = ["org-a", "org-n", "org-none"].map(String::from).to_vec();
    let schemata = ["Membership", "Claim"];
    let one_at_a_time: Vec<Vec<String>> = ids
        .iter()
        .map(|id| {
            store
                .pointing_at(std::slice::from_ref(id), &schemata)
                .unwrap()
        })
        .collect();
    assert_eq!(
        store.pointing_at_each(&ids, &schemata).unwrap(),
        one_at_a_time
    );
    assert!(one_at_a_time[0].contains(&"claim-1".to_string()) && one_at_a_time[2].is_empty());

    // Too many to list, or a change to every read: start again.
    assert_eq!(store.changed_since(&empty, 2).unwrap(), Changes::Everything);
    let m4 = store.mark().unwrap();
    store
        .redact("org-a", "test", &prov("2026-01-05T00:00:00"))
        .unwrap();
    assert_eq!(store.changed_since(&m4, 100).unwrap(), Changes::Everything);
    let m5 = store.mark().unwrap();
    assert_eq!(m5.shape, m4.shape + 1);
    store.set_collection("private", true).unwrap();
    assert_eq!(store.changed_since(&m5, 100).unwrap(), Changes::Everything);
}

on_both!(a_follower_learns_what_changed_since_its_mark);
