//! Popolo as legislature datasets publish it (the layout of
//! EveryPolitician's files, in a file of our own): membership ids left out,
//! ids of any form, and the fields that have a place in the model kept,
//! the others reported.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dossier_formats::popolo;

const FILE: &[u8] = include_bytes!("data/legislature.popolo.json");

#[test]
fn a_legislature_file_imports_whole() {
    let read = popolo::read(FILE).unwrap();
    let of = |schema: &str| {
        read.entities
            .iter()
            .filter(|e| e.schema.name == schema)
            .count()
    };
    assert_eq!((of("Person"), of("Organization")), (2, 3));
    // Three seats, each with a membership of the party it was held for.
    assert_eq!(of("Membership"), 6, "{:#?}", read.entities);
    let amani = read
        .entities
        .iter()
        .find(|e| e.first("name") == Some("Amani Wanjiru"))
        .unwrap();
    for (prop, value) in [
        ("birthDate", "1971-04-09"),
        ("gender", "female"),
        ("firstName", "Amani"),
        ("lastName", "Wanjiru"),
        ("email", "amani.wanjiru@assembly.example"),
        ("wikidataId", "Q99990001"),
        ("idNumber", "A-0117"),
        (
            "wikipediaUrl",
            "https://en.wikipedia.org/wiki/Amani_Wanjiru",
        ),
        ("website", "https://amani.example"),
        ("alias", "Amani W."),
    ] {
        assert!(amani.values(prop).any(|v| v == value), "{prop}: {amani:?}");
    }
    assert!(amani.first("phone").is_some(), "{amani:?}");
    // Ids FtM keeps, the same wherever they are referred to.
    let ids: Vec<&str> = read.entities.iter().map(|e| e.id.as_str()).collect();
    for id in &ids {
        assert!(
            id.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_:".contains(c)),
            "{id}"
        );
    }
    let ford = read
        .entities
        .iter()
        .find(|e| e.first("name") == Some("Forum for Reform"))
        .unwrap();
    assert!(ford.id.starts_with("party-ford-kenya-"), "{}", ford.id);
    let party_seats: Vec<_> = read
        .entities
        .iter()
        .filter(|e| {
            e.schema.name == "Membership" && e.first("organization") == Some(ford.id.as_str())
        })
        .collect();
    assert_eq!(party_seats.len(), 1);
    assert_eq!(party_seats[0].first("member"), Some(amani.id.as_str()));
    let unity = read
        .entities
        .iter()
        .find(|e| e.first("name") == Some("Unity Alliance"))
        .unwrap();
    assert_eq!(unity.first("incorporationDate"), Some("2002-11-30"));
    assert_eq!(unity.first("classification"), Some("party"));
    // What has no place is said, never dropped silently.
    for field in [
        "death_date",
        "image",
        "legislative_period_id",
        "area_id",
        "contact twitter",
    ] {
        assert!(
            read.dropped.iter().any(|d| d.contains(field)),
            "{field} not reported: {:?}",
            read.dropped
        );
    }
}

#[test]
fn a_value_the_model_refuses_is_reported_and_the_rest_kept() {
    let doc = br#"{"persons":[{"id":"p1","name":"Dana Ruiz","birth_date":"sometime in spring","gender":"female"}],
        "organizations":[{"id":"o 1","name":"Harbor Board"}],
        "memberships":[{"person_id":"p1","organization_id":"o 1"}]}"#;
    let read = popolo::read(doc).unwrap();
    let dana = read.entities.iter().find(|e| e.id == "p1").unwrap();
    assert_eq!(dana.first("gender"), Some("female"));
    assert!(dana.first("birthDate").is_none());
    assert!(
        read.dropped.iter().any(|d| d.contains("birthDate")),
        "{:?}",
        read.dropped
    );
    let m = read
        .entities
        .iter()
        .find(|e| e.schema.name == "Membership")
        .unwrap();
    assert!(
        m.first("organization").unwrap().starts_with("o-1-"),
        "{m:?}"
    );
}

#[test]
fn what_the_model_has_no_place_for_at_the_top_is_reported() {
    let doc = br#"{"persons":[{"id":"p1","name":"Dana Ruiz"}],
        "posts":[{"id":"seat-1","label":"Member for Harbor"},{"id":"seat-2","label":"Member for Hill"}],
        "areas":[{"id":"a1","name":"Harbor"}],
        "meta":{"generated":"2024-01-01"}}"#;
    let read = popolo::read(doc).unwrap();
    assert_eq!(read.entities.len(), 1);
    for said in ["posts (2 records)", "areas (1 record)", "meta"] {
        assert!(
            read.dropped.iter().any(|d| d.contains(said)),
            "{said}: {:?}",
            read.dropped
        );
    }
}
