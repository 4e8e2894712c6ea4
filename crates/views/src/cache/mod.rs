//! A read-through cache over a store for the length of one view: a profile
//! asks for the same source document, subject and speaker again and again
//! (once per claim); each is read from the store once.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use dossier_model::{Entity, Statement};
use dossier_store::{ArchivedCopy, NameRecord, Read, Result, Stats};

pub(crate) struct Cached<'s> {
    inner: &'s dyn Read,
    /// Labels, entities and lists kept from request to request, when the
    /// caller keeps them.
    kept: Option<&'s Kept>,
    /// Shared with `kept`, not copied: a page names the same entities on
    /// every request.
    entities: RefCell<HashMap<String, Option<Arc<Entity>>>>,
    /// What refers to an entity, shared with the lists kept from request
    /// to request: a network's page lists a thousand memberships, read
    /// without copying them.
    referencing: RefCell<HashMap<String, Lists>>,
    /// Where each entity those lists hold stands in them (a list and a
    /// place), for those not in `entities`: read from the list, and
    /// copied only when asked for, not when the list is read.
    listed: RefCell<HashMap<String, (Lists, usize)>>,
    /// Entities read from the store one at a time, not in one go.
    single_reads: Cell<usize>,
    /// What refers to an entity, read from the store for one entity, not
    /// for many in one go.
    single_lists: Cell<usize>,
}

impl<'s> Cached<'s> {
    pub(crate) fn new(inner: &'s dyn Read) -> Self {
        Cached {
            inner,
            kept: None,
            entities: RefCell::new(HashMap::new()),
            referencing: RefCell::new(HashMap::new()),
            listed: RefCell::new(HashMap::new()),
            single_reads: Cell::new(0),
            single_lists: Cell::new(0),
        }
    }

    /// The same, naming entities from `kept` where they are not read
    /// whole already.
    pub(crate) fn with_kept(inner: &'s dyn Read, kept: &'s Kept) -> Self {
        Cached {
            kept: Some(kept),
            ..Cached::new(inner)
        }
    }

    /// How many entities were read from the store one at a time: on
    /// PostgreSQL each is a round trip, which `prefetch` saves.
    #[cfg(test)]
    pub(crate) fn single_reads(&self) -> usize {
        self.single_reads.get()
    }

    /// How many entities' referrers were read one entity at a time.
    #[cfg(test)]
    pub(crate) fn single_lists(&self) -> usize {
        self.single_lists.get()
    }
}

impl Cached<'_> {
    /// Reads into the cache, in one go, those of these entities it lacks.
    pub(crate) fn prefetch(&self, ids: &[String]) -> Result<()> {
        let mut missing = lacking(ids, &self.entities.borrow());
        missing.retain(|id| !self.listed.borrow().contains_key(id));
        if missing.is_empty() {
            return Ok(());
        }
        // Those kept from earlier requests, then the rest from the store.
        let since = match self.kept {
            Some(kept) => {
                let found = kept.entities(self.inner, &missing);
                let mut known = self.entities.borrow_mut();
                missing.retain(|id| !found.contains_key(id));
                known.extend(found);
                if missing.is_empty() {
                    return Ok(());
                }
                Some((kept, self.inner.version()?))
            }
            None => None,
        };
        let found = self.inner.entities_of(&missing)?;
        let mut read: HashMap<String, Option<Arc<Entity>>> =
            missing.into_iter().map(|id| (id, None)).collect();
        for e in found {
            read.insert(e.id.clone(), Some(Arc::new(e)));
        }
        if let Some((kept, version)) = since {
            kept.keep_entities(&read, version);
        }
        self.entities.borrow_mut().extend(read);
        Ok(())
    }

    /// Reads into the cache, in one go, what refers to those of these
    /// entities it has not read that for.
    pub(crate) fn prefetch_referencing(&self, ids: &[String]) -> Result<()> {
        let mut missing = lacking(ids, &self.referencing.borrow());
        if missing.is_empty() {
            return Ok(());
        }
        // Those kept from earlier requests, then the rest from the store.
        let since = match self.kept {
            Some(kept) => {
                for (id, list) in kept.referencing(self.inner, &missing) {
                    self.remember_referencing(id, list);
                }
                missing.retain(|id| !self.referencing.borrow().contains_key(id));
                if missing.is_empty() {
                    return Ok(());
                }
                Some((kept, self.inner.version()?))
            }
            None => None,
        };
        let lists = self.inner.referencing_of(&missing)?;
        let read: Vec<(String, Lists)> = missing
            .into_iter()
            .zip(lists.into_iter().map(Lists::from))
            .collect();
        if let Some((kept, version)) = since {
            kept.keep_referencing(&read, version);
        }
        for (id, list) in read {
            self.remember_referencing(id, list);
        }
        Ok(())
    }

    /// Keeps what refers to `id`, and each of those entities by its id.
    fn remember_referencing(&self, id: String, list: Lists) {
        let known = self.entities.borrow();
        let mut listed = self.listed.borrow_mut();
        for (at, e) in list.iter().enumerate() {
            if !known.contains_key(&e.id) {
                listed
                    .entry(e.id.clone())
                    .or_insert_with(|| (list.clone(), at));
            }
        }
        drop((known, listed));
        self.referencing.borrow_mut().insert(id, list);
    }

    /// What the view knows of `id` (read whole, or held in a list of what
    /// refers to an entity), given to `f`; `None` when it knows nothing.
    fn known<T>(&self, id: &str, f: impl FnOnce(Option<&Entity>) -> T) -> Option<T> {
        if let Some(e) = self.entities.borrow().get(id) {
            return Some(f(e.as_deref()));
        }
        let listed = self.listed.borrow();
        let (list, at) = listed.get(id)?;
        Some(f(list.get(*at)))
    }

    /// The history of `id`, as [`Read::history`] says, without a copy:
    /// kept from request to request when the caller keeps entities.
    pub(crate) fn history_shared(&self, id: &str) -> Result<Arc<[Statement]>> {
        match self.kept {
            Some(kept) => kept.history(self.inner, id),
            None => Ok(self.inner.history(id)?.into()),
        }
    }

    /// What refers to `id`, as [`Read::referencing`] says, without a copy.
    pub(crate) fn referencing_shared(&self, id: &str) -> Result<Lists> {
        if let Some(list) = self.referencing.borrow().get(id) {
            return Ok(list.clone());
        }
        if self.kept.is_some() {
            self.prefetch_referencing(&[id.to_string()])?;
            return Ok(self
                .referencing
                .borrow()
                .get(id)
                .cloned()
                .unwrap_or_else(|| Arc::from(Vec::new())));
        }
        let list = Lists::from(self.inner.referencing(id)?);
        self.single_lists.set(self.single_lists.get() + 1);
        self.remember_referencing(id.to_string(), list.clone());
        Ok(list)
    }
}

/// A list of entities shared, not copied, between those who read it.
pub(crate) type Lists = Arc<[Entity]>;

/// Those of `ids` that `known` lacks, sorted, each once.
fn lacking<V>(ids: &[String], known: &HashMap<String, V>) -> Vec<String> {
    let mut missing: Vec<String> = ids
        .iter()
        .filter(|id| !known.contains_key(*id))
        .cloned()
        .collect();
    missing.sort();
    missing.dedup();
    missing
}

impl dossier_store::Follow for Cached<'_> {
    fn version(&self) -> Result<i64> {
        self.inner.version()
    }
    fn mark(&self) -> Result<dossier_store::Mark> {
        self.inner.mark()
    }
    fn changed_since(
        &self,
        mark: &dossier_store::Mark,
        limit: usize,
    ) -> Result<dossier_store::Changes> {
        self.inner.changed_since(mark, limit)
    }
}

impl Read for Cached<'_> {
    fn redactions(&self) -> Result<Vec<dossier_store::Redaction>> {
        self.inner.redactions()
    }
    fn canonical_of(&self, id: &str) -> Result<Option<String>> {
        match self.kept {
            Some(kept) => kept.canonical_of(self.inner, id),
            None => self.inner.canonical_of(id),
        }
    }
    fn merged_into(&self, canonical: &str) -> Result<Vec<String>> {
        match self.kept {
            Some(kept) => kept.merged_into(self.inner, canonical),
            None => self.inner.merged_into(canonical),
        }
    }
    fn merges(&self) -> Result<Vec<(String, String)>> {
        self.inner.merges()
    }
    fn entity(&self, id: &str) -> Result<Option<Entity>> {
        if let Some(e) = self.known(id, |e| e.cloned()) {
            return Ok(e);
        }
        if self.kept.is_some() {
            self.prefetch(&[id.to_string()])?;
            return Ok(self.known(id, |e| e.cloned()).flatten());
        }
        let e = self.inner.entity(id)?;
        self.single_reads.set(self.single_reads.get() + 1);
        self.entities
            .borrow_mut()
            .insert(id.to_string(), e.clone().map(Arc::new));
        Ok(e)
    }
    fn labels(&self, ids: &[String]) -> Result<Vec<dossier_store::Label>> {
        // Those read whole already are named from the cache; the rest from
        // the store's own labels (its index of names), not read whole.
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| self.known(id, |_| ()).is_none())
            .cloned()
            .collect();
        let read: HashMap<String, dossier_store::Label> = match self.kept {
            _ if missing.is_empty() => HashMap::new(),
            Some(kept) => kept.get(self.inner, &missing)?,
            None => self
                .inner
                .labels(&missing)?
                .into_iter()
                .map(|l| (l.id.clone(), l))
                .collect(),
        };
        Ok(ids
            .iter()
            .filter_map(|id| {
                let label = |e: Option<&Entity>| {
                    e.map(|e| dossier_store::Label {
                        caption: e.caption().to_string(),
                        schema: e.schema,
                        id: e.id.clone(),
                    })
                };
                match self.known(id, label) {
                    Some(known) => known,
                    None => read.get(id).cloned(),
                }
            })
            .collect())
    }
    fn entities_of(&self, ids: &[String]) -> Result<Vec<Entity>> {
        self.prefetch(ids)?;
        Ok(ids
            .iter()
            .filter_map(|id| self.known(id, |e| e.cloned()).flatten())
            .collect())
    }
    fn entities(&self, schemata: &[&str]) -> Result<Vec<Entity>> {
        self.inner.entities(schemata)
    }
    fn each_entity(
        &self,
        schemata: &[&str],
        f: &mut dyn FnMut(Entity) -> Result<()>,
    ) -> Result<()> {
        self.inner.each_entity(schemata, f)
    }
    fn referencing(&self, id: &str) -> Result<Vec<Entity>> {
        Ok(self.referencing_shared(id)?.to_vec())
    }
    fn referencing_of(&self, ids: &[String]) -> Result<Vec<Vec<Entity>>> {
        self.prefetch_referencing(ids)?;
        let known = self.referencing.borrow();
        Ok(ids
            .iter()
            .map(|id| known.get(id).map(|l| l.to_vec()).unwrap_or_default())
            .collect())
    }
    fn history(&self, entity_id: &str) -> Result<Vec<Statement>> {
        Ok(self.history_shared(entity_id)?.to_vec())
    }
    fn each_statement(&self, f: &mut dyn FnMut(Statement) -> Result<()>) -> Result<()> {
        self.inner.each_statement(f)
    }
    fn recent(&self, limit: usize) -> Result<Vec<Statement>> {
        self.inner.recent(limit)
    }
    fn names(&self) -> Result<Vec<NameRecord>> {
        self.inner.names()
    }
    fn stats(&self) -> Result<Stats> {
        self.inner.stats()
    }
    fn stats_by_scan(&self) -> Result<Stats> {
        self.inner.stats_by_scan()
    }
    fn stats_keeping(
        &self,
        kept: Option<&dossier_store::HiddenPart>,
    ) -> Result<(Stats, Option<Arc<dossier_store::HiddenPart>>)> {
        self.inner.stats_keeping(kept)
    }
    fn schema_version(&self) -> Result<i64> {
        self.inner.schema_version()
    }
    fn pointing_at(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<String>> {
        match self.kept {
            Some(kept) => kept.pointing_at(self.inner, ids, schemata),
            None => self.inner.pointing_at(ids, schemata),
        }
    }
    fn pointing_at_each(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<Vec<String>>> {
        self.inner.pointing_at_each(ids, schemata)
    }
    fn copies(&self, document: Option<&str>) -> Result<Vec<ArchivedCopy>> {
        self.inner.copies(document)
    }
    fn copy_text(&self, sha256: &str) -> Result<Option<String>> {
        self.inner.copy_text(sha256)
    }
    fn copy_content(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.inner.copy_content(sha256)
    }
    fn depends_on(&self, ids: &[String]) {
        self.inner.depends_on(ids)
    }
    fn depends_on_everything(&self) {
        self.inner.depends_on_everything()
    }
}

/// An entity read through `kept`: from the entities kept from request to
/// request when it is there, else from the store, and then kept. A page
/// that looks at what an entity is before making its view reads it once
/// a change, not once a request (on PostgreSQL a round trip).
pub fn entity_with_kept(store: &dyn Read, id: &str, kept: &Kept) -> Result<Option<Entity>> {
    Cached::with_kept(store, kept).entity(id)
}

/// `store` read through `kept` for one answer: entities, labels, what
/// refers to an entity and histories from what is kept where they are
/// kept, the rest from the store, and then kept (as a profile page reads).
/// An answer made again from what the server keeps reads nothing.
pub fn with_kept<'s>(store: &'s dyn Read, kept: &'s Kept) -> impl Read + 's {
    Cached::with_kept(store, kept)
}

/// A store holding the demo data, and the provenance it was written with.
#[cfg(test)]
fn demo() -> (dossier_store::SqliteStore, dossier_model::Provenance) {
    use dossier_store::prelude::*;
    let mut store = dossier_store::SqliteStore::in_memory().unwrap();
    let prov = dossier_model::Provenance {
        dataset: "demo".into(),
        source: String::new(),
        user: "test".into(),
        origin: None,
        now: "2026-01-01T00:00:00".into(),
    };
    store
        .apply(&[dossier_demo::batch().unwrap()], &prov)
        .unwrap();
    (store, prov)
}

mod history;
mod kept;
mod networks;
pub use kept::Kept;
pub use networks::NetworkList;
