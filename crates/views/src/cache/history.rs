//! Entities' histories kept from request to request, beside the entities
//! themselves ([`super::Kept`]): a profile page lists where each value
//! came from and when the entity last changed, which is read from every
//! statement ever made about it. With the entity, what refers to it and
//! its connections kept, the history was the one read left on a page
//! rendered again (on PostgreSQL a round trip, and with the read snapshot
//! around it three).

use std::collections::HashMap;
use std::sync::Arc;

use dossier_model::Statement;

/// Statements held in kept histories, in all; past it they are emptied.
pub(super) const HISTORY_ROWS_KEPT: usize = 100_000;

/// A history longer than this is read each time (a network named by
/// thousands of sources), so one page cannot empty what others keep.
const HISTORY_ROWS_ONE: usize = HISTORY_ROWS_KEPT / 8;

/// Histories by entity id, and how many statements they hold in all.
#[derive(Debug, Default)]
pub(super) struct Histories {
    by_id: HashMap<String, Arc<[Statement]>>,
    rows: usize,
}

impl Histories {
    pub(super) fn get(&self, id: &str) -> Option<Arc<[Statement]>> {
        self.by_id.get(id).cloned()
    }

    /// Keeps `id`'s history, when it is the entity's own: every statement
    /// in it has `id` as its canonical id. The follow log names the
    /// canonical id of what changed, so a merged record's history (whose
    /// statements name another canonical) would never be forgotten.
    pub(super) fn keep(&mut self, id: &str, history: &Arc<[Statement]>) {
        let own = !history.is_empty() && history.iter().all(|st| st.canonical_id == id);
        if !own || history.len() > HISTORY_ROWS_ONE {
            return;
        }
        if self.rows + history.len() > HISTORY_ROWS_KEPT {
            self.clear();
        }
        self.rows += history.len();
        if let Some(old) = self.by_id.insert(id.to_string(), history.clone()) {
            self.rows -= old.len();
        }
    }

    pub(super) fn forget(&mut self, id: &str) {
        if let Some(old) = self.by_id.remove(id) {
            self.rows -= old.len();
        }
    }

    pub(super) fn clear(&mut self) {
        self.by_id.clear();
        self.rows = 0;
    }

    #[cfg(test)]
    pub(super) fn rows(&self) -> usize {
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::{demo, Cached, Kept};
    use dossier_model::{Batch, Entity};
    use dossier_store::prelude::*;
    use dossier_store::{Changes, SqliteStore};

    fn statement(id: &str, canonical: &str) -> Statement {
        Statement {
            seq: 0,
            id: String::new(),
            entity_id: id.to_string(),
            canonical_id: canonical.to_string(),
            schema: "Organization".into(),
            prop: "name".into(),
            value: String::new(),
            original_value: None,
            lang: None,
            dataset: String::new(),
            origin: None,
            external: false,
            source: String::new(),
            user: String::new(),
            first_seen: String::new(),
            last_seen: String::new(),
            retracted_at: None,
            retraction: None,
        }
    }

    #[test]
    fn only_an_entitys_own_history_is_kept_and_the_rows_are_bounded() {
        let mut h = Histories::default();
        let own: Arc<[Statement]> = vec![statement("a", "a"), statement("b", "a")].into();
        h.keep("a", &own);
        assert_eq!(h.rows(), 2);
        // A merged record's statements name another canonical id.
        h.keep("b", &Arc::from(vec![statement("b", "a")]));
        assert!(h.get("b").is_none());
        h.keep("none", &Arc::from(Vec::new()));
        assert!(h.get("none").is_none());
        // Kept again: counted once.
        h.keep("a", &own);
        assert_eq!(h.rows(), 2);
        // Too long for one page to take.
        let long: Arc<[Statement]> = vec![statement("c", "c"); HISTORY_ROWS_ONE + 1].into();
        h.keep("c", &long);
        assert!(h.get("c").is_none());
        // Past the bound, emptied first.
        let big: Arc<[Statement]> = vec![statement("d", "d"); HISTORY_ROWS_ONE].into();
        for i in 0..8 {
            h.keep(
                &format!("d{i}"),
                &Arc::from(vec![statement("x", &format!("d{i}")); HISTORY_ROWS_ONE]),
            );
        }
        assert!(h.rows() <= HISTORY_ROWS_KEPT);
        h.keep("d", &big);
        assert!(h.rows() <= HISTORY_ROWS_KEPT);
        assert!(h.get("d").is_some());
        h.forget("d");
        assert!(h.get("d").is_none());
    }

    /// A history read through a view with kept entities is kept, is the
    /// store's own answer, and is forgotten when the follow log names the
    /// entity (a new value, a retraction); a reader older than a change
    /// forgotten keeps nothing.
    #[test]
    fn a_history_is_kept_until_a_change_names_the_entity() {
        let (mut store, prov) = demo();
        let id = crate::find(&store, "ALLMEP").unwrap()[0].id.clone();
        let kept = Kept::from(store.version().unwrap());
        let read =
            |store: &SqliteStore, kept: &Kept| Cached::with_kept(store, kept).history(&id).unwrap();
        let before = read(&store, &kept);
        assert_eq!(before, store.history(&id).unwrap());
        assert!(kept.histories().get(&id).is_some(), "kept");

        // A new value from a new source.
        let mark = store.mark().unwrap();
        let mut batch = Batch::new("doc-history", "hash-history");
        let mut doc = Entity::new("doc-history", "Document").unwrap();
        doc.add("title", "A later list").unwrap();
        batch.put(doc).unwrap();
        let mut again = Entity::new(&id, "Organization").unwrap();
        again.add("alias", "A name given later").unwrap();
        batch.put(again).unwrap();
        store.apply(&[batch], &prov).unwrap();
        assert_eq!(read(&store, &kept), before, "kept until forgotten");
        let Changes::Entities { changed, .. } = store.changed_since(&mark, 1000).unwrap() else {
            panic!("a small change is listed");
        };
        assert!(changed.contains(&id));
        let now = store.version().unwrap();
        kept.forget(&changed, now);
        assert!(kept.histories().get(&id).is_none(), "forgotten");
        let after = read(&store, &kept);
        assert_eq!(after, store.history(&id).unwrap());
        assert!(after.len() > before.len());
        assert!(after.iter().any(|st| st.value == "A name given later"));

        // A reader whose store is older than a change forgotten keeps nothing.
        kept.forget(std::slice::from_ref(&id), now + 1);
        read(&store, &kept);
        assert!(kept.histories().get(&id).is_none());
        let fresh = Kept::from(now);
        read(&store, &fresh);
        assert!(fresh.histories().get(&id).is_some());
        fresh.clear(now + 1);
        assert!(fresh.histories().get(&id).is_none(), "cleared");
    }
}
