//! `dossier-bench xref`: cross-referencing side by side with nomenklatura
//! (`scripts/bench_xref.py`) on the same FtM files in the same run:
//! precision, recall and F1 on the labeled set (`dossier_resolve::labeled`),
//! and pairs scored per second on a generated dataset.

use std::collections::{BTreeMap, HashMap};
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_resolve::labeled::labeled_set;
use dossier_resolve::{xref_counted, Options, Record};
use serde_json::{json, Value};

pub struct Config {
    pub orgs: usize,
    pub python: String,
    pub dir: String,
}

/// Dossier's xref over an FtM file, reading included.
fn ours(path: &str, threshold: f64) -> Result<Run> {
    let t = Instant::now();
    let bytes = std::fs::read(path)?;
    let read = dossier_formats::ftm::read(&bytes)?;
    let records: Vec<Record> = read
        .entities
        .iter()
        .filter(|e| e.schema.is_a("LegalEntity"))
        .map(|e| Record::of_entity(e, "x", Vec::new()))
        .collect();
    let options = Options {
        threshold,
        ..Options::default()
    };
    let (found, scored) = xref_counted(&records, &options);
    let secs = t.elapsed().as_secs_f64();
    let pairs = found
        .iter()
        .map(|m| {
            (
                records[m.a].id.clone(),
                records[m.b].id.clone(),
                m.explained.score,
            )
        })
        .collect();
    Ok(Run {
        seconds: secs,
        startup: 0.0,
        scored,
        pairs,
    })
}

/// What one tool did with one file.
struct Run {
    seconds: f64,
    /// The part of `seconds` spent starting up (the peer's, measured on a
    /// file of one entity).
    startup: f64,
    scored: usize,
    /// Candidate pairs with their scores.
    pairs: Vec<(String, String, f64)>,
}

/// The generator's data at `orgs` organizations (`detail` of them
/// documented in full), as FtM JSON lines.
fn write_generated(orgs: usize, seed: u64, detail: f64, path: &Path) -> Result<()> {
    let mut g = dossier_gen::Generator::new(dossier_gen::GenConfig {
        orgs,
        seed,
        per_source: 100,
        detail,
    });
    let mut entities = Vec::new();
    for b in g.batches() {
        entities.extend(b?.entities().cloned());
    }
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    dossier_formats::ftm::write(&mut w, &entities, &BTreeMap::new())?;
    w.flush()?;
    Ok(())
}

/// `dossier-bench xref --file FTM`: Dossier's xref alone over one FtM file.
pub fn whole(ftm: &Path) -> Result<()> {
    let run = ours(&ftm.to_string_lossy(), Options::default().threshold)?;
    println!(
        "{}: {:.2} s, {} pairs scored ({:.0}/s), {} candidates at or above {}",
        ftm.display(),
        run.seconds,
        run.scored,
        run.scored as f64 / run.seconds.max(1e-9),
        run.pairs.len(),
        Options::default().threshold
    );
    Ok(())
}

/// Cross-referencing at one size of `bench/run`: Dossier over the size's
/// whole FtM file (`ftm`, reading included), and both tools on a sample
/// generated alike at `sample` organizations. nomenklatura scores some 800
/// pairs a second, so it gets the sample only; the ratio across sizes is
/// of pairs scored a second.
/// Dossier over the whole `ftm` file, and both tools over a sample of
/// `sample` organizations generated alike (the same seed and detail).
pub fn measure(
    ftm: &Path,
    sample: usize,
    seed: u64,
    detail: f64,
    python: &str,
    dir: &Path,
) -> Result<Value> {
    let path = ftm.to_string_lossy();
    let threshold = Options::default().threshold;
    let whole = ours(&path, threshold)?;
    let sample_file = dir.join(format!("xref-sample-{sample}.ftm.json"));
    write_generated(sample, seed, detail, &sample_file)?;
    let sample_path = sample_file.to_string_lossy();
    let mine = ours(&sample_path, threshold)?;
    let peer = nomenklatura(python, &sample_path)?;
    let _ = std::fs::remove_file(&sample_file);
    let rate = |r: &Run| r.scored as f64 / (r.seconds - r.startup).max(1e-9);
    Ok(json!({
        "dossier": {
            "seconds": whole.seconds,
            "scored": whole.scored,
            "pairs_per_s": rate(&whole),
            "candidates": whole.pairs.len(),
        },
        "sample": {
            "orgs": sample,
            "dossier": { "seconds": mine.seconds, "scored": mine.scored, "pairs_per_s": rate(&mine) },
            "nomenklatura": {
                "seconds": peer.seconds,
                "startup": peer.startup,
                "scored": peer.scored,
                "pairs_per_s": rate(&peer),
            },
        },
    }))
}

fn nomenklatura(python: &str, path: &str) -> Result<Run> {
    let out = Command::new(python)
        .args(["scripts/bench_xref.py", path])
        .output()
        .with_context(|| format!("running {python} scripts/bench_xref.py"))?;
    if !out.status.success() {
        bail!(
            "scripts/bench_xref.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let pairs = v["pairs"]
        .as_array()
        .context("no pairs")?
        .iter()
        .filter_map(|p| {
            Some((
                p[0].as_str()?.to_string(),
                p[1].as_str()?.to_string(),
                p[2].as_f64().unwrap_or(0.0),
            ))
        })
        .collect();
    Ok(Run {
        seconds: v["seconds"].as_f64().unwrap_or(0.0),
        startup: v["startup"].as_f64().unwrap_or(0.0),
        scored: v["scored"].as_u64().unwrap_or(0) as usize,
        pairs,
    })
}

/// Precision, recall and F1 over the labeled pairs: a pair is called the
/// same when the tool proposed it with at least `threshold`.
fn quality(
    labels: &[(String, String, bool)],
    scores: &HashMap<(String, String), f64>,
    threshold: f64,
) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (a, b, same) in labels {
        let key = pair_key(a, b);
        let called = scores.get(&key).is_some_and(|s| *s >= threshold);
        match (called, same) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fn_ += 1,
            _ => {}
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    (p, r, 2.0 * p * r / (p + r).max(1e-9))
}

/// A pair's key, whichever way round it is given.
fn pair_key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

fn by_pair(pairs: &[(String, String, f64)]) -> HashMap<(String, String), f64> {
    pairs
        .iter()
        .map(|(a, b, s)| {
            let key = pair_key(a, b);
            (key, *s)
        })
        .collect()
}

/// The threshold (in steps of 0.05) with the best F1, and its figures.
fn best(
    labels: &[(String, String, bool)],
    scores: &HashMap<(String, String), f64>,
) -> (f64, (f64, f64, f64)) {
    (1..20)
        .map(|i| f64::from(i) * 0.05)
        .map(|t| (t, quality(labels, scores, t)))
        .max_by(|x, y| x.1 .2.total_cmp(&y.1 .2))
        .unwrap_or((0.5, (0.0, 0.0, 0.0)))
}

pub fn run(c: &Config) -> Result<()> {
    std::fs::create_dir_all(&c.dir)?;
    // The labeled set as FtM: every distinct name an organization.
    let set = labeled_set();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for l in &set {
        for n in [&l.a, &l.b] {
            let next = format!("n{}", ids.len());
            ids.entry(n.clone()).or_insert(next);
        }
    }
    let labeled_file = format!("{}/xref-labeled.ftm.json", c.dir);
    let mut w = std::io::BufWriter::new(std::fs::File::create(&labeled_file)?);
    for (name, id) in &ids {
        writeln!(
            w,
            "{}",
            serde_json::json!({"id": id, "schema": "Organization", "properties": {"name": [name]}})
        )?;
    }
    w.flush()?;
    let labels: Vec<(String, String, bool)> = set
        .iter()
        .filter(|l| l.a != l.b)
        .map(|l| (ids[&l.a].clone(), ids[&l.b].clone(), l.same))
        .collect();
    let positives = labels.iter().filter(|l| l.2).count();

    let mine = ours(&labeled_file, 0.05)?;
    let (our_secs, our_scored) = (mine.seconds, mine.scored);
    let our_scores = by_pair(&mine.pairs);
    let peer = nomenklatura(&c.python, &labeled_file)?;
    let peer_scores = by_pair(&peer.pairs);
    println!(
        "\nLabeled set: {} names, {} labeled pairs ({positives} the same)\n",
        ids.len(),
        labels.len()
    );
    println!("| tool | threshold | precision | recall | F1 | pairs scored | seconds |");
    println!("|---|---|---|---|---|---|---|");
    let ours_default = quality(&labels, &our_scores, Options::default().threshold);
    let (ot, ob) = best(&labels, &our_scores);
    let peer_default = quality(&labels, &peer_scores, 0.5);
    let (pt, pb) = best(&labels, &peer_scores);
    let row = |tool: &str, t: f64, q: (f64, f64, f64), scored: usize, secs: f64| {
        println!(
            "| {tool} | {t:.2} | {:.3} | {:.3} | **{:.3}** | {scored} | {secs:.2} |",
            q.0, q.1, q.2
        );
    };
    row(
        "Dossier (default)",
        Options::default().threshold,
        ours_default,
        our_scored,
        our_secs,
    );
    row("Dossier (best F1)", ot, ob, our_scored, our_secs);
    row(
        "nomenklatura (0.5)",
        0.5,
        peer_default,
        peer.scored,
        peer.seconds,
    );
    row("nomenklatura (best F1)", pt, pb, peer.scored, peer.seconds);

    // Speed on generated data, written as FtM by the generator.
    let gen_file = format!("{}/xref-gen-{}.ftm.json", c.dir, c.orgs);
    write_generated(c.orgs, 1, 1.0, Path::new(&gen_file))?;
    let mine = ours(&gen_file, Options::default().threshold)?;
    let (secs, scored, found) = (mine.seconds, mine.scored, mine.pairs);
    let peer = nomenklatura(&c.python, &gen_file)?;
    let peer_rate = peer.scored as f64 / (peer.seconds - peer.startup).max(1e-9);
    let our_rate = scored as f64 / secs.max(1e-9);
    println!("\nGenerated data: {} organizations ({gen_file})\n", c.orgs);
    println!("| tool | seconds | pairs scored | pairs/s | candidates ≥ threshold |");
    println!("|---|---|---|---|---|");
    println!(
        "| Dossier (reading the file included) | {secs:.2} | {scored} | {our_rate:.0} | {} |",
        found.len()
    );
    println!(
        "| nomenklatura (less {:.1} s of start-up) | {:.2} | {} | {peer_rate:.0} | {} |",
        peer.startup,
        peer.seconds,
        peer.scored,
        peer.pairs.len()
    );
    println!(
        "\nDossier ÷ nomenklatura: {:.1}× the pairs per second, {:.1}× faster end to end.",
        our_rate / peer_rate.max(1e-9),
        peer.seconds / secs.max(1e-9)
    );
    Ok(())
}
