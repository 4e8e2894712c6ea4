//! The store's seams: following its log ([`Follow`]), reading under a
//! reader's scope ([`Read`]), writing under a writer's ([`Write`]), and
//! accounts ([`crate::Accounts`]). A [`Store`] is all four; callers that
//! serve someone hold only a [`crate::Reader`] or a [`crate::Writer`].

use dossier_model::{Batch, Entity, Provenance, Statement};

use crate::{
    Accounts, ApplyReport, ArchiveReport, ArchivedCopy, Changes, Edit, Label, Mark, NameRecord,
    NewCopy, Redaction, Result, Scope, Stats,
};

/// Where the store's log is, and what changed since: what a follower (a
/// search index, a server's graph) reads to keep up. Reads every dataset,
/// whatever is hidden: a follower reads each entity again under its own
/// scope.
pub trait Follow {
    /// A number that grows with every change (a new statement row, a
    /// retraction, a merge or a split); 0 for an empty store. A derived
    /// index that remembers it knows whether it is current.
    fn version(&self) -> Result<i64>;

    /// Where the store's log is now (see [`Mark`]).
    fn mark(&self) -> Result<Mark>;

    /// What changed since `mark` was read, or [`Changes::Everything`] when
    /// more than `limit` entities did.
    fn changed_since(&self, mark: &Mark, limit: usize) -> Result<Changes>;
}

/// Reading: entities, lists, references, histories, names, the statement
/// log, archived copies and counts. Through a [`crate::Reader`], every
/// read leaves out the datasets its scope hides; a bare store reads
/// everything (the operator at the command line).
pub trait Read: Follow {
    /// The entity with this id, aggregated from its current statements and
    /// those of the entities merged into it; its references to merged
    /// entities lead to their canonical ones. `None` for an entity merged
    /// into another ([`Read::canonical_of`] says which).
    fn entity(&self, id: &str) -> Result<Option<Entity>>;

    /// [`Read::entity`] for many ids at once, in the order asked; ids with
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

    /// Each entity [`Read::entities`] would list, in the same order, one
    /// at a time: what reads the whole store (the search index, the
    /// network's ties) holds one entity in memory, not all.
    fn each_entity(&self, schemata: &[&str], f: &mut dyn FnMut(Entity) -> Result<()>)
        -> Result<()>;

    /// Entities one of whose entity-valued properties points at `id`
    /// (memberships of an organization, claims about it, …).
    fn referencing(&self, id: &str) -> Result<Vec<Entity>>;

    /// [`Read::referencing`] for many entities at once: a list for each
    /// id, in the order asked. A network's page lists what refers to each
    /// of its members; on PostgreSQL that is two round trips, not one a
    /// member.
    fn referencing_of(&self, ids: &[String]) -> Result<Vec<Vec<Entity>>> {
        ids.iter().map(|id| self.referencing(id)).collect()
    }

    /// Reads from one snapshot of the store until [`Read::end_read`]: a
    /// page made of many reads sees one state of the store, and on SQLite
    /// each read is cheaper (one read transaction for the page, not one a
    /// query). Only for reading; `false` when no snapshot began (one is
    /// open already, or the backend has none), and then `end_read` need
    /// not be called.
    fn begin_read(&self) -> Result<bool> {
        Ok(false)
    }

    /// Ends the snapshot [`Read::begin_read`] began.
    fn end_read(&self) -> Result<()> {
        Ok(())
    }

    /// Every statement ever recorded about an entity, current and
    /// retracted, in log order.
    fn history(&self, entity_id: &str) -> Result<Vec<Statement>>;

    /// Calls `f` with every statement in log order, current and retracted.
    fn each_statement(&self, f: &mut dyn FnMut(Statement) -> Result<()>) -> Result<()>;

    /// The last `limit` statements recorded (newest first), current and
    /// retracted: what changed lately.
    fn recent(&self, limit: usize) -> Result<Vec<Statement>>;

    /// The current name-like values of people and organizations.
    fn names(&self) -> Result<Vec<NameRecord>>;

    /// Every redaction.
    fn redactions(&self) -> Result<Vec<Redaction>>;

    /// Archived copies, newest retrieval first; of one document, or all.
    fn copies(&self, document: Option<&str>) -> Result<Vec<ArchivedCopy>>;

    /// The extracted text of an archived copy.
    fn copy_text(&self, sha256: &str) -> Result<Option<String>>;

    /// The bytes of an archived copy.
    fn copy_content(&self, sha256: &str) -> Result<Option<Vec<u8>>>;

    /// Counts, from the counts the store keeps as it writes.
    fn stats(&self) -> Result<Stats>;

    /// [`Read::stats`], for a reader with hidden collections taking what
    /// else they hide from `kept` (what an earlier call returned for the
    /// same reader's scope) while the store's log shows that it still
    /// holds; returns the counts and that part, made again or moved on,
    /// for the next call (`None` when there is nothing to keep).
    fn stats_keeping(
        &self,
        kept: Option<&crate::HiddenPart>,
    ) -> Result<(Stats, Option<std::sync::Arc<crate::HiddenPart>>)> {
        let _ = kept;
        Ok((self.stats()?, None))
    }

    /// [`Read::stats`] by going over every row the reader may see: what
    /// the kept counts must equal, for the tests and the benchmarks.
    fn stats_by_scan(&self) -> Result<Stats>;

    /// The entity this one is merged into, if it is merged into another.
    fn canonical_of(&self, id: &str) -> Result<Option<String>>;

    /// The entities merged into this one (not itself), sorted.
    fn merged_into(&self, canonical: &str) -> Result<Vec<String>>;

    /// Every merge: `(entity, canonical)`, sorted.
    fn merges(&self) -> Result<Vec<(String, String)>>;

    /// The version of the database's schema (how many migrations it has had).
    fn schema_version(&self) -> Result<i64>;

    /// The entities of these schemata with a current statement pointing at
    /// one of `ids` (the claims about an organization, say): canonical ids,
    /// sorted, each once.
    fn pointing_at(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<String>>;

    /// [`Read::pointing_at`] for each of `ids` apart, in their order: what
    /// points at each, to be kept for each (PostgreSQL reads all in one
    /// round trip).
    fn pointing_at_each(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<Vec<String>>> {
        ids.iter()
            .map(|id| self.pointing_at(std::slice::from_ref(id), schemata))
            .collect()
    }

    /// Says that what is being made depends on these entities, read some
    /// other way (kept labels, the analysis graph's neighbours): a
    /// [`crate::Reader`] with a [`crate::Ledger`] notes them; a store
    /// reads nothing.
    fn depends_on(&self, _ids: &[String]) {}

    /// Says that what is being made depends on more than is worth
    /// listing (a search that looked at much of the graph): a
    /// [`crate::Reader`] with a [`crate::Ledger`] notes that it depends
    /// on everything.
    fn depends_on_everything(&self) {}
}

/// Writing, each call in one transaction. The calls that change rows a
/// caller may not own (edits, reverts, deletes, merges, archiving) take
/// the writer's [`Scope`] and touch nothing of a dataset it hides.
pub trait Write {
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

    /// [`Write::load`] for a log too large to hold at once: `chunks` gives
    /// its statements in log order, some at a time, and all go in one
    /// transaction. An `Err` from `chunks` (a line that does not parse)
    /// ends the load and leaves the store as it was, with the message as
    /// [`crate::StoreError::Io`]. A first chunk of 20,000 statements or
    /// more into an empty SQLite store is loaded in bulk (indexes made
    /// after the rows).
    fn load_chunks(&mut self, chunks: &mut Chunks<'_>) -> Result<usize>;

    /// Records edits: for each property an entity of a batch carries, the
    /// values its source gave before and no longer gives are retracted
    /// ("superseded"); nothing else that source said is touched. All
    /// batches in one transaction. The batch's source must be known or
    /// among its entities.
    fn amend(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>>;

    /// Records an edit (see [`Edit`]); its removals take away only values
    /// in datasets `scope` does not hide.
    fn edit(&mut self, scope: &Scope, edit: &Edit, prov: &Provenance) -> Result<ApplyReport>;

    /// Takes back what was done to `entity` at the moment `at` (an edit,
    /// an import): what was stated then is retracted with `reason`, what
    /// was retracted then is stated again; rows of datasets `scope` hides
    /// are left as they are.
    fn revert(
        &mut self,
        scope: &Scope,
        entity: &str,
        at: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport>;

    /// Soft-deletes an entity: every current statement made about it in a
    /// dataset `scope` does not hide is retracted with `reason` (kept in
    /// its history; [`Write::revert`] of that moment brings it back).
    fn delete(
        &mut self,
        scope: &Scope,
        entity: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport>;

    /// Redacts an entity (a person): from now on every read leaves out
    /// what was said about it, drops references to it, and blanks its
    /// names (as they are now) wherever they appear in text: in pages,
    /// search, exports and the log. Its statements stay, so the
    /// redaction can be lifted.
    fn redact(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<()>;

    /// Lifts a redaction; false when there was none.
    fn unredact(&mut self, entity: &str) -> Result<bool>;

    /// Archives copies and records what they say of their documents
    /// (amended as by [`Write::amend`]). Bytes already archived for the
    /// same document change nothing. A copy and its document's statements
    /// go into the dataset of the source they archive: a document the
    /// store knows stays where its statements are (in a private collection
    /// when any of them is), a new one goes into `prov.dataset`. A
    /// document with statements in a dataset `scope` hides is refused
    /// ([`crate::StoreError::OutOfReach`]).
    fn archive(
        &mut self,
        scope: &Scope,
        copies: &[NewCopy],
        documents: &[Batch],
        prov: &Provenance,
    ) -> Result<ArchiveReport>;

    /// Merges and splits: each `(entity, canonical)` makes `entity` part of
    /// `canonical` (its statements are read as `canonical`'s, and
    /// references to it lead there), or, with its own id as `canonical`,
    /// stands it alone again. Statements keep the entity they were made
    /// about, their source and their origin; nothing is retracted, so
    /// every merge can be undone. Merges into an entity that is itself
    /// merged, merges of schemata that do not fit together, and merges of
    /// an entity with no current statement in reach of `scope`, are
    /// refused. Returns how many entities changed.
    fn resolve(
        &mut self,
        scope: &Scope,
        assignments: &[(String, String)],
        prov: &Provenance,
    ) -> Result<usize>;
}

/// The statement store, on SQLite or PostgreSQL: every seam at once, for
/// whoever opens the database (the command line, a server's setup). Code
/// that acts for a reader or an editor takes a [`crate::Reader`] or a
/// [`crate::Writer`] made from it, never the store itself.
pub trait Store: Read + Write + Accounts {
    /// Sets the scope the next reads of this connection run under and
    /// gives back the one before. Only this crate holds the key: readers
    /// set their own scope for each read and put the old one back.
    #[doc(hidden)]
    fn swap_scope(&self, key: crate::scope::Key, scope: Scope) -> Scope;

    /// The connection is gone for good (the database restarted, or ended
    /// it): every call will fail, so whoever keeps it should open
    /// another. A file never is.
    fn is_broken(&self) -> bool {
        false
    }
}

/// What [`Write::load_chunks`] reads: the statements of a log, some at a
/// time, or why the rest cannot be read.
pub type Chunks<'a> = dyn Iterator<Item = std::result::Result<Vec<Statement>, String>> + 'a;

/// A boxed store is a store: callers that pick the backend at run time
/// (`--db` a file or a `postgres://` address) hold a `Box<dyn Store>`.
macro_rules! boxed {
    ($this:ident, $($call:tt)*) => {
        (**$this).$($call)*
    };
}

impl<S: Follow + ?Sized> Follow for Box<S> {
    crate::scope::hand_on_follow!(boxed);
}

impl<S: Read + ?Sized> Read for Box<S> {
    crate::scope::hand_on_reads!(boxed);
}

impl<S: Write + ?Sized> Write for Box<S> {
    fn apply(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        (**self).apply(batches, prov)
    }
    fn load(&mut self, statements: &[Statement]) -> Result<usize> {
        (**self).load(statements)
    }
    fn load_chunks(&mut self, chunks: &mut Chunks<'_>) -> Result<usize> {
        (**self).load_chunks(chunks)
    }
    fn amend(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        (**self).amend(batches, prov)
    }
    fn edit(&mut self, scope: &Scope, edit: &Edit, prov: &Provenance) -> Result<ApplyReport> {
        (**self).edit(scope, edit, prov)
    }
    fn revert(
        &mut self,
        scope: &Scope,
        entity: &str,
        at: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        (**self).revert(scope, entity, at, reason, prov)
    }
    fn delete(
        &mut self,
        scope: &Scope,
        entity: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        (**self).delete(scope, entity, reason, prov)
    }
    fn redact(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<()> {
        (**self).redact(entity, reason, prov)
    }
    fn unredact(&mut self, entity: &str) -> Result<bool> {
        (**self).unredact(entity)
    }
    fn archive(
        &mut self,
        scope: &Scope,
        copies: &[NewCopy],
        documents: &[Batch],
        prov: &Provenance,
    ) -> Result<ArchiveReport> {
        (**self).archive(scope, copies, documents, prov)
    }
    fn resolve(
        &mut self,
        scope: &Scope,
        assignments: &[(String, String)],
        prov: &Provenance,
    ) -> Result<usize> {
        (**self).resolve(scope, assignments, prov)
    }
}

impl<S: Store + ?Sized> Store for Box<S> {
    fn swap_scope(&self, key: crate::scope::Key, scope: Scope) -> Scope {
        (**self).swap_scope(key, scope)
    }
    fn is_broken(&self) -> bool {
        (**self).is_broken()
    }
}
