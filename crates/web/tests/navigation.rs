//! Finding one's way: search that puts a name typed in any case first and
//! says what each result is, "did you mean", help when nothing matches,
//! browsing by kind, country, network and letter, recent changes, search
//! downloads, and assets that are never stale.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dossier_model::Provenance;
use dossier_search::SearchIndex;
use dossier_store::prelude::*;
use dossier_store::SqliteStore;
use tower::ServiceExt;

fn app() -> Router {
    let mut store = SqliteStore::in_memory().unwrap();
    let prov = Provenance {
        dataset: "demo".into(),
        source: String::new(),
        user: "amira".into(),
        origin: None,
        now: "2026-01-01T00:00:00".into(),
    };
    store
        .apply(&[dossier_demo::batch().unwrap()], &prov)
        .unwrap();
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    dossier_web::router(dossier_web::AppState::new(Box::new(store), index))
}

async fn get(app: &Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, headers, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn json(app: &Router, uri: &str) -> serde_json::Value {
    let (status, _, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn a_name_or_acronym_in_any_case_is_the_first_result_and_each_says_what_it_is() {
    let app = app();
    for q in ["allmep", "ALLMEP", "alliance+for+middle+east+peace"] {
        let r = json(&app, &format!("/search.json?q={q}")).await;
        assert_eq!(
            r["hits"][0]["title"], "Alliance for Middle East Peace",
            "{q}"
        );
        assert_eq!(r["hits"][0]["kind"], "organization", "{q}");
        assert!(r["hits"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("United States"));
    }
    // A claim's line names what it is about, its source and its date, and
    // its title ends at a word.
    let r = json(&app, "/search.json?q=apartheid&kind=claim").await;
    let hits = r["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        assert!(!h["about"].as_array().unwrap().is_empty(), "{h}");
        assert!(h["source"]["name"].is_string(), "{h}");
        let title = h["title"].as_str().unwrap();
        assert!(title.ends_with('…') || !title.contains('…'), "{title}");
    }
    assert!(hits.iter().any(|h| h["date"].is_string()));
    let (_, _, html) = get(&app, "/search?q=apartheid&kind=claim").await;
    assert!(html.contains("About <a href=\"/entities/"));
    assert!(html.contains(" · Source: <a href=\"/entities/doc-"));
}

#[tokio::test]
async fn a_misspelt_name_gets_a_did_you_mean_and_nothing_gets_help() {
    let app = app();
    let r = json(&app, "/search.json?q=Jahalon+Solidarety+Parliment").await;
    assert_eq!(r["total"], 0, "{r}");
    assert_eq!(r["did_you_mean"], "Jahalin Solidarity", "{r}");
    let (_, _, html) = get(&app, "/search?q=Jahalon+Solidarety+Parliment").await;
    assert!(html
        .contains("Did you mean <a href=\"/search?q=Jahalin+Solidarity\">Jahalin Solidarity</a>?"));
    let (_, _, html) = get(&app, "/search?q=zzqxv").await;
    assert!(html.contains("Nothing matches"));
    assert!(html.contains("No name in the store is close to these words."));
    assert!(html.contains("<a href=\"/browse\">Browse</a>"));
}

#[tokio::test]
async fn browsing_by_kind_country_network_and_letter() {
    let app = app();
    let (status, _, html) = get(&app, "/browse").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<a href=\"/browse?kind=organization\">Organizations</a>"));
    assert!(html.contains("<a href=\"/browse?country=us&amp;kind=organization\">United States</a>"));
    assert!(
        html.contains(">Alliance for Middle East Peace</a> <span class=\"n\">12 members</span>")
    );
    assert!(html.contains("<a href=\"/browse?letter=P\""), "{html}");
    // A letter: the organizations under it, A to Z.
    let (_, _, html) = get(&app, "/browse?letter=P").await;
    let list = html.split("<ol class=\"browse\"").nth(1).unwrap();
    let list = list.split("</ol>").next().unwrap();
    let names: Vec<&str> = list
        .split("<li><a href=\"/entities/")
        .skip(1)
        .filter_map(|x| x.split("\">").nth(1))
        .filter_map(|x| x.split("</a>").next())
        .collect();
    assert!(
        names.contains(&"Parents Circle Families Forum"),
        "{names:?}"
    );
    assert!(names.iter().all(|n| n.starts_with('P')), "{names:?}");
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    // Everything without words is A to Z too.
    let r = json(&app, "/search.json?kind=organization&limit=100").await;
    let titles: Vec<String> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    let (status, _, _) = get(&app, "/browse?letter=AB").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn recent_changes_name_who_recorded_what() {
    let app = app();
    let (_, _, html) = get(&app, "/changes").await;
    assert!(html.contains("<strong>amira</strong>"));
    assert_eq!(
        html.matches("/history\">history</a>").count(),
        50,
        "the last fifty"
    );
    let list = json(&app, "/changes.json").await;
    let list = list.as_array().unwrap();
    assert!(!list.is_empty() && list.len() <= 50);
    assert!(list.iter().all(|c| c["user"] == "amira"));
    let (_, _, home) = get(&app, "/").await;
    assert!(home.contains("Recently changed"));
    assert!(home.contains("<a href=\"/changes\">All recent changes</a>"));
}

#[tokio::test]
async fn a_search_downloads_as_csv_and_ftm() {
    let app = app();
    let (status, headers, csv) = get(&app, "/search.csv?q=apartheid").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .contains("search.csv"));
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let total = json(&app, "/search.json?q=apartheid").await["total"]
        .as_u64()
        .unwrap();
    assert_eq!(rows.len() as u64, total);
    let (status, _, ftm) = get(&app, "/search.ftm.json?q=PCFF").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ftm
        .lines()
        .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
    assert!(ftm.contains("Parents Circle Families Forum"));
}

#[tokio::test]
async fn assets_are_addressed_by_their_content() {
    let app = app();
    let (_, _, html) = get(&app, "/").await;
    let href = html.split("href=\"/static/style.css?v=").nth(1).unwrap();
    let tag = &href[..16];
    let (status, headers, _) = get(&app, &format!("/static/style.css?v={tag}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let (_, headers, _) = get(&app, "/static/style.css").await;
    assert_eq!(headers["cache-control"], "no-cache");
    let (_, headers, _) = get(&app, "/static/app.js?v=0000000000000000").await;
    assert_eq!(headers["cache-control"], "no-cache");
}
