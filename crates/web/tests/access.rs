//! Who may do what, over HTTP in process: anonymous, a viewer, a viewer
//! who is a member of a private collection, an editor, an admin — reading
//! public and private data, editing, admin actions; forms without their
//! session's token; forged, ended and expired sessions; API tokens.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use dossier_model::{Batch, Entity, Provenance};
use dossier_search::SearchIndex;
use dossier_store::prelude::*;
use dossier_store::{Accounts, Role, SqliteStore};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery";

struct App {
    router: Router,
    allmep: String,
    api_token: String,
}

fn prov(dataset: &str) -> Provenance {
    Provenance {
        dataset: dataset.into(),
        source: String::new(),
        user: "test".into(),
        origin: None,
        now: "2026-01-01T00:00:00".into(),
    }
}

fn app() -> App {
    let mut store = SqliteStore::in_memory().unwrap();
    store
        .apply(&[dossier_demo::batch().unwrap()], &prov("demo"))
        .unwrap();
    let allmep = dossier_views::find(&store, "ALLMEP").unwrap()[0].id.clone();
    // A private collection: a body only it knows, a membership, and an
    // alias of a public body.
    let mut b = Batch::new("doc-notes", "n1");
    let mut d = Entity::new("doc-notes", "Document").unwrap();
    d.add("title", "Research notes").unwrap();
    b.put(d).unwrap();
    let mut o = Entity::new("org-private", "Organization").unwrap();
    o.add("name", "Quiet Partners Trust").unwrap();
    b.put(o).unwrap();
    let mut m = Entity::new("mem-private", "Membership").unwrap();
    m.add("member", "org-private").unwrap();
    m.add("organization", allmep.as_str()).unwrap();
    b.put(m).unwrap();
    let mut a = Entity::new(allmep.clone(), "Organization").unwrap();
    a.add("alias", "Secret Alias").unwrap();
    b.put(a).unwrap();
    store.apply(&[b], &prov("notes")).unwrap();
    for (name, role) in [
        ("vic", Role::Viewer),
        ("val", Role::Viewer),
        ("ed", Role::Editor),
        ("root", Role::Admin),
    ] {
        dossier_auth::add_account(&mut store, name, PASSWORD, role, "2026-01-01T00:00:00").unwrap();
    }
    store.set_collection("notes", true).unwrap();
    store.set_member("notes", "val", Some(false)).unwrap();
    store.set_member("notes", "ed", Some(true)).unwrap();
    // An expired session of the admin's, as if stolen from an old cookie.
    store
        .add_session(
            &dossier_auth::secret_hash("expired-session"),
            "root",
            "csrf-old",
            "2020-01-01T00:00:00",
            "2020-01-01T12:00:00",
        )
        .unwrap();
    let api_token = dossier_auth::new_token(
        &mut store,
        "root",
        "test",
        "2026-01-01T00:00:00",
        "9999-12-31T00:00:00",
    )
    .unwrap();
    let index = SearchIndex::in_memory().unwrap();
    let public = dossier_auth::public_scope(&store).unwrap();
    index.rebuild(&store.reader(&public)).unwrap();
    // A second index of everything, for readers from whom nothing is hidden.
    let state = dossier_web::AppState::new(Box::new(store), index)
        .with_private_index(SearchIndex::in_memory().unwrap());
    state.refresh_index().unwrap();
    App {
        router: dossier_web::router(state),
        allmep,
        api_token,
    }
}

struct Answer {
    status: StatusCode,
    set_cookie: String,
    body: String,
    /// Sent as kept by the page cache, not rendered for this request.
    kept: bool,
}

async fn send(
    app: &App,
    method: &str,
    uri: &str,
    cookie: &str,
    form: Option<&str>,
    bearer: Option<&str>,
) -> Answer {
    send_with(app, method, uri, cookie, form, bearer, None).await
}

/// A request, with a `Cache-Control` header when given one.
async fn send_with(
    app: &App,
    method: &str,
    uri: &str,
    cookie: &str,
    form: Option<&str>,
    bearer: Option<&str>,
    cache_control: Option<&str>,
) -> Answer {
    let mut r = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::COOKIE, cookie);
    if let Some(t) = bearer {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    if let Some(c) = cache_control {
        r = r.header(header::CACHE_CONTROL, c);
    }
    let body = match form {
        Some(f) => {
            r = r.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            Body::from(f.to_string())
        }
        None => Body::empty(),
    };
    let res = app
        .router
        .clone()
        .oneshot(r.body(body).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let kept = res.headers().contains_key("x-dossier-page");
    let set_cookie = res
        .headers()
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(res.into_body(), 10 << 20)
        .await
        .unwrap();
    Answer {
        status,
        kept,
        set_cookie,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &App, uri: &str, cookie: &str) -> Answer {
    send(app, "GET", uri, cookie, None, None).await
}

fn token_in(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {page}"))
        + marker.len();
    page[at..at + 64].to_string()
}

/// Signs in; the cookie, and the session's form token.
/// Signs in from a given address (the lockout counts by address).
async fn sign_in_from(app: &App, name: &str, ip: [u8; 4]) -> (String, String) {
    let page = get(app, "/login", "").await;
    let token = token_in(&page.body, "token");
    let form_cookie = page.set_cookie.split(';').next().unwrap().to_string();
    let request = Request::builder()
        .method("POST")
        .uri("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, form_cookie)
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            ip, 40000,
        ))))
        .body(Body::from(format!(
            "token={token}&name={name}&password=correct+horse+battery"
        )))
        .unwrap();
    let r = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let me = get(app, "/login", &cookie).await;
    (cookie, token_in(&me.body, "csrf"))
}

async fn sign_in(app: &App, name: &str) -> (String, String) {
    let page = get(app, "/login", "").await;
    let token = token_in(&page.body, "token");
    let form_cookie = page.set_cookie.split(';').next().unwrap().to_string();
    let r = send(
        app,
        "POST",
        "/login",
        &form_cookie,
        Some(&format!(
            "token={token}&name={name}&password=correct+horse+battery&next=/"
        )),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{name}: {}", r.body);
    let cookie = r.set_cookie.split(';').next().unwrap().to_string();
    let me = get(app, "/login", &cookie).await;
    (cookie, token_in(&me.body, "csrf"))
}

fn orgs(stats: &str) -> u64 {
    let v: serde_json::Value = serde_json::from_str(stats).unwrap();
    v["entities"]["Organization"].as_u64().unwrap()
}

#[tokio::test]
async fn the_authorization_matrix() {
    let app = app();
    let anon = (String::new(), String::new());
    let vic = sign_in(&app, "vic").await;
    let val = sign_in(&app, "val").await;
    let ed = sign_in(&app, "ed").await;
    let root = sign_in(&app, "root").await;
    let public_orgs = orgs(&get(&app, "/api/v1/stats", "").await.body);
    let profile = format!("/entities/{}", app.allmep);
    let neighbours = format!("/api/v1/entities/{}/neighbours?hops=1", app.allmep);
    // (who, reads private, edits, admin)
    let matrix = [
        ("anonymous", &anon, false, false, false),
        ("viewer", &vic, false, false, false),
        ("member viewer", &val, true, false, false),
        ("editor", &ed, true, true, false),
        ("admin", &root, true, true, true),
    ];
    for (who, (cookie, csrf), private, edit, admin) in matrix {
        // Public data: everyone.
        let page = get(&app, &profile, cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{who}");
        // Private data: in pages, the API, counts and search to those who
        // may see it (here, every private collection there is); never in
        // the shared graph.
        assert_eq!(page.body.contains("Secret Alias"), private, "{who} profile");
        assert_eq!(
            page.body.contains("Quiet Partners Trust"),
            private,
            "{who} members"
        );
        let expected = if private {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(
            get(&app, "/entities/org-private", cookie).await.status,
            expected,
            "{who}"
        );
        assert_eq!(
            get(&app, "/entities/org-private.json", cookie).await.status,
            expected,
            "{who}"
        );
        assert_eq!(
            get(&app, "/api/v1/entities/org-private", cookie)
                .await
                .status,
            expected,
            "{who}"
        );
        assert_eq!(
            get(&app, "/entities/doc-notes", cookie).await.status,
            expected,
            "{who}"
        );
        let stats = get(&app, "/api/v1/stats", cookie).await.body;
        assert_eq!(
            orgs(&stats),
            public_orgs + u64::from(private),
            "{who} counts"
        );
        for q in ["Quiet+Partners", "Secret+Alias"] {
            let hits = get(&app, &format!("/api/v1/search?q={q}"), cookie)
                .await
                .body;
            let found = if q == "Quiet+Partners" {
                hits.contains("org-private")
            } else {
                hits.contains(&format!("\"{}\"", app.allmep))
            };
            assert_eq!(found, private, "{who} search {q}: {hits}");
        }
        assert!(
            !get(&app, &neighbours, cookie)
                .await
                .body
                .contains("org-private"),
            "{who} graph"
        );
        // Editing: a review decision, with the session's token.
        let list: serde_json::Value =
            serde_json::from_str(&get(&app, "/review.json?threshold=0.6", cookie).await.body)
                .unwrap();
        let review = list["pairs"][0]["review"].as_str().unwrap().to_string();
        let decided = send(
            &app,
            "POST",
            &review,
            cookie,
            Some(&format!("verdict=unsure&token={csrf}")),
            None,
        )
        .await;
        if edit {
            assert_eq!(
                decided.status,
                StatusCode::SEE_OTHER,
                "{who}: {}",
                decided.body
            );
            // Taken back, for the next row of the matrix.
            let undone = send(
                &app,
                "POST",
                &review,
                cookie,
                Some(&format!("verdict=none&token={csrf}")),
                None,
            )
            .await;
            assert_eq!(undone.status, StatusCode::SEE_OTHER, "{who}");
        } else {
            assert_eq!(decided.status, StatusCode::FORBIDDEN, "{who}");
        }
        // Admin actions.
        let status = if admin {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(get(&app, "/admin", cookie).await.status, status, "{who}");
        assert_eq!(
            get(&app, "/admin.json", cookie).await.status,
            status,
            "{who}"
        );
        let changed = send(
            &app,
            "POST",
            "/admin/collections",
            cookie,
            Some(&format!("csrf={csrf}&name=demo&private=false")),
            None,
        )
        .await;
        let status = if admin {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(changed.status, status, "{who}");
    }

    // Pages kept for visitors who are not signed in are only ever theirs:
    // the admin's page, with private data, reaches no one else.
    for _ in 0..2 {
        assert!(get(&app, &profile, &root.0)
            .await
            .body
            .contains("Secret Alias"));
        let page = get(&app, &profile, "").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Secret Alias"), "kept for visitors");
    }

    // CSRF: no token, another session's token, the sign-in token.
    let list: serde_json::Value =
        serde_json::from_str(&get(&app, "/review.json?threshold=0.6", &ed.0).await.body).unwrap();
    let review = list["pairs"][0]["review"].as_str().unwrap().to_string();
    let login_token = token_in(&get(&app, "/login", "").await.body, "token");
    for form in [
        "verdict=unsure".to_string(),
        format!("verdict=unsure&token={}", root.1),
        format!("verdict=unsure&token={login_token}"),
    ] {
        let r = send(&app, "POST", &review, &ed.0, Some(&form), None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{form}");
    }
    let r = send(
        &app,
        "POST",
        "/admin/collections",
        &root.0,
        Some("name=notes&private=false"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(
        &app,
        "POST",
        "/login",
        "",
        Some("name=ed&password=correct+horse+battery"),
        None,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a sign-in without the form's token"
    );

    // Sessions: forged, expired and ended ones are nobody's.
    for cookie in [
        "dossier_session=forged".to_string(),
        "dossier_session=expired-session".to_string(),
    ] {
        let r = get(&app, "/entities/org-private", &cookie).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{cookie}");
        assert_eq!(
            get(&app, "/admin", &cookie).await.status,
            StatusCode::FORBIDDEN,
            "{cookie}"
        );
    }
    let out = sign_out(&app, &val).await;
    assert!(out.set_cookie.contains("Max-Age=0"));
    assert_eq!(
        get(&app, "/entities/org-private", &val.0).await.status,
        StatusCode::NOT_FOUND,
        "ended"
    );

    // API tokens: the admin's reads private data; a wrong one is refused.
    let r = send(
        &app,
        "GET",
        "/api/v1/entities/org-private",
        "",
        None,
        Some(&app.api_token),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(&app, "GET", "/api/v1/stats", "", None, Some("not-a-token")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // An admin makes the collection public: everyone reads it.
    let r = send(
        &app,
        "POST",
        "/admin/collections",
        &root.0,
        Some(&format!("csrf={}&name=notes&private=false", root.1)),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        get(&app, "/entities/org-private", "").await.status,
        StatusCode::OK
    );
}

/// Pages made for signed-in readers are kept too, one per set of
/// collections hidden from the reader and account (the header names who
/// is signed in): never shown to a reader who may see less or to another
/// account, never with another session's form token, made anew when
/// asked with `Cache-Control: no-cache` or when who may read what changes.
#[tokio::test]
async fn signed_in_pages_are_kept_per_scope() {
    let app = app();
    let vic = sign_in(&app, "vic").await;
    let val = sign_in(&app, "val").await;
    let ed = sign_in(&app, "ed").await;
    let root = sign_in(&app, "root").await;
    let profile = format!("/entities/{}", app.allmep);
    // The member renders it once, then has it kept.
    let first = get(&app, &profile, &val.0).await;
    assert!(!first.kept && first.body.contains("Secret Alias"));
    let again = get(&app, &profile, &val.0).await;
    assert!(again.kept, "a member's second visit is kept");
    assert_eq!(again.body, first.body);
    assert!(first
        .body
        .contains("Signed in as <a href=\"/login\"><strong>val</strong>"));
    // Another who may see the same gets a page of their own, that names
    // them and offers an editor ways to edit, and then has it kept.
    let theirs = get(&app, &profile, &ed.0).await;
    assert!(!theirs.kept && theirs.body.contains("Secret Alias"));
    assert!(
        theirs.body.contains("<strong>ed</strong>")
            && !theirs.body.contains("<strong>val</strong>")
    );
    assert!(theirs.body.contains("/edit\"") && !first.body.contains("/edit\""));
    assert!(get(&app, &profile, &ed.0).await.kept);
    let second_session = sign_in(&app, "val").await;
    let shared = get(&app, &profile, &second_session.0).await;
    assert!(
        shared.kept && shared.body == first.body,
        "one account's sessions share its pages"
    );
    // A reader who may see less gets a page of their own, kept apart.
    let other = get(&app, &profile, &vic.0).await;
    assert!(!other.kept && !other.body.contains("Secret Alias"));
    assert!(get(&app, &profile, &vic.0).await.kept);
    // And so does a visitor who is not signed in.
    let visitor = get(&app, &profile, "").await;
    assert!(!visitor.kept && !visitor.body.contains("Secret Alias"));
    // The API and search are kept per scope as well.
    let hits = "/api/v1/search?q=Secret+Alias";
    assert!(!get(&app, hits, &val.0).await.kept);
    let kept = get(&app, hits, &val.0).await;
    assert!(kept.kept && kept.body.contains(&app.allmep));
    let theirs = get(&app, hits, &vic.0).await;
    assert!(!theirs.body.contains(&app.allmep), "{}", theirs.body);
    // Pages that carry the session's form token are never kept.
    let form = format!("/entities/{}/edit", app.allmep);
    for _ in 0..2 {
        let page = get(&app, &form, &ed.0).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.kept, "a form is made for its session");
        assert!(page.body.contains(&ed.1));
    }
    let root_form = get(&app, &form, &root.0).await;
    assert!(!root_form.kept && root_form.body.contains(&root.1) && !root_form.body.contains(&ed.1));
    // A hard reload renders it again.
    let fresh = send_no_cache(&app, &profile, &val.0).await;
    assert!(!fresh.kept && fresh.body == first.body);
    // The admin makes the collection public: every reader's page is made
    // again, and the viewer now sees what the member saw.
    set_private(&app, &root, false).await;
    let now = get(&app, &profile, &vic.0).await;
    assert!(!now.kept && now.body.contains("Secret Alias"));
    // Made private again; the member reads it, signs out, and at once
    // reads as nobody, though the member was just worked out.
    set_private(&app, &root, true).await;
    assert!(get(&app, &profile, &val.0)
        .await
        .body
        .contains("Secret Alias"));
    assert!(get(&app, &profile, &val.0).await.kept);
    sign_out(&app, &val).await;
    let gone = get(&app, &profile, &val.0).await;
    assert!(!gone.body.contains("Secret Alias"), "signed out");
    assert_eq!(
        get(&app, "/api/v1/entities/org-private", &val.0)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// A visitor who is not signed in is worked out once a version (not from
/// the store on every request): what the admin opens or closes must
/// still reach the very next request, rendered or kept.
#[tokio::test]
async fn a_visitor_reads_what_is_public_now() {
    let app = app();
    let root = sign_in(&app, "root").await;
    let profile = format!("/entities/{}", app.allmep);
    for _ in 0..2 {
        let page = send_no_cache(&app, &profile, "").await;
        assert!(!page.body.contains("Secret Alias"), "private to a visitor");
    }
    set_private(&app, &root, false).await;
    assert!(send_no_cache(&app, &profile, "")
        .await
        .body
        .contains("Secret Alias"));
    assert!(get(&app, &profile, "").await.body.contains("Secret Alias"));
    set_private(&app, &root, true).await;
    for _ in 0..2 {
        let page = send_no_cache(&app, &profile, "").await;
        assert!(!page.body.contains("Secret Alias"), "private again");
        assert!(!get(&app, &profile, "").await.body.contains("Secret Alias"));
    }
    assert_eq!(
        get(&app, "/api/v1/entities/org-private", "").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn send_no_cache(app: &App, uri: &str, cookie: &str) -> Answer {
    send_with(app, "GET", uri, cookie, None, None, Some("no-cache")).await
}

/// Signs the session out with its form token; the answer.
async fn sign_out(app: &App, (cookie, csrf): &(String, String)) -> Answer {
    let form = format!("csrf={csrf}");
    let out = send(app, "POST", "/logout", cookie, Some(&form), None).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    out
}

/// The admin `root` makes the collection `notes` private or public.
async fn set_private(app: &App, root: &(String, String), private: bool) {
    let form = format!("csrf={}&name=notes&private={private}", root.1);
    let r = send(
        app,
        "POST",
        "/admin/collections",
        &root.0,
        Some(&form),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn sign_in_is_rate_limited() {
    let app = app();
    let page = get(&app, "/login", "").await;
    let token = token_in(&page.body, "token");
    let form_cookie = page.set_cookie.split(';').next().unwrap().to_string();
    let attempt = |password: &'static str| {
        let form = format!("token={token}&name=ed&password={password}");
        let app = &app;
        let form_cookie = form_cookie.clone();
        async move {
            send(app, "POST", "/login", &form_cookie, Some(&form), None)
                .await
                .status
        }
    };
    for _ in 0..dossier_web::auth::MAX_FAILURES {
        assert_eq!(attempt("wrong").await, StatusCode::UNAUTHORIZED);
    }
    // Locked now, even with the right password.
    assert_eq!(
        attempt("correct+horse+battery").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another account is not locked by it.
    let form = format!("token={token}&name=vic&password=correct+horse+battery");
    assert_eq!(
        send(&app, "POST", "/login", &form_cookie, Some(&form), None)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // The form's token is this browser's: without its cookie, or with
    // another browser's, it is refused (it was one value for everyone).
    let other = get(&app, "/login", "").await;
    let other_cookie = other.set_cookie.split(';').next().unwrap().to_string();
    assert_ne!(other_cookie, form_cookie);
    for cookie in ["", other_cookie.as_str()] {
        assert_eq!(
            send(&app, "POST", "/login", cookie, Some(&form), None)
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{cookie:?}"
        );
    }
}

/// Five wrong passwords from one address lock that address out of that
/// account, not the account's owner elsewhere (anyone could lock any
/// account, an admin's included); an address guessing at many accounts
/// meets its own bound.
#[tokio::test]
async fn a_lockout_holds_for_the_address_that_earned_it() {
    let app = app();
    let page = get(&app, "/login", "").await;
    let token = token_in(&page.body, "token");
    let form_cookie = page.set_cookie.split(';').next().unwrap().to_string();
    let from = |ip: [u8; 4], name: &str, password: &str| {
        let body = format!("token={token}&name={name}&password={password}");
        let router = app.router.clone();
        let form_cookie = form_cookie.clone();
        async move {
            let addr = std::net::SocketAddr::from((ip, 40000));
            let request = Request::builder()
                .method("POST")
                .uri("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, form_cookie)
                .extension(axum::extract::ConnectInfo(addr))
                .body(Body::from(body))
                .unwrap();
            router.oneshot(request).await.unwrap().status()
        }
    };
    let attacker = [203, 0, 113, 9];
    let owner = [198, 51, 100, 7];
    for _ in 0..dossier_web::auth::MAX_FAILURES {
        assert_eq!(
            from(attacker, "ed", "wrong").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        from(attacker, "ed", "correct+horse+battery").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        from(owner, "ed", "correct+horse+battery").await,
        StatusCode::SEE_OTHER,
        "the owner, elsewhere, is not locked out"
    );
    // Guessing across accounts from one address meets the address's bound.
    let sprayer = [203, 0, 113, 10];
    let mut refused = false;
    for i in 0..dossier_web::auth::MAX_FAILURES_PER_ADDRESS + 1 {
        let name = format!("nobody{i}");
        if from(sprayer, &name, "wrong").await == StatusCode::TOO_MANY_REQUESTS {
            refused = true;
        }
    }
    assert!(refused, "an address trying many accounts is stopped");
}

/// An admin lifts a lockout at once, for the account from every address;
/// nobody else may.
#[tokio::test]
async fn an_admin_unlocks_a_locked_out_account() {
    let app = app();
    let page = get(&app, "/login", "").await;
    let token = token_in(&page.body, "token");
    let form_cookie = page.set_cookie.split(';').next().unwrap().to_string();
    let attempt = |password: &'static str| {
        let (app, token, form_cookie) = (&app, token.clone(), form_cookie.clone());
        async move {
            let body = format!("token={token}&name=ed&password={password}");
            send(app, "POST", "/login", &form_cookie, Some(&body), None).await
        }
    };
    for _ in 0..dossier_web::auth::MAX_FAILURES {
        assert_eq!(attempt("wrong").await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        attempt("correct+horse+battery").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // An editor may not unlock, even themselves from elsewhere.
    let (ed_cookie, ed_csrf) = {
        let owner = sign_in_from(&app, "ed", [198, 51, 100, 7]).await;
        (owner.0, owner.1)
    };
    let r = send(
        &app,
        "POST",
        "/admin/unlock",
        &ed_cookie,
        Some(&format!("csrf={ed_csrf}&name=ed")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (root, csrf) = sign_in(&app, "root").await;
    let admin = get(&app, "/admin", &root).await;
    assert!(
        admin.body.contains("action=\"/admin/unlock\""),
        "{}",
        admin.body
    );
    let r = send(&app, "POST", "/admin/unlock", &root, Some("name=ed"), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a form without its token");
    let r = send(
        &app,
        "POST",
        "/admin/unlock",
        &root,
        Some(&format!("csrf={csrf}&name=ed")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("lifted"), "{}", r.body);
    assert_eq!(
        attempt("correct+horse+battery").await.status,
        StatusCode::SEE_OTHER,
        "unlocked at once"
    );
}

/// An admin sets roles and disables accounts from the admin page (never
/// their own), and the audit log says who signed in, who changed whose
/// role, who disabled whom, which collection was made private, and who
/// unlocked whom; editors see none of it.
#[tokio::test]
async fn the_admin_page_changes_accounts_and_keeps_an_audit_log() {
    let app = app();
    let ed = sign_in(&app, "ed").await;
    assert_eq!(
        get(&app, "/admin", &ed.0).await.status,
        StatusCode::FORBIDDEN
    );
    let root = sign_in(&app, "root").await;
    let change = |name: &str, action: &str, role: &str| {
        format!("csrf={}&name={name}&action={action}&role={role}", root.1)
    };
    // vic becomes an editor; val is disabled and cannot sign in.
    let r = send(
        &app,
        "POST",
        "/admin/accounts",
        &root.0,
        Some(&change("vic", "role", "editor")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = send(
        &app,
        "POST",
        "/admin/accounts",
        &root.0,
        Some(&change("val", "disable", "")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Not their own account, not without the form's token, not a made-up role.
    let r = send(
        &app,
        "POST",
        "/admin/accounts",
        &root.0,
        Some(&change("root", "role", "viewer")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = send(
        &app,
        "POST",
        "/admin/accounts",
        &root.0,
        Some("name=vic&action=role&role=admin"),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(
        &app,
        "POST",
        "/admin/accounts",
        &root.0,
        Some(&change("vic", "role", "king")),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = send(
        &app,
        "POST",
        "/admin/accounts",
        &ed.0,
        Some(&format!("csrf={}&name=vic&action=role&role=admin", ed.1)),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    set_private(&app, &root, true).await;
    let r = send(
        &app,
        "POST",
        "/admin/unlock",
        &root.0,
        Some(&format!("csrf={}&name=ed", root.1)),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let page = get(&app, "/admin", &root.0).await.body;
    assert!(
        page.contains("<td data-label=\"Account\">val <span class=\"tag\">disabled</span></td>"),
        "{page}"
    );
    assert!(page.contains("your own account: changed on the command line"));
    let v: serde_json::Value =
        serde_json::from_str(&get(&app, "/admin.json", &root.0).await.body).unwrap();
    let log: Vec<(String, String, String, String)> = v["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("actor"), s("action"), s("target"), s("detail"))
        })
        .collect();
    let has = |actor: &str, action: &str, target: &str, detail: &str| {
        log.iter()
            .any(|e| e.0 == actor && e.1 == action && e.2 == target && e.3.contains(detail))
    };
    assert!(has("ed", "sign-in", "ed", ""), "{log:?}");
    assert!(has("root", "sign-in", "root", ""));
    assert!(has("root", "role", "vic", "editor"));
    assert!(has("root", "disabled", "val", ""));
    assert!(has("root", "collection", "notes", "private"));
    assert!(has("root", "unlock", "ed", "locks lifted"));
    assert!(
        !has("root", "role", "vic", "king"),
        "refused changes are not logged as done"
    );
    // Newest first.
    assert_eq!(log[0].1, "unlock");
}
