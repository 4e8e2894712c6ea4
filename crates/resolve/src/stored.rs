//! Judgements kept in the store, as statements of `Judgement` entities
//! (one per pair) from each reviewer's review document: the statement log
//! keeps who decided what and when, and a decision taken back stays in
//! the history (its verdict becomes `none`).

use dossier_model::ids::stable_id;
use dossier_model::{Batch, Entity, Provenance, Value};
use dossier_store::{Read, Writer};

use crate::judgements::{Conflict, Judgement, Resolver};

/// The dataset judgements are recorded in.
pub const DATASET: &str = "judgements";

/// Why a judgement could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum JudgeError {
    #[error("there is no entity {0}")]
    Unknown(String),
    #[error("{0} is a person and {1} is not: they cannot be the same")]
    Incomparable(String, String),
    #[error("{0} is a {1} and {2} is a {3}: no one type fits both, so they cannot be merged (correct one's type first)")]
    Unmergeable(String, &'static str, String, &'static str),
    #[error(transparent)]
    Conflict(#[from] Conflict),
    #[error(transparent)]
    Store(#[from] dossier_store::StoreError),
    #[error(transparent)]
    Model(#[from] dossier_model::ModelError),
}

/// The id of the judgement entity of a pair, whichever way it is given.
pub fn judgement_id(a: &str, b: &str) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    stable_id("jdg", &[x, y])
}

/// Every decision in the store, as a resolver. Where reviewers disagree on
/// a pair, "not same" and "same" together give "not same", other mixes
/// "unsure" (as nomenklatura combines them). "Same" is applied first, so
/// the clusters do not depend on the order decisions were made in.
pub fn load(store: &dyn Read) -> Result<Resolver, JudgeError> {
    let mut decided: Vec<(String, String, Judgement)> = Vec::new();
    for e in store.entities(&["Judgement"])? {
        let (Some(a), Some(b)) = (e.first("left"), e.first("right")) else {
            continue;
        };
        let verdicts: Vec<Judgement> = e.values("verdict").filter_map(Judgement::parse).collect();
        let combined = match verdicts.as_slice() {
            [] => continue,
            [one] => *one,
            many if many.contains(&Judgement::NotSame) && many.contains(&Judgement::Same) => {
                Judgement::NotSame
            }
            many if many.iter().all(|v| *v == many[0]) => many[0],
            _ => Judgement::Unsure,
        };
        decided.push((a.to_string(), b.to_string(), combined));
    }
    decided.sort_by_key(|d| d.2 != Judgement::Same);
    let mut r = Resolver::new();
    for (a, b, j) in decided {
        // Recorded decisions were consistent when made; a clash between
        // reviewers' is left as the first one gives it.
        let _ = r.decide(&a, &b, j);
    }
    Ok(r)
}

/// Records a reviewer's decision on a pair (`None` takes their decision
/// back), after checking it against every decision already made:
/// `resolver` holds them ([`load`] once, then keep passing it) and takes
/// the new one too.
pub fn record(
    store: &mut Writer<'_>,
    resolver: &mut Resolver,
    a: &str,
    b: &str,
    verdict: Option<Judgement>,
    note: Option<&str>,
    prov: &Provenance,
) -> Result<(), JudgeError> {
    let (ea, eb) = (entity(&store.read(), a)?, entity(&store.read(), b)?);
    if !crate::comparable(ea.schema.name, eb.schema.name) {
        return Err(JudgeError::Incomparable(a.to_string(), b.to_string()));
    }
    if verdict == Some(Judgement::Same)
        && dossier_model::Schema::more_specific(ea.schema, eb.schema).is_none()
    {
        return Err(JudgeError::Unmergeable(
            a.to_string(),
            ea.schema.name,
            b.to_string(),
            eb.schema.name,
        ));
    }
    match verdict {
        Some(j) => resolver.decide(a, b, j)?,
        None => {
            resolver.undo(a, b);
        }
    }
    let review = stable_id("doc", &["review", &prov.user]);
    let mut doc = Entity::new(review.clone(), "Document")?;
    doc.add("title", Value::from(format!("Judgements by {}", prov.user)))?;
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    let mut j = Entity::new(judgement_id(a, b), "Judgement")?;
    j.add("left", Value::from(x))?;
    j.add("right", Value::from(y))?;
    j.add(
        "verdict",
        Value::from(verdict.map_or("none", Judgement::as_str)),
    )?;
    if let Some(n) = note.filter(|n| !n.trim().is_empty()) {
        j.add("note", Value::from(n.trim()))?;
    }
    let mut batch = Batch::new(review, String::new());
    batch.put(doc)?;
    batch.put(j)?;
    let prov = Provenance {
        dataset: DATASET.to_string(),
        origin: Some("review".to_string()),
        ..prov.clone()
    };
    store.amend(&[batch], &prov)?;
    sync(store, resolver, &prov)?;
    Ok(())
}

/// Merges in the store what the decisions join, and splits what they no
/// longer join (after a decision is taken back). Recording a decision
/// does this; it is also how a store whose merges were interrupted is
/// brought back in line. Returns how many entities changed.
pub fn sync(
    store: &mut Writer<'_>,
    resolver: &Resolver,
    prov: &Provenance,
) -> Result<usize, JudgeError> {
    let wanted: std::collections::HashMap<String, String> = resolver.merged().into_iter().collect();
    let current: std::collections::HashMap<String, String> =
        store.read().merges()?.into_iter().collect();
    let mut changes: Vec<(String, String)> = wanted
        .iter()
        .filter(|(id, c)| current.get(*id) != Some(*c))
        .map(|(id, c)| (id.clone(), c.clone()))
        .collect();
    for id in current.into_keys() {
        if !wanted.contains_key(&id) {
            changes.push((id.clone(), id));
        }
    }
    changes.sort_unstable();
    Ok(store.resolve(&changes, prov)?)
}

/// The entity, or the one it is merged into.
fn entity(store: &dyn Read, id: &str) -> Result<Entity, JudgeError> {
    let id = store.canonical_of(id)?.unwrap_or_else(|| id.to_string());
    store
        .entity(&id)?
        .filter(|e| e.schema.is_a("LegalEntity"))
        .ok_or_else(|| JudgeError::Unknown(id.to_string()))
}
