//! Layouts other than the example's, in both forms: a page of a watchdog
//! that gives an address block, contact lines, the organization's
//! objectives and an advisory board as a plain list, then an unlabelled
//! critical paragraph (fixtures in our own words).

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dossier_ingest::{import_profile, ImportOptions, Imported, Matcher};
use dossier_model::Entity;

fn import(name: &str) -> Imported {
    let bytes = std::fs::read(format!(
        "{}/tests/profiles/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let opts = ImportOptions {
        file_name: name.into(),
        publisher: Some("Example Watch".into()),
        ..Default::default()
    };
    import_profile(&bytes, &opts, &mut Matcher::new()).unwrap()
}

fn of<'a>(imp: &'a Imported, schema: &str) -> Vec<&'a Entity> {
    imp.batch
        .entities()
        .filter(|e| e.schema.name == schema)
        .collect()
}

/// The name of the entity `id`.
fn name(imp: &Imported, id: &str) -> String {
    let e = imp
        .batch
        .get(id)
        .unwrap_or_else(|| panic!("no entity {id}"));
    e.first("name").unwrap_or_default().to_string()
}

/// The id of the organization of that name.
fn org_id(imp: &Imported, name: &str) -> String {
    of(imp, "Organization")
        .iter()
        .find(|o| o.first("name") == Some(name))
        .unwrap_or_else(|| panic!("no organization {name}"))
        .id
        .clone()
}

/// The organizations' names, sorted, besides the publisher the import was
/// told of.
fn org_names(imp: &Imported) -> Vec<&str> {
    let mut orgs: Vec<&str> = of(imp, "Organization")
        .iter()
        .filter_map(|o| o.first("name"))
        .filter(|n| *n != "Example Watch")
        .collect();
    orgs.sort();
    orgs
}

/// The quotation whose text holds `words`.
fn quote_with<'a>(quotes: &[&'a Entity], words: &str) -> &'a Entity {
    quotes
        .iter()
        .find(|q| q.first("text").unwrap().contains(words))
        .unwrap_or_else(|| panic!("no quotation with {words:?}"))
}

/// The names of those who paid `beneficiary`, sorted.
fn funders_of(imp: &Imported, beneficiary: &str) -> Vec<String> {
    let mut funders: Vec<String> = of(imp, "Payment")
        .iter()
        .filter(|p| p.first("beneficiary") == Some(beneficiary))
        .map(|p| {
            let payer = imp.batch.get(p.first("payer").unwrap()).unwrap();
            payer.first("name").unwrap().to_string()
        })
        .collect();
    funders.sort();
    funders
}

#[test]
fn a_contact_block_and_a_board_list_are_read_in_both_forms() {
    for file in ["contact-board.txt", "contact-board.html"] {
        let imp = import(file);
        let org = imp.batch.get(&imp.subject).unwrap();
        assert_eq!(org.first("name"), Some("Harbour Light Trust"), "{file}");
        assert_eq!(org.first("country"), Some("gb"), "{file}");
        assert_eq!(
            org.first("email"),
            Some("info@harbourlight.example"),
            "{file}"
        );
        assert_eq!(org.first("phone"), Some("+44 1496 300 100"), "{file}");
        assert_eq!(
            org.first("address"),
            Some("12 Quay Road, AB1 2CD Port Ellen, United Kingdom"),
            "{file}"
        );
        assert!(org
            .first("website")
            .unwrap()
            .contains("harbourlight.example"));
        // The objectives are the organization's own words.
        let claims = of(&imp, "Claim");
        let own = claims
            .iter()
            .find(|c| c.first("kind") == Some("quote"))
            .unwrap_or_else(|| panic!("{file}: no own words"));
        assert!(own.first("text").unwrap().contains("small fishing boats"));
        assert_eq!(own.first("assertedBy"), Some(imp.subject.as_str()));
        // The board: three people, each with a seat, not claims.
        let mut board: Vec<(String, String)> = of(&imp, "Directorship")
            .iter()
            .map(|d| {
                let person = imp.batch.get(d.first("director").unwrap()).unwrap();
                (
                    person.first("name").unwrap().to_string(),
                    d.first("role").unwrap_or("").to_string(),
                )
            })
            .collect();
        board.sort();
        let seat = |n: &str| (n.to_string(), "International Advisory Board".to_string());
        assert_eq!(
            board,
            [seat("Jonah Reid"), seat("Marta Ilves"), seat("Priya Raman")],
            "{file}"
        );
        // The critical paragraph is an assessment about the subject, under
        // no heading; no claim is a name, a label or a fax number.
        let assessment = claims
            .iter()
            .find(|c| c.first("kind") == Some("assessment"))
            .unwrap_or_else(|| panic!("{file}: no assessment"));
        assert!(assessment.first("text").unwrap().contains("criticised"));
        assert_eq!(assessment.first("topic"), None, "{file}");
        for c in &claims {
            let text = c.first("text").unwrap();
            assert!(
                text.split_whitespace().count() > 3,
                "{file}: claim {text:?}"
            );
            assert!(c.values("topic").all(|t| !t.contains("Fax")), "{file}");
        }
        assert!(
            imp.warnings
                .iter()
                .any(|w| w.message.contains("fax number")),
            "{file}: the fax line is said"
        );
        // Ties said in prose: a network it belongs to, its fiscal sponsor.
        let name_of = |id: &str| name(&imp, id);
        let nets: Vec<String> = of(&imp, "Membership")
            .iter()
            .filter(|m| m.first("member") == Some(imp.subject.as_str()))
            .map(|m| name_of(m.first("organization").unwrap()))
            .collect();
        assert_eq!(nets, ["Island Harbours Network"], "{file}");
        let sponsors: Vec<String> = of(&imp, "UnknownLink")
            .iter()
            .filter(|l| l.first("role") == Some("fiscal sponsor"))
            .map(|l| name_of(l.first("subject").unwrap()))
            .collect();
        assert_eq!(sponsors, ["Seaboard Community Foundation"], "{file}");
    }
}

/// An encyclopedia-style infobox (labels and values apart by a tab, or in
/// a table of label and value cells), reference marks, a contents list and
/// references, then funding said in a sentence.
#[test]
fn an_infobox_and_its_article_are_read_in_both_forms() {
    for file in ["infobox.txt", "infobox.html"] {
        let imp = import(file);
        let org = imp.batch.get(&imp.subject).unwrap();
        assert_eq!(org.first("name"), Some("Tidewater Rights Centre"), "{file}");
        assert_eq!(org.first("incorporationDate"), Some("2009"), "{file}");
        assert_eq!(
            org.first("website"),
            Some("tidewater-rights.example"),
            "{file}"
        );
        assert_eq!(org.first("address"), Some("Lagos, Nigeria"), "{file}");
        assert_eq!(org.first("country"), Some("ng"), "{file}");
        assert_eq!(
            org.first("legalForm"),
            Some("Non-profit organisation"),
            "{file}"
        );
        // People with their roles, no reference mark in a role.
        let mut roles: Vec<(String, String)> = of(&imp, "Employment")
            .iter()
            .map(|e| {
                let person = imp.batch.get(e.first("employee").unwrap()).unwrap();
                (
                    person.first("name").unwrap().to_string(),
                    e.first("role").unwrap_or("").to_string(),
                )
            })
            .collect();
        roles.sort();
        let r = |n: &str, role: &str| (n.to_string(), role.to_string());
        assert_eq!(
            roles,
            [
                r("Ada Okafor", "Founder"),
                r("Ada Okafor", "President"),
                r("Bola Ade", "Managing Director"),
                r("Chidi Obi", "Legal Advisor"),
            ],
            "{file}"
        );
        assert_eq!(of(&imp, "Person").len(), 3, "{file}: one entity a person");
        // The funding sentence is a payment, and stays a claim to check it by.
        let payments = of(&imp, "Payment");
        assert_eq!(payments.len(), 1, "{file}");
        let payer = imp.batch.get(payments[0].first("payer").unwrap()).unwrap();
        assert_eq!(payer.first("name"), Some("Northern Seas Foundation"));
        assert_eq!(payments[0].first("amount"), Some("400000"));
        assert_eq!(payments[0].first("currency"), Some("EUR"));
        // No mark, no contents entry, no reference is a claim or a name.
        for c in of(&imp, "Claim") {
            let text = c.first("text").unwrap();
            assert!(
                !text.contains("[1]") && !text.contains("citation needed"),
                "{file}: {text}"
            );
            assert!(
                text.split_whitespace().count() > 2,
                "{file}: claim {text:?}"
            );
            assert!(
                !text.contains("Court records"),
                "{file}: a reference as a claim"
            );
        }
        for e in imp.batch.entities() {
            for n in e.values("name") {
                assert!(
                    !["Contents", "References", "History"].contains(&n),
                    "{file}: {n}"
                );
            }
        }
    }
}

/// A weekly roundup profiling several organizations: the page is an
/// article (headline, byline, date), each entry's organization its own
/// subject, with its founding, founder, funders and quotations; the site's
/// chrome, the headline and the byline name no one.
#[test]
fn a_roundup_about_several_organizations_is_read_in_both_forms() {
    for file in ["roundup.txt", "roundup.html"] {
        let imp = import(file);
        let doc = imp.batch.get(&imp.subject).unwrap();
        assert_eq!(
            doc.schema.name, "Document",
            "{file}: the page is the subject"
        );
        assert_eq!(
            doc.first("title"),
            Some("Five river groups to watch this spring")
        );
        assert_eq!(doc.first("author"), Some("Lena Marsh"), "{file}");
        assert_eq!(doc.first("publishedAt"), Some("2024-03-12"), "{file}");
        // Besides the publisher the import was told of.
        let orgs = org_names(&imp);
        assert_eq!(
            orgs,
            [
                "Blue Delta Collective",
                "Clearwater Youth",
                "Coastal Futures Fund",
                "Greenway Foundation",
                "Harwell Trust",
                "Northern Seas Foundation",
                "Riverside Legal Clinic",
                "Upstream Farmers Union",
            ],
            "{file}: one entity an organization, no headline, no date in a name"
        );
        let id = |name: &str| org_id(&imp, name);
        let blue = id("Blue Delta Collective");
        assert_eq!(
            imp.batch.get(&blue).unwrap().first("incorporationDate"),
            Some("2022")
        );
        let funders = funders_of(&imp, &blue);
        assert_eq!(
            funders,
            [
                "Coastal Futures Fund",
                "Greenway Foundation",
                "Harwell Trust"
            ],
            "{file}"
        );
        let clinic = id("Riverside Legal Clinic");
        let paid = of(&imp, "Payment")
            .into_iter()
            .find(|p| p.first("beneficiary") == Some(clinic.as_str()))
            .unwrap();
        assert_eq!(paid.first("amount"), Some("120000"));
        assert_eq!(paid.first("date"), Some("2023"));
        // The founder is a person with that role; "Reyes said" is him.
        let founder = of(&imp, "Employment")[0];
        assert_eq!(founder.first("role"), Some("Founder"));
        let tomas = founder.first("employee").unwrap();
        let quotes = of(&imp, "Quotation");
        let river = quote_with(&quotes, "live with the river");
        assert_eq!(river.first("speaker"), Some(tomas), "{file}");
        // "According to its chair, Mira Holt, …": hers.
        let share = quote_with(&quotes, "fair share");
        let holt = imp.batch.get(share.first("speaker").unwrap()).unwrap();
        assert_eq!(holt.first("name"), Some("Mira Holt"), "{file}");
        // Critics' words are not the organization's.
        let noise = quote_with(&quotes, "more noise");
        assert_eq!(noise.first("speaker"), None, "{file}");
        // Each entry's claims are about its organization.
        for c in of(&imp, "Claim") {
            let text = c.first("text").unwrap();
            if text.starts_with("Clearwater Youth") {
                assert_eq!(c.first("subject"), Some(id("Clearwater Youth").as_str()));
            }
            assert!(!text.contains("Subscribe"), "{file}: chrome as a claim");
        }
    }
}

#[test]
fn a_news_article_in_paragraphs_is_read_in_both_forms() {
    for file in ["news.txt", "news.html"] {
        let imp = import(file);
        let doc = imp.batch.get(&imp.subject).unwrap();
        assert_eq!(doc.schema.name, "Document", "{file}: an article");
        // The byline (and in HTML the page's metadata) describe the page.
        assert_eq!(doc.first("author"), Some("Lena Marsh"), "{file}");
        assert_eq!(doc.first("publishedAt"), Some("2024-03-18"), "{file}");
        if file.ends_with(".html") {
            let publishers: Vec<&str> = doc.values("publisher").collect();
            assert!(
                publishers.contains(&"The Harbour Gazette"),
                "{publishers:?}"
            );
        }
        let orgs = org_names(&imp);
        assert_eq!(
            orgs,
            [
                "Blue Reef Institute",
                "Corvo Trust",
                "European Small-Scale Fisheries Platform",
                "Meridian Foundation",
                "Saltmarsh Alliance",
            ],
            "{file}: 'X and the Y' two bodies; no related stories, no headline"
        );
        let id = |name: &str| org_id(&imp, name);
        let (salt, reef) = (id("Saltmarsh Alliance"), id("Blue Reef Institute"));
        assert_eq!(
            imp.batch.get(&salt).unwrap().first("incorporationDate"),
            Some("2011")
        );
        let funders = funders_of(&imp, &reef);
        assert_eq!(funders, ["Corvo Trust", "Meridian Foundation"], "{file}");
        let member = of(&imp, "Membership");
        assert_eq!(member.len(), 1, "{file}");
        assert_eq!(member[0].first("member"), Some(salt.as_str()));
        let quotes = of(&imp, "Quotation");
        let boats = quote_with(&quotes, "small boats");
        let brel = imp.batch.get(boats.first("speaker").unwrap()).unwrap();
        assert_eq!(brel.first("name"), Some("Tomas Brel"), "{file}");
        let gift = quote_with(&quotes, "industrial trawlers");
        assert_eq!(gift.first("speaker"), Some(reef.as_str()), "{file}");
        // "its director, Tomas Brel": his post at the body the text is about.
        let mut posts: Vec<(String, String, String)> = of(&imp, "Employment")
            .iter()
            .map(|e| {
                let who = imp.batch.get(e.first("employee").unwrap()).unwrap();
                let at = imp.batch.get(e.first("employer").unwrap()).unwrap();
                (
                    who.first("name").unwrap().to_string(),
                    e.first("role").unwrap().to_string(),
                    at.first("name").unwrap().to_string(),
                )
            })
            .collect();
        posts.sort();
        let post = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(
            posts,
            [
                post("Ines Vasko", "spokesperson", "Blue Reef Institute"),
                post("Tomas Brel", "director", "Saltmarsh Alliance"),
            ],
            "{file}"
        );
        for c in of(&imp, "Claim") {
            let text = c.first("text").unwrap();
            assert!(
                !text.contains("Lena Marsh") && !text.contains("Storm damages"),
                "{file}: byline or chrome as a claim: {text}"
            );
        }
    }
}

#[test]
fn a_registers_entry_with_tables_is_read_in_both_forms() {
    for file in ["registry.txt", "registry.html"] {
        let imp = import(file);
        let org = imp.batch.get(&imp.subject).unwrap();
        assert_eq!(org.first("name"), Some("Tern Valley Wetland Trust"));
        assert_eq!(org.first("registrationNumber"), Some("1187654"), "{file}");
        assert_eq!(org.first("incorporationDate"), Some("2015-02-14"), "{file}");
        assert_eq!(org.first("country"), Some("gb"), "{file}");
        assert!(org.first("address").unwrap().contains("Fen Lane"), "{file}");
        // The trustees table: three seats with their start dates; the
        // title before a name is not part of it.
        let mut board: Vec<(String, String, String)> = of(&imp, "Directorship")
            .iter()
            .map(|d| {
                let person = imp.batch.get(d.first("director").unwrap()).unwrap();
                (
                    person.first("name").unwrap().to_string(),
                    d.first("role").unwrap_or("").to_string(),
                    d.first("startDate").unwrap_or("").to_string(),
                )
            })
            .collect();
        board.sort();
        let seat = |n: &str, r: &str, d: &str| (n.to_string(), r.to_string(), d.to_string());
        assert_eq!(
            board,
            [
                seat("Amira Solberg", "Trustee", "2021-01-11"),
                seat("Helen Marsh-Carter", "Chair", "2015-02-14"),
                seat("Owen Pryce", "Treasurer", "2018-06-02"),
            ],
            "{file}"
        );
        // The funders table: each a payment with its amount and year.
        let id = imp.subject.clone();
        assert_eq!(
            funders_of(&imp, &id),
            ["Anglian Water Trust", "Fenland Heritage Fund"],
            "{file}"
        );
        let fen = of(&imp, "Payment")
            .into_iter()
            .find(|p| p.first("amount") == Some("85000"))
            .unwrap_or_else(|| panic!("{file}: no payment of 85,000"));
        assert_eq!(
            (fen.first("currency"), fen.first("date")),
            (Some("GBP"), Some("2022"))
        );
        // The finances keep their column names; what the charity says it
        // does is its own words.
        let claims = of(&imp, "Claim");
        assert!(
            claims.iter().any(|c| c.first("text")
                == Some(
                    "Financial year end: 31 March 2023; Total income: £412,300; Total expenditure: £398,750"
                )),
            "{file}"
        );
        let own = claims
            .iter()
            .find(|c| c.first("text").unwrap().contains("reed beds"))
            .unwrap();
        assert_eq!(own.first("kind"), Some("quote"), "{file}");
        assert!(
            claims
                .iter()
                .all(|c| !c.first("text").unwrap().starts_with("Name")),
            "{file}: a header row as a claim"
        );
    }
}

#[test]
fn quotations_are_the_words_of_whoever_the_sentence_says() {
    let imp = import("speakers.txt");
    let quotes = of(&imp, "Quotation");
    let speaker = |words: &str| -> String {
        let q = quote_with(&quotes, words);
        let id = q
            .first("speaker")
            .unwrap_or_else(|| panic!("{words}: no speaker"));
        name(&imp, id)
    };
    // None of these is the organization's own words.
    assert_eq!(speaker("a lobby in a think tank"), "Aidan Roche");
    assert_eq!(speaker("every donor above"), "Niamh Doyle");
    assert_eq!(speaker("rigorous and fair"), "Paul Keane");
    assert_eq!(speaker("deeply misleading"), "Corran Institute");
    let keane = of(&imp, "Person")
        .into_iter()
        .find(|p| p.first("name") == Some("Paul Keane"))
        .unwrap();
    assert_eq!(keane.first("position"), Some("economist"));
    // "Kestrel receives grants from A, the B and the C": its short name.
    assert_eq!(
        funders_of(&imp, &imp.subject),
        ["Department of Finance", "Halden Foundation", "Moy Trust"]
    );
}

#[test]
fn a_watchdogs_fact_box_with_prose_and_references_is_read_in_both_forms() {
    for file in ["watchdog.txt", "watchdog.html"] {
        let imp = import(file);
        let org = imp.batch.get(&imp.subject).unwrap();
        assert_eq!(org.first("name"), Some("Prairie Commons Institute"));
        assert_eq!(org.first("abbreviation"), Some("PCI"));
        assert_eq!(
            org.first("registrationNumber"),
            Some("47-1234567"),
            "{file}"
        );
        assert_eq!(org.first("incorporationDate"), Some("2013"), "{file}");
        assert_eq!(
            org.first("website"),
            Some("https://prairiecommons.example"),
            "{file}"
        );
        // `Omaha, NE` is in Nebraska: no country is better than Niger.
        assert_eq!(org.first("country"), None, "{file}");
        // Founders from a sentence; the leadership list one person a line.
        let mut posts: Vec<(String, String)> = of(&imp, "Employment")
            .iter()
            .chain(of(&imp, "Directorship").iter())
            .map(|e| {
                let who = e.first("employee").or(e.first("director")).unwrap();
                (name(&imp, who), e.first("role").unwrap().to_string())
            })
            .collect();
        posts.sort();
        let post = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            posts,
            [
                post("Carl Ostrander", "Board Chair"),
                post("Carl Ostrander", "Founder"),
                post("Lydia Voss", "Founder"),
                post("Lydia Voss", "President"),
                post("Maya Fenwick", "Director of Research"),
            ],
            "{file}"
        );
        // Both funders, the amount and year with the one they belong to.
        let id = imp.subject.clone();
        assert_eq!(
            funders_of(&imp, &id),
            ["Dunmore Family Foundation", "Heartland Soil Trust"],
            "{file}"
        );
        let paid: Vec<(String, Option<&str>, Option<&str>)> = of(&imp, "Payment")
            .iter()
            .map(|p| {
                (
                    name(&imp, p.first("payer").unwrap()),
                    p.first("amount"),
                    p.first("date"),
                )
            })
            .collect();
        assert!(
            paid.contains(&(
                "Dunmore Family Foundation".to_string(),
                Some("250000"),
                Some("2021")
            )),
            "{file}: {paid:?}"
        );
        assert!(
            paid.contains(&("Heartland Soil Trust".to_string(), None, None)),
            "{file}: {paid:?}"
        );
        // The budget is a fact with its label; the references and the
        // contents are not claims.
        let claims = of(&imp, "Claim");
        assert!(claims.iter().any(|c| c
            .first("text")
            .unwrap()
            .starts_with("Budget (2022): Revenue")));
        for c in &claims {
            let t = c.first("text").unwrap();
            assert!(
                !t.contains("Accessed") && !t.contains("annual report, p."),
                "{file}: {t}"
            );
        }
    }
}

#[test]
fn bylines_in_their_common_forms_describe_the_article() {
    let cases = [
        ("By Ana Ruiz · 2 May 2024", Some("Ana Ruiz")),
        ("Published 2 May 2024 by Ana Ruiz", Some("Ana Ruiz")),
        ("May 2, 2024 | Ana Ruiz", Some("Ana Ruiz")),
        ("Ana Ruiz, 2 May 2024", Some("Ana Ruiz")),
        ("2 May 2024", None),
    ];
    for (line, author) in cases {
        let page = format!(
            "Three charities merge their coastal programmes\n{line}\n\n\
             The Fenland Heritage Fund will merge with the Anglian Water Trust.\n\n\
             The Corvo Trust welcomed the move.\n"
        );
        let opts = ImportOptions {
            file_name: "merge.txt".into(),
            ..Default::default()
        };
        let imp = import_profile(page.as_bytes(), &opts, &mut Matcher::new()).unwrap();
        let doc = imp.batch.get(&imp.subject).unwrap();
        assert_eq!(doc.schema.name, "Document", "{line}");
        assert_eq!(doc.first("author"), author, "{line}");
        assert_eq!(doc.first("publishedAt"), Some("2024-05-02"), "{line}");
        for c in of(&imp, "Claim") {
            assert!(
                !c.first("text").unwrap().contains("Ruiz"),
                "{line}: a claim"
            );
        }
        assert!(
            of(&imp, "Person").is_empty(),
            "{line}: the author is no one in the story"
        );
    }
}

#[test]
fn a_role_as_a_label_and_several_grants_on_one_line_are_read_in_both_forms() {
    for file in ["funding-list.txt", "funding-list.html"] {
        let imp = import(file);
        // `Director: Femke de Vries` is her post, not a fact about a label.
        let posts: Vec<(String, String)> = of(&imp, "Employment")
            .iter()
            .map(|e| {
                let who = name(&imp, e.first("employee").unwrap());
                (who, e.first("role").unwrap().to_string())
            })
            .collect();
        assert_eq!(
            posts,
            [("Femke de Vries".to_string(), "Director".to_string())],
            "{file}"
        );
        // `2021: €95,000 from A; €20,000 from B`: two payments of 2021.
        let mut paid: Vec<(String, String, String)> = of(&imp, "Payment")
            .iter()
            .map(|p| {
                (
                    name(&imp, p.first("payer").unwrap()),
                    p.first("amount").unwrap().to_string(),
                    p.first("date").unwrap().to_string(),
                )
            })
            .collect();
        paid.sort();
        let pay = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(
            paid,
            [
                pay("Dutch Ministry of Foreign Affairs", "20000", "2021"),
                pay("Lantern Foundation", "95000", "2021"),
                pay("Open Press Fund", "120000", "2022"),
            ],
            "{file}"
        );
        // A ministry that gives is a public body.
        let ministries: Vec<&str> = of(&imp, "PublicBody")
            .iter()
            .filter_map(|b| b.first("name"))
            .collect();
        assert_eq!(ministries, ["Dutch Ministry of Foreign Affairs"], "{file}");
        let quotes = of(&imp, "Quotation");
        let club = quote_with(&quotes, "already powerful");
        let bakker = name(&imp, club.first("speaker").unwrap());
        assert_eq!(bakker, "Joris Bakker", "{file}");
        // The trust's reply is its own.
        let panel = quote_with(&quotes, "independent panel");
        assert_eq!(panel.first("speaker"), Some(imp.subject.as_str()), "{file}");
    }
}
