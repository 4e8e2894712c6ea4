//! A search's kept page is checked again after a change rather than
//! dropped: its results are worked out anew and, when the index answers
//! as it did, the kept page is sent. Each case tries to see a page kept
//! from before a change that should show in it, and compares what is
//! sent with the page made anew.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::kept::{edit, first_write, json, keep_all, new_organization, rendered, visit};
use common::{router, sign_in};

#[tokio::test]
async fn a_search_page_is_kept_while_the_index_answers_as_it_did() {
    let (router, allmep, source) = router();
    let (ed, csrf) = sign_in(&router, "ed").await;
    first_write(&router, (&ed, &csrf), &allmep, &source).await;
    let page = "/search?q=Peace";
    let answer = "/search.json?q=Peace";
    keep_all(&router, &[page, answer]).await;
    let before = visit(&router, page).await.1;
    let hits = json(&visit(&router, answer).await.1);
    let total = hits["total"].as_u64().unwrap();
    assert!(total > 0, "{hits}");

    // A write the search does not find: the page is checked and sent as
    // kept, the same as the page made anew.
    new_organization(&router, (&ed, &csrf), "Harbour Lighthouse Keepers Union").await;
    let (was_kept, after) = visit(&router, page).await;
    assert!(was_kept, "the search's results did not move");
    assert_eq!(after, before);
    assert_eq!(after, rendered(&router, page.to_string()).await);
    // The answer shows scores, which a change to the index may move: kept
    // or made again, it is the answer made anew.
    let (_, answered) = visit(&router, answer).await;
    assert_eq!(answered, rendered(&router, answer.to_string()).await);

    // A write the search finds: one result more, on the page at once.
    let dove = new_organization(&router, (&ed, &csrf), "Olive Grove Peace Choir").await;
    let (was_kept, after) = visit(&router, page).await;
    assert!(!was_kept, "a new result");
    assert!(after.contains("Olive Grove Peace Choir"));
    let hits = json(&visit(&router, answer).await.1);
    assert_eq!(hits["total"].as_u64().unwrap(), total + 1, "{hits}");

    // A result renamed, still found: its page shows the new name.
    keep_all(&router, &[page]).await;
    edit(
        &router,
        (&ed, &csrf),
        &dove,
        &[("name", "Olive Grove Peace Singers")],
        (&source, "their own site"),
    )
    .await;
    let (was_kept, after) = visit(&router, page).await;
    assert!(!was_kept, "a result changed");
    assert!(after.contains("Olive Grove Peace Singers"));
    assert!(!after.contains("Olive Grove Peace Choir"));

    // A result no longer found: gone from the page.
    keep_all(&router, &[page]).await;
    edit(
        &router,
        (&ed, &csrf),
        &dove,
        &[("name", "Olive Grove Singers")],
        (&source, "their own site"),
    )
    .await;
    let (was_kept, after) = visit(&router, page).await;
    assert!(!was_kept);
    assert!(!after.contains("Olive Grove"));
    assert_eq!(after, rendered(&router, page.to_string()).await);
    // And kept again, as long as nothing it finds moves.
    keep_all(&router, &[page]).await;
}
