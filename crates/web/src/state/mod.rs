//! What the handlers share (`AppState`): the store's connections, what is
//! derived from the store and follows it (search indexes, the analysis
//! graph, kept pages), and who may do what. Handlers reach the store only
//! through `with` (a `Reader` under the request's scope), `with_mut` (a
//! `Writer`) and `with_accounts`; the followers (`refresh_index`,
//! `refresh_graph`) hold connections of their own (`access`).

mod access;
mod networks;
#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex};

use dossier_search::SearchIndex;
use dossier_store::{Follow, Read, Reader, Scope, Scoped, Store};

use crate::{auth, lockout, pagecache, review, server, WebError};

/// A store the server can share between threads.
pub type SharedStore = Box<dyn Store + Send>;

/// Opens another connection to the server's store.
pub type Opener = Arc<dyn Fn() -> Result<SharedStore, dossier_store::StoreError> + Send + Sync>;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    /// The connection writes go through (and reads, when no other can be opened).
    pub(crate) store: Mutex<SharedStore>,
    pub(crate) conn: Connections,
    pub(crate) derived: Derived,
    pub(crate) guard: Guard,
}

/// How reads and writes reach the store: the connections for reads and
/// their count, the followers' own connections, and how to open more.
pub(crate) struct Connections {
    /// How to open more connections to the store, when the server can:
    /// the search index and the graph then follow the store on their own
    /// connections, and a long read of theirs holds up no page.
    pub(crate) opener: std::sync::OnceLock<Opener>,
    /// The search index's own connection (opened on first use).
    pub(crate) index_store: Mutex<Option<SharedStore>>,
    /// The analysis graph's own connection (opened on first use).
    pub(crate) graph_store: Mutex<Option<SharedStore>>,
    /// Connections for reads, beside the one writes go through (when the
    /// server can open them), each with the count of this server's writes
    /// it has seen: reads run side by side, on every core (SQLite in WAL
    /// mode lets readers be), or in parallel round trips (PostgreSQL).
    pub(crate) readers: Mutex<Vec<(u64, SharedStore)>>,
    /// How many reads may run at once on their own connections.
    pub(crate) reading: Arc<tokio::sync::Semaphore>,
    /// This server's writes so far. A read connection that has not seen
    /// the latest is closed rather than used again: a store may keep what
    /// it read for a moment (PostgreSQL's redactions, for a second), and a
    /// page read after an edit here must show it.
    pub(crate) writes: std::sync::atomic::AtomicU64,
    /// The store is on this machine (a SQLite file): one page's read
    /// waits on no network and may run on the request's own thread
    /// (`with_page`).
    pub(crate) local: std::sync::atomic::AtomicBool,
}

/// What is derived from the store and follows it: the search indexes,
/// the analysis graph and its ties, labels, review candidates, kept pages.
pub(crate) struct Derived {
    /// What anyone may see.
    pub(crate) search: SearchIndex,
    /// Everything, private collections included, for readers from whom
    /// nothing is hidden (`with_private_index`); used while some
    /// collection is private and the follower keeps it (`private_live`).
    pub(crate) search_all: std::sync::OnceLock<SearchIndex>,
    pub(crate) private_live: std::sync::atomic::AtomicBool,
    /// The network analysis engine over the store, and the store version it was built at.
    pub(crate) graph: std::sync::RwLock<Option<(i64, Arc<dossier_graph::analysis::Graph>)>>,
    /// Rankings of entities connected to a subject, worked out from the
    /// graph and kept for it (by its version).
    pub(crate) interlocks: dossier_views::Interlocks,
    /// Network drawings' layouts, kept by all they are made of.
    pub(crate) layouts: dossier_graph::Layouts,
    /// Entity labels, entities, what refers to them and merges, kept
    /// across requests by reader's scope; cleared with the graph.
    pub(crate) kept: Mutex<std::collections::HashMap<Scope, Arc<dossier_views::cache::Kept>>>,
    /// The store version of the latest change forgotten: what is kept for
    /// a new reader starts from it.
    pub(crate) kept_floor: std::sync::atomic::AtomicI64,
    /// What anyone may see, as of the last time the collections were
    /// read (made at the start, and again whenever the index follows):
    /// what the graph and the shared index are made under.
    pub(crate) public: std::sync::RwLock<Option<Scope>>,
    /// Candidate pairs for review, the store version they hold for, and
    /// the hidden collections of the reader they were worked out for.
    pub(crate) review: Mutex<Option<review::Kept>>,
    /// Candidates being worked out in the background (`review`).
    pub(crate) review_work: Mutex<Option<review::Working>>,
    /// Pages kept until the store changes (`pagecache`).
    pub(crate) pages: pagecache::Pages,
    /// The ties the graph was last made of, and where in the log: the
    /// graph's follower reads again only the entities changed since.
    pub(crate) ties: Mutex<Option<Ties>>,
    /// The store version up to which the graph held is known to be
    /// current: where its follower last went, or where a page made it.
    /// What is counted from the graph is kept as of this version.
    pub(crate) ties_current: std::sync::atomic::AtomicI64,
}

/// Who may do what, and how sign-in and requests are guarded.
pub(crate) struct Guard {
    /// The token the sign-in form carries back (a cross-site form cannot
    /// read it); none when the system gave no randomness, and then no
    /// sign-in is accepted. Signed-in forms carry their session's token.
    pub(crate) form_token: Option<String>,
    /// Recent failed sign-ins.
    pub(crate) failures: lockout::Failures,
    /// Session cookies only over HTTPS (`serve --secure-cookies`, behind TLS).
    pub(crate) secure_cookies: std::sync::atomic::AtomicBool,
    /// How long a client may take to send a request's headers, and then
    /// its body, in milliseconds (`server::CLIENT_TIMEOUT` unless set).
    pub(crate) client_timeout_ms: std::sync::atomic::AtomicU64,
    /// Whether archiving may fetch loopback and private addresses.
    pub(crate) archive_private: std::sync::atomic::AtomicBool,
    /// Signed-in readers worked out recently (`auth::Identities`).
    pub(crate) identities: auth::Identities,
}

/// How many reads run at once on connections of their own: two a core,
/// at least four (PostgreSQL's reads wait on round trips more than on
/// the processor), at most sixteen.
fn read_connections() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get() * 2)
        .unwrap_or(4)
        .clamp(4, 16)
}

/// The ties of the analysis graph by the entity that makes them, compactly
/// (the graph made from them is the same however they were reached), as
/// of a mark in the store's log.
pub(crate) struct Ties {
    mark: dossier_store::Mark,
    set: dossier_graph::analysis::TieSet,
}

/// How many changed entities the graph's follower reads one by one; beyond
/// that it reads every tie again.
const GRAPH_FOLLOW_LIMIT: usize = 20_000;

impl AppState {
    pub fn new(store: SharedStore, search: SearchIndex) -> Self {
        let public = dossier_auth::public_scope(store.as_ref()).ok();
        AppState {
            inner: Arc::new(Inner {
                store: Mutex::new(store),
                conn: Connections {
                    opener: std::sync::OnceLock::new(),
                    readers: Mutex::new(Vec::new()),
                    reading: Arc::new(tokio::sync::Semaphore::new(read_connections())),
                    writes: std::sync::atomic::AtomicU64::new(0),
                    local: std::sync::atomic::AtomicBool::new(false),
                    index_store: Mutex::new(None),
                    graph_store: Mutex::new(None),
                },
                derived: Derived {
                    search,
                    search_all: std::sync::OnceLock::new(),
                    private_live: std::sync::atomic::AtomicBool::new(false),
                    graph: std::sync::RwLock::new(None),
                    interlocks: dossier_views::Interlocks::default(),
                    layouts: dossier_graph::Layouts::new(),
                    kept: Mutex::new(std::collections::HashMap::new()),
                    kept_floor: std::sync::atomic::AtomicI64::new(0),
                    public: std::sync::RwLock::new(public),
                    ties: Mutex::new(None),
                    ties_current: std::sync::atomic::AtomicI64::new(0),
                    review: Mutex::new(None),
                    review_work: Mutex::new(None),
                    pages: pagecache::Pages::new(),
                },
                guard: Guard {
                    form_token: dossier_auth::new_secret().ok(),
                    failures: lockout::Failures::default(),
                    identities: auth::Identities::new(),
                    secure_cookies: std::sync::atomic::AtomicBool::new(false),
                    client_timeout_ms: std::sync::atomic::AtomicU64::new(
                        server::CLIENT_TIMEOUT.as_millis() as u64,
                    ),
                    archive_private: std::sync::atomic::AtomicBool::new(false),
                },
            }),
        }
    }

    /// The search index and the analysis graph follow the store on
    /// connections of their own, opened with `open` (a server; tests may
    /// leave it out, and then everything shares the one connection).
    pub fn with_opener(self, open: Opener) -> Self {
        // Set once, before serving; a second call changes nothing.
        let _ = self.inner.conn.opener.set(open);
        self
    }

    /// The store is a file on this machine (SQLite): one entity page's
    /// read runs on the request's own thread rather than being handed to
    /// a blocking one (`with_page`). Not for a store across a network.
    pub fn with_local_store(self) -> Self {
        self.inner
            .conn
            .local
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self
    }

    /// A second search index, of everything: readers from whom nothing is
    /// hidden (admins, members of every private collection) search their
    /// private collections too. Without it everyone searches what anyone
    /// may see.
    pub fn with_private_index(self, index: SearchIndex) -> Self {
        let _ = self.inner.derived.search_all.set(index);
        self
    }

    /// The index for this reader.
    pub(crate) fn index_for(&self, store: &Reader<'_>) -> &SearchIndex {
        match self.inner.derived.search_all.get() {
            Some(all)
                if store.scope().sees_everything()
                    && self
                        .inner
                        .derived
                        .private_live
                        .load(std::sync::atomic::Ordering::Acquire) =>
            {
                all
            }
            _ => &self.inner.derived.search,
        }
    }

    /// How long a client may take to send a request's headers, and then
    /// its body: a slow client is cut off (408) rather than holding a
    /// connection open.
    pub fn with_client_timeout(self, timeout: std::time::Duration) -> Self {
        self.inner.guard.client_timeout_ms.store(
            u64::try_from(timeout.as_millis())
                .unwrap_or(u64::MAX)
                .max(1),
            std::sync::atomic::Ordering::Relaxed,
        );
        self
    }

    pub(crate) fn client_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(
            self.inner
                .guard
                .client_timeout_ms
                .load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    /// Session cookies carry `Secure` (browsers send them over HTTPS only):
    /// for a server behind TLS.
    pub fn with_secure_cookies(self) -> Self {
        self.inner
            .guard
            .secure_cookies
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self
    }

    /// Lets archiving fetch loopback and private addresses (a server on
    /// a private network, or a test): off by default, so an editor's form
    /// cannot make the server reach into the network it runs in.
    pub fn with_archive_private(self) -> Self {
        self.inner
            .guard
            .archive_private
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self
    }

    pub(crate) fn archive_private(&self) -> bool {
        self.inner
            .guard
            .archive_private
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// This server's writes so far.
    pub(crate) fn writes(&self) -> u64 {
        self.inner
            .conn
            .writes
            .load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) fn secure_flag(&self) -> &'static str {
        if self
            .inner
            .guard
            .secure_cookies
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            "; Secure"
        } else {
            ""
        }
    }

    /// The analysis graph, built from the store on first use; the server's
    /// follower rebuilds it when the store changes (`refresh_graph`).
    pub(crate) fn graph(
        &self,
        store: &Reader<'_>,
    ) -> Result<Arc<dossier_graph::analysis::Graph>, WebError> {
        Ok(self.graph_at(store)?.1)
    }

    /// [`AppState::graph`] with the store version it was made at.
    pub(crate) fn graph_at(
        &self,
        store: &Reader<'_>,
    ) -> Result<(i64, Arc<dossier_graph::analysis::Graph>), WebError> {
        if let Some(made) = crate::held::read(&self.inner.derived.graph).as_ref() {
            return Ok(made.clone());
        }
        let version = store.version()?;
        // One graph serves every reader: made of what anyone may see.
        let mut ties = dossier_views::tie_set(&store.rescoped(&self.public_scope()?))?;
        let g = Arc::new(ties.graph());
        *crate::held::write(&self.inner.derived.graph) = Some((version, g.clone()));
        self.inner
            .derived
            .ties_current
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
        Ok((version, g))
    }

    /// Rankings of connected entities kept for the graph.
    pub(crate) fn interlocks(&self) -> &dossier_views::Interlocks {
        &self.inner.derived.interlocks
    }

    /// Network drawings' layouts, worked out once each.
    pub(crate) fn layouts(&self) -> &dossier_graph::Layouts {
        &self.inner.derived.layouts
    }

    /// Labels and entities kept from request to request, apart for each
    /// set of hidden collections (what one reader read is never shown to
    /// another who may see less).
    pub(crate) fn kept(&self, store: &Reader<'_>) -> Arc<dossier_views::cache::Kept> {
        crate::held::lock(&self.inner.derived.kept)
            .entry(store.scope().clone())
            .or_insert_with(|| {
                // Nothing read before the latest change forgotten is kept.
                let floor = self
                    .inner
                    .derived
                    .kept_floor
                    .load(std::sync::atomic::Ordering::Acquire);
                Arc::new(dossier_views::cache::Kept::from(floor))
            })
            .clone()
    }

    /// Forgets what is kept of these entities (`Some`) or all that is kept
    /// (`None`), for every reader: they changed, as of the store's `version`.
    /// The networks kept go too when `memberships` says a membership may
    /// have moved.
    pub(crate) fn forget_kept(&self, changed: Option<&[String]>, memberships: bool, version: i64) {
        let kept = crate::held::lock(&self.inner.derived.kept);
        self.inner
            .derived
            .kept_floor
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
        for k in kept.values() {
            match changed {
                Some(ids) => {
                    k.forget(ids, version);
                    if memberships {
                        k.forget_networks(version);
                    }
                }
                None => k.clear(version),
            }
        }
    }

    /// Makes the analysis graph again (and forgets kept labels) when the
    /// store changed since it was made: the ties of the entities changed
    /// since are read again, every tie only when the store cannot list the
    /// changes. Pages are served from the old graph meanwhile.
    pub fn refresh_graph(&self) -> Result<bool, WebError> {
        let mut kept = crate::held::lock(&self.inner.derived.ties);
        let moved = self.with_own(&self.inner.conn.graph_store, |store| {
            // One graph serves every reader: made of what anyone may see.
            let public = dossier_auth::public_scope(store).map_err(internal)?;
            follow_ties(&store.reader(&public), &mut kept)
        })?;
        let (Some(moved), Some(ties)) = (moved, kept.as_mut()) else {
            return Ok(false);
        };
        let Moved {
            version,
            changes,
            retied,
            memberships,
        } = moved;
        let everything = match &changes {
            dossier_store::Changes::Entities { changed, merged } if merged.is_empty() => {
                self.forget_kept(Some(changed), memberships, version);
                false
            }
            _ => {
                self.forget_kept(None, true, version);
                true
            }
        };
        // When no entity's ties changed (a name, a claim's text), the graph
        // made again would be the one there, node for node: it is kept,
        // with its version, and so are the rankings kept for it. Making it
        // takes time in proportion to the store (0.8 s at 1M
        // organizations, BENCHMARKS.md).
        let made = crate::held::read(&self.inner.derived.graph).is_some();
        if retied || !made {
            let g = Arc::new(ties.set.graph());
            *crate::held::write(&self.inner.derived.graph) = Some((version, g));
        }
        // After the graph: whoever reads this version reads that graph.
        self.inner
            .derived
            .ties_current
            .fetch_max(version, std::sync::atomic::Ordering::AcqRel);
        // Pages made from the old graph or old labels are made again.
        self.inner.derived.pages.changed(version, &changes);
        drop(kept);
        if everything {
            self.warm_public()?;
        }
        Ok(true)
    }

    /// Makes what the public's home page reads and keeps, once everything
    /// kept was forgotten (the follower's first round when the server
    /// starts, a merge, a change of who may read what): the networks, and
    /// the counts less what the private collections hide. Made here, on
    /// the follower's thread, they spare the next visitor the seconds they
    /// take at a million organizations.
    fn warm_public(&self) -> Result<(), WebError> {
        self.with_own(&self.inner.conn.graph_store, |store| {
            // As the graph's own round reads it: current, not as kept.
            let public = dossier_auth::public_scope(store).map_err(internal)?;
            let store = store.reader(&public);
            let began = store.begin_read()?;
            let warmed = self
                .kept(&store)
                .stats(&store)
                .map_err(WebError::from)
                .and_then(|_| self.networks(&store));
            if began {
                store.end_read()?;
            }
            warmed.map(|_| ())
        })
    }

    /// Brings the search index up to the store after a write here or
    /// elsewhere (an import, another server): only what changed since the
    /// index's mark is indexed again. Returns what it did.
    pub fn refresh_index(&self) -> Result<dossier_search::Followed, WebError> {
        self.with_own(&self.inner.conn.index_store, |store| {
            // Where the log is before the index follows it: the kept
            // pages look again from here next time.
            let seen = store.mark()?;
            // The shared index: made of what anyone may see.
            let public = dossier_auth::public_scope(store).map_err(internal)?;
            let done = self.inner.derived.search.follow(&store.reader(&public))?;
            let private = !public.sees_everything();
            *crate::held::write(&self.inner.derived.public) = Some(public);
            // The index of everything, while anything is private.
            if let Some(all) = self.inner.derived.search_all.get() {
                if private {
                    all.follow(&store.reader(&Scope::everything()))?;
                }
                self.inner
                    .derived
                    .private_live
                    .store(private, std::sync::atomic::Ordering::Release);
            }
            // After the index: a page made before it followed is dropped
            // with what changed.
            self.inner.derived.pages.follow(store, seen)?;
            Ok(done)
        })
    }
}

/// What [`follow_ties`] found had changed.
struct Moved {
    /// The store's version now.
    version: i64,
    changes: dossier_store::Changes,
    /// Whether any entity's ties changed.
    retied: bool,
    /// Whether a membership may have: one changed, or an entity changed
    /// that the graph's readers cannot see (it may be one).
    memberships: bool,
}

/// Brings the kept ties up to the store: what moved, `None` when nothing
/// did.
fn follow_ties(store: &Reader<'_>, kept: &mut Option<Ties>) -> Result<Option<Moved>, WebError> {
    let now = store.mark()?;
    let changes = match kept.as_ref() {
        Some(k) if k.mark == now => return Ok(None),
        Some(k) => store.changed_since(&k.mark, GRAPH_FOLLOW_LIMIT)?,
        None => dossier_store::Changes::Everything,
    };
    match (changes, kept.as_mut()) {
        (dossier_store::Changes::Entities { changed, merged }, Some(k)) => {
            // What pointed at a merged or split entity points elsewhere now.
            let mut ids = changed;
            ids.extend(store.pointing_at(&merged, &dossier_views::TIE_SCHEMATA)?);
            ids.sort_unstable();
            ids.dedup();
            let (mut retied, mut memberships) = (false, false);
            for id in &ids {
                let e = store.entity(id)?;
                memberships |= e.as_ref().is_none_or(|e| e.schema.is_a("Membership"));
                let ties = e.map(|e| dossier_views::ties_of(&e)).unwrap_or_default();
                retied |= k.set.set(id, &ties);
            }
            k.mark = now;
            return Ok(Some(Moved {
                version: now.version,
                changes: dossier_store::Changes::Entities {
                    changed: ids,
                    merged,
                },
                retied,
                memberships,
            }));
        }
        _ => {
            // The old set goes first: two at once would double the memory.
            *kept = None;
            *kept = Some(Ties {
                mark: now,
                set: dossier_views::tie_set(store)?,
            });
        }
    }
    Ok(Some(Moved {
        version: now.version,
        changes: dossier_store::Changes::Everything,
        retied: true,
        memberships: true,
    }))
}

fn internal(e: impl std::fmt::Display) -> WebError {
    WebError::Internal(e.to_string())
}

impl AppState {
    /// What anyone may see, as of the last time the collections were read.
    pub(crate) fn public_scope(&self) -> Result<Scope, WebError> {
        crate::held::read(&self.inner.derived.public)
            .clone()
            .ok_or_else(|| internal("the collections could not be read"))
    }
}
