//! The ties kept between builds of the graph, entity by entity.

use super::{Attr, Builder, Graph, Interner, Tie};

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
