//! A source is found by the words of its archived copy (a PDF's pages, a
//! page's visible text) — but only by readers who may read the copy, and
//! never by a redacted person's name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dossier_model::{Batch, Entity, Provenance};
use dossier_search::{Followed, SearchIndex, SearchQuery};
use dossier_store::prelude::*;
use dossier_store::{ArchivedCopy, NewCopy, Scope, SqliteStore};

fn prov(dataset: &str) -> Provenance {
    Provenance {
        dataset: dataset.into(),
        source: String::new(),
        user: "tester".into(),
        origin: None,
        now: "2026-02-01T00:00:00".into(),
    }
}

/// Archives `text` as the copy of a new source `doc` in `dataset`.
fn archive(store: &mut SqliteStore, doc: &str, dataset: &str, text: &str) {
    let mut d = Entity::new(doc, "Document").unwrap();
    d.add("title", format!("Report {doc}")).unwrap();
    let mut b = Batch::new(doc, format!("v-{doc}"));
    b.put(d).unwrap();
    let sha = format!("{:0>64}", doc.len() + text.len());
    let copy = NewCopy {
        info: ArchivedCopy {
            sha256: sha,
            document: doc.into(),
            url: None,
            retrieved: "2026-01-15T00:00:00Z".into(),
            title: format!("Report {doc}"),
            record_id: None,
            archived_at: "2026-02-01T00:00:00Z".into(),
            user: "tester".into(),
            dataset: String::new(),
            media_type: "application/pdf".into(),
            size: text.len() as i64,
        },
        content: text.as_bytes().to_vec(),
        text: text.into(),
    };
    store
        .archive(&Scope::everything(), &[copy], &[b], &prov(dataset))
        .unwrap();
}

fn found(index: &SearchIndex, words: &str) -> Vec<String> {
    let q = SearchQuery {
        text: words.into(),
        limit: 10,
        ..Default::default()
    };
    index
        .search(&q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn an_archived_copys_words_find_its_source() {
    let mut store = SqliteStore::in_memory().unwrap();
    archive(
        &mut store,
        "doc-annual",
        "reports",
        "Annual report 2023\u{c}Page two: the estuary restoration programme received a grant.",
    );
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    assert_eq!(found(&index, "estuary restoration"), ["doc-annual"]);
    let hit = &index
        .search(&SearchQuery {
            text: "estuary".into(),
            limit: 1,
            ..Default::default()
        })
        .unwrap()
        .hits[0];
    assert!(
        hit.snippet.contains("<mark>estuary</mark>"),
        "{}",
        hit.snippet
    );

    // A copy archived later is followed, not only rebuilt.
    archive(
        &mut store,
        "doc-later",
        "reports",
        "Minutes of the wetland trust.",
    );
    assert!(matches!(
        index.follow(&store).unwrap(),
        Followed::Updated(_)
    ));
    assert_eq!(found(&index, "wetland"), ["doc-later"]);
}

#[test]
fn a_hidden_copy_is_not_in_the_index_of_whoever_may_not_read_it() {
    let mut store = SqliteStore::in_memory().unwrap();
    archive(
        &mut store,
        "doc-open",
        "reports",
        "The mangrove survey, published.",
    );
    archive(
        &mut store,
        "doc-closed",
        "tips",
        "The mangrove informant's notes.",
    );
    let public = SearchIndex::in_memory().unwrap();
    public
        .rebuild(&store.reader(&Scope::hiding(["tips".to_string()])))
        .unwrap();
    assert_eq!(found(&public, "mangrove"), ["doc-open"]);
    assert!(found(&public, "informant").is_empty());
    let all = SearchIndex::in_memory().unwrap();
    all.rebuild(&store).unwrap();
    assert_eq!(found(&all, "informant"), ["doc-closed"]);
}

#[test]
fn a_redacted_name_in_an_archived_copy_is_not_searchable() {
    let mut store = SqliteStore::in_memory().unwrap();
    let mut p = Entity::new("person-q", "Person").unwrap();
    p.add("name", "Jonas Quillfeather").unwrap();
    let mut b = Batch::new("doc-people", "v1");
    b.put(Entity::new("doc-people", "Document").unwrap())
        .unwrap();
    b.put(p).unwrap();
    store.apply(&[b], &prov("people")).unwrap();
    archive(
        &mut store,
        "doc-letter",
        "reports",
        "A letter signed by Jonas Quillfeather about the lagoon.",
    );
    store
        .redact("person-q", "a private person", &prov("people"))
        .unwrap();
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    assert_eq!(found(&index, "lagoon"), ["doc-letter"]);
    assert!(found(&index, "Quillfeather").is_empty());
}
