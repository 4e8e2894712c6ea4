//! An entity's history: every statement ever made about it, as changes
//! (who, when, from which sources, why, what was added and taken away),
//! and beside them the changes to what is said about it: its
//! relationships and the claims about it.

use dossier_store::{Read, Result};

/// One moment in an entity's history: what was stated and what was taken
/// away then, by whom, from which sources, and why.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Change {
    /// When (UTC, as recorded).
    pub at: String,
    /// The entity changed: empty for the subject itself, else a
    /// relationship or claim about it.
    pub about: String,
    /// Who stated the values added then.
    pub users: Vec<String>,
    /// Why: an edit's or revert's reason, a retraction's reason, or how
    /// an import came about.
    pub reasons: Vec<String>,
    /// Sources of the values added or taken away then.
    pub sources: Vec<String>,
    /// Datasets of the statements involved.
    pub datasets: Vec<String>,
    /// Values stated then: (property, value).
    pub added: Vec<(String, String)>,
    /// Values taken away then: (property, value).
    pub removed: Vec<(String, String)>,
}

/// An entity's history as changes, newest first: every statement ever
/// made about it (and the entities merged into it) gives an addition when
/// it was first stated and a removal when it was retracted. Bookkeeping
/// (`id` statements) is left out.
pub fn history(store: &dyn Read, id: &str) -> Result<Vec<Change>> {
    use std::collections::BTreeMap;
    let mut by_time: BTreeMap<String, Change> = BTreeMap::new();
    fn push(v: &mut Vec<String>, s: &str) {
        if !v.iter().any(|x| x == s) {
            v.push(s.to_string());
        }
    }
    for st in store.history(id)? {
        if st.prop == dossier_model::statement::ID_PROP {
            continue;
        }
        let c = by_time.entry(st.first_seen.clone()).or_default();
        c.at.clone_from(&st.first_seen);
        push(&mut c.users, &st.user);
        push(&mut c.sources, &st.source);
        push(&mut c.datasets, &st.dataset);
        if let Some(o) = &st.origin {
            push(&mut c.reasons, o);
        }
        c.added.push((st.prop.clone(), st.value.clone()));
        if let (Some(at), Some(why)) = (&st.retracted_at, &st.retraction) {
            let r = by_time.entry(at.clone()).or_default();
            r.at.clone_from(at);
            push(&mut r.reasons, why);
            push(&mut r.sources, &st.source);
            push(&mut r.datasets, &st.dataset);
            r.removed.push((st.prop.clone(), st.value.clone()));
        }
    }
    Ok(by_time.into_values().rev().collect())
}

/// The most relationships and claims about an entity whose changes its
/// history lists (a network of thousands lists the first).
pub const RELATED_LIMIT: usize = 200;

/// The entity's own changes and those of its relationships and the claims
/// about it (at most [`RELATED_LIMIT`] of them), newest first. A change to
/// another entity says which in `about`.
pub fn history_with_related(store: &dyn Read, id: &str) -> Result<Vec<Change>> {
    let mut all = history(store, id)?;
    let related: Vec<String> = store
        .referencing(id)?
        .into_iter()
        .filter(|r| {
            r.schema.name == "Claim" && r.values("subject").any(|s| s == id)
                || r.schema.edge.is_some()
        })
        .map(|r| r.id)
        .take(RELATED_LIMIT)
        .collect();
    for r in related {
        for mut c in history(store, &r)? {
            c.about = r.clone();
            all.push(c);
        }
    }
    all.sort_by(|a, b| b.at.cmp(&a.at).then(a.about.cmp(&b.about)));
    Ok(all)
}
