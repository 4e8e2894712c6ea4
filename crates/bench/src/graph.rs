//! `dossier-bench graph`: 2-hop neighbourhoods and shortest paths on a
//! generated graph of about 1M nodes (organizations in networks of
//! power-law sizes, plus direct payments and links), measured on Dossier's
//! analysis graph and, in the same run and on the same edges, on networkx
//! and igraph (`scripts/bench_graph.py`): build time, memory, latency p50 /
//! p99, with ratios.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use dossier_graph::analysis::{Filter, Graph, Tie};
use dossier_graph::EdgeKind;

use crate::{ms, percentile};

pub struct Config {
    pub networks: usize,
    pub orgs: usize,
    pub links: usize,
    pub seed: u64,
    pub hops: usize,
    pub paths: usize,
    /// Python with networkx and igraph; `None` measures Dossier alone.
    pub python: Option<String>,
    pub dir: String,
}

/// A 64-bit mix (splitmix64), so generated ids look like Dossier's.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The ties: each organization in 1–5 networks picked with probability
/// proportional to a power-law weight (exponent 2.2), then `links` direct
/// ties between random organizations, half of them payments.
fn generate(c: &Config) -> Vec<Tie> {
    let mut rng = fastrand::Rng::with_seed(c.seed);
    let id = |prefix: &str, n: u64| format!("{prefix}-{:016x}", mix(n));
    let mut cumulative = Vec::with_capacity(c.networks);
    let mut total = 0.0f64;
    for _ in 0..c.networks {
        // Pareto: P(w > x) = x^-(γ-1) with γ = 2.2.
        total += (1.0 - rng.f64()).powf(-1.0 / 1.2);
        cumulative.push(total);
    }
    let mut ties = Vec::new();
    let mut tie_no = 0u64;
    let mut next_id = |prefix: &str| {
        tie_no += 1;
        id(prefix, tie_no + (1 << 40))
    };
    for o in 0..c.orgs as u64 {
        let org = id("org", o);
        for _ in 0..1 + rng.usize(..5) {
            let r = rng.f64() * total;
            let net = cumulative.partition_point(|&x| x < r).min(c.networks - 1);
            ties.push(Tie {
                id: next_id("membership"),
                kind: EdgeKind::Membership,
                source: org.clone(),
                target: id("net", net as u64 + (1 << 32)),
                start: Some(format!("{}", 1990 + rng.u32(..35))),
                end: None,
                amount: None,
            });
        }
    }
    for i in 0..c.links {
        let (a, b) = (rng.u64(..c.orgs as u64), rng.u64(..c.orgs as u64));
        let payment = i % 2 == 0;
        ties.push(Tie {
            id: next_id(if payment { "payment" } else { "link" }),
            kind: if payment {
                EdgeKind::Payment
            } else {
                EdgeKind::Link
            },
            source: id("org", a),
            target: id("org", b),
            start: payment.then(|| format!("{}-{:02}", 2000 + rng.u32(..25), 1 + rng.u32(..12))),
            end: None,
            amount: payment.then(|| f64::from(rng.u32(1000..5_000_000))),
        });
    }
    ties
}

/// Resident memory of this process, bytes.
fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn mib(bytes: f64) -> String {
    format!("{:.0}", bytes / (1024.0 * 1024.0))
}

/// What one tool measured.
#[derive(Default)]
struct Measured {
    build: f64,
    memory: f64,
    hop: Vec<Duration>,
    hop_sizes: Vec<u64>,
    path: Vec<Duration>,
    path_lengths: Vec<i64>,
}

impl Measured {
    fn from_json(v: &serde_json::Value) -> Result<Measured> {
        let durations = |key: &str| -> Result<Vec<Duration>> {
            let mut d: Vec<Duration> = v[key]
                .as_array()
                .with_context(|| format!("no {key}"))?
                .iter()
                .map(|x| Duration::from_nanos(x.as_u64().unwrap_or(0)))
                .collect();
            d.sort();
            Ok(d)
        };
        let numbers = |key: &str| -> Vec<i64> {
            v[key]
                .as_array()
                .map(|a| a.iter().map(|x| x.as_i64().unwrap_or(-1)).collect())
                .unwrap_or_default()
        };
        Ok(Measured {
            build: v["build_s"].as_f64().unwrap_or(0.0),
            memory: v["memory_bytes"].as_f64().unwrap_or(0.0),
            hop: durations("hop_ns")?,
            hop_sizes: numbers("hop_sizes").into_iter().map(|x| x as u64).collect(),
            path: durations("path_ns")?,
            path_lengths: numbers("path_lengths"),
        })
    }
}

pub fn run(c: &Config) -> Result<()> {
    measure(c).map(|_| ())
}

/// Measures, prints the table, and returns the figures (for `bench/run`).
pub fn measure(c: &Config) -> Result<serde_json::Value> {
    std::fs::create_dir_all(&c.dir)?;
    let t = Instant::now();
    let ties = generate(c);
    eprintln!(
        "generated {} ties in {:.1} s",
        ties.len(),
        t.elapsed().as_secs_f64()
    );
    let before = rss();
    let t = Instant::now();
    let g = Graph::build(&ties);
    let build = t.elapsed().as_secs_f64();
    let after = rss();
    eprintln!(
        "built {} nodes, {} ties in {build:.2} s; heap {} MiB, resident +{} MiB",
        g.node_count(),
        g.edge_count(),
        mib(g.heap_bytes() as f64),
        mib(after.saturating_sub(before) as f64)
    );

    // The same queries for every tool: random nodes, random pairs.
    let mut rng = fastrand::Rng::with_seed(c.seed + 1);
    let hop_nodes: Vec<usize> = (0..c.hops).map(|_| rng.usize(..g.node_count())).collect();
    let pairs: Vec<(usize, usize)> = (0..c.paths)
        .map(|_| (rng.usize(..g.node_count()), rng.usize(..g.node_count())))
        .collect();
    let edges_file = format!("{}/graph-{}-{}.tsv", c.dir, g.node_count(), c.seed);
    let queries_file = format!("{}/graph-{}-{}-queries.tsv", c.dir, g.node_count(), c.seed);
    if c.python.is_some() {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&edges_file)?);
        for t in &ties {
            writeln!(w, "{}\t{}\t{}", t.source, t.target, t.kind.as_str())?;
        }
        w.flush()?;
        let mut q = String::new();
        for &n in &hop_nodes {
            writeln!(q, "hop\t{}", g.id(n))?;
        }
        for &(a, b) in &pairs {
            writeln!(q, "path\t{}\t{}", g.id(a), g.id(b))?;
        }
        std::fs::write(&queries_file, q)?;
    }
    drop(ties);

    let open = Filter::default();
    let mut ours = Measured {
        build,
        memory: after.saturating_sub(before) as f64,
        ..Measured::default()
    };
    for &n in &hop_nodes {
        let t = Instant::now();
        let found = g.neighbours(n, 2, &open);
        ours.hop.push(t.elapsed());
        ours.hop_sizes.push(found.len() as u64);
    }
    for &(a, b) in &pairs {
        let t = Instant::now();
        let path = g.shortest_path(a, b, &open);
        ours.path.push(t.elapsed());
        ours.path_lengths.push(path.map_or(-1, |p| p.len() as i64));
    }
    ours.hop.sort();
    ours.path.sort();

    let mut peers: Vec<(&str, Measured)> = Vec::new();
    if let Some(python) = &c.python {
        for name in ["networkx", "igraph"] {
            eprintln!("running {name}…");
            // One process per tool, so each one's memory is its own.
            let out = Command::new(python)
                .args(["scripts/bench_graph.py", &edges_file, &queries_file, name])
                .output()
                .with_context(|| format!("running {python} scripts/bench_graph.py"))?;
            if !out.status.success() {
                bail!(
                    "scripts/bench_graph.py {name} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let m = Measured::from_json(&serde_json::from_slice(&out.stdout)?)?;
            // The same graph: every neighbourhood and path length agrees.
            let hop_diff = m
                .hop_sizes
                .iter()
                .zip(&ours.hop_sizes)
                .filter(|(a, b)| a != b)
                .count();
            let path_diff = m
                .path_lengths
                .iter()
                .zip(&ours.path_lengths)
                .filter(|(a, b)| a != b)
                .count();
            if hop_diff + path_diff > 0 {
                bail!("{name} disagrees: {hop_diff} neighbourhood sizes, {path_diff} path lengths");
            }
            peers.push((name, m));
        }
    }

    let sizes = {
        let mut s = ours.hop_sizes.clone();
        s.sort_unstable();
        s
    };
    println!(
        "\n{} nodes, {} ties; {} 2-hop queries (neighbourhood size p50 {}, p99 {}, max {}), {} shortest paths\n",
        g.node_count(),
        g.edge_count(),
        hop_nodes.len(),
        sizes.get(sizes.len() / 2).copied().unwrap_or(0),
        sizes.get(sizes.len() * 99 / 100).copied().unwrap_or(0),
        sizes.last().copied().unwrap_or(0),
        pairs.len()
    );
    println!("| tool | build (s) | memory (MiB) | 2-hop p50 (ms) | 2-hop p99 (ms) | path p50 (ms) | path p99 (ms) |");
    println!("|---|---|---|---|---|---|---|");
    let row = |name: &str, m: &Measured| {
        println!(
            "| {name} | {:.2} | {} | {} | {} | {} | {} |",
            m.build,
            mib(m.memory),
            ms(percentile(&m.hop, 0.5)),
            ms(percentile(&m.hop, 0.99)),
            ms(percentile(&m.path, 0.5)),
            ms(percentile(&m.path, 0.99)),
        )
    };
    row("Dossier", &ours);
    for (name, m) in &peers {
        row(name, m);
    }
    let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64().max(1e-9);
    for (name, m) in &peers {
        println!(
            "| {name} ÷ Dossier | {:.1}× | {:.2}× | {:.1}× | {:.1}× | {:.1}× | {:.1}× |",
            m.build / ours.build.max(1e-9),
            m.memory / ours.memory.max(1.0),
            ratio(percentile(&ours.hop, 0.5), percentile(&m.hop, 0.5)),
            ratio(percentile(&ours.hop, 0.99), percentile(&m.hop, 0.99)),
            ratio(percentile(&ours.path, 0.5), percentile(&m.path, 0.5)),
            ratio(percentile(&ours.path, 0.99), percentile(&m.path, 0.99)),
        );
    }
    println!(
        "\nMemory: growth of resident memory while building. Dossier's graph counts {} MiB on its heap, with ids, kinds, dates and amounts; the peers hold the bare structure.",
        mib(g.heap_bytes() as f64)
    );
    let figures = |m: &Measured| {
        serde_json::json!({
            "build_s": m.build,
            "memory_bytes": m.memory,
            "hop_p50_ms": percentile(&m.hop, 0.5).as_secs_f64() * 1000.0,
            "hop_p99_ms": percentile(&m.hop, 0.99).as_secs_f64() * 1000.0,
            "path_p50_ms": percentile(&m.path, 0.5).as_secs_f64() * 1000.0,
            "path_p99_ms": percentile(&m.path, 0.99).as_secs_f64() * 1000.0,
        })
    };
    let mut out = serde_json::json!({
        "nodes": g.node_count(),
        "ties": g.edge_count(),
        "hops": hop_nodes.len(),
        "paths": pairs.len(),
        "dossier": figures(&ours),
    });
    for (name, m) in &peers {
        out[*name] = figures(m);
    }
    Ok(out)
}
