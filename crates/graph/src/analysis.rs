//! Network analysis over relationships: neighbourhoods to k hops, shortest
//! paths, shared members, interlocks, degree and betweenness centrality,
//! connected components.
//!
//! The graph is compact (compressed adjacency over `u32` node numbers, both
//! directions) so a store of millions of ties fits in memory; every edge
//! keeps its kind, dates and amount, so filters by kind and by date apply
//! during the search. Hand-written rather than petgraph: its graphs keep a
//! node weight and edge weight per element and have no bidirectional
//! search or date filter; the algorithms here are short and tested against
//! known answers.

use std::collections::{HashMap, VecDeque};

use crate::EdgeKind;

/// A partial date as an interval of comparable day numbers (`YYYYMMDD`).
fn date_bounds(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.get(..10.min(text.len()))?.split('-');
    let y: u32 = parts.next()?.parse().ok()?;
    let m: Option<u32> = parts.next().and_then(|p| p.parse().ok());
    let d: Option<u32> = parts.next().and_then(|p| p.parse().ok());
    let first = y * 10000 + m.unwrap_or(1) * 100 + d.unwrap_or(1);
    let last = y * 10000 + m.unwrap_or(12) * 100 + d.unwrap_or(31);
    Some((first, last))
}

/// A period a filter asks about (`--at 2021-05`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    first: u32,
    last: u32,
}

impl Period {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Period> {
        let (first, last) = date_bounds(text)?;
        Some(Period { first, last })
    }
}

/// One tie, as the analysis sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tie {
    /// The relationship entity.
    pub id: String,
    pub kind: EdgeKind,
    /// From member, payer, employee or director…
    pub source: String,
    /// …to organization, beneficiary or employer.
    pub target: String,
    /// `YYYY[-MM[-DD]]`.
    pub start: Option<String>,
    pub end: Option<String>,
    pub amount: Option<f64>,
}

#[derive(Debug, Clone, Copy)]
struct EdgeData {
    source: u32,
    target: u32,
    kind: EdgeKind,
    /// First day of the start, last day of the end; 0 / u32::MAX when open.
    start: u32,
    end: u32,
    amount: f32,
}

/// Which ties a search may follow.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Empty: every kind.
    pub kinds: Vec<EdgeKind>,
    /// Ties that held during this period; undated ties always count.
    pub at: Option<Period>,
}

impl Filter {
    fn allows(&self, e: &EdgeData) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&e.kind))
            && self
                .at
                .is_none_or(|p| e.start <= p.last && e.end >= p.first)
    }
}

/// A graph of entities and their ties.
#[derive(Debug, Default)]
pub struct Graph {
    ids: Vec<String>,
    index: HashMap<String, u32>,
    edges: Vec<EdgeData>,
    edge_ids: Vec<String>,
    /// Adjacency of node n: `adj[off[n]..off[n + 1]]`, (neighbour, edge), both directions.
    off: Vec<u32>,
    adj: Vec<(u32, u32)>,
}

/// One step of a path: the tie followed and the node reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub tie: usize,
    /// True when the tie was followed from its source to its target.
    pub forward: bool,
    pub node: usize,
}

/// An entity ranked by how it ties into a set of members.
#[derive(Debug, Clone, PartialEq)]
pub struct Interlock {
    pub node: usize,
    /// The members it is tied to.
    pub members: Vec<usize>,
    /// The sum of the payments between it and them.
    pub funding: f64,
}

impl Graph {
    /// Builds the graph from ties; nodes are the entities they name.
    pub fn build(ties: impl IntoIterator<Item = Tie>) -> Graph {
        let mut g = Graph::default();
        for t in ties {
            let s = g.intern(&t.source);
            let d = g.intern(&t.target);
            let start = t.start.as_deref().and_then(date_bounds).map_or(0, |b| b.0);
            let end = t
                .end
                .as_deref()
                .and_then(date_bounds)
                .map_or(u32::MAX, |b| b.1);
            g.edges.push(EdgeData {
                source: s,
                target: d,
                kind: t.kind,
                start,
                end,
                amount: t.amount.map_or(f32::NAN, |a| a as f32),
            });
            g.edge_ids.push(t.id);
        }
        g.index_adjacency();
        g
    }

    fn intern(&mut self, id: &str) -> u32 {
        if let Some(&n) = self.index.get(id) {
            return n;
        }
        let n = self.ids.len() as u32;
        self.ids.push(id.to_string());
        self.index.insert(id.to_string(), n);
        n
    }

    fn index_adjacency(&mut self) {
        let n = self.ids.len();
        let mut degree = vec![0u32; n + 1];
        for e in &self.edges {
            degree[e.source as usize] += 1;
            degree[e.target as usize] += 1;
        }
        let mut off = vec![0u32; n + 1];
        for i in 0..n {
            off[i + 1] = off[i] + degree[i];
        }
        let mut fill = off.clone();
        let mut adj = vec![(0u32, 0u32); off[n] as usize];
        for (i, e) in self.edges.iter().enumerate() {
            for (a, b) in [(e.source, e.target), (e.target, e.source)] {
                adj[fill[a as usize] as usize] = (b, i as u32);
                fill[a as usize] += 1;
            }
        }
        self.off = off;
        self.adj = adj;
    }

    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The node number of an entity.
    pub fn node(&self, id: &str) -> Option<usize> {
        self.index.get(id).map(|&n| n as usize)
    }

    /// The entity id of a node.
    pub fn id(&self, node: usize) -> &str {
        &self.ids[node]
    }

    /// The relationship entity of a tie.
    pub fn tie_id(&self, tie: usize) -> &str {
        &self.edge_ids[tie]
    }

    pub fn tie_kind(&self, tie: usize) -> EdgeKind {
        self.edges[tie].kind
    }

    /// The two ends of a tie (source, target).
    pub fn tie_ends(&self, tie: usize) -> (usize, usize) {
        let e = &self.edges[tie];
        (e.source as usize, e.target as usize)
    }

    fn neighbours_of(&self, n: u32) -> &[(u32, u32)] {
        &self.adj[self.off[n as usize] as usize..self.off[n as usize + 1] as usize]
    }

    /// How many ties a node has, either way, unfiltered.
    pub fn degree(&self, node: usize) -> usize {
        self.neighbours_of(node as u32).len()
    }

    /// Every node within `hops` ties of `from`, with its distance, nearest
    /// first (`from` itself not included).
    pub fn neighbours(&self, from: usize, hops: usize, filter: &Filter) -> Vec<(usize, usize)> {
        let mut dist: HashMap<u32, usize> = HashMap::new();
        dist.insert(from as u32, 0);
        let mut queue = VecDeque::from([from as u32]);
        let mut out = Vec::new();
        while let Some(n) = queue.pop_front() {
            let d = dist[&n];
            if d == hops {
                continue;
            }
            for &(m, e) in self.neighbours_of(n) {
                if !filter.allows(&self.edges[e as usize]) || dist.contains_key(&m) {
                    continue;
                }
                dist.insert(m, d + 1);
                out.push((m as usize, d + 1));
                queue.push_back(m);
            }
        }
        out
    }

    /// A shortest chain of ties between two nodes, ties followed either
    /// way, searched from both ends at once. `None` when they are not connected.
    pub fn shortest_path(&self, a: usize, b: usize, filter: &Filter) -> Option<Vec<Step>> {
        if a == b {
            return Some(Vec::new());
        }
        // parent: node → (previous node, tie) on each side.
        let mut from_a: HashMap<u32, (u32, u32)> = HashMap::new();
        let mut from_b: HashMap<u32, (u32, u32)> = HashMap::new();
        from_a.insert(a as u32, (u32::MAX, u32::MAX));
        from_b.insert(b as u32, (u32::MAX, u32::MAX));
        let mut front_a = vec![a as u32];
        let mut front_b = vec![b as u32];
        let meet = loop {
            if front_a.is_empty() || front_b.is_empty() {
                return None;
            }
            // Grow the smaller frontier (by the ties it would look at).
            let cost = |f: &[u32]| {
                f.iter()
                    .map(|&n| self.neighbours_of(n).len())
                    .sum::<usize>()
            };
            let grow_a = cost(&front_a) <= cost(&front_b);
            let (front, seen, other) = if grow_a {
                (&mut front_a, &mut from_a, &from_b)
            } else {
                (&mut front_b, &mut from_b, &from_a)
            };
            let mut next = Vec::new();
            let mut met = None;
            for &n in front.iter() {
                for &(m, e) in self.neighbours_of(n) {
                    if seen.contains_key(&m) || !filter.allows(&self.edges[e as usize]) {
                        continue;
                    }
                    seen.insert(m, (n, e));
                    if other.contains_key(&m) {
                        met = Some(m);
                        break;
                    }
                    next.push(m);
                }
                if met.is_some() {
                    break;
                }
            }
            *front = next;
            if let Some(m) = met {
                break m;
            }
        };
        // a … meet, then meet … b.
        let mut left = Vec::new();
        let mut n = meet;
        while let Some(&(p, e)) = from_a.get(&n).filter(|x| x.0 != u32::MAX) {
            left.push((p, e, n));
            n = p;
        }
        left.reverse();
        let mut steps: Vec<Step> = left
            .into_iter()
            .map(|(p, e, n)| Step {
                tie: e as usize,
                forward: self.edges[e as usize].source == p,
                node: n as usize,
            })
            .collect();
        let mut n = meet;
        while let Some(&(p, e)) = from_b.get(&n).filter(|x| x.0 != u32::MAX) {
            steps.push(Step {
                tie: e as usize,
                forward: self.edges[e as usize].source == n,
                node: p as usize,
            });
            n = p;
        }
        Some(steps)
    }

    /// The members of a network: sources of membership ties to it.
    pub fn members(&self, network: usize, filter: &Filter) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .neighbours_of(network as u32)
            .iter()
            .filter(|(_, e)| {
                let e = &self.edges[*e as usize];
                e.kind == EdgeKind::Membership && e.target == network as u32 && filter.allows(e)
            })
            .map(|&(m, _)| m as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Members two networks share.
    pub fn shared_members(&self, a: usize, b: usize, filter: &Filter) -> Vec<usize> {
        let mb = self.members(b, filter);
        self.members(a, filter)
            .into_iter()
            .filter(|m| mb.binary_search(m).is_ok())
            .collect()
    }

    /// Entities tied to at least `min` of the given members (other than the
    /// members themselves and `exclude`), most members first, then by
    /// funding: the interlocks of power mapping.
    pub fn interlocks(
        &self,
        members: &[usize],
        exclude: &[usize],
        min: usize,
        filter: &Filter,
    ) -> Vec<Interlock> {
        let is_member: std::collections::HashSet<u32> = members.iter().map(|&m| m as u32).collect();
        let mut tied: HashMap<u32, (Vec<usize>, f64)> = HashMap::new();
        for &m in members {
            for &(t, e) in self.neighbours_of(m as u32) {
                let edge = &self.edges[e as usize];
                if is_member.contains(&t) || exclude.contains(&(t as usize)) || !filter.allows(edge)
                {
                    continue;
                }
                let entry = tied.entry(t).or_default();
                if entry.0.last() != Some(&m) {
                    entry.0.push(m);
                }
                if edge.kind == EdgeKind::Payment && !edge.amount.is_nan() {
                    entry.1 += f64::from(edge.amount);
                }
            }
        }
        let mut out: Vec<Interlock> = tied
            .into_iter()
            .filter(|(_, (ms, _))| ms.len() >= min)
            .map(|(t, (mut ms, funding))| {
                ms.sort_unstable();
                ms.dedup();
                Interlock {
                    node: t as usize,
                    members: ms,
                    funding,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.members
                .len()
                .cmp(&a.members.len())
                .then(b.funding.total_cmp(&a.funding))
                .then(a.node.cmp(&b.node))
        });
        out
    }

    /// Degree of every node (ties either way, as allowed by the filter).
    pub fn degrees(&self, filter: &Filter) -> Vec<usize> {
        (0..self.ids.len())
            .map(|n| {
                self.neighbours_of(n as u32)
                    .iter()
                    .filter(|(_, e)| filter.allows(&self.edges[*e as usize]))
                    .count()
            })
            .collect()
    }

    /// Betweenness centrality (Brandes), ties undirected and unweighted,
    /// normalized by (n−1)(n−2)/2. Exact when `sources` is `None`; else
    /// estimated from that many evenly spaced source nodes (for large graphs).
    pub fn betweenness(&self, filter: &Filter, sources: Option<usize>) -> Vec<f64> {
        let n = self.ids.len();
        let mut cb = vec![0.0f64; n];
        if n < 3 {
            return cb;
        }
        let picks: Vec<usize> = match sources {
            Some(k) if k < n => (0..k).map(|i| i * n / k).collect(),
            _ => (0..n).collect(),
        };
        let mut sigma = vec![0.0f64; n];
        let mut dist = vec![-1i64; n];
        let mut delta = vec![0.0f64; n];
        let mut preds: Vec<Vec<u32>> = vec![Vec::new(); n];
        // Parallel ties (two payments between the same pair) are one
        // adjacency for shortest paths: `stamp[w]` marks w as seen from v.
        let mut stamp: Vec<u32> = vec![u32::MAX; n];
        for &s in &picks {
            let mut stack = Vec::new();
            for v in 0..n {
                stamp[v] = u32::MAX;
                sigma[v] = 0.0;
                dist[v] = -1;
                delta[v] = 0.0;
                preds[v].clear();
            }
            sigma[s] = 1.0;
            dist[s] = 0;
            let mut q = VecDeque::from([s as u32]);
            while let Some(v) = q.pop_front() {
                stack.push(v);
                for &(w, e) in self.neighbours_of(v) {
                    if !filter.allows(&self.edges[e as usize]) || w == v || stamp[w as usize] == v {
                        continue;
                    }
                    stamp[w as usize] = v;
                    let (vi, wi) = (v as usize, w as usize);
                    if dist[wi] < 0 {
                        dist[wi] = dist[vi] + 1;
                        q.push_back(w);
                    }
                    if dist[wi] == dist[vi] + 1 {
                        sigma[wi] += sigma[vi];
                        preds[wi].push(v);
                    }
                }
            }
            while let Some(w) = stack.pop() {
                let wi = w as usize;
                for &v in &preds[wi] {
                    let vi = v as usize;
                    delta[vi] += sigma[vi] / sigma[wi] * (1.0 + delta[wi]);
                }
                if wi != s {
                    cb[wi] += delta[wi];
                }
            }
        }
        // Undirected: each pair was counted from both ends.
        let scale = (n as f64 / picks.len() as f64) / 2.0;
        let norm = ((n - 1) * (n - 2)) as f64 / 2.0;
        for c in &mut cb {
            *c = *c * scale / norm;
        }
        cb
    }

    /// Connected components (ties either way): a component number per
    /// node, numbered by size, largest 0.
    pub fn components(&self, filter: &Filter) -> Vec<usize> {
        let n = self.ids.len();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        fn find(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        for e in &self.edges {
            if !filter.allows(e) {
                continue;
            }
            let (a, b) = (find(&mut parent, e.source), find(&mut parent, e.target));
            if a != b {
                parent[a.max(b) as usize] = a.min(b);
            }
        }
        let roots: Vec<u32> = (0..n as u32).map(|x| find(&mut parent, x)).collect();
        let mut size: HashMap<u32, usize> = HashMap::new();
        for r in &roots {
            *size.entry(*r).or_default() += 1;
        }
        let mut order: Vec<(u32, usize)> = size.into_iter().collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let rank: HashMap<u32, usize> = order
            .iter()
            .enumerate()
            .map(|(i, (r, _))| (*r, i))
            .collect();
        roots.iter().map(|r| rank[r]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tie(id: &str, kind: EdgeKind, s: &str, t: &str) -> Tie {
        Tie {
            id: id.into(),
            kind,
            source: s.into(),
            target: t.into(),
            start: None,
            end: None,
            amount: None,
        }
    }

    /// Two networks N1 {a, b, c} and N2 {c, d}; funder F pays a and b; a
    /// person P works for d from 2019 to 2020; e is alone with f.
    fn sample() -> Graph {
        use EdgeKind::*;
        let mut ties = vec![
            tie("m1", Membership, "a", "N1"),
            tie("m2", Membership, "b", "N1"),
            tie("m3", Membership, "c", "N1"),
            tie("m4", Membership, "c", "N2"),
            tie("m5", Membership, "d", "N2"),
            tie("l1", Link, "e", "f"),
        ];
        let mut p1 = tie("p1", Payment, "F", "a");
        p1.amount = Some(100.0);
        p1.start = Some("2020-03".into());
        let mut p2 = tie("p2", Payment, "F", "b");
        p2.amount = Some(50.0);
        let mut w = tie("w1", Employment, "P", "d");
        w.start = Some("2019".into());
        w.end = Some("2020-06".into());
        ties.extend([p1, p2, w]);
        Graph::build(ties)
    }

    fn ids(g: &Graph, nodes: &[usize]) -> Vec<String> {
        let mut v: Vec<String> = nodes.iter().map(|&n| g.id(n).to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn neighbours_by_hops_kind_and_date() {
        let g = sample();
        let a = g.node("a").unwrap();
        let one: Vec<usize> = g
            .neighbours(a, 1, &Filter::default())
            .iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(ids(&g, &one), ["F", "N1"]);
        let two: Vec<usize> = g
            .neighbours(a, 2, &Filter::default())
            .iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(ids(&g, &two), ["F", "N1", "b", "c"]);
        let members_only = Filter {
            kinds: vec![EdgeKind::Membership],
            at: None,
        };
        let m: Vec<usize> = g
            .neighbours(a, 2, &members_only)
            .iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(ids(&g, &m), ["N1", "b", "c"]);
        // P worked for d in 2019–2020 only.
        let p = g.node("P").unwrap();
        let at = |d: &str| Filter {
            kinds: vec![],
            at: Period::parse(d),
        };
        assert_eq!(g.neighbours(p, 1, &at("2020-05")).len(), 1);
        assert!(g.neighbours(p, 1, &at("2021")).is_empty());
        assert!(g.neighbours(p, 1, &at("2018-12-31")).is_empty());
        // The payment to a began in March 2020.
        let f = g.node("F").unwrap();
        let n: Vec<usize> = g
            .neighbours(f, 1, &at("2020-01"))
            .iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(ids(&g, &n), ["b"]);
    }

    #[test]
    fn shortest_paths_explained_by_their_ties() {
        let g = sample();
        let (a, p) = (g.node("a").unwrap(), g.node("P").unwrap());
        let path = g.shortest_path(a, p, &Filter::default()).unwrap();
        let ties: Vec<&str> = path.iter().map(|s| g.tie_id(s.tie)).collect();
        assert_eq!(ties, ["m1", "m3", "m4", "m5", "w1"]);
        assert_eq!(g.id(path.last().unwrap().node), "P");
        assert!(path[0].forward, "a is the member in m1");
        assert!(!path[1].forward, "from N1 back to its member c");
        assert!(g
            .shortest_path(a, g.node("e").unwrap(), &Filter::default())
            .is_none());
        // In 2021 P no longer works for d.
        let later = Filter {
            kinds: vec![],
            at: Period::parse("2021"),
        };
        assert!(g.shortest_path(a, p, &later).is_none());
        assert_eq!(g.shortest_path(a, a, &Filter::default()), Some(vec![]));
    }

    #[test]
    fn shared_members_and_interlocks() {
        let g = sample();
        let (n1, n2) = (g.node("N1").unwrap(), g.node("N2").unwrap());
        assert_eq!(
            ids(&g, &g.shared_members(n1, n2, &Filter::default())),
            ["c"]
        );
        let members = g.members(n1, &Filter::default());
        let locks = g.interlocks(&members, &[n1], 2, &Filter::default());
        assert_eq!(locks.len(), 1);
        assert_eq!(g.id(locks[0].node), "F");
        assert_eq!(locks[0].members.len(), 2);
        assert_eq!(locks[0].funding, 150.0);
        let all = g.interlocks(&members, &[n1], 1, &Filter::default());
        assert_eq!(
            ids(&g, &all.iter().map(|l| l.node).collect::<Vec<_>>()),
            ["F", "N2"]
        );
    }

    #[test]
    fn centrality_and_components() {
        // A path a - b - c - d: betweenness of b and c is 2 of 3 pairs' worth.
        let g = Graph::build([
            tie("1", EdgeKind::Link, "a", "b"),
            tie("2", EdgeKind::Link, "b", "c"),
            tie("3", EdgeKind::Link, "c", "d"),
            tie("4", EdgeKind::Link, "x", "y"),
        ]);
        let bc = g.betweenness(&Filter::default(), None);
        let b = g.node("b").unwrap();
        let a = g.node("a").unwrap();
        // Unnormalized 2 (pairs a–c, a–d) over (n−1)(n−2)/2 = 10 for n = 6.
        assert!((bc[b] - 0.2).abs() < 1e-9, "{}", bc[b]);
        assert_eq!(bc[a], 0.0);
        assert_eq!(g.degrees(&Filter::default())[b], 2);
        let comp = g.components(&Filter::default());
        assert_eq!(comp[a], 0, "the larger component is numbered 0");
        assert_eq!(comp[g.node("x").unwrap()], 1);
        assert_eq!(comp[g.node("d").unwrap()], 0);
    }
}
