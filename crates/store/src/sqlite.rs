//! The embedded backend: one SQLite file, WAL journal, foreign keys on,
//! migrations applied in order and tracked in `PRAGMA user_version`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use dossier_model::{Batch, Entity, Provenance, Schema, Statement};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction, TransactionBehavior};

use crate::record::{
    amend_one, apply_one, entity_from_rows, label_row, labels_from, prop_type, redaction_sql,
    register_entity, resolve_all, LabelRows, Loader, Merged, Redacted, Tx,
};
use crate::{
    Account, Accounts, ApplyReport, ArchiveReport, ArchivedCopy, Chunks, Collection, NameRecord,
    NewCopy, Result, Role, Session, Stats, Store, StoreError, ARCHIVE_DATASET,
};

/// Migrations, in order; the n-th brings the database to version n.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/sqlite/0001_statements.sql"),
    include_str!("../migrations/sqlite/0002_archive.sql"),
    include_str!("../migrations/sqlite/0003_history_index.sql"),
    include_str!("../migrations/sqlite/0004_covering_entity_index.sql"),
    include_str!("../migrations/sqlite/0005_label_index.sql"),
    include_str!("../migrations/sqlite/0006_resolution.sql"),
    include_str!("../migrations/sqlite/0007_accounts.sql"),
    include_str!("../migrations/sqlite/0008_redaction.sql"),
    include_str!("../migrations/sqlite/0009_follow.sql"),
    include_str!("../migrations/sqlite/0010_slim_entity_index.sql"),
    include_str!("../migrations/sqlite/0011_copy_dataset.sql"),
    include_str!("../migrations/sqlite/0012_token_expiry.sql"),
];

/// The page cache of a connection, in KiB.
const CACHE_KIB: usize = 64 << 10;

/// The page cache while a bulk load runs, in KiB.
const BULK_CACHE_KIB: usize = 1 << 20;

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

const COLUMNS: &str =
    "seq, id, entity_id, canonical_id, schema, prop, value, original_value, lang, \
     dataset, origin, external, source, user, first_seen, last_seen, retracted_at, retraction";

/// The SQLite store.
pub struct SqliteStore {
    conn: Connection,
    /// The merges, read once and kept while no other connection commits
    /// (`PRAGMA data_version`); this one's own merges clear it.
    merged: RefCell<Option<(i64, Arc<Merged>)>>,
    /// Datasets reads leave out (`Store::set_hidden`).
    hidden: RefCell<Vec<String>>,
    /// The redactions, kept as the merges are.
    redacted: RefCell<Option<(i64, Arc<Redacted>)>>,
    /// The data version of the read snapshot open (`Store::begin_read`):
    /// while it is open no other connection's commit is seen, so the
    /// version is not asked again before every read.
    snapshot: std::cell::Cell<Option<i64>>,
}

fn read_statement(row: &Row<'_>) -> rusqlite::Result<Statement> {
    Ok(Statement {
        seq: row.get(0)?,
        id: row.get(1)?,
        entity_id: row.get(2)?,
        canonical_id: row.get(3)?,
        schema: row.get(4)?,
        prop: row.get(5)?,
        value: row.get(6)?,
        original_value: row.get(7)?,
        lang: row.get(8)?,
        dataset: row.get(9)?,
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

/// The SQLite side of a write transaction, for `record`'s rules.
struct SqlTx<'a, 'c>(&'a Transaction<'c>);

fn ids_and_seqs(
    mut stmt: rusqlite::CachedStatement<'_>,
    args: impl rusqlite::Params,
) -> Result<HashMap<String, i64>> {
    let rows = stmt.query_map(args, |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Tx for SqlTx<'_, '_> {
    fn content_hash(&mut self, source: &str, dataset: &str) -> Result<Option<String>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT value FROM statement WHERE entity_id = ?1 AND source = ?1 AND dataset = ?2 \
                 AND prop = 'contentHash' AND retracted_at IS NULL",
            )?
            .query_row(params![source, dataset], |r| r.get(0))
            .optional()?)
    }
    fn by_source(&mut self, source: &str, dataset: &str) -> Result<HashMap<String, i64>> {
        ids_and_seqs(
            self.0.prepare_cached(
                "SELECT id, seq FROM statement WHERE source = ?1 AND dataset = ?2 AND retracted_at IS NULL",
            )?,
            params![source, dataset],
        )
    }
    fn by_prop(
        &mut self,
        entity: &str,
        prop: &str,
        source: &str,
        dataset: &str,
    ) -> Result<HashMap<String, i64>> {
        ids_and_seqs(
            self.0.prepare_cached(
                "SELECT id, seq FROM statement WHERE entity_id = ?1 AND prop = ?2 AND source = ?3 \
                 AND dataset = ?4 AND retracted_at IS NULL",
            )?,
            params![entity, prop, source, dataset],
        )
    }
    fn schema_of(&mut self, id: &str) -> Result<Option<String>> {
        Ok(self
            .0
            .prepare_cached("SELECT schema FROM entity WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }
    fn insert_entity(&mut self, id: &str, schema: &str) -> Result<()> {
        self.0
            .prepare_cached("INSERT INTO entity (id, schema) VALUES (?1, ?2)")?
            .execute(params![id, schema])?;
        Ok(())
    }
    fn set_schema(&mut self, id: &str, schema: &str) -> Result<()> {
        self.0
            .prepare_cached("UPDATE entity SET schema = ?2 WHERE id = ?1")?
            .execute(params![id, schema])?;
        Ok(())
    }
    fn stored_at(&mut self, seq: i64) -> Result<Option<Statement>> {
        Ok(self
            .0
            .prepare_cached(&format!("SELECT {COLUMNS} FROM statement WHERE seq = ?1"))?
            .query_row([seq], read_statement)
            .optional()?)
    }
    fn insert(&mut self, st: &Statement, keep_seq: bool) -> Result<()> {
        let seq = keep_seq.then_some(st.seq);
        self.0
            .prepare_cached(
                "INSERT INTO statement (seq, id, entity_id, canonical_id, schema, prop, prop_type, value, \
                 original_value, lang, dataset, origin, external, source, user, first_seen, last_seen, \
                 retracted_at, retraction) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            )?
            .execute(params![
                seq,
                st.id,
                st.entity_id,
                st.canonical_id,
                st.schema,
                st.prop,
                prop_type(&st.schema, &st.prop),
                st.value,
                st.original_value,
                st.lang,
                st.dataset,
                st.origin,
                st.external,
                st.source,
                st.user,
                st.first_seen,
                st.last_seen,
                st.retracted_at,
                st.retraction,
            ])?;
        Ok(())
    }
    fn touch(&mut self, seq: i64, now: &str) -> Result<()> {
        self.0
            .prepare_cached("UPDATE statement SET last_seen = ?2 WHERE seq = ?1")?
            .execute(params![seq, now])?;
        Ok(())
    }
    fn retract(&mut self, seq: i64, now: &str, reason: &str) -> Result<()> {
        self.0
            .prepare_cached(
                "UPDATE statement SET retracted_at = ?2, retraction = ?3, \
                 retracted_seq = (SELECT max(seq) FROM statement) WHERE seq = ?1",
            )?
            .execute(params![seq, now, reason])?;
        Ok(())
    }
    fn shape_changed(&mut self) -> Result<()> {
        self.0.prepare_cached(SHAPE_CHANGED)?.execute([])?;
        Ok(())
    }
    fn canonical(&mut self, id: &str) -> Result<Option<String>> {
        Ok(self
            .0
            .prepare_cached("SELECT canonical_id FROM resolution WHERE entity_id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }
    fn set_canonical(&mut self, id: &str, canonical: Option<&str>) -> Result<()> {
        match canonical {
            Some(c) => self
                .0
                .prepare_cached(
                    "INSERT OR REPLACE INTO resolution (entity_id, canonical_id) VALUES (?1, ?2)",
                )?
                .execute([id, c])?,
            None => self
                .0
                .prepare_cached("DELETE FROM resolution WHERE entity_id = ?1")?
                .execute([id])?,
        };
        Ok(())
    }
    fn rewrite_canonical(&mut self, id: &str, canonical: &str) -> Result<()> {
        self.0
            .prepare_cached("UPDATE statement SET canonical_id = ?2 WHERE entity_id = ?1")?
            .execute([id, canonical])?;
        Ok(())
    }
    fn log_resolution(
        &mut self,
        id: &str,
        previous: &str,
        canonical: &str,
        prov: &Provenance,
    ) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO resolution_log (entity_id, previous, canonical_id, user, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![id, previous, canonical, prov.user, prov.now])?;
        Ok(())
    }
    fn schemata_of_canonical(&mut self, id: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT DISTINCT schema FROM statement WHERE canonical_id = ?1")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn current_seq(&mut self, id: &str, source: &str) -> Result<Option<i64>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT seq FROM statement WHERE id = ?1 AND source = ?2 AND retracted_at IS NULL",
            )?
            .query_row([id, source], |r| r.get(0))
            .optional()?)
    }
    fn rows(&mut self, entity: &str) -> Result<Vec<Statement>> {
        let mut stmt = self.0.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM statement WHERE entity_id = ?1 ORDER BY seq"
        ))?;
        let rows = stmt.query_map([entity], read_statement)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn chain(&mut self) -> Result<Option<(String, String)>> {
        Ok(self
            .0
            .query_row(
                "SELECT c.entity_id, c.canonical_id FROM resolution r \
                 JOIN resolution c ON c.entity_id = r.canonical_id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
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
            hidden: RefCell::new(Vec::new()),
            redacted: RefCell::new(None),
            snapshot: std::cell::Cell::new(None),
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
        bulk: bool,
    ) -> Result<Vec<ApplyReport>> {
        self.in_transaction(bulk, |tx| {
            let mut reports = Vec::with_capacity(batches.len());
            for batch in batches {
                let prov = Provenance {
                    source: batch.source.clone(),
                    ..prov.clone()
                };
                reports.push(record(&mut SqlTx(tx), batch, &prov)?);
            }
            Ok(reports)
        })
    }

    /// Runs `f` in one write transaction. With `bulk` (a large write into
    /// an empty store) the statement indexes are dropped first and made
    /// again at the end, in one sort each, instead of keeping every B-tree
    /// in order row by row, and the page cache is larger meanwhile. Still
    /// one transaction: a write cut off leaves the store as it was,
    /// indexes included.
    fn in_transaction<T>(
        &mut self,
        bulk: bool,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        // A bulk write into an empty store goes to the file once, through a
        // rollback journal, where the write-ahead log would write every page
        // twice (into the log, then checkpointed into the file); new pages
        // past the file's end need no journal. The mode changes only when no
        // other connection has the file open, and otherwise stays WAL.
        let journal = if bulk {
            self.conn
                .pragma_update(None, "cache_size", -(BULK_CACHE_KIB as i64))?;
            self.conn
                .pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0))
                .ok()
        } else {
            None
        };
        let result = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let indexes: Vec<(String, String)> = if bulk {
                let mut stmt = tx.prepare(
                    "SELECT name, sql FROM sqlite_master \
                     WHERE type = 'index' AND tbl_name = 'statement' AND sql IS NOT NULL",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            } else {
                Vec::new()
            };
            for (name, _) in &indexes {
                tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "")))?;
            }
            let out = f(&tx)?;
            for (_, sql) in &indexes {
                tx.execute_batch(sql)?;
            }
            tx.commit()?;
            Ok(out)
        })();
        if bulk {
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
        let bulk = first >= BULK_LOAD && self.stats_empty()?;
        let n = self.in_transaction(bulk, |tx| {
            // Asked again inside the transaction, which holds the write lock.
            let empty = tx.query_row(EMPTY, [], |r| r.get(0))?;
            let mut tx = SqlTx(tx);
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
    fn bulk_apply(&self, batches: &[Batch]) -> Result<bool> {
        if batches.len() > BULK_BATCHES {
            return Ok(false);
        }
        let values: usize = batches
            .iter()
            .flat_map(|b| b.entities())
            .map(|e| 1 + e.value_count())
            .sum();
        Ok(values >= BULK_LOAD && self.stats_empty()?)
    }

    fn query_statements(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Statement>> {
        let redacted = self.redacted()?;
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map(args, read_statement)?;
        let mut all: Vec<Statement> = rows.collect::<rusqlite::Result<_>>()?;
        for st in &mut all {
            redacted.apply_statement(st);
        }
        Ok(all)
    }

    /// The merges, from the cache while it is current.
    /// Moves when another connection commits (`PRAGMA data_version`);
    /// fixed while a read snapshot is open.
    fn data_version(&self) -> Result<i64> {
        if let Some(v) = self.snapshot.get() {
            return Ok(v);
        }
        Ok(self.ask_data_version()?)
    }

    fn ask_data_version(&self) -> rusqlite::Result<i64> {
        self.conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))
    }

    fn merged(&self) -> Result<Arc<Merged>> {
        let data_version = self.data_version()?;
        if let Some((v, m)) = &*self.merged.borrow() {
            if *v == data_version {
                return Ok(m.clone());
            }
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT entity_id, canonical_id FROM resolution ORDER BY entity_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let merged = Merged::from_pairs(rows.collect::<rusqlite::Result<Vec<_>>>()?);
        let merged = Arc::new(merged);
        *self.merged.borrow_mut() = Some((data_version, merged.clone()));
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
            crate::record::scope_sql(&self.hidden.borrow(), "c.")
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
            crate::record::scope_sql(&self.hidden.borrow(), alias)
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
            .conn
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

impl Store for SqliteStore {
    fn apply(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        let bulk = self.bulk_apply(batches)?;
        self.each_batch(batches, prov, apply_one, bulk)
    }
    fn load(&mut self, statements: &[Statement]) -> Result<usize> {
        self.load_with(statements.len(), |tx, loader| loader.chunk(tx, statements))
    }

    fn load_chunks(&mut self, chunks: &mut Chunks<'_>) -> Result<usize> {
        let Some(first) = chunks.next() else {
            return Ok(0);
        };
        let first = first.map_err(StoreError::Io)?;
        self.load_with(first.len(), |tx, loader| {
            loader.chunk(tx, &first)?;
            for chunk in chunks {
                loader.chunk(tx, &chunk.map_err(StoreError::Io)?)?;
            }
            Ok(())
        })
    }

    fn entity(&self, id: &str) -> Result<Option<Entity>> {
        // Each distinct value once, in the order it was first stated: an
        // entity named by a thousand sources (a large network) is a thousand
        // statements but a handful of values. Read from the entity index
        // alone (it holds every column read here).
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT schema, prop, value, original_value, min(seq) AS first \
             FROM statement INDEXED BY statement_entity \
             WHERE canonical_id = ?1 AND retracted_at IS NULL {} \
             GROUP BY schema, prop, value, original_value ORDER BY first",
            self.scope("")
        ))?;
        let rows: Vec<(String, String, String, Option<String>)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let Some(mut entity) = entity_from_rows(id, rows)? else {
            return Ok(None);
        };
        self.merged()?.follow(&mut entity);
        self.redacted()?.apply(&mut entity);
        Ok(Some(entity))
    }

    fn labels(&self, ids: &[String]) -> Result<Vec<crate::Label>> {
        use dossier_model::entity::CAPTION_PROPS;
        // Per entity: its schemata (from the `id` statements every source
        // makes) and its caption values, first stated first.
        let mut found = LabelRows::new();
        // One prepared statement, asked once per id (a single query with an
        // IN list would be compiled again for every length of list), over
        // migration 5's index. Its list of properties, word for word, so
        // SQLite sees that the partial index covers the query.
        let props = std::iter::once(dossier_model::statement::ID_PROP)
            .chain(CAPTION_PROPS)
            .map(|p| format!("'{p}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT schema, prop, value, min(seq) AS first \
             FROM statement INDEXED BY statement_label \
             WHERE canonical_id = ?1 AND retracted_at IS NULL AND prop IN ({props}) {} \
             GROUP BY schema, prop, value ORDER BY first",
            self.scope("")
        ))?;
        for id in ids {
            if found.contains_key(id) {
                continue;
            }
            let rows = stmt.query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (schema, prop, value) = row?;
                label_row(&mut found, id, &schema, prop, value);
            }
        }
        let redacted = self.redacted()?;
        let mut labels = labels_from(ids, &found);
        if !redacted.is_empty() {
            for l in &mut labels {
                l.caption = redacted.scrub(&l.caption);
            }
        }
        Ok(labels)
    }

    fn each_entity(
        &self,
        schemata: &[&str],
        f: &mut dyn FnMut(Entity) -> Result<()>,
    ) -> Result<()> {
        // Only the statements of entities of the wanted schemata (or their
        // descendants), in the order of the entity index.
        let wanted: Vec<&str> = Schema::all()
            .iter()
            .filter(|s| schemata.iter().any(|r| s.is_a(r)))
            .map(|s| s.name)
            .collect();
        let scope = self.scope("");
        let sql = if schemata.is_empty() {
            format!("SELECT {COLUMNS} FROM statement WHERE retracted_at IS NULL {scope} ORDER BY canonical_id, seq")
        } else {
            let list = wanted
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "SELECT {COLUMNS} FROM statement INDEXED BY statement_entity \
                 WHERE retracted_at IS NULL AND canonical_id IN (SELECT id FROM entity WHERE schema IN ({list})) {scope} \
                 ORDER BY canonical_id, seq"
            )
        };
        let merged = self.merged()?;
        let redacted = self.redacted()?;
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let statements = std::iter::from_fn(|| match rows.next() {
            Ok(Some(row)) => Some(read_statement(row).map_err(StoreError::from)),
            Ok(None) => None,
            Err(e) => Some(Err(e.into())),
        });
        crate::record::each_grouped(statements, schemata, &merged, &redacted, f)
    }

    fn referencing(&self, id: &str) -> Result<Vec<Entity>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT DISTINCT canonical_id FROM statement \
             WHERE value = ?1 AND prop_type = 'entity' AND retracted_at IS NULL {} ORDER BY canonical_id",
            self.scope("")
        ))?;
        // References to it, and to the entities merged into it.
        let merged = self.merged()?;
        let mut ids: Vec<String> = Vec::new();
        for target in std::iter::once(id).chain(
            merged
                .from
                .get(id)
                .into_iter()
                .flatten()
                .map(String::as_str),
        ) {
            for row in stmt.query_map([target], |r| r.get::<_, String>(0))? {
                ids.push(row?);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        self.current_of(&ids)
    }

    fn history(&self, entity_id: &str) -> Result<Vec<Statement>> {
        self.query_statements(
            // Two indexed lookups: an OR across two columns made SQLite walk the log.
            &format!(
                "SELECT {COLUMNS} FROM statement WHERE seq IN \
                 (SELECT seq FROM statement WHERE entity_id = ?1 \
                  UNION SELECT seq FROM statement WHERE canonical_id = ?1) {} ORDER BY seq",
                self.scope("")
            ),
            [entity_id],
        )
    }

    fn each_statement(&self, f: &mut dyn FnMut(Statement) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM statement WHERE 1 = 1 {} ORDER BY seq",
            self.scope("")
        ))?;
        let redacted = self.redacted()?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let mut st = read_statement(row)?;
            redacted.apply_statement(&mut st);
            f(st)?;
        }
        Ok(())
    }

    fn names(&self) -> Result<Vec<NameRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT s.canonical_id, e.schema, s.prop, s.value FROM statement s \
             JOIN entity e ON e.id = s.canonical_id \
             WHERE s.prop_type = 'name' AND s.retracted_at IS NULL \
             AND s.prop IN ('name', 'alias', 'abbreviation', 'previousName', 'weakAlias') {}",
            self.scope("s.")
        ))?;
        let redacted = self.redacted()?;
        let rows = stmt.query_map([], |r| {
            Ok(NameRecord {
                entity_id: r.get(0)?,
                schema: r.get(1)?,
                prop: r.get(2)?,
                value: r.get(3)?,
            })
        })?;
        let mut all: Vec<NameRecord> = rows.collect::<rusqlite::Result<_>>()?;
        if !redacted.is_empty() {
            for n in &mut all {
                n.value = redacted.scrub(&n.value);
            }
        }
        Ok(all
            .into_iter()
            .filter(|n| Schema::get(&n.schema).is_some_and(|s| s.is_a("LegalEntity")))
            .collect())
    }

    fn amend(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        self.each_batch(batches, prov, amend_one, false)
    }

    fn edit(&mut self, edit: &crate::Edit, prov: &Provenance) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = self.hidden.borrow().clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let report = crate::record::edit_one(&mut SqlTx(&tx), edit, prov, &out_of_reach)?;
        tx.commit()?;
        Ok(report)
    }

    fn redact(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut t = SqlTx(&tx);
        if t.schema_of(entity)?.is_none() {
            return Err(StoreError::UnknownEntity(entity.to_string()));
        }
        // Its names, and those of the records merged into it.
        let mut rows = t.rows(entity)?;
        let members: Vec<String> = {
            let mut stmt =
                tx.prepare_cached("SELECT entity_id FROM resolution WHERE canonical_id = ?1")?;
            let ids = stmt.query_map([entity], |r| r.get(0))?;
            ids.collect::<rusqlite::Result<_>>()?
        };
        for m in &members {
            rows.extend(t.rows(m)?);
        }
        let names = crate::record::names_to_blank(&rows).join("\n");
        for id in std::iter::once(entity).chain(members.iter().map(String::as_str)) {
            tx.execute(
                "INSERT OR REPLACE INTO redaction (entity_id, names, reason, user, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, names, reason, prov.user, prov.now],
            )?;
        }
        tx.execute(SHAPE_CHANGED, [])?;
        tx.commit()?;
        self.redacted.replace(None);
        Ok(())
    }

    fn unredact(&mut self, entity: &str) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "DELETE FROM redaction WHERE entity_id = ?1 \
             OR entity_id IN (SELECT entity_id FROM resolution WHERE canonical_id = ?1)",
            [entity],
        )?;
        tx.execute(SHAPE_CHANGED, [])?;
        tx.commit()?;
        self.redacted.replace(None);
        Ok(n > 0)
    }

    fn redactions(&self) -> Result<Vec<crate::Redaction>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT entity_id, names, reason, user, at FROM redaction ORDER BY entity_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(crate::Redaction {
                entity: r.get(0)?,
                names: crate::record::redacted_names(&r.get::<_, String>(1)?),
                reason: r.get(2)?,
                user: r.get(3)?,
                at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn delete(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = self.hidden.borrow().clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let report =
            crate::record::delete_one(&mut SqlTx(&tx), entity, reason, prov, &out_of_reach)?;
        tx.commit()?;
        Ok(report)
    }

    fn revert(
        &mut self,
        entity: &str,
        at: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = self.hidden.borrow().clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let report =
            crate::record::revert_one(&mut SqlTx(&tx), entity, at, reason, prov, &out_of_reach)?;
        tx.commit()?;
        Ok(report)
    }

    fn archive(
        &mut self,
        copies: &[NewCopy],
        documents: &[Batch],
        prov: &Provenance,
    ) -> Result<ArchiveReport> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut report = ArchiveReport::default();
        // Each document's dataset, from what the store knew before.
        let private: Vec<String> = {
            let mut stmt = tx.prepare_cached("SELECT name FROM collection WHERE private = 1")?;
            let names = stmt.query_map([], |r| r.get(0))?;
            names.collect::<rusqlite::Result<_>>()?
        };
        let mut datasets: HashMap<String, String> = HashMap::new();
        for id in documents
            .iter()
            .map(|b| &b.source)
            .chain(copies.iter().map(|c| &c.info.document))
        {
            if !datasets.contains_key(id) {
                let rows = SqlTx(&tx).rows(id)?;
                let d =
                    crate::record::copy_dataset(&rows, &private, ARCHIVE_DATASET, &prov.dataset);
                datasets.insert(id.clone(), d);
            }
        }
        for batch in documents {
            let prov = Provenance {
                source: batch.source.clone(),
                dataset: datasets[&batch.source].clone(),
                ..prov.clone()
            };
            let r = amend_one(&mut SqlTx(&tx), batch, &prov)?;
            report.statements += r.inserted + r.retracted;
        }
        for c in copies {
            let i = &c.info;
            let dataset = &datasets[&i.document];
            tx.prepare_cached(
                "INSERT OR IGNORE INTO blob (sha256, size, media_type, content, text) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![i.sha256, c.content.len() as i64, i.media_type, c.content, c.text])?;
            register_entity(&mut SqlTx(&tx), &i.document, "Document")?;
            let n = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO archived_copy (document, sha256, url, retrieved, title, record_id, archived_at, user, dataset) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![i.document, i.sha256, i.url, i.retrieved, i.title, i.record_id, i.archived_at, i.user, dataset])?;
            if n == 1 {
                report.added += 1;
            } else {
                report.known += 1;
            }
        }
        tx.commit()?;
        Ok(report)
    }

    fn copies(&self, document: Option<&str>) -> Result<Vec<ArchivedCopy>> {
        // Two statements: `?1 IS NULL OR document = ?1` would scan every copy.
        let order = "ORDER BY c.retrieved DESC, c.sha256";
        let from = "FROM archived_copy c JOIN blob b ON b.sha256 = c.sha256";
        let scope = crate::record::scope_sql(&self.hidden.borrow(), "c.");
        let rows = match document {
            Some(d) => {
                let sql =
                    format!("SELECT {COPY_COLUMNS} {from} WHERE c.document = ?1 {scope} {order}");
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let rows = stmt.query_map([d], read_copy)?;
                rows.collect::<rusqlite::Result<_>>()?
            }
            None => {
                let sql = format!("SELECT {COPY_COLUMNS} {from} WHERE 1 = 1 {scope} {order}");
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let rows = stmt.query_map([], read_copy)?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        Ok(rows)
    }

    fn copy_text(&self, sha256: &str) -> Result<Option<String>> {
        let sql = format!("SELECT b.text {}", self.visible_blob());
        let text: Option<String> = self
            .conn
            .prepare_cached(&sql)?
            .query_row([sha256], |r| r.get(0))
            .optional()?;
        let redacted = self.redacted()?;
        Ok(text.map(|t| redacted.scrub(&t)))
    }

    fn copy_content(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let sql = format!("SELECT b.content {}", self.visible_blob());
        let bytes: Option<Vec<u8>> = self
            .conn
            .prepare_cached(&sql)?
            .query_row([sha256], |r| r.get(0))
            .optional()?;
        let redacted = self.redacted()?;
        Ok(bytes.map(|b| redacted.scrub_bytes(b)))
    }

    fn resolve(&mut self, assignments: &[(String, String)], prov: &Provenance) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = resolve_all(&mut SqlTx(&tx), assignments, prov)?;
        tx.commit()?;
        self.merged.replace(None);
        Ok(changed)
    }

    fn canonical_of(&self, id: &str) -> Result<Option<String>> {
        Ok(self.merged()?.to.get(id).cloned())
    }

    fn merged_into(&self, canonical: &str) -> Result<Vec<String>> {
        Ok(self
            .merged()?
            .from
            .get(canonical)
            .cloned()
            .unwrap_or_default())
    }

    fn merges(&self) -> Result<Vec<(String, String)>> {
        Ok(self.merged()?.pairs())
    }

    fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn begin_read(&self) -> Result<bool> {
        if !self.conn.is_autocommit() {
            return Ok(false);
        }
        self.conn.execute_batch("BEGIN")?;
        // Reading the version begins the read transaction: from here on
        // no other connection's commit is seen, and the version is this.
        match self.ask_data_version() {
            Ok(v) => {
                self.snapshot.set(Some(v));
                Ok(true)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e.into())
            }
        }
    }

    fn end_read(&self) -> Result<()> {
        self.snapshot.set(None);
        if self.conn.is_autocommit() {
            return Ok(());
        }
        // Nothing was written: a rollback ends the snapshot as a commit
        // would, and cannot fail for want of a write lock.
        Ok(self.conn.execute_batch("ROLLBACK")?)
    }

    fn set_hidden(&self, datasets: &[String]) {
        *self.hidden.borrow_mut() = datasets.to_vec();
    }

    fn hidden(&self) -> Vec<String> {
        self.hidden.borrow().clone()
    }

    fn version(&self) -> Result<i64> {
        Ok(self.mark()?.version)
    }

    fn mark(&self) -> Result<crate::Mark> {
        // Rows are only ever added or retracted (in place, once), and every
        // merge or split is logged, so the newest row's number plus the
        // retractions plus the merges (plus the shape) grows with every change.
        let (seq, retracted, resolutions, merges, shape): (i64, i64, i64, i64, i64) =
            self.conn.prepare_cached(
                "SELECT coalesce(max(seq), 0), \
                 (SELECT count(*) FROM statement WHERE retracted_at IS NOT NULL), \
                 (SELECT coalesce(max(seq), 0) FROM resolution_log), \
                 (SELECT count(*) FROM resolution_log), \
                 (SELECT coalesce(max(value), 0) FROM counter WHERE name = 'access') FROM statement",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        Ok(crate::Mark {
            version: seq + retracted + merges + shape,
            seq,
            resolutions,
            shape,
        })
    }

    fn changed_since(&self, mark: &crate::Mark, limit: usize) -> Result<crate::Changes> {
        let now = self.mark()?;
        crate::record::changes(mark, &now, limit, |sql, from, most| {
            let mut stmt = self.conn.prepare_cached(&sql.replace('$', "?"))?;
            let ids = stmt.query_map(params![from, most], |r| r.get(0))?;
            Ok(ids.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn pointing_at(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<String>> {
        let list: Vec<String> = schemata
            .iter()
            .map(|s| format!("'{}'", s.replace('\'', "''")))
            .collect();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT DISTINCT canonical_id FROM statement \
             WHERE value = ?1 AND prop_type = 'entity' AND retracted_at IS NULL \
             AND schema IN ({}) {}",
            list.join(", "),
            self.scope("")
        ))?;
        let merged = self.merged()?;
        let mut out = std::collections::BTreeSet::new();
        for id in ids {
            let members = merged.from.get(id.as_str()).into_iter().flatten();
            for target in std::iter::once(id).chain(members) {
                for row in stmt.query_map([target], |r| r.get::<_, String>(0))? {
                    out.insert(row?);
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    fn stats(&self) -> Result<Stats> {
        let c = &self.conn;
        let (scope, s_scope) = (self.scope(""), self.scope("s."));
        let statements: u64 = c.query_row(
            &format!("SELECT count(*) FROM statement WHERE 1 = 1 {scope}"),
            [],
            |r| r.get(0),
        )?;
        let current_statements: u64 = c.query_row(
            &format!("SELECT count(*) FROM statement WHERE retracted_at IS NULL {scope}"),
            [],
            |r| r.get(0),
        )?;
        let sources: u64 = c.query_row(
            &format!(
                "SELECT count(DISTINCT source) FROM statement WHERE retracted_at IS NULL {scope}"
            ),
            [],
            |r| r.get(0),
        )?;
        let mut stmt = c.prepare(&format!(
            "SELECT e.schema, count(*) FROM entity e \
             WHERE EXISTS (SELECT 1 FROM statement s INDEXED BY statement_entity WHERE s.canonical_id = e.id AND s.retracted_at IS NULL {s_scope}) \
             GROUP BY e.schema ORDER BY e.schema"
        ))?;
        let entities_by_schema = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = c.prepare(&format!(
            "SELECT DISTINCT dataset FROM statement WHERE 1 = 1 {scope} ORDER BY dataset"
        ))?;
        let datasets = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Stats {
            statements,
            current_statements,
            entities_by_schema,
            sources,
            datasets,
        })
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

impl Accounts for SqliteStore {
    fn add_account(&mut self, account: &Account, password_hash: &str) -> Result<()> {
        let n = self.conn.execute(
            "INSERT OR IGNORE INTO account (name, password, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![account.name, password_hash, account.role.as_str(), account.created_at],
        )?;
        if n == 0 {
            return Err(StoreError::AccountExists(account.name.clone()));
        }
        Ok(())
    }
    fn account(&self, name: &str) -> Result<Option<(Account, String)>> {
        let row = self
            .conn
            .prepare_cached("SELECT name, role, created_at, password FROM account WHERE name = ?1")?
            .query_row([name], |r| Ok((read_account(r)?, r.get::<_, String>(3)?)))
            .optional()?;
        row.map(|(a, hash)| Ok((account_of(a)?, hash))).transpose()
    }
    fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, role, created_at FROM account ORDER BY name")?;
        let rows = stmt.query_map([], read_account)?;
        rows.map(|r| account_of(r?)).collect()
    }
    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE account SET password = ?2 WHERE name = ?1",
            params![name, password_hash],
        )?;
        if n == 0 {
            return Err(StoreError::UnknownAccount(name.to_string()));
        }
        Ok(())
    }
    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        let n = self.conn.execute(
            "UPDATE account SET role = ?2 WHERE name = ?1",
            params![name, role.as_str()],
        )?;
        if n == 0 {
            return Err(StoreError::UnknownAccount(name.to_string()));
        }
        // An admin reads every collection: who may read what changed.
        self.bump_access()
    }
    fn add_session(
        &mut self,
        token_hash: &str,
        account: &str,
        csrf: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO session (token_hash, account, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, account, csrf, now, expires_at],
        )?;
        Ok(())
    }
    fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT a.name, a.role, a.created_at, s.csrf, s.expires_at FROM session s \
                 JOIN account a ON a.name = s.account WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            )?
            .query_row([token_hash, now], |r| {
                Ok((read_account(r)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?))
            })
            .optional()?;
        row.map(|(a, csrf, expires_at)| {
            Ok(Session {
                account: account_of(a)?,
                csrf,
                expires_at,
            })
        })
        .transpose()
    }
    fn end_session(&mut self, token_hash: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM session WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }
    fn end_sessions_of(&mut self, account: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM session WHERE account = ?1", [account])?;
        Ok(())
    }
    fn end_expired_sessions(&mut self, now: &str) -> Result<usize> {
        Ok(self
            .conn
            .execute("DELETE FROM session WHERE expires_at <= ?1", [now])?)
    }
    fn add_token(
        &mut self,
        token_hash: &str,
        account: &str,
        label: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO api_token (token_hash, account, label, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, account, label, now, expires_at],
        )?;
        Ok(())
    }
    fn token(&self, token_hash: &str, now: &str) -> Result<Option<Account>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT a.name, a.role, a.created_at FROM api_token t \
                 JOIN account a ON a.name = t.account WHERE t.token_hash = ?1 AND t.expires_at > ?2",
            )?
            .query_row([token_hash, now], read_account)
            .optional()?;
        row.map(account_of).transpose()
    }
    fn end_tokens_of(&mut self, account: &str, label: Option<&str>) -> Result<usize> {
        let n = self.conn.execute(
            "DELETE FROM api_token WHERE account = ?1 AND (?2 IS NULL OR label = ?2)",
            params![account, label],
        )?;
        if n > 0 {
            // Servers forget the readers they worked out from these tokens.
            self.bump_access()?;
        }
        Ok(n)
    }
    fn delete_account(&mut self, name: &str) -> Result<bool> {
        let tx = self.conn.transaction()?;
        for sql in [
            "DELETE FROM session WHERE account = ?1",
            "DELETE FROM api_token WHERE account = ?1",
            "DELETE FROM collection_member WHERE account = ?1",
        ] {
            tx.execute(sql, [name])?;
        }
        let n = tx.execute("DELETE FROM account WHERE name = ?1", [name])?;
        // A member no more: who may read what changed.
        tx.execute(SHAPE_CHANGED, [])?;
        tx.commit()?;
        Ok(n > 0)
    }
    fn set_collection(&mut self, name: &str, private: bool) -> Result<()> {
        self.bump_access()?;
        self.conn.execute(
            "INSERT INTO collection (name, private) VALUES (?1, ?2) \
             ON CONFLICT (name) DO UPDATE SET private = excluded.private",
            params![name, private],
        )?;
        Ok(())
    }
    fn set_member(
        &mut self,
        collection: &str,
        account: &str,
        can_edit: Option<bool>,
    ) -> Result<()> {
        if self.account(account)?.is_none() {
            return Err(StoreError::UnknownAccount(account.to_string()));
        }
        let known: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM collection WHERE name = ?1)",
            [collection],
            |r| r.get(0),
        )?;
        if !known {
            return Err(StoreError::UnknownCollection(collection.to_string()));
        }
        self.bump_access()?;
        match can_edit {
            Some(edit) => self.conn.execute(
                "INSERT INTO collection_member (collection, account, can_edit) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (collection, account) DO UPDATE SET can_edit = excluded.can_edit",
                params![collection, account, edit],
            )?,
            None => self.conn.execute(
                "DELETE FROM collection_member WHERE collection = ?1 AND account = ?2",
                [collection, account],
            )?,
        };
        Ok(())
    }
    fn collections(&self) -> Result<Vec<Collection>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.name, c.private, m.account, m.can_edit FROM collection c \
             LEFT JOIN collection_member m ON m.collection = c.name ORDER BY c.name, m.account",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<bool>>(3)?,
            ))
        })?;
        let mut out: Vec<Collection> = Vec::new();
        for row in rows {
            let (name, private, member, can_edit) = row?;
            if out.last().is_none_or(|c| c.name != name) {
                out.push(Collection {
                    name,
                    private,
                    members: Vec::new(),
                });
            }
            if let (Some(m), Some(e), Some(c)) = (member, can_edit, out.last_mut()) {
                c.members.push((m, e));
            }
        }
        Ok(out)
    }
}
