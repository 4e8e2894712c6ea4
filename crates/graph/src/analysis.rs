//! Network analysis over relationships: neighbourhoods to k hops, shortest
//! paths, shared members, interlocks, degree and betweenness centrality,
//! connected components.
//!
//! The graph is compact so a store of millions of ties fits in little
//! memory: compressed adjacency over `u32` node numbers (both directions),
//! ids packed (Dossier's `prefix-` + 16 hex digits become a prefix number
//! and a `u64`), and each tie's kind and dates as a number into a table of
//! the distinct (kind, start, end) triples, which are few. Filters by kind
//! and by date apply during the search. Searches mark visited nodes in
//! arrays reused from search to search (stamped, so never cleared) instead
//! of hash maps; the interlocks (`interlocks.rs`), which reach a few
//! thousand nodes scattered over the numbers, count in tables of their own. Hand-written rather than petgraph: its graphs keep a node
//! weight and edge weight per element and have no bidirectional search or
//! date filter; the algorithms here are short and tested against known
//! answers.

use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::Mutex;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::EdgeKind;

mod interlocks;
mod tie_set;
pub use tie_set::TieSet;

/// A partial date as an interval of comparable day numbers (`YYYYMMDD`).
fn date_bounds(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.get(..10.min(text.len()))?.split('-');
    let y: u32 = parts.next()?.parse().ok()?;
    if y > 9999 {
        return None;
    }
    let m: Option<u32> = parts
        .next()
        .and_then(|p| p.parse().ok())
        .filter(|m| *m <= 12);
    let d: Option<u32> = parts
        .next()
        .and_then(|p| p.parse().ok())
        .filter(|d| *d <= 31);
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

/// A tie's kind and dates: first day of the start, last day of the end;
/// 0 / u32::MAX when open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Attr {
    kind: EdgeKind,
    start: u32,
    end: u32,
}

impl Attr {
    fn of(t: &Tie) -> Attr {
        Attr {
            kind: t.kind,
            start: t.start.as_deref().and_then(date_bounds).map_or(0, |b| b.0),
            end: t
                .end
                .as_deref()
                .and_then(date_bounds)
                .map_or(u32::MAX, |b| b.1),
        }
    }
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
    fn allows(&self, a: &Attr) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&a.kind))
            && self
                .at
                .is_none_or(|p| a.start <= p.last && a.end >= p.first)
    }

    /// The kinds it allows as bits (`1 << kind`), when that is all it
    /// asks: `None` when it also asks for a period.
    fn kind_bits(&self) -> Option<u8> {
        if self.at.is_some() {
            return None;
        }
        if self.kinds.is_empty() {
            return Some(u8::MAX);
        }
        Some(self.kinds.iter().fold(0, |bits, k| bits | 1 << *k as u8))
    }

    /// Follows every tie: searches skip the test.
    fn is_open(&self) -> bool {
        self.kinds.is_empty() && self.at.is_none()
    }
}

/// An id as stored: packed, or as text for ids of another shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key<'a> {
    Packed(u8, u64),
    Text(&'a str),
}

/// `prefix-` and 16 lowercase hex digits, as `dossier_model::ids::stable_id` makes them.
fn split_packed(id: &str) -> Option<(&str, u64)> {
    let (prefix, hex) = id.rsplit_once('-')?;
    if hex.len() != 16 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    Some((prefix, u64::from_str_radix(hex, 16).ok()?))
}

/// A list of ids, packed where they have Dossier's shape (9 bytes each
/// instead of a 24-byte `String` and its text).
#[derive(Debug, Default)]
struct Ids {
    /// At most 255 distinct prefixes; ids with further prefixes are kept as text.
    prefixes: Vec<String>,
    /// Prefix number, or `TEXT`.
    tag: Vec<u8>,
    /// The hex digits' value, or the index in `text`.
    word: Vec<u64>,
    text: Vec<String>,
}

const TEXT: u8 = u8::MAX;

/// Set on a tie number in the adjacency of the tie's source.
const FORWARD: u32 = 1 << 31;
/// Set on a payment with an amount, both ways: interlocks sum them without
/// looking the tie up.
const FUNDED: u32 = 1 << 30;
/// The tie number itself.
const TIE: u32 = !(FORWARD | FUNDED);

impl Ids {
    /// The key an id has here (an id whose prefix is unknown is text).
    fn key<'a>(&self, id: &'a str) -> Key<'a> {
        split_packed(id)
            .and_then(|(p, w)| {
                let i = self.prefixes.iter().position(|x| x == p)?;
                Some(Key::Packed(i as u8, w))
            })
            .unwrap_or(Key::Text(id))
    }

    /// Appends an id, learning its prefix when there is room.
    fn push(&mut self, id: &str) {
        if let Some((p, _)) = split_packed(id) {
            if !self.prefixes.iter().any(|x| x == p) && self.prefixes.len() < TEXT as usize {
                self.prefixes.push(p.to_string());
            }
        }
        match self.key(id) {
            Key::Packed(t, w) => {
                self.tag.push(t);
                self.word.push(w);
            }
            Key::Text(s) => {
                self.tag.push(TEXT);
                self.word.push(self.text.len() as u64);
                self.text.push(s.to_string());
            }
        }
    }

    fn key_of(&self, i: usize) -> Key<'_> {
        match self.tag[i] {
            TEXT => Key::Text(&self.text[self.word[i] as usize]),
            t => Key::Packed(t, self.word[i]),
        }
    }

    fn get(&self, i: usize) -> String {
        match self.key_of(i) {
            Key::Text(s) => s.to_string(),
            Key::Packed(t, w) => format!("{}-{w:016x}", self.prefixes[t as usize]),
        }
    }

    fn shrink_to_fit(&mut self) {
        self.tag.shrink_to_fit();
        self.word.shrink_to_fit();
        self.text.shrink_to_fit();
    }

    fn heap_bytes(&self) -> usize {
        self.tag.capacity()
            + self.word.capacity() * 8
            + self.text.capacity() * std::mem::size_of::<String>()
            + self.text.iter().map(String::capacity).sum::<usize>()
            + self.prefixes.iter().map(String::capacity).sum::<usize>()
    }
}

impl Ids {
    /// The id of entry `i` compared with that of entry `j` as the texts
    /// compare, without making either text.
    fn cmp_text(&self, i: usize, j: usize) -> std::cmp::Ordering {
        fn hex(w: u64) -> [u8; 16] {
            let mut out = [0u8; 16];
            for (k, b) in out.iter_mut().enumerate() {
                *b = b"0123456789abcdef"[((w >> (60 - 4 * k)) & 0xf) as usize];
            }
            out
        }
        let (a, b) = (self.key_of(i), self.key_of(j));
        if let (Key::Packed(p, v), Key::Packed(q, w)) = (a, b) {
            if p == q {
                // The same prefix: fixed-width hex digits order as numbers.
                return v.cmp(&w);
            }
        }
        let (ha, hb) = (
            if let Key::Packed(_, w) = a {
                hex(w)
            } else {
                [0; 16]
            },
            if let Key::Packed(_, w) = b {
                hex(w)
            } else {
                [0; 16]
            },
        );
        fn parts<'x>(ids: &'x Ids, k: Key<'x>, h: &'x [u8; 16]) -> [&'x [u8]; 3] {
            match k {
                Key::Text(s) => [s.as_bytes(), b"", b""],
                Key::Packed(t, _) => [ids.prefixes[t as usize].as_bytes(), b"-", h],
            }
        }
        parts(self, a, &ha)
            .into_iter()
            .flatten()
            .cmp(parts(self, b, &hb).into_iter().flatten())
    }

    /// Appends entry `i` of `other`, whose prefixes are these.
    fn copy_from(&mut self, other: &Ids, i: usize) {
        match other.key_of(i) {
            Key::Text(s) => {
                self.tag.push(TEXT);
                self.word.push(self.text.len() as u64);
                self.text.push(s.to_string());
            }
            Key::Packed(t, w) => {
                self.tag.push(t);
                self.word.push(w);
            }
        }
    }
}

/// Ids numbered in the order they were first seen, with a hash table to
/// find an id's number. An id of a prefix and sixteen hexadecimal digits
/// (`org-0123456789abcdef`, as Dossier's own ids are) is held in nine
/// bytes; any other as its text.
#[derive(Default)]
pub struct Interner {
    ids: Ids,
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interner")
            .field("ids", &self.len())
            .finish()
    }
}

impl Interner {
    /// The number of `id`, if it has one.
    pub fn find(&self, id: &str) -> Option<u32> {
        let key = self.ids.key(id);
        self.index
            .find(self.hasher.hash_one(key), |&m| {
                self.ids.key_of(m as usize) == key
            })
            .copied()
    }

    /// The number of `id`, given it now if it has none.
    pub fn intern(&mut self, id: &str) -> u32 {
        if let Some(n) = self.find(id) {
            return n;
        }
        let n = self.ids.tag.len() as u32;
        // Pushing may teach `ids` the prefix, and so change the key.
        self.ids.push(id);
        let (ids, hasher) = (&self.ids, &self.hasher);
        self.index
            .insert_unique(hasher.hash_one(ids.key_of(n as usize)), n, |&m| {
                hasher.hash_one(ids.key_of(m as usize))
            });
        n
    }

    /// The id numbered `n`.
    ///
    /// # Panics
    /// When no id has that number.
    pub fn get(&self, n: u32) -> String {
        self.ids.get(n as usize)
    }

    /// How many ids have numbers.
    pub fn len(&self) -> usize {
        self.ids.tag.len()
    }

    /// Whether no id has a number.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes it holds on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.ids.heap_bytes() + self.index.capacity() * 5
    }
}

/// A graph while its ties are added.
#[derive(Default)]
struct Builder {
    g: Graph,
    nodes: Interner,
    attr_index: hashbrown::HashMap<Attr, u32>,
}

impl Builder {
    fn add(&mut self, id: &str, source: &str, target: &str, a: Attr, amount: Option<f64>) {
        let s = self.nodes.intern(source);
        let d = self.nodes.intern(target);
        self.push(s, d, a, amount);
        self.g.tie_ids.push(id);
    }

    /// A tie between two nodes already numbered (its id pushed apart).
    fn push(&mut self, s: u32, d: u32, a: Attr, amount: Option<f64>) {
        let g = &mut self.g;
        let next = g.attrs.len() as u32;
        let n = *self.attr_index.entry(a).or_insert(next);
        if n == next {
            g.attrs.push(a);
        }
        let tie = g.ends.len() as u32;
        if let Some(amount) = amount.filter(|a| a.is_finite()) {
            g.amounts.push((tie, amount));
        }
        g.ends.push((s, d));
        g.attr.push(n);
    }

    fn finish(self) -> Graph {
        let ids = &self.nodes.ids;
        let mut order: Vec<u32> = (0..ids.tag.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| ids.key_of(a as usize).cmp(&ids.key_of(b as usize)));
        self.finish_in(order)
    }

    /// [`Builder::finish`] with the nodes' order by key already known.
    fn finish_in(self, order: Vec<u32>) -> Graph {
        let mut g = self.g;
        g.ids = self.nodes.ids;
        debug_assert_eq!(order.len(), g.node_count());
        g.order = order;
        g.index_adjacency();
        g.attr.shrink_to_fit();
        g.amounts.shrink_to_fit();
        g.ids.shrink_to_fit();
        g.tie_ids.shrink_to_fit();
        g
    }
}

/// Visited marks and parents for one search at a time, reused: a node is
/// marked when `mark[n]` equals the search's stamp, so nothing is cleared
/// between searches.
#[derive(Debug, Default)]
struct Scratch {
    /// A node's mark and what a search notes on it, side by side: a search
    /// that reaches a node reads the one and writes the other, and nodes
    /// are reached in no order, so each is one cache miss, not two.
    slots: Vec<Slot>,
    stamp: u32,
}

#[derive(Debug, Default, Clone, Copy)]
struct Slot {
    mark: u32,
    /// (previous node, tie) on the way from where the search started.
    parent: (u32, u32),
}

impl Scratch {
    /// `count` fresh stamps.
    fn stamps(&mut self, nodes: usize, count: u32) -> u32 {
        if self.slots.len() != nodes {
            self.slots = vec![Slot::default(); nodes];
            self.stamp = 0;
        }
        if self.stamp > u32::MAX - count - 1 {
            self.slots.fill(Slot::default());
            self.stamp = 0;
        }
        let first = self.stamp + 1;
        self.stamp += count;
        first
    }
}

/// A graph of entities and their ties.
#[derive(Debug, Default)]
pub struct Graph {
    ids: Ids,
    /// Node numbers in the order of their keys, for lookups by id (4 bytes
    /// a node, where a hash table takes about 10).
    order: Vec<u32>,
    /// Where each tie's entry in its source's adjacency is (the target is
    /// there, the source is the node whose range holds it).
    pos: Vec<u32>,
    /// Each tie's (source, target) while the graph is being built.
    ends: Vec<(u32, u32)>,
    /// Each tie's entry in `attrs`.
    attr: Vec<u32>,
    attrs: Vec<Attr>,
    /// (tie, amount) of the ties with an amount, by tie.
    amounts: Vec<(u32, f64)>,
    tie_ids: Ids,
    /// Adjacency of node n: `adj[off[n]..off[n + 1]]`, (neighbour, tie),
    /// both directions; the tie has `FORWARD` set when n is its source, and
    /// `FUNDED` when it is a payment with an amount.
    off: Vec<u32>,
    adj: Vec<(u32, u32)>,
    /// The kind of each adjacency entry's tie, beside it (`adj[i]`'s is
    /// `adj_kind[i]`): a walk filtered by kind reads it in order, where
    /// the tie's entry in `attrs` is a load from anywhere.
    adj_kind: Vec<u8>,
    /// Scratch for searches running at the same time, one each.
    scratch: Mutex<Vec<Scratch>>,
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
    /// At most 2³⁰ ties.
    pub fn build<T: std::borrow::Borrow<Tie>>(ties: impl IntoIterator<Item = T>) -> Graph {
        let mut b = Builder::default();
        for t in ties {
            let t = t.borrow();
            b.add(&t.id, &t.source, &t.target, Attr::of(t), t.amount);
        }
        b.finish()
    }

    fn index_adjacency(&mut self) {
        let n = self.node_count();
        let ends = std::mem::take(&mut self.ends);
        let mut off = vec![0u32; n + 1];
        for &(s, d) in &ends {
            off[s as usize + 1] += 1;
            off[d as usize + 1] += 1;
        }
        for i in 0..n {
            off[i + 1] += off[i];
        }
        let mut fill = off.clone();
        let mut adj = vec![(0u32, 0u32); off[n] as usize];
        let mut adj_kind = vec![0u8; off[n] as usize];
        let mut pos = Vec::with_capacity(ends.len());
        for (i, &(s, d)) in ends.iter().enumerate() {
            pos.push(fill[s as usize]);
            let kind = self.attrs[self.attr[i] as usize].kind;
            let funded = kind == EdgeKind::Payment && self.tie_amount(i).is_some();
            let i = i as u32 | if funded { FUNDED } else { 0 };
            for (a, b, bit) in [(s, d, FORWARD), (d, s, 0)] {
                adj[fill[a as usize] as usize] = (b, i | bit);
                adj_kind[fill[a as usize] as usize] = kind as u8;
                fill[a as usize] += 1;
            }
        }
        self.pos = pos;
        self.off = off;
        self.adj = adj;
        self.adj_kind = adj_kind;
    }

    pub fn node_count(&self) -> usize {
        self.ids.tag.len()
    }

    pub fn edge_count(&self) -> usize {
        self.pos.len()
    }

    /// Bytes the graph holds on the heap (without search scratch).
    pub fn heap_bytes(&self) -> usize {
        self.ids.heap_bytes()
            + self.tie_ids.heap_bytes()
            + self.order.capacity() * 4
            + self.pos.capacity() * 4
            + self.attr.capacity() * 4
            + self.attrs.capacity() * std::mem::size_of::<Attr>()
            + self.amounts.capacity() * 16
            + self.off.capacity() * 4
            + self.adj.capacity() * 8
            + self.adj_kind.capacity()
    }

    /// The node number of an entity.
    pub fn node(&self, id: &str) -> Option<usize> {
        let key = self.ids.key(id);
        let i = self
            .order
            .binary_search_by(|&m| self.ids.key_of(m as usize).cmp(&key))
            .ok()?;
        Some(self.order[i] as usize)
    }

    /// The entity id of a node.
    pub fn id(&self, node: usize) -> String {
        self.ids.get(node)
    }

    /// The relationship entity of a tie.
    pub fn tie_id(&self, tie: usize) -> String {
        self.tie_ids.get(tie)
    }

    /// The kind and dates of a tie (with or without its `FORWARD` bit).
    fn attr_of(&self, tie: u32) -> &Attr {
        &self.attrs[self.attr[(tie & TIE) as usize] as usize]
    }

    pub fn tie_kind(&self, tie: usize) -> EdgeKind {
        self.attr_of(tie as u32).kind
    }

    /// The amount of a tie, if it has one.
    pub fn tie_amount(&self, tie: usize) -> Option<f64> {
        let i = self
            .amounts
            .binary_search_by_key(&(tie as u32), |a| a.0)
            .ok()?;
        Some(self.amounts[i].1)
    }

    /// The two ends of a tie (source, target).
    pub fn tie_ends(&self, tie: usize) -> (usize, usize) {
        let at = self.pos[tie];
        let source = self.off.partition_point(|&o| o <= at) - 1;
        (source, self.adj[at as usize].0 as usize)
    }

    fn neighbours_of(&self, n: u32) -> &[(u32, u32)] {
        &self.adj[self.off[n as usize] as usize..self.off[n as usize + 1] as usize]
    }

    /// The ties of a node, either way: (the node at the other end, tie).
    pub fn ties_of(&self, node: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.neighbours_of(node as u32)
            .iter()
            .map(|&(m, e)| (m as usize, (e & TIE) as usize))
    }

    /// How many ties a node has, either way, unfiltered.
    pub fn degree(&self, node: usize) -> usize {
        self.neighbours_of(node as u32).len()
    }

    fn with_scratch<T>(&self, f: impl FnOnce(&mut Scratch) -> T) -> T {
        let taken = self.scratch.lock().ok().and_then(|mut s| s.pop());
        let mut s = taken.unwrap_or_default();
        let out = f(&mut s);
        if let Ok(mut pool) = self.scratch.lock() {
            pool.push(s);
        }
        out
    }

    /// The ids of the nodes one tie away from the node with this id, of
    /// any kind at any time (none for an id not in the graph).
    pub fn tied_to(&self, id: &str) -> Vec<String> {
        self.node(id)
            .map(|n| {
                self.neighbours(n, 1, &Filter::default())
                    .into_iter()
                    .map(|(m, _)| self.id(m))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every node within `hops` ties of `from`, with its distance, nearest
    /// first (`from` itself not included).
    pub fn neighbours(&self, from: usize, hops: usize, filter: &Filter) -> Vec<(usize, usize)> {
        let open = filter.is_open();
        self.with_scratch(|s| {
            let stamp = s.stamps(self.node_count(), 1);
            s.slots[from].mark = stamp;
            let mut out: Vec<(usize, usize)> = Vec::new();
            // The nodes of the last level are out[level..].
            let mut level = 0;
            for d in 1..=hops {
                let end = out.len();
                let frontier = if d == 1 { 0..1 } else { level..end };
                for i in frontier {
                    let n = if d == 1 { from } else { out[i].0 };
                    for &(m, e) in self.neighbours_of(n as u32) {
                        if s.slots[m as usize].mark == stamp
                            || !(open || filter.allows(self.attr_of(e)))
                        {
                            continue;
                        }
                        s.slots[m as usize].mark = stamp;
                        out.push((m as usize, d));
                    }
                }
                level = end;
                if out.len() == level {
                    break;
                }
            }
            out
        })
    }

    /// A shortest chain of ties between two nodes, ties followed either
    /// way, searched from both ends at once. `None` when they are not connected.
    pub fn shortest_path(&self, a: usize, b: usize, filter: &Filter) -> Option<Vec<Step>> {
        self.path_search(a, b, filter, None)
    }

    /// [`Graph::shortest_path`], listing in `seen` every node whose ties
    /// the search looked at: the two ends and each node it reached. The
    /// search reads the ties of no other node, so the answer is the same
    /// until a tie of one of them changes (kept pages depend on them).
    pub fn shortest_path_seen(
        &self,
        a: usize,
        b: usize,
        filter: &Filter,
        seen: &mut Vec<usize>,
    ) -> Option<Vec<Step>> {
        self.path_search(a, b, filter, Some(seen))
    }

    fn path_search(
        &self,
        a: usize,
        b: usize,
        filter: &Filter,
        mut seen: Option<&mut Vec<usize>>,
    ) -> Option<Vec<Step>> {
        if let Some(seen) = seen.as_deref_mut() {
            seen.extend([a, b]);
        }
        if a == b {
            return Some(Vec::new());
        }
        let open = filter.is_open();
        self.with_scratch(|s| {
            let first = s.stamps(self.node_count(), 2);
            let stamp = [first, first + 1];
            let ends = [a as u32, b as u32];
            let mut fronts = [vec![ends[0]], vec![ends[1]]];
            for side in 0..2 {
                s.slots[ends[side] as usize].mark = stamp[side];
                s.slots[ends[side] as usize].parent = (u32::MAX, u32::MAX);
            }
            // The tie where the searches meet: (node on side 0, tie, node on side 1).
            let meet = 'search: loop {
                if fronts[0].is_empty() || fronts[1].is_empty() {
                    return None;
                }
                // Grow the smaller frontier (by the ties it would look at).
                let cost = |f: &[u32]| {
                    f.iter()
                        .map(|&n| self.neighbours_of(n).len())
                        .sum::<usize>()
                };
                let side = usize::from(cost(&fronts[0]) > cost(&fronts[1]));
                let mut next = Vec::new();
                for &n in &fronts[side] {
                    for &(m, e) in self.neighbours_of(n) {
                        let mark = s.slots[m as usize].mark;
                        if mark == stamp[side] || !(open || filter.allows(self.attr_of(e))) {
                            continue;
                        }
                        if mark == stamp[1 - side] {
                            // e is in n's adjacency: forward when n is its source.
                            let from_n = e & FORWARD != 0;
                            break 'search if side == 0 {
                                (n, e, m, from_n)
                            } else {
                                (m, e, n, !from_n)
                            };
                        }
                        s.slots[m as usize].mark = stamp[side];
                        s.slots[m as usize].parent = (n, e);
                        next.push(m);
                        if let Some(seen) = seen.as_deref_mut() {
                            seen.push(m as usize);
                        }
                    }
                }
                fronts[side] = next;
            };
            // a … meet.0, the meeting tie, then meet.2 … b. A parent's tie
            // was found in the parent's adjacency.
            let step = |e: u32, forward: bool, node: u32| Step {
                tie: (e & TIE) as usize,
                forward,
                node: node as usize,
            };
            let mut steps = Vec::new();
            let mut n = meet.0;
            while n != ends[0] {
                let (p, e) = s.slots[n as usize].parent;
                steps.push(step(e, e & FORWARD != 0, n));
                n = p;
            }
            steps.reverse();
            steps.push(step(meet.1, meet.3, meet.2));
            let mut n = meet.2;
            while n != ends[1] {
                let (p, e) = s.slots[n as usize].parent;
                steps.push(step(e, e & FORWARD == 0, p));
                n = p;
            }
            Some(steps)
        })
    }

    /// The members of a network: sources of membership ties to it.
    pub fn members(&self, network: usize, filter: &Filter) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .neighbours_of(network as u32)
            .iter()
            .filter(|(_, e)| {
                let a = self.attr_of(*e);
                a.kind == EdgeKind::Membership && *e & FORWARD == 0 && filter.allows(a)
            })
            .map(|&(m, _)| m as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every network with how many members it has (sources of membership
    /// ties to it, each once), in node order: what the home page lists,
    /// counted from the ties the graph holds instead of from the store.
    pub fn networks(&self) -> Vec<(usize, usize)> {
        let mut members = Vec::new();
        (0..self.node_count())
            .filter_map(|n| {
                members.clear();
                members.extend(
                    self.neighbours_of(n as u32)
                        .iter()
                        .filter(|(_, e)| {
                            *e & FORWARD == 0 && self.attr_of(*e).kind == EdgeKind::Membership
                        })
                        .map(|&(m, _)| m),
                );
                members.sort_unstable();
                members.dedup();
                (!members.is_empty()).then_some((n, members.len()))
            })
            .collect()
    }

    /// Members two networks share.
    pub fn shared_members(&self, a: usize, b: usize, filter: &Filter) -> Vec<usize> {
        let mb = self.members(b, filter);
        self.members(a, filter)
            .into_iter()
            .filter(|m| mb.binary_search(m).is_ok())
            .collect()
    }

    /// Degree of every node (ties either way, as allowed by the filter).
    pub fn degrees(&self, filter: &Filter) -> Vec<usize> {
        (0..self.node_count())
            .map(|n| {
                self.neighbours_of(n as u32)
                    .iter()
                    .filter(|(_, e)| filter.allows(self.attr_of(*e)))
                    .count()
            })
            .collect()
    }

    /// Betweenness centrality (Brandes), ties undirected and unweighted,
    /// normalized by (n−1)(n−2)/2. Exact when `sources` is `None`; else
    /// estimated from that many evenly spaced source nodes (for large graphs).
    pub fn betweenness(&self, filter: &Filter, sources: Option<usize>) -> Vec<f64> {
        let n = self.node_count();
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
                    if !filter.allows(self.attr_of(e)) || w == v || stamp[w as usize] == v {
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
        let n = self.node_count();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        fn find(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        for s in 0..n as u32 {
            for &(d, e) in self.neighbours_of(s) {
                if e & FORWARD == 0 || !filter.allows(self.attr_of(e)) {
                    continue;
                }
                let (a, b) = (find(&mut parent, s), find(&mut parent, d));
                if a != b {
                    parent[a.max(b) as usize] = a.min(b);
                }
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
mod tests;
