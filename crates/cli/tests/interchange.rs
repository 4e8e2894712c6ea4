//! The FtM statements CSV both ways with the real `followthemoney` package:
//! ours read by its statement reader (ids checked, entities validated);
//! one written by its statement writer imported by us.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use serde_json::Value;

mod common;

use common::ok;

fn ftm(args: &[&str]) -> Value {
    common::checker("check_statements.py", args)
}

#[test]
fn statements_csv_both_ways_with_followthemoney() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    ok(&db, &["demo"]);
    let csv = dir.path().join("out.csv");
    ok(
        &db,
        &[
            "export",
            "--format",
            "statements",
            "--out",
            csv.to_str().unwrap(),
        ],
    );
    let report = ftm(&["read", csv.to_str().unwrap()]);
    assert_eq!(report["bad_ids"], 0, "{report}");
    assert_eq!(report["problems"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["schemata"]["Membership"], 12, "{report}");
    assert!(
        report["schemata"]["Note"].as_u64().unwrap() > 10,
        "claims and quotations as notes"
    );

    // A statements CSV written by followthemoney imports.
    let theirs = dir.path().join("theirs.csv");
    let ids = ftm(&["write", theirs.to_str().unwrap()]);
    let other = dir.path().join("other.db");
    let out = ok(&other, &["import", theirs.to_str().unwrap()]);
    assert!(out.contains("FtM statements (4 entities)"), "{out}");
    let shown: Value =
        serde_json::from_str(&ok(&other, &["show", "Sunrise Farmers Union", "--json"])).unwrap();
    assert_eq!(shown["entity"]["id"], ids[1]);
    let text = ok(&other, &["show", "Sunrise Farmers Union"]);
    assert!(text.contains("Valley Water Forum"), "{text}");

    // Our own CSV imports back into an empty store with the same entities.
    let back = dir.path().join("back.db");
    ok(&back, &["import", csv.to_str().unwrap()]);
    let memberships: Value = serde_json::from_str(&ok(&back, &["stats", "--json"])).unwrap();
    assert_eq!(memberships["entities"]["Membership"], 12, "{memberships}");
}

/// Persons, organizations and memberships without their sources (which
/// name the file a re-import came from), as sets to compare.
fn popolo_core(text: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let v: Value = serde_json::from_str(text).unwrap();
    let agents = |k: &str| {
        let mut out: Vec<String> = v[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let mut names: Vec<String> = a["other_names"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|n| format!("{}={}", n["note"], n["name"]))
                    .collect();
                names.sort();
                format!(
                    "{} {} {} {} {}",
                    a["id"],
                    a["name"],
                    a["classification"],
                    a["country"],
                    names.join(",")
                )
            })
            .collect();
        out.sort();
        out
    };
    let mut ms: Vec<String> = v["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {} {} {} {} {}",
                m["id"],
                m["person_id"],
                m["member"],
                m["organization_id"],
                m["role"],
                m["start_date"],
                m["end_date"],
                m["dossier_schema"]
            )
        })
        .collect();
    ms.sort();
    (agents("persons"), agents("organizations"), ms)
}

#[test]
fn popolo_round_trip_gives_the_same_entities_and_relationships() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    ok(&db, &["demo"]);
    let profiles = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/tests/profiles");
    ok(
        &db,
        &[
            "import",
            &format!("{profiles}/harbor-coalition.txt"),
            &format!("{profiles}/olive-grove.html"),
        ],
    );
    let first = dir.path().join("one.json");
    ok(
        &db,
        &[
            "export",
            "--format",
            "popolo",
            "--out",
            first.to_str().unwrap(),
        ],
    );
    let one = std::fs::read_to_string(&first).unwrap();
    let v: Value = serde_json::from_str(&one).unwrap();
    // Sources travel with every person.
    assert!(v["persons"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| !p["sources"].as_array().unwrap().is_empty()));
    assert!(v["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["dossier_schema"] == "Employment"));

    let other = dir.path().join("other.db");
    ok(&other, &["import", first.to_str().unwrap()]);
    let second = dir.path().join("two.json");
    ok(
        &other,
        &[
            "export",
            "--format",
            "popolo",
            "--out",
            second.to_str().unwrap(),
        ],
    );
    let two = std::fs::read_to_string(&second).unwrap();
    let (a, b) = (popolo_core(&one), popolo_core(&two));
    assert_eq!(a.0, b.0, "persons");
    assert_eq!(a.1, b.1, "organizations");
    assert_eq!(a.2, b.2, "memberships, employment, board seats");
    // Memberships, employment (Olive Grove's "its director Miriam Cohen"
    // among them), board seats.
    assert_eq!(a.2.len(), 14 + 4 + 4);
}

#[test]
fn jsonld_export_has_every_organization_in_its_profile_shape() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    ok(&db, &["demo"]);
    let v: Value = serde_json::from_str(&ok(&db, &["export", "--format", "jsonld"])).unwrap();
    assert_eq!(v["@context"], "https://schema.org");
    let graph = v["@graph"].as_array().unwrap();
    let allmep = graph
        .iter()
        .find(|x| x["alternateName"] == "ALLMEP")
        .unwrap();
    assert_eq!(
        allmep["@type"], "Organization",
        "a network of organizations, not said to be an NGO"
    );
    assert_eq!(allmep["member"].as_array().unwrap().len(), 12);
    assert!(allmep["subjectOf"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["@type"] == "Claim"));
    let pcff = graph.iter().find(|x| x["alternateName"] == "PCFF").unwrap();
    assert_eq!(
        pcff["memberOf"][0]["name"],
        "Alliance for Middle East Peace"
    );
    assert!(graph.iter().any(|x| x["@type"] == "Person"));
    assert!(graph.iter().all(|x| x.get("@context").is_none()));
}

/// Rows of a CSV export, as sorted lines of the given columns.
fn csv_rows(text: &str, columns: &[&str]) -> Vec<String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().unwrap().clone();
    let idx: Vec<Option<usize>> = columns
        .iter()
        .map(|c| headers.iter().position(|h| h == *c))
        .collect();
    let mut out: Vec<String> = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap();
            idx.iter()
                .map(|i| i.and_then(|i| rec.get(i)).unwrap_or("").to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    out.sort();
    out
}

#[test]
fn csv_with_a_mapping_imports_matches_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    ok(&db, &["demo"]);
    // A spreadsheet with its own headers, mapped by a file; PCFF matches the demo's.
    let sheet = dir.path().join("members.csv");
    std::fs::write(
        &sheet,
        "Member,Network,Since,Link\n\
         PCFF,Middle East Peace Forum,2019,https://forum.example/members\n\
         Sunrise Farmers Union,Middle East Peace Forum,May 2020,https://forum.example/members\n\
         Standing Together,Middle East Peace Forum,not a date,https://forum.example/members\n",
    )
    .unwrap();
    let mapping = dir.path().join("members.map");
    std::fs::write(
        &mapping,
        "# members of the forum\nkind = membership\nmember = Member\norganization = Network\nstartDate = Since\nsource_column = Link\n",
    )
    .unwrap();
    // --strict: one bad row, nothing in.
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&db)
        .args([
            "import",
            sheet.to_str().unwrap(),
            "--mapping",
            mapping.to_str().unwrap(),
            "--strict",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("members.csv:4:3: error: startDate"), "{err}");
    // Without it the good rows go in, and the bad one is reported with its line.
    let out = ok(
        &db,
        &[
            "import",
            sheet.to_str().unwrap(),
            "--mapping",
            mapping.to_str().unwrap(),
            "--json",
        ],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["imported"].as_u64(), v["rejected"].as_u64()),
        (Some(2), Some(1))
    );
    let pcff = ok(&db, &["show", "PCFF"]);
    assert!(
        pcff.contains("Middle East Peace Forum"),
        "matched to the existing PCFF: {pcff}"
    );
    assert!(pcff.contains("Alliance for Middle East Peace"));

    // CSV out, then in to an empty store: the same organizations and memberships.
    let orgs = ok(
        &db,
        &["export", "--format", "csv", "--kind", "organization"],
    );
    let mems = ok(&db, &["export", "--format", "csv", "--kind", "membership"]);
    let (o, m) = (dir.path().join("o.csv"), dir.path().join("m.csv"));
    std::fs::write(&o, &orgs).unwrap();
    std::fs::write(&m, &mems).unwrap();
    let back = dir.path().join("back.db");
    ok(
        &back,
        &[
            "import",
            o.to_str().unwrap(),
            "--kind",
            "organization",
            "--source-column",
            "source",
        ],
    );
    ok(
        &back,
        &[
            "import",
            m.to_str().unwrap(),
            "--kind",
            "membership",
            "--source-column",
            "source",
        ],
    );
    let orgs2 = ok(
        &back,
        &["export", "--format", "csv", "--kind", "organization"],
    );
    let mems2 = ok(
        &back,
        &["export", "--format", "csv", "--kind", "membership"],
    );
    let oc = ["id", "name", "abbreviation", "country"];
    assert_eq!(csv_rows(&orgs, &oc), csv_rows(&orgs2, &oc));
    let mc = ["id", "member_id", "organization_id", "role", "startDate"];
    assert_eq!(csv_rows(&mems, &mc), csv_rows(&mems2, &mc));
    assert_eq!(csv_rows(&mems, &mc).len(), 14);
}

#[test]
fn generated_data_as_native_and_ftm_files_imports_as_generated_into_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let direct = dir.path().join("direct.db");
    ok(&direct, &["gen", "--orgs", "300", "--seed", "7"]);
    let stats = |db: &std::path::Path| -> Value {
        let mut v: Value = serde_json::from_str(&ok(db, &["stats", "--json"])).unwrap();
        v.as_object_mut().unwrap().remove("statements");
        v
    };
    let native = dir.path().join("gen.jsonl");
    let out = ok(
        &dir.path().join("unused.db"),
        &[
            "gen",
            "--orgs",
            "300",
            "--seed",
            "7",
            "--format",
            "native",
            "--out",
            native.to_str().unwrap(),
        ],
    );
    assert!(out.contains("native statements"), "{out}");
    let loaded = dir.path().join("native.db");
    ok(&loaded, &["import", native.to_str().unwrap()]);
    assert_eq!(
        stats(&loaded),
        stats(&direct),
        "the same store, loaded verbatim"
    );
    let ftm_file = dir.path().join("gen.ftm.json");
    ok(
        &dir.path().join("unused.db"),
        &[
            "gen",
            "--orgs",
            "300",
            "--seed",
            "7",
            "--out",
            ftm_file.to_str().unwrap(),
        ],
    );
    let from_ftm = dir.path().join("ftm.db");
    ok(&from_ftm, &["import", ftm_file.to_str().unwrap()]);
    let (a, b) = (stats(&from_ftm), stats(&direct));
    // FtM has no claims or quotations: they travel as its notes and events,
    // one each.
    for schema in [
        "Organization",
        "PublicBody",
        "Person",
        "Membership",
        "Payment",
        "Employment",
        "Directorship",
    ] {
        assert_eq!(a["entities"][schema], b["entities"][schema], "{schema}");
    }
    assert_eq!(a["entities"]["Note"], b["entities"]["Claim"]);
    assert_eq!(a["entities"]["Event"], b["entities"]["Quotation"]);
}

/// A native log imported alone is read as it loads, in one transaction: a
/// bad line deep in it names its line and leaves the store as it was, and
/// the good log then loads whole.
#[test]
fn a_native_log_with_a_bad_line_deep_in_it_loads_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let native = dir.path().join("gen.jsonl");
    ok(
        &dir.path().join("unused.db"),
        &[
            "gen",
            "--orgs",
            "2000",
            "--detail",
            "0.5",
            "--format",
            "native",
            "--out",
            native.to_str().unwrap(),
        ],
    );
    let text = std::fs::read_to_string(&native).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // More than two chunks of the reader's, so the bad line comes after
    // rows were written.
    assert!(lines.len() > 70_000, "{}", lines.len());
    let db = dir.path().join("store.db");
    let statements = |db: &std::path::Path| -> u64 {
        let v: Value = serde_json::from_str(&ok(db, &["stats", "--json"])).unwrap();
        v["statements"].as_u64().unwrap()
    };
    for (what, bad) in [
        ("not JSON", "{\"seq\": ".to_string()),
        ("an old number", lines[10].to_string()),
    ] {
        let mut broken = lines.clone();
        broken.insert(lines.len() - 5, &bad);
        let file = dir.path().join("broken.jsonl");
        std::fs::write(&file, broken.join("\n")).unwrap();
        let out = common::dossier(&db, &["import", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{what}: the import succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        let at = format!("broken.jsonl:{}:", lines.len() - 4);
        assert!(err.contains(&at), "{what}: {err} does not say {at}");
        assert_eq!(statements(&db), 0, "{what}: rows were written");
    }
    let out = ok(&db, &["import", native.to_str().unwrap()]);
    assert!(
        out.contains(&format!("{} statements loaded", lines.len())),
        "{out}"
    );
    assert_eq!(statements(&db), lines.len() as u64);
}

/// An FtM file with entities of FtM's wider model (a Company, an Address)
/// imports whole; a schema outside the model is left out and said with its
/// line, a property outside it kept and said.
#[test]
fn ftm_files_import_whole_and_say_what_is_outside_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let file = dir.path().join("mixed.ftm.json");
    std::fs::write(
        &file,
        concat!(
            r#"{"id":"addr-1","schema":"Address","properties":{"full":["1 Quay Street, Harbour Town"]}}"#, "\n",
            r#"{"id":"co-1","schema":"Company","properties":{"name":["Quay Holdings Ltd"],"jurisdiction":["gb"],"addressEntity":["addr-1"],"houseFlag":["blue"]}}"#, "\n",
            r#"{"id":"p-1","schema":"Person","properties":{"name":["Rhea Quayle"],"nationality":["gb"]}}"#, "\n",
            r#"{"id":"x-1","schema":"Spaceship","properties":{"name":["Quay One"]}}"#, "\n",
        ),
    )
    .unwrap();
    let out = common::dossier(&db, &["import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mixed.ftm.json:4: warning: schema Spaceship is not in FtM's model"),
        "{err}"
    );
    assert!(
        err.contains(
            "mixed.ftm.json:2: warning: Company.houseFlag: property not in FtM's model; kept"
        ),
        "{err}"
    );
    let company = json(&common::ok(&db, &["show", "co-1", "--json"]));
    assert_eq!(company["entity"]["schema"], "Company", "{company}");
    assert_eq!(
        company["entity"]["properties"]["houseFlag"][0], "blue",
        "{company}"
    );
    assert!(common::ok(&db, &["show", "Rhea Quayle"]).contains("Rhea Quayle"));
    // A thing without a profile shows its properties and what points at it.
    let address = common::ok(&db, &["show", "addr-1"]);
    assert!(
        address.contains("Full address: 1 Quay Street, Harbour Town  [mixed.ftm.json]"),
        "{address}"
    );
    assert!(
        address.contains("Located there (1)\n  • Quay Holdings Ltd (Company co-1)"),
        "{address}"
    );
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// FtM lines as a sorted list, to compare files whatever their order.
fn sorted_lines(path: &std::path::Path) -> Vec<String> {
    let mut lines: Vec<String> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// Exports `db` as FtM into `out`, checked by followthemoney.
fn export_checked(db: &std::path::Path, out: &std::path::Path) {
    ok(
        db,
        &["export", "--format", "ftm", "--out", out.to_str().unwrap()],
    );
    let checked = Command::new(common::python())
        .arg(format!("{}/scripts/check_ftm.py", common::WORKSPACE))
        .arg(out)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "followthemoney refused {}: {}",
        out.display(),
        String::from_utf8_lossy(&checked.stdout)
    );
}

/// Entities made by the real followthemoney package, two of every concrete
/// schema with a value for every property, import whole; every entity and
/// value comes back out; two export → import cycles change nothing.
#[test]
fn every_ftm_schema_and_property_comes_back_out_and_round_trips_are_fixed_points() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample.ftm.json");
    let made = common::checker("gen_ftm_sample.py", &[sample.to_str().unwrap()]);
    assert_eq!(made["schemata"], 66, "{made}");
    let db = dir.path().join("a.db");
    let out = common::dossier(&db, &["import", sample.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = dir.path().join("e1.ftm.json");
    export_checked(&db, &first);
    let given: Vec<Value> = std::fs::read_to_string(&sample)
        .unwrap()
        .lines()
        .map(json)
        .collect();
    let back: std::collections::HashMap<String, Value> = std::fs::read_to_string(&first)
        .unwrap()
        .lines()
        .map(json)
        .map(|e| (e["id"].as_str().unwrap().to_string(), e))
        .collect();
    assert_eq!(back.len(), given.len(), "no entity added or lost");
    let mut values = 0;
    for e in &given {
        let id = e["id"].as_str().unwrap();
        let out = &back[id];
        assert_eq!(out["schema"], e["schema"], "{id}");
        for (prop, vs) in e["properties"].as_object().unwrap() {
            for v in vs.as_array().unwrap() {
                let kept = out["properties"][prop].as_array();
                assert!(
                    kept.is_some_and(|k| k.contains(v)),
                    "{id}.{prop} = {v} did not come back: {out}"
                );
                values += 1;
            }
        }
    }
    assert_eq!(values, made["values"].as_u64().unwrap() as usize);
    let mut previous = first;
    for cycle in 2..=3 {
        let db = dir.path().join(format!("{cycle}.db"));
        ok(&db, &["import", previous.to_str().unwrap()]);
        let next = dir.path().join(format!("e{cycle}.ftm.json"));
        export_checked(&db, &next);
        assert_eq!(
            sorted_lines(&previous),
            sorted_lines(&next),
            "cycle {cycle} changed the export"
        );
        previous = next;
    }
}

/// Dossier's own data (claims as notes and events, sources as `proof`)
/// comes back the same after export → import → export, twice.
#[test]
fn the_demo_as_ftm_is_a_fixed_point() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&db, &["demo"]);
    let mut previous = dir.path().join("e1.ftm.json");
    export_checked(&db, &previous);
    let docs = std::fs::read_to_string(&previous)
        .unwrap()
        .lines()
        .filter(|l| l.contains(r#""schema":"Documentation""#))
        .count();
    assert_eq!(docs, 0, "sources are cited in proof, not added as entities");
    for cycle in 2..=3 {
        let db = dir.path().join(format!("{cycle}.db"));
        ok(&db, &["import", previous.to_str().unwrap()]);
        let next = dir.path().join(format!("e{cycle}.ftm.json"));
        export_checked(&db, &next);
        assert_eq!(
            sorted_lines(&previous),
            sorted_lines(&next),
            "cycle {cycle}"
        );
        previous = next;
    }
}

/// A statements CSV keeps each row's dataset; `--dataset` puts them all in
/// one; the archive's dataset is refused.
#[test]
fn statements_csv_rows_keep_their_datasets() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("two.csv");
    std::fs::write(
        &csv,
        concat!(
            "canonical_id,entity_id,prop,prop_type,schema,value,dataset\n",
            "org-a,org-a,name,name,Organization,River Trust,rivers\n",
            "org-a,org-a,name,name,Organization,The River Trust,coasts\n",
            "org-b,org-b,name,name,Organization,Coast Watch,coasts\n",
            "org-c,org-c,name,name,Organization,Lake Friends,\n",
        ),
    )
    .unwrap();
    let datasets = |db: &std::path::Path| -> Vec<(String, String, String)> {
        let log = dir.path().join("log.jsonl");
        ok(
            db,
            &[
                "export",
                "--format",
                "jsonl",
                "--out",
                log.to_str().unwrap(),
            ],
        );
        let mut out: Vec<(String, String, String)> = std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(json)
            .filter(|s| s["prop"] == "name")
            .map(|s| {
                (
                    s["entity_id"].as_str().unwrap().to_string(),
                    s["value"].as_str().unwrap().to_string(),
                    s["dataset"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        out.sort();
        out
    };
    let db = dir.path().join("kept.db");
    let out = ok(&db, &["import", csv.to_str().unwrap()]);
    assert!(out.contains("FtM statements (4 entities)"), "{out}");
    let s = |e: &str, v: &str, d: &str| (e.to_string(), v.to_string(), d.to_string());
    assert_eq!(
        datasets(&db),
        [
            s("org-a", "River Trust", "rivers"),
            s("org-a", "The River Trust", "coasts"),
            s("org-b", "Coast Watch", "coasts"),
            s("org-c", "Lake Friends", "default"),
        ]
    );
    // The same file again changes nothing, in any dataset.
    assert!(ok(&db, &["import", csv.to_str().unwrap()]).contains("unchanged"));
    // Exported, each value with its dataset; imported again, the same.
    let out_csv = dir.path().join("out.csv");
    ok(
        &db,
        &[
            "export",
            "--format",
            "statements",
            "--out",
            out_csv.to_str().unwrap(),
        ],
    );
    let back = dir.path().join("back.db");
    ok(&back, &["import", out_csv.to_str().unwrap()]);
    assert_eq!(datasets(&back), datasets(&db));
    let db = dir.path().join("one.db");
    ok(&db, &["import", "--dataset", "mine", csv.to_str().unwrap()]);
    assert!(datasets(&db).iter().all(|(_, _, d)| d == "mine"));
    std::fs::write(
        &csv,
        "entity_id,prop,schema,value,dataset\norg-a,name,Organization,A,archive\n",
    )
    .unwrap();
    let db = dir.path().join("refused.db");
    let out = common::dossier(&db, &["import", csv.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("archived copies"));
}

/// Popolo as published (ids like `party/ford_kenya`, memberships without
/// ids) exports as FtM that followthemoney accepts: every id a valid FtM
/// id, every reference to an entity in the file.
#[test]
fn popolo_ids_become_valid_ftm_ids_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let fixture = format!(
        "{}/crates/formats/tests/data/legislature.popolo.json",
        common::WORKSPACE
    );
    ok(&db, &["import", &fixture]);
    let out = dir.path().join("p.ftm.json");
    export_checked(&db, &out);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        !text.contains("party/"),
        "a Popolo id reached the export as it was"
    );
}

/// A file that is none of the formats says which it could be, and loads
/// nothing: a table without a mapping, JSON of no known shape.
#[test]
fn a_file_of_no_known_format_says_what_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    for (name, body, says) in [
        (
            "t.csv",
            "id,name\n1,River Trust\n",
            "a table, not a profile page",
        ),
        (
            "a.json",
            "[1, 2]\n",
            "FtM entities (JSON lines, a JSON array or a delta file",
        ),
        ("o.json", "{\"hello\": \"world\"}\n", "Popolo"),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, body).unwrap();
        let out = common::dossier(&db, &["import", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{name} imported");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{name}: {err}");
    }
}
