//! The store: Dossier's statements, and the entities aggregated from them.
//!
//! Architecture invariant: this is the only crate that knows SQL. Callers see
//! the [`Store`] trait and model types; row types stay private to a backend.
//! Each backend has its own `migrations/` folder.

mod accounts;
mod audit;
pub mod ledger;
mod pg;
mod record;
pub mod scope;
mod sqlite;
mod tally;
pub mod testing;
mod traits;

pub use accounts::{Account, Accounts, Collection, Role, Session};
pub use audit::{Audit, AuditEntry};
pub use ledger::{Deps, Ledger};
pub use record::REDACTED;
pub use scope::{Reader, Scope, Scoped, Writer};
pub use tally::HiddenPart;
pub use traits::{Chunks, Follow, Read, Store, Write};

use dossier_model::{Batch, ModelError};

pub use pg::{PgStore, CHANNEL};
pub use sqlite::SqliteStore;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened, read or written.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL database could not be reached, read or written.
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    /// The database was written by a newer Dossier than this one.
    #[error("the database is at schema version {found}, newer than this program's {supported}")]
    TooNew { found: i64, supported: i64 },
    /// Stored or given values do not fit the model.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A batch whose source document is not among its entities.
    #[error("batch source {0} is not among the batch's entities")]
    SourceMissing(String),
    /// Statements to load verbatim clash with statements already stored.
    #[error("statement #{seq} is already in the store, saying something else: native loads go into an empty store or continue its log")]
    SeqTaken { seq: i64 },
    /// A caller's callback failed while statements were being read (an export's write, say).
    #[error("{0}")]
    Io(String),
    /// A merge names an entity the store does not know.
    #[error("there is no entity {0} to merge")]
    UnknownEntity(String),
    /// A merge of entities no one schema can describe (a person and a body, say).
    #[error("{0} ({1}) and {2} ({3}) cannot be one entity")]
    Incompatible(String, String, String, String),
    /// A merge into an entity that is itself merged into another.
    #[error("{0} is merged into {1}, so nothing can be merged into {0}")]
    Chain(String, String),
    /// No account has this name.
    #[error("there is no account {0}")]
    UnknownAccount(String),
    /// An account of this name exists already.
    #[error("there is already an account {0}")]
    AccountExists(String),
    /// No collection has this name.
    #[error("there is no collection {0}")]
    UnknownCollection(String),
    /// A write that would change a collection the writer may not read.
    #[error("{0} belongs to a collection you may not read")]
    OutOfReach(String),
    /// A backup, or a file given as one, that is not a whole Dossier store.
    #[error("{0}")]
    Backup(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What recording a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// True when the source was already recorded with the same content hash.
    pub unchanged: bool,
    /// Statements new to this source.
    pub inserted: usize,
    /// Statements the source still makes (their `last_seen` moved on).
    pub kept: usize,
    /// Statements the source no longer makes.
    pub retracted: usize,
    /// Entities in the batch.
    pub entities: usize,
}

/// Counts for `dossier stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub statements: u64,
    pub current_statements: u64,
    pub entities_by_schema: Vec<(String, u64)>,
    pub sources: u64,
    pub datasets: Vec<String>,
}

/// A name-like value of an entity, for matching mentions to entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRecord {
    pub entity_id: String,
    pub schema: String,
    /// `name`, `alias`, `abbreviation`, `previousName` or `weakAlias`.
    pub prop: String,
    pub value: String,
}

/// An edit: values to state from a source (the batch: its source
/// document, which may be new, and the entities with the values to add),
/// values to take away whoever stated them (entity, property, value), and
/// why. Retractions carry the reason.
#[derive(Debug, Clone)]
pub struct Edit {
    pub batch: Batch,
    pub remove: Vec<(String, String, String)>,
    pub reason: String,
}

/// A redacted entity: who redacted it, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    pub entity: String,
    /// The names the person had when redacted (blanked wherever they
    /// appear), so that the redaction can be found again by name.
    pub names: Vec<String>,
    pub reason: String,
    pub user: String,
    pub at: String,
}

/// What archiving did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveReport {
    /// Copies new to the archive.
    pub added: usize,
    /// Copies already archived for their document (nothing changed).
    pub known: usize,
    /// Statements about the documents inserted or superseded.
    pub statements: usize,
}

/// The dataset archiving records a new document in when the caller names
/// none of its own (`dossier archive add` of a page the store does not know).
pub const ARCHIVE_DATASET: &str = "archive";

/// An archived copy of a document: its bytes are addressed by SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedCopy {
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// The `Document` entity it is a copy of.
    pub document: String,
    /// Where it was retrieved from, when known.
    pub url: Option<String>,
    /// When it was retrieved (UTC, ISO 8601).
    pub retrieved: String,
    pub title: String,
    /// The WARC record it came from.
    pub record_id: Option<String>,
    /// When it was archived, and by whom.
    pub archived_at: String,
    pub user: String,
    /// The dataset it belongs to: its source's (see [`Write::archive`]).
    /// Set by the store; what a caller gives here is not read.
    pub dataset: String,
    pub media_type: String,
    pub size: i64,
}

/// A copy to archive: its description, bytes and extracted text.
#[derive(Debug, Clone)]
pub struct NewCopy {
    pub info: ArchivedCopy,
    pub content: Vec<u8>,
    /// The visible text, which quotations are anchored in.
    pub text: String,
}

/// An entity's name and schema, as a link shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub id: String,
    pub schema: &'static dossier_model::Schema,
    /// What `Entity::caption` would give.
    pub caption: String,
}

/// How far a follower (a server's search index) has read the store: enough
/// to ask the store what changed since ([`Follow::changed_since`]). Read in
/// one query, so its parts agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// [`Follow::version`] at the mark.
    pub version: i64,
    /// The newest statement row.
    pub seq: i64,
    /// The newest merge or split.
    pub resolutions: i64,
    /// Moves on when something changes what every read sees (who may read
    /// which collection, a redaction, a native load into the log's gaps):
    /// a follower then starts again from nothing.
    pub shape: i64,
}

impl std::fmt::Display for Mark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {} {}",
            self.version, self.seq, self.resolutions, self.shape
        )
    }
}

impl std::str::FromStr for Mark {
    type Err = ();
    /// Reads what `Display` wrote; anything else is refused.
    fn from_str(text: &str) -> std::result::Result<Self, ()> {
        let n: Vec<i64> = text
            .split(' ')
            .map(|p| p.parse().map_err(|_| ()))
            .collect::<std::result::Result<_, ()>>()?;
        match n[..] {
            [version, seq, resolutions, shape] => Ok(Mark {
                version,
                seq,
                resolutions,
                shape,
            }),
            _ => Err(()),
        }
    }
}

/// What changed in the store since a [`Mark`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// These entities changed (canonical ids, sorted, each once): those with
    /// a statement added or retracted, those such a statement points at,
    /// and those merged or split, which are also in `merged` (whatever
    /// points at them now points elsewhere). Read each again; one that
    /// reads as `None` is gone.
    Entities {
        changed: Vec<String>,
        merged: Vec<String>,
    },
    /// More than the limit asked, or a change that touches every read:
    /// start again from nothing.
    Everything,
}

impl Changes {
    /// Decides from the marks alone when the log cannot say what changed.
    pub(crate) fn from_marks(then: &Mark, now: &Mark) -> Option<Changes> {
        if now == then {
            return Some(Changes::Entities {
                changed: Vec::new(),
                merged: Vec::new(),
            });
        }
        (now.shape != then.shape || now.seq < then.seq || now.resolutions < then.resolutions)
            .then_some(Changes::Everything)
    }
}

/// The store's traits, in scope without their names (so they meet no
/// `std::io::Read` or `Write`), for callers that call their methods.
pub mod prelude {
    pub use crate::{Accounts as _, Follow as _, Read as _, Scoped as _, Store as _, Write as _};
}
