//! The text of a PDF: each page's text layer, pages kept apart, with the
//! title from the document's information dictionary.
//!
//! Read with `pdf-extract` (on `lopdf`), a maintained pure-Rust reader, so
//! the binary needs no system library. It panics on some malformed files
//! (a missing object, a bad font): such a panic is caught here, kept out of
//! the logs, and said as the file's error, so a PDF, like every other
//! input, gets an error and never takes the process down.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_extract::{output_doc_page, Document, Object, ObjectId, PlainTextOutput};

/// Between two pages of a PDF's text: a form feed on a line of its own (as
/// `pdftotext` writes it), whitespace to every search and comparison.
pub const PAGE_BREAK: &str = "\n\u{c}\n";

/// A PDF larger than this is refused before it is read.
pub const MAX_PDF_BYTES: usize = 200 << 20;

/// What a PDF's text layer gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfText {
    /// The `Title` of its information dictionary, if any.
    pub title: Option<String>,
    /// Each page's text, in order (empty for a page without text).
    pub pages: Vec<String>,
    /// Pages whose text could not be read, 1-based.
    pub unreadable: Vec<u32>,
}

impl PdfText {
    /// The whole text, pages apart by [`PAGE_BREAK`].
    pub fn text(&self) -> String {
        self.pages
            .iter()
            .map(|p| p.trim_matches('\n'))
            .collect::<Vec<_>>()
            .join(PAGE_BREAK)
    }
}

/// Whether bytes are a PDF (`%PDF-` within the first kilobyte, as readers
/// accept it).
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// The 1-based page of a character offset into [`PdfText::text`].
pub fn page_at(text: &str, offset: usize) -> usize {
    let at = text
        .char_indices()
        .nth(offset)
        .map_or(text.len(), |(i, _)| i);
    text[..at].matches('\u{c}').count() + 1
}

/// Why a PDF's text cannot be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("this PDF cannot be read: {0}")]
    Unreadable(String),
    #[error("this PDF is encrypted with a password")]
    Encrypted,
    #[error("this PDF has no text layer ({pages} page(s), a scan?): its words cannot be read; run OCR on it and archive the result")]
    NoText { pages: usize },
    #[error("this PDF is {0} bytes; at most {MAX_PDF_BYTES} are read")]
    TooLarge(usize),
}

/// Reads a PDF's text layer, page by page. A page that cannot be read is
/// left empty and named in [`PdfText::unreadable`]; a PDF with no text on
/// any page is [`PdfError::NoText`], never an empty text.
pub fn read(bytes: &[u8]) -> Result<PdfText, PdfError> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(PdfError::TooLarge(bytes.len()));
    }
    quiet_panics();
    READING.with(|r| r.set(true));
    let caught = catch_unwind(AssertUnwindSafe(|| read_unguarded(bytes)));
    READING.with(|r| r.set(false));
    match caught {
        Ok(r) => r,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the reader gave up on its structure".into());
            Err(PdfError::Unreadable(why.chars().take(200).collect()))
        }
    }
}

thread_local! {
    /// Set while this thread reads a PDF: its panics are the reader's,
    /// caught and said as the file's error.
    static READING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Wraps the process's panic hook once, so a panic of the PDF reader is
/// not printed (nor, under a fuzzer, taken for a crash): it is caught and
/// becomes the file's error. Every other panic goes to the hook as before.
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING.with(std::cell::Cell::get) {
                before(info);
            }
        }));
    });
}

fn read_unguarded(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| PdfError::Unreadable(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(PdfError::Encrypted);
    }
    let numbers: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    let mut pages = Vec::with_capacity(numbers.len());
    let mut unreadable = Vec::new();
    for (n, id) in numbers {
        let mut text = String::new();
        // The extractor looks up a page's resources through its parents
        // and never stops on a tree that leads back to itself.
        let ok = !parents_loop(&doc, id) && {
            let mut out = PlainTextOutput::new(&mut text);
            output_doc_page(&doc, &mut out, n).is_ok()
        };
        if !ok {
            unreadable.push(n);
            text.clear();
        }
        pages.push(text);
    }
    if pages.iter().all(|p| p.trim().is_empty()) {
        return Err(PdfError::NoText { pages: pages.len() });
    }
    Ok(PdfText {
        title: title(&doc),
        pages,
        unreadable,
    })
}

/// The most parents a page may have: a deeper tree is taken for a loop.
const MAX_DEPTH: usize = 256;

/// Whether following the page's `Parent` references leads back to where
/// it has been (or deeper than any real page tree goes).
fn parents_loop(doc: &Document, page: ObjectId) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut at = page;
    loop {
        if !seen.insert(at) || seen.len() > MAX_DEPTH {
            return true;
        }
        match doc
            .get_dictionary(at)
            .ok()
            .and_then(|d| d.get(b"Parent").ok())
        {
            Some(Object::Reference(parent)) => at = *parent,
            _ => return false,
        }
    }
}

/// The document's `Title`, from its information dictionary.
fn title(doc: &Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        Object::Reference(id) => doc.get_object(*id).ok()?,
        other => other,
    };
    let title = info.as_dict().ok()?.get(b"Title").ok()?;
    let title = pdf_extract::decode_text_string(title).ok()?;
    let title = title.trim().to_string();
    (!title.is_empty()).then_some(title)
}

/// PDFs made for tests and benchmarks: pages of lines in Helvetica, with a
/// title, or pages with no text at all (as a scan without OCR).
#[doc(hidden)]
pub mod testing {
    use pdf_extract::content::{Content, Operation};
    use pdf_extract::{dictionary, Document, Object, Stream};

    /// A PDF whose pages hold these lines (an empty page holds no text).
    pub fn make(title: Option<&str>, pages: &[&[&str]]) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let mut kids: Vec<Object> = Vec::new();
        for lines in pages {
            let mut ops = vec![
                Operation::new("BT", vec![]),
                Operation::new("Tf", vec!["F1".into(), 11.into()]),
                Operation::new("TL", vec![14.into()]),
                Operation::new("Td", vec![60.into(), 780.into()]),
            ];
            for line in *lines {
                ops.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
                ops.push(Operation::new("T*", vec![]));
            }
            ops.push(Operation::new("ET", vec![]));
            if lines.is_empty() {
                // A scanned page: a filled box, no text.
                ops = vec![
                    Operation::new("re", vec![50.into(), 50.into(), 400.into(), 600.into()]),
                    Operation::new("f", vec![]),
                ];
            }
            let content = Content { operations: ops };
            let bytes = content.encode().unwrap_or_default();
            let content_id = doc.add_object(Stream::new(dictionary! {}, bytes));
            let page_id = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content_id,
            });
            kids.push(page_id.into());
        }
        let count = kids.len() as i64;
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => kids,
                "Count" => count,
                "Resources" => resources_id,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let catalog_id = doc.add_object(dictionary! {
            "Type" => "Catalog",
            "Pages" => pages_id,
        });
        doc.trailer.set("Root", catalog_id);
        if let Some(t) = title {
            let info_id = doc.add_object(dictionary! {
                "Title" => Object::string_literal(t),
            });
            doc.trailer.set("Info", info_id);
        }
        let mut out = Vec::new();
        // Writing to memory does not fail.
        let _ = doc.save_to(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_come_apart_with_their_numbers_and_title() {
        let bytes = testing::make(
            Some("Annual Report 2023"),
            &[
                &["Annual Report 2023", "The Harbour Trust"],
                &["Our director said we will keep the river clean."],
            ],
        );
        assert!(is_pdf(&bytes));
        let pdf = read(&bytes).unwrap();
        assert_eq!(pdf.title.as_deref(), Some("Annual Report 2023"));
        assert_eq!(pdf.pages.len(), 2);
        assert!(
            pdf.pages[1].contains("keep the river clean"),
            "{:?}",
            pdf.pages
        );
        let text = pdf.text();
        let at = text.find("keep the river").unwrap();
        assert_eq!(page_at(&text, text[..at].chars().count()), 2);
        assert_eq!(page_at(&text, 0), 1);
    }

    /// A page tree whose root names itself as its parent (a fuzzer's
    /// find: the extractor looked up the page's resources up that chain
    /// for ever) is read as pages without text, at once.
    #[test]
    fn a_page_tree_that_loops_is_not_followed() {
        let bytes = testing::make(None, &[&["He said: we keep the river clean."]]);
        let mut doc = Document::load_mem(&bytes).unwrap();
        let root = doc
            .catalog()
            .unwrap()
            .get(b"Pages")
            .unwrap()
            .as_reference()
            .unwrap();
        doc.get_object_mut(root)
            .unwrap()
            .as_dict_mut()
            .unwrap()
            .set("Parent", Object::Reference(root));
        let mut looping = Vec::new();
        doc.save_to(&mut looping).unwrap();
        let started = std::time::Instant::now();
        assert!(matches!(read(&looping), Err(PdfError::NoText { pages: 1 })));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(read(&bytes).is_ok(), "the same PDF without the loop reads");
    }

    #[test]
    fn a_scan_without_text_is_said_as_such() {
        let bytes = testing::make(None, &[&[], &[]]);
        assert_eq!(read(&bytes), Err(PdfError::NoText { pages: 2 }));
    }

    #[test]
    fn broken_pdfs_are_errors() {
        assert!(matches!(
            read(b"%PDF-1.5\nnothing"),
            Err(PdfError::Unreadable(_))
        ));
        let mut bytes = testing::make(None, &[&["x"]]);
        bytes.truncate(bytes.len() / 2);
        assert!(read(&bytes).is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let mut pdf = b"%PDF-1.4\n".to_vec();
            pdf.extend(bytes);
            let _ = read(&pdf);
        }
    }
}
