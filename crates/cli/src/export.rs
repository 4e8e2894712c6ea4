//! `dossier export` (the store, or what a search found, in every format
//! written) and `dossier show` (one entity's profile as text).

use super::*;

pub(crate) fn export(cli: &Cli, args: &ExportArgs) -> Result<()> {
    let opened = open(&cli.db)?;
    // A public export reads what anyone may see; else everything.
    let scope = match args.public {
        true => dossier_auth::public_scope(&opened)?,
        false => dossier_store::Scope::everything(),
    };
    let store = opened.reader(&scope);
    let (mut out, tmp): (Box<dyn Write>, Option<(PathBuf, PathBuf)>) = match &args.out {
        Some(path) => {
            // Written beside the target and renamed at the end: a failed
            // export leaves no half file behind.
            let tmp = path.with_extension("partial");
            let f = std::fs::File::create(&tmp)
                .with_context(|| format!("cannot write {}", path.display()))?;
            (Box::new(BufWriter::new(f)), Some((tmp, path.clone())))
        }
        None => (Box::new(BufWriter::new(std::io::stdout().lock())), None),
    };
    match args.format {
        OutFormat::Jsonl => {
            store.each_statement(&mut |st| {
                native::write_statement(&mut out, &st)
                    .map_err(|e| dossier_store::StoreError::Io(e.to_string()))
            })?;
        }
        OutFormat::Ftm | OutFormat::Statements => {
            let entities = store.entities(&[])?;
            let statements = matches!(args.format, OutFormat::Statements);
            let mut sources: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            // Where each entity's rows were seen (the statements CSV only).
            let mut seen: std::collections::HashMap<String, dossier_formats::statements::Seen> =
                Default::default();
            store.each_statement(&mut |st| {
                if !st.is_current() {
                    return Ok(());
                }
                if statements {
                    let s = seen.entry(st.canonical_id.clone()).or_insert_with(|| {
                        dossier_formats::statements::Seen {
                            dataset: st.dataset.clone(),
                            first_seen: st.first_seen.clone(),
                            last_seen: st.last_seen.clone(),
                            ..Default::default()
                        }
                    });
                    if st.dataset != s.dataset {
                        s.elsewhere
                            .entry((st.prop.clone(), st.value.clone()))
                            .or_insert_with(|| st.dataset.clone());
                    }
                    if st.first_seen < s.first_seen {
                        s.first_seen = st.first_seen.clone();
                    }
                    if st.last_seen > s.last_seen {
                        s.last_seen = st.last_seen.clone();
                    }
                }
                sources
                    .entry(st.canonical_id)
                    .or_default()
                    .insert(st.source);
                Ok(())
            })?;
            if statements {
                dossier_formats::statements::write_csv(&mut out, &entities, &sources, &seen)?;
            } else {
                ftm::write(&mut out, &entities, &sources)?;
            }
        }
        OutFormat::Csv => {
            let kind = args
                .kind
                .as_deref()
                .context("--format csv needs --kind (organization, person, membership, payment, employment, directorship, link)")?;
            table::export_csv(&store, &mut out, kind)?;
        }
        OutFormat::Jsonld => {
            let mut profiles = Vec::new();
            for e in store.entities(&["LegalEntity"])? {
                profiles.extend(dossier_views::profile(&store, &e.id)?);
            }
            serde_json::to_writer_pretty(&mut out, &dossier_web::jsonld::store(profiles))?;
            out.write_all(b"\n")?;
        }
        OutFormat::Popolo => {
            let entities =
                store.entities(&["LegalEntity", "Membership", "Employment", "Directorship"])?;
            let mut cited: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            store.each_statement(&mut |st| {
                if st.is_current() && st.source != st.canonical_id {
                    cited.entry(st.canonical_id).or_default().insert(st.source);
                }
                Ok(())
            })?;
            let mut docs: BTreeMap<String, dossier_formats::popolo::SourceRef> = BTreeMap::new();
            let mut sources: BTreeMap<String, Vec<dossier_formats::popolo::SourceRef>> =
                BTreeMap::new();
            for (id, srcs) in cited {
                let mut list = Vec::new();
                for s in srcs {
                    if !docs.contains_key(&s) {
                        let d = store.entity(&s)?;
                        let url = d
                            .as_ref()
                            .and_then(|d| d.first("sourceUrl").map(str::to_string))
                            .unwrap_or_else(|| format!("urn:dossier:{s}"));
                        let title = d
                            .as_ref()
                            .map(|d| d.caption().to_string())
                            .unwrap_or_default();
                        docs.insert(s.clone(), dossier_formats::popolo::SourceRef { url, title });
                    }
                    list.extend(docs.get(&s).cloned());
                }
                sources.insert(id, list);
            }
            dossier_formats::popolo::write(&mut out, &entities, &sources)?;
        }
        OutFormat::Gexf | OutFormat::Graphml => {
            let gexf = matches!(args.format, OutFormat::Gexf);
            graph::export_network(&store, &mut out, gexf, args.around.as_deref(), args.hops)?;
        }
        OutFormat::Warc => {
            evidence::export_warc(&store, &mut out)?;
        }
        OutFormat::Annotations => {
            let base = if args.base_url.is_empty() || args.base_url.ends_with('/') {
                args.base_url.clone()
            } else {
                format!("{}/", args.base_url)
            };
            evidence::export_annotations(&store, &mut out, &base)?;
        }
    }
    out.flush()?;
    drop(out);
    if let Some((tmp, path)) = tmp {
        std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

pub(crate) fn show(cli: &Cli, args: &ShowArgs) -> Result<()> {
    let store = open(&cli.db)?;
    let found = dossier_views::find(&store, &args.name)?;
    let entity = match found.as_slice() {
        [] => bail!(
            "nothing named {:?} in {}",
            args.name,
            redact_password(&cli.db)
        ),
        [one] => one,
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|e| format!("{} ({} {})", e.caption(), e.schema.name, e.id))
                .collect();
            bail!(
                "{:?} names {} entities; give one of their ids: {}",
                args.name,
                many.len(),
                list.join("; ")
            )
        }
    };
    let mut out = std::io::stdout().lock();
    // What has no profile of its own is shown by its properties and links.
    let profiled = ["LegalEntity", "Document", "Claim"];
    if !args.json && !profiled.iter().any(|s| entity.schema.is_a(s)) {
        render::thing_text(&mut out, &dossier_views::thing_view(&store, entity)?)?;
        return Ok(());
    }
    let profile = dossier_views::profile(&store, &entity.id)?
        .ok_or_else(|| anyhow!("{} vanished", entity.id))?;
    if args.json {
        serde_json::to_writer_pretty(&mut out, &render::profile_json(&profile))?;
        writeln!(out)?;
    } else {
        render::profile_text(&mut out, &profile)?;
    }
    Ok(())
}
