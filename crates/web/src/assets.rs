//! The stylesheet and script every page links to, addressed by a tag of
//! their content (`/static/style.css?v=…`): a browser keeps them for a
//! year, and a new version of Dossier is a new address, never a stale copy.

use std::sync::LazyLock;

use axum::extract::Query;
use axum::http::header;
use axum::response::IntoResponse;

const STYLE: &str = include_str!("assets/style.css");
const SCRIPT: &str = include_str!("assets/app.js");

/// The interactive network view's library, vendored from the npm registry
/// at build time (see `build.rs`); none when the build had no copy.
#[cfg(vendored_cytoscape)]
pub(crate) const CYTOSCAPE: Option<&str> = Some(include_str!(env!("DOSSIER_CYTOSCAPE")));
#[cfg(not(vendored_cytoscape))]
pub(crate) const CYTOSCAPE: Option<&str> = None;

/// A tag of the assets' content: FNV-1a, 64 bits, in hex.
static TAG: LazyLock<String> = LazyLock::new(|| {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in STYLE
        .bytes()
        .chain(SCRIPT.bytes())
        .chain(CYTOSCAPE.unwrap_or("").bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
});

/// The stylesheet's address for this version.
pub(crate) fn style_href() -> String {
    format!("/static/style.css?v={}", *TAG)
}

/// The script's address for this version.
pub(crate) fn script_src() -> String {
    format!("/static/app.js?v={}", *TAG)
}

/// The network library's address for this version, when there is one.
pub(crate) fn cytoscape_src() -> Option<String> {
    CYTOSCAPE.map(|_| format!("/static/cytoscape.min.js?v={}", *TAG))
}

#[derive(serde::Deserialize)]
pub(crate) struct Version {
    v: Option<String>,
}

/// Kept a year when asked by this version's tag; otherwise checked anew.
fn cache_control(v: &Version) -> &'static str {
    if v.v.as_deref() == Some(TAG.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

pub(crate) async fn style(Query(v): Query<Version>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, cache_control(&v)),
        ],
        STYLE,
    )
}

pub(crate) async fn script(Query(v): Query<Version>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, cache_control(&v)),
        ],
        SCRIPT,
    )
}

pub(crate) async fn cytoscape(Query(v): Query<Version>) -> axum::response::Response {
    match CYTOSCAPE {
        Some(lib) => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, cache_control(&v)),
            ],
            lib,
        )
            .into_response(),
        None => crate::Failure(
            crate::WebError::NotFound(
                "This build has no network library (scripts/vendor installs it); the network pages draw on the server.".into(),
            ),
            crate::Want::Html,
        )
        .into_response(),
    }
}
