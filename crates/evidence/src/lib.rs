//! Evidence: archived copies of sources, quotations anchored in them with
//! W3C Web Annotation selectors, and verification that re-finds every
//! anchored quotation (SPEC §5).
//!
//! `intake` turns files into archived copies; `normal`, `myers` and
//! `locate` find a quotation in a text; `origin` says which documents may
//! be a quotation's origin (never the page reporting it); `check` does it
//! for the store: verifies every quotation, discovers origins for those
//! without one, and records anchors.
//!
//! Architecture invariant: reads only through the `Read` trait, writes through `Store`;
//! the archived text (not the original bytes) is what positions count in.

pub mod check;
pub mod discover;
pub mod intake;
pub mod locate;
pub mod myers;
pub mod normal;
pub mod origin;
pub mod pdf;

pub use check::{Check, Checker, Proposal};
pub use locate::{locate, Change, Found, Mark, Method, Selector};
pub use normal::Prepared;

/// What can go wrong with evidence.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// A WARC file is malformed.
    #[error("{file}: {error}")]
    Warc {
        file: String,
        error: dossier_formats::warc::WarcError,
    },
    /// A file Dossier cannot archive.
    #[error("{file}: cannot archive {reason}")]
    Unsupported { file: String, reason: String },
    /// A date that is not one.
    #[error("`{0}` is not a date (YYYY-MM-DD) or UTC timestamp (YYYY-MM-DDThh:mm:ssZ)")]
    BadDate(String),
    /// A value the model rejects.
    #[error("{what}: {message}")]
    Model { what: String, message: String },
    /// Something asked for that is not there.
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] dossier_store::StoreError),
}
