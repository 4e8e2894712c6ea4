//! Search and browse.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, PreEscaped};

use crate::api::{self, search_query};
use crate::views::layout;
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

pub(crate) async fn search(
    State(state): State<AppState>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let query = params.get("q").cloned().unwrap_or_default();
    match api::search_json(&state, params.clone()).await {
        Ok(r) => {
            let limit = search_query(&params).map(|q| q.limit).unwrap_or(20);
            let page = r.offset / limit + 1;
            let pages = r.total.div_ceil(limit).max(1);
            layout(if query.is_empty() { "Browse" } else { &query }, &query, html! {
                h1 { @if query.is_empty() { "Everything" } @else { "Results for “" (query) "”" } }
                p.count { (r.total) " results" }
                div.search-layout {
                    aside.facets {
                        @for (name, label) in [("kind", "Kind"), ("country", "Country"), ("topic", "Topic"), ("year", "Year")] {
                            @if let Some(values) = r.facets.get(name).filter(|v| !v.is_empty()) {
                                h2 { (label) }
                                ul {
                                    @for f in values.iter().take(15) {
                                        @let active = params.get(name).map(String::as_str) == Some(f.value.as_str());
                                        li.active[active] { a href=(facet_link(&params, name, &f.value)) { (f.value) } " " span.n { (f.count) } }
                                    }
                                }
                            }
                        }
                    }
                    ol.results {
                        @for h in &r.hits {
                            li {
                                a.title href={ "/entities/" (h.id) } { (h.title) }
                                " " span.tag { (h.kind) }
                                // The snippet is tantivy's HTML: escaped text, matches in <mark>.
                                @if !h.snippet.is_empty() { p.snippet { (PreEscaped(&h.snippet)) } }
                            }
                        }
                    }
                }
                @if pages > 1 {
                    nav.pages {
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
    match api::search_json(&state, params).await {
        Ok(v) => JsonBody(v).into_response(),
        Err(e) => Failure(e, Want::Json).into_response(),
    }
}
