//! Power-mapping pages: the chain of relationships between two entities
//! (the path finder) and the interlocks of a network: who is tied to
//! several of its members. Mentions in claims are not ties on either.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use dossier_search::SearchQuery;
use dossier_store::Read;
use maud::{html, Markup};
use serde::Serialize;

use crate::api::{self, label_ref, EntityRef};
use crate::views::{crumbs, layout};
use crate::{AppState, Failure, JsonBody, Want, WebError};

/// Every kind of tie but a mention.
const TIES: &str = "membership,payment,employment,directorship,link";

/// An entity named by its id, or else by the name a search finds first
/// among organizations, public bodies, companies and people.
fn resolve(
    store: &dyn Read,
    index: &dossier_search::SearchIndex,
    typed: &str,
) -> Result<Option<EntityRef>, WebError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    if let Some(l) = store.labels(&[typed.to_string()])?.first() {
        return Ok(Some(label_ref(l)));
    }
    // Whom a name finds is the search index's answer: any change may move it.
    store.depends_on_everything();
    let hits = index.search(&SearchQuery {
        text: typed.to_string(),
        limit: 10,
        ..Default::default()
    })?;
    let ids: Vec<String> = hits
        .hits
        .iter()
        .filter(|h| ["organization", "public body", "company", "person"].contains(&h.kind.as_str()))
        .map(|h| h.id.clone())
        .collect();
    let labels = store.labels(&ids)?;
    Ok(ids
        .iter()
        .find_map(|id| labels.iter().find(|l| &l.id == id))
        .map(label_ref))
}

fn step_line(s: &api::StepWire) -> Markup {
    let to = |e: &EntityRef| html! { a href={ "/entities/" (e.id) } { (e.name) } };
    html! {
        li {
            (to(&s.from)) " — " span.tag { (s.kind) }
            @if !s.detail.is_empty() { " " (s.detail.join(", ")) }
            " → " (to(&s.to))
            @if !s.sources.is_empty() {
                span.meta { " · source: " @for (i, d) in s.sources.iter().enumerate() { @if i > 0 { "; " } (to(d)) } }
            }
        }
    }
}

/// `/path?from=…&to=…`: names or ids; the shortest chain of relationships
/// between them, each step with its sources.
pub(crate) async fn path(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let from = params.get("from").cloned().unwrap_or_default();
    let to = params.get("to").cloned().unwrap_or_default();
    let ends = state
        .with({
            let (from, to) = (from.clone(), to.clone());
            move |store, index| Ok((resolve(store, index, &from)?, resolve(store, index, &to)?))
        })
        .await;
    let (a, b) = match ends {
        Ok(e) => e,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    let found = match (&a, &b) {
        (Some(a), Some(b)) => {
            let mut p = HashMap::from([
                ("from".to_string(), a.id.clone()),
                ("to".to_string(), b.id.clone()),
                ("kind".to_string(), TIES.to_string()),
            ]);
            if let Some(at) = params.get("at") {
                p.insert("at".into(), at.clone());
            }
            match api::path_json(&state, p).await {
                Ok(p) => Some(p),
                Err(e) => return Failure(e, Want::Html).into_response(),
            }
        }
        _ => None,
    };
    let shown = |typed: &str, e: &Option<EntityRef>| {
        e.as_ref().map_or(typed.to_string(), |e| e.name.clone())
    };
    layout(
        "Path finder",
        "",
        html! {
            (crumbs(&[], "Path finder"))
            h1 { "How are they connected?" }
            p.note { "The shortest chain of relationships (memberships, funding, staff, board seats, partnerships) between two entities, each step with its source. Being named in the same claim is not a tie." }
            form.path-form method="get" action="/path" {
                p { label for="path-from" { "From" } br; input #path-from type="search" name="from" value=(shown(&from, &a)) required placeholder="a name, an acronym or an id"; }
                p { label for="path-to" { "To" } br; input #path-to type="search" name="to" value=(shown(&to, &b)) required placeholder="a name, an acronym or an id"; }
                p { label for="path-at" { "Ties that held in (optional)" } br; input #path-at type="text" name="at" value=[params.get("at")] placeholder="YYYY, YYYY-MM or YYYY-MM-DD" size="12"; }
                p { button type="submit" { "Find the path" } }
            }
            @if !from.trim().is_empty() && a.is_none() { p.error { "Nothing in the store is called “" (from) "”." } }
            @if !to.trim().is_empty() && b.is_none() { p.error { "Nothing in the store is called “" (to) "”." } }
            @if let Some(p) = &found {
                section #path {
                    h2 { (p.from.name) " → " (p.to.name) }
                    @match p.length {
                        Some(0) => { p { "They are the same entity." } }
                        Some(n) => {
                            p { (dossier_views::counted(n as u64, "step", "steps")) ":" }
                            ol.path { @for s in &p.steps { (step_line(s)) } }
                        }
                        None => { p { "No chain of relationships joins them in the store." } }
                    }
                }
            }
        },
        None,
    )
    .into_response()
}

/// An entity tied to several members of a network.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InterlockWire {
    pub entity: EntityRef,
    /// The members it is tied to.
    pub members: Vec<EntityRef>,
    /// The sum of the payments between it and them.
    pub funding: f64,
}

/// A network's interlocks, most members first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InterlocksWire {
    pub network: EntityRef,
    pub members: usize,
    pub total: usize,
    pub interlocks: Vec<InterlockWire>,
}

/// The most interlocks a page lists.
const INTERLOCKS: usize = 100;

/// `/networks/{id}/interlocks`: who is tied to two or more of a network's
/// members (a funder of several, a person on several boards, another
/// network they share).
pub(crate) async fn interlocks(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    interlocks_page(state, id, Want::Html).await
}

/// `/networks/{id}/interlocks.json`
pub(crate) async fn interlocks_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    interlocks_page(state, id, Want::Json).await
}

async fn interlocks_page(state: AppState, id: String, want: Want) -> Response {
    let st = state.clone();
    let r = state
        .with(move |store, _| {
            use dossier_graph::EdgeKind;
            let center = store
                .labels(std::slice::from_ref(&id))?
                .into_iter()
                .next()
                .ok_or_else(|| WebError::NotFound(format!("There is no entity {id}.")))?;
            let graph = st.graph(store)?;
            let filter = dossier_graph::analysis::Filter {
                kinds: vec![
                    EdgeKind::Membership,
                    EdgeKind::Payment,
                    EdgeKind::Employment,
                    EdgeKind::Directorship,
                    EdgeKind::Link,
                ],
                at: None,
            };
            let Some(n) = graph.node(&center.id) else {
                return Ok(InterlocksWire {
                    network: label_ref(&center),
                    members: 0,
                    total: 0,
                    interlocks: Vec::new(),
                });
            };
            let members = graph.members(n, &filter);
            // Who is tied to two members changes only with the ties of the
            // network or of its members: a change to either lists them.
            dossier_views::depends_on_nodes(
                store,
                &graph,
                std::iter::once(n).chain(members.iter().copied()),
            );
            let (locks, total) = graph.top_interlocks(&members, &[n], 2, INTERLOCKS, &filter);
            let mut ids: Vec<String> = Vec::new();
            for l in &locks {
                ids.push(graph.id(l.node));
                ids.extend(l.members.iter().map(|&m| graph.id(m)));
            }
            ids.sort();
            ids.dedup();
            let labels: HashMap<String, dossier_store::Label> = store
                .labels(&ids)?
                .into_iter()
                .map(|l| (l.id.clone(), l))
                .collect();
            let named = |i: usize| labels.get(&graph.id(i)).map(label_ref);
            Ok(InterlocksWire {
                network: label_ref(&center),
                members: members.len(),
                total,
                interlocks: locks
                    .iter()
                    .filter_map(|l| {
                        Some(InterlockWire {
                            entity: named(l.node)?,
                            members: l.members.iter().filter_map(|&m| named(m)).collect(),
                            funding: l.funding,
                        })
                    })
                    .collect(),
            })
        })
        .await;
    match (r, want) {
        (Ok(w), Want::Json) => JsonBody(w).into_response(),
        (Ok(w), Want::Html) => {
            let to = |e: &EntityRef| html! { a href={ "/entities/" (e.id) } { (e.name) } };
            let title = format!("Interlocks of {}", w.network.name);
            layout(&title, "", html! {
                (crumbs(&[(w.network.name.as_str(), &format!("/entities/{}", w.network.id)), ("Network", &format!("/networks/{}", w.network.id))], "Interlocks"))
                h1 { "Interlocks of " (to(&w.network)) }
                p.note { "Who is tied to two or more of its " (w.members) " members: a funder of several, a person on several boards, another network they share. Mentions in claims are not ties." }
                @if w.interlocks.is_empty() { p { "No entity is tied to two of its members." } }
                @else {
                    p.count { (w.interlocks.len()) " of " (w.total) ", most members first" }
                    table.rel data-sortable {
                        thead { tr { th scope="col" { "Entity" } th.num scope="col" { "Members" } th scope="col" { "Which" } th.num scope="col" { "Funding" } } }
                        tbody {
                            @for l in &w.interlocks {
                                tr {
                                    td data-label="Entity" { (to(&l.entity)) " " span.tag { (l.entity.schema) } }
                                    td.num data-label="Members" data-key=(l.members.len()) { (l.members.len()) }
                                    td data-label="Which" { @for (i, m) in l.members.iter().take(12).enumerate() { @if i > 0 { ", " } (to(m)) } @if l.members.len() > 12 { ", …" } }
                                    td.num data-label="Funding" data-key=(l.funding) { @if l.funding > 0.0 { (format!("{:.0}", l.funding)) } }
                                }
                            }
                        }
                    }
                }
                p.actions { a href={ "/networks/" (w.network.id) "/interlocks.json" } { "JSON" } }
            }, None).into_response()
        }
        (Err(e), w) => Failure(e, w).into_response(),
    }
}
