//! The store: Dossier's statements, and the entities aggregated from them.
//!
//! Architecture invariant: this is the only crate that knows SQL. Callers see
//! the [`Store`] trait and model types; row types stay private to a backend.
//! Each backend has its own `migrations/` folder.

mod pg;
mod record;
mod sqlite;
pub mod testing;

pub use record::REDACTED;

use dossier_model::{Batch, Entity, ModelError, Provenance, Statement};

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
    /// A backup, or a file given as one, that is not a whole Dossier store.
    #[error("{0}")]
    Backup(String),
}

/// What an account may do: read (viewer), also edit the collections it
/// edits (editor), or everything, people and collections included (admin).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// Someone who signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: Role,
    pub created_at: String,
}

/// A signed-in session: whose, its form token, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub account: Account,
    /// What every form of this session must carry back.
    pub csrf: String,
    pub expires_at: String,
}

/// A collection (a dataset), who may read it when it is private, and
/// who may edit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub name: String,
    pub private: bool,
    /// Members: account name and whether they may edit.
    pub members: Vec<(String, bool)>,
}

/// Accounts, sessions, API tokens and collections, kept in the store so
/// every server on one database knows them. Secrets are kept only as the
/// SHA-256 of what was handed out; passwords only as argon2 hashes (the
/// hashing is the caller's).
pub trait Accounts {
    /// Adds an account; one of that name must not exist.
    fn add_account(&mut self, account: &Account, password_hash: &str) -> Result<()>;
    /// An account and its password hash.
    fn account(&self, name: &str) -> Result<Option<(Account, String)>>;
    /// Every account, by name.
    fn accounts(&self) -> Result<Vec<Account>>;
    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()>;
    fn set_role(&mut self, name: &str, role: Role) -> Result<()>;
    fn add_session(
        &mut self,
        token_hash: &str,
        account: &str,
        csrf: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()>;
    /// The session with this token hash, if it has not expired by `now`.
    fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>>;
    fn end_session(&mut self, token_hash: &str) -> Result<()>;
    /// Ends every session of an account (its password changed, say).
    fn end_sessions_of(&mut self, account: &str) -> Result<()>;
    /// Forgets every session that expired before `now`; how many.
    fn end_expired_sessions(&mut self, now: &str) -> Result<usize>;
    /// Records an API token (by its hash) for an account, valid until
    /// `expires_at`.
    fn add_token(
        &mut self,
        token_hash: &str,
        account: &str,
        label: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()>;
    /// The account an API token belongs to, if it has not expired by `now`.
    fn token(&self, token_hash: &str, now: &str) -> Result<Option<Account>>;
    /// Revokes an account's API tokens: those with `label`, or all; how many.
    fn end_tokens_of(&mut self, account: &str, label: Option<&str>) -> Result<usize>;
    /// Deletes an account with its sessions, tokens and memberships (what
    /// it recorded keeps its name); false when there was none.
    fn delete_account(&mut self, name: &str) -> Result<bool>;
    /// Makes a collection public or private (creating it when new).
    fn set_collection(&mut self, name: &str, private: bool) -> Result<()>;
    /// Makes an account a member of a collection (`Some(can_edit)`), or
    /// no longer one (`None`).
    fn set_member(&mut self, collection: &str, account: &str, can_edit: Option<bool>)
        -> Result<()>;
    /// Every collection with its members, by name.
    fn collections(&self) -> Result<Vec<Collection>>;
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
    /// The dataset it belongs to: its source's (see [`Store::archive`]).
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
/// to ask the store what changed since ([`Store::changed_since`]). Read in
/// one query, so its parts agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    /// [`Store::version`] at the mark.
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

/// The statement store, on SQLite or PostgreSQL.
pub trait Store: Accounts {
    /// Records what each source says, all in one transaction: statements new
    /// to a source are inserted, those it still makes are kept (last seen
    /// now), those it no longer makes are retracted. A source already
    /// recorded with the batch's content hash is left as it is. The
    /// provenance's `source` is ignored: each batch names its own.
    fn apply(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>>;

    /// Loads statements verbatim (sequence numbers, times and retractions
    /// included), in one transaction: the native import. Rows already
    /// stored exactly as given are passed over (the same load run again
    /// after it was cut off); a number taken by another row is an error.
    /// Returns how many rows were new.
    fn load(&mut self, statements: &[Statement]) -> Result<usize>;

    /// [`Store::load`] for a log too large to hold at once: `chunks` gives
    /// its statements in log order, some at a time, and all go in one
    /// transaction. An `Err` from `chunks` (a line that does not parse)
    /// ends the load and leaves the store as it was, with the message as
    /// [`StoreError::Io`]. A first chunk of 20,000 statements or more into
    /// an empty SQLite store is loaded in bulk (indexes made after the rows).
    fn load_chunks(&mut self, chunks: &mut Chunks<'_>) -> Result<usize>;

    /// The entity with this id, aggregated from its current statements and
    /// those of the entities merged into it; its references to merged
    /// entities lead to their canonical ones. `None` for an entity merged
    /// into another ([`Store::canonical_of`] says which).
    fn entity(&self, id: &str) -> Result<Option<Entity>>;

    /// [`Store::entity`] for many ids at once, in the order asked; ids with
    /// no entity (unknown, or merged into another) are left out. A view
    /// that shows a hundred linked entities asks once: on PostgreSQL that
    /// is one round trip instead of a hundred.
    fn entities_of(&self, ids: &[String]) -> Result<Vec<Entity>> {
        let mut out = Vec::new();
        for id in ids {
            out.extend(self.entity(id)?);
        }
        Ok(out)
    }

    /// How each of these entities is named and what it is, for links and
    /// lists (cheaper than loading them whole), in the order asked; ids not
    /// in the store are left out.
    fn labels(&self, ids: &[String]) -> Result<Vec<Label>> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(e) = self.entity(id)? {
                out.push(Label {
                    caption: e.caption().to_string(),
                    schema: e.schema,
                    id: e.id,
                });
            }
        }
        Ok(out)
    }

    /// All entities, or those of the given schemata, ordered by id.
    fn entities(&self, schemata: &[&str]) -> Result<Vec<Entity>> {
        let mut out = Vec::new();
        self.each_entity(schemata, &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Each entity [`Store::entities`] would list, in the same order, one
    /// at a time: what reads the whole store (the search index, the
    /// network's ties) holds one entity in memory, not all.
    fn each_entity(&self, schemata: &[&str], f: &mut dyn FnMut(Entity) -> Result<()>)
        -> Result<()>;

    /// Entities one of whose entity-valued properties points at `id`
    /// (memberships of an organization, claims about it, …).
    fn referencing(&self, id: &str) -> Result<Vec<Entity>>;

    /// Reads from one snapshot of the store until [`Store::end_read`]: a
    /// page made of many reads sees one state of the store, and on SQLite
    /// each read is cheaper (one read transaction for the page, not one a
    /// query). Only for reading; `false` when no snapshot began (one is
    /// open already, or the backend has none), and then `end_read` need
    /// not be called.
    fn begin_read(&self) -> Result<bool> {
        Ok(false)
    }

    /// Ends the snapshot [`Store::begin_read`] began.
    fn end_read(&self) -> Result<()> {
        Ok(())
    }

    /// [`Store::referencing`] for many entities at once: a list for each
    /// id, in the order asked. A network's page lists what refers to each
    /// of its members; on PostgreSQL that is two round trips, not one a
    /// member.
    fn referencing_of(&self, ids: &[String]) -> Result<Vec<Vec<Entity>>> {
        ids.iter().map(|id| self.referencing(id)).collect()
    }

    /// Every statement ever recorded about an entity, current and retracted, in log order.
    fn history(&self, entity_id: &str) -> Result<Vec<Statement>>;

    /// Calls `f` with every statement in log order, current and retracted.
    fn each_statement(&self, f: &mut dyn FnMut(Statement) -> Result<()>) -> Result<()>;

    /// The current name-like values of people and organizations.
    fn names(&self) -> Result<Vec<NameRecord>>;

    /// Records edits: for each property an entity of a batch carries, the
    /// values its source gave before and no longer gives are retracted
    /// ("superseded"); nothing else that source said is touched. All batches
    /// in one transaction. The batch's source must be known or among its entities.
    fn amend(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>>;

    /// Records an edit in one transaction (see [`Edit`]).
    fn edit(&mut self, edit: &Edit, prov: &Provenance) -> Result<ApplyReport>;

    /// Takes back what was done to `entity` at the moment `at` (an edit,
    /// an import), in one transaction: what was stated then is retracted
    /// with `reason`, what was retracted then is stated again.
    fn revert(
        &mut self,
        entity: &str,
        at: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport>;

    /// Soft-deletes an entity in one transaction: every current statement
    /// made about it is retracted with `reason` (kept in its history;
    /// [`Store::revert`] of that moment brings it back).
    fn delete(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<ApplyReport>;

    /// Redacts an entity (a person): from now on every read leaves out
    /// what was said about it, drops references to it, and blanks its
    /// names (as they are now) wherever they appear in text: in pages,
    /// search, exports and the log. Its statements stay, so the
    /// redaction can be lifted.
    fn redact(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<()>;

    /// Lifts a redaction; false when there was none.
    fn unredact(&mut self, entity: &str) -> Result<bool>;

    /// Every redaction.
    fn redactions(&self) -> Result<Vec<Redaction>>;

    /// Archives copies and records what they say of their documents
    /// (amended as by [`Store::amend`]), all in one transaction. Bytes
    /// already archived for the same document change nothing. A copy and
    /// its document's statements go into the dataset of the source they
    /// archive: a document the store knows stays where its statements are
    /// (in a private collection when any of them is), a new one goes into
    /// `prov.dataset`. Reads of copies, their text and their bytes leave
    /// out the datasets hidden from the reader.
    fn archive(
        &mut self,
        copies: &[NewCopy],
        documents: &[Batch],
        prov: &Provenance,
    ) -> Result<ArchiveReport>;

    /// Archived copies, newest retrieval first; of one document, or all.
    fn copies(&self, document: Option<&str>) -> Result<Vec<ArchivedCopy>>;

    /// The extracted text of an archived copy.
    fn copy_text(&self, sha256: &str) -> Result<Option<String>>;

    /// The bytes of an archived copy.
    fn copy_content(&self, sha256: &str) -> Result<Option<Vec<u8>>>;

    /// Counts.
    fn stats(&self) -> Result<Stats>;

    /// Merges and splits, in one transaction: each `(entity, canonical)`
    /// makes `entity` part of `canonical` (its statements are read as
    /// `canonical`'s, and references to it lead there), or, with its own
    /// id as `canonical`, stands it alone again. Statements keep the entity
    /// they were made about, their source and their origin; nothing is
    /// retracted, so every merge can be undone. Merges into an entity that
    /// is itself merged, and merges of schemata that do not fit together,
    /// are refused. Returns how many entities changed.
    fn resolve(&mut self, assignments: &[(String, String)], prov: &Provenance) -> Result<usize>;

    /// The entity this one is merged into, if it is merged into another.
    fn canonical_of(&self, id: &str) -> Result<Option<String>>;

    /// The entities merged into this one (not itself), sorted.
    fn merged_into(&self, canonical: &str) -> Result<Vec<String>>;

    /// Every merge: `(entity, canonical)`, sorted.
    fn merges(&self) -> Result<Vec<(String, String)>>;

    /// The version of the database's schema (how many migrations it has had).
    fn schema_version(&self) -> Result<i64>;

    /// From now on, reads leave out every statement of these datasets
    /// (the private collections a reader may not see): entities, lists,
    /// references, histories, names, the statement log and the counts.
    /// Writes are not affected. Empty: nothing hidden.
    fn set_hidden(&self, datasets: &[String]);

    /// The datasets reads leave out now.
    fn hidden(&self) -> Vec<String>;

    /// A number that grows with every change (a new statement row, a
    /// retraction, a merge or a split); 0 for an empty store. A derived index that remembers it
    /// knows whether it is current.
    fn version(&self) -> Result<i64>;

    /// Where the store's log is now (see [`Mark`]).
    fn mark(&self) -> Result<Mark>;

    /// What changed since `mark` was read, or [`Changes::Everything`] when
    /// more than `limit` entities did. Reads every dataset, whatever is
    /// hidden (a follower reads each entity again under its own scope).
    fn changed_since(&self, mark: &Mark, limit: usize) -> Result<Changes>;

    /// The entities of these schemata with a current statement pointing at
    /// one of `ids` (the claims about an organization, say): canonical ids,
    /// sorted, each once.
    fn pointing_at(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<String>>;
}

/// What [`Store::load_chunks`] reads: the statements of a log, some at a
/// time, or why the rest cannot be read.
pub type Chunks<'a> = dyn Iterator<Item = std::result::Result<Vec<Statement>, String>> + 'a;

/// A boxed store is a store: callers that pick the backend at run time
/// (`--db` a file or a `postgres://` address) hold a `Box<dyn Store>`.
impl<S: Store + ?Sized> Store for Box<S> {
    fn apply(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        (**self).apply(batches, prov)
    }
    fn load(&mut self, statements: &[Statement]) -> Result<usize> {
        (**self).load(statements)
    }
    fn load_chunks(&mut self, chunks: &mut Chunks<'_>) -> Result<usize> {
        (**self).load_chunks(chunks)
    }
    fn entity(&self, id: &str) -> Result<Option<Entity>> {
        (**self).entity(id)
    }
    fn entities_of(&self, ids: &[String]) -> Result<Vec<Entity>> {
        (**self).entities_of(ids)
    }
    fn labels(&self, ids: &[String]) -> Result<Vec<Label>> {
        (**self).labels(ids)
    }
    fn entities(&self, schemata: &[&str]) -> Result<Vec<Entity>> {
        (**self).entities(schemata)
    }
    fn each_entity(
        &self,
        schemata: &[&str],
        f: &mut dyn FnMut(Entity) -> Result<()>,
    ) -> Result<()> {
        (**self).each_entity(schemata, f)
    }
    fn referencing(&self, id: &str) -> Result<Vec<Entity>> {
        (**self).referencing(id)
    }
    fn referencing_of(&self, ids: &[String]) -> Result<Vec<Vec<Entity>>> {
        (**self).referencing_of(ids)
    }
    fn begin_read(&self) -> Result<bool> {
        (**self).begin_read()
    }
    fn end_read(&self) -> Result<()> {
        (**self).end_read()
    }
    fn history(&self, entity_id: &str) -> Result<Vec<Statement>> {
        (**self).history(entity_id)
    }
    fn each_statement(&self, f: &mut dyn FnMut(Statement) -> Result<()>) -> Result<()> {
        (**self).each_statement(f)
    }
    fn names(&self) -> Result<Vec<NameRecord>> {
        (**self).names()
    }
    fn amend(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        (**self).amend(batches, prov)
    }
    fn edit(&mut self, edit: &Edit, prov: &Provenance) -> Result<ApplyReport> {
        (**self).edit(edit, prov)
    }
    fn delete(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<ApplyReport> {
        (**self).delete(entity, reason, prov)
    }
    fn redact(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<()> {
        (**self).redact(entity, reason, prov)
    }
    fn unredact(&mut self, entity: &str) -> Result<bool> {
        (**self).unredact(entity)
    }
    fn redactions(&self) -> Result<Vec<Redaction>> {
        (**self).redactions()
    }
    fn revert(
        &mut self,
        entity: &str,
        at: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        (**self).revert(entity, at, reason, prov)
    }
    fn archive(
        &mut self,
        copies: &[NewCopy],
        documents: &[Batch],
        prov: &Provenance,
    ) -> Result<ArchiveReport> {
        (**self).archive(copies, documents, prov)
    }
    fn copies(&self, document: Option<&str>) -> Result<Vec<ArchivedCopy>> {
        (**self).copies(document)
    }
    fn copy_text(&self, sha256: &str) -> Result<Option<String>> {
        (**self).copy_text(sha256)
    }
    fn copy_content(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        (**self).copy_content(sha256)
    }
    fn stats(&self) -> Result<Stats> {
        (**self).stats()
    }
    fn resolve(&mut self, assignments: &[(String, String)], prov: &Provenance) -> Result<usize> {
        (**self).resolve(assignments, prov)
    }
    fn canonical_of(&self, id: &str) -> Result<Option<String>> {
        (**self).canonical_of(id)
    }
    fn merged_into(&self, canonical: &str) -> Result<Vec<String>> {
        (**self).merged_into(canonical)
    }
    fn merges(&self) -> Result<Vec<(String, String)>> {
        (**self).merges()
    }
    fn schema_version(&self) -> Result<i64> {
        (**self).schema_version()
    }
    fn set_hidden(&self, datasets: &[String]) {
        (**self).set_hidden(datasets)
    }
    fn hidden(&self) -> Vec<String> {
        (**self).hidden()
    }
    fn version(&self) -> Result<i64> {
        (**self).version()
    }
    fn mark(&self) -> Result<Mark> {
        (**self).mark()
    }
    fn changed_since(&self, mark: &Mark, limit: usize) -> Result<Changes> {
        (**self).changed_since(mark, limit)
    }
    fn pointing_at(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<String>> {
        (**self).pointing_at(ids, schemata)
    }
}

impl<S: Accounts + ?Sized> Accounts for Box<S> {
    fn add_account(&mut self, account: &Account, password_hash: &str) -> Result<()> {
        (**self).add_account(account, password_hash)
    }
    fn account(&self, name: &str) -> Result<Option<(Account, String)>> {
        (**self).account(name)
    }
    fn accounts(&self) -> Result<Vec<Account>> {
        (**self).accounts()
    }
    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()> {
        (**self).set_password(name, password_hash)
    }
    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        (**self).set_role(name, role)
    }
    fn add_session(
        &mut self,
        token_hash: &str,
        account: &str,
        csrf: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        (**self).add_session(token_hash, account, csrf, now, expires_at)
    }
    fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>> {
        (**self).session(token_hash, now)
    }
    fn end_session(&mut self, token_hash: &str) -> Result<()> {
        (**self).end_session(token_hash)
    }
    fn end_sessions_of(&mut self, account: &str) -> Result<()> {
        (**self).end_sessions_of(account)
    }
    fn end_expired_sessions(&mut self, now: &str) -> Result<usize> {
        (**self).end_expired_sessions(now)
    }
    fn add_token(
        &mut self,
        token_hash: &str,
        account: &str,
        label: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        (**self).add_token(token_hash, account, label, now, expires_at)
    }
    fn token(&self, token_hash: &str, now: &str) -> Result<Option<Account>> {
        (**self).token(token_hash, now)
    }
    fn end_tokens_of(&mut self, account: &str, label: Option<&str>) -> Result<usize> {
        (**self).end_tokens_of(account, label)
    }
    fn delete_account(&mut self, name: &str) -> Result<bool> {
        (**self).delete_account(name)
    }
    fn set_collection(&mut self, name: &str, private: bool) -> Result<()> {
        (**self).set_collection(name, private)
    }
    fn set_member(
        &mut self,
        collection: &str,
        account: &str,
        can_edit: Option<bool>,
    ) -> Result<()> {
        (**self).set_member(collection, account, can_edit)
    }
    fn collections(&self) -> Result<Vec<Collection>> {
        (**self).collections()
    }
}
