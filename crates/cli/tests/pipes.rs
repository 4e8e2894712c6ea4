//! The command line in pipes and small things a reader sees at once: a
//! reader that goes away (`| head`) ends a command quietly, never with a
//! panic; derived folders are never made in the current directory.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Stdio};

/// Runs `dossier ARGS` with its standard output closed before it writes:
/// the read end of the pipe is dropped at once.
fn with_closed_output(db: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_standard_output_ends_a_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    for args in [
        &["stats", "--json"][..],
        &["stats"],
        &["graph", "centrality"],
        &["graph", "path", "Hila Cohen", "Standing Together"],
        &["graph", "shared", "ALLMEP", "ALLMEP"],
        &["show", "ALLMEP"],
        &["export", "--format", "ftm"],
        &["search", "peace"],
    ] {
        let out = with_closed_output(&db, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        // 0, or 141 as a shell reports a process ended by SIGPIPE.
        let code = out.status.code();
        assert!(
            code == Some(0) || code == Some(141),
            "{args:?} ended with {:?}: {err}",
            out.status
        );
        assert!(
            !err.contains("Broken pipe") && !err.contains("error"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_demo_country_reads_as_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    let text = common::ok(&db, &["show", "ALLMEP"]);
    assert!(
        text.contains("Country/Territory: United States (us)"),
        "{text}"
    );
    assert!(!text.contains("us (us)"), "{text}");
}

#[test]
fn an_error_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("not-a-store.db");
    std::fs::write(&db, b"this is not a database file at all, not even close").unwrap();
    let out = common::dossier(&db, &["export", "--format", "ftm"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert_eq!(
        err.matches("file is not a database").count(),
        1,
        "said once: {err}"
    );
    // The file the user named, not the temporary one written beside it.
    let good = dir.path().join("d.db");
    common::ok(&good, &["demo"]);
    let missing = dir.path().join("no/such/folder/out.json");
    let out = common::dossier(
        &good,
        &[
            "export",
            "--format",
            "ftm",
            "--out",
            missing.to_str().unwrap(),
        ],
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("out.json") && !err.contains(".partial"),
        "{err}"
    );
}

/// On PostgreSQL the search index goes to this user's cache directory,
/// named by a hash of the address, never into the current directory.
#[test]
fn a_postgres_store_keeps_its_index_in_the_cache_directory() {
    let Some(pg) = dossier_store::testing::TestDatabase::create().unwrap() else {
        return;
    };
    let here = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    for args in [&["demo"][..], &["search", "peace"]] {
        let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["--db", &pg.url])
            .args(args)
            .env_remove("DOSSIER_DB")
            .env_remove("DOSSIER_INDEX")
            .env("XDG_CACHE_HOME", cache.path())
            .current_dir(here.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        std::fs::read_dir(here.path()).unwrap().count(),
        0,
        "nothing made in the current directory"
    );
    let kept: Vec<String> = std::fs::read_dir(cache.path().join("dossier"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        kept.iter()
            .any(|n| n.starts_with("postgres-") && n.ends_with(".index")),
        "{kept:?}"
    );
    assert!(
        kept.iter().all(|n| !n.contains("127")),
        "no address in a name: {kept:?}"
    );
}
