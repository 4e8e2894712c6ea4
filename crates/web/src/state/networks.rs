//! The networks and their sizes, as the home page, `/browse` and the API's
//! counts list them. For a reader who sees what the public sees, the
//! members are counted from the analysis graph's ties, which the graph's
//! follower keeps up with every write; reading every membership in the
//! store again (`dossier_views::networks`: seconds at 100,000
//! organizations) is left to readers who see more.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use dossier_store::Reader;
use dossier_views::cache::NetworkList;

use super::AppState;
use crate::WebError;

impl AppState {
    /// The networks `store`'s reader may see, most members first: kept for
    /// that reader's scope until a membership or a listed network changes.
    pub(crate) fn networks(&self, store: &Reader<'_>) -> Result<NetworkList, WebError> {
        let kept = self.kept(store);
        if store.scope() != &self.public_scope()? {
            return Ok(kept.networks(store)?);
        }
        if let Some(list) = kept.kept_networks(store) {
            return Ok(list);
        }
        // The version up to which the graph is known to be current, read
        // before the graph: a graph made since is at least as new.
        let current = self.inner.derived.ties_current.load(Ordering::Acquire);
        let (made, graph) = self.graph_at(store)?;
        let sizes = graph
            .networks()
            .into_iter()
            .map(|(node, members)| (graph.id(node), members))
            .collect();
        let list: NetworkList = Arc::new(kept.name_networks(store, sizes)?);
        kept.keep_networks(current.max(made), list.clone());
        Ok(list)
    }
}
