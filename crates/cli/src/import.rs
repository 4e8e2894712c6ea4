//! `dossier import`: every file read and checked first, then written in
//! one transaction (native logs in one load, the other formats' batches in
//! one apply), and the search index brought up to date.

use super::*;
use dossier_intake::{Diagnostic, Holds, Input, Kind};

/// What one file will become.
enum Plan {
    Statements(PathBuf, Vec<Statement>),
    /// A native log loaded as it is read (see [`load_log`]).
    Log(PathBuf),
    /// One batch, or for a statements CSV one a dataset its rows name.
    Batch {
        path: PathBuf,
        batches: Vec<Batch>,
        label: String,
        origin: &'static str,
    },
}

impl ImportArgs {
    /// The dataset statements go to unless their file names its own.
    pub(crate) fn dataset(&self) -> &str {
        self.dataset.as_deref().unwrap_or("default")
    }
}

fn file_date(path: &Path) -> Option<PartialDate> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let ts = jiff::Timestamp::try_from(modified).ok()?;
    let date = ts.to_zoned(jiff::tz::TimeZone::UTC).date();
    PartialDate::day(date.year() as u16, date.month() as u8, date.day() as u8)
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl InFormat {
    /// The kind the user named; `None` for "a page, told by content".
    fn kind(self) -> Option<Kind> {
        Some(match self {
            InFormat::Text => Kind::Page(ProfileFormat::Text),
            InFormat::Html => Kind::Page(ProfileFormat::Html),
            InFormat::Jsonl => Kind::Native,
            InFormat::Ftm => Kind::Ftm,
            InFormat::Statements => Kind::Statements,
            InFormat::Popolo => Kind::Popolo,
            InFormat::Profile | InFormat::Csv => return None,
        })
    }
}

/// Reads one file through the intake library into a plan; the library
/// tells its kind, reads it and makes its source Document.
fn plan_file(
    path: &Path,
    args: &ImportArgs,
    matcher: &mut Matcher,
    stream: bool,
) -> Result<(Plan, Vec<Diagnostic>)> {
    let shown = path.display().to_string();
    let forced = args.format.and_then(InFormat::kind);
    // A native log may be larger than memory: with `stream`, the head tells
    // the format, and the log is read as it is loaded.
    if stream {
        let native = match forced {
            Some(k) => k == Kind::Native,
            None => {
                let mut head = Vec::new();
                std::fs::File::open(path)
                    .and_then(|f| f.take(dossier_intake::HEAD as u64).read_to_end(&mut head))
                    .with_context(|| format!("{shown}: cannot read"))?;
                dossier_intake::detect(&head, &file_name(path)) == Some(Kind::Native)
            }
        };
        if native {
            return Ok((Plan::Log(path.to_path_buf()), Vec::new()));
        }
    }
    let bytes = std::fs::read(path).with_context(|| format!("{shown}: cannot read"))?;
    let retrieved = match &args.retrieved {
        Some(d) => Some(
            d.parse::<PartialDate>()
                .map_err(|_| anyhow!("--retrieved {d:?} is not an ISO date"))?,
        ),
        None => file_date(path),
    };
    let input = Input {
        shown,
        file_name: file_name(path),
        url: args.url.clone(),
        retrieved,
        publisher: args.publisher.clone(),
        // `--format profile` is a page, text or HTML told by content.
        kind: forced.or_else(|| {
            matches!(args.format, Some(InFormat::Profile)).then(|| {
                Kind::Page(ProfileFormat::detect(&String::from_utf8_lossy(
                    &bytes[..bytes.len().min(4096)],
                )))
            })
        }),
        keep_datasets: args.dataset.is_none(),
    };
    let read = dossier_intake::read(&bytes, &input, matcher).map_err(|d| anyhow!("{d}"))?;
    let plan = match read.holds {
        Holds::Statements(st) => Plan::Statements(path.to_path_buf(), st),
        Holds::Batches(batches) => Plan::Batch {
            path: path.to_path_buf(),
            batches,
            label: read.label,
            origin: read.origin,
        },
    };
    Ok((plan, read.diagnostics))
}

/// Statements a chunk of a native log holds, as it is read.
const LOG_CHUNK: usize = 32_768;

/// Loads a native log as it is read, in one transaction: a thread reads
/// and checks the lines a chunk at a time while the store writes the chunk
/// before, so reading and writing take a core each and memory holds a few
/// chunks, however long the log. A bad line ends the load and leaves the
/// store as it was. Returns the rows that were new and the statements read.
fn load_log(store: &mut AnyStore, path: &Path) -> Result<(usize, usize)> {
    let file =
        std::fs::File::open(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let shown = path.display().to_string();
    let (send, chunks) = std::sync::mpsc::sync_channel::<Result<Vec<Statement>, String>>(4);
    let reader = std::thread::spawn(move || {
        let mut lines = native::Reader::new(std::io::BufReader::with_capacity(1 << 20, file));
        let mut read = 0;
        loop {
            let chunk = lines
                .by_ref()
                .take(LOG_CHUNK)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{shown}:{e}"));
            match &chunk {
                Ok(c) if c.is_empty() => break,
                Ok(c) => read += c.len(),
                Err(_) => {}
            }
            let failed = chunk.is_err();
            // The store stops taking chunks when it fails, and says why.
            if send.send(chunk).is_err() || failed {
                break;
            }
        }
        read
    });
    let loaded = store.load_chunks(&mut chunks.iter());
    drop(chunks);
    let read = reader
        .join()
        .map_err(|_| anyhow!("{}: the reading thread failed", path.display()))?;
    let n = loaded.with_context(|| format!("{}: cannot load", path.display()))?;
    if read == 0 {
        bail!("{}:{}", path.display(), dossier_formats::FormatError::Empty);
    }
    Ok((n, read))
}

pub(crate) fn import(cli: &Cli, args: &ImportArgs) -> Result<()> {
    if args.dataset.as_deref() == Some(dossier_store::ARCHIVE_DATASET) {
        bail!("the dataset \"archive\" holds archived copies; an import may not write to it");
    }
    if matches!(args.format, Some(InFormat::Csv)) || args.mapping.is_some() || args.kind.is_some() {
        return table::import(cli, args);
    }
    if args.url.is_some() && args.files.len() > 1 {
        bail!("--url names one source: give one file with it");
    }
    let mut store = open(&cli.db)?;
    let mut matcher = Matcher::new();
    for n in store.names()? {
        matcher.add_name(&n.entity_id, &n.schema, &n.value);
        if n.prop == "abbreviation" {
            matcher.add_acronym(&n.entity_id, &n.schema, &n.value);
        }
    }
    let progress = indicatif::ProgressBar::new(args.files.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{spinner} reading {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Read everything first: a bad file stops the import before anything is
    // written. A native log imported alone is read as it loads instead: a
    // bad line then rolls its one transaction back.
    let stream = args.files.len() == 1;
    let mut plans = Vec::new();
    for path in &args.files {
        progress.set_message(path.display().to_string());
        let (plan, warnings) = plan_file(path, args, &mut matcher, stream)?;
        for w in warnings {
            progress.suspend(|| eprintln!("{}", dossier_views::bounded_message(&w.to_string())));
        }
        plans.push(plan);
        progress.inc(1);
    }
    progress.set_message("recording in the store");
    let mut sources = BTreeSet::new();
    for p in &plans {
        if let Plan::Batch { batches, path, .. } = p {
            let first = batches
                .iter()
                .map(|b| (b.source.clone(), b.dataset.clone()));
            if !batches.is_empty() && !first.into_iter().all(|k| sources.insert(k)) {
                bail!(
                    "{}: another file in this import is the same source; import them one at a time",
                    path.display()
                );
            }
        }
    }
    // All or nothing across files: native logs load in one transaction,
    // the other files' batches are recorded in one; the two kinds do not
    // mix in one command, so no import stops halfway.
    let logs = plans
        .iter()
        .filter(|p| matches!(p, Plan::Statements(..) | Plan::Log(..)))
        .count();
    if logs > 0 && logs < plans.len() {
        bail!(
            "native logs (statement JSON lines) load on their own: import them in one command and the other files in another"
        );
    }
    let mut results = Vec::new();
    if logs > 1 {
        let all: Vec<Statement> = plans
            .iter()
            .filter_map(|p| match p {
                Plan::Statements(_, st) => Some(st.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect();
        progress.finish_and_clear();
        let n = store
            .load(&all)
            .context("nothing was loaded: the logs do not go together")?;
        let names: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
        results.push(serde_json::json!({"files": names, "format": "jsonl", "statements": n}));
        if !args.json {
            println!(
                "{}: {n} statements loaded in one transaction",
                names.join(", ")
            );
        }
        plans.clear();
    }
    for p in &plans {
        let (path, n, read) = match p {
            Plan::Statements(path, st) => {
                progress.finish_and_clear();
                let n = store
                    .load(st)
                    .with_context(|| format!("{}: cannot load", path.display()))?;
                (path, n, st.len())
            }
            Plan::Log(path) => {
                progress.finish_and_clear();
                let (n, read) = load_log(&mut store, path)?;
                (path, n, read)
            }
            Plan::Batch { .. } => continue,
        };
        results.push(serde_json::json!({"file": path.display().to_string(), "format": "jsonl", "statements": n}));
        if !args.json {
            let there = read - n;
            if there > 0 {
                println!(
                    "{}: {n} statements loaded ({there} already in the store)",
                    path.display()
                );
            } else {
                println!("{}: {n} statements loaded", path.display());
            }
        }
    }
    let batches: Vec<(&PathBuf, &[Batch], &String, &'static str)> = plans
        .iter()
        .filter_map(|p| match p {
            Plan::Batch {
                path,
                batches,
                label,
                origin,
            } => Some((path, batches.as_slice(), label, *origin)),
            Plan::Statements(..) | Plan::Log(..) => None,
        })
        .collect();
    if !batches.is_empty() {
        let origin = batches.first().map_or("import", |b| b.3);
        let prov = provenance(&cli.user, args.dataset(), origin);
        // One file's batches as they are; several files' copied together
        // (a copy of every entity was a twentieth of a large import).
        let owned: std::borrow::Cow<'_, [Batch]> = match batches.as_slice() {
            [(_, one, _, _)] => std::borrow::Cow::Borrowed(one),
            _ => batches.iter().flat_map(|b| b.1.iter().cloned()).collect(),
        };
        let mut reports = store
            .apply(&owned, &prov)
            .context("the import was not recorded")?
            .into_iter();
        progress.finish_and_clear();
        for (path, file_batches, label, _) in &batches {
            // A file's batches (one a dataset) reported as one.
            let mut r = dossier_store::ApplyReport {
                unchanged: true,
                ..Default::default()
            };
            let mut entities = BTreeSet::new();
            for (b, one) in file_batches.iter().zip(reports.by_ref()) {
                entities.extend(b.entities().map(|e| e.id.clone()));
                r.unchanged &= one.unchanged;
                r.inserted += one.inserted;
                r.kept += one.kept;
                r.retracted += one.retracted;
            }
            r.entities = entities.len();
            results.push(serde_json::json!({
                "file": path.display().to_string(), "what": label, "unchanged": r.unchanged,
                "entities": r.entities, "inserted": r.inserted, "kept": r.kept, "retracted": r.retracted,
            }));
            if !args.json {
                if r.unchanged {
                    println!(
                        "{}: {label}: unchanged (this version is already recorded)",
                        path.display()
                    );
                } else {
                    println!(
                        "{}: {label}: {} entities; statements: {} new, {} kept, {} retracted",
                        path.display(),
                        r.entities,
                        r.inserted,
                        r.kept,
                        r.retracted
                    );
                }
            }
        }
    }
    progress.finish_and_clear();
    update_index(&cli.db, &store);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    }
    Ok(())
}
