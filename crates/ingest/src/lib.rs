//! Profile pages in, entities and claims out.
//!
//! A profile page (plain text or HTML, told apart by content) is read into a
//! [`document::ProfileDoc`], then `extract` turns it into a [`Batch`] of
//! entities: the subject, its members, funders, people, claims and
//! quotations, and the page itself as the source Document that every
//! statement cites.
//!
//! Architecture invariant: no IO and no storage here. The caller reads the
//! file and passes its bytes, and passes the names already known as a
//! [`Matcher`]: entity resolution's matcher (`dossier_resolve::matcher`),
//! so an import decides whether a mentioned name is a known entity the
//! way `dossier xref` would, with a stricter bar.

pub mod article;
pub mod byline;
pub mod document;
pub mod extract;
pub mod grid;
pub mod html;
pub mod labels;
pub mod layout;
pub mod prose;
pub mod relations;
pub mod sections;
pub mod table;
pub mod text;

use std::fmt;

use document::Pos;
pub use dossier_resolve::matcher::{Matcher, Party};
pub use extract::{import_profile, ImportOptions, Imported};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A message about a place in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub pos: Pos,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            pos,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(file, pos, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // A place as precise as it is known: the file, its line, its column.
        match (self.pos.line, self.pos.column) {
            (0, _) => write!(f, "{}: {sev}: {}", self.file, self.message),
            (line, 0) => write!(f, "{}:{line}: {sev}: {}", self.file, self.message),
            (line, column) => write!(f, "{}:{line}:{column}: {sev}: {}", self.file, self.message),
        }
    }
}

/// Why a profile could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The input is not a profile page Dossier can read; the diagnostic says where and why.
    #[error("{0}")]
    Invalid(Diagnostic),
}

/// The two forms of a profile page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileFormat {
    Text,
    Html,
}

impl ProfileFormat {
    /// Tells the form by content: markup at the start (after a byte-order
    /// mark, blanks and comments) means HTML.
    pub fn detect(text: &str) -> ProfileFormat {
        let head = text.trim_start_matches('\u{feff}').trim_start();
        let lower: String = head.chars().take(512).collect::<String>().to_lowercase();
        let markup = [
            "<!doctype html",
            "<html",
            "<head",
            "<body",
            "<!--",
            "<h1",
            "<div",
            "<main",
            "<article",
            "<meta",
            "<title",
            "<section",
            "<p>",
            "<p ",
        ];
        // XHTML: an XML declaration, then the markup.
        let xhtml = lower.starts_with("<?xml") && lower.contains("<html");
        if xhtml || markup.iter().any(|m| lower.starts_with(m)) {
            ProfileFormat::Html
        } else {
            ProfileFormat::Text
        }
    }
}
