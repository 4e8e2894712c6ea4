//! `dossier-bench report`: turns `bench/run`'s results (one
//! `results.json` for each size) into BENCHMARKS.md's side-by-side tables,
//! with the machine, the commit and the command, and draws how each figure
//! grows with the number of organizations (a PNG, with plotters).

use std::path::Path;

use anyhow::{bail, Context, Result};
use plotters::prelude::*;
use serde_json::Value;

const BEGIN: &str = "<!-- bench/run: begin (written by dossier-bench report) -->";
const END: &str = "<!-- bench/run: end -->";

pub(crate) fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// A wrk run's rate of answers that did not fail: wrk counts an error
/// page as a request like any (the suite adds its timeouts and socket
/// errors to the same count).
fn answered(w: &Value) -> f64 {
    let errors = w["errors"].as_u64().unwrap_or(0);
    if errors == 0 {
        return f(&w["rps"]);
    }
    let requests = w["requests"].as_u64().unwrap_or(0);
    requests.saturating_sub(errors) as f64 / f(&w["seconds"])
}

/// [`answered`] as a cell, with the failures when there were any.
fn answered_cell(w: &Value) -> String {
    let errors = w["errors"].as_u64().unwrap_or(0);
    if errors == 0 {
        return num(f(&w["rps"]));
    }
    let rate = answered(w);
    format!(
        "{}, {errors} of {} failed",
        if rate > 0.0 { num(rate) } else { "none".into() },
        w["requests"].as_u64().unwrap_or(0)
    )
}

/// A figure to two or three significant digits, thousands separated.
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x >= 100.0 {
        let s = format!("{:.0}", x);
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

pub(crate) fn ratio(a: f64, b: f64) -> String {
    if a.is_finite() && b.is_finite() && b > 0.0 {
        let r = a / b;
        if r < 0.1 {
            format!("{r:.3}×")
        } else if r < 1.0 {
            format!("{r:.2}×")
        } else if r < 100.0 {
            format!("{r:.1}×")
        } else {
            format!("{}×", num(r))
        }
    } else {
        "–".into()
    }
}

fn machine() -> String {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    let os = read("/etc/os-release")
        .lines()
        .find(|l| l.starts_with("PRETTY_NAME="))
        .map(|l| {
            l.trim_start_matches("PRETTY_NAME=")
                .trim_matches('"')
                .to_string()
        })
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {memory:.0} GiB, {os}")
}

/// The commit checked out now: the one a suite measures, recorded in its
/// results.
pub(crate) fn commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn run(dir: &str, out: &str, plot: &str) -> Result<()> {
    let mut sizes: Vec<Value> = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {dir}"))? {
        let path = entry?.path().join("results.json");
        if path.exists() {
            sizes.push(serde_json::from_str(&std::fs::read_to_string(&path)?)?);
        }
    }
    if sizes.is_empty() {
        bail!("no results.json under {dir}: run bench/run first");
    }
    sizes.sort_by_key(|v| v["orgs"].as_u64().unwrap_or(0));
    let quick = sizes.iter().any(|v| v["quick"].as_bool() == Some(true));
    let date = std::process::Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    // The commit each size was measured at (results from before sizes
    // recorded it: the commit checked out now).
    let mut measured: Vec<String> = sizes
        .iter()
        .map(|v| v["commit"].as_str().map_or_else(commit, str::to_string))
        .collect();
    measured.dedup();
    let measured = if measured.len() == 1 {
        format!("commit {}", measured[0])
    } else {
        let each: Vec<String> = sizes
            .iter()
            .map(|v| {
                format!(
                    "{} at {}",
                    num(f(&v["orgs"])),
                    v["commit"].as_str().map_or_else(commit, str::to_string)
                )
            })
            .collect();
        format!("commits {}", each.join(", "))
    };
    let mut md = String::new();
    md.push_str(&format!(
        "## Side by side with the peers, by size\n\n\
         Written by `bench/run{}` on {date}, measured at {measured}, on {}. Every figure in a row was measured in the \
         same run, on the same data; ratios are the peer's time (or Dossier's rate) over the other's, so \
         above 1× Dossier is ahead. Medians and 99th percentiles; wrk with 2 threads and 32 connections \
         for {} s a page. The plot is `{plot}`.\n\n",
        if quick { " --quick" } else { "" },
        machine(),
        sizes[0]["profile"]["dossier"]["seconds"].as_u64().unwrap_or(0),
    ));

    // Results from before `--detail` documented every organization in full.
    let detail = |v: &Value| v["detail"].as_f64().unwrap_or(1.0);
    let per_org = sizes
        .iter()
        .map(|v| {
            format!(
                "{:.1}",
                f(&v["data"]["statements"]) / f(&v["orgs"]).max(1.0)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    md.push_str(&format!(
        "The data: `dossier gen --detail {}` (seed {}). That share of the organizations is documented in full: \
         a summary, 1–5 networks, people with roles, payments over the years, claims with quotations. \
         The rest are bare records, as most of a registry's or a coalition's list are: a name, a country, \
         one or two networks. Network sizes follow a power law, the largest held to 2,000 members. \
         Statements an organization, by size: {per_org} (SPEC §9's scale is 10).\n\n",
        detail(&sizes[0]),
        sizes[0]["seed"].as_u64().unwrap_or(1),
    ));
    if sizes.iter().any(|v| detail(v) != detail(&sizes[0])) {
        md.push_str(
            "**The sizes were generated with different detail; compare them with care.**\n\n",
        );
    }

    md.push_str("### Import\n\n`dossier import` of the generated native log (statements) and of the same data as FtM JSON lines (property values), into a fresh SQLite store, against `ftm aggregate` on the same FtM file, and against SQLite's own ceiling: as many rows as the native log has statements, made by SQLite itself (no parsing, no checks) in the narrowest layout a row-per-statement store could have (integer ids, the statement id as 20 bytes, no unique index) with the five indexes reads need, made after the rows in one transaction, on every core the sorter may use (`crates/bench/src/ceiling.rs`). \"Today's indexes\" is the same narrowest table, in the proportions of the generated stores (an entity every 5 rows, 22% names, 35% references, 48% of the rows a label reads), with the six indexes a bulk import makes today for the reads (one current statement per id and source, what a source said, references, names, an entity's rows with the columns a page reads, labels), made as the import makes them: the most an importer could reach without changing what the reads ask of the store, however narrow its rows and with no parsing, checks, entity table or counts. A figure of \"–\" was not measured in that run.\n\n");
    md.push_str("| organizations | statements | native import (statements/s) | SQLite's ceiling (statements/s) | native ÷ ceiling | today's indexes ÷ ceiling | FtM import (values/s) | ftm aggregate (values/s) | FtM import ÷ aggregate | native ÷ aggregate |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for v in &sizes {
        let i = &v["import"];
        let ceiling = &i["sqlite_ceiling"]["statements_per_s"];
        let share = |rate: &Value| {
            if ceiling.is_null() || rate.is_null() {
                "–".into()
            } else {
                format!("{:.0}%", 100.0 * f(rate) / f(ceiling))
            }
        };
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            num(f(&v["orgs"])),
            num(f(&v["data"]["statements"])),
            num(f(&i["native"]["statements_per_s"])),
            num(f(ceiling)),
            share(&i["native"]["statements_per_s"]),
            share(&i["sqlite_todays_indexes"]["statements_per_s"]),
            num(f(&i["ftm"]["values_per_s"])),
            num(f(&i["ftm_aggregate"]["values_per_s"])),
            ratio(
                f(&i["ftm"]["values_per_s"]),
                f(&i["ftm_aggregate"]["values_per_s"])
            ),
            ratio(
                f(&i["native"]["statements_per_s"]),
                f(&i["ftm_aggregate"]["values_per_s"])
            ),
        ));
    }
    md.push_str("\n### Counting\n\n`dossier stats` on the imported store (statements, sources, datasets, entities by schema), in-process: from the counts the store keeps as it is written (the median of five); the same for a reader who hides a collection with nothing in it, and for one who hides every collection the store has (the kept counts less what is hidden, which takes in proportion to what is hidden: this is the most it can take); and by going over every row. Each must agree with going over every row its reader may see, or the run stops. \"–\": not measured in that run.\n\n| organizations | statements | kept counts (ms) | hiding an empty collection (ms) | hiding every collection (ms) | every row (ms) |\n|---|---|---|---|---|---|\n");
    for v in &sizes {
        let ms = |k: &str| {
            let x = &v["stats"][k];
            if x.is_null() {
                "–".to_string()
            } else {
                format!("{:.1}", f(x))
            }
        };
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            num(f(&v["orgs"])),
            num(f(&v["data"]["statements"])),
            ms("kept_ms"),
            ms("hiding_empty_ms"),
            ms("hiding_all_ms"),
            ms("scan_ms"),
        ));
    }
    md.push_str("\n### Store size\n\n| organizations | statements | SQLite file (MB) | bytes per million statements (MB) |\n|---|---|---|---|\n");
    for v in &sizes {
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            num(f(&v["orgs"])),
            num(f(&v["data"]["statements"])),
            num(f(&v["store"]["bytes"]) / 1e6),
            num(f(&v["store"]["bytes_per_million_statements"]) / 1e6),
        ));
    }
    md.push_str("\n### Search\n\nThe same texts (names, summaries, claims, sources) in SQLite FTS5 and PostgreSQL (`to_tsvector('simple')`, GIN); the same queries: one or two words drawn from the running text (random), or from the twenty most frequent words (common); the best 20 by rank.\n\n");
    md.push_str("| organizations | mix | Dossier p50 / p99 (ms) | FTS5 p50 / p99 | PostgreSQL p50 / p99 | FTS5 ÷ Dossier (p99) | PostgreSQL ÷ Dossier (p99) |\n|---|---|---|---|---|---|---|\n");
    for v in &sizes {
        for mix in ["random", "common"] {
            let s = &v["search"];
            let pair = |tool: &str| {
                format!(
                    "{} / {}",
                    num(f(&s[tool][mix]["p50_ms"])),
                    num(f(&s[tool][mix]["p99_ms"]))
                )
            };
            md.push_str(&format!(
                "| {} | {mix} | {} | {} | {} | {} | {} |\n",
                num(f(&v["orgs"])),
                pair("dossier"),
                pair("fts5"),
                pair("postgres"),
                ratio(
                    f(&s["fts5"][mix]["p99_ms"]),
                    f(&s["dossier"][mix]["p99_ms"])
                ),
                ratio(
                    f(&s["postgres"][mix]["p99_ms"]),
                    f(&s["dossier"][mix]["p99_ms"])
                ),
            ));
        }
    }
    md.push_str("\n### Profile page\n\nOne organization's page from `dossier serve`, the same page as a static file from nginx (the ceiling), and Datasette's row page for the organization's row in the same SQLite file (HTML, and its JSON), counting only answers that did not fail: under load at 100k and 1M, Datasette's row page fails for some or all requests (an error status, or no answer within wrk's timeout), and the failures are shown beside its figure; a ratio to no answers at all is \"–\". Dossier's first figure is what visitors who are not signed in get, from its page cache; \"signed in\" is a signed-in reader's, from the pages kept for the collections hidden from them; \"rendered\" is the same page asked for with `Cache-Control: no-cache`, made from the store on every request: the figure for a page not yet kept. `serve`'s peak resident memory through the run: its own (anonymous, sampled every 100 ms) and in all (`VmHWM`, which also counts the pages of the store file it has mapped; the system can take those back).\n\n");
    md.push_str("| organizations | Dossier (req/s) | signed in | rendered | nginx static | Datasette row (JSON) | Dossier ÷ nginx | signed in ÷ nginx | rendered ÷ nginx | Dossier ÷ Datasette | rendered ÷ Datasette | Dossier p99 (ms) | signed in p99 | rendered p99 | errors | serve peak RSS: own / with mapped store (MiB) |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for v in &sizes {
        let p = &v["profile"];
        let errors: u64 = ["dossier", "dossier_signed_in", "dossier_rendered"]
            .iter()
            .map(|k| p[*k]["errors"].as_u64().unwrap_or(0))
            .sum();
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |\n",
            num(f(&v["orgs"])),
            num(f(&p["dossier"]["rps"])),
            num(f(&p["dossier_signed_in"]["rps"])),
            num(f(&p["dossier_rendered"]["rps"])),
            num(f(&p["nginx"]["rps"])),
            answered_cell(&p["datasette"]),
            answered_cell(&p["datasette_json"]),
            ratio(f(&p["dossier"]["rps"]), f(&p["nginx"]["rps"])),
            ratio(f(&p["dossier_signed_in"]["rps"]), f(&p["nginx"]["rps"])),
            ratio(f(&p["dossier_rendered"]["rps"]), f(&p["nginx"]["rps"])),
            ratio(f(&p["dossier"]["rps"]), answered(&p["datasette"])),
            ratio(f(&p["dossier_rendered"]["rps"]), answered(&p["datasette"])),
            num(f(&p["dossier"]["p99_ms"])),
            num(f(&p["dossier_signed_in"]["p99_ms"])),
            num(f(&p["dossier_rendered"]["p99_ms"])),
            errors,
            num(f(&v["memory"]["serve_peak_anon_bytes"]) / 1048576.0),
            num(f(&v["memory"]["serve_peak_rss_bytes"]) / 1048576.0),
        ));
    }
    md.push_str("\n### Pages under writes\n\nThe profile pages of a sample of organizations, walked by wrk (2 threads, 32 connections) as visitors who are not signed in, each page made once before the run; first with no writes, then while another connection to the store changes one of those organizations (a new name from an editor) once and ten times a second. `serve` sees each write within half a second, drops the kept pages made of what changed, and makes them again on their next visit; the others stay kept. The ratio is the rate under writes over the rate with none.\n\n");
    md.push_str("| organizations | pages | no writes (req/s) | p99 (ms) | 1 write/s | p99 | 10 writes/s | p99 | 1/s ÷ none | 10/s ÷ none | writes made (1/s, 10/s) | errors |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for v in sizes.iter().filter(|v| !v["under_writes"].is_null()) {
        let w = &v["under_writes"];
        let run = |rate: u32| &w[format!("writes_{rate}")];
        let errors: u64 = [0, 1, 10]
            .iter()
            .map(|r| run(*r)["wrk"]["errors"].as_u64().unwrap_or(0))
            .sum();
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {}, {} | {} |\n",
            num(f(&v["orgs"])),
            num(f(&w["pages"])),
            num(f(&run(0)["wrk"]["rps"])),
            num(f(&run(0)["wrk"]["p99_ms"])),
            num(f(&run(1)["wrk"]["rps"])),
            num(f(&run(1)["wrk"]["p99_ms"])),
            num(f(&run(10)["wrk"]["rps"])),
            num(f(&run(10)["wrk"]["p99_ms"])),
            ratio(f(&run(1)["wrk"]["rps"]), f(&run(0)["wrk"]["rps"])),
            ratio(f(&run(10)["wrk"]["rps"]), f(&run(0)["wrk"]["rps"])),
            num(f(&run(1)["written"])),
            num(f(&run(10)["written"])),
            errors,
        ));
    }
    md.push_str(&crate::nodes::table(&sizes));
    md.push_str("\n### Graph\n\n`dossier-bench graph` at a size in proportion (organizations in power-law networks, 1–5 each, and direct ties), the same edges and queries in networkx and igraph.\n\n");
    md.push_str("| organizations | nodes / ties | Dossier 2-hop p50 / p99 (ms) | igraph | networkx | path: Dossier | igraph | networkx | igraph ÷ Dossier (2-hop p50) | networkx ÷ Dossier (path p50) |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for v in &sizes {
        let g = &v["graph"];
        let hop = |t: &str| {
            format!(
                "{} / {}",
                num(f(&g[t]["hop_p50_ms"])),
                num(f(&g[t]["hop_p99_ms"]))
            )
        };
        let path = |t: &str| {
            format!(
                "{} / {}",
                num(f(&g[t]["path_p50_ms"])),
                num(f(&g[t]["path_p99_ms"]))
            )
        };
        md.push_str(&format!(
            "| {} | {} / {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            num(f(&v["orgs"])),
            num(f(&g["nodes"])),
            num(f(&g["ties"])),
            hop("dossier"),
            hop("igraph"),
            hop("networkx"),
            path("dossier"),
            path("igraph"),
            path("networkx"),
            ratio(
                f(&g["igraph"]["hop_p50_ms"]),
                f(&g["dossier"]["hop_p50_ms"])
            ),
            ratio(
                f(&g["networkx"]["path_p50_ms"]),
                f(&g["dossier"]["path_p50_ms"])
            ),
        ));
    }
    md.push_str("\n### Verification\n\nArchived documents of generated prose (a tenth as many as quotations) and quotations anchored in them: 70% exact, 10% in other case and spacing, 10% with a word changed, 10% absent, one position in twenty shifted; `verify_all` re-finds every one in its archived copy (the median of the runs), and origin discovery proposes documents for 1,000 quotations with no origin. No peer tool re-finds quotations in archived copies, so these are Dossier's figures alone.\n\n");
    md.push_str("| organizations | documents / quotations | verify (s) | quotations/s | marks | discovery: index (s) | discovery for 1,000, index included (s) | found of 1,000 |\n|---|---|---|---|---|---|---|---|\n");
    for v in &sizes {
        let e = &v["verify"];
        if e.is_null() {
            continue;
        }
        let marks = e["verify"]["marks"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, n)| format!("{k} {}", num(f(n))))
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
            .unwrap_or_default();
        md.push_str(&format!(
            "| {} | {} / {} | {} | {} | {marks} | {} | {} | {} |\n",
            num(f(&v["orgs"])),
            num(f(&e["docs"])),
            num(f(&e["quotes"])),
            num(f(&e["verify"]["seconds"])),
            num(f(&e["verify"]["quotations_per_s"])),
            num(f(&e["discover"]["index_s"])),
            num(f(&e["discover"]["seconds"])),
            num(f(&e["discover"]["found"])),
        ));
    }
    md.push_str("\n### Cross-referencing\n\nCandidate pairs among the legal entities (organizations, people, public bodies), blocked and scored. Dossier's xref over the whole FtM file, reading included; nomenklatura's xref (`scripts/bench_xref.py`) scores some thousand pairs a second, so both tools also run on a sample the generator made alike at fewer organizations, and the ratio is of pairs scored a second (nomenklatura's start-up left out).\n\n");
    md.push_str("| organizations | Dossier: seconds | pairs scored | pairs/s | candidates ≥ 0.75 | sample (organizations) | Dossier on the sample (pairs/s) | nomenklatura on the sample (pairs/s) | Dossier ÷ nomenklatura (pairs/s, whole file) | end to end on the sample |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for v in &sizes {
        let x = &v["xref"];
        if x.is_null() {
            continue;
        }
        let (d, sd, sn) = (
            &x["dossier"],
            &x["sample"]["dossier"],
            &x["sample"]["nomenklatura"],
        );
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            num(f(&v["orgs"])),
            num(f(&d["seconds"])),
            num(f(&d["scored"])),
            num(f(&d["pairs_per_s"])),
            num(f(&d["candidates"])),
            num(f(&x["sample"]["orgs"])),
            num(f(&sd["pairs_per_s"])),
            num(f(&sn["pairs_per_s"])),
            ratio(f(&d["pairs_per_s"]), f(&sn["pairs_per_s"])),
            ratio(f(&sn["seconds"]), f(&sd["seconds"])),
        ));
    }
    md.push_str(&format!(
        "\n![How each figure grows with the number of organizations]({plot})\n\n{END}\n"
    ));

    let old = std::fs::read_to_string(out).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(a), Some(b)) if b > a => {
            format!(
                "{}{BEGIN}\n{md}{}",
                &old[..a],
                &old[b + END.len()..].trim_start_matches('\n')
            )
        }
        _ => format!("{}\n{BEGIN}\n{md}", old.trim_end()),
    };
    std::fs::write(out, new)?;
    draw(&sizes, Path::new(plot))?;
    eprintln!("wrote {out} and {plot}");
    Ok(())
}

/// One panel: a figure per tool against the number of organizations.
struct Panel {
    title: &'static str,
    unit: &'static str,
    lines: Vec<(&'static str, Vec<(f64, f64)>)>,
}

fn draw(sizes: &[Value], path: &Path) -> Result<()> {
    // ab_glyph draws text from a font file given at run time: Debian's
    // DejaVu Sans (bench/run installs fonts-dejavu-core).
    let font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    let bytes = std::fs::read(font).with_context(|| format!("cannot read {font}"))?;
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    plotters::style::register_font("sans-serif", FontStyle::Normal, bytes)
        .map_err(|_| anyhow::anyhow!("{font} is not a font"))?;
    let series = |pick: &dyn Fn(&Value) -> f64| -> Vec<(f64, f64)> {
        sizes
            .iter()
            .map(|v| (f(&v["orgs"]), pick(v)))
            .filter(|(_, y)| y.is_finite() && *y > 0.0)
            .collect()
    };
    let panels = vec![
        Panel {
            title: "Import",
            unit: "values or statements per s",
            lines: vec![
                (
                    "Dossier native",
                    series(&|v| f(&v["import"]["native"]["statements_per_s"])),
                ),
                (
                    "Dossier FtM",
                    series(&|v| f(&v["import"]["ftm"]["values_per_s"])),
                ),
                (
                    "ftm aggregate",
                    series(&|v| f(&v["import"]["ftm_aggregate"]["values_per_s"])),
                ),
            ],
        },
        Panel {
            title: "Search p99, random words",
            unit: "ms",
            lines: vec![
                (
                    "Dossier",
                    series(&|v| f(&v["search"]["dossier"]["random"]["p99_ms"])),
                ),
                (
                    "FTS5",
                    series(&|v| f(&v["search"]["fts5"]["random"]["p99_ms"])),
                ),
                (
                    "PostgreSQL",
                    series(&|v| f(&v["search"]["postgres"]["random"]["p99_ms"])),
                ),
            ],
        },
        Panel {
            title: "Search p99, common words",
            unit: "ms",
            lines: vec![
                (
                    "Dossier",
                    series(&|v| f(&v["search"]["dossier"]["common"]["p99_ms"])),
                ),
                (
                    "FTS5",
                    series(&|v| f(&v["search"]["fts5"]["common"]["p99_ms"])),
                ),
                (
                    "PostgreSQL",
                    series(&|v| f(&v["search"]["postgres"]["common"]["p99_ms"])),
                ),
            ],
        },
        Panel {
            title: "Profile page",
            unit: "requests per s",
            lines: vec![
                ("Dossier", series(&|v| f(&v["profile"]["dossier"]["rps"]))),
                (
                    "Dossier signed in",
                    series(&|v| f(&v["profile"]["dossier_signed_in"]["rps"])),
                ),
                (
                    "Dossier rendered",
                    series(&|v| f(&v["profile"]["dossier_rendered"]["rps"])),
                ),
                (
                    "nginx static",
                    series(&|v| f(&v["profile"]["nginx"]["rps"])),
                ),
                (
                    "Datasette",
                    series(&|v| answered(&v["profile"]["datasette"])),
                ),
            ],
        },
        Panel {
            title: "Graph 2-hop p50",
            unit: "ms",
            lines: vec![
                (
                    "Dossier",
                    series(&|v| f(&v["graph"]["dossier"]["hop_p50_ms"])),
                ),
                (
                    "igraph",
                    series(&|v| f(&v["graph"]["igraph"]["hop_p50_ms"])),
                ),
                (
                    "networkx",
                    series(&|v| f(&v["graph"]["networkx"]["hop_p50_ms"])),
                ),
            ],
        },
        Panel {
            title: "Verification",
            unit: "quotations per s",
            lines: vec![(
                "Dossier verify",
                series(&|v| f(&v["verify"]["verify"]["quotations_per_s"])),
            )],
        },
        Panel {
            title: "Cross-referencing",
            unit: "pairs scored per s",
            lines: vec![
                (
                    "Dossier, whole file",
                    series(&|v| f(&v["xref"]["dossier"]["pairs_per_s"])),
                ),
                (
                    "Dossier, sample",
                    series(&|v| f(&v["xref"]["sample"]["dossier"]["pairs_per_s"])),
                ),
                (
                    "nomenklatura, sample",
                    series(&|v| f(&v["xref"]["sample"]["nomenklatura"]["pairs_per_s"])),
                ),
            ],
        },
        Panel {
            title: "Memory and size",
            unit: "MiB",
            lines: vec![
                (
                    "serve peak RSS, own",
                    series(&|v| f(&v["memory"]["serve_peak_anon_bytes"]) / 1048576.0),
                ),
                (
                    "serve peak RSS, with mapped store",
                    series(&|v| f(&v["memory"]["serve_peak_rss_bytes"]) / 1048576.0),
                ),
                (
                    "store per 1M statements",
                    series(&|v| f(&v["store"]["bytes_per_million_statements"]) / 1048576.0),
                ),
            ],
        },
    ];
    let root = BitMapBackend::new(path, (2000, 900)).into_drawing_area();
    root.fill(&WHITE)?;
    let colors = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(148, 103, 189),
        RGBColor(214, 39, 40),
    ];
    for (area, panel) in root.split_evenly((2, 4)).iter().zip(&panels) {
        let points: Vec<(f64, f64)> = panel.lines.iter().flat_map(|(_, s)| s.clone()).collect();
        if points.is_empty() {
            continue;
        }
        let (x0, x1) = points.iter().fold((f64::MAX, f64::MIN), |(a, b), (x, _)| {
            (a.min(*x), b.max(*x))
        });
        let (y0, y1) = points.iter().fold((f64::MAX, f64::MIN), |(a, b), (_, y)| {
            (a.min(*y), b.max(*y))
        });
        let mut chart = ChartBuilder::on(area)
            .caption(panel.title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(35)
            .y_label_area_size(60)
            .build_cartesian_2d(
                (x0 * 0.8..x1 * 1.25).log_scale(),
                (y0 * 0.5..y1 * 2.0).log_scale(),
            )?;
        chart
            .configure_mesh()
            .x_desc("organizations")
            .x_labels(4)
            .y_desc(panel.unit)
            .x_label_formatter(&|x| num(*x))
            .y_label_formatter(&|y| num(*y))
            .label_style(("sans-serif", 12))
            .draw()?;
        for ((name, s), color) in panel.lines.iter().zip(colors) {
            if s.is_empty() {
                continue;
            }
            chart
                .draw_series(LineSeries::new(s.clone(), color.stroke_width(2)))?
                .label(*name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
            chart.draw_series(s.iter().map(|p| Circle::new(*p, 3, color.filled())))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .label_font(("sans-serif", 12))
            .draw()?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{answered_cell, ratio};

    #[test]
    fn ratios_read_at_a_glance() {
        assert_eq!(ratio(0.0212, 1.0), "0.021×");
        assert_eq!(ratio(0.85, 1.0), "0.85×");
        assert_eq!(ratio(16.54, 1.0), "16.5×");
        assert_eq!(ratio(44_130.7, 1.0), "44,131×");
        assert_eq!(ratio(1.0, 0.0), "–");
        assert_eq!(ratio(f64::NAN, 1.0), "–");
    }

    #[test]
    fn failed_answers_are_not_counted_as_answers() {
        let run = |requests: u64, errors: u64| serde_json::json!({"requests": requests, "errors": errors, "seconds": 30, "rps": requests as f64 / 30.0});
        assert_eq!(answered_cell(&run(15_423, 0)), "514");
        assert_eq!(answered_cell(&run(250, 245)), "0.167, 245 of 250 failed");
        assert_eq!(answered_cell(&run(63, 63)), "none, 63 of 63 failed");
    }
}
