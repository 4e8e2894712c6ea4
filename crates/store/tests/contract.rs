//! The store contract: what every backend must do. Each check takes a
//! `&mut dyn Store`; `on_both!` runs it on SQLite and on PostgreSQL. Read
//! snapshots and the follow log are in `follow.rs`, the counts `stats`
//! keeps in `tally.rs`, each backend's schema and migrations in
//! `migrations.rs`, applying and amending a source's batch in `apply.rs`.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{all, assert_referencing_of_agrees, entity, prov, version};
use dossier_model::{Batch, Provenance};
use dossier_store::{ArchivedCopy, NewCopy, Store, StoreError};

fn reads(store: &mut dyn Store) {
    store
        .apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    let refs = store.referencing("org-n").unwrap();
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].schema.name, "Membership");
    let docs = store.referencing("doc-1").unwrap();
    assert!(
        docs.iter().any(|e| e.id == "mem-1"),
        "proof links count as references"
    );
    assert_referencing_of_agrees(store, &["org-n", "doc-1", "nobody", "org-n"]);
    let orgs = store.entities(&["Organization"]).unwrap();
    assert_eq!(
        orgs.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["org-a", "org-n"]
    );
    let all_entities = store.entities(&[]).unwrap();
    assert_eq!(all_entities.len(), 4);
    let mut names: Vec<(String, String)> = store
        .names()
        .unwrap()
        .into_iter()
        .map(|n| (n.entity_id, n.value))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("org-a".into(), "A1".into()),
            ("org-a".into(), "Alpha".into()),
            ("org-n".into(), "Network".into())
        ]
    );
    // Labels name each entity as loading it whole would, in the order
    // asked, leaving out ids the store lacks.
    let ids: Vec<String> = ["org-n", "nobody", "org-a", "mem-1", "doc-1"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let labels = store.labels(&ids).unwrap();
    let expected: Vec<(String, &str, String)> = ids
        .iter()
        .filter_map(|id| store.entity(id).unwrap())
        .map(|e| (e.id.clone(), e.schema.name, e.caption().to_string()))
        .collect();
    assert_eq!(
        labels
            .iter()
            .map(|l| (l.id.clone(), l.schema.name, l.caption.clone()))
            .collect::<Vec<_>>(),
        expected
    );
    assert_eq!(labels.len(), 4);
    assert_eq!(labels[1].caption, "Alpha", "the first name stated");
    // Many entities read at once are the entities read one by one, in the
    // order asked, unknown ids left out, an id asked twice given twice.
    let mut asked = ids.clone();
    asked.push("org-n".into());
    let one_by_one: Vec<_> = asked
        .iter()
        .filter_map(|id| store.entity(id).unwrap())
        .collect();
    assert_eq!(store.entities_of(&asked).unwrap(), one_by_one);
    assert_eq!(one_by_one.len(), 5);
    assert!(store.entities_of(&[]).unwrap().is_empty());
    let stats = store.stats().unwrap();
    assert_eq!(stats.sources, 1);
    assert_eq!(stats.datasets, ["test"]);
    assert_eq!(stats.statements, stats.current_statements);
    assert!(stats
        .entities_by_schema
        .contains(&("Organization".into(), 2)));
}

/// Archived copies are content-addressed; archiving the same bytes again
/// for the same document changes nothing.
fn archive_is_content_addressed(store: &mut dyn Store) {
    let copy = |sha: &str, doc: &str, when: &str, text: &str| NewCopy {
        info: ArchivedCopy {
            sha256: sha.repeat(64 / sha.len()),
            document: doc.into(),
            url: Some(format!("https://example.org/{doc}")),
            retrieved: when.into(),
            title: "T".into(),
            record_id: None,
            archived_at: "2026-01-01T00:00:00Z".into(),
            user: "tester".into(),
            dataset: String::new(),
            media_type: "text/plain".into(),
            size: text.len() as i64,
        },
        content: text.as_bytes().to_vec(),
        text: text.into(),
    };
    let doc = |id: &str| {
        let mut b = Batch::new(id, "x");
        b.put(entity(id, "Document", &[("fileName", "a.txt")]))
            .unwrap();
        b
    };
    let p = prov("2026-01-01T00:00:00");
    let first = [
        copy("a", "doc-a", "2024-01-01T00:00:00Z", "old text"),
        copy("b", "doc-a", "2024-06-01T00:00:00Z", "new text"),
    ];
    let r = store
        .archive(
            &dossier_store::Scope::everything(),
            &first,
            &[doc("doc-a")],
            &p,
        )
        .unwrap();
    assert_eq!((r.added, r.known), (2, 0));
    let version = store.version().unwrap();
    let r = store
        .archive(
            &dossier_store::Scope::everything(),
            &first,
            &[doc("doc-a")],
            &p,
        )
        .unwrap();
    assert_eq!((r.added, r.known), (0, 2));
    assert_eq!(store.version().unwrap(), version, "nothing changed");
    // The same bytes as a copy of another document: one blob, two copies.
    store
        .archive(
            &dossier_store::Scope::everything(),
            &[copy("a", "doc-b", "2024-02-01T00:00:00Z", "old text")],
            &[doc("doc-b")],
            &p,
        )
        .unwrap();
    let of_a = store.copies(Some("doc-a")).unwrap();
    assert_eq!(of_a.len(), 2);
    assert_eq!(of_a[0].retrieved, "2024-06-01T00:00:00Z", "newest first");
    assert_eq!(store.copies(None).unwrap().len(), 3);
    assert_eq!(
        store.copy_text(&"b".repeat(64)).unwrap().as_deref(),
        Some("new text")
    );
    assert_eq!(
        store.copy_content(&"a".repeat(64)).unwrap().unwrap(),
        b"old text"
    );
    assert!(store.copy_text(&"c".repeat(64)).unwrap().is_none());
    assert_eq!(
        store.entity("doc-a").unwrap().unwrap().first("fileName"),
        Some("a.txt")
    );
}

/// A merge reads one entity as part of another, with every source and
/// origin kept; references follow; later statements about the merged
/// entity follow too; a split gives everything back; merges survive a
/// native export and load.
fn merges_are_read_through_and_undone(store: &mut dyn Store, fresh: &mut dyn Store) {
    store
        .apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    let mut b = Batch::new("doc-2", "h2");
    b.put(entity("doc-2", "Document", &[("fileName", "b.txt")]))
        .unwrap();
    b.put(entity("org-b", "PublicBody", &[("name", "Alpha Org")]))
        .unwrap();
    b.put(entity("per-1", "Person", &[("name", "Pat")]))
        .unwrap();
    b.put(entity(
        "mem-2",
        "Membership",
        &[("member", "org-b"), ("organization", "org-n")],
    ))
    .unwrap();
    store.apply(&[b], &prov("2026-01-02T00:00:00")).unwrap();
    let before = store.version().unwrap();
    let orgs_before = store.entities(&["Organization"]).unwrap().len();

    let merge = [("org-b".to_string(), "org-a".to_string())];
    assert_eq!(
        store
            .resolve(
                &dossier_store::Scope::everything(),
                &merge,
                &prov("2026-01-03T00:00:00")
            )
            .unwrap(),
        1
    );
    assert!(store.version().unwrap() > before, "a merge is a change");
    assert_eq!(
        store.canonical_of("org-b").unwrap().as_deref(),
        Some("org-a")
    );
    assert_eq!(store.canonical_of("org-a").unwrap(), None);
    assert_eq!(store.merged_into("org-a").unwrap(), ["org-b"]);
    assert!(
        store.entity("org-b").unwrap().is_none(),
        "read as org-a now"
    );
    // The history of org-a holds the statements of org-b merged into it,
    // in the log's order; org-b's own history is still its statements.
    let of = |id: &str| -> Vec<(String, String)> {
        let h = store.history(id).unwrap();
        assert!(h.windows(2).all(|w| w[0].seq < w[1].seq), "in order");
        h.iter()
            .map(|st| (st.entity_id.clone(), st.value.clone()))
            .collect()
    };
    let (ha, hb) = (of("org-a"), of("org-b"));
    assert!(ha.contains(&("org-a".into(), "A1".into())));
    assert!(ha.contains(&("org-b".into(), "Alpha Org".into())));
    assert!(hb.iter().all(|(e, _)| e == "org-b"));
    assert!(hb.contains(&("org-b".into(), "Alpha Org".into())));
    let a = store.entity("org-a").unwrap().unwrap();
    assert_eq!(a.schema.name, "PublicBody", "the more specific schema");
    assert_eq!(a.values("name").collect::<Vec<_>>(), ["Alpha", "Alpha Org"]);
    // Both memberships now lead to org-a; the network has it once.
    let refs = store.referencing("org-a").unwrap();
    assert_eq!(
        refs.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
        ["mem-1", "mem-2"]
    );
    assert_referencing_of_agrees(store, &["org-a", "org-b", "org-n"]);
    assert_eq!(
        store
            .pointing_at(&["org-a".to_string()], &["Membership"])
            .unwrap(),
        ["mem-1", "mem-2"],
        "through the merged entity too"
    );
    let mem2 = store.entity("mem-2").unwrap().unwrap();
    assert_eq!(mem2.first("member"), Some("org-a"));
    // Read together, a merged id is left out and references lead on.
    let together = store
        .entities_of(&["org-b".into(), "mem-2".into(), "org-a".into()])
        .unwrap();
    assert_eq!(together, [mem2.clone(), a.clone()]);
    let orgs = store.entities(&["Organization"]).unwrap();
    assert_eq!(orgs.len(), orgs_before - 1);
    let listed = orgs.iter().find(|e| e.id == "org-a").unwrap();
    assert_eq!(listed, &a, "listing and reading agree");
    assert!(store
        .entities(&[])
        .unwrap()
        .iter()
        .any(|e| e.id == "mem-2" && e.first("member") == Some("org-a")));
    // Every statement keeps the entity it was made about and its source.
    let history = store.history("org-a").unwrap();
    assert!(history
        .iter()
        .any(|st| st.entity_id == "org-b" && st.source == "doc-2" && st.canonical_id == "org-a"));
    let names: Vec<String> = store
        .names()
        .unwrap()
        .into_iter()
        .filter(|n| n.value == "Alpha Org")
        .map(|n| n.entity_id)
        .collect();
    assert_eq!(names, ["org-a"]);
    // A later import about org-b is read as org-a's too.
    let mut later = Batch::new("doc-3", "h3");
    later
        .put(entity("doc-3", "Document", &[("fileName", "c.txt")]))
        .unwrap();
    later
        .put(entity("org-b", "Organization", &[("alias", "AO")]))
        .unwrap();
    store.apply(&[later], &prov("2026-01-04T00:00:00")).unwrap();
    assert!(store
        .entity("org-a")
        .unwrap()
        .unwrap()
        .values("alias")
        .any(|v| v == "AO"));

    // Refused: chains, unknown ids, a person into a body. Nothing changes.
    let version = store.version().unwrap();
    for (bad, what) in [
        (("org-n", "org-b"), "a merge into a merged entity"),
        (("org-x", "org-a"), "an unknown entity"),
        (("per-1", "org-a"), "a person into a body"),
    ] {
        let err = store
            .resolve(
                &dossier_store::Scope::everything(),
                &[(bad.0.to_string(), bad.1.to_string())],
                &prov("2026-01-05T00:00:00"),
            )
            .expect_err(what);
        assert!(
            matches!(
                err,
                StoreError::Chain(..) | StoreError::UnknownEntity(_) | StoreError::Incompatible(..)
            ),
            "{what}: {err}"
        );
    }
    assert_eq!(store.version().unwrap(), version, "refusals write nothing");

    // Exported and loaded, the merge comes along.
    let log = all(store);
    fresh.load(&log).unwrap();
    assert_eq!(fresh.merges().unwrap(), store.merges().unwrap());
    assert_eq!(
        fresh.entity("org-a").unwrap(),
        store.entity("org-a").unwrap()
    );

    // Split: everything is as it was, the new alias with org-b.
    let split = [("org-b".to_string(), "org-b".to_string())];
    assert_eq!(
        store
            .resolve(
                &dossier_store::Scope::everything(),
                &split,
                &prov("2026-01-06T00:00:00")
            )
            .unwrap(),
        1
    );
    assert_eq!(store.merges().unwrap(), []);
    let b = store.entity("org-b").unwrap().unwrap();
    assert_eq!(b.values("name").collect::<Vec<_>>(), ["Alpha Org"]);
    assert_eq!(b.values("alias").collect::<Vec<_>>(), ["AO"]);
    let a = store.entity("org-a").unwrap().unwrap();
    assert_eq!(a.values("name").collect::<Vec<_>>(), ["Alpha"]);
    assert_eq!(
        store.entity("mem-2").unwrap().unwrap().first("member"),
        Some("org-b")
    );
    assert_eq!(
        store.entities(&["Organization"]).unwrap().len(),
        orgs_before
    );
    assert_eq!(store.entities(&["PublicBody"]).unwrap().len(), 1);
    let stats = store.stats().unwrap();
    assert!(stats.entities_by_schema.contains(&("PublicBody".into(), 1)));
    assert!(stats
        .entities_by_schema
        .contains(&("Organization".into(), 2)));
    assert!(store
        .history("org-b")
        .unwrap()
        .iter()
        .all(|st| st.canonical_id == "org-b"));
}

on_both!(archive_is_content_addressed);
on_both!(merges_are_read_through_and_undone, two);
on_both!(reads);
on_both!(an_edit_is_recorded_with_its_reason_and_reverted);
on_both!(a_redacted_person_is_blanked_from_every_read);

/// A redacted person: their statements left out, references to them
/// dropped, their names blanked in every text, the log included; lifted,
/// all is back.
fn a_redacted_person_is_blanked_from_every_read(store: &mut dyn Store) {
    store
        .apply(&[version("doc-1", "h1", &[])], &prov("2026-01-01T00:00:00"))
        .unwrap();
    let mut b = Batch::new("doc-2", "h2");
    b.put(entity("doc-2", "Document", &[("title", "Pat Doe speaks")]))
        .unwrap();
    b.put(entity(
        "per-1",
        "Person",
        &[("name", "Pat Doe"), ("alias", "Patricia Doe")],
    ))
    .unwrap();
    b.put(entity(
        "org-a",
        "Organization",
        &[
            (
                "summary",
                "Founded by pat doe and friends; Patricia Doe chairs it.",
            ),
            (
                "description",
                "Doe, Pat wrote it; P\u{200b}at Doe signed; \u{ff30}\u{ff41}\u{ff54} \u{ff24}\u{ff4f}\u{ff45} too.",
            ),
        ],
    ))
    .unwrap();
    b.put(entity(
        "emp-1",
        "Employment",
        &[("employer", "org-a"), ("employee", "per-1")],
    ))
    .unwrap();
    store.apply(&[b], &prov("2026-01-02T00:00:00")).unwrap();
    // An edit whose reason names her: the retraction keeps the reason.
    let mut fix = Batch::new("doc-2", "");
    fix.put(entity("org-a", "Organization", &[("alias", "A-Org")]))
        .unwrap();
    let edit = dossier_store::Edit {
        batch: fix,
        remove: vec![(
            "org-a".into(),
            "summary".into(),
            "Founded by pat doe and friends; Patricia Doe chairs it.".into(),
        )],
        reason: "Pat Doe asked us to take this down".into(),
    };
    store
        .edit(
            &dossier_store::Scope::everything(),
            &edit,
            &prov("2026-01-02T12:00:00"),
        )
        .unwrap();
    // An archived copy of the page that names her.
    let text = "<p>Interview with PAT DOE, 2025.</p>";
    let copy = NewCopy {
        info: ArchivedCopy {
            sha256: "f".repeat(64),
            document: "doc-2".into(),
            url: None,
            retrieved: "2026-01-02T00:00:00Z".into(),
            title: "Pat Doe speaks".into(),
            record_id: None,
            archived_at: "2026-01-02T00:00:00Z".into(),
            user: "tester".into(),
            dataset: String::new(),
            media_type: "text/html".into(),
            size: text.len() as i64,
        },
        content: text.as_bytes().to_vec(),
        text: "Interview with PAT DOE, 2025.".into(),
    };
    store
        .archive(
            &dossier_store::Scope::everything(),
            &[copy],
            &[],
            &prov("2026-01-02T13:00:00"),
        )
        .unwrap();
    let before = store.version().unwrap();
    store
        .redact("per-1", "a private person", &prov("2026-01-03T00:00:00"))
        .unwrap();
    assert!(store.version().unwrap() > before);
    assert_eq!(store.redactions().unwrap()[0].reason, "a private person");
    assert!(store.entity("per-1").unwrap().is_none());
    let a = store.entity("org-a").unwrap().unwrap();
    assert_eq!(
        a.first("description"),
        Some("[redacted] wrote it; [redacted] signed; [redacted] too."),
        "every spelling a reader would recognize"
    );
    assert_eq!(
        store.copy_text(&"f".repeat(64)).unwrap().as_deref(),
        Some("Interview with [redacted], 2025."),
        "archived text too"
    );
    assert_eq!(
        store.copy_content(&"f".repeat(64)).unwrap().unwrap(),
        b"<p>Interview with [redacted], 2025.</p>"
    );
    let history = store.history("org-a").unwrap();
    let summary = history.iter().find(|st| st.prop == "summary").unwrap();
    assert_eq!(
        summary.value,
        "Founded by [redacted] and friends; [redacted] chairs it."
    );
    assert_eq!(
        summary.retraction.as_deref(),
        Some("[redacted] asked us to take this down"),
        "the edit's reason too"
    );
    assert_referencing_of_agrees(store, &["org-a", "per-1"]);
    let emp = store.entity("emp-1").unwrap().unwrap();
    assert_eq!(emp.first("employee"), None, "the reference is dropped");
    assert_eq!(
        store.entity("doc-2").unwrap().unwrap().first("title"),
        Some("[redacted] speaks")
    );
    assert!(store.entities(&["Person"]).unwrap().is_empty());
    assert!(store
        .names()
        .unwrap()
        .iter()
        .all(|n| !n.value.contains("Doe")));
    assert!(store.labels(&["per-1".to_string()]).unwrap().is_empty());
    let log = all(store);
    assert!(log.iter().all(|st| st.entity_id != "per-1"));
    assert!(
        log.iter()
            .all(|st| !st.value.to_lowercase().contains("doe")),
        "the log too"
    );
    assert!(store
        .history("org-a")
        .unwrap()
        .iter()
        .all(|st| !st.value.contains("Doe")));
    assert!(matches!(
        store.redact("per-x", "no one", &prov("2026-01-03T00:00:00")),
        Err(StoreError::UnknownEntity(_))
    ));
    // Lifted.
    assert!(store.unredact("per-1").unwrap());
    assert_eq!(
        store.entity("per-1").unwrap().unwrap().first("name"),
        Some("Pat Doe")
    );
    assert!(store
        .entity("org-a")
        .unwrap()
        .unwrap()
        .first("description")
        .unwrap()
        .contains("Doe, Pat"));
}

/// An edit retracts values whoever stated them, states new ones from its
/// source, with its reason; reverting it gives the values back.
fn an_edit_is_recorded_with_its_reason_and_reverted(store: &mut dyn Store) {
    store
        .apply(
            &[version("doc-1", "h1", &["A1"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    let mut batch = Batch::new("doc-e", "");
    batch
        .put(entity(
            "doc-e",
            "Document",
            &[("sourceUrl", "https://example.org/annual-report")],
        ))
        .unwrap();
    batch
        .put(entity("org-a", "Organization", &[("alias", "A2")]))
        .unwrap();
    let edit = dossier_store::Edit {
        batch,
        remove: vec![("org-a".into(), "alias".into(), "A1".into())],
        reason: "the report gives the new name".into(),
    };
    let editor = Provenance {
        user: "ed".into(),
        origin: Some("edit: the report gives the new name".into()),
        ..prov("2026-02-01T10:00:00")
    };
    let before = store.version().unwrap();
    let r = store
        .edit(&dossier_store::Scope::everything(), &edit, &editor)
        .unwrap();
    assert_eq!((r.inserted > 0, r.retracted), (true, 1));
    assert!(store.version().unwrap() > before);
    let a = store.entity("org-a").unwrap().unwrap();
    assert_eq!(a.values("alias").collect::<Vec<_>>(), ["A2"]);
    assert_eq!(a.first("name"), Some("Alpha"), "untouched");
    let h = store.history("org-a").unwrap();
    let a1 = h.iter().find(|s| s.value == "A1").unwrap();
    assert_eq!(
        a1.retraction.as_deref(),
        Some("the report gives the new name")
    );
    assert_eq!(a1.retracted_at.as_deref(), Some("2026-02-01T10:00:00"));
    let a2 = h.iter().find(|s| s.value == "A2").unwrap();
    assert_eq!((a2.user.as_str(), a2.source.as_str()), ("ed", "doc-e"));
    // Reverted: A1 back, A2 gone, both in the history.
    let admin = Provenance {
        user: "root".into(),
        origin: Some("revert: wrong report".into()),
        ..prov("2026-02-02T09:00:00")
    };
    let r = store
        .revert(
            &dossier_store::Scope::everything(),
            "org-a",
            "2026-02-01T10:00:00",
            "wrong report",
            &admin,
        )
        .unwrap();
    // A1 again; A2 and the edit's own `id` statement taken back.
    assert_eq!((r.inserted, r.retracted), (1, 2));
    let a = store.entity("org-a").unwrap().unwrap();
    assert_eq!(a.values("alias").collect::<Vec<_>>(), ["A1"]);
    let h = store.history("org-a").unwrap();
    assert!(h
        .iter()
        .any(|s| s.value == "A1" && s.is_current() && s.user == "root"));
    assert!(h
        .iter()
        .any(|s| s.value == "A2" && s.retraction.as_deref() == Some("wrong report")));
    // Soft-deleted: gone from reads, kept in the history, back on revert.
    let gone = Provenance {
        user: "root".into(),
        ..prov("2026-02-03T09:00:00")
    };
    let r = store
        .delete(
            &dossier_store::Scope::everything(),
            "org-a",
            "a duplicate",
            &gone,
        )
        .unwrap();
    assert!(r.retracted >= 3, "{r:?}");
    assert!(store.entity("org-a").unwrap().is_none());
    assert!(store
        .history("org-a")
        .unwrap()
        .iter()
        .any(|s| s.retraction.as_deref() == Some("a duplicate")));
    store
        .revert(
            &dossier_store::Scope::everything(),
            "org-a",
            "2026-02-03T09:00:00",
            "not a duplicate",
            &gone,
        )
        .unwrap();
    let a = store.entity("org-a").unwrap().unwrap();
    assert_eq!(
        (a.first("name"), a.values("alias").collect::<Vec<_>>()),
        (Some("Alpha"), vec!["A1"])
    );
    // A missing source is refused.
    let bad = dossier_store::Edit {
        batch: Batch::new("doc-none", ""),
        remove: vec![],
        reason: "x".into(),
    };
    assert!(matches!(
        store.edit(&dossier_store::Scope::everything(), &bad, &editor),
        Err(StoreError::SourceMissing(_))
    ));
}
