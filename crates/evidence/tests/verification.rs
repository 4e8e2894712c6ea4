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
