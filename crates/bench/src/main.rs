//! `dossier-bench`: Dossier's benchmarks, one subcommand each
//! (`dossier-bench --help` lists them). `bench/run` calls `suite` once a
//! size and then `report`, which writes BENCHMARKS.md. `web --orgs N`
//! generates (or reuses) a store of N synthetic organizations, builds its
//! search index, then measures in process, through the real router, how
//! long a profile page takes to render and how long searches take,
//! reporting p50 and p99.
//!
//! Figures are medians and tails of many runs on one machine; the command
//! and the machine go into BENCHMARKS.md beside them.

mod ceiling;
mod evidence;
mod follow;
mod graph;
mod load;
mod nodes;
mod report;
mod suite;
mod writes;
mod xref;

use dossier_store::prelude::*;
use std::time::{Duration, Instant};

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use axum::body::Body;
use axum::http::Request;
use clap::{Args, Parser, Subcommand};
use dossier_model::names::name_key;
use dossier_model::Provenance;
use dossier_search::{SearchIndex, SearchQuery};
use dossier_store::{SqliteStore, Store};
use tower::ServiceExt;

/// Benchmarks of Dossier, each against its peers where it has any
/// (`bench/run` calls `suite` once a size, then `report`).
#[derive(Parser)]
#[command(name = "dossier-bench")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Profile page render and search latency in process, through the real
    /// router, on a generated store.
    Web(WebArgs),
    /// Quotation verification and origin discovery on generated documents.
    Verify {
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        #[arg(long, default_value_t = 100_000)]
        quotes: usize,
        /// The store (default `target/bench/evidence-DOCS-QUOTES.db`).
        #[arg(long)]
        db: Option<String>,
    },
    /// Cross-referencing against nomenklatura on generated organizations,
    /// or Dossier alone over one FtM file (`--file`).
    Xref {
        #[arg(long, default_value_t = 5000)]
        orgs: usize,
        #[arg(long, default_value = ".venv/bin/python")]
        python: String,
        /// Dossier alone over this FtM file.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// One size of `bench/run`: Dossier and its peers side by side.
    Suite {
        #[arg(long, default_value_t = 10_000)]
        orgs: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Results go to DIR/ORGS.
        #[arg(long, default_value = "target/bench/run")]
        dir: PathBuf,
        /// Short runs (the `--quick` mode of `bench/run`).
        #[arg(long)]
        quick: bool,
        /// The share of organizations documented in full (`dossier gen
        /// --detail`); 0.02 is near SPEC §9's shape, 1M organizations in
        /// about 11M statements.
        #[arg(long, default_value_t = 0.02)]
        detail: f64,
        /// Also serve the data from PostgreSQL (`DOSSIER_TEST_PG`) with one
        /// to three servers, beside SQLite (`bench/run` does at its first
        /// size).
        #[arg(long)]
        serving: bool,
    },
    /// BENCHMARKS.md's tables and the scaling plot from the suite's results.
    Report {
        #[arg(long, default_value = "target/bench/run")]
        dir: String,
        #[arg(long, default_value = "BENCHMARKS.md")]
        out: String,
        #[arg(long, default_value = "bench/scaling.png")]
        plot: String,
    },
    /// A suite run's query mix again, over its stores.
    Search {
        #[arg(long, default_value = "target/bench/run/100000")]
        dir: PathBuf,
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// Also list this many of the slowest queries (median of the rounds).
        #[arg(long, default_value_t = 0)]
        slowest: usize,
    },
    /// `stats` on a store: from the kept counts, for readers with hidden
    /// collections (none in use; every one; `--hide`), and by going over
    /// every row, each checked against going over its rows.
    Stats {
        #[arg(long)]
        db: PathBuf,
        /// Also a reader who hides these collections.
        #[arg(long)]
        hide: Vec<String>,
    },
    /// SQLite's own ceiling for an import, and the same narrow rows with
    /// the indexes today's reads use: seconds for `--rows` statements.
    Ceiling {
        #[arg(long, default_value_t = 1_162_565)]
        rows: u64,
        /// Where the measurement's file goes (removed after).
        #[arg(long, default_value = "target/bench/ceiling.db")]
        db: PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// How long the search index takes to follow a change to the store.
    Follow {
        #[arg(long, default_value = "target/bench/gen-100000-1.db")]
        db: String,
        #[arg(long, default_value_t = 20)]
        rounds: usize,
    },
    /// Reliability under wrk: `serve` loaded with profile pages, searches
    /// and API reads; every answer below 400, memory flat once warm.
    Load {
        #[arg(long, default_value_t = 2000)]
        orgs: usize,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        #[arg(long, default_value_t = 64)]
        connections: usize,
        #[arg(long, default_value = "target/load")]
        dir: PathBuf,
        /// A PostgreSQL store (`postgres://…`) instead of SQLite.
        #[arg(long)]
        db: Option<String>,
        /// The `dossier` binary (default: the one beside this one).
        #[arg(long)]
        dossier: Option<PathBuf>,
    },
    /// 2-hop neighbourhoods and shortest paths against networkx and igraph.
    Graph {
        #[arg(long, default_value_t = 100_000)]
        networks: usize,
        #[arg(long, default_value_t = 900_000)]
        orgs: usize,
        #[arg(long, default_value_t = 200_000)]
        links: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 2000)]
        hops: usize,
        #[arg(long, default_value_t = 500)]
        paths: usize,
        #[arg(long, default_value = ".venv/bin/python")]
        python: String,
        /// Dossier alone.
        #[arg(long)]
        no_peers: bool,
    },
}

#[derive(Args)]
struct WebArgs {
    #[arg(long, default_value_t = 100_000)]
    orgs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The store (default `target/bench/gen-ORGS-SEED.db`).
    #[arg(long)]
    db: Option<String>,
    #[arg(long, default_value_t = 2000)]
    samples: usize,
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Web(a) => web(a),
        Command::Ceiling { rows, db, runs } => ceiling::by_hand(&db, rows, runs),
        Command::Verify { docs, quotes, db } => {
            let db = db.unwrap_or_else(|| format!("target/bench/evidence-{docs}-{quotes}.db"));
            if let Some(dir) = Path::new(&db).parent() {
                std::fs::create_dir_all(dir)?;
            }
            evidence::run(docs, quotes, &db)
        }
        Command::Xref { orgs, python, file } => match file {
            Some(file) => xref::whole(&file),
            None => xref::run(&xref::Config {
                orgs,
                python,
                dir: "target/bench".into(),
            }),
        },
        Command::Suite {
            orgs,
            seed,
            dir,
            quick,
            detail,
            serving,
        } => suite::run(&suite::Config {
            orgs,
            seed,
            quick,
            detail,
            serving,
            dir: dir.join(orgs.to_string()),
            dossier: "target/release/dossier".into(),
            venv: ".venv".into(),
            postgres: std::env::var("DOSSIER_TEST_PG").ok(),
        })
        .map(drop),
        Command::Report { dir, out, plot } => report::run(&dir, &out, &plot),
        Command::Search {
            dir,
            rounds,
            slowest,
        } => suite::search_again(&dir, rounds, slowest),
        Command::Stats { db, hide } => {
            println!("{}", suite::time_stats(&db, &hide)?);
            Ok(())
        }
        Command::Follow { db, rounds } => follow::run(&follow::Config { db, rounds }),
        Command::Load {
            orgs,
            seconds,
            connections,
            dir,
            db,
            dossier,
        } => load::run(&load::Config {
            orgs,
            seconds,
            connections,
            dir,
            db,
            dossier: dossier.unwrap_or_else(load::sibling_dossier),
        }),
        Command::Graph {
            networks,
            orgs,
            links,
            seed,
            hops,
            paths,
            python,
            no_peers,
        } => graph::run(&graph::Config {
            networks,
            orgs,
            links,
            seed,
            hops,
            paths,
            python: (!no_peers).then_some(python),
            dir: "target/bench".into(),
        }),
    }
}

/// `web`'s arguments with the store's path settled.
struct Web {
    orgs: usize,
    seed: u64,
    db: String,
    samples: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// `web`: the profile page and searches in process.
fn web(mut a: WebArgs) -> Result<()> {
    let db =
        a.db.take()
            .unwrap_or_else(|| format!("target/bench/gen-{}-{}.db", a.orgs, a.seed));
    let a = Web {
        orgs: a.orgs,
        seed: a.seed,
        db,
        samples: a.samples,
    };
    if let Some(dir) = std::path::Path::new(&a.db).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut store = SqliteStore::open(&a.db)?;
    let cfg = dossier_gen::GenConfig {
        orgs: a.orgs,
        seed: a.seed,
        ..Default::default()
    };
    if store.stats()?.statements == 0 {
        eprintln!("generating {} organizations into {}…", a.orgs, a.db);
        let prov = Provenance {
            dataset: "generated".into(),
            source: String::new(),
            user: "bench".into(),
            origin: Some("gen".into()),
            now: "2026-01-01T00:00:00".into(),
        };
        let started = Instant::now();
        let mut gen = dossier_gen::Generator::new(cfg);
        let mut chunk = Vec::new();
        let mut n = 0;
        for b in gen.batches() {
            chunk.push(b?);
            if chunk.len() == 50 {
                n += store
                    .apply(&chunk, &prov)?
                    .iter()
                    .map(|r| r.inserted)
                    .sum::<usize>();
                chunk.clear();
            }
        }
        n += store
            .apply(&chunk, &prov)?
            .iter()
            .map(|r| r.inserted)
            .sum::<usize>();
        let secs = started.elapsed().as_secs_f64();
        eprintln!("  {n} statements in {secs:.1} s ({:.0}/s)", n as f64 / secs);
    }
    let stats = store.stats()?;
    let index = SearchIndex::open(std::path::Path::new(&format!("{}.index", a.db)))?;
    if !index.is_current(&store)? {
        eprintln!("building the search index…");
        let started = Instant::now();
        let n = index.rebuild(&store)?;
        eprintln!(
            "  {n} documents in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    // The organizations to render: a fixed random sample of the generated ones.
    let names: Vec<String> = {
        let mut g = dossier_gen::Generator::new(cfg);
        // The generator names organizations deterministically; re-derive their ids.
        let mut ids = Vec::new();
        for b in g.batches().take(a.orgs.div_ceil(100)) {
            for e in b?.entities() {
                if e.schema.name == "Organization" && e.has("summary") {
                    ids.push(e.id.clone());
                }
            }
        }
        ids
    };
    let mut rng = fastrand::Rng::with_seed(42);
    let sample: Vec<String> = (0..a.samples)
        .map(|_| names[rng.usize(0..names.len())].clone())
        .collect();
    let queries = query_mix(&store, &mut rng)?;

    let state = dossier_web::AppState::new(Box::new(store), index);
    let router = dossier_web::router(state.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut render: Vec<Duration> = Vec::with_capacity(sample.len());
    let mut bytes = 0usize;
    runtime.block_on(async {
        // Warm up caches the way a running server would be warm.
        for id in sample.iter().take(100) {
            let _ = router
                .clone()
                .oneshot(Request::get(format!("/entities/{id}")).body(Body::empty())?)
                .await?;
        }
        for id in &sample {
            let started = Instant::now();
            let res = router
                .clone()
                .oneshot(Request::get(format!("/entities/{id}")).body(Body::empty())?)
                .await?;
            let status = res.status();
            let body = axum::body::to_bytes(res.into_body(), 64 << 20).await?;
            render.push(started.elapsed());
            if !status.is_success() {
                bail!("{id}: {status}");
            }
            bytes += body.len();
        }
        Ok::<(), anyhow::Error>(())
    })?;
    render.sort();

    // Search latency: the index alone, the query mix in rounds.
    let search_index = SearchIndex::open(std::path::Path::new(&format!("{}.index", a.db)))?;
    let mut search: Vec<Duration> = Vec::new();
    let mut common: Vec<Duration> = Vec::new();
    for _ in 0..5 {
        for (q, is_common) in &queries {
            let started = Instant::now();
            let r = search_index.search(&SearchQuery {
                text: q.clone(),
                limit: 20,
                ..Default::default()
            })?;
            let d = started.elapsed();
            std::hint::black_box(r.total);
            if *is_common {
                common.push(d);
            } else {
                search.push(d);
            }
        }
    }
    search.sort();
    common.sort();
    let all: Vec<Duration> = {
        let mut v = search.clone();
        v.extend(&common);
        v.sort();
        v
    };
    println!(
        "store: {} organizations, {} current statements ({})",
        a.orgs, stats.current_statements, a.db
    );
    println!();
    println!("| measure | runs | p50 ms | p99 ms | target |");
    println!("|---|---|---|---|---|");
    println!("| profile page render (GET /entities/ID, in process, {} KB avg) | {} | {} | {} | p50 ≤ 2 ms |", bytes / render.len().max(1) / 1024, render.len(), ms(percentile(&render, 0.5)), ms(percentile(&render, 0.99)));
    println!(
        "| search, names/acronyms/typos/phrases | {} | {} | {} | p99 ≤ 10 ms |",
        search.len(),
        ms(percentile(&search, 0.5)),
        ms(percentile(&search, 0.99))
    );
    println!(
        "| search, common words | {} | {} | {} | p99 ≤ 10 ms |",
        common.len(),
        ms(percentile(&common, 0.5)),
        ms(percentile(&common, 0.99))
    );
    println!(
        "| search, all | {} | {} | {} | p99 ≤ 10 ms |",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99))
    );
    Ok(())
}

/// A fixed mix: organization names, acronyms, misspelled names, words from
/// claims, and common words that match a large share of the store.
fn query_mix(store: &dyn Store, rng: &mut fastrand::Rng) -> Result<Vec<(String, bool)>> {
    let mut out = Vec::new();
    let orgs = store.names()?;
    let names: Vec<&str> = orgs
        .iter()
        .filter(|n| n.prop == "name" && n.schema == "Organization")
        .map(|n| n.value.as_str())
        .collect();
    let acronyms: Vec<&str> = orgs
        .iter()
        .filter(|n| n.prop == "abbreviation")
        .map(|n| n.value.as_str())
        .collect();
    for _ in 0..100 {
        let name = names[rng.usize(0..names.len())];
        out.push((name.to_string(), false));
        // A typo: one letter dropped from the longest word.
        let words: Vec<&str> = name.split_whitespace().collect();
        if let Some(w) = words.iter().max_by_key(|w| w.len()) {
            let cut = w.len() / 2;
            let typo = format!("{}{}", &w[..cut], &w[cut + 1..]);
            out.push((name.replacen(w, &typo, 1), false));
        }
        if !acronyms.is_empty() {
            out.push((acronyms[rng.usize(0..acronyms.len())].to_string(), false));
        }
        let _ = name_key(name);
    }
    for q in [
        "water rights",
        "school curricula",
        "land registration",
        "refugee housing",
        "labor rights",
        "conference",
    ] {
        out.push((q.to_string(), false));
    }
    for q in [
        "forum",
        "network",
        "the",
        "in",
        "must change now",
        "called for",
        "foundation",
        "Green Harbor",
    ] {
        out.push((q.to_string(), true));
    }
    Ok(out)
}
