//! Profile pages read while an editor writes (issue 29, part 3): wrk walks
//! the pages of many organizations, as visitors who are not signed in
//! (served from the page cache once made), first with no writes, then with
//! a writer changing one of those organizations 1 and 10 times a second.
//! Each write drops the pages made of what it changed, and `serve` makes
//! them again on their next visit; the rest stay kept.
//!
//! The writer is another connection to the same store, as an import or
//! another server would be: `serve` sees its writes within its follower's
//! interval (half a second).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use dossier_model::{Batch, Entity, Provenance, SourceDoc};
use dossier_store::Store;
use serde_json::{json, Value};

use crate::suite::{get, wrk_with};

/// wrk's script: each thread walks the page list from its own place.
const SCRIPT: &str = r#"
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
function request()
  i = i + 1
  return wrk.format("GET", paths[((start or 0) + i) % #paths + 1])
end
"#;

/// The writes a second measured beside none.
pub(crate) const RATES: [u32; 2] = [1, 10];

/// Reads the profile pages of `orgs` through the server at `port` with
/// no writes and at each of [`RATES`], the writes made to `db` (a SQLite
/// file) by a connection of this process.
pub(crate) fn run(
    port: u16,
    db: &Path,
    orgs: &[String],
    seconds: u64,
    dir: &Path,
) -> Result<Value> {
    let paths: Vec<String> = orgs.iter().map(|id| format!("/entities/{id}")).collect();
    let list = dir.join("write-pages.txt");
    std::fs::write(&list, paths.join("\n") + "\n")?;
    let script = dir.join("write-pages.lua");
    let list_arg = list.to_str().context("the folder's name is not UTF-8")?;
    std::fs::write(&script, SCRIPT.replace("PATHS", list_arg))?;
    let script_arg = script.to_str().context("the folder's name is not UTF-8")?;
    let url = format!("http://127.0.0.1:{port}/");
    let mut out = json!({ "pages": paths.len() });
    for rate in std::iter::once(0).chain(RATES) {
        // Every page made once first: the run starts from a warm cache.
        for p in &paths {
            get(port, p)?;
        }
        let stop = Arc::new(AtomicBool::new(false));
        let writer = (rate > 0).then(|| {
            let (db, orgs, stop) = (db.to_path_buf(), orgs.to_vec(), stop.clone());
            std::thread::spawn(move || {
                let store = dossier_store::SqliteStore::open(&db)?;
                write(store, &orgs, rate, u64::from(rate), &stop)
            })
        });
        let figures = wrk_with(&["-t2", "-c32", "-s", script_arg], &url, seconds)?;
        stop.store(true, Ordering::Relaxed);
        let written = match writer {
            Some(w) => w
                .join()
                .map_err(|_| anyhow::anyhow!("the writer panicked"))??
                .len(),
            None => 0,
        };
        out[format!("writes_{rate}")] = json!({ "wrk": figures, "written": written });
    }
    Ok(out)
}

/// Changes one of `orgs` (another name, from the benchmark's editor)
/// `rate` times a second until `stop`, the organizations drawn by `seed`;
/// returns how long each write took.
pub(crate) fn write(
    mut store: impl Store,
    orgs: &[String],
    rate: u32,
    seed: u64,
    stop: &AtomicBool,
) -> Result<Vec<Duration>> {
    let doc = SourceDoc::file("bench-editor");
    let prov = Provenance {
        dataset: "bench-editor".into(),
        source: doc.id(),
        user: "bench".into(),
        origin: Some("bench".into()),
        now: "2026-12-04T00:00:00".into(),
    };
    let every = Duration::from_secs_f64(1.0 / f64::from(rate));
    let mut rng = fastrand::Rng::with_seed(seed);
    let start = Instant::now();
    let mut took = Vec::new();
    let mut written = 0u64;
    while !stop.load(Ordering::Relaxed) {
        let id = &orgs[rng.usize(..orgs.len())];
        let mut batch = Batch::new(doc.id(), format!("edit {written}"));
        batch.put(doc.entity()?)?;
        let mut e = Entity::new(id.clone(), "Organization")?;
        e.add("alias", format!("Bench alias {written}"))?;
        batch.put(e)?;
        let t = Instant::now();
        store.amend(&[batch], &prov)?;
        took.push(t.elapsed());
        written += 1;
        // Paced from the start: a slow write does not slow the rate.
        let next = every * u32::try_from(written).unwrap_or(u32::MAX);
        if let Some(wait) = next.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
    }
    Ok(took)
}
