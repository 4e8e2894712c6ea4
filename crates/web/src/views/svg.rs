//! The network drawing: an SVG laid out on the server, every node a link.

use maud::{html, Markup};

use crate::api::NetworkWire;

fn node_class(schema: &str) -> &'static str {
    match schema {
        "Person" => "person",
        "PublicBody" => "public",
        _ => "org",
    }
}

/// Draws a laid-out network. Works without JavaScript; `app.js` adds zoom
/// and pan by changing the `viewBox`.
pub(crate) fn network(n: &NetworkWire) -> Markup {
    let pos = |id: &str| {
        n.nodes
            .iter()
            .find(|x| x.id == id)
            .map(|x| (x.x, x.y))
            .unwrap_or((0.0, 0.0))
    };
    let degree = |id: &str| {
        n.edges
            .iter()
            .filter(|e| e.source == id || e.target == id)
            .count()
    };
    html! {
        figure.network {
            svg #network-svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 720" role="group" aria-label={ "Network of " (n.center.name) ": every node a link to its profile" } {
                g.edges {
                    @for e in &n.edges {
                        @let (x1, y1) = pos(&e.source);
                        @let (x2, y2) = pos(&e.target);
                        line class={ "edge " (e.kind) } x1=(x1) y1=(y1) x2=(x2) y2=(y2) {
                            title { (e.kind) @if !e.label.is_empty() { ": " (e.label) } }
                        }
                    }
                }
                g.nodes {
                    @for node in &n.nodes {
                        @let r = 5.0 + (degree(&node.id) as f64).sqrt() * 3.0;
                        a href={ "/entities/" (node.id) } {
                            g class={ "node " (node_class(&node.schema)) @if node.id == n.center.id { " center" } } {
                                circle cx=(node.x) cy=(node.y) r=(format!("{r:.1}")) { title { (node.label) } }
                                text x=(node.x) y=(format!("{:.1}", node.y - r - 4.0)) { (node.label) }
                            }
                        }
                    }
                }
            }
            figcaption.legend {
                span.key.org { "organization" } " " span.key.public { "public body" } " " span.key.person { "person" } " · "
                span.line.membership { "membership" } " " span.line.payment { "funding" } " " span.line.employment { "staff" } " " span.line.directorship { "board" } " " span.line.link { "other tie" }
            }
        }
    }
}
