//! Judgements kept in the store: transitive through clusters, combined
//! across reviewers, taken back without losing the history.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dossier_model::{Batch, Entity, Provenance, Value};
use dossier_resolve::stored::{judgement_id, load, record, JudgeError};
use dossier_resolve::Judgement::*;
use dossier_store::prelude::*;
use dossier_store::{Scope, SqliteStore};

fn prov(user: &str) -> Provenance {
    Provenance {
        dataset: "test".into(),
        source: String::new(),
        user: user.into(),
        origin: None,
        now: "2026-11-28T00:00:00".into(),
    }
}

fn store() -> SqliteStore {
    let mut s = SqliteStore::in_memory().unwrap();
    let mut batch = Batch::new("doc-1", "h");
    let mut doc = Entity::new("doc-1", "Document").unwrap();
    doc.add("title", Value::from("A list")).unwrap();
    batch.put(doc).unwrap();
    for (id, schema) in [
        ("a", "Organization"),
        ("b", "Organization"),
        ("c", "Organization"),
        ("d", "Organization"),
        ("p", "Person"),
    ] {
        let mut e = Entity::new(id, schema).unwrap();
        e.add("name", Value::from(id.to_uppercase())).unwrap();
        batch.put(e).unwrap();
    }
    s.apply(&[batch], &prov("importer")).unwrap();
    s
}

#[test]
fn judgements_in_the_store_are_transitive_and_combined() {
    let mut s = store();
    // The resolver a reviewing session keeps; `load` reads the store afresh.
    let mut live = load(&s).unwrap();
    record(
        &mut s.writer(&Scope::everything()),
        &mut live,
        "a",
        "b",
        Some(Same),
        None,
        &prov("ann"),
    )
    .unwrap();
    record(
        &mut s.writer(&Scope::everything()),
        &mut live,
        "c",
        "b",
        Some(Same),
        Some("same address"),
        &prov("ann"),
    )
    .unwrap();
    record(
        &mut s.writer(&Scope::everything()),
        &mut live,
        "c",
        "d",
        Some(NotSame),
        None,
        &prov("ann"),
    )
    .unwrap();
    let r = load(&s).unwrap();
    assert_eq!(r.cluster("a"), ["a", "b", "c"]);
    assert_eq!(r.canonical("c"), "a");
    assert_eq!(r.judgement("a", "d"), Some(NotSame), "through c");
    assert!(matches!(
        record(
            &mut s.writer(&Scope::everything()),
            &mut live,
            "a",
            "d",
            Some(Same),
            None,
            &prov("bob")
        ),
        Err(JudgeError::Conflict(_))
    ));
    assert!(matches!(
        record(
            &mut s.writer(&Scope::everything()),
            &mut live,
            "a",
            "p",
            Some(Same),
            None,
            &prov("bob")
        ),
        Err(JudgeError::Incomparable(..))
    ));
    // Another reviewer unsure where the first said "not same": a mix other
    // than same with not same is unsure, and still not asked again.
    record(
        &mut s.writer(&Scope::everything()),
        &mut live,
        "d",
        "c",
        Some(Unsure),
        None,
        &prov("bob"),
    )
    .unwrap();
    let r = load(&s).unwrap();
    assert_eq!(r.judgement("c", "d"), Some(Unsure));
    assert!(!r.needs_judgement("a", "d"));
    // Taking "b = c" back splits the cluster; the log keeps both verdicts.
    record(
        &mut s.writer(&Scope::everything()),
        &mut live,
        "b",
        "c",
        None,
        None,
        &prov("ann"),
    )
    .unwrap();
    let r = load(&s).unwrap();
    assert_eq!(r.cluster("a"), ["a", "b"]);
    assert!(
        r.needs_judgement("a", "d"),
        "no longer tied to c's decision"
    );
    let history = s.history(&judgement_id("b", "c")).unwrap();
    let verdicts: Vec<(String, bool)> = history
        .iter()
        .filter(|st| st.prop == "verdict")
        .map(|st| (st.value.clone(), st.is_current()))
        .collect();
    assert_eq!(
        verdicts,
        [("same".to_string(), false), ("none".to_string(), true)]
    );
    assert!(history.iter().all(|st| st.user == "ann"));
}

#[test]
fn decisions_merge_in_the_store_and_undoing_them_splits() {
    let mut s = store();
    let mut live = load(&s).unwrap();
    record(
        &mut s.writer(&Scope::everything()),
        &mut live,
        "b",
        "c",
        Some(Same),
        None,
        &prov("ann"),
    )
    .unwrap();
    assert_eq!(s.merges().unwrap(), [("c".to_string(), "b".to_string())]);
    // Joining a moves the whole cluster to the smallest id.
    record(
        &mut s.writer(&Scope::everything()),
        &mut live,
        "c",
        "a",
        Some(Same),
        None,
        &prov("ann"),
    )
    .unwrap();
    assert_eq!(
        s.merges().unwrap(),
        [
            ("b".to_string(), "a".to_string()),
            ("c".to_string(), "a".to_string())
        ]
    );
    let a = s.entity("a").unwrap().unwrap();
    assert_eq!(a.values("name").collect::<Vec<_>>(), ["A", "B", "C"]);
    assert!(s.entity("c").unwrap().is_none());
    // A merged id can still be named in a decision.
    record(
        &mut s.writer(&Scope::everything()),
        &mut live,
        "c",
        "d",
        Some(NotSame),
        None,
        &prov("bob"),
    )
    .unwrap();
    assert!(!load(&s).unwrap().needs_judgement("a", "d"));
    // Taking back "c = a" leaves c alone, and a and b together.
    record(
        &mut s.writer(&Scope::everything()),
        &mut live,
        "a",
        "c",
        None,
        None,
        &prov("ann"),
    )
    .unwrap();
    assert_eq!(s.merges().unwrap(), [("c".to_string(), "b".to_string())]);
    assert_eq!(
        s.entity("a")
            .unwrap()
            .unwrap()
            .values("name")
            .collect::<Vec<_>>(),
        ["A"]
    );
    assert_eq!(
        s.entity("b")
            .unwrap()
            .unwrap()
            .values("name")
            .collect::<Vec<_>>(),
        ["B", "C"]
    );
    // Every statement kept its entity and source through it all.
    assert!(s
        .history("c")
        .unwrap()
        .iter()
        .filter(|st| st.dataset == "test")
        .all(|st| st.entity_id == "c" && st.source == "doc-1"));
    // A store whose merges fell behind its judgements is brought in line.
    s.resolve(
        &dossier_store::Scope::everything(),
        &[("c".to_string(), "c".to_string())],
        &prov("x"),
    )
    .unwrap();
    let fresh = load(&s).unwrap();
    let n = dossier_resolve::stored::sync(&mut s.writer(&Scope::everything()), &fresh, &prov("x"))
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(s.merges().unwrap(), [("c".to_string(), "b".to_string())]);
}
