//! `dossier graph` on the demo data: known answers about ALLMEP's network.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;

fn run(db: &Path, args: &[&str]) -> Value {
    let out = common::ok(db, args);
    if args.contains(&"--json") {
        serde_json::from_str(&out).unwrap()
    } else {
        Value::String(out)
    }
}

fn names(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn the_demo_network_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    run(&db, &["demo"]);

    // A path through a claim's mention and two memberships, each with its source.
    let p = run(
        &db,
        &["graph", "path", "Hila Cohen", "Standing Together", "--json"],
    );
    assert_eq!(p["length"], 3);
    let path = p["path"].as_array().unwrap();
    assert_eq!(path[0]["kind"], "mention");
    assert_eq!(path[0]["to"]["name"], "Parents Circle Families Forum");
    assert_eq!(path[1]["kind"], "membership");
    assert_eq!(path[2]["to"]["name"], "Standing Together");
    for step in path {
        assert_eq!(
            step["sources"][0]["title"],
            "Alliance for Middle East Peace (ALLMEP)"
        );
    }
    let text = run(&db, &["graph", "path", "Hila Cohen", "Standing Together"]);
    assert!(text
        .as_str()
        .unwrap()
        .contains("is a member of Alliance for Middle East Peace"));

    // Memberships only: the member's one network, then its eleven fellow members.
    let n = run(
        &db,
        &[
            "graph",
            "neighbours",
            "PCFF",
            "--kind",
            "membership",
            "--json",
        ],
    );
    assert_eq!(names(&n["neighbours"]), ["Alliance for Middle East Peace"]);
    let n = run(
        &db,
        &[
            "graph",
            "neighbours",
            "PCFF",
            "--hops",
            "2",
            "--kind",
            "membership",
            "--json",
        ],
    );
    assert_eq!(n["total"], 12);
    // A date before any dated tie leaves the undated memberships.
    let n = run(
        &db,
        &["graph", "neighbours", "PCFF", "--at", "1990", "--json"],
    );
    assert!(n["total"].as_u64().unwrap() >= 1);

    // Which members the organizations they mention tie together.
    let i = run(
        &db,
        &["graph", "interlocks", "ALLMEP", "--min", "1", "--json"],
    );
    let locks = i["interlocks"].as_array().unwrap();
    assert_eq!(i["members"], 12);
    let eappi = locks
        .iter()
        .find(|l| {
            l["name"]
                .as_str()
                .unwrap()
                .starts_with("Ecumenical Accompaniment")
        })
        .unwrap();
    assert_eq!(names(&eappi["members"]), ["Rabbis for Human Rights"]);
    assert!(locks
        .iter()
        .all(|l| l["name"] != "Alliance for Middle East Peace"));

    // The hub is the most central; everything hangs together.
    let c = run(&db, &["graph", "centrality", "--top", "3", "--json"]);
    assert_eq!(c["central"][0]["name"], "Alliance for Middle East Peace");
    assert!(c["central"][0]["betweenness"].as_f64().unwrap() > 0.5);
    let k = run(&db, &["graph", "components", "--json"]);
    assert_eq!(k["components"], 1);

    // Bad input is told, not guessed.
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(&db)
        .args(["graph", "neighbours", "PCFF", "--kind", "friendship"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown relationship kind"));
}

/// networkx reads a file Dossier wrote.
fn networkx(path: &Path) -> Value {
    common::checker("check_graph.py", &[path.to_str().unwrap()])
}

#[test]
fn gexf_and_graphml_read_by_networkx_with_the_same_counts_and_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    run(&db, &["demo"]);
    let profiles = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/tests/profiles");
    run(
        &db,
        &[
            "import",
            &format!("{profiles}/harbor-coalition.txt"),
            &format!("{profiles}/olive-grove.html"),
        ],
    );
    let ours = run(&db, &["graph", "centrality", "--top", "100000", "--json"]);
    let ours_components = run(&db, &["graph", "components", "--json"]);
    for format in ["gexf", "graphml"] {
        let path = dir.path().join(format!("net.{format}"));
        run(
            &db,
            &[
                "export",
                "--format",
                format,
                "--out",
                path.to_str().unwrap(),
            ],
        );
        let nx = networkx(&path);
        assert_eq!(nx["directed"], true, "{format}");
        assert_eq!(
            nx["nodes"].as_object().unwrap().len() as u64,
            ours["nodes"].as_u64().unwrap(),
            "{format} nodes"
        );
        assert_eq!(
            nx["edges"].as_array().unwrap().len() as u64,
            ours["ties"].as_u64().unwrap(),
            "{format} edges"
        );
        assert_eq!(nx["components"], ours_components["components"], "{format}");
        // Attributes: node kinds and labels, edge kinds, amounts and dates.
        let nodes = nx["nodes"].as_object().unwrap();
        let allmep = ours["central"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "Alliance for Middle East Peace")
            .unwrap();
        let node = &nodes[allmep["id"].as_str().unwrap()];
        assert_eq!(node["label"], "Alliance for Middle East Peace");
        assert_eq!(node["kind"], "Organization");
        assert_eq!(node["country"], "us");
        let edges = nx["edges"].as_array().unwrap();
        let kinds: std::collections::BTreeSet<&str> =
            edges.iter().filter_map(|e| e["kind"].as_str()).collect();
        assert!(
            kinds.is_superset(
                &[
                    "membership",
                    "payment",
                    "employment",
                    "directorship",
                    "mention"
                ]
                .into()
            ),
            "{kinds:?}"
        );
        let paid = edges
            .iter()
            .find(|e| e["amount"].as_f64().is_some_and(|a| a > 0.0))
            .unwrap();
        assert_eq!(paid["kind"], "payment");
        assert!(paid["start"].is_string(), "{paid}");
        // The same betweenness, computed by networkx on what it read.
        for c in ours["central"].as_array().unwrap() {
            let theirs = nx["betweenness"][c["id"].as_str().unwrap()]
                .as_f64()
                .unwrap();
            let mine = c["betweenness"].as_f64().unwrap();
            assert!(
                (theirs - mine).abs() < 1e-9,
                "{format}: {} {mine} vs networkx {theirs}",
                c["name"]
            );
        }
    }
    // A neighbourhood only.
    let path = dir.path().join("around.graphml");
    run(
        &db,
        &[
            "export",
            "--format",
            "graphml",
            "--around",
            "PCFF",
            "--hops",
            "1",
            "--out",
            path.to_str().unwrap(),
        ],
    );
    let nx = networkx(&path);
    let n = run(&db, &["graph", "neighbours", "PCFF", "--json"]);
    assert_eq!(
        nx["nodes"].as_object().unwrap().len() as u64,
        n["total"].as_u64().unwrap() + 1
    );
}
