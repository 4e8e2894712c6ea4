//! Pages kept until the store changes: a page read by many (a well-known
//! organization's profile, the search everyone makes) is rendered once per
//! change of the store, then sent as it was, without the store being asked
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
//! Each page is stamped with the store's version as this server last saw
//! it before the page was rendered; when the version moves on (a write
//! here, the follower seeing another process's write, a change of who may
//! read what) the page is rendered again. A request that says
//! `Cache-Control: no-cache` (a browser's hard reload) is rendered anew,
//! and the new page kept. Pages are evicted by size, most recently and
//! frequently used kept.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

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
        (key.len() + page.body.len() + 256) as u64
    }
}

struct Page {
    version: i64,
    headers: HeaderMap,
    body: Bytes,
}

/// The kept pages and the store version they hold for.
pub(crate) struct Pages {
    kept: quick_cache::sync::Cache<String, Arc<Page>, ByBytes>,
    /// The store's version as this server last saw it; -1 before it has.
    version: AtomicI64,
}

impl Pages {
    pub(crate) fn new() -> Self {
        Pages {
            kept: quick_cache::sync::Cache::with_weighter(4096, CAPACITY, ByBytes),
            version: AtomicI64::new(-1),
        }
    }

    /// The store is at `version` now: pages of any other are stale.
    pub(crate) fn saw(&self, version: i64) {
        if self.version.swap(version, Ordering::AcqRel) != version {
            self.kept.clear();
        }
    }

    /// The store's version as this server last saw it; -1 before it has.
    pub(crate) fn version(&self) -> i64 {
        self.version.load(Ordering::Acquire)
    }

    /// Something pages are made from changed without the store's version
    /// moving (the analysis graph caught up): every page is made again.
    pub(crate) fn forget(&self) {
        self.kept.clear();
    }

    /// The page kept under `key` for the version now, else the page
    /// rendered, kept when it may be (and, with `shared_only`, when its
    /// route marked it [`Shared`]).
    async fn answer(
        &self,
        key: String,
        request: Request,
        next: Next,
        shared_only: bool,
    ) -> Response {
        // Read before rendering: a page is never stamped newer than its data.
        let version = self.version.load(Ordering::Acquire);
        if version >= 0 && !fresh_wanted(request.headers()) {
            if let Some(page) = self.kept.get(&key).filter(|p| p.version == version) {
                let mut response = Response::new(Body::from(page.body.clone()));
                *response.headers_mut() = page.headers.clone();
                response
                    .headers_mut()
                    .insert(KEPT.0, header::HeaderValue::from_static(KEPT.1));
                return response;
            }
        }
        let response = next.run(request).await;
        if version < 0
            || response.status() != StatusCode::OK
            || response.headers().contains_key(header::SET_COOKIE)
            || (shared_only && response.extensions().get::<Shared>().is_none())
        {
            return response;
        }
        let (parts, body) = response.into_parts();
        // Pages are rendered whole in memory: reading one back costs a copy.
        match axum::body::to_bytes(body, usize::MAX).await {
            Ok(body) => {
                if body.len() <= LARGEST {
                    self.kept.insert(
                        key,
                        Arc::new(Page {
                            version,
                            headers: parts.headers.clone(),
                            body: body.clone(),
                        }),
                    );
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
