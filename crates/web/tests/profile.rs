//! The profile page as a reader meets it: one claim reported by two
//! sources shown once with both, the relationships' sources named, the
//! member count beside what the sources state, no way to edit for a
//! visitor, and the downloads of the neighbourhood (CSV, FtM checked by
//! the real followthemoney package, GEXF with no mention as a tie).

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

fn prov() -> Provenance {
    Provenance {
        dataset: "demo".into(),
        source: String::new(),
        user: "test".into(),
        origin: None,
        now: "2026-01-01T00:00:00".into(),
    }
}

struct App {
    router: Router,
    allmep: String,
    /// A claim of the demo's about ALLMEP, reported again by a second source.
    repeated: String,
}

/// The demo, and a second document (a newspaper's) that reports one of
/// the demo's claims about ALLMEP again, word for word but for case and
/// spacing.
fn app() -> App {
    let mut store = SqliteStore::in_memory().unwrap();
    store
        .apply(&[dossier_demo::batch().unwrap()], &prov())
        .unwrap();
    let allmep = dossier_views::find(&store, "ALLMEP").unwrap()[0].id.clone();
    let original = store
        .entities(&["Claim"])
        .unwrap()
        .into_iter()
        .find(|c| c.values("subject").any(|s| s == allmep) && c.first("kind") == Some("assessment"))
        .unwrap();
    let mut b = Batch::new("doc-ledger", "e");
    let mut d = Entity::new("doc-ledger", "Document").unwrap();
    d.add("title", "The Ledger: who funds the peace networks")
        .unwrap();
    d.add("publisher", "The Ledger").unwrap();
    d.add("fileName", "ledger-peace-networks.html").unwrap();
    b.put(d).unwrap();
    let mut again = Entity::new("clm-ledger-1", "Claim").unwrap();
    again.add("kind", "assessment").unwrap();
    let text = original.first("text").unwrap().to_uppercase();
    again.add("text", format!("  {text}  ")).unwrap();
    again.add("subject", allmep.as_str()).unwrap();
    again.add("source", "doc-ledger").unwrap();
    b.put(again).unwrap();
    store.apply(&[b], &prov()).unwrap();
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    let state = dossier_web::AppState::new(Box::new(store), index);
    App {
        router: dossier_web::router(state),
        allmep,
        repeated: original.id,
    }
}

async fn get(app: &App, uri: &str) -> (StatusCode, String, Vec<u8>) {
    let res = app
        .router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let ctype = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    (status, ctype, bytes.to_vec())
}

async fn page(app: &App, uri: &str) -> String {
    let (status, _, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    String::from_utf8(body).unwrap()
}

#[tokio::test]
async fn a_claim_two_sources_report_is_shown_once_with_both() {
    let a = app();
    let html = page(&a, &format!("/entities/{}", a.allmep)).await;
    let article = html
        .split(&format!(
            "<article class=\"claim claim-assessment\" id=\"{}\">",
            a.repeated
        ))
        .nth(1)
        .expect("the claim is on the page");
    let article = article.split("</article>").next().unwrap();
    assert!(article.contains("2 sources: "), "{article}");
    assert!(
        article.contains("The Ledger: who funds the peace networks"),
        "{article}"
    );
    assert!(
        !html.contains("id=\"clm-ledger-1\""),
        "the second record is not shown apart"
    );
    // Every claim on the page once: no claim text appears in two articles.
    let texts: Vec<&str> = html
        .split("<p class=\"text\">")
        .skip(1)
        .map(|t| t.split("</p>").next().unwrap())
        .collect();
    let mut distinct: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), texts.len(), "a claim shown twice");
    // The JSON twin names both sources too.
    let json: serde_json::Value =
        serde_json::from_str(&page(&a, &format!("/entities/{}.json", a.allmep)).await).unwrap();
    let claim = json["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == a.repeated.as_str())
        .unwrap();
    assert_eq!(claim["sources"].as_array().unwrap().len(), 2, "{claim}");
    assert_eq!(claim["same"][0], "clm-ledger-1");
}

#[tokio::test]
async fn the_members_table_names_each_rows_source_and_the_stated_count() {
    let a = app();
    let html = page(&a, &format!("/entities/{}", a.allmep)).await;
    let members = html.split("<section id=\"members\">").nth(1).unwrap();
    let members = members.split("</section>").next().unwrap();
    assert!(members.contains("12 recorded, of <a href=\"#"), "{members}");
    assert!(
        members.contains(">more than 150</a> listed by"),
        "{members}"
    );
    assert_eq!(
        members.matches("<tr>").count(),
        13,
        "a heading and 12 members"
    );
    assert_eq!(
        members
            .matches("<td data-label=\"Source\"><a href=\"/entities/doc-")
            .count(),
        12,
        "every row names its source"
    );
    // A visitor who is not signed in: a way to sign in, none to edit.
    assert!(html.contains(">Sign in</a>"));
    for edit in ["/edit\"", "/claims/new", "/relationships/new", "replyTo="] {
        assert!(!html.contains(edit), "{edit}");
    }
}

#[tokio::test]
async fn downloads_hold_the_neighbourhood_and_its_sources() {
    let a = app();
    let base = format!("/entities/{}", a.allmep);
    // CSV: a row per relationship, each with its source.
    let (status, ctype, csv) = get(&a, &format!("{base}/export.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/csv"), "{ctype}");
    let mut r = csv::Reader::from_reader(csv.as_slice());
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 12, "the twelve memberships");
    assert!(rows
        .iter()
        .all(|row| row[col("relationship")] == *"membership"));
    assert!(rows.iter().all(|row| !row[col("sources")].is_empty()));
    assert!(rows.iter().any(|row| row[col("other")] == *"Sikkuy"));
    // GEXF: the entity and its members, no mention as a tie.
    let (status, _, gexf) = get(&a, &format!("{base}/export.gexf")).await;
    assert_eq!(status, StatusCode::OK);
    let gexf = String::from_utf8(gexf).unwrap();
    assert_eq!(gexf.matches("<node ").count(), 13);
    assert_eq!(gexf.matches("<edge ").count(), 12);
    assert!(!gexf.contains("\"mention\""));
    // FtM: valid for the real followthemoney package, every reference
    // resolved in the file.
    let (status, _, ftm) = get(&a, &format!("{base}/export.ftm.json")).await;
    assert_eq!(status, StatusCode::OK);
    let dir = std::env::temp_dir().join(format!("dossier-web-ftm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("allmep.ftm.json");
    std::fs::write(&path, &ftm).unwrap();
    let workspace = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let python =
        std::env::var("DOSSIER_PYTHON").unwrap_or_else(|_| format!("{workspace}/.venv/bin/python"));
    let out = std::process::Command::new(&python)
        .arg(format!("{workspace}/scripts/check_ftm.py"))
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} ({e}): run scripts/test"));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Membership 12"), "{said}");
    // An entity that is not there is a 404, not an empty file.
    let (status, _, _) = get(&a, "/entities/nobody/export.csv").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A network of 450 members lists them a page of 200 at a time, A to Z
/// across the pages, with the way to the others.
#[tokio::test]
async fn a_large_network_lists_its_members_a_page_at_a_time() {
    let mut store = SqliteStore::in_memory().unwrap();
    let mut b = Batch::new("doc-roster", "r");
    let mut d = Entity::new("doc-roster", "Document").unwrap();
    d.add("title", "Roster").unwrap();
    d.add("fileName", "roster.html").unwrap();
    b.put(d).unwrap();
    let mut n = Entity::new("org-net", "Organization").unwrap();
    n.add("name", "Big Network").unwrap();
    b.put(n).unwrap();
    for i in 0..450 {
        let mut m = Entity::new(format!("org-m{i}"), "Organization").unwrap();
        // Names out of the order they were recorded in.
        m.add("name", format!("Member {:03}", (i * 7) % 450))
            .unwrap();
        b.put(m).unwrap();
        let mut ms = Entity::new(format!("mem-{i}"), "Membership").unwrap();
        ms.add("member", format!("org-m{i}")).unwrap();
        ms.add("organization", "org-net").unwrap();
        b.put(ms).unwrap();
    }
    store.apply(&[b], &prov()).unwrap();
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    let app = App {
        router: dossier_web::router(dossier_web::AppState::new(Box::new(store), index)),
        allmep: String::new(),
        repeated: String::new(),
    };
    let names = |html: &str| -> Vec<String> {
        let members = html.split("<section id=\"members\">").nth(1).unwrap();
        let members = members.split("</section>").next().unwrap();
        members
            .split("<td data-label=\"Member\"><a href=\"/entities/")
            .skip(1)
            .map(|x| {
                x.split("\">")
                    .nth(1)
                    .unwrap()
                    .split("</a>")
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let first = page(&app, "/entities/org-net").await;
    let one = names(&first);
    assert_eq!(one.len(), 200);
    assert_eq!(one[0], "Member 000");
    assert_eq!(one[199], "Member 199");
    assert!(first.contains("Members 1–200 of 450, A to Z"));
    assert!(first
        .contains("<a href=\"/entities/org-net?members=2#members\" rel=\"next\">next 200 →</a>"));
    let third = page(&app, "/entities/org-net?members=3").await;
    let three = names(&third);
    assert_eq!(three.len(), 50);
    assert_eq!(three[0], "Member 400");
    assert!(third.contains("rel=\"prev\""));
    assert!(!third.contains("rel=\"next\""));
    let (status, _, _) = get(&app, "/entities/org-net?members=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
