//! Editing in the browser, end to end in process: an editor changes a
//! profile with a source and a reason, the history shows who, when, why
//! and what; a change is reverted; a new organization is made; bad forms
//! and the wrong people are refused; script in any field stays text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::{form, router, router_with, send, sign_in, value_of, Answer};
use tower::ServiceExt;

#[tokio::test]
async fn an_editor_edits_with_source_and_reason_and_a_change_is_reverted() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let edit = format!("/entities/{allmep}/edit");
    let page = send(&router, "GET", &edit, &ed, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"alias\"") && page.body.contains(&source));
    let name = "Alliance for Middle East Peace";
    let payload = "<script>alert(1)</script>";
    let good = |extra: &[(&str, &str)]| {
        let mut f: Vec<(&str, &str)> = vec![
            ("csrf", &csrf),
            ("name", name),
            ("abbreviation", "ALLMEP"),
            ("country", "us"),
            ("source", &source),
            ("collection", "edits"),
            ("reason", "a shorter form seen on their site"),
        ];
        f.extend_from_slice(extra);
        form(&f)
    };
    // Refused, and nothing recorded: no reason, no source, a bad address,
    // a value that is no country code, the wrong token, a viewer.
    let alias = format!("Alliance for Mideast Peace\n{payload}");
    let cases: Vec<(String, &str, StatusCode)> = vec![
        (
            good(&[("alias", &alias), ("reason", "")]),
            &ed,
            StatusCode::BAD_REQUEST,
        ),
        (
            good(&[("alias", &alias), ("source", "")]),
            &ed,
            StatusCode::BAD_REQUEST,
        ),
        (
            good(&[("source", ""), ("source_url", "javascript:alert(1)")]),
            &ed,
            StatusCode::BAD_REQUEST,
        ),
        (good(&[("country", "Israel")]), &ed, StatusCode::BAD_REQUEST),
        (
            good(&[("alias", &alias), ("csrf", "0")]),
            &ed,
            StatusCode::FORBIDDEN,
        ),
    ];
    for (f, cookie, status) in &cases {
        let r = send(&router, "POST", &edit, cookie, Some(f.clone())).await;
        assert_eq!(r.status, *status, "{f}: {}", r.body);
    }
    let (vic, vic_csrf) = sign_in(&router, "vic").await;
    let r = send(
        &router,
        "POST",
        &edit,
        &vic,
        Some(good(&[("alias", &alias), ("csrf", &vic_csrf)])),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        send(&router, "GET", &edit, &vic, None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(&router, "GET", &edit, "", None).await.status,
        StatusCode::FORBIDDEN
    );
    let history_url = format!("/entities/{allmep}/history.json");
    let before: serde_json::Value =
        serde_json::from_str(&send(&router, "GET", &history_url, "", None).await.body).unwrap();

    // Saved: the profile has the aliases, the history says who, why, what.
    let r = send(
        &router,
        "POST",
        &edit,
        &ed,
        Some(good(&[("alias", &alias)])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, format!("/entities/{allmep}"));
    let profile = send(&router, "GET", &r.location, "", None).await.body;
    assert!(profile.contains("Alliance for Mideast Peace"));
    assert!(!profile.contains("<script>alert") && profile.contains("&lt;script&gt;alert(1)"));
    let history: serde_json::Value =
        serde_json::from_str(&send(&router, "GET", &history_url, "", None).await.body).unwrap();
    let changes = history["changes"].as_array().unwrap();
    assert_eq!(
        changes.len(),
        before["changes"].as_array().unwrap().len() + 1
    );
    let latest = &changes[0];
    assert_eq!(latest["users"][0], "ed");
    assert_eq!(
        latest["reasons"][0],
        "edit: a shorter form seen on their site"
    );
    assert!(latest["added"]
        .to_string()
        .contains("Alliance for Mideast Peace"));
    let page = send(
        &router,
        "GET",
        &format!("/entities/{allmep}/history"),
        &ed,
        None,
    )
    .await
    .body;
    assert!(page.contains("Undo this change") && !page.contains("<script>alert"));
    for url in ["/search?q=Mideast", "/search?q=alert"] {
        let found = send(&router, "GET", url, "", None).await.body;
        assert!(!found.contains("<script>alert"), "{url}");
    }
    assert!(send(&router, "GET", "/search.json?q=Mideast", "", None)
        .await
        .body
        .contains(&allmep));

    // Taking a value away (the abbreviation the import gave).
    let r = send(
        &router,
        "POST",
        &edit,
        &ed,
        Some(good(&[
            ("alias", &alias),
            ("abbreviation", ""),
            ("reason", "not an acronym they use"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let json: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!("/entities/{allmep}.json"),
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    assert!(
        json["entity"]["properties"]["abbreviation"].is_null(),
        "{json}"
    );
    let history: serde_json::Value =
        serde_json::from_str(&send(&router, "GET", &history_url, "", None).await.body).unwrap();
    let latest = &history["changes"][0];
    assert_eq!(
        latest["removed"][0],
        serde_json::json!(["abbreviation", "ALLMEP"])
    );
    assert_eq!(latest["reasons"][0], "not an acronym they use");

    // Revert that: the abbreviation is back.
    let at = latest["at"].as_str().unwrap().to_string();
    let revert = format!("/entities/{allmep}/revert");
    let r = send(
        &router,
        "POST",
        &revert,
        &ed,
        Some(form(&[("csrf", &csrf), ("at", &at), ("reason", "")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a revert needs a reason");
    let r = send(
        &router,
        "POST",
        &revert,
        &vic,
        Some(form(&[("csrf", &vic_csrf), ("at", &at), ("reason", "x")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(
        &router,
        "POST",
        &revert,
        &ed,
        Some(form(&[
            ("csrf", &csrf),
            ("at", &at),
            ("reason", "they do use it"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let json: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!("/entities/{allmep}.json"),
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(json["entity"]["properties"]["abbreviation"][0], "ALLMEP");
    // Only that change: the alias added a moment before stays.
    assert!(json["entity"]["properties"]["alias"]
        .to_string()
        .contains("Alliance for Mideast Peace"));
}

#[tokio::test]
async fn an_editor_makes_a_new_organization_from_a_new_source() {
    let (router, _, _) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let page = send(&router, "GET", "/new/organization", &ed, None).await;
    assert_eq!(page.status, StatusCode::OK);
    let f = form(&[
        ("csrf", &csrf),
        ("name", "Harbour Lighthouse Keepers Union"),
        ("country", "cy"),
        ("source_url", "https://example.org/lighthouse-keepers"),
        ("source_title", "The union's founding statement"),
        ("reason", "founded this year"),
    ]);
    let r = send(&router, "POST", "/new/organization", &ed, Some(f.clone())).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let profile = send(&router, "GET", &r.location, "", None).await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("Harbour Lighthouse Keepers Union"));
    assert!(
        profile.body.contains("The union&#39;s founding statement")
            || profile.body.contains("The union's founding statement")
    );
    assert!(send(&router, "GET", "/search.json?q=Lighthouse", "", None)
        .await
        .body
        .contains("Harbour Lighthouse"));
    // Made twice: it is known already.
    let again = send(&router, "POST", "/new/organization", &ed, Some(f)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        send(&router, "GET", "/new/spaceship", &ed, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_soft_delete_keeps_the_history_and_a_revert_brings_it_back() {
    let (router, _, _) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let (vic, vic_csrf) = sign_in(&router, "vic").await;
    let hila = "/search.json?q=Hila+Cohen&kind=person";
    let v: serde_json::Value =
        serde_json::from_str(&send(&router, "GET", hila, "", None).await.body).unwrap();
    let id = v["hits"][0]["id"].as_str().unwrap().to_string();
    let delete = format!("/entities/{id}/delete");
    let r = send(
        &router,
        "POST",
        &delete,
        &vic,
        Some(form(&[("csrf", &vic_csrf), ("reason", "x")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(
        &router,
        "POST",
        &delete,
        &ed,
        Some(form(&[("csrf", &csrf), ("reason", "")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = send(
        &router,
        "POST",
        &delete,
        &ed,
        Some(form(&[("csrf", &csrf), ("reason", "entered twice")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        send(&router, "GET", &format!("/entities/{id}"), "", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let v: serde_json::Value =
        serde_json::from_str(&send(&router, "GET", hila, "", None).await.body).unwrap();
    assert!(v["hits"].as_array().unwrap().is_empty(), "{v}");
    // Its history stays, with the reason, and offers the revert.
    let page = send(
        &router,
        "GET",
        &format!("/entities/{id}/history"),
        &ed,
        None,
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("deleted: entered twice"),
        "{}",
        page.body
    );
    let h: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!("/entities/{id}/history.json"),
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    let at = h["changes"][0]["at"].as_str().unwrap().to_string();
    let r = send(
        &router,
        "POST",
        &format!("/entities/{id}/revert"),
        &ed,
        Some(form(&[
            ("csrf", &csrf),
            ("at", &at),
            ("reason", "not a duplicate"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&router, "GET", &format!("/entities/{id}"), "", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hila Cohen"));
    let v: serde_json::Value =
        serde_json::from_str(&send(&router, "GET", hila, "", None).await.body).unwrap();
    assert_eq!(v["hits"][0]["id"], id.as_str());
}

#[tokio::test]
async fn a_redaction_reaches_every_page_and_search() {
    let (router, _, _) = router();
    let (ed, ed_csrf) = sign_in(&router, "ed").await;
    let (root, csrf) = sign_in(&router, "root").await;
    let find = |q: &'static str| {
        let router = router.clone();
        async move {
            send(&router, "GET", &format!("/search.json?q={q}"), "", None)
                .await
                .body
        }
    };
    let v: serde_json::Value = serde_json::from_str(&find("Hila+Cohen").await).unwrap();
    let hila = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["kind"] == "person")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pcff = {
        let v: serde_json::Value = serde_json::from_str(&find("PCFF").await).unwrap();
        v["hits"][0]["id"].as_str().unwrap().to_string()
    };
    let redact = format!("/entities/{hila}/redact");
    let r = send(
        &router,
        "POST",
        &redact,
        &ed,
        Some(form(&[("csrf", &ed_csrf), ("reason", "x")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "editors do not redact");
    let r = send(
        &router,
        "POST",
        &redact,
        &root,
        Some(form(&[("csrf", &csrf), ("reason", "")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = send(
        &router,
        "POST",
        &format!("/entities/{pcff}/redact"),
        &root,
        Some(form(&[("csrf", &csrf), ("reason", "x")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "only a person");
    let r = send(
        &router,
        "POST",
        &redact,
        &root,
        Some(form(&[("csrf", &csrf), ("reason", "a private person")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    for (url, cookie) in [
        (format!("/entities/{pcff}"), ""),
        (format!("/entities/{pcff}.json"), ""),
        (format!("/api/v1/entities/{pcff}/profile"), ""),
        (format!("/entities/{pcff}/history"), root.as_str()),
        ("/search?q=Cohen".to_string(), ""),
        ("/search.json?q=Cohen".to_string(), ""),
        (format!("/networks/{pcff}"), ""),
    ] {
        let page = send(&router, "GET", &url, cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{url}");
        assert!(!page.body.contains("Hila Cohen"), "{url} still names her");
    }
    assert!(send(&router, "GET", &format!("/entities/{pcff}"), "", None)
        .await
        .body
        .contains("[redacted]"));
    assert_eq!(
        send(&router, "GET", &format!("/entities/{hila}"), "", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Lifted by an admin.
    let r = send(
        &router,
        "POST",
        &redact,
        &root,
        Some(form(&[("csrf", &csrf), ("undo", "true")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        send(&router, "GET", &format!("/entities/{hila}"), "", None)
            .await
            .status,
        StatusCode::OK
    );
    assert!(find("Hila+Cohen").await.contains(&hila));
}

#[tokio::test]
async fn an_editor_adds_relationships_with_their_source() {
    let (router, allmep, _) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let (vic, vic_csrf) = sign_in(&router, "vic").await;
    // A new body, then its membership of ALLMEP and a grant to it.
    let r = send(
        &router,
        "POST",
        "/new/organization",
        &ed,
        Some(form(&[
            ("csrf", &csrf),
            ("name", "Harbour Lighthouse Keepers Union"),
            ("source_url", "https://example.org/keepers"),
            ("reason", "new member"),
        ])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let keepers = r.location.trim_start_matches("/entities/").to_string();
    let url = format!("/entities/{keepers}/relationships");
    assert_eq!(
        send(&router, "GET", &format!("{url}/new"), &ed, None)
            .await
            .status,
        StatusCode::OK
    );
    let rel = |relation: &str, other: &str, extra: &[(&str, &str)], token: &str| {
        let mut f: Vec<(&str, &str)> = vec![
            ("csrf", token),
            ("relation", relation),
            ("other", other),
            ("source_url", "https://example.org/keepers/annual-report"),
            ("reason", "their annual report"),
        ];
        f.extend_from_slice(extra);
        form(&f)
    };
    let cases = [
        (
            rel("membership:from", "ALLMEP", &[], &vic_csrf),
            &vic,
            StatusCode::FORBIDDEN,
        ),
        (
            rel("membership:from", "ALLMEP", &[("reason", "")], &csrf),
            &ed,
            StatusCode::BAD_REQUEST,
        ),
        (
            rel("membership:from", "Nobody Known", &[], &csrf),
            &ed,
            StatusCode::BAD_REQUEST,
        ),
        (
            rel("employment:from", "ALLMEP", &[], &csrf),
            &ed,
            StatusCode::BAD_REQUEST,
        ),
        (
            rel("funding:to", "ALLMEP", &[("amount", "lots")], &csrf),
            &ed,
            StatusCode::BAD_REQUEST,
        ),
        (
            rel("marriage:from", "ALLMEP", &[], &csrf),
            &ed,
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (f, cookie, status) in &cases {
        let r = send(&router, "POST", &url, cookie, Some(f.clone())).await;
        assert_eq!(r.status, *status, "{f}: {}", r.body);
    }
    let r = send(
        &router,
        "POST",
        &url,
        &ed,
        Some(rel(
            "membership:from",
            "ALLMEP",
            &[("startDate", "2024")],
            &csrf,
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = send(
        &router,
        "POST",
        &url,
        &ed,
        Some(rel(
            "funding:to",
            "ALLMEP",
            &[("amount", "25000"), ("currency", "EUR"), ("date", "2025")],
            &csrf,
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let profile: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!("/api/v1/entities/{keepers}/profile"),
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(
        profile["member_of"][0]["other"]["id"],
        allmep.as_str(),
        "{profile}"
    );
    assert_eq!(
        profile["funding"][0]["payer"]["id"],
        allmep.as_str(),
        "{profile}"
    );
    let network = send(&router, "GET", &format!("/entities/{allmep}"), "", None)
        .await
        .body;
    assert!(network.contains("Harbour Lighthouse Keepers Union"));
    // Each relationship cites its source and carries the reason.
    let membership = profile["member_of"][0]["relation"]["id"].as_str().unwrap();
    let history: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!("/entities/{membership}/history.json"),
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    let change = &history["changes"][0];
    assert_eq!(change["reasons"][0], "edit: their annual report");
    assert_eq!(change["users"][0], "ed");
    assert_eq!(
        profile["member_of"][0]["relation"]["properties"]["proof"][0],
        change["sources"][0]["id"]
    );
}

#[tokio::test]
async fn an_editor_adds_a_claim_with_quotations_and_the_subject_s_reply() {
    let (router, _, _) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let v: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            "/search.json?q=Holy+Land+Trust&kind=organization",
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    let hlt = v["hits"][0]["id"].as_str().unwrap().to_string();
    let url = format!("/entities/{hlt}/claims");
    assert_eq!(
        send(&router, "GET", &format!("{url}/new"), &ed, None)
            .await
            .status,
        StatusCode::OK
    );
    let claim = |extra: &[(&str, &str)]| {
        let mut f: Vec<(&str, &str)> = vec![
            ("csrf", &csrf),
            ("kind", "assessment"),
            (
                "text",
                "A watchdog says the tours are one-sided <script>alert(1)</script>",
            ),
            ("topic", "Tours"),
            ("eventDate", "2023-06"),
            ("quote1", "one-sided tours"),
            ("speaker1", "Holy Land Trust"),
            ("source_url", "https://example.org/watchdog/hlt"),
            ("source_title", "A watchdog's report"),
            ("reason", "a new report"),
        ];
        f.extend_from_slice(extra);
        form(&f)
    };
    for (extra, status) in [
        (vec![("kind", "rumour")], StatusCode::BAD_REQUEST),
        (vec![("text", "")], StatusCode::BAD_REQUEST),
        (
            vec![("speaker1", "Nobody We Know")],
            StatusCode::BAD_REQUEST,
        ),
        (vec![("replyTo", "clm-none")], StatusCode::BAD_REQUEST),
        (vec![("eventDate", "June")], StatusCode::BAD_REQUEST),
        (vec![("reason", "")], StatusCode::BAD_REQUEST),
    ] {
        let r = send(&router, "POST", &url, &ed, Some(claim(&extra))).await;
        assert_eq!(r.status, status, "{extra:?}: {}", r.body);
    }
    let r = send(&router, "POST", &url, &ed, Some(claim(&[]))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let profile: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!("/api/v1/entities/{hlt}/profile"),
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    let made = profile["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["topic"] == "Tours")
        .unwrap()
        .clone();
    assert_eq!(made["kind"], "assessment");
    assert_eq!(made["date"], "2023-06");
    assert_eq!(made["quotations"][0]["text"], "one-sided tours");
    assert_eq!(made["quotations"][0]["speaker"]["id"], hlt.as_str());
    assert_eq!(made["source"]["name"], "A watchdog's report");
    // The subject's reply, in its own words, shown beside the claim.
    let reply = form(&[
        ("csrf", &csrf),
        ("kind", "quote"),
        (
            "text",
            "Holy Land Trust answers that its tours show every side",
        ),
        ("replyTo", made["id"].as_str().unwrap()),
        ("quote1", "we show every side"),
        ("speaker1", &hlt),
        ("source_url", "https://example.org/hlt/answer"),
        ("reason", "their answer"),
    ]);
    let r = send(&router, "POST", &url, &ed, Some(reply)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let profile: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!("/api/v1/entities/{hlt}/profile"),
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    let made = profile["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["topic"] == "Tours")
        .unwrap();
    assert_eq!(
        made["replies"][0]["quotations"][0]["text"], "we show every side",
        "{made}"
    );
    assert_eq!(made["replies"][0]["asserted_by"]["id"], hlt.as_str());
    let page = send(&router, "GET", &format!("/entities/{hlt}"), "", None)
        .await
        .body;
    assert!(page.contains("we show every side") && page.contains("one-sided tours"));
    assert!(!page.contains("<script>alert"), "escaped");
}

#[tokio::test]
async fn script_in_every_field_of_a_form_stays_text_on_every_page() {
    let (router, _, _) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let payload = "\"><script>alert(1)</script><img src=x onerror=alert(2)>";
    let fields: Vec<(&str, String)> = vec![
        ("name", format!("Evil {payload}")),
        ("alias", payload.to_string()),
        ("abbreviation", payload.to_string()),
        ("address", payload.to_string()),
        ("summary", payload.to_string()),
        ("email", payload.to_string()),
    ];
    let mut f: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("source_url", "https://example.org/evil"),
        ("source_title", payload),
        ("reason", payload),
    ];
    f.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    let r = send(&router, "POST", "/new/organization", &ed, Some(form(&f))).await;
    // An email that is no email may be refused; without it the rest saves.
    let r = if r.status == StatusCode::BAD_REQUEST {
        f.retain(|(k, _)| *k != "email");
        send(&router, "POST", "/new/organization", &ed, Some(form(&f))).await
    } else {
        r
    };
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.location.trim_start_matches("/entities/").to_string();
    for (url, cookie) in [
        (format!("/entities/{id}"), ""),
        (format!("/entities/{id}/edit"), ed.as_str()),
        (format!("/entities/{id}/history"), ed.as_str()),
        (format!("/entities/{id}/relationships/new"), ed.as_str()),
        (format!("/entities/{id}/claims/new"), ed.as_str()),
        ("/search?q=Evil".to_string(), ""),
        (format!("/networks/{id}"), ""),
    ] {
        let page = send(&router, "GET", &url, cookie, None).await;
        assert_eq!(page.status, StatusCode::OK, "{url}");
        assert!(
            !page.body.contains("<script>alert"),
            "{url} lets a script through"
        );
        assert!(
            !page.body.contains("<img src=x"),
            "{url} lets markup through"
        );
    }
}

#[tokio::test]
async fn a_relationship_a_claim_and_a_source_are_edited_like_a_profile() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let profile: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!("/api/v1/entities/{allmep}/profile"),
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    let membership = profile["members"][0]["membership"]
        .as_str()
        .unwrap()
        .to_string();
    let claim = profile["claims"][0]["id"].as_str().unwrap().to_string();
    for (id, field, value) in [
        (membership.as_str(), "startDate", "2019"),
        (claim.as_str(), "topic", "Advocacy"),
        (source.as_str(), "publisher", "Example Watch"),
    ] {
        let page = send(&router, "GET", &format!("/entities/{id}/edit"), &ed, None).await;
        assert_eq!(page.status, StatusCode::OK, "{id}");
        assert!(page.body.contains(&format!("name=\"{field}\"")), "{id}");
        let r = send(
            &router,
            "POST",
            &format!("/entities/{id}/edit"),
            &ed,
            Some(form(&[
                ("csrf", &csrf),
                (field, value),
                ("source", &source),
                ("reason", "checked"),
            ])),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{id}: {}", r.body);
        let json: serde_json::Value = serde_json::from_str(
            &send(
                &router,
                "GET",
                &format!("/entities/{id}/history.json"),
                "",
                None,
            )
            .await
            .body,
        )
        .unwrap();
        assert!(
            json["changes"][0]["added"].to_string().contains(value),
            "{id}: {json}"
        );
    }
    let page = send(&router, "GET", &format!("/entities/{claim}"), "", None)
        .await
        .body;
    assert!(page.contains(&format!("/entities/{claim}/history")));
}

/// Serves one HTML page on a free loopback port, for as long as the test runs.
fn page_server(body: &'static str) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[tokio::test]
async fn a_new_source_is_archived_when_asked_and_only_public_addresses_are_fetched() {
    let port = page_server(
        "<html><head><title>Keepers founded</title></head><body><p>The Harbour Lighthouse Keepers Union was founded in 2024.</p></body></html>",
    );
    let url = format!("http://127.0.0.1:{port}/founding.html");
    let fields = |csrf: &str, archive: &str| {
        form(&[
            ("csrf", csrf),
            ("name", "Harbour Lighthouse Keepers Union"),
            ("source_url", &url),
            ("archive", archive),
            ("reason", "founded"),
        ])
    };
    // A server that fetches public addresses only refuses loopback.
    let (router, _, _) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let r = send(
        &router,
        "POST",
        "/new/organization",
        &ed,
        Some(fields(&csrf, "on")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("not a public address"), "{}", r.body);
    // Nothing is fetched for a form with the wrong token.
    let r = send(
        &router,
        "POST",
        "/new/organization",
        &ed,
        Some(fields("0", "on")),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Allowed: the page is archived as the source's copy.
    let (router, _, _) = router_with(true);
    let (ed, csrf) = sign_in(&router, "ed").await;
    let r = send(
        &router,
        "POST",
        "/new/organization",
        &ed,
        Some(fields(&csrf, "on")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let profile: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!(
                "/api/v1/entities/{}/profile",
                r.location.trim_start_matches("/entities/")
            ),
            "",
            None,
        )
        .await
        .body,
    )
    .unwrap();
    let doc = profile["sources"][0]["id"].as_str().unwrap().to_string();
    let source: serde_json::Value = serde_json::from_str(
        &send(&router, "GET", &format!("/api/v1/sources/{doc}"), "", None)
            .await
            .body,
    )
    .unwrap();
    let archive = &source["archive"];
    assert!(!archive.is_null(), "{source}");
    assert!(archive.to_string().contains("founded in 2024"), "{archive}");
}

/// Whether the page was sent as kept from an earlier request.
async fn kept(router: &Router, uri: &str, cookie: &str) -> (bool, String) {
    let mut r = Request::builder().uri(uri);
    if !cookie.is_empty() {
        r = r.header(header::COOKIE, cookie);
    }
    let res = router
        .clone()
        .oneshot(r.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{uri}");
    let kept = res.headers().get("x-dossier-page").is_some();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    (kept, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn pages_kept_for_visitors_follow_every_edit() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let page = format!("/entities/{allmep}");
    let edit = |alias: &str| {
        form(&[
            ("csrf", &csrf),
            ("name", "Alliance for Middle East Peace"),
            ("abbreviation", "ALLMEP"),
            ("alias", alias),
            ("source", &source),
            ("reason", "seen on their site"),
        ])
    };
    let r = send(
        &router,
        "POST",
        &format!("{page}/edit"),
        &ed,
        Some(edit("First Alias")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A visitor's page is kept once rendered; the editor's is kept apart
    // (for the collections hidden from them), and never reaches the visitor.
    let (was_kept, first) = kept(&router, &page, "").await;
    assert!(!was_kept && first.contains("First Alias"));
    assert!(!kept(&router, &page, &ed).await.0, "signed in: rendered");
    let (was_kept, editors) = kept(&router, &page, &ed).await;
    assert!(was_kept && editors.contains("First Alias"));
    let (was_kept, again) = kept(&router, &page, "").await;
    assert!(was_kept, "the second visit is served as kept");
    assert_eq!(again, first);
    let search = "/search.json?q=First+Alias";
    kept(&router, search, "").await;
    assert!(kept(&router, search, "").await.0);
    // An edit: the visitor sees it at once, in the page and in search.
    let r = send(
        &router,
        "POST",
        &format!("{page}/edit"),
        &ed,
        Some(edit("Second Alias")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (was_kept, after) = kept(&router, &page, "").await;
    assert!(!was_kept && after.contains("Second Alias") && !after.contains("First Alias"));
    let (was_kept, found) = kept(&router, "/search.json?q=Second+Alias", "").await;
    assert!(!was_kept && found.contains(&allmep), "{found}");
    let (_, gone) = kept(&router, search, "").await;
    assert!(!gone.contains(&allmep), "{gone}");
}

/// A `multipart/form-data` body of text fields and one file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str)>) -> (String, Vec<u8>) {
    multipart_bytes(fields, file.map(|(n, c)| (n, "text/html", c.as_bytes())))
}

/// The same, the file's type and bytes given.
fn multipart_bytes(
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> (String, Vec<u8>) {
    let boundary = "dossier-test-boundary-7d1f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, ctype, content)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {ctype}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn send_multipart(
    router: &Router,
    uri: &str,
    cookie: &str,
    (ctype, body): (String, Vec<u8>),
) -> Answer {
    let r = Request::builder()
        .method("POST")
        .uri(uri)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, ctype)
        .body(Body::from(body))
        .unwrap();
    let res = router.clone().oneshot(r).await.unwrap();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    Answer {
        status,
        location,
        set_cookie: String::new(),
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

/// The way forward from "no archive": an editor gives a quotation's origin
/// as a file on the quotation's page; it is archived, anchored, checked and
/// recorded at once, and the claim shows the mark with where it was found.
/// The reporter's own words given as an origin are refused as one. Nobody
/// else may, and not without the session's token.
#[tokio::test]
async fn an_editor_gives_a_quotation_its_origin_and_sees_the_mark_at_once() {
    let (router, allmep, _) = router();
    let profile = send(
        &router,
        "GET",
        &format!("/entities/{allmep}.json"),
        "",
        None,
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&profile.body).unwrap();
    // Two quotations of ALLMEP's claims, long enough to tell their origin.
    let mut wanted = Vec::new();
    let mut claims: Vec<&serde_json::Value> = Vec::new();
    for list in [&v["own_words"], &v["claims"]] {
        claims.extend(list.as_array().unwrap());
    }
    for m in v["members"].as_array().unwrap() {
        claims.extend(m["claims"].as_array().unwrap());
    }
    for c in claims {
        for q in c["quotations"].as_array().unwrap() {
            let words = q["text"].as_str().unwrap().split(' ').count();
            if words >= 4 && c["text"].as_str().unwrap().split(' ').count() >= words + 8 {
                wanted.push((
                    c["id"].as_str().unwrap().to_string(),
                    c["text"].as_str().unwrap().to_string(),
                    q["id"].as_str().unwrap().to_string(),
                    q["text"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    assert!(wanted.len() >= 2, "{wanted:?}");
    let (claim, _, quotation, quote) = wanted[0].clone();
    let claim_page = send(&router, "GET", &format!("/entities/{claim}"), "", None).await;
    assert!(
        claim_page
            .body
            .contains(&format!("href=\"/quotations/{quotation}/origin\"")),
        "{}",
        claim_page.body
    );
    let origin_page = format!("<html><body><h1>Our words</h1><p>As we said that day: {quote}. Thank you.</p></body></html>");
    let uri = format!("/quotations/{quotation}/origin");
    // Nobody, and a viewer, may not; an editor without the form's token may not.
    let (vic, vic_csrf) = sign_in(&router, "vic").await;
    let r = send_multipart(
        &router,
        &uri,
        &vic,
        multipart(&[("csrf", &vic_csrf)], Some(("o.html", &origin_page))),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (ed, _) = sign_in(&router, "ed").await;
    let r = send_multipart(
        &router,
        &uri,
        &ed,
        multipart(&[], Some(("o.html", &origin_page))),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let form_page = send(&router, "GET", &uri, &ed, None).await;
    assert_eq!(form_page.status, StatusCode::OK);
    let csrf = value_of(&form_page.body, "csrf");
    let r = send_multipart(
        &router,
        &uri,
        &ed,
        multipart(&[("csrf", &csrf)], Some(("o.html", &origin_page))),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, format!("/entities/{claim}"));
    let shown = send(&router, "GET", &r.location, &ed, None).await;
    assert!(
        shown.body.contains("class=\"mark mark-verified\""),
        "{}",
        shown.body
    );
    assert!(
        shown
            .body
            .contains("<span class=\"where\"> in <a href=\"/entities/doc-"),
        "{}",
        shown.body
    );
    // The reporter's own words, given as the origin of another quotation.
    let (claim2, claim_text, quotation2, _) = wanted[1].clone();
    let report = format!("<html><body><p>{claim_text}</p></body></html>");
    let uri2 = format!("/quotations/{quotation2}/origin");
    let r = send_multipart(
        &router,
        &uri2,
        &ed,
        multipart(&[("csrf", &csrf)], Some(("r.html", &report))),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = send(&router, "GET", &format!("/entities/{claim2}"), &ed, None).await;
    assert!(
        shown.body.contains("mark mark-not-an-origin"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("not an origin: "), "{}", shown.body);
    // A file that does not hold the quotation: said so, nothing anchored.
    let r = send_multipart(
        &router,
        &uri2,
        &ed,
        multipart(
            &[("csrf", &csrf)],
            Some((
                "x.html",
                "<p>Something else entirely, about the weather.</p>",
            )),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("not anchored"), "{}", r.body);
}

/// An origin given as a PDF: its text layer archived page by page, the
/// quotation found in it and marked verified at once.
#[tokio::test]
async fn a_pdf_given_as_an_origin_verifies_its_quotation() {
    let (router, allmep, _) = router();
    let profile = send(
        &router,
        "GET",
        &format!("/entities/{allmep}.json"),
        "",
        None,
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&profile.body).unwrap();
    let mut claims: Vec<&serde_json::Value> = Vec::new();
    for list in [&v["own_words"], &v["claims"]] {
        claims.extend(list.as_array().unwrap());
    }
    for m in v["members"].as_array().unwrap() {
        claims.extend(m["claims"].as_array().unwrap());
    }
    let (claim, quotation, quote) = claims
        .iter()
        .flat_map(|c| {
            c["quotations"].as_array().unwrap().iter().map(move |q| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    q["id"].as_str().unwrap().to_string(),
                    q["text"].as_str().unwrap().to_string(),
                )
            })
        })
        .find(|(_, _, q)| q.is_ascii() && q.split(' ').count() >= 4)
        .unwrap();
    let said = format!("On the record: {quote} and nothing else.");
    let pdf = dossier_evidence::pdf::testing::make(
        Some("Statement"),
        &[&["Statement of the network"], &[&said]],
    );
    let uri = format!("/quotations/{quotation}/origin");
    let (ed, _) = sign_in(&router, "ed").await;
    let form_page = send(&router, "GET", &uri, &ed, None).await;
    let csrf = value_of(&form_page.body, "csrf");
    let r = send_multipart(
        &router,
        &uri,
        &ed,
        multipart_bytes(
            &[("csrf", &csrf)],
            Some(("statement.pdf", "application/pdf", &pdf)),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location, format!("/entities/{claim}"));
    let shown = send(&router, "GET", &r.location, &ed, None).await;
    assert!(
        shown.body.contains("class=\"mark mark-verified\""),
        "{}",
        shown.body
    );
    // The PDF's source page numbers its pages, and the highlight says on
    // which page the words stand.
    let doc = dossier_model::source::document_id(None, "statement.pdf");
    let source = send(&router, "GET", &format!("/entities/{doc}"), &ed, None).await;
    assert!(source.body.contains("Page 2"), "{}", source.body);
    assert!(
        source.body.contains("title=\"verified, page 2\""),
        "{}",
        source.body
    );
}
