//! Crash consistency: `dossier import` killed with SIGKILL at points spread
//! over its run (before it writes, while it writes, after it committed),
//! twenty times on SQLite and twenty on PostgreSQL, alternating a native
//! log (a load) and an FtM file (an apply), 100 organizations each (about
//! 7,000 statements; the bulk path for larger loads is all-or-nothing by
//! the store's contract tests). After each kill the store
//! opens, is intact, and holds all of that import or none of it; the same
//! import run again then completes with everything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::ok;
use dossier_store::testing::TestDatabase;

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
            let check: String = rusqlite::Connection::open(&path)
                .unwrap()
                .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                .unwrap();
            assert_eq!(check, "ok", "{}", path.display());
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
