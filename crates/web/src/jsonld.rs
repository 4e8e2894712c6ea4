//! schema.org JSON-LD for profile pages: the organization (typed from its
//! schema and its kind: `GovernmentOrganization`, `PoliticalParty`, `NGO`
//! when it is known to be one, else `Organization`; or `Person`) with
//! `memberOf`, `member` and `funder`, and its claims as `Claim`s.

use dossier_model::Entity;
use dossier_views::{ClaimView, Profile};
use serde::Serialize;
use serde_json::{json, Value};

// The JSON-LD is written from typed records rather than built as a
// `serde_json::Value` tree first (a twentieth of a rendered profile page's
// time went to the tree). Fields are in the order of their names, as a
// `Value`'s keys were, so the document reads the same as it did.

/// An entity named in the JSON-LD.
#[derive(Serialize, PartialEq)]
struct Thing<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    alternate_name: Option<&'a str>,
    name: &'a str,
}

fn thing(e: &Entity) -> Thing<'_> {
    let kind = match e.schema.name {
        "Person" => "Person",
        "PublicBody" => "GovernmentOrganization",
        "Company" => "Corporation",
        _ => organization_kind(e),
    };
    Thing {
        id: format!("/entities/{}", e.id),
        kind,
        alternate_name: e.first("abbreviation"),
        name: e.caption(),
    }
}

/// What kind of organization its own statements say it is: a party, a
/// legislature, an NGO (by its classification, legal form or sector), else
/// just an organization: nothing is called an NGO that is not said to be one.
fn organization_kind(e: &Entity) -> &'static str {
    let said: Vec<String> = ["classification", "legalForm", "sector"]
        .iter()
        .flat_map(|p| e.values(p))
        .map(str::to_lowercase)
        .collect();
    let any = |words: &[&str]| said.iter().any(|s| words.iter().any(|w| s.contains(w)));
    if any(&["party"]) {
        "PoliticalParty"
    } else if any(&["legislature", "parliament", "assembly", "government"]) {
        "GovernmentOrganization"
    } else if any(&[
        "ngo",
        "non-governmental",
        "nonprofit",
        "non-profit",
        "charity",
        "foundation",
        "association",
    ]) {
        "NGO"
    } else {
        "Organization"
    }
}

/// A claim about the subject, or in its own words.
#[derive(Serialize)]
struct Claim<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    about: Vec<Thing<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    appearance: Option<Work<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Thing<'a>>,
    #[serde(rename = "temporalCoverage", skip_serializing_if = "Option::is_none")]
    temporal_coverage: Option<&'a str>,
    text: Option<&'a str>,
}

/// Where a claim appears: its source document.
#[derive(Serialize)]
struct Work<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct Address {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressCountry")]
    country: String,
}

fn claim(c: &ClaimView) -> Claim<'_> {
    Claim {
        id: format!("/entities/{}", c.claim.id),
        kind: "Claim",
        about: c.subjects.iter().map(thing).collect(),
        appearance: c.source.as_ref().map(|s| Work {
            id: format!("/entities/{}", s.id),
            kind: "CreativeWork",
            name: s.caption(),
        }),
        author: c.asserted_by.as_ref().map(thing),
        temporal_coverage: c.claim.first("eventDate"),
        text: c.claim.first("text"),
    }
}

/// The JSON-LD of a profile: the subject as a [`Thing`] with what is
/// said of it.
#[derive(Serialize)]
pub struct ProfileLd<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    address: Vec<Address>,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    alternate_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    funder: Vec<Thing<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    member: Vec<Thing<'a>>,
    #[serde(rename = "memberOf", skip_serializing_if = "Vec::is_empty")]
    member_of: Vec<Thing<'a>>,
    name: &'a str,
    #[serde(rename = "subjectOf", skip_serializing_if = "Vec::is_empty")]
    subject_of: Vec<Claim<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// The JSON-LD of a profile.
pub fn profile(p: &Profile) -> ProfileLd<'_> {
    let subject = thing(&p.entity);
    let mut funder: Vec<Thing<'_>> = Vec::new();
    for f in &p.funding {
        let t = thing(&f.payer);
        if !funder.contains(&t) {
            funder.push(t);
        }
    }
    ProfileLd {
        context: Some("https://schema.org"),
        id: subject.id,
        kind: subject.kind,
        address: p
            .entity
            .values("country")
            .map(|c| Address {
                kind: "PostalAddress",
                country: c.to_uppercase(),
            })
            .collect(),
        alternate_name: subject.alternate_name,
        description: p.entity.first("summary"),
        funder,
        member: p.members.iter().map(|m| thing(&m.member)).collect(),
        member_of: p.networks.iter().map(|n| thing(&n.network)).collect(),
        name: subject.name,
        subject_of: p.own_words.iter().chain(&p.claims).map(claim).collect(),
        url: p.entity.first("website"),
    }
}

/// The whole store as one JSON-LD document: every organization, public
/// body and person in the shape its profile page embeds, in an `@graph`.
pub fn store(profiles: impl IntoIterator<Item = Profile>) -> Value {
    let graph: Vec<Value> = profiles
        .into_iter()
        .map(|p| {
            let mut ld = profile(&p);
            ld.context = None;
            // Strings, lists and records only: writing it cannot fail.
            serde_json::to_value(&ld).unwrap_or(Value::Null)
        })
        .collect();
    json!({"@context": "https://schema.org", "@graph": graph})
}

#[cfg(test)]
mod tests {
    use super::thing;
    use dossier_model::Entity;

    #[test]
    fn organizations_are_typed_as_they_are_said_to_be() {
        let typed = |schema: &str, props: &[(&str, &str)]| {
            let mut e = Entity::new("x-1", schema).unwrap();
            e.add("name", "X").unwrap();
            for (p, v) in props {
                e.add(p, *v).unwrap();
            }
            thing(&e).kind.to_string()
        };
        assert_eq!(typed("Organization", &[]), "Organization");
        assert_eq!(
            typed("Organization", &[("classification", "party")]),
            "PoliticalParty"
        );
        assert_eq!(
            typed("Organization", &[("classification", "legislature")]),
            "GovernmentOrganization"
        );
        assert_eq!(
            typed("Organization", &[("legalForm", "Registered charity")]),
            "NGO"
        );
        assert_eq!(typed("PublicBody", &[]), "GovernmentOrganization");
        assert_eq!(typed("Person", &[]), "Person");
    }
}
