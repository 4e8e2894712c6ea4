//! Edit forms that keep what was typed: a refused save shows the form
//! again with every value as typed and the field at fault marked with why;
//! the relationship form's other party is found or made; a reply starts
//! from the claim it answers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::{form, router, send, sign_in};

/// The textarea or input of a field, as the page shows it.
fn field<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let start = page[..at].rfind('<').unwrap();
    let end = page[at..]
        .find("</textarea>")
        .filter(|e| page[start..at + e].starts_with("<textarea"))
        .map_or_else(|| at + page[at..].find('>').unwrap() + 1, |e| at + e);
    &page[start..end]
}

#[tokio::test]
async fn a_refused_new_entry_keeps_everything_typed_and_names_the_field() {
    let (router, _, _) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let summary = "A think tank on water rights in the Jordan valley, founded by two hydrologists.";
    let typed = |extra: &[(&str, &str)]| {
        let mut f: Vec<(&str, &str)> = vec![
            ("csrf", &csrf),
            ("name", "Jordan Valley Water Forum"),
            ("abbreviation", "JVWF"),
            ("summary", summary),
            ("website", "https://jvwf.example.org"),
            ("source_url", "https://registry.example.org/jvwf"),
            ("source_title", "Charity register entry"),
            ("collection", "edits"),
            ("reason", "from the register"),
        ];
        f.extend_from_slice(extra);
        form(&f)
    };
    // No reason: the reason field is marked; all else kept.
    let r = send(
        &router,
        "POST",
        "/new/organization",
        &ed,
        Some(typed(&[("reason", "")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("role=\"alert\""), "{}", r.body);
    assert!(r.body.contains("Every edit needs a reason."));
    assert!(field(&r.body, "reason").contains("aria-invalid=\"true\""));
    assert!(r.body.contains(
        "<span class=\"field-error\" id=\"reason-error\">Every edit needs a reason.</span>"
    ));
    assert!(
        field(&r.body, "summary").contains(summary),
        "{}",
        field(&r.body, "summary")
    );
    assert!(field(&r.body, "abbreviation").contains("value=\"JVWF\""));
    assert!(field(&r.body, "source_url").contains("value=\"https://registry.example.org/jvwf\""));
    assert!(field(&r.body, "source_title").contains("value=\"Charity register entry\""));
    // A bad address: that field, the rest kept.
    let r = send(
        &router,
        "POST",
        "/new/organization",
        &ed,
        Some(typed(&[("source_url", "ftp://nowhere")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(field(&r.body, "source_url").contains("aria-invalid=\"true\""));
    assert!(field(&r.body, "source_url").contains("value=\"ftp://nowhere\""));
    assert!(field(&r.body, "summary").contains(summary));
    // A founding date that is no date: that field.
    let r = send(
        &router,
        "POST",
        "/new/organization",
        &ed,
        Some(typed(&[("incorporationDate", "last spring")])),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(
        field(&r.body, "incorporationDate").contains("aria-invalid=\"true\""),
        "{}",
        r.body
    );
    assert!(field(&r.body, "incorporationDate").contains("value=\"last spring\""));
    // Right at last: made, and the profile shows it.
    let r = send(&router, "POST", "/new/organization", &ed, Some(typed(&[]))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&router, "GET", &r.location, &ed, None).await;
    assert!(page.body.contains(summary));
    // Fields are typed and labelled: a web address, an email, a date, and
    // one field called "Postal address", another "A new source's web address".
    let blank = send(&router, "GET", "/new/organization", &ed, None)
        .await
        .body;
    assert!(field(&blank, "website").contains("type=\"url\""));
    assert!(field(&blank, "email").contains("type=\"email\""));
    assert!(field(&blank, "incorporationDate").contains("inputmode=\"numeric\""));
    assert_eq!(blank.matches(">Postal address</label>").count(), 1);
    assert_eq!(
        blank.matches(">A new source's web address</label>").count(),
        1
    );
}

#[tokio::test]
async fn a_relationship_finds_or_makes_its_other_party_and_keeps_input_on_error() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let url = format!("/entities/{allmep}/relationships");
    let typed = |other: &str, create: bool| {
        let mut f: Vec<(&str, &str)> = vec![
            ("csrf", &csrf),
            ("relation", "funding:to"),
            ("other", other),
            ("role", "core donor"),
            ("amount", "50000"),
            ("currency", "EUR"),
            ("date", "2022"),
            ("source", &source),
            ("collection", "edits"),
            ("reason", "annual report"),
        ];
        if create {
            f.push(("create", "on"));
            f.push(("create_kind", "Organization"));
        }
        form(&f)
    };
    // Nobody of that name: refused at that field, everything kept.
    let r = send(
        &router,
        "POST",
        &url,
        &ed,
        Some(typed("Cedar Grove Trust", false)),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("Nothing is called &quot;Cedar Grove Trust&quot;"),
        "{}",
        r.body
    );
    assert!(field(&r.body, "other").contains("value=\"Cedar Grove Trust\""));
    assert!(field(&r.body, "other").contains("aria-invalid=\"true\""));
    assert!(field(&r.body, "amount").contains("value=\"50000\""));
    assert!(r.body.contains("<option value=\"funding:to\" selected>"));
    // Asked to add it: made with the relationship, from the same source.
    let r = send(
        &router,
        "POST",
        &url,
        &ed,
        Some(typed("Cedar Grove Trust", true)),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&router, "GET", &format!("/entities/{allmep}"), &ed, None)
        .await
        .body;
    let funding = page.split("<section id=\"funding\">").nth(1).unwrap();
    assert!(funding.contains("Cedar Grove Trust"), "{funding}");
    assert!(funding.contains("50000"));
    // The profile names the row's source, not "linked".
    assert!(funding.contains(&format!("<a href=\"/entities/{source}\">")));
    // The history of the organization shows what was said about it: the
    // payment, by the name of the other party, its values by name, its
    // source by title, and a diff; undoing a change is not deleting.
    let history = send(
        &router,
        "GET",
        &format!("/entities/{allmep}/history"),
        &ed,
        None,
    )
    .await
    .body;
    let change = history.split("<article class=\"change\">").nth(1).unwrap();
    assert!(change.contains("Payment: Cedar Grove Trust"), "{change}");
    assert!(change.contains("Why: edit: annual report"));
    assert!(
        change.contains("<ins><a href=\"/entities/org-"),
        "entity values by name: {change}"
    );
    assert!(
        !change.contains(">doc-") && !change.contains(">org-"),
        "no raw ids: {change}"
    );
    assert!(change.contains("Undo this change"));
    assert!(history.contains("<section class=\"danger\"><h2>Delete this record</h2>"));
    let json: serde_json::Value = serde_json::from_str(
        &send(
            &router,
            "GET",
            &format!("/entities/{allmep}/history.json"),
            &ed,
            None,
        )
        .await
        .body,
    )
    .unwrap();
    assert_eq!(json["changes"][0]["about"]["schema"], "Payment");
    assert_eq!(json["changes"][0]["sources"][0]["id"], source.as_str());
}

#[tokio::test]
async fn a_reply_starts_from_the_claim_it_answers() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    let profile = send(&router, "GET", &format!("/entities/{allmep}"), &ed, None)
        .await
        .body;
    // Each claim offers an editor a way to reply.
    let reply = profile
        .split("/claims/new?replyTo=")
        .nth(1)
        .expect("a reply link for an editor");
    let claim: String = reply.chars().take_while(|c| *c != '"').collect();
    let subject = profile[..profile
        .find(&format!("/claims/new?replyTo={claim}"))
        .unwrap()]
        .rsplit("href=\"/entities/")
        .next()
        .unwrap()
        .to_string();
    let form_page = send(
        &router,
        "GET",
        &format!("/entities/{subject}/claims/new?replyTo={claim}"),
        &ed,
        None,
    )
    .await;
    assert_eq!(form_page.status, StatusCode::OK);
    assert!(form_page.body.contains("In reply to: "));
    assert!(form_page.body.contains(&format!(
        "<input type=\"hidden\" name=\"replyTo\" value=\"{claim}\">"
    )));
    assert!(form_page.body.contains("<option value=\"quote\" selected>"));
    // Saved without its text: refused, the reply and the quotation kept.
    let f = |text: &str| {
        form(&[
            ("csrf", &csrf),
            ("replyTo", &claim),
            ("kind", "quote"),
            ("text", text),
            ("quote1", "we work with everyone who wants peace"),
            ("source", &source),
            ("collection", "edits"),
            ("reason", "their answer"),
        ])
    };
    let url = format!("/entities/{subject}/claims");
    let r = send(&router, "POST", &url, &ed, Some(f(""))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(field(&r.body, "text").contains("aria-invalid=\"true\""));
    assert!(field(&r.body, "quote1").contains("we work with everyone who wants peace"));
    assert!(r.body.contains("In reply to: "));
    let r = send(
        &router,
        "POST",
        &url,
        &ed,
        Some(f("It answers that it works with all sides.")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&router, "GET", &format!("/entities/{claim}"), &ed, None)
        .await
        .body;
    assert!(
        page.contains("It answers that it works with all sides."),
        "the reply is under the claim"
    );
}
