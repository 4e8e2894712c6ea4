//! The whole tool on PostgreSQL (a fresh database on the server
//! `scripts/with-postgres` starts): every command answers as it does on
//! SQLite, and two servers on one database serve the same data, each
//! following what the other and other processes write.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{http, Guard};
use dossier_store::testing::TestDatabase;

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&common::ok(db, args)).unwrap()
}

#[test]
fn every_command_answers_on_postgres_as_on_sqlite() {
    let Some(pg) = TestDatabase::create().unwrap() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let lite = dir.path().join("d.db");
    let pg_db = Path::new(&pg.url);
    // Each its own index folder.
    let pg_index = dir.path().join("pg.index");
    let on_pg = |args: &[&str]| -> String {
        let mut all = vec!["--index", pg_index.to_str().unwrap()];
        all.extend(args);
        common::ok(pg_db, &all)
    };
    assert!(on_pg(&["migrate"]).contains("schema version 12"));
    on_pg(&["demo"]);
    common::ok(&lite, &["demo"]);
    let parse = |s: String| -> serde_json::Value { serde_json::from_str(&s).unwrap() };
    for args in [
        vec!["stats", "--json"],
        vec!["show", "ALLMEP", "--json"],
        vec!["show", "Hila Cohen", "--json"],
        vec!["xref", "--threshold", "0.6", "--json"],
    ] {
        assert_eq!(parse(on_pg(&args)), json(&lite, &args), "{args:?}");
    }
    // The same hits (equal scores may come in either order).
    let hits = |v: serde_json::Value| -> Vec<String> {
        let mut ids: Vec<String> = v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    for q in ["PHR-I", "human rights", "Rabbis"] {
        assert_eq!(
            hits(parse(on_pg(&["search", q, "--json"]))),
            hits(json(&lite, &["search", q, "--json"])),
            "{q}"
        );
    }
    let sorted = |s: String| -> Vec<String> {
        let mut v: Vec<String> = s.lines().map(str::to_string).collect();
        v.sort();
        v
    };
    assert_eq!(
        sorted(on_pg(&["export", "--format", "ftm"])),
        sorted(common::ok(&lite, &["export", "--format", "ftm"]))
    );
    assert_eq!(
        on_pg(&["graph", "path", "Hila Cohen", "ALLMEP"]),
        common::ok(&lite, &["graph", "path", "Hila Cohen", "ALLMEP"])
    );
    // A merge and its undoing, on PostgreSQL.
    let pair = parse(on_pg(&["xref", "--threshold", "0.6", "--json"]))["pairs"][0].clone();
    let (a, b) = (
        pair["a"]["id"].as_str().unwrap().to_string(),
        pair["b"]["id"].as_str().unwrap().to_string(),
    );
    on_pg(&["judge", &a, &b, "same"]);
    let orgs = |v: serde_json::Value| v["entities"]["Organization"].as_u64().unwrap();
    assert_eq!(
        orgs(parse(on_pg(&["stats", "--json"]))),
        orgs(json(&lite, &["stats", "--json"])) - 1
    );
    on_pg(&["judge", &a, &b, "none"]);
    assert_eq!(
        orgs(parse(on_pg(&["stats", "--json"]))),
        orgs(json(&lite, &["stats", "--json"]))
    );
    // The native log moves from PostgreSQL to SQLite whole.
    let log = dir.path().join("log.jsonl");
    on_pg(&[
        "export",
        "--format",
        "jsonl",
        "--out",
        log.to_str().unwrap(),
    ]);
    let copy = dir.path().join("copy.db");
    common::ok(&copy, &["import", log.to_str().unwrap()]);
    assert_eq!(
        common::ok(&copy, &["export", "--format", "jsonl"]),
        std::fs::read_to_string(&log).unwrap()
    );
    // A bad address is a clear error, and never shows a password.
    let bad = common::dossier(
        Path::new("postgres://someone:secret@127.0.0.1:1/nothing"),
        &["stats"],
    );
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("cannot open the store"), "{err}");
    assert!(!err.contains("secret"), "{err}");
}

/// A server on the database, with its own index, as a second machine would run it.
fn serve(url: &str, index: &Path) -> (Guard, u16) {
    common::serve(&["--db", url, "--index", index.to_str().unwrap()], &[])
}

/// A server on PostgreSQL stops as one on SQLite does: a second one on a
/// port already taken says so and exits with an error, and one told to
/// stop (Ctrl-C) finishes and exits with success. Before, both aborted:
/// the last PostgreSQL connection was closed on a thread of the server's
/// own runtime, which cannot block on the connection's.
#[test]
fn a_server_on_postgres_stops_cleanly() {
    let Some(pg) = TestDatabase::create().unwrap() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let index = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    common::ok(Path::new(&pg.url), &["--index", &index("a.index"), "demo"]);
    let (mut first, port) = serve(&pg.url, Path::new(&index("a.index")));
    assert_eq!(http(port, "GET", "/", None).status, 200);
    let second = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--db", &pg.url, "--index", &index("b.index"), "serve"])
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .env_remove("DOSSIER_DB")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{said}");
    assert!(said.contains("in use"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    // Ctrl-C.
    let pid = first.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let stopped = first.0.wait().unwrap();
    assert!(stopped.success(), "{stopped:?}");
}

/// Asks until `check` holds, for at most `limit`; how long it took.
fn within(limit: Duration, mut check: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() <= limit {
        if check() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn two_servers_on_one_postgres_serve_the_same_data() {
    let Some(pg) = TestDatabase::create().unwrap() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = Path::new(&pg.url);
    common::ok(
        db,
        &["--index", dir.path().join("cli").to_str().unwrap(), "demo"],
    );
    // An editor, known to both servers through the database.
    let mut add = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["--db", &pg.url, "user", "add", "ann", "--role", "editor"])
        .env_remove("DOSSIER_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut add.stdin.take().unwrap(), b"correct horse battery\n").unwrap();
    assert!(add.wait().unwrap().success());
    let (_a, a) = serve(&pg.url, &dir.path().join("a"));
    let (_b, b) = serve(&pg.url, &dir.path().join("b"));
    // Signed in on server A, the session holds on server B too.
    let cookie = common::sign_in(a, "ann", "correct horse battery");
    assert!(common::http_as(b, "GET", "/login", None, Some(&cookie))
        .body
        .contains("Signed in as <strong>ann</strong>"));
    let search = |port: u16, q: &str| -> Vec<String> {
        let r = http(
            port,
            "GET",
            &format!("/search.json?q={q}&kind=organization"),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(search(a, "Rabbis"), search(b, "Rabbis"));

    // A decision made through server A: a merge.
    let list = http(a, "GET", "/review.json?threshold=0.6", None);
    let v: serde_json::Value = serde_json::from_str(&list.body).unwrap();
    let pair = &v["pairs"][0];
    let (x, y) = (
        pair["a"]["id"].as_str().unwrap(),
        pair["b"]["id"].as_str().unwrap(),
    );
    let (canonical, merged) = (x.min(y), x.max(y));
    let review = pair["review"].as_str().unwrap();
    let page = common::http_as(a, "GET", review, None, Some(&cookie)).body;
    let token = common::form_field(&page, "token");
    let posted = common::http_as(
        a,
        "POST",
        review,
        Some(&format!("verdict=same&token={token}")),
        Some(&cookie),
    );
    assert_eq!(posted.status, 303, "{}", posted.body);
    // Server B shows it within two seconds: the merged address leads to
    // the canonical one, and its search knows one entity.
    let merged_name = pair["b"]["name"].as_str().unwrap().replace(' ', "+");
    let took = within(Duration::from_secs(2), || {
        let r = http(b, "GET", &format!("/entities/{merged}"), None);
        r.status == 307
            && r.header("location") == Some(&format!("/entities/{canonical}"))
            && !search(b, &merged_name).contains(&merged.to_string())
    });
    assert!(took.is_some(), "server B did not follow server A's merge");
    println!("server B followed server A's merge in {:?}", took.unwrap());

    // A write by another process (an import): both servers find it.
    let ftm = dir.path().join("new.ftm.json");
    std::fs::write(
        &ftm,
        r#"{"id":"org-harbor-test","schema":"Organization","properties":{"name":["Harbour Lighthouse Keepers Union"]}}"#,
    )
    .unwrap();
    common::ok(
        db,
        &[
            "--index",
            dir.path().join("cli").to_str().unwrap(),
            "import",
            ftm.to_str().unwrap(),
        ],
    );
    for port in [a, b] {
        let took = within(Duration::from_secs(2), || {
            search(port, "Lighthouse") == ["org-harbor-test"]
                && http(port, "GET", "/entities/org-harbor-test", None).status == 200
        });
        assert!(took.is_some(), "server on {port} did not see the import");
    }

    // Edits through server A's forms: a new body, then its membership of
    // ALLMEP. Server B's pages, search and network follow within two seconds.
    let form = common::http_as(a, "GET", "/new/organization", None, Some(&cookie)).body;
    let csrf = common::form_field(&form, "csrf");
    let made = common::http_as(
        a,
        "POST",
        "/new/organization",
        Some(&format!(
            "csrf={csrf}&name=Harbour+Pilots+Cooperative&source_url=https%3A%2F%2Fexample.org%2Fpilots&reason=new+member"
        )),
        Some(&cookie),
    );
    assert_eq!(made.status, 303, "{}", made.body);
    let pilots = made
        .header("location")
        .unwrap()
        .trim_start_matches("/entities/")
        .to_string();
    let took = within(Duration::from_secs(2), || {
        search(b, "Pilots") == [pilots.clone()]
            && http(b, "GET", &format!("/entities/{pilots}"), None).status == 200
    });
    assert!(took.is_some(), "server B did not see the new body");
    println!(
        "server B showed a body made on server A in {:?}",
        took.unwrap()
    );
    let neighbours = |port: u16| -> Vec<String> {
        let r = http(
            port,
            "GET",
            &format!("/api/v1/entities/{pilots}/neighbours"),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["neighbours"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["entity"]["name"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(neighbours(b).is_empty());
    let joined = common::http_as(
        a,
        "POST",
        &format!("/entities/{pilots}/relationships"),
        Some(&format!(
            "csrf={csrf}&relation=membership%3Afrom&other=ALLMEP&source_url=https%3A%2F%2Fexample.org%2Fpilots%2Freport&reason=their+report"
        )),
        Some(&cookie),
    );
    assert_eq!(joined.status, 303, "{}", joined.body);
    let took = within(Duration::from_secs(2), || neighbours(b).len() == 1);
    assert!(
        took.is_some(),
        "server B's network did not follow the membership"
    );
    println!(
        "server B's network followed a membership made on server A in {:?}",
        took.unwrap()
    );
}
