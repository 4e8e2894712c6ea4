//! Networks and connections.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::profile::connections_section;
use crate::api;
use crate::views::{crumbs, layout, svg};
use crate::{twin, AppState, Failure, JsonBody, Want, WebError};

/// The ties a network page shows: of these kinds (all when none is
/// named), and holding in this year (undated ties always).
struct Shown {
    kinds: Vec<String>,
    year: Option<i32>,
}

/// The tie kinds a reader may pick, and what they are called.
const TIE_KINDS: [(&str, &str); 5] = [
    ("membership", "membership"),
    ("payment", "funding"),
    ("employment", "staff"),
    ("directorship", "board"),
    ("link", "other tie"),
];

impl Shown {
    fn parse(params: &[(String, String)]) -> Result<Shown, WebError> {
        let mut kinds = Vec::new();
        let mut year = None;
        for (k, v) in params {
            match k.as_str() {
                "kind" => {
                    for one in v.split(',').map(str::trim).filter(|x| !x.is_empty()) {
                        if !TIE_KINDS.iter().any(|(t, _)| *t == one) {
                            return Err(WebError::BadRequest(format!(
                                "kind {one:?} is not one of membership, payment, employment, directorship, link"
                            )));
                        }
                        kinds.push(one.to_string());
                    }
                }
                "year" if !v.trim().is_empty() => {
                    year = Some(
                        v.trim()
                            .parse::<i32>()
                            .ok()
                            .filter(|y| (1000..3000).contains(y))
                            .ok_or_else(|| {
                                WebError::BadRequest(format!(
                                    "year must be a four-digit year, not {v:?}"
                                ))
                            })?,
                    );
                }
                _ => {}
            }
        }
        Ok(Shown { kinds, year })
    }

    fn allows(&self, e: &api::EdgeWire) -> bool {
        let year = |d: &Option<String>| {
            d.as_deref()
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse::<i32>().ok())
        };
        (self.kinds.is_empty() || self.kinds.contains(&e.kind))
            && self.year.is_none_or(|y| {
                year(&e.start).is_none_or(|s| s <= y) && year(&e.end).is_none_or(|t| t >= y)
            })
    }

    /// Leaves out the ties not shown, and the entities no tie shown reaches.
    fn apply(&self, n: &mut api::NetworkWire) {
        n.edges.retain(|e| self.allows(e));
        let center = n.center.id.clone();
        let tied: std::collections::HashSet<String> = n
            .edges
            .iter()
            .flat_map(|e| [e.source.clone(), e.target.clone()])
            .collect();
        n.nodes.retain(|x| x.id == center || tied.contains(&x.id));
    }
}

/// The filter form: works without JavaScript (the page is drawn again);
/// the interactive view filters in place from the same fields.
fn filter_form(id: &str, shown: &Shown) -> Markup {
    html! {
        form.network-filter #network-filter method="get" action={ "/networks/" (id) } {
            fieldset {
                legend { "Ties shown" }
                @for (kind, label) in TIE_KINDS {
                    @let on = shown.kinds.is_empty() || shown.kinds.iter().any(|k| k == kind);
                    label { input type="checkbox" name="kind" value=(kind) checked[on]; " " (label) }
                }
            }
            label for="network-year" { "Held in the year " }
            input #network-year type="number" name="year" min="1900" max="2100" value=[shown.year] placeholder="any";
            " " button type="submit" { "Show" }
        }
    }
}

pub(crate) async fn network(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let (id, want) = twin(&raw);
    let shown = match Shown::parse(&params) {
        Ok(s) => s,
        Err(e) => return Failure(e, want).into_response(),
    };
    let r = api::network_json(&state, id.to_string())
        .await
        .map(|mut n| {
            shown.apply(&mut n);
            n
        });
    match (r, want) {
        (Ok(n), Want::Json) => JsonBody(n).into_response(),
        (Ok(n), Want::Html) => {
            let title = format!("Network of {}", n.center.name);
            let name = |id: &str| {
                n.nodes
                    .iter()
                    .find(|x| x.id == id)
                    .map(|x| x.label.clone())
                    .unwrap_or_default()
            };
            let lonely = n.edges.is_empty();
            // cytoscape adds a <style> element of its own (its container
            // `position: relative`), which the page's policy refuses; it
            // does not when an element of that id is there, and the rule
            // is in style.css.
            let head = crate::assets::cytoscape_src().map(|src| {
                html! {
                    meta #__________cytoscape_stylesheet name="cytoscape-style" content="in style.css";
                    script src=(src) defer {}
                }
            });
            layout(&title, "", html! {
                (crumbs(&[(n.center.name.as_str(), &format!("/entities/{}", n.center.id))], "Network"))
                h1 { "Network of " a href={ "/entities/" (n.center.id) } { (n.center.name) } }
                @if lonely {
                    p.note { "No relationship of " (n.center.name) " is recorded"
                        @if !shown.kinds.is_empty() || shown.year.is_some() { " among the ties chosen" }
                        ". Claims that name it are on " a href={ "/entities/" (n.center.id) "#mentions" } { "its page" } "; naming someone in a claim is not a tie." }
                } @else {
                    p { (n.nodes.len()) " entities"
                        @if n.total > n.nodes.len() { " (the most tied of " (n.total) ")" }
                        ", " (n.edges.len()) " ties: its relationships and its neighbours' (networks they share, funders, people). Mentions in claims are not ties." }
                }
                (filter_form(&n.center.id, &shown))
                @if !lonely {
                    div #network-view hidden data-src={ "/networks/" (n.center.id) ".json" } data-center=(n.center.id) {}
                    (svg::network(&n))
                }
                p.actions {
                    a href={ "/path?from=" (n.center.id) } { "Find a path from here" } " · "
                    a href={ "/networks/" (n.center.id) "/interlocks" } { "Interlocks among its members" } " · "
                    a href={ "/entities/" (n.center.id) "/export.gexf" } download { "GEXF" } " · "
                    a href={ "/networks/" (n.center.id) ".json" } { "JSON" }
                }
                @if !lonely {
                    details {
                        summary { "Ties as a table" }
                        table.rel {
                            thead { tr { th scope="col" { "From" } th scope="col" { "Tie" } th scope="col" { "To" } th scope="col" { "Details" } } }
                            tbody {
                                @for e in &n.edges {
                                    tr {
                                        td data-label="From" { a href={ "/entities/" (e.source) } { (name(&e.source)) } }
                                        td data-label="Tie" { (e.kind) }
                                        td data-label="To" { a href={ "/entities/" (e.target) } { (name(&e.target)) } }
                                        td data-label="Details" { (e.label) }
                                    }
                                }
                            }
                        }
                    }
                }
            }, head).into_response()
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
                    @if c.connections.is_empty() { p { "Nothing shares a network, funder, person or partner with it." } }
                    (connections_section(&c))
                },
                None,
            )
            .into_response()
        }
        (Err(e), want) => Failure(e, want).into_response(),
    }
}
