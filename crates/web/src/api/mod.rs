//! The JSON API under `/api/v1`: handlers, routes and the OpenAPI
//! document. Its wire types are in `wire`, made from the read models in
//! `convert`; query parameters are checked in `params`.

mod convert;
mod params;
mod wire;

pub(crate) use convert::*;
pub(crate) use params::*;
pub use wire::*;

use std::collections::HashMap;

use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dossier_model::Entity;
use dossier_store::{Read, Reader};
use serde::Serialize;
use utoipa::OpenApi;

use axum::extract::{Path, Query, State};

use crate::{AppState, Failure, JsonBody, Want, WebError};

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
    let st = state.clone();
    state
        .with(move |store, _| {
            let p = dossier_views::profile_with_kept(store, &id, 0, &st.kept(store))?
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
    match search_checked(&state, params, true).await {
        Ok(Some(wire)) => json(Ok(wire)),
        Ok(None) => crate::pagecache::unchanged(),
        Err(e) => json::<SearchWire>(Err(e)),
    }
}

/// A search's answer, made whole (browsing reads it; no kept page is
/// checked against it).
pub(crate) async fn search_json(
    state: &AppState,
    params: HashMap<String, String>,
) -> Result<SearchWire, WebError> {
    search_with(state, params, true, None)
        .await?
        .ok_or_else(|| WebError::Internal("a search checked against no kept page".into()))
}

/// A search's answer for a [`crate::pagecache::checked_route`]; `None`
/// when the page kept for it is being checked (`pagecache::RECHECK`) and
/// the index answers as it did then, scores included when the answer
/// shows them (`scores`): the kept page is what the answer would be, so
/// the store is not read.
pub(crate) async fn search_checked(
    state: &AppState,
    params: HashMap<String, String>,
    scores: bool,
) -> Result<Option<SearchWire>, WebError> {
    let recheck = crate::pagecache::RECHECK.try_with(Clone::clone).ok();
    search_with(state, params, scores, recheck).await
}

async fn search_with(
    state: &AppState,
    params: HashMap<String, String>,
    scores: bool,
    recheck: Option<std::sync::Arc<crate::pagecache::Recheck>>,
) -> Result<Option<SearchWire>, WebError> {
    let q = search_query(&params)?;
    let st = state.clone();
    state
        .with(move |reader, index| {
            let r = index.search(&q)?;
            let mut wire = search_wire(&q, &r);
            if r.total < 3 && !q.text.trim().is_empty() {
                wire.did_you_mean = index
                    .did_you_mean(&q.text)?
                    .filter(|m| !m.eq_ignore_ascii_case(q.text.trim()));
            }
            // What the index answered, as the page shows it.
            if let Some(recheck) = &recheck {
                let shown = if scores {
                    crate::pagecache::fingerprint(&wire)
                } else {
                    let kept: Vec<f32> = wire
                        .hits
                        .iter_mut()
                        .map(|h| std::mem::take(&mut h.score))
                        .collect();
                    let f = crate::pagecache::fingerprint(&wire);
                    for (h, score) in wire.hits.iter_mut().zip(kept) {
                        h.score = score;
                    }
                    f
                };
                if shown.is_some_and(|f| recheck.same(f)) {
                    return Ok(None);
                }
            }
            let kept = st.kept(reader);
            let store = &dossier_views::cache::with_kept(reader, &kept);
            // The index this reader is given holds nothing hidden from them;
            // a hit on what they cannot see (while an index catches up with
            // a collection made private) is still left out.
            let ids: Vec<String> = wire.hits.iter().map(|h| h.id.clone()).collect();
            let seen: std::collections::HashSet<String> =
                store.labels(&ids)?.into_iter().map(|l| l.id).collect();
            wire.hits.retain(|h| seen.contains(&h.id));
            describe_hits(store, &mut wire.hits)?;
            Ok(Some(wire))
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
    let (version, graph) = state.graph_at(store)?;
    let (conns, total) = dossier_views::connections(
        store,
        (&graph, version),
        state.interlocks(),
        &state.kept(store),
        &e.id,
        limit,
    )?;
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
        .with(move |reader, _| {
            let kept = st.kept(reader);
            let store = &dossier_views::cache::with_kept(reader, &kept);
            let e = store
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))?;
            let graph = st.graph(reader)?;
            let found = graph
                .node(&id)
                .map(|x| graph.neighbours(x, hops, &filter))
                .unwrap_or_default();
            // Who is within `hops`, and how far, changes only with the
            // ties of the entity or of those nearer than `hops`: a change
            // to either lists them (the entity itself was read above).
            dossier_views::depends_on_nodes(
                store,
                &graph,
                found.iter().filter(|&&(_, d)| d < hops).map(|&(n, _)| n),
            );
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
        .with(move |reader, _| {
            let kept = st.kept(reader);
            let store = &dossier_views::cache::with_kept(reader, &kept);
            // An id merged into another is read as the one it is part of.
            let entity = |id: &str| {
                let id = store.canonical_of(id)?.unwrap_or_else(|| id.to_string());
                store
                    .entity(&id)?
                    .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))
            };
            let (a, b) = (entity(&from)?, entity(&to)?);
            let graph = st.graph(reader)?;
            let mut seen = Vec::new();
            let path = match (graph.node(&a.id), graph.node(&b.id)) {
                (Some(x), Some(y)) => graph
                    .shortest_path_seen(x, y, &filter, &mut seen)
                    .map(|p| (x, p)),
                _ => None,
            };
            // The path holds until a tie of a node the search looked at
            // changes; past a few thousand of them (two ends far apart,
            // or in parts not joined), until anything does.
            dossier_views::depends_on_nodes(store, &graph, seen);
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
        .with(move |reader, _| {
            let kept = st.kept(reader);
            let store = &dossier_views::cache::with_kept(reader, &kept);
            let center = store
                .entity(&id)?
                .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))?;
            let graph = st.graph(reader)?;
            let (net, total) = dossier_views::network(store, &graph, &id, NETWORK_LIMIT)?
                .ok_or_else(|| WebError::NotFound(format!("no entity {id}")))?;
            let layout = st.layouts().get(&net, 960.0, 720.0, 300);
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
    let st = state.clone();
    state
        .with(move |store, _| {
            let stats = st.kept(store).stats(store)?;
            let networks = st.networks(store)?;
            Ok(HomeWire {
                statements: stats.current_statements,
                entities: stats.entities_by_schema.into_iter().collect(),
                networks: networks.iter().map(|(l, _)| label_ref(l)).collect(),
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
    // An entity's answers, and those made of the ties near it, are kept
    // until one of the entities they read or depend on changes
    // (`pagecache::Precise`); lists, searches and counts until anything
    // does.
    use crate::pagecache::{checked_route, precise_route};
    let handlers = [
        precise_route(get(api_entity)),
        precise_route(get(api_profile)),
        checked_route(get(api_search)),
        precise_route(get(api_claim)),
        precise_route(get(api_source)),
        precise_route(get(api_network)),
        precise_route(get(api_connections)),
        precise_route(get(api_neighbours)),
        precise_route(get(api_path)),
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
