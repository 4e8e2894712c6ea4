//! Pages kept until what they were made of changes: a page read by many
//! (a well-known organization's profile, the search everyone makes) is
//! rendered once, then sent as it was, without the store being asked
//! again.
//!
//! Two layers keep pages, and only answers of 200 to GET requests that set
//! no cookie, outside sign-in, administration, review and the static
//! assets:
//!
//! - [`serve`], before anyone is identified, for visitors who are not
//!   signed in (no session cookie, no API token): one page per address.
//! - [`serve_scoped`], after [`crate::auth::identify`], for signed-in
//!   readers: one page per address, set of collections hidden from the
//!   reader, and account (the header names who is signed in, and editors
//!   see ways to edit), so the sessions of one account share it. Only
//!   answers of the routes marked [`Shared`] are kept there: those that
//!   depend on nothing of the reader's but what they may see and who they
//!   are (no form with the session's token).
//!
//! Each page keeps what it was made of. A route marked [`Precise`] (an
//! entity's page, its exports, its API answers, and what the analysis
//! graph says near it: its connections, neighbours, a network's drawing
//! and interlocks, a path between two) is rendered with a [`Ledger`] in [`LEDGER`], which
//! every store read of the page notes its entities in (`AppState::with`),
//! and a read of the graph the entities whose ties decide it; any other
//! page, and a precise one that read a list, depends on everything. A
//! search's page (a route marked [`checked_route`]) is also made of the
//! search index, which names no entity: after a change it is checked
//! again rather than dropped ([`recheck`]). When the store changes, the
//! followers hand the change ([`dossier_store::Changes`]: the entities
//! whose statements changed and those such statements point at) to
//! [`Pages::changed`], which drops the pages that depend on everything or
//! on one of those entities; a change that touches every read (a
//! redaction, who may read what, a merge) drops every page. A page whose
//! rendering straddled a change is not kept. A request that says
//! `Cache-Control: no-cache` (a browser's hard reload) is rendered anew,
//! and the new page kept. Pages are evicted by size, most recently and
//! frequently used kept.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use dossier_store::{Changes, Deps, Follow, Ledger};

use crate::AppState;

mod recheck;

pub(crate) use recheck::{checked_route, fingerprint, unchanged, Recheck};
use recheck::{Checked, Unchanged};

tokio::task_local! {
    /// Where the store reads of a page being kept note what they read.
    pub(crate) static LEDGER: Arc<Ledger>;
    /// What a [`checked_route`]'s handler says its answer was made of,
    /// and the kept page's, when it is being checked.
    pub(crate) static RECHECK: Arc<Recheck>;
}

/// How many bytes of pages are kept.
const CAPACITY: u64 = 64 << 20;

/// The largest page kept.
const LARGEST: usize = 4 << 20;

/// The header a kept page is sent with.
pub const KEPT: (&str, &str) = ("x-dossier-page", "kept");

/// Paths never kept.
const NEVER: [&str; 5] = ["/login", "/logout", "/admin", "/review", "/static/"];

#[derive(Clone)]
struct ByBytes;

impl quick_cache::Weighter<String, Arc<Page>> for ByBytes {
    fn weight(&self, key: &String, page: &Arc<Page>) -> u64 {
        let deps = page.deps.as_ref().map_or(0, |d| d.len() * 8);
        (key.len() + page.body.len() + deps + 256) as u64
    }
}

struct Page {
    /// Hashes of the entities the page was made of (sorted); `None` for
    /// a page that depends on everything.
    deps: Option<Box<[u64]>>,
    headers: HeaderMap,
    body: Bytes,
    /// For a page of a [`checked_route`], what its handler said the page
    /// was made of besides the store (`recheck`).
    check: Option<u64>,
    /// The generation of the pages at which the page was last known to be
    /// what its handler would make: a checked page is checked again once
    /// the generation moves on.
    checked: AtomicU64,
}

impl Page {
    /// Whether the page may read otherwise now that these entities
    /// (hashed, see [`hash`]) changed.
    fn stale(&self, changed: &[u64]) -> bool {
        match &self.deps {
            None => true,
            Some(deps) => changed.iter().any(|c| deps.binary_search(c).is_ok()),
        }
    }
}

/// An entity id as kept with a page: two ids with one hash only drop a
/// page that did not need to go.
fn hash(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(id)
}

/// The kept pages, and how far they have followed the store.
pub(crate) struct Pages {
    kept: quick_cache::sync::Cache<String, Arc<Page>, ByBytes>,
    /// The store's version as this server last saw it; -1 before it has
    /// (and no page is kept until it has).
    version: AtomicI64,
    /// Moves on with every change handed to [`Pages::changed`]: a page
    /// rendered while it moved is not kept.
    generation: AtomicU64,
    /// Held to keep a page (shared) and to drop pages (alone), so no page
    /// rendered before a change is kept after the change dropped its
    /// like.
    dropping: RwLock<()>,
    /// Where in the store's log [`Pages::follow`] last looked.
    mark: std::sync::Mutex<Option<dossier_store::Mark>>,
}

/// How many changed entities are looked for among the pages' own; past
/// that every page goes.
const FOLLOW_LIMIT: usize = 10_000;

impl Pages {
    pub(crate) fn new() -> Self {
        Pages {
            kept: quick_cache::sync::Cache::with_weighter(4096, CAPACITY, ByBytes),
            version: AtomicI64::new(-1),
            generation: AtomicU64::new(0),
            dropping: RwLock::new(()),
            mark: std::sync::Mutex::new(None),
        }
    }

    /// The store is at `version` now, and `changes` are what changed
    /// since the last call (every page was made before the first): the
    /// pages made of what changed are dropped.
    pub(crate) fn changed(&self, version: i64, changes: &Changes) {
        let _alone = crate::held::write(&self.dropping);
        self.generation.fetch_add(1, Ordering::AcqRel);
        // Two followers hand changes in; the version only moves on.
        let first = self.version.fetch_max(version, Ordering::AcqRel) < 0;
        match changes {
            Changes::Entities { changed, merged } if !first && merged.is_empty() => {
                if changed.is_empty() {
                    return;
                }
                let mut changed: Vec<u64> = changed.iter().map(|id| hash(id)).collect();
                changed.sort_unstable();
                self.kept.retain(|_, page| !page.stale(&changed));
            }
            _ => self.kept.clear(),
        }
    }

    /// Drops the pages made of what changed in `store` since the last
    /// call (every page, the first time). `seen` is where the log was
    /// when what pages are made from (the search index) began to follow
    /// it, read before it did: the next call looks again from there, so a
    /// change that came in while the index followed, and a page made from
    /// the index before it caught up, are dropped then.
    pub(crate) fn follow(
        &self,
        store: &dyn Follow,
        seen: dossier_store::Mark,
    ) -> Result<(), crate::WebError> {
        let mut last = crate::held::lock(&self.mark);
        let changes = match last.as_ref() {
            Some(m) if *m == seen && store.mark()? == seen => return Ok(()),
            Some(m) => store.changed_since(m, FOLLOW_LIMIT)?,
            None => Changes::Everything,
        };
        self.changed(seen.version, &changes);
        *last = Some(seen);
        Ok(())
    }

    /// The store's version as this server last saw it; -1 before it has.
    pub(crate) fn version(&self) -> i64 {
        self.version.load(Ordering::Acquire)
    }

    /// How many pages are kept now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.kept.len()
    }

    /// Keeps `page` unless a change came between `generation` (read
    /// before it was rendered) and now.
    fn keep(&self, generation: u64, key: String, page: Page) {
        let _shared = crate::held::read(&self.dropping);
        if self.generation.load(Ordering::Acquire) == generation {
            self.kept.insert(key, Arc::new(page));
        }
    }

    /// The page kept under `key`, else the page rendered, kept when it
    /// may be (and, with `shared_only`, when its route marked it
    /// [`Shared`]).
    async fn answer(
        &self,
        key: String,
        request: Request,
        next: Next,
        shared_only: bool,
    ) -> Response {
        // Read before rendering: a change while the page is made is seen.
        let generation = self.generation.load(Ordering::Acquire);
        let following = self.version.load(Ordering::Acquire) >= 0;
        // A kept page of a checked route from before the last change: its
        // handler says whether it still is what it would make.
        let mut checking: Option<Arc<Page>> = None;
        if following && !fresh_wanted(request.headers()) {
            if let Some(page) = self.kept.get(&key) {
                match page.check {
                    Some(_) if page.checked.load(Ordering::Acquire) != generation => {
                        checking = Some(page)
                    }
                    _ => return sent(&page),
                }
            }
        }
        let ledger = Arc::new(Ledger::new());
        let recheck = Arc::new(Recheck::new(checking.as_ref().and_then(|p| p.check)));
        let response = LEDGER
            .scope(
                ledger.clone(),
                RECHECK.scope(recheck.clone(), next.run(request)),
            )
            .await;
        if response.extensions().get::<Unchanged>().is_some() {
            return match checking {
                Some(page) => {
                    page.checked.fetch_max(generation, Ordering::AcqRel);
                    sent(&page)
                }
                // A handler says so only when given a kept page's
                // fingerprint.
                None => crate::Failure(
                    crate::WebError::Internal("a page unchanged from none kept".into()),
                    crate::Want::Html,
                )
                .into_response(),
            };
        }
        if !following
            || response.status() != StatusCode::OK
            || response.headers().contains_key(header::SET_COOKIE)
            || (shared_only && response.extensions().get::<Shared>().is_none())
        {
            return response;
        }
        let deps = match (response.extensions().get::<Precise>(), ledger.deps()) {
            (Some(_), Deps::Entities(ids)) => {
                let mut hashes: Vec<u64> = ids.iter().map(|id| hash(id)).collect();
                hashes.sort_unstable();
                hashes.dedup();
                Some(hashes.into_boxed_slice())
            }
            _ => None,
        };
        // A checked route's page is kept only with what its handler said it
        // was made of; without, it is made again each time.
        let check = match response.extensions().get::<Checked>() {
            Some(_) if recheck.made().is_none() => return response,
            Some(_) => recheck.made(),
            None => None,
        };
        let (parts, body) = response.into_parts();
        // Pages are rendered whole in memory: reading one back costs a copy.
        match axum::body::to_bytes(body, usize::MAX).await {
            Ok(body) => {
                if body.len() <= LARGEST {
                    let page = Page {
                        deps,
                        headers: parts.headers.clone(),
                        body: body.clone(),
                        check,
                        checked: AtomicU64::new(generation),
                    };
                    self.keep(generation, key, page);
                }
                Response::from_parts(parts, Body::from(body))
            }
            Err(e) => crate::Failure(
                crate::WebError::Internal(format!("the page could not be read: {e}")),
                crate::Want::Html,
            )
            .into_response(),
        }
    }
}

/// A kept page as sent.
fn sent(page: &Page) -> Response {
    let mut response = Response::new(Body::from(page.body.clone()));
    *response.headers_mut() = page.headers.clone();
    response
        .headers_mut()
        .insert(KEPT.0, header::HeaderValue::from_static(KEPT.1));
    response
}

/// Marks an answer that depends on nothing of the reader's but the
/// collections hidden from them: [`serve_scoped`] keeps it for every
/// signed-in reader who may see the same. Set by the routes' layer
/// ([`shared`]), so a route is kept only when the router says so.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shared;

/// The layer of the routes whose answers are [`Shared`].
pub(crate) async fn shared(mut response: Response) -> Response {
    response.extensions_mut().insert(Shared);
    response
}

/// Marks an answer made only of what its store reads noted (an entity's
/// page, its exports and API answers), and of the analysis graph around
/// an entity, which it names with `Read::depends_on` (the entities whose
/// ties decide it: its neighbours, its network's drawing and
/// interlocks, the nodes a path's search looked at): kept until one of
/// those entities changes, not until anything does. A route whose answer
/// reads the search index or a list does not belong here, unless it says
/// so when it does (`Read::depends_on_everything`, as the path page does
/// for a name it looks up); a read of a list through the store makes the
/// answer depend on everything anyway.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Precise;

/// The layer of the routes whose answers are [`Precise`].
pub(crate) async fn precise(mut response: Response) -> Response {
    response.extensions_mut().insert(Precise);
    response
}

/// A route's handler, marked [`Precise`].
pub(crate) fn precise_route<S: Clone + Send + Sync + 'static>(
    route: axum::routing::MethodRouter<S>,
) -> axum::routing::MethodRouter<S> {
    route.layer(axum::middleware::map_response(precise))
}

/// Whether the request asks for a page made now (`Cache-Control:
/// no-cache`, or the older `Pragma: no-cache`), not a kept one.
fn fresh_wanted(headers: &HeaderMap) -> bool {
    [header::CACHE_CONTROL, header::PRAGMA].iter().any(|name| {
        headers.get_all(name).iter().any(|v| {
            v.to_str().is_ok_and(|v| {
                v.split(',')
                    .any(|d| d.trim().eq_ignore_ascii_case("no-cache"))
            })
        })
    })
}

fn anonymous(request: &Request) -> bool {
    let headers = request.headers();
    !headers.contains_key(header::AUTHORIZATION)
        && !headers
            .get_all(header::COOKIE)
            .iter()
            .any(|c| c.to_str().map_or(true, |c| c.contains(crate::auth::COOKIE)))
}

/// Whether the request is one no layer keeps.
fn never(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() != Method::GET || NEVER.iter().any(|p| path.starts_with(p))
}

/// The layer for visitors who are not signed in: a kept page if there is
/// one for this version, else the page rendered (and kept when it may be).
pub(crate) async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if never(&request) || !anonymous(&request) {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    state
        .inner
        .derived
        .pages
        .answer(key, request, next, false)
        .await
}

/// The layer for signed-in readers, inside `identify`: pages of [`Shared`]
/// routes, kept per set of collections hidden from the reader.
pub(crate) async fn serve_scoped(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if never(&request) || anonymous(&request) {
        return next.run(request).await;
    }
    let Ok(hidden) = crate::auth::SCOPE.try_with(Clone::clone) else {
        return next.run(request).await;
    };
    let who = crate::auth::Who::now();
    let key = scoped_key(hidden.hidden(), &who, &request.uri().to_string());
    state
        .inner
        .derived
        .pages
        .answer(key, request, next, true)
        .await
}

/// The key of a signed-in reader's page: the hidden collections (sorted,
/// each with its length, so no two sets read alike), the account and its
/// role (likewise), then the address. It starts with a byte no address
/// starts with, so it never meets the key of a visitor's page.
fn scoped_key(hidden: &[String], who: &crate::auth::Who, uri: &str) -> String {
    let mut sorted: Vec<&String> = hidden.iter().collect();
    sorted.sort();
    let mut key = String::from("\u{0}");
    for name in sorted {
        key.push_str(&format!("{}:{name}", name.len()));
    }
    let name = who.name.as_deref().unwrap_or("");
    let role = who.role.map_or("", |r| r.as_str());
    key.push_str(&format!("|{}:{name}{}:{role}", name.len(), role.len()));
    key.push(' ');
    key.push_str(uri);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_scopes_never_meet() {
        let nobody = crate::auth::Who::default();
        let key = |h: &[&str], uri: &str| {
            scoped_key(
                &h.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                &nobody,
                uri,
            )
        };
        assert_eq!(key(&["b", "a"], "/x"), key(&["a", "b"], "/x"));
        assert_ne!(key(&["a", "b"], "/x"), key(&["ab"], "/x"));
        assert_ne!(key(&["a b"], "/x"), key(&["a"], "b /x"));
        assert_ne!(key(&[], "/x"), key(&["x"], "/x"));
        assert!(!key(&[], "/x").starts_with('/'));
        let who = |name: &str, role| crate::auth::Who {
            name: Some(name.to_string()),
            role: Some(role),
        };
        use dossier_store::Role;
        let hidden: Vec<String> = Vec::new();
        assert_ne!(
            scoped_key(&hidden, &who("ann", Role::Viewer), "/x"),
            scoped_key(&hidden, &who("bob", Role::Viewer), "/x")
        );
        assert_ne!(
            scoped_key(&hidden, &who("ann", Role::Viewer), "/x"),
            scoped_key(&hidden, &who("ann", Role::Editor), "/x")
        );
        assert_ne!(
            scoped_key(&hidden, &who("a1", Role::Viewer), "/x"),
            scoped_key(&hidden, &who("a", Role::Viewer), "1/x")
        );
    }

    fn page(deps: Option<&[&str]>) -> Page {
        Page {
            deps: deps.map(|d| {
                let mut h: Vec<u64> = d.iter().map(|id| hash(id)).collect();
                h.sort_unstable();
                h.into_boxed_slice()
            }),
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"page"),
            check: None,
            checked: AtomicU64::new(0),
        }
    }

    fn changed(ids: &[&str]) -> Changes {
        Changes::Entities {
            changed: ids.iter().map(|s| s.to_string()).collect(),
            merged: Vec::new(),
        }
    }

    #[test]
    fn a_change_drops_the_pages_made_of_it_and_every_list() {
        let pages = Pages::new();
        pages.changed(5, &changed(&["a"]));
        assert_eq!(pages.version(), 5, "the first change starts following");
        let g = pages.generation.load(Ordering::Acquire);
        pages.keep(g, "/a".into(), page(Some(&["a", "m"])));
        pages.keep(g, "/b".into(), page(Some(&["b"])));
        pages.keep(g, "/search".into(), page(None));
        assert_eq!(pages.len(), 3);
        pages.changed(6, &changed(&["m", "zz"]));
        assert!(pages.kept.get("/a").is_none(), "made of m");
        assert!(pages.kept.get("/search").is_none(), "a list");
        assert!(pages.kept.get("/b").is_some());
        // An older follower's version does not move it back.
        pages.changed(4, &changed(&[]));
        assert_eq!(pages.version(), 6);
        // A merge, or a change no list describes: every page goes.
        let g = pages.generation.load(Ordering::Acquire);
        pages.keep(g, "/a".into(), page(Some(&["a"])));
        pages.changed(
            7,
            &Changes::Entities {
                changed: vec!["q".into()],
                merged: vec!["q".into()],
            },
        );
        assert_eq!(pages.len(), 0);
        let g = pages.generation.load(Ordering::Acquire);
        pages.keep(g, "/b".into(), page(Some(&["b"])));
        pages.changed(8, &Changes::Everything);
        assert_eq!(pages.len(), 0);
    }

    #[test]
    fn a_page_rendered_across_a_change_is_not_kept() {
        let pages = Pages::new();
        pages.changed(1, &Changes::Everything);
        let before = pages.generation.load(Ordering::Acquire);
        // The page was being made when "x" changed: it may show either.
        pages.changed(2, &changed(&["x"]));
        pages.keep(before, "/p".into(), page(Some(&["unrelated"])));
        assert_eq!(pages.len(), 0);
        // Nor is a page kept before the server first followed the store.
        let fresh = Pages::new();
        assert_eq!(fresh.version(), -1);
    }

    /// A change that comes in while the index follows the store: a page
    /// made from the index before it caught up is dropped at the next
    /// follow, though the pages had already looked at that change.
    #[test]
    fn a_change_during_the_index_follow_is_looked_at_again() {
        use dossier_store::{SqliteStore, Write};
        let mut store = SqliteStore::in_memory().unwrap();
        let prov = dossier_model::Provenance {
            dataset: "demo".into(),
            source: String::new(),
            user: "test".into(),
            origin: None,
            now: "2026-01-01T00:00:00".into(),
        };
        let pages = Pages::new();
        let before = store.mark().unwrap();
        pages.follow(&store, before).unwrap();
        // The index began to follow at `before`; the import lands meanwhile.
        store
            .apply(&[dossier_demo::batch().unwrap()], &prov)
            .unwrap();
        pages.follow(&store, before).unwrap();
        // A search made from the index before it had the import, kept.
        let g = pages.generation.load(Ordering::Acquire);
        pages.keep(g, "/search?q=x".into(), page(None));
        assert_eq!(pages.len(), 1);
        // The next follow starts from `before` again: the page goes.
        let after = store.mark().unwrap();
        pages.follow(&store, after).unwrap();
        assert_eq!(pages.len(), 0);
        // Nothing new: nothing dropped.
        let g = pages.generation.load(Ordering::Acquire);
        pages.keep(g, "/search?q=y".into(), page(None));
        pages.follow(&store, after).unwrap();
        assert_eq!(pages.len(), 1);
    }

    #[test]
    fn no_cache_is_read_from_either_header() {
        let headers = |pairs: &[(header::HeaderName, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.append(k, header::HeaderValue::from_str(v).unwrap());
            }
            h
        };
        assert!(fresh_wanted(&headers(&[(
            header::CACHE_CONTROL,
            "no-cache"
        )])));
        assert!(fresh_wanted(&headers(&[(
            header::CACHE_CONTROL,
            "max-age=0, No-Cache"
        )])));
        assert!(fresh_wanted(&headers(&[(header::PRAGMA, "no-cache")])));
        assert!(!fresh_wanted(&headers(&[(
            header::CACHE_CONTROL,
            "max-age=0"
        )])));
        assert!(!fresh_wanted(&headers(&[])));
    }
}
