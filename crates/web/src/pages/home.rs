//! The home page.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

use crate::api;
use crate::views::{label_link, layout};
use crate::{AppState, Failure, JsonBody, Want};

pub(crate) async fn home(State(state): State<AppState>) -> Response {
    let st = state.clone();
    let r = state
        .with(move |store, _| {
            let stats = st.kept(store).stats(store)?;
            Ok((
                stats,
                st.networks(store)?,
                super::browse::recent_changes(store, 8)?,
            ))
        })
        .await;
    match r {
        Ok((stats, nets, recent)) => layout("Dossier", "", html! {
            section.intro {
                h1 { "Sourced profiles of organizations and their networks" }
                p { "Who an organization is, which networks it belongs to, who funds and runs it, what it said and what others claim about it — every statement with its source." }
                form.big-search action="/search" method="get" role="search" {
                    label for="home-q" { "Search names, acronyms, claims and quotations" }
                    input #home-q type="search" name="q" autofocus placeholder="e.g. PCFF, Physicians for Human Rights, apartheid";
                    button type="submit" { "Search" }
                }
            }
            section {
                h2 { "Networks" }
                @if nets.is_empty() { p { "No networks yet: import a profile page." } }
                ul.networks {
                    @for (e, n) in nets.iter().take(12) {
                        li { (label_link(e)) " — " (n) " members · " a href={ "/networks/" (e.id) } { "network" } }
                    }
                }
                @if nets.len() > 12 { p { a href="/browse" { "All " (nets.len()) " networks" } } }
            }
            section {
                h2 { "Recently changed" }
                @if recent.is_empty() { p { "Nothing recorded yet." } }
                ul.recent {
                    @for c in &recent {
                        li {
                            a href={ "/entities/" (c.entity.id) } { (c.entity.name) } " "
                            span.meta { (c.at.get(..10).unwrap_or(&c.at)) " · " (c.user) " · " (c.props.join(", ")) }
                        }
                    }
                }
                p { a href="/changes" { "All recent changes" } }
            }
            section {
                h2 { "In the store" }
                p { (dossier_views::counted(stats.current_statements, "statement", "statements")) " from " (dossier_views::counted(stats.sources, "source", "sources")) ": "
                    @for (i, (schema, n)) in stats.entities_by_schema.iter().enumerate() { @if i > 0 { ", " } (n) " " (schema) }
                }
                p { a href="/browse" { "Browse by kind, country, network or letter" } " · " a href="/search" { "Everything, A to Z" } " · " a href="/api/v1/openapi.json" { "API (OpenAPI)" } }
            }
        }, None).into_response(),
        Err(e) => Failure(e, Want::Html).into_response(),
    }
}

pub(crate) async fn home_json(State(state): State<AppState>) -> Response {
    match api::home_json(&state).await {
        Ok(v) => JsonBody(v).into_response(),
        Err(e) => Failure(e, Want::Json).into_response(),
    }
}
