//! The `dossier` binary end to end: imports, re-imports, newer versions,
//! bad input, native and FtM round trips, and the FtM export checked by the
//! real `followthemoney` package.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project's own page in the example's layout.
const NORTHERN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../ingest/tests/profiles/northern-rivers.txt"
);
const HARBOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../ingest/tests/profiles/harbor-coalition.txt"
);
const OLIVE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../ingest/tests/profiles/olive-grove.html"
);
const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn dossier(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = dossier(db, args);
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn export(db: &Path, format: &str) -> String {
    ok(db, &["export", "--format", format])
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

/// A store with the demo and the three profiles (one with a publisher).
fn loaded(env: &Env, name: &str) -> PathBuf {
    let db = env.db(name);
    ok(&db, &["demo"]);
    ok(
        &db,
        &[
            "import",
            NORTHERN,
            HARBOR,
            OLIVE,
            "--publisher",
            "Example Watch",
        ],
    );
    db
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn db(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let env = Env::new();
    let db = env.db("d.db");
    let first = ok(&db, &["import", NORTHERN]);
    assert!(
        first.contains("profile (text) of Northern Rivers Reconciliation Network"),
        "{first}"
    );
    let before = export(&db, "jsonl");
    let again = ok(&db, &["import", NORTHERN]);
    assert!(again.contains("unchanged"), "{again}");
    assert_eq!(export(&db, "jsonl"), before);
}

#[test]
fn every_statement_cites_the_imported_file() {
    let env = Env::new();
    let db = env.db("d.db");
    ok(&db, &["import", NORTHERN]);
    let doc = json(&ok(&db, &["show", "NRRN", "--json"]))["sources"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for line in export(&db, "jsonl").lines() {
        assert_eq!(json(line)["source"], doc.as_str());
    }
}

#[test]
fn a_newer_version_retracts_only_what_vanished_from_it() {
    let env = Env::new();
    let db = env.db("d.db");
    // The same page published at an address too: another source.
    ok(
        &db,
        &["import", NORTHERN, "--url", "https://watch.example/nrrn"],
    );
    let original = std::fs::read_to_string(NORTHERN).unwrap();
    let v1 = env.file("v/northern-rivers.txt", original.as_bytes());
    ok(&db, &["import", v1.to_str().unwrap()]);
    // Version 2: Millbrook Commons and its bullet are gone; Kestrel Circle
    // (its bullet opens with a non-breaking space) has a new bullet.
    let mut v2 = String::new();
    let mut skip = false;
    for line in original.lines() {
        let bullet = line.trim_start();
        if bullet.starts_with("\u{2022} Millbrook Commons") {
            skip = true;
            continue;
        }
        if skip && line.starts_with("    ") {
            continue;
        }
        skip = false;
        v2.push_str(line);
        v2.push('\n');
        if bullet.trim_start_matches(['\u{2022}', ' ', '\u{a0}']) == "Kestrel Circle" {
            v2.push_str(
                "    \u{2022} In June 2024 Kestrel Circle published a report on water prices.\n",
            );
        }
    }
    assert!(!v2.contains("Millbrook"));
    assert!(v2.contains("June 2024"));
    std::fs::write(&v1, &v2).unwrap();
    let out = ok(&db, &["import", v1.to_str().unwrap(), "--json"]);
    let report = &json(&out)[0];
    assert_eq!(report["unchanged"], false);
    assert!(report["retracted"].as_u64().unwrap() > 0);
    assert!(report["inserted"].as_u64().unwrap() > 0);

    let subject = json(&ok(&db, &["show", "NRRN", "--json"]));
    let members: Vec<&str> = subject["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    // The page at the address still records Millbrook's membership; the
    // file no longer does.
    assert!(members.contains(&"Millbrook Commons"));
    let kestrel = json(&ok(&db, &["show", "Kestrel Circle", "--json"]));
    let texts: Vec<&str> = kestrel["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert!(texts.iter().any(|t| t.contains("June 2024")));
    // The file's own Millbrook statements are retracted, with the reason;
    // the address's stand.
    let rows: Vec<serde_json::Value> = export(&db, "jsonl").lines().map(json).collect();
    // The file is identified by its name (no --url was given).
    let page_doc = dossier_model::ids::stable_id("doc", &["file:northern-rivers.txt"]);
    let millbrook_rows: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["value"] == "Millbrook Commons")
        .collect();
    assert!(millbrook_rows
        .iter()
        .any(|r| r["source"] == page_doc.as_str()
            && r["retraction"]
                .as_str()
                .is_some_and(|why| why.contains("no longer in source"))));
    assert!(millbrook_rows
        .iter()
        .any(|r| r["source"] != page_doc.as_str() && r.get("retracted_at").is_none()));
    // Nothing but the file's statements was retracted.
    let retracted: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r.get("retracted_at").is_some())
        .collect();
    for r in &retracted {
        assert_eq!(r["source"], page_doc.as_str());
    }
    let stonebridge = rows
        .iter()
        .filter(|r| r["value"] == "Stonebridge Youth Trust")
        .collect::<Vec<_>>();
    assert!(!stonebridge.is_empty());
    assert!(stonebridge.iter().all(|r| r.get("retracted_at").is_none()));
}

#[test]
fn native_export_round_trips_identically() {
    let env = Env::new();
    let a = loaded(&env, "a.db");
    let first = export(&a, "jsonl");
    let dump = env.file("dump.jsonl", first.as_bytes());
    let b = env.db("b.db");
    let out = ok(&b, &["import", dump.to_str().unwrap()]);
    assert!(out.contains("statements loaded"), "{out}");
    assert_eq!(
        export(&b, "jsonl"),
        first,
        "export → import → export is identical"
    );
    assert_eq!(export(&b, "ftm"), export(&a, "ftm"));
    assert_eq!(ok(&b, &["stats", "--json"]), ok(&a, &["stats", "--json"]));
}

#[test]
fn ftm_export_passes_the_followthemoney_package() {
    let env = Env::new();
    let db = loaded(&env, "d.db");
    let path = env.dir.path().join("export.ftm.jsonl");
    ok(
        &db,
        &["export", "--format", "ftm", "--out", path.to_str().unwrap()],
    );
    let python =
        std::env::var("DOSSIER_PYTHON").unwrap_or_else(|_| format!("{WORKSPACE}/.venv/bin/python"));
    let out = Command::new(&python)
        .arg(format!("{WORKSPACE}/scripts/check_ftm.py"))
        .arg(&path)
        .arg("--expect-schema=Membership:26")
        .arg("--expect-schema=Payment:7")
        .arg("--expect-schema=Directorship:4")
        // Olive Grove's "its director Miriam Cohen" is her post there.
        .arg("--expect-schema=Employment:4")
        .arg("--expect-schema=UnknownLink:2")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {python} ({e}): run scripts/test, which installs followthemoney")
        });
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "followthemoney rejected the export:\n{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("checked "), "{report}");
}

#[test]
fn ftm_export_imports_back() {
    let env = Env::new();
    let a = env.db("a.db");
    ok(&a, &["import", NORTHERN]);
    let ftm = export(&a, "ftm");
    let file = env.file("northern.ftm.jsonl", ftm.as_bytes());
    let b = env.db("b.db");
    let out = ok(&b, &["import", file.to_str().unwrap()]);
    assert!(out.contains("FtM entities"), "{out}");
    let subject = json(&ok(&b, &["show", "NRRN", "--json"]));
    assert_eq!(subject["members"].as_array().unwrap().len(), 12);
    assert_eq!(subject["countries"][0], "ca");
    let stats = json(&ok(&b, &["stats", "--json"]));
    assert_eq!(stats["entities"]["Membership"], 12);
    assert_eq!(stats["entities"]["Person"], 4);
}

#[test]
fn bad_input_fails_with_one_line_and_leaves_the_store_unchanged() {
    let env = Env::new();
    let db = env.db("d.db");
    ok(&db, &["import", NORTHERN]);
    let before = export(&db, "jsonl");
    let olive = std::fs::read_to_string(OLIVE).unwrap();
    let cut = olive.find("<li>Samir").unwrap() + 6;
    let mut x: u64 = 88172645463325252;
    let noise: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    let cases: Vec<(PathBuf, &str)> = vec![
        (env.file("empty.txt", b""), "empty"),
        (env.file("noise.bin", &noise), "UTF-8"),
        (env.file("cut.html", &olive.as_bytes()[..cut]), "truncated"),
        (env.file("huge.txt", &vec![b'x'; 50 << 20]), "characters long"),
        (env.file("bad.jsonl", b"{\"seq\":1,\"id\":\"x\"}\n"), "JSON"),
        (env.file("bad-ftm.jsonl", b"{\"id\":\"o1\",\"schema\":\"Organization\",\"properties\":{\"name\":[\"A\"]}}\n{\"id\":\"o2\",\"schema\":\"Organization\",\"properties\":{\"country\":[\"Atlantis\"]}}\n"), "invalid value"),
        // A value the message quotes, 8 MB of it: named, not echoed.
        (
            env.file(
                "long-schema.ftm.json",
                format!(
                    "{{\"id\":\"o1\",\"schema\":\"{}\",\"properties\":{{}}}}\n",
                    "Z".repeat(8 << 20)
                )
                .as_bytes(),
            ),
            "[8,388,610 characters]",
        ),
    ];
    for (path, expect) in &cases {
        // A good file beside the bad one: neither goes in.
        let out = dossier(&db, &["import", HARBOR, path.to_str().unwrap()]);
        assert!(!out.status.success(), "{} was accepted", path.display());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.len() < 2_500, "{} bytes of error", err.len());
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(
            err.contains(&path.display().to_string()),
            "says which file: {err}"
        );
        assert!(err.contains(expect), "says what ({expect}): {err}");
        let has_position = err
            .split(':')
            .filter(|p| p.trim().parse::<u32>().is_ok())
            .count()
            >= 2;
        assert!(has_position, "says where (line:column): {err}");
        assert_eq!(
            export(&db, "jsonl"),
            before,
            "{} changed the store",
            path.display()
        );
    }
}

#[test]
fn show_prints_the_profile() {
    let env = Env::new();
    let db = env.db("d.db");
    ok(&db, &["import", NORTHERN]);
    let text = ok(&db, &["show", "Northern Rivers Reconciliation Network"]);
    for expected in [
        "Northern Rivers Reconciliation Network (NRRN)",
        "Country/Territory: Canada (ca)",
        "In their own words",
        "Members (12)",
        "Engineers for Clean Water - Canada (ECW-C)",
        "“Putting one side’s grief in front of children",
        "— Mara Quinn",
        "date 2021-03-03",
        "source: Northern Rivers Reconciliation Network (NRRN)",
        "Timeline",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let by_id = json(&ok(&db, &["show", "ECW-C", "--json"]));
    assert_eq!(by_id["name"], "Engineers for Clean Water - Canada");
    let id = by_id["entity"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        json(&ok(&db, &["show", &id, "--json"]))["name"],
        by_id["name"]
    );
    let missing = dossier(&db, &["show", "No Such Body"]);
    assert!(!missing.status.success());
    let ambiguous = dossier(&db, &["show", "for"]);
    assert!(!ambiguous.status.success());
    assert!(String::from_utf8_lossy(&ambiguous.stderr).contains("entities"));
}

#[test]
fn demo_loads_once() {
    let env = Env::new();
    let db = env.db("d.db");
    assert!(ok(&db, &["demo"]).contains("loaded the demo dataset"));
    assert!(ok(&db, &["demo"]).contains("already loaded"));
    let stats = json(&ok(&db, &["stats", "--json"]));
    assert_eq!(stats["entities"]["Membership"], 12);
    assert_eq!(stats["entities"]["Claim"], 20);
    assert!(ok(&db, &["show", "ALLMEP"]).contains("Members (12)"));
}

#[test]
fn search_from_the_command_line_follows_imports() {
    let env = Env::new();
    let db = env.db("d.db");
    ok(&db, &["demo"]);
    // The first search builds the index beside the store.
    let r = json(&ok(&db, &["search", "PCFF", "--json"]));
    assert_eq!(r["hits"][0]["title"], "Parents Circle Families Forum");
    assert!(env.dir.path().join("d.db.index").is_dir());
    // An import keeps the index current: no reindex needed.
    ok(&db, &["import", HARBOR]);
    let r = json(&ok(&db, &["search", "Harbour Peace Coalition", "--json"]));
    assert_eq!(r["hits"][0]["title"], "Harbor Peace Coalition");
    let r = json(&ok(&db, &["search", "", "--kind", "person", "--json"]));
    assert!(r["total"].as_u64().unwrap() >= 9);
    let text = ok(&db, &["search", "fascist regime"]);
    assert!(text.contains("[fascist]"), "{text}");
    let out = ok(&db, &["reindex"]);
    assert!(out.starts_with("indexed "), "{out}");
}

/// Several files in one import go in whole or not at all, native logs
/// too: the second log clashing with the first once left the first loaded.
#[test]
fn several_native_logs_load_whole_or_not_at_all() {
    let env = Env::new();
    let a = env.db("a.db");
    ok(&a, &["import", NORTHERN]);
    let log = export(&a, "jsonl");
    let first = env.file("s1.jsonl", log.as_bytes());
    // The same row numbers saying other things: they cannot both be.
    let clash: String = log
        .lines()
        .map(|l| l.replace("Northern Rivers", "Southern Rivers") + "\n")
        .collect();
    let second = env.file("s2.jsonl", clash.as_bytes());
    let b = env.db("b.db");
    let out = dossier(
        &b,
        &["import", first.to_str().unwrap(), second.to_str().unwrap()],
    );
    assert!(!out.status.success(), "the clash was accepted");
    let stats = json(&ok(&b, &["stats", "--json"]));
    assert_eq!(
        stats["statements"], 0,
        "nothing of either file stays: {stats}"
    );
    // A native log and a profile page do not mix in one import.
    let mixed = dossier(&b, &["import", first.to_str().unwrap(), HARBOR]);
    assert!(!mixed.status.success());
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("on their own"));
    // A log cut in two loads from its two halves at once.
    let lines: Vec<&str> = log.lines().collect();
    let half = lines.len() / 2;
    let head = env.file("h1.jsonl", (lines[..half].join("\n") + "\n").as_bytes());
    let tail = env.file("h2.jsonl", (lines[half..].join("\n") + "\n").as_bytes());
    let d = env.db("d.db");
    let said = ok(
        &d,
        &["import", head.to_str().unwrap(), tail.to_str().unwrap()],
    );
    assert!(said.contains("one transaction"), "{said}");
    assert_eq!(export(&d, "jsonl"), log);
}
