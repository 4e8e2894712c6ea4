//! Layouts kept once worked out. A layout is a pure function of how many
//! nodes a network has, its edges (in order), the box and the number of
//! iterations; a network's drawing took a quarter of a server's time
//! under the load check's mix (300 iterations over every pair of up to
//! 120 nodes, on each request not answered from the page cache). Kept by
//! all that it is made of, a layout never goes stale: whoever asks, and
//! however the store changed, the same input gives the same drawing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::{layout, Layout, Network};

/// Everything a layout is made of: the node count, the edges' ends, the
/// box (as bits) and the iterations.
type Key = (usize, Vec<(usize, usize)>, u64, u64, usize);

/// How many layouts are kept; past it they are all forgotten.
const KEPT: usize = 4096;

/// Layouts worked out, by what they are made of.
#[derive(Debug, Default)]
pub struct Layouts(Mutex<HashMap<Key, Arc<Layout>>>);

impl Layouts {
    pub fn new() -> Self {
        Self::default()
    }

    /// [`layout`] of `net`, kept or worked out (outside the lock) and kept.
    pub fn get(&self, net: &Network, width: f64, height: f64, iterations: usize) -> Arc<Layout> {
        let key: Key = (
            net.nodes.len(),
            net.edges.iter().map(|e| (e.source, e.target)).collect(),
            width.to_bits(),
            height.to_bits(),
            iterations,
        );
        if let Some(l) = self.lock().get(&key) {
            return l.clone();
        }
        let made = Arc::new(layout(net, width, height, iterations));
        let mut kept = self.lock();
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.entry(key).or_insert(made).clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Arc<Layout>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_model::Entity;

    fn net(members: &[&str]) -> Network {
        let mut net = Network::new();
        let mut hub = Entity::new("hub", "Organization").unwrap();
        hub.add("name", "Hub").unwrap();
        net.add_node(&hub);
        for (i, m) in members.iter().enumerate() {
            let mut e = Entity::new(*m, "Organization").unwrap();
            e.add("name", *m).unwrap();
            net.add_node(&e);
            let mut r = Entity::new(format!("mem{i}"), "Membership").unwrap();
            r.add("member", *m).unwrap();
            r.add("organization", "hub").unwrap();
            net.add_relation(&r);
        }
        net
    }

    #[test]
    fn a_layout_is_kept_by_all_it_is_made_of() {
        let layouts = Layouts::new();
        let small = net(&["a", "b", "c"]);
        let first = layouts.get(&small, 800.0, 600.0, 50);
        assert_eq!(*first, layout(&small, 800.0, 600.0, 50));
        assert!(Arc::ptr_eq(&first, &layouts.get(&small, 800.0, 600.0, 50)));
        // Another network, box or number of iterations is worked out anew.
        let larger = net(&["a", "b", "c", "d"]);
        let other = layouts.get(&larger, 800.0, 600.0, 50);
        assert_eq!(*other, layout(&larger, 800.0, 600.0, 50));
        assert_ne!(first.positions.len(), other.positions.len());
        assert!(!Arc::ptr_eq(&first, &layouts.get(&small, 400.0, 600.0, 50)));
        assert!(!Arc::ptr_eq(&first, &layouts.get(&small, 800.0, 600.0, 60)));
        // The same shape with other names draws the same.
        let renamed = net(&["x", "y", "z"]);
        assert!(Arc::ptr_eq(
            &first,
            &layouts.get(&renamed, 800.0, 600.0, 50)
        ));
    }
}
