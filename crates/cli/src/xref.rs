//! `dossier xref`: pairs of entities that may be the same body or person,
//! within the store or between the store and an FtM file.

use std::path::PathBuf;

use anyhow::{Context, Result};
use dossier_graph::analysis::{Filter, Graph};
use dossier_resolve::{xref, Judgement, Options, Record};
use dossier_store::Store;
use serde_json::json;

use crate::{open, Cli};

#[derive(clap::Args)]
pub struct XrefArgs {
    /// Compare the store against the entities of this FtM JSON-lines file
    /// (a sanctions list, another team's data) instead of against itself.
    #[arg(long)]
    against: Option<PathBuf>,
    /// Leave out pairs scored below this (0–1).
    #[arg(long, default_value_t = 0.75)]
    threshold: f64,
    /// Show at most this many pairs, best first.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Also show pairs already judged (directly or through their clusters).
    #[arg(long)]
    all: bool,
    /// Machine-readable output.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct JudgeArgs {
    /// One entity's id.
    a: String,
    /// The other's.
    b: String,
    /// same, not-same, unsure, or none (takes your decision back).
    verdict: String,
    /// Why, for the record.
    #[arg(long)]
    note: Option<String>,
}

/// `dossier judge A B VERDICT`: records a reviewer's decision on a pair.
pub fn judge(cli: &Cli, args: &JudgeArgs) -> Result<()> {
    let verdict = match args.verdict.trim().to_ascii_lowercase().as_str() {
        "none" | "undo" => None,
        v => Some(Judgement::parse(v).with_context(|| {
            format!(
                "verdict {:?} is not one of same, not-same, unsure, none",
                args.verdict
            )
        })?),
    };
    let mut store = open(&cli.db)?;
    let prov = crate::provenance(&cli.user, dossier_resolve::stored::DATASET, "review");
    let resolver = dossier_resolve::stored::record(
        &mut store,
        &args.a,
        &args.b,
        verdict,
        args.note.as_deref(),
        &prov,
    )?;
    let cluster = resolver.cluster(&args.a);
    println!(
        "{} and {}: {}. {} is in a cluster of {} (canonical id {}).",
        args.a,
        args.b,
        verdict.map_or("decision taken back", Judgement::as_str),
        args.a,
        cluster.len(),
        resolver.canonical(&args.a)
    );
    Ok(())
}

pub fn run(cli: &Cli, args: &XrefArgs) -> Result<()> {
    let store = open(&cli.db)?;
    let graph = Graph::build(dossier_views::ties(&store)?);
    let mut records: Vec<Record> = Vec::new();
    for e in store.entities(&["LegalEntity"])? {
        let ties = graph
            .node(&e.id)
            .map(|n| {
                graph
                    .neighbours(n, 1, &Filter::default())
                    .into_iter()
                    .map(|(m, _)| graph.id(m))
                    .collect()
            })
            .unwrap_or_default();
        records.push(Record::of_entity(&e, "store", ties));
    }
    let mut options = Options {
        threshold: args.threshold,
        ..Options::default()
    };
    if let Some(path) = &args.against {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let read = dossier_formats::ftm::read(&bytes)
            .with_context(|| format!("reading {} as FtM entities", path.display()))?;
        let name = path.display().to_string();
        for e in read
            .entities
            .iter()
            .filter(|e| e.schema.is_a("LegalEntity"))
        {
            records.push(Record::of_entity(e, &name, Vec::new()));
        }
        options.across_datasets = true;
    }
    let mut found = xref(&records, &options);
    if !args.all {
        // Pairs decided already, directly or through their clusters, are not asked again.
        let resolver = dossier_resolve::stored::load(&store)?;
        found.retain(|m| resolver.needs_judgement(&records[m.a].id, &records[m.b].id));
    }
    let shown = &found[..found.len().min(args.limit)];
    if args.json {
        let side = |r: &Record| json!({"id": r.id, "name": r.names.first(), "schema": r.schema, "dataset": r.dataset});
        let out: Vec<_> = shown
            .iter()
            .map(|m| {
                json!({
                    "score": (m.explained.score * 1000.0).round() / 1000.0,
                    "a": side(&records[m.a]),
                    "b": side(&records[m.b]),
                    "names": [m.explained.names.0, m.explained.names.1],
                    "reasons": m.explained.reasons,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({"total": found.len(), "pairs": out}))?
        );
        return Ok(());
    }
    if found.is_empty() {
        println!("No pairs scored {} or more.", args.threshold);
        return Ok(());
    }
    println!(
        "{} pairs scored {} or more{}:",
        found.len(),
        args.threshold,
        if found.len() > shown.len() {
            format!(", the best {}", shown.len())
        } else {
            String::new()
        }
    );
    for m in shown {
        let (a, b) = (&records[m.a], &records[m.b]);
        println!(
            "{:.2}  {} ({}) ≟ {} ({})  [{}]",
            m.explained.score,
            m.explained.names.0,
            a.id,
            m.explained.names.1,
            b.id,
            m.explained.reasons.join(", ")
        );
    }
    Ok(())
}
