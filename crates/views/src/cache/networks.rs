//! The networks and how many members each has ([`crate::networks`]), kept
//! for one reader's scope. Reading them goes over every membership in the
//! store (a second and more at 100,000 organizations), and the home page,
//! the browse page and the API's counts asked for them again after every
//! write. A write that moves no membership leaves them as they were.

use std::collections::HashSet;
use std::sync::Arc;

use dossier_model::Entity;

/// The networks, most members first, as [`crate::networks`] lists them.
pub type NetworkList = Arc<Vec<(Entity, usize)>>;

/// A kept list and the ids of the networks on it.
#[derive(Debug, Default)]
pub(super) struct KeptNetworks {
    list: Option<NetworkList>,
    ids: HashSet<String>,
}

impl KeptNetworks {
    pub(super) fn get(&self) -> Option<NetworkList> {
        self.list.clone()
    }

    pub(super) fn keep(&mut self, list: NetworkList) {
        self.ids = list.iter().map(|(e, _)| e.id.clone()).collect();
        self.list = Some(list);
    }

    pub(super) fn clear(&mut self) {
        *self = Self::default();
    }

    /// Forgets the list when one of `ids` is a network on it: its name,
    /// or whether it is there at all for this reader, may have changed.
    pub(super) fn forget(&mut self, ids: &[String]) {
        if ids.iter().any(|id| self.ids.contains(id)) {
            self.clear();
        }
    }
}
