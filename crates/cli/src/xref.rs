//! `dossier xref`: pairs of entities that may be the same body or person,
//! within the store or between the store and an FtM file.

use std::collections::HashMap;
use std::path::PathBuf;

use std::io::{BufRead, Write};

use anyhow::{bail, Context, Result};
use dossier_model::Entity;
use dossier_resolve::{xref, Judgement, Options, Record};
use dossier_store::{Scope, Scoped, Store};
use serde_json::json;

use crate::{open, Cli};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Mode {
    /// Ask about each pair in turn, side by side, and record the answers.
    Review,
}

#[derive(clap::Args)]
pub struct XrefArgs {
    /// `review`: decide pair by pair (resumable: decided pairs are not asked again).
    #[arg(value_enum)]
    mode: Option<Mode>,
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
    let mut resolver = dossier_resolve::stored::load(&store)?;
    dossier_resolve::stored::record(
        &mut store.writer(&Scope::everything()),
        &mut resolver,
        &args.a,
        &args.b,
        verdict,
        args.note.as_deref(),
        &prov,
    )?;
    crate::update_index(&cli.db, &store);
    let cluster = resolver.cluster(&args.a);
    let canonical = resolver.canonical(&args.a);
    println!(
        "{} and {}: {}. {}",
        args.a,
        args.b,
        verdict.map_or("decision taken back", Judgement::as_str),
        if cluster.len() > 1 {
            format!(
                "{} records are now read as one, {canonical}: {}.",
                cluster.len(),
                cluster.join(", ")
            )
        } else {
            format!("{} stands alone.", args.a)
        }
    );
    Ok(())
}

pub fn run(cli: &Cli, args: &XrefArgs) -> Result<()> {
    let mut store = open(&cli.db)?;
    if args.mode.is_some() && args.against.is_some() {
        bail!("review decides on the store's own entities; import the list first, then review");
    }
    let graph = dossier_views::tie_set(&store)?.graph();
    let mut records = dossier_resolve::store_records(&store, &|id| graph.tied_to(id))?;
    let mut options = Options {
        threshold: args.threshold,
        ..Options::default()
    };
    // Sanctions a list gives, by the entity they are on.
    let mut listed: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(path) = &args.against {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let read = dossier_formats::ftm::read(&bytes)
            .with_context(|| format!("reading {} as FtM entities", path.display()))?;
        let name = path.display().to_string();
        for (line, schema, id) in &read.skipped {
            eprintln!("{name}:{line}: warning: schema {schema} is not in FtM's model; entity {id} left out");
        }
        let by_id: HashMap<&str, &Entity> =
            read.entities.iter().map(|e| (e.id.as_str(), e)).collect();
        // What a sanctions-style list says beside the names: the sanctions
        // on an entity, and the countries of the addresses it gives.
        for e in read.entities.iter().filter(|e| e.schema.is_a("Sanction")) {
            let what: Vec<&str> = e
                .values("program")
                .chain(e.values("authority"))
                .chain(e.values("reason"))
                .take(2)
                .collect();
            for target in e.values("entity") {
                listed
                    .entry(target.to_string())
                    .or_default()
                    .push(if what.is_empty() {
                        "sanctioned".to_string()
                    } else {
                        what.join(", ")
                    });
            }
        }
        for e in read
            .entities
            .iter()
            .filter(|e| e.schema.is_a("LegalEntity"))
        {
            let mut record = Record::of_entity(e, &name, Vec::new());
            for address in e.values("addressEntity").filter_map(|a| by_id.get(a)) {
                record
                    .countries
                    .extend(address.values("country").map(str::to_string));
            }
            record.countries.sort();
            record.countries.dedup();
            records.push(record);
        }
        options.across_datasets = true;
    }
    let mut found = xref(&records, &options);
    if !args.all {
        // Pairs decided already, directly or through their clusters, are not asked again.
        let resolver = dossier_resolve::stored::load(&store)?;
        found.retain(|m| resolver.needs_judgement(&records[m.a].id, &records[m.b].id));
    }
    if args.mode.is_some() {
        return review(cli, &mut store, &records, &found);
    }
    let shown = &found[..found.len().min(args.limit)];
    if args.json {
        let side = |r: &Record| {
            let mut v = json!({"id": r.id, "name": r.names.first(), "schema": r.schema, "dataset": r.dataset});
            if let Some(s) = listed.get(&r.id) {
                v["sanctions"] = json!(s);
            }
            v
        };
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
        let sanctions = |r: &Record| {
            listed
                .get(&r.id)
                .map(|s| format!(" · sanctions: {}", s.join("; ")))
                .unwrap_or_default()
        };
        println!(
            "{:.2}  {} ({}) ≟ {} ({})  [{}]{}{}",
            m.explained.score,
            m.explained.names.0,
            a.id,
            m.explained.names.1,
            b.id,
            m.explained.reasons.join(", "),
            sanctions(a),
            sanctions(b)
        );
    }
    Ok(())
}

/// What a reviewer sees of one side of a pair, a line each.
fn card(store: &dyn Store, r: &Record) -> Result<Vec<String>> {
    let mut lines = vec![
        r.names.first().cloned().unwrap_or_else(|| r.id.clone()),
        format!("{} · {}", r.schema, r.id),
    ];
    // The same rows on both sides, so they line up.
    let also: Vec<&str> = r
        .names
        .iter()
        .skip(1)
        .chain(&r.acronyms)
        .map(String::as_str)
        .collect();
    let or_dash = |v: String| if v.is_empty() { "—".to_string() } else { v };
    lines.push(format!("also: {}", or_dash(also.join(", "))));
    lines.push(format!("country: {}", or_dash(r.countries.join(", "))));
    lines.push(format!("{} ties", r.ties.len()));
    for doc in dossier_views::sources_of(store, &r.id)?.iter().take(3) {
        lines.push(format!("source: {}", doc.caption()));
    }
    Ok(lines)
}

/// Cut or pad to `width` characters.
fn column(text: &str, width: usize) -> String {
    let mut out: String = text.chars().take(width).collect();
    let n = out.chars().count();
    if n == width && text.chars().count() > width {
        out.pop();
        out.push('…');
    }
    out.extend(std::iter::repeat_n(' ', width - out.chars().count()));
    out
}

/// Where a reviewer's answers come from: single key presses on a
/// terminal (raw mode for the moment of the key, then back as it was),
/// lines otherwise (a script, a test).
enum Answers {
    Keys,
    Lines(std::io::Lines<std::io::StdinLock<'static>>),
}

impl Answers {
    fn open() -> Answers {
        use std::io::IsTerminal;
        if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
            Answers::Keys
        } else {
            Answers::Lines(std::io::stdin().lock().lines())
        }
    }

    /// The next answer; `None` at the end of the input.
    fn next(&mut self) -> Result<Option<String>> {
        use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
        match self {
            Answers::Lines(lines) => Ok(lines.next().transpose()?),
            Answers::Keys => {
                crossterm::terminal::enable_raw_mode()?;
                let key = loop {
                    match event::read() {
                        Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => match k.code {
                            // Raw mode takes Ctrl-C from the terminal: it stops the review.
                            KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                                break Ok("q".to_string())
                            }
                            KeyCode::Char(c) => break Ok(c.to_string()),
                            KeyCode::Esc => break Ok("q".to_string()),
                            _ => continue,
                        },
                        Ok(_) => continue,
                        Err(e) => break Err(e),
                    }
                };
                crossterm::terminal::disable_raw_mode()?;
                let key = key?;
                println!("{key}");
                Ok(Some(key))
            }
        }
    }
}

/// `dossier xref review`: each undecided pair side by side, one key each
/// (s, n, u; k skips, q stops; a line each when the input is not a terminal). Answers are recorded as they are
/// given, so stopping loses nothing and the next run goes on from there.
fn review(
    cli: &Cli,
    store: &mut dyn Store,
    records: &[Record],
    found: &[dossier_resolve::Match],
) -> Result<()> {
    let prov = crate::provenance(&cli.user, dossier_resolve::stored::DATASET, "review");
    let mut resolver = dossier_resolve::stored::load(store)?;
    let mut answers = Answers::open();
    let mut out = std::io::stdout();
    let (mut decided, mut asked) = (0usize, 0usize);
    for m in found {
        let (a, b) = (&records[m.a], &records[m.b]);
        // An answer given earlier in this run may have decided it.
        if !resolver.needs_judgement(&a.id, &b.id) {
            continue;
        }
        asked += 1;
        let (left, right) = (card(store, a)?, card(store, b)?);
        writeln!(
            out,
            "\n{:.2}  [{}]",
            m.explained.score,
            m.explained.reasons.join(", ")
        )?;
        for i in 0..left.len().max(right.len()) {
            let l = left.get(i).map_or("", String::as_str);
            let r = right.get(i).map_or("", String::as_str);
            writeln!(out, "  {} │ {}", column(l, 38), column(r, 38))?;
        }
        write!(out, "same? [s]ame [n]ot same [u]nsure [k] skip [q]uit ")?;
        out.flush()?;
        let Some(answer) = answers.next()? else { break };
        let verdict = match answer.trim().to_ascii_lowercase().as_str() {
            "s" => Judgement::Same,
            "n" => Judgement::NotSame,
            "u" => Judgement::Unsure,
            "q" => break,
            _ => continue,
        };
        dossier_resolve::stored::record(
            &mut store.writer(&Scope::everything()),
            &mut resolver,
            &a.id,
            &b.id,
            Some(verdict),
            None,
            &prov,
        )?;
        decided += 1;
    }
    crate::update_index(&cli.db, store);
    let left = found
        .iter()
        .filter(|m| resolver.needs_judgement(&records[m.a].id, &records[m.b].id))
        .count();
    writeln!(
        out,
        "\n{decided} decided of {asked} shown; {left} pairs still to decide."
    )?;
    Ok(())
}
