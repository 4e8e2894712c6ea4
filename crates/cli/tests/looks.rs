//! The pages as a reader sees them, in Debian's headless Chromium at a
//! desktop's width (1280 px) and a phone's (390 px): a screenshot of every
//! kind of page under `target/e2e/looks/`, layout facts checked (nothing
//! scrolls sideways on a phone, a profile's summary box is in the first
//! screen, each distinct claim is shown once), and axe-core (vendored from
//! the npm registry by `scripts/vendor`, run inside the same Chromium)
//! finds no serious or critical accessibility violation. Then a reader
//! signs in from the header and sees who is signed in and the ways to edit.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::chromium::{assert_no_csp_violation, screenshots, session};
use common::{http, with_input};
use fantoccini::Locator;

/// axe-core as `scripts/vendor` installed it.
fn axe_source() -> String {
    let path = format!(
        "{}/crates/web/vendor/node_modules/axe-core/axe.min.js",
        common::WORKSPACE
    );
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}; run scripts/vendor (scripts/test does)"))
}

/// The serious and critical accessibility violations axe-core finds on
/// the page shown: rule, help and the first elements it names.
async fn axe(client: &fantoccini::Client, source: &str) -> Vec<String> {
    client.execute(source, vec![]).await.unwrap();
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, { resultTypes: ['violations'] }).then(r => done( \
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical') \
                 .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' @ ' + \
                   v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))) \
             .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// The text of the first element the selector finds, if the page (which
/// may be changing) has one.
async fn text_of(client: &fantoccini::Client, css: &str) -> String {
    match client.find(Locator::Css(css)).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// A number the page works out.
async fn number(client: &fantoccini::Client, script: &str) -> f64 {
    client
        .execute(script, vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

/// The id of the first search hit of this kind.
fn first(port: u16, query: &str) -> String {
    let r = http(port, "GET", &format!("/search.json?{query}"), None);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    v["hits"][0]["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_page_reads_well_on_a_desktop_and_a_phone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let made = with_input(
        &db,
        &["user", "add", "ed", "--role", "editor"],
        "a long enough password\n",
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let (_server, port) = common::serve(&["--db", db.to_str().unwrap()], &[]);
    let base = format!("http://127.0.0.1:{port}");
    let allmep = first(port, "q=allmep");
    let member = first(port, "q=Jahalin+Solidarity");
    let person = first(port, "q=Hila+Cohen&kind=person");
    let claim = first(port, "q=apartheid&kind=claim");
    let source = first(port, "kind=source");
    let pages: Vec<(&str, String)> = vec![
        ("home", "/".into()),
        ("profile", format!("/entities/{allmep}")),
        ("member", format!("/entities/{member}")),
        ("person", format!("/entities/{person}")),
        ("claim", format!("/entities/{claim}")),
        ("source", format!("/entities/{source}")),
        ("search", "/search?q=allmep".into()),
        ("no-results", "/search?q=zzqxv".into()),
        ("browse", "/browse".into()),
        ("browse-letter", "/browse?letter=P".into()),
        ("changes", "/changes".into()),
        ("network", format!("/networks/{allmep}")),
        ("path", "/path?from=pcff&to=sikkuy".into()),
        ("interlocks", format!("/networks/{allmep}/interlocks")),
        ("connections", format!("/entities/{member}/connections")),
        ("history", format!("/entities/{allmep}/history")),
        ("sign-in", "/login".into()),
    ];
    let axe_js = axe_source();
    let shots = screenshots().join("looks");
    std::fs::create_dir_all(&shots).unwrap();
    let mut problems: Vec<String> = Vec::new();
    for (width, height, device) in [(1280u32, 900u32, "desktop"), (390, 844, "phone")] {
        let (_driver, client) = session(dir.path(), width, height).await;
        client.goto(&format!("{base}/")).await.unwrap();
        let shown = number(&client, "return window.innerWidth;").await;
        assert_eq!(
            shown,
            f64::from(width),
            "{device}: the page is {shown} px wide"
        );
        for (name, path) in &pages {
            client.goto(&format!("{base}{path}")).await.unwrap();
            // The network view draws after its data arrives.
            if *name == "network" {
                let start = std::time::Instant::now();
                while number(
                    &client,
                    "return document.querySelectorAll('#network-view canvas').length;",
                )
                .await
                    < 1.0
                {
                    assert!(
                        start.elapsed() < std::time::Duration::from_secs(10),
                        "the interactive network view never drew"
                    );
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
            assert_no_csp_violation(&client, name).await;
            std::fs::write(
                shots.join(format!("{name}-{device}.png")),
                client.screenshot().await.unwrap(),
            )
            .unwrap();
            let overflow = number(
                &client,
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            )
            .await;
            if overflow > 0.0 {
                problems.push(format!(
                    "{device} {name}: scrolls sideways by {overflow} px"
                ));
            }
            for v in axe(&client, &axe_js).await {
                problems.push(format!("{device} {name}: {v}"));
            }
        }
        // The profile: who it is in the first screen, each claim once.
        client
            .goto(&format!("{base}/entities/{allmep}"))
            .await
            .unwrap();
        let top = number(
            &client,
            "return document.querySelector('.summary-box').getBoundingClientRect().top;",
        )
        .await;
        let screen = number(&client, "return window.innerHeight;").await;
        assert!(
            top < screen * 0.6,
            "{device}: the summary box starts at {top} px of {screen}"
        );
        let claims: Vec<String> = serde_json::from_value(
            client
                .execute(
                    "return Array.from(document.querySelectorAll('article.claim > p.text')).map(p => p.textContent.trim().toLowerCase());",
                    vec![],
                )
                .await
                .unwrap(),
        )
        .unwrap();
        let mut distinct = claims.clone();
        distinct.sort();
        distinct.dedup();
        assert!(
            claims.len() >= 10,
            "{device}: {} claims shown",
            claims.len()
        );
        assert_eq!(
            distinct.len(),
            claims.len(),
            "{device}: a claim is shown twice"
        );
        // The check finds what it looks for: a button without a name and
        // an image without a text, put into the page, are reported.
        client
            .execute(
                "document.querySelector('main').insertAdjacentHTML('beforeend', \
                 '<button type=\"button\"></button><img src=\"/static/none.png\">');",
                vec![],
            )
            .await
            .unwrap();
        let found = axe(&client, &axe_js).await;
        assert!(found.iter().any(|v| v.contains("button-name")), "{found:?}");
        assert!(found.iter().any(|v| v.contains("image-alt")), "{found:?}");
        client.close().await.unwrap();
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_signs_in_from_the_header_and_sees_who_is_signed_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let made = with_input(
        &db,
        &["user", "add", "ed", "--role", "editor"],
        "a long enough password\n",
    );
    assert!(made.status.success());
    let (_server, port) = common::serve(&["--db", db.to_str().unwrap()], &[]);
    let base = format!("http://127.0.0.1:{port}");
    let allmep = first(port, "q=allmep");
    let (_driver, client) = session(dir.path(), 390, 844).await;
    client
        .goto(&format!("{base}/entities/{allmep}"))
        .await
        .unwrap();
    // A visitor: a way to sign in, none to edit.
    assert!(client.find(Locator::LinkText("Edit")).await.is_err());
    client
        .find(Locator::LinkText("Sign in"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys("ed")
        .await
        .unwrap();
    client
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("a long enough password")
        .await
        .unwrap();
    client
        .find(Locator::Css("form.login button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        let header = text_of(&client, "nav.site").await;
        if header.contains("Signed in as ed") {
            assert!(header.contains("Sign out"), "{header}");
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{header}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    client
        .goto(&format!("{base}/entities/{allmep}"))
        .await
        .unwrap();
    client
        .find(Locator::LinkText("Edit"))
        .await
        .expect("an editor may edit");
    std::fs::write(
        screenshots().join("signed-in-phone.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    // Signing out from the header.
    client
        .find(Locator::LinkText("Sign out"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .find(Locator::Css("#sign-out button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        let header = text_of(&client, "nav.site").await;
        if header.contains("Sign in") && !header.contains("Signed in") {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "{header}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    client.close().await.unwrap();
}

/// The newcomer's way, on a phone: types `allmep` in the header, picks
/// the organization from the suggestions with the keyboard, reads who it
/// is in the first screen, sees its members with their sources, opens its
/// network, and finds the downloads.
#[tokio::test(flavor = "multi_thread")]
async fn a_newcomer_finds_allmep_by_keyboard_on_a_phone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let (_server, port) = common::serve(&["--db", db.to_str().unwrap()], &[]);
    let base = format!("http://127.0.0.1:{port}");
    let (_driver, client) = session(dir.path(), 390, 844).await;
    client.goto(&format!("{base}/")).await.unwrap();
    let input = client.find(Locator::Id("site-q")).await.unwrap();
    input.send_keys("allmep").await.unwrap();
    let start = std::time::Instant::now();
    while client
        .find(Locator::Css("#site-q-suggest [role=option]"))
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "no suggestions"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let first = text_of(&client, "#site-q-suggest [role=option]").await;
    assert!(
        first.starts_with("Alliance for Middle East Peace"),
        "{first}"
    );
    // Down to the first suggestion, Enter: its page.
    input.send_keys("\u{E015}").await.unwrap();
    let selected = client
        .execute(
            "return document.getElementById('site-q').getAttribute('aria-activedescendant');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(selected, "site-q-suggest-0");
    input.send_keys("\u{E007}").await.unwrap();
    let start = std::time::Instant::now();
    while text_of(&client, "h1").await != "Alliance for Middle East Peace (ALLMEP)" {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "Enter did not open the profile"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Who it is, in the first screen.
    let bottom = number(
        &client,
        "return document.querySelector('.summary-box dl').getBoundingClientRect().bottom;",
    )
    .await;
    let screen = number(&client, "return window.innerHeight;").await;
    assert!(
        bottom <= screen,
        "the summary's facts end at {bottom} px of {screen}"
    );
    let summary = text_of(&client, ".summary-box").await;
    assert!(
        summary.contains("United States") && summary.contains("12 recorded"),
        "{summary}"
    );
    // Its members, each with a source.
    let rows = number(
        &client,
        "return document.querySelectorAll('#members tbody tr').length;",
    )
    .await;
    let sourced = number(
        &client,
        "return document.querySelectorAll('#members tbody td[data-label=Source] a').length;",
    )
    .await;
    assert_eq!((rows, sourced), (12.0, 12.0));
    // The downloads are there and answer.
    for link in ["CSV", "FtM", "GEXF"] {
        let a = client.find(Locator::LinkText(link)).await.unwrap();
        let href = a.attr("href").await.unwrap().unwrap();
        assert_eq!(common::http(port, "GET", &href, None).status, 200, "{href}");
    }
    // Its network, interactive.
    client
        .find(Locator::LinkText("Network"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let start = std::time::Instant::now();
    while number(
        &client,
        "return document.querySelectorAll('#network-view canvas').length;",
    )
    .await
        < 1.0
    {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the network view never drew"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    std::fs::write(
        screenshots().join("network-phone.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
    client.close().await.unwrap();
}
