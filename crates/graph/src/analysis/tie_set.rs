//! The ties kept between builds of the graph, entity by entity.

use std::cmp::Ordering;

use super::{Attr, Builder, Graph, Interner, Tie};

/// The ties each entity makes (a relationship's one, a claim's several),
/// kept between builds of the graph so that a change to a few entities
/// reads only those again. Compact: every id is interned once (packed as
/// in the graph), a tie is 32 bytes. An id no longer used stays interned
/// until the set is made anew.
#[derive(Default)]
pub struct TieSet {
    names: Interner,
    /// By the number of the entity making them (which is the ties' id),
    /// `None` for a name that makes none. A slot a name rather than a hash
    /// table: a store lists ties in the order of their ids, so the graph's
    /// walk in that order reads the slots, and what they hold, in turn.
    by_entity: Vec<Option<Box<[Kept]>>>,
    count: usize,
    /// The orders the last graph was made in, kept for the next: a change
    /// to a few entities then sorts those few, not the millions (sorting
    /// was two thirds of making the graph at 1M organizations).
    order: Orders,
}

/// The entities making ties in the order of their ids as text, and every
/// name in the order of its key (the graph's lookup order), as of the
/// last graph made, with what came since.
#[derive(Default)]
struct Orders {
    /// Some may no longer make ties: they are left out at the next graph.
    entities: Vec<u32>,
    /// Entities that made no ties before, set since (some more than once).
    new_entities: Vec<u32>,
    /// Some entity's ties were all taken away since.
    gone: bool,
    /// Names `0..names.len()`; those interned since follow in number.
    names: Vec<u32>,
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
                if let Some(old) = self.by_entity.get_mut(n as usize).and_then(Option::take) {
                    self.count -= old.len();
                    self.order.gone = true;
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
        if self.by_entity.len() <= n as usize {
            let more = n as usize + 1 - self.by_entity.len();
            room(&mut self.by_entity, more);
            self.by_entity.resize(n as usize + 1, None);
        }
        match self.by_entity[n as usize].replace(kept) {
            Some(old) => {
                self.count -= old.len();
                let new = self.ties_of(n);
                old.len() != new.len() || old.iter().zip(new.iter()).any(|(a, b)| !a.same(b))
            }
            None => {
                self.order.new_entities.push(n);
                true
            }
        }
    }

    /// The ties entity `n` makes (none for a name that makes none).
    fn ties_of(&self, n: u32) -> &[Kept] {
        match self.by_entity.get(n as usize) {
            Some(Some(ties)) => ties,
            _ => &[],
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
            + self.by_entity.capacity() * std::mem::size_of::<Option<Box<[Kept]>>>()
            + self.count * std::mem::size_of::<Kept>()
            + 4 * (self.order.entities.capacity()
                + self.order.new_entities.capacity()
                + self.order.names.capacity())
    }

    /// Brings the kept orders up to the set: the entities set since sorted
    /// and merged in, those that make no ties any more left out, the names
    /// interned since likewise.
    fn sort(&mut self) {
        let ids = &self.names.ids;
        let by_text = |a: &u32, b: &u32| ids.cmp_text(*a as usize, *b as usize);
        let order = &mut self.order;
        if std::mem::take(&mut order.gone) {
            let by_entity = &self.by_entity;
            order.entities.retain(|&e| makes_ties(by_entity, e));
        }
        let fresh = std::mem::take(&mut order.new_entities);
        let fresh = fresh
            .into_iter()
            .filter(|&e| makes_ties(&self.by_entity, e));
        add_sorted(&mut order.entities, fresh.collect(), by_text);
        let by_key = |a: &u32, b: &u32| ids.key_of(*a as usize).cmp(&ids.key_of(*b as usize));
        let known = order.names.len() as u32;
        add_sorted(
            &mut order.names,
            (known..ids.tag.len() as u32).collect(),
            by_key,
        );
    }

    /// The graph of the ties, taken entity by entity in the order of their
    /// ids, so it is the same however the set was reached. Keeps the
    /// orders it worked out for the next.
    pub fn graph(&mut self) -> Graph {
        self.sort();
        let entities = &self.order.entities;
        let ids = &self.names.ids;
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
        for &e in entities {
            for k in self.ties_of(e) {
                let s = node(&mut b, k.source);
                let d = node(&mut b, k.target);
                b.push(s, d, k.attr, Some(k.amount).filter(|a| !a.is_nan()));
                b.g.tie_ids.copy_from(ids, e as usize);
            }
        }
        // The nodes in the order of their keys are the names in theirs that
        // are nodes: their keys here are the names' keys, copied.
        let order = self
            .order
            .names
            .iter()
            .map(|&i| node_of[i as usize])
            .filter(|&n| n != u32::MAX)
            .collect();
        b.finish_in(order)
    }
}

/// Room for `more` in `list`, growing it by an eighth rather than doubling
/// it: the lists are a few of them a name, millions long, and grow a few
/// at a time once made.
fn room<T>(list: &mut Vec<T>, more: usize) {
    if list.capacity() - list.len() < more {
        list.reserve_exact(more.max(list.len() / 8));
    }
}

/// Whether entity `n` makes ties.
fn makes_ties(by_entity: &[Option<Box<[Kept]>>], n: u32) -> bool {
    matches!(by_entity.get(n as usize), Some(Some(_)))
}

/// Adds `fresh` to the sorted `list`, a number already there once: a few
/// each where they belong, many by sorting them and merging the two.
fn add_sorted(list: &mut Vec<u32>, mut fresh: Vec<u32>, cmp: impl Fn(&u32, &u32) -> Ordering) {
    if fresh.len() <= 64 {
        for n in fresh {
            if let Err(at) = list.binary_search_by(|m| cmp(m, &n)) {
                room(list, 1);
                list.insert(at, n);
            }
        }
        return;
    }
    fresh.sort_unstable_by(&cmp);
    let (mut a, mut b) = (
        std::mem::take(list).into_iter().peekable(),
        fresh.into_iter().peekable(),
    );
    list.reserve(a.len() + b.len());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match cmp(x, y) {
                Ordering::Greater => b.next(),
                Ordering::Less => a.next(),
                Ordering::Equal => {
                    b.next();
                    a.next()
                }
            },
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        let Some(n) = next else { break };
        if list.last() != Some(&n) {
            list.push(n);
        }
    }
}
