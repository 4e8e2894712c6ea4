//! `dossier user` and `dossier collection` end to end: accounts with roles
//! and hashed passwords, API tokens, collections and their members.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::with_input;

#[test]
fn accounts_roles_tokens_and_collections() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let ok = with_input(
        &db,
        &["user", "add", "ann", "--role", "admin"],
        "correct horse battery\n",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // Refused: a short password, a taken name, a bad name, an unknown role.
    for (args, input) in [
        (vec!["user", "add", "bob"], "short\n"),
        (vec!["user", "add", "ann"], "another good password\n"),
        (vec!["user", "add", "b b"], "another good password\n"),
        (
            vec!["user", "add", "bob", "--role", "king"],
            "another good password\n",
        ),
    ] {
        let out = with_input(&db, &args, input);
        assert!(!out.status.success(), "{args:?}");
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    }
    assert!(
        with_input(&db, &["user", "add", "bob"], "another good password\n")
            .status
            .success()
    );
    let list: serde_json::Value =
        serde_json::from_str(&common::ok(&db, &["user", "list", "--json"])).unwrap();
    assert_eq!(list[1]["name"], "bob");
    assert_eq!(list[1]["role"], "viewer");
    common::ok(&db, &["user", "role", "bob", "editor"]);
    assert!(common::ok(&db, &["user", "list"]).contains("bob\teditor"));
    let token = common::ok(&db, &["user", "token", "bob"]);
    assert_eq!(token.trim().len(), 64);
    assert!(
        with_input(&db, &["user", "passwd", "bob"], "a new good password\n")
            .status
            .success()
    );
    // The password is stored hashed, never as typed.
    // The database and its write-ahead log, whichever holds the rows now.
    let mut raw = std::fs::read(&db).unwrap();
    raw.extend(std::fs::read(dir.path().join("d.db-wal")).unwrap_or_default());
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains("a new good password") && !text.contains("correct horse battery"));
    assert!(text.contains("$argon2id$"));
    assert!(!text.contains(token.trim()), "tokens are kept as hashes");
    // Collections.
    assert!(!common::dossier(&db, &["collection", "set", "notes"])
        .status
        .success());
    common::ok(&db, &["collection", "set", "notes", "--private"]);
    common::ok(&db, &["collection", "grant", "notes", "bob", "--edit"]);
    assert!(
        !common::dossier(&db, &["collection", "grant", "notes", "nobody"])
            .status
            .success()
    );
    let list: serde_json::Value =
        serde_json::from_str(&common::ok(&db, &["collection", "list", "--json"])).unwrap();
    assert_eq!(list[0]["private"], true);
    assert_eq!(list[0]["members"][0]["account"], "bob");
    common::ok(&db, &["collection", "revoke", "notes", "bob"]);
    common::ok(&db, &["collection", "set", "notes", "--public"]);
    let list: serde_json::Value =
        serde_json::from_str(&common::ok(&db, &["collection", "list", "--json"])).unwrap();
    assert_eq!(list[0]["private"], false);
    assert!(list[0]["members"].as_array().unwrap().is_empty());
}

#[test]
fn a_public_export_leaves_private_collections_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    let ftm = dir.path().join("private.ftm.json");
    std::fs::write(
        &ftm,
        r#"{"id":"org-quiet","schema":"Organization","properties":{"name":["Quiet Partners Trust"]}}"#,
    )
    .unwrap();
    common::ok(
        &db,
        &["import", ftm.to_str().unwrap(), "--dataset", "notes"],
    );
    common::ok(&db, &["collection", "set", "notes", "--private"]);
    for format in ["ftm", "statements", "jsonl"] {
        let everything = common::ok(&db, &["export", "--format", format]);
        assert!(
            everything.contains("Quiet Partners Trust"),
            "{format}: the operator's export"
        );
        let public = common::ok(&db, &["export", "--format", format, "--public"]);
        assert!(!public.contains("Quiet Partners Trust"), "{format}");
        assert!(
            public.contains("Alliance for Middle East Peace"),
            "{format}"
        );
    }
    // The search index is made of public data only.
    assert!(!common::ok(&db, &["search", "Quiet Partners"]).contains("org-quiet"));
}

/// API tokens end: at their expiry, when revoked, when the password
/// changes, when the account is deleted. (They once lasted for ever.)
#[test]
fn api_tokens_expire_are_revoked_and_end_with_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    common::ok(&db, &["demo"]);
    let added = common::with_input(
        &db,
        &["user", "add", "eve", "--role", "viewer"],
        "correct horse battery\n",
    );
    assert!(added.status.success());
    let index = dir.path().join("index");
    let (_server, port) = common::serve(
        &[
            "--db",
            db.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ],
        &[],
    );
    let status = |token: &str| common::http_bearer(port, "/api/v1/stats", token.trim()).status;
    // A server takes a change made by another process within about a
    // second (it keeps a worked-out reader that long): ten seconds at most.
    let refused = |token: &str| {
        let start = std::time::Instant::now();
        while status(token) != 401 {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(10),
                "the token still opens the API"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    let make = |label: &str| {
        common::ok(
            &db,
            &["user", "token", "eve", "--label", label, "--days", "30"],
        )
    };
    let laptop = make("laptop");
    let phone = make("phone");
    assert_eq!(status(&laptop), 200);
    // Revoked by label: that one ends, the other stays.
    assert!(common::ok(
        &db,
        &["user", "token", "eve", "--revoke", "--label", "laptop"]
    )
    .contains("1 API token"));
    refused(&laptop);
    assert_eq!(status(&phone), 200);
    // A new password ends every token.
    let changed = common::with_input(&db, &["user", "passwd", "eve"], "another horse battery\n");
    assert!(changed.status.success());
    refused(&phone);
    // A disabled account's tokens end, and it gets no new one until it is
    // enabled again.
    let desk = make("desk");
    assert_eq!(status(&desk), 200);
    assert!(common::ok(&db, &["user", "disable", "eve"]).contains("is disabled"));
    refused(&desk);
    assert!(common::ok(&db, &["user", "list"])
        .lines()
        .any(|l| l.starts_with("eve\t") && l.ends_with("\tdisabled")));
    assert!(!common::dossier(&db, &["user", "token", "eve"])
        .status
        .success());
    assert!(common::ok(&db, &["user", "enable", "eve"]).contains("enabled again"));
    // Deleting the account ends what is left.
    let last = make("ci");
    assert_eq!(status(&last), 200);
    assert!(common::ok(&db, &["user", "delete", "eve"]).contains("deleted"));
    refused(&last);
    assert!(!common::dossier(&db, &["user", "delete", "eve"])
        .status
        .success());
    // No token lasts past ten years, nor less than a day.
    common::with_input(&db, &["user", "add", "fay"], "correct horse battery\n");
    for days in ["0", "3651"] {
        assert!(
            !common::dossier(&db, &["user", "token", "fay", "--days", days])
                .status
                .success()
        );
    }
}

/// What the command line does to accounts and collections is in the
/// audit log, under the user the command names (`--user`, `cli` unless).
#[test]
fn account_commands_are_in_the_audit_log() {
    use dossier_store::Audit;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let ok = |args: &[&str]| {
        let out = with_input(&db, args, "correct horse battery\n");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    ok(&["user", "add", "ann", "--role", "editor"]);
    ok(&["--user", "root", "user", "role", "ann", "admin"]);
    ok(&["user", "disable", "ann"]);
    ok(&["collection", "set", "notes", "--private"]);
    let store = dossier_store::SqliteStore::open(&db).unwrap();
    let log: Vec<(String, String, String, String)> = store
        .audit_log(10)
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.action, e.target, e.detail))
        .collect();
    assert_eq!(
        log,
        [
            (
                "cli".into(),
                "collection".into(),
                "notes".into(),
                "private".into()
            ),
            ("cli".into(), "disabled".into(), "ann".into(), String::new()),
            ("root".into(), "role".into(), "ann".into(), "admin".into()),
            (
                "cli".into(),
                "account added".into(),
                "ann".into(),
                "editor".into()
            ),
        ]
    );
}
