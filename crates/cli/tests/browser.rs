//! End to end in a real browser: `dossier serve` on a free loopback port,
//! Debian's headless Chromium driven through chromedriver (WebDriver). Opens
//! the ALLMEP profile, checks what a reader sees, follows a member link,
//! runs a search, looks at the network drawing, and saves screenshots under
//! `target/e2e/`.

// A test that cannot unwrap should fail, loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

mod common;

use common::chromium::{
    assert_no_csp_violation, csp_violations, screenshots, session, wait_for_heading,
};

use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread")]
async fn a_reader_browses_the_allmep_profile_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let (server, port) = common::serve(&["--db", db.to_str().unwrap()], &[]);
    let base = format!("http://127.0.0.1:{port}");
    let (_driver, client) = session(dir.path(), 1280, 2000).await;
    let shots = screenshots();

    // The home page lists the network; its link opens the profile.
    client.goto(&format!("{base}/")).await.unwrap();
    client
        .find(Locator::LinkText("Alliance for Middle East Peace"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_heading(&client, "Alliance for Middle East Peace (ALLMEP)").await;
    assert_no_csp_violation(&client, "Alliance for Middle East Peace (ALLMEP)").await;
    let page = client
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for member in [
        "Churches for Middle East Peace (CMEP)",
        "Combatants for Peace",
        "Holy Land Trust",
        "Parents Circle Families Forum (PCFF)",
        "Physicians for Human Rights - Israel (PHR-I)",
        "OneVoice International",
        "Rabbis for Human Rights (RHR)",
        "Sadaka Reut",
        "Sikkuy",
        "Israel Social TV",
        "Standing Together",
        "Jahalin Solidarity",
    ] {
        assert!(page.contains(member), "the page shows {member}");
    }
    for quotation in [
        "only the ICC can save Palestine",
        "eliminating the fascist regime in Israel",
        "a network of organizations",
    ] {
        assert!(
            page.contains(quotation),
            "the page shows the quotation {quotation:?}"
        );
    }
    for date in [
        "2014",
        "2021-05",
        "2018-04",
        "2020-11-25",
        "2020-05-28",
        "2018-10-02",
    ] {
        assert!(page.contains(date), "the page shows the date {date}");
    }
    assert!(
        page.to_uppercase().contains("ASSESSMENT BY"),
        "assessments are marked as someone's"
    );
    std::fs::write(
        shots.join("profile.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    // Follow a member link.
    client
        .find(Locator::LinkText("Jahalin Solidarity"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_heading(&client, "Jahalin Solidarity").await;
    assert_no_csp_violation(&client, "Jahalin Solidarity").await;
    let page = client
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("full-throated apartheid"));
    assert!(page.contains("Mentioned in") || page.contains("Member of"));
    std::fs::write(shots.join("member.png"), client.screenshot().await.unwrap()).unwrap();

    // Search from the header box.
    let input = client.find(Locator::Id("site-q")).await.unwrap();
    input.send_keys("PHR-I").await.unwrap();
    // The page's script runs under its Content-Security-Policy and may ask
    // the API: suggestions appear as one types.
    let start = std::time::Instant::now();
    while client.find(Locator::Css("ul.suggest li a")).await.is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no suggestions: the script did not run, or could not ask the API"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    client
        .find(Locator::Css("form.search button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_heading(&client, "Results for \u{201C}PHR-I\u{201D}").await;
    assert_no_csp_violation(&client, "Results for \u{201C}PHR-I\u{201D}").await;
    let first = client
        .find(Locator::Css("ol.results li a.title"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(first, "Physicians for Human Rights - Israel");
    assert!(client
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("/search?q=PHR-I"));
    std::fs::write(shots.join("search.png"), client.screenshot().await.unwrap()).unwrap();

    // The network drawing: a node per member, each a link.
    client
        .goto(&format!("{base}/search?q=ALLMEP"))
        .await
        .unwrap();
    client
        .find(Locator::Css("ol.results li a.title"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_heading(&client, "Alliance for Middle East Peace (ALLMEP)").await;
    assert_no_csp_violation(&client, "Alliance for Middle East Peace (ALLMEP)").await;
    client
        .find(Locator::LinkText("Network"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_heading(&client, "Network of Alliance for Middle East Peace").await;
    assert_no_csp_violation(&client, "Network of Alliance for Middle East Peace").await;
    let nodes = client.find_all(Locator::Css("svg g.node")).await.unwrap();
    assert_eq!(nodes.len(), 13);
    std::fs::write(
        shots.join("network.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    assert_no_csp_violation(&client, "the network page").await;
    // The check sees a violation when there is one: an inline script put
    // into the page is refused by the policy, and reported.
    client
        .execute(
            "const s = document.createElement('script'); \
             s.textContent = 'document.title = 1'; document.body.appendChild(s);",
            vec![],
        )
        .await
        .unwrap();
    let start = Instant::now();
    while csp_violations(&client).await.is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "an inline script was run or went unreported"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let title = client.title().await.unwrap();
    assert_ne!(title, "1", "the policy let an inline script run");

    client.close().await.unwrap();
    drop(server);
}
