//! `dossier-bench verify --docs N --quotes M`: verification throughput and
//! origin-discovery time. Generates N archived documents of synthetic prose
//! and M quotations anchored in them — most exact, some in other typography,
//! some with a word changed, some whose text is absent, some whose stored
//! position is off — then times `verify_all` over the store, and
//! `discover` for a set of quotations with no origin.

use dossier_store::prelude::*;
use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Result;
use dossier_evidence::check::{archive_index, discover_with, verify_all_with};
use dossier_evidence::{Prepared, Selector};
use dossier_model::ids::{sha256_hex, stable_id};
use dossier_model::{Batch, Entity, Provenance, Value};
use dossier_store::{ArchivedCopy, NewCopy, Scope, SqliteStore};
use serde_json::json;

const WORDS: &[&str] = &[
    "water",
    "rights",
    "village",
    "council",
    "school",
    "peace",
    "dialogue",
    "youth",
    "women",
    "farmers",
    "olive",
    "harvest",
    "border",
    "checkpoint",
    "housing",
    "health",
    "clinic",
    "teachers",
    "parents",
    "students",
    "community",
    "network",
    "project",
    "funding",
    "report",
    "meeting",
    "workshop",
    "training",
    "leaders",
    "families",
    "land",
    "registration",
    "court",
    "appeal",
    "permit",
    "demolition",
    "road",
    "well",
    "spring",
    "valley",
    "we",
    "they",
    "will",
    "have",
    "never",
    "always",
    "together",
    "across",
    "between",
    "within",
    "support",
    "oppose",
    "build",
    "open",
    "close",
    "share",
    "listen",
    "speak",
    "write",
    "publish",
];

fn sentence(rng: &mut fastrand::Rng) -> String {
    let n = rng.usize(8..20);
    let mut s: Vec<String> = (0..n)
        .map(|_| WORDS[rng.usize(0..WORDS.len())].to_string())
        .collect();
    s[0] = format!("{}{}", s[0][..1].to_uppercase(), &s[0][1..]);
    format!("{}.", s.join(" "))
}

fn document(rng: &mut fastrand::Rng, i: usize) -> String {
    let mut lines = vec![format!("Statement number {i}")];
    for _ in 0..rng.usize(20..40) {
        lines.push(
            (0..rng.usize(2..5))
                .map(|_| sentence(rng))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    lines.join("\n")
}

fn prov() -> Provenance {
    Provenance {
        dataset: "bench".into(),
        source: String::new(),
        user: "bench".into(),
        origin: Some("bench".into()),
        now: "2026-01-01T00:00:00".into(),
    }
}

/// Builds the store; returns the ids of the quotations left without origin.
fn build(
    store: &mut SqliteStore,
    docs: usize,
    quotes: usize,
    unanchored: usize,
) -> Result<Vec<String>> {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut copies = Vec::new();
    let mut texts = Vec::new();
    let mut documents = Vec::new();
    for i in 0..docs {
        let text = document(&mut rng, i);
        let url = format!("https://origin.example/{i}");
        let id = stable_id("doc", &[&url]);
        let sha = sha256_hex(text.as_bytes());
        let mut d = Entity::new(id.clone(), "Document")?;
        d.add("fileName", Value::from(format!("{i}.txt")))?;
        let mut b = Batch::new(id.clone(), sha.clone());
        b.put(d)?;
        documents.push(b);
        copies.push(NewCopy {
            info: ArchivedCopy {
                sha256: sha,
                document: id,
                url: Some(url),
                retrieved: "2025-01-01T00:00:00Z".into(),
                title: format!("Statement number {i}"),
                record_id: None,
                archived_at: "2026-01-01T00:00:00Z".into(),
                user: "bench".into(),
                dataset: String::new(),
                media_type: "text/plain".into(),
                size: text.len() as i64,
            },
            content: text.clone().into_bytes(),
            text: text.clone(),
        });
        texts.push(text);
    }
    for chunk in copies.chunks(1000).zip(documents.chunks(1000)) {
        store.archive(&Scope::everything(), chunk.0, chunk.1, &prov())?;
    }
    // The reporting page, and quotations from it with their anchors.
    let report = stable_id("doc", &["https://watch.example/report"]);
    let mut reports = Vec::new();
    let mut anchors: BTreeMap<String, Batch> = Default::default();
    let mut left = Vec::new();
    let mut batch = Batch::new(report.clone(), "r");
    let mut rd = Entity::new(report.clone(), "Document")?;
    rd.add("fileName", Value::from("report.html"))?;
    batch.put(rd)?;
    for i in 0..quotes + unanchored {
        let d = rng.usize(0..docs);
        let prepared = Prepared::new(&texts[d]);
        let words: Vec<(usize, usize)> = word_spans(&prepared.chars);
        let len = rng.usize(6..16).min(words.len() - 1);
        let from = rng.usize(0..words.len() - len);
        let (start, end) = (words[from].0, words[from + len - 1].1);
        let exact: String = prepared.chars[start..end].iter().collect();
        let kind = rng.usize(0..100);
        let quote = match kind {
            0..=69 => exact.clone(),
            70..=79 => exact.to_uppercase().replace(' ', "  "),
            80..=89 => {
                let mut w: Vec<&str> = exact.split(' ').collect();
                let k = w.len() / 2;
                w[k] = "something";
                w.join(" ")
            }
            _ => {
                (0..len)
                    .map(|_| WORDS[rng.usize(0..WORDS.len())])
                    .collect::<Vec<_>>()
                    .join(" ")
                    + " zebra"
            }
        };
        let claim = format!("clm-bench-{}", i / 10);
        if i % 10 == 0 {
            let mut c = Entity::new(claim.clone(), "Claim")?;
            c.add("kind", Value::from("quote"))?;
            c.add("text", Value::from(format!("Claim {i}")))?;
            c.add("source", Value::from(report.as_str()))?;
            batch.put(c)?;
        }
        let qid = format!("quo-bench-{i}");
        let mut q = Entity::new(qid.clone(), "Quotation")?;
        q.add("text", Value::from(quote))?;
        q.add("claim", Value::from(claim.as_str()))?;
        batch.put(q)?;
        if i >= quotes {
            left.push(qid);
            continue;
        }
        // Drifted: a stored position off by some characters.
        let shift = if kind >= 95 {
            0
        } else if rng.usize(0..20) == 0 {
            17
        } else {
            0
        };
        let sel = Selector::at(&prepared, start, end);
        let doc_id = copies[d].info.document.clone();
        let mut a = Entity::new(stable_id("anc", &[&qid, &doc_id]), "Anchor")?;
        a.add("quotation", Value::from(qid.as_str()))?;
        a.add("document", Value::from(doc_id.as_str()))?;
        a.add("exact", Value::from(sel.exact))?;
        if !sel.prefix.is_empty() {
            a.add("prefix", Value::from(sel.prefix))?;
        }
        if !sel.suffix.is_empty() {
            a.add("suffix", Value::from(sel.suffix))?;
        }
        a.add("start", Value::from((sel.start + shift).to_string()))?;
        a.add("end", Value::from((sel.end + shift).to_string()))?;
        a.add("archivedCopy", Value::from(copies[d].info.sha256.as_str()))?;
        a.add("method", Value::from("exact"))?;
        anchors
            .entry(doc_id.clone())
            .or_insert_with(|| Batch::new(doc_id.clone(), format!("anchors-{doc_id}")))
            .put(a)?;
    }
    reports.push(batch);
    store.apply(&reports, &prov())?;
    let anchor_batches: Vec<Batch> = anchors.into_values().collect();
    for chunk in anchor_batches.chunks(500) {
        store.amend(chunk, &prov())?;
    }
    Ok(left)
}

/// Start and end of every word (maximal alphanumeric run).
fn word_spans(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, chars.len()));
    }
    out
}

/// Builds the store at `db` when it is missing (`docs` archived documents,
/// `quotes` anchored quotations and 1,000 without origin), then times
/// `verify_all_with` (the median of `runs`) and origin discovery for the
/// quotations without origin, the shingle index (made once, as `dossier
/// verify` keeps it) apart.
pub fn measure(docs: usize, quotes: usize, db: &str, runs: usize) -> Result<serde_json::Value> {
    let unanchored = 1000;
    let fresh = !std::path::Path::new(db).exists();
    let mut store = SqliteStore::open(db)?;
    let mut built = None;
    if fresh {
        eprintln!("building {docs} archived documents and {quotes} anchored quotations into {db}…");
        let started = Instant::now();
        build(&mut store, docs, quotes, unanchored)?;
        built = Some(started.elapsed().as_secs_f64());
    }
    let left: Vec<Entity> = store
        .entities(&["Quotation"])?
        .into_iter()
        .filter(|q| {
            q.id.starts_with("quo-bench-")
                && q.id["quo-bench-".len()..]
                    .parse::<usize>()
                    .is_ok_and(|n| n >= quotes)
        })
        .collect();
    // The shingle index, as `dossier verify` keeps it from run to run:
    // made once, apart; each run checks every quotation (and judges its
    // origin by the rules) with it.
    let started = Instant::now();
    let index = archive_index(&store)?;
    let index_build = started.elapsed().as_secs_f64();
    let mut times = Vec::new();
    let mut marks = BTreeMap::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let checks = verify_all_with(&store, &index)?;
        times.push(started.elapsed().as_secs_f64());
        marks.clear();
        for c in &checks {
            *marks.entry(c.mark.as_str().to_string()).or_insert(0usize) += 1;
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let started = Instant::now();
    let proposals = discover_with(&store, &left, &index)?.proposals;
    let discovery = started.elapsed().as_secs_f64() + index_build;
    let found = proposals
        .iter()
        .filter(|p| p.holders >= 1)
        .map(|p| &p.quotation)
        .collect::<std::collections::HashSet<_>>()
        .len();
    Ok(json!({
        "docs": docs,
        "quotes": quotes,
        "unanchored": left.len(),
        "build_s": built,
        "verify": {
            "runs": times,
            "seconds": median,
            "quotations_per_s": quotes as f64 / median,
            "marks": marks,
        },
        "discover": {
            "index_s": index_build,
            "seconds": discovery,
            "ms_per_quotation": (discovery - index_build).max(0.0) * 1000.0 / left.len().max(1) as f64,
            "found": found,
        },
    }))
}

pub fn run(docs: usize, quotes: usize, db: &str) -> Result<()> {
    let v = measure(docs, quotes, db, 3)?;
    if let Some(s) = v["build_s"].as_f64() {
        eprintln!("  built in {s:.1} s");
    }
    let (verify, disc) = (&v["verify"], &v["discover"]);
    println!(
        "store: {docs} archived documents, {quotes} anchored quotations, {} without origin ({db})",
        v["unanchored"]
    );
    println!();
    println!("| measure | figure |");
    println!("|---|---|");
    println!(
        "| verify every quotation (median of 3 runs) | {:.2} s, {:.0} quotations/s |",
        verify["seconds"].as_f64().unwrap_or(0.0),
        verify["quotations_per_s"].as_f64().unwrap_or(0.0)
    );
    println!(
        "| marks | {} |",
        verify["marks"]
            .as_object()
            .map(|m| m
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join(", "))
            .unwrap_or_default()
    );
    println!(
        "| origin discovery: shingle index over {docs} archived texts | {:.2} s |",
        disc["index_s"].as_f64().unwrap_or(0.0)
    );
    println!(
        "| origin discovery for {} quotations, index included | {:.2} s in all; {:.2} ms per quotation beyond the index; {} found |",
        v["unanchored"],
        disc["seconds"].as_f64().unwrap_or(0.0),
        disc["ms_per_quotation"].as_f64().unwrap_or(0.0),
        disc["found"]
    );
    Ok(())
}
