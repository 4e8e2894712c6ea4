//! Pages made of the analysis graph near an entity (its neighbours, a
//! network's drawing and its interlocks, a path between two entities) are
//! kept through writes that do not touch the ties deciding them, and made
//! again when one of those ties moves, though nothing the page shows was
//! written to. Each case tries to see a page kept from before a change
//! that should show in it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::kept::{first_write, json, keep_all, new_organization, rendered, visit};
use common::{form, router, send, sign_in};

#[tokio::test]
async fn pages_of_the_graph_near_an_entity_follow_the_ties_that_decide_them() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    first_write(&router, (&ed, &csrf), &allmep, &source).await;
    // One neighbour shown of all those two ties away: the rest only
    // counted, so a tie among them changes the page without changing any
    // entity it names.
    let neighbours = format!("/api/v1/entities/{allmep}/neighbours?hops=2&limit=1");
    let drawing = format!("/api/v1/networks/{allmep}");
    let drawing_page = format!("/networks/{allmep}");
    let interlocks = format!("/networks/{allmep}/interlocks.json");
    let pages = [&neighbours, &drawing, &drawing_page, &interlocks];
    let uris: Vec<&str> = pages.iter().map(|p| p.as_str()).collect();
    keep_all(&router, &uris).await;
    let before = json(&visit(&router, &neighbours).await.1);
    let drawn_before = json(&visit(&router, &drawing).await.1);
    let shown = before["neighbours"][0]["entity"]["id"].as_str().unwrap();
    // A member of the network the neighbours page does not show.
    let profile = json(
        &visit(&router, &format!("/api/v1/entities/{allmep}/profile"))
            .await
            .1,
    );
    let members: Vec<String> = profile["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["member"]["id"].as_str().unwrap().to_string())
        .collect();
    let member = members
        .iter()
        .find(|m| *m != shown)
        .expect("the network has two members")
        .clone();
    // A path between two other members (through the network), by ids,
    // kept like the rest; one asked by name is the search index's answer.
    let (x, y) = (&members[members.len() - 1], &members[members.len() - 2]);
    let path = format!("/api/v1/path?from={x}&to={y}");
    let path_page = format!("/path?from={x}&to={y}");
    let by_name = "/path?from=ALLMEP&to=Harbour+Lighthouse+Keepers+Union";
    keep_all(&router, &[&path, &path_page, by_name]).await;
    let unknown = visit(&router, by_name).await.1;
    let path_before = json(&visit(&router, &path).await.1);
    assert_eq!(path_before["length"], 2, "{path_before}");

    // A write away from the network: a new organization with no ties.
    new_organization(&router, (&ed, &csrf), "Harbour Lighthouse Keepers Union").await;
    let (was_kept, page) = visit(&router, by_name).await;
    assert!(!was_kept && page != unknown, "a name is looked up anew");
    assert!(visit(&router, by_name).await.0, "then kept");
    for uri in uris
        .iter()
        .copied()
        .chain([path.as_str(), path_page.as_str()])
    {
        let (was_kept, page) = visit(&router, uri).await;
        assert!(was_kept, "{uri}: no tie near it moved");
        if !uri.starts_with("/networks/") || uri.ends_with(".json") {
            assert_eq!(page, rendered(&router, uri.to_string()).await, "{uri}");
        }
    }

    // The member not shown joins a network of its own: one more entity
    // two ties away from the network, and a new node in its drawing's
    // count. Neither page names the member's new network, nor was the
    // network written to.
    let r = send(
        &router,
        "POST",
        &format!("/entities/{member}/relationships"),
        &ed,
        Some(form(&[
            ("csrf", &csrf),
            ("relation", "membership:from"),
            ("other", "Tidewater Assembly of Fishing Towns"),
            ("create", "on"),
            ("create_kind", "Organization"),
            ("source_url", "https://example.org/tidewater/members"),
            ("reason", "their list of members"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (was_kept, after) = visit(&router, &neighbours).await;
    assert!(!was_kept, "a member's tie moved who is two ties away");
    let after = json(&after);
    assert!(
        after["total"].as_u64().unwrap() > before["total"].as_u64().unwrap(),
        "{before} then {after}"
    );
    assert_eq!(after["neighbours"], before["neighbours"]);
    let (was_kept, drawn) = visit(&router, &drawing).await;
    assert!(!was_kept, "the drawing counts who is two ties away");
    let drawn = json(&drawn);
    assert!(
        drawn["total"].as_u64().unwrap() > drawn_before["total"].as_u64().unwrap(),
        "{drawn}"
    );
    for uri in [&drawing_page, &interlocks] {
        assert!(!visit(&router, uri).await.0, "{uri}: a member's ties moved");
    }
    // Made again, and kept again until the next tie near them moves.
    keep_all(&router, &uris).await;

    // The two members become partners: the path between them is one tie.
    let r = send(
        &router,
        "POST",
        &format!("/entities/{x}/relationships"),
        &ed,
        Some(form(&[
            ("csrf", &csrf),
            ("relation", "partnership:from"),
            ("other", y),
            ("source_url", "https://example.org/partners"),
            ("reason", "their joint statement"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (was_kept, after) = visit(&router, &path).await;
    assert!(!was_kept, "a tie between its ends moved the path");
    assert_eq!(json(&after)["length"], 1, "{after}");
    assert!(!visit(&router, &path_page).await.0);
    assert!(
        !visit(&router, by_name).await.0,
        "any change moves a name's answer"
    );
}
