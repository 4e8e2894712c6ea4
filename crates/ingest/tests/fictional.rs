//! Profiles of fictional organizations, in both forms, with the sections and
//! layouts the example does not show: funding in every common form, key
//! people and boards, networks and partners, replies, unknown labels,
//! numbered and dashed lists, tabs, HTML definition lists, tables, labels,
//! block quotes, and page chrome to ignore.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dossier_ingest::{import_profile, ImportOptions, Imported, Matcher, ProfileFormat};
use dossier_model::names::name_key;
use dossier_model::Entity;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/profiles/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn import_with(name: &str, matcher: &mut Matcher) -> Imported {
    let opts = ImportOptions {
        file_name: name.into(),
        publisher: Some("Example Watch".into()),
        ..Default::default()
    };
    import_profile(&fixture(name), &opts, matcher).unwrap()
}

fn of<'a>(imp: &'a Imported, schema: &str) -> Vec<&'a Entity> {
    imp.batch
        .entities()
        .filter(|e| e.schema.name == schema)
        .collect()
}

fn named<'a>(imp: &'a Imported, name: &str) -> &'a Entity {
    let key = name_key(name);
    imp.batch
        .entities()
        .find(|e| e.values("name").any(|n| name_key(n) == key))
        .unwrap_or_else(|| panic!("nothing named {name:?}"))
}

/// Payer name, amount, currency, date, start and end of a payment.
type PaymentRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Every payment, sorted.
fn payments(imp: &Imported) -> Vec<PaymentRow> {
    let mut out: Vec<_> = of(imp, "Payment")
        .iter()
        .map(|p| {
            let payer = imp
                .batch
                .get(p.first("payer").unwrap())
                .unwrap()
                .caption()
                .to_string();
            let get = |k: &str| p.first(k).map(str::to_string);
            assert_eq!(p.first("beneficiary"), Some(imp.subject.as_str()));
            (
                payer,
                get("amount"),
                get("currency"),
                get("date"),
                get("startDate"),
                get("endDate"),
            )
        })
        .collect();
    out.sort();
    out
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn text_profile_with_funding_people_board_networks_and_replies() {
    let imp = import_with("harbor-coalition.txt", &mut Matcher::new());
    assert_eq!(imp.format, ProfileFormat::Text);
    let hpc = imp.batch.get(&imp.subject).unwrap();
    assert_eq!(hpc.caption(), "Harbor Peace Coalition");
    assert_eq!(hpc.first("abbreviation"), Some("HPC"));
    assert_eq!(hpc.first("country"), Some("cy"));
    assert_eq!(hpc.first("website"), Some("https://hpc.example.org"));
    assert_eq!(hpc.first("incorporationDate"), Some("2009"));
    assert_eq!(
        hpc.values("alias").collect::<Vec<_>>(),
        ["Harbour Peace Coalition", "HPCoalition"]
    );
    assert_eq!(
        hpc.first("summary"),
        Some("Building bridges between port cities, one ferry at a time.")
    );

    assert_eq!(
        payments(&imp),
        vec![
            (
                "European Union".into(),
                s("1200000"),
                s("EUR"),
                None,
                s("2019"),
                s("2021")
            ),
            (
                "Ford Foundation".into(),
                s("250000"),
                s("USD"),
                s("2018"),
                None,
                None
            ),
            (
                "Norway".into(),
                s("1500000"),
                s("ILS"),
                s("2020"),
                None,
                None
            ),
            (
                "Oak Foundation".into(),
                s("50000"),
                s("CHF"),
                s("2016"),
                None,
                None
            ),
            (
                "Oak Foundation".into(),
                s("75000"),
                s("CHF"),
                s("2017"),
                None,
                None
            ),
        ]
    );
    // A country as donor is its government: a public body with the country.
    let norway = named(&imp, "Norway");
    assert_eq!(norway.schema.name, "PublicBody");
    assert_eq!(norway.first("country"), Some("no"));
    // The amount keeps how it was written.
    let eu = of(&imp, "Payment")
        .into_iter()
        .find(|p| p.first("startDate") == Some("2019"))
        .unwrap();
    assert_eq!(
        eu.properties["amount"][0].original.as_deref(),
        Some("\u{20AC}1,200,000")
    );

    // Key people are employees; the board are directors.
    let mut staff: Vec<(String, String, Option<String>)> = of(&imp, "Employment")
        .iter()
        .map(|e| {
            let p = imp.batch.get(e.first("employee").unwrap()).unwrap();
            (
                p.caption().to_string(),
                e.first("role").unwrap_or("").to_string(),
                e.first("startDate").map(str::to_string),
            )
        })
        .collect();
    staff.sort();
    assert_eq!(
        staff,
        vec![
            ("Dana Levi".into(), "Executive Director".into(), s("2015")),
            ("Eleni Georgiou".into(), "Spokesperson".into(), None),
            ("Omar Haddad".into(), "Director of Programs".into(), None),
        ]
    );
    let mut board: Vec<(String, String)> = of(&imp, "Directorship")
        .iter()
        .map(|d| {
            (
                imp.batch
                    .get(d.first("director").unwrap())
                    .unwrap()
                    .caption()
                    .to_string(),
                d.first("role").unwrap().to_string(),
            )
        })
        .collect();
    board.sort();
    assert_eq!(
        board,
        vec![
            ("Ruth Amsel".into(), "Chair".into()),
            ("Yusuf Karam".into(), "Treasurer".into())
        ]
    );
    let karam = of(&imp, "Directorship")
        .into_iter()
        .find(|d| d.first("role") == Some("Treasurer"))
        .unwrap();
    assert_eq!(
        (karam.first("startDate"), karam.first("endDate")),
        (Some("2012"), Some("2020"))
    );

    // Networks it belongs to: memberships with HPC as the member.
    let mut networks: Vec<&str> = of(&imp, "Membership")
        .iter()
        .map(|m| {
            assert_eq!(m.first("member"), Some(imp.subject.as_str()));
            imp.batch
                .get(m.first("organization").unwrap())
                .unwrap()
                .caption()
        })
        .collect();
    networks.sort();
    assert_eq!(
        networks,
        ["Euro-Med Ports Network", "Mediterranean NGO Platform"]
    );

    // Lines that are not structured become claims in their section.
    let claims = of(&imp, "Claim");
    let find = |start: &str| {
        *claims
            .iter()
            .find(|c| c.first("text").unwrap().starts_with(start))
            .unwrap()
    };
    assert_eq!(
        find("The coalition also receives").first("topic"),
        Some("Funding")
    );
    assert_eq!(
        find("Volunteers run most").first("topic"),
        Some("Key People")
    );
    assert_eq!(find("Annual Budget").first("kind"), Some("fact"));
    assert_eq!(
        find("Its secretariat moved").first("eventDate"),
        Some("2016")
    );

    // A reply from the subject, tied to the claim it answers.
    let march = find("In March 2019");
    assert_eq!(march.first("eventDate"), Some("2019-03"));
    let reply = find("HPC says the wording came from a draft");
    assert_eq!(reply.first("replyTo"), Some(march.id.as_str()));
    assert_eq!(reply.first("kind"), Some("quote"));
    assert_eq!(reply.first("assertedBy"), Some(imp.subject.as_str()));

    // Claims are asserted by the publisher given on import.
    let publisher = named(&imp, "Example Watch");
    assert_eq!(march.first("assertedBy"), Some(publisher.id.as_str()));

    // Speakers: "according to X", "Role Name said:".
    let quotes = of(&imp, "Quotation");
    let speaker = |start: &str| {
        let q = quotes
            .iter()
            .find(|q| q.first("text").unwrap().starts_with(start))
            .unwrap();
        imp.batch
            .get(q.first("speaker").unwrap())
            .unwrap()
            .caption()
            .to_string()
    };
    assert_eq!(
        speaker("has overstated its membership"),
        "Maritime Watch Institute"
    );
    assert_eq!(speaker("We talk to everyone"), "Dana Levi");
    assert_eq!(
        speaker("port access for aid ships"),
        "Harbor Peace Coalition"
    );
    // Dana Levi, named in Key People and as a speaker, is one person.
    assert_eq!(
        of(&imp, "Person")
            .iter()
            .filter(|p| p.caption() == "Dana Levi")
            .count(),
        1
    );
    let feb = find("On 14 February 2022");
    assert_eq!(feb.first("eventDate"), Some("2022-02-14"));
    assert!(feb
        .values("mentions")
        .any(|m| m == named(&imp, "Mediterranean NGO Platform").id));
    // Nothing after "All Articles about" is read.
    assert!(claims
        .iter()
        .all(|c| !c.first("text").unwrap().contains("not part of the profile")));
}

#[test]
fn html_profile_with_definition_list_table_board_partners_and_chrome() {
    let mut matcher = Matcher::new();
    let harbor = import_with("harbor-coalition.txt", &mut matcher);
    let imp = import_with("olive-grove.html", &mut matcher);
    assert_eq!(imp.format, ProfileFormat::Html);
    let ogdc = imp.batch.get(&imp.subject).unwrap();
    assert_eq!(ogdc.caption(), "Olive Grove Dialogue Center");
    assert_eq!(ogdc.values("country").collect::<Vec<_>>(), ["il", "ps"]);
    assert_eq!(ogdc.first("incorporationDate"), Some("2004-03"));
    assert_eq!(ogdc.first("registrationNumber"), Some("580123456"));
    assert_eq!(ogdc.first("email"), Some("info@ogdc.example"));
    assert_eq!(
        ogdc.first("summary"),
        Some("A meeting place for farmers, teachers & neighbours.")
    );

    assert_eq!(
        payments(&imp),
        vec![
            (
                "Rockefeller Brothers Fund".into(),
                s("80000"),
                s("USD"),
                s("2020"),
                None,
                None
            ),
            (
                "United Kingdom".into(),
                s("300000"),
                s("GBP"),
                None,
                s("2017"),
                s("2019")
            ),
        ]
    );
    let mut board: Vec<String> = of(&imp, "Directorship")
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                imp.batch
                    .get(d.first("director").unwrap())
                    .unwrap()
                    .caption(),
                d.first("role").unwrap()
            )
        })
        .collect();
    board.sort();
    assert_eq!(board, ["Miriam Cohen Chair", "Samir Nassar Board Member"]);

    // Partners are links; the coalition named here is the one imported before.
    let links = of(&imp, "UnknownLink");
    assert_eq!(links.len(), 2);
    assert!(links.iter().all(|l| l.first("role") == Some("partner")));
    assert!(links
        .iter()
        .any(|l| l.first("object") == Some(harbor.subject.as_str())));

    let claims = of(&imp, "Claim");
    let find = |start: &str| {
        *claims
            .iter()
            .find(|c| c.first("text").unwrap().starts_with(start))
            .unwrap()
    };
    let school = find("Runs a summer school");
    assert_eq!(school.first("topic"), Some("Activities"));
    assert_eq!(school.first("section"), Some("Education"));
    let q = of(&imp, "Quotation")
        .into_iter()
        .find(|q| q.first("claim") == Some(school.id.as_str()))
        .unwrap();
    assert_eq!(
        q.first("text"),
        Some("learn to listen before they argue"),
        "<q> is a quotation"
    );
    let reply = find("The center says attendance");
    assert_eq!(reply.first("replyTo"), Some(school.id.as_str()));
    assert_eq!(find("In July 2021").first("eventDate"), Some("2021-07"));
    let said = find("In 2018 its director");
    let quote = of(&imp, "Quotation")
        .into_iter()
        .find(|q| q.first("claim") == Some(said.id.as_str()))
        .unwrap();
    assert_eq!(quote.first("text"), Some("we are not a political body"));
    assert_eq!(
        imp.batch
            .get(quote.first("speaker").unwrap())
            .unwrap()
            .caption(),
        "Miriam Cohen"
    );

    // Scripts, navigation, footers and the articles list leave no trace.
    for e in imp.batch.entities() {
        for values in e.properties.values() {
            for v in values {
                for noise in [
                    "Fake Tracking",
                    "Navigation Links",
                    "Footer Trust",
                    "Ignored Article",
                ] {
                    assert!(!v.value.contains(noise), "{noise} leaked into {}", e.id);
                }
            }
        }
    }
}

/// Names already in the store, spelled another way, are the same entities
/// when resolution's matcher is sure (a typo, a dropped dash); bodies that
/// only share words stay apart.
#[test]
fn names_known_under_another_spelling_are_matched() {
    let mut matcher = Matcher::new();
    matcher.add_name("org-known-mnp", "Organization", "Mediteranean NGO Platform");
    matcher.add_name("org-known-ports", "Organization", "EuroMed Ports Network");
    matcher.add_name("org-other", "Organization", "Harbor Peace Institute");
    matcher.add_name("org-oak", "Organization", "Oak Tree Foundation");
    let imp = import_with("harbor-coalition.txt", &mut matcher);
    let networks: Vec<&str> = of(&imp, "Membership")
        .iter()
        .filter(|m| m.first("member") == Some(imp.subject.as_str()))
        .filter_map(|m| m.first("organization"))
        .collect();
    assert!(networks.contains(&"org-known-mnp"), "{networks:?}");
    assert!(networks.contains(&"org-known-ports"), "{networks:?}");
    assert_ne!(imp.subject, "org-other");
    assert!(imp.batch.get("org-other").is_none());
    assert!(
        imp.batch.get("org-oak").is_none(),
        "Oak Foundation is another body"
    );
    // The spelling the page uses is kept, beside the known one.
    let mnp = imp.batch.get("org-known-mnp").unwrap();
    assert!(
        mnp.values("name")
            .chain(mnp.values("alias"))
            .any(|n| n == "Mediterranean NGO Platform"),
        "{mnp:?}"
    );
}
