//! `dossier verify`: every quotation checked against the newest archived
//! copy of its origin, origins discovered (the reporting page never counts:
//! `evidence::origin`), anchors moved to where a newer copy has the text
//! (`--reanchor`), results recorded on the anchors for the pages to show,
//! and an exit status a scheduled job can act on (`--fail-on`).

use std::io::Write;

use anyhow::{bail, Context, Result};
use dossier_evidence::check::{self, Check, Discovery, Proposal, Refused};
use dossier_evidence::discover::ArchiveIndex;
use dossier_evidence::intake;
use dossier_evidence::{Mark, Method, Prepared};
use dossier_store::prelude::*;
use serde_json::json;

use crate::{open, provenance, Cli};

/// What `dossier verify` is asked to do.
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// Record the unambiguous origins found (exact or normalized finds in one document).
    #[arg(long)]
    pub link: bool,
    /// Move anchors to where the newest copy of their origin has the
    /// quotation, when it moved there (found by search, not at its place).
    #[arg(long)]
    pub reanchor: bool,
    /// Exit with status 3 when any quotation is so: any of `altered`,
    /// `not-found`, `not-an-origin`, `no-archive`, comma separated.
    #[arg(long, value_delimiter = ',')]
    pub fail_on: Vec<String>,
}

/// The marks `--fail-on` names.
fn failing(names: &[String]) -> Result<Vec<Mark>> {
    names
        .iter()
        .map(|n| {
            let n = n.trim().replace('-', " ");
            let n = if n == "not an origin" || n == "not origin" {
                "not an origin".to_string()
            } else {
                n
            };
            Mark::parse(&n).filter(|m| *m != Mark::Verified).with_context(|| {
                format!("--fail-on takes altered, not-found, not-an-origin or no-archive, not {n:?}")
            })
        })
        .collect()
}

fn check_json(c: &Check) -> serde_json::Value {
    json!({
        "quotation": c.quotation,
        "quote": c.quote,
        "mark": c.mark.as_str(),
        "anchor": c.anchor,
        "origin": c.origin,
        "copy": c.copy.as_ref().map(|k| json!({"sha256": k.sha256, "retrieved": k.retrieved, "url": k.url})),
        "anchored": c.selector.as_ref().map(|s| json!({"start": s.start, "end": s.end, "exact": s.exact})),
        "found": c.found.as_ref().map(|f| json!({
            "method": f.method.as_str(), "start": f.start, "end": f.end, "text": f.text,
            "errors": f.errors, "score": f.score, "page": f.page,
            "difference": (!f.diff.is_empty()).then(|| dossier_evidence::locate::diff_line(&f.diff)),
        })),
        "refusal": c.refusal.as_ref().map(ToString::to_string),
    })
}

fn proposal_json(p: &Proposal, linked: bool) -> serde_json::Value {
    json!({
        "quotation": p.quotation, "quote": p.quote, "document": p.document,
        "copy": p.copy.sha256, "url": p.copy.url, "retrieved": p.copy.retrieved,
        "method": p.method.as_str(), "start": p.start, "end": p.end,
        "holders": p.holders, "linked": linked, "reason": p.reason,
    })
}

fn refused_json(r: &Refused) -> serde_json::Value {
    json!({
        "quotation": r.quotation, "document": r.document,
        "copy": r.copy.sha256, "url": r.copy.url, "retrieved": r.copy.retrieved,
        "reason": r.refusal.to_string(),
    })
}

/// Links the unambiguous proposals; which were linked.
fn link(
    store: &mut dyn dossier_store::Store,
    proposals: &[Proposal],
    prov: &dossier_model::Provenance,
) -> Result<Vec<bool>> {
    let mut linked = vec![false; proposals.len()];
    for (i, p) in proposals.iter().enumerate() {
        // Only a find that names one document: an ambiguous one is for a person to decide.
        if p.holders != 1 || !check::linkable(&p.quote) {
            continue;
        }
        let text = store
            .copy_text(&p.copy.sha256)?
            .map(|t| Prepared::new(&t))
            .context("an archived copy vanished")?;
        let how = format!(
            "dossier verify --link: the only archived document holding the quotation, found by {} search",
            p.method.as_str()
        );
        check::record_anchor(
            store,
            &check::NewAnchor {
                quotation: &p.quotation,
                copy: &p.copy,
                text: &text,
                start: p.start,
                end: p.end,
                method: p.method,
                how: &how,
            },
            prov,
        )?;
        linked[i] = true;
    }
    Ok(linked)
}

/// Moves each anchor whose quotation the newest copy holds elsewhere
/// (verified or altered, found by search rather than at its place) to
/// where it is now; how many moved.
fn reanchor(
    store: &mut dyn dossier_store::Store,
    checks: &[Check],
    prov: &dossier_model::Provenance,
) -> Result<usize> {
    let mut moved = 0;
    for c in checks {
        let (Some(copy), Some(f)) = (&c.copy, &c.found) else {
            continue;
        };
        let current = matches!(c.mark, Mark::Verified | Mark::Altered) && c.refusal.is_none();
        if !current || f.method == Method::Position {
            continue;
        }
        let Some(text) = store.copy_text(&copy.sha256)?.map(|t| Prepared::new(&t)) else {
            continue;
        };
        let how = format!(
            "dossier verify --reanchor: moved to where the copy of {} has it ({} search)",
            copy.retrieved,
            f.method.as_str()
        );
        check::record_anchor(
            store,
            &check::NewAnchor {
                quotation: &c.quotation,
                copy,
                text: &text,
                start: f.start,
                end: f.end,
                method: f.method,
                how: &how,
            },
            prov,
        )?;
        moved += 1;
    }
    Ok(moved)
}

/// Where the discovery index is kept between runs: beside the search index.
fn kept_index_path(db: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("{}.discovery", crate::index_dir(db).display()))
}

/// The discovery index as the last run left it, brought up to the
/// archive (only the texts archived since are read), and kept again when
/// it moved. A file that does not read as one is made again.
fn kept_index(db: &str, store: &dyn dossier_store::Read) -> Result<(ArchiveIndex, usize)> {
    let path = kept_index_path(db);
    let mut index: ArchiveIndex = std::fs::read(&path)
        .ok()
        .and_then(|bytes| postcard::from_bytes(&bytes).ok())
        .unwrap_or_default();
    let before = index.len();
    let added = check::follow_index(store, &mut index)?;
    if added > 0 || index.len() != before {
        let bytes = postcard::to_stdvec(&index).context("the discovery index did not encode")?;
        // Written beside and renamed: a run cut off leaves the old one whole.
        let tmp = path.with_extension("discovery.partial");
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot write {}", dir.display()))?;
        }
        std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok((index, added))
}

pub fn verify(cli: &Cli, args: &VerifyArgs) -> Result<()> {
    let fail_on = failing(&args.fail_on)?;
    let mut store = open(&cli.db)?;
    let (index, indexed) = kept_index(&cli.db, &store)?;
    let mut checks = check::verify_all_with(&store, &index)?;
    // Quotations with no anchor, or only anchors in documents that are not
    // their origin: their origins are searched for.
    let unanchored: std::collections::HashSet<&str> = checks
        .iter()
        .filter(|c| matches!(c.mark, Mark::NoArchive | Mark::NotOrigin))
        .map(|c| c.quotation.as_str())
        .collect();
    let has_origin: std::collections::HashSet<&str> = checks
        .iter()
        .filter(|c| !matches!(c.mark, Mark::NoArchive | Mark::NotOrigin))
        .map(|c| c.quotation.as_str())
        .collect();
    let quotations: Vec<_> = store
        .entities(&["Quotation"])?
        .into_iter()
        .filter(|q| unanchored.contains(q.id.as_str()) && !has_origin.contains(q.id.as_str()))
        .collect();
    let Discovery { proposals, refused } = check::discover_with(&store, &quotations, &index)?;
    let prov = provenance(&cli.user, intake::DATASET, "dossier verify");
    let linked = if args.link {
        link(&mut store, &proposals, &prov)?
    } else {
        vec![false; proposals.len()]
    };
    let moved = if args.reanchor {
        reanchor(&mut store, &checks, &prov)?
    } else {
        0
    };
    // After linking and moving, the checks again: new anchors are checked like any other.
    if linked.iter().any(|l| *l) || moved > 0 {
        checks = check::verify_all_with(&store, &index)?;
    }
    let recorded = check::record_results(&mut store, &checks, &prov)?;
    let count = |m: Mark| checks.iter().filter(|c| c.mark == m).count();
    let n_linked = linked.iter().filter(|l| **l).count();
    let failed: Vec<&Check> = checks
        .iter()
        .filter(|c| fail_on.contains(&c.mark))
        .collect();
    if args.json {
        let out = json!({
            "summary": {
                "verified": count(Mark::Verified), "altered": count(Mark::Altered),
                "not found": count(Mark::NotFound), "not an origin": count(Mark::NotOrigin),
                "no archive": count(Mark::NoArchive),
                "proposed": proposals.len(), "linked": n_linked, "refused": refused.len(),
                "reanchored": moved, "recorded": recorded, "indexed": indexed,
            },
            "checks": checks.iter().map(check_json).collect::<Vec<_>>(),
            "proposals": proposals.iter().zip(&linked).map(|(p, l)| proposal_json(p, *l)).collect::<Vec<_>>(),
            "refused": refused.iter().map(refused_json).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print(&checks, &proposals, &linked, &refused, args.link)?;
        println!(
            "{} quotations checked: {} verified, {} altered, {} not found, {} not an origin, {} no archive; {} origins proposed, {} linked, {} refused; {} moved; {} results recorded",
            checks.len(),
            count(Mark::Verified),
            count(Mark::Altered),
            count(Mark::NotFound),
            count(Mark::NotOrigin),
            count(Mark::NoArchive),
            proposals.len(),
            n_linked,
            refused.len(),
            dossier_views::counted(moved as u64, "anchor", "anchors"),
            recorded,
        );
    }
    if !failed.is_empty() {
        bail!(crate::ExitWith(
            3,
            format!(
                "{} of the kind --fail-on names ({})",
                dossier_views::counted(failed.len() as u64, "quotation is", "quotations are"),
                args.fail_on.join(", ")
            )
        ));
    }
    Ok(())
}

fn print(
    checks: &[Check],
    proposals: &[Proposal],
    linked: &[bool],
    refused: &[Refused],
    link: bool,
) -> Result<()> {
    let out = std::io::stdout();
    let mut w = out.lock();
    for c in checks {
        let short = dossier_views::shortened(&c.quote, 70);
        let how = c
            .found
            .as_ref()
            .map(|f| format!(" ({} search, at {}..{})", f.method.as_str(), f.start, f.end))
            .unwrap_or_default();
        writeln!(
            w,
            "{:<13} {}  \u{201C}{short}\u{201D}{how}",
            c.mark.as_str(),
            c.quotation
        )?;
        if let Some(f) = c.found.as_ref().filter(|f| f.mark == Mark::Altered) {
            writeln!(
                w,
                "              difference: {}",
                dossier_evidence::locate::diff_line(&f.diff)
            )?;
        }
        if let Some(r) = &c.refusal {
            writeln!(w, "              {r}")?;
        }
    }
    for (p, l) in proposals.iter().zip(linked) {
        let state = if *l {
            "linked"
        } else if p.holders > 1 {
            "ambiguous"
        } else if !check::linkable(&p.quote) {
            "too short"
        } else {
            "proposed"
        };
        writeln!(
            w,
            "{state:<13} {} origin {} ({}, retrieved {}): {}",
            p.quotation,
            p.document,
            p.copy.url.as_deref().unwrap_or("no address"),
            p.copy.retrieved,
            p.reason
        )?;
    }
    for r in refused {
        writeln!(
            w,
            "{:<13} {} in {} ({}): {}",
            "refused",
            r.quotation,
            r.document,
            r.copy.url.as_deref().unwrap_or("no address"),
            r.refusal
        )?;
    }
    if !link
        && proposals
            .iter()
            .any(|p| p.holders == 1 && check::linkable(&p.quote))
    {
        writeln!(
            w,
            "run `dossier verify --link` to record the unambiguous origins"
        )?;
    }
    Ok(())
}
