//! Crash consistency, under SIGKILL at points spread over the work:
//!
//! - `dossier import`, twenty times on SQLite and twenty on PostgreSQL,
//!   alternating a native log (a load) and an FtM file (an apply), 100
//!   organizations each (about 7,000 statements; the bulk path for larger
//!   loads is all-or-nothing by the store's contract tests). After each
//!   kill the store opens, is intact, and holds all of that import or none
//!   of it; the same import run again then completes with everything.
//! - `dossier serve` while an editor saves edits through its forms, twenty
//!   times on each backend. Every edit changes four properties at once;
//!   after each kill the store holds each edit whole or not at all, keeps
//!   every edit the server had confirmed, and a server started again on it
//!   shows the same and takes the next edit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::ok;
use dossier_store::testing::TestDatabase;
use dossier_store::Store;

const TRIALS: usize = 20;

fn statements(db: &Path) -> u64 {
    let stats: serde_json::Value = serde_json::from_str(&ok(db, &["stats", "--json"])).unwrap();
    stats["statements"].as_u64().unwrap()
}

/// The two files, and how many statements each makes in an empty store.
fn data(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    for (format, name) in [("native", "data.jsonl"), ("ftm", "data.ftm.json")] {
        let file = dir.join(name);
        let scratch = dir.join(format!("gen-{format}.db"));
        ok(
            &scratch,
            &[
                "gen",
                "--orgs",
                "100",
                "--seed",
                "4",
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        let probe = dir.join(format!("probe-{format}.db"));
        ok(&probe, &["import", file.to_str().unwrap()]);
        out.push((file, statements(&probe)));
    }
    out
}

/// Runs the import, killing it after `after`; whether it was still running.
fn import_killed(db: &Path, file: &Path, after: Duration) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(file)
        .env_remove("DOSSIER_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    running
}

/// Kill points spread over 0–100% of a whole import's time, in a fixed
/// scrambled order (so both files get early and late ones).
fn kill_points() -> Vec<f64> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..TRIALS)
        .map(|i| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let jitter = (x >> 33) as f64 / (1u64 << 31) as f64;
            (i as f64 + jitter) / TRIALS as f64
        })
        .collect()
}

/// Fails the test unless the SQLite file passes `PRAGMA integrity_check`.
fn assert_intact(db: &Path) {
    let check: String = rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{}", db.display());
}

/// Twenty killed imports into fresh stores made by `fresh`.
fn trials(dir: &Path, fresh: &mut dyn FnMut() -> PathBuf) {
    let files = data(dir);
    // How long a whole import of each file takes here (the faster of two).
    let whole: Vec<Duration> = files
        .iter()
        .map(|(file, _)| {
            (0..2)
                .map(|_| {
                    let db = fresh();
                    let t = Instant::now();
                    ok(&db, &["import", file.to_str().unwrap()]);
                    t.elapsed()
                })
                .min()
                .unwrap()
        })
        .collect();
    let points = kill_points();
    let mut killed_while_running = 0;
    for (i, at) in points.into_iter().enumerate() {
        let (file, n) = &files[i % 2];
        let after = whole[i % 2].mul_f64(at);
        let db = fresh();
        if import_killed(&db, file, after) {
            killed_while_running += 1;
        }
        let held = statements(&db);
        assert!(
            held == 0 || held == *n,
            "trial {i} ({}, killed after {after:?}): {held} statements, not 0 or {n}",
            file.display()
        );
        ok(&db, &["import", file.to_str().unwrap()]);
        assert_eq!(statements(&db), *n, "trial {i}: the import run again");
    }
    eprintln!("{TRIALS} trials, {killed_while_running} killed while importing");
    assert!(
        killed_while_running >= TRIALS / 2,
        "only {killed_while_running} kills landed while the import ran"
    );
}

#[test]
fn an_import_killed_anywhere_on_sqlite_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let mut made = 0;
    trials(dir.path(), &mut || {
        made += 1;
        root.join(format!("store-{made}.db"))
    });
    // Whatever was killed, every file is a whole SQLite database.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "db") {
            assert_intact(&path);
        }
    }
}

#[test]
fn an_import_killed_anywhere_on_postgres_leaves_all_or_nothing() {
    if TestDatabase::create().unwrap().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut databases: Vec<TestDatabase> = Vec::new();
    trials(dir.path(), &mut || {
        let pg = TestDatabase::create().unwrap().unwrap();
        let url = PathBuf::from(&pg.url);
        databases.push(pg);
        url
    });
}

/// The organization the edit trials change, and the four properties each
/// edit sets together.
const EDITED: &str = "org-crash-edit";
const EDITED_PROPS: [&str; 4] = ["summary", "alias", "address", "website"];

/// The values edit number `k` gives the four properties, in that order.
fn edit_values(k: u64) -> [String; 4] {
    [
        format!("summary of edit {k}"),
        format!("Alias {k}"),
        format!("{k} Harbour Street"),
        format!("https://example.org/edit/{k}"),
    ]
}

/// The edit form's body for edit number `k`.
fn edit_body(csrf: &str, k: u64) -> String {
    let [summary, alias, address, website] = edit_values(k);
    format!(
        "csrf={csrf}&summary={}&alias={}&address={}&website={}&source_url=https%3A%2F%2Fexample.org%2Fedits&reason=trial",
        summary.replace(' ', "+"),
        alias.replace(' ', "+"),
        address.replace(' ', "+"),
        website.replace(':', "%3A").replace('/', "%2F"),
    )
}

/// The edit form's token for the session `cookie`.
fn edit_csrf(port: u16, cookie: &str) -> String {
    let form = common::http_as(
        port,
        "GET",
        &format!("/entities/{EDITED}/edit"),
        None,
        Some(cookie),
    );
    common::form_field(&form.body, "csrf")
}

/// Saves edit number `k` through the form; an error when the server is
/// gone.
fn save_edit(port: u16, cookie: &str, csrf: &str, k: u64) -> std::io::Result<common::Answer> {
    common::request(
        port,
        "POST",
        &format!("/entities/{EDITED}/edit"),
        Some(&edit_body(csrf, k)),
        Some(cookie),
    )
}

/// Which edit the store holds for the organization: all four properties
/// must come from the same one (0: none yet).
fn edit_held(db: &str) -> u64 {
    let store: Box<dyn Store> = if db.starts_with("postgres") {
        Box::new(dossier_store::PgStore::open(db).unwrap())
    } else {
        Box::new(dossier_store::SqliteStore::open(db).unwrap())
    };
    let entity = store.entity(EDITED).unwrap().unwrap();
    let found: Vec<Vec<&str>> = EDITED_PROPS
        .iter()
        .map(|p| entity.values(p).collect())
        .collect();
    if found.iter().all(Vec::is_empty) {
        return 0;
    }
    let k: u64 = found[1]
        .first()
        .and_then(|a| a.strip_prefix("Alias "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no edit's alias in {found:?}"));
    let want = edit_values(k);
    for (values, wanted) in found.iter().zip(&want) {
        assert_eq!(
            values,
            &[wanted.as_str()],
            "edit {k} is not whole: {found:?}"
        );
    }
    k
}

/// Twenty servers killed while an editor saves edits, on the store `db`
/// (a path or a PostgreSQL address).
fn edit_trials(db: &str, index: &Path) {
    let store = Path::new(db);
    let dir = tempfile::tempdir().unwrap();
    let ftm = dir.path().join("org.ftm.json");
    std::fs::write(
        &ftm,
        format!(
            r#"{{"id":"{EDITED}","schema":"Organization","properties":{{"name":["Harbour Crash Test Union"]}}}}"#
        ),
    )
    .unwrap();
    ok(store, &["import", ftm.to_str().unwrap()]);
    let added = common::with_input(
        store,
        &["user", "add", "ann", "--role", "editor"],
        "correct horse battery\n",
    );
    assert!(added.status.success(), "{added:?}");
    let args = ["--db", db, "--index", index.to_str().unwrap()];
    let mut cookie = None;
    let mut sent = 0u64;
    // Kills that came after the server had taken edits, and those where
    // the edit under way was held though never confirmed.
    let (mut while_editing, mut held_unconfirmed) = (0, 0);
    for (trial, at) in kill_points().into_iter().enumerate() {
        let (mut server, port) = common::serve(&args, &[]);
        let cookie = cookie
            .get_or_insert_with(|| common::sign_in(port, "ann", "correct horse battery"))
            .clone();
        // Started again on what the last kill left: the same edit shows.
        let held = edit_held(db);
        if held > 0 {
            let r = common::http(port, "GET", &format!("/api/v1/entities/{EDITED}"), None);
            assert_eq!(r.status, 200, "{}", r.body);
            assert!(r.body.contains(&edit_values(held)[1]), "{}", r.body);
        }
        let csrf = edit_csrf(port, &cookie);
        let first = sent + 1;
        // The editor saves edit after edit; the server is killed meanwhile.
        let editor = std::thread::spawn(move || {
            let mut confirmed = 0;
            let mut k = first;
            loop {
                match save_edit(port, &cookie, &csrf, k) {
                    Ok(r) => {
                        assert_eq!(r.status, 303, "edit {k}: {}", r.body);
                        confirmed = k;
                        k += 1;
                    }
                    // Killed: edit k was sent, perhaps not whole.
                    Err(_) => return (confirmed, k),
                }
            }
        });
        // Kills spread over the first 1.5 s of editing.
        std::thread::sleep(Duration::from_secs_f64(1.5 * at));
        server.0.kill().unwrap(); // SIGKILL
        server.0.wait().unwrap();
        let (confirmed, last) = editor.join().unwrap();
        let held = edit_held(db);
        assert!(
            held >= confirmed.max(first - 1) && held <= last,
            "trial {trial}: the store holds edit {held}; {confirmed} was confirmed, {last} the last sent"
        );
        if last > first {
            while_editing += 1;
        }
        if held == last && confirmed < last {
            held_unconfirmed += 1;
        }
        sent = last;
    }
    // One last server takes an edit after all that.
    let (_server, port) = common::serve(&args, &[]);
    let cookie = cookie.unwrap();
    let csrf = edit_csrf(port, &cookie);
    let next = sent + 1;
    let r = save_edit(port, &cookie, &csrf, next).unwrap();
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(edit_held(db), next);
    eprintln!(
        "{TRIALS} servers killed, {while_editing} after taking edits ({sent} edits sent); \
         {held_unconfirmed} held the edit under way though it was never confirmed"
    );
    assert!(
        while_editing >= TRIALS / 2,
        "only {while_editing} kills came after the server had taken edits"
    );
}

#[test]
fn a_server_killed_while_editing_on_sqlite_keeps_edits_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    edit_trials(db.to_str().unwrap(), &dir.path().join("index"));
    assert_intact(&db);
}

#[test]
fn a_server_killed_while_editing_on_postgres_keeps_edits_whole() {
    let Some(pg) = TestDatabase::create().unwrap() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    edit_trials(&pg.url, &dir.path().join("index"));
}
