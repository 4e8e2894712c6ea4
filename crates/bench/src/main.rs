//! `dossier-bench web --orgs N`: generates (or reuses) a store of N
//! synthetic organizations, builds its search index, then measures in
//! process, through the real router, how long a profile page takes to
//! render and how long searches take, reporting p50 and p99.
//!
//! Figures are medians and tails of many runs on one machine; the command
//! and the machine go into BENCHMARKS.md beside them.

mod evidence;
mod follow;
mod graph;
mod load;
mod report;
mod suite;
mod xref;

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use axum::body::Body;
use axum::http::Request;
use dossier_model::names::name_key;
use dossier_model::Provenance;
use dossier_search::{SearchIndex, SearchQuery};
use dossier_store::{SqliteStore, Store};
use tower::ServiceExt;

struct Args {
    orgs: usize,
    seed: u64,
    db: String,
    samples: usize,
}

fn args() -> Result<Args> {
    let mut a = Args {
        orgs: 100_000,
        seed: 1,
        db: String::new(),
        samples: 2000,
    };
    let mut it = std::env::args().skip(1);
    match it.next().as_deref() {
        Some("web") => {}
        Some("verify") => {
            let (mut docs, mut quotes, mut db) = (10_000usize, 100_000usize, String::new());
            while let Some(flag) = it.next() {
                let value = it.next().with_context(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--docs" => docs = value.parse()?,
                    "--quotes" => quotes = value.parse()?,
                    "--db" => db = value,
                    other => bail!("unknown flag {other}"),
                }
            }
            if db.is_empty() {
                db = format!("target/bench/evidence-{docs}-{quotes}.db");
            }
            if let Some(dir) = std::path::Path::new(&db).parent() {
                std::fs::create_dir_all(dir)?;
            }
            evidence::run(docs, quotes, &db)?;
            std::process::exit(0);
        }
        Some("xref") => {
            let mut c = xref::Config {
                orgs: 5000,
                python: ".venv/bin/python".into(),
                dir: "target/bench".into(),
            };
            while let Some(flag) = it.next() {
                let value = it.next().with_context(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--orgs" => c.orgs = value.parse()?,
                    "--python" => c.python = value,
                    "--file" => {
                        xref::whole(std::path::Path::new(&value))?;
                        std::process::exit(0);
                    }
                    other => bail!("unknown flag {other}"),
                }
            }
            xref::run(&c)?;
            std::process::exit(0);
        }
        Some("suite") => {
            let mut c = suite::Config {
                orgs: 10_000,
                seed: 1,
                quick: false,
                dir: "target/bench/run".into(),
                dossier: "target/release/dossier".into(),
                venv: ".venv".into(),
                postgres: std::env::var("DOSSIER_TEST_PG").ok(),
            };
            let mut dir = None;
            while let Some(flag) = it.next() {
                if flag == "--quick" {
                    c.quick = true;
                    continue;
                }
                let value = it.next().with_context(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--orgs" => c.orgs = value.parse()?,
                    "--seed" => c.seed = value.parse()?,
                    "--dir" => dir = Some(value),
                    other => bail!("unknown flag {other}"),
                }
            }
            c.dir = std::path::PathBuf::from(dir.unwrap_or_else(|| "target/bench/run".into()))
                .join(c.orgs.to_string());
            suite::run(&c)?;
            std::process::exit(0);
        }
        Some("report") => {
            let mut dir = "target/bench/run".to_string();
            let mut out = "BENCHMARKS.md".to_string();
            let mut plot = "bench/scaling.png".to_string();
            while let Some(flag) = it.next() {
                let value = it.next().with_context(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--dir" => dir = value,
                    "--out" => out = value,
                    "--plot" => plot = value,
                    other => bail!("unknown flag {other}"),
                }
            }
            report::run(&dir, &out, &plot)?;
            std::process::exit(0);
        }
        Some("search") => {
            let (mut dir, mut rounds) = ("target/bench/run/100000".to_string(), 3);
            while let Some(flag) = it.next() {
                let value = it.next().with_context(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--dir" => dir = value,
                    "--rounds" => rounds = value.parse()?,
                    other => bail!("unknown flag {other}"),
                }
            }
            suite::search_again(std::path::Path::new(&dir), rounds)?;
            std::process::exit(0);
        }
        Some("load") => {
            let mut c = load::Config {
                orgs: 2000,
                seconds: 60,
                connections: 64,
                dir: "target/load".into(),
                db: None,
                dossier: load::sibling_dossier(),
            };
            while let Some(flag) = it.next() {
                let value = it.next().with_context(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--orgs" => c.orgs = value.parse()?,
                    "--seconds" => c.seconds = value.parse()?,
                    "--connections" => c.connections = value.parse()?,
                    "--dir" => c.dir = value.into(),
                    "--db" => c.db = Some(value),
                    "--dossier" => c.dossier = value.into(),
                    other => bail!("unknown flag {other}"),
                }
            }
            load::run(&c)?;
            std::process::exit(0);
        }
        Some("follow") => {
            let mut c = follow::Config {
                db: "target/bench/gen-100000-1.db".into(),
                rounds: 20,
            };
            while let Some(flag) = it.next() {
                let value = it.next().with_context(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--db" => c.db = value,
                    "--rounds" => c.rounds = value.parse()?,
                    other => bail!("unknown flag {other}"),
                }
            }
            follow::run(&c)?;
            std::process::exit(0);
        }
        Some("graph") => {
            let mut c = graph::Config {
                networks: 100_000,
                orgs: 900_000,
                links: 200_000,
                seed: 1,
                hops: 2000,
                paths: 500,
                python: Some(".venv/bin/python".into()),
                dir: "target/bench".into(),
            };
            while let Some(flag) = it.next() {
                if flag == "--no-peers" {
                    c.python = None;
                    continue;
                }
                let value = it.next().with_context(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--networks" => c.networks = value.parse()?,
                    "--orgs" => c.orgs = value.parse()?,
                    "--links" => c.links = value.parse()?,
                    "--seed" => c.seed = value.parse()?,
                    "--hops" => c.hops = value.parse()?,
                    "--paths" => c.paths = value.parse()?,
                    "--python" => c.python = Some(value),
                    other => bail!("unknown flag {other}"),
                }
            }
            graph::run(&c)?;
            std::process::exit(0);
        }
        _ => bail!("usage: dossier-bench web [--orgs N] [--seed S] [--db PATH] [--samples N]\n       dossier-bench verify [--docs N] [--quotes M] [--db PATH]\n       dossier-bench xref [--orgs N] [--python PATH]\n       dossier-bench xref --file FTM   (Dossier alone over one FtM file)\n       dossier-bench suite --orgs N [--seed S] [--dir DIR] [--quick]   (one size of bench/run)\n       dossier-bench report [--dir DIR] [--out BENCHMARKS.md] [--plot PNG]\n       dossier-bench search [--dir DIR] [--rounds N]   (a suite run's query mix again)\n       dossier-bench follow [--db PATH] [--rounds N]\n       dossier-bench load [--orgs N] [--seconds S] [--connections C] [--dir DIR] [--db POSTGRES-URL] [--dossier PATH]   (reliability under wrk)\n       dossier-bench graph [--networks N] [--orgs N] [--links N] [--seed S] [--hops N] [--paths N] [--python PATH | --no-peers]"),
    }
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--orgs" => a.orgs = value.parse()?,
            "--seed" => a.seed = value.parse()?,
            "--db" => a.db = value,
            "--samples" => a.samples = value.parse()?,
            other => bail!("unknown flag {other}"),
        }
    }
    if a.db.is_empty() {
        a.db = format!("target/bench/gen-{}-{}.db", a.orgs, a.seed);
    }
    Ok(a)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<()> {
    let a = args()?;
    if let Some(dir) = std::path::Path::new(&a.db).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut store = SqliteStore::open(&a.db)?;
    let cfg = dossier_gen::GenConfig {
        orgs: a.orgs,
        seed: a.seed,
        per_source: 100,
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
