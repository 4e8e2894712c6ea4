//! `dossier import --format csv`: tables with a column mapping.

use std::collections::BTreeMap;

use anyhow::{bail, Context, Result};
use dossier_ingest::table::{import_csv, Mapping, RowKind};
use dossier_ingest::Matcher;

use crate::import::file_name;
use crate::{open, provenance, update_index, Cli, ImportArgs};

/// The mapping from the flags, or from `--mapping FILE` with flags on top.
fn mapping(args: &ImportArgs) -> Result<Mapping> {
    let mut m = match &args.mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Mapping::parse(&text, &path.display().to_string())?
        }
        None => {
            let kind = args
                .kind
                .as_deref()
                .context("a CSV import needs --kind (organization, person, membership, payment, employment, directorship, link) or --mapping FILE")?;
            Mapping {
                kind: RowKind::parse(kind).with_context(|| format!("unknown --kind {kind:?}"))?,
                columns: BTreeMap::new(),
                source_column: None,
                source: None,
            }
        }
    };
    if let Some(k) = &args.kind {
        m.kind = RowKind::parse(k).with_context(|| format!("unknown --kind {k:?}"))?;
    }
    for pair in &args.map {
        let Some((prop, col)) = pair.split_once('=') else {
            bail!("--map takes property=Column, not {pair:?}");
        };
        m.columns
            .insert(prop.trim().to_string(), col.trim().to_string());
    }
    if let Some(c) = &args.source_column {
        m.source_column = Some(c.clone());
    }
    if let Some(u) = &args.url {
        m.source = Some(u.clone());
    }
    Ok(m)
}

pub fn import(cli: &Cli, args: &ImportArgs) -> Result<()> {
    let map = mapping(args)?;
    let mut store = open(&cli.db)?;
    let mut matcher = Matcher::new();
    for n in store.names()? {
        matcher.add_name(&n.entity_id, &n.schema, &n.value);
        if n.prop == "abbreviation" {
            matcher.add_acronym(&n.entity_id, &n.schema, &n.value);
        }
    }
    let mut batches = Vec::new();
    let mut rejected = Vec::new();
    let mut rows = 0;
    for path in &args.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
        let got = import_csv(&bytes, &file_name(path), &map, &mut matcher)?;
        rows += got.rows;
        rejected.extend(got.rejected);
        batches.extend(got.batches);
    }
    for r in &rejected {
        eprintln!("{r}");
    }
    if args.strict && !rejected.is_empty() {
        bail!(
            "{} of {rows} rows cannot be read; with --strict nothing was imported",
            rejected.len()
        );
    }
    // Rows add to what their sources said: an edit, not a new version of
    // the source (a profile page imported from the same address keeps what
    // it said).
    let prov = provenance(&cli.user, args.dataset(), "csv");
    let reports = store
        .amend(&batches, &prov)
        .context("the import was not recorded")?;
    let inserted: usize = reports.iter().map(|r| r.inserted).sum();
    update_index(&cli.db, &store);
    let summary = serde_json::json!({
        "rows": rows, "imported": rows - rejected.len(), "rejected": rejected.len(),
        "sources": batches.len(), "statements": inserted,
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "{} of {} imported from {} ({} rejected); {}",
            rows - rejected.len(),
            dossier_views::counted(rows as u64, "row", "rows"),
            dossier_views::counted(batches.len() as u64, "source", "sources"),
            rejected.len(),
            dossier_views::counted(inserted as u64, "new statement", "new statements"),
        );
    }
    Ok(())
}

/// `dossier export --format csv --kind K`: one row per entity of a kind,
/// a column per property it uses (several values joined by "; "), the ends
/// of relationships by name (with their ids beside), and the sources.
pub fn export_csv(
    store: &dyn dossier_store::Read,
    out: &mut dyn std::io::Write,
    kind: &str,
) -> Result<usize> {
    let kind = RowKind::parse(kind).with_context(|| format!("unknown --kind {kind:?}"))?;
    let schema = dossier_model::Schema::get(kind.schema()).context("unknown schema")?;
    let entities: Vec<_> = store
        .entities(&[schema.name])?
        .into_iter()
        .filter(|e| {
            e.schema.name == schema.name
                || kind == RowKind::Organization && e.schema.is_a("Organization")
        })
        .collect();
    let mut props: Vec<&'static str> = Vec::new();
    for p in schema.properties() {
        if entities.iter().any(|e| e.has(p.name)) && !props.contains(&p.name) {
            props.push(p.name);
        }
    }
    props.sort_by_key(|p| (*p != "name", *p));
    let mut header: Vec<String> = vec!["id".into()];
    for p in &props {
        header.push((*p).to_string());
        if schema
            .property(p)
            .is_some_and(|x| x.kind == dossier_model::PropType::Entity)
        {
            header.push(format!("{p}_id"));
        }
    }
    header.push("source".into());
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&header)?;
    let mut names: std::collections::HashMap<String, String> = Default::default();
    let mut name_of = |id: &str| -> Result<String> {
        if let Some(n) = names.get(id) {
            return Ok(n.clone());
        }
        let n = store
            .entity(id)?
            .map(|e| e.caption().to_string())
            .unwrap_or_else(|| id.to_string());
        names.insert(id.to_string(), n.clone());
        Ok(n)
    };
    for e in &entities {
        let mut row = vec![e.id.clone()];
        for p in &props {
            let values: Vec<&str> = e.values(p).collect();
            if schema
                .property(p)
                .is_some_and(|x| x.kind == dossier_model::PropType::Entity)
            {
                let mut shown = Vec::new();
                for v in &values {
                    shown.push(name_of(v)?);
                }
                row.push(shown.join("; "));
                row.push(values.join("; "));
            } else {
                row.push(values.join("; "));
            }
        }
        let sources = dossier_views::sources_of(store, &e.id)?;
        row.push(
            sources
                .iter()
                .map(|d| d.first("sourceUrl").unwrap_or(d.caption()).to_string())
                .collect::<Vec<_>>()
                .join("; "),
        );
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(entities.len())
}
