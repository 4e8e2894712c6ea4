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
    entities: RefCell<HashMap<String, Option<Entity>>>,
    /// What refers to an entity, shared with the lists kept from request
    /// to request: a network's page lists a thousand memberships, read
    /// without copying them.
    referencing: RefCell<HashMap<String, Lists>>,
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
        let mut read: HashMap<String, Option<Entity>> =
            missing.into_iter().map(|id| (id, None)).collect();
        for e in found {
            read.insert(e.id.clone(), Some(e));
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
        let mut known = self.entities.borrow_mut();
        for e in list.iter() {
            known.entry(e.id.clone()).or_insert_with(|| Some(e.clone()));
        }
        self.referencing.borrow_mut().insert(id, list);
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
        self.inner.canonical_of(id)
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
        if let Some(e) = self.entities.borrow().get(id) {
            return Ok(e.clone());
        }
        if self.kept.is_some() {
            self.prefetch(&[id.to_string()])?;
            return Ok(self.entities.borrow().get(id).cloned().flatten());
        }
        let e = self.inner.entity(id)?;
        self.single_reads.set(self.single_reads.get() + 1);
        self.entities.borrow_mut().insert(id.to_string(), e.clone());
        Ok(e)
    }
    fn labels(&self, ids: &[String]) -> Result<Vec<dossier_store::Label>> {
        // Those read whole already are named from the cache; the rest from
        // the store's own labels (its index of names), not read whole.
        let known = self.entities.borrow();
        let missing: Vec<String> = ids
            .iter()
            .filter(|id| !known.contains_key(*id))
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
            .filter_map(|id| match known.get(id) {
                Some(Some(e)) => Some(dossier_store::Label {
                    caption: e.caption().to_string(),
                    schema: e.schema,
                    id: e.id.clone(),
                }),
                Some(None) => None,
                None => read.get(id).cloned(),
            })
            .collect())
    }
    fn entities_of(&self, ids: &[String]) -> Result<Vec<Entity>> {
        self.prefetch(ids)?;
        let known = self.entities.borrow();
        Ok(ids
            .iter()
            .filter_map(|id| known.get(id).cloned().flatten())
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
        self.inner.history(entity_id)
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
    fn schema_version(&self) -> Result<i64> {
        self.inner.schema_version()
    }
    fn pointing_at(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<String>> {
        self.inner.pointing_at(ids, schemata)
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
}

/// Entity labels kept from request to request: the hubs (networks, large
/// funders) recur on page after page, and reading one means going over
/// every statement about it. The owner forgets those of entities that
/// changed, saying at which store version; it empties itself past
/// `LABELS_KEPT` entries.
///
/// A reader whose snapshot of the store is older than the latest change
/// forgotten (it began before the change and reads after the owner
/// forgot) is answered but keeps nothing: what it read may be what was
/// just forgotten.
///
/// Entities read whole are kept the same way, beside the labels, and
/// forgotten with them: a page rendered again after a change reads only
/// what changed (on PostgreSQL, each entity read is a round trip).
#[derive(Debug, Default)]
pub struct Kept {
    kept: std::sync::Mutex<HashMap<String, dossier_store::Label>>,
    /// Entities read whole, and the records merged into entities.
    whole: std::sync::Mutex<Whole>,
    /// The store version of the latest change forgotten.
    floor: std::sync::atomic::AtomicI64,
}

/// What [`Kept`] keeps beside the labels.
#[derive(Debug, Default)]
struct Whole {
    /// Entities read whole, by id (`None`: none such for this reader).
    entities: HashMap<String, Option<Entity>>,
    /// The records merged into an entity, by its id.
    merged: HashMap<String, Vec<String>>,
    /// What refers to an entity, by its id, and how many entities the
    /// lists hold in all.
    referencing: HashMap<String, Lists>,
    listed: usize,
    /// For each entity in such a list, the ids whose lists hold it: a
    /// change to a referring entity (a membership's role) names it, not
    /// what it refers to.
    held_by: HashMap<String, Vec<String>>,
}

const LABELS_KEPT: usize = 100_000;
const ENTITIES_KEPT: usize = 20_000;
/// Entities held in kept lists of what refers to an entity, in all.
const LISTED_KEPT: usize = 50_000;

impl Kept {
    pub fn new() -> Self {
        Self::default()
    }

    /// Kept labels that nothing read before `version` may add to.
    pub fn from(version: i64) -> Self {
        let l = Self::default();
        l.floor.store(version, std::sync::atomic::Ordering::Release);
        l
    }

    /// Forgets every label and entity (the store changed, as of `version`).
    pub fn clear(&self, version: i64) {
        let mut kept = lock(&self.kept);
        let mut whole = lock(&self.whole);
        self.floor
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
        kept.clear();
        *whole = Whole::default();
    }

    /// Forgets the labels and the entities of these ids (they changed, as
    /// of `version`).
    pub fn forget(&self, ids: &[String], version: i64) {
        let mut kept = lock(&self.kept);
        let mut whole = lock(&self.whole);
        self.floor
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
        for id in ids {
            kept.remove(id);
            whole.entities.remove(id);
            whole.merged.remove(id);
            let mut lists = whole.held_by.remove(id).unwrap_or_default();
            lists.push(id.clone());
            for list in lists {
                if let Some(gone) = whole.referencing.remove(&list) {
                    whole.listed -= gone.len();
                }
            }
        }
    }

    /// Those of `ids` kept whole, noted in `store`'s ledger as read.
    fn entities(&self, store: &dyn Read, ids: &[String]) -> HashMap<String, Option<Entity>> {
        let whole = lock(&self.whole);
        let found: HashMap<String, Option<Entity>> = ids
            .iter()
            .filter_map(|id| Some((id.clone(), whole.entities.get(id)?.clone())))
            .collect();
        drop(whole);
        let noted: Vec<String> = found.keys().cloned().collect();
        store.depends_on(&noted);
        found
    }

    /// Keeps entities read from a store whose version was `version` before
    /// they were read: unless a change was forgotten since (the floor is
    /// checked and the entities kept under the lock `forget` takes, so a
    /// change forgotten meanwhile either stops them or removes them).
    fn keep_entities(&self, read: &HashMap<String, Option<Entity>>, version: i64) {
        let mut whole = lock(&self.whole);
        if version < self.floor.load(std::sync::atomic::Ordering::Acquire) {
            return;
        }
        if whole.entities.len() + read.len() > ENTITIES_KEPT {
            whole.entities.clear();
        }
        whole
            .entities
            .extend(read.iter().map(|(id, e)| (id.clone(), e.clone())));
    }

    /// Those of `ids` whose referring entities are kept, noted in
    /// `store`'s ledger as read (the id and each entity listed).
    fn referencing(&self, store: &dyn Read, ids: &[String]) -> Vec<(String, Lists)> {
        let whole = lock(&self.whole);
        let found: Vec<(String, Lists)> = ids
            .iter()
            .filter_map(|id| Some((id.clone(), whole.referencing.get(id)?.clone())))
            .collect();
        drop(whole);
        let noted: Vec<String> = found
            .iter()
            .flat_map(|(id, list)| {
                std::iter::once(id.clone()).chain(list.iter().map(|e| e.id.clone()))
            })
            .collect();
        store.depends_on(&noted);
        found
    }

    /// Keeps lists of what refers to entities, read from a store whose
    /// version was `version` before they were read (as
    /// [`Kept::keep_entities`]).
    fn keep_referencing(&self, read: &[(String, Lists)], version: i64) {
        let mut whole = lock(&self.whole);
        if version < self.floor.load(std::sync::atomic::Ordering::Acquire) {
            return;
        }
        let adding: usize = read.iter().map(|(_, l)| l.len()).sum();
        if whole.listed + adding > LISTED_KEPT {
            whole.referencing.clear();
            whole.held_by.clear();
            whole.listed = 0;
        }
        for (id, list) in read {
            if list.len() > LISTED_KEPT / 4 {
                continue;
            }
            for e in list.iter() {
                whole
                    .held_by
                    .entry(e.id.clone())
                    .or_default()
                    .push(id.clone());
            }
            whole.listed += list.len();
            if let Some(old) = whole.referencing.insert(id.clone(), list.clone()) {
                whole.listed -= old.len();
            }
        }
    }

    /// The records merged into `id`, kept or read from `store` (and kept
    /// as [`Kept::keep_entities`] keeps entities). A merge or a split
    /// forgets every one (it clears all).
    fn merged_into(&self, store: &dyn Read, id: &str) -> Result<Vec<String>> {
        if let Some(m) = lock(&self.whole).merged.get(id) {
            store.depends_on(&[id.to_string()]);
            return Ok(m.clone());
        }
        let version = store.version()?;
        let merged = store.merged_into(id)?;
        let mut whole = lock(&self.whole);
        if version >= self.floor.load(std::sync::atomic::Ordering::Acquire) {
            if whole.merged.len() >= ENTITIES_KEPT {
                whole.merged.clear();
            }
            whole.merged.insert(id.to_string(), merged.clone());
        }
        Ok(merged)
    }

    /// The labels of these ids, by id, read from the store where not kept.
    pub fn get(
        &self,
        store: &dyn Read,
        ids: &[String],
    ) -> Result<HashMap<String, dossier_store::Label>> {
        // Read from here or from the store, the answer shows them.
        store.depends_on(ids);
        let mut found: HashMap<String, dossier_store::Label> = HashMap::new();
        let mut missing: Vec<String> = Vec::new();
        {
            let kept = lock(&self.kept);
            for id in ids {
                match kept.get(id) {
                    Some(l) => {
                        found.insert(id.clone(), l.clone());
                    }
                    None => missing.push(id.clone()),
                }
            }
        }
        if missing.is_empty() {
            return Ok(found);
        }
        // Read without the lock (on PostgreSQL a round trip, which other
        // requests need not wait for), from a snapshot at `version`: kept
        // unless a change was forgotten since, checked under the lock
        // that forgetting takes (as `keep_entities`).
        let version = store.version()?;
        let read = store.labels(&missing)?;
        let mut kept = lock(&self.kept);
        let current = version >= self.floor.load(std::sync::atomic::Ordering::Acquire);
        if current && kept.len() + read.len() > LABELS_KEPT {
            kept.clear();
        }
        for l in read {
            if current {
                kept.insert(l.id.clone(), l.clone());
            }
            found.insert(l.id.clone(), l);
        }
        Ok(found)
    }
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_store::prelude::*;
    use dossier_store::SqliteStore;

    /// A reader whose snapshot is older than a change forgotten since is
    /// answered, but what it read is not kept for the next reader.
    #[test]
    fn a_reader_older_than_a_forgotten_change_keeps_nothing() {
        let mut store = SqliteStore::in_memory().unwrap();
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
        let id = crate::find(&store, "ALLMEP").unwrap()[0].id.clone();
        let ids = vec![id.clone()];
        let now = store.version().unwrap();
        let labels = Kept::new();
        assert!(labels.get(&store, &ids).unwrap().contains_key(&id));
        assert!(labels.kept.lock().unwrap().contains_key(&id));
        // A change at a version the store (as this reader sees it) has not reached.
        labels.forget(&ids, now + 1);
        assert!(!labels.kept.lock().unwrap().contains_key(&id));
        assert!(
            labels.get(&store, &ids).unwrap().contains_key(&id),
            "answered"
        );
        assert!(
            !labels.kept.lock().unwrap().contains_key(&id),
            "not kept: it may be what was forgotten"
        );
        // Made anew from that version: the same rule.
        let fresh = Kept::from(now + 1);
        fresh.get(&store, &ids).unwrap();
        assert!(fresh.kept.lock().unwrap().is_empty());
        // A reader that has seen the change keeps what it reads.
        let seen = Kept::from(now);
        seen.get(&store, &ids).unwrap();
        assert!(seen.kept.lock().unwrap().contains_key(&id));

        // Entities read whole: the same rule.
        let read_whole = |kept: &Kept| {
            let cached = Cached::with_kept(&store, kept);
            assert!(cached.entity(&id).unwrap().is_some());
            kept.whole.lock().unwrap().entities.contains_key(&id)
        };
        assert!(read_whole(&seen), "kept whole");
        seen.forget(&ids, now + 1);
        assert!(
            !seen.whole.lock().unwrap().entities.contains_key(&id),
            "forgotten"
        );
        assert!(!read_whole(&seen), "an older reader keeps nothing");
        assert!(!read_whole(&Kept::from(now + 1)));
        let kept = Kept::from(now);
        assert!(read_whole(&kept));
        kept.clear(now + 1);
        assert!(kept.whole.lock().unwrap().entities.is_empty(), "cleared");

        // What refers to an entity: kept, and forgotten when the entity
        // changes or when any entity listed does (a membership's role
        // names the membership, not the network).
        let kept = Kept::from(now);
        let listed = |kept: &Kept| {
            let cached = Cached::with_kept(&store, kept);
            let list = cached.referencing(&id).unwrap();
            assert!(!list.is_empty());
            (
                list,
                kept.whole.lock().unwrap().referencing.contains_key(&id),
            )
        };
        let (list, was_kept) = listed(&kept);
        assert!(was_kept);
        assert_eq!(listed(&kept).0, list, "the same list from what was kept");
        kept.forget(&[list[0].id.clone()], now);
        assert!(!kept.whole.lock().unwrap().referencing.contains_key(&id));
        assert!(listed(&kept).1);
        kept.forget(&ids, now);
        assert!(!kept.whole.lock().unwrap().referencing.contains_key(&id));
        assert_eq!(kept.whole.lock().unwrap().listed, 0);
    }
}
