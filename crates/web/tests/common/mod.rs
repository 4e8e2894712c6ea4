//! What the edit tests share: the demo in a store with an editor, a
//! viewer and an admin; requests with a cookie and a form; signing in.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use dossier_model::Provenance;
use dossier_search::SearchIndex;
use dossier_store::prelude::*;
use dossier_store::{Role, SqliteStore};
use tower::ServiceExt;

pub mod kept;

pub const PASSWORD: &str = "correct horse battery";

pub fn router() -> (Router, String, String) {
    router_with(false)
}

pub fn router_with(archive_private: bool) -> (Router, String, String) {
    let mut store = SqliteStore::in_memory().unwrap();
    let prov = Provenance {
        dataset: "demo".into(),
        source: String::new(),
        user: "importer".into(),
        origin: Some("demo".into()),
        now: "2026-01-01T00:00:00".into(),
    };
    let batch = dossier_demo::batch().unwrap();
    let source = batch.source.clone();
    store.apply(&[batch], &prov).unwrap();
    let allmep = dossier_views::find(&store, "ALLMEP").unwrap()[0].id.clone();
    for (name, role) in [
        ("ed", Role::Editor),
        ("vic", Role::Viewer),
        ("root", Role::Admin),
    ] {
        dossier_auth::add_account(&mut store, name, PASSWORD, role, "2026-01-01T00:00:00").unwrap();
    }
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    let mut state = dossier_web::AppState::new(Box::new(store), index);
    if archive_private {
        state = state.with_archive_private();
    }
    (dossier_web::router(state), allmep, source)
}

pub struct Answer {
    pub status: StatusCode,
    pub location: String,
    pub set_cookie: String,
    pub body: String,
}

pub async fn send(
    router: &Router,
    method: &str,
    uri: &str,
    cookie: &str,
    form: Option<String>,
) -> Answer {
    let mut r = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, cookie);
    let body = match form {
        Some(f) => {
            r = r.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(f)
        }
        None => Body::empty(),
    };
    let res = router.clone().oneshot(r.body(body).unwrap()).await.unwrap();
    let h = |n| {
        res.headers()
            .get(n)
            .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (status, location, set_cookie) = (res.status(), h(header::LOCATION), h(header::SET_COOKIE));
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    Answer {
        status,
        location,
        set_cookie,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub fn value_of(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page.find(&marker).unwrap_or_else(|| panic!("no {name}")) + marker.len();
    page[at..].split('"').next().unwrap().to_string()
}

pub async fn sign_in(router: &Router, name: &str) -> (String, String) {
    let page = send(router, "GET", "/login", "", None).await;
    let token = value_of(&page.body, "token");
    let form_cookie = page.set_cookie.split(';').next().unwrap().to_string();
    let r = send(
        router,
        "POST",
        "/login",
        &form_cookie,
        Some(form(&[
            ("token", &token),
            ("name", name),
            ("password", PASSWORD),
            ("next", "/"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r.set_cookie.split(';').next().unwrap().to_string();
    let me = send(router, "GET", "/login", &cookie, None).await;
    (cookie, value_of(&me.body, "csrf"))
}
