//! The networks and how many members each has ([`crate::networks`]), kept
//! for one reader's scope. Reading them goes over every membership in the
//! store (a second and more at 100,000 organizations), and the home page,
//! the browse page and the API's counts asked for them again after every
//! write. A write that moves no membership leaves them as they were.

use std::collections::HashMap;
use std::sync::Arc;

use dossier_model::Entity;

/// The networks, most members first, as [`crate::networks`] lists them.
pub type NetworkList = Arc<Vec<(Entity, usize)>>;

/// A kept list and the entities of the networks on it, which outlive the
/// list: a membership more changes a count, not the network, so the list
/// made again reads only the networks it did not have. While a list is
/// kept, the entities are exactly its networks'.
#[derive(Debug, Default)]
pub(super) struct KeptNetworks {
    list: Option<NetworkList>,
    entities: HashMap<String, Entity>,
}

impl KeptNetworks {
    pub(super) fn get(&self) -> Option<NetworkList> {
        self.list.clone()
    }

    pub(super) fn keep(&mut self, list: NetworkList) {
        self.entities = list
            .iter()
            .map(|(e, _)| (e.id.clone(), e.clone()))
            .collect();
        self.list = Some(list);
    }

    /// A network's entity, from the last list kept.
    pub(super) fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// Forgets the list (a count may have changed); the entities stay.
    pub(super) fn forget_list(&mut self) {
        self.list = None;
    }

    pub(super) fn clear(&mut self) {
        *self = Self::default();
    }

    /// Forgets the list when one of `ids` is a network on it (its name,
    /// or whether it is there at all for this reader, may have changed),
    /// and the entities of `ids`.
    pub(super) fn forget(&mut self, ids: &[String]) {
        for id in ids {
            if self.entities.remove(id).is_some() {
                self.list = None;
            }
        }
    }
}
