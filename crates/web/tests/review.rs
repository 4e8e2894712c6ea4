//! Review in the browser, in process on the demo data: the list of pairs,
//! a pair side by side, decisions by a signed-in editor with the session's
//! form token, a merge that every address follows, and a merge taken back.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use dossier_model::Provenance;
use dossier_search::SearchIndex;
use dossier_store::prelude::*;
use dossier_store::SqliteStore;
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

fn router() -> Router {
    let mut store = SqliteStore::in_memory().unwrap();
    let prov = Provenance {
        dataset: "demo".into(),
        source: String::new(),
        user: "test".into(),
        origin: None,
        now: "2026-01-01T00:00:00".into(),
    };
    store
        .apply(&[dossier_demo::batch().unwrap()], &prov)
        .unwrap();
    for (name, role) in [
        ("ann", dossier_store::Role::Editor),
        ("vic", dossier_store::Role::Viewer),
    ] {
        dossier_auth::add_account(&mut store, name, PASSWORD, role, "2026-01-01T00:00:00").unwrap();
    }
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    dossier_web::router(dossier_web::AppState::new(Box::new(store), index))
}

/// Signs in through the sign-in form; the session cookie to send.
async fn sign_in(router: &Router, name: &str) -> String {
    let page = get(router, "/login", "").await;
    let at = page.body.find("name=\"token\" value=\"").unwrap() + 20;
    let token = page.body[at..at + 64].to_string();
    let form_cookie = page.set_cookie.split(';').next().unwrap().to_string();
    let r = post(
        router,
        "/login",
        &[
            ("token", &token),
            ("name", name),
            ("password", PASSWORD),
            ("next", "/review"),
        ],
        &form_cookie,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, "/review");
    let cookie = r.set_cookie.split(';').next().unwrap().to_string();
    assert!(r.set_cookie.contains("HttpOnly") && r.set_cookie.contains("SameSite=Strict"));
    cookie
}

struct Answer {
    status: StatusCode,
    location: String,
    set_cookie: String,
    body: String,
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let res = router.clone().oneshot(request).await.unwrap();
    let status = res.status();
    let header_of = |name| {
        res.headers()
            .get(name)
            .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let location = header_of(header::LOCATION);
    let set_cookie = header_of(header::SET_COOKIE);
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

async fn get(router: &Router, uri: &str, cookie: &str) -> Answer {
    send(
        router,
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(router: &Router, uri: &str, form: &[(&str, &str)], cookie: &str) -> Answer {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
        .collect();
    send(
        router,
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body.join("&")))
            .unwrap(),
    )
    .await
}

fn json(a: &Answer) -> serde_json::Value {
    serde_json::from_str(&a.body).unwrap_or_else(|e| panic!("{e}: {}", a.body))
}

/// The form token on a page.
fn token(page: &str) -> String {
    let at = page.find("name=\"token\" value=\"").expect("a form token") + 20;
    page[at..at + 64].to_string()
}

/// The best pair the demo offers at 0.6: (list entry, review address).
async fn first_pair(router: &Router) -> (serde_json::Value, String) {
    let list = get(router, "/review.json?threshold=0.6", "").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let v = json(&list);
    assert!(v["total"].as_u64().unwrap() >= 1, "{v}");
    let pair = v["pairs"][0].clone();
    let review = pair["review"].as_str().unwrap().to_string();
    (pair, review)
}

#[tokio::test]
async fn a_pair_is_shown_side_by_side_and_a_decision_merges_everywhere() {
    let router = router();
    let ann = sign_in(&router, "ann").await;
    let list = get(&router, "/review?threshold=0.6", &ann).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Pairs that may be one entity"));
    assert!(list.body.contains("recorded as <strong>ann</strong>"));
    let (pair, review) = first_pair(&router).await;
    let (a, b) = (
        pair["a"]["id"].as_str().unwrap().to_string(),
        pair["b"]["id"].as_str().unwrap().to_string(),
    );
    let (a_name, b_name) = (
        pair["a"]["name"].as_str().unwrap(),
        pair["b"]["name"].as_str().unwrap(),
    );

    // Both sides, with their ties and sources, and a form to decide.
    let page = get(&router, &review, &ann).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(a_name) && page.body.contains(b_name));
    assert!(page.body.contains("Sources (1)"), "{}", page.body);
    assert!(page.body.contains("Not decided yet."));
    let token = token(&page.body);
    let twin = json(&get(&router, &format!("{review}.json"), &ann).await);
    assert!(twin["score"].as_f64().unwrap() >= 0.6);
    assert_eq!(
        twin["a"]["sources"][0]["name"],
        twin["b"]["sources"][0]["name"]
    );
    assert!(twin["judgement"].is_null());

    // No token, a wrong token, a bad verdict: refused, nothing recorded.
    for (form, status) in [
        (vec![("verdict", "same")], StatusCode::FORBIDDEN),
        (
            vec![("verdict", "same"), ("token", &"0".repeat(64))],
            StatusCode::FORBIDDEN,
        ),
        (
            vec![("verdict", "maybe"), ("token", token.as_str())],
            StatusCode::BAD_REQUEST,
        ),
    ] {
        assert_eq!(
            post(&router, &review, &form, &ann).await.status,
            status,
            "{form:?}"
        );
    }
    assert!(
        json(&get(&router, &format!("{review}.json"), &ann).await)["decisions"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Both profiles made first: their entities and what is merged into
    // them (nothing yet) are kept from request to request, and the merge
    // must forget them.
    for id in [&a, &b] {
        let r = get(&router, &format!("/api/v1/entities/{id}/profile"), &ann).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(json(&r)["merged_from"].as_array().unwrap().is_empty());
    }

    // "Same": recorded as ann, merged at once, the next pair offered.
    let done = post(
        &router,
        &review,
        &[("verdict", "same"), ("note", "one body"), ("token", &token)],
        &ann,
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(done.location.starts_with("/review"), "{}", done.location);
    let twin = json(&get(&router, &format!("{review}.json"), &ann).await);
    assert_eq!(twin["judgement"], "same");
    assert_eq!(twin["decisions"][0]["user"], "ann");
    assert_eq!(twin["decisions"][0]["note"], "one body");
    let (canonical, merged) = if a < b { (a, b) } else { (b, a) };
    // Every address of the merged entity leads to the one it is part of.
    for (asked, expected) in [
        (
            format!("/entities/{merged}"),
            format!("/entities/{canonical}"),
        ),
        (
            format!("/entities/{merged}.json"),
            format!("/entities/{canonical}.json"),
        ),
        (
            format!("/api/v1/entities/{merged}/profile"),
            format!("/api/v1/entities/{canonical}/profile"),
        ),
        (
            format!("/networks/{merged}?limit=5"),
            format!("/networks/{canonical}?limit=5"),
        ),
    ] {
        let r = get(&router, &asked, &ann).await;
        assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT, "{asked}");
        assert_eq!(r.location, expected);
    }
    let profile = get(&router, &format!("/entities/{canonical}"), &ann).await;
    assert!(profile.body.contains("Joins 2 records"), "{}", profile.body);
    assert!(profile.body.contains(a_name) && profile.body.contains(b_name));
    let wire = json(
        &get(
            &router,
            &format!("/api/v1/entities/{canonical}/profile"),
            &ann,
        )
        .await,
    );
    assert_eq!(wire["merged_from"][0]["id"], merged.as_str());
    // Search knows one entity under both names.
    let hits = json(
        &get(
            &router,
            &format!("/api/v1/search?q={}", b_name.replace(' ', "+")),
            &ann,
        )
        .await,
    );
    let ids: Vec<&str> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] != "claim")
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&canonical.as_str()) && !ids.contains(&merged.as_str()),
        "{ids:?}"
    );
    // The pair is no longer listed.
    let list = json(&get(&router, "/review.json?threshold=0.6", &ann).await);
    assert!(list["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["review"] != review.as_str()));

    // Taken back: two entities again, each at its own address.
    let page = get(&router, &review, &ann).await;
    assert!(page.body.contains("Take my decision back"));
    let undone = post(
        &router,
        &review,
        &[("verdict", "none"), ("token", &token)],
        &ann,
    )
    .await;
    assert_eq!(undone.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&router, &format!("/entities/{merged}"), &ann)
            .await
            .status,
        StatusCode::OK
    );
    let twin = json(&get(&router, &format!("{review}.json"), &ann).await);
    assert!(twin["judgement"].is_null());
    let verdicts: Vec<(&str, bool)> = twin["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["verdict"].as_str().unwrap(),
                d["current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(verdicts, [("same", false), ("none", true)]);

    // "Not the same", then "same" on the same pair: a clear conflict.
    post(
        &router,
        &review,
        &[("verdict", "not_same"), ("token", &token)],
        &ann,
    )
    .await;
    let clash = post(
        &router,
        &review,
        &[("verdict", "same"), ("token", &token)],
        &ann,
    )
    .await;
    assert_eq!(clash.status, StatusCode::CONFLICT, "{}", clash.body);
    assert!(clash.body.contains("not the same"), "{}", clash.body);
}

#[tokio::test]
async fn only_a_signed_in_editor_decides() {
    let router = router();
    let (_, review) = first_pair(&router).await;
    let page = get(&router, &review, "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("once <a href=\"/login?next=/review\">signed in"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("name=\"token\""));
    let refused = post(&router, &review, &[("verdict", "same"), ("token", "x")], "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A viewer reads, and may not decide, even with their session's token.
    let vic = sign_in(&router, "vic").await;
    let page = get(&router, &review, &vic).await;
    assert!(!page.body.contains("name=\"token\""));
    let twin = json(&get(&router, &format!("{review}.json"), &vic).await);
    assert!(twin["reviewer"].is_null());
    let refused = post(
        &router,
        &review,
        &[("verdict", "same"), ("token", "x")],
        &vic,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A made-up session is nobody's.
    let forged = get(&router, &review, "dossier_session=00112233").await;
    assert!(!forged.body.contains("name=\"token\""));
    // Bad addresses and parameters.
    assert_eq!(
        get(&router, "/review/org-nobody/org-none", "").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&router, "/review.json?threshold=2", "").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&router, "/review?offset=-1", "").await.status,
        StatusCode::BAD_REQUEST
    );
}

/// The default threshold may leave nothing to decide: the page says how
/// many pairs score lower, offers them, and a threshold control counts
/// the pairs at each.
#[tokio::test]
async fn the_review_queue_says_what_a_lower_threshold_would_show() {
    let router = router();
    let at = |t: &str| {
        let router = router.clone();
        let t = t.to_string();
        async move { json(&get(&router, &format!("/review.json?threshold={t}"), "").await) }
    };
    let floor = at("0.5").await;
    let default = at("0.75").await;
    let bands = floor["bands"].as_array().unwrap();
    assert_eq!(bands.len(), 10);
    let banded: u64 = bands.iter().map(|b| b[1].as_u64().unwrap()).sum();
    assert_eq!(
        banded,
        floor["total"].as_u64().unwrap(),
        "every undecided pair in a band"
    );
    let above: u64 = bands
        .iter()
        .filter(|b| b[0].as_f64().unwrap() >= 0.75)
        .map(|b| b[1].as_u64().unwrap())
        .sum();
    assert_eq!(above, default["total"].as_u64().unwrap());
    let page = get(&router, "/review", "").await.body;
    assert!(page.contains("<select id=\"threshold\" name=\"threshold\">"));
    assert!(
        page.contains(&format!(
            "<option value=\"0.50\">0.50 ({banded} pairs)</option>"
        )),
        "{page}"
    );
    if default["total"] == 0 && banded > 0 {
        assert!(page.contains(
            "pairs score lower, from 0.5: <a href=\"/review?threshold=0.5\">show them</a>"
        ));
    }
}

/// The demo in a store file, served as `dossier serve` serves it: with a
/// way to open more connections, so the review queue is worked out in the
/// background.
fn served(dir: &std::path::Path) -> (Router, std::path::PathBuf) {
    let path = dir.join("store.db");
    let mut store = SqliteStore::open(&path).unwrap();
    let prov = Provenance {
        dataset: "demo".into(),
        source: String::new(),
        user: "test".into(),
        origin: None,
        now: "2026-01-01T00:00:00".into(),
    };
    store
        .apply(&[dossier_demo::batch().unwrap()], &prov)
        .unwrap();
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    let at = path.clone();
    let opener: dossier_web::Opener = std::sync::Arc::new(move || {
        Ok(Box::new(SqliteStore::open(&at)?) as dossier_web::SharedStore)
    });
    let state = dossier_web::AppState::new(Box::new(store), index).with_opener(opener);
    (dossier_web::router(state), path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_works_the_queue_out_in_the_background_and_follows_changes() {
    let dir = tempfile::tempdir().unwrap();
    let at_floor = "/review.json?threshold=0.5";
    // The same pairs as worked out on the request.
    let here = json(&get(&router(), at_floor, "").await);
    let (router, path) = served(dir.path());
    let first = get(&router, at_floor, "").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let first = json(&first);
    assert_eq!(first["total"], here["total"]);
    assert_eq!(first["pairs"], here["pairs"]);
    assert_eq!(first["stale"], false);
    // Another connection records a second name for the alliance: a new pair.
    let mut other = SqliteStore::open(&path).unwrap();
    let doc = dossier_model::SourceDoc::file("registry-extract");
    let mut batch = dossier_model::Batch::new(doc.id(), "registry-1");
    batch.put(doc.entity().unwrap()).unwrap();
    let mut twin = dossier_model::Entity::new("org-registry-allmep", "Organization").unwrap();
    twin.add("name", "Alliance for Middle East Peace").unwrap();
    batch.put(twin).unwrap();
    let prov = Provenance {
        dataset: "registry".into(),
        source: doc.id(),
        user: "test".into(),
        origin: None,
        now: "2026-01-02T00:00:00".into(),
    };
    other.apply(&[batch], &prov).unwrap();
    // Asked again, the list is brought up to date (the demo's pairs take
    // far less than the second a request waits); a stale answer in
    // between says so and still lists pairs.
    let mut seen = None;
    for _ in 0..20 {
        let now = get(&router, at_floor, "").await;
        assert_eq!(now.status, StatusCode::OK, "{}", now.body);
        let now = json(&now);
        if now["stale"] == false {
            seen = Some(now);
            break;
        }
        assert_eq!(now["total"], first["total"], "stale: the older pairs");
    }
    let now = seen.expect("brought up to date");
    assert!(
        now["total"].as_u64().unwrap() > first["total"].as_u64().unwrap(),
        "{now}"
    );
    assert!(now.to_string().contains("org-registry-allmep"), "{now}");
}
