//! Any entity of FtM's model that has no page of its own (an address, a
//! sanction, an ownership, a vessel…): its properties grouped by the schema
//! that defines them, each value with the sources that state it, and its
//! links both ways.

use std::collections::{BTreeMap, BTreeSet};

use dossier_model::{Entity, PropType, Schema};
use dossier_store::{Read, Result};

/// An entity named by another: its id, caption and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub caption: String,
    /// The schema's label ("Company").
    pub kind: &'static str,
}

/// One value, with what it names and who states it.
#[derive(Debug, Clone)]
pub struct ValueRow {
    pub value: String,
    /// For an entity reference: the entity it names (None when it is not
    /// in the store, or out of the reader's reach).
    pub names: Option<Named>,
    /// The documents that state it now.
    pub sources: Vec<Named>,
}

/// One property and its values.
#[derive(Debug, Clone)]
pub struct PropRow {
    pub name: String,
    pub label: String,
    pub values: Vec<ValueRow>,
}

/// The properties one schema of the entity's lineage defines.
#[derive(Debug, Clone)]
pub struct PropGroup {
    /// The defining schema's label ("Legal entity", "Thing").
    pub label: &'static str,
    pub rows: Vec<PropRow>,
}

/// Entities that point at this one through one property.
#[derive(Debug, Clone)]
pub struct LinkGroup {
    /// Seen from this entity: the property's reverse label ("Assets owned").
    pub label: String,
    /// The pointing schema and property (`Ownership.owner`).
    pub via: String,
    pub items: Vec<LinkItem>,
}

/// One entity pointing here, and — for a link such as an Ownership — what
/// it ties this entity to.
#[derive(Debug, Clone)]
pub struct LinkItem {
    pub entity: Named,
    /// The link's other ends: property label and the entity named.
    pub others: Vec<(String, Named)>,
}

/// The page of an entity without a page of its own.
#[derive(Debug, Clone)]
pub struct ThingView {
    pub entity: Named,
    pub schema: &'static Schema,
    /// Featured properties first, as FtM shows them.
    pub featured: Vec<PropRow>,
    pub groups: Vec<PropGroup>,
    /// Properties outside FtM's model, kept as they came.
    pub unknown: Vec<PropRow>,
    /// Links from this entity: its own entity properties, in `groups`;
    /// links to it, here.
    pub incoming: Vec<LinkGroup>,
}

/// An entity as named on the page; a link without a caption of its own
/// (an Ownership) goes by its kind.
fn named(e: &Entity) -> Named {
    let caption = match e.caption() {
        c if c == e.id && e.schema.edge.is_some() => e.schema.label,
        c => c,
    };
    Named {
        id: e.id.clone(),
        caption: caption.to_string(),
        kind: e.schema.label,
    }
}

/// Shown at most, per kind of incoming link.
const LINKS_SHOWN: usize = 200;

/// The view of entity `e`, read through `store` (whose scope decides what
/// the sources and links show).
pub fn thing_view(store: &dyn Read, e: &Entity) -> Result<ThingView> {
    // Who states each value now.
    let mut stated: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for st in store.history(&e.id)? {
        if st.is_current() {
            stated
                .entry((st.prop, st.value))
                .or_default()
                .insert(st.source);
        }
    }
    let incoming_entities = store.referencing(&e.id)?;
    // Every id the page names, read once.
    let mut ids: BTreeSet<String> = stated.values().flatten().cloned().collect();
    for (prop, values) in &e.properties {
        if e.schema
            .property(prop)
            .is_some_and(|p| p.kind == PropType::Entity)
        {
            ids.extend(values.iter().map(|v| v.value.clone()));
        }
    }
    for r in &incoming_entities {
        for (prop, values) in &r.properties {
            if r.schema
                .property(prop)
                .is_some_and(|p| p.kind == PropType::Entity)
            {
                ids.extend(values.iter().map(|v| v.value.clone()));
            }
        }
    }
    let ids: Vec<String> = ids.into_iter().collect();
    let labels: BTreeMap<String, Named> = store
        .labels(&ids)?
        .into_iter()
        .map(|l| {
            (
                l.id.clone(),
                Named {
                    id: l.id,
                    caption: l.caption,
                    kind: l.schema.label,
                },
            )
        })
        .collect();
    let row = |prop: &str| -> Option<PropRow> {
        let values = e.properties.get(prop).filter(|v| !v.is_empty())?;
        let property = e.schema.property(prop);
        let is_ref = property.is_some_and(|p| p.kind == PropType::Entity);
        Some(PropRow {
            name: prop.to_string(),
            label: property.map_or_else(|| prop.to_string(), |p| p.label()),
            values: values
                .iter()
                .map(|v| ValueRow {
                    value: v.value.clone(),
                    names: is_ref.then(|| labels.get(&v.value).cloned()).flatten(),
                    sources: stated
                        .get(&(prop.to_string(), v.value.clone()))
                        .into_iter()
                        .flatten()
                        .filter_map(|s| labels.get(s).cloned())
                        .collect(),
                })
                .collect(),
        })
    };
    let featured: Vec<PropRow> = e.schema.featured.iter().filter_map(|p| row(p)).collect();
    let mut groups = Vec::new();
    let mut shown: BTreeSet<&str> = e.schema.featured.iter().copied().collect();
    for s in e.schema.lineage() {
        let rows: Vec<PropRow> = s
            .own
            .iter()
            .filter(|p| shown.insert(p.name))
            .filter_map(|p| row(p.name))
            .collect();
        if !rows.is_empty() {
            groups.push(PropGroup {
                label: s.label,
                rows,
            });
        }
    }
    let unknown = e.unknown_properties().filter_map(row).collect();
    // Links to this entity, by the property that points here.
    let mut incoming: BTreeMap<String, LinkGroup> = BTreeMap::new();
    for r in &incoming_entities {
        for (prop, values) in &r.properties {
            let Some(p) = r.schema.property(prop) else {
                continue;
            };
            if p.kind != PropType::Entity || !values.iter().any(|v| v.value == e.id) {
                continue;
            }
            let via = format!("{}.{prop}", r.schema.name);
            let group = incoming.entry(via.clone()).or_insert_with(|| LinkGroup {
                label: p.reverse.map_or_else(
                    || format!("{} ({})", r.schema.plural, p.label()),
                    |(_, label)| label.to_string(),
                ),
                via,
                items: Vec::new(),
            });
            if group.items.len() >= LINKS_SHOWN {
                continue;
            }
            let others = r
                .properties
                .iter()
                .filter(|(q, _)| q.as_str() != prop.as_str())
                .filter_map(|(q, vs)| {
                    let qp = r.schema.property(q)?;
                    (qp.kind == PropType::Entity && q != "proof").then_some((qp, vs))
                })
                .flat_map(|(qp, vs)| {
                    vs.iter()
                        .filter_map(|v| labels.get(&v.value).cloned())
                        .map(move |n| (qp.label(), n))
                })
                .collect();
            group.items.push(LinkItem {
                entity: named(r),
                others,
            });
        }
    }
    Ok(ThingView {
        entity: named(e),
        schema: e.schema,
        featured,
        groups,
        unknown,
        incoming: incoming.into_values().collect(),
    })
}
