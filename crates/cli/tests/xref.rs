//! `dossier xref` within the demo store and against an FtM file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[test]
fn xref_finds_the_store_entities_an_ftm_list_names_differently() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    // Another dataset spells some of the demo's bodies its own way, and
    // holds bodies the demo does not know.
    let list = dir.path().join("list.ftm.json");
    let lines = [
        r#"{"id":"x-1","schema":"Organization","properties":{"name":["PHYSICIANS FOR HUMAN RIGHTS ISRAEL"]}}"#,
        r#"{"id":"x-2","schema":"Organization","properties":{"name":["ALLMEP"]}}"#,
        r#"{"id":"x-3","schema":"Organization","properties":{"name":["Ecumenical Accompaniment Program in Palestine & Israel"]}}"#,
        r#"{"id":"x-4","schema":"Organization","properties":{"name":["Greenpeace Africa"]}}"#,
        r#"{"id":"x-5","schema":"Person","properties":{"name":["Alliance Middle"]}}"#,
    ];
    std::fs::write(&list, lines.join("\n")).unwrap();
    let out = common::ok(
        &db,
        &["xref", "--against", list.to_str().unwrap(), "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let pairs = v["pairs"].as_array().unwrap();
    let found = |theirs: &str, ours: &str| {
        pairs.iter().any(|p| {
            let ids = [
                p["a"]["id"].as_str().unwrap(),
                p["b"]["id"].as_str().unwrap(),
            ];
            let names = [
                p["a"]["name"].as_str().unwrap(),
                p["b"]["name"].as_str().unwrap(),
            ];
            ids.contains(&theirs) && names.contains(&ours)
        })
    };
    assert!(
        found("x-1", "Physicians for Human Rights - Israel"),
        "{out}"
    );
    assert!(found("x-2", "Alliance for Middle East Peace"), "{out}");
    assert!(
        found(
            "x-3",
            "Ecumenical Accompaniment Programme in Palestine and Israel"
        ),
        "{out}"
    );
    // Across the two datasets only; nothing for the unknown body; a person
    // is never a body.
    for p in pairs {
        assert_ne!(p["a"]["dataset"], p["b"]["dataset"], "{p}");
        let ids = [
            p["a"]["id"].as_str().unwrap(),
            p["b"]["id"].as_str().unwrap(),
        ];
        assert!(!ids.contains(&"x-4") && !ids.contains(&"x-5"), "{p}");
    }
    // Best first, each with its reasons.
    let scores: Vec<f64> = pairs.iter().map(|p| p["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(pairs
        .iter()
        .all(|p| !p["reasons"].as_array().unwrap().is_empty()));
    // The text form names both sides; a bad file is a clear error.
    let text = common::ok(&db, &["xref", "--against", list.to_str().unwrap()]);
    assert!(text.contains("ALLMEP") && text.contains("≟"), "{text}");
    std::fs::write(&list, "{not json").unwrap();
    let bad = common::dossier(&db, &["xref", "--against", list.to_str().unwrap()]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("list.ftm.json") && err.contains("line 1"),
        "{err}"
    );
}

/// A sanctions-style list as OpenSanctions-like publishers write it:
/// companies, people, their addresses and the sanctions on them, plus a
/// schema outside FtM's model. The list reads whole; a company meets the
/// store's body of the same name, with the sanction beside it.
#[test]
fn xref_against_a_sanctions_list_with_companies_and_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    let list = dir.path().join("sanctions.ftm.json");
    let lines = [
        r#"{"id":"s-addr-1","schema":"Address","properties":{"full":["12 Harbour Road, Haifa"],"country":["il"]}}"#,
        r#"{"id":"s-co-1","schema":"Company","properties":{"name":["Physicians for Human Rights Israel Ltd"],"addressEntity":["s-addr-1"],"registrationNumber":["580000000"],"createdAt":["2023-01-02T10:00:00"]}}"#,
        r#"{"id":"s-san-1","schema":"Sanction","properties":{"entity":["s-co-1"],"program":["Example Programme"],"authority":["Example Authority"],"startDate":["2024-05-01"]}}"#,
        r#"{"id":"s-p-1","schema":"Person","properties":{"name":["Rhea Quayle"],"nationality":["gb"],"topics":["sanction"]}}"#,
        r#"{"id":"s-own-1","schema":"Ownership","properties":{"owner":["s-p-1"],"asset":["s-co-1"],"percentage":["51"]}}"#,
        r#"{"id":"s-x-1","schema":"Starship","properties":{"name":["Nowhere"]}}"#,
    ];
    std::fs::write(&list, lines.join("\n")).unwrap();
    let out = common::dossier(
        &db,
        &["xref", "--against", list.to_str().unwrap(), "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sanctions.ftm.json:6: warning: schema Starship"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pair = v["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"]["id"] == "s-co-1" || p["b"]["id"] == "s-co-1")
        .unwrap_or_else(|| panic!("the company met nobody: {v}"));
    let theirs = if pair["a"]["id"] == "s-co-1" {
        &pair["a"]
    } else {
        &pair["b"]
    };
    let ours = if pair["a"]["id"] == "s-co-1" {
        &pair["b"]
    } else {
        &pair["a"]
    };
    assert_eq!(theirs["schema"], "Company");
    assert_eq!(
        theirs["sanctions"][0], "Example Programme, Example Authority",
        "{pair}"
    );
    assert_eq!(
        ours["name"], "Physicians for Human Rights - Israel",
        "{pair}"
    );
    let text = common::ok(&db, &["xref", "--against", list.to_str().unwrap()]);
    assert!(text.contains("sanctions: Example Programme"), "{text}");
}

#[test]
fn judgements_are_recorded_transitive_and_never_asked_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    let pairs = |extra: &[&str]| -> Vec<(String, String)> {
        let mut args = vec!["xref", "--threshold", "0.6", "--json"];
        args.extend(extra);
        let v: serde_json::Value = serde_json::from_str(&common::ok(&db, &args)).unwrap();
        v["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["a"]["id"].as_str().unwrap().to_string(),
                    p["b"]["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let before = pairs(&[]);
    assert!(!before.is_empty(), "the demo holds near-namesakes");
    let (a, b) = before[0].clone();
    let said = common::ok(&db, &["judge", &a, &b, "not-same", "--note", "checked"]);
    assert!(said.contains("not_same"), "{said}");
    assert!(
        !pairs(&[]).contains(&(a.clone(), b.clone())),
        "not asked again"
    );
    assert!(
        pairs(&["--all"]).contains(&(a.clone(), b.clone())),
        "--all shows it"
    );
    // "Same" now clashes with the recorded "not same", with a clear error.
    let clash = common::dossier(&db, &["judge", &b, &a, "same"]);
    assert!(!clash.status.success());
    assert!(String::from_utf8_lossy(&clash.stderr).contains("judged not the same"));
    // Taken back, the pair is asked again; the history keeps both.
    common::ok(&db, &["judge", &a, &b, "none"]);
    assert!(pairs(&[]).contains(&(a.clone(), b.clone())));
    // Bad input: an unknown verdict, an unknown entity.
    for args in [
        vec!["judge", a.as_str(), b.as_str(), "maybe"],
        vec!["judge", a.as_str(), "nobody", "same"],
    ] {
        let out = common::dossier(&db, &args);
        assert!(!out.status.success(), "{args:?}");
    }
    // Judgements stay out of the FtM export.
    let ftm = common::ok(&db, &["export", "--format", "ftm"]);
    assert!(!ftm.contains("\"schema\":\"Judgement\""));
}

/// Runs `dossier xref review` with these answers on its input.
fn review(db: &std::path::Path, answers: &str) -> String {
    let out = common::with_input(db, &["xref", "review", "--threshold", "0.6"], answers);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn review_asks_pair_by_pair_and_goes_on_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    let first = review(&db, "n\nq\n");
    // Both sides are shown, with their sources, and the answer is kept.
    assert!(first.contains(" │ "), "{first}");
    assert!(first.contains("source: "), "{first}");
    assert!(first.contains("1 decided of 2 shown"), "{first}");
    // The next run starts with the next pair: the first is not asked again.
    let second = review(&db, "k\n");
    let pair = |text: &str| -> String {
        text.lines()
            .find(|l| l.contains(" │ "))
            .unwrap_or_default()
            .to_string()
    };
    assert_ne!(pair(&first), pair(&second), "{first}\n---\n{second}");
    assert!(second.contains("0 decided"), "{second}");
    // Reviewing against a file is refused: only the store's entities can be judged.
    let list = dir.path().join("l.json");
    std::fs::write(&list, "").unwrap();
    let out = common::dossier(
        &db,
        &["xref", "review", "--against", list.to_str().unwrap()],
    );
    assert!(!out.status.success());
}

#[test]
fn a_same_judgement_merges_everywhere_and_taking_it_back_splits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_str(&common::ok(&db, args)).unwrap()
    };
    let orgs = |v: &serde_json::Value| v["entities"]["Organization"].as_u64().unwrap();
    let hits = |q: &str| -> Vec<String> {
        json(&["search", q, "--kind", "organization", "--json"])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    let phr = hits("Physicians for Human Rights")[0].clone();
    let rhr = hits("Rabbis for Human Rights")[0].clone();
    assert_ne!(phr, rhr);
    let before = json(&["stats", "--json"]);
    // A deliberately wrong merge, to see it go everywhere and come back.
    let said = common::ok(&db, &["judge", &rhr, &phr, "same", "--note", "a test"]);
    assert!(said.contains("now read as one"), "{said}");
    let canonical = phr.clone().min(rhr.clone());
    let merged = phr.clone().max(rhr.clone());
    let profile = json(&["show", &merged, "--json"]);
    assert_eq!(profile["entity"]["id"], canonical.as_str(), "{profile}");
    assert_eq!(profile["merged_from"][0]["id"], merged.as_str());
    let names = profile["entity"]["properties"]["name"].to_string();
    assert!(
        names.contains("Rabbis") && names.contains("Physicians"),
        "{names}"
    );
    assert_eq!(orgs(&json(&["stats", "--json"])), orgs(&before) - 1);
    assert_eq!(hits("Rabbis for Human Rights"), vec![canonical.clone()]);
    let ftm = common::ok(&db, &["export", "--format", "ftm"]);
    assert!(
        !ftm.contains(&format!("\"id\":\"{merged}\"")),
        "merged away"
    );
    let line = ftm
        .lines()
        .find(|l| l.contains(&format!("\"id\":\"{canonical}\"")))
        .unwrap();
    assert!(
        line.contains("Rabbis") && line.contains("Physicians"),
        "{line}"
    );
    // Taken back: two again, everywhere.
    common::ok(&db, &["judge", &phr, &rhr, "none"]);
    assert_eq!(
        json(&["show", &merged, "--json"])["entity"]["id"],
        merged.as_str()
    );
    assert_eq!(orgs(&json(&["stats", "--json"])), orgs(&before));
    assert_eq!(hits("Rabbis for Human Rights")[0], rhr);
    let ftm = common::ok(&db, &["export", "--format", "ftm"]);
    assert!(ftm.contains(&format!("\"id\":\"{merged}\"")));
}
