//! Loading a log verbatim (`Store::load`): the rows, the entities they
//! name and who is read as whom, gathered a chunk at a time and written
//! together, on either backend's [`Tx`].

use dossier_model::Statement;
// A row or two of look-ups each statement: hashbrown's default hasher
// (foldhash) rather than std's SipHash, which took a third of them, and
// `entry_ref`, which makes no key for an id already there.
use hashbrown::{HashMap as Map, HashSet as Set};

use super::apply::{register_all, Want};
use super::{no_chains, Tx};
use crate::{Result, StoreError};

/// How many entities and sources a [`Loader`] remembers before it forgets
/// them all and starts again.
const LOADER_CACHE: usize = 1 << 20;

/// A verbatim load a chunk at a time, inside one transaction: each chunk's
/// statements in log order, then [`Loader::finish`]. Merges come with the
/// statements: each entity's last statement says which entity it is read
/// as. Given in chunks, a log of any length is loaded in bounded memory.
#[derive(Default)]
pub(crate) struct Loader {
    /// Entities already registered by this load, with the schemata, and
    /// sources: a log names each many times, and asking again costs a
    /// look-up. A cache only: registering again changes nothing.
    registered: Map<String, Vec<String>>,
    sources: Set<String>,
    /// Each entity's canonical as this load last set it. Set whenever a
    /// statement says otherwise, so the last statement's word stands; a
    /// forgotten entity is set again, to the same.
    canonical: Map<String, String>,
    loaded: usize,
    /// The store held no statement when the load began: no number can be
    /// taken but by this load's own rows.
    into_empty: bool,
    /// The highest number this load has given.
    last_seq: i64,
}

impl Loader {
    /// A load into a store that `empty` says held no statement when this
    /// transaction began.
    pub(crate) fn new(empty: bool) -> Self {
        Loader {
            into_empty: empty,
            ..Default::default()
        }
    }

    pub(crate) fn chunk(&mut self, tx: &mut dyn Tx, statements: &[Statement]) -> Result<()> {
        if self.registered.len() > LOADER_CACHE || self.canonical.len() > LOADER_CACHE {
            self.registered.clear();
            self.canonical.clear();
        }
        if self.sources.len() > LOADER_CACHE {
            self.sources.clear();
        }
        // What the chunk needs is gathered first and written together at
        // its end: the entities to register, then who is read as whom,
        // then the new rows. On a backend where each write is a round
        // trip, that is a few a chunk rather than a few a row.
        let mut pending: Vec<&Statement> = Vec::new();
        let mut pending_at: Map<i64, usize> = Map::new();
        let mut wanted: Vec<(&str, &str, Want)> = Vec::new();
        let mut canonical: Vec<(&str, Option<&str>)> = Vec::new();
        let mut canonical_at: Map<&str, usize> = Map::new();
        // Into an empty store, a number above every one this load gave is
        // free (a log's numbers grow); any other is looked up, in this
        // chunk's rows first, then in the store.
        let mut last = self.last_seq;
        let taken: Vec<i64> = statements
            .iter()
            .filter(|st| {
                let free = self.into_empty && st.seq > last;
                last = last.max(st.seq);
                !free
            })
            .map(|st| st.seq)
            .collect();
        let stored = tx.stored_at_all(&taken)?;
        for st in statements {
            let free = self.into_empty && st.seq > self.last_seq;
            self.last_seq = self.last_seq.max(st.seq);
            let same = if free {
                None
            } else if let Some(&i) = pending_at.get(&st.seq) {
                Some(pending[i] == st)
            } else {
                stored.get(&st.seq).map(|stored| stored == st)
            };
            match same {
                // The same row already there: this load, or its start, ran
                // before (and was perhaps cut off after it committed).
                Some(true) => continue,
                Some(false) => return Err(StoreError::SeqTaken { seq: st.seq }),
                None => {}
            }
            self.loaded += 1;
            self.want(&mut wanted, &st.entity_id, &st.schema);
            if st.canonical_id != st.entity_id {
                self.want(&mut wanted, &st.canonical_id, &st.schema);
            }
            // A statement may cite a source whose own statements come later in the log.
            if !self.sources.contains(st.source.as_str()) {
                self.sources.insert(st.source.clone());
                wanted.push((&st.source, "Document", Want::Present));
            }
            pending_at.insert(st.seq, pending.len());
            pending.push(st);
            if self.canonical.get(&st.entity_id) != Some(&st.canonical_id) {
                let read_as = (st.entity_id != st.canonical_id).then_some(st.canonical_id.as_str());
                match canonical_at.get(st.entity_id.as_str()) {
                    Some(&i) => canonical[i].1 = read_as,
                    None => {
                        canonical_at.insert(&st.entity_id, canonical.len());
                        canonical.push((&st.entity_id, read_as));
                    }
                }
                self.canonical
                    .insert(st.entity_id.clone(), st.canonical_id.clone());
            }
        }
        register_all(tx, &wanted)?;
        tx.set_canonicals(&canonical)?;
        tx.insert_loaded(&pending)
    }

    /// Adds `id` as `schema` to what the chunk registers, unless this load
    /// registered it so already.
    fn want<'s>(
        &mut self,
        wanted: &mut Vec<(&'s str, &'s str, Want)>,
        id: &'s str,
        schema: &'s str,
    ) {
        let known = self.registered.entry_ref(id).or_default();
        if !known.iter().any(|s| s == schema) {
            known.push(schema.to_string());
            wanted.push((id, schema, Want::AsSchema));
        }
    }

    /// Checks what the whole load made and says how many rows were new.
    pub(crate) fn finish(self, tx: &mut dyn Tx) -> Result<usize> {
        no_chains(tx)?;
        // Rows may fill gaps below a follower's mark, and merges come without
        // their log: followers start again.
        if self.loaded > 0 {
            tx.shape_changed()?;
        }
        Ok(self.loaded)
    }
}
