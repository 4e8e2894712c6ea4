//! What is kept from request to request, for every view of one reader's
//! scope: labels, entities read whole, what refers to an entity and what
//! points at it, each forgotten when the store says it changed.

use std::collections::HashMap;
use std::sync::Arc;

use dossier_model::Entity;
use dossier_store::{Read, Result};

use super::history::Histories;
use super::networks::KeptNetworks;
use super::Lists;

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
    /// Entities' histories (`Read::history`).
    histories: std::sync::Mutex<Histories>,
    /// The networks and their sizes ([`Kept::networks`]).
    pub(super) networks: std::sync::Mutex<KeptNetworks>,
    /// What the reader's hidden collections hide of the store's counts
    /// beyond their own ([`Kept::stats`]).
    hidden: std::sync::Mutex<Option<Arc<dossier_store::HiddenPart>>>,
    /// The store version of the latest change forgotten.
    pub(super) floor: std::sync::atomic::AtomicI64,
}

/// What [`Kept`] keeps beside the labels.
#[derive(Debug, Default)]
struct Whole {
    /// Entities read whole, by id (`None`: none such for this reader).
    entities: HashMap<String, Option<Arc<Entity>>>,
    /// The records merged into an entity, by its id.
    merged: HashMap<String, Vec<String>>,
    /// The entity each record is part of, by its id (`None`: its own).
    /// Only a merge or a split changes it, and either forgets all.
    canonical: HashMap<String, Option<String>>,
    /// What refers to an entity, by its id, and how many entities the
    /// lists hold in all.
    referencing: HashMap<String, Lists>,
    listed: usize,
    /// For each entity in such a list, the ids whose lists hold it: a
    /// change to a referring entity (a membership's role) names it, not
    /// what it refers to.
    held_by: HashMap<String, Vec<String>>,
    /// What points at an entity, by its id, then by the schemata asked
    /// for (`Read::pointing_at`): the claims about a network's members.
    /// A new or retracted value naming an entity names it among the
    /// changes (the follow log lists what a changed value refers to), so
    /// forgetting the entity forgets its lists.
    pointing: HashMap<String, HashMap<String, Vec<String>>>,
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
        // Memberships read before it would miss the changes before it.
        lock(&l.networks).clear(version);
        l
    }

    /// Forgets every label and entity (the store changed, as of `version`).
    pub fn clear(&self, version: i64) {
        let mut kept = lock(&self.kept);
        let mut whole = lock(&self.whole);
        let mut histories = lock(&self.histories);
        self.floor
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
        kept.clear();
        *whole = Whole::default();
        histories.clear();
        lock(&self.networks).clear(version);
    }

    /// Forgets the labels and the entities of these ids (they changed, as
    /// of `version`).
    pub fn forget(&self, ids: &[String], version: i64) {
        let mut kept = lock(&self.kept);
        let mut whole = lock(&self.whole);
        let mut histories = lock(&self.histories);
        self.floor
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
        lock(&self.networks).forget(ids, version);
        for id in ids {
            kept.remove(id);
            histories.forget(id);
            whole.entities.remove(id);
            whole.merged.remove(id);
            whole.canonical.remove(id);
            whole.pointing.remove(id);
            let mut lists = whole.held_by.remove(id).unwrap_or_default();
            lists.push(id.clone());
            for list in lists {
                if let Some(gone) = whole.referencing.remove(&list) {
                    whole.listed -= gone.len();
                }
            }
        }
    }

    /// `store`'s counts ([`Read::stats_keeping`]): what the reader's
    /// hidden collections hide beyond their own counts is kept from one
    /// call to the next, and the store says whether it still holds, so
    /// nothing needs forgetting here.
    pub fn stats(&self, store: &dyn Read) -> Result<dossier_store::Stats> {
        let last = lock(&self.hidden).clone();
        let (stats, part) = store.stats_keeping(last.as_deref())?;
        *lock(&self.hidden) = part;
        Ok(stats)
    }

    /// When the part of the counts the reader's hidden collections hide
    /// was made, if it is kept ([`Kept::stats`]).
    pub fn hidden_part_made_at(&self) -> Option<dossier_store::Mark> {
        lock(&self.hidden).as_ref().map(|p| p.made_at())
    }

    /// Those of `ids` kept whole, noted in `store`'s ledger as read.
    pub(super) fn entities(
        &self,
        store: &dyn Read,
        ids: &[String],
    ) -> HashMap<String, Option<Arc<Entity>>> {
        let whole = lock(&self.whole);
        let found: HashMap<String, Option<Arc<Entity>>> = ids
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
    pub(super) fn keep_entities(&self, read: &HashMap<String, Option<Arc<Entity>>>, version: i64) {
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

    /// The history of `id` (`Read::history`), kept or read from `store`
    /// and kept as [`Kept::keep_entities`] keeps entities; noted in
    /// `store`'s ledger as the store's own answer is.
    pub(super) fn history(
        &self,
        store: &dyn Read,
        id: &str,
    ) -> Result<Arc<[dossier_model::Statement]>> {
        if let Some(h) = lock(&self.histories).get(id) {
            store.depends_on(&[id.to_string()]);
            return Ok(h);
        }
        let version = store.version()?;
        let read: Arc<[dossier_model::Statement]> = store.history(id)?.into();
        let mut histories = lock(&self.histories);
        if version >= self.floor.load(std::sync::atomic::Ordering::Acquire) {
            histories.keep(id, &read);
        }
        Ok(read)
    }

    #[cfg(test)]
    pub(super) fn histories(&self) -> std::sync::MutexGuard<'_, Histories> {
        lock(&self.histories)
    }

    /// Those of `ids` whose referring entities are kept, noted in
    /// `store`'s ledger as read (the id and each entity listed).
    pub(super) fn referencing(&self, store: &dyn Read, ids: &[String]) -> Vec<(String, Lists)> {
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
    pub(super) fn keep_referencing(&self, read: &[(String, Lists)], version: i64) {
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
    pub(super) fn merged_into(&self, store: &dyn Read, id: &str) -> Result<Vec<String>> {
        self.kept_by_id(store, id, |w| &mut w.merged, || store.merged_into(id))
    }

    /// The entity `id` is part of (`Read::canonical_of`), kept or read
    /// from `store` and kept as [`Kept::merged_into`] keeps its lists.
    pub(super) fn canonical_of(&self, store: &dyn Read, id: &str) -> Result<Option<String>> {
        self.kept_by_id(store, id, |w| &mut w.canonical, || store.canonical_of(id))
    }

    /// `id`'s entry in the map of `Whole` that `map` picks, kept, else
    /// `read` from `store` and kept unless a change was forgotten since
    /// (as [`Kept::keep_entities`]); noted in `store`'s ledger either way.
    fn kept_by_id<T: Clone>(
        &self,
        store: &dyn Read,
        id: &str,
        map: fn(&mut Whole) -> &mut HashMap<String, T>,
        read: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        if let Some(found) = map(&mut lock(&self.whole)).get(id) {
            store.depends_on(&[id.to_string()]);
            return Ok(found.clone());
        }
        let version = store.version()?;
        let found = read()?;
        let mut whole = lock(&self.whole);
        if version >= self.floor.load(std::sync::atomic::Ordering::Acquire) {
            let kept = map(&mut whole);
            if kept.len() >= ENTITIES_KEPT {
                kept.clear();
            }
            kept.insert(id.to_string(), found.clone());
        }
        Ok(found)
    }

    /// What of `schemata` points at any of `ids`, as [`Read::pointing_at`]
    /// says, kept per id (as [`Kept::keep_entities`] keeps entities); noted
    /// in `store`'s ledger as the store's own answer is (the ids and what
    /// points at them).
    pub(super) fn pointing_at(
        &self,
        store: &dyn Read,
        ids: &[String],
        schemata: &[&str],
    ) -> Result<Vec<String>> {
        let key = schemata.join(" ");
        let mut out = std::collections::BTreeSet::new();
        let mut missing: Vec<String> = Vec::new();
        {
            let whole = lock(&self.whole);
            for id in ids {
                match whole.pointing.get(id).and_then(|by| by.get(&key)) {
                    Some(list) => out.extend(list.iter().cloned()),
                    None => missing.push(id.clone()),
                }
            }
        }
        let noted: Vec<String> = ids.iter().chain(&out).cloned().collect();
        store.depends_on(&noted);
        if missing.is_empty() {
            return Ok(out.into_iter().collect());
        }
        let version = store.version()?;
        let lists = store.pointing_at_each(&missing, schemata)?;
        let read: Vec<(String, Vec<String>)> = missing.into_iter().zip(lists).collect();
        let mut whole = lock(&self.whole);
        if version >= self.floor.load(std::sync::atomic::Ordering::Acquire) {
            if whole.pointing.len() + read.len() > ENTITIES_KEPT {
                whole.pointing.clear();
            }
            for (id, list) in &read {
                whole
                    .pointing
                    .entry(id.clone())
                    .or_default()
                    .insert(key.clone(), list.clone());
            }
        }
        drop(whole);
        for (_, list) in read {
            out.extend(list);
        }
        Ok(out.into_iter().collect())
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

pub(super) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::{demo, Cached};
    use dossier_model::Batch;
    use dossier_store::prelude::*;
    use dossier_store::Changes;

    /// A reader whose snapshot is older than a change forgotten since is
    /// answered, but what it read is not kept for the next reader.
    #[test]
    fn a_reader_older_than_a_forgotten_change_keeps_nothing() {
        let (store, _) = demo();
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

        // The entity a record is part of: kept until a merge or a split,
        // which forget everything.
        let kept = Kept::from(now);
        let part_of = |kept: &Kept| Cached::with_kept(&store, kept).canonical_of(&id).unwrap();
        assert_eq!(part_of(&kept), None);
        assert!(kept.whole.lock().unwrap().canonical.contains_key(&id));
        assert_eq!(part_of(&kept), None, "from what was kept");
        kept.clear(now + 1);
        assert!(kept.whole.lock().unwrap().canonical.is_empty());
    }

    /// What points at an entity (the claims about a network's members) is
    /// kept between renderings, and a new claim about the entity, which
    /// the follow log names the entity for, forgets it.
    #[test]
    fn claims_about_an_entity_are_kept_until_a_change_names_it() {
        let (mut store, prov) = demo();
        let network = crate::find(&store, "ALLMEP").unwrap()[0].id.clone();
        let member = crate::profile(&store, &network).unwrap().unwrap().members[0]
            .member
            .id
            .clone();
        let kept = Kept::from(store.version().unwrap());
        let about = |store: &dossier_store::SqliteStore, kept: &Kept| {
            let cached = Cached::with_kept(store, kept);
            cached
                .pointing_at(std::slice::from_ref(&member), &["Claim"])
                .unwrap()
        };
        let before = about(&store, &kept);
        assert_eq!(
            before,
            store
                .pointing_at(std::slice::from_ref(&member), &["Claim"])
                .unwrap()
        );
        assert!(kept.whole.lock().unwrap().pointing.contains_key(&member));

        // A new claim about the member, from a new source.
        let mark = store.mark().unwrap();
        let mut batch = Batch::new("doc-new-report", "hash-new-report");
        let mut doc = Entity::new("doc-new-report", "Document").unwrap();
        doc.add("title", "A new report").unwrap();
        batch.put(doc).unwrap();
        let mut claim = Entity::new("claim-new", "Claim").unwrap();
        claim.add("kind", "assessment").unwrap();
        claim
            .add("text", "It holds a weekly listening session.")
            .unwrap();
        claim.add("subject", member.as_str()).unwrap();
        claim.add("source", "doc-new-report").unwrap();
        batch.put(claim).unwrap();
        store.apply(&[batch], &prov).unwrap();
        assert_eq!(
            about(&store, &kept),
            before,
            "kept: the change is not forgotten yet"
        );
        let Changes::Entities { changed, .. } = store.changed_since(&mark, 1000).unwrap() else {
            panic!("a small change is listed");
        };
        assert!(
            changed.contains(&member),
            "the follow log names what a new value points at"
        );
        kept.forget(&changed, store.version().unwrap());
        let after = about(&store, &kept);
        assert!(after.contains(&"claim-new".to_string()), "{after:?}");
        assert_eq!(after.len(), before.len() + 1);
    }
}
