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
//! of hash maps. Hand-written rather than petgraph: its graphs keep a node
//! weight and edge weight per element and have no bidirectional search or
//! date filter; the algorithms here are short and tested against known
//! answers.

use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::Mutex;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::EdgeKind;

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
/// find an id's number.
#[derive(Default)]
struct Interner {
    ids: Ids,
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Interner {
    fn find(&self, id: &str) -> Option<u32> {
        let key = self.ids.key(id);
        self.index
            .find(self.hasher.hash_one(key), |&m| {
                self.ids.key_of(m as usize) == key
            })
            .copied()
    }

    fn intern(&mut self, id: &str) -> u32 {
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

    fn heap_bytes(&self) -> usize {
        self.ids.heap_bytes() + self.index.capacity() * 5
    }
}

/// A graph while its ties are added.
#[derive(Default)]
struct Builder {
    g: Graph,
    nodes: Interner,
    attr_index: HashMap<Attr, u32>,
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
        let mut g = self.g;
        g.ids = self.nodes.ids;
        let mut order: Vec<u32> = (0..g.node_count() as u32).collect();
        order.sort_unstable_by(|&a, &b| g.ids.key_of(a as usize).cmp(&g.ids.key_of(b as usize)));
        g.order = order;
        g.index_adjacency();
        g.attr.shrink_to_fit();
        g.amounts.shrink_to_fit();
        g.ids.shrink_to_fit();
        g.tie_ids.shrink_to_fit();
        g
    }
}

/// The ties each entity makes (a relationship's one, a claim's several),
/// kept between builds of the graph so that a change to a few entities
/// reads only those again. Compact: every id is interned once (packed as
/// in the graph), a tie is 32 bytes. An id no longer used stays interned
/// until the set is made anew.
#[derive(Default)]
pub struct TieSet {
    names: Interner,
    /// By the entity making them (which is the ties' id).
    by_entity: hashbrown::HashMap<u32, Box<[Kept]>>,
    count: usize,
}

/// One kept tie: its ends' numbers in the set's interner.
#[derive(Debug, Clone, Copy)]
struct Kept {
    source: u32,
    target: u32,
    attr: Attr,
    /// NaN when the tie has no amount.
    amount: f64,
}

impl Kept {
    /// The same tie (an amount compared by its bits: no amount is NaN).
    fn same(&self, other: &Kept) -> bool {
        self.source == other.source
            && self.target == other.target
            && self.attr == other.attr
            && self.amount.to_bits() == other.amount.to_bits()
    }
}

impl TieSet {
    pub fn new() -> TieSet {
        TieSet::default()
    }

    /// Sets the ties an entity makes (each `Tie::id` is the entity's),
    /// replacing those it made before; none forgets it. Says whether they
    /// differ from those it made before: when no entity's do, the graph
    /// made from the set is the one made before.
    pub fn set(&mut self, entity: &str, ties: &[Tie]) -> bool {
        if ties.is_empty() {
            if let Some(n) = self.names.find(entity) {
                if let Some(old) = self.by_entity.remove(&n) {
                    self.count -= old.len();
                    return true;
                }
            }
            return false;
        }
        let n = self.names.intern(entity);
        let kept: Box<[Kept]> = ties
            .iter()
            .map(|t| Kept {
                source: self.names.intern(&t.source),
                target: self.names.intern(&t.target),
                attr: Attr::of(t),
                amount: t.amount.filter(|a| a.is_finite()).unwrap_or(f64::NAN),
            })
            .collect();
        self.count += kept.len();
        match self.by_entity.insert(n, kept) {
            Some(old) => {
                self.count -= old.len();
                let new = &self.by_entity[&n];
                old.len() != new.len() || old.iter().zip(new.iter()).any(|(a, b)| !a.same(b))
            }
            None => true,
        }
    }

    /// How many ties the set holds.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Bytes the set holds on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.names.heap_bytes()
            + self.by_entity.capacity() * (4 + std::mem::size_of::<Box<[Kept]>>() + 1)
            + self.count * std::mem::size_of::<Kept>()
    }

    /// The graph of the ties, taken entity by entity in the order of their
    /// ids, so it is the same however the set was reached.
    pub fn graph(&self) -> Graph {
        let mut entities: Vec<u32> = self.by_entity.keys().copied().collect();
        let ids = &self.names.ids;
        entities.sort_unstable_by(|&a, &b| ids.cmp_text(a as usize, b as usize));
        // Ids are copied as they are packed here (the same prefix numbers),
        // and nodes numbered through a table by the set's numbers: no text
        // is made and nothing hashed again.
        let mut b = Builder::default();
        b.nodes.ids.prefixes = ids.prefixes.clone();
        b.g.tie_ids.prefixes = ids.prefixes.clone();
        let mut node_of = vec![u32::MAX; ids.tag.len()];
        let mut node = |b: &mut Builder, i: u32| {
            let n = &mut node_of[i as usize];
            if *n == u32::MAX {
                *n = b.nodes.ids.tag.len() as u32;
                b.nodes.ids.copy_from(ids, i as usize);
            }
            *n
        };
        for e in entities {
            for k in self.by_entity[&e].iter() {
                let s = node(&mut b, k.source);
                let d = node(&mut b, k.target);
                b.push(s, d, k.attr, Some(k.amount).filter(|a| !a.is_nan()));
                b.g.tie_ids.copy_from(ids, e as usize);
            }
        }
        b.finish()
    }
}

/// Visited marks and parents for one search at a time, reused: a node is
/// marked when `mark[n]` equals the search's stamp, so nothing is cleared
/// between searches.
#[derive(Debug, Default)]
struct Scratch {
    mark: Vec<u32>,
    stamp: u32,
    /// (previous node, tie) on the way from where the search started; or
    /// (last member, count) while counting interlocks.
    parent: Vec<(u32, u32)>,
    /// Funding summed per node while counting interlocks (sized on first use).
    sum: Vec<f64>,
}

impl Scratch {
    /// `count` fresh stamps.
    fn stamps(&mut self, nodes: usize, count: u32) -> u32 {
        if self.mark.len() != nodes {
            self.mark = vec![0; nodes];
            self.parent = vec![(0, 0); nodes];
            self.stamp = 0;
        }
        if self.stamp > u32::MAX - count - 1 {
            self.mark.fill(0);
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
        let mut pos = Vec::with_capacity(ends.len());
        for (i, &(s, d)) in ends.iter().enumerate() {
            pos.push(fill[s as usize]);
            let funded = self.attrs[self.attr[i] as usize].kind == EdgeKind::Payment
                && self.tie_amount(i).is_some();
            let i = i as u32 | if funded { FUNDED } else { 0 };
            for (a, b, bit) in [(s, d, FORWARD), (d, s, 0)] {
                adj[fill[a as usize] as usize] = (b, i | bit);
                fill[a as usize] += 1;
            }
        }
        self.pos = pos;
        self.off = off;
        self.adj = adj;
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
            s.mark[from] = stamp;
            let mut out: Vec<(usize, usize)> = Vec::new();
            // The nodes of the last level are out[level..].
            let mut level = 0;
            for d in 1..=hops {
                let end = out.len();
                let frontier = if d == 1 { 0..1 } else { level..end };
                for i in frontier {
                    let n = if d == 1 { from } else { out[i].0 };
                    for &(m, e) in self.neighbours_of(n as u32) {
                        if s.mark[m as usize] == stamp || !(open || filter.allows(self.attr_of(e)))
                        {
                            continue;
                        }
                        s.mark[m as usize] = stamp;
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
                s.mark[ends[side] as usize] = stamp[side];
                s.parent[ends[side] as usize] = (u32::MAX, u32::MAX);
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
                        let mark = s.mark[m as usize];
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
                        s.mark[m as usize] = stamp[side];
                        s.parent[m as usize] = (n, e);
                        next.push(m);
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
                let (p, e) = s.parent[n as usize];
                steps.push(step(e, e & FORWARD != 0, n));
                n = p;
            }
            steps.reverse();
            steps.push(step(meet.1, meet.3, meet.2));
            let mut n = meet.2;
            while n != ends[1] {
                let (p, e) = s.parent[n as usize];
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
        self.top_interlocks(members, exclude, min, usize::MAX, filter)
            .0
    }

    /// The first `limit` of [`Graph::interlocks`], and how many there are
    /// in all. Counts in the reused search arrays and lists the members of
    /// the first `limit` only, so a page can ask for the top few of
    /// thousands cheaply.
    pub fn top_interlocks(
        &self,
        members: &[usize],
        exclude: &[usize],
        min: usize,
        limit: usize,
        filter: &Filter,
    ) -> (Vec<Interlock>, usize) {
        let open = filter.is_open();
        self.with_scratch(|s| {
            let first = s.stamps(self.node_count(), 3);
            let (skip, touched_stamp, chosen) = (first, first + 1, first + 2);
            if s.sum.len() != self.node_count() {
                s.sum = vec![0.0; self.node_count()];
            }
            for &m in members.iter().chain(exclude) {
                s.mark[m] = skip;
            }
            let mut touched: Vec<u32> = Vec::new();
            for &m in members {
                for &(t, e) in self.neighbours_of(m as u32) {
                    let ti = t as usize;
                    if s.mark[ti] == skip || !(open || filter.allows(self.attr_of(e))) {
                        continue;
                    }
                    if s.mark[ti] != touched_stamp {
                        s.mark[ti] = touched_stamp;
                        s.parent[ti] = (u32::MAX, 0);
                        s.sum[ti] = 0.0;
                        touched.push(t);
                    }
                    if s.parent[ti].0 != m as u32 {
                        s.parent[ti] = (m as u32, s.parent[ti].1 + 1);
                    }
                    if e & FUNDED != 0 {
                        s.sum[ti] += self.tie_amount((e & TIE) as usize).unwrap_or(0.0);
                    }
                }
            }
            touched.retain(|&t| s.parent[t as usize].1 as usize >= min);
            let total = touched.len();
            let key = |t: u32| (s.parent[t as usize].1, s.sum[t as usize]);
            let order = |a: &u32, b: &u32| {
                let (ka, kb) = (key(*a), key(*b));
                kb.0.cmp(&ka.0).then(kb.1.total_cmp(&ka.1)).then(a.cmp(b))
            };
            if limit < touched.len() {
                touched.select_nth_unstable_by(limit, order);
                touched.truncate(limit);
            }
            touched.sort_unstable_by(order);
            let mut out: Vec<Interlock> = touched
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    s.mark[t as usize] = chosen;
                    // From here on, the slot holds the node's place in `out`.
                    s.parent[t as usize].0 = i as u32;
                    Interlock {
                        node: t as usize,
                        members: Vec::new(),
                        funding: s.sum[t as usize],
                    }
                })
                .collect();
            for &m in members {
                for &(t, e) in self.neighbours_of(m as u32) {
                    if s.mark[t as usize] != chosen || !(open || filter.allows(self.attr_of(e))) {
                        continue;
                    }
                    let lock = &mut out[s.parent[t as usize].0 as usize];
                    if lock.members.last() != Some(&m) {
                        lock.members.push(m);
                    }
                }
            }
            for lock in &mut out {
                lock.members.sort_unstable();
                lock.members.dedup();
            }
            (out, total)
        })
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
        let ties: Vec<String> = path.iter().map(|s| g.tie_id(s.tie)).collect();
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
        let (top, total) = g.top_interlocks(&members, &[n1], 1, 1, &Filter::default());
        assert_eq!((top.as_slice(), total), (&all[..1], 2));
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

    #[test]
    fn ids_are_packed_and_given_back_as_they_came() {
        let ids = [
            "org-0123456789abcdef",
            "org-ffffffffffffffff",
            "membership-0000000000000001",
            "org-0123456789ABCDEF",
            "org-123",
            "plain",
            "a-b-0123456789abcdef",
            "",
        ];
        let g = Graph::build(
            ids.windows(2)
                .enumerate()
                .map(|(i, w)| tie(&format!("t-{i:016x}"), EdgeKind::Link, w[0], w[1])),
        );
        assert_eq!(g.node_count(), ids.len());
        for id in ids {
            let n = g.node(id).unwrap_or_else(|| panic!("{id:?} not found"));
            assert_eq!(g.id(n), id);
        }
        assert_eq!(g.node("org-0123456789abcdee"), None);
        assert_eq!(g.node("person-0123456789abcdef"), None);
        assert_eq!(g.tie_id(3), "t-0000000000000003");
        assert!(g.heap_bytes() > 0);
    }

    /// Neighbourhoods and path lengths agree with a plain breadth-first
    /// search on random graphs, search after search (the reused marks).
    #[test]
    fn searches_agree_with_plain_breadth_first_search() {
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for round in 0..20 {
            let n = 5 + next(60);
            let e = next(n * 2);
            let ties: Vec<Tie> = (0..e)
                .map(|i| {
                    let kind = if next(2) == 0 {
                        EdgeKind::Membership
                    } else {
                        EdgeKind::Payment
                    };
                    tie(
                        &format!("e{round}-{i}"),
                        kind,
                        &format!("n{}", next(n)),
                        &format!("n{}", next(n)),
                    )
                })
                .collect();
            let g = Graph::build(ties.clone());
            let filter = Filter {
                kinds: vec![EdgeKind::Membership],
                at: None,
            };
            for f in [Filter::default(), filter] {
                // Plain distances from each node.
                let bfs = |from: usize| {
                    let mut dist = vec![usize::MAX; g.node_count()];
                    dist[from] = 0;
                    let mut q = VecDeque::from([from]);
                    while let Some(x) = q.pop_front() {
                        for t in &ties {
                            if !f.kinds.is_empty() && !f.kinds.contains(&t.kind) {
                                continue;
                            }
                            let (a, b) = (g.node(&t.source).unwrap(), g.node(&t.target).unwrap());
                            for (p, q2) in [(a, b), (b, a)] {
                                if p == x && dist[q2] == usize::MAX {
                                    dist[q2] = dist[x] + 1;
                                    q.push_back(q2);
                                }
                            }
                        }
                    }
                    dist
                };
                // The top few interlocks are the first few of all of them.
                let members: Vec<usize> = (0..g.node_count()).filter(|m| m % 3 == 0).collect();
                let all = g.interlocks(&members, &[], 1, &f);
                for limit in [0, 1, 3, 1000] {
                    let (top, total) = g.top_interlocks(&members, &[], 1, limit, &f);
                    assert_eq!(total, all.len());
                    assert_eq!(top, all[..limit.min(all.len())]);
                }
                for from in 0..g.node_count() {
                    let dist = bfs(from);
                    let mut got = g.neighbours(from, 2, &f);
                    got.sort_unstable();
                    let mut want: Vec<(usize, usize)> = (0..g.node_count())
                        .filter(|&m| m != from && dist[m] <= 2)
                        .map(|m| (m, dist[m]))
                        .collect();
                    want.sort_unstable();
                    assert_eq!(got, want, "round {round} from {from}");
                    for (to, &d) in dist.iter().enumerate() {
                        let path = g.shortest_path(from, to, &f);
                        match path {
                            None => assert_eq!(d, usize::MAX),
                            Some(p) => {
                                assert_eq!(p.len(), d, "round {round} {from}→{to}");
                                let mut at = from;
                                for step in &p {
                                    let (s, d) = g.tie_ends(step.tie);
                                    assert_eq!(
                                        (s, d),
                                        if step.forward {
                                            (at, step.node)
                                        } else {
                                            (step.node, at)
                                        }
                                    );
                                    at = step.node;
                                }
                                assert_eq!(at, to);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Everything a graph says, in its own numbering.
    fn dump(g: &Graph) -> Vec<String> {
        (0..g.edge_count())
            .map(|t| {
                let (s, d) = g.tie_ends(t);
                format!(
                    "{} {:?} {} {} {:?} {:?}",
                    g.tie_id(t),
                    g.tie_kind(t),
                    g.id(s),
                    g.id(d),
                    g.tie_amount(t),
                    g.attr_of(t as u32)
                )
            })
            .chain((0..g.node_count()).map(|n| format!("node {n} {}", g.id(n))))
            .collect()
    }

    #[test]
    fn a_tie_set_makes_the_same_graph_however_it_was_reached() {
        use EdgeKind::*;
        let packed = |p: &str, n: u64| format!("{p}-{n:016x}");
        let mut pay = tie(&packed("pay", 3), Payment, &packed("org", 9), "odd id");
        pay.amount = Some(12.5);
        pay.start = Some("2021-04".into());
        let claim_a = tie(
            &packed("claim", 1),
            Mention,
            &packed("org", 1),
            &packed("org", 2),
        );
        let claim_b = tie(&packed("claim", 1), Mention, &packed("org", 1), "Z");
        let wanted = vec![
            claim_a.clone(),
            claim_b.clone(),
            tie(&packed("m", 0xff), Membership, "Z", &packed("org", 2)),
            tie(
                &packed("m", 0x100),
                Membership,
                &packed("org", 9),
                &packed("org", 2),
            ),
            // `m_x` sorts after `m-…` as text ('_' > '-'), `a` before both.
            tie("m_x", Link, "a", "b"),
            tie("a", Link, "b", "c"),
            pay.clone(),
        ];
        // As a store lists them: in the order of their ids as text.
        let mut sorted = wanted.clone();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        let expected = dump(&Graph::build(&sorted));

        // Reached all at once, in another order…
        let mut once = TieSet::new();
        for t in wanted.iter().rev() {
            let mine: Vec<Tie> = wanted.iter().filter(|w| w.id == t.id).cloned().collect();
            once.set(&t.id, &mine);
        }
        assert_eq!(once.len(), wanted.len());
        assert_eq!(dump(&once.graph()), expected);

        // …and by changes: a tie removed, another changed, then put back.
        let mut changed = TieSet::new();
        for t in &wanted {
            let mine: Vec<Tie> = wanted.iter().filter(|w| w.id == t.id).cloned().collect();
            changed.set(&t.id, &mine);
        }
        assert!(changed.set("a", &[]), "a tie removed");
        assert!(
            changed.set(&pay.id, &[tie(&pay.id, Payment, "x", "y")]),
            "a tie's ends changed"
        );
        assert_eq!(changed.len(), wanted.len() - 1);
        assert_ne!(dump(&changed.graph()), expected);
        assert!(changed.set("a", &[tie("a", Link, "b", "c")]), "put back");
        assert!(changed.set(&pay.id, std::slice::from_ref(&pay)));
        assert!(!changed.set("never there", &[]), "no ties before or now");
        assert_eq!(changed.len(), wanted.len());
        assert_eq!(dump(&changed.graph()), expected);
        assert!(changed.heap_bytes() > 0);

        // The same ties again change nothing; an amount, a date or a kind does.
        assert!(!changed.set(&pay.id, std::slice::from_ref(&pay)));
        assert!(!changed.set("a", &[tie("a", Link, "b", "c")]));
        let mut more = pay.clone();
        more.amount = Some(more.amount.unwrap_or(0.0) + 1.0);
        assert!(changed.set(&pay.id, std::slice::from_ref(&more)));
        assert!(changed.set(&pay.id, std::slice::from_ref(&pay)));
        assert!(changed.set("a", &[tie("a", Membership, "b", "c")]));
        assert!(changed.set("a", &[tie("a", Link, "b", "c"), tie("a", Link, "b", "d")]));
    }
}
