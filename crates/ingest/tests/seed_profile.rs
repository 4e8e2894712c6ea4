//! The acceptance case: the real profile page the project starts from,
//! read from where `DOSSIER_SEED_PROFILE` says (scripts/test names it when
//! it lies beside the repository). It is never copied into the repository,
//! so without the variable this test says so in one line and checks
//! nothing; `example_layout.rs` covers the same layout with our own page.
//! The checks below name organizations, people and dates, never its prose.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;
use std::io::Write;

use common::{as_html, claims_about, named, of, same_but_the_document, speaker_of};
use dossier_ingest::{import_profile, ImportOptions, Imported, Matcher, ProfileFormat};
use dossier_model::names::name_key;

/// The seed page's bytes, or `None` (said once) when it was not given.
fn seed() -> Option<Vec<u8>> {
    let Some(path) = std::env::var_os("DOSSIER_SEED_PROFILE") else {
        // Written to the handle, not by `eprintln!`, which the test
        // harness would swallow for a passing test; once per run.
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "seed profile not given (DOSSIER_SEED_PROFILE unset): its acceptance test checked nothing"
            );
        });
        return None;
    };
    Some(std::fs::read(&path).unwrap_or_else(|e| {
        panic!("DOSSIER_SEED_PROFILE names {path:?}, which cannot be read: {e}")
    }))
}

fn import(bytes: &[u8]) -> Imported {
    common::import(bytes, "allmep.txt")
}

const MEMBERS: [&str; 12] = [
    "Churches for Middle East Peace",
    "Combatants for Peace",
    "Holy Land Trust",
    "Parents Circle Families Forum",
    "Physicians for Human Rights - Israel",
    "OneVoice International",
    "Rabbis for Human Rights",
    "Sadaka Reut",
    "Sikkuy",
    "Israel Social TV",
    "Standing Together",
    "Jahalin Solidarity",
];

fn check(imp: &Imported) {
    let subject = named(imp, "Alliance for Middle East Peace");
    assert_eq!(imp.subject, subject.id);
    assert_eq!(subject.first("abbreviation"), Some("ALLMEP"));
    assert_eq!(subject.first("country"), Some("us"));
    assert_eq!(
        subject.properties["country"][0].original.as_deref(),
        Some("United States")
    );
    assert!(subject.first("summary").is_some_and(|s| s.len() > 40));

    // Twelve members, each with a Membership in the subject.
    let memberships = of(imp, "Membership");
    let members: BTreeSet<String> = memberships
        .iter()
        .map(|m| {
            assert_eq!(m.first("organization"), Some(subject.id.as_str()));
            name_key(imp.batch.get(m.first("member").unwrap()).unwrap().caption())
        })
        .collect();
    let expected: BTreeSet<String> = MEMBERS.iter().map(|n| name_key(n)).collect();
    assert_eq!(members, expected);
    for (name, acronym) in [
        ("Churches for Middle East Peace", "CMEP"),
        ("Parents Circle Families Forum", "PCFF"),
        ("Physicians for Human Rights - Israel", "PHR-I"),
    ] {
        assert_eq!(named(imp, name).first("abbreviation"), Some(acronym));
    }

    // Two sentence bullets and the own words about the subject; the
    // nested bullets about their members: 20 claims in all.
    assert_eq!(claims_about(imp, &subject.id).len(), 3);
    let nested = [
        ("Holy Land Trust", 3),
        ("Parents Circle Families Forum", 2),
        ("Physicians for Human Rights - Israel", 2),
        ("OneVoice International", 1),
        ("Rabbis for Human Rights", 2),
        ("Sadaka Reut", 1),
        ("Sikkuy", 2),
        ("Standing Together", 1),
        ("Jahalin Solidarity", 3),
        ("Israel Social TV", 0),
    ];
    for (name, n) in nested {
        assert_eq!(claims_about(imp, &named(imp, name).id).len(), n, "{name}");
    }
    assert_eq!(of(imp, "Claim").len(), 20);

    // Every quoted span, each with its speaker where the page names one.
    assert_eq!(of(imp, "Quotation").len(), 31);
    let speakers: BTreeSet<String> = of(imp, "Quotation")
        .iter()
        .map(|q| speaker_of(imp, q))
        .collect();
    for who in [
        "Hila Cohen",
        "Polly Bronstein",
        "Ye'ela Ra'anan",
        "Jahalin Solidarity",
        "Holy Land Trust",
        "Alliance for Middle East Peace",
    ] {
        assert!(speakers.contains(who), "{who} speaks in {speakers:?}");
    }

    let dates: BTreeSet<&str> = of(imp, "Claim")
        .iter()
        .filter_map(|c| c.first("eventDate"))
        .collect();
    for d in [
        "2014",
        "2021-05",
        "2018-04",
        "2020-11-25",
        "2020-05-28",
        "2018-10-02",
    ] {
        assert!(dates.contains(d), "date {d} in {dates:?}");
    }

    let persons: BTreeSet<&str> = of(imp, "Person").iter().map(|p| p.caption()).collect();
    let expected: BTreeSet<&str> = [
        "Hila Cohen",
        "Polly Bronstein",
        "Ye'ela Ra'anan",
        "Benjamin Netanyahu",
    ]
    .into();
    assert_eq!(persons, expected);
    assert_eq!(
        named(
            imp,
            "Ecumenical Accompaniment Programme in Palestine and Israel"
        )
        .id,
        named(
            imp,
            "Ecumenical Accompaniment Program in Palestine and Israel"
        )
        .id
    );
    assert_eq!(
        named(imp, "Israeli Ministry of Education").schema.name,
        "PublicBody"
    );

    let docs = of(imp, "Document");
    assert_eq!(docs.len(), 1);
    for c in of(imp, "Claim") {
        assert_eq!(c.first("source"), Some(docs[0].id.as_str()));
    }
}

#[test]
fn the_seed_profile_imports_in_both_forms() {
    let Some(bytes) = seed() else { return };
    let from_text = import(&bytes);
    assert_eq!(from_text.format, ProfileFormat::Text);
    check(&from_text);
    // The one doubt: a quotation that never closes.
    assert_eq!(from_text.warnings.len(), 1, "{:?}", from_text.warnings);

    let text = String::from_utf8(bytes).unwrap();
    let (doc, _) = dossier_ingest::text::parse(&text, "allmep.txt").unwrap();
    let from_html = import(as_html(&doc).as_bytes());
    assert_eq!(from_html.format, ProfileFormat::Html);
    check(&from_html);
    same_but_the_document(&from_text, &from_html);

    // Imported twice, the same ids and values.
    let again = import(text.as_bytes());
    let all = |i: &Imported| i.batch.entities().cloned().collect::<Vec<_>>();
    assert_eq!(all(&from_text), all(&again));
}

#[test]
fn known_entities_in_the_seed_profile_are_matched() {
    let Some(bytes) = seed() else { return };
    let mut known = Matcher::new();
    known.add_acronym("org-known-phri", "Organization", "PHR-I");
    let opts = ImportOptions {
        file_name: "allmep.txt".into(),
        ..Default::default()
    };
    let imp = import_profile(&bytes, &opts, &mut known).unwrap();
    assert_eq!(
        named(&imp, "Physicians for Human Rights - Israel").id,
        "org-known-phri"
    );
}
