//! Helpers the binary's end-to-end tests share: run `dossier` on a store,
//! and run a reference checker from `scripts/` with the test venv's Python.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

pub const WORKSPACE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Runs `dossier --db DB ARGS…`.
pub fn dossier(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .output()
        .unwrap()
}

/// Runs `dossier` and returns its standard output; fails the test if it failed.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let out = dossier(db, args);
    assert!(
        out.status.success(),
        "dossier {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs `scripts/SCRIPT ARGS…` with the reference tools' Python and parses
/// the JSON it prints; fails the test if the tool refused.
pub fn checker(script: &str, args: &[&str]) -> serde_json::Value {
    let python =
        std::env::var("DOSSIER_PYTHON").unwrap_or_else(|_| format!("{WORKSPACE}/.venv/bin/python"));
    let out = Command::new(&python)
        .arg(format!("{WORKSPACE}/scripts/{script}"))
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {python} ({e}): run scripts/test, which installs the reference tools"
            )
        });
    assert!(
        out.status.success(),
        "{script} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
