//! schema.org JSON-LD for profile pages: the organization (typed from its
//! schema and its kind: `GovernmentOrganization`, `PoliticalParty`, `NGO`
//! when it is known to be one, else `Organization`; or `Person`) with
//! `memberOf`, `member` and `funder`, and its claims as `Claim`s.

use dossier_model::Entity;
use dossier_views::{ClaimView, Profile};
use serde_json::{json, Value};

fn thing(e: &Entity) -> Value {
    let kind = match e.schema.name {
        "Person" => "Person",
        "PublicBody" => "GovernmentOrganization",
        "Company" => "Corporation",
        _ => organization_kind(e),
    };
    let mut v = json!({"@type": kind, "@id": format!("/entities/{}", e.id), "name": e.caption()});
    if let Some(a) = e.first("abbreviation") {
        v["alternateName"] = json!(a);
    }
    v
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

fn claim(c: &ClaimView) -> Value {
    let mut v = json!({
        "@type": "Claim",
        "@id": format!("/entities/{}", c.claim.id),
        "text": c.claim.first("text"),
        "about": c.subjects.iter().map(thing).collect::<Vec<_>>(),
    });
    if let Some(d) = c.claim.first("eventDate") {
        v["temporalCoverage"] = json!(d);
    }
    if let Some(a) = &c.asserted_by {
        v["author"] = thing(a);
    }
    if let Some(s) = &c.source {
        v["appearance"] = json!({"@type": "CreativeWork", "@id": format!("/entities/{}", s.id), "name": s.caption()});
    }
    v
}

/// The JSON-LD of a profile.
pub fn profile(p: &Profile) -> Value {
    let mut v = thing(&p.entity);
    v["@context"] = json!("https://schema.org");
    let countries: Vec<String> = p.entity.values("country").map(str::to_uppercase).collect();
    if !countries.is_empty() {
        v["address"] = json!(countries
            .iter()
            .map(|c| json!({"@type": "PostalAddress", "addressCountry": c}))
            .collect::<Vec<_>>());
    }
    if let Some(s) = p.entity.first("summary") {
        v["description"] = json!(s);
    }
    if let Some(w) = p.entity.first("website") {
        v["url"] = json!(w);
    }
    if !p.networks.is_empty() {
        v["memberOf"] = json!(p
            .networks
            .iter()
            .map(|n| thing(&n.network))
            .collect::<Vec<_>>());
    }
    if !p.members.is_empty() {
        v["member"] = json!(p
            .members
            .iter()
            .map(|m| thing(&m.member))
            .collect::<Vec<_>>());
    }
    let mut funders: Vec<Value> = Vec::new();
    for f in &p.funding {
        let t = thing(&f.payer);
        if !funders.contains(&t) {
            funders.push(t);
        }
    }
    if !funders.is_empty() {
        v["funder"] = json!(funders);
    }
    let claims: Vec<Value> = p.own_words.iter().chain(&p.claims).map(claim).collect();
    if !claims.is_empty() {
        v["subjectOf"] = json!(claims);
    }
    v
}

/// The whole store as one JSON-LD document: every organization, public
/// body and person in the shape its profile page embeds, in an `@graph`.
pub fn store(profiles: impl IntoIterator<Item = Profile>) -> Value {
    let graph: Vec<Value> = profiles
        .into_iter()
        .map(|p| {
            let mut v = profile(&p);
            if let Some(o) = v.as_object_mut() {
                o.remove("@context");
            }
            v
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
            thing(&e)["@type"].as_str().unwrap().to_string()
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
