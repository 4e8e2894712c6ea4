//! Search and browse.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped};

use crate::api::{self, search_query};
use crate::views::{crumbs, layout};
use crate::{AppState, Failure, JsonBody, Want};

pub(crate) fn facet_link(params: &HashMap<String, String>, key: &str, value: &str) -> String {
    let mut p: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k.as_str() != "page")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let active = params.get(key).map(String::as_str) == Some(value);
    p.retain(|(k, _)| k != key);
    if !active {
        p.push((key.to_string(), value.to_string()));
    }
    p.sort();
    let qs: Vec<String> = p
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("/search?{}", qs.join("&"))
}

/// Percent-encodes a query value.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// How a facet's value reads: a country by its name.
fn facet_label(name: &str, value: &str) -> String {
    match name {
        "country" => {
            dossier_model::country::country_name(value).unwrap_or_else(|| value.to_string())
        }
        _ => value.to_string(),
    }
}

/// One result: what it is (kind, and for a claim what it is about, its
/// source and date), then the words that matched.
fn hit_line(h: &api::HitWire) -> Markup {
    let to = |e: &api::EntityRef| html! { a href={ "/entities/" (e.id) } { (e.name) } };
    html! {
        li {
            a.title href={ "/entities/" (h.id) } { (h.title) }
            " " span.tag { (h.kind) }
            p.meta {
                @if !h.about.is_empty() {
                    "About " @for (i, a) in h.about.iter().enumerate() { @if i > 0 { ", " } (to(a)) }
                }
                @if let Some(d) = &h.detail { @if !h.about.is_empty() { " · " } (d) }
                @if let Some(s) = &h.source { " · Source: " (to(s)) }
                @if let Some(d) = &h.date { " · " time datetime=(d) { (d) } }
            }
            // The snippet is tantivy's HTML: escaped text, matches in <mark>.
            @if !h.snippet.is_empty() { p.snippet { (PreEscaped(&h.snippet)) } }
        }
    }
}

/// What to try when the words found nothing.
fn no_results(query: &str, did_you_mean: Option<&str>) -> Markup {
    html! {
        div.no-results {
            p { "Nothing matches “" (query) "”." }
            ul {
                li { "Check the spelling, or use fewer words: " em { "physicians human rights" } " finds what " em { "physicians for human rights in israel" } " might not." }
                li { "Try an acronym or a short name (" em { "PCFF" } ", " em { "allmep" } "): case does not matter." }
                li { "Search quoted words without the quotation marks; claims and quotations are searched word by word." }
                li { a href="/browse" { "Browse" } " by kind, country, network or letter." }
            }
            @if did_you_mean.is_none() { p.note { "No name in the store is close to these words." } }
        }
    }
}

/// The query string of this search with other parameters for a download.
fn download_link(params: &HashMap<String, String>, path: &str) -> String {
    let mut p: Vec<(&String, &String)> = params
        .iter()
        .filter(|(k, _)| k.as_str() != "page")
        .collect();
    p.sort();
    let qs: Vec<String> = p
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{path}?{}", qs.join("&"))
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let query = params.get("q").cloned().unwrap_or_default();
    // The page shows no scores: a change that moves only them leaves it.
    match api::search_checked(&state, params.clone(), false).await {
        Ok(None) => crate::pagecache::unchanged(),
        Ok(Some(r)) => {
            let limit = search_query(&params).map(|q| q.limit).unwrap_or(20);
            let page = r.offset / limit + 1;
            let pages = r.total.div_ceil(limit).max(1);
            layout(if query.is_empty() { "Everything" } else { &query }, &query, html! {
                (crumbs(&[], if query.is_empty() { "Everything" } else { "Search" }))
                h1 { @if query.is_empty() { "Everything, A to Z" } @else { "Results for “" (query) "”" } }
                @if let Some(m) = &r.did_you_mean {
                    p.did-you-mean { "Did you mean " a href={ "/search?q=" (encode(m)) } { (m) } "?" }
                }
                p.count { (dossier_views::counted(r.total as u64, "result", "results"))
                    @if r.total > 0 {
                        " · Download: " a href=(download_link(&params, "/search.csv")) download { "CSV" }
                        " · " a href=(download_link(&params, "/search.ftm.json")) download { "FtM" }
                    }
                }
                div.search-layout {
                    aside.facets aria-label="Filters" {
                        @for (name, label) in [("kind", "Kind"), ("country", "Country"), ("topic", "Topic"), ("year", "Year")] {
                            @if let Some(values) = r.facets.get(name).filter(|v| !v.is_empty()) {
                                h2 { (label) }
                                ul {
                                    @for f in values.iter().take(15) {
                                        @let active = params.get(name).map(String::as_str) == Some(f.value.as_str());
                                        li.active[active] { a href=(facet_link(&params, name, &f.value)) { (facet_label(name, &f.value)) } " " span.n { (f.count) } }
                                    }
                                }
                            }
                        }
                    }
                    div {
                        @if r.total == 0 && !query.is_empty() { (no_results(&query, r.did_you_mean.as_deref())) }
                        ol.results start=(r.offset + 1) {
                            @for h in &r.hits { (hit_line(h)) }
                        }
                    }
                }
                @if !query.is_empty() && r.total > 0 {
                    p.cite {
                        "Cite this search: Dossier, search for “" (query) "”, "
                        span.cite-url data-path={ "/search?q=" (encode(&query)) } { "/search?q=" (encode(&query)) }
                        ", " (dossier_views::counted(r.total as u64, "result", "results")) "."
                    }
                }
                @if pages > 1 {
                    nav.pages aria-label="Pages" {
                        @if page > 1 { a href=(facet_link(&params, "page", &(page - 1).to_string())) { "← previous" } " " }
                        "page " (page) " of " (pages)
                        @if page < pages { " " a href=(facet_link(&params, "page", &(page + 1).to_string())) { "next →" } }
                    }
                }
            }, None).into_response()
        }
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn search_json(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    match api::search_checked(&state, params, true).await {
        Ok(None) => crate::pagecache::unchanged(),
        Ok(Some(v)) => JsonBody(v).into_response(),
        Err(e) => Failure(e, Want::Json).into_response(),
    }
}
