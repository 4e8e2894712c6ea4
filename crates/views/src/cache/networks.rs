//! The networks and how many members each has ([`crate::networks`]), kept
//! for one reader's scope. Reading them goes over every membership in the
//! store (a second and more at 100,000 organizations), and the home page,
//! the browse page and the API's counts asked for them again after every
//! write. A write that moves no membership leaves them as they were.

use std::collections::HashMap;
use std::sync::Arc;

use dossier_store::Label;

/// The networks, most members first, as [`crate::networks`] lists them.
pub type NetworkList = Arc<Vec<(Label, usize)>>;

/// A kept list and the labels of the networks on it, which outlive the
/// list: a membership more changes a count, not the network, so the list
/// made again reads only the networks it did not have. While a list is
/// kept, the labels are exactly its networks'.
#[derive(Debug, Default)]
pub(super) struct KeptNetworks {
    list: Option<NetworkList>,
    labels: HashMap<String, Label>,
}

impl KeptNetworks {
    pub(super) fn get(&self) -> Option<NetworkList> {
        self.list.clone()
    }

    pub(super) fn keep(&mut self, list: NetworkList) {
        self.labels = list
            .iter()
            .map(|(l, _)| (l.id.clone(), l.clone()))
            .collect();
        self.list = Some(list);
    }

    /// A network's label, from the last list kept.
    pub(super) fn label(&self, id: &str) -> Option<&Label> {
        self.labels.get(id)
    }

    /// Forgets the list (a count may have changed); the labels stay.
    pub(super) fn forget_list(&mut self) {
        self.list = None;
    }

    pub(super) fn clear(&mut self) {
        *self = Self::default();
    }

    /// Forgets the list when one of `ids` is a network on it (its name,
    /// or whether it is there at all for this reader, may have changed),
    /// and the labels of `ids`.
    pub(super) fn forget(&mut self, ids: &[String]) {
        for id in ids {
            if self.labels.remove(id).is_some() {
                self.list = None;
            }
        }
    }
}
