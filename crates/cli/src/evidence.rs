//! `dossier archive`, `dossier anchor`, `dossier verify`, and the WARC and
//! annotation exports: wiring and printing for the evidence crate.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use dossier_evidence::check::{self};
use dossier_evidence::intake::{self, FileMeta};
use dossier_formats::annotation::{self, AnchoredQuote};
use dossier_formats::warc::{record_id, NewRecord, WarcWriter};
use dossier_store::NewCopy;
use serde_json::json;

use crate::import::file_name;
use crate::{now, open, provenance, update_index, Cli};

#[derive(clap::Subcommand)]
pub enum ArchiveCommand {
    /// Archive HTML pages, text files and WARC archives (all or none).
    Add {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The address the file was retrieved from (not for WARC files: their records say).
        #[arg(long)]
        url: Option<String>,
        /// When it was retrieved: YYYY-MM-DD or a UTC timestamp (not for WARC files).
        #[arg(long)]
        retrieved: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List archived copies, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn archive(cli: &Cli, cmd: &ArchiveCommand) -> Result<()> {
    match cmd {
        ArchiveCommand::Add {
            files,
            url,
            retrieved,
            json,
        } => archive_add(cli, files, url.as_deref(), retrieved.as_deref(), *json),
        ArchiveCommand::List { json } => archive_list(cli, *json),
    }
}

fn archive_add(
    cli: &Cli,
    files: &[PathBuf],
    url: Option<&str>,
    retrieved: Option<&str>,
    json: bool,
) -> Result<()> {
    if files.len() > 1 && url.is_some() {
        bail!("--url names one document: give one file with it");
    }
    let now = format!("{}Z", now());
    let mut copies: Vec<NewCopy> = Vec::new();
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    // Every file is read and checked before anything is stored.
    for path in files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let meta = FileMeta {
            name: file_name(path),
            url: url.map(str::to_string),
            retrieved: retrieved.map(str::to_string),
            user: cli.user.clone(),
            now: now.clone(),
        };
        let got = intake::intake(&bytes, &meta)
            .with_context(|| format!("{} was not archived", path.display()))?;
        for n in &got.notes {
            eprintln!("note: {n}");
        }
        copies.extend(got.copies);
        documents.extend(got.documents);
        skipped.extend(got.skipped);
    }
    let mut store = open(&cli.db)?;
    let prov = provenance(&cli.user, intake::DATASET, "archive");
    let report = store
        .archive(
            &dossier_store::Scope::everything(),
            &copies,
            &documents,
            &prov,
        )
        .context("nothing was archived")?;
    update_index(&cli.db, &store);
    if json {
        let list: Vec<_> = copies
            .iter()
            .map(|c| json!({"sha256": c.info.sha256, "document": c.info.document, "url": c.info.url,
                "retrieved": c.info.retrieved, "title": c.info.title, "media_type": c.info.media_type,
                "size": c.info.size, "text_chars": c.text.chars().count()}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "added": report.added, "known": report.known, "skipped": skipped, "copies": list,
            }))?
        );
    } else {
        for s in &skipped {
            println!("skipped {s}");
        }
        println!(
            "archived {} ({} already archived) of {} into {}",
            dossier_views::counted(report.added as u64, "new copy", "new copies"),
            report.known,
            dossier_views::counted(documents.len() as u64, "document", "documents"),
            crate::redact_password(&cli.db)
        );
    }
    Ok(())
}

fn archive_list(cli: &Cli, json: bool) -> Result<()> {
    let store = open(&cli.db)?;
    let copies = store.copies(None)?;
    if json {
        let list: Vec<_> = copies
            .iter()
            .map(|c| json!({"sha256": c.sha256, "document": c.document, "url": c.url, "retrieved": c.retrieved,
                "title": c.title, "media_type": c.media_type, "size": c.size, "record_id": c.record_id,
                "archived_at": c.archived_at, "user": c.user}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    for c in &copies {
        println!(
            "{}  {}  {}  {}  {}",
            &c.sha256[..12],
            c.retrieved,
            c.document,
            c.url.as_deref().unwrap_or("-"),
            c.title
        );
    }
    println!("{} archived copies", copies.len());
    Ok(())
}

pub fn anchor(cli: &Cli, quotation: &str, document: &str, altered: bool) -> Result<()> {
    let mut store = open(&cli.db)?;
    let doc = dossier_views::find(&store, document)?
        .into_iter()
        .find(|e| e.schema.is_a("Document"))
        .map(|e| e.id)
        .unwrap_or_else(|| document.to_string());
    let prov = provenance(&cli.user, intake::DATASET, "anchor");
    let (id, found) = check::anchor_by_hand(&mut store, quotation, &doc, altered, &prov)?;
    println!(
        "anchored {quotation} in {doc} at {}..{} (found by {} search): {id}",
        found.start,
        found.end,
        found.method.as_str()
    );
    Ok(())
}

pub fn export_warc(store: &dyn dossier_store::Read, out: &mut dyn Write) -> Result<usize> {
    let mut w = WarcWriter::new(out);
    let info = format!(
        "software: dossier {}\r\nformat: WARC File Format 1.1\r\nconformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\ndescription: archived sources of a Dossier store\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let date = format!("{}Z", now());
    w.write(&NewRecord {
        warc_type: "warcinfo",
        record_id: record_id(&[b"warcinfo", info.as_bytes()]),
        date,
        content_type: "application/warc-fields",
        fields: vec![("WARC-Filename", "dossier-archive.warc.gz".to_string())],
        block: info.as_bytes(),
    })?;
    let mut n = 1;
    for c in store.copies(None)? {
        let content = store
            .copy_content(&c.sha256)?
            .context("an archived copy vanished")?;
        let text = store.copy_text(&c.sha256)?.unwrap_or_default();
        let target = c
            .url
            .clone()
            .unwrap_or_else(|| format!("urn:dossier:{}", c.document));
        let id = record_id(&[c.document.as_bytes(), c.sha256.as_bytes()]);
        w.write(&NewRecord {
            warc_type: "resource",
            record_id: id.clone(),
            date: c.retrieved.clone(),
            content_type: &c.media_type,
            fields: vec![("WARC-Target-URI", target.clone())],
            block: &content,
        })?;
        w.write(&NewRecord {
            warc_type: "conversion",
            record_id: record_id(&[c.document.as_bytes(), c.sha256.as_bytes(), b"text"]),
            date: c.retrieved.clone(),
            content_type: "text/plain; charset=utf-8",
            fields: vec![("WARC-Target-URI", target), ("WARC-Refers-To", id)],
            block: text.as_bytes(),
        })?;
        n += 2;
    }
    Ok(n)
}

/// `dossier export --format annotations`.
pub fn export_annotations(
    store: &dyn dossier_store::Read,
    out: &mut dyn Write,
    base: &str,
) -> Result<usize> {
    let mut quotes = Vec::new();
    for a in store.entities(&["Anchor"])? {
        let Some(sel) = check::selector_of(&a) else {
            continue;
        };
        let (Some(qid), Some(doc)) = (a.first("quotation"), a.first("document")) else {
            continue;
        };
        let Some(sha) = a.first("archivedCopy") else {
            continue;
        };
        let q = store.entity(qid)?;
        let speaker = q
            .as_ref()
            .and_then(|q| q.first("speaker"))
            .and_then(|s| store.entity(s).ok().flatten())
            .map(|s| annotation::Agent {
                id: Some(if base.is_empty() {
                    format!("urn:dossier:{}", s.id)
                } else {
                    format!("{base}entities/{}", s.id)
                }),
                kind: if s.schema.is_a("Person") {
                    "Person"
                } else {
                    "Organization"
                },
                name: s.caption().to_string(),
            });
        let copy = store
            .copies(Some(doc))?
            .into_iter()
            .find(|c| c.sha256 == sha);
        let scope = copy.as_ref().and_then(|c| c.url.clone());
        let history = store.history(&a.id)?;
        let first = history.iter().find(|s| s.is_current());
        quotes.push(AnchoredQuote {
            anchor: a.id.clone(),
            quotation: qid.to_string(),
            quote: q.as_ref().map(check::quote_text).unwrap_or_default(),
            speaker,
            rendition: if base.is_empty() {
                format!("urn:sha256:{sha}#text")
            } else {
                format!("{base}archive/{sha}/text")
            },
            scope,
            exact: sel.exact,
            prefix: sel.prefix,
            suffix: sel.suffix,
            start: sel.start,
            end: sel.end,
            retrieved: copy
                .as_ref()
                .map(|c| c.retrieved.clone())
                .unwrap_or_default(),
            cached: if base.is_empty() {
                format!("urn:sha256:{sha}")
            } else {
                format!("{base}archive/{sha}")
            },
            created: first
                .map(|s| format!("{}Z", s.first_seen.trim_end_matches('Z')))
                .unwrap_or_default(),
            creator: annotation::Agent {
                id: None,
                kind: "Person",
                name: first.map(|s| s.user.clone()).unwrap_or_default(),
            },
        });
    }
    let base = if base.is_empty() {
        "urn:dossier:"
    } else {
        base
    };
    Ok(annotation::write(out, base, &quotes)?)
}
