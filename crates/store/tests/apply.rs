//! Applying a source's batch (`Store::apply`) and amending it
//! (`Store::amend`): what every backend must do, small batches and one
//! large enough to be written a group of entities at a time.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{all, entity, prov, version};
use dossier_model::{Batch, Provenance, Statement};
use dossier_store::{Scope, Store, StoreError};

fn reapplying_the_same_version_changes_nothing(store: &mut dyn Store) {
    let b = version("doc-1", "h1", &["A1"]);
    let first = store
        .apply(std::slice::from_ref(&b), &prov("2026-01-01T00:00:00"))
        .unwrap();
    assert_eq!(first[0].inserted, all(store).len());
    let before = all(store);
    let again = store.apply(&[b], &prov("2026-02-01T00:00:00")).unwrap();
    assert!(again[0].unchanged);
    assert_eq!(all(store), before, "not even last_seen moves");
}

/// A source's statements in two datasets (a statements CSV's rows) are
/// apart: each batch updates its own dataset's, never the other's.
fn a_batch_naming_its_dataset_is_recorded_there_apart(store: &mut dyn Store) {
    let mut rivers = version("doc-1", "h1", &["A1"]);
    rivers.dataset = Some("rivers".into());
    let coasts = version("doc-1", "h1", &["A2"]);
    let reports = store
        .apply(&[rivers.clone(), coasts], &prov("2026-01-01T00:00:00"))
        .unwrap();
    assert!(reports.iter().all(|r| !r.unchanged && r.retracted == 0));
    let rows = all(store);
    let alias = |value: &str| {
        rows.iter()
            .find(|s| s.value == value)
            .unwrap()
            .dataset
            .clone()
    };
    assert_eq!(alias("A1"), "rivers");
    assert_eq!(alias("A2"), prov("").dataset);
    // The same batch again changes nothing; the other dataset's kept.
    let again = store
        .apply(&[rivers], &prov("2026-02-01T00:00:00"))
        .unwrap();
    assert!(again[0].unchanged);
    assert_eq!(
        all(store).iter().filter(|s| s.is_current()).count(),
        rows.len()
    );
}

fn a_newer_version_retracts_only_what_vanished(store: &mut dyn Store) {
    store
        .apply(
            &[version("doc-1", "h1", &["A1", "A2"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    // Another source also calls Alpha "A2".
    let mut other = Batch::new("doc-2", "x1");
    other
        .put(entity("doc-2", "Document", &[("fileName", "other.txt")]))
        .unwrap();
    other
        .put(entity(
            "org-a",
            "Organization",
            &[("name", "Alpha"), ("alias", "A2")],
        ))
        .unwrap();
    store.apply(&[other], &prov("2026-01-01T00:00:00")).unwrap();

    let r = store
        .apply(
            &[version("doc-1", "h2", &["A1", "A3"])],
            &prov("2026-03-01T00:00:00"),
        )
        .unwrap();
    let r = &r[0];
    assert!(!r.unchanged);
    // contentHash h1 and alias A2 gone from doc-1; contentHash h2 and A3 new.
    assert_eq!((r.inserted, r.retracted), (2, 2));
    let alpha = store.entity("org-a").unwrap().unwrap();
    let mut aliases: Vec<&str> = alpha.values("alias").collect();
    aliases.sort();
    assert_eq!(aliases, ["A1", "A2", "A3"], "A2 still stands on doc-2");
    let history = store.history("org-a").unwrap();
    let gone: Vec<&Statement> = history.iter().filter(|s| !s.is_current()).collect();
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].value, "A2");
    assert_eq!(gone[0].source, "doc-1");
    assert_eq!(gone[0].retracted_at.as_deref(), Some("2026-03-01T00:00:00"));
    assert!(gone[0]
        .retraction
        .as_deref()
        .unwrap()
        .contains("no longer in source doc-1"));
    // What the source still says was seen again.
    let kept = history.iter().find(|s| s.value == "A1").unwrap();
    assert_eq!(
        (kept.first_seen.as_str(), kept.last_seen.as_str()),
        ("2026-01-01T00:00:00", "2026-03-01T00:00:00")
    );
    // The old version comes back: A2 is current again from doc-1, as a new row; history keeps both.
    store
        .apply(
            &[version("doc-1", "h1", &["A1", "A2"])],
            &prov("2026-04-01T00:00:00"),
        )
        .unwrap();
    let rows = store.history("org-a").unwrap();
    assert_eq!(
        rows.iter()
            .filter(|s| s.value == "A2" && s.source == "doc-1")
            .count(),
        2
    );
}

fn a_failed_apply_writes_nothing(store: &mut dyn Store) {
    let good = version("doc-1", "h1", &[]);
    let mut bad = Batch::new("doc-missing", "h");
    bad.put(entity("org-z", "Organization", &[("name", "Zed")]))
        .unwrap();
    let err = store
        .apply(&[good, bad], &prov("2026-01-01T00:00:00"))
        .unwrap_err();
    assert!(matches!(err, StoreError::SourceMissing(_)));
    assert!(all(store).is_empty());
    assert!(store.entity("org-a").unwrap().is_none());
}

/// An edit replaces the values of the properties it carries from its
/// source, and nothing else that source said.
fn amend_replaces_only_the_edited_properties(store: &mut dyn Store) {
    store
        .apply(
            &[version("doc-1", "h1", &["A1", "A2"])],
            &prov("2026-01-01T00:00:00"),
        )
        .unwrap();
    let mut edit = Batch::new("doc-1", "");
    edit.put(entity("org-a", "Organization", &[("alias", "A3")]))
        .unwrap();
    let r = store.amend(&[edit], &prov("2026-01-02T00:00:00")).unwrap();
    assert_eq!((r[0].inserted, r[0].retracted), (1, 2));
    let a = store.entity("org-a").unwrap().unwrap();
    assert_eq!(a.values("alias").collect::<Vec<_>>(), ["A3"]);
    assert_eq!(a.first("name"), Some("Alpha"), "other properties stay");
    assert!(
        store.entity("mem-1").unwrap().is_some(),
        "other entities stay"
    );
    // The same edit again changes nothing.
    let mut again = Batch::new("doc-1", "");
    again
        .put(entity("org-a", "Organization", &[("alias", "A3")]))
        .unwrap();
    let r = store.amend(&[again], &prov("2026-01-03T00:00:00")).unwrap();
    assert_eq!((r[0].inserted, r[0].retracted), (0, 0));
    // An edit citing a source the store does not know is refused.
    let mut orphan = Batch::new("doc-unknown", "");
    orphan
        .put(entity("org-a", "Organization", &[("alias", "A4")]))
        .unwrap();
    assert!(store
        .amend(&[orphan], &prov("2026-01-04T00:00:00"))
        .is_err());
}

/// A batch of many entities (a registry's file) is recorded as it would
/// be an entity at a time: every row in the batch's order, a merged
/// record's read as the entity it is merged into, schemata made more
/// specific and never less, and its next version compared with it.
fn a_large_batch_is_recorded_as_one_entity_at_a_time_would_be(store: &mut dyn Store) {
    // Before it: org-3 a plain organization, org-5 a public body, and
    // org-7 merged into org-1 (whose name doc-0 also states).
    let mut early = Batch::new("doc-0", "h0");
    early
        .put(entity("doc-0", "Document", &[("fileName", "early.txt")]))
        .unwrap();
    early
        .put(entity("org-3", "Organization", &[("name", "Body 3")]))
        .unwrap();
    early
        .put(entity("org-5", "PublicBody", &[("name", "Body 5")]))
        .unwrap();
    early
        .put(entity("org-7", "Organization", &[("name", "Body 7")]))
        .unwrap();
    early
        .put(entity("org-1", "Organization", &[("name", "Body 1")]))
        .unwrap();
    store.apply(&[early], &prov("2026-01-01T00:00:00")).unwrap();
    store
        .resolve(
            &Scope::everything(),
            &[("org-7".to_string(), "org-1".to_string())],
            &prov("2026-01-02T00:00:00"),
        )
        .unwrap();
    let before = all(store).len();

    // 9,000 entities: more than two groups.
    let registry = |hash: &str, leave_out: &[usize]| {
        let mut b = Batch::new("doc-r", hash);
        b.put(entity(
            "doc-r",
            "Document",
            &[("fileName", "registry.json"), ("contentHash", hash)],
        ))
        .unwrap();
        for i in (0..9_000).filter(|i| !leave_out.contains(i)) {
            let schema = if i == 3 { "PublicBody" } else { "Organization" };
            b.put(entity(
                &format!("org-{i}"),
                schema,
                &[("name", &format!("Body {i}")), ("alias", &format!("B{i}"))],
            ))
            .unwrap();
        }
        b
    };
    let b = registry("r1", &[]);
    let p = prov("2026-02-01T00:00:00");
    let with_source = Provenance {
        source: "doc-r".into(),
        ..p.clone()
    };
    let expected: Vec<Statement> = b
        .entities()
        .flat_map(|e| dossier_model::statement::entity_statements(e, &with_source))
        .collect();
    let r = store.apply(std::slice::from_ref(&b), &p).unwrap();
    assert_eq!(
        (r[0].inserted, r[0].kept, r[0].retracted),
        (expected.len(), 0, 0)
    );
    let rows = all(store);
    let new: Vec<&Statement> = rows[before..].iter().collect();
    assert_eq!(new.len(), expected.len());
    for (got, want) in new.iter().zip(&expected) {
        assert_eq!(
            (&got.id, &got.entity_id, &got.prop, &got.value),
            (&want.id, &want.entity_id, &want.prop, &want.value),
            "in the batch's order"
        );
        let read_as = if got.entity_id == "org-7" {
            "org-1"
        } else {
            got.entity_id.as_str()
        };
        assert_eq!(got.canonical_id, read_as, "{}", got.entity_id);
    }
    assert!(new.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(
        store.entity("org-3").unwrap().unwrap().schema.name,
        "PublicBody",
        "made more specific"
    );
    assert_eq!(
        store.entity("org-5").unwrap().unwrap().schema.name,
        "PublicBody",
        "never less"
    );
    let one = store.entity("org-1").unwrap().unwrap();
    let mut names: Vec<&str> = one.values("name").collect();
    names.sort_unstable();
    assert_eq!(names, ["Body 1", "Body 7"], "org-7 read as org-1");

    // The next version leaves out an entity of the first group and one of
    // the last: their id, name and alias statements, and the old hash, go.
    let next = registry("r2", &[2, 8_999]);
    let r = store.apply(&[next], &prov("2026-03-01T00:00:00")).unwrap();
    assert_eq!((r[0].inserted, r[0].retracted), (1, 7));
    assert_eq!(r[0].kept, expected.len() - 7);
    assert!(store.entity("org-8999").unwrap().is_none());
    assert!(store.entity("org-2").unwrap().is_none());
    assert_eq!(
        store.canonical_of("org-7").unwrap().as_deref(),
        Some("org-1"),
        "still read as org-1"
    );
}

on_both!(reapplying_the_same_version_changes_nothing);
on_both!(a_batch_naming_its_dataset_is_recorded_there_apart);
on_both!(a_newer_version_retracts_only_what_vanished);
on_both!(a_failed_apply_writes_nothing);
on_both!(amend_replaces_only_the_edited_properties);
on_both!(a_large_batch_is_recorded_as_one_entity_at_a_time_would_be);
