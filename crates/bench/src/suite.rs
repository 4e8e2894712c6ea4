//! `dossier-bench suite --orgs N`: one size of `bench/run`. Generates the
//! data as native and FtM JSON lines, then measures Dossier and its peers
//! side by side, in the same run, on the same data:
//!
//! - import: native and FtM files into a fresh store, against
//!   `ftm aggregate` on the same FtM file;
//! - store size per million statements;
//! - search: a random-word and a common-word query mix, against SQLite FTS5
//!   and PostgreSQL full-text search over the same texts
//!   (`scripts/bench_search.py`);
//! - the profile page under wrk (32 connections), against Datasette's row
//!   page for the same organization in the same database and nginx serving
//!   the page as a static file; `serve`'s peak resident memory;
//! - the graph: 2-hop neighbourhoods and shortest paths against networkx
//!   and igraph (`dossier-bench graph` at a proportional size);
//! - verification: every quotation re-found in its archived origin, and
//!   origins proposed for quotations without one (no peer does this);
//! - cross-referencing: candidate pairs scored a second over the whole
//!   FtM file, against nomenklatura's xref on a sample of the same shape.
//!
//! Writes `results.json` in its folder; `dossier-bench report` turns every
//! size's results into BENCHMARKS.md's tables and a plot.

use dossier_store::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use dossier_search::{SearchIndex, SearchQuery};
use dossier_store::{SqliteStore, Store};
use serde_json::{json, Value};

use crate::percentile;

pub struct Config {
    pub orgs: usize,
    pub seed: u64,
    /// Short runs (wrk 5 s, fewer queries).
    pub quick: bool,
    /// The share of organizations the generator documents in full.
    pub detail: f64,
    pub dir: PathBuf,
    /// The release `dossier` binary.
    pub dossier: PathBuf,
    /// The virtual environment with the Python peers.
    pub venv: PathBuf,
    /// A PostgreSQL server for its full-text search (`DOSSIER_TEST_PG`).
    pub postgres: Option<String>,
    /// Serve the data from PostgreSQL too, one to three servers.
    pub serving: bool,
}

/// A child process stopped when dropped.
pub(crate) struct Running(pub(crate) Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn seconds(d: Duration) -> f64 {
    d.as_secs_f64()
}

pub(crate) fn run_timed(cmd: &mut Command, what: &str) -> Result<(Duration, String)> {
    let t = Instant::now();
    let out = cmd.output().with_context(|| format!("cannot run {what}"))?;
    let took = t.elapsed();
    if !out.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok((took, String::from_utf8_lossy(&out.stdout).into_owned()))
}

pub(crate) fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

pub(crate) fn wait_for(port: u16, what: &str) -> Result<()> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("{what} did not start listening on {port}")
}

/// One GET over HTTP/1.0: the status and the body.
pub(crate) fn get(port: u16, path: &str) -> Result<(u16, Vec<u8>)> {
    get_with(port, path, "")
}

/// [`get`] with more header lines (each ending in `\r\n`).
pub(crate) fn get_with(port: u16, path: &str, headers: &str) -> Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n{headers}\r\n")?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("no end of headers")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, raw[split + 4..].to_vec()))
}

/// wrk's figures: requests per second, latency p50 and p99 (ms), errors.
fn wrk(url: &str, seconds: u64) -> Result<Value> {
    wrk_with(&["-t2", "-c32"], url, seconds)
}

/// [`wrk`] with other options (threads, connections, a script), and the
/// requests it sent.
pub(crate) fn wrk_with(options: &[&str], url: &str, seconds: u64) -> Result<Value> {
    let (_, out) = run_timed(
        Command::new("wrk")
            .args(options)
            .args([&format!("-d{seconds}s"), "--latency", url]),
        "wrk",
    )?;
    let mut v = json!({ "url": url, "seconds": seconds });
    let ms = |text: &str| -> Option<f64> {
        let (n, unit) = text.split_at(text.find(|c: char| c.is_ascii_alphabetic())?);
        let n: f64 = n.parse().ok()?;
        Some(match unit {
            "us" => n / 1000.0,
            "ms" => n,
            "s" => n * 1000.0,
            "m" => n * 60_000.0,
            _ => return None,
        })
    };
    let mut errors = 0u64;
    for line in out.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", n] => v["rps"] = json!(n.parse::<f64>().unwrap_or(0.0)),
            [n, "requests", "in", ..] => v["requests"] = json!(n.parse::<u64>().unwrap_or(0)),
            ["50%", t] => v["p50_ms"] = json!(ms(t)),
            ["99%", t] => v["p99_ms"] = json!(ms(t)),
            ["Non-2xx", "or", "3xx", "responses:", n] => errors += n.parse::<u64>().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    v["errors"] = json!(errors);
    if v["rps"].is_null() {
        bail!("wrk said nothing of requests per second:\n{out}");
    }
    Ok(v)
}

/// One kB figure of a process's `/proc/PID/status` (`VmHWM:`, `RssAnon:`).
pub(crate) fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0)
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn remove_store(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    let mut index = db.as_os_str().to_owned();
    index.push(".index");
    let _ = std::fs::remove_dir_all(PathBuf::from(index));
}

fn durations_ms(sorted: &[Duration]) -> Value {
    json!({
        "n": sorted.len(),
        "p50_ms": seconds(percentile(sorted, 0.5)) * 1000.0,
        "p99_ms": seconds(percentile(sorted, 0.99)) * 1000.0,
    })
}

pub fn run(c: &Config) -> Result<Value> {
    std::fs::create_dir_all(&c.dir)?;
    // Absolute: nginx reads its paths from its prefix.
    let c = &Config {
        dir: std::fs::canonicalize(&c.dir)?,
        dossier: std::fs::canonicalize(&c.dossier)
            .with_context(|| format!("{} is not built", c.dossier.display()))?,
        venv: std::fs::canonicalize(&c.venv)
            .with_context(|| format!("{} is missing: bench/run makes it", c.venv.display()))?,
        postgres: c.postgres.clone(),
        ..*c
    };
    let mut results = json!({
        "orgs": c.orgs,
        "seed": c.seed,
        "quick": c.quick,
        "detail": c.detail,
        "commit": crate::report::commit(),
    });
    let dossier = |db: &Path| {
        let mut cmd = Command::new(&c.dossier);
        cmd.arg("--db").arg(db).env_remove("DOSSIER_DB");
        cmd
    };
    let scratch = c.dir.join("scratch.db");

    // The data, as both files.
    let native = c.dir.join("data.jsonl");
    let ftm = c.dir.join("data.ftm.json");
    for (file, format) in [(&native, "native"), (&ftm, "ftm")] {
        eprintln!("[{}] generating {format}…", c.orgs);
        let (took, _) = run_timed(
            dossier(&scratch)
                .args([
                    "gen",
                    "--orgs",
                    &c.orgs.to_string(),
                    "--seed",
                    &c.seed.to_string(),
                    "--detail",
                    &c.detail.to_string(),
                    "--format",
                    format,
                    "--out",
                ])
                .arg(file),
            "dossier gen",
        )?;
        results["gen"][format] = json!({ "seconds": seconds(took), "bytes": file_size(file) });
    }
    let statements = BufReader::new(std::fs::File::open(&native)?)
        .lines()
        .count();
    let (mut entities, mut values) = (0u64, 0u64);
    for line in BufReader::new(std::fs::File::open(&ftm)?).lines() {
        let v: Value = serde_json::from_str(&line?)?;
        entities += 1;
        if let Some(props) = v["properties"].as_object() {
            values += props
                .values()
                .map(|p| p.as_array().map_or(0, Vec::len) as u64)
                .sum::<u64>();
        }
    }
    results["data"] =
        json!({ "statements": statements, "ftm_entities": entities, "ftm_values": values });

    // Import.
    eprintln!("[{}] importing…", c.orgs);
    let db = c.dir.join("store.db");
    remove_store(&db);
    let (took, _) = run_timed(dossier(&db).arg("import").arg(&native), "import native")?;
    results["import"]["native"] = json!({
        "seconds": seconds(took),
        "statements_per_s": statements as f64 / seconds(took),
    });
    let took = crate::ceiling::measure(&c.dir.join("ceiling.db"), statements as u64)?;
    results["import"]["sqlite_ceiling"] = json!({
        "seconds": seconds(took),
        "statements_per_s": statements as f64 / seconds(took),
    });
    let took =
        crate::ceiling::measure_with_todays_indexes(&c.dir.join("ceiling.db"), statements as u64)?;
    results["import"]["sqlite_todays_indexes"] = json!({
        "seconds": seconds(took),
        "statements_per_s": statements as f64 / seconds(took),
    });
    let from_ftm = c.dir.join("from-ftm.db");
    remove_store(&from_ftm);
    let (took, _) = run_timed(dossier(&from_ftm).arg("import").arg(&ftm), "import FtM")?;
    let ftm_statements = SqliteStore::open(&from_ftm)?.stats()?.statements;
    results["import"]["ftm"] = json!({
        "seconds": seconds(took),
        "values_per_s": values as f64 / seconds(took),
        "statements": ftm_statements,
    });
    remove_store(&from_ftm);
    let (took, _) = run_timed(
        Command::new(c.venv.join("bin/ftm"))
            .args(["aggregate", "-o", "/dev/null", "-i"])
            .arg(&ftm),
        "ftm aggregate",
    )?;
    results["import"]["ftm_aggregate"] = json!({
        "seconds": seconds(took),
        "values_per_s": values as f64 / seconds(took),
    });
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let bytes = file_size(&db) + file_size(Path::new(&wal));
    results["store"] = json!({
        "bytes": bytes,
        "bytes_per_million_statements": bytes as f64 / statements as f64 * 1e6,
    });
    results["stats"] = time_stats(&db, &[])?;

    // Search.
    eprintln!("[{}] search…", c.orgs);
    let (took, out) = run_timed(dossier(&db).arg("reindex"), "dossier reindex")?;
    results["index"] = json!({ "seconds": seconds(took), "said": out.trim() });
    let store = SqliteStore::open(&db)?;
    let texts = c.dir.join("texts.tsv");
    let queries = c.dir.join("queries.tsv");
    let (mix, target, sample) = texts_and_queries(&store, &texts, &queries, c)?;
    drop(store);
    let mut index_dir = db.as_os_str().to_owned();
    index_dir.push(".index");
    let index = SearchIndex::open(Path::new(&index_dir))?;
    for (kind, d) in time_mix(&index, &mix, 1)? {
        results["search"]["dossier"][kind] = durations_ms(&d);
    }
    drop(index);
    let mut peers = vec![("fts5", c.dir.to_string_lossy().into_owned())];
    if let Some(url) = &c.postgres {
        peers.push(("postgres", url.clone()));
    }
    for (tool, place) in peers {
        eprintln!("[{}] search: {tool}…", c.orgs);
        let (_, out) = run_timed(
            Command::new(c.venv.join("bin/python"))
                .arg("scripts/bench_search.py")
                .arg(&texts)
                .arg(&queries)
                .args([tool, &place]),
            "scripts/bench_search.py",
        )?;
        let v: Value = serde_json::from_str(&out)?;
        results["search"][tool]["build_s"] = v["build_s"].clone();
        for kind in ["random", "common"] {
            let mut d: Vec<Duration> = v[format!("{kind}_ns")]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|n| Duration::from_nanos(n.as_u64().unwrap_or(0)))
                        .collect()
                })
                .unwrap_or_default();
            d.sort();
            results["search"][tool][kind] = durations_ms(&d);
        }
    }

    // The profile page.
    eprintln!("[{}] profile page…", c.orgs);
    let length = if c.quick { 5 } else { 30 };
    // A signed-in reader, whose pages are kept apart from those of
    // visitors who are not signed in (for the collections hidden from them).
    let token = crate::load::reader_token(
        &|args: &[&str]| {
            let mut cmd = dossier(&db);
            cmd.args(args);
            cmd
        },
        "bench",
    )?;
    let port = free_port()?;
    let server = Running(
        dossier(&db)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    wait_for(port, "dossier serve")?;
    let page = format!("/entities/{target}");
    let (status, body) = get(port, &page)?;
    if status != 200 {
        bail!("{page}: {status}");
    }
    // Memory sampled through the load: the process's own (anonymous) and
    // in all (the store's file pages it has mapped count too, though the
    // system can take them back).
    let pid = server.0.id();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut anon = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                anon = anon.max(status_kb(pid, "RssAnon:") * 1024);
                std::thread::sleep(Duration::from_millis(100));
            }
            anon
        })
    };
    let ours = wrk(&format!("http://127.0.0.1:{port}{page}"), length)?;
    let signed_in = wrk_with(
        &[
            "-t2",
            "-c32",
            "-H",
            &format!("Authorization: Bearer {token}"),
        ],
        &format!("http://127.0.0.1:{port}{page}"),
        length,
    )?;
    // Made from the store on every request, as a page not yet kept is:
    // `no-cache` asks the page cache for a page made now.
    let rendered = wrk_with(
        &["-t2", "-c32", "-H", "Cache-Control: no-cache"],
        &format!("http://127.0.0.1:{port}{page}"),
        length,
    )?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let anon = sampler.join().unwrap_or(0);
    // Many pages, read while an editor writes.
    eprintln!("[{}] pages under writes…", c.orgs);
    results["under_writes"] = crate::writes::run(port, &db, &sample, length, &c.dir)?;
    results["profile"]["dossier"] = ours;
    results["profile"]["dossier_signed_in"] = signed_in;
    results["profile"]["dossier_rendered"] = rendered;
    results["profile"]["page_bytes"] = json!(body.len());
    results["memory"]["serve_peak_rss_bytes"] = json!(status_kb(pid, "VmHWM:") * 1024);
    results["memory"]["serve_peak_anon_bytes"] = json!(anon);
    drop(server);

    if c.serving {
        eprintln!("[{}] serving from PostgreSQL…", c.orgs);
        let postgres = c
            .postgres
            .as_deref()
            .context("serving from PostgreSQL needs DOSSIER_TEST_PG")?;
        results["serving"] = crate::nodes::measure(&crate::nodes::Setup {
            dossier: &c.dossier,
            dir: &c.dir,
            native: &native,
            sqlite: &db,
            postgres,
            target: &target,
            orgs: &sample,
            seconds: length,
        })?;
    }

    // The same page, static, from nginx.
    let www = c.dir.join("www");
    std::fs::create_dir_all(&www)?;
    std::fs::write(www.join("profile.html"), &body)?;
    let port = free_port()?;
    let conf = c.dir.join("nginx.conf");
    let user = if nix_is_root() { "user root;\n" } else { "" };
    std::fs::write(
        &conf,
        format!(
            "{user}daemon off;\nworker_processes 2;\npid {dir}/nginx.pid;\nerror_log {dir}/nginx-error.log;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; client_body_temp_path {dir}/tmp; proxy_temp_path {dir}/tmp; \
             fastcgi_temp_path {dir}/tmp; uwsgi_temp_path {dir}/tmp; scgi_temp_path {dir}/tmp;\n\
             server {{ listen 127.0.0.1:{port}; root {www}; default_type text/html; }} }}\n",
            dir = c.dir.display(),
            www = www.display(),
        ),
    )?;
    std::fs::create_dir_all(c.dir.join("tmp"))?;
    let nginx = Running(
        Command::new(nginx_binary())
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(&c.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start nginx")?,
    );
    wait_for(port, "nginx")?;
    results["profile"]["nginx"] = wrk(&format!("http://127.0.0.1:{port}/profile.html"), length)?;
    // Asked to stop, nginx stops its workers too; killed, it would leave
    // them running.
    let _ = Command::new(nginx_binary())
        .arg("-c")
        .arg(&conf)
        .arg("-p")
        .arg(&c.dir)
        .args(["-s", "stop"])
        .stderr(Stdio::null())
        .status();
    let mut nginx = nginx;
    let asked = Instant::now();
    while matches!(nginx.0.try_wait(), Ok(None)) && asked.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(nginx);

    // Datasette's row page for the same organization, in the same database.
    let port = free_port()?;
    let datasette = Running(
        Command::new(c.venv.join("bin/datasette"))
            .arg("serve")
            .arg(&db)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start datasette")?,
    );
    wait_for(port, "datasette")?;
    let row = format!("/store/entity/{target}");
    let (status, _) = get(port, &row)?;
    if status != 200 {
        bail!("datasette {row}: {status}");
    }
    results["profile"]["datasette"] = wrk(&format!("http://127.0.0.1:{port}{row}"), length)?;
    results["profile"]["datasette_json"] =
        wrk(&format!("http://127.0.0.1:{port}{row}.json"), length)?;
    drop(datasette);

    // The graph, at a size in proportion (as `dossier-bench graph` at 1M).
    eprintln!("[{}] graph…", c.orgs);
    let g = crate::graph::Config {
        networks: (c.orgs / 9).max(10),
        orgs: c.orgs - c.orgs / 9,
        links: c.orgs / 5,
        seed: c.seed,
        hops: if c.quick { 300 } else { 2000 },
        paths: if c.quick { 100 } else { 500 },
        python: Some(c.venv.join("bin/python").to_string_lossy().into_owned()),
        dir: c.dir.to_string_lossy().into_owned(),
    };
    results["graph"] = crate::graph::measure(&g)?;

    // Verification: archived documents of generated prose, a quotation an
    // organization anchored in them (a tenth as many documents), at most
    // 200,000 quotations: making the corpus takes ten times as long as
    // verifying it, and the rate a quotation is what is measured.
    eprintln!("[{}] verify…", c.orgs);
    let quotes = if c.quick { c.orgs / 10 } else { c.orgs }.clamp(1000, 200_000);
    let evidence = c.dir.join("evidence.db");
    remove_store(&evidence);
    results["verify"] = crate::evidence::measure(
        quotes / 10,
        quotes,
        &evidence.to_string_lossy(),
        if c.quick { 1 } else { 3 },
    )?;
    remove_store(&evidence);

    // Cross-referencing: the whole FtM file, and a sample both tools take.
    eprintln!("[{}] xref…", c.orgs);
    results["xref"] = crate::xref::measure(
        &ftm,
        if c.quick { 500 } else { 2000 },
        c.seed,
        c.detail,
        &c.venv.join("bin/python").to_string_lossy(),
        &c.dir,
    )?;

    std::fs::write(
        c.dir.join("results.json"),
        serde_json::to_string_pretty(&results)?,
    )?;
    Ok(results)
}

/// Each query of the mix `rounds` times (after 50 to warm up), the times
/// sorted, by kind.
fn time_mix<'m>(
    index: &SearchIndex,
    mix: &'m [(String, String)],
    rounds: usize,
) -> Result<HashMap<&'m str, Vec<Duration>>> {
    let mut ours: HashMap<&str, Vec<Duration>> = HashMap::new();
    for (_, q) in mix.iter().take(50) {
        index.search(&search_query(q))?;
    }
    for _ in 0..rounds {
        for (kind, q) in mix {
            let t = Instant::now();
            std::hint::black_box(index.search(&search_query(q))?);
            ours.entry(kind.as_str()).or_default().push(t.elapsed());
        }
    }
    for d in ours.values_mut() {
        d.sort();
    }
    Ok(ours)
}

/// `dossier-bench search --dir DIR`: the query mix a suite run wrote
/// (`queries.tsv`) against its index again, to profile search alone.
pub fn search_again(dir: &Path, rounds: usize, slowest: usize) -> Result<()> {
    let mix: Vec<(String, String)> = std::fs::read_to_string(dir.join("queries.tsv"))
        .with_context(|| format!("no queries.tsv in {}: run the suite first", dir.display()))?
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, q)| (k.to_string(), q.to_string()))
        .collect();
    let index = SearchIndex::open(&dir.join("store.db.index"))?;
    let mut kinds: Vec<_> = time_mix(&index, &mix, rounds)?.into_iter().collect();
    kinds.sort();
    println!("| queries | runs | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|");
    for (kind, d) in kinds {
        println!(
            "| {kind} | {} | {:.3} | {:.3} | {:.3} |",
            d.len(),
            seconds(percentile(&d, 0.5)) * 1000.0,
            seconds(percentile(&d, 0.99)) * 1000.0,
            seconds(d[d.len() - 1]) * 1000.0
        );
    }
    if slowest > 0 {
        // Each query's median over the rounds, slowest first.
        let mut each: Vec<(Duration, &str, &str)> = Vec::new();
        for (kind, q) in &mix {
            let mut d: Vec<Duration> = (0..rounds.max(1))
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(index.search(&search_query(q)).map(|r| r.total))
                        .map(|_| t.elapsed())
                })
                .collect::<std::result::Result<_, _>>()?;
            d.sort();
            each.push((d[d.len() / 2], kind, q));
        }
        each.sort_by_key(|e| std::cmp::Reverse(e.0));
        println!("\n| ms | kind | query | hits |\n|---|---|---|---|");
        for (d, kind, q) in each.into_iter().take(slowest) {
            let total = index.search(&search_query(q))?.total;
            println!("| {:.3} | {kind} | `{q}` | {total} |", seconds(d) * 1000.0);
        }
    }
    Ok(())
}

fn search_query(q: &str) -> SearchQuery {
    SearchQuery {
        text: q.to_string(),
        limit: 20,
        ..Default::default()
    }
}

fn nix_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

fn nginx_binary() -> PathBuf {
    ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from("nginx"))
}

/// The query mix (kind, words), the organization whose profile is
/// measured, and the sample read under writes.
type Chosen = (Vec<(String, String)>, String, Vec<String>);

/// Writes what the search peers index (the texts Dossier's index holds:
/// names and texts of bodies, people, claims and sources) and the query
/// mix; returns the mix, an organization whose profile is measured, and a
/// sample of organizations whose pages are read under writes.
fn texts_and_queries(
    store: &dyn Store,
    texts: &Path,
    queries: &Path,
    c: &Config,
) -> Result<Chosen> {
    let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
    let mut w = std::io::BufWriter::new(std::fs::File::create(texts)?);
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    let mut target = None;
    // A uniform sample (reservoir), the same for a seed.
    let wanted = if c.quick { 500 } else { 2_000 };
    let mut sample: Vec<String> = Vec::new();
    let mut seen = 0usize;
    let mut pick = fastrand::Rng::with_seed(c.seed + 11);
    for kind in [
        &["Organization", "PublicBody"][..],
        &["Person"],
        &["Claim"],
        &["Document"],
    ] {
        for e in store.entities(kind)? {
            let names: Vec<&str> = ["name", "alias", "abbreviation"]
                .iter()
                .flat_map(|p| e.values(p))
                .collect();
            let text: Vec<&str> = ["summary", "description", "text", "title", "position"]
                .iter()
                .flat_map(|p| e.values(p))
                .collect();
            let (names, text) = (clean(&names.join(" ")), clean(&text.join(" ")));
            writeln!(w, "{}\t{}\t{}\t{}", e.id, e.schema.name, names, text)?;
            for word in names.split_whitespace().chain(text.split_whitespace()) {
                let word: String = word
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
                    .to_lowercase();
                if word.len() >= 3 {
                    *counts.entry(word.clone()).or_default() += 1;
                    words.push(word);
                }
            }
            if e.schema.name == "Organization" {
                seen += 1;
                if sample.len() < wanted {
                    sample.push(e.id.clone());
                } else if let Some(slot) = sample.get_mut(pick.usize(..seen)) {
                    *slot = e.id.clone();
                }
            }
            if target.is_none() && e.schema.name == "Organization" && e.has("summary") {
                target = Some(e.id.clone());
            }
        }
    }
    w.flush()?;
    let target = target.context("no organization with a summary")?;
    let mut by_count: Vec<(&String, &u64)> = counts.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let common: Vec<&str> = by_count.iter().take(20).map(|(w, _)| w.as_str()).collect();
    let mut rng = fastrand::Rng::with_seed(c.seed + 7);
    let mut mix = Vec::new();
    let n = if c.quick { 200 } else { 1000 };
    // Random words: drawn from the running text, one or two a query.
    for _ in 0..n {
        let k = 1 + rng.usize(..2);
        let q: Vec<&str> = (0..k)
            .map(|_| words[rng.usize(..words.len())].as_str())
            .collect();
        mix.push(("random".to_string(), q.join(" ")));
    }
    // Common words: the twenty most frequent, alone and in pairs.
    for _ in 0..n / 4 {
        let k = 1 + rng.usize(..2);
        let q: Vec<&str> = (0..k).map(|_| common[rng.usize(..common.len())]).collect();
        mix.push(("common".to_string(), q.join(" ")));
    }
    let mut out = String::new();
    for (kind, q) in &mix {
        out.push_str(&format!("{kind}\t{q}\n"));
    }
    std::fs::write(queries, out)?;
    Ok((mix, target, sample))
}

/// `stats` on the imported store, in-process: from the counts the store
/// keeps (the median of five, the first after opening included); for a
/// reader who hides a collection with nothing in it, and one who hides
/// every collection the store has (the kept counts less all that is
/// hidden: the most that reader's work can be); and by going over every
/// row. Each must agree with going over every row its reader may see.
/// `hide`: one more reader, who hides these collections (`dossier-bench
/// stats`).
pub(crate) fn time_stats(db: &Path, hide: &[String]) -> Result<Value> {
    let store = SqliteStore::open(db)?;
    let mut kept = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        store.stats()?;
        kept.push(started.elapsed());
    }
    kept.sort_unstable();
    let all = store.stats()?;
    // Milliseconds from the kept counts, and by going over the rows.
    let timed = |scope: &dossier_store::Scope| -> Result<(f64, f64)> {
        let reader = store.reader(scope);
        let started = Instant::now();
        let stats = reader.stats()?;
        let took = started.elapsed();
        let started = Instant::now();
        let counted = reader.stats_by_scan()?;
        let scan = started.elapsed();
        if stats != counted {
            bail!("the kept counts differ from counting every row: {stats:?}, {counted:?}");
        }
        Ok((seconds(took) * 1e3, seconds(scan) * 1e3))
    };
    let (empty, _) = timed(&dossier_store::Scope::hiding([
        "a-collection-no-one-has".to_string()
    ]))?;
    let (everything_hidden, _) = timed(&dossier_store::Scope::hiding(all.datasets.clone()))?;
    let asked = if hide.is_empty() {
        Value::Null
    } else {
        let scope = dossier_store::Scope::hiding(hide.to_vec());
        let (kept, scan) = timed(&scope)?;
        // Again with what the collections hide kept from a first call, as
        // the server keeps it between requests: the median of five.
        let reader = store.reader(&scope);
        let (first, part) = reader.stats_keeping(None)?;
        let mut again = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let (stats, _) = reader.stats_keeping(part.as_deref())?;
            again.push(started.elapsed());
            if stats != first {
                bail!("the counts with the part kept differ: {stats:?}, {first:?}");
            }
        }
        again.sort_unstable();
        json!({
            "kept_ms": kept,
            "scan_ms": scan,
            "part_kept_ms": seconds(percentile(&again, 0.5)) * 1e3,
        })
    };
    let started = Instant::now();
    let counted = store.stats_by_scan()?;
    let scan = started.elapsed();
    if counted != all {
        bail!("the kept counts differ from counting every row: {counted:?}");
    }
    Ok(json!({
        "kept_ms": seconds(percentile(&kept, 0.5)) * 1e3,
        "hiding_empty_ms": empty,
        "hiding_all_ms": everything_hidden,
        "hiding_asked_ms": asked,
        "scan_ms": seconds(scan) * 1e3,
    }))
}
