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
