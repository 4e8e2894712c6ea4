//! One way in. A file's bytes and what is known of it become what it holds
//! — statements of a native log, or batches that each cite one source
//! Document — with diagnostics of one kind, whoever calls: `dossier
//! import` and the web both read files through [`read`].
//!
//! The registry ([`detect`]) tells a file's [`Kind`] by content, then by
//! name; each kind's reader lives where its format does (`formats` for
//! interchange, `ingest` for pages and tables, `evidence` for what is
//! archived), and every source Document is made by
//! [`dossier_model::SourceDoc`].
//!
//! Architecture invariant: no IO and no storage here; the caller reads the
//! file and records what comes back.

mod kind;

use std::collections::BTreeMap;

use dossier_formats::{ftm, FormatError};
use dossier_ingest::document::Pos;
use dossier_ingest::{import_profile, ImportOptions, IngestError, ProfileFormat};
use dossier_model::ids::sha1_bytes_hex;
use dossier_model::{Batch, PartialDate, SourceDoc, Statement};

pub use dossier_ingest::{Diagnostic, Matcher, Severity};
pub use kind::{detect, Kind, HEAD};

/// What is known of a file besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// How messages name the file (its path as given).
    pub shown: String,
    /// Its name, the source's key when no address is given.
    pub file_name: String,
    /// The address it was retrieved from.
    pub url: Option<String>,
    pub retrieved: Option<PartialDate>,
    /// Who published it: a page's publisher is the one who asserts its
    /// claims.
    pub publisher: Option<String>,
    /// The kind, when the caller says it; else [`detect`] tells.
    pub kind: Option<Kind>,
    /// Whether a statements CSV's rows keep their own datasets (else the
    /// caller's dataset takes them all).
    pub keep_datasets: bool,
}

/// What a file holds.
#[derive(Debug)]
pub enum Holds {
    /// A native log's statements, loaded as they are.
    Statements(Vec<Statement>),
    /// Batches of one source; a statements CSV gives one a dataset its
    /// rows name (`Batch::dataset`).
    Batches(Vec<Batch>),
}

/// A file read.
#[derive(Debug)]
pub struct Read {
    pub kind: Kind,
    pub holds: Holds,
    /// What it is, for a person: `profile (HTML) of X`, `FtM entities (12)`.
    pub label: String,
    /// The provenance origin its statements are recorded with.
    pub origin: &'static str,
    /// Warnings: what was left out or kept as it came, and where.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a file into what it holds, or says what is wrong and where.
/// Nothing is half read: an error means nothing of the file is to be
/// recorded.
pub fn read(bytes: &[u8], input: &Input, matcher: &mut Matcher) -> Result<Read, Diagnostic> {
    let head = &bytes[..bytes.len().min(HEAD)];
    let kind = match input.kind.or_else(|| detect(head, &input.file_name)) {
        Some(k) => k,
        None => {
            if let Err(e) = std::str::from_utf8(bytes) {
                let before = &bytes[..e.valid_up_to()];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                let start = before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
                return Err(Diagnostic::error(
                    &input.shown,
                    Pos::new(line as u32, column as u32),
                    "not UTF-8 text, nor a PDF or a web archive: not a format Dossier reads",
                ));
            }
            let text = String::from_utf8_lossy(head);
            let first = text.lines().position(|l| !l.trim().is_empty());
            if let Some(n) = first.filter(|_| {
                let t = text.trim_start_matches('\u{feff}').trim_start();
                t.starts_with('{') || t.starts_with('[')
            }) {
                return Err(Diagnostic::error(
                    &input.shown,
                    Pos::new(n as u32 + 1, 1),
                    "JSON, but of no format Dossier reads: it reads FtM entities (JSON lines, a JSON array or a delta file with op; each with schema and properties), Dossier statements (JSON lines with entity_id and prop) and Popolo (an object with persons, organizations or memberships)",
                ));
            }
            return Err(error(
                input,
                "not a format Dossier reads: FtM entities (JSON lines, a JSON array or a delta file), an FtM statements CSV, Popolo JSON, Dossier statements, a page (text or HTML), a table (CSV with --mapping or --kind), or evidence to archive (PDF, WARC)",
            ));
        }
    };
    match kind {
        Kind::Native => {
            let statements = dossier_formats::native::read(bytes).map_err(|e| format_error(input, e))?;
            Ok(Read {
                kind,
                holds: Holds::Statements(statements),
                label: "Dossier statements".into(),
                origin: "native",
                diagnostics: Vec::new(),
            })
        }
        Kind::Ftm | Kind::Statements | Kind::Popolo => interchange(bytes, input, kind),
        Kind::Page(form) => page(bytes, input, form, matcher),
        Kind::Table => Err(error(
            input,
            "a table, not a profile page: import it with --mapping FILE or --kind KIND (see `dossier import --help`); an FtM statements CSV needs the columns entity_id, prop, schema and value",
        )),
        Kind::Pdf | Kind::Warc => Err(error(
            input,
            format!(
                "{}, not a profile page: archive it with `dossier archive add {}` (its text is kept{}, and quotations are verified against it)",
                kind.name(),
                input.shown,
                if kind == Kind::Pdf { " page by page" } else { "" },
            ),
        )),
    }
}

fn error(input: &Input, message: impl Into<String>) -> Diagnostic {
    Diagnostic::error(&input.shown, Pos::new(0, 0), message)
}

fn warning(input: &Input, line: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::warning(&input.shown, Pos::new(line as u32, 0), message)
}

/// An interchange reader's error, at its line and column.
fn format_error(input: &Input, e: FormatError) -> Diagnostic {
    let at = match &e {
        FormatError::Syntax { at, .. }
        | FormatError::Invalid { at, .. }
        | FormatError::Encoding { at } => Pos::new(at.line as u32, at.column as u32),
        FormatError::Empty | FormatError::Io(_) => Pos::new(0, 0),
    };
    let message = match e {
        FormatError::Syntax { message, .. } | FormatError::Invalid { message, .. } => message,
        other => other.to_string(),
    };
    Diagnostic::error(&input.shown, at, message)
}

/// FtM entities, FtM statements or Popolo: the file is one source, cited
/// by a Document marked as a conduit (see `ftm::INTERCHANGE_AGENT`).
fn interchange(bytes: &[u8], input: &Input, kind: Kind) -> Result<Read, Diagnostic> {
    let read = match kind {
        Kind::Statements => dossier_formats::statements::read_csv(bytes),
        Kind::Popolo => dossier_formats::popolo::read(bytes),
        _ => ftm::read(bytes),
    }
    .map_err(|e| format_error(input, e))?;
    let source = SourceDoc {
        content_hash: Some(sha1_bytes_hex(bytes)),
        media_type: Some(
            match kind {
                Kind::Statements => "text/csv",
                _ => "application/json",
            }
            .into(),
        ),
        agent: Some(ftm::INTERCHANGE_AGENT.into()),
        ..SourceDoc::file(input.file_name.as_str())
    };
    let invalid = |e: dossier_model::ModelError| error(input, e.to_string());
    let doc = source.entity().map_err(invalid)?;
    let n = read.entities.len();
    let batch = Batch::new(source.id(), source.content_hash.clone().unwrap_or_default());
    // A statements CSV's rows keep their datasets, unless the caller names
    // one: a batch a dataset, each with the file's Document.
    let keep = kind == Kind::Statements && input.keep_datasets;
    let mut batches: BTreeMap<String, Batch> = BTreeMap::new();
    let mut datasets = read.datasets.into_iter();
    for e in read.entities {
        let d = datasets
            .next()
            .filter(|d| keep && !d.is_empty())
            .unwrap_or_default();
        if d == dossier_store::ARCHIVE_DATASET {
            return Err(error(
                input,
                format!("the dataset {d:?} holds archived copies; an import may not write to it"),
            ));
        }
        batches
            .entry(d)
            .or_insert_with(|| {
                let mut b = batch.clone();
                // One dataset (all but a statements CSV naming several):
                // room for every entity at once.
                if !keep {
                    b.reserve(n + 1);
                }
                b
            })
            .put(e)
            .map_err(invalid)?;
    }
    if batches.is_empty() {
        batches.insert(String::new(), batch);
    }
    let batches = batches
        .into_iter()
        .map(|(d, mut b)| {
            b.dataset = (!d.is_empty()).then_some(d);
            b.put(doc.clone()).map_err(invalid)?;
            Ok(b)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut diagnostics: Vec<Diagnostic> = read
        .dropped
        .iter()
        .map(|d| warning(input, 0, format!("{d}; dropped")))
        .collect();
    diagnostics.extend(read.unknown.iter().map(|(line, prop)| {
        warning(
            input,
            *line,
            format!("{prop}: property not in FtM's model; kept as it came"),
        )
    }));
    diagnostics.extend(read.skipped.iter().map(|(line, schema, id)| {
        warning(
            input,
            *line,
            match schema.as_str() {
                "deletion" => format!("the delta deletes entity {id}; an import adds, so it is left out"),
                _ => format!("schema {schema} is not in FtM's model; entity {id} left out, the rest imported"),
            },
        )
    }));
    let (label, origin) = match kind {
        Kind::Statements => (format!("FtM statements ({n} entities)"), "ftm-statements"),
        Kind::Popolo => (format!("Popolo ({n} entities)"), "popolo"),
        _ => (format!("FtM entities ({n})"), "ftm"),
    };
    Ok(Read {
        kind,
        holds: Holds::Batches(batches),
        label,
        origin,
        diagnostics,
    })
}

/// A page: a profile of one organization, or an article about several.
fn page(
    bytes: &[u8],
    input: &Input,
    form: ProfileFormat,
    matcher: &mut Matcher,
) -> Result<Read, Diagnostic> {
    let opts = ImportOptions {
        file_name: input.file_name.clone(),
        url: input.url.clone(),
        retrieved: input.retrieved,
        publisher: input.publisher.clone(),
        // Told again by the reader unless the caller said.
        format: input.kind.is_some().then_some(form),
    };
    let imported = import_profile(bytes, &opts, matcher).map_err(|e| match e {
        IngestError::Invalid(d) => Diagnostic {
            file: input.shown.clone(),
            ..d
        },
    })?;
    let diagnostics = imported
        .warnings
        .into_iter()
        .map(|w| Diagnostic {
            file: input.shown.clone(),
            ..w
        })
        .collect();
    let subject = imported.batch.get(&imported.subject);
    let caption = subject.map(|e| e.caption().to_string()).unwrap_or_default();
    let form = match imported.format {
        ProfileFormat::Text => "text",
        ProfileFormat::Html => "HTML",
    };
    // A page about several organizations is an article, not a profile.
    let label = match subject.is_some_and(|e| e.schema.is_a("Document")) {
        true => format!("article ({form}) \"{caption}\""),
        false => format!("profile ({form}) of {caption}"),
    };
    Ok(Read {
        kind: Kind::Page(imported.format),
        holds: Holds::Batches(vec![imported.batch]),
        label,
        origin: "profile",
        diagnostics,
    })
}
