//! `dossier-bench follow`: how long a server takes to catch up with a
//! small change made by another process (an editor on another node, an
//! import), on a large store: the search index follows the log (only the
//! changed entities indexed again) and the analysis graph is kept when
//! the change moved no tie (a name, a claim about its subject), made
//! again when it did (a membership).
//! A full index rebuild is timed once beside it, for scale.

use dossier_store::prelude::*;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use dossier_model::{Batch, Entity, Provenance};
use dossier_search::{Followed, SearchIndex, SearchQuery};
use dossier_store::SqliteStore;
use tower::ServiceExt;

use crate::{ms, percentile};

pub struct Config {
    pub db: String,
    pub rounds: usize,
}

pub fn run(c: &Config) -> Result<()> {
    if !std::path::Path::new(&c.db).exists() {
        bail!(
            "{} does not exist: make it with dossier-bench web first",
            c.db
        );
    }
    let reader = SqliteStore::open(&c.db)?;
    let mut writer = SqliteStore::open(&c.db)?;
    let index = SearchIndex::open(std::path::Path::new(&format!("{}.index", c.db)))?;
    let path = c.db.clone();
    let state = dossier_web::AppState::new(Box::new(reader), index).with_opener(
        std::sync::Arc::new(move || Ok(Box::new(SqliteStore::open(&path)?) as _)),
    );
    let started = Instant::now();
    let first = state.refresh_index()?;
    eprintln!(
        "index brought up to the store: {first:?} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    state.refresh_graph()?;
    // Some organization to write about: the middle one of those named.
    let orgs: Vec<String> = writer
        .names()?
        .into_iter()
        .filter(|n| n.schema == "Organization" && n.prop == "name")
        .map(|n| n.entity_id)
        .collect();
    let target = orgs
        .get(orgs.len() / 2)
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("no organization in {}", c.db))?;
    let (mut index_times, mut graph_times) = (Vec::new(), Vec::new());
    let mut entities = 0;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    for round in 0..c.rounds {
        writer.apply(&[round_batch(&target, stamp, round)?], &provenance())?;

        let t = Instant::now();
        match state.refresh_index()? {
            Followed::Updated(n) => entities += n,
            other => bail!("round {round}: the index did not follow ({other:?})"),
        }
        index_times.push(t.elapsed());
        let t = Instant::now();
        state.refresh_graph()?;
        graph_times.push(t.elapsed());
    }
    // A membership moves a tie: the graph is made again.
    let mut tie_times = Vec::new();
    for round in 0..c.rounds {
        writer.apply(&[tie_batch(&target, stamp, round)?], &provenance())?;
        state.refresh_index()?;
        let t = Instant::now();
        if !state.refresh_graph()? {
            bail!("round {round}: the graph did not see the new membership");
        }
        tie_times.push(t.elapsed());
    }
    // Pages while the graph is made again: served on the shared
    // connection, not held up by the graph's reads on its own.
    writer.apply(&[note_batch(&target, stamp)?], &provenance())?;
    let router = dossier_web::router(state.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let page = || -> Result<Duration> {
        let t = Instant::now();
        let res = runtime.block_on(
            router.clone().oneshot(
                axum::http::Request::get(format!("/entities/{target}"))
                    .body(axum::body::Body::empty())?,
            ),
        )?;
        if !res.status().is_success() {
            bail!("/entities/{target}: {}", res.status());
        }
        Ok(t.elapsed())
    };
    let mut quiet = (0..50).map(|_| page()).collect::<Result<Vec<_>>>()?;
    quiet.sort();
    let during = {
        let s = state.clone();
        let rebuild = std::thread::spawn(move || s.refresh_graph());
        let mut times = Vec::new();
        while !rebuild.is_finished() {
            times.push(page()?);
        }
        if !rebuild
            .join()
            .map_err(|_| anyhow::anyhow!("the graph rebuild panicked"))??
        {
            bail!("the graph was not made again");
        }
        times.sort();
        times
    };
    // Found, through a fresh reader of the index folder.
    let check = SearchIndex::open(std::path::Path::new(&format!("{}.index", c.db)))?;
    let last = format!("Followword{stamp}x{}", c.rounds - 1);
    let hits = check.search(&SearchQuery {
        text: last.clone(),
        limit: 5,
        ..Default::default()
    })?;
    if hits.total == 0 {
        bail!("{last} is not found after following");
    }
    let full = {
        let store = SqliteStore::open(&c.db)?;
        let fresh = SearchIndex::in_memory()?;
        let t = Instant::now();
        let n = fresh.rebuild(&store)?;
        (t.elapsed(), n)
    };
    index_times.sort();
    graph_times.sort();
    tie_times.sort();
    let max = |v: &[Duration]| v.last().copied().unwrap_or_default();
    println!(
        "store: {} ({} rounds of one name and one claim, then {} of one membership, written by another connection)",
        c.db, c.rounds, c.rounds
    );
    println!();
    println!("| measure | runs | p50 ms | max ms |");
    println!("|---|---|---|---|");
    println!(
        "| search index follows a change ({:.1} entities indexed again per round) | {} | {} | {} |",
        entities as f64 / c.rounds as f64,
        index_times.len(),
        ms(percentile(&index_times, 0.5)),
        ms(max(&index_times))
    );
    println!(
        "| analysis graph follows a change that moves no tie (a name, a claim about its subject): kept | {} | {} | {} |",
        graph_times.len(),
        ms(percentile(&graph_times, 0.5)),
        ms(max(&graph_times))
    );
    println!(
        "| analysis graph follows a change that moves a tie (a membership): made again | {} | {} | {} |",
        tie_times.len(),
        ms(percentile(&tie_times, 0.5)),
        ms(max(&tie_times))
    );
    println!(
        "| profile page of that organization, quiet | {} | {} | {} |",
        quiet.len(),
        ms(percentile(&quiet, 0.5)),
        ms(max(&quiet))
    );
    println!(
        "| profile page served while the graph is made again | {} | {} | {} |",
        during.len(),
        ms(percentile(&during, 0.5)),
        ms(max(&during))
    );
    println!(
        "| whole index made again, for scale ({} documents) | 1 | {} | {} |",
        full.1,
        ms(full.0),
        ms(full.0)
    );
    Ok(())
}

/// A new source `doc`, its content hash `word`: its document alone.
fn source(doc: &str, word: &str) -> Result<Batch> {
    let mut b = Batch::new(doc, word);
    let mut d = Entity::new(doc, "Document")?;
    d.add("fileName", format!("{word}.txt"))?;
    b.put(d)?;
    Ok(b)
}

/// Another source names the organization anew and says something about
/// it: a document, a name, a claim.
fn round_batch(target: &str, stamp: u64, round: usize) -> Result<Batch> {
    let word = format!("Followword{stamp}x{round}");
    let mut b = source(&format!("doc-follow-{stamp}-{round}"), &word)?;
    let mut o = Entity::new(target, "Organization")?;
    o.add("name", format!("{word} Foundation"))?;
    b.put(o)?;
    let mut claim = Entity::new(format!("claim-follow-{stamp}-{round}"), "Claim")?;
    claim.add("text", format!("{word} said something"))?;
    claim.add("subject", target)?;
    b.put(claim)?;
    Ok(b)
}

/// Another source says the organization belongs to a network of its own:
/// a document, the network, a membership (a tie).
fn tie_batch(target: &str, stamp: u64, round: usize) -> Result<Batch> {
    let word = format!("Tiedword{stamp}x{round}");
    let mut b = source(&format!("doc-tie-{stamp}-{round}"), &word)?;
    let network = format!("org-network-{stamp}-{round}");
    let mut n = Entity::new(&network, "Organization")?;
    n.add("name", format!("{word} Network"))?;
    b.put(n)?;
    let mut m = Entity::new(format!("mem-follow-{stamp}-{round}"), "Membership")?;
    m.add("member", target)?;
    m.add("organization", network.as_str())?;
    b.put(m)?;
    Ok(b)
}

/// A membership that changes the store once more: a graph made again.
fn note_batch(target: &str, stamp: u64) -> Result<Batch> {
    tie_batch(target, stamp, usize::MAX)
}

fn provenance() -> Provenance {
    Provenance {
        dataset: "follow-bench".into(),
        source: String::new(),
        user: "bench".into(),
        origin: Some("bench follow".into()),
        now: "2026-01-02T00:00:00".into(),
    }
}
