//! What the store's test suites share: small builders, and `on_both!`,
//! which runs a check on SQLite and on PostgreSQL.

#![allow(dead_code, unused_macros, unused_imports)]

use dossier_model::{Batch, Entity, Provenance, Statement};
use dossier_store::prelude::*;
use dossier_store::{ArchivedCopy, NewCopy, Read, SqliteStore};

pub fn prov(now: &str) -> Provenance {
    Provenance {
        dataset: "test".into(),
        source: String::new(),
        user: "tester".into(),
        origin: Some("test".into()),
        now: now.into(),
    }
}

pub fn entity(id: &str, schema: &str, props: &[(&str, &str)]) -> Entity {
    let mut e = Entity::new(id, schema).unwrap();
    for (p, v) in props {
        e.add(p, *v).unwrap();
    }
    e
}

/// A source saying: org A (with aliases) is a member of network N.
pub fn version(doc: &str, hash: &str, aliases: &[&str]) -> Batch {
    let mut b = Batch::new(doc, hash);
    b.put(entity(
        doc,
        "Document",
        &[("fileName", "page.txt"), ("contentHash", hash)],
    ))
    .unwrap();
    let mut a = entity("org-a", "Organization", &[("name", "Alpha")]);
    for al in aliases {
        a.add("alias", *al).unwrap();
    }
    b.put(a).unwrap();
    b.put(entity("org-n", "Organization", &[("name", "Network")]))
        .unwrap();
    b.put(entity(
        "mem-1",
        "Membership",
        &[
            ("member", "org-a"),
            ("organization", "org-n"),
            ("proof", doc),
        ],
    ))
    .unwrap();
    b
}

pub fn all(store: &dyn Read) -> Vec<Statement> {
    let mut out = Vec::new();
    store
        .each_statement(&mut |s| {
            out.push(s);
            Ok(())
        })
        .unwrap();
    out
}

/// `referencing_of` lists, for each id asked, what `referencing` does.
pub fn assert_referencing_of_agrees(store: &dyn Read, ids: &[&str]) {
    let ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let each: Vec<Vec<_>> = ids
        .iter()
        .map(|id| store.referencing(id).unwrap())
        .collect();
    assert_eq!(store.referencing_of(&ids).unwrap(), each);
    assert!(store.referencing_of(&[]).unwrap().is_empty());
}

pub fn sqlite() -> SqliteStore {
    SqliteStore::in_memory().unwrap()
}

/// Runs a contract check on SQLite and on PostgreSQL (a fresh database
/// each on the server `scripts/with-postgres` starts).
#[macro_export]
macro_rules! on_both {
    ($check:ident) => {
        mod $check {
            #[test]
            pub fn sqlite() {
                super::$check(&mut super::common::sqlite());
            }
            #[test]
            pub fn postgres() {
                let Some(db) = dossier_store::testing::TestDatabase::create().unwrap() else {
                    return;
                };
                super::$check(&mut dossier_store::PgStore::open(&db.url).unwrap());
            }
        }
    };
    ($check:ident, two) => {
        mod $check {
            #[test]
            pub fn sqlite() {
                super::$check(&mut super::common::sqlite(), &mut super::common::sqlite());
            }
            #[test]
            pub fn postgres() {
                use dossier_store::testing::TestDatabase;
                let (Some(a), Some(b)) = (
                    TestDatabase::create().unwrap(),
                    TestDatabase::create().unwrap(),
                ) else {
                    return;
                };
                super::$check(
                    &mut dossier_store::PgStore::open(&a.url).unwrap(),
                    &mut dossier_store::PgStore::open(&b.url).unwrap(),
                );
            }
        }
    };
}

/// A copy of the document `doc`, its SHA-256 `sha` repeated.
pub fn copy(sha: &str, doc: &str) -> NewCopy {
    NewCopy {
        info: ArchivedCopy {
            sha256: sha.repeat(64),
            document: doc.into(),
            url: Some(format!("https://notes.example/{doc}")),
            retrieved: "2026-01-01T00:00:00Z".into(),
            title: "Notes".into(),
            record_id: None,
            archived_at: "2026-01-02T00:00:00Z".into(),
            user: "tester".into(),
            dataset: "archive".into(),
            media_type: "text/plain".into(),
            size: 12,
        },
        content: b"private text".to_vec(),
        text: "private text".into(),
    }
}

/// A source document `id` with a title.
pub fn doc(id: &str, title: &str) -> Batch {
    let mut b = Batch::new(id, "h");
    b.put(entity(id, "Document", &[("title", title)])).unwrap();
    b
}

/// Rewrites a SQLite store of this version as version 19 wrote it, its
/// retracted rows indexed by when (migration 20 taken back by hand), so
/// that a test can open it as a store an older Dossier made.
pub fn as_version_19(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "BEGIN;
         DROP INDEX statement_retracted;
         CREATE INDEX statement_retracted ON statement (retracted_at) WHERE retracted_at IS NOT NULL;
         PRAGMA user_version = 19;
         COMMIT;",
    )
    .unwrap();
}

/// Rewrites a SQLite store of this version as version 18 wrote it, each
/// statement id as its text (migrations 20 and 19 taken back by hand), so
/// that a test can open it as a store an older Dossier made.
pub fn as_version_18(conn: &rusqlite::Connection) {
    as_version_19(conn);
    conn.execute_batch(
        "BEGIN;
         DROP INDEX statement_current;
         UPDATE statement SET id = lower(hex(id)) WHERE typeof(id) = 'blob';
         CREATE UNIQUE INDEX statement_current ON statement (id, source) WHERE retracted_at IS NULL;
         PRAGMA user_version = 18;
         COMMIT;",
    )
    .unwrap();
}

/// Rewrites a SQLite store of this version as version 17 wrote it, its
/// words in every row (migrations 20 to 18 taken back by hand, its
/// indexes and triggers as migrations 10 to 17 left them), so that a test
/// can open it as a store an older Dossier made.
pub fn as_version_17(conn: &rusqlite::Connection) {
    as_version_18(conn);
    let word = |c: &str| format!("(SELECT text FROM term WHERE key = s.{c})");
    conn.execute_batch(&format!(
        "BEGIN;
         CREATE TABLE statement_text (
             seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL,
             entity_id TEXT NOT NULL REFERENCES entity(id),
             canonical_id TEXT NOT NULL REFERENCES entity(id),
             schema TEXT NOT NULL, prop TEXT NOT NULL, prop_type TEXT NOT NULL,
             value TEXT NOT NULL, original_value TEXT, lang TEXT, dataset TEXT NOT NULL,
             origin TEXT, external INTEGER NOT NULL DEFAULT 0 CHECK (external IN (0, 1)),
             source TEXT NOT NULL REFERENCES entity(id), user TEXT NOT NULL,
             first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, retracted_at TEXT,
             retraction TEXT, retracted_seq INTEGER,
             CHECK ((retracted_at IS NULL) = (retraction IS NULL)));
         INSERT INTO statement_text SELECT s.seq, s.id, s.entity_id, s.canonical_id,
             {}, {}, {}, s.value, s.original_value, s.lang, {}, s.origin, s.external, s.source,
             s.user, s.first_seen, s.last_seen, s.retracted_at, s.retraction, s.retracted_seq
             FROM statement s ORDER BY s.seq;
         DROP TABLE statement;
         DROP TABLE term;
         ALTER TABLE statement_text RENAME TO statement;
         CREATE UNIQUE INDEX statement_current ON statement (id, source) WHERE retracted_at IS NULL;
         CREATE INDEX statement_by_source ON statement (source, dataset) WHERE retracted_at IS NULL;
         CREATE INDEX statement_refs ON statement (value) WHERE retracted_at IS NULL AND prop_type = 'entity';
         CREATE INDEX statement_names ON statement (prop) WHERE retracted_at IS NULL AND prop_type = 'name';
         CREATE INDEX statement_retracted ON statement (retracted_at) WHERE retracted_at IS NOT NULL;
         CREATE INDEX statement_retracted_seq ON statement (retracted_seq) WHERE retracted_seq IS NOT NULL;
         CREATE INDEX statement_entity ON statement (
             canonical_id, seq, retracted_at, entity_id, dataset, schema, prop, value, original_value);
         CREATE INDEX statement_merged ON statement (entity_id, seq) WHERE canonical_id <> entity_id;
         CREATE INDEX statement_label ON statement (canonical_id, prop, schema, value, seq)
             WHERE retracted_at IS NULL AND (prop = 'id' OR prop = 'name' OR prop = 'title'
             OR prop = 'text' OR prop = 'fileName' OR prop = 'description');
         CREATE TRIGGER tally_statement_insert AFTER INSERT ON statement BEGIN
             INSERT INTO tally_source (dataset, source, statements, current)
             VALUES (NEW.dataset, NEW.source, 1, NEW.retracted_at IS NULL)
             ON CONFLICT (dataset, source) DO UPDATE
             SET statements = statements + 1, current = current + excluded.current;
             UPDATE entity SET current = current + 1
             WHERE id = NEW.canonical_id AND NEW.retracted_at IS NULL;
         END;
         CREATE TRIGGER tally_statement_update
         AFTER UPDATE OF retracted_at, canonical_id, dataset, source ON statement BEGIN
             UPDATE tally_source
             SET statements = statements - 1, current = current - (OLD.retracted_at IS NULL)
             WHERE dataset = OLD.dataset AND source = OLD.source;
             INSERT INTO tally_source (dataset, source, statements, current)
             VALUES (NEW.dataset, NEW.source, 1, NEW.retracted_at IS NULL)
             ON CONFLICT (dataset, source) DO UPDATE
             SET statements = statements + 1, current = current + excluded.current;
             UPDATE entity SET current = current - 1
             WHERE id = OLD.canonical_id AND OLD.retracted_at IS NULL;
             UPDATE entity SET current = current + 1
             WHERE id = NEW.canonical_id AND NEW.retracted_at IS NULL;
         END;
         CREATE TRIGGER tally_retracted_insert AFTER INSERT ON statement
         WHEN NEW.retracted_at IS NOT NULL BEGIN
             UPDATE counter SET value = value + 1 WHERE name = 'retracted';
         END;
         CREATE TRIGGER tally_retracted_update AFTER UPDATE OF retracted_at ON statement
         WHEN (OLD.retracted_at IS NULL) <> (NEW.retracted_at IS NULL) BEGIN
             UPDATE counter SET value = value + CASE WHEN NEW.retracted_at IS NULL THEN -1 ELSE 1 END
             WHERE name = 'retracted';
         END;
         CREATE TRIGGER tally_retracted_delete AFTER DELETE ON statement
         WHEN OLD.retracted_at IS NOT NULL BEGIN
             UPDATE counter SET value = value - 1 WHERE name = 'retracted';
         END;
         PRAGMA user_version = 17;
         COMMIT;",
        word("schema"),
        word("prop"),
        word("prop_type"),
        word("dataset"),
    ))
    .unwrap();
}
