//! Finding one's way: search that puts a name typed in any case first and
//! says what each result is, "did you mean", help when nothing matches,
//! browsing by kind, country, network and letter, recent changes, search
//! downloads, and assets that are never stale.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dossier_model::{Batch, Entity, Provenance};
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
    // A funder of two members, so the network has an interlock.
    let pcff = dossier_views::find(&store, "PCFF").unwrap()[0].id.clone();
    let sikkuy = dossier_views::find(&store, "Sikkuy").unwrap()[0].id.clone();
    let mut b = Batch::new("doc-grants", "g");
    let mut d = Entity::new("doc-grants", "Document").unwrap();
    d.add("title", "Grants list").unwrap();
    d.add("fileName", "grants.html").unwrap();
    b.put(d).unwrap();
    let mut f = Entity::new("org-fund", "Organization").unwrap();
    f.add("name", "Olive Branch Fund").unwrap();
    b.put(f).unwrap();
    for (i, to) in [pcff, sikkuy].iter().enumerate() {
        let mut p = Entity::new(format!("pay-{i}"), "Payment").unwrap();
        p.add("payer", "org-fund").unwrap();
        p.add("beneficiary", to.as_str()).unwrap();
        p.add("amount", "1000").unwrap();
        p.add("currency", "EUR").unwrap();
        p.add("date", "2019").unwrap();
        b.put(p).unwrap();
    }
    store.apply(&[b], &prov).unwrap();
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

#[tokio::test]
async fn the_network_page_filters_by_kind_and_year_without_javascript() {
    let app = app();
    let allmep = json(&app, "/search.json?q=allmep").await["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let all = json(&app, &format!("/networks/{allmep}.json")).await;
    let memberships = all["edges"].as_array().unwrap().len();
    assert!(memberships >= 12);
    let funding = json(&app, &format!("/networks/{allmep}.json?kind=payment")).await;
    assert!(funding["edges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["kind"] == "payment"));
    let (_, _, html) = get(&app, &format!("/networks/{allmep}?kind=directorship")).await;
    assert!(html.contains("among the ties chosen"), "{html}");
    assert!(html.contains("<input type=\"checkbox\" name=\"kind\" value=\"directorship\" checked>"));
    assert!(html.contains("<input type=\"checkbox\" name=\"kind\" value=\"membership\">"));
    // Payments of 2019 held in 2019, not in 2021; undated memberships always.
    let y2019 = json(&app, &format!("/networks/{allmep}.json?year=2019")).await;
    let y2021 = json(&app, &format!("/networks/{allmep}.json?year=2021")).await;
    let payments = |v: &serde_json::Value| {
        v["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "payment")
            .count()
    };
    assert_eq!(payments(&y2019), payments(&all));
    assert_eq!(payments(&y2021), 0);
    let (status, _, _) = get(&app, &format!("/networks/{allmep}?kind=spaceship")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A person with no relationship: said so, not an empty drawing.
    let person = json(&app, "/search.json?q=Hila+Cohen").await["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, _, html) = get(&app, &format!("/networks/{person}")).await;
    assert!(
        html.contains("No relationship of Hila Cohen is recorded"),
        "{html}"
    );
    assert!(!html.contains("<svg"));
}

#[tokio::test]
async fn the_path_finder_follows_ties_not_mentions() {
    let app = app();
    let (_, _, html) = get(&app, "/path?from=pcff&to=Sikkuy").await;
    let path = html.split("<section id=\"path\">").nth(1).unwrap();
    assert!(path.contains("2 steps"), "{path}");
    assert!(path.contains("Olive Branch Fund") || path.contains("Alliance for Middle East Peace"));
    assert!(path.contains("source: <a href=\"/entities/doc-"), "{path}");
    // Netanyahu is named in a claim about a member: that is no tie.
    let (_, _, html) = get(&app, "/path?from=Benjamin+Netanyahu&to=allmep").await;
    assert!(
        html.contains("No chain of relationships joins them"),
        "{html}"
    );
    let (_, _, html) = get(&app, "/path?from=nobody+at+all+zzz&to=allmep").await;
    assert!(html.contains("Nothing in the store is called"));
}

#[tokio::test]
async fn interlocks_name_who_ties_several_members() {
    let app = app();
    let allmep = json(&app, "/search.json?q=allmep").await["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let w = json(&app, &format!("/networks/{allmep}/interlocks.json")).await;
    assert_eq!(w["members"], 12);
    let first = &w["interlocks"][0];
    assert_eq!(first["entity"]["name"], "Olive Branch Fund", "{w}");
    assert_eq!(first["members"].as_array().unwrap().len(), 2);
    assert_eq!(first["funding"], 2000.0);
    let (_, _, html) = get(&app, &format!("/networks/{allmep}/interlocks")).await;
    assert!(html.contains("Olive Branch Fund"));
}
