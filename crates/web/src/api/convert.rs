//! Wire types made from the read models.

use std::collections::BTreeMap;

use dossier_model::Entity;
use dossier_search::{Results, SearchQuery};
use dossier_store::Read;
use dossier_views::{ClaimView, Profile};

use super::wire::*;
use crate::WebError;

pub(crate) fn entity_ref(e: &Entity) -> EntityRef {
    EntityRef {
        id: e.id.clone(),
        name: e.caption().to_string(),
        schema: e.schema.name.to_string(),
    }
}

pub(crate) fn label_ref(l: &dossier_store::Label) -> EntityRef {
    EntityRef {
        id: l.id.clone(),
        name: l.caption.clone(),
        schema: l.schema.name.to_string(),
    }
}

pub(crate) fn entity_wire(e: &Entity) -> EntityWire {
    EntityWire {
        id: e.id.clone(),
        schema: e.schema.name.to_string(),
        caption: e.caption().to_string(),
        properties: e
            .properties
            .iter()
            .map(|(k, v)| (k.clone(), v.iter().map(|v| v.value.clone()).collect()))
            .collect(),
    }
}

pub(crate) fn claim_wire(c: &ClaimView) -> ClaimWire {
    let get = |p: &str| c.claim.first(p).map(str::to_string);
    ClaimWire {
        id: c.claim.id.clone(),
        kind: get("kind").unwrap_or_default(),
        text: get("text").unwrap_or_default(),
        date: get("eventDate"),
        topic: get("topic"),
        section: get("section"),
        subjects: c.subjects.iter().map(entity_ref).collect(),
        mentions: c.mentions.iter().map(entity_ref).collect(),
        quotations: c
            .quotations
            .iter()
            .map(|q| QuotationWire {
                id: q.quotation.id.clone(),
                text: q.quotation.first("text").unwrap_or("").to_string(),
                speaker: q.speaker.as_ref().map(entity_ref),
                mark: q.check.mark.as_str().to_string(),
                stale: q.check.recorded.as_ref().is_some_and(|r| r.stale),
                origin: q.check.origin.clone(),
                origin_title: q
                    .check
                    .recorded
                    .as_ref()
                    .and_then(|r| r.origin_title.clone()),
                origin_url: q.check.recorded.as_ref().and_then(|r| r.origin_url.clone()),
                archived_copy: q.check.copy.as_ref().map(|c| c.sha256.clone()),
                retrieved: q.check.copy.as_ref().map(|c| c.retrieved.clone()),
                found_by: q
                    .check
                    .recorded
                    .as_ref()
                    .and_then(|r| r.method.map(|m| m.as_str().to_string())),
                checked_at: q.check.recorded.as_ref().map(|r| r.checked_at.clone()),
                difference: q.check.recorded.as_ref().and_then(|r| r.difference.clone()),
                refusal: q.check.recorded.as_ref().and_then(|r| r.refusal.clone()),
            })
            .collect(),
        source: c.source.as_ref().map(entity_ref),
        sources: c.sources.iter().map(entity_ref).collect(),
        same: c.same.clone(),
        asserted_by: c.asserted_by.as_ref().map(entity_ref),
        replies: c.replies.iter().map(claim_wire).collect(),
    }
}

pub(crate) fn funding_wire(f: &dossier_views::FundingView) -> FundingWire {
    let get = |p: &str| f.payment.first(p).map(str::to_string);
    FundingWire {
        payer: entity_ref(&f.payer),
        beneficiary: entity_ref(&f.beneficiary),
        amount: get("amount"),
        currency: get("currency"),
        date: get("date"),
        start_date: get("startDate"),
        end_date: get("endDate"),
        payment: f.payment.id.clone(),
    }
}

pub(crate) fn tie(other: &Entity, rel: &Entity) -> TieWire {
    TieWire {
        other: entity_ref(other),
        relation: entity_wire(rel),
    }
}

pub(crate) fn profile_wire(p: &Profile) -> ProfileWire {
    ProfileWire {
        entity: entity_wire(&p.entity),
        own_words: p.own_words.iter().map(claim_wire).collect(),
        members: p
            .members
            .iter()
            .map(|m| MemberWire {
                member: entity_ref(&m.member),
                membership: m.membership.id.clone(),
                claims: m.claims.iter().map(claim_wire).collect(),
            })
            .collect(),
        members_total: p.members_total,
        member_of: p
            .networks
            .iter()
            .map(|n| tie(&n.network, &n.membership))
            .collect(),
        funding: p.funding.iter().map(funding_wire).collect(),
        grants: p.grants.iter().map(funding_wire).collect(),
        people: p
            .people
            .iter()
            .map(|x| tie(&x.person, &x.relation))
            .collect(),
        roles: p.roles.iter().map(|(o, r)| tie(o, r)).collect(),
        links: p.links.iter().map(|(o, r)| tie(o, r)).collect(),
        claims: p.claims.iter().map(claim_wire).collect(),
        mentioned_in: p.mentioned_in.iter().map(claim_wire).collect(),
        sources: p.sources.iter().map(entity_ref).collect(),
        merged_from: p
            .merged_from
            .iter()
            .map(|m| MergedWire {
                id: m.id.clone(),
                names: m.names.clone(),
            })
            .collect(),
        values: p
            .values
            .iter()
            .map(|v| SourcedValueWire {
                prop: v.prop.clone(),
                value: v.value.clone(),
                sources: v.sources.clone(),
                since: v.since.clone(),
            })
            .collect(),
        updated: p.updated.clone(),
        stated_members: p
            .stated_members
            .iter()
            .map(|s| StatedCountWire {
                words: s.words.clone(),
                number: s.number,
                claim: s.claim.clone(),
                source: s.source.as_ref().map(entity_ref),
            })
            .collect(),
    }
}

pub(crate) fn search_wire(q: &SearchQuery, r: &Results) -> SearchWire {
    let counts = |v: &[(String, u64)]| {
        v.iter()
            .map(|(value, count)| FacetCount {
                value: value.clone(),
                count: *count,
            })
            .collect::<Vec<_>>()
    };
    let mut facets = BTreeMap::new();
    facets.insert("kind".to_string(), counts(&r.facets.kind));
    facets.insert("country".to_string(), counts(&r.facets.country));
    facets.insert("topic".to_string(), counts(&r.facets.topic));
    facets.insert("year".to_string(), counts(&r.facets.year));
    facets.insert("letter".to_string(), counts(&r.facets.letter));
    SearchWire {
        query: q.text.clone(),
        total: r.total,
        offset: q.offset,
        hits: r
            .hits
            .iter()
            .map(|h| HitWire {
                id: h.id.clone(),
                kind: h.kind.clone(),
                title: h.title.clone(),
                snippet: h.snippet.clone(),
                score: h.score,
                about: Vec::new(),
                source: None,
                date: None,
                detail: None,
            })
            .collect(),
        facets,
        did_you_mean: None,
    }
}

pub(crate) fn network_wire(
    center: &Entity,
    net: &dossier_graph::Network,
    layout: &dossier_graph::Layout,
    total: usize,
) -> NetworkWire {
    NetworkWire {
        center: entity_ref(center),
        total,
        nodes: net
            .nodes
            .iter()
            .zip(&layout.positions)
            .map(|(n, (x, y))| NodeWire {
                id: n.id.clone(),
                label: n.label.clone(),
                schema: n.schema.clone(),
                x: (x * 10.0).round() / 10.0,
                y: (y * 10.0).round() / 10.0,
            })
            .collect(),
        edges: net
            .edges
            .iter()
            .map(|e| EdgeWire {
                id: e.id.clone(),
                source: net.nodes[e.source].id.clone(),
                target: net.nodes[e.target].id.clone(),
                kind: e.kind.as_str().to_string(),
                label: e.label.clone(),
                start: e.start.clone(),
                end: e.end.clone(),
            })
            .collect(),
    }
}

/// The claims taken from a source, and the entities it speaks of.
pub(crate) fn source_view(
    store: &dyn Read,
    doc: &Entity,
) -> Result<(Vec<ClaimView>, Vec<Entity>), WebError> {
    let mut claims = Vec::new();
    let mut entities = Vec::new();
    for r in store.referencing(&doc.id)? {
        if r.schema.name == "Claim" && r.values("source").any(|s| s == doc.id) {
            claims.push(dossier_views::claim_view(store, r)?);
        } else if r.schema.is_a("LegalEntity") {
            entities.push(r);
        }
    }
    // Entities whose statements cite the source without pointing at it.
    let mut seen: std::collections::BTreeSet<String> =
        entities.iter().map(|e| e.id.clone()).collect();
    for c in &claims {
        for s in c.subjects.iter().chain(&c.mentions) {
            if seen.insert(s.id.clone()) {
                entities.push(s.clone());
            }
        }
    }
    claims.sort_by(|a, b| {
        a.claim
            .first("topic")
            .cmp(&b.claim.first("topic"))
            .then(a.claim.first("eventDate").cmp(&b.claim.first("eventDate")))
    });
    entities.sort_by(|a, b| a.caption().cmp(b.caption()));
    Ok((claims, entities))
}
