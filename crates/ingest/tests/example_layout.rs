//! A profile page in the example's layout, written for the project
//! (`tests/profiles/northern-rivers.txt`, a fictional network in our own
//! words): glued labels, a topic and a section heading, members as
//! top-level bullets with nested dated claims, sentences about the subject
//! among them, quotations with and without named speakers, a quotation
//! inside a quotation, one that never closes, non-breaking spaces, curly
//! quotes and en dashes. Read as text, and as the same page in HTML.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::{as_html, claims_about, named, of, same_but_the_document, speaker_of};
use dossier_ingest::{import_profile, ImportOptions, Imported, Matcher, ProfileFormat};
use dossier_model::names::name_key;
use dossier_model::Entity;

const FILE: &str = "northern-rivers.txt";

fn bytes() -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/profiles/{FILE}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn import(bytes: &[u8]) -> Imported {
    common::import(bytes, FILE)
}

fn quotation<'a>(imp: &'a Imported, starts: &str) -> &'a Entity {
    of(imp, "Quotation")
        .into_iter()
        .find(|q| q.first("text").is_some_and(|t| t.starts_with(starts)))
        .unwrap_or_else(|| panic!("no quotation starting {starts:?}"))
}

const MEMBERS: [&str; 12] = [
    "Friends of the Lower Valley",
    "Riverkeepers Union",
    "Stonebridge Youth Trust",
    "Families of the Flooded Farms Forum",
    "Engineers for Clean Water \u{2013} Canada",
    "Delta Voices International",
    "Lakeshore Teachers for Rights",
    "Millbrook Commons",
    "Kestrel Circle",
    "Valley Radio Project",
    "Common Current",
    "Heron Bay Solidarity",
];

/// Everything the layout promises, for either form.
fn check(imp: &Imported) {
    let subject = named(imp, "Northern Rivers Reconciliation Network");
    assert_eq!(imp.subject, subject.id);
    assert_eq!(subject.schema.name, "Organization");
    assert_eq!(subject.first("abbreviation"), Some("NRRN"));
    assert_eq!(subject.first("country"), Some("ca"));
    assert_eq!(
        subject.properties["country"][0].original.as_deref(),
        Some("Canada"),
        "the label is kept"
    );
    assert!(subject
        .first("summary")
        .unwrap()
        .starts_with("a coalition of community groups that bring upstream"));

    // Twelve members, each with a Membership in the subject.
    let memberships = of(imp, "Membership");
    assert_eq!(memberships.len(), 12);
    let mut member_keys = BTreeSet::new();
    for m in &memberships {
        assert_eq!(m.first("organization"), Some(subject.id.as_str()));
        let member = imp.batch.get(m.first("member").unwrap()).unwrap();
        member_keys.insert(name_key(member.caption()));
    }
    let expected: BTreeSet<String> = MEMBERS.iter().map(|n| name_key(n)).collect();
    assert_eq!(member_keys, expected);
    for (name, acronym) in [
        ("Friends of the Lower Valley", "FLV"),
        ("Families of the Flooded Farms Forum", "FFFF"),
        ("Engineers for Clean Water - Canada", "ECW-C"),
        // Read from the text of its claim, not from its bullet.
        ("Lakeshore Teachers for Rights", "LTR"),
    ] {
        assert!(
            named(imp, name)
                .values("abbreviation")
                .any(|a| a == acronym),
            "{name} is {acronym}"
        );
    }
    assert!(
        named(imp, "Kestrel Circle").first("abbreviation").is_none(),
        "a non-breaking space before a member's name is not part of it"
    );

    // The two sentence bullets are claims about the subject; its own words
    // are a quote by it.
    let about_subject = claims_about(imp, &subject.id);
    let sentences: Vec<_> = about_subject
        .iter()
        .filter(|c| c.first("section") == Some("Key Members"))
        .collect();
    assert_eq!(sentences.len(), 2);
    assert!(sentences
        .iter()
        .all(|c| c.first("kind") == Some("assessment")));
    let own: Vec<_> = about_subject
        .iter()
        .filter(|c| c.first("kind") == Some("quote"))
        .collect();
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].first("assertedBy"), Some(subject.id.as_str()));
    assert_eq!(about_subject.len(), 3);

    // Every nested bullet is a claim about its member: 17 in all.
    let nested = [
        ("Friends of the Lower Valley", 0),
        ("Riverkeepers Union", 0),
        ("Stonebridge Youth Trust", 3),
        ("Families of the Flooded Farms Forum", 2),
        ("Engineers for Clean Water - Canada", 2),
        ("Delta Voices International", 1),
        ("Lakeshore Teachers for Rights", 2),
        ("Millbrook Commons", 1),
        ("Kestrel Circle", 2),
        ("Valley Radio Project", 0),
        ("Common Current", 1),
        ("Heron Bay Solidarity", 3),
    ];
    let mut total = 0;
    for (name, n) in nested {
        assert_eq!(
            claims_about(imp, &named(imp, name).id).len(),
            n,
            "claims about {name}"
        );
        total += n;
    }
    assert_eq!(total, 17);
    assert_eq!(of(imp, "Claim").len(), 20);

    // Topic (the first heading) and section (the second).
    for c in of(imp, "Claim") {
        if c.first("kind") != Some("quote") {
            assert_eq!(
                c.first("topic"),
                Some("Water Policy"),
                "{:?}",
                c.first("text")
            );
            assert_eq!(c.first("section"), Some("Key Members"));
        }
    }

    // Quotations and their speakers: named by the text, else the subject
    // of the claim.
    for (starts, speaker) in [
        (
            "Putting one side's grief in front of children",
            "Mara Quinn",
        ),
        ("We think it's vital that the many people", "Tomas Varga"),
        ("ending the utility's rule over the river.", "Ke'ala Mo'ana"),
        ("While the board looks away", "Heron Bay Solidarity"),
        (
            "halt the province's reckless drawdown",
            "Stonebridge Youth Trust",
        ),
        (
            "a coalition of community groups",
            "Northern Rivers Reconciliation Network",
        ),
    ] {
        assert_eq!(speaker_of(imp, quotation(imp, starts)), speaker, "{starts}");
    }
    let nested_quote = quotation(imp, "Given that some 2,000 households");
    let text = nested_quote.first("text").unwrap();
    assert!(
        text.contains("'run dry'"),
        "a nested quotation stays inside"
    );
    assert!(text.ends_with("unchecked and unanswerable"));
    let unclosed = quotation(imp, "For thirty years the towns below the dam");
    assert!(unclosed
        .first("text")
        .unwrap()
        .ends_with("on the river, on the lakes, and on the coast."));
    // Normalized for search and comparison; the exact string is kept.
    let original = &quotation(imp, "halt the province's").properties["text"][0];
    assert_eq!(
        original.original.as_deref(),
        Some("halt the province\u{2019}s reckless drawdown of the lakes.")
    );
    // Counted by hand: every top-level quoted span of the page.
    assert_eq!(of(imp, "Quotation").len(), 30);
    for q in of(imp, "Quotation") {
        assert!(imp.batch.get(q.first("claim").unwrap()).is_some());
    }

    // Dates in the page's written forms.
    let dates: BTreeSet<&str> = of(imp, "Claim")
        .iter()
        .filter_map(|c| c.first("eventDate"))
        .collect();
    for d in [
        "2016",
        "2019-06",
        "2017-04",
        "2020-07",
        "2021-03-03",
        "2020-05-28",
        "2017-08-09",
    ] {
        assert!(dates.contains(d), "date {d} in {dates:?}");
    }
    let stonebridge = named(imp, "Stonebridge Youth Trust");
    let june = claims_about(imp, &stonebridge.id)
        .into_iter()
        .find(|c| c.first("text").unwrap().starts_with("In June 2019"))
        .unwrap();
    assert_eq!(june.first("eventDate"), Some("2019-06"));
    assert_eq!(june.first("kind"), Some("fact"));

    // Persons, exactly these four, with the titles the text gives them.
    let persons: BTreeSet<&str> = of(imp, "Person").iter().map(|p| p.caption()).collect();
    let expected: BTreeSet<&str> = [
        "Mara Quinn",
        "Tomas Varga",
        "Ke'ala Mo'ana",
        "Alan Whitcombe",
    ]
    .into();
    assert_eq!(persons, expected);
    for (who, position) in [
        ("Alan Whitcombe", "Prime Minister"),
        ("Mara Quinn", "Attorney"),
        ("Tomas Varga", "Executive Director"),
    ] {
        assert_eq!(named(imp, who).first("position"), Some(position), "{who}");
    }
    assert_eq!(
        named(imp, "Ke\u{2019}ala Mo\u{2019}ana").properties["name"][0]
            .original
            .as_deref(),
        Some("Ke\u{2019}ala Mo\u{2019}ana")
    );

    // Organizations mentioned: one body under both spellings, a campaign
    // by its acronym, a ministry as a public body.
    let naprl = named(imp, "Northern Accompaniment Programme for Rivers and Lakes");
    assert_eq!(
        naprl.id,
        named(imp, "Northern Accompaniment Program for Rivers and Lakes").id
    );
    assert_eq!(naprl.first("abbreviation"), Some("NAPRL"));
    assert_eq!(
        named(imp, "Clean Vote 2019").first("abbreviation"),
        Some("CV19")
    );
    assert_eq!(
        named(imp, "Provincial Ministry of Education").schema.name,
        "PublicBody"
    );
    let ffff_claims = claims_about(imp, &named(imp, "Families of the Flooded Farms Forum").id);
    let quinn = named(imp, "Mara Quinn");
    assert!(ffff_claims
        .iter()
        .any(|c| c.values("mentions").any(|m| m == quinn.id)));
    let common_current = claims_about(imp, &named(imp, "Common Current").id);
    assert!(
        common_current[0]
            .values("mentions")
            .any(|m| m == named(imp, "Riverkeepers Union").id),
        "a known member named in text is matched"
    );
    // No place or heading is mistaken for a body.
    for e in imp
        .batch
        .entities()
        .filter(|e| e.schema.is_a("LegalEntity"))
    {
        for word in ["Pine Hollow", "Water Policy", "Key Members", "All Articles"] {
            assert!(!e.caption().contains(word), "{} is not a body", e.caption());
        }
    }

    // The source document, cited by every claim and membership.
    let docs = of(imp, "Document");
    assert_eq!(docs.len(), 1);
    let doc = docs[0];
    assert_eq!(
        doc.first("title"),
        Some("Northern Rivers Reconciliation Network (NRRN)")
    );
    assert_eq!(doc.first("contentHash").map(str::len), Some(40));
    for c in of(imp, "Claim") {
        assert_eq!(c.first("source"), Some(doc.id.as_str()));
    }
    for m in memberships {
        assert_eq!(m.first("proof"), Some(doc.id.as_str()));
    }
}

#[test]
fn text_profile_imports_as_the_layout_says() {
    let imp = import(&bytes());
    assert_eq!(imp.format, ProfileFormat::Text);
    check(&imp);
    assert_eq!(
        of(&imp, "Document")[0].first("fileName"),
        Some("northern-rivers.txt")
    );
    // The only doubt: the ECW-C quotation that never closes, on line 27.
    assert_eq!(imp.warnings.len(), 1, "{:?}", imp.warnings);
    assert_eq!(imp.warnings[0].pos.line, 27);
}

#[test]
fn ids_are_stable_across_imports() {
    let a = import(&bytes());
    let b = import(&bytes());
    let entities = |i: &Imported| i.batch.entities().cloned().collect::<Vec<_>>();
    assert_eq!(entities(&a), entities(&b));
}

#[test]
fn known_entities_are_matched_not_duplicated() {
    // A store that knows ECW-C by acronym only and NAPRL by another spelling.
    let mut known = Matcher::new();
    known.add_acronym("org-known-ecwc", "Organization", "ECW-C");
    known.add_name(
        "org-known-naprl",
        "Organization",
        "Northern Accompaniment Program for Rivers & Lakes",
    );
    let opts = ImportOptions {
        file_name: FILE.into(),
        ..Default::default()
    };
    let imp = import_profile(&bytes(), &opts, &mut known).unwrap();
    assert!(imp.batch.get("org-known-ecwc").is_some());
    assert!(imp.batch.get("org-known-naprl").is_some());
    assert_eq!(
        named(&imp, "Engineers for Clean Water - Canada").id,
        "org-known-ecwc"
    );
}

#[test]
fn html_form_gives_the_same_profile() {
    let text = String::from_utf8(bytes()).unwrap();
    let (doc, _) = dossier_ingest::text::parse(&text, FILE).unwrap();
    let from_html = import(as_html(&doc).as_bytes());
    assert_eq!(from_html.format, ProfileFormat::Html);
    check(&from_html);
    // Entity for entity the same as the text form, but for the file's own facts.
    same_but_the_document(&import(text.as_bytes()), &from_html);
}
