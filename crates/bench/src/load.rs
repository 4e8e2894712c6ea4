//! `dossier-bench load`: `dossier serve` under wrk for a while at many
//! connections, on a mix of profile pages, searches and API reads, with
//! its memory sampled through the run. It fails unless every request got
//! an answer below 400 and resident memory stayed flat once warm.
//!
//! This is a reliability check (issue 9, part 4), not a speed figure: the
//! requests per second it prints are for the record, and nothing is
//! judged on them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::suite::{free_port, get, get_with, run_timed, status_kb, wait_for, wrk_with, Running};

#[derive(Clone)]
pub struct Config {
    /// Generated organizations in the store served.
    pub orgs: usize,
    pub seconds: u64,
    pub connections: usize,
    /// Where the store (unless `db` names one), its index and the request
    /// list are kept.
    pub dir: PathBuf,
    /// Another store to serve (a PostgreSQL address): filled when empty.
    pub db: Option<String>,
    /// The `dossier` binary.
    pub dossier: PathBuf,
}

/// How often memory is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(250);

/// The share of the run taken as warm-up: caches fill, and the allocator
/// takes what it keeps.
const WARM_UP: f64 = 0.25;

/// Once warm, the most resident memory in the run's second half may pass
/// the most in its first half by this share, or by [`FLAT_BYTES`],
/// whichever is larger. A leak of 100 bytes a request at a thousand
/// requests a second passes it within the run.
const FLAT_SHARE: f64 = 0.05;
const FLAT_BYTES: u64 = 8 << 20;

/// wrk's script: each thread walks the request list from its own place.
/// A third of the requests are anonymous, mostly served from the page
/// cache; a third are a signed-in reader's (an API token), served from
/// the pages kept for that reader's scope; a third are the reader's with
/// `Cache-Control: no-cache`, rendered every time. So every path is loaded.
pub(crate) const SCRIPT: &str = r#"
local paths = {}
for line in io.lines([[PATHS]]) do
  paths[#paths + 1] = line
end
local threads = 0
function setup(thread)
  thread:set("start", threads * 7919)
  threads = threads + 1
end
local i = 0
local reader = { ["Authorization"] = "Bearer TOKEN" }
local fresh = { ["Authorization"] = "Bearer TOKEN", ["Cache-Control"] = "no-cache" }
function request()
  i = i + 1
  local path = paths[((start or 0) + i) % #paths + 1]
  if i % 3 == 1 then
    return wrk.format("GET", path, reader)
  elseif i % 3 == 2 then
    return wrk.format("GET", path, fresh)
  end
  return wrk.format("GET", path)
end
"#;

/// A new API token of the viewer `name`, the account made first when the
/// store lacks it. `command` runs `dossier` on the store with these
/// arguments.
pub(crate) fn reader_token(command: &dyn Fn(&[&str]) -> Command, name: &str) -> Result<String> {
    let (_, accounts) = run_timed(
        &mut command(&["user", "list", "--json"]),
        "dossier user list",
    )?;
    let accounts: Value = serde_json::from_str(&accounts)?;
    if !accounts
        .as_array()
        .is_some_and(|a| a.iter().any(|u| u["name"] == name))
    {
        let mut add = command(&["user", "add", name, "--role", "viewer"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()?;
        add.stdin
            .take()
            .context("no input to dossier user add")?
            .write_all(b"benchmark reader\n")?;
        if !add.wait()?.success() {
            bail!("dossier user add failed");
        }
    }
    let (_, token) = run_timed(
        &mut command(&["user", "token", name, "--label", "bench"]),
        "dossier user token",
    )?;
    Ok(token.trim().to_string())
}

pub fn run(c: &Config) -> Result<()> {
    std::fs::create_dir_all(&c.dir)?;
    let dir = std::fs::canonicalize(&c.dir)?;
    let c = &Config { dir, ..c.clone() };
    let dossier = std::fs::canonicalize(&c.dossier)
        .with_context(|| format!("{} is not built", c.dossier.display()))?;
    let db: std::ffi::OsString = match &c.db {
        Some(address) => address.into(),
        None => c.dir.join(format!("load-{}.db", c.orgs)).into(),
    };
    let index = c.dir.join(format!("load-{}.index", c.orgs));
    let command = |args: &[&str]| {
        let mut cmd = Command::new(&dossier);
        cmd.arg("--db")
            .arg(&db)
            .arg("--index")
            .arg(&index)
            .args(args)
            .env_remove("DOSSIER_DB");
        cmd
    };
    let (_, stats) = run_timed(&mut command(&["stats", "--json"]), "dossier stats")?;
    let stats: Value = serde_json::from_str(&stats)?;
    if stats["statements"].as_u64() == Some(0) {
        let data = c.dir.join(format!("load-{}.ftm.json", c.orgs));
        let orgs = c.orgs.to_string();
        let out = data.to_str().context("the folder's name is not UTF-8")?;
        run_timed(
            &mut command(&["gen", "--orgs", &orgs, "--seed", "1", "--out", out]),
            "dossier gen",
        )?;
        run_timed(&mut command(&["import", out]), "dossier import")?;
        std::fs::remove_file(&data)?;
    }
    let port = free_port()?;
    let server = Running(
        command(&["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    wait_for(port, "dossier serve")?;
    // The reader whose token signs every other request.
    let token = reader_token(&command, "loader")?;
    let token = token.as_str();
    let paths = requests(port, token)?;
    let list = c.dir.join("load-requests.txt");
    std::fs::write(&list, paths.join("\n") + "\n")?;
    let script = c.dir.join("load.lua");
    let list = list.to_str().context("the folder's name is not UTF-8")?;
    std::fs::write(
        &script,
        SCRIPT.replace("PATHS", list).replace("TOKEN", token),
    )?;

    let pid = server.0.id();
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let start = Instant::now();
            let mut samples = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                samples.push(Sample {
                    at: start.elapsed().as_secs_f64(),
                    resident: status_kb(pid, "VmRSS:") * 1024,
                    own: status_kb(pid, "RssAnon:") * 1024,
                    // Not a kB figure, but read the same way.
                    threads: status_kb(pid, "Threads:"),
                });
                std::thread::sleep(SAMPLE_EVERY);
            }
            samples
        })
    };
    let connections = format!("-c{}", c.connections);
    let script_arg = script.to_str().context("the folder's name is not UTF-8")?;
    let result = wrk_with(
        &["-t2", &connections, "--timeout", "10s", "-s", script_arg],
        &format!("http://127.0.0.1:{port}"),
        c.seconds,
    );
    stop.store(true, Ordering::Relaxed);
    let samples = sampler
        .join()
        .map_err(|_| anyhow::anyhow!("the memory sampler failed"))?;
    let figures = result?;
    let alive = std::fs::metadata(format!("/proc/{pid}")).is_ok();
    drop(server);

    let memory = flatness(&samples);
    let summary = json!({
        "orgs": c.orgs,
        "backend": if c.db.is_some() { "postgres" } else { "sqlite" },
        "seconds": c.seconds,
        "connections": c.connections,
        "distinct_requests": paths.len(),
        "wrk": figures,
        "memory": memory,
        "server_alive": alive,
    });
    println!("{}", serde_json::to_string_pretty(&summary)?);
    let errors = summary["wrk"]["errors"].as_u64().unwrap_or(u64::MAX);
    let flat = memory["flat"].as_bool().unwrap_or(false);
    println!(
        "load: {} requests in {} s at {} connections ({:.0}/s), {errors} errors; \
         resident memory {} → {} MiB once warm, {}",
        summary["wrk"]["requests"],
        c.seconds,
        c.connections,
        summary["wrk"]["rps"].as_f64().unwrap_or(0.0),
        memory["warm_first_half_max_bytes"].as_u64().unwrap_or(0) >> 20,
        memory["warm_second_half_max_bytes"].as_u64().unwrap_or(0) >> 20,
        if flat { "flat" } else { "GROWING" },
    );
    if !alive {
        bail!("the server died under load");
    }
    if errors > 0 {
        bail!("{errors} requests failed");
    }
    if !flat {
        bail!("resident memory grew through the run: {memory}");
    }
    Ok(())
}

/// The request mix, every one checked to answer 200 first: profile pages
/// (HTML and API), searches (page, JSON twin and API), neighbourhoods,
/// networks and paths, over organizations found through the API. Asking
/// each once anonymously and once as the reader also warms what the
/// server keeps (kept pages, the store's page cache, the index's).
pub(crate) fn requests(port: u16, token: &str) -> Result<Vec<String>> {
    let fetch = |path: &str| -> Result<Value> {
        let (status, body) = get(port, path)?;
        if status != 200 {
            bail!("{path}: {status}");
        }
        Ok(serde_json::from_slice(&body)?)
    };
    let mut orgs: Vec<(String, String)> = Vec::new();
    for page in 1..=5 {
        let v = fetch(&format!(
            "/api/v1/search?kind=organization&limit=100&page={page}"
        ))?;
        for hit in v["hits"].as_array().into_iter().flatten() {
            if let (Some(id), Some(title)) = (hit["id"].as_str(), hit["title"].as_str()) {
                orgs.push((id.to_string(), title.to_string()));
            }
        }
    }
    if orgs.len() < 2 {
        bail!("the store has too few organizations to load");
    }
    let networks: Vec<String> = fetch("/api/v1/stats")?["networks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["id"].as_str().map(str::to_string))
        .collect();
    let mut paths = Vec::new();
    for (i, (id, title)) in orgs.iter().enumerate() {
        let word: String = title
            .split_whitespace()
            .nth(i % 2)
            .unwrap_or("peace")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let other = &orgs[(i * 31 + 7) % orgs.len()].0;
        paths.push(format!("/entities/{id}"));
        paths.push(format!("/api/v1/entities/{id}/profile"));
        paths.push(format!("/api/v1/entities/{id}/neighbours"));
        match i % 3 {
            0 => paths.push(format!("/search?q={word}")),
            1 => paths.push(format!("/search.json?q={word}&kind=organization")),
            _ => paths.push(format!("/api/v1/search?q={word}")),
        }
        if i % 4 == 0 {
            paths.push(format!("/api/v1/path?from={id}&to={other}"));
        }
        if let Some(n) = networks.get(i % networks.len().max(1)) {
            if i % 5 == 0 {
                paths.push(format!("/api/v1/networks/{n}"));
            }
        }
    }
    // Only what answers 200 goes in (two organizations may have no path
    // between them); each kind must be there.
    let mut kept = Vec::new();
    let reader = format!("Authorization: Bearer {token}\r\n");
    for p in paths {
        if get(port, &p)?.0 == 200 {
            let (status, _) = get_with(port, &p, &reader)?;
            if status != 200 {
                bail!("{p}: {status} for the signed-in reader, 200 for anyone");
            }
            kept.push(p);
        }
    }
    for kind in [
        "/entities/",
        "/profile",
        "/neighbours",
        "/search?",
        "/search.json?",
        "/api/v1/search?",
        "/api/v1/path?",
    ] {
        if !kept.iter().any(|p| p.contains(kind)) {
            bail!("no request of the kind {kind} answers 200");
        }
    }
    Ok(kept)
}

/// Asks for every request of the list in the file `list` once
/// anonymously and once as the reader, as [`requests`] does: a server
/// started beside another is warmed the same way.
pub(crate) fn warm(port: u16, list: &Path, token: &str) -> Result<()> {
    let reader = format!("Authorization: Bearer {token}\r\n");
    for p in std::fs::read_to_string(list)?.lines() {
        for headers in ["", reader.as_str()] {
            let (status, _) = get_with(port, p, headers)?;
            if status != 200 {
                bail!("{p}: {status}");
            }
        }
    }
    Ok(())
}

/// One look at the server's memory.
struct Sample {
    /// Seconds since the run began.
    at: f64,
    /// Resident bytes in all (`VmRSS`).
    resident: u64,
    /// The process's own resident bytes (`RssAnon`), without the store's
    /// file pages it has mapped: each connection maps the file, and those
    /// pages count once a mapping in `resident` though they are held once.
    own: u64,
    threads: u64,
}

/// Whether resident memory stayed flat once warm, with the figures.
fn flatness(samples: &[Sample]) -> Value {
    let end = samples.last().map(|s| s.at).unwrap_or(0.0);
    let middle = end * (WARM_UP + (1.0 - WARM_UP) / 2.0);
    let most = |from: f64, to: f64| {
        samples
            .iter()
            .filter(|s| s.at >= from && s.at < to)
            .map(|s| s.resident)
            .max()
            .unwrap_or(0)
    };
    let first = most(end * WARM_UP, middle);
    let second = most(middle, f64::INFINITY);
    let allowed = ((first as f64 * FLAT_SHARE) as u64).max(FLAT_BYTES);
    // One figure every ten seconds (the most in each), for the record.
    let each_10s = |of: fn(&Sample) -> u64| -> Vec<u64> {
        samples
            .chunks((10.0 / SAMPLE_EVERY.as_secs_f64()) as usize)
            .map(|c| c.iter().map(of).max().unwrap_or(0) >> 20)
            .collect()
    };
    json!({
        "samples": samples.len(),
        "start_bytes": samples.first().map(|s| s.resident),
        "peak_bytes": samples.iter().map(|s| s.resident).max(),
        "warm_first_half_max_bytes": first,
        "warm_second_half_max_bytes": second,
        "allowed_growth_bytes": allowed,
        "max_mib_each_10s": each_10s(|s| s.resident),
        "own_mib_each_10s": each_10s(|s| s.own),
        "most_threads": samples.iter().map(|s| s.threads).max(),
        "flat": samples.len() >= 8 && second <= first + allowed,
    })
}

/// The binary beside this one (`target/<profile>/dossier`).
pub fn sibling_dossier() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|d| d.join("dossier")))
        .filter(|p| p.exists())
        .unwrap_or_else(|| Path::new("target/debug/dossier").to_path_buf())
}
