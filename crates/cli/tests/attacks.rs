//! Attacks on a running `dossier serve`, on SQLite and on PostgreSQL:
//!
//! - SQL injection attempts in every parameter: every path and query
//!   parameter of every page, JSON twin and API operation, and every field
//!   of every form (signed in as an admin, so each form gets past its
//!   checks). No answer is a server error or shows a database's error
//!   text; reading leaves the store as it was; text written through a form
//!   is stored exactly as typed; a sign-in with an injected name fails.
//! - Path traversal on the archive, static and entity routes: nothing
//!   outside the store is ever served.
//! - Session fixation: a session the browser carries at sign-in (made up,
//!   or someone else's) is never the one signed in, and is ended; a signed
//!   out session is dead on the server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{form_field, http, http_as, ok, serve, sign_in, Answer};
use dossier_store::testing::TestDatabase;
use dossier_store::Store;

/// Classic injection strings for SQLite and PostgreSQL: quotes closing the
/// literal, comments, stacked statements, unions, sleeps, casts.
const PAYLOADS: [&str; 10] = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "\" OR \"\"=\"",
    "'; DROP TABLE statement; --",
    "1' UNION SELECT name, password_hash FROM account --",
    "') OR ('x'='x",
    "%' OR '%'='",
    "1; SELECT pg_sleep(5) --",
    "' || (SELECT sqlite_version()) || '",
    "1 AND 1=CAST((SELECT password_hash FROM account LIMIT 1) AS int)",
];

/// Text that only a database's error (or a leaked secret) would put in an
/// answer.
const LEAKS: [&str; 9] = [
    "syntax error",
    "SQLITE_",
    "sqlite3",
    "rusqlite",
    "unrecognized token",
    "db error",
    "ERROR: ",
    "$argon2",
    "unterminated quoted",
];

const PASSWORD: &str = "correct horse battery";

/// Percent-encodes everything but unreserved characters.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A form body from its fields.
fn body(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Fails the test if an answer is a server error or leaks a database's
/// words.
fn harmless(what: &str, r: &Answer) {
    assert!(
        r.status > 0 && r.status < 500,
        "{what}: {} {}",
        r.status,
        r.body
    );
    for leak in LEAKS {
        assert!(!r.body.contains(leak), "{what} shows {leak:?}: {}", r.body);
    }
}

/// The ids a run needs: two organizations, a claim, a source and a review
/// pair.
struct Ids {
    org: String,
    other: String,
    claim: String,
    source: String,
    pair: (String, String),
}

fn json(port: u16, path: &str) -> serde_json::Value {
    let r = http(port, "GET", path, None);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn first_hit(port: u16, q: &str, kind: &str) -> String {
    json(port, &format!("/api/v1/search?q={q}&kind={kind}"))["hits"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A demo store with an archived copy and two accounts: `ada` (admin) and
/// `ann` (editor); the archived copy's SHA-256.
fn prepare(db: &Path, dir: &Path) -> String {
    ok(db, &["demo"]);
    let page = dir.join("page.html");
    std::fs::write(&page, "<html><body><p>An archived page.</p></body></html>").unwrap();
    let added: serde_json::Value = serde_json::from_str(&ok(
        db,
        &[
            "archive",
            "add",
            page.to_str().unwrap(),
            "--url",
            "https://example.org/archived",
            "--retrieved",
            "2026-01-05",
            "--json",
        ],
    ))
    .unwrap();
    for (name, role) in [("ada", "admin"), ("ann", "editor")] {
        let out = common::with_input(
            db,
            &["user", "add", name, "--role", role],
            &format!("{PASSWORD}\n"),
        );
        assert!(out.status.success(), "{out:?}");
    }
    added["copies"][0]["sha256"]
        .as_str()
        .unwrap_or_else(|| panic!("no digest in {added}"))
        .to_string()
}

fn ids(port: u16) -> Ids {
    let org = first_hit(port, "ALLMEP", "organization");
    let other = first_hit(port, "Rabbis", "organization");
    let claim = first_hit(port, "Rabbis", "claim");
    let profile = json(port, &format!("/api/v1/entities/{org}/profile"));
    let source = profile["claims"][0]["source"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no source in {profile}"))
        .to_string();
    let pairs = json(port, "/review.json?threshold=0.5");
    let pair = &pairs["pairs"][0];
    let pair = (
        pair["a"]["id"].as_str().unwrap().to_string(),
        pair["b"]["id"].as_str().unwrap().to_string(),
    );
    Ids {
        org,
        other,
        claim,
        source,
        pair,
    }
}

/// Every address a reader may ask for, with each of its parameters in
/// turn replaced by `p`: (description, address).
fn addresses(ids: &Ids, p: &str) -> Vec<(String, String)> {
    let e = enc(p);
    let Ids {
        org,
        other,
        pair: (a, b),
        ..
    } = ids;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |what: &str, path: String| out.push((what.to_string(), path));
    // Path parameters.
    for template in [
        "/entities/{}",
        "/entities/{}.json",
        "/entities/{}/connections",
        "/entities/{}/connections.json",
        "/entities/{}/history",
        "/entities/{}/history.json",
        "/entities/{}/edit",
        "/entities/{}/relationships/new",
        "/entities/{}/claims/new",
        "/networks/{}",
        "/networks/{}.json",
        "/archive/{}",
        "/new/{}",
        "/api/v1/entities/{}",
        "/api/v1/entities/{}/profile",
        "/api/v1/entities/{}/connections",
        "/api/v1/entities/{}/neighbours",
        "/api/v1/networks/{}",
        "/api/v1/claims/{}",
        "/api/v1/sources/{}",
    ] {
        add(template, template.replace("{}", &e));
    }
    add("review a", format!("/review/{e}/{b}"));
    add("review b", format!("/review/{a}/{e}"));
    // Query parameters, each in turn, the others sound.
    let search = [
        ("q", "peace"),
        ("kind", "organization"),
        ("country", "us"),
        ("topic", "Political Advocacy"),
        ("year", "2020"),
        ("page", "1"),
        ("limit", "10"),
    ];
    let neighbours = [
        ("hops", "2"),
        ("kind", "membership"),
        ("at", "2020"),
        ("limit", "10"),
    ];
    let path = [
        ("from", org.as_str()),
        ("to", other.as_str()),
        ("kind", "membership"),
        ("at", "2020"),
    ];
    let review = [("threshold", "0.5"), ("offset", "0")];
    let login = [("next", "/")];
    let neighbours_at = format!("/api/v1/entities/{org}/neighbours");
    for (route, params) in [
        ("/search", &search[..]),
        ("/search.json", &search[..]),
        ("/api/v1/search", &search[..]),
        (neighbours_at.as_str(), &neighbours[..]),
        ("/api/v1/path", &path[..]),
        ("/review", &review[..]),
        ("/review.json", &review[..]),
        ("/login", &login[..]),
    ] {
        for (i, (name, _)) in params.iter().enumerate() {
            let query = params
                .iter()
                .enumerate()
                .map(|(j, (n, v))| format!("{n}={}", if i == j { e.clone() } else { enc(v) }))
                .collect::<Vec<_>>()
                .join("&");
            add(&format!("{route}?{name}"), format!("{route}?{query}"));
        }
    }
    out
}

/// The forms, each as (address, sound fields): every field is replaced by
/// a payload in turn.
fn forms(ids: &Ids, csrf: &str, review_token: &str) -> Vec<(String, Vec<(String, String)>)> {
    let s = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let Ids {
        org,
        other,
        claim,
        source: doc,
        pair: (a, b),
        ..
    } = ids;
    let source = [
        ("csrf", csrf),
        ("source_url", "https://example.org/attack"),
        ("source_title", "Attack source"),
        ("collection", "edits"),
        ("reason", "attack test"),
    ];
    let with = |extra: &[(&str, &str)]| -> Vec<(String, String)> {
        let mut v = s(extra);
        v.extend(s(&source));
        v
    };
    vec![
        (
            format!("/entities/{org}/edit"),
            with(&[
                ("name", "Alliance for Middle East Peace"),
                ("alias", "ALLMEP"),
                ("abbreviation", "ALLMEP"),
                ("country", "us"),
                ("website", "https://example.org"),
                ("email", "info@example.org"),
                ("address", "1 Main Street"),
                ("incorporationDate", "2004"),
                ("summary", "A coalition."),
                ("source", doc),
            ]),
        ),
        (
            format!("/entities/{org}/relationships"),
            with(&[
                ("relation", "membership:to"),
                ("other", other),
                ("role", "member"),
                ("startDate", "2010"),
                ("endDate", "2020"),
            ]),
        ),
        (
            format!("/entities/{org}/claims"),
            with(&[
                ("kind", "fact"),
                ("text", "A claim made in a test."),
                ("topic", "Testing"),
                ("eventDate", "2020"),
                ("assertedBy", other),
                ("replyTo", claim),
            ]),
        ),
        (
            "/new/organization".to_string(),
            with(&[("name", "Harbour Attack Testers"), ("country", "il")]),
        ),
        (
            format!("/review/{a}/{b}"),
            s(&[("token", review_token), ("verdict", "none"), ("note", "no")]),
        ),
        (
            format!("/entities/{org}/revert"),
            s(&[("csrf", csrf), ("at", "1"), ("reason", "attack test")]),
        ),
        (
            "/entities/org-none/delete".to_string(),
            s(&[("csrf", csrf), ("undo", "false"), ("reason", "attack test")]),
        ),
        (
            "/entities/per-none/redact".to_string(),
            s(&[("csrf", csrf), ("undo", "false"), ("reason", "attack test")]),
        ),
        (
            "/admin/collections".to_string(),
            s(&[("csrf", csrf), ("name", "attack"), ("private", "true")]),
        ),
    ]
}

fn store_of(db: &str) -> Box<dyn Store> {
    if db.starts_with("postgres") {
        Box::new(dossier_store::PgStore::open(db).unwrap())
    } else {
        Box::new(dossier_store::SqliteStore::open(db).unwrap())
    }
}

/// The whole attack on one store (a path or a PostgreSQL address).
fn injections(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let store = Path::new(db);
    prepare(store, dir.path());
    let index = dir.path().join("index");
    let (_server, port) = serve(&["--db", db, "--index", index.to_str().unwrap()], &[]);
    let ids = ids(port);
    let cookie = sign_in(port, "ada", PASSWORD);
    let mut sent = 0;
    // How the answers fell, by status: shown at the end, so a run that
    // never got past the forms' checks would show.
    let mut statuses = std::collections::BTreeMap::<(&str, u16), usize>::new();

    // Reading: every parameter of every address, as anyone and as an admin.
    let before = ok(store, &["export", "--format", "jsonl"]);
    for p in PAYLOADS {
        for (what, address) in addresses(&ids, p) {
            for who in [None, Some(cookie.as_str())] {
                let r = http_as(port, "GET", &address, None, who);
                harmless(&format!("GET {what} with {p:?}"), &r);
                *statuses.entry(("GET", r.status)).or_default() += 1;
                sent += 1;
            }
        }
    }
    assert_eq!(
        ok(store, &["export", "--format", "jsonl"]),
        before,
        "reading changed the store"
    );

    // Writing: every field of every form.
    let csrf = form_field(
        &http_as(port, "GET", "/new/organization", None, Some(&cookie)).body,
        "csrf",
    );
    let (a, b) = &ids.pair;
    let review_token = form_field(
        &http_as(
            port,
            "GET",
            &format!("/review/{a}/{b}"),
            None,
            Some(&cookie),
        )
        .body,
        "token",
    );
    for (address, fields) in forms(&ids, &csrf, &review_token) {
        for i in 0..fields.len() {
            for p in PAYLOADS {
                let mut attacked = fields.clone();
                attacked[i].1 = p.to_string();
                let r = http_as(
                    port,
                    "POST",
                    &address,
                    Some(&body(&attacked)),
                    Some(&cookie),
                );
                harmless(&format!("POST {address} {}={p:?}", fields[i].0), &r);
                *statuses.entry(("POST", r.status)).or_default() += 1;
                sent += 1;
            }
        }
    }
    // Text written through a form is stored exactly as typed.
    for p in PAYLOADS {
        let r = http_as(
            port,
            "POST",
            &format!("/entities/{}/edit", ids.org),
            Some(&body(&[
                ("csrf".into(), csrf.clone()),
                ("summary".into(), p.into()),
                ("source_url".into(), "https://example.org/attack".into()),
                ("reason".into(), "attack test".into()),
            ])),
            Some(&cookie),
        );
        assert_eq!(r.status, 303, "{p:?}: {}", r.body);
        let held = store_of(db).entity(&ids.org).unwrap().unwrap();
        assert_eq!(held.values("summary").collect::<Vec<_>>(), [p]);
        let api = json(port, &format!("/api/v1/entities/{}", ids.org));
        assert!(api.to_string().contains(&serde_json::to_string(p).unwrap()));
    }
    // The accounts are whole: both still sign in, and the store is intact.
    assert!(sign_in(port, "ann", PASSWORD).starts_with("dossier_session="));
    let stats: serde_json::Value = serde_json::from_str(&ok(store, &["stats", "--json"])).unwrap();
    assert!(stats["statements"].as_u64().unwrap() > 300, "{stats}");

    // Signing in with an injected name or password never succeeds (the
    // rate limit answers 429 after five failures; both are refusals).
    let (token, form_cookie) = common::sign_in_form(port);
    for p in PAYLOADS {
        for attempt in [format!("ann{p}"), "ann' --".to_string(), p.to_string()] {
            for (name, password) in [(attempt.as_str(), "wrong"), ("ann", attempt.as_str())] {
                let r = http_as(
                    port,
                    "POST",
                    "/login",
                    Some(&body(&[
                        ("token".into(), token.clone()),
                        ("name".into(), name.into()),
                        ("password".into(), password.into()),
                    ])),
                    Some(&form_cookie),
                );
                harmless(&format!("sign-in as {name:?}"), &r);
                assert!(
                    r.status == 401 || r.status == 429,
                    "sign-in as {name:?} / {password:?}: {}",
                    r.status
                );
                assert!(r.header("set-cookie").is_none());
                sent += 1;
            }
        }
    }
    eprintln!("{sent} attack requests, none harmful; answers by status: {statuses:?}");
    // The forms were reached: most attacked fields were taken or refused
    // by the form's own checks, not by its token.
    let taken = statuses.get(&("POST", 303)).copied().unwrap_or(0);
    assert!(taken > 100, "only {taken} attacked forms were taken");
}

#[test]
fn sql_injection_in_every_parameter_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    injections(db.to_str().unwrap());
}

#[test]
fn sql_injection_in_every_parameter_on_postgres() {
    let Some(pg) = TestDatabase::create().unwrap() else {
        return;
    };
    injections(&pg.url);
}

/// Raw request targets that try to climb out of the routes, sent as
/// written (no client normalizes them).
const TRAVERSALS: [&str; 16] = [
    "/archive/../../../../../../etc/passwd",
    "/archive/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/archive/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/archive/..%252f..%252f..%252fetc%252fpasswd",
    "/archive/....//....//....//etc/passwd",
    "/archive/..\\..\\..\\..\\etc\\passwd",
    "/archive/%2fetc%2fpasswd",
    "/archive/%00../../etc/passwd",
    "/static/../../../../../../etc/passwd",
    "/static/..%2f..%2f..%2fCargo.toml",
    "/static/%2e%2e/%2e%2e/Cargo.toml",
    "/entities/..%2f..%2f..%2fetc%2fpasswd",
    "/api/v1/sources/..%2f..%2f..%2fetc%2fpasswd",
    "/api/v1/entities/%2e%2e%2f%2e%2e%2fCargo.toml/profile",
    "//etc/passwd",
    "/..%2f..%2f..%2f..%2fetc%2fpasswd",
];

#[test]
fn no_route_serves_a_file_outside_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let sha = prepare(&db, dir.path());
    let index = dir.path().join("index");
    let (_server, port) = serve(
        &[
            "--db",
            db.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ],
        &[],
    );
    // The archived copy itself is served, so the route works.
    let copy = http(port, "GET", &format!("/archive/{sha}"), None);
    assert_eq!(copy.status, 200, "{}", copy.body);
    let cookie = sign_in(port, "ada", PASSWORD);
    let files = [
        std::fs::read_to_string("/etc/passwd").unwrap_or_default(),
        std::fs::read_to_string(Path::new(common::WORKSPACE).join("Cargo.toml")).unwrap(),
    ];
    let mut targets: Vec<String> = TRAVERSALS.iter().map(|t| t.to_string()).collect();
    targets.push(format!("/archive/{sha}/../../../../etc/passwd"));
    targets.push(format!("/archive/{sha}%2f..%2f..%2fetc%2fpasswd"));
    for target in &targets {
        for who in [None, Some(cookie.as_str())] {
            let r = http_as(port, "GET", target, None, who);
            harmless(target, &r);
            assert!(
                [400, 404, 405].contains(&r.status),
                "{target}: {} {}",
                r.status,
                r.body
            );
            assert!(!r.body.contains("root:x:0:0"), "{target}: {}", r.body);
            for file in &files {
                let line = file.lines().find(|l| l.len() > 12).unwrap_or("[workspace]");
                assert!(!r.body.contains(line), "{target} served a file: {}", r.body);
            }
        }
    }
}

/// The session cookie a response sets, as `name=value`.
fn set_cookie(r: &Answer) -> Option<String> {
    r.header("set-cookie")
        .map(|c| c.split(';').next().unwrap().to_string())
}

fn signed_in_as(port: u16, cookie: &str) -> Option<String> {
    let page = http_as(port, "GET", "/login", None, Some(cookie)).body;
    let at = page.find("Signed in as <strong>")? + "Signed in as <strong>".len();
    Some(page[at..].split('<').next().unwrap().to_string())
}

fn sessions(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let store = Path::new(db);
    prepare(store, dir.path());
    let index = dir.path().join("index");
    let (_server, port) = serve(&["--db", db, "--index", index.to_str().unwrap()], &[]);
    let (token, form_cookie) = common::sign_in_form(port);
    let login = |carried: Option<&str>, name: &str| {
        let cookies = match carried {
            Some(c) => format!("{c}; {form_cookie}"),
            None => form_cookie.clone(),
        };
        let r = http_as(
            port,
            "POST",
            "/login",
            Some(&format!(
                "token={token}&name={name}&password={}",
                enc(PASSWORD)
            )),
            Some(&cookies),
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let cookie = set_cookie(&r).unwrap();
        assert!(
            r.header("set-cookie").unwrap().contains("HttpOnly")
                && r.header("set-cookie").unwrap().contains("SameSite=Strict"),
            "{:?}",
            r.header("set-cookie")
        );
        cookie
    };

    // A made-up session id carried at sign-in is not adopted.
    let planted = "dossier_session=attacker-chosen-session-id-0123456789abcdef";
    let got = login(Some(planted), "ann");
    assert_ne!(got, planted);
    assert_eq!(signed_in_as(port, planted), None);
    assert_eq!(signed_in_as(port, &got).as_deref(), Some("ann"));

    // An attacker's own real session, planted in a victim's browser: the
    // victim's sign-in gets a new session, and the planted one is ended,
    // so the attacker never shares the victim's.
    let attackers = sign_in(port, "ada", PASSWORD);
    assert_eq!(signed_in_as(port, &attackers).as_deref(), Some("ada"));
    let victims = login(Some(&attackers), "ann");
    assert_ne!(victims, attackers);
    assert_eq!(signed_in_as(port, &victims).as_deref(), Some("ann"));
    assert_eq!(signed_in_as(port, &attackers), None);

    // A session id in the address is not a session.
    let value = victims.trim_start_matches("dossier_session=");
    let r = http(
        port,
        "GET",
        &format!("/login?dossier_session={value}"),
        None,
    );
    assert!(!r.body.contains("Signed in as"));

    // Signing out ends the session on the server: the old cookie, replayed,
    // is nobody, and its forms are refused.
    let form = http_as(port, "GET", "/new/organization", None, Some(&victims)).body;
    let csrf = form_field(&form, "csrf");
    let out = http_as(
        port,
        "POST",
        "/logout",
        Some(&format!("csrf={csrf}")),
        Some(&victims),
    );
    assert_eq!(out.status, 303, "{}", out.body);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(signed_in_as(port, &victims), None);
    let replay = http_as(
        port,
        "POST",
        "/new/organization",
        Some(&format!(
            "csrf={csrf}&name=Replayed+Session+Union&source_url=https%3A%2F%2Fexample.org&reason=replay"
        )),
        Some(&victims),
    );
    assert!(
        [401, 403].contains(&replay.status),
        "{} {}",
        replay.status,
        replay.body
    );
    let made = json(port, "/api/v1/search?q=Replayed&kind=organization");
    assert_eq!(made["total"], 0, "{made}");
}

#[test]
fn sessions_cannot_be_fixed_or_replayed_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    sessions(dir.path().join("store.db").to_str().unwrap());
}

#[test]
fn sessions_cannot_be_fixed_or_replayed_on_postgres() {
    let Some(pg) = TestDatabase::create().unwrap() else {
        return;
    };
    sessions(&pg.url);
}
