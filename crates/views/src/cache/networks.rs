//! The networks and how many members each has ([`crate::networks`]), kept
//! for one reader's scope. Reading them goes over every membership in the
//! store (a second and more at 100,000 organizations, tens of seconds at
//! 1M), and the home page, the browse page and the API's counts ask for
//! them after every write.
//!
//! A write that moves no membership leaves the list as it was. For a
//! reader who sees more than the public (whose list is counted from the
//! analysis graph instead, `web/src/state/networks.rs`), the memberships
//! read are kept too, each as the network and member it names: after a
//! write, only the entities the store says changed are read again.

use std::sync::Arc;

use dossier_graph::analysis::Interner;
use dossier_store::{Label, Read, Result};
// Maps of numbers a million entries long: hashbrown's default hasher
// (foldhash) rather than std's SipHash.
use hashbrown::HashMap;

use super::kept::{lock, Kept};

/// The networks, most members first, as [`crate::networks`] lists them.
pub type NetworkList = Arc<Vec<(Label, usize)>>;

/// How many changed entities are remembered to be read again; past that
/// the memberships are read whole again.
const CHANGED_KEPT: usize = 20_000;

/// A kept list and the labels of the networks on it, which outlive the
/// list: a membership more changes a count, not the network, so the list
/// made again reads only the networks it did not have. While a list is
/// kept, the labels are exactly its networks'.
#[derive(Debug, Default)]
pub(super) struct KeptNetworks {
    list: Option<NetworkList>,
    labels: HashMap<String, Label>,
    /// The memberships the list was counted from, when they were read
    /// from the store ([`Kept::networks`]).
    memberships: Option<Memberships>,
    /// The entities changed since (each with the store version it was
    /// forgotten at): read again before the memberships are counted.
    /// Noted while memberships are kept or being read, so that a read
    /// under way when they change misses nothing.
    changed: HashMap<String, i64>,
    /// How many reads of the memberships are under way. Only so that a
    /// write during one does not cost the next reader a whole read: a
    /// change not noted raises `dropped_at`, which stops what was read
    /// before it being kept.
    reading: usize,
    /// The latest version at which the changes stopped being noted one by
    /// one (everything forgotten, or too many): memberships read before
    /// it are not kept.
    dropped_at: i64,
}

/// Every membership a reader sees, as the network and the member it names.
/// Ids are held by number ([`Interner`]): at a million organizations a
/// reader sees over a million memberships, and their ids, networks and
/// members as strings in maps would take several hundred MB.
#[derive(Debug, Default)]
struct Memberships {
    /// The store version they were read whole at: every change since is
    /// in `changed` or was read again.
    read_at: i64,
    /// The latest version they were brought up to.
    updated_at: i64,
    ids: Interner,
    /// Each membership's (network, member), by its id's number.
    of: HashMap<u32, (u32, u32)>,
    /// Each network's members, each with how many memberships name it.
    members: HashMap<u32, HashMap<u32, u32>>,
}

impl Memberships {
    /// Every membership `store` holds, read at `version`.
    fn read(store: &dyn Read, version: i64) -> Result<Memberships> {
        let mut m = Memberships {
            read_at: version,
            updated_at: version,
            ..Default::default()
        };
        store.each_entity(&["Membership"], &mut |e| {
            m.set(&e.id, crate::membership_of(&e));
            Ok(())
        })?;
        Ok(m)
    }

    /// Sets what membership `id` names (`None`: it is none, or no longer).
    fn set(&mut self, id: &str, now: Option<(String, String)>) {
        let was = self.ids.find(id).and_then(|n| self.of.remove(&n));
        if let Some((network, member)) = was {
            if let Some(members) = self.members.get_mut(&network) {
                if let Some(n) = members.get_mut(&member) {
                    *n -= 1;
                    if *n == 0 {
                        members.remove(&member);
                    }
                }
                if members.is_empty() {
                    self.members.remove(&network);
                }
            }
        }
        if let Some((network, member)) = now {
            let (id, network, member) = (
                self.ids.intern(id),
                self.ids.intern(&network),
                self.ids.intern(&member),
            );
            *self
                .members
                .entry(network)
                .or_default()
                .entry(member)
                .or_default() += 1;
            self.of.insert(id, (network, member));
        }
    }

    /// Each network with how many members it has, as
    /// [`crate::network_sizes`] counts them.
    fn sizes(&self) -> Vec<(String, usize)> {
        self.members
            .iter()
            .map(|(network, members)| (self.ids.get(*network), members.len()))
            .collect()
    }

    /// The bytes it holds on the heap, about.
    fn heap_bytes(&self) -> usize {
        let map = |capacity: usize, entry: usize| capacity * (entry + 1);
        self.ids.heap_bytes()
            + map(self.of.capacity(), 12)
            + map(
                self.members.capacity(),
                4 + std::mem::size_of::<HashMap<u32, u32>>(),
            )
            + self
                .members
                .values()
                .map(|m| map(m.capacity(), 8))
                .sum::<usize>()
    }
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

    /// Forgets the list (a count may have changed); the labels stay, and
    /// the memberships with the changes noted.
    pub(super) fn forget_list(&mut self) {
        self.list = None;
    }

    /// Forgets everything (the store changed as of `version` in a way
    /// its log does not list entity by entity).
    pub(super) fn clear(&mut self, version: i64) {
        let dropped_at = self.dropped_at.max(version);
        *self = Self {
            dropped_at,
            ..Self::default()
        };
    }

    /// Forgets the list when one of `ids` is a network on it (its name,
    /// or whether it is there at all for this reader, may have changed),
    /// and the labels of `ids`; notes `ids` as changed as of `version`.
    pub(super) fn forget(&mut self, ids: &[String], version: i64) {
        // A reader that never counts from memberships (the public's list
        // is counted from the graph) notes nothing: memberships read
        // later, from a snapshot before this, are not kept.
        let noting = self.memberships.is_some() || self.reading > 0;
        for id in ids {
            if self.labels.remove(id).is_some() {
                self.list = None;
            }
            if noting {
                let at = self.changed.entry(id.clone()).or_default();
                *at = (*at).max(version);
            }
        }
        if !noting || self.changed.len() > CHANGED_KEPT {
            self.memberships = None;
            self.changed.clear();
            self.dropped_at = self.dropped_at.max(version);
        }
    }

    /// Keeps memberships brought up to `updated_at`, of which `read`
    /// were read at that version (`None`: all of them), unless changes
    /// stopped being noted since they were read whole, or newer ones are
    /// kept.
    fn keep_memberships(&mut self, m: Memberships, read: Option<&[String]>) {
        if m.read_at < self.dropped_at
            || self
                .memberships
                .as_ref()
                .is_some_and(|kept| kept.updated_at > m.updated_at)
        {
            return;
        }
        let at = m.updated_at;
        match read {
            None => self.changed.retain(|_, v| *v > at),
            Some(ids) => {
                for id in ids {
                    if self.changed.get(id).is_some_and(|v| *v <= at) {
                        self.changed.remove(id);
                    }
                }
            }
        }
        self.memberships = Some(m);
    }
}

impl Kept {
    /// Forgets the networks kept (a membership may have moved, as of
    /// `version`): the follower says so for any write that changed a
    /// membership, or an entity it cannot see, after it has forgotten the
    /// entities that changed ([`Kept::forget`]).
    pub fn forget_networks(&self, version: i64) {
        let mut networks = lock(&self.networks);
        self.floor
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
        networks.forget_list();
    }

    /// The networks and their sizes ([`crate::networks`]), kept or read
    /// from `store` and kept as [`Kept::keep_entities`] keeps entities.
    /// The memberships are kept with them: after a write, those the store
    /// says changed are read again, not all. The list depends on every
    /// membership: `store`'s ledger notes that it depends on everything,
    /// as reading it does.
    pub fn networks(&self, store: &dyn Read) -> Result<NetworkList> {
        if let Some(list) = self.kept_networks(store) {
            return Ok(list);
        }
        let version = store.version()?;
        let sizes = self.membership_sizes(store, version)?;
        let list: NetworkList = Arc::new(self.name_networks(store, sizes)?);
        self.keep_networks(version, list.clone());
        Ok(list)
    }

    /// The networks' sizes as `store`, at `version`, counts them: from the
    /// memberships kept, with the entities changed since read again, or
    /// from every membership.
    fn membership_sizes(&self, store: &dyn Read, version: i64) -> Result<Vec<(String, usize)>> {
        let (kept, due) = {
            let mut networks = lock(&self.networks);
            networks.reading += 1;
            let kept = networks.memberships.take();
            // A change this snapshot holds; a later one waits.
            let due: Vec<String> = networks
                .changed
                .iter()
                .filter(|(_, at)| **at <= version)
                .map(|(id, _)| id.clone())
                .collect();
            (kept, due)
        };
        let counted = Self::count_memberships(store, version, kept, due);
        let mut networks = lock(&self.networks);
        networks.reading -= 1;
        let (m, read) = counted?;
        let sizes = m.sizes();
        networks.keep_memberships(m, read.as_deref());
        Ok(sizes)
    }

    /// The memberships `kept` with the entities `due` read again at
    /// `version` (and which were), or every membership read at `version`.
    fn count_memberships(
        store: &dyn Read,
        version: i64,
        kept: Option<Memberships>,
        due: Vec<String>,
    ) -> Result<(Memberships, Option<Vec<String>>)> {
        Ok(match kept {
            Some(mut m) => {
                let mut found: HashMap<String, dossier_model::Entity> = store
                    .entities_of(&due)?
                    .into_iter()
                    .map(|e| (e.id.clone(), e))
                    .collect();
                for id in &due {
                    let now = found.remove(id).and_then(|e| crate::membership_of(&e));
                    m.set(id, now);
                }
                m.updated_at = m.updated_at.max(version);
                (m, Some(due))
            }
            None => (Memberships::read(store, version)?, None),
        })
    }

    /// The networks with these sizes, each with its label, most members
    /// first (`crate::named_networks`): the labels of networks on the
    /// last list kept are taken from it, the others read from `store`.
    pub fn name_networks(
        &self,
        store: &dyn Read,
        sizes: Vec<(String, usize)>,
    ) -> Result<Vec<(Label, usize)>> {
        let (mut known, mut missing) = (Vec::new(), Vec::new());
        {
            let networks = lock(&self.networks);
            for (id, n) in sizes {
                match networks.label(&id) {
                    Some(l) => known.push((l.clone(), n)),
                    None => missing.push((id, n)),
                }
            }
        }
        let mut out = crate::named_networks(store, missing)?;
        out.extend(known);
        crate::sort_networks(&mut out);
        Ok(out)
    }

    /// The store version the memberships kept were read whole at, if
    /// they are kept: a write leaves it as it was unless it made them be
    /// read whole again.
    pub fn memberships_read_at(&self) -> Option<i64> {
        lock(&self.networks).memberships.as_ref().map(|m| m.read_at)
    }

    /// About how many bytes the memberships kept hold on the heap.
    pub fn memberships_bytes(&self) -> usize {
        lock(&self.networks)
            .memberships
            .as_ref()
            .map_or(0, Memberships::heap_bytes)
    }

    /// The networks kept, if they are; `store`'s ledger notes that what is
    /// made from them depends on everything.
    pub fn kept_networks(&self, store: &dyn Read) -> Option<NetworkList> {
        store.depends_on_everything();
        lock(&self.networks).get()
    }

    /// Keeps the networks, counted as the store was at `version`, unless
    /// something was forgotten since.
    pub fn keep_networks(&self, version: i64, list: NetworkList) {
        let mut networks = lock(&self.networks);
        if version >= self.floor.load(std::sync::atomic::Ordering::Acquire) {
            networks.keep(list);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use dossier_model::{Batch, Entity, Provenance};
    use dossier_store::prelude::*;
    use dossier_store::{Changes, Mark, SqliteStore};

    use super::*;

    fn entity(id: &str, schema: &str, props: &[(&str, &str)]) -> Entity {
        let mut e = Entity::new(id, schema).unwrap();
        for (p, v) in props {
            e.add(p, *v).unwrap();
        }
        e
    }

    fn prov(dataset: &str, now: &str) -> Provenance {
        Provenance {
            dataset: dataset.into(),
            source: String::new(),
            user: "tester".into(),
            origin: None,
            now: now.into(),
        }
    }

    /// Source `doc` (its `version`) saying `entities`, written into `dataset`.
    fn write(
        store: &mut SqliteStore,
        doc: &str,
        version: &str,
        dataset: &str,
        entities: &[Entity],
    ) {
        let mut b = Batch::new(doc, version);
        b.put(entity(doc, "Document", &[("fileName", "page.txt")]))
            .unwrap();
        for e in entities {
            b.put(e.clone()).unwrap();
        }
        store
            .apply(&[b], &prov(dataset, "2026-01-01T00:00:00"))
            .unwrap();
    }

    /// A reader whose snapshot began before the last write is answered as
    /// of it (`then`); the next reader gets `now`.
    fn older_then_newer(
        store: &SqliteStore,
        old: &SqliteStore,
        kept: &Kept,
        then: &[(&str, usize)],
        now: &[(&str, usize)],
    ) {
        let owned = |l: &[(&str, usize)]| -> Vec<(String, usize)> {
            l.iter().map(|(id, n)| (id.to_string(), *n)).collect()
        };
        assert_eq!(sizes(&kept.networks(old).unwrap()), owned(then));
        old.end_read().unwrap();
        assert_eq!(networks(store, kept), owned(now));
    }

    fn org(id: &str, name: &str) -> Entity {
        entity(id, "Organization", &[("name", name)])
    }

    fn membership(id: &str, member: &str, network: &str) -> Entity {
        entity(
            id,
            "Membership",
            &[("member", member), ("organization", network)],
        )
    }

    /// What the server's follower does after a write: forgets what the
    /// store's log says changed since `mark`, or everything.
    fn follow(store: &SqliteStore, kept: &Kept, mark: &mut Mark) {
        let version = store.version().unwrap();
        match store.changed_since(mark, 1_000).unwrap() {
            Changes::Entities { changed, merged } if merged.is_empty() => {
                kept.forget(&changed, version);
                kept.forget_networks(version);
            }
            _ => kept.clear(version),
        }
        *mark = store.mark().unwrap();
    }

    fn sizes(list: &[(Label, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|(l, n)| (l.id.clone(), *n)).collect()
    }

    /// The kept list, checked against every membership read again.
    fn networks(store: &SqliteStore, kept: &Kept) -> Vec<(String, usize)> {
        let list = sizes(&kept.networks(store).unwrap());
        assert_eq!(list, sizes(&crate::networks(store).unwrap()));
        list
    }

    /// After each kind of write, the networks counted from the kept
    /// memberships with what changed read again are the networks counted
    /// from every membership, and the memberships are not read whole again
    /// until a merge; a reader whose snapshot predates a change leaves it
    /// to be read by the next.
    #[test]
    fn memberships_are_read_again_only_where_the_store_says_they_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut writer = SqliteStore::open(&path).unwrap();
        let n = || org("org-n", "Network");
        write(
            &mut writer,
            "doc-1",
            "1",
            "test",
            &[
                org("org-a", "Alpha"),
                n(),
                membership("mem-1", "org-a", "org-n"),
            ],
        );
        let store = SqliteStore::open(&path).unwrap();
        let kept = Kept::new();
        let mut mark = store.mark().unwrap();
        assert_eq!(networks(&store, &kept), [("org-n".to_string(), 1)]);
        let read_at = kept.memberships_read_at();
        assert!(read_at.is_some());

        // A membership more, in another collection.
        write(
            &mut writer,
            "note-1",
            "1",
            "notes",
            &[org("org-b", "Beta"), membership("mem-2", "org-b", "org-n")],
        );
        follow(&store, &kept, &mut mark);
        assert_eq!(networks(&store, &kept), [("org-n".to_string(), 2)]);
        // The same member again, by another membership: still two.
        write(
            &mut writer,
            "doc-2",
            "1",
            "test",
            &[membership("mem-3", "org-b", "org-n")],
        );
        follow(&store, &kept, &mut mark);
        assert_eq!(networks(&store, &kept), [("org-n".to_string(), 2)]);
        // A membership moved to another network.
        write(
            &mut writer,
            "note-1",
            "2",
            "notes",
            &[
                org("org-b", "Beta"),
                org("org-m", "Movement"),
                membership("mem-2", "org-b", "org-m"),
            ],
        );
        follow(&store, &kept, &mut mark);
        assert_eq!(
            networks(&store, &kept),
            [("org-n".to_string(), 2), ("org-m".to_string(), 1)]
        );
        // A membership withdrawn: its source no longer names it.
        write(&mut writer, "doc-2", "2", "test", &[]);
        follow(&store, &kept, &mut mark);
        assert_eq!(
            networks(&store, &kept),
            [("org-m".to_string(), 1), ("org-n".to_string(), 1)]
        );
        assert_eq!(
            kept.memberships_read_at(),
            read_at,
            "never read whole again"
        );

        // A reader whose snapshot began before a change: answered as of its
        // snapshot, and the change is read by the next reader.
        let old = SqliteStore::open(&path).unwrap();
        assert!(old.begin_read().unwrap());
        let before = old.version().unwrap();
        write(
            &mut writer,
            "doc-3",
            "1",
            "test",
            &[org("org-c", "Gamma"), membership("mem-4", "org-c", "org-m")],
        );
        follow(&store, &kept, &mut mark);
        assert!(store.version().unwrap() > before);
        older_then_newer(
            &store,
            &old,
            &kept,
            &[("org-m", 1), ("org-n", 1)],
            &[("org-m", 2), ("org-n", 1)],
        );
        assert_eq!(kept.memberships_read_at(), read_at);

        // A merge: everything forgotten, the memberships read whole again.
        let prov = prov("test", "2026-01-02T00:00:00");
        writer
            .resolve(
                &dossier_store::Scope::everything(),
                &[("org-c".into(), "org-a".into())],
                &Provenance {
                    dataset: "test".into(),
                    source: String::new(),
                    user: "tester".into(),
                    origin: None,
                    now: "2026-01-02T00:00:00".into(),
                },
            )
            .unwrap();
        follow(&store, &kept, &mut mark);
        assert_eq!(
            networks(&store, &kept),
            [("org-m".to_string(), 2), ("org-n".to_string(), 1)]
        );
        assert!(kept.memberships_read_at() > read_at, "read whole again");

        // A reader whose snapshot began before everything was forgotten
        // reads every membership, and keeps none: what changed before the
        // merge is no longer noted one by one.
        let old = SqliteStore::open(&path).unwrap();
        assert!(old.begin_read().unwrap());
        // The snapshot begins with its first read.
        old.version().unwrap();
        write(
            &mut writer,
            "doc-4",
            "1",
            "test",
            &[
                org("org-d", "Delta"),
                org("org-x", "X"),
                membership("mem-5", "org-d", "org-n"),
            ],
        );
        writer
            .resolve(
                &dossier_store::Scope::everything(),
                &[("org-x".into(), "org-d".into())],
                &prov,
            )
            .unwrap();
        follow(&store, &kept, &mut mark);
        older_then_newer(
            &store,
            &old,
            &kept,
            &[("org-m", 2), ("org-n", 1)],
            &[("org-m", 2), ("org-n", 2)],
        );
    }
}
