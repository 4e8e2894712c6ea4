//! The web application and JSON API.
//!
//! Architecture invariant: the only crate that knows HTTP. Handlers read
//! through the `Store` trait and the search index, build views, and render
//! them as HTML (maud, escaped by construction) or as JSON wire types (the
//! ones in `api`, described by the OpenAPI document). Every page has a JSON
//! twin at the same path with `.json`.

mod admin;
pub mod api;
mod assets;
pub mod auth;
pub mod edit;
mod fetch;
mod headers;
pub mod jsonld;
mod lockout;
mod origin;
mod pagecache;
mod pages;
mod review;
pub mod server;
mod views;

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dossier_search::SearchIndex;
use dossier_store::{Follow, Read, Reader, Scope, Scoped, Store, Writer};

/// A store the server can share between threads.
pub type SharedStore = Box<dyn Store + Send>;

/// Opens another connection to the server's store.
pub type Opener = Arc<dyn Fn() -> Result<SharedStore, dossier_store::StoreError> + Send + Sync>;

/// What the handlers share.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Mutex<SharedStore>,
    /// What anyone may see.
    search: SearchIndex,
    /// Everything, private collections included, for readers from whom
    /// nothing is hidden (`with_private_index`); used while some
    /// collection is private and the follower keeps it (`private_live`).
    search_all: std::sync::OnceLock<SearchIndex>,
    private_live: std::sync::atomic::AtomicBool,
    /// The network analysis engine over the store, and the store version it was built at.
    graph: std::sync::RwLock<Option<(i64, Arc<dossier_graph::analysis::Graph>)>>,
    /// Entity labels kept across requests, by reader's scope; cleared
    /// with the graph.
    labels: Mutex<std::collections::HashMap<Scope, Arc<dossier_views::cache::Labels>>>,
    /// What anyone may see, as of the last time the collections were
    /// read (made at the start, and again whenever the index follows):
    /// what the graph and the shared index are made under.
    public: std::sync::RwLock<Option<Scope>>,
    /// The token the sign-in form carries back (a cross-site form cannot
    /// read it); none when the system gave no randomness, and then no
    /// sign-in is accepted. Signed-in forms carry their session's token.
    form_token: Option<String>,
    /// Recent failed sign-ins.
    failures: lockout::Failures,
    /// Session cookies only over HTTPS (`serve --secure-cookies`, behind TLS).
    secure_cookies: std::sync::atomic::AtomicBool,
    /// How long a client may take to send a request's headers, and then
    /// its body, in milliseconds (`server::CLIENT_TIMEOUT` unless set).
    client_timeout_ms: std::sync::atomic::AtomicU64,
    /// Whether archiving may fetch loopback and private addresses.
    archive_private: std::sync::atomic::AtomicBool,
    /// Candidate pairs for review, the store version they hold for, and
    /// the hidden collections of the reader they were worked out for.
    review: Mutex<Option<review::Kept>>,
    /// How to open more connections to the store, when the server can:
    /// the search index and the graph then follow the store on their own
    /// connections, and a long read of theirs holds up no page.
    opener: std::sync::OnceLock<Opener>,
    /// The search index's own connection (opened on first use).
    index_store: Mutex<Option<SharedStore>>,
    /// The analysis graph's own connection (opened on first use).
    graph_store: Mutex<Option<SharedStore>>,
    /// Pages kept until the store changes (`pagecache`).
    pages: pagecache::Pages,
    /// Signed-in readers worked out recently (`auth::Identities`).
    identities: auth::Identities,
    /// The ties the graph was last made of, and where in the log: the
    /// graph's follower reads again only the entities changed since.
    ties: Mutex<Option<Ties>>,
    /// Connections for reads, beside the one writes go through (when the
    /// server can open them), each with the count of this server's writes
    /// it has seen: reads run side by side, on every core (SQLite in WAL
    /// mode lets readers be), or in parallel round trips (PostgreSQL).
    readers: Mutex<Vec<(u64, SharedStore)>>,
    /// How many reads may run at once on their own connections.
    reading: Arc<tokio::sync::Semaphore>,
    /// This server's writes so far. A read connection that has not seen
    /// the latest is closed rather than used again: a store may keep what
    /// it read for a moment (PostgreSQL's redactions, for a second), and a
    /// page read after an edit here must show it.
    writes: std::sync::atomic::AtomicU64,
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
struct Ties {
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
                search,
                search_all: std::sync::OnceLock::new(),
                private_live: std::sync::atomic::AtomicBool::new(false),
                graph: std::sync::RwLock::new(None),
                labels: Mutex::new(std::collections::HashMap::new()),
                public: std::sync::RwLock::new(public),
                form_token: dossier_auth::new_secret().ok(),
                failures: lockout::Failures::default(),
                secure_cookies: std::sync::atomic::AtomicBool::new(false),
                client_timeout_ms: std::sync::atomic::AtomicU64::new(
                    server::CLIENT_TIMEOUT.as_millis() as u64,
                ),
                archive_private: std::sync::atomic::AtomicBool::new(false),
                review: Mutex::new(None),
                opener: std::sync::OnceLock::new(),
                index_store: Mutex::new(None),
                graph_store: Mutex::new(None),
                ties: Mutex::new(None),
                pages: pagecache::Pages::new(),
                identities: auth::Identities::new(),
                readers: Mutex::new(Vec::new()),
                reading: Arc::new(tokio::sync::Semaphore::new(read_connections())),
                writes: std::sync::atomic::AtomicU64::new(0),
            }),
        }
    }

    /// The search index and the analysis graph follow the store on
    /// connections of their own, opened with `open` (a server; tests may
    /// leave it out, and then everything shares the one connection).
    pub fn with_opener(self, open: Opener) -> Self {
        // Set once, before serving; a second call changes nothing.
        let _ = self.inner.opener.set(open);
        self
    }

    /// A second search index, of everything: readers from whom nothing is
    /// hidden (admins, members of every private collection) search their
    /// private collections too. Without it everyone searches what anyone
    /// may see.
    pub fn with_private_index(self, index: SearchIndex) -> Self {
        let _ = self.inner.search_all.set(index);
        self
    }

    /// The index for this reader.
    fn index_for(&self, store: &Reader<'_>) -> &SearchIndex {
        match self.inner.search_all.get() {
            Some(all)
                if store.scope().sees_everything()
                    && self
                        .inner
                        .private_live
                        .load(std::sync::atomic::Ordering::Acquire) =>
            {
                all
            }
            _ => &self.inner.search,
        }
    }

    /// Runs `f` with a follower's own connection (`slot`), opening it on
    /// first use; with no way to open one, with the shared store.
    fn with_own<T>(
        &self,
        slot: &Mutex<Option<SharedStore>>,
        f: impl FnOnce(&dyn Store) -> Result<T, WebError>,
    ) -> Result<T, WebError> {
        let Some(open) = self.inner.opener.get() else {
            let store = self
                .inner
                .store
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            return f(store.as_ref());
        };
        let mut own = slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let store = match own.take() {
            Some(s) => s,
            None => open()?,
        };
        let out = f(store.as_ref());
        *own = Some(store);
        out
    }

    /// How long a client may take to send a request's headers, and then
    /// its body: a slow client is cut off (408) rather than holding a
    /// connection open.
    pub fn with_client_timeout(self, timeout: std::time::Duration) -> Self {
        self.inner.client_timeout_ms.store(
            u64::try_from(timeout.as_millis())
                .unwrap_or(u64::MAX)
                .max(1),
            std::sync::atomic::Ordering::Relaxed,
        );
        self
    }

    fn client_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_millis(
            self.inner
                .client_timeout_ms
                .load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    /// Session cookies carry `Secure` (browsers send them over HTTPS only):
    /// for a server behind TLS.
    pub fn with_secure_cookies(self) -> Self {
        self.inner
            .secure_cookies
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self
    }

    /// Lets archiving fetch loopback and private addresses (a server on
    /// a private network, or a test): off by default, so an editor's form
    /// cannot make the server reach into the network it runs in.
    pub fn with_archive_private(self) -> Self {
        self.inner
            .archive_private
            .store(true, std::sync::atomic::Ordering::Relaxed);
        self
    }

    fn archive_private(&self) -> bool {
        self.inner
            .archive_private
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// This server's writes so far.
    fn writes(&self) -> u64 {
        self.inner.writes.load(std::sync::atomic::Ordering::Acquire)
    }

    fn secure_flag(&self) -> &'static str {
        if self
            .inner
            .secure_cookies
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            "; Secure"
        } else {
            ""
        }
    }

    /// Runs `f` with a writer to the store, on a blocking thread: under
    /// this request's reader's scope (what anyone may see, outside a
    /// request).
    async fn with_mut<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Writer<'_>, &SearchIndex) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let state = self.clone();
        let scope = auth::SCOPE.try_with(Clone::clone).ok();
        tokio::task::spawn_blocking(move || {
            let mut store = state
                .inner
                .store
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let scope = match scope {
                Some(s) => s,
                None => state.public_scope()?,
            };
            let done = f(&mut store.writer(&scope), &state.inner.search);
            // Counted whether or not it wrote: a failed write may have
            // changed what a store keeps, too.
            state
                .inner
                .writes
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            done
        })
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
    }

    /// Runs `f` on a blocking thread with a connection for reading: one of
    /// the read connections when the server can open them (waiting for
    /// one to be free), else the one store.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&AppState, &dyn Store) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let state = self.clone();
        let permit = match self.inner.opener.get() {
            Some(_) => Some(
                self.inner
                    .reading
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|e| WebError::Internal(e.to_string()))?,
            ),
            None => None,
        };
        tokio::task::spawn_blocking(move || {
            let Some(open) = state.inner.opener.get().filter(|_| permit.is_some()) else {
                let store = state
                    .inner
                    .store
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                return f(&state, store.as_ref());
            };
            let seen = state
                .inner
                .writes
                .load(std::sync::atomic::Ordering::Acquire);
            let kept = {
                let mut pool = state
                    .inner
                    .readers
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                // Connections from before this server's last write go.
                pool.retain(|(w, _)| *w == seen);
                pool.pop()
            };
            let store = match kept {
                Some((_, s)) => s,
                None => open()?,
            };
            let out = f(&state, store.as_ref());
            if state
                .inner
                .writes
                .load(std::sync::atomic::Ordering::Acquire)
                == seen
            {
                state
                    .inner
                    .readers
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((seen, store));
            }
            drop(permit);
            out
        })
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
    }

    /// Runs `f` with the store's accounts only (sessions, tokens,
    /// collections), on a blocking thread: no statement is read, so no
    /// reader's scope is worked out first. Every request's identification
    /// goes through here.
    async fn with_accounts<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn dossier_store::Accounts) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        self.read(move |_, store| f(store)).await
    }

    /// Runs `f` with a reader of the store and the index, on a blocking
    /// thread: under this request's reader's scope (what anyone may see,
    /// outside a request).
    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Reader<'_>, &SearchIndex) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let scope = auth::SCOPE.try_with(Clone::clone).ok();
        self.read(move |state, store| {
            let scope = match scope {
                Some(s) => s,
                None => state.public_scope()?,
            };
            let store = store.reader(&scope);
            let store = &store;
            let index = state.index_for(store);
            // One snapshot for everything the answer reads.
            let began = store.begin_read()?;
            let answer = f(store, index);
            if began {
                store.end_read()?;
            }
            answer
        })
        .await
    }

    /// The analysis graph, built from the store on first use; the server's
    /// follower rebuilds it when the store changes (`refresh_graph`).
    fn graph(&self, store: &Reader<'_>) -> Result<Arc<dossier_graph::analysis::Graph>, WebError> {
        if let Some((_, g)) = self
            .inner
            .graph
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            return Ok(g.clone());
        }
        let version = store.version()?;
        // One graph serves every reader: made of what anyone may see.
        let ties = dossier_views::tie_set(&store.rescoped(&self.public_scope()?))?;
        let g = Arc::new(ties.graph());
        *self
            .inner
            .graph
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((version, g.clone()));
        Ok(g)
    }

    /// Labels of entities, kept from request to request, apart for each
    /// set of hidden collections (a label read by one reader is never
    /// shown to another who may see less).
    fn labels(&self, store: &Reader<'_>) -> Arc<dossier_views::cache::Labels> {
        self.inner
            .labels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(store.scope().clone())
            .or_default()
            .clone()
    }

    fn forget_labels(&self) {
        self.inner
            .labels
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }

    /// Makes the analysis graph again (and forgets kept labels) when the
    /// store changed since it was made: the ties of the entities changed
    /// since are read again, every tie only when the store cannot list the
    /// changes. Pages are served from the old graph meanwhile.
    pub fn refresh_graph(&self) -> Result<bool, WebError> {
        let mut kept = self
            .inner
            .ties
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let moved = self.with_own(&self.inner.graph_store, |store| {
            // One graph serves every reader: made of what anyone may see.
            let public = dossier_auth::public_scope(store).map_err(internal)?;
            follow_ties(&store.reader(&public), &mut kept)
        })?;
        let (Some(version), Some(ties)) = (moved, kept.as_ref()) else {
            return Ok(false);
        };
        self.forget_labels();
        let g = Arc::new(ties.set.graph());
        *self
            .inner
            .graph
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((version, g));
        // Pages made from the old graph are made again.
        self.inner.pages.forget();
        Ok(true)
    }

    /// Brings the search index up to the store after a write here or
    /// elsewhere (an import, another server): only what changed since the
    /// index's mark is indexed again. Returns what it did.
    pub fn refresh_index(&self) -> Result<dossier_search::Followed, WebError> {
        self.with_own(&self.inner.index_store, |store| {
            // The version first: the index follows at least that far, so
            // pages kept for it show search results as of it.
            let version = store.version()?;
            // The shared index: made of what anyone may see.
            let public = dossier_auth::public_scope(store).map_err(internal)?;
            let done = self.inner.search.follow(&store.reader(&public))?;
            let private = !public.sees_everything();
            *self
                .inner
                .public
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(public);
            // The index of everything, while anything is private.
            if let Some(all) = self.inner.search_all.get() {
                if private {
                    all.follow(&store.reader(&Scope::everything()))?;
                }
                self.inner
                    .private_live
                    .store(private, std::sync::atomic::Ordering::Release);
            }
            self.inner.pages.saw(version);
            Ok(done)
        })
    }
}

/// Brings the kept ties up to the store; the store's version when they
/// moved, `None` when nothing changed.
fn follow_ties(store: &Reader<'_>, kept: &mut Option<Ties>) -> Result<Option<i64>, WebError> {
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
            for id in ids {
                let ties = store
                    .entity(&id)?
                    .map(|e| dossier_views::ties_of(&e))
                    .unwrap_or_default();
                k.set.set(&id, &ties);
            }
            k.mark = now;
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
    Ok(Some(now.version))
}

fn internal(e: impl std::fmt::Display) -> WebError {
    WebError::Internal(e.to_string())
}

impl AppState {
    /// What anyone may see, as of the last time the collections were read.
    fn public_scope(&self) -> Result<Scope, WebError> {
        self.inner
            .public
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .ok_or_else(|| internal("the collections could not be read"))
    }
}

/// What a request can run into.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page or entity.
    #[error("{0}")]
    NotFound(String),
    /// A parameter is malformed or out of range; the message says which.
    #[error("{0}")]
    BadRequest(String),
    /// The store or index failed.
    #[error("{0}")]
    Internal(String),
    /// The request may not do this (a form without its token, a decision
    /// on a server that records none).
    #[error("{0}")]
    Forbidden(String),
    /// The request clashes with what is recorded (a "same" between
    /// entities judged apart).
    #[error("{0}")]
    Conflict(String),
    /// A form's field is missing or wrong: which field, and why. The form
    /// is shown again with what was typed and the field marked.
    #[error("{message}")]
    Invalid { field: String, message: String },
}

impl WebError {
    /// A form's field is missing or wrong.
    pub(crate) fn invalid(field: &str, message: impl Into<String>) -> WebError {
        WebError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl From<dossier_store::StoreError> for WebError {
    fn from(e: dossier_store::StoreError) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<dossier_search::SearchError> for WebError {
    fn from(e: dossier_search::SearchError) -> Self {
        match e {
            dossier_search::SearchError::BadQuery(m) => WebError::BadRequest(m),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl WebError {
    fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Invalid { .. } => StatusCode::BAD_REQUEST,
        }
    }
}

/// How a response is wanted: an HTML page or its JSON twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Html,
    Json,
}

/// An error as HTML or JSON.
pub(crate) struct Failure(pub WebError, pub Want);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = self.0.status();
        // A message may quote the input: never at the input's size.
        let message = dossier_views::bounded_message(&self.0.to_string());
        match self.1 {
            Want::Json => (status, axum::Json(api::ErrorWire { error: message })).into_response(),
            Want::Html => (status, views::error_page(status, &message)).into_response(),
        }
    }
}

/// Splits a `.json` suffix off a path segment.
pub(crate) fn twin(id: &str) -> (&str, Want) {
    match id.strip_suffix(".json") {
        Some(base) => (base, Want::Json),
        None => (id, Want::Html),
    }
}

async fn not_found() -> Response {
    Failure(
        WebError::NotFound("There is no page at this address.".into()),
        Want::Html,
    )
    .into_response()
}

/// How often a server asks whether the store changed: another process (an
/// import) or another server on the same PostgreSQL. A change shows in
/// this server's pages and search within about this long (plus the time
/// to bring the index up to date).
pub(crate) const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

pub use server::serve;

/// The application's routes: pages, their JSON twins, the API, assets.
pub fn router(state: AppState) -> Router {
    // Answers that depend on nothing of the reader's but what they may
    // see: kept for signed-in readers too (`pagecache::serve_scoped`).
    // A route that reads the visitor (forms, history with its buttons,
    // review) does not belong here.
    let shared = Router::new()
        .route("/", get(pages::home))
        .route("/index.json", get(pages::home_json))
        .route("/search", get(pages::search))
        .route("/search.json", get(pages::search_json))
        .route("/search.csv", get(pages::export::search_csv))
        .route("/browse", get(pages::browse))
        .route("/changes", get(pages::changes))
        .route("/changes.json", get(pages::changes_json))
        .route("/search.ftm.json", get(pages::export::search_ftm))
        .route("/entities/{id}", get(pages::entity))
        .route("/entities/{id}/connections", get(pages::connections))
        .route(
            "/entities/{id}/connections.json",
            get(pages::connections_json),
        )
        .route("/entities/{id}/export.csv", get(pages::export::csv))
        .route("/entities/{id}/export.ftm.json", get(pages::export::ftm))
        .route("/entities/{id}/export.gexf", get(pages::export::gexf))
        .route("/networks/{id}", get(pages::network))
        .route("/networks/{id}/interlocks", get(pages::interlocks))
        .route(
            "/networks/{id}/interlocks.json",
            get(pages::interlocks_json),
        )
        .route("/path", get(pages::path))
        .route("/archive/{sha256}", get(pages::archived))
        .route("/archive/{sha256}/text", get(pages::archived_text_page))
        .merge(api::routes())
        .route_layer(axum::middleware::map_response(pagecache::shared));
    Router::new()
        .merge(shared)
        .route("/entities/{id}/history", get(edit::history))
        .route("/entities/{id}/history.json", get(edit::history_json))
        .route(
            "/entities/{id}/edit",
            get(edit::edit_form).post(edit::save_edit),
        )
        .route("/entities/{id}/revert", axum::routing::post(edit::revert))
        .route("/entities/{id}/delete", axum::routing::post(edit::delete))
        .route("/entities/{id}/redact", axum::routing::post(edit::redact))
        .route(
            "/entities/{id}/relationships/new",
            get(edit::relationship_form),
        )
        .route(
            "/entities/{id}/relationships",
            axum::routing::post(edit::save_relationship),
        )
        .route("/entities/{id}/claims/new", get(edit::claim_form))
        .route(
            "/entities/{id}/claims",
            axum::routing::post(edit::save_claim),
        )
        .route("/new/{kind}", get(edit::new_form).post(edit::save_new))
        .route("/review", get(review::list))
        .route("/review.json", get(review::list_json))
        .route("/review/{a}/{b}", get(review::pair).post(review::decide))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", axum::routing::post(auth::logout))
        .route("/admin", get(admin::admin))
        .route("/admin.json", get(admin::admin_json))
        .route(
            "/admin/collections",
            axum::routing::post(admin::set_collection),
        )
        .route("/admin/unlock", axum::routing::post(admin::unlock))
        .route("/admin/accounts", axum::routing::post(admin::set_account))
        .route(
            "/quotations/{id}/origin",
            get(origin::form).post(origin::give),
        )
        .route("/static/style.css", get(assets::style))
        .route("/static/app.js", get(assets::script))
        .route("/static/cytoscape.min.js", get(assets::cytoscape))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            follow_merges,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pagecache::serve_scoped,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::identify,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pagecache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            server::bounded_body,
        ))
        // Before anything reads a form: forms sent from another site stop here.
        .layer(axum::middleware::from_fn(headers::same_origin))
        // Outermost: kept pages get them too.
        .layer(axum::middleware::map_response(headers::security_headers))
        .with_state(state)
}

/// Addresses that name an entity in their path, up to the id.
const ENTITY_PATHS: [&str; 4] = [
    "/entities/",
    "/networks/",
    "/api/v1/entities/",
    "/api/v1/networks/",
];

/// Sends a request for an entity merged into another to the same address
/// of the entity it is part of (temporarily: a merge can be undone). Only
/// answers that were "not found" are looked at, so other requests pay
/// nothing.
async fn follow_merges(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let uri = request.uri().clone();
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let path = uri.path();
    let Some((prefix, rest)) = ENTITY_PATHS
        .iter()
        .find_map(|p| path.strip_prefix(p).map(|rest| (*p, rest)))
    else {
        return response;
    };
    let (segment, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (id, json) = twin(segment);
    if id.is_empty() || id.contains('%') {
        return response;
    }
    let lookup = id.to_string();
    match state
        .with(move |store, _| Ok(store.canonical_of(&lookup)?))
        .await
    {
        Ok(Some(canonical)) => {
            let suffix = if json == Want::Json { ".json" } else { "" };
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            axum::response::Redirect::temporary(&format!(
                "{prefix}{canonical}{suffix}{tail}{query}"
            ))
            .into_response()
        }
        _ => response,
    }
}

pub(crate) use axum::Json as JsonBody;
