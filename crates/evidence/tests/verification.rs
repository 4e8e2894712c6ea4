//! The verification cases of issue 4, on a real store: exact; curly against
//! straight quotes; a quotation across HTML tags and entities; one word
//! changed; absent; a drifted position; no archive. And origin discovery
//! among decoys.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dossier_evidence::check::{self, anchor_by_hand, discover, verify_all};
use dossier_evidence::intake::{intake, FileMeta};
use dossier_evidence::locate::{diff_line, Change};
use dossier_evidence::{Mark, Method};
use dossier_model::ids::stable_id;
use dossier_model::{Batch, Entity, Provenance, Value};
use dossier_store::prelude::*;
use dossier_store::SqliteStore;

fn prov() -> Provenance {
    Provenance {
        dataset: "test".into(),
        source: String::new(),
        user: "tester".into(),
        origin: None,
        now: "2024-01-01T00:00:00".into(),
    }
}

/// A profile page reporting quotations; returns their ids in order.
fn report(store: &mut SqliteStore, quotes: &[&str]) -> Vec<String> {
    let doc_id = stable_id("doc", &["https://watch.example/profile"]);
    let mut batch = Batch::new(doc_id.clone(), "h1");
    let mut doc = Entity::new(doc_id.clone(), "Document").unwrap();
    doc.add("fileName", Value::from("profile.html")).unwrap();
    batch.put(doc).unwrap();
    let mut org = Entity::new("org-1", "Organization").unwrap();
    org.add("name", Value::from("Harbor Coalition")).unwrap();
    batch.put(org).unwrap();
    let mut ids = Vec::new();
    for (i, q) in quotes.iter().enumerate() {
        let claim_id = format!("clm-{i}");
        let mut c = Entity::new(claim_id.clone(), "Claim").unwrap();
        c.add("kind", Value::from("quote")).unwrap();
        c.add("text", Value::from(format!("The coalition said: {q}")))
            .unwrap();
        c.add("source", Value::from(doc_id.as_str())).unwrap();
        c.add("subject", Value::from("org-1")).unwrap();
        batch.put(c).unwrap();
        let qid = format!("quo-{i}");
        let mut qe = Entity::new(qid.clone(), "Quotation").unwrap();
        let n = dossier_model::text::normalize(q);
        qe.add(
            "text",
            Value {
                value: n.value,
                original: n.original,
            },
        )
        .unwrap();
        qe.add("claim", Value::from(claim_id.as_str())).unwrap();
        qe.add("speaker", Value::from("org-1")).unwrap();
        batch.put(qe).unwrap();
        ids.push(qid);
    }
    store.apply(&[batch], &prov()).unwrap();
    ids
}

fn archive(store: &mut SqliteStore, name: &str, url: &str, when: &str, body: &str) -> String {
    let meta = FileMeta {
        name: name.into(),
        url: Some(url.into()),
        retrieved: Some(when.into()),
        user: "tester".into(),
        now: "2024-01-01T00:00:00Z".into(),
    };
    let got = intake(body.as_bytes(), &meta).unwrap();
    store
        .archive(
            &dossier_store::Scope::everything(),
            &got.copies,
            &got.documents,
            &prov(),
        )
        .unwrap();
    got.documents[0].source.clone()
}

fn mark_of(store: &SqliteStore, quotation: &str) -> check::Check {
    verify_all(store)
        .unwrap()
        .into_iter()
        .find(|c| c.quotation == quotation)
        .unwrap()
}

const PAGE: &str = "<html><head><title>Statement</title><style>p{}</style></head><body>\
<nav><a href=/>Home</a></nav><article><h1>Our statement</h1>\
<p>For twenty years we have worked on the ground.</p>\
<p>We will keep building bridges between communities, whatever it takes.</p>\
<p>The coalition&#8217;s work is &ldquo;open to <b>everyone</b> &amp; <i>every</i> town&rdquo; in the region.</p>\
</article><footer>Contact us</footer></body></html>";

#[test]
fn the_verification_cases() {
    let mut store = SqliteStore::in_memory().unwrap();
    let q = report(
        &mut store,
        &[
            // 0: exact.
            "We will keep building bridges between communities",
            // 1: curly quotes in the report, straight in the origin (and the reverse).
            "The coalition\u{2019}s work",
            // 2: across tags and entities.
            "\u{201C}open to everyone & every town\u{201D}",
            // 3: one word changed.
            "We will keep burning bridges between communities",
            // 4: no archive (absent from an origin: the drift test below).
            "A quotation no one has archived an origin for",
        ],
    );
    let doc = archive(
        &mut store,
        "statement.html",
        "https://harbor.example/statement",
        "2024-03-01",
        PAGE,
    );
    for i in [0, 1, 2] {
        anchor_by_hand(&mut store, &q[i], &doc, false, &prov()).unwrap();
    }
    // One word changed: refused without --altered, recorded with it.
    let refused = anchor_by_hand(&mut store, &q[3], &doc, false, &prov()).unwrap_err();
    assert!(refused.to_string().contains("altered"), "{refused}");
    anchor_by_hand(&mut store, &q[3], &doc, true, &prov()).unwrap();
    let c = mark_of(&store, &q[0]);
    assert_eq!(c.mark, Mark::Verified);
    assert_eq!(c.found.as_ref().unwrap().method, Method::Position);

    let c = mark_of(&store, &q[1]);
    assert_eq!(c.mark, Mark::Verified);
    let f = c.found.unwrap();
    assert_eq!(
        f.method,
        Method::Position,
        "the anchor holds the page's own typography"
    );
    assert_eq!(f.text, "The coalition\u{2019}s work");

    let c = mark_of(&store, &q[2]);
    assert_eq!(c.mark, Mark::Verified, "{c:?}");
    assert_eq!(
        c.found.unwrap().text,
        "\u{201C}open to everyone & every town\u{201D}"
    );

    let c = mark_of(&store, &q[3]);
    assert_eq!(c.mark, Mark::Altered);
    let f = c.found.unwrap();
    assert_eq!(f.method, Method::Approximate);
    assert!(
        f.diff.contains(&Change::Removed("burning".into())),
        "{:?}",
        f.diff
    );
    assert!(
        f.diff.contains(&Change::Added("building".into())),
        "{:?}",
        f.diff
    );
    assert_eq!(
        diff_line(&f.diff),
        "We will keep [-burning-]{+building+} bridges between communities"
    );

    let c = mark_of(&store, &q[4]);
    assert_eq!(c.mark, Mark::NoArchive);
    assert!(c.origin.is_none());
}

#[test]
fn curly_quotes_against_straight_ones_are_verified() {
    let mut store = SqliteStore::in_memory().unwrap();
    let q = report(
        &mut store,
        &["\u{201C}Peace is a daily practice,\u{201D} she said"],
    );
    let doc = archive(
        &mut store,
        "p.txt",
        "https://harbor.example/p",
        "2024-02-01",
        "Interview.\n\"Peace is a daily practice,\" she said, and left.\n",
    );
    let (_, f) = anchor_by_hand(&mut store, &q[0], &doc, false, &prov()).unwrap();
    assert_eq!(f.method, Method::Normalized);
    let c = mark_of(&store, &q[0]);
    assert_eq!(c.mark, Mark::Verified);
    // The anchor holds the origin's straight quotes; the quotation its curly ones:
    // the stored position does not reproduce the quotation, normalization does.
    assert_eq!(c.found.as_ref().unwrap().method, Method::Normalized);
    assert_eq!(
        c.selector.unwrap().exact,
        "\"Peace is a daily practice,\" she said"
    );
}

#[test]
fn a_drifted_position_is_still_verified_and_a_vanished_quote_is_not_found() {
    let mut store = SqliteStore::in_memory().unwrap();
    let q = report(
        &mut store,
        &[
            "We will keep building bridges between communities",
            "For twenty years we have worked on the ground",
        ],
    );
    let url = "https://harbor.example/statement";
    let doc = archive(&mut store, "s.html", url, "2024-03-01", PAGE);
    let (_, first) = anchor_by_hand(&mut store, &q[0], &doc, false, &prov()).unwrap();
    anchor_by_hand(&mut store, &q[1], &doc, false, &prov()).unwrap();
    // The page changes: a new paragraph before, and the first paragraph gone.
    let changed = PAGE
        .replace("<p>For twenty years we have worked on the ground.</p>", "")
        .replace("<h1>Our statement</h1>", "<h1>Our statement</h1><p>Updated: a long new introduction that moves everything after it.</p>");
    archive(&mut store, "s.html", url, "2024-06-01", &changed);
    let c = mark_of(&store, &q[0]);
    assert_eq!(c.mark, Mark::Verified);
    let f = c.found.unwrap();
    assert_eq!(f.method, Method::Exact);
    assert_ne!(f.start, first.start, "the position moved");
    assert_eq!(c.copy.unwrap().retrieved, "2024-06-01T00:00:00Z");
    let c = mark_of(&store, &q[1]);
    assert_eq!(c.mark, Mark::NotFound);
}

#[test]
fn origin_discovery_finds_the_right_document_among_decoys() {
    let mut store = SqliteStore::in_memory().unwrap();
    let quote = "Our members crossed the checkpoint together to plant olive trees on both sides";
    let q = report(&mut store, &[quote]);
    // The reporting page itself, archived: it holds the quotation but is not its origin.
    archive(
        &mut store,
        "profile.html",
        "https://watch.example/profile",
        "2024-01-01",
        &format!("<p>The coalition said: \u{201C}{quote}\u{201D}</p>"),
    );
    let words: Vec<&str> = quote.split(' ').collect();
    for i in 0..300 {
        // Decoys: one word changed, words swapped, a part only, unrelated.
        let mut w = words.clone();
        let text = match i % 4 {
            0 => {
                w[i % words.len()] = "something";
                w.join(" ")
            }
            1 => {
                w.swap(2, 5);
                w.join(" ")
            }
            2 => w[..8].join(" "),
            _ => format!("Report number {i} about olive harvests and checkpoints."),
        };
        archive(
            &mut store,
            &format!("decoy{i}.html"),
            &format!("https://news.example/{i}"),
            "2024-02-01",
            &format!("<html><body><p>Decoy {i}.</p><p>{text}.</p></body></html>"),
        );
    }
    let origin = archive(
        &mut store,
        "origin.html",
        "https://harbor.example/olives",
        "2023-11-11",
        &format!(
            "<html><body><h1>Olive day</h1><p>Today: {quote}. It was a good day.</p></body></html>"
        ),
    );
    let quotations = store.entities(&["Quotation"]).unwrap();
    let proposals = discover(&store, &quotations).unwrap();
    assert_eq!(proposals.len(), 1, "{proposals:?}");
    let p = &proposals[0];
    assert_eq!(p.quotation, q[0]);
    assert_eq!(p.document, origin);
    assert_eq!(p.holders, 1);
    assert_eq!(p.method, Method::Exact);
}

/// A watchdog's page reporting what two organizations said, each claim in
/// the watchdog's own words around the quotation. Returns the quotation
/// ids, in order.
fn watchdog_report(store: &mut SqliteStore, quotes: &[(&str, &str)]) -> Vec<String> {
    watchdog_report_as(store, quotes, true)
}

/// [`watchdog_report`], the claims in the watchdog's words (`wordy`) or
/// only the quoted words.
fn watchdog_report_as(
    store: &mut SqliteStore,
    quotes: &[(&str, &str)],
    wordy: bool,
) -> Vec<String> {
    let doc_id = stable_id("doc", &["https://watch.example/review"]);
    let mut batch = Batch::new(doc_id.clone(), "review-hash");
    let mut doc = Entity::new(doc_id.clone(), "Document").unwrap();
    doc.add("fileName", Value::from("review.html")).unwrap();
    doc.add("sourceUrl", Value::from("https://watch.example/review"))
        .unwrap();
    doc.add("publisher", Value::from("Watch Institute"))
        .unwrap();
    batch.put(doc).unwrap();
    for (id, name, site) in [
        ("org-1", "Harbor Coalition", "https://harbor.example"),
        ("org-2", "Valley Forum", "https://valley.example"),
    ] {
        let mut org = Entity::new(id, "Organization").unwrap();
        org.add("name", Value::from(name)).unwrap();
        org.add("website", Value::from(site)).unwrap();
        batch.put(org).unwrap();
    }
    let mut ids = Vec::new();
    for (i, (speaker, q)) in quotes.iter().enumerate() {
        let claim_id = format!("clm-{i}");
        let mut c = Entity::new(claim_id.clone(), "Claim").unwrap();
        c.add("kind", Value::from("quote")).unwrap();
        let text = match wordy {
            true => format!(
                "In its review number {i} of the season, the watchdog found that the spokesperson declared: \u{201C}{q}\u{201D}"
            ),
            false => format!("\u{201C}{q}\u{201D}"),
        };
        c.add("text", Value::from(text)).unwrap();
        c.add("source", Value::from(doc_id.as_str())).unwrap();
        c.add("subject", Value::from(*speaker)).unwrap();
        batch.put(c).unwrap();
        let qid = format!("quo-{i}");
        let mut qe = Entity::new(qid.clone(), "Quotation").unwrap();
        qe.add("text", Value::from(*q)).unwrap();
        qe.add("claim", Value::from(claim_id.as_str())).unwrap();
        qe.add("speaker", Value::from(*speaker)).unwrap();
        batch.put(qe).unwrap();
        ids.push(qid);
    }
    store.apply(&[batch], &prov()).unwrap();
    ids
}

const SAID: [(&str, &str); 4] = [
    (
        "org-1",
        "We will keep the harbour open to every boat that asks",
    ),
    (
        "org-1",
        "Our volunteers rebuilt the north pier in a single winter",
    ),
    (
        "org-2",
        "The valley forum will not sit with the ministry again",
    ),
    (
        "org-2",
        "Every village in the valley sent a delegate this year",
    ),
];

/// The watchdog's page as a mirror or a later retrieval would have it:
/// its words, under another address, with other trimmings.
fn mirrored_review(trimming: &str) -> String {
    let mut body = format!("<html><body><header>{trimming}</header><article>");
    for (i, (_, q)) in SAID.iter().enumerate() {
        body.push_str(&format!(
            "<p>In its review number {i} of the season, the watchdog found that the spokesperson declared: \u{201C}{q}\u{201D}</p>"
        ));
    }
    body.push_str("</article></body></html>");
    body
}

/// The red-team pass's finding: the reporting page archived again under
/// another address became the origin of every quotation it reports. Now,
/// with only the report archived (a mirror, with or without the page
/// itself), nothing is proposed, linked or verified, and each refusal says
/// why.
#[test]
fn the_reporting_page_under_another_address_is_never_an_origin() {
    for with_the_page_itself in [false, true] {
        let mut store = SqliteStore::in_memory().unwrap();
        let q = watchdog_report(&mut store, &SAID);
        if with_the_page_itself {
            archive(
                &mut store,
                "review.html",
                "https://watch.example/review",
                "2024-01-01",
                &mirrored_review("Watch"),
            );
        }
        let mirror = archive(
            &mut store,
            "copy.html",
            "https://mirror.example/watch/review",
            "2024-03-01",
            &mirrored_review("Mirrored for posterity"),
        );
        let quotations = store.entities(&["Quotation"]).unwrap();
        let index = check::archive_index(&store).unwrap();
        let found = check::discover_with(&store, &quotations, &index).unwrap();
        assert!(found.proposals.is_empty(), "{:?}", found.proposals);
        let on_mirror: Vec<_> = found
            .refused
            .iter()
            .filter(|r| r.document == mirror)
            .collect();
        assert_eq!(on_mirror.len(), 4, "{:?}", found.refused);
        for r in on_mirror {
            assert!(
                r.refusal.to_string().starts_with("not an origin"),
                "{}",
                r.refusal
            );
        }
        // Even anchored by hand, the mirror verifies nothing.
        anchor_by_hand(&mut store, &q[0], &mirror, false, &prov()).unwrap();
        let c = mark_of(&store, &q[0]);
        assert_eq!(c.mark, Mark::NotOrigin, "{c:?}");
        assert!(c.refusal.is_some());
    }
}

/// Another page on the reporter's own site quoting an organization is the
/// reporter's, not the speaker's: refused, whatever its text.
#[test]
fn a_page_on_the_reporters_site_is_not_the_speakers_origin() {
    let mut store = SqliteStore::in_memory().unwrap();
    watchdog_report(&mut store, &SAID);
    let other = archive(
        &mut store,
        "later.html",
        "https://www.watch.example/2024/follow-up",
        "2024-05-01",
        &format!(
            "<p>A follow-up. As a reminder, the forum said \u{201C}{}\u{201D}.</p>",
            SAID[2].1
        ),
    );
    let quotations = store.entities(&["Quotation"]).unwrap();
    let index = check::archive_index(&store).unwrap();
    let found = check::discover_with(&store, &quotations, &index).unwrap();
    assert!(found.proposals.is_empty(), "{:?}", found.proposals);
    let r = found.refused.iter().find(|r| r.document == other).unwrap();
    assert!(
        r.refusal.to_string().contains("watch.example"),
        "{}",
        r.refusal
    );
}

/// With the report mirrored beside it, the speaker's own page is still
/// found, proposed as the only origin, and verified once linked.
#[test]
fn the_speakers_own_page_is_found_beside_a_mirror_of_the_report() {
    let mut store = SqliteStore::in_memory().unwrap();
    let q = watchdog_report(&mut store, &SAID);
    archive(
        &mut store,
        "copy.html",
        "https://mirror.example/watch/review",
        "2024-03-01",
        &mirrored_review("Mirror"),
    );
    let own = archive(
        &mut store,
        "pier.html",
        "https://harbor.example/news/pier",
        "2023-12-01",
        &format!(
            "<html><body><h1>The pier</h1><p>{}, and we thank everyone who came.</p></body></html>",
            SAID[1].1
        ),
    );
    let quotations = store.entities(&["Quotation"]).unwrap();
    let proposals = discover(&store, &quotations).unwrap();
    assert_eq!(proposals.len(), 1, "{proposals:?}");
    assert_eq!(
        (
            proposals[0].quotation.as_str(),
            proposals[0].document.as_str()
        ),
        (q[1].as_str(), own.as_str())
    );
    assert_eq!(proposals[0].holders, 1);
    assert!(
        proposals[0]
            .reason
            .contains("on the speaker's own site (harbor.example)"),
        "{}",
        proposals[0].reason
    );
    anchor_by_hand(&mut store, &q[1], &own, false, &prov()).unwrap();
    assert_eq!(mark_of(&store, &q[1]).mark, Mark::Verified);
    assert_eq!(mark_of(&store, &q[0]).mark, Mark::NoArchive);
}

/// A report whose claims are only the quoted words: a copy of it is still
/// told by holding several of its quotations, of both organizations.
#[test]
fn a_copy_of_a_report_is_told_by_the_quotations_it_holds() {
    let mut store = SqliteStore::in_memory().unwrap();
    watchdog_report_as(&mut store, &SAID, false);
    let mirror = archive(
        &mut store,
        "copy.html",
        "https://mirror.example/watch/review",
        "2024-03-01",
        &mirrored_review("Mirror"),
    );
    let quotations = store.entities(&["Quotation"]).unwrap();
    let index = check::archive_index(&store).unwrap();
    let found = check::discover_with(&store, &quotations, &index).unwrap();
    assert!(found.proposals.is_empty(), "{:?}", found.proposals);
    assert_eq!(found.refused.len(), 4);
    for r in &found.refused {
        assert_eq!(r.document, mirror);
        assert!(
            r.refusal
                .to_string()
                .contains("4 quotations the reporting source"),
            "{}",
            r.refusal
        );
    }
}

/// What `verify` records is what a page shows: the mark, against which
/// copy, how found, the difference; a newer copy makes it stale until
/// `verify` runs again, and a changed finding replaces the old one.
#[test]
fn recorded_results_say_where_and_when_and_go_stale() {
    let mut store = SqliteStore::in_memory().unwrap();
    let q = report(
        &mut store,
        &["We will keep building bridges between communities"],
    );
    let doc = archive(
        &mut store,
        "s.html",
        "https://harbor.example/s",
        "2024-01-01",
        PAGE,
    );
    anchor_by_hand(&mut store, &q[0], &doc, false, &prov()).unwrap();
    let quotation = store.entity(&q[0]).unwrap().unwrap();
    assert_eq!(
        check::stored_check(&store, &quotation).unwrap().mark,
        Mark::Unchecked
    );
    let checks = verify_all(&store).unwrap();
    assert_eq!(
        check::record_results(&mut store, &checks, &prov()).unwrap(),
        1
    );
    assert_eq!(
        check::record_results(&mut store, &checks, &prov()).unwrap(),
        0,
        "an unchanged finding is not written again"
    );
    let c = check::stored_check(&store, &quotation).unwrap();
    assert_eq!(c.mark, Mark::Verified);
    let r = c.recorded.clone().unwrap();
    assert!(!r.stale);
    assert_eq!(r.origin_url.as_deref(), Some("https://harbor.example/s"));
    assert_eq!(r.method, Some(Method::Position));
    assert_eq!(
        Some(r.copy.as_str()),
        c.copy.as_ref().map(|k| k.sha256.as_str())
    );
    // The page changes: the newest copy says something else.
    archive(
        &mut store,
        "s.html",
        "https://harbor.example/s",
        "2024-06-01",
        &PAGE.replace("keep building bridges", "keep building walls"),
    );
    let c = check::stored_check(&store, &quotation).unwrap();
    assert!(c.recorded.as_ref().unwrap().stale, "{c:?}");
    assert_eq!(
        c.mark,
        Mark::Verified,
        "as recorded, against the older copy"
    );
    let checks = verify_all(&store).unwrap();
    check::record_results(&mut store, &checks, &prov()).unwrap();
    let c = check::stored_check(&store, &quotation).unwrap();
    assert_eq!(c.mark, Mark::Altered);
    let r = c.recorded.unwrap();
    assert!(!r.stale);
    assert_eq!(
        r.difference.as_deref().map(diff_line_parts),
        Some(("bridges".into(), "walls".into()))
    );
    // Back to verified: the difference is taken away, not left behind.
    archive(
        &mut store,
        "s.html",
        "https://harbor.example/s",
        "2024-07-01",
        &PAGE.replace("Contact us", "Write to us"),
    );
    let checks = verify_all(&store).unwrap();
    check::record_results(&mut store, &checks, &prov()).unwrap();
    let c = check::stored_check(&store, &quotation).unwrap();
    assert_eq!(c.mark, Mark::Verified);
    assert_eq!(c.recorded.unwrap().difference, None);
    let anchor = store.entity(c.anchor.as_deref().unwrap()).unwrap().unwrap();
    assert_eq!(anchor.values("verdict").count(), 1);
}

/// The removed and added words of a recorded difference.
fn diff_line_parts(line: &str) -> (String, String) {
    let mut removed = String::new();
    let mut added = String::new();
    for c in dossier_evidence::locate::parse_diff_line(line) {
        match c {
            Change::Removed(t) => removed.push_str(&t),
            Change::Added(t) => added.push_str(&t),
            Change::Same(_) => {}
        }
    }
    (removed, added)
}

/// Says who published a document.
fn published_by(store: &mut SqliteStore, doc: &str, publisher: &str) {
    let mut b = Batch::new(doc, "");
    let mut d = Entity::new(doc, "Document").unwrap();
    d.add("fileName", Value::from("page.html")).unwrap();
    d.add("publisher", Value::from(publisher)).unwrap();
    b.put(d).unwrap();
    store.amend(&[b], &prov()).unwrap();
}

/// A page the reporting source's publisher published elsewhere is theirs,
/// not the speaker's; a page the speaker published is the speaker's even
/// when the speaker is also who published the report.
#[test]
fn the_reporters_publisher_is_not_the_speaker() {
    let mut store = SqliteStore::in_memory().unwrap();
    let q = watchdog_report(&mut store, &SAID);
    let elsewhere = archive(
        &mut store,
        "digest.html",
        "https://digest.example/weekly",
        "2024-05-01",
        &format!("<p>This week: {}.</p>", SAID[2].1),
    );
    published_by(&mut store, &elsewhere, "watch  institute");
    let quotations = store.entities(&["Quotation"]).unwrap();
    let index = check::archive_index(&store).unwrap();
    let found = check::discover_with(&store, &quotations, &index).unwrap();
    assert!(found.proposals.is_empty(), "{:?}", found.proposals);
    let r = &found.refused[0];
    assert_eq!(
        (r.quotation.as_str(), r.document.as_str()),
        (q[2].as_str(), elsewhere.as_str())
    );
    assert!(
        r.refusal.to_string().contains("publisher (watch institute"),
        "{}",
        r.refusal
    );
    // The speaker's own page, the speaker publishing the report as well.
    let own = archive(
        &mut store,
        "forum.html",
        "https://forum-news.example/a",
        "2024-05-02",
        &format!("<p>Our word: {}.</p>", SAID[3].1),
    );
    published_by(&mut store, &own, "Valley Forum");
    let report = stable_id("doc", &["https://watch.example/review"]);
    published_by(&mut store, &report, "Valley Forum");
    let quotations = store.entities(&["Quotation"]).unwrap();
    let index = check::archive_index(&store).unwrap();
    let found = check::discover_with(&store, &quotations, &index).unwrap();
    assert!(
        found
            .proposals
            .iter()
            .any(|p| p.quotation == q[3] && p.document == own),
        "{:?} {:?}",
        found.proposals,
        found.refused
    );
}
