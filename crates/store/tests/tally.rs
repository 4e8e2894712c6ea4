//! `stats` reads counts the store keeps as it writes (issue 29, part 5).
//! Each check here writes in one more way and then holds the kept counts
//! against counting every row (`stats_by_scan`): for a reader who sees
//! everything, and for readers with hidden collections, whose counts are
//! the kept ones less what their scope hides.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{entity, prov, version};
use dossier_model::{Batch, Provenance};
use dossier_store::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use dossier_store::{Edit, HiddenPart, Scope, SqliteStore, Stats, Store};

/// The collections hidden from the readers each check asks: none; one no
/// one has; each dataset the checks write; the old archive dataset; two.
const HIDDEN: [&[&str]; 6] = [
    &[],
    &["a-collection-no-one-has"],
    &["register"],
    &["test"],
    &["archive"],
    &["register", "test"],
];

thread_local! {
    /// What each reader's `stats_keeping` returned last, by store and by
    /// the collections hidden: every check asks with it, so that a part
    /// kept is used again across every kind of write the checks make.
    static PARTS: RefCell<HashMap<(usize, String), Arc<HiddenPart>>> =
        RefCell::new(HashMap::new());
}

/// `stats_keeping` for a reader who hides `hidden`, with the part kept
/// from the last call for the same store and reader, keeping the new one.
fn keeping(store: &dyn Store, hidden: &[&str]) -> (Stats, Option<Arc<HiddenPart>>) {
    let reader = store.reader(&Scope::hiding(hidden.iter().map(|h| h.to_string())));
    let key = (
        store as *const dyn Store as *const () as usize,
        hidden.join(","),
    );
    let last = PARTS.with(|p| p.borrow().get(&key).cloned());
    let (stats, part) = reader.stats_keeping(last.as_deref()).unwrap();
    PARTS.with(|p| match &part {
        Some(part) => p.borrow_mut().insert(key, part.clone()),
        None => p.borrow_mut().remove(&key),
    });
    (stats, part)
}

/// The kept counts, and the same counted over every row, for a reader
/// who hides `hidden`; the kept counts with the part kept from the last
/// check must be the same.
fn kept_and_counted(store: &dyn Store, hidden: &[&str]) -> (Stats, Stats) {
    let reader = store.reader(&Scope::hiding(hidden.iter().map(|h| h.to_string())));
    let counted = reader.stats_by_scan().unwrap();
    let (again, _) = keeping(store, hidden);
    assert_eq!(again, counted, "with the part kept, hiding {hidden:?}");
    (reader.stats().unwrap(), counted)
}

/// Every reader's kept counts are the counted ones; the counts of a
/// reader who sees everything.
#[track_caller]
fn agree(store: &dyn Store, after: &str) -> Stats {
    for hidden in HIDDEN {
        let (kept, counted) = kept_and_counted(store, hidden);
        assert_eq!(kept, counted, "after {after}, hiding {hidden:?}");
    }
    let (kept, _) = kept_and_counted(store, &[]);
    kept
}

fn schema_count(stats: &Stats, schema: &str) -> u64 {
    stats
        .entities_by_schema
        .iter()
        .find(|(s, _)| s == schema)
        .map_or(0, |(_, n)| *n)
}

fn everything() -> Scope {
    Scope::everything()
}

fn at(day: u32) -> Provenance {
    prov(&format!("2026-02-{day:02}T00:00:00"))
}

fn counts_follow_every_kind_of_write(store: &mut dyn Store, fresh: &mut dyn Store) {
    assert_eq!(agree(store, "nothing"), Stats::default());
    store
        .apply(&[version("doc-1", "h1", &["A1", "A2"])], &at(1))
        .unwrap();
    let first = agree(store, "a first source");
    assert!(first.statements > 0 && first.sources == 1);
    // A newer version says one alias less: a retraction.
    store
        .apply(&[version("doc-1", "h2", &["A1"])], &at(2))
        .unwrap();
    let second = agree(store, "a newer version");
    assert_eq!(
        second.statements,
        first.statements + 1,
        "the new hash, and nothing else new"
    );
    assert!(second.current_statements < second.statements);

    // Another source, in another dataset, says an entity is a less
    // specific thing first, then a second source makes it more specific.
    let mut b = Batch::new("doc-2", "h1");
    b.put(entity("doc-2", "Document", &[("title", "A register")]))
        .unwrap();
    b.put(entity("org-b", "LegalEntity", &[("name", "Beta")]))
        .unwrap();
    b.put(entity("per-1", "Person", &[("name", "Pat Doe")]))
        .unwrap();
    b.put(entity(
        "mem-2",
        "Membership",
        &[("member", "per-1"), ("organization", "org-b")],
    ))
    .unwrap();
    b.dataset = Some("register".into());
    store.apply(&[b], &at(3)).unwrap();
    let third = agree(store, "a source in another dataset");
    assert_eq!(third.datasets, ["register", "test"]);
    assert_eq!(schema_count(&third, "LegalEntity"), 1);
    let mut b = Batch::new("doc-3", "h1");
    b.put(entity("doc-3", "Document", &[("title", "Filings")]))
        .unwrap();
    b.put(entity("org-b", "Organization", &[("name", "Beta")]))
        .unwrap();
    store.apply(&[b], &at(4)).unwrap();
    let fourth = agree(store, "a more specific schema");
    assert_eq!(schema_count(&fourth, "LegalEntity"), 0);
    assert_eq!(
        schema_count(&fourth, "Organization"),
        schema_count(&third, "Organization") + 1
    );

    // Statements in the old archive dataset about the register's document
    // (stores written before copies followed their source hold such rows):
    // hidden with the register. A newer version retracts one of them.
    let archived = |notes: &[&str]| {
        let mut b = Batch::new("doc-archive", "h1");
        b.put(entity(
            "doc-archive",
            "Document",
            &[("title", "Archive notes")],
        ))
        .unwrap();
        let mut d = entity("doc-2", "Document", &[]);
        for n in notes {
            d.add("summary", *n).unwrap();
        }
        b.put(d).unwrap();
        b.dataset = Some("archive".into());
        b
    };
    store
        .apply(&[archived(&["Kept", "Checked"])], &at(4))
        .unwrap();
    let archive = agree(store, "rows in the archive dataset");
    assert!(archive.datasets.contains(&"archive".to_string()));
    let hiding_register = kept_and_counted(store, &["register"]).0;
    assert_eq!(
        schema_count(&hiding_register, "Person"),
        0,
        "the register's person is seen by no one who hides it"
    );
    store.apply(&[archived(&["Kept"])], &at(4)).unwrap();
    agree(store, "a row in the archive dataset retracted");

    // An edit, a deletion and the deletion taken back.
    let mut batch = Batch::new("doc-edit", "e1");
    batch
        .put(entity(
            "doc-edit",
            "Document",
            &[("title", "An editor's note")],
        ))
        .unwrap();
    batch
        .put(entity("org-a", "Organization", &[("alias", "Alf")]))
        .unwrap();
    let edit = Edit {
        batch,
        remove: vec![("org-a".into(), "alias".into(), "A1".into())],
        reason: "a better alias".into(),
    };
    store.edit(&everything(), &edit, &at(5)).unwrap();
    agree(store, "an edit");
    store
        .delete(&everything(), "mem-2", "not a member", &at(6))
        .unwrap();
    let deleted = agree(store, "a deletion");
    assert_eq!(
        schema_count(&deleted, "Membership"),
        schema_count(&fourth, "Membership") - 1,
        "an entity with no current statement is not counted"
    );
    store
        .revert(
            &everything(),
            "mem-2",
            "2026-02-06T00:00:00",
            "deleted by mistake",
            &at(7),
        )
        .unwrap();
    let reverted = agree(store, "a deletion taken back");
    assert_eq!(
        schema_count(&reverted, "Membership"),
        schema_count(&fourth, "Membership")
    );

    // A merge, then the split that undoes it.
    let merge = [("org-b".to_string(), "org-a".to_string())];
    store.resolve(&everything(), &merge, &at(8)).unwrap();
    let merged = agree(store, "a merge");
    assert_eq!(
        schema_count(&merged, "Organization"),
        schema_count(&reverted, "Organization") - 1
    );
    let split = [("org-b".to_string(), "org-b".to_string())];
    store.resolve(&everything(), &split, &at(9)).unwrap();
    let split = agree(store, "a split");
    assert_eq!(split.entities_by_schema, reverted.entities_by_schema);

    // The log loaded into another store counts the same.
    fresh.load(&common::all(store)).unwrap();
    assert_eq!(agree(fresh, "a load"), split);

    // Redaction leaves the person's statements out of every read, these
    // counts included, and lifting it brings them back; with the person
    // merged into another record too.
    store.redact("per-1", "a private person", &at(10)).unwrap();
    let redacted = agree(store, "a redaction");
    assert_eq!(schema_count(&redacted, "Person"), 0);
    assert!(redacted.statements < split.statements);
    store.unredact("per-1").unwrap();
    assert_eq!(agree(store, "a redaction lifted"), split);
    let mut b = Batch::new("doc-4", "h1");
    b.put(entity(
        "doc-4",
        "Document",
        &[("title", "Another register")],
    ))
    .unwrap();
    b.put(entity("per-2", "Person", &[("name", "P. Doe")]))
        .unwrap();
    store.apply(&[b], &at(11)).unwrap();
    let merge = [("per-1".to_string(), "per-2".to_string())];
    store.resolve(&everything(), &merge, &at(12)).unwrap();
    store.redact("per-1", "a private person", &at(13)).unwrap();
    let member_redacted = agree(store, "a merged record redacted");
    assert_eq!(
        schema_count(&member_redacted, "Person"),
        1,
        "the record it was merged into still has statements of its own"
    );
    store.redact("per-2", "the same person", &at(14)).unwrap();
    let both = agree(store, "both redacted");
    assert_eq!(schema_count(&both, "Person"), 0);
}

/// Many entities in one batch into an empty store: the indexes, and the
/// triggers that keep the counts, are made after the rows.
fn counts_a_bulk_write_once_at_the_end(store: &mut dyn Store, fresh: &mut dyn Store) {
    let mut b = Batch::new("doc-big", "h1");
    b.put(entity("doc-big", "Document", &[("title", "Everyone")]))
        .unwrap();
    for i in 0..7_000 {
        b.put(entity(
            &format!("org-{i}"),
            if i % 7 == 0 {
                "PublicBody"
            } else {
                "Organization"
            },
            &[("name", &format!("Body number {i}")), ("country", "fr")],
        ))
        .unwrap();
    }
    store.apply(&[b], &at(1)).unwrap();
    let bulk = agree(store, "a bulk apply");
    assert_eq!(schema_count(&bulk, "PublicBody"), 1_000);
    assert_eq!(schema_count(&bulk, "Organization"), 6_000);
    // The triggers are back: the next write is counted as it is made.
    store
        .delete(&everything(), "org-1", "gone", &at(2))
        .unwrap();
    let after = agree(store, "a write after the bulk one");
    assert_eq!(schema_count(&after, "Organization"), 5_999);
    assert_eq!(after.current_statements, bulk.current_statements - 3);
    // Its log, loaded verbatim into an empty store: a bulk load.
    let log = common::all(store);
    assert!(
        log.len() > 20_000,
        "{} statements: not a bulk load",
        log.len()
    );
    fresh.load(&log).unwrap();
    assert_eq!(agree(fresh, "a bulk load"), after);
    fresh
        .delete(&everything(), "org-2", "gone", &at(3))
        .unwrap();
    assert_eq!(
        schema_count(&agree(fresh, "a write after the bulk load"), "Organization"),
        5_998
    );
}

on_both!(counts_follow_every_kind_of_write, two);

/// What a reader hiding a collection does not see, beyond the collection's
/// own counts, is kept from one `stats` to the next while the store's log
/// shows that nothing it asked about changed, and mended when something
/// did: a private entity gaining its first row others see, then losing
/// it, a row more in the hidden collection, a redacted person said again.
fn a_kept_hidden_part_holds_until_what_it_asked_about_changes(store: &mut dyn Store) {
    let private = |doc: &str, ids: &[&str]| {
        let mut b = people(doc, "h1", ids, ("name", "Someone kept apart"));
        b.dataset = Some("private".into());
        b
    };
    let public =
        |hash: &str, ids: &[&str]| people("doc-open", hash, ids, ("alias", "Named openly"));
    let unrelated = |day: u32| {
        let doc = format!("doc-u{day}");
        let mut b = Batch::new(&doc, "h1");
        b.put(entity(&doc, "Document", &[("title", "Elsewhere")]))
            .unwrap();
        b.put(entity(
            &format!("org-u{day}"),
            "Organization",
            &[("name", "Else")],
        ))
        .unwrap();
        b
    };
    let hidden = &["private"];
    // Checks the counts against every row, and says whether the part was
    // the one made at `made` (used again) or made anew.
    let check = |store: &dyn Store, after: &str| {
        let (stats, part) = keeping(store, hidden);
        let reader = store.reader(&Scope::hiding(["private".to_string()]));
        assert_eq!(stats, reader.stats_by_scan().unwrap(), "after {after}");
        (
            stats,
            part.expect("a part for a reader hiding a collection")
                .made_at(),
        )
    };

    store
        .apply(&[private("doc-p", &["per-x"])], &at(1))
        .unwrap();
    store.apply(&[unrelated(2)], &at(2)).unwrap();
    let (first, made) = check(store, "a private person");
    assert_eq!(schema_count(&first, "Person"), 0);

    store.apply(&[unrelated(3)], &at(3)).unwrap();
    let (_, again) = check(store, "a write about something else");
    assert_eq!(again, made, "the part is used again");

    store.apply(&[public("h1", &["per-x"])], &at(4)).unwrap();
    let (named, made) = check(store, "the private person named openly");
    assert_eq!(schema_count(&named, "Person"), 1);
    assert_ne!(made, again, "mended: its person changed");

    store.apply(&[unrelated(5)], &at(5)).unwrap();
    let (_, again) = check(store, "another write about something else");
    assert_eq!(again, made);

    store.apply(&[public("h2", &[])], &at(6)).unwrap();
    let (unnamed, made) = check(store, "the open name taken back");
    assert_eq!(schema_count(&unnamed, "Person"), 0);
    assert_ne!(made, again);

    store
        .apply(&[private("doc-p2", &["per-y"])], &at(7))
        .unwrap();
    let (more, again) = check(store, "another private person");
    assert_eq!(schema_count(&more, "Person"), 0);
    assert_ne!(again, made, "mended: the hidden collection grew");

    // A person whose only row is taken back, then redacted, then said
    // again: the part never asked about it, but what a redaction hides
    // moved.
    let redacted =
        |hash: &str, ids: &[&str]| people("doc-r", hash, ids, ("name", "Someone redacted"));
    store.apply(&[redacted("h1", &["per-z"])], &at(8)).unwrap();
    check(store, "a person named");
    store.apply(&[redacted("h2", &[])], &at(9)).unwrap();
    check(store, "the person's row taken back");
    store.redact("per-z", "a private person", &at(10)).unwrap();
    check(store, "a redaction");
    store.apply(&[redacted("h3", &["per-z"])], &at(11)).unwrap();
    let (said_again, _) = check(store, "the redacted person said again");
    assert_eq!(schema_count(&said_again, "Person"), 0);
}

on_both!(a_kept_hidden_part_holds_until_what_it_asked_about_changes);

/// A source `doc` (its version `hash`) saying `said` of each person `ids`.
fn people(doc: &str, hash: &str, ids: &[&str], said: (&str, &str)) -> Batch {
    let mut b = Batch::new(doc, hash);
    b.put(entity(doc, "Document", &[("title", "A page")]))
        .unwrap();
    for id in ids {
        b.put(entity(id, "Person", &[said])).unwrap();
    }
    b
}
on_both!(counts_a_bulk_write_once_at_the_end, two);

/// SQLite keeps the number of retracted rows (the store's version counts
/// them) as it keeps `stats`' counts: after every kind of write, bulk ones
/// and loads included, it is the number there is; and the version it reads
/// from kept numbers is the one counting every row gives.
#[test]
fn sqlite_keeps_its_retractions_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    // (kept retractions, counted; newest merge's number, merges counted;
    // the version counted from the rows)
    let counts = |name: &str| -> (i64, i64, i64, i64, i64) {
        rusqlite::Connection::open(path(name))
            .unwrap()
            .query_row(
                "SELECT (SELECT value FROM counter WHERE name = 'retracted'), \
                 (SELECT count(*) FROM statement WHERE retracted_at IS NOT NULL), \
                 (SELECT coalesce(max(seq), 0) FROM resolution_log), \
                 (SELECT count(*) FROM resolution_log), \
                 (SELECT coalesce(max(seq), 0) FROM statement) \
                 + (SELECT count(*) FROM statement WHERE retracted_at IS NOT NULL) \
                 + (SELECT count(*) FROM resolution_log) \
                 + (SELECT coalesce(max(value), 0) FROM counter WHERE name = 'access')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap()
    };
    {
        let mut store = SqliteStore::open(path("every.db")).unwrap();
        let mut fresh = SqliteStore::open(path("every-fresh.db")).unwrap();
        counts_follow_every_kind_of_write(&mut store, &mut fresh);
    }
    {
        let mut store = SqliteStore::open(path("bulk.db")).unwrap();
        let mut fresh = SqliteStore::open(path("bulk-fresh.db")).unwrap();
        counts_a_bulk_write_once_at_the_end(&mut store, &mut fresh);
    }
    for name in ["every.db", "every-fresh.db", "bulk.db", "bulk-fresh.db"] {
        let (kept, counted, newest_merge, merges, version) = counts(name);
        assert_eq!(kept, counted, "{name}");
        assert!(counted > 0, "{name} has retracted rows");
        assert_eq!(newest_merge, merges, "{name}");
        let store = SqliteStore::open(path(name)).unwrap();
        assert_eq!(store.version().unwrap(), version, "{name}");
    }
    assert!(counts("every.db").3 > 0, "the merges were logged");
}

/// A source recorded, then a newer version of it saying one alias less.
fn two_versions(store: &mut dyn Store) {
    store
        .apply(&[version("doc-1", "h1", &["A1", "A2"])], &at(1))
        .unwrap();
    store
        .apply(&[version("doc-1", "h2", &["A1"])], &at(2))
        .unwrap();
}

/// A store written before the counts were kept gets them when it is
/// opened: migration 14 counts what is there.
#[test]
fn an_older_sqlite_store_is_counted_when_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        two_versions(&mut store);
    }
    let expected = SqliteStore::open(&path).unwrap().stats().unwrap();
    {
        // As version 13 left it: no counts, no triggers.
        let conn = rusqlite::Connection::open(&path).unwrap();
        common::as_version_17(&conn);
        conn.execute_batch(
            "DROP TRIGGER tally_statement_insert; DROP TRIGGER tally_statement_update;
             DROP TRIGGER tally_entity_update; DROP TABLE tally_source; DROP TABLE tally_schema;
             ALTER TABLE entity DROP COLUMN current; PRAGMA user_version = 13;",
        )
        .unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 20);
    let (kept, counted) = kept_and_counted(&store, &[]);
    assert_eq!(kept, counted);
    assert_eq!(kept, expected);
    assert!(kept.statements > 0);
}

/// The same on PostgreSQL: a database migrated before the counts were
/// kept gets them from migrations 8 and 9.
#[test]
fn an_older_postgres_store_is_counted_when_migrated() {
    let Some(db) = dossier_store::testing::TestDatabase::create().unwrap() else {
        return;
    };
    {
        let mut store = dossier_store::PgStore::open(&db.url).unwrap();
        two_versions(&mut store);
    }
    let expected = dossier_store::PgStore::open(&db.url)
        .unwrap()
        .stats()
        .unwrap();
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    c.batch_execute(
        "DROP TRIGGER tally_statement_insert ON statement; DROP TRIGGER tally_statement_update ON statement;
         DROP TRIGGER tally_schema_update ON entity;
         DROP FUNCTION tally_statements_added(); DROP FUNCTION tally_statement_changed();
         DROP FUNCTION tally_schema_changed();
         DROP TABLE tally_source, tally_schema, tally_pending; ALTER TABLE entity DROP COLUMN current;
         DROP TRIGGER resolution_changed ON resolution; DROP FUNCTION resolution_changed();
         ALTER TABLE store_version DROP COLUMN resolutions;
         DROP INDEX statement_label; DROP INDEX statement_retracted;
         DELETE FROM dossier_migration WHERE version >= 8;",
    )
    .unwrap();
    drop(c);
    let store = dossier_store::PgStore::open(&db.url).unwrap();
    assert_eq!(store.schema_version().unwrap(), 12);
    let (kept, counted) = kept_and_counted(&store, &[]);
    assert_eq!(kept, counted);
    assert_eq!(kept, expected);
    assert!(kept.statements > 0);
}
