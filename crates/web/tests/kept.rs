//! Kept pages follow what changed: a write drops the pages made of the
//! entities it changed (and of those it points at), every list and search,
//! and keeps the others; a redaction drops every page. Each case tries to
//! see a page kept from before a change that should show in it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::kept::{answer, edit, first_write, json, keep_all, new_organization, rendered, visit};
use common::{form, router, send, sign_in};
use tower::ServiceExt;

#[tokio::test]
async fn a_write_drops_only_the_pages_made_of_what_it_changed() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let profile = json(
        &visit(&router, &format!("/api/v1/entities/{allmep}/profile"))
            .await
            .1,
    );
    let members: Vec<(String, String)> = profile["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["member"]["id"].as_str().unwrap().to_string(),
                m["member"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let (x, x_name) = members[0].clone();
    let (y, _) = members[1].clone();
    let rename = |id: String, name: &'static str| {
        let router = router.clone();
        let (ed, csrf, source) = (ed.clone(), csrf.clone(), source.clone());
        async move {
            edit(
                &router,
                (&ed, &csrf),
                &id,
                &[("name", name)],
                (&source, "their own site"),
            )
            .await;
        }
    };
    // A first write, after which the server follows the store.
    rename(x.clone(), "Orchard Lane Peace Circle").await;

    let network = format!("/entities/{allmep}");
    let x_page = format!("/entities/{x}");
    let y_page = format!("/entities/{y}");
    let y_api = format!("/api/v1/entities/{y}/profile");
    let y_links = format!("/entities/{y}/connections.json");
    let search = "/search.json?q=Orchard";
    keep_all(
        &router,
        &[&network, &x_page, &y_page, &y_api, &y_links, search, "/"],
    )
    .await;
    let (_, y_before) = visit(&router, &y_page).await;
    let links_before = json(&visit(&router, &y_links).await.1);
    assert!(
        links_before
            .to_string()
            .contains("Orchard Lane Peace Circle"),
        "y shares ALLMEP with x: {links_before}"
    );

    rename(x.clone(), "Quince Street Dialogue House").await;
    // The renamed member's page, the network that lists it, the page of
    // those it is connected with, the search and the home page: made again.
    for uri in [&x_page, &network, &y_links] {
        let (was_kept, page) = visit(&router, uri).await;
        assert!(!was_kept, "{uri} was made of the renamed member");
        assert!(page.contains("Quince Street Dialogue House"), "{uri}");
        assert!(!page.contains("Orchard Lane Peace Circle"), "{uri}");
    }
    for uri in [search, "/"] {
        assert!(!visit(&router, uri).await.0, "{uri} is a list: made again");
    }
    // Another member's page and API answer name neither: kept as they were.
    let (was_kept, y_after) = visit(&router, &y_page).await;
    assert!(was_kept, "nothing y's page shows changed");
    assert_eq!(y_after, y_before);
    assert!(visit(&router, &y_api).await.0);
    assert!(!x_name.is_empty());

    // A new member of the network: the network's page and the
    // connections of its other members change, though none of them was
    // written to.
    let keepers = new_organization(&router, (&ed, &csrf), "Harbour Lighthouse Keepers Union").await;
    keep_all(&router, &[&network, &y_links, &y_page]).await;
    let r = send(
        &router,
        "POST",
        &format!("/entities/{keepers}/relationships"),
        &ed,
        Some(form(&[
            ("csrf", &csrf),
            ("relation", "membership:from"),
            ("other", "ALLMEP"),
            ("source_url", "https://example.org/keepers/annual-report"),
            ("reason", "their annual report"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (was_kept, page) = visit(&router, &network).await;
    assert!(!was_kept && page.contains("Harbour Lighthouse Keepers Union"));
    let (was_kept, links) = visit(&router, &y_links).await;
    assert!(!was_kept, "y now shares ALLMEP with one more");
    let links = json(&links);
    assert_eq!(
        links["total"].as_u64().unwrap(),
        links_before["total"].as_u64().unwrap() + 1,
        "{links}"
    );

    // A write to one member leaves the new member's page as it was.
    let keepers_page = format!("/entities/{keepers}");
    keep_all(&router, &[&keepers_page]).await;
    rename(x.clone(), "Rowan Court Reconciliation Forum").await;
    assert!(visit(&router, &keepers_page).await.0);
}

#[tokio::test]
async fn a_redaction_drops_every_kept_page() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let (root, root_csrf) = sign_in(&router, "root").await;
    first_write(&router, (&ed, &csrf), &allmep, &source).await;
    let found = json(&visit(&router, "/search.json?q=Hila+Cohen").await.1);
    let hila = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "person")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Every page that names her, kept; and one that may not (the network).
    let pages: Vec<String> = [
        format!("/entities/{hila}"),
        format!("/api/v1/entities/{hila}"),
        format!("/entities/{allmep}"),
        format!("/api/v1/entities/{allmep}/profile"),
        "/search.json?q=Cohen".to_string(),
    ]
    .into();
    let uris: Vec<&str> = pages.iter().map(String::as_str).collect();
    keep_all(&router, &uris).await;
    assert!(visit(&router, &pages[0]).await.1.contains("Hila Cohen"));
    let r = send(
        &router,
        "POST",
        &format!("/entities/{hila}/redact"),
        &root,
        Some(form(&[
            ("csrf", &root_csrf),
            ("reason", "a private person"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for uri in &uris {
        // Her own pages are gone (404); the others name her no more.
        let (_, was_kept, page) = answer(&router, uri).await;
        assert!(!was_kept, "{uri} kept past a redaction");
        assert!(!page.contains("Hila Cohen"), "{uri} still names her");
    }
}

#[tokio::test]
async fn a_signed_in_readers_kept_page_follows_the_same_changes() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let (vic, _) = sign_in(&router, "vic").await;
    let edit = |alias: &'static str| {
        form(&[
            ("csrf", &csrf),
            ("name", "Alliance for Middle East Peace"),
            ("abbreviation", "ALLMEP"),
            ("alias", alias),
            ("source", &source),
            ("reason", "their own site"),
        ])
    };
    let page = format!("/entities/{allmep}");
    let r = send(
        &router,
        "POST",
        &format!("{page}/edit"),
        &ed,
        Some(edit("One Alias")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let as_vic = |router: Router, page: String, vic: String| async move {
        let res = router
            .oneshot(
                Request::builder()
                    .uri(&page)
                    .header(header::COOKIE, &vic)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let kept = res.headers().get("x-dossier-page").is_some();
        let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
            .await
            .unwrap();
        (kept, String::from_utf8(bytes.to_vec()).unwrap())
    };
    as_vic(router.clone(), page.clone(), vic.clone()).await;
    assert!(as_vic(router.clone(), page.clone(), vic.clone()).await.0);
    let r = send(
        &router,
        "POST",
        &format!("{page}/edit"),
        &ed,
        Some(edit("Two Alias")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (was_kept, body) = as_vic(router.clone(), page.clone(), vic.clone()).await;
    assert!(!was_kept && body.contains("Two Alias") && !body.contains("One Alias"));
}

/// The entities a rendered page reads are kept from request to request
/// (beside their labels) and forgotten with them: a page asked for with
/// `no-cache`, made from the store each time, shows each change at once.
#[tokio::test]
async fn entities_kept_between_renderings_follow_each_change() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let fresh = |uri: String| rendered(&router, uri);
    let profile = json(&fresh(format!("/api/v1/entities/{allmep}/profile")).await);
    let x = profile["members"][0]["member"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let network = format!("/entities/{allmep}");
    let x_page = format!("/entities/{x}");
    for name in ["Juniper Row Listening Circle", "Alder Yard Common Table"] {
        // Made twice first: the second rendering reads what the first kept.
        for uri in [&network, &x_page] {
            fresh(uri.clone()).await;
            fresh(uri.clone()).await;
        }
        edit(
            &router,
            (&ed, &csrf),
            &x,
            &[("name", name)],
            (&source, "their own site"),
        )
        .await;
        for uri in [&network, &x_page] {
            let page = fresh(uri.clone()).await;
            assert!(page.contains(name), "{uri} shows the new name");
        }
    }
}

/// What refers to an entity is kept between renderings too, and a change
/// to one of those referring entities (here a claim's date, which names
/// only the claim as changed) forgets the list.
#[tokio::test]
async fn a_change_to_what_refers_to_an_entity_shows_on_its_page() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let uri = format!("/api/v1/entities/{allmep}/profile");
    let profile = json(&rendered(&router, uri.clone()).await);
    let claim = profile["claims"][0]["id"].as_str().unwrap().to_string();
    for date in ["2011-11", "2012-02"] {
        rendered(&router, uri.clone()).await;
        edit(
            &router,
            (&ed, &csrf),
            &claim,
            &[("eventDate", date)],
            (&source, "the report's own date"),
        )
        .await;
        let after = json(&rendered(&router, uri.clone()).await);
        let shown = after["claims"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == claim.as_str())
            .unwrap()["date"]
            .clone();
        assert_eq!(shown, date, "{after}");
    }
}
