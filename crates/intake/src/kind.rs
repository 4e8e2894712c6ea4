//! The format registry: what a file is, told by its content first and by
//! its name only when the content does not say.

use dossier_formats::Format;
use dossier_ingest::ProfileFormat;

/// Every kind of file Dossier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Dossier's statement JSON lines (lossless).
    Native,
    /// FollowTheMoney entities: JSON lines, a JSON array, or a delta file.
    Ftm,
    /// FtM statements CSV.
    Statements,
    /// Popolo JSON.
    Popolo,
    /// A profile page or article, as plain text or HTML.
    Page(ProfileFormat),
    /// A table of rows, read with a column mapping.
    Table,
    /// Evidence, archived rather than imported.
    Pdf,
    Warc,
}

impl Kind {
    /// The kind's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Native => "Dossier statements (JSON lines)",
            Kind::Ftm => "FtM entities",
            Kind::Statements => "FtM statements CSV",
            Kind::Popolo => "Popolo JSON",
            Kind::Page(ProfileFormat::Text) => "a page (text)",
            Kind::Page(ProfileFormat::Html) => "a page (HTML)",
            Kind::Table => "a table (CSV)",
            Kind::Pdf => "a PDF",
            Kind::Warc => "a web archive (WARC)",
        }
    }

    /// Evidence is archived (`dossier archive add`, the web's "archive
    /// now"): its text is kept and quotations are verified against it.
    pub fn is_evidence(self) -> bool {
        matches!(self, Kind::Pdf | Kind::Warc)
    }
}

impl From<Format> for Kind {
    fn from(f: Format) -> Kind {
        match f {
            Format::Native => Kind::Native,
            Format::Ftm => Kind::Ftm,
            Format::Statements => Kind::Statements,
            Format::Popolo => Kind::Popolo,
        }
    }
}

/// How much of a file [`detect`] needs to see.
pub const HEAD: usize = 1 << 20;

/// Tells what a file is from its first bytes (up to [`HEAD`]) and its name.
/// Content decides: interchange formats by their records' keys, PDFs and
/// WARCs by their magic, HTML by its markup. The name decides only what the
/// content leaves open — a table is a `.csv` or `.tsv` that is not a
/// statements CSV, and JSON that is none of the interchange formats is
/// `None`, not a page. Other UTF-8 text is a page; other bytes are `None`.
pub fn detect(head: &[u8], name: &str) -> Option<Kind> {
    if let Some(f) = dossier_formats::detect(head) {
        return Some(f.into());
    }
    if dossier_evidence::pdf::is_pdf(head) {
        return Some(Kind::Pdf);
    }
    if dossier_evidence::intake::is_warc(head) {
        return Some(Kind::Warc);
    }
    let lower = name.to_ascii_lowercase();
    let ends = |ext: &[&str]| ext.iter().any(|e| lower.ends_with(e));
    if ends(&[".csv", ".tsv"]) {
        return Some(Kind::Table);
    }
    let text = utf8_head(head)?;
    let start = text.trim_start_matches('\u{feff}').trim_start();
    // JSON none of the interchange formats knows is not a page.
    let json = start.starts_with('{')
        || start.starts_with('[')
        || (ends(&[".json", ".jsonl", ".ndjson"]) && !start.starts_with('<'));
    if json {
        return None;
    }
    if ends(&[".pdf"]) {
        return Some(Kind::Pdf);
    }
    Some(Kind::Page(ProfileFormat::detect(text)))
}

/// The head as text, allowing a character cut at its end; `None` when it
/// is not UTF-8 or holds NUL bytes (a binary file).
fn utf8_head(head: &[u8]) -> Option<&str> {
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    (!text.contains('\0')).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_before_the_name() {
        let ftm = br#"{"id": "a", "schema": "Company", "properties": {"name": ["A"]}}"#;
        assert_eq!(detect(ftm, "data.csv"), Some(Kind::Ftm));
        assert_eq!(detect(ftm, "page.txt"), Some(Kind::Ftm));
        let statements = b"entity_id,prop,schema,value,dataset\na,name,Company,A,d\n";
        assert_eq!(detect(statements, "x.txt"), Some(Kind::Statements));
        assert_eq!(
            detect(b"name,country\nA,France\n", "orgs.csv"),
            Some(Kind::Table)
        );
        assert_eq!(detect(b"%PDF-1.7\n...", "report.txt"), Some(Kind::Pdf));
        assert_eq!(detect(b"WARC/1.1\r\n", "crawl"), Some(Kind::Warc));
        assert_eq!(
            detect(b"<!doctype html><h1>A</h1>", "a.txt"),
            Some(Kind::Page(ProfileFormat::Html))
        );
        assert_eq!(
            detect(b"Some Organization\nFounded: 2001\n", "a.html"),
            Some(Kind::Page(ProfileFormat::Text))
        );
        assert_eq!(detect(br#"{"hello": 1}"#, "x.json"), None);
        assert_eq!(detect(br#"[1, 2]"#, "x"), None);
        assert_eq!(detect(b"\x00\x01\x02binary", "x.bin"), None);
        assert_eq!(detect(b"\xff\xfe\x00", "x"), None);
        // A character cut by the head's end is not an encoding error.
        assert_eq!(
            detect("Caf\u{e9}".as_bytes().split_at(4).0, "x"),
            Some(Kind::Page(ProfileFormat::Text))
        );
    }
}
