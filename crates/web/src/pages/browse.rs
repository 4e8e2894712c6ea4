//! Browsing without words: by kind, country, network and letter (the
//! search index, A to Z), and what changed lately in the store.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use dossier_store::Read;
use maud::{html, Markup};
use serde::Serialize;

use crate::api::{self, EntityRef};
use crate::views::{crumbs, label_link, layout};
use crate::{AppState, Failure, JsonBody, Want, WebError};

/// The kinds a reader browses, as the index names them, and as a page does.
const KINDS: [(&str, &str); 6] = [
    ("organization", "Organizations"),
    ("public body", "Public bodies"),
    ("company", "Companies"),
    ("person", "People"),
    ("source", "Sources"),
    ("claim", "Claims"),
];

fn kind_name(kind: &str) -> &str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(kind, |(_, label)| label)
}

/// A link to the browse page with these parameters (a letter's link keeps
/// the kind and country; the page is left out).
fn browse_link(params: &HashMap<String, String>, set: &[(&str, &str)]) -> String {
    let mut p: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k.as_str() != "page" && !set.iter().any(|(s, _)| s == k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    p.extend(
        set.iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    p.sort();
    let qs: Vec<String> = p
        .iter()
        .map(|(k, v)| format!("{}={}", super::search::encode(k), super::search::encode(v)))
        .collect();
    if qs.is_empty() {
        "/browse".into()
    } else {
        format!("/browse?{}", qs.join("&"))
    }
}

/// A to Z (and `#`), each letter a link when something starts with it.
fn letters(params: &HashMap<String, String>, counts: &[(String, u64)]) -> Markup {
    let current = params.get("letter").map(|l| l.to_ascii_uppercase());
    html! {
        nav.letters aria-label="By letter" {
            @for c in ('A'..='Z').chain(['#']) {
                @let l = c.to_string();
                @let n = counts.iter().find(|(v, _)| *v == l).map_or(0, |(_, n)| *n);
                @if current.as_deref() == Some(l.as_str()) {
                    strong aria-current="page" { (l) }
                } @else if n > 0 {
                    a href=(browse_link(params, &[("letter", &l)])) title={ (n) " names" } { (l) }
                } @else {
                    span.none { (l) }
                }
            }
        }
    }
}

/// `/browse`: with no filter, the ways in (kinds, countries, networks,
/// letters); with one, the entities A to Z, a page at a time.
pub(crate) async fn browse(
    State(state): State<AppState>,
    Query(mut params): Query<HashMap<String, String>>,
) -> Response {
    params.remove("q");
    if !params.contains_key("kind") && params.contains_key("letter") {
        params.insert("kind".into(), "organization".into());
    }
    let filtered = ["kind", "country", "letter", "topic", "year"]
        .iter()
        .any(|k| params.contains_key(*k));
    let listing = match api::search_json(&state, params.clone()).await {
        Ok(r) => r,
        Err(e) => return Failure(e, Want::Html).into_response(),
    };
    // The letters of the list shown, or of the organizations when none is.
    let letter_counts: Vec<(String, u64)> = if filtered {
        listing.facets.get("letter").map(|v| {
            v.iter()
                .map(|f| (f.value.clone(), f.count))
                .collect::<Vec<_>>()
        })
    } else {
        let orgs = HashMap::from([
            ("kind".to_string(), "organization".to_string()),
            ("limit".to_string(), "1".to_string()),
        ]);
        match api::search_json(&state, orgs).await {
            Ok(r) => r.facets.get("letter").map(|v| {
                v.iter()
                    .map(|f| (f.value.clone(), f.count))
                    .collect::<Vec<_>>()
            }),
            Err(e) => return Failure(e, Want::Html).into_response(),
        }
    }
    .unwrap_or_default();
    let nets = if filtered {
        dossier_views::cache::NetworkList::default()
    } else {
        let st = state.clone();
        match state.with(move |store, _| st.networks(store)).await {
            Ok(n) => n,
            Err(e) => return Failure(e, Want::Html).into_response(),
        }
    };
    let limit = api::search_query(&params).map(|q| q.limit).unwrap_or(20);
    let page = listing.offset / limit + 1;
    let pages = listing.total.div_ceil(limit).max(1);
    let none: Vec<api::FacetCount> = Vec::new();
    let facet = |name: &str| listing.facets.get(name).unwrap_or(&none);
    let title = match params.get("kind") {
        Some(k) if filtered => kind_name(k).to_string(),
        _ => "Browse".to_string(),
    };
    let country = params
        .get("country")
        .map(|c| dossier_model::country::country_name(c).unwrap_or_else(|| c.clone()));
    layout(
        &title,
        "",
        html! {
            @if filtered { (crumbs(&[("Browse", "/browse")], &title)) } @else { (crumbs(&[], "Browse")) }
            h1 {
                (title)
                @if let Some(c) = &country { " in " (c) }
                @if let Some(l) = params.get("letter") { ", " (l.to_ascii_uppercase()) }
            }
            @if filtered {
                (letters(&params, &letter_counts))
                p.count { (dossier_views::counted(listing.total as u64, "entry", "entries")) ", A to Z" }
                ol.browse start=(listing.offset + 1) {
                    @for h in &listing.hits {
                        li {
                            a href={ "/entities/" (h.id) } { (h.title) }
                            @if let Some(d) = &h.detail { " " span.meta { (d) } }
                            @if !h.about.is_empty() {
                                " " span.meta { "about " @for (i, a) in h.about.iter().enumerate() { @if i > 0 { ", " } (a.name) } }
                            }
                        }
                    }
                }
                @if pages > 1 {
                    nav.pages aria-label="Pages" {
                        @if page > 1 { a href=(browse_link(&params, &[("page", &(page - 1).to_string())])) { "← previous" } " " }
                        "page " (page) " of " (pages)
                        @if page < pages { " " a href=(browse_link(&params, &[("page", &(page + 1).to_string())])) { "next →" } }
                    }
                }
            } @else {
                h2 { "Organizations A to Z" }
                (letters(&params, &letter_counts))
                div.browse-grid {
                    section {
                        h2 { "By kind" }
                        ul {
                            @for f in facet("kind").iter() {
                                li { a href=(browse_link(&params, &[("kind", &f.value)])) { (kind_name(&f.value)) } " " span.n { (f.count) } }
                            }
                        }
                    }
                    section {
                        h2 { "By country" }
                        ul {
                            @for f in facet("country").iter().take(40) {
                                li { a href=(browse_link(&params, &[("kind", "organization"), ("country", &f.value)])) { (dossier_model::country::country_name(&f.value).unwrap_or_else(|| f.value.clone())) } " " span.n { (f.count) } }
                            }
                        }
                    }
                    section {
                        h2 { "By network" }
                        @if nets.is_empty() { p { "No networks yet." } }
                        ul {
                            @for (e, n) in nets.iter().take(40) {
                                li { (label_link(e)) " " span.n { (n) " members" } " · " a href={ "/networks/" (e.id) } { "network" } }
                            }
                        }
                    }
                }
            }
        },
        None,
    )
    .into_response()
}

/// One change: what one account recorded about one entity at one moment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChangeWire {
    pub at: String,
    pub user: String,
    pub entity: EntityRef,
    /// The properties it set, each once.
    pub props: Vec<String>,
    /// How many values were recorded.
    pub values: usize,
    /// How many of them have since been retracted.
    pub retracted: usize,
    pub source: Option<EntityRef>,
    pub dataset: String,
}

/// How many changes the page lists.
const CHANGES: usize = 50;

/// Statements recorded together: one entity, account, moment and source.
struct Group {
    entity: String,
    user: String,
    at: String,
    source: String,
    dataset: String,
    props: Vec<String>,
    values: usize,
    retracted: usize,
}

/// The last changes: the newest statements, grouped by entity, account,
/// moment and source.
pub(crate) fn recent_changes(store: &dyn Read, most: usize) -> Result<Vec<ChangeWire>, WebError> {
    let mut groups: Vec<Group> = Vec::new();
    for st in store.recent(2000)? {
        let same = |g: &&mut Group| {
            g.entity == st.canonical_id
                && g.user == st.user
                && g.at == st.first_seen
                && g.source == st.source
        };
        match groups.iter_mut().find(same) {
            Some(g) => {
                if !g.props.contains(&st.prop) {
                    g.props.push(st.prop.clone());
                }
                g.values += 1;
                g.retracted += usize::from(!st.is_current());
            }
            None => {
                if groups.len() == most {
                    break;
                }
                groups.push(Group {
                    retracted: usize::from(!st.is_current()),
                    entity: st.canonical_id,
                    user: st.user,
                    at: st.first_seen,
                    source: st.source,
                    dataset: st.dataset,
                    props: vec![st.prop],
                    values: 1,
                });
            }
        }
    }
    let mut ids: Vec<String> = groups
        .iter()
        .flat_map(|g| [g.entity.clone(), g.source.clone()])
        .collect();
    ids.sort();
    ids.dedup();
    let labels: HashMap<String, dossier_store::Label> = store
        .labels(&ids)?
        .into_iter()
        .map(|l| (l.id.clone(), l))
        .collect();
    Ok(groups
        .into_iter()
        .filter_map(|g| {
            let e = labels.get(&g.entity)?;
            Some(ChangeWire {
                at: g.at,
                user: g.user,
                entity: api::label_ref(e),
                props: g.props.into_iter().filter(|p| p != "id").collect(),
                values: g.values,
                retracted: g.retracted,
                source: labels
                    .get(&g.source)
                    .filter(|_| g.source != g.entity)
                    .map(api::label_ref),
                dataset: g.dataset,
            })
        })
        .collect())
}

/// `/changes`: what changed lately, newest first.
pub(crate) async fn changes(State(state): State<AppState>) -> Response {
    match state.with(|store, _| recent_changes(store, CHANGES)).await {
        Ok(list) => layout(
            "Recent changes",
            "",
            html! {
                (crumbs(&[], "Recent changes"))
                h1 { "Recent changes" }
                p.note { "The last " (CHANGES) " changes, newest first: who recorded what about which entity, from which source. Each entity's history has every change." }
                @if list.is_empty() { p { "Nothing recorded yet." } }
                ol.changes {
                    @for c in &list {
                        li {
                            time datetime=(c.at) { (c.at.replace('T', " ")) } " · "
                            strong { (c.user) } " · "
                            a href={ "/entities/" (c.entity.id) } { (c.entity.name) } " "
                            span.tag { (c.entity.schema) } " · "
                            (dossier_views::counted(c.values as u64, "value", "values")) ": " (c.props.join(", "))
                            @if c.retracted > 0 { " (" (c.retracted) " since retracted)" }
                            @if let Some(s) = &c.source { " · from " a href={ "/entities/" (s.id) } { (s.name) } }
                            " · " a href={ "/entities/" (c.entity.id) "/history" } { "history" }
                        }
                    }
                }
                p.actions { a href="/changes.json" { "JSON" } }
            },
            None,
        )
        .into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

/// `/changes.json`
pub(crate) async fn changes_json(State(state): State<AppState>) -> Response {
    match state.with(|store, _| recent_changes(store, CHANGES)).await {
        Ok(list) => JsonBody(list).into_response(),
        Err(e) => Failure(e, Want::Json).into_response(),
    }
}
