//! Applying a source's batch and amending (an edit): which entities it
//! registers, which of its statements are new, kept or no longer said.

use std::collections::HashMap;

use dossier_model::statement::entity_statements;
use dossier_model::{Batch, Entity, Provenance, Schema, Statement};

use super::Tx;
use crate::{ApplyReport, Result, StoreError};

/// Entities whose statements an apply makes and writes together: one
/// look-up of who is read as whom, and a few multi-row inserts, a group.
const APPLY_GROUP: usize = 4096;

/// Registers an entity id, or moves its schema to a more specific one.
pub(crate) fn register_entity(tx: &mut dyn Tx, id: &str, schema: &str) -> Result<()> {
    register_all(tx, &[(id, schema, Want::AsSchema)])
}

/// How an entity is wanted registered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    /// With this schema, or a more specific one it already has.
    AsSchema,
    /// Registered at all (a cited source: as a document when it is not).
    Present,
}

/// Registers many ids at once, in order, each as [`register_entity`] would
/// one after the other: one read of what is registered, one write of the
/// new (in the order of their ids, which a B-tree takes fastest), and an
/// update each for those already registered whose schema becomes more
/// specific.
pub(super) fn register_all(tx: &mut dyn Tx, wanted: &[(&str, &str, Want)]) -> Result<()> {
    if wanted.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<&str> = wanted.iter().map(|w| w.0).collect();
    ids.sort_unstable();
    ids.dedup();
    let stored = tx.schemata_of(&ids)?;
    // Each id's schema as the writes leave it, in the order first seen.
    let mut now: HashMap<&str, String> = HashMap::with_capacity(ids.len());
    let mut order: Vec<&str> = Vec::with_capacity(ids.len());
    for &(id, schema, want) in wanted {
        let old = now.get(id).or_else(|| stored.get(id)).cloned();
        let next = match old {
            None => schema.to_string(),
            Some(old) if want == Want::AsSchema && old != schema => {
                match (Schema::get(&old), Schema::get(schema)) {
                    (Some(a), Some(b)) => {
                        Schema::more_specific(a, b).map_or(old, |s| s.name.to_string())
                    }
                    _ => old,
                }
            }
            Some(old) => old,
        };
        if now.insert(id, next).is_none() {
            order.push(id);
        }
    }
    let mut new: Vec<(&str, &str)> = order
        .iter()
        .filter(|id| !stored.contains_key(**id))
        .map(|id| (*id, now[id].as_str()))
        .collect();
    new.sort_unstable_by_key(|n| n.0);
    tx.insert_entities(&new)?;
    for id in &order {
        if let Some(old) = stored.get(*id) {
            if *old != now[id] {
                tx.set_schema(id, &now[id])?;
            }
        }
    }
    Ok(())
}

/// An entity's statements, each read as its canonical entity's.
pub(super) fn statements_of(
    tx: &mut dyn Tx,
    entity: &Entity,
    prov: &Provenance,
) -> Result<Vec<Statement>> {
    let mut statements = entity_statements(entity, prov);
    if let Some(c) = tx.canonical(&entity.id)? {
        for st in &mut statements {
            st.canonical_id.clone_from(&c);
        }
    }
    Ok(statements)
}

/// Inserts what is new, keeps what is still said, and reports which of
/// `before` (statement id → seq) was not said again.
fn record_statements(
    tx: &mut dyn Tx,
    statements: Vec<Statement>,
    before: &mut HashMap<String, i64>,
    now: &str,
    report: &mut ApplyReport,
) -> Result<()> {
    let mut new = Vec::with_capacity(statements.len());
    for st in statements {
        match before.remove(&st.id) {
            Some(seq) => {
                tx.touch(seq, now)?;
                report.kept += 1;
            }
            None => new.push(st),
        }
    }
    report.inserted += new.len();
    tx.insert_new(&new)
}

/// Records one source's batch: statements new to the source are inserted,
/// those it still makes kept, those it no longer makes retracted. A batch
/// whose content hash the source already states changes nothing.
///
/// Every entity of the batch is registered first, all at once, the source
/// document first as every other statement refers to it; then the
/// statements a group of entities at a time, in the batch's order, each
/// read as its entity's canonical. The rows are those an entity at a time
/// would write, in the same order; a large batch (a registry's file) makes
/// one read of the registered entities and one of who is read as whom a
/// group, not a few look-ups an entity.
pub(crate) fn apply_one(tx: &mut dyn Tx, batch: &Batch, prov: &Provenance) -> Result<ApplyReport> {
    let named;
    let prov = match &batch.dataset {
        Some(d) if *d != prov.dataset => {
            named = Provenance {
                dataset: d.clone(),
                ..prov.clone()
            };
            &named
        }
        _ => prov,
    };
    if batch.get(&batch.source).is_none() {
        return Err(StoreError::SourceMissing(batch.source.clone()));
    }
    let mut report = ApplyReport {
        entities: batch.len(),
        ..Default::default()
    };
    if tx.content_hash(&batch.source, &prov.dataset)?.as_deref()
        == Some(batch.content_hash.as_str())
    {
        report.unchanged = true;
        return Ok(report);
    }
    let mut before = tx.by_source(&batch.source, &prov.dataset)?;
    let ordered: Vec<&Entity> = document_first(batch).collect();
    let wanted: Vec<(&str, &str, Want)> = ordered
        .iter()
        .map(|e| (e.id.as_str(), e.schema.name, Want::AsSchema))
        .collect();
    register_all(tx, &wanted)?;
    drop(wanted);
    each_group(&ordered, prov, |group, mut statements| {
        let ids: Vec<&str> = group.iter().map(|e| e.id.as_str()).collect();
        let canonical = tx.canonicals(&ids)?;
        if !canonical.is_empty() {
            for st in &mut statements {
                if let Some(c) = canonical.get(&st.entity_id) {
                    st.canonical_id.clone_from(c);
                }
            }
        }
        record_statements(tx, statements, &mut before, &prov.now, &mut report)
    })?;
    let reason = format!(
        "no longer in source {} (version {})",
        batch.source, batch.content_hash
    );
    for seq in before.values() {
        tx.retract(*seq, &prov.now, &reason)?;
        report.retracted += 1;
    }
    Ok(report)
}

/// A batch's entities, its source document first: every other statement
/// refers to it.
pub(super) fn document_first(batch: &Batch) -> impl Iterator<Item = &Entity> {
    batch
        .get(&batch.source)
        .into_iter()
        .chain(batch.entities().filter(|e| e.id != batch.source))
}

/// Gives `write` each group of `entities` with its statements, in order.
/// More than a group's statements are made on a thread of their own, a
/// group ahead of the writing (making them, their ids hashed, was an
/// eighth of a large apply's writing thread).
fn each_group(
    entities: &[&Entity],
    prov: &Provenance,
    mut write: impl FnMut(&[&Entity], Vec<Statement>) -> Result<()>,
) -> Result<()> {
    let make = |group: &[&Entity]| -> Vec<Statement> {
        group
            .iter()
            .flat_map(|e| entity_statements(e, prov))
            .collect()
    };
    if entities.len() <= APPLY_GROUP {
        return write(entities, make(entities));
    }
    std::thread::scope(|scope| {
        let (send, made) = std::sync::mpsc::sync_channel(2);
        scope.spawn(move || {
            for group in entities.chunks(APPLY_GROUP) {
                // The writer stopped (it failed): nothing more is wanted.
                if send.send(make(group)).is_err() {
                    break;
                }
            }
        });
        for (group, statements) in entities.chunks(APPLY_GROUP).zip(made) {
            write(group, statements)?;
        }
        Ok(())
    })
}

/// Records an edit: for every property an entity of the batch carries, the
/// values this source gave before and no longer gives are retracted; other
/// properties and entities are untouched.
pub(crate) fn amend_one(tx: &mut dyn Tx, batch: &Batch, prov: &Provenance) -> Result<ApplyReport> {
    if tx.schema_of(&batch.source)?.is_none() && batch.get(&batch.source).is_none() {
        return Err(StoreError::SourceMissing(batch.source.clone()));
    }
    let mut report = ApplyReport {
        entities: batch.len(),
        ..Default::default()
    };
    let reason = "superseded by an edit from the same source";
    for entity in document_first(batch) {
        register_entity(tx, &entity.id, entity.schema.name)?;
        let statements = statements_of(tx, entity, prov)?;
        let mut props: Vec<&str> = statements.iter().map(|s| s.prop.as_str()).collect();
        props.sort_unstable();
        props.dedup();
        let mut before: HashMap<String, i64> = HashMap::new();
        for prop in props {
            before.extend(tx.by_prop(&entity.id, prop, &batch.source, &prov.dataset)?);
        }
        record_statements(tx, statements, &mut before, &prov.now, &mut report)?;
        for seq in before.values() {
            tx.retract(*seq, &prov.now, reason)?;
            report.retracted += 1;
        }
    }
    Ok(report)
}
