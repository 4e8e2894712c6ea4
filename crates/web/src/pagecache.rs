//! Pages as a visitor who is not signed in sees them, kept until the store
//! changes: a page read by many (a well-known organization's profile, the
//! search everyone makes) is rendered once per change of the store, then
//! sent as it was, without the store being asked again.
//!
//! What is kept: answers of 200 to GET requests without a session cookie or
//! an API token (signed-in pages carry the reader's name and form tokens,
//! and may show private collections), outside sign-in, administration,
//! review and the static assets; none that sets a cookie. Each page is
//! stamped with the store's version as this server last saw it before the
//! page was rendered; when the version moves on (a write here, or the
//! follower seeing another process's write) the page is rendered again.
//! Pages are evicted by size, most recently and frequently used kept.

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

    /// Something pages are made from changed without the store's version
    /// moving (the analysis graph caught up): every page is made again.
    pub(crate) fn forget(&self) {
        self.kept.clear();
    }
}

fn anonymous(request: &Request) -> bool {
    let headers = request.headers();
    !headers.contains_key(header::AUTHORIZATION)
        && !headers
            .get_all(header::COOKIE)
            .iter()
            .any(|c| c.to_str().map_or(true, |c| c.contains(crate::auth::COOKIE)))
}

/// The middleware: a kept page if there is one for this version, else the
/// page rendered (and kept when it may be).
pub(crate) async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let pages = &state.inner.pages;
    let path = request.uri().path();
    if request.method() != Method::GET
        || !anonymous(&request)
        || NEVER.iter().any(|p| path.starts_with(p))
    {
        return next.run(request).await;
    }
    let key = request.uri().to_string();
    // Read before rendering: a page is never stamped newer than its data.
    let version = pages.version.load(Ordering::Acquire);
    if version >= 0 {
        if let Some(page) = pages.kept.get(&key).filter(|p| p.version == version) {
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
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    // Pages are rendered whole in memory: reading one back costs a copy.
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => {
            if body.len() <= LARGEST {
                pages.kept.insert(
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
