//! Popolo JSON (persons, organizations, memberships, with sources), in and
//! out. Organizations that are members of organizations are written as
//! Popolo does it, `member: {"@type": "Organization", "id": …}`; employment
//! and board seats are memberships with a role and Dossier's schema kept in
//! `dossier_schema`, so a round trip gives the same relationships.

use std::collections::BTreeMap;
use std::io::Write;

use dossier_model::{Entity, Value};
use serde::{Deserialize, Serialize};

use crate::ftm::Read;
use crate::{FormatError, Location};

#[derive(Debug, Default, Serialize, Deserialize)]
struct Popolo {
    #[serde(default)]
    persons: Vec<Agent>,
    #[serde(default)]
    organizations: Vec<Agent>,
    #[serde(default)]
    memberships: Vec<Membership>,
    /// What else the file holds (`posts`, `areas`, `events`, …): reported,
    /// since the model has no place for it.
    #[serde(flatten, skip_serializing)]
    other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Name {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Source {
    #[serde(default)]
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// An identifier in another scheme (`wikidata`, a register's number).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Identifier {
    #[serde(default)]
    scheme: String,
    #[serde(default)]
    identifier: String,
}

/// A way to reach someone: `email`, `phone`, `twitter`, …
#[derive(Debug, Default, Serialize, Deserialize)]
struct Contact {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    value: String,
}

/// A page about someone.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Link {
    #[serde(default)]
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// A person or an organization, with the fields Popolo gives them that
/// have a place in the model; any other field is read and reported.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Agent {
    id: String,
    name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    other_names: Vec<Name>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    classification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    country: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    identifiers: Vec<Identifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gender: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    given_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    family_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    biography: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    founding_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dissolution_date: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    contact_details: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<Source>,
    /// Fields with no place in the model (`death_date`, `image`, …).
    #[serde(flatten, skip_serializing)]
    other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct MemberRef {
    #[serde(rename = "@type")]
    kind: String,
    id: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Membership {
    /// Optional in Popolo: one is made from what the membership says.
    #[serde(default)]
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    person_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    member: Option<MemberRef>,
    organization_id: String,
    /// The party a legislator sits for: a membership of the party too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on_behalf_of_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dossier_schema: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<Source>,
    /// Fields with no place in the model (`post_id`, `area_id`, …).
    #[serde(flatten, skip_serializing)]
    other: BTreeMap<String, serde_json::Value>,
}

/// A source document as Popolo cites it: its address (else its id) and title.
#[derive(Debug, Clone)]
pub struct SourceRef {
    pub url: String,
    pub title: String,
}

/// Writes persons, organizations (public bodies too) and their memberships,
/// employments and board seats. `sources`: entity id → the documents its
/// statements came from. Returns (persons, organizations, memberships).
pub fn write(
    out: &mut dyn Write,
    entities: &[Entity],
    sources: &BTreeMap<String, Vec<SourceRef>>,
) -> Result<(usize, usize, usize), FormatError> {
    let cite = |id: &str| -> Vec<Source> {
        sources
            .get(id)
            .into_iter()
            .flatten()
            .map(|s| Source {
                url: s.url.clone(),
                note: Some(s.title.clone()).filter(|t| !t.is_empty()),
            })
            .collect()
    };
    let agent = |e: &Entity| Agent {
        id: e.id.clone(),
        name: e.caption().to_string(),
        other_names: ["alias", "abbreviation", "previousName", "weakAlias"]
            .iter()
            .flat_map(|p| {
                e.values(p).map(move |v| Name {
                    name: v.to_string(),
                    note: Some(p.to_string()),
                })
            })
            .collect(),
        classification: e
            .schema
            .is_a("Organization")
            .then(|| e.schema.name.to_string()),
        summary: e.first("summary").map(str::to_string),
        country: e.first("country").map(str::to_string),
        identifiers: e
            .values("wikidataId")
            .map(|v| Identifier {
                scheme: "wikidata".into(),
                identifier: v.to_string(),
            })
            .chain(e.values("idNumber").map(|v| Identifier {
                scheme: "id".into(),
                identifier: v.to_string(),
            }))
            .collect(),
        email: e.first("email").map(str::to_string),
        gender: e.first("gender").map(str::to_string),
        birth_date: e.first("birthDate").map(str::to_string),
        given_name: e.first("firstName").map(str::to_string),
        family_name: e.first("lastName").map(str::to_string),
        biography: e.first("biography").map(str::to_string),
        founding_date: e.first("incorporationDate").map(str::to_string),
        dissolution_date: e.first("dissolutionDate").map(str::to_string),
        contact_details: e
            .values("phone")
            .map(|v| Contact {
                kind: "phone".into(),
                value: v.to_string(),
            })
            .collect(),
        links: e
            .values("website")
            .map(|v| Link {
                url: v.to_string(),
                note: Some("website".into()),
            })
            .collect(),
        sources: cite(&e.id),
        other: BTreeMap::new(),
    };
    let mut doc = Popolo::default();
    let kinds: BTreeMap<&str, &str> = entities
        .iter()
        .map(|e| (e.id.as_str(), e.schema.name))
        .collect();
    for e in entities {
        if e.schema.name == "Person" {
            doc.persons.push(agent(e));
        } else if e.schema.is_a("Organization") {
            doc.organizations.push(agent(e));
        } else if let Some((member_prop, org_prop)) = match e.schema.name {
            "Membership" => Some(("member", "organization")),
            "Employment" => Some(("employee", "employer")),
            "Directorship" => Some(("director", "organization")),
            _ => None,
        } {
            let (Some(m), Some(o)) = (e.first(member_prop), e.first(org_prop)) else {
                continue;
            };
            let is_person = kinds.get(m) == Some(&"Person");
            doc.memberships.push(Membership {
                id: e.id.clone(),
                person_id: is_person.then(|| m.to_string()),
                member: (!is_person).then(|| MemberRef {
                    kind: "Organization".into(),
                    id: m.to_string(),
                }),
                organization_id: o.to_string(),
                role: e.first("role").map(str::to_string),
                start_date: e.first("startDate").map(str::to_string),
                end_date: e.first("endDate").map(str::to_string),
                dossier_schema: (e.schema.name != "Membership").then(|| e.schema.name.to_string()),
                sources: cite(&e.id),
                on_behalf_of_id: None,
                other: BTreeMap::new(),
            });
        }
    }
    let counts = (
        doc.persons.len(),
        doc.organizations.len(),
        doc.memberships.len(),
    );
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    Ok(counts)
}

/// An id FtM keeps: Popolo ids may be any string (`party/ford_kenya`,
/// `Jane Doe`); FtM's are 1–200 of `A–Z a–z 0–9 . -`, starting and ending
/// with a letter or digit. One that is not becomes a readable slug with a
/// hash of the original, the same wherever it is referred to.
fn ftm_id(raw: &str) -> String {
    let fits = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let ends = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if raw.len() <= 200
        && raw.chars().all(fits)
        && ends(raw.chars().next())
        && ends(raw.chars().last())
    {
        return raw.to_string();
    }
    let mut slug = String::new();
    for c in raw.chars().take(80) {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if !(c == '-' && slug.ends_with('-')) {
            slug.push(c);
        }
    }
    let slug = slug.trim_matches('-');
    let hash = &dossier_model::ids::sha1_hex(raw)[..10];
    if slug.is_empty() {
        format!("popolo-{hash}")
    } else {
        format!("{slug}-{hash}")
    }
}

/// Reads Popolo JSON into entities, as published: ids of any form (made
/// FtM ids, the same wherever they are referred to), membership ids
/// optional, every field that has a place in the model kept (birth dates,
/// gender, given and family names, e-mail and phone, Wikidata and other
/// identifiers, websites and Wikipedia pages, founding dates, a
/// legislator's party as a membership of it). A field with no place, or a
/// value the model does not take, is reported in [`Read::dropped`], never
/// lost silently. Names are checked as the model checks them; a membership
/// naming no member is an error.
pub fn read(bytes: &[u8]) -> Result<Read, FormatError> {
    let text = crate::utf8(bytes)?;
    let doc: Popolo = serde_json::from_str(text).map_err(|e| FormatError::Syntax {
        at: Location {
            line: e.line(),
            column: e.column(),
        },
        message: format!("not Popolo JSON: {e}"),
    })?;
    let at = Location { line: 1, column: 1 };
    let invalid = |what: &str, m: String| FormatError::Invalid {
        at: at.clone(),
        message: format!("{what}: {m}"),
    };
    let mut out = Read::default();
    // A value the model refuses is reported, and the rest of the entity kept.
    let put = |e: &mut Entity, what: &str, prop: &str, v: &str, dropped: &mut Vec<String>| {
        let v = v.trim();
        if v.is_empty() {
            return;
        }
        if let Err(err) = e.add(prop, Value::from(v)) {
            dropped.push(format!("{what}: {prop} {err}"));
        }
    };
    let agent =
        |a: &Agent, schema: &str, dropped: &mut Vec<String>| -> Result<Entity, FormatError> {
            let what = format!("{schema} {}", a.id);
            let bad = |e: dossier_model::ModelError| invalid(&what, e.to_string());
            if a.id.trim().is_empty() {
                return Err(invalid(&what, "an id is needed".into()));
            }
            let mut e = Entity::new(ftm_id(&a.id), schema).map_err(bad)?;
            e.add("name", Value::from(dossier_model::text::normalize(&a.name)))
                .map_err(bad)?;
            for n in &a.other_names {
                let prop = n
                    .note
                    .as_deref()
                    .filter(|p| ["abbreviation", "previousName", "weakAlias"].contains(p))
                    .unwrap_or("alias");
                if !n.name.trim().is_empty() {
                    e.add(prop, Value::from(dossier_model::text::normalize(&n.name)))
                        .map_err(bad)?;
                }
            }
            let person = schema == "Person";
            let fields: [(&str, &Option<String>, bool); 9] = [
                ("summary", &a.summary, true),
                ("country", &a.country, true),
                ("email", &a.email, true),
                ("gender", &a.gender, person),
                ("birthDate", &a.birth_date, person),
                ("firstName", &a.given_name, person),
                ("lastName", &a.family_name, person),
                ("biography", &a.biography, person),
                ("incorporationDate", &a.founding_date, !person),
            ];
            for (prop, v, fits) in fields {
                match (v, fits) {
                    (Some(v), true) => put(&mut e, &what, prop, v, dropped),
                    (Some(_), false) => {
                        dropped.push(format!("{what}: {prop} has no place on a {schema}"))
                    }
                    (None, _) => {}
                }
            }
            if let Some(d) = &a.dissolution_date {
                put(&mut e, &what, "dissolutionDate", d, dropped);
            }
            if let Some(c) = a.classification.as_deref().filter(|c| *c != schema) {
                put(&mut e, &what, "classification", c, dropped);
            }
            for id in &a.identifiers {
                let prop = match id.scheme.to_ascii_lowercase().as_str() {
                    "wikidata" => "wikidataId",
                    _ => "idNumber",
                };
                put(&mut e, &what, prop, &id.identifier, dropped);
            }
            for c in &a.contact_details {
                match c.kind.to_ascii_lowercase().as_str() {
                    "email" => put(&mut e, &what, "email", &c.value, dropped),
                    "phone" | "cell" | "voice" | "mobile" | "fax" => {
                        put(&mut e, &what, "phone", &c.value, dropped)
                    }
                    other => dropped.push(format!("{what}: contact {other} has no place")),
                }
            }
            for l in &a.links {
                let prop = if l.url.contains("wikipedia.org/") {
                    "wikipediaUrl"
                } else {
                    "website"
                };
                put(&mut e, &what, prop, &l.url, dropped);
            }
            for s in &a.sources {
                if s.url.starts_with("http://") || s.url.starts_with("https://") {
                    put(&mut e, &what, "sourceUrl", &s.url, dropped);
                }
            }
            for key in a.other.keys() {
                dropped.push(format!("{what}: {key} has no place in the model"));
            }
            Ok(e)
        };
    let mut dropped = Vec::new();
    for (key, v) in &doc.other {
        let n = v.as_array().map_or(1, Vec::len);
        let records = if n == 1 { "record" } else { "records" };
        dropped.push(format!("{key} ({n} {records}) has no place in the model"));
    }
    for p in &doc.persons {
        out.entities.push(agent(p, "Person", &mut dropped)?);
    }
    for o in &doc.organizations {
        let schema = match o.classification.as_deref() {
            Some("PublicBody") => "PublicBody",
            _ => "Organization",
        };
        out.entities.push(agent(o, schema, &mut dropped)?);
    }
    for m in &doc.memberships {
        let member = m
            .person_id
            .clone()
            .or_else(|| m.member.as_ref().map(|r| r.id.clone()))
            .filter(|id| !id.trim().is_empty());
        let id = match m.id.trim() {
            "" => dossier_model::ids::stable_id(
                "mem",
                &[
                    member.as_deref().unwrap_or(""),
                    &m.organization_id,
                    m.role.as_deref().unwrap_or(""),
                    m.start_date.as_deref().unwrap_or(""),
                    m.end_date.as_deref().unwrap_or(""),
                ],
            ),
            given => ftm_id(given),
        };
        let what = format!("membership {id}");
        let bad = |e: dossier_model::ModelError| invalid(&what, e.to_string());
        let member =
            member.ok_or_else(|| invalid(&what, "names no member (person_id or member)".into()))?;
        let (schema, from, to) = match m.dossier_schema.as_deref() {
            Some("Employment") => ("Employment", "employee", "employer"),
            Some("Directorship") => ("Directorship", "director", "organization"),
            _ => ("Membership", "member", "organization"),
        };
        let mut e = Entity::new(id.clone(), schema).map_err(bad)?;
        e.add(from, Value::from(ftm_id(&member))).map_err(bad)?;
        e.add(to, Value::from(ftm_id(&m.organization_id)))
            .map_err(bad)?;
        if let Some(r) = m.role.as_deref() {
            put(&mut e, &what, "role", r, &mut dropped);
        }
        for (prop, v) in [("startDate", &m.start_date), ("endDate", &m.end_date)] {
            if let Some(d) = v.as_deref() {
                put(&mut e, &what, prop, d, &mut dropped);
            }
        }
        for key in m.other.keys() {
            dropped.push(format!("{what}: {key} has no place in the model"));
        }
        // Sitting for a party: a membership of the party too, as long.
        if let Some(party) = m
            .on_behalf_of_id
            .as_deref()
            .filter(|p| !p.trim().is_empty())
        {
            let party = ftm_id(party);
            let mut p = Entity::new(
                dossier_model::ids::stable_id("mem", &[&id, "on behalf of", &party]),
                "Membership",
            )
            .map_err(bad)?;
            p.add("member", Value::from(ftm_id(&member))).map_err(bad)?;
            p.add("organization", Value::from(party.as_str()))
                .map_err(bad)?;
            for (prop, v) in [("startDate", &m.start_date), ("endDate", &m.end_date)] {
                if let Some(d) = v.as_deref() {
                    put(&mut p, &what, prop, d, &mut dropped);
                }
            }
            out.entities.push(p);
        }
        out.entities.push(e);
    }
    if out.entities.is_empty() {
        return Err(FormatError::Empty);
    }
    // The same id twice (a party membership over several terms): one entity.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut merged: Vec<Entity> = Vec::new();
    for e in out.entities.drain(..) {
        match seen.get(&e.id) {
            Some(&k) => {
                let _ = merged[k].merge(&e);
            }
            None => {
                seen.insert(e.id.clone(), merged.len());
                merged.push(e);
            }
        }
    }
    out.entities = merged;
    out.dropped = dropped;
    Ok(out)
}

/// Whether bytes look like Popolo JSON.
pub fn looks_like(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let t = head.trim_start();
    t.starts_with('{')
        && ["\"persons\"", "\"organizations\"", "\"memberships\""]
            .iter()
            .any(|k| t.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn readers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = read(&bytes);
            let _ = crate::statements::read_csv(&bytes);
            let mut csv = b"canonical_id,entity_id,prop,schema,value\n".to_vec();
            csv.extend_from_slice(&bytes);
            let _ = crate::statements::read_csv(&csv);
        }
    }

    #[test]
    fn a_membership_without_a_member_is_an_error() {
        let doc = br#"{"organizations":[{"id":"o1","name":"A"}],"memberships":[{"id":"m1","organization_id":"o1"}]}"#;
        assert!(read(doc)
            .unwrap_err()
            .to_string()
            .contains("names no member"));
    }
}
