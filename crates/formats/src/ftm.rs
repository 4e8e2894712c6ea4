//! FollowTheMoney entity JSON lines, in and out.
//!
//! Out: FtM schemata are written as they are; Dossier's claims become `Note`
//! (entity → subjects, description → text) or, when dated, `Event` (name,
//! date, involved → subjects and mentioned parties); quotations become
//! `Note`s on their speaker; every entity cites its sources in `proof`.
//! In: entities of every schema of FtM's model, every property kept.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;

use dossier_model::entity::check_value;
use dossier_model::{Entity, PropType, Schema, Value};
use serde::{Deserialize, Serialize};

use crate::{records, syntax, utf8, FormatError, Location};

/// One line of FtM entity JSON.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct WireEntity {
    pub(crate) id: String,
    pub(crate) schema: String,
    pub(crate) properties: BTreeMap<String, Vec<String>>,
}

/// An event's name: the start of the claim's text, cut at a word.
fn short_name(text: &str) -> String {
    const MAX: usize = 120;
    if text.chars().count() <= MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", &cut[..at])
}

fn props(e: &Entity) -> BTreeMap<String, Vec<String>> {
    e.properties
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.clone(), v.iter().map(|v| v.value.clone()).collect()))
        .collect()
}

fn put(
    map: &mut BTreeMap<String, Vec<String>>,
    prop: &str,
    values: impl IntoIterator<Item = String>,
) {
    let list = map.entry(prop.to_string()).or_default();
    for v in values {
        if !v.is_empty() && !list.contains(&v) {
            list.push(v);
        }
    }
    if list.is_empty() {
        map.remove(prop);
    }
}

/// The FtM form of one entity (claims and quotations mapped).
fn to_wire(e: &Entity, by_id: &HashMap<&str, &Entity>) -> WireEntity {
    let vals = |p: &str| e.values(p).map(str::to_string).collect::<Vec<_>>();
    let caption = |id: &str| by_id.get(id).map(|x| x.caption().to_string());
    let is_party = |id: &String| {
        by_id
            .get(id.as_str())
            .is_some_and(|x| x.schema.is_a("LegalEntity"))
    };
    match e.schema.name {
        "Claim" => {
            let mut p = BTreeMap::new();
            let text = vals("text");
            put(&mut p, "description", text.clone());
            let mut keywords = vals("topic");
            keywords.extend(vals("section"));
            keywords.extend(vals("kind").into_iter().map(|k| format!("claim:{k}")));
            put(&mut p, "keywords", keywords);
            put(&mut p, "proof", vals("source"));
            put(
                &mut p,
                "publisher",
                vals("assertedBy").iter().filter_map(|a| caption(a)),
            );
            let dated = e.first("eventDate").is_some();
            let schema = if dated {
                put(&mut p, "name", text.first().map(|t| short_name(t)));
                put(&mut p, "date", vals("eventDate"));
                let mut involved = vals("subject");
                involved.extend(vals("mentions"));
                put(&mut p, "involved", involved.into_iter().filter(is_party));
                "Event"
            } else {
                let mut about = vals("subject");
                about.extend(vals("mentions"));
                put(&mut p, "entity", about);
                "Note"
            };
            WireEntity {
                id: e.id.clone(),
                schema: schema.into(),
                properties: p,
            }
        }
        "Quotation" => {
            let mut p = BTreeMap::new();
            put(&mut p, "description", vals("text"));
            let mut about = vals("speaker");
            about.extend(vals("claim"));
            put(&mut p, "entity", about);
            put(&mut p, "keywords", ["quotation".to_string()]);
            let claim = e.first("claim").and_then(|c| by_id.get(c));
            put(
                &mut p,
                "proof",
                claim
                    .map(|c| c.values("source").map(str::to_string).collect::<Vec<_>>())
                    .unwrap_or_default(),
            );
            WireEntity {
                id: e.id.clone(),
                schema: "Note".into(),
                properties: p,
            }
        }
        // Where a quotation stands in its origin: a Documentation link from
        // the origin document to the quotation's Note, the exact text as summary.
        "Anchor" => {
            let mut p = BTreeMap::new();
            put(&mut p, "document", vals("document"));
            put(&mut p, "entity", vals("quotation"));
            put(&mut p, "role", ["quotation origin".to_string()]);
            put(&mut p, "summary", vals("exact"));
            // What the last check found, where and when, as `verify` recorded it.
            if let Some(verdict) = e.first("verdict") {
                let mut said = verdict.to_string();
                if let Some(copy) = e.first("checkedCopy") {
                    said.push_str(&format!(" against the archived copy sha256:{copy}"));
                }
                if let Some(how) = e.first("foundBy") {
                    said.push_str(&format!(", {how} search"));
                }
                if let Some(at) = e.first("checkedAt") {
                    said.push_str(&format!(", checked {at}"));
                }
                if let Some(d) = e.first("difference") {
                    said.push_str(&format!("; difference: {d}"));
                }
                if let Some(r) = e.first("refusal") {
                    said.push_str(&format!("; {r}"));
                }
                put(&mut p, "description", [said]);
            }
            WireEntity {
                id: e.id.clone(),
                schema: "Documentation".into(),
                properties: p,
            }
        }
        _ => WireEntity {
            id: e.id.clone(),
            schema: e.schema.name.to_string(),
            properties: props(e),
        },
    }
}

/// What an import writes into the `processingAgent` of the Document that
/// stands for an interchange file it read. Such a document is a conduit,
/// not a source: the FtM export cites it only for entities nothing else
/// sources, and leaves it out when nothing cites it, so export → import →
/// export gives the same entities.
pub const INTERCHANGE_AGENT: &str = "dossier import";

fn is_interchange(e: &Entity) -> bool {
    e.schema.is_a("Document") && e.values("processingAgent").any(|a| a == INTERCHANGE_AGENT)
}

/// The FtM form of entities, each citing in `proof` every source it came
/// from (`sources`: entity id → document ids) besides the proof it holds.
/// The second of each pair is the Dossier entity a wire entity stands for.
pub(crate) fn wire_entities<'e>(
    entities: &'e [Entity],
    sources: &BTreeMap<String, BTreeSet<String>>,
    mut f: impl FnMut(&WireEntity, &'e Entity) -> Result<(), FormatError>,
) -> Result<(), FormatError> {
    let by_id: HashMap<&str, &Entity> = entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let conduits: HashSet<&str> = entities
        .iter()
        .filter(|e| is_interchange(e))
        .map(|e| e.id.as_str())
        .collect();
    // The FtM form of an entity, its sources cited.
    let wire_of = |e: &Entity| -> WireEntity {
        let mut wire = to_wire(e, &by_id);
        // A schema without `proof` (Mention, Page, Similar) has no place
        // for its sources in FtM; the native and statements exports keep them.
        let has_proof = Schema::get(&wire.schema).is_some_and(|s| s.property("proof").is_some());
        if has_proof && !e.schema.is_a("Document") {
            let docs: Vec<&String> = sources
                .get(&e.id)
                .into_iter()
                .flatten()
                .filter(|d| {
                    by_id
                        .get(d.as_str())
                        .is_some_and(|d| d.schema.is_a("Document"))
                })
                .collect();
            let mut cite: Vec<String> = docs
                .iter()
                .filter(|d| !conduits.contains(d.as_str()))
                .map(|d| d.to_string())
                .collect();
            // An interchange file is cited only when nothing else is.
            if cite.is_empty() && !wire.properties.contains_key("proof") {
                cite = docs.iter().map(|d| d.to_string()).collect();
            }
            put(&mut wire.properties, "proof", cite);
        }
        wire
    };
    // Which interchange files something cites: only then are they written.
    // (A first pass only when the store holds any, so an export keeps one
    // entity's wire form in memory at a time.)
    let mut cited: HashSet<&str> = HashSet::new();
    if !conduits.is_empty() {
        for e in entities.iter().filter(|e| e.schema.name != "Judgement") {
            let wire = wire_of(e);
            let Some(schema) = Schema::get(&wire.schema) else {
                continue;
            };
            for (prop, values) in &wire.properties {
                if schema
                    .property(prop)
                    .is_some_and(|p| p.kind == PropType::Entity)
                {
                    cited.extend(values.iter().filter_map(|v| conduits.get(v.as_str())));
                }
            }
        }
    }
    for e in entities {
        // Judgements are the resolver's, kept apart as nomenklatura keeps them.
        if e.schema.name == "Judgement"
            || (conduits.contains(e.id.as_str()) && !cited.contains(e.id.as_str()))
        {
            continue;
        }
        f(&wire_of(e), e)?;
    }
    Ok(())
}

/// Writes entities as FtM JSON lines, each citing every source it came
/// from in `proof` (`sources`: entity id → document ids). Returns the
/// number of lines written.
pub fn write(
    out: &mut dyn Write,
    entities: &[Entity],
    sources: &BTreeMap<String, BTreeSet<String>>,
) -> Result<usize, FormatError> {
    let mut n = 0;
    wire_entities(entities, sources, |w, _| {
        serde_json::to_writer(&mut *out, w).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// FtM entities read from a file, and what was left out of them.
#[derive(Debug, Default)]
pub struct Read {
    pub entities: Vec<Entity>,
    /// Values the format has no place for, dropped (Popolo): what and where.
    pub dropped: Vec<String>,
    /// Properties FtM's model does not have, kept as they came:
    /// `(line, "schema.prop")`.
    pub unknown: Vec<(usize, String)>,
    /// For a statements CSV: the dataset of each entity of `entities` (the
    /// same id may come once a dataset); empty for the other formats.
    pub datasets: Vec<String>,
    /// Entities of schemata Dossier's model does not hold yet, left out:
    /// `(line, schema, id)`. The rest of the file imports.
    pub skipped: Vec<(usize, String, String)>,
}

/// Reads FtM entity JSON lines (or a JSON array of entities, or a delta
/// file). An entity of a schema outside FtM's model is left out and
/// reported in [`Read::skipped`] with its line, and the rest imports; an
/// invalid value is an error with its line; a property outside the model
/// is kept as it came and reported in [`Read::unknown`]. Lines with the
/// same id are merged.
pub fn read(bytes: &[u8]) -> Result<Read, FormatError> {
    let text = utf8(bytes)?;
    let mut out = Read::default();
    // Which entity each id is, by foldhash (std's SipHash was a tenth of
    // reading a large file).
    let records = entity_records(text)?;
    let mut index: hashbrown::HashMap<String, usize> =
        hashbrown::HashMap::with_capacity(records.len());
    for (&(line, _), parsed) in records.iter().zip(parse_all(&records)) {
        let (entity, unknown) = match parsed? {
            Parsed::Entity(entity, unknown) => (entity, unknown),
            Parsed::Skipped(schema, id) => {
                out.skipped.push((line, schema, id));
                continue;
            }
        };
        out.unknown
            .extend(unknown.into_iter().map(|prop| (line, prop)));
        match index.get(&entity.id) {
            Some(&i) => out.entities[i]
                .merge(&entity)
                .map_err(|e| FormatError::Invalid {
                    at: Location { line, column: 1 },
                    message: e.to_string(),
                })?,
            None => {
                index.insert(entity.id.clone(), out.entities.len());
                out.entities.push(entity);
            }
        }
    }
    if out.entities.is_empty() {
        // Only entities left out: said as such, not as an empty file.
        if let Some((line, schema, _)) = out.skipped.first() {
            return Err(FormatError::Invalid {
                at: Location {
                    line: *line,
                    column: 1,
                },
                message: format!(
                    "schema {schema:?} is not in FtM's model, and the file holds nothing else ({} left out)",
                    out.skipped.len()
                ),
            });
        }
        return Err(FormatError::Empty);
    }
    Ok(out)
}

/// One record of an FtM file, read on its own.
enum Parsed {
    /// The entity, and its properties outside FtM's model (`schema.prop`).
    Entity(Entity, Vec<String>),
    /// Left out: a schema Dossier's model does not hold (its name and the
    /// entity's id), or a deletion in a delta file (`"deletion"`).
    Skipped(String, String),
}

/// Parses every record, in order, on every core (at most four), each
/// thread a share of the file: a record is read on its own, and only the
/// merging of lines with the same id (in [`read`]) needs the file's
/// order. A thread stops at its first error, which is all a caller reads
/// of what follows it.
fn parse_all(records: &[(usize, &str)]) -> Vec<Result<Parsed, FormatError>> {
    fn part(records: &[(usize, &str)]) -> Vec<Result<Parsed, FormatError>> {
        let mut out = Vec::with_capacity(records.len());
        for &(line, record) in records {
            let parsed = parse_record(line, record);
            let failed = parsed.is_err();
            out.push(parsed);
            if failed {
                break;
            }
        }
        out
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    // Below this many records a thread costs more than it saves.
    if threads == 1 || records.len() < 2_000 {
        return part(records);
    }
    std::thread::scope(|scope| {
        let parts: Vec<_> = records
            .chunks(records.len().div_ceil(threads))
            .map(|share| scope.spawn(move || part(share)))
            .collect();
        let mut out = Vec::with_capacity(records.len());
        for handle in parts {
            let parsed = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let failed = parsed.last().is_some_and(Result::is_err);
            out.extend(parsed);
            if failed {
                break;
            }
        }
        out
    })
}

/// One record: an entity (its values checked), or what is left out.
fn parse_record(line: usize, record: &str) -> Result<Parsed, FormatError> {
    let wire: WireEntity = match delta_entity(record) {
        Delta::Entity(Some(inner)) => {
            serde_json::from_str(inner.get()).map_err(|e| syntax(line, &e))?
        }
        Delta::Entity(None) => serde_json::from_str(record).map_err(|e| syntax(line, &e))?,
        Delta::Deleted(id) => return Ok(Parsed::Skipped("deletion".into(), id)),
    };
    let at = Location { line, column: 1 };
    let invalid = |message: String| FormatError::Invalid {
        at: at.clone(),
        message,
    };
    let Some(schema) = Schema::get(&wire.schema) else {
        return Ok(Parsed::Skipped(wire.schema, wire.id));
    };
    if wire.id.is_empty() || wire.id.chars().any(char::is_whitespace) || wire.id.len() > 255 {
        return Err(invalid(format!(
            "entity id {:?} must be 1–255 characters without spaces",
            wire.id.chars().take(40).collect::<String>()
        )));
    }
    let mut entity =
        Entity::new(wire.id.clone(), schema.name).map_err(|e| invalid(e.to_string()))?;
    let mut unknown = Vec::new();
    for (prop, values) in wire.properties {
        let Some(p) = schema.property(&prop) else {
            for v in values {
                entity
                    .keep_unknown(&prop, Value::from(v.trim().to_string()))
                    .map_err(|e| invalid(e.to_string()))?;
            }
            unknown.push(format!("{}.{prop}", schema.name));
            continue;
        };
        for v in values {
            let v = v.trim().to_string();
            if v.is_empty() {
                continue;
            }
            check_value(p.kind, &prop, &v).map_err(|e| invalid(e.to_string()))?;
            entity
                .add(&prop, Value::from(v))
                .map_err(|e| invalid(e.to_string()))?;
        }
    }
    Ok(Parsed::Entity(entity, unknown))
}

/// The entity records of a file, each with its line: JSON lines, or the
/// elements of one JSON array (`[{…}, {…}]`), as FtM tools write both.
fn entity_records(text: &str) -> Result<Vec<(usize, &str)>, FormatError> {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        return Ok(records(text).collect());
    }
    let items: Vec<&serde_json::value::RawValue> =
        serde_json::from_str(text).map_err(|e| syntax(e.line(), &e))?;
    Ok(items
        .into_iter()
        .map(|raw| {
            let s = raw.get();
            // Its line: where its text starts in the file.
            let at = s.as_ptr() as usize - text.as_ptr() as usize;
            let line = text[..at].bytes().filter(|b| *b == b'\n').count() + 1;
            (line, s)
        })
        .collect())
}

/// What a line of an FtM delta file (`{"op": …, "entity": {…}}`, as
/// followthemoney's aggregation writes them) holds.
enum Delta<'a> {
    /// An entity, inside an operation (or `None`: the record is the entity).
    Entity(Option<&'a serde_json::value::RawValue>),
    /// An entity taken away (`op: DEL`): nothing to import.
    Deleted(String),
}

fn delta_entity(record: &str) -> Delta<'_> {
    #[derive(Deserialize)]
    struct Op<'a> {
        op: String,
        #[serde(borrow)]
        entity: Option<&'a serde_json::value::RawValue>,
        #[serde(default)]
        id: Option<String>,
    }
    // A record that names no `op` key (written plainly or escaped) is an
    // entity: most are, and reading one as an operation first was a
    // second pass over every line.
    if !record.contains("\"op\"") && !record.contains("\\u") {
        return Delta::Entity(None);
    }
    match serde_json::from_str::<Op<'_>>(record) {
        Ok(op) if op.op.eq_ignore_ascii_case("DEL") => {
            let id = op
                .entity
                .and_then(|e| serde_json::from_str::<WireEntity>(e.get()).ok())
                .map(|e| e.id)
                .or(op.id)
                .unwrap_or_default();
            Delta::Deleted(id)
        }
        Ok(op) if op.entity.is_some() => Delta::Entity(op.entity),
        _ => Delta::Entity(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file large enough to be read on several threads reads as one read
    /// in order would: lines with the same id merged across the threads'
    /// shares, what is left out and unknown in line order, and of two bad
    /// lines the first reported, wherever each share ends.
    #[test]
    fn a_large_file_reads_as_one_read_in_order() {
        let n = 5_000;
        let mut lines: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"id":"o{}","schema":"Organization","properties":{{"name":["N{i}"]}}}}"#,
                    i % (n / 2)
                )
            })
            .collect();
        lines[10] = r#"{"id":"x1","schema":"Spaceship","properties":{}}"#.into();
        lines[4_000] = r#"{"id":"o7","schema":"Organization","properties":{"wings":["2"]}}"#.into();
        lines[4_500] =
            r#"{"op":"DEL","entity":{"id":"o8","schema":"Organization","properties":{}}}"#.into();
        let r = read(lines.join("\n").as_bytes()).unwrap();
        let names = |i: usize| r.entities[i].values("name").collect::<Vec<_>>();
        assert_eq!(r.entities.len(), n / 2);
        assert_eq!(r.entities[0].id, "o0");
        assert_eq!(names(3), ["N3", "N2503"]);
        assert_eq!(names(7), ["N7", "N2507"], "line 4,001 adds only wings");
        // Line 11 was o10's first: o10 comes from its second, after the rest.
        assert_eq!(r.entities[n / 2 - 1].id, "o10");
        assert_eq!(r.unknown, [(4_001, "Organization.wings".to_string())]);
        assert_eq!(
            r.skipped,
            [
                (11, "Spaceship".to_string(), "x1".to_string()),
                (4_501, "deletion".to_string(), "o8".to_string())
            ]
        );
        // Two bad lines, in different shares: the first is the one said.
        lines[4_900] = "{broken".into();
        lines[100] = "{not json".into();
        let e = read(lines.join("\n").as_bytes()).unwrap_err().to_string();
        assert!(e.contains("101"), "{e}");
    }

    #[test]
    fn arrays_and_delta_files_are_entities_too() {
        let array = b"[\n {\"id\":\"o1\",\"schema\":\"Organization\",\"properties\":{\"name\":[\"A\"]}},\n {\"id\":\"o2\",\"schema\":\"Spaceship\",\"properties\":{}}\n]";
        let r = read(array).unwrap();
        assert_eq!(r.entities.len(), 1);
        assert_eq!(r.skipped, [(3, "Spaceship".to_string(), "o2".to_string())]);
        assert_eq!(crate::detect(array), Some(crate::Format::Ftm));
        let delta = concat!(
            r#"{"op":"ADD","entity":{"id":"o1","schema":"Organization","properties":{"name":["A"]}}}"#,
            "\n",
            r#"{"op":"MOD","entity":{"id":"o1","schema":"Organization","properties":{"alias":["Ay"]}}}"#,
            "\n",
            r#"{"op":"DEL","entity":{"id":"o9","schema":"Organization","properties":{}}}"#,
            "\n",
        );
        assert_eq!(crate::detect(delta.as_bytes()), Some(crate::Format::Ftm));
        let r = read(delta.as_bytes()).unwrap();
        assert_eq!(r.entities.len(), 1);
        assert_eq!(r.entities[0].first("alias"), Some("Ay"));
        assert_eq!(r.skipped, [(3, "deletion".to_string(), "o9".to_string())]);
    }

    fn entity(id: &str, schema: &str, props: &[(&str, &str)]) -> Entity {
        let mut e = Entity::new(id, schema).unwrap();
        for (p, v) in props {
            e.add(p, *v).unwrap();
        }
        e
    }

    #[test]
    fn claims_become_notes_and_events() {
        let entities = vec![
            entity("doc-1", "Document", &[("fileName", "a.txt")]),
            entity("org-1", "Organization", &[("name", "A")]),
            entity(
                "clm-1",
                "Claim",
                &[
                    ("kind", "fact"),
                    ("text", "A did it in 2020."),
                    ("subject", "org-1"),
                    ("eventDate", "2020"),
                    ("source", "doc-1"),
                ],
            ),
            entity(
                "clm-2",
                "Claim",
                &[
                    ("kind", "assessment"),
                    ("text", "A is bad."),
                    ("subject", "org-1"),
                    ("topic", "Advocacy"),
                    ("source", "doc-1"),
                ],
            ),
            entity(
                "quo-1",
                "Quotation",
                &[("claim", "clm-1"), ("text", "did it"), ("speaker", "org-1")],
            ),
        ];
        let mut sources = BTreeMap::new();
        for e in &entities {
            sources.insert(e.id.clone(), BTreeSet::from(["doc-1".to_string()]));
        }
        let mut buf = Vec::new();
        let n = write(&mut buf, &entities, &sources).unwrap();
        let lines: Vec<serde_json::Value> = String::from_utf8(buf)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(n, lines.len());
        let find = |id: &str| lines.iter().find(|l| l["id"] == id).unwrap();
        assert_eq!(find("clm-1")["schema"], "Event");
        assert_eq!(find("clm-1")["properties"]["involved"][0], "org-1");
        assert_eq!(find("clm-2")["schema"], "Note");
        assert_eq!(find("clm-2")["properties"]["entity"][0], "org-1");
        assert_eq!(find("clm-2")["properties"]["keywords"][0], "Advocacy");
        assert_eq!(find("quo-1")["schema"], "Note");
        assert_eq!(
            n,
            entities.len(),
            "sources are cited, not added as entities"
        );
        for id in ["org-1", "clm-1", "clm-2", "quo-1"] {
            assert_eq!(find(id)["properties"]["proof"][0], "doc-1", "{id}");
        }
        assert!(find("doc-1")["properties"].get("proof").is_none());
    }

    #[test]
    fn an_interchange_file_is_cited_only_when_nothing_else_is() {
        let mut file = entity("doc-f", "Document", &[("fileName", "in.json")]);
        file.add("processingAgent", INTERCHANGE_AGENT).unwrap();
        let entities = vec![
            entity("doc-1", "Document", &[("fileName", "a.txt")]),
            file,
            entity(
                "org-1",
                "Organization",
                &[("name", "A"), ("proof", "doc-1")],
            ),
            entity("org-2", "Organization", &[("name", "B")]),
        ];
        let both = BTreeSet::from(["doc-f".to_string()]);
        let sources = BTreeMap::from([
            ("org-1".to_string(), both.clone()),
            ("org-2".to_string(), both),
        ]);
        let mut buf = Vec::new();
        write(&mut buf, &entities, &sources).unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert!(text.contains(r#""id":"org-1","schema":"Organization","properties":{"name":["A"],"proof":["doc-1"]}"#), "{text}");
        assert!(text.contains(r#""name":["B"],"proof":["doc-f"]"#), "{text}");
        assert!(text.contains(r#""id":"doc-f""#), "cited by org-2: {text}");
        // Uncited, the interchange file is left out.
        let mut buf = Vec::new();
        write(&mut buf, &entities[..3], &sources).unwrap();
        assert!(!String::from_utf8(buf).unwrap().contains("doc-f"));
    }

    #[test]
    fn read_checks_values_and_keeps_unknown_properties() {
        let ok = br#"{"id":"o1","schema":"Organization","properties":{"name":["A"],"country":["us"],"opencorporatesUrl":["x"],"localFlavour":["y"]}}
{"id":"o1","schema":"PublicBody","properties":{"alias":["B"],"createdAt":["2024-01-02T03:04:05"],"jurisdiction":["gb-sct"]}}"#;
        let r = read(ok).unwrap();
        assert_eq!(r.entities.len(), 1);
        let e = &r.entities[0];
        assert_eq!(e.schema.name, "PublicBody");
        assert_eq!(e.first("opencorporatesUrl"), Some("x"));
        assert_eq!(e.first("localFlavour"), Some("y"));
        assert_eq!(e.first("createdAt"), Some("2024-01-02T03:04:05"));
        assert_eq!(
            r.unknown,
            vec![(1, "Organization.localFlavour".to_string())]
        );
        assert_eq!(e.unknown_properties().collect::<Vec<_>>(), ["localFlavour"]);
        let bad =
            br#"{"id":"o1","schema":"Organization","properties":{"country":["United States"]}}"#;
        assert!(read(bad).unwrap_err().to_string().starts_with("1:1:"));
        let bad = br#"{"id":"o1","schema":"Spaceship","properties":{}}"#;
        assert!(read(bad).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = read(&bytes);
        }
    }
}
