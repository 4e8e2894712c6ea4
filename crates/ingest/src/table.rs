//! CSV with a column mapping: organizations, persons or relationships, one
//! per row, each row's source given by a column or for the whole file.
//! Names are matched to known entities with the same [`Matcher`] the
//! profile importer uses, so "PCFF" in a spreadsheet is the PCFF of a
//! profile. A row that cannot be read is reported with its line and left
//! out; the caller decides whether that stops the import (`--strict`).

use std::collections::BTreeMap;

use dossier_model::country::country_codes;
use dossier_model::ids::{sha1_bytes_hex, stable_id};
use dossier_model::names::{looks_like_acronym, name_key};
use dossier_model::text::normalize;
use dossier_model::{Batch, Entity, PartialDate, Schema, SourceDoc, Value};

use crate::document::Pos;
use crate::{Diagnostic, IngestError};
use dossier_resolve::matcher::{Matcher, Party};

/// What each row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Organization,
    PublicBody,
    Person,
    Membership,
    Payment,
    Employment,
    Directorship,
    Link,
}

impl RowKind {
    pub fn parse(s: &str) -> Option<RowKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "organization" | "organisation" | "org" => RowKind::Organization,
            "publicbody" | "public-body" => RowKind::PublicBody,
            "person" => RowKind::Person,
            "membership" => RowKind::Membership,
            "payment" | "funding" => RowKind::Payment,
            "employment" => RowKind::Employment,
            "directorship" | "board" => RowKind::Directorship,
            "link" | "partnership" | "unknownlink" => RowKind::Link,
            _ => return None,
        })
    }

    /// The schema of the entity a row becomes.
    pub fn schema(self) -> &'static str {
        match self {
            RowKind::Organization => "Organization",
            RowKind::PublicBody => "PublicBody",
            RowKind::Person => "Person",
            RowKind::Membership => "Membership",
            RowKind::Payment => "Payment",
            RowKind::Employment => "Employment",
            RowKind::Directorship => "Directorship",
            RowKind::Link => "UnknownLink",
        }
    }

    /// For relationships: the two end properties and the party each end is
    /// when it has to be created.
    fn ends(self) -> Option<[(&'static str, Party); 2]> {
        use Party::*;
        Some(match self {
            RowKind::Membership => [("member", Organization), ("organization", Organization)],
            RowKind::Payment => [("payer", Organization), ("beneficiary", Organization)],
            RowKind::Employment => [("employee", Person), ("employer", Organization)],
            RowKind::Directorship => [("director", Person), ("organization", Organization)],
            RowKind::Link => [("subject", Organization), ("object", Organization)],
            _ => return None,
        })
    }
}

/// How columns become properties.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub kind: RowKind,
    /// Property → column header. Columns named like a property map to it
    /// when not given.
    pub columns: BTreeMap<String, String>,
    /// The column holding each row's source (an address or a title).
    pub source_column: Option<String>,
    /// The source of every row (an address); else the file itself.
    pub source: Option<String>,
}

impl Mapping {
    /// Reads a mapping file: `kind = membership`, `source_column = Link`,
    /// `source = https://…`, and `property = Column header` lines; `#` comments.
    pub fn parse(text: &str, file: &str) -> Result<Mapping, IngestError> {
        let mut kind = None;
        let mut m = Mapping {
            kind: RowKind::Organization,
            columns: BTreeMap::new(),
            source_column: None,
            source: None,
        };
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let pos = Pos::new(i as u32 + 1, 1);
            let Some((k, v)) = line.split_once('=') else {
                return Err(IngestError::Invalid(Diagnostic::error(
                    file,
                    pos,
                    "a mapping line is `property = column`",
                )));
            };
            let (k, v) = (k.trim(), v.trim().trim_matches('"').to_string());
            match k {
                "kind" => {
                    kind = Some(RowKind::parse(&v).ok_or_else(|| {
                        IngestError::Invalid(Diagnostic::error(
                            file,
                            pos,
                            format!("unknown kind {v:?}"),
                        ))
                    })?)
                }
                "source_column" => m.source_column = Some(v),
                "source" => m.source = Some(v),
                prop => {
                    m.columns.insert(prop.to_string(), v);
                }
            }
        }
        m.kind = kind.ok_or_else(|| {
            IngestError::Invalid(Diagnostic::error(
                file,
                Pos::new(1, 1),
                "the mapping names no `kind`",
            ))
        })?;
        Ok(m)
    }
}

/// What a CSV gives.
#[derive(Debug, Default)]
pub struct TableImport {
    /// One batch per source.
    pub batches: Vec<Batch>,
    /// Rows read.
    pub rows: usize,
    /// Rows left out, with why (`file:line:column: error: …`).
    pub rejected: Vec<Diagnostic>,
}

/// Reads a CSV with a mapping. Errors only when the file as a whole cannot
/// be read (not CSV, a mapped column missing); bad rows are rejected.
pub fn import_csv(
    bytes: &[u8],
    file: &str,
    mapping: &Mapping,
    matcher: &mut Matcher,
) -> Result<TableImport, IngestError> {
    let whole = |m: String| IngestError::Invalid(Diagnostic::error(file, Pos::new(1, 1), m));
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = r
        .headers()
        .map_err(|e| whole(format!("not CSV: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let schema =
        Schema::get(mapping.kind.schema()).ok_or_else(|| whole("unknown schema".into()))?;
    // Property → column index: given, else a header named like the property.
    let mut cols: Vec<(String, usize)> = Vec::new();
    for (prop, col) in &mapping.columns {
        if schema.property(prop).is_none() {
            return Err(whole(format!("{} has no property {prop:?}", schema.name)));
        }
        let i = headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(col))
            .ok_or_else(|| {
                whole(format!(
                    "no column {col:?} (the header has: {})",
                    headers.join(", ")
                ))
            })?;
        cols.push((prop.clone(), i));
    }
    let ends: Vec<&str> = mapping
        .kind
        .ends()
        .map(|e| vec![e[0].0, e[1].0])
        .unwrap_or_default();
    for (i, h) in headers.iter().enumerate() {
        // A column named like a property maps to it; for entity-valued
        // properties other than a relationship's ends (matched by name),
        // the `{prop}_id` column the CSV export writes beside the names.
        let prop = schema.properties().into_iter().find(|p| {
            let is_ref = p.kind == dossier_model::PropType::Entity && !ends.contains(&p.name);
            if is_ref {
                h.eq_ignore_ascii_case(&format!("{}_id", p.name))
            } else {
                p.name.eq_ignore_ascii_case(h)
            }
        });
        if let Some(p) = prop.map(|p| p.name) {
            if !mapping.columns.contains_key(p) {
                cols.push((p.to_string(), i));
            }
        }
    }
    let source_col = match &mapping.source_column {
        Some(c) => Some(
            headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(c))
                .ok_or_else(|| whole(format!("no source column {c:?}")))?,
        ),
        None => None,
    };
    let required: Vec<&str> = match mapping.kind.ends() {
        Some(ends) => ends.iter().map(|e| e.0).collect(),
        None => vec!["name"],
    };
    for req in &required {
        if !cols.iter().any(|(p, _)| p == req) {
            return Err(whole(format!(
                "no column is mapped to {req:?}, which every row needs"
            )));
        }
    }
    let file_doc = mapping
        .source
        .clone()
        .unwrap_or_else(|| format!("file:{file}"));
    let file_hash = sha1_bytes_hex(bytes);
    let mut out = TableImport::default();
    let mut batches: BTreeMap<String, Batch> = BTreeMap::new();
    for (i, rec) in r.records().enumerate() {
        let line = i as u32 + 2;
        out.rows += 1;
        let reject = |out: &mut TableImport, column: usize, m: String| {
            out.rejected.push(Diagnostic::error(
                file,
                Pos::new(line, column as u32 + 1),
                m,
            ));
        };
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                reject(&mut out, 0, format!("not a CSV row: {e}"));
                continue;
            }
        };
        let source_key = source_col
            .and_then(|c| rec.get(c))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| file_doc.clone());
        match row_entities(mapping.kind, schema, &cols, &rec, matcher) {
            Ok(entities) => {
                let doc_id = stable_id("doc", &[&source_key]);
                let batch = batches.entry(doc_id.clone()).or_insert_with(|| {
                    let mut b = Batch::new(doc_id.clone(), format!("{file_hash}:{source_key}"));
                    let named = !source_key.starts_with("file:");
                    let is_url =
                        source_key.starts_with("http://") || source_key.starts_with("https://");
                    let source = SourceDoc {
                        key: Some(source_key.clone()),
                        url: is_url.then(|| source_key.clone()),
                        title: (named && !is_url).then(|| source_key.clone()),
                        ..SourceDoc::file(if named { source_key.as_str() } else { file })
                    };
                    if let Ok(d) = source.entity() {
                        let _ = b.put(d);
                    }
                    b
                });
                for e in entities {
                    if let Err(err) = batch.put(e) {
                        reject(&mut out, 0, err.to_string());
                    }
                }
            }
            Err((column, m)) => reject(&mut out, column, m),
        }
    }
    out.batches = batches.into_values().collect();
    Ok(out)
}

/// The entities of one row, or the column and reason it cannot be read.
fn row_entities(
    kind: RowKind,
    schema: &'static Schema,
    cols: &[(String, usize)],
    rec: &csv::StringRecord,
    matcher: &mut Matcher,
) -> Result<Vec<Entity>, (usize, String)> {
    let value = |prop: &str| -> Vec<(usize, String)> {
        cols.iter()
            .filter(|(p, _)| p == prop)
            .filter_map(|(_, c)| rec.get(*c).map(|v| (*c, v.trim().to_string())))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    };
    let mut out = Vec::new();
    let mut props: Vec<(String, usize, String)> = Vec::new();
    for (p, c) in cols {
        let Some(v) = rec.get(*c).map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        // Several values in one cell are separated by "; " (as the CSV
        // export writes them), except in long text.
        let long = schema
            .property(p)
            .is_some_and(|p| p.kind == dossier_model::PropType::Text);
        if long {
            props.push((p.clone(), *c, v.to_string()));
        } else {
            for part in v.split("; ").map(str::trim).filter(|x| !x.is_empty()) {
                props.push((p.clone(), *c, part.to_string()));
            }
        }
    }
    // The entity the row is about, or the relationship and its two ends.
    let (id, mut entity, ends) = match kind.ends() {
        None => {
            let (c, name) = value("name")
                .into_iter()
                .next()
                .ok_or((0, "the name is empty".to_string()))?;
            let party = if kind == RowKind::Person {
                Party::Person
            } else {
                Party::Organization
            };
            let acronym = value("abbreviation").into_iter().next().map(|a| a.1);
            let found = matcher
                .find(&name, acronym.as_deref(), party)
                .map(str::to_string);
            let prefix = if kind == RowKind::Person {
                "per"
            } else {
                "org"
            };
            let id = found.unwrap_or_else(|| stable_id(prefix, &[&name_key(&name)]));
            matcher.add_name(&id, schema.name, &name);
            if let Some(a) = &acronym {
                matcher.add_acronym(&id, schema.name, a);
            }
            let e = Entity::new(id.clone(), schema.name).map_err(|e| (c, e.to_string()))?;
            (id, e, Vec::new())
        }
        Some(end_props) => {
            let mut ends = Vec::new();
            let mut end_ids = Vec::new();
            for (prop, party) in end_props {
                let (c, name) = value(prop)
                    .into_iter()
                    .next()
                    .ok_or((0, format!("{prop} is empty")))?;
                let acronym = looks_like_acronym(&name).then(|| name.clone());
                let found = matcher
                    .find(&name, acronym.as_deref(), party)
                    .map(str::to_string);
                let end_schema = if party == Party::Person {
                    "Person"
                } else {
                    "Organization"
                };
                let id = match found {
                    Some(id) => id,
                    None => {
                        let prefix = if party == Party::Person { "per" } else { "org" };
                        let id = stable_id(prefix, &[&name_key(&name)]);
                        let mut e =
                            Entity::new(id.clone(), end_schema).map_err(|e| (c, e.to_string()))?;
                        let n = normalize(&name);
                        e.add(
                            "name",
                            Value {
                                value: n.value,
                                original: n.original,
                            },
                        )
                        .map_err(|e| (c, e.to_string()))?;
                        matcher.add_name(&id, end_schema, &name);
                        out.push(e);
                        id
                    }
                };
                end_ids.push(id.clone());
                ends.push((prop, id));
            }
            // A relationship is named by its ends, and for payments by date and amount too.
            let mut key: Vec<String> = end_ids.clone();
            if kind == RowKind::Payment {
                key.extend(value("date").into_iter().map(|v| v.1));
                key.extend(value("amount").into_iter().map(|v| v.1));
            }
            let parts: Vec<&str> = key.iter().map(String::as_str).collect();
            let id = stable_id(dossier_model::ids::prefix_for(schema.name), &parts);
            let e = Entity::new(id.clone(), schema.name).map_err(|e| (0, e.to_string()))?;
            (id, e, ends)
        }
    };
    let _ = id;
    for (prop, end) in ends {
        entity
            .add(prop, Value::from(end))
            .map_err(|e| (0, e.to_string()))?;
    }
    for (prop, c, raw) in props {
        if kind
            .ends()
            .is_some_and(|ends| ends.iter().any(|(p, _)| *p == prop))
        {
            continue;
        }
        let Some(p) = schema.property(&prop) else {
            continue;
        };
        let values: Vec<Value> = match p.kind {
            dossier_model::PropType::Date => {
                let d = raw
                    .parse::<PartialDate>()
                    .ok()
                    .or_else(|| PartialDate::parse_written(&raw))
                    .ok_or((c, format!("{prop}: {raw:?} is not a date")))?;
                vec![Value {
                    value: d.to_string(),
                    original: (d.to_string() != raw).then(|| raw.clone()),
                }]
            }
            dossier_model::PropType::Country => {
                let codes = country_codes(&raw);
                if codes.is_empty() {
                    return Err((c, format!("{prop}: {raw:?} is not a country")));
                }
                codes
                    .into_iter()
                    .map(|code| Value {
                        value: code,
                        original: Some(raw.clone()),
                    })
                    .collect()
            }
            dossier_model::PropType::Number => {
                let clean: String = raw
                    .chars()
                    .filter(|ch| !matches!(ch, ',' | ' ' | '\u{a0}'))
                    .collect();
                clean
                    .parse::<f64>()
                    .map_err(|_| (c, format!("{prop}: {raw:?} is not a number")))?;
                vec![Value {
                    value: clean,
                    original: Some(raw.clone()),
                }]
            }
            _ => {
                let n = normalize(&raw);
                vec![Value {
                    value: n.value,
                    original: n.original,
                }]
            }
        };
        for v in values {
            entity.add(&prop, v).map_err(|e| (c, e.to_string()))?;
        }
    }
    out.push(entity);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mapping() -> Mapping {
        Mapping {
            kind: RowKind::Payment,
            columns: [
                ("payer".to_string(), "From".to_string()),
                ("beneficiary".to_string(), "To".to_string()),
            ]
            .into_iter()
            .collect(),
            source_column: None,
            source: None,
        }
    }

    #[test]
    fn amounts_and_dates_are_checked_per_row() {
        let csv = "From,To,amount,date,currency\nFund A,Group B,\"1,200\",2021-03,EUR\nFund A,Group C,lots,2021,EUR\n";
        let got = import_csv(csv.as_bytes(), "p.csv", &mapping(), &mut Matcher::new()).unwrap();
        assert_eq!(got.rows, 2);
        assert_eq!(got.rejected.len(), 1);
        assert!(got.rejected[0]
            .to_string()
            .starts_with("p.csv:3:3: error: amount"));
        let pay = got.batches[0]
            .entities()
            .find(|e| e.schema.name == "Payment")
            .unwrap();
        assert_eq!(pay.first("amount"), Some("1200"));
        assert!(import_csv(b"Nope\nx\n", "q.csv", &mapping(), &mut Matcher::new()).is_err());
    }

    proptest! {
        #[test]
        fn no_bytes_make_it_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut head = b"From,To,amount,date,country\n".to_vec();
            head.extend_from_slice(&bytes);
            let _ = import_csv(&head, "f.csv", &mapping(), &mut Matcher::new());
            let _ = import_csv(&bytes, "f.csv", &mapping(), &mut Matcher::new());
            let _ = Mapping::parse(&String::from_utf8_lossy(&bytes), "m");
        }
    }
}
