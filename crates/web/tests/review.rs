//! Review in the browser, in process on the demo data: the list of pairs,
//! a pair side by side, decisions with their form token, a merge that
//! every address follows, and a merge taken back.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use dossier_model::Provenance;
use dossier_search::SearchIndex;
use dossier_store::{SqliteStore, Store};
use tower::ServiceExt;

fn router(reviewer: Option<&str>) -> Router {
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
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    let state = match reviewer {
        Some(r) => dossier_web::AppState::with_reviewer(Box::new(store), index, r),
        None => dossier_web::AppState::new(Box::new(store), index),
    };
    dossier_web::router(state)
}

struct Answer {
    status: StatusCode,
    location: String,
    body: String,
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let res = router.clone().oneshot(request).await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    Answer {
        status,
        location,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(router: &Router, uri: &str) -> Answer {
    send(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(router: &Router, uri: &str, form: &[(&str, &str)]) -> Answer {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
        .collect();
    send(
        router,
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
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
    let list = get(router, "/review.json?threshold=0.6").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let v = json(&list);
    assert!(v["total"].as_u64().unwrap() >= 1, "{v}");
    let pair = v["pairs"][0].clone();
    let review = pair["review"].as_str().unwrap().to_string();
    (pair, review)
}

#[tokio::test]
async fn a_pair_is_shown_side_by_side_and_a_decision_merges_everywhere() {
    let router = router(Some("ann"));
    let list = get(&router, "/review?threshold=0.6").await;
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
    let page = get(&router, &review).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(a_name) && page.body.contains(b_name));
    assert!(page.body.contains("Sources (1)"), "{}", page.body);
    assert!(page.body.contains("Not decided yet."));
    let token = token(&page.body);
    let twin = json(&get(&router, &format!("{review}.json")).await);
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
            post(&router, &review, &form).await.status,
            status,
            "{form:?}"
        );
    }
    assert!(
        json(&get(&router, &format!("{review}.json")).await)["decisions"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // "Same": recorded as ann, merged at once, the next pair offered.
    let done = post(
        &router,
        &review,
        &[("verdict", "same"), ("note", "one body"), ("token", &token)],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(done.location.starts_with("/review"), "{}", done.location);
    let twin = json(&get(&router, &format!("{review}.json")).await);
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
        let r = get(&router, &asked).await;
        assert_eq!(r.status, StatusCode::TEMPORARY_REDIRECT, "{asked}");
        assert_eq!(r.location, expected);
    }
    let profile = get(&router, &format!("/entities/{canonical}")).await;
    assert!(profile.body.contains("Joins 2 records"), "{}", profile.body);
    assert!(profile.body.contains(a_name) && profile.body.contains(b_name));
    let wire = json(&get(&router, &format!("/api/v1/entities/{canonical}/profile")).await);
    assert_eq!(wire["merged_from"][0]["id"], merged.as_str());
    // Search knows one entity under both names.
    let hits = json(
        &get(
            &router,
            &format!("/api/v1/search?q={}", b_name.replace(' ', "+")),
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
    let list = json(&get(&router, "/review.json?threshold=0.6").await);
    assert!(list["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["review"] != review.as_str()));

    // Taken back: two entities again, each at its own address.
    let page = get(&router, &review).await;
    assert!(page.body.contains("Take my decision back"));
    let undone = post(&router, &review, &[("verdict", "none"), ("token", &token)]).await;
    assert_eq!(undone.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&router, &format!("/entities/{merged}")).await.status,
        StatusCode::OK
    );
    let twin = json(&get(&router, &format!("{review}.json")).await);
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
    )
    .await;
    let clash = post(&router, &review, &[("verdict", "same"), ("token", &token)]).await;
    assert_eq!(clash.status, StatusCode::CONFLICT, "{}", clash.body);
    assert!(clash.body.contains("not the same"), "{}", clash.body);
}

#[tokio::test]
async fn a_server_without_a_reviewer_shows_but_records_nothing() {
    let router = router(None);
    let (_, review) = first_pair(&router).await;
    let page = get(&router, &review).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("records no decisions"));
    assert!(!page.body.contains("name=\"token\""));
    let refused = post(&router, &review, &[("verdict", "same"), ("token", "x")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Bad addresses and parameters.
    assert_eq!(
        get(&router, "/review/org-nobody/org-none").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&router, "/review.json?threshold=2").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&router, "/review?offset=-1").await.status,
        StatusCode::BAD_REQUEST
    );
}
