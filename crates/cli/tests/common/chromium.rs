//! Debian's headless Chromium, driven through chromedriver (WebDriver), for
//! the browser tests: a session, screenshots under `target/e2e/`, and what
//! the page's Content-Security-Policy refused.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};

use super::{free_port, wait_for_port, Guard};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn screenshots() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/e2e"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Waits (up to ten seconds) until the page's heading reads `expected`:
/// a click starts a navigation that WebDriver does not wait for.
pub async fn wait_for_heading(client: &fantoccini::Client, expected: &str) {
    let start = Instant::now();
    loop {
        if let Ok(h1) = client.find(Locator::Css("h1")).await {
            if h1.text().await.is_ok_and(|t| t == expected) {
                return;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the page never showed {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The Content-Security-Policy violations the page now shown has met:
/// Chromium keeps each as a report, which a `ReportingObserver` made
/// later still receives (`buffered`). WebDriver's script runs outside the
/// page's policy.
pub async fn csp_violations(client: &fantoccini::Client) -> Vec<String> {
    let found = client
        .execute(
            "const o = new ReportingObserver(() => {}, \
               {types: ['csp-violation'], buffered: true}); \
             o.observe(); \
             const r = o.takeRecords(); o.disconnect(); \
             return r.map(x => x.body.effectiveDirective + ' ' + \
               (x.body.blockedURL || '') + ' ' + (x.body.sample || ''));",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// Fails when the page shown has met any Content-Security-Policy violation.
pub async fn assert_no_csp_violation(client: &fantoccini::Client, page: &str) {
    let v = csp_violations(client).await;
    assert!(
        v.is_empty(),
        "{page}: the page breaks its own policy: {v:?}"
    );
}

/// chromedriver and a headless Chromium session of this window size, with
/// its profile in `dir`. The guard stops chromedriver (and its browser).
pub async fn session(dir: &Path, width: u32, height: u32) -> (Guard, fantoccini::Client) {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            Path::new(tool).exists(),
            "{tool} is missing: scripts/test installs Debian's chromium and chromium-driver"
        );
    }
    let driver_port = free_port();
    let driver = Guard(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(driver_port);
    let profile_dir = dir.join(format!("chromium-profile-{width}"));
    let mut caps = serde_json::Map::new();
    let mut options = serde_json::json!({
        "binary": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--hide-scrollbars", format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile_dir.display()),
        ],
    });
    // A window is at least 500 px wide: a phone's width is emulated.
    if width < 500 {
        options["mobileEmulation"] = serde_json::json!({
            "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1.0, "touch": true },
        });
    }
    caps.insert("goog:chromeOptions".into(), options);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("chromedriver starts a Chromium session");
    (driver, client)
}
