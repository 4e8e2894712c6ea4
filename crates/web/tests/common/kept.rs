//! What the kept-page tests share: visiting a page as a visitor (and
//! whether it was sent as kept), keeping pages, an editor's edit.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use tower::ServiceExt;

use super::{form, send};

/// The page at `uri` for a visitor: whether it was sent as kept, and it.
pub async fn visit(router: &Router, uri: &str) -> (bool, String) {
    let (status, kept, page) = answer(router, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    (kept, page)
}

/// The answer at `uri`, whatever its status.
pub async fn answer(router: &Router, uri: &str) -> (StatusCode, bool, String) {
    let res = router
        .clone()
        .oneshot(Request::builder().uri(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let kept = res.headers().get("x-dossier-page").is_some();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, kept, String::from_utf8(bytes.to_vec()).unwrap())
}

/// Visits each page twice: the second visit is sent as kept.
pub async fn keep_all(router: &Router, uris: &[&str]) {
    for uri in uris {
        visit(router, uri).await;
        assert!(visit(router, uri).await.0, "{uri} is kept once rendered");
    }
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// Edits `id` as the editor signed in with `session` and its `csrf`
/// token: `fields` said by `source` for `reason`. The edit is taken.
pub async fn edit(
    router: &Router,
    (session, csrf): (&str, &str),
    id: &str,
    fields: &[(&str, &str)],
    (source, reason): (&str, &str),
) {
    let mut all = vec![("csrf", csrf)];
    all.extend_from_slice(fields);
    all.extend([("source", source), ("reason", reason)]);
    let r = send(
        router,
        "POST",
        &format!("/entities/{id}/edit"),
        session,
        Some(form(&all)),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

/// The page at `uri` made from the store now (`no-cache`).
pub async fn rendered(router: &Router, uri: String) -> String {
    let res = router
        .clone()
        .oneshot(
            Request::builder()
                .uri(&uri)
                .header(header::CACHE_CONTROL, "no-cache")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{uri}");
    assert!(res.headers().get("x-dossier-page").is_none(), "{uri}");
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The network's own names said again by its `source`: a first write, after
/// which the server follows the store (and keeps pages).
pub async fn first_write(router: &Router, editor: (&str, &str), network: &str, source: &str) {
    edit(
        router,
        editor,
        network,
        &[
            ("name", "Alliance for Middle East Peace"),
            ("abbreviation", "ALLMEP"),
            ("alias", "Middle East Peace Alliance"),
        ],
        (source, "their own site"),
    )
    .await;
}

/// A new organization called `name`, from its own site.
pub async fn new_organization(
    router: &Router,
    (session, csrf): (&str, &str),
    name: &str,
) -> String {
    let r = send(
        router,
        "POST",
        "/new/organization",
        session,
        Some(form(&[
            ("csrf", csrf),
            ("name", name),
            ("source_url", "https://example.org/new"),
            ("reason", "a new organization"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location.trim_start_matches("/entities/").to_string()
}
