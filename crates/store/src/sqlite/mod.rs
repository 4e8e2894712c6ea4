//! The embedded backend: one SQLite file, WAL journal, foreign keys on,
//! migrations applied in order and tracked in `PRAGMA user_version`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use dossier_model::{Batch, Entity, Provenance, Schema, Statement};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};

use crate::record::{
    amend_one, apply_one, each_found, entity_from_rows, label_row, labels_from, prop_type,
    redaction_sql, register_entity, resolve_all, LabelRows, Loader, Merged, Redacted, Tx,
};
use crate::{
    Account, Accounts, ApplyReport, ArchiveReport, ArchivedCopy, Chunks, Collection, Follow,
    NameRecord, NewCopy, Read, Result, Role, Scope, Session, Stats, Store, StoreError, Write,
};

/// Migrations, in order; the n-th brings the database to version n.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/sqlite/0001_statements.sql"),
    include_str!("../../migrations/sqlite/0002_archive.sql"),
    include_str!("../../migrations/sqlite/0003_history_index.sql"),
    include_str!("../../migrations/sqlite/0004_covering_entity_index.sql"),
    include_str!("../../migrations/sqlite/0005_label_index.sql"),
    include_str!("../../migrations/sqlite/0006_resolution.sql"),
    include_str!("../../migrations/sqlite/0007_accounts.sql"),
    include_str!("../../migrations/sqlite/0008_redaction.sql"),
    include_str!("../../migrations/sqlite/0009_follow.sql"),
    include_str!("../../migrations/sqlite/0010_slim_entity_index.sql"),
    include_str!("../../migrations/sqlite/0011_copy_dataset.sql"),
    include_str!("../../migrations/sqlite/0012_token_expiry.sql"),
    include_str!("../../migrations/sqlite/0013_audit.sql"),
    include_str!("../../migrations/sqlite/0014_tally.sql"),
    include_str!("../../migrations/sqlite/0015_label_index_or.sql"),
    include_str!("../../migrations/sqlite/0016_merged_rows_index.sql"),
    include_str!("../../migrations/sqlite/0017_counts_for_reads.sql"),
    include_str!("../../migrations/sqlite/0018_terms.sql"),
    include_str!("../../migrations/sqlite/0019_statement_ids.sql"),
    include_str!("../../migrations/sqlite/0020_retracted_by_dataset.sql"),
];

/// The page cache of a connection, in KiB.
const CACHE_KIB: usize = 64 << 10;

/// The page cache while a bulk load runs, in KiB.
const BULK_CACHE_KIB: usize = 1 << 20;

/// The page cache while a bulk write makes its indexes, in KiB: small, so
/// that SQLite's sorter sorts in runs, on every core (see `in_transaction`).
const SORT_CACHE_KIB: usize = 4 << 10;

/// Statement indexes a bulk write keeps up row by row rather than making
/// after the rows: they hold only retracted rows, or rows read as another
/// entity's (a merged record's, migration 16), which a load has few or
/// none of, so keeping them costs nothing and making them a pass over
/// every row.
const KEPT_IN_BULK: [&str; 3] = [
    "statement_retracted",
    "statement_retracted_seq",
    "statement_merged",
];

/// The counts `stats` reads, made again from the rows at the end of a bulk
/// write (which drops the triggers that keep them, as it drops the
/// indexes: a trigger a row would cost more than counting once). Reads the
/// indexes the bulk write has just made, in their order, so nothing is
/// sorted; the same counts as migration 14's end.
const RECOUNT: &str = "DELETE FROM tally_source;
     INSERT INTO tally_source (dataset, source, statements, current)
     SELECT (SELECT text FROM term WHERE key = dataset), source, count(*), count(*)
     FROM statement INDEXED BY statement_by_source
     WHERE retracted_at IS NULL GROUP BY source, dataset;
     INSERT INTO tally_source (dataset, source, statements, current)
     SELECT (SELECT text FROM term WHERE key = dataset), source, count(*), 0
     FROM statement INDEXED BY statement_retracted
     WHERE retracted_at IS NOT NULL GROUP BY dataset, source
     ON CONFLICT (dataset, source) DO UPDATE SET statements = statements + excluded.statements;
     UPDATE entity SET current = 0 WHERE current <> 0;
     UPDATE entity SET current = c.n
     FROM (SELECT canonical_id, count(*) AS n FROM statement INDEXED BY statement_entity
           WHERE retracted_at IS NULL GROUP BY canonical_id) AS c
     WHERE c.canonical_id = entity.id;
     DELETE FROM tally_schema;
     INSERT INTO tally_schema (schema, entities)
     SELECT schema, count(*) FROM entity WHERE current > 0 GROUP BY schema;
     UPDATE counter SET value = (SELECT count(*) FROM statement INDEXED BY statement_retracted
                                 WHERE retracted_at IS NOT NULL)
     WHERE name = 'retracted';";

/// The merges a connection read, with what they were read at.
struct KeptMerges {
    /// `PRAGMA data_version` when they were last known to hold.
    data_version: i64,
    /// The counter of changes to `resolution` they were read at.
    changes: i64,
    merged: Arc<Merged>,
}

/// How a write transaction treats the statement indexes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bulk {
    /// Kept up row by row: a write of any size into a store that holds rows.
    No,
    /// Made after the rows, the counts' triggers too, and the foreign keys
    /// not asked again: a large write into an empty store, a verbatim load
    /// (whose loader registers what each row names) or an `apply` (which
    /// registers each entity before its statements, the source document
    /// first, `record::apply_one`).
    IntoEmpty,
}

/// Threads SQLite's sorter may use while a bulk write makes its indexes:
/// one a core, at most four.
fn sort_threads() -> i64 {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4) as i64)
}

/// From how many statements a load into an empty store makes its indexes
/// after the rows.
const BULK_LOAD: usize = 20_000;

/// Whether the store holds no statement.
const EMPTY: &str = "SELECT NOT EXISTS (SELECT 1 FROM statement)";

/// At most how many batches an apply may hold to be written in bulk.
const BULK_BATCHES: usize = 8;

/// Moves `Mark::shape` on (the counter's name is older than the mark): who
/// may read what changed, a redaction, a native load.
const SHAPE_CHANGED: &str = "INSERT INTO counter (name, value) VALUES ('access', 1) \
     ON CONFLICT (name) DO UPDATE SET value = value + 1";

/// A statement row's columns, as [`read_statement`] reads them: its schema,
/// property and dataset are keys (`terms.rs`).
const COLUMNS: &str =
    "seq, id, entity_id, canonical_id, schema, prop, value, original_value, lang, \
     dataset, origin, external, source, user, first_seen, last_seen, retracted_at, retraction";

/// `columns` of the rows made about the entity `?1` that also meet `rest`
/// (`AND …`, the same for both halves), in no order: the rows read as its
/// own by the entity index (`canonical_id = ?1`), and those read as
/// another's (a merged record's) by the small index only they are in
/// (migration 16). No index holds every row by its entity.
fn of_entity(columns: &str, rest: &str) -> String {
    format!(
        "SELECT {columns} FROM statement WHERE canonical_id = ?1 AND entity_id = ?1 {rest} \
         UNION ALL SELECT {columns} FROM statement \
         WHERE entity_id = ?1 AND canonical_id <> entity_id {rest}"
    )
}

/// The SQLite store.
pub struct SqliteStore {
    conn: Connection,
    /// The merges, read once and kept: while no other connection commits
    /// (`PRAGMA data_version`), and past their commits while the counter
    /// of changes to `resolution` holds (migration 17); this connection's
    /// own merges clear it.
    merged: RefCell<Option<KeptMerges>>,
    /// The scope reads run under now (set by a `Reader` for each read).
    scope: RefCell<Scope>,
    /// The redactions, kept as the merges are.
    redacted: RefCell<Option<(i64, Arc<Redacted>)>>,
    /// The data version of the read snapshot open (`Store::begin_read`):
    /// while it is open no other connection's commit is seen, so the
    /// version is not asked again before every read.
    snapshot: std::cell::Cell<Option<i64>>,
    /// A read snapshot was asked for (`Read::begin_read`) and not ended.
    wanted: std::cell::Cell<bool>,
    /// The store's mark as the open read snapshot sees it, once asked: it
    /// cannot move while the snapshot is open, and a page asks for it
    /// several times (each read kept between requests checks it).
    snapshot_mark: std::cell::Cell<Option<crate::Mark>>,
    /// The words of the keys in the rows this connection has read.
    words: terms::Words,
}

/// A statement from a row of [`COLUMNS`], its keys turned into words by
/// `word`.
fn read_statement(
    row: &Row<'_>,
    word: &dyn Fn(i64) -> rusqlite::Result<String>,
) -> rusqlite::Result<Statement> {
    Ok(Statement {
        seq: row.get(0)?,
        id: ids::get(row, 1)?,
        entity_id: row.get(2)?,
        canonical_id: row.get(3)?,
        schema: word(row.get(4)?)?,
        prop: word(row.get(5)?)?,
        value: row.get(6)?,
        original_value: row.get(7)?,
        lang: row.get(8)?,
        dataset: word(row.get(9)?)?,
        origin: row.get(10)?,
        external: row.get(11)?,
        source: row.get(12)?,
        user: row.get(13)?,
        first_seen: row.get(14)?,
        last_seen: row.get(15)?,
        retracted_at: row.get(16)?,
        retraction: row.get(17)?,
    })
}

/// The SQLite side of a write transaction, for `record`'s rules, with
/// the keys of the words it has written (`terms.rs`).
struct SqlTx<'a, 'c>(&'a Transaction<'c>, terms::Keys);

impl<'a, 'c> SqlTx<'a, 'c> {
    fn new(tx: &'a Transaction<'c>) -> Self {
        SqlTx(tx, terms::Keys::default())
    }
}

fn ids_and_seqs(
    mut stmt: rusqlite::CachedStatement<'_>,
    args: impl rusqlite::Params,
) -> Result<HashMap<String, i64>> {
    let rows = stmt.query_map(args, |r| Ok((ids::get(r, 0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn read_copy(r: &Row<'_>) -> rusqlite::Result<ArchivedCopy> {
    Ok(ArchivedCopy {
        document: r.get(0)?,
        sha256: r.get(1)?,
        url: r.get(2)?,
        retrieved: r.get(3)?,
        title: r.get(4)?,
        record_id: r.get(5)?,
        archived_at: r.get(6)?,
        user: r.get(7)?,
        media_type: r.get(8)?,
        size: r.get(9)?,
        dataset: r.get(10)?,
    })
}

/// Fails unless `conn` is an intact SQLite file holding a Dossier store.
fn check_whole(conn: &Connection, path: &Path) -> Result<()> {
    let not = |why: String| {
        StoreError::Backup(format!(
            "{} is not a whole Dossier store: {why}",
            path.display()
        ))
    };
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| not(e.to_string()))?;
    if check != "ok" {
        return Err(not(check));
    }
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('statement', 'entity')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| not(e.to_string()))?;
    if tables != 2 {
        return Err(not("it has no statement log".into()));
    }
    Ok(())
}

const COPY_COLUMNS: &str = "c.document, c.sha256, c.url, c.retrieved, c.title, c.record_id, \
     c.archived_at, c.user, b.media_type, b.size, c.dataset";

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and migrates it.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::setup(conn)
    }

    /// The store's version and this Dossier's, when opening the store at
    /// `path` would migrate it: nothing for a store that is current or
    /// does not exist yet. Read without writing, so that a command can say
    /// what is about to happen before it opens the store (a migration that
    /// rewrites every row takes minutes on a large store).
    pub fn migrations_due(path: impl AsRef<Path>) -> Result<Option<(i64, i64)>> {
        let path = path.as_ref();
        if !path.exists() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let supported = MIGRATIONS.len() as i64;
        Ok((found > 0 && found < supported).then_some((found, supported)))
    }

    /// A store in memory, for tests and scratch work.
    pub fn in_memory() -> Result<Self> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Reads through a memory map (up to 64 GiB of address space) and a 64 MiB page cache rather than a
        // read system call per page (the default cache is 2 MiB): a profile
        // page touches a few hundred pages of a store of millions of rows.
        conn.pragma_update(None, "mmap_size", 1i64 << 36)?;
        conn.pragma_update(None, "cache_size", -(CACHE_KIB as i64))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = SqliteStore {
            conn,
            merged: RefCell::new(None),
            scope: RefCell::new(Scope::everything()),
            redacted: RefCell::new(None),
            snapshot: std::cell::Cell::new(None),
            snapshot_mark: std::cell::Cell::new(None),
            wanted: std::cell::Cell::new(false),
            words: terms::Words::default(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Writes a copy of the whole store to `path` (which must not exist)
    /// with SQLite's online backup: a consistent snapshot as of one moment,
    /// taken while others go on reading and writing. The copy is written
    /// beside `path` and renamed into place once complete and checked, so
    /// `path` never holds half a backup. Returns the copy's size in bytes.
    pub fn backup_to(&self, path: &Path) -> Result<u64> {
        if path.exists() {
            return Err(StoreError::Backup(format!(
                "{} exists already: a backup never overwrites a file",
                path.display()
            )));
        }
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let copy = (|| -> Result<()> {
            let mut dst = Connection::open(&partial)?;
            rusqlite::backup::Backup::new(&self.conn, &mut dst)?.run_to_completion(
                4096,
                std::time::Duration::ZERO,
                None,
            )?;
            check_whole(&dst, &partial)?;
            // One file: the copy's log is folded in before it is moved.
            dst.pragma_update(None, "journal_mode", "DELETE")?;
            drop(dst);
            std::fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(|e| StoreError::Backup(format!("{}: {e}", partial.display())))?;
            std::fs::rename(&partial, path)
                .map_err(|e| StoreError::Backup(format!("{}: {e}", path.display())))
        })();
        if copy.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        copy?;
        Ok(std::fs::metadata(path).map_or(0, |m| m.len()))
    }

    /// Replaces the store at `into` with the backup at `backup`, after
    /// checking the backup is a whole Dossier store this program can read
    /// (it is migrated when older). Another process with `into` open sees
    /// the restored store on its next read.
    pub fn restore(backup: &Path, into: &Path) -> Result<SqliteStore> {
        let src = Connection::open_with_flags(
            backup,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Backup(format!("cannot read {}: {e}", backup.display())))?;
        check_whole(&src, backup)?;
        let found: i64 = src.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let supported = MIGRATIONS.len() as i64;
        if found > supported {
            return Err(StoreError::TooNew { found, supported });
        }
        let shape = {
            let mut dst = Connection::open(into)?;
            dst.busy_timeout(std::time::Duration::from_secs(5))?;
            // The shape the replaced store had, so the restored one's is
            // past it: followers (search indexes, graphs) of the old store
            // then read the restored one whole.
            let shape: i64 = dst
                .query_row("SELECT value FROM counter WHERE name = 'access'", [], |r| {
                    r.get(0)
                })
                .unwrap_or(0);
            rusqlite::backup::Backup::new(&src, &mut dst)?.run_to_completion(
                4096,
                std::time::Duration::ZERO,
                None,
            )?;
            shape
        };
        // Migrated first: a backup from before counters has none.
        let store = SqliteStore::open(into)?;
        store.conn.execute(
            "INSERT INTO counter (name, value) VALUES ('access', ?1 + 1) \
             ON CONFLICT (name) DO UPDATE SET value = max(value, ?1) + 1",
            [shape],
        )?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let found = self.schema_version()?;
        let supported = MIGRATIONS.len() as i64;
        if found > supported {
            return Err(StoreError::TooNew { found, supported });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Asked again under the write lock: another process opening the
            // same store may have run this migration while this one waited
            // for the lock (a migration that rewrites every row takes
            // minutes on a large store), and most cannot run twice.
            let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if now > supported {
                return Err(StoreError::TooNew {
                    found: now,
                    supported,
                });
            }
            if now > i as i64 {
                continue;
            }
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Records batches in one transaction, each with its own source as provenance.
    fn each_batch(
        &mut self,
        batches: &[Batch],
        prov: &Provenance,
        record: fn(&mut dyn Tx, &Batch, &Provenance) -> Result<ApplyReport>,
        bulk: Bulk,
    ) -> Result<Vec<ApplyReport>> {
        self.in_transaction(bulk, |tx| {
            let mut reports = Vec::with_capacity(batches.len());
            let mut sql = SqlTx::new(tx);
            for batch in batches {
                let prov = Provenance {
                    source: batch.source.clone(),
                    ..prov.clone()
                };
                reports.push(record(&mut sql, batch, &prov)?);
            }
            Ok(reports)
        })
    }

    /// Runs `f` in one write transaction. A [`Bulk`] write (a large write
    /// into an empty store) drops the statement indexes first and makes
    /// them again at the end, in one sort each, instead of keeping every
    /// B-tree in order row by row, with a larger page cache meanwhile.
    /// Still one transaction: a write cut off leaves the store as it was,
    /// indexes included.
    fn in_transaction<T>(
        &mut self,
        bulk: Bulk,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let is_bulk = bulk != Bulk::No;
        // A bulk write into an empty store goes to the file once, through a
        // rollback journal, where the write-ahead log would write every page
        // twice (into the log, then checkpointed into the file); new pages
        // past the file's end need no journal. The mode changes only when no
        // other connection has the file open, and otherwise stays WAL.
        let journal = if is_bulk {
            self.conn
                .pragma_update(None, "cache_size", -(BULK_CACHE_KIB as i64))?;
            self.conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
                .ok()
        } else {
            None
        };
        // A verbatim load registers every entity a row names (its entity,
        // canonical and source: `record::load::Loader::chunk`) in the same
        // chunk before the row goes in, and an apply each entity before its
        // statements, its source first, with the canonical the resolution
        // table (itself checked) names; so the three look-ups a row that the
        // foreign keys would make only check what is certain (they cost a
        // sixth of a load's time). The setting can change only outside a
        // transaction; `tests/load.rs` checks that none dangle after either.
        if is_bulk {
            self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        }
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let indexes: Vec<(String, String)> = if is_bulk {
                let mut stmt = tx.prepare(
                    "SELECT name, sql FROM sqlite_master \
                     WHERE type = 'index' AND tbl_name = 'statement' AND sql IS NOT NULL",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<Vec<(String, String)>>>()?
                    .into_iter()
                    .filter(|(name, _)| !KEPT_IN_BULK.contains(&name.as_str()))
                    .collect()
            } else {
                Vec::new()
            };
            // The triggers that keep `stats`' counts go with the indexes
            // (each would cost a look-up or two a row) and are counted once
            // at the end.
            let triggers: Vec<(String, String)> = if is_bulk {
                let mut stmt = tx.prepare(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tally\\_%' ESCAPE '\\'",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            } else {
                Vec::new()
            };
            for (name, _) in &indexes {
                tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "")))?;
            }
            for (name, _) in &triggers {
                tx.execute_batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "")))?;
            }
            let out = f(&tx)?;
            if !indexes.is_empty() {
                // Each index is a sort of every row. With a small page
                // cache SQLite's sorter writes sorted runs to temporary
                // files and merges them, a run sorted on each core while
                // the table is read; with a large one it sorts everything
                // in memory on one core, which measured a third slower
                // (BENCHMARKS.md, issue 29).
                tx.pragma_update(None, "threads", sort_threads())?;
                tx.pragma_update(None, "cache_size", -(SORT_CACHE_KIB as i64))?;
            }
            for (_, sql) in &indexes {
                tx.execute_batch(sql)?;
            }
            if !triggers.is_empty() {
                tx.execute_batch(RECOUNT)?;
            }
            for (_, sql) in &triggers {
                tx.execute_batch(sql)?;
            }
            tx.commit()?;
            Ok(out)
        })();
        // The foreign keys first: nothing may return before they are on.
        if is_bulk {
            self.conn.pragma_update(None, "foreign_keys", "ON")?;
        }
        if is_bulk {
            self.conn.pragma_update(None, "threads", 0)?;
            self.conn
                .pragma_update(None, "cache_size", -(CACHE_KIB as i64))?;
        }
        if journal.is_some_and(|mode| !mode.eq_ignore_ascii_case("wal")) {
            self.conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        result
    }

    /// A verbatim load in one transaction; `first` is how many statements
    /// are known to come at the start. A large load into an empty store (a
    /// native import, a restore) makes its indexes after the rows.
    fn load_with(
        &mut self,
        first: usize,
        f: impl FnOnce(&mut SqlTx<'_, '_>, &mut Loader) -> Result<()>,
    ) -> Result<usize> {
        let bulk = if first >= BULK_LOAD && self.stats_empty()? {
            Bulk::IntoEmpty
        } else {
            Bulk::No
        };
        let n = self.in_transaction(bulk, |tx| {
            // Asked again inside the transaction, which holds the write lock.
            let empty = tx.query_row(EMPTY, [], |r| r.get(0))?;
            let mut tx = SqlTx::new(tx);
            let mut loader = Loader::new(empty);
            f(&mut tx, &mut loader)?;
            loader.finish(&mut tx)
        });
        self.merged.replace(None);
        n
    }

    /// Whether applying these batches is a bulk write: many statements into
    /// an empty store, in few batches (each batch asks what its source said
    /// before, which without the indexes reads the whole log).
    fn bulk_apply(&self, batches: &[Batch]) -> Result<Bulk> {
        if batches.len() > BULK_BATCHES {
            return Ok(Bulk::No);
        }
        let values: usize = batches
            .iter()
            .flat_map(|b| b.entities())
            .map(|e| 1 + e.value_count())
            .sum();
        Ok(if values >= BULK_LOAD && self.stats_empty()? {
            Bulk::IntoEmpty
        } else {
            Bulk::No
        })
    }

    fn query_statements(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Statement>> {
        let redacted = self.redacted()?;
        let words = self.words()?;
        let mut stmt = self.db()?.prepare_cached(sql)?;
        let rows = stmt.query_map(args, |r| read_statement(r, &|k| words.word(k)))?;
        let mut all: Vec<Statement> = rows.collect::<rusqlite::Result<_>>()?;
        for st in &mut all {
            redacted.apply_statement(st);
        }
        Ok(all)
    }

    /// The words of the keys in the rows of a read: those this connection
    /// keeps, while no other connection has committed since they were read.
    fn words(&self) -> Result<terms::Vocabulary<'_>> {
        let now = self.data_version()?;
        Ok(self.words.at(&self.conn, now))
    }

    /// The merges, from the cache while it is current.
    /// Moves when another connection commits (`PRAGMA data_version`);
    /// fixed while a read snapshot is open.
    fn data_version(&self) -> Result<i64> {
        self.db()?;
        if let Some(v) = self.snapshot.get() {
            return Ok(v);
        }
        Ok(self.ask_data_version()?)
    }

    /// The connection for a read: in the read snapshot wanted
    /// (`Read::begin_read`), begun here when this is its first read.
    fn db(&self) -> Result<&Connection> {
        if self.wanted.get() && self.snapshot.get().is_none() && self.conn.is_autocommit() {
            // Prepared once for the connection, as every read is.
            self.conn.prepare_cached("BEGIN")?.execute([])?;
            // Reading the version begins the read transaction: from here
            // on no other connection's commit is seen, and the version is
            // this.
            match self.ask_data_version() {
                Ok(v) => self.snapshot.set(Some(v)),
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    return Err(e.into());
                }
            }
        }
        Ok(&self.conn)
    }

    fn ask_data_version(&self) -> rusqlite::Result<i64> {
        self.conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))
    }

    fn merged(&self) -> Result<Arc<Merged>> {
        let data_version = self.data_version()?;
        if let Some(kept) = &*self.merged.borrow() {
            if kept.data_version == data_version {
                return Ok(kept.merged.clone());
            }
        }
        // Another connection committed: the merges are read again only
        // if what is merged changed (every write moved `data_version`, and
        // reading every merge again after each cost a store of 100,000
        // merges some tens of milliseconds a connection).
        let changes: i64 = self
            .db()?
            .prepare_cached("SELECT value FROM counter WHERE name = 'resolution'")?
            .query_row([], |r| r.get(0))?;
        if let Some(kept) = &mut *self.merged.borrow_mut() {
            if kept.changes == changes {
                kept.data_version = data_version;
                return Ok(kept.merged.clone());
            }
        }
        let mut stmt = self
            .db()?
            .prepare_cached("SELECT entity_id, canonical_id FROM resolution ORDER BY entity_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let merged = Merged::from_pairs(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        let merged = Arc::new(merged);
        *self.merged.borrow_mut() = Some(KeptMerges {
            data_version,
            changes,
            merged: merged.clone(),
        });
        Ok(merged)
    }

    /// Whether no statement has been recorded yet.
    fn stats_empty(&self) -> Result<bool> {
        Ok(self.conn.query_row(EMPTY, [], |r| r.get(0))?)
    }

    /// Who may read what changed: the store's version moves on, so derived
    /// data (the search index, a server's graph) is made again.
    fn bump_access(&self) -> Result<()> {
        self.conn.execute(SHAPE_CHANGED, [])?;
        Ok(())
    }

    /// `FROM blob … WHERE` the blob `?1` is the bytes of a copy the reader
    /// may see: one in a dataset not hidden from them.
    fn visible_blob(&self) -> String {
        format!(
            "FROM blob b WHERE b.sha256 = ?1 AND EXISTS \
             (SELECT 1 FROM archived_copy c WHERE c.sha256 = b.sha256 {})",
            crate::record::scope_sql(self.scope.borrow().hidden(), "c.")
        )
    }

    /// `AND <alias>dataset NOT IN (…)` for the hidden datasets, and the
    /// redacted entities left out, or nothing.
    fn scope(&self, alias: &str) -> String {
        let redacted = self
            .redacted()
            .map(|r| redaction_sql(&r, alias))
            .unwrap_or_default();
        format!(
            "{} {redacted}",
            crate::record::statement_scope_sql(self.scope.borrow().hidden(), alias, terms::keys_of)
        )
    }

    /// The redactions, from the cache while no other connection committed.
    fn redacted(&self) -> Result<Arc<Redacted>> {
        let data_version = self.data_version()?;
        if let Some((v, r)) = &*self.redacted.borrow() {
            if *v == data_version {
                return Ok(r.clone());
            }
        }
        let mut stmt = self
            .db()?
            .prepare_cached("SELECT entity_id, names FROM redaction")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let r = Arc::new(Redacted::from_rows(
            rows.collect::<rusqlite::Result<Vec<_>>>()?,
        ));
        *self.redacted.borrow_mut() = Some((data_version, r.clone()));
        Ok(r)
    }

    fn current_of(&self, ids: &[String]) -> Result<Vec<Entity>> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(e) = self.entity(id)? {
                out.push(e);
            }
        }
        Ok(out)
    }
}

fn read_account(r: &Row<'_>) -> rusqlite::Result<(String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

/// An account from its stored name, role and creation time.
fn account_of((name, role, created_at): (String, String, String)) -> Result<Account> {
    let role = Role::parse(&role)
        .ok_or_else(|| StoreError::Io(format!("account {name} has an unknown role {role:?}")))?;
    Ok(Account {
        name,
        role,
        created_at,
    })
}

mod accounts;
mod ids;
mod read;
pub(crate) mod terms;
mod tx;
mod write;
