//! Who is reading or writing. A [`Scope`] names the private collections
//! hidden from someone; a [`Reader`] reads a store under one scope and a
//! [`Writer`] writes under one. A server hands its handlers only these
//! handles, never the store, so no page can read past its reader's scope
//! and no write can touch a row its writer may not read.
//!
//! Structurally: the connection's scope can be set only with
//! [`Key`], which only this crate can make, and a reader sets its own
//! scope for each read it makes and puts the previous one back when the
//! read ends (a panic included), so two readers of one connection, nested
//! or side by side, never read under each other's scope.

use std::sync::Arc;

use dossier_model::{Batch, Entity, Provenance, Statement};

use crate::ledger::Ledger;
use crate::{
    Accounts, ApplyReport, ArchiveReport, ArchivedCopy, Changes, Edit, Follow, Label, Mark,
    NameRecord, NewCopy, Read, Redaction, Result, Stats, Store,
};

/// The private collections (datasets) hidden from a reader or writer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Scope {
    /// Sorted, each once.
    hidden: Arc<[String]>,
}

impl Scope {
    /// Nothing hidden: the operator at the command line, an admin, a member
    /// of every private collection.
    pub fn everything() -> Scope {
        Scope::default()
    }

    /// These datasets hidden.
    pub fn hiding(datasets: impl IntoIterator<Item = String>) -> Scope {
        let mut hidden: Vec<String> = datasets.into_iter().collect();
        hidden.sort_unstable();
        hidden.dedup();
        Scope {
            hidden: hidden.into(),
        }
    }

    /// The datasets hidden, sorted.
    pub fn hidden(&self) -> &[String] {
        &self.hidden
    }

    /// Whether nothing is hidden.
    pub fn sees_everything(&self) -> bool {
        self.hidden.is_empty()
    }

    /// Whether statements of this dataset are in scope.
    pub fn sees(&self, dataset: &str) -> bool {
        !self.hidden.iter().any(|h| h == dataset)
    }
}

/// What sets a connection's scope ([`Store::swap_scope`]): it can be named
/// outside this crate (a store that wraps another passes it on) but made
/// only inside it.
pub struct Key(());

/// A store read under one [`Scope`]: every read through it leaves out the
/// datasets the scope hides. Made with [`Scoped::reader`]; it reads only.
pub struct Reader<'s> {
    store: &'s dyn Store,
    scope: Scope,
    /// Where the entities read are noted, when someone keeps the answer.
    ledger: Option<Arc<Ledger>>,
}

impl<'s> Reader<'s> {
    /// The scope this reader reads under.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Another reader of the same store, under another scope (what anyone
    /// may see, for something shared between readers).
    pub fn rescoped(&self, scope: &Scope) -> Reader<'s> {
        Reader {
            store: self.store,
            scope: scope.clone(),
            ledger: self.ledger.clone(),
        }
    }

    /// The same reader, noting in `ledger` what every read reads (see
    /// [`crate::ledger`]).
    pub fn noting(self, ledger: Arc<Ledger>) -> Reader<'s> {
        Reader {
            ledger: Some(ledger),
            ..self
        }
    }

    fn note<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        if let Some(l) = &self.ledger {
            l.touch(ids);
        }
    }

    fn note_entities<'a>(&self, list: impl IntoIterator<Item = &'a Entity>) {
        self.note(list.into_iter().map(|e| e.id.as_str()));
    }

    fn note_everything(&self) {
        if let Some(l) = &self.ledger {
            l.everything();
        }
    }

    /// Runs one read with this reader's scope set, and the previous scope
    /// put back afterwards, also when the read panics.
    fn run<T>(&self, read: impl FnOnce(&dyn Store) -> T) -> T {
        let before = self.store.swap_scope(Key(()), self.scope.clone());
        let _restore = Restore {
            store: self.store,
            before: Some(before),
        };
        read(self.store)
    }
}

/// Puts a connection's previous scope back when dropped.
struct Restore<'s> {
    store: &'s dyn Store,
    before: Option<Scope>,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        if let Some(before) = self.before.take() {
            self.store.swap_scope(Key(()), before);
        }
    }
}

/// A store written under one [`Scope`]: edits, reverts, deletes, merges
/// and archiving through it leave alone every row of a dataset the scope
/// hides, and what it reads it reads under the same scope.
pub struct Writer<'s> {
    store: &'s mut dyn Store,
    scope: Scope,
}

impl Writer<'_> {
    /// The scope this writer writes under.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// A reader under the writer's scope.
    pub fn read(&self) -> Reader<'_> {
        Reader {
            store: &*self.store,
            scope: self.scope.clone(),
            ledger: None,
        }
    }

    /// The accounts and collections (who may read and edit what).
    pub fn accounts(&self) -> &dyn Accounts {
        &*self.store
    }

    /// The accounts and collections, to change.
    pub fn accounts_mut(&mut self) -> &mut dyn Accounts {
        &mut *self.store
    }

    /// See [`crate::Write::redact`]: an admin's act, whatever the scope.
    pub fn redact(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<()> {
        self.store.redact(entity, reason, prov)
    }

    /// See [`crate::Write::unredact`].
    pub fn unredact(&mut self, entity: &str) -> Result<bool> {
        self.store.unredact(entity)
    }

    /// See [`crate::Write::amend`].
    pub fn amend(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        self.store.amend(batches, prov)
    }

    /// See [`crate::Write::edit`].
    pub fn edit(&mut self, edit: &Edit, prov: &Provenance) -> Result<ApplyReport> {
        self.store.edit(&self.scope, edit, prov)
    }

    /// See [`crate::Write::revert`].
    pub fn revert(
        &mut self,
        entity: &str,
        at: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        self.store.revert(&self.scope, entity, at, reason, prov)
    }

    /// See [`crate::Write::delete`].
    pub fn delete(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<ApplyReport> {
        self.store.delete(&self.scope, entity, reason, prov)
    }

    /// See [`crate::Write::archive`].
    pub fn archive(
        &mut self,
        copies: &[NewCopy],
        documents: &[Batch],
        prov: &Provenance,
    ) -> Result<ArchiveReport> {
        self.store.archive(&self.scope, copies, documents, prov)
    }

    /// See [`crate::Write::resolve`].
    pub fn resolve(
        &mut self,
        assignments: &[(String, String)],
        prov: &Provenance,
    ) -> Result<usize> {
        self.store.resolve(&self.scope, assignments, prov)
    }
}

/// Makes readers and writers of a store.
pub trait Scoped {
    /// A reader of this store under `scope`.
    fn reader(&self, scope: &Scope) -> Reader<'_>;
    /// A writer to this store under `scope`.
    fn writer(&mut self, scope: &Scope) -> Writer<'_>;
}

impl<S: Store> Scoped for S {
    fn reader(&self, scope: &Scope) -> Reader<'_> {
        Reader {
            store: self,
            scope: scope.clone(),
            ledger: None,
        }
    }
    fn writer(&mut self, scope: &Scope) -> Writer<'_> {
        Writer {
            store: self,
            scope: scope.clone(),
        }
    }
}

impl<'a> Scoped for dyn Store + 'a {
    fn reader(&self, scope: &Scope) -> Reader<'_> {
        Reader {
            store: self,
            scope: scope.clone(),
            ledger: None,
        }
    }
    fn writer(&mut self, scope: &Scope) -> Writer<'_> {
        Writer {
            store: self,
            scope: scope.clone(),
        }
    }
}

/// The methods of [`Follow`] and [`Read`], each handed on by `$via`
/// (`$via!(self, method(args))`): for a boxed store and for a reader.
macro_rules! hand_on_reads {
    ($via:ident) => {
        fn entity(&self, id: &str) -> Result<Option<Entity>> {
            $via!(self, entity(id))
        }
        fn entities_of(&self, ids: &[String]) -> Result<Vec<Entity>> {
            $via!(self, entities_of(ids))
        }
        fn labels(&self, ids: &[String]) -> Result<Vec<Label>> {
            $via!(self, labels(ids))
        }
        fn entities(&self, schemata: &[&str]) -> Result<Vec<Entity>> {
            $via!(self, entities(schemata))
        }
        fn each_entity(
            &self,
            schemata: &[&str],
            f: &mut dyn FnMut(Entity) -> Result<()>,
        ) -> Result<()> {
            $via!(self, each_entity(schemata, f))
        }
        fn referencing(&self, id: &str) -> Result<Vec<Entity>> {
            $via!(self, referencing(id))
        }
        fn referencing_of(&self, ids: &[String]) -> Result<Vec<Vec<Entity>>> {
            $via!(self, referencing_of(ids))
        }
        fn begin_read(&self) -> Result<bool> {
            $via!(self, begin_read())
        }
        fn end_read(&self) -> Result<()> {
            $via!(self, end_read())
        }
        fn history(&self, entity_id: &str) -> Result<Vec<Statement>> {
            $via!(self, history(entity_id))
        }
        fn each_statement(&self, f: &mut dyn FnMut(Statement) -> Result<()>) -> Result<()> {
            $via!(self, each_statement(f))
        }
        fn recent(&self, limit: usize) -> Result<Vec<Statement>> {
            $via!(self, recent(limit))
        }
        fn names(&self) -> Result<Vec<NameRecord>> {
            $via!(self, names())
        }
        fn redactions(&self) -> Result<Vec<Redaction>> {
            $via!(self, redactions())
        }
        fn copies(&self, document: Option<&str>) -> Result<Vec<ArchivedCopy>> {
            $via!(self, copies(document))
        }
        fn copy_text(&self, sha256: &str) -> Result<Option<String>> {
            $via!(self, copy_text(sha256))
        }
        fn copy_content(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
            $via!(self, copy_content(sha256))
        }
        fn stats(&self) -> Result<Stats> {
            $via!(self, stats())
        }
        fn stats_by_scan(&self) -> Result<Stats> {
            $via!(self, stats_by_scan())
        }
        fn stats_keeping(
            &self,
            kept: Option<&crate::HiddenPart>,
        ) -> Result<(Stats, Option<std::sync::Arc<crate::HiddenPart>>)> {
            $via!(self, stats_keeping(kept))
        }
        fn canonical_of(&self, id: &str) -> Result<Option<String>> {
            $via!(self, canonical_of(id))
        }
        fn merged_into(&self, canonical: &str) -> Result<Vec<String>> {
            $via!(self, merged_into(canonical))
        }
        fn merges(&self) -> Result<Vec<(String, String)>> {
            $via!(self, merges())
        }
        fn schema_version(&self) -> Result<i64> {
            $via!(self, schema_version())
        }
        fn pointing_at(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<String>> {
            $via!(self, pointing_at(ids, schemata))
        }
        fn pointing_at_each(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<Vec<String>>> {
            $via!(self, pointing_at_each(ids, schemata))
        }
        fn depends_on(&self, ids: &[String]) {
            $via!(self, depends_on(ids))
        }
        fn depends_on_everything(&self) {
            $via!(self, depends_on_everything())
        }
    };
}

macro_rules! hand_on_follow {
    ($via:ident) => {
        fn version(&self) -> Result<i64> {
            $via!(self, version())
        }
        fn mark(&self) -> Result<Mark> {
            $via!(self, mark())
        }
        fn changed_since(&self, mark: &Mark, limit: usize) -> Result<Changes> {
            $via!(self, changed_since(mark, limit))
        }
    };
}

pub(crate) use {hand_on_follow, hand_on_reads};

/// A read through a reader: under its scope.
macro_rules! scoped {
    ($this:ident, $($call:tt)*) => {
        $this.run(|store| store.$($call)*)
    };
}

impl Follow for Reader<'_> {
    hand_on_follow!(scoped);
}

/// A read through a reader: under its scope, and noted in its ledger
/// (when it has one) by what it names; a read that names no entity (a
/// list, the log, counts) makes the answer depend on everything.
macro_rules! noted {
    ($this:ident, entity($id:ident)) => {{
        $this.note([$id]);
        $this.run(|store| store.entity($id))
    }};
    ($this:ident, history($id:ident)) => {{
        $this.note([$id]);
        $this.run(|store| store.history($id))
    }};
    ($this:ident, canonical_of($id:ident)) => {{
        $this.note([$id]);
        $this.run(|store| store.canonical_of($id))
    }};
    ($this:ident, merged_into($id:ident)) => {{
        $this.note([$id]);
        $this.run(|store| store.merged_into($id))
    }};
    ($this:ident, entities_of($ids:ident)) => {{
        $this.note($ids.iter().map(String::as_str));
        $this.run(|store| store.entities_of($ids))
    }};
    ($this:ident, labels($ids:ident)) => {{
        $this.note($ids.iter().map(String::as_str));
        $this.run(|store| store.labels($ids))
    }};
    ($this:ident, referencing($id:ident)) => {{
        // What refers to it now: a new reference to it, or one taken
        // away, lists it among the changed (`Changes`); a change to a
        // referencing entity lists that entity.
        $this.note([$id]);
        let found = $this.run(|store| store.referencing($id));
        if let Ok(list) = &found {
            $this.note_entities(list);
        }
        found
    }};
    ($this:ident, referencing_of($ids:ident)) => {{
        $this.note($ids.iter().map(String::as_str));
        let found = $this.run(|store| store.referencing_of($ids));
        if let Ok(lists) = &found {
            $this.note_entities(lists.iter().flatten());
        }
        found
    }};
    ($this:ident, pointing_at($ids:ident, $schemata:ident)) => {{
        $this.note($ids.iter().map(String::as_str));
        let found = $this.run(|store| store.pointing_at($ids, $schemata));
        if let Ok(list) = &found {
            $this.note(list.iter().map(String::as_str));
        }
        found
    }};
    ($this:ident, pointing_at_each($ids:ident, $schemata:ident)) => {{
        $this.note($ids.iter().map(String::as_str));
        let found = $this.run(|store| store.pointing_at_each($ids, $schemata));
        if let Ok(lists) = &found {
            $this.note(lists.iter().flatten().map(String::as_str));
        }
        found
    }};
    ($this:ident, copies($document:ident)) => {{
        match $document {
            Some(d) => $this.note([d]),
            None => $this.note_everything(),
        }
        $this.run(|store| store.copies($document))
    }};
    ($this:ident, depends_on($ids:ident)) => {{
        $this.note($ids.iter().map(String::as_str))
    }};
    ($this:ident, depends_on_everything()) => {{
        $this.note_everything()
    }};
    // Named by their content (a copy's hash), or not reads of statements.
    ($this:ident, copy_text($sha:ident)) => {{
        $this.run(|store| store.copy_text($sha))
    }};
    ($this:ident, copy_content($sha:ident)) => {{
        $this.run(|store| store.copy_content($sha))
    }};
    ($this:ident, begin_read()) => {{
        $this.run(|store| store.begin_read())
    }};
    ($this:ident, end_read()) => {{
        $this.run(|store| store.end_read())
    }};
    ($this:ident, schema_version()) => {{
        $this.run(|store| store.schema_version())
    }};
    // Everything else reads lists: the answer depends on every entity.
    ($this:ident, $($call:tt)*) => {{
        $this.note_everything();
        $this.run(|store| store.$($call)*)
    }};
}

impl Read for Reader<'_> {
    hand_on_reads!(noted);
}
