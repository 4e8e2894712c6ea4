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
    sources: Vec<Source>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct MemberRef {
    #[serde(rename = "@type")]
    kind: String,
    id: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Membership {
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    person_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    member: Option<MemberRef>,
    organization_id: String,
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
        sources: cite(&e.id),
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

/// Reads Popolo JSON into entities. Names and dates are checked as the
/// model checks them; a membership naming no member is an error.
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
    let agent = |a: &Agent, schema: &str| -> Result<Entity, FormatError> {
        let what = format!("{schema} {}", a.id);
        let bad = |e: dossier_model::ModelError| invalid(&what, e.to_string());
        if a.id.is_empty() || a.id.chars().any(char::is_whitespace) || a.id.len() > 255 {
            return Err(invalid(
                &what,
                "an id is 1–255 characters without spaces".into(),
            ));
        }
        let mut e = Entity::new(a.id.clone(), schema).map_err(bad)?;
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
        if let Some(s) = a.summary.as_deref().filter(|s| !s.is_empty()) {
            e.add("summary", Value::from(s)).map_err(bad)?;
        }
        if let Some(c) = a.country.as_deref().filter(|s| !s.is_empty()) {
            e.add("country", Value::from(c)).map_err(bad)?;
        }
        for s in &a.sources {
            if s.url.starts_with("http://") || s.url.starts_with("https://") {
                e.add("sourceUrl", Value::from(s.url.as_str()))
                    .map_err(bad)?;
            }
        }
        Ok(e)
    };
    for p in &doc.persons {
        out.entities.push(agent(p, "Person")?);
    }
    for o in &doc.organizations {
        let schema = match o.classification.as_deref() {
            Some("PublicBody") => "PublicBody",
            _ => "Organization",
        };
        out.entities.push(agent(o, schema)?);
    }
    for m in &doc.memberships {
        let what = format!("membership {}", m.id);
        let bad = |e: dossier_model::ModelError| invalid(&what, e.to_string());
        let member = m
            .person_id
            .clone()
            .or_else(|| m.member.as_ref().map(|r| r.id.clone()))
            .ok_or_else(|| invalid(&what, "names no member (person_id or member)".into()))?;
        let (schema, from, to) = match m.dossier_schema.as_deref() {
            Some("Employment") => ("Employment", "employee", "employer"),
            Some("Directorship") => ("Directorship", "director", "organization"),
            _ => ("Membership", "member", "organization"),
        };
        let mut e = Entity::new(m.id.clone(), schema).map_err(bad)?;
        e.add(from, Value::from(member)).map_err(bad)?;
        e.add(to, Value::from(m.organization_id.as_str()))
            .map_err(bad)?;
        if let Some(r) = m.role.as_deref().filter(|r| !r.is_empty()) {
            e.add("role", Value::from(r)).map_err(bad)?;
        }
        for (prop, v) in [("startDate", &m.start_date), ("endDate", &m.end_date)] {
            if let Some(d) = v.as_deref().filter(|d| !d.is_empty()) {
                e.add(prop, Value::from(d)).map_err(bad)?;
            }
        }
        out.entities.push(e);
    }
    if out.entities.is_empty() {
        return Err(FormatError::Empty);
    }
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
