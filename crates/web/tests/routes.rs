//! Every page and API route, in process, on the demo data: status codes,
//! content, escaping, bad parameters, the OpenAPI document, and a snapshot
//! of the profile page.

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

struct App {
    router: Router,
    allmep: String,
    claim: String,
    source: String,
    person: String,
    membership: String,
}

fn prov() -> Provenance {
    Provenance {
        dataset: "demo".into(),
        source: String::new(),
        user: "test".into(),
        origin: None,
        now: "2026-01-01T00:00:00".into(),
    }
}

/// A batch whose every text field carries a script payload.
fn hostile() -> Batch {
    let payload = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let mut b = Batch::new("doc-evil", "e");
    let mut d = Entity::new("doc-evil", "Document").unwrap();
    d.add("fileName", format!("{payload}.txt")).unwrap();
    d.add("title", payload).unwrap();
    d.add("sourceUrl", "javascript:alert(3)").unwrap();
    b.put(d).unwrap();
    let mut o = Entity::new("org-evil", "Organization").unwrap();
    o.add("name", format!("Evil {payload} Org")).unwrap();
    o.add("abbreviation", "EVIL").unwrap();
    o.add("summary", payload).unwrap();
    o.add("website", "javascript:alert(4)").unwrap();
    b.put(o).unwrap();
    let mut c = Entity::new("clm-evil", "Claim").unwrap();
    c.add("kind", "assessment").unwrap();
    c.add("text", format!("Evil said \"{payload}\"")).unwrap();
    c.add("subject", "org-evil").unwrap();
    c.add("topic", payload).unwrap();
    c.add("eventDate", "2020").unwrap();
    c.add("source", "doc-evil").unwrap();
    b.put(c).unwrap();
    let mut q = Entity::new("quo-evil", "Quotation").unwrap();
    q.add("claim", "clm-evil").unwrap();
    q.add("text", payload).unwrap();
    q.add("speaker", "org-evil").unwrap();
    b.put(q).unwrap();
    b
}

fn app() -> App {
    let mut store = SqliteStore::in_memory().unwrap();
    store
        .apply(&[dossier_demo::batch().unwrap(), hostile()], &prov())
        .unwrap();
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    let allmep = dossier_views::find(&store, "ALLMEP").unwrap()[0].id.clone();
    let person = dossier_views::find(&store, "Hila Cohen").unwrap()[0]
        .id
        .clone();
    let claims = store.entities(&["Claim"]).unwrap();
    let claim = claims
        .iter()
        .find(|c| c.first("kind") == Some("fact"))
        .unwrap()
        .id
        .clone();
    let source = dossier_demo::batch().unwrap().source;
    let membership = store.entities(&["Membership"]).unwrap()[0].id.clone();
    let state = dossier_web::AppState::new(Box::new(store), index);
    App {
        router: dossier_web::router(state),
        allmep,
        claim,
        source,
        person,
        membership,
    }
}

async fn get(app: &App, uri: &str) -> (StatusCode, String, String) {
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
    (status, ctype, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn every_page_and_its_json_twin_answer() {
    let a = app();
    let pages = [
        "/".to_string(),
        "/search?q=PCFF".into(),
        "/search?q=&kind=claim&year=2020".into(),
        format!("/entities/{}", a.allmep),
        format!("/entities/{}", a.person),
        format!("/entities/{}", a.claim),
        format!("/entities/{}", a.source),
        format!("/entities/{}", a.membership),
        format!("/networks/{}", a.allmep),
    ];
    for page in &pages {
        let (status, ctype, body) = get(&a, page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(ctype.starts_with("text/html"), "{page}: {ctype}");
        assert!(body.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(
            !body.contains("Dossier · Dossier"),
            "{page}: the site named twice"
        );
        assert!(
            !body.contains(" 1 sources"),
            "{page}: one source, not sources"
        );
        let twin = match page.as_str() {
            "/" => "/index.json".to_string(),
            p if p.starts_with("/search") => p.replacen("/search", "/search.json", 1),
            p => format!("{p}.json"),
        };
        let (status, ctype, body) = get(&a, &twin).await;
        assert_eq!(status, StatusCode::OK, "{twin}");
        assert!(ctype.starts_with("application/json"), "{twin}: {ctype}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap();
    }
    for asset in ["/static/style.css", "/static/app.js"] {
        assert_eq!(get(&a, asset).await.0, StatusCode::OK);
    }
}

#[tokio::test]
async fn profile_page_shows_the_profile() {
    let a = app();
    let (_, _, html) = get(&a, &format!("/entities/{}", a.allmep)).await;
    for expected in [
        "<h1>Alliance for Middle East Peace (ALLMEP)</h1>",
        "<section class=\"summary-box\"",
        "<dt>Country</dt><dd><span title=\"ISO code us\">United States</span></dd>",
        "In its own words",
        "Political Advocacy",
        "12 recorded, of <a href=\"#",
        ">more than 150</a> listed by <a href=\"/entities/doc-",
        "<table class=\"rel\" data-sortable",
        "Physicians for Human Rights - Israel (PHR-I)",
        "Jahalin Solidarity",
        "Assessment by ",
        "the source's publisher",
        "<q>only the ICC can save Palestine</q>",
        "2020-11-25",
        "Timeline",
        "Cite this",
        "/entities/org-f9edf9a236126e4a/export.csv",
        "application/ld+json",
        "\"@type\":\"Organization\"",
        "\"member\":",
    ] {
        assert!(html.contains(expected), "missing {expected:?}");
    }
    // The source's own headings are not the page's, and a visitor who is
    // not signed in is offered no way to edit, but a way to sign in.
    assert!(!html.contains("Key Members"));
    assert!(!html.contains("/edit\"") && !html.contains("/claims/new"));
    assert!(html.contains("<a class=\"sign-in\" href=\"/login\">Sign in</a>"));
    // Each distinct claim once.
    let claims = html.matches("<article class=\"claim ").count();
    // The demo holds 20 claims; one is its own words, in the summary box.
    assert_eq!(claims, 19, "every claim of the demo once");
    // A member's connections: its fellow members, through the network they share.
    let (_, _, html) = get(&a, "/entities/org-97c7bc04b74677a3").await;
    assert!(html.contains("href=\"/entities/org-97c7bc04b74677a3/connections\""));
    let (status, _, html) = get(&a, "/entities/org-97c7bc04b74677a3/connections").await;
    assert_eq!(status, StatusCode::OK);
    let (status, ctype, json) = get(&a, "/entities/org-97c7bc04b74677a3/connections.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("application/json"), "{ctype}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["connections"][0]["via"][0]["name"],
        "Alliance for Middle East Peace"
    );
    let (status, _, _) = get(&a, "/entities/nobody/connections.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let connections = html
        .split("<section class=\"connections\">")
        .nth(1)
        .unwrap();
    let connections = connections.split("</section>").next().unwrap();
    assert!(connections.contains("Standing Together"), "{connections}");
    assert!(connections.contains("shares 1: <a href=\"/entities/org-f9edf9a236126e4a\">Alliance for Middle East Peace</a>"), "{connections}");
    // The person page shows the claim that quotes her.
    let (_, _, html) = get(&a, &format!("/entities/{}", a.person)).await;
    assert!(html.contains("inconceivable"));
    // The network page draws every member as a link.
    let (_, _, svg) = get(&a, &format!("/networks/{}", a.allmep)).await;
    assert!(svg.contains("<svg"));
    assert_eq!(svg.matches("<circle").count(), 13);
    assert!(svg.contains(&format!("href=\"/entities/{}\"", a.allmep)));
}

#[tokio::test]
async fn profile_page_snapshot() {
    let a = app();
    let (_, _, html) = get(&a, &format!("/entities/{}", a.allmep)).await;
    // One element a line, so that a change reads as a small diff; the
    // assets' content tag changes with every edit of them, and is left out.
    let mut untagged = String::new();
    for (i, part) in html.split("?v=").enumerate() {
        if i > 0 {
            untagged.push_str("?v=TAG");
            untagged.push_str(part.get(16..).unwrap_or(part));
        } else {
            untagged.push_str(part);
        }
    }
    insta::assert_snapshot!("allmep_profile", untagged.replace("><", ">\n<"));
    let (_, _, json) = get(&a, &format!("/entities/{}.json", a.allmep)).await;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("allmep_profile_json", value);
}

#[tokio::test]
async fn missing_things_are_404_and_bad_parameters_400() {
    let a = app();
    for (uri, status) in [
        ("/entities/no-such-id", StatusCode::NOT_FOUND),
        ("/entities/no-such-id.json", StatusCode::NOT_FOUND),
        ("/networks/no-such-id", StatusCode::NOT_FOUND),
        ("/no/such/page", StatusCode::NOT_FOUND),
        ("/api/v1/entities/nope", StatusCode::NOT_FOUND),
        ("/search?year=abc", StatusCode::BAD_REQUEST),
        ("/search?page=-1", StatusCode::BAD_REQUEST),
        ("/search?page=0.5", StatusCode::BAD_REQUEST),
        ("/search?kind=spaceship", StatusCode::BAD_REQUEST),
        ("/search.json?limit=100000", StatusCode::BAD_REQUEST),
        ("/api/v1/search?year=99999", StatusCode::BAD_REQUEST),
    ] {
        let (got, ctype, body) = get(&a, uri).await;
        assert_eq!(got, status, "{uri}: {body}");
        if ctype.starts_with("application/json") {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert!(v["error"].as_str().is_some_and(|m| !m.is_empty()), "{uri}");
        } else {
            assert!(
                body.contains("<p class=\"error\">"),
                "{uri}: a page with the message"
            );
        }
    }
    let claim_as_source = format!("/api/v1/sources/{}", a.claim);
    assert_eq!(get(&a, &claim_as_source).await.0, StatusCode::NOT_FOUND);
    let q = "x".repeat(600);
    assert_eq!(
        get(&a, &format!("/search?q={q}")).await.0,
        StatusCode::BAD_REQUEST
    );
    // Odd but valid input is no error.
    for uri in [
        "/search?q=%22%27%3C%3E%26",
        "/search?q=%F0%9F%98%80",
        "/search?q=+++",
        "/search?q=a%20AND%20OR%20NOT",
    ] {
        assert_eq!(get(&a, uri).await.0, StatusCode::OK, "{uri}");
    }
}

#[tokio::test]
async fn stored_text_is_escaped_everywhere() {
    let a = app();
    let review = format!("/review/org-evil/{}", a.allmep);
    let pages = [
        "/entities/org-evil",
        "/entities/clm-evil",
        "/entities/doc-evil",
        "/entities/quo-evil",
        "/networks/org-evil",
        "/search?q=evil",
        "/search?q=alert",
        "/",
        "/review?threshold=0.5",
        &review,
        "/entities/org-evil/history",
        "/entities/clm-evil/history",
        "/login",
    ];
    for page in pages {
        let (status, _, html) = get(&a, page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(
            !html.contains("<script>alert"),
            "{page} lets a script through"
        );
        assert!(!html.contains("<img src=x"), "{page} lets markup through");
        assert!(
            !html.contains("href=\"javascript:"),
            "{page} links to javascript:"
        );
    }
    let (_, _, html) = get(&a, "/entities/org-evil").await;
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn search_finds_acronyms_and_filters_by_facets() {
    let a = app();
    let (_, _, body) = get(&a, "/api/v1/search?q=PHR-I").await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["hits"][0]["title"],
        "Physicians for Human Rights - Israel"
    );
    let (_, _, body) = get(&a, "/api/v1/search?q=&kind=claim&year=2020").await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["total"], 3, "two demo claims of 2020 and the hostile one");
    let (_, _, html) = get(&a, "/search?q=apartheid").await;
    assert!(html.contains("<mark>apartheid</mark>"));
    assert!(
        html.contains("href=\"/search?kind=claim&amp;q=apartheid\""),
        "facet links keep the query"
    );
}

#[tokio::test]
async fn openapi_lists_every_route_and_every_path_answers() {
    let a = app();
    let (status, _, body) = get(&a, "/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut documented: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    documented.sort();
    let mut routed: Vec<String> = dossier_web::api::API_PATHS
        .iter()
        .map(|p| p.to_string())
        .collect();
    routed.sort();
    assert_eq!(
        documented, routed,
        "the document and the router list the same paths"
    );
    for path in dossier_web::api::API_PATHS {
        let id = if path.contains("claims") {
            &a.claim
        } else if path.contains("sources") {
            &a.source
        } else {
            &a.allmep
        };
        let mut uri = path.replace("{id}", id);
        if path.ends_with("/path") {
            uri = format!("{path}?from={}&to=org-97c7bc04b74677a3", a.allmep);
        }
        let (status, ctype, body) = get(&a, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(ctype.starts_with("application/json"), "{uri}");
        // Every documented 200 response names a schema that exists.
        let op = &doc["paths"][path]["get"];
        if let Some(r) =
            op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].as_str()
        {
            let name = r.rsplit('/').next().unwrap();
            assert!(doc["components"]["schemas"][name].is_object(), "{name}");
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            for required in doc["components"]["schemas"][name]["required"]
                .as_array()
                .into_iter()
                .flatten()
            {
                assert!(
                    v.get(required.as_str().unwrap()).is_some(),
                    "{uri} lacks {required}"
                );
            }
        }
    }
}

/// A store with a quotation verified in its archived origin, one the origin
/// words differently, and hostile text in the archived page.
fn evidence_app() -> (Router, String, String, String) {
    use dossier_evidence::check::anchor_by_hand;
    use dossier_evidence::intake::{intake, FileMeta};
    let mut store = SqliteStore::in_memory().unwrap();
    let mut b = Batch::new("doc-report", "r");
    let mut d = Entity::new("doc-report", "Document").unwrap();
    d.add("fileName", "report.txt").unwrap();
    b.put(d).unwrap();
    let mut o = Entity::new("org-t", "Organization").unwrap();
    o.add("name", "Tidewater Forum").unwrap();
    b.put(o).unwrap();
    let mut c = Entity::new("clm-t", "Claim").unwrap();
    c.add("kind", "quote").unwrap();
    c.add("text", "The forum said it will keep its doors open to every family in the valley and never close them.").unwrap();
    c.add("subject", "org-t").unwrap();
    c.add("source", "doc-report").unwrap();
    b.put(c).unwrap();
    for (id, text) in [
        (
            "quo-ok",
            "keep its doors open to every family in the valley",
        ),
        ("quo-changed", "we will never close them to anyone"),
    ] {
        let mut q = Entity::new(id, "Quotation").unwrap();
        q.add("claim", "clm-t").unwrap();
        q.add("text", text).unwrap();
        q.add("speaker", "org-t").unwrap();
        b.put(q).unwrap();
    }
    store.apply(&[b], &prov()).unwrap();
    let page = "<html><head><title>Open doors</title><script>alert(9)</script></head><body>\
        <p>Tidewater Forum will keep its doors open to every family in the valley.</p>\
        <p>We will never close them to strangers.</p>\
        <p>&lt;script&gt;alert(5)&lt;/script&gt;</p></body></html>";
    let meta = FileMeta {
        name: "doors.html".into(),
        url: Some("https://tidewater.example/doors".into()),
        retrieved: Some("2024-04-01".into()),
        user: "test".into(),
        now: "2026-01-01T00:00:00Z".into(),
    };
    let got = intake(page.as_bytes(), &meta).unwrap();
    store
        .archive(
            &dossier_store::Scope::everything(),
            &got.copies,
            &got.documents,
            &prov(),
        )
        .unwrap();
    let doc = got.documents[0].source.clone();
    let sha = got.copies[0].info.sha256.clone();
    anchor_by_hand(&mut store, "quo-ok", &doc, false, &prov()).unwrap();
    anchor_by_hand(&mut store, "quo-changed", &doc, true, &prov()).unwrap();
    // As `dossier verify` does: pages show what it recorded.
    let checks = dossier_evidence::check::verify_all(&store).unwrap();
    dossier_evidence::check::record_results(&mut store, &checks, &prov()).unwrap();
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    let state = dossier_web::AppState::new(Box::new(store), index);
    (dossier_web::router(state), "org-t".into(), doc, sha)
}

#[tokio::test]
async fn quotations_show_their_marks_and_sources_their_archived_text() {
    let (router, org, doc, sha) = evidence_app();
    let a = App {
        router,
        allmep: String::new(),
        claim: String::new(),
        source: String::new(),
        person: String::new(),
        membership: String::new(),
    };
    let (status, _, body) = get(&a, &format!("/entities/{org}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(&format!(
            "class=\"mark mark-verified\" href=\"/entities/{doc}#q-quo-ok\""
        )),
        "{body}"
    );
    assert!(body.contains("mark mark-altered"), "{body}");
    // Where and when: the origin, the copy's date and hash, how, when checked.
    assert!(body.contains(", copy of 20"), "{body}");
    assert!(body.contains(&format!("title=\"SHA-256 {sha}\"")), "{body}");
    assert!(body.contains("position match, checked "), "{body}");
    assert!(body.contains("<del>anyone</del>"), "{body}");
    assert!(body.contains("<ins>strangers</ins>"), "{body}");
    let (_, _, json) = get(&a, &format!("/entities/{org}.json")).await;
    assert!(json.contains("\"mark\":\"altered\""), "{json}");
    assert!(json.contains("[-anyone-]{+strangers+}"), "{json}");
    assert!(json.contains("\"found_by\":\"position\""), "{json}");
    assert!(json.contains("\"stale\":false"), "{json}");

    let (status, _, page) = get(&a, &format!("/entities/{doc}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Archived copies (1)"), "{page}");
    assert!(page.contains("<mark class=\"q q-verified\" id=\"q-quo-ok\" title=\"verified\">keep its doors open to every family in the valley</mark>"), "{page}");
    assert!(page.contains("id=\"q-quo-changed\""), "{page}");
    // The archived page's text is shown as text: its markup never runs.
    assert!(page.contains("&lt;script&gt;alert(5)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert(5)"));
    assert!(
        !page.contains("alert(9)"),
        "scripts are not part of the visible text"
    );
    let (_, _, json) = get(&a, &format!("/entities/{doc}.json")).await;
    assert!(json.contains("\"highlights\""), "{json}");

    // The archived bytes: shown as inert text, named by their hash.
    let res = a
        .router
        .clone()
        .oneshot(
            Request::get(format!("/archive/{sha}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/plain; charset=utf-8");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    let (status, _, _) = get(&a, "/archive/../../etc/passwd").await;
    assert!(status == StatusCode::BAD_REQUEST || status == StatusCode::NOT_FOUND);
    let (status, _, _) = get(&a, "/archive/not-a-hash").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = get(&a, &format!("/archive/{}", "0".repeat(64))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_answers_network_questions_from_the_analysis_graph() {
    let a = app();
    let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
    // ALLMEP's members, and only them, through membership ties.
    let (status, _, body) = get(
        &a,
        &format!("/api/v1/entities/{}/neighbours?kind=membership", a.allmep),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = json(&body);
    assert_eq!(v["total"], 12);
    assert!(v["neighbours"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["entity"]["name"] == "Jahalin Solidarity" && n["distance"] == 1));
    let (_, _, body) = get(
        &a,
        &format!(
            "/api/v1/entities/{}/neighbours?kind=membership&limit=3",
            a.allmep
        ),
    )
    .await;
    let v = json(&body);
    assert_eq!(
        (
            v["total"].as_u64(),
            v["neighbours"].as_array().unwrap().len()
        ),
        (Some(12), 3)
    );
    // Two members are two ties apart, through ALLMEP, each tie with its source.
    let member = "org-97c7bc04b74677a3";
    let (_, _, body) = get(
        &a,
        &format!("/api/v1/entities/{member}/neighbours?hops=2&kind=membership"),
    )
    .await;
    let v = json(&body);
    assert_eq!(v["total"], 12, "ALLMEP and the eleven other members");
    let other = v["neighbours"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["distance"] == 2)
        .unwrap()["entity"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _, body) = get(
        &a,
        &format!("/api/v1/path?from={member}&to={other}&kind=membership"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v = json(&body);
    assert_eq!(v["length"], 2);
    assert_eq!(
        v["steps"][0]["to"]["name"],
        "Alliance for Middle East Peace"
    );
    assert_eq!(
        v["steps"][0]["direction"], "forward",
        "the member is the tie's source"
    );
    assert_eq!(v["steps"][1]["direction"], "backward");
    assert_eq!(v["steps"][1]["to"]["id"], other.as_str());
    assert!(
        !v["steps"][0]["sources"].as_array().unwrap().is_empty(),
        "{body}"
    );
    // The demo's memberships are undated, and undated ties hold at any date.
    let (_, _, body) = get(
        &a,
        &format!("/api/v1/path?from={member}&to={other}&at=1990"),
    )
    .await;
    assert!(json(&body)["length"].is_number(), "{body}");
    // Clear errors.
    for (uri, want) in [
        (
            format!("/api/v1/path?from={member}"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/v1/path?from={member}&to=nobody"),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/api/v1/path?from={member}&to={other}&kind=friendship"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/v1/path?from={member}&to={other}&at=soon"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/api/v1/entities/{member}/neighbours?hops=9"),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/v1/entities/nobody/neighbours".to_string(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/api/v1/entities/nobody/connections".to_string(),
            StatusCode::NOT_FOUND,
        ),
    ] {
        let (status, _, body) = get(&a, &uri).await;
        assert_eq!(status, want, "{uri}: {body}");
        assert!(json(&body)["error"].is_string(), "{uri}: {body}");
    }
    // The network page comes from the same engine and says how much it drew.
    let (_, _, body) = get(&a, &format!("/api/v1/networks/{}", a.allmep)).await;
    let v = json(&body);
    assert_eq!(v["nodes"].as_array().unwrap().len(), 13);
    assert_eq!(v["total"], 13);
}

/// Every answer, rendered or kept, carries the security headers: a
/// Content-Security-Policy the pages satisfy (their own script and
/// stylesheet only), nosniff, no framing, a same-origin referrer. An
/// archived copy keeps its own sandbox policy.
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let a = app();
    for uri in [
        "/".to_string(),
        "/".to_string(), // the second time from the page cache
        format!("/entities/{}", a.allmep),
        format!("/entities/{}.json", a.allmep),
        "/api/v1/stats".to_string(),
        "/no/such/page".to_string(),
        "/static/app.js".to_string(),
    ] {
        let res = a
            .router
            .clone()
            .oneshot(Request::get(uri.as_str()).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let h = res.headers();
        let csp = h
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp:?}");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp:?}");
        assert!(!csp.contains("unsafe-inline"), "{uri}");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{uri}");
        assert_eq!(h.get("x-frame-options").unwrap(), "DENY", "{uri}");
        assert_eq!(h.get("referrer-policy").unwrap(), "same-origin", "{uri}");
    }
    // The pages satisfy the policy: no inline script that runs, no inline
    // style, nothing loaded from elsewhere.
    let (_, _, html) = get(&a, &format!("/entities/{}", a.allmep)).await;
    for bad in [
        " style=\"",
        "<style",
        " onclick=",
        " onload=",
        "src=\"http",
        "href=\"//",
    ] {
        assert!(!html.contains(bad), "the page has {bad}");
    }
    for script in html.split("<script").skip(1) {
        let tag = &script[..script.find('>').unwrap()];
        assert!(
            tag.contains("src=\"/static/") || tag.contains("application/ld+json"),
            "an inline script: <script{tag}>"
        );
    }
}

/// A form sent from another site is refused before it is read, sign-in
/// included (its token was one value for everyone, and no Origin was
/// looked at).
#[tokio::test]
async fn a_form_from_another_site_is_refused() {
    let a = app();
    for origin in ["https://evil.example", "null"] {
        let res = a
            .router
            .clone()
            .oneshot(
                Request::post("/login")
                    .header("host", "127.0.0.1:8080")
                    .header("origin", origin)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from("name=root&password=x&token=x"))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin}");
    }
}

/// Entities of FtM's wider model, one field carrying a script payload.
fn wider_model() -> Batch {
    let payload = "<script>alert(5)</script>";
    let mut b = Batch::new("doc-reg", "r");
    let mut d = Entity::new("doc-reg", "Document").unwrap();
    d.add("fileName", "register.json").unwrap();
    d.add("title", "Shipping register").unwrap();
    b.put(d).unwrap();
    let mut a = Entity::new("addr-1", "Address").unwrap();
    a.add("full", format!("1 Quay Street {payload}")).unwrap();
    a.add("city", "Harbour Town").unwrap();
    b.put(a).unwrap();
    let mut c = Entity::new("co-1", "Company").unwrap();
    c.add("name", "Quay Holdings").unwrap();
    c.add("addressEntity", "addr-1").unwrap();
    b.put(c).unwrap();
    let mut v = Entity::new("ves-1", "Vessel").unwrap();
    v.add("name", "Northern Star").unwrap();
    v.add("flag", "pa").unwrap();
    v.add("imoNumber", "IMO9999999").unwrap();
    v.keep_unknown("hullColour", payload).unwrap();
    b.put(v).unwrap();
    let mut o = Entity::new("own-1", "Ownership").unwrap();
    o.add("owner", "co-1").unwrap();
    o.add("asset", "ves-1").unwrap();
    o.add("percentage", "100").unwrap();
    b.put(o).unwrap();
    let mut s = Entity::new("san-1", "Sanction").unwrap();
    s.add("entity", "ves-1").unwrap();
    s.add("program", "Maritime list").unwrap();
    s.add("authority", "Harbour Board").unwrap();
    b.put(s).unwrap();
    b
}

/// An entity without a page of its own gets FtM's labels, grouped, each
/// value with its source, unknown properties apart, and its links both ways.
#[tokio::test]
async fn entities_of_the_wider_model_have_a_page() {
    let mut store = SqliteStore::in_memory().unwrap();
    store.apply(&[wider_model()], &prov()).unwrap();
    let index = SearchIndex::in_memory().unwrap();
    index.rebuild(&store).unwrap();
    let state = dossier_web::AppState::new(Box::new(store), index);
    let a = App {
        router: dossier_web::router(state),
        allmep: String::new(),
        claim: String::new(),
        source: String::new(),
        person: String::new(),
        membership: String::new(),
    };
    let (status, _, html) = get(&a, "/entities/ves-1").await;
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "<h1>Northern Star</h1>",
        "IMO Number",
        "Not in FtM's model",
        "Sanctions (1)",
        "href=\"/entities/san-1\"",
        "Ownership and Control (1)",
        "Owner: <a href=\"/entities/co-1\">Quay Holdings</a>",
        "(source: <a href=\"/entities/doc-reg\">Shipping register</a>)",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in {html}");
    }
    assert!(!html.contains("<script>alert"), "escaped");
    let (_, _, html) = get(&a, "/entities/addr-1").await;
    assert!(html.contains("Full address"), "{html}");
    assert!(html.contains("Located there (1)"), "{html}");
    assert!(!html.contains("<script>alert"), "escaped");
    let (status, _, _) = get(&a, "/entities/own-1").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, json) = get(&a, "/entities/ves-1.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(json.contains("hullColour"), "{json}");
    // Searchable, each as its kind.
    for (q, id, kind) in [
        ("Northern+Star", "ves-1", "other"),
        ("Quay+Holdings", "co-1", "company"),
        ("Quay+Street", "addr-1", "other"),
    ] {
        let (status, _, json) = get(&a, &format!("/search.json?q={q}")).await;
        assert_eq!(status, StatusCode::OK);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let hit = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("{q}: {json}"));
        assert_eq!(hit["kind"], kind, "{q}");
    }
    let (status, _, _) = get(&a, "/search.json?q=&kind=company").await;
    assert_eq!(status, StatusCode::OK);
}
