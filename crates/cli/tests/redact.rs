//! Redaction from the command line, through every export.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

/// A redacted person is gone from every export and search, their name
/// blanked in the claims that mention them; lifted, all is back.
#[test]
fn a_redacted_person_leaves_every_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    assert!(common::ok(&db, &["search", "Hila Cohen"]).contains("Hila Cohen"));
    let bad = common::dossier(&db, &["redact", "Hila Cohen"]);
    assert!(!bad.status.success(), "a reason is required");
    let said = common::ok(
        &db,
        &["redact", "Hila Cohen", "--reason", "a private person"],
    );
    assert!(said.contains("is redacted"), "{said}");
    for format in ["ftm", "statements", "jsonl", "popolo", "jsonld"] {
        let out = common::ok(&db, &["export", "--format", format]);
        assert!(!out.contains("Hila Cohen"), "{format}");
        if format == "ftm" {
            assert!(
                out.contains("Attorney [redacted] of the Legal Forum"),
                "{format}"
            );
        }
    }
    assert!(!common::ok(&db, &["search", "Hila Cohen"]).contains("Hila Cohen"));
    assert!(!common::dossier(&db, &["show", "Hila Cohen"])
        .status
        .success());
    common::ok(&db, &["redact", "per-bcadfc834c7b6a82", "--undo"]);
    let out = common::dossier(&db, &["redact", "per-nobody", "--undo"]);
    assert!(!out.status.success());
    assert!(common::ok(&db, &["export", "--format", "ftm"]).contains("Hila Cohen"));
}
