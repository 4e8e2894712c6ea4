//! Archive intake: files (HTML pages, plain text, PDFs, WARC archives) become
//! archived copies with their visible text, and `Document` entities that say
//! where and when each was retrieved.

use dossier_formats::warc;
use dossier_ingest::html::visible_text;
use dossier_model::ids::{sha1_bytes_hex, sha256_hex};
use dossier_model::{Batch, SourceDoc};
use dossier_store::{ArchivedCopy, NewCopy};

use crate::EvidenceError;

/// The dataset archive metadata and anchors are recorded in, apart from
/// what imports of the same documents say (an import replaces what its
/// source said before; an archive only adds).
pub const DATASET: &str = dossier_store::ARCHIVE_DATASET;

/// What one file gives the archive.
#[derive(Debug, Default)]
pub struct Intake {
    pub copies: Vec<NewCopy>,
    pub documents: Vec<Batch>,
    /// WARC records passed over, with why.
    pub skipped: Vec<String>,
    /// Things worth saying (decoding problems, encodings not undone).
    pub notes: Vec<String>,
}

/// What is known of a file besides its bytes.
#[derive(Debug, Clone, Default)]
pub struct FileMeta {
    /// The file's name (for documents without an address).
    pub name: String,
    /// `--url`: the address it was retrieved from.
    pub url: Option<String>,
    /// `--retrieved`: when; else `now` with a note.
    pub retrieved: Option<String>,
    /// Who archives, and when (UTC, ISO 8601).
    pub user: String,
    pub now: String,
}

/// `YYYY-MM-DDThh:mm:ssZ` from a date or a timestamp (WARC-Date, ISO 8601).
pub fn parse_when(value: &str) -> Option<String> {
    let v = value.trim();
    if let Ok(ts) = v.parse::<jiff::Timestamp>() {
        return Some(ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
    }
    if let Ok(dt) = v.parse::<jiff::civil::DateTime>() {
        return Some(dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>() {
        return Some(format!("{}T00:00:00Z", d.strftime("%Y-%m-%d")));
    }
    None
}

/// What kind of document bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Text,
    Pdf,
}

/// A WARC file, plain or gzipped, told by its first bytes.
pub fn is_warc(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"WARC/") {
        return true;
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        use std::io::Read;
        let mut head = [0u8; 5];
        let mut dec = dossier_formats::warc::gzip_reader(bytes);
        return dec.read_exact(&mut head).is_ok() && &head == b"WARC/";
    }
    false
}

/// HTML by its markup, told the way the importer tells it (one sniffer, so
/// a page archived and the same page imported are read alike).
fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]);
    dossier_ingest::ProfileFormat::detect(&head) == dossier_ingest::ProfileFormat::Html
}

fn kind_of(media_type: &str, name: &str, bytes: &[u8]) -> Option<Kind> {
    match media_type {
        "text/html" | "application/xhtml+xml" => return Some(Kind::Html),
        "text/plain" | "text/markdown" => return Some(Kind::Text),
        "application/pdf" => return Some(Kind::Pdf),
        "" | "application/octet-stream" | "unk" => {}
        _ => return None,
    }
    let lower = name.to_ascii_lowercase();
    if crate::pdf::is_pdf(bytes) {
        Some(Kind::Pdf)
    } else if lower.ends_with(".html")
        || lower.ends_with(".htm")
        || lower.ends_with(".xhtml")
        || looks_like_html(bytes)
    {
        Some(Kind::Html)
    } else if lower.ends_with(".txt")
        || lower.ends_with(".md")
        || std::str::from_utf8(bytes).is_ok()
    {
        Some(Kind::Text)
    } else {
        None
    }
}

/// The charset an HTML page declares in its first kilobytes.
fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let rest = head[at..].trim_start_matches(['"', '\'']);
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))?;
    Some(rest[..end].to_string()).filter(|s| !s.is_empty())
}

/// Decodes bytes as text: the declared charset, else a BOM, else UTF-8;
/// undecodable bytes become U+FFFD and a note says so.
fn decode(bytes: &[u8], charset: Option<&str>, notes: &mut Vec<String>, what: &str) -> String {
    let declared = charset.and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()));
    let enc = declared.unwrap_or(encoding_rs::UTF_8);
    let (text, used, had_errors) = enc.decode(bytes);
    if had_errors {
        notes.push(format!(
            "{what}: some bytes are not {}; they became U+FFFD",
            used.name()
        ));
    }
    text.into_owned()
}

/// The visible text and title of a document's bytes.
fn extract(
    kind: Kind,
    bytes: &[u8],
    charset: Option<&str>,
    notes: &mut Vec<String>,
    what: &str,
) -> Result<(String, String), EvidenceError> {
    match kind {
        Kind::Html => {
            let charset = charset.map(str::to_string).or_else(|| meta_charset(bytes));
            let source = decode(bytes, charset.as_deref(), notes, what);
            let page = visible_text(&source).map_err(|d| EvidenceError::Unsupported {
                file: what.to_string(),
                reason: format!("this HTML page: line {}: {}", d.pos.line, d.message),
            })?;
            Ok((page.title, page.text))
        }
        Kind::Pdf => {
            let pdf = crate::pdf::read(bytes).map_err(|e| EvidenceError::Unsupported {
                file: what.to_string(),
                reason: e.to_string(),
            })?;
            if !pdf.unreadable.is_empty() {
                let pages: Vec<String> = pdf.unreadable.iter().map(u32::to_string).collect();
                notes.push(format!(
                    "{what}: the text of page(s) {} could not be read; they are kept empty",
                    pages.join(", ")
                ));
            }
            let text = pdf.text();
            let title = pdf.title.clone().unwrap_or_else(|| {
                text.lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(|l| l.chars().take(200).collect())
                    .unwrap_or_default()
            });
            Ok((title, text))
        }
        Kind::Text => {
            let text = decode(bytes, charset, notes, what);
            let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
            let title = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(|l| l.chars().take(200).collect())
                .unwrap_or_default();
            Ok((title, text))
        }
    }
}

/// The file name a document gets from its address.
fn name_from_url(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    match path.rsplit_once('/') {
        Some((_, last)) if !last.is_empty() => last.to_string(),
        _ => path.trim_end_matches('/').replace('/', "_") + ".html",
    }
}

struct Piece<'a> {
    kind: Kind,
    bytes: &'a [u8],
    media_type: String,
    charset: Option<String>,
    url: Option<String>,
    file_name: String,
    retrieved: String,
    record_id: Option<String>,
    what: String,
}

fn add_piece(p: Piece<'_>, meta: &FileMeta, out: &mut Intake) -> Result<(), EvidenceError> {
    let (title, text) = extract(
        p.kind,
        p.bytes,
        p.charset.as_deref(),
        &mut out.notes,
        &p.what,
    )?;
    let sha256 = sha256_hex(p.bytes);
    let media_type = if p.media_type.is_empty() {
        match p.kind {
            Kind::Html => "text/html".to_string(),
            Kind::Text => "text/plain".to_string(),
            Kind::Pdf => "application/pdf".to_string(),
        }
    } else {
        p.media_type
    };
    let sha1 = sha1_bytes_hex(p.bytes);
    let source = SourceDoc {
        url: p.url.clone(),
        title: Some(title.clone()),
        content_hash: Some(sha1.clone()),
        media_type: Some(media_type.clone()),
        retrieved: p.retrieved.get(..10).and_then(|d| d.parse().ok()),
        ..SourceDoc::file(if p.file_name.is_empty() {
            "document"
        } else {
            &p.file_name
        })
    };
    // The same rule as the profile importer's: an archived profile page is
    // the document its import made.
    let doc_id = source.id();
    let model = |e: dossier_model::ModelError| EvidenceError::Model {
        what: p.what.clone(),
        message: e.to_string(),
    };
    let doc = source.entity().map_err(model)?;
    let mut batch = Batch::new(doc_id.clone(), sha1);
    batch.put(doc).map_err(model)?;
    // Two records of one WARC for the same address: both copies, one document.
    if let Some(existing) = out.documents.iter_mut().find(|b| b.source == doc_id) {
        *existing = batch;
    } else {
        out.documents.push(batch);
    }
    out.copies.push(NewCopy {
        info: ArchivedCopy {
            sha256,
            document: doc_id,
            url: p.url,
            retrieved: p.retrieved,
            title,
            record_id: p.record_id,
            archived_at: meta.now.clone(),
            user: meta.user.clone(),
            dataset: DATASET.to_string(),
            media_type,
            size: p.bytes.len() as i64,
        },
        content: p.bytes.to_vec(),
        text,
    });
    Ok(())
}

/// Reads one file for the archive. All or nothing: an error leaves nothing
/// to store.
pub fn intake(bytes: &[u8], meta: &FileMeta) -> Result<Intake, EvidenceError> {
    let mut out = Intake::default();
    let retrieved = match &meta.retrieved {
        Some(r) => parse_when(r).ok_or_else(|| EvidenceError::BadDate(r.clone()))?,
        None => meta.now.clone(),
    };
    if is_warc(bytes) {
        let records = warc::read(bytes).map_err(|e| EvidenceError::Warc {
            file: meta.name.clone(),
            error: e,
        })?;
        if meta.url.is_some() {
            out.notes
                .push("--url is ignored for WARC files: each record names its own address".into());
        }
        for r in &records {
            let what = format!("{} record {}", meta.name, r.number);
            let kind_name = r.record_type();
            let payload = warc::payload(r).map_err(|e| EvidenceError::Warc {
                file: meta.name.clone(),
                error: e,
            })?;
            let Some(payload) = payload else {
                if kind_name != "warcinfo" && kind_name != "request" && kind_name != "metadata" {
                    out.skipped
                        .push(format!("{what}: a {kind_name} record holds no document"));
                }
                continue;
            };
            if let Some(status) = payload.status.filter(|s| !(200..300).contains(s)) {
                out.skipped
                    .push(format!("{what}: HTTP status {status}, not a document"));
                continue;
            }
            let url = r.target_uri().map(str::to_string);
            let file_name = url
                .as_deref()
                .map(name_from_url)
                .unwrap_or_else(|| format!("{}-{}", meta.name, r.number));
            let Some(kind) = kind_of(&payload.media_type, &file_name, &payload.body) else {
                out.skipped.push(format!(
                    "{what}: {} is not a text document",
                    payload.media_type
                ));
                continue;
            };
            let when =
                r.header("WARC-Date")
                    .and_then(parse_when)
                    .ok_or_else(|| EvidenceError::Warc {
                        file: meta.name.clone(),
                        error: warc::WarcError {
                            record: r.number,
                            offset: r.offset,
                            message: format!(
                                "WARC-Date `{}` is not a UTC timestamp",
                                r.header("WARC-Date").unwrap_or("")
                            ),
                        },
                    })?;
            out.notes
                .extend(payload.notes.iter().map(|n| format!("{what}: {n}")));
            add_piece(
                Piece {
                    kind,
                    bytes: &payload.body,
                    media_type: payload.media_type.clone(),
                    charset: payload.charset.clone(),
                    url,
                    file_name,
                    retrieved: when,
                    record_id: r.header("WARC-Record-ID").map(str::to_string),
                    what,
                },
                meta,
                &mut out,
            )?;
        }
        return Ok(out);
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(EvidenceError::Unsupported {
            file: meta.name.clone(),
            reason: "a gzip file that is not a WARC archive".into(),
        });
    }
    let kind = kind_of("", &meta.name, bytes).ok_or_else(|| EvidenceError::Unsupported {
        file: meta.name.clone(),
        reason: "neither HTML, plain text (UTF-8), PDF nor WARC".into(),
    })?;
    if meta.retrieved.is_none() {
        out.notes.push(format!(
            "{}: no --retrieved date given; recorded as retrieved now",
            meta.name
        ));
    }
    add_piece(
        Piece {
            kind,
            bytes,
            media_type: String::new(),
            charset: None,
            url: meta.url.clone(),
            file_name: meta.name.clone(),
            retrieved,
            record_id: None,
            what: meta.name.clone(),
        },
        meta,
        &mut out,
    )?;
    Ok(out)
}
