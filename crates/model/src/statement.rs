//! Statements: one property value of one entity, from one source, recorded by
//! one user, with its lifetime. FtM/nomenklatura's statement columns plus
//! Dossier's source, user and retraction.

use std::collections::BTreeMap;

use crate::entity::{Entity, Value};
use crate::ids::sha1_hex;
use crate::schema::Schema;
use crate::ModelError;

/// The property under which FtM records an entity's schema.
pub const ID_PROP: &str = "id";

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The store's sequence number: the order statements were recorded in.
    /// Zero until the statement is stored.
    pub seq: i64,
    /// FtM statement id: SHA-1 of `dataset.entity_id.prop.value`.
    pub id: String,
    pub entity_id: String,
    /// The entity this one was merged into; equals `entity_id` until a merge.
    pub canonical_id: String,
    pub schema: String,
    pub prop: String,
    pub value: String,
    /// The text before normalization, when it differed.
    pub original_value: Option<String>,
    pub lang: Option<String>,
    pub dataset: String,
    /// FtM's free-form origin column (which importer made it).
    pub origin: Option<String>,
    pub external: bool,
    /// The id of the source document this value was taken from.
    pub source: String,
    /// Who recorded it.
    pub user: String,
    /// UTC timestamps, `YYYY-MM-DDTHH:MM:SS`.
    pub first_seen: String,
    pub last_seen: String,
    /// When and why the statement stopped being current.
    pub retracted_at: Option<String>,
    pub retraction: Option<String>,
}

impl Statement {
    /// FtM's statement id.
    pub fn make_id(
        dataset: &str,
        entity_id: &str,
        prop: &str,
        value: &str,
        lang: Option<&str>,
        external: bool,
    ) -> String {
        let mut key = format!("{dataset}.{entity_id}.{prop}.{value}");
        if let Some(lang) = lang {
            key.push('@');
            key.push_str(lang);
        }
        if external {
            key.push_str(".ext");
        }
        sha1_hex(&key)
    }

    /// True while the statement has not been retracted.
    pub fn is_current(&self) -> bool {
        self.retracted_at.is_none()
    }
}

/// Who, where and when, for statements made from entities.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub dataset: String,
    pub source: String,
    pub user: String,
    pub origin: Option<String>,
    pub now: String,
}

/// The statements that record an entity: one `id` statement carrying the
/// schema, then one per property value.
pub fn entity_statements(entity: &Entity, prov: &Provenance) -> Vec<Statement> {
    let make = |prop: &str, value: &Value| Statement {
        seq: 0,
        id: Statement::make_id(&prov.dataset, &entity.id, prop, &value.value, None, false),
        entity_id: entity.id.clone(),
        canonical_id: entity.id.clone(),
        schema: entity.schema.name.to_string(),
        prop: prop.to_string(),
        value: value.value.clone(),
        original_value: value.original.clone(),
        lang: None,
        dataset: prov.dataset.clone(),
        origin: prov.origin.clone(),
        external: false,
        source: prov.source.clone(),
        user: prov.user.clone(),
        first_seen: prov.now.clone(),
        last_seen: prov.now.clone(),
        retracted_at: None,
        retraction: None,
    };
    let mut out = vec![make(ID_PROP, &Value::from(entity.id.as_str()))];
    for (prop, values) in &entity.properties {
        for v in values {
            out.push(make(prop, v));
        }
    }
    out
}

/// Aggregates statements into entities (by `canonical_id`), skipping
/// retracted ones. Values keep the order of the statements given.
pub fn aggregate<'a>(
    statements: impl IntoIterator<Item = &'a Statement>,
) -> Result<Vec<Entity>, ModelError> {
    let mut by_id: BTreeMap<String, Entity> = BTreeMap::new();
    for st in statements {
        if !st.is_current() {
            continue;
        }
        let schema =
            Schema::get(&st.schema).ok_or_else(|| ModelError::UnknownSchema(st.schema.clone()))?;
        let entity = match by_id.get_mut(&st.canonical_id) {
            Some(e) => {
                if e.schema.name != schema.name {
                    if let Some(s) = Schema::more_specific(e.schema, schema) {
                        e.schema = s;
                    }
                }
                e
            }
            None => by_id
                .entry(st.canonical_id.clone())
                .or_insert(Entity::new(st.canonical_id.clone(), schema.name)?),
        };
        if st.prop == ID_PROP {
            continue;
        }
        let value = Value {
            value: st.value.clone(),
            original: st.original_value.clone(),
        };
        // A stored value that no longer fits the schema (after a schema change)
        // is kept out of the aggregate rather than failing the whole read.
        if entity.schema.property(&st.prop).is_some() {
            entity.add(&st.prop, value)?;
        } else if Schema::get(&st.schema).is_some_and(|s| s.property(&st.prop).is_none()) {
            // A property FtM's model does not have, kept as it came in.
            entity.keep_unknown(&st.prop, value)?;
        }
    }
    Ok(by_id.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prov() -> Provenance {
        Provenance {
            dataset: "d".into(),
            source: "doc-1".into(),
            user: "u".into(),
            origin: None,
            now: "2026-01-01T00:00:00".into(),
        }
    }

    #[test]
    fn statements_round_trip_through_aggregate() {
        let mut e = Entity::new("org-1", "Organization").unwrap();
        e.add("name", "Alliance").unwrap();
        e.add("country", "us").unwrap();
        let sts = entity_statements(&e, &prov());
        assert_eq!(sts.len(), 3);
        assert_eq!(sts[0].prop, "id");
        let back = aggregate(&sts).unwrap();
        assert_eq!(back, vec![e]);
    }

    #[test]
    fn retracted_statements_do_not_count() {
        let mut e = Entity::new("org-1", "Organization").unwrap();
        e.add("name", "A").unwrap();
        e.add("alias", "B").unwrap();
        let mut sts = entity_statements(&e, &prov());
        sts[2].retracted_at = Some("2026-01-02T00:00:00".into());
        let back = aggregate(&sts).unwrap();
        assert_eq!(
            back[0].values("alias").count() + back[0].values("name").count(),
            1
        );
    }

    #[test]
    fn ftm_statement_id() {
        // sha1("d.e.name.x")
        assert_eq!(
            Statement::make_id("d", "e", "name", "x", None, false),
            sha1_hex("d.e.name.x")
        );
        assert_ne!(
            Statement::make_id("d", "e", "name", "x", Some("eng"), false),
            Statement::make_id("d", "e", "name", "x", None, false)
        );
    }
}
