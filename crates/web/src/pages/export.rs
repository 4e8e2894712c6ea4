//! Downloads of an entity and its neighbourhood: its relationships as CSV
//! (a row each, with the other party, role, dates, amount and sources),
//! FtM entities (itself, its relationships, the entities at their other
//! ends, the claims about it and their quotations, and every source
//! document, each entity citing its sources in `proof`), and the network
//! of its relationships as GEXF. Mentions in claims are not ties: they
//! are in the FtM file as claims, never as edges.

use std::collections::{BTreeMap, BTreeSet};

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use dossier_graph::EdgeKind;
use dossier_model::Entity;
use dossier_store::Read;

use crate::{AppState, Failure, Want, WebError};

/// An entity, what ties it to others, and what the sources say of it.
struct Hood {
    center: Entity,
    /// Relationship entities with one end at the center (no mentions).
    relations: Vec<Entity>,
    /// The entities at the relationships' other ends.
    others: Vec<Entity>,
    /// Claims about the center and their quotations.
    claims: Vec<Entity>,
    /// Who the claims name: those they mention, speakers, asserters (in
    /// the FtM file, so that every reference resolves; never edges).
    named: Vec<Entity>,
    /// The documents every entity above was taken from.
    documents: Vec<Entity>,
    /// Entity id → ids of the documents its current statements came from.
    sources: BTreeMap<String, BTreeSet<String>>,
}

impl Hood {
    fn read(store: &dyn Read, id: &str) -> Result<Hood, WebError> {
        let center = store
            .entity(id)?
            .ok_or_else(|| WebError::NotFound(format!("There is no entity {id}.")))?;
        let refs = store.referencing(&center.id)?;
        let mut relations = Vec::new();
        let mut claims = Vec::new();
        let mut other_ids: Vec<String> = Vec::new();
        for r in refs {
            if r.schema.name == "Claim" {
                if r.values("subject").any(|s| s == center.id) {
                    claims.push(r);
                }
                continue;
            }
            let ties = dossier_views::ties_of(&r);
            if ties.is_empty() || ties.iter().all(|t| t.kind == EdgeKind::Mention) {
                continue;
            }
            for t in &ties {
                for end in [&t.source, &t.target] {
                    if *end != center.id && !other_ids.contains(end) {
                        other_ids.push(end.clone());
                    }
                }
            }
            relations.push(r);
        }
        let claim_ids: Vec<String> = claims.iter().map(|c| c.id.clone()).collect();
        for list in store.referencing_of(&claim_ids)? {
            claims.extend(list.into_iter().filter(|q| q.schema.name == "Quotation"));
        }
        let others = store.entities_of(&other_ids)?;
        let mut named_ids: Vec<String> = Vec::new();
        for c in &claims {
            for prop in ["mentions", "speaker", "assertedBy", "subject"] {
                for v in c.values(prop) {
                    if v != center.id
                        && !other_ids.iter().any(|o| o == v)
                        && !named_ids.iter().any(|n| n == v)
                    {
                        named_ids.push(v.to_string());
                    }
                }
            }
        }
        let named = store.entities_of(&named_ids)?;
        let mut sources: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for e in std::iter::once(&center)
            .chain(&relations)
            .chain(&others)
            .chain(&claims)
            .chain(&named)
        {
            let cited = sources.entry(e.id.clone()).or_default();
            for st in store.history(&e.id)? {
                if st.is_current() && st.source != e.id {
                    cited.insert(st.source);
                }
            }
        }
        let doc_ids: Vec<String> = sources
            .values()
            .flatten()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .cloned()
            .collect();
        let documents = store
            .entities_of(&doc_ids)?
            .into_iter()
            .filter(|d| d.schema.is_a("Document"))
            .collect();
        Ok(Hood {
            center,
            relations,
            others,
            claims,
            named,
            documents,
            sources,
        })
    }

    fn other(&self, id: &str) -> Option<&Entity> {
        self.others.iter().find(|o| o.id == id)
    }

    fn title(&self, doc: &str) -> String {
        self.documents
            .iter()
            .find(|d| d.id == doc)
            .map_or_else(|| doc.to_string(), |d| d.caption().to_string())
    }

    /// Every entity of the file, the center first.
    fn entities(&self) -> Vec<Entity> {
        std::iter::once(&self.center)
            .chain(&self.relations)
            .chain(&self.others)
            .chain(&self.claims)
            .chain(&self.named)
            .chain(&self.documents)
            .cloned()
            .collect()
    }
}

/// The relationships as CSV: one row each.
fn csv_of(h: &Hood) -> Result<Vec<u8>, WebError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| WebError::Internal(format!("the CSV could not be written: {e}"));
    w.write_record([
        "entity_id",
        "entity",
        "relationship",
        "relationship_id",
        "direction",
        "other_id",
        "other",
        "other_kind",
        "role",
        "start",
        "end",
        "amount",
        "currency",
        "source_ids",
        "sources",
    ])
    .map_err(fail)?;
    for r in &h.relations {
        for t in dossier_views::ties_of(r) {
            let (direction, other) = if t.source == h.center.id {
                ("to", &t.target)
            } else {
                ("from", &t.source)
            };
            let o = h.other(other);
            let srcs: Vec<&String> = h.sources.get(&r.id).into_iter().flatten().collect();
            let ids: Vec<&str> = srcs.iter().map(|s| s.as_str()).collect();
            let titles: Vec<String> = srcs.iter().map(|s| h.title(s)).collect();
            w.write_record([
                h.center.id.as_str(),
                h.center.caption(),
                t.kind.as_str(),
                r.id.as_str(),
                direction,
                other.as_str(),
                o.map_or("", |o| o.caption()),
                o.map_or("", |o| o.schema.name),
                r.first("role").unwrap_or(""),
                t.start.as_deref().unwrap_or(""),
                t.end.as_deref().unwrap_or(""),
                r.first("amount").unwrap_or(""),
                r.first("currency").unwrap_or(""),
                &ids.join(";"),
                &titles.join("; "),
            ])
            .map_err(fail)?;
        }
    }
    w.into_inner()
        .map_err(|e| WebError::Internal(format!("the CSV could not be written: {e}")))
}

/// The entities as FtM JSON lines.
fn ftm_of(h: &Hood) -> Result<Vec<u8>, WebError> {
    let mut out = Vec::new();
    dossier_formats::ftm::write(&mut out, &h.entities(), &h.sources)
        .map_err(|e| WebError::Internal(format!("the FtM file could not be written: {e}")))?;
    Ok(out)
}

/// The network of the entity's relationships as GEXF.
fn gexf_of(h: &Hood) -> Result<Vec<u8>, WebError> {
    use dossier_formats::graphs::{write_gexf, GraphEdge, GraphNode};
    let node = |e: &Entity| GraphNode {
        id: e.id.clone(),
        label: e.caption().to_string(),
        kind: e.schema.name.to_string(),
        country: e.values("country").collect::<Vec<_>>().join(","),
    };
    let nodes: Vec<GraphNode> = std::iter::once(&h.center)
        .chain(&h.others)
        .map(node)
        .collect();
    let mut edges = Vec::new();
    for r in &h.relations {
        for t in dossier_views::ties_of(r) {
            edges.push(GraphEdge {
                label: r
                    .first("role")
                    .map(str::to_string)
                    .or_else(|| r.amount_label())
                    .unwrap_or_else(|| t.kind.as_str().to_string()),
                source: t.source,
                target: t.target,
                kind: t.kind.as_str().to_string(),
                relationship: t.id,
                amount: t.amount,
                start: t.start,
                end: t.end,
            });
        }
    }
    let mut out = Vec::new();
    let description = format!("{} and its relationships, from Dossier", h.center.caption());
    write_gexf(&mut out, &nodes, &edges, &description)
        .map_err(|e| WebError::Internal(format!("the GEXF file could not be written: {e}")))?;
    Ok(out)
}

/// A file to download, named after the entity.
fn attachment(id: &str, ext: &str, media_type: &str, body: Vec<u8>) -> Response {
    // Ids are the store's own ([a-z0-9-]); anything else is left out of the name.
    let name: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.{ext}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn download(
    state: AppState,
    id: String,
    make: fn(&Hood) -> Result<Vec<u8>, WebError>,
    ext: &'static str,
    media_type: &'static str,
) -> Response {
    let r = state
        .with({
            let id = id.clone();
            move |store, _| make(&Hood::read(store, &id)?)
        })
        .await;
    match r {
        Ok(body) => attachment(&id, ext, media_type, body),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// `/entities/{id}/export.csv`
pub(crate) async fn csv(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    download(state, id, csv_of, "csv", "text/csv; charset=utf-8").await
}

/// `/entities/{id}/export.ftm.json`: FtM entities, one JSON object a line.
pub(crate) async fn ftm(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    download(state, id, ftm_of, "ftm.json", "application/x-ndjson").await
}

/// `/entities/{id}/export.gexf`
pub(crate) async fn gexf(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    download(state, id, gexf_of, "gexf", "application/gexf+xml").await
}

/// The most results a search's download holds.
const SEARCH_DOWNLOAD: usize = 1000;

/// The hits of a search's first [`SEARCH_DOWNLOAD`] results, described
/// as the results page describes them.
fn search_hits(
    store: &dyn Read,
    index: &dossier_search::SearchIndex,
    params: &HashMap<String, String>,
) -> Result<Vec<crate::api::HitWire>, WebError> {
    let mut q = crate::api::search_query(params)?;
    q.limit = SEARCH_DOWNLOAD;
    q.offset = 0;
    let mut r = index.search(&q)?;
    let ids: Vec<String> = r.hits.iter().map(|h| h.id.clone()).collect();
    let seen: std::collections::HashSet<String> =
        store.labels(&ids)?.into_iter().map(|l| l.id).collect();
    r.hits.retain(|h| seen.contains(&h.id));
    let mut wire = crate::api::search_wire(&q, &r);
    crate::api::describe_hits(store, &mut wire.hits)?;
    Ok(wire.hits)
}

/// `/search.csv?…`: the results of a search, a row each.
pub(crate) async fn search_csv(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let r = state
        .with(move |store, index| {
            let hits = search_hits(store, index, &params)?;
            let mut w = csv::Writer::from_writer(Vec::new());
            let fail =
                |e: csv::Error| WebError::Internal(format!("the CSV could not be written: {e}"));
            w.write_record([
                "id",
                "kind",
                "title",
                "about",
                "source_id",
                "source",
                "date",
                "detail",
                "score",
            ])
            .map_err(fail)?;
            for h in hits {
                let about: Vec<&str> = h.about.iter().map(|a| a.name.as_str()).collect();
                w.write_record([
                    h.id.as_str(),
                    &h.kind,
                    &h.title,
                    &about.join("; "),
                    h.source.as_ref().map_or("", |s| s.id.as_str()),
                    h.source.as_ref().map_or("", |s| s.name.as_str()),
                    h.date.as_deref().unwrap_or(""),
                    h.detail.as_deref().unwrap_or(""),
                    &h.score.to_string(),
                ])
                .map_err(fail)?;
            }
            w.into_inner()
                .map_err(|e| WebError::Internal(format!("the CSV could not be written: {e}")))
        })
        .await;
    match r {
        Ok(body) => attachment("search", "csv", "text/csv; charset=utf-8", body),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// `/search.ftm.json?…`: the entities a search found, as FtM, with their
/// source documents.
pub(crate) async fn search_ftm(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let r = state
        .with(move |store, index| {
            let hits = search_hits(store, index, &params)?;
            let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
            let mut entities = store.entities_of(&ids)?;
            let mut sources: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for e in &entities {
                let cited = sources.entry(e.id.clone()).or_default();
                for st in store.history(&e.id)? {
                    if st.is_current() && st.source != e.id {
                        cited.insert(st.source);
                    }
                }
            }
            let docs: Vec<String> = sources
                .values()
                .flatten()
                .filter(|d| !ids.contains(d))
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            entities.extend(
                store
                    .entities_of(&docs)?
                    .into_iter()
                    .filter(|d| d.schema.is_a("Document")),
            );
            let mut out = Vec::new();
            dossier_formats::ftm::write(&mut out, &entities, &sources).map_err(|e| {
                WebError::Internal(format!("the FtM file could not be written: {e}"))
            })?;
            Ok(out)
        })
        .await;
    match r {
        Ok(body) => attachment("search", "ftm.json", "application/x-ndjson", body),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}
