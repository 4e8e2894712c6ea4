//! FtM statements CSV (nomenklatura's columns), in and out.
//!
//! Out: every entity in its FtM form (Dossier's claims, quotations and
//! anchors mapped as in the FtM entity export, sources cited in `proof`),
//! one row per value plus the `id` row that carries the schema, each dated
//! with when the store first and last saw the entity. In: rows grouped by
//! canonical id into entities, as the FtM entity reader does.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

use dossier_model::entity::check_value;
use dossier_model::ids::sha1_hex;
use dossier_model::{Entity, Schema, Value};

use crate::ftm::{wire_entities, Read};
use crate::{FormatError, Location};

/// The columns, in order, as `followthemoney.statement` writes them.
pub const COLUMNS: [&str; 14] = [
    "canonical_id",
    "entity_id",
    "prop",
    "prop_type",
    "schema",
    "value",
    "dataset",
    "origin",
    "lang",
    "original_value",
    "external",
    "first_seen",
    "last_seen",
    "id",
];

/// When and where the store saw an entity.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// The dataset of its first statement: its values' unless `elsewhere`
    /// says otherwise.
    pub dataset: String,
    pub first_seen: String,
    pub last_seen: String,
    /// Values stated in another dataset: (prop, value) → dataset.
    pub elsewhere: HashMap<(String, String), String>,
}

/// FtM's statement id: SHA-1 of `dataset.entity_id.prop.value`.
fn statement_id(dataset: &str, entity: &str, prop: &str, value: &str) -> String {
    sha1_hex(&format!("{dataset}.{entity}.{prop}.{value}"))
}

fn prop_type(schema: &str, prop: &str) -> &'static str {
    if prop == "id" {
        return "id";
    }
    Schema::get(schema)
        .and_then(|s| s.property(prop))
        .map_or("string", |p| p.kind.ftm_name())
}

/// Writes the statements CSV; returns the number of rows.
pub fn write_csv(
    out: &mut dyn Write,
    entities: &[Entity],
    sources: &BTreeMap<String, BTreeSet<String>>,
    seen: &HashMap<String, Seen>,
) -> Result<usize, FormatError> {
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let io = |e: csv::Error| FormatError::Io(std::io::Error::other(e.to_string()));
    w.write_record(COLUMNS).map_err(io)?;
    let mut n = 0;
    let fallback = Seen {
        dataset: "dossier".into(),
        ..Default::default()
    };
    wire_entities(entities, sources, |wire, from| {
        let s = seen.get(&from.id).unwrap_or(&fallback);
        let mut row = |prop: &str, value: &str| -> Result<(), FormatError> {
            let dataset = match s.elsewhere.is_empty() {
                true => &s.dataset,
                false => s
                    .elsewhere
                    .get(&(prop.to_string(), value.to_string()))
                    .unwrap_or(&s.dataset),
            };
            let id = statement_id(dataset, &wire.id, prop, value);
            w.write_record([
                wire.id.as_str(),
                wire.id.as_str(),
                prop,
                prop_type(&wire.schema, prop),
                wire.schema.as_str(),
                value,
                dataset.as_str(),
                "dossier",
                "",
                "",
                "f",
                s.first_seen.as_str(),
                s.last_seen.as_str(),
                id.as_str(),
            ])
            .map_err(io)?;
            n += 1;
            Ok(())
        };
        row("id", &wire.id)?;
        for (prop, values) in &wire.properties {
            for v in values {
                row(prop, v)?;
            }
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(n)
}

/// Whether bytes look like a statements CSV (its header row).
pub fn looks_like(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let first = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let line = String::from_utf8_lossy(first);
    ["entity_id", "prop", "schema", "value"]
        .iter()
        .all(|c| line.contains(c))
        && !line.trim_start().starts_with('{')
}

/// Reads a statements CSV into entities (by `canonical_id`). An unknown
/// schema or an invalid value is an error with its line; properties
/// outside FtM's model are kept as they came and reported.
pub fn read_csv(bytes: &[u8]) -> Result<Read, FormatError> {
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = r
        .headers()
        .map_err(|e| FormatError::Syntax {
            at: Location { line: 1, column: 1 },
            message: format!("not a statements CSV: {e}"),
        })?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| FormatError::Syntax {
            at: Location { line: 1, column: 1 },
            message: format!("the header has no `{name}` column"),
        })
    };
    let (c_entity, c_prop, c_schema, c_value) = (
        need("entity_id")?,
        need("prop")?,
        need("schema")?,
        need("value")?,
    );
    let c_canonical = col("canonical_id");
    let c_original = col("original_value");
    let c_dataset = col("dataset");
    let mut out = Read::default();
    // One entity a dataset: the rows of each dataset stay in it.
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let at = Location { line, column: 1 };
        let rec = rec.map_err(|e| FormatError::Syntax {
            at: at.clone(),
            message: e.to_string(),
        })?;
        let invalid = |message: String| FormatError::Invalid {
            at: at.clone(),
            message,
        };
        let get = |c: usize| rec.get(c).unwrap_or("");
        let entity_id = c_canonical
            .map(get)
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| get(c_entity));
        if entity_id.is_empty()
            || entity_id.len() > 255
            || entity_id.chars().any(char::is_whitespace)
        {
            return Err(invalid(format!(
                "entity id {:?} must be 1–255 characters without spaces",
                entity_id.chars().take(40).collect::<String>()
            )));
        }
        let schema_name = get(c_schema);
        let Some(schema) = Schema::get(schema_name).filter(|s| !s.is_abstract) else {
            // Left out and said once an entity; the rest imports.
            if !out.skipped.iter().any(|(_, _, id)| id == entity_id) {
                out.skipped
                    .push((line, schema_name.to_string(), entity_id.to_string()));
            }
            continue;
        };
        let prop = get(c_prop);
        let dataset = c_dataset.map(get).unwrap_or("").trim();
        if dataset.chars().count() > 100 || dataset.chars().any(char::is_control) {
            return Err(invalid(format!(
                "dataset {:?} is not a dataset name (at most 100 characters, no control characters)",
                dataset.chars().take(40).collect::<String>()
            )));
        }
        let key = (dataset.to_string(), entity_id.to_string());
        let slot = match index.get(&key) {
            Some(&k) => k,
            None => {
                let e = Entity::new(entity_id, schema.name).map_err(|e| invalid(e.to_string()))?;
                index.insert(key, out.entities.len());
                out.entities.push(e);
                out.datasets.push(dataset.to_string());
                out.entities.len() - 1
            }
        };
        let entity = &mut out.entities[slot];
        // A more specific schema from a later row wins, as in FtM.
        if entity.schema.name != schema.name {
            if let Some(s) = Schema::more_specific(entity.schema, schema) {
                entity.schema = s;
            }
        }
        if prop == "id" {
            continue;
        }
        let value = get(c_value).trim();
        let Some(p) = schema.property(prop) else {
            // Kept as it came, and said once a property.
            unknown.insert(format!("{}.{prop}", schema.name), line);
            entity
                .keep_unknown(prop, value.to_string())
                .map_err(|e| invalid(e.to_string()))?;
            continue;
        };
        if value.is_empty() {
            continue;
        }
        check_value(p.kind, prop, value).map_err(|e| invalid(e.to_string()))?;
        let original = c_original
            .map(get)
            .filter(|o| !o.is_empty() && *o != value)
            .map(str::to_string);
        entity
            .add(
                prop,
                Value {
                    value: value.to_string(),
                    original,
                },
            )
            .map_err(|e| invalid(e.to_string()))?;
    }
    let mut unknown: Vec<(usize, String)> = unknown.into_iter().map(|(p, l)| (l, p)).collect();
    unknown.sort();
    out.unknown = unknown;
    if out.entities.is_empty() {
        return Err(FormatError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_rows_read_back() {
        let mut org = Entity::new("org-1", "Organization").unwrap();
        org.add("name", "Alliance \"A\", Inc.").unwrap();
        org.add("country", "us").unwrap();
        let mut out = Vec::new();
        let n = write_csv(&mut out, &[org], &BTreeMap::new(), &HashMap::new()).unwrap();
        assert_eq!(n, 3);
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.starts_with("\"canonical_id\",\"entity_id\""));
        assert!(looks_like(&out));
        let back = read_csv(&out).unwrap();
        assert_eq!(back.entities[0].first("name"), Some("Alliance \"A\", Inc."));
        assert_eq!(back.entities[0].first("country"), Some("us"));
    }

    #[test]
    fn bad_rows_name_their_line() {
        let csv =
            "entity_id,prop,schema,value\nx,name,Organization,A\ny,country,Organization,Atlantis\n";
        let e = read_csv(csv.as_bytes()).unwrap_err().to_string();
        assert!(e.starts_with("3:1"), "{e}");
        assert!(read_csv(b"just text").is_err());
    }

    #[test]
    fn rows_of_unread_schemata_are_left_out_and_said() {
        let csv = "entity_id,prop,schema,value\nx,name,Organization,A\ny,name,Spaceship,B\ny,name,Spaceship,C\n";
        let read = read_csv(csv.as_bytes()).unwrap();
        assert_eq!(read.entities.len(), 1);
        assert_eq!(
            read.skipped,
            [(3, "Spaceship".to_string(), "y".to_string())]
        );
    }
}
