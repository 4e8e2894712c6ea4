//! Networks and connections.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::profile::connections_section;
use crate::api;
use crate::views::layout;
use crate::{twin, AppState, Failure, JsonBody, Want};

pub(crate) async fn network(State(state): State<AppState>, Path(raw): Path<String>) -> Response {
    let (id, want) = twin(&raw);
    let r = api::network_json(&state, id.to_string()).await;
    match (r, want) {
        (Ok(n), Want::Json) => JsonBody(n).into_response(),
        (Ok(n), Want::Html) => {
            let title = format!("Network of {}", n.center.name);
            layout(&title, "", html! {
                h1 { "Network of " a href={ "/entities/" (n.center.id) } { (n.center.name) } }
                p { (n.nodes.len()) " entities"
                    @if n.total > n.nodes.len() { " (the most tied of " (n.total) ")" }
                    ", " (n.edges.len()) " ties: the network's members and their other ties (networks they share, funders, people). Every node links to its profile." }
                (crate::svg::network(&n))
                p.actions { a href={ "/networks/" (n.center.id) ".json" } { "JSON" } }
                details {
                    summary { "Ties as a table" }
                    table {
                        thead { tr { th { "From" } th { "Tie" } th { "To" } th { "Details" } } }
                        tbody {
                            @for e in &n.edges {
                                @let name = |id: &str| n.nodes.iter().find(|x| x.id == id).map(|x| x.label.clone()).unwrap_or_default();
                                tr { td { a href={ "/entities/" (e.source) } { (name(&e.source)) } } td { (e.kind) } td { a href={ "/entities/" (e.target) } { (name(&e.target)) } } td { (e.label) } }
                            }
                        }
                    }
                }
            }, None).into_response()
        }
        (Err(e), w) => Failure(e, w).into_response(),
    }
}

/// `/entities/{id}/connections`: the entities sharing the most with one,
/// from the analysis graph (kept off the profile page itself, whose render
/// time it would triple on a large store).
pub(crate) async fn connections(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    connections_page(state, id, Want::Html).await
}

/// The JSON twin of the connections page.
pub(crate) async fn connections_json(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    connections_page(state, id, Want::Json).await
}

async fn connections_page(state: AppState, id: String, want: Want) -> Response {
    let r = api::connections_json(&state, id).await;
    match (r, want) {
        (Ok(c), Want::Json) => JsonBody(c).into_response(),
        (Ok(c), Want::Html) => {
            let title = format!("Connections of {}", c.entity.name);
            layout(
                &title,
                "",
                html! {
                    p.kind { "Connections" }
                    h1 { a href={ "/entities/" (c.entity.id) } { (c.entity.name) } }
                    @if c.connections.is_empty() { p { "Nothing shares a network, funder, person or mention with it." } }
                    (connections_section(&c))
                },
                None,
            )
            .into_response()
        }
        (Err(e), want) => Failure(e, want).into_response(),
    }
}
