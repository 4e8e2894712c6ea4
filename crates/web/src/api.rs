//! The JSON API under `/api/v1` and the wire types every JSON response
//! (API and `.json` twins) is made of. The OpenAPI document is generated
//! from these types and the handlers' annotations.

use std::collections::{BTreeMap, HashMap};

use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dossier_model::Entity;
use dossier_search::{Results, SearchQuery};
use dossier_store::{Read, Reader};
use dossier_views::{ClaimView, Profile};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use axum::extract::{Path, Query, State};

use crate::{AppState, Failure, JsonBody, Want, WebError};

/// An error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorWire {
    pub error: String,
}

/// A pointer to an entity with its label.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    pub schema: String,
}

/// An entity with all its current property values.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityWire {
    pub id: String,
    pub schema: String,
    pub caption: String,
    pub properties: BTreeMap<String, Vec<String>>,
}

/// A quotation, its speaker, and what verification says of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotationWire {
    pub id: String,
    pub text: String,
    pub speaker: Option<EntityRef>,
    /// What `dossier verify` last recorded: `verified`, `altered`, `not
    /// found`, `not an origin`, `not yet checked` or `no archive`.
    pub mark: String,
    /// A newer copy of the origin was archived after the check: the mark
    /// says nothing of it.
    pub stale: bool,
    /// The origin document the quotation is anchored in.
    pub origin: Option<String>,
    /// Its title and address.
    pub origin_title: Option<String>,
    pub origin_url: Option<String>,
    /// The SHA-256 of the archived copy checked against, and when that
    /// copy was retrieved.
    pub archived_copy: Option<String>,
    pub retrieved: Option<String>,
    /// How the quotation was found: `position`, `exact`, `normalized` or
    /// `approximate`.
    pub found_by: Option<String>,
    /// When the check was made (UTC).
    pub checked_at: Option<String>,
    /// For an altered quotation: `[-quoted-]{+archived+}` word by word.
    pub difference: Option<String>,
    /// For `not an origin`: why the document is not the quotation's origin.
    pub refusal: Option<String>,
}

/// An archived copy of a source.
#[derive(Debug, Serialize, ToSchema)]
pub struct CopyWire {
    pub sha256: String,
    pub url: Option<String>,
    pub retrieved: String,
    pub media_type: String,
    pub size: i64,
    pub title: String,
}

/// A quotation located in an archived text (code points).
#[derive(Debug, Serialize, ToSchema)]
pub struct HighlightWire {
    pub quotation: String,
    pub start: usize,
    pub end: usize,
    pub mark: String,
}

/// A source's archive: copies, newest first, and the newest one's text.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArchiveWire {
    pub copies: Vec<CopyWire>,
    pub text: String,
    pub highlights: Vec<HighlightWire>,
    /// Anchored quotations the newest copy no longer holds.
    pub missing: Vec<String>,
}

/// A claim: what is asserted, by whom, from which source, with its quotations and replies.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimWire {
    pub id: String,
    /// `quote`, `assessment` or `fact`.
    pub kind: String,
    pub text: String,
    pub date: Option<String>,
    pub topic: Option<String>,
    pub section: Option<String>,
    pub subjects: Vec<EntityRef>,
    pub mentions: Vec<EntityRef>,
    pub quotations: Vec<QuotationWire>,
    pub source: Option<EntityRef>,
    /// Every source that reports it: `source` first, then the sources of
    /// the same claim recorded from other documents.
    pub sources: Vec<EntityRef>,
    /// The ids of those other records, shown as this one.
    pub same: Vec<String>,
    /// Who asserts it; absent when the source's publisher is not named.
    pub asserted_by: Option<EntityRef>,
    #[schema(no_recursion)]
    pub replies: Vec<ClaimWire>,
}

/// A member of a network with the claims about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberWire {
    pub member: EntityRef,
    pub membership: String,
    pub claims: Vec<ClaimWire>,
}

/// A relationship to another entity (network, partner, employer…).
#[derive(Debug, Serialize, ToSchema)]
pub struct TieWire {
    pub other: EntityRef,
    pub relation: EntityWire,
}

/// A payment.
#[derive(Debug, Serialize, ToSchema)]
pub struct FundingWire {
    pub payer: EntityRef,
    pub beneficiary: EntityRef,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub date: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub payment: String,
}

/// An organization's or person's profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileWire {
    pub entity: EntityWire,
    pub own_words: Vec<ClaimWire>,
    /// At most 200 members; `members_total` says how many there are.
    pub members: Vec<MemberWire>,
    pub members_total: usize,
    pub member_of: Vec<TieWire>,
    pub funding: Vec<FundingWire>,
    pub grants: Vec<FundingWire>,
    pub people: Vec<TieWire>,
    pub roles: Vec<TieWire>,
    pub links: Vec<TieWire>,
    pub claims: Vec<ClaimWire>,
    pub mentioned_in: Vec<ClaimWire>,
    pub sources: Vec<EntityRef>,
    /// Records judged to be the same as this entity and merged into it;
    /// their addresses lead here.
    pub merged_from: Vec<MergedWire>,
    /// Each of the entity's own values with the documents it was taken from.
    pub values: Vec<SourcedValueWire>,
    /// When the entity's own record last changed (UTC).
    pub updated: Option<String>,
    /// Member counts the sources state, in their words ("more than 150").
    pub stated_members: Vec<StatedCountWire>,
}

/// One value of an entity's, with its sources.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourcedValueWire {
    pub prop: String,
    pub value: String,
    /// Ids of the documents it was taken from.
    pub sources: Vec<String>,
    /// When it was first recorded (UTC).
    pub since: String,
}

/// A member count a source states.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatedCountWire {
    /// As written: "over 150".
    pub words: String,
    pub number: u64,
    /// The claim that says it.
    pub claim: String,
    pub source: Option<EntityRef>,
}

/// A record merged into another: its own id and names.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergedWire {
    pub id: String,
    pub names: Vec<String>,
}

/// A source document and what Dossier took from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceWire {
    pub document: EntityWire,
    pub claims: Vec<ClaimWire>,
    /// Entities with statements from this source.
    pub entities: Vec<EntityRef>,
    /// Its archived copies, when it has any.
    pub archive: Option<ArchiveWire>,
}

/// One search result.
#[derive(Debug, Serialize, ToSchema)]
pub struct HitWire {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// HTML: escaped text with matches in `<mark>`.
    pub snippet: String,
    pub score: f32,
    /// What a claim is about.
    pub about: Vec<EntityRef>,
    /// A claim's source document.
    pub source: Option<EntityRef>,
    /// A claim's date, a source's publication date, an organization's founding.
    pub date: Option<String>,
    /// A word on what it is: a body's countries, a source's publisher.
    pub detail: Option<String>,
}

/// A facet value and how many results have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Search results with facets.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchWire {
    pub query: String,
    pub total: usize,
    pub offset: usize,
    pub hits: Vec<HitWire>,
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// When the words found little: a name they may have meant.
    pub did_you_mean: Option<String>,
}

/// A node of a network drawing.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodeWire {
    pub id: String,
    pub label: String,
    pub schema: String,
    pub x: f64,
    pub y: f64,
}

/// An edge of a network drawing.
#[derive(Debug, Serialize, ToSchema)]
pub struct EdgeWire {
    pub id: String,
    pub source: String,
    pub target: String,
    pub kind: String,
    pub label: String,
    /// When the tie began and ended, when known: `YYYY[-MM[-DD]]`.
    pub start: Option<String>,
    pub end: Option<String>,
}

/// A network: its nodes (laid out) and relationships.
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkWire {
    pub center: EntityRef,
    pub nodes: Vec<NodeWire>,
    pub edges: Vec<EdgeWire>,
    /// How many entities the entity's two rings hold; the most tied are drawn.
    pub total: usize,
}

/// An entity sharing networks, funders, people or partners with another.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionWire {
    pub entity: EntityRef,
    /// How many neighbours the two share.
    pub shared: usize,
    /// Payments between it and the shared neighbours.
    pub funding: f64,
    /// The shared neighbours, at most five.
    pub via: Vec<EntityRef>,
}

/// The entities sharing the most with one, most shared first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionsWire {
    pub entity: EntityRef,
    /// How many entities share anything with it; the first 50 are listed.
    pub total: usize,
    pub connections: Vec<ConnectionWire>,
}

/// An entity within some ties of another.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeighbourWire {
    pub entity: EntityRef,
    /// In ties.
    pub distance: usize,
}

/// The neighbourhood of an entity, nearest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeighboursWire {
    pub entity: EntityRef,
    pub hops: usize,
    /// How many entities are within `hops`; at most `limit` are listed.
    pub total: usize,
    pub neighbours: Vec<NeighbourWire>,
}

/// One step of a path: the relationship followed and its sources.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepWire {
    pub from: EntityRef,
    pub to: EntityRef,
    /// The relationship (or claim, for a mention).
    pub relationship: String,
    pub kind: String,
    /// `forward` from member, payer, employee or director; else `backward`.
    pub direction: String,
    pub detail: Vec<String>,
    pub sources: Vec<EntityRef>,
}

/// A shortest chain of relationships between two entities.
#[derive(Debug, Serialize, ToSchema)]
pub struct PathWire {
    pub from: EntityRef,
    pub to: EntityRef,
    /// In ties; absent when they are not connected.
    pub length: Option<usize>,
    pub steps: Vec<StepWire>,
}

/// What the store holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct HomeWire {
    pub statements: u64,
    pub entities: BTreeMap<String, u64>,
    pub networks: Vec<EntityRef>,
}

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

fn funding_wire(f: &dossier_views::FundingView) -> FundingWire {
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

fn tie(other: &Entity, rel: &Entity) -> TieWire {
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

/// The search parameters of a request, checked.
pub(crate) fn search_query(params: &HashMap<String, String>) -> Result<SearchQuery, WebError> {
    let get = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let number = |k: &str, max: usize, default: usize| -> Result<usize, WebError> {
        match get(k) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| {
                    WebError::BadRequest(format!(
                        "{k} must be a whole number from 0 to {max}, not {v:?}"
                    ))
                }),
        }
    };
    let year = match get("year") {
        None => None,
        Some(y) => Some(
            y.parse::<u16>()
                .ok()
                .filter(|y| (1000..3000).contains(y))
                .ok_or_else(|| {
                    WebError::BadRequest(format!("year must be a four-digit year, not {y:?}"))
                })?,
        ),
    };
    let limit = number("limit", 100, 20)?.max(1);
    let page = number("page", 5000, 1)?.max(1);
    let kind = get("kind");
    if let Some(k) = &kind {
        if !dossier_search::KINDS.contains(&k.as_str()) {
            return Err(WebError::BadRequest(format!(
                "kind must be one of {}, not {k:?}",
                dossier_search::KINDS.join(", ")
            )));
        }
    }
    let text = get("q").unwrap_or_default();
    if text.chars().count() > 500 {
        return Err(WebError::BadRequest("q is at most 500 characters".into()));
    }
    let letter = match get("letter") {
        None => None,
        Some(l) => {
            let mut chars = l.chars();
            match (chars.next().map(|c| c.to_ascii_uppercase()), chars.next()) {
                (Some(c @ ('A'..='Z' | '#')), None) => Some(c),
                _ => {
                    return Err(WebError::BadRequest(format!(
                        "letter must be one letter from A to Z, or #, not {l:?}"
                    )))
                }
            }
        }
    };
    Ok(SearchQuery {
        text,
        kind,
        country: get("country").map(|c| c.to_lowercase()),
        topic: get("topic"),
        year,
        letter,
        limit,
        offset: (page - 1) * limit,
    })
}

fn json<T: Serialize>(r: Result<T, WebError>) -> Response {
    match r {
        Ok(v) => JsonBody(v).into_response(),
        Err(e) => Failure(e, Want::Json).into_response(),
    }
}

pub(crate) async fn entity_json(state: &AppState, id: String) -> Result<EntityWire, WebError> {
    state
        .with(move |store, _| {
            store
                .entity(&id)?
                .map(|e| entity_wire(&e))
                .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))
        })
        .await
}

/// An entity with all its current values.
#[utoipa::path(get, path = "/api/v1/entities/{id}", params(("id" = String, Path, description = "Entity id")),
    responses((status = 200, body = EntityWire), (status = 404, body = ErrorWire)))]
async fn api_entity(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    json(entity_json(&state, id).await)
}

/// The profile of an organization or person.
#[utoipa::path(get, path = "/api/v1/entities/{id}/profile", params(("id" = String, Path, description = "Entity id")),
    responses((status = 200, body = ProfileWire), (status = 404, body = ErrorWire)))]
async fn api_profile(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    json(profile_json(&state, id).await)
}

pub(crate) async fn profile_json(state: &AppState, id: String) -> Result<ProfileWire, WebError> {
    state
        .with(move |store, _| {
            let p = dossier_views::profile(store, &id)?
                .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))?;
            Ok(profile_wire(&p))
        })
        .await
}

/// Full-text search with facets.
#[utoipa::path(get, path = "/api/v1/search",
    params(("q" = Option<String>, Query, description = "Words; empty lists everything"),
           ("kind" = Option<String>, Query, description = "organization, public body, company, person, claim, source or other"),
           ("country" = Option<String>, Query, description = "ISO code"),
           ("topic" = Option<String>, Query), ("year" = Option<u16>, Query),
           ("letter" = Option<String>, Query, description = "Names starting with this letter: A to Z, or # for any other; without words, results are listed A to Z"),
           ("page" = Option<usize>, Query), ("limit" = Option<usize>, Query)),
    responses((status = 200, body = SearchWire), (status = 400, body = ErrorWire)))]
async fn api_search(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    json(search_json(&state, params).await)
}

pub(crate) async fn search_json(
    state: &AppState,
    params: HashMap<String, String>,
) -> Result<SearchWire, WebError> {
    let q = search_query(&params)?;
    state
        .with(move |store, index| {
            let mut r = index.search(&q)?;
            // The index this reader is given holds nothing hidden from them;
            // a hit on what they cannot see (while an index catches up with
            // a collection made private) is still left out.
            let ids: Vec<String> = r.hits.iter().map(|h| h.id.clone()).collect();
            let seen: std::collections::HashSet<String> =
                store.labels(&ids)?.into_iter().map(|l| l.id).collect();
            r.hits.retain(|h| seen.contains(&h.id));
            let mut wire = search_wire(&q, &r);
            describe_hits(store, &mut wire.hits)?;
            if r.total < 3 && !q.text.trim().is_empty() {
                wire.did_you_mean = index
                    .did_you_mean(&q.text)?
                    .filter(|m| !m.eq_ignore_ascii_case(q.text.trim()));
            }
            Ok(wire)
        })
        .await
}

/// Says what each hit is: a claim's subjects, source, date and its words
/// whole (a title cut at a word, not in one); a source's publisher and
/// date; a body's countries and founding.
pub(crate) fn describe_hits(store: &dyn Read, hits: &mut [HitWire]) -> Result<(), WebError> {
    let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
    let entities: HashMap<String, Entity> = store
        .entities_of(&ids)?
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
    let mut named: Vec<String> = Vec::new();
    for e in entities.values().filter(|e| e.schema.name == "Claim") {
        named.extend(e.values("subject").map(str::to_string));
        named.extend(e.values("source").map(str::to_string));
    }
    named.sort();
    named.dedup();
    let labels: HashMap<String, dossier_store::Label> = store
        .labels(&named)?
        .into_iter()
        .map(|l| (l.id.clone(), l))
        .collect();
    for h in hits.iter_mut() {
        let Some(e) = entities.get(&h.id) else {
            continue;
        };
        if e.schema.name == "Claim" {
            h.title = dossier_views::shortened(e.first("text").unwrap_or(&h.title), 160);
            h.about = e
                .values("subject")
                .filter_map(|s| labels.get(s))
                .map(label_ref)
                .collect();
            h.source = e.first("source").and_then(|s| labels.get(s)).map(label_ref);
            h.date = e.first("eventDate").map(str::to_string);
        } else if e.schema.is_a("Document") {
            h.date = e
                .first("publishedAt")
                .or(e.first("retrievedAt"))
                .map(str::to_string);
            h.detail = e.first("publisher").map(str::to_string);
        } else {
            h.date = e.first("incorporationDate").map(str::to_string);
            let countries: Vec<String> = dossier_views::countries(e)
                .into_iter()
                .map(|c| c.label)
                .collect();
            let mut detail: Vec<String> = Vec::new();
            if let Some(a) = e.first("abbreviation").filter(|a| *a != h.title) {
                detail.push(a.to_string());
            }
            if !countries.is_empty() {
                detail.push(countries.join(", "));
            }
            h.detail = (!detail.is_empty()).then(|| detail.join(" · "));
        }
    }
    Ok(())
}

/// A claim with its quotations, source, asserter and replies.
#[utoipa::path(get, path = "/api/v1/claims/{id}", params(("id" = String, Path, description = "Claim id")),
    responses((status = 200, body = ClaimWire), (status = 404, body = ErrorWire)))]
async fn api_claim(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    json(claim_json(&state, id).await)
}

pub(crate) async fn claim_json(state: &AppState, id: String) -> Result<ClaimWire, WebError> {
    state
        .with(move |store, _| {
            let c = store
                .entity(&id)?
                .filter(|e| e.schema.name == "Claim")
                .ok_or_else(|| WebError::NotFound(format!("no claim {id}")))?;
            Ok(claim_wire(&dossier_views::claim_view(store, c)?))
        })
        .await
}

/// A source document with the claims and entities taken from it.
#[utoipa::path(get, path = "/api/v1/sources/{id}", params(("id" = String, Path, description = "Document id")),
    responses((status = 200, body = SourceWire), (status = 404, body = ErrorWire)))]
async fn api_source(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    json(source_json(&state, id).await)
}

pub(crate) async fn source_json(state: &AppState, id: String) -> Result<SourceWire, WebError> {
    state
        .with(move |store, _| {
            let d = store
                .entity(&id)?
                .filter(|e| e.schema.is_a("Document"))
                .ok_or_else(|| WebError::NotFound(format!("no source {id}")))?;
            let (claims, entities) = source_view(store, &d)?;
            let archive = dossier_views::archive_view(store, &d.id)?.map(|a| ArchiveWire {
                copies: a
                    .copies
                    .iter()
                    .map(|c| CopyWire {
                        sha256: c.sha256.clone(),
                        url: c.url.clone(),
                        retrieved: c.retrieved.clone(),
                        media_type: c.media_type.clone(),
                        size: c.size,
                        title: c.title.clone(),
                    })
                    .collect(),
                highlights: a
                    .highlights
                    .iter()
                    .map(|h| HighlightWire {
                        quotation: h.quotation.clone(),
                        start: h.start,
                        end: h.end,
                        mark: h.mark.as_str().to_string(),
                    })
                    .collect(),
                missing: a.missing.iter().map(|m| m.quotation.clone()).collect(),
                text: a.text,
            });
            Ok(SourceWire {
                document: entity_wire(&d),
                claims: claims.iter().map(claim_wire).collect(),
                entities: entities.iter().map(entity_ref).collect(),
                archive,
            })
        })
        .await
}

/// The network around an entity, laid out for drawing.
#[utoipa::path(get, path = "/api/v1/networks/{id}", params(("id" = String, Path, description = "Entity id")),
    responses((status = 200, body = NetworkWire), (status = 404, body = ErrorWire)))]
async fn api_network(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    json(network_json(&state, id).await)
}

/// The entities sharing the most networks, funders, people or partners with one.
#[utoipa::path(get, path = "/api/v1/entities/{id}/connections", params(("id" = String, Path, description = "Entity id")),
    responses((status = 200, body = ConnectionsWire), (status = 404, body = ErrorWire)))]
async fn api_connections(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    json(connections_json(&state, id).await)
}

pub(crate) async fn connections_json(
    state: &AppState,
    id: String,
) -> Result<ConnectionsWire, WebError> {
    let st = state.clone();
    state
        .with(move |store, _| {
            let e = store
                .entity(&id)?
                .filter(|e| e.schema.is_a("LegalEntity"))
                .ok_or_else(|| {
                    WebError::NotFound(format!("There is no organization or person {id}."))
                })?;
            connections_wire(store, &st, &e, 50)
        })
        .await
}

/// The first `limit` connections of an entity.
pub(crate) fn connections_wire(
    store: &Reader<'_>,
    state: &AppState,
    e: &Entity,
    limit: usize,
) -> Result<ConnectionsWire, WebError> {
    let graph = state.graph(store)?;
    let (conns, total) =
        dossier_views::connections(store, &graph, &state.labels(store), &e.id, limit)?;
    Ok(ConnectionsWire {
        entity: entity_ref(e),
        total,
        connections: conns
            .iter()
            .map(|c| ConnectionWire {
                entity: label_ref(&c.entity),
                shared: c.shared,
                funding: c.funding,
                via: c.via.iter().map(label_ref).collect(),
            })
            .collect(),
    })
}

/// `kind` (comma-separated kinds) and `at` (a date) of a graph query.
fn graph_filter(
    params: &HashMap<String, String>,
) -> Result<dossier_graph::analysis::Filter, WebError> {
    let mut f = dossier_graph::analysis::Filter::default();
    for k in params
        .get("kind")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
    {
        if k.trim().is_empty() {
            continue;
        }
        f.kinds.push(dossier_graph::EdgeKind::parse(k).ok_or_else(|| {
            WebError::BadRequest(format!(
                "kind {k:?} is not one of membership, payment, employment, directorship, link, mention"
            ))
        })?);
    }
    if let Some(at) = params.get("at").filter(|a| !a.is_empty()) {
        f.at = Some(dossier_graph::analysis::Period::parse(at).ok_or_else(|| {
            WebError::BadRequest(format!(
                "at {at:?} is not a date: YYYY, YYYY-MM or YYYY-MM-DD"
            ))
        })?);
    }
    Ok(f)
}

/// A number parameter within bounds.
fn number(
    params: &HashMap<String, String>,
    name: &str,
    default: usize,
    max: usize,
) -> Result<usize, WebError> {
    match params.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                WebError::BadRequest(format!("{name} must be a number from 1 to {max}"))
            }),
    }
}

/// Graph nodes named from their labels, read in one go: a node the store
/// cannot read (redacted, or hidden from this reader) is named by its id.
struct NodeRefs(HashMap<String, dossier_store::Label>);

impl NodeRefs {
    fn read(store: &dyn Read, ids: &[String]) -> Result<Self, WebError> {
        Ok(NodeRefs(
            store
                .labels(ids)?
                .into_iter()
                .map(|l| (l.id.clone(), l))
                .collect(),
        ))
    }

    fn get(&self, id: &str) -> EntityRef {
        match self.0.get(id) {
            Some(l) => label_ref(l),
            None => EntityRef {
                id: id.to_string(),
                name: id.to_string(),
                schema: "Thing".to_string(),
            },
        }
    }
}

/// Every entity within `hops` ties, nearest first.
#[utoipa::path(get, path = "/api/v1/entities/{id}/neighbours",
    params(("id" = String, Path, description = "Entity id"),
           ("hops" = Option<usize>, Query, description = "1 to 3; 1 by default"),
           ("kind" = Option<String>, Query, description = "Comma-separated: membership, payment, employment, directorship, link, mention"),
           ("at" = Option<String>, Query, description = "Ties that held then: YYYY, YYYY-MM or YYYY-MM-DD"),
           ("limit" = Option<usize>, Query, description = "1 to 1000; 200 by default")),
    responses((status = 200, body = NeighboursWire), (status = 400, body = ErrorWire), (status = 404, body = ErrorWire)))]
async fn api_neighbours(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    json(neighbours_json(&state, id, params).await)
}

async fn neighbours_json(
    state: &AppState,
    id: String,
    params: HashMap<String, String>,
) -> Result<NeighboursWire, WebError> {
    let filter = graph_filter(&params)?;
    let hops = number(&params, "hops", 1, 3)?;
    let limit = number(&params, "limit", 200, 1000)?;
    let st = state.clone();
    state
        .with(move |store, _| {
            let e = store
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))?;
            let graph = st.graph(store)?;
            let found = graph
                .node(&id)
                .map(|x| graph.neighbours(x, hops, &filter))
                .unwrap_or_default();
            let shown = &found[..found.len().min(limit)];
            let ids: Vec<String> = shown.iter().map(|&(n, _)| graph.id(n)).collect();
            let refs = NodeRefs::read(store, &ids)?;
            let neighbours = ids
                .iter()
                .zip(shown)
                .map(|(id, &(_, distance))| NeighbourWire {
                    entity: refs.get(id),
                    distance,
                })
                .collect();
            Ok(NeighboursWire {
                entity: entity_ref(&e),
                hops,
                total: found.len(),
                neighbours,
            })
        })
        .await
}

/// The shortest chain of relationships between two entities, each step with its sources.
#[utoipa::path(get, path = "/api/v1/path",
    params(("from" = String, Query, description = "Entity id"),
           ("to" = String, Query, description = "Entity id"),
           ("kind" = Option<String>, Query, description = "Comma-separated: membership, payment, employment, directorship, link, mention"),
           ("at" = Option<String>, Query, description = "Ties that held then: YYYY, YYYY-MM or YYYY-MM-DD")),
    responses((status = 200, body = PathWire), (status = 400, body = ErrorWire), (status = 404, body = ErrorWire)))]
async fn api_path(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    json(path_json(&state, params).await)
}

pub(crate) async fn path_json(
    state: &AppState,
    params: HashMap<String, String>,
) -> Result<PathWire, WebError> {
    let filter = graph_filter(&params)?;
    let end = |name: &str| {
        params
            .get(name)
            .filter(|v| !v.is_empty())
            .cloned()
            .ok_or_else(|| WebError::BadRequest(format!("{name} is required: an entity id")))
    };
    let (from, to) = (end("from")?, end("to")?);
    let st = state.clone();
    state
        .with(move |store, _| {
            // An id merged into another is read as the one it is part of.
            let entity = |id: &str| {
                let id = store.canonical_of(id)?.unwrap_or_else(|| id.to_string());
                store
                    .entity(&id)?
                    .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))
            };
            let (a, b) = (entity(&from)?, entity(&to)?);
            let graph = st.graph(store)?;
            let path = match (graph.node(&a.id), graph.node(&b.id)) {
                (Some(x), Some(y)) => graph.shortest_path(x, y, &filter).map(|p| (x, p)),
                _ => None,
            };
            let mut steps = Vec::new();
            if let Some((x, p)) = &path {
                let explained = dossier_views::explain_path(store, &graph, *x, p)?;
                let ends: Vec<String> = explained
                    .iter()
                    .flat_map(|s| [s.from.clone(), s.to.clone()])
                    .collect();
                let refs = NodeRefs::read(store, &ends)?;
                for s in explained {
                    steps.push(StepWire {
                        from: refs.get(&s.from),
                        to: refs.get(&s.to),
                        relationship: s.tie,
                        kind: s.kind.as_str().to_string(),
                        direction: if s.forward { "forward" } else { "backward" }.to_string(),
                        detail: s.detail,
                        sources: s.sources.iter().map(entity_ref).collect(),
                    });
                }
            }
            Ok(PathWire {
                from: entity_ref(&a),
                to: entity_ref(&b),
                length: path.map(|(_, p)| p.len()),
                steps,
            })
        })
        .await
}

/// The largest network drawn, in nodes.
pub(crate) const NETWORK_LIMIT: usize = 120;

pub(crate) async fn network_json(state: &AppState, id: String) -> Result<NetworkWire, WebError> {
    let st = state.clone();
    state
        .with(move |store, _| {
            let center = store
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))?;
            let graph = st.graph(store)?;
            let (net, total) = dossier_views::network(store, &graph, &id, NETWORK_LIMIT)?
                .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))?;
            let layout = dossier_graph::layout(&net, 960.0, 720.0, 300);
            Ok(network_wire(&center, &net, &layout, total))
        })
        .await
}

/// Counts and the networks in the store.
#[utoipa::path(get, path = "/api/v1/stats", responses((status = 200, body = HomeWire)))]
async fn api_stats(State(state): State<AppState>) -> Response {
    json(home_json(&state).await)
}

pub(crate) async fn home_json(state: &AppState) -> Result<HomeWire, WebError> {
    state
        .with(|store, _| {
            let stats = store.stats()?;
            let networks = crate::pages::networks(store)?;
            Ok(HomeWire {
                statements: stats.current_statements,
                entities: stats.entities_by_schema.into_iter().collect(),
                networks: networks.iter().map(|(e, _)| entity_ref(e)).collect(),
            })
        })
        .await
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", responses((status = 200, description = "The OpenAPI document")))]
async fn api_openapi() -> Response {
    let doc = ApiDoc::openapi();
    match doc.to_json() {
        Ok(text) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            text,
        )
            .into_response(),
        Err(e) => Failure(WebError::Internal(e.to_string()), Want::Json).into_response(),
    }
}

/// The OpenAPI description of the API, generated from the handlers above.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dossier API",
        description = "Sourced profiles of organizations and their networks."
    ),
    paths(
        api_entity,
        api_profile,
        api_search,
        api_claim,
        api_source,
        api_network,
        api_connections,
        api_neighbours,
        api_path,
        api_stats,
        api_openapi
    ),
    components(schemas(
        ErrorWire,
        EntityRef,
        EntityWire,
        QuotationWire,
        CopyWire,
        HighlightWire,
        ArchiveWire,
        ClaimWire,
        MemberWire,
        TieWire,
        FundingWire,
        ProfileWire,
        MergedWire,
        SourcedValueWire,
        StatedCountWire,
        SourceWire,
        HitWire,
        FacetCount,
        SearchWire,
        NodeWire,
        EdgeWire,
        NetworkWire,
        ConnectionWire,
        ConnectionsWire,
        NeighbourWire,
        NeighboursWire,
        StepWire,
        PathWire,
        HomeWire
    ))
)]
pub struct ApiDoc;

/// Every API path, in the order of [`routes`]; tests hold the OpenAPI
/// document to this list and fetch each.
pub const API_PATHS: [&str; 11] = [
    "/api/v1/entities/{id}",
    "/api/v1/entities/{id}/profile",
    "/api/v1/search",
    "/api/v1/claims/{id}",
    "/api/v1/sources/{id}",
    "/api/v1/networks/{id}",
    "/api/v1/entities/{id}/connections",
    "/api/v1/entities/{id}/neighbours",
    "/api/v1/path",
    "/api/v1/stats",
    "/api/v1/openapi.json",
];

pub(crate) fn routes() -> Router<AppState> {
    let handlers = [
        get(api_entity),
        get(api_profile),
        get(api_search),
        get(api_claim),
        get(api_source),
        get(api_network),
        get(api_connections),
        get(api_neighbours),
        get(api_path),
        get(api_stats),
        get(api_openapi),
    ];
    API_PATHS
        .iter()
        .zip(handlers)
        .fold(Router::new(), |router, (path, handler)| {
            router.route(path, handler)
        })
}
