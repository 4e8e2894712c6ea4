//! Networks: entities as nodes, relationships (membership, funding,
//! employment, board seats, other links) as typed edges, and a
//! force-directed layout for drawing them.
//!
//! Architecture invariant: no storage and no output format; callers build a
//! [`Network`] from entities and draw it as they like.

pub mod analysis;
mod layouts;

pub use layouts::Layouts;

use std::collections::HashMap;

use dossier_model::Entity;

/// What a relationship is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    Membership,
    Payment,
    Employment,
    Directorship,
    Link,
    /// A claim about one entity that mentions another (the claim is the tie).
    Mention,
}

impl EdgeKind {
    /// The kind of a relationship schema, and the properties naming its two ends.
    pub fn of_schema(schema: &str) -> Option<(EdgeKind, &'static str, &'static str)> {
        Some(match schema {
            "Membership" => (EdgeKind::Membership, "member", "organization"),
            "Payment" => (EdgeKind::Payment, "payer", "beneficiary"),
            "Employment" => (EdgeKind::Employment, "employee", "employer"),
            "Directorship" => (EdgeKind::Directorship, "director", "organization"),
            "UnknownLink" => (EdgeKind::Link, "subject", "object"),
            _ => return None,
        })
    }

    /// A kind by its name or a common synonym (`funding`, `board`,
    /// `partnership`…), any case.
    pub fn parse(name: &str) -> Option<EdgeKind> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "membership" | "member" => EdgeKind::Membership,
            "payment" | "funding" => EdgeKind::Payment,
            "employment" => EdgeKind::Employment,
            "directorship" | "board" => EdgeKind::Directorship,
            "link" | "unknownlink" | "partnership" => EdgeKind::Link,
            "mention" | "mentions" => EdgeKind::Mention,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Membership => "membership",
            EdgeKind::Payment => "payment",
            EdgeKind::Employment => "employment",
            EdgeKind::Directorship => "directorship",
            EdgeKind::Link => "link",
            EdgeKind::Mention => "mention",
        }
    }
}

/// A node: an entity with its label and schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub label: String,
    pub schema: String,
}

/// A directed edge (member → network, payer → beneficiary, person → organization).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub source: usize,
    pub target: usize,
    pub kind: EdgeKind,
    /// The relationship entity's id.
    pub id: String,
    /// Role, amount or dates, for a tooltip.
    pub label: String,
    /// When the tie began and ended (`YYYY[-MM[-DD]]`), when known; a
    /// payment's date is both.
    pub start: Option<String>,
    pub end: Option<String>,
}

/// A set of nodes and the relationships between them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    index: HashMap<String, usize>,
}

impl Network {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a node for an entity (once) and returns its index.
    pub fn add_node(&mut self, e: &Entity) -> usize {
        if let Some(&i) = self.index.get(&e.id) {
            return i;
        }
        self.nodes.push(Node {
            id: e.id.clone(),
            label: e.caption().to_string(),
            schema: e.schema.name.to_string(),
        });
        self.index.insert(e.id.clone(), self.nodes.len() - 1);
        self.nodes.len() - 1
    }

    pub fn node(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Adds the edge a relationship entity stands for, when both its ends
    /// are nodes already. Returns whether it was added.
    pub fn add_relation(&mut self, rel: &Entity) -> bool {
        let Some((kind, from, to)) = EdgeKind::of_schema(rel.schema.name) else {
            return false;
        };
        let (Some(a), Some(b)) = (
            rel.first(from).and_then(|i| self.node(i)),
            rel.first(to).and_then(|i| self.node(i)),
        ) else {
            return false;
        };
        if self.edges.iter().any(|e| e.id == rel.id) {
            return false;
        }
        let mut label = Vec::new();
        if let Some(r) = rel.first("role") {
            label.push(r.to_string());
        }
        if let Some(a) = rel.amount_label() {
            label.push(a);
        }
        match (
            rel.first("date"),
            rel.first("startDate"),
            rel.first("endDate"),
        ) {
            (Some(d), _, _) => label.push(d.to_string()),
            (None, Some(s), Some(e)) => label.push(format!("{s}–{e}")),
            (None, Some(s), None) => label.push(format!("since {s}")),
            _ => {}
        }
        let date = rel.first("date").map(str::to_string);
        self.edges.push(Edge {
            source: a,
            target: b,
            kind,
            id: rel.id.clone(),
            label: label.join(", "),
            start: rel.first("startDate").map(str::to_string).or(date.clone()),
            end: rel.first("endDate").map(str::to_string).or(date),
        });
        true
    }

    /// How many edges touch each node.
    pub fn degrees(&self) -> Vec<usize> {
        let mut d = vec![0; self.nodes.len()];
        for e in &self.edges {
            d[e.source] += 1;
            d[e.target] += 1;
        }
        d
    }
}

/// Node positions inside a `width` × `height` box with a margin.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub positions: Vec<(f64, f64)>,
    pub width: f64,
    pub height: f64,
}

/// A deterministic starting point for node `i`: a golden-angle spiral, so
/// the same network is always drawn the same way.
fn seed(i: usize, n: usize) -> (f64, f64) {
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let r = ((i as f64 + 0.5) / n.max(1) as f64).sqrt();
    let a = i as f64 * golden;
    (r * a.cos(), r * a.sin())
}

/// Lays a network out with the Fruchterman–Reingold force model: edges pull
/// their ends together, all nodes push each other apart, movement cools down
/// over the iterations. Hand-written: the drawing crates we know of either
/// lay out trees only or pull in a GUI stack; this is 40 lines.
pub fn layout(net: &Network, width: f64, height: f64, iterations: usize) -> Layout {
    let n = net.nodes.len();
    let mut pos: Vec<(f64, f64)> = (0..n).map(|i| seed(i, n)).collect();
    if n > 1 {
        let k = (1.0 / n as f64).sqrt();
        let mut temperature = 0.1;
        let cooling = temperature / (iterations.max(1) as f64 + 1.0);
        for _ in 0..iterations {
            let mut disp = vec![(0.0f64, 0.0f64); n];
            for i in 0..n {
                for j in (i + 1)..n {
                    let dx = pos[i].0 - pos[j].0;
                    let dy = pos[i].1 - pos[j].1;
                    let d2 = (dx * dx + dy * dy).max(1e-9);
                    let f = k * k / d2;
                    disp[i].0 += dx * f;
                    disp[i].1 += dy * f;
                    disp[j].0 -= dx * f;
                    disp[j].1 -= dy * f;
                }
            }
            for e in &net.edges {
                let (a, b) = (e.source, e.target);
                let dx = pos[a].0 - pos[b].0;
                let dy = pos[a].1 - pos[b].1;
                let d = (dx * dx + dy * dy).sqrt().max(1e-9);
                let f = d / k;
                disp[a].0 -= dx * f;
                disp[a].1 -= dy * f;
                disp[b].0 += dx * f;
                disp[b].1 += dy * f;
            }
            for i in 0..n {
                let (dx, dy) = disp[i];
                let len = (dx * dx + dy * dy).sqrt().max(1e-9);
                let step = len.min(temperature);
                pos[i].0 += dx / len * step;
                pos[i].1 += dy / len * step;
            }
            temperature -= cooling;
        }
    }
    // Fit into the box.
    let margin = 60.0;
    let (minx, maxx) = pos
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let (miny, maxy) = pos
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let sx = (width - 2.0 * margin) / (maxx - minx).max(1e-9);
    let sy = (height - 2.0 * margin) / (maxy - miny).max(1e-9);
    let positions = pos
        .iter()
        .map(|p| {
            if n == 1 {
                (width / 2.0, height / 2.0)
            } else {
                (margin + (p.0 - minx) * sx, margin + (p.1 - miny) * sy)
            }
        })
        .collect();
    Layout {
        positions,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str) -> Entity {
        let mut e = Entity::new(id, "Organization").unwrap();
        e.add("name", id).unwrap();
        e
    }

    fn member(id: &str, m: &str, o: &str) -> Entity {
        let mut e = Entity::new(id, "Membership").unwrap();
        e.add("member", m).unwrap();
        e.add("organization", o).unwrap();
        e
    }

    #[test]
    fn edges_need_both_ends_and_come_once() {
        let mut net = Network::new();
        net.add_node(&org("n"));
        net.add_node(&org("a"));
        assert!(net.add_relation(&member("m1", "a", "n")));
        assert!(!net.add_relation(&member("m1", "a", "n")));
        assert!(!net.add_relation(&member("m2", "zz", "n")));
        assert_eq!(net.degrees(), vec![1, 1]);
    }

    #[test]
    fn layout_is_deterministic_inside_the_box_and_pulls_neighbours_close() {
        let mut net = Network::new();
        for id in ["hub", "a", "b", "c", "d", "far1", "far2"] {
            net.add_node(&org(id));
        }
        for (i, m) in ["a", "b", "c", "d"].iter().enumerate() {
            net.add_relation(&member(&format!("m{i}"), m, "hub"));
        }
        net.add_relation(&member("mf", "far1", "far2"));
        let l1 = layout(&net, 800.0, 600.0, 200);
        let l2 = layout(&net, 800.0, 600.0, 200);
        assert_eq!(l1, l2);
        for &(x, y) in &l1.positions {
            assert!((0.0..=800.0).contains(&x) && (0.0..=600.0).contains(&y));
        }
        let d = |a: usize, b: usize| {
            let (p, q) = (l1.positions[a], l1.positions[b]);
            ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt()
        };
        // Members sit nearer their hub than the unrelated pair does.
        let hub_to_members = (1..5).map(|i| d(0, i)).sum::<f64>() / 4.0;
        let hub_to_far = (d(0, 5) + d(0, 6)) / 2.0;
        assert!(
            hub_to_members < hub_to_far,
            "{hub_to_members} vs {hub_to_far}"
        );
    }
}
