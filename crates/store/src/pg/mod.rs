//! The team backend: PostgreSQL, for several editors and several servers
//! on one database. The same rules as SQLite (`record`), its own SQL and
//! migrations (`migrations/postgres/`, tracked in `dossier_migration`).
//!
//! Every write transaction first adds one to `store_version`: that takes
//! the row's lock, so writes from several servers come one at a time (as
//! SQLite's immediate transactions do), and it is the store's version. On
//! commit PostgreSQL tells listeners on the channel `dossier_store`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use dossier_model::{Batch, Entity, Provenance, Schema, Statement};
use postgres::{Client, NoTls, Row, Transaction};

use crate::record::{
    amend_one, apply_one, entity_from_rows, label_row, labels_from, prop_type, redaction_sql,
    register_entity, resolve_all, LabelRows, Loader, Merged, Redacted, Tx,
};
use crate::{
    Account, Accounts, ApplyReport, ArchiveReport, ArchivedCopy, Chunks, Collection, Follow,
    NameRecord, NewCopy, Read, Result, Role, Scope, Session, Stats, Store, StoreError, Write,
};

/// Migrations, in order; the n-th brings the database to version n.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/postgres/0001_store.sql"),
    include_str!("../../migrations/postgres/0002_accounts.sql"),
    include_str!("../../migrations/postgres/0003_redaction.sql"),
    include_str!("../../migrations/postgres/0004_follow.sql"),
    include_str!("../../migrations/postgres/0005_copy_dataset.sql"),
    include_str!("../../migrations/postgres/0006_token_expiry.sql"),
    include_str!("../../migrations/postgres/0007_audit.sql"),
    include_str!("../../migrations/postgres/0008_tally.sql"),
    include_str!("../../migrations/postgres/0009_tally_by_statement.sql"),
    include_str!("../../migrations/postgres/0010_resolutions_counted.sql"),
    include_str!("../../migrations/postgres/0011_label_index.sql"),
    include_str!("../../migrations/postgres/0012_retracted_by_dataset.sql"),
];

/// Folds what the triggers of migration 8 noted in this write into the
/// counts `stats` reads: by dataset and source, each entity's current
/// statements, and the entities by schema that come to have one or have
/// none left (read before and after the entities' counts change: the
/// statements of one `WITH` all see the rows as they were).
const FOLD: &str = "WITH p AS (DELETE FROM tally_pending RETURNING *), \
     s AS (INSERT INTO tally_source AS t (dataset, source, statements, current) \
           SELECT dataset, source, sum(statements), sum(current) FROM p GROUP BY dataset, source \
           ON CONFLICT (dataset, source) DO UPDATE \
           SET statements = t.statements + EXCLUDED.statements, current = t.current + EXCLUDED.current), \
     d AS (SELECT entity AS id, sum(current) AS n FROM p GROUP BY entity HAVING sum(current) <> 0), \
     was AS (SELECT e.schema, e.current FROM entity e JOIN d ON d.id = e.id), \
     now AS (UPDATE entity e SET current = e.current + d.n FROM d WHERE e.id = d.id \
             RETURNING e.schema, e.current) \
     INSERT INTO tally_schema AS t (schema, entities) \
     SELECT schema, sum(n) FROM ( \
         SELECT schema, -count(*) AS n FROM was WHERE current > 0 GROUP BY schema \
         UNION ALL SELECT schema, count(*) FROM now WHERE current > 0 GROUP BY schema) x \
     GROUP BY schema \
     ON CONFLICT (schema) DO UPDATE SET entities = t.entities + EXCLUDED.entities";

/// The channel a write announces itself on.
pub const CHANNEL: &str = "dossier_store";

const COLUMNS: &str =
    "seq, id, entity_id, canonical_id, schema, prop, value, original_value, lang, \
     dataset, origin, external, source, \"user\", first_seen, last_seen, retracted_at, retraction";

/// Statements read at a time when going over the whole log.
const PAGE: i64 = 10_000;

/// The PostgreSQL store.
pub struct PgStore {
    client: RefCell<Client>,
    /// The scope reads run under now (set by a `Reader` for each read).
    scope: RefCell<Scope>,
    /// The redactions, read again after a second (another server's
    /// redaction shows within it) or after this store's own.
    redacted: RefCell<Option<(std::time::Instant, Arc<Redacted>)>>,
    /// Reads prepared once a connection, by their SQL: a statement given
    /// as text is parsed and described by the server on every call, a
    /// round trip more than running one already prepared.
    prepared: RefCell<HashMap<String, postgres::Statement>>,
    /// A read snapshot is open (`Store::begin_read`): begun on the
    /// database with the first read in it (`begun`).
    snapshot: Cell<bool>,
    /// The merges with the count of changes to `resolution` they were
    /// read at, kept from snapshot to snapshot while it holds
    /// (`PgStore::merged_now`).
    merged_at: RefCell<Option<(i64, Arc<Merged>)>>,
    /// `BEGIN` was sent for the open snapshot. A page rendered from what
    /// the server keeps reads nothing, and then costs the database nothing
    /// (it was two round trips, `BEGIN` and `ROLLBACK`, for no read).
    begun: Cell<bool>,
    /// The store's version as the open read snapshot sees it, once asked:
    /// it cannot move while the snapshot is open, so a page that asks
    /// again (each read kept between requests checks it) makes no round
    /// trip more.
    snapshot_version: Cell<Option<i64>>,
    /// How many times `resolution` has changed, as the open snapshot sees
    /// it (learnt with its version, migration 10): the merges kept are
    /// read again only when it moved.
    snapshot_resolutions: Cell<Option<i64>>,
}

/// At most this many prepared reads a connection; the cache is emptied
/// when full (their text varies only with the hidden datasets and the
/// redactions, so few are made).
const PREPARED: usize = 256;

/// The ids in `$1` and those of the entities merged into them, as one
/// array: `value = ANY(…)` of it is a lookup in the reference index, where
/// `value = ANY($1) OR value IN (…)` had a generic plan walk the index whole.
const VALUES_AND_MERGED: &str =
    "array_cat($1::text[], ARRAY(SELECT entity_id FROM resolution WHERE canonical_id = ANY($1)))";

fn read_statement(row: &Row) -> Result<Statement> {
    Ok(Statement {
        seq: row.try_get(0)?,
        id: row.try_get(1)?,
        entity_id: row.try_get(2)?,
        canonical_id: row.try_get(3)?,
        schema: row.try_get(4)?,
        prop: row.try_get(5)?,
        value: row.try_get(6)?,
        original_value: row.try_get(7)?,
        lang: row.try_get(8)?,
        dataset: row.try_get(9)?,
        origin: row.try_get(10)?,
        external: row.try_get(11)?,
        source: row.try_get(12)?,
        user: row.try_get(13)?,
        first_seen: row.try_get(14)?,
        last_seen: row.try_get(15)?,
        retracted_at: row.try_get(16)?,
        retraction: row.try_get(17)?,
    })
}

fn read_copy(r: &Row) -> Result<ArchivedCopy> {
    Ok(ArchivedCopy {
        document: r.try_get(0)?,
        sha256: r.try_get(1)?,
        url: r.try_get(2)?,
        retrieved: r.try_get(3)?,
        title: r.try_get(4)?,
        record_id: r.try_get(5)?,
        archived_at: r.try_get(6)?,
        user: r.try_get(7)?,
        media_type: r.try_get(8)?,
        size: r.try_get(9)?,
        dataset: r.try_get(10)?,
    })
}

/// The PostgreSQL side of a write transaction, for `record`'s rules,
/// each statement prepared once a transaction: run by its text each
/// time, it was parsed and planned again, in a round trip of its own.
struct PgTx<'a, 'b>(
    &'a mut Transaction<'b>,
    HashMap<String, postgres::Statement>,
);

impl<'a, 'b> PgTx<'a, 'b> {
    fn new(tx: &'a mut Transaction<'b>) -> Self {
        PgTx(tx, HashMap::new())
    }

    fn prepared(&mut self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.1.get(sql) {
            return Ok(s.clone());
        }
        let s = self.0.prepare(sql)?;
        self.1.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn execute(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<u64> {
        let s = self.prepared(sql)?;
        Ok(self.0.execute(&s, params)?)
    }

    fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let s = self.prepared(sql)?;
        Ok(self.0.query(&s, params)?)
    }

    fn query_opt(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Option<Row>> {
        let s = self.prepared(sql)?;
        Ok(self.0.query_opt(&s, params)?)
    }
}

fn ids_and_seqs(rows: Vec<Row>) -> Result<HashMap<String, i64>> {
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`)
    /// and migrates it.
    pub fn open(url: &str) -> Result<Self> {
        let client = Client::connect(url, NoTls)?;
        Self::setup(client)
    }

    /// Connects with a configuration already parsed.
    pub fn connect(config: &postgres::Config) -> Result<Self> {
        Self::setup(config.connect(NoTls)?)
    }

    fn setup(mut client: Client) -> Result<Self> {
        // Every statement is prepared once a connection and run many
        // times with ids for parameters, which a generic plan serves as
        // well as a custom one. Left to choose, PostgreSQL plans each run
        // again for a while (and again whenever a custom plan looks
        // cheaper): under load that planning was 40% of the server's time.
        client.batch_execute("SET plan_cache_mode = force_generic_plan")?;
        let mut store = PgStore {
            client: RefCell::new(client),
            scope: RefCell::new(Scope::everything()),
            redacted: RefCell::new(None),
            prepared: RefCell::new(HashMap::new()),
            snapshot: Cell::new(false),
            begun: Cell::new(false),
            merged_at: RefCell::new(None),
            snapshot_version: Cell::new(None),
            snapshot_resolutions: Cell::new(None),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Brings the database to this program's schema. Servers starting
    /// together wait for each other (an advisory lock), so each migration
    /// runs once.
    fn migrate(&mut self) -> Result<()> {
        let supported = MIGRATIONS.len() as i64;
        let client = self.client.get_mut();
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock(726315)", &[])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS dossier_migration (version BIGINT PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )?;
        let found: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0)::bigint FROM dossier_migration",
                &[],
            )?
            .try_get(0)?;
        if found > supported {
            return Err(StoreError::TooNew { found, supported });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.batch_execute(sql)?;
            tx.execute(
                "INSERT INTO dossier_migration (version) VALUES ($1)",
                &[&(i as i64 + 1)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Runs `f` in a write transaction, holding the writers' lock (the
    /// version row) throughout. When `changed` says it changed the store,
    /// the version moves on and listeners hear of it on commit.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&mut Transaction<'_>) -> Result<T>,
        changed: impl FnOnce(&T) -> bool,
    ) -> Result<T> {
        let client = self.client.get_mut();
        let mut tx = client.transaction()?;
        tx.execute("SELECT version FROM store_version FOR UPDATE", &[])?;
        let out = f(&mut tx)?;
        tx.execute(FOLD, &[])?;
        if changed(&out) {
            tx.execute("UPDATE store_version SET version = version + 1", &[])?;
            tx.execute(
                "SELECT pg_notify($1, (SELECT version::text FROM store_version))",
                &[&CHANNEL],
            )?;
        }
        tx.commit()?;
        Ok(out)
    }

    fn each_batch(
        &mut self,
        batches: &[Batch],
        prov: &Provenance,
        record: fn(&mut dyn Tx, &Batch, &Provenance) -> Result<ApplyReport>,
    ) -> Result<Vec<ApplyReport>> {
        self.write(
            |tx| {
                let mut reports = Vec::with_capacity(batches.len());
                for batch in batches {
                    let prov = Provenance {
                        source: batch.source.clone(),
                        ..prov.clone()
                    };
                    reports.push(record(&mut PgTx::new(&mut *tx), batch, &prov)?);
                }
                Ok(reports)
            },
            |reports| reports.iter().any(|r| r.inserted + r.retracted > 0),
        )
    }

    /// `sql` prepared on this connection, from the cache when it was
    /// prepared before.
    fn prepared(&self, client: &mut Client, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.prepared.borrow().get(sql) {
            return Ok(s.clone());
        }
        let s = client.prepare(sql)?;
        let mut prepared = self.prepared.borrow_mut();
        if prepared.len() >= PREPARED {
            prepared.clear();
        }
        prepared.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    /// The connection for a read: in the open read snapshot, begun here
    /// when this is its first read.
    fn reading(&self) -> Result<std::cell::RefMut<'_, Client>> {
        let mut client = self.client.borrow_mut();
        if self.snapshot.get() && !self.begun.get() {
            // Every read of the page sees the state of its first: without
            // it, a page read across another server's commit could show a
            // membership whose member had just been merged away. Read
            // only, so a write on this connection could never hide in it.
            // The snapshot's version comes with it, in the same round trip
            // (every page that reads asks for it).
            let began = client.simple_query(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; \
                 SELECT version, resolutions FROM store_version",
            );
            let messages = match began {
                Ok(m) => m,
                Err(e) => {
                    // Whichever half failed, no transaction is left open.
                    let _ = client.batch_execute("ROLLBACK");
                    return Err(e.into());
                }
            };
            self.begun.set(true);
            let column = |i: usize| {
                messages.iter().find_map(|m| match m {
                    postgres::SimpleQueryMessage::Row(r) => r.get(i)?.parse::<i64>().ok(),
                    _ => None,
                })
            };
            self.snapshot_version.set(column(0));
            self.snapshot_resolutions.set(column(1));
        }
        Ok(client)
    }

    fn query(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let mut client = self.reading()?;
        let statement = self.prepared(&mut client, sql)?;
        Ok(client.query(&statement, params)?)
    }

    /// [`PgStore::query`] for exactly one row.
    fn query_one(&self, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<Row> {
        let mut client = self.reading()?;
        let statement = self.prepared(&mut client, sql)?;
        Ok(client.query_one(&statement, params)?)
    }

    fn strings(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<String>> {
        self.query(sql, params)?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    }

    /// The merges, in a read snapshot: read whole once a store version
    /// and kept (a first visit to a page asks what is merged into its
    /// entity, a round trip each time otherwise). `None` outside a
    /// snapshot, where reading them whole would cost more than asking.
    fn merged_now(&self) -> Result<Option<Arc<Merged>>> {
        if !self.snapshot.get() {
            return Ok(None);
        }
        // Kept while `resolution` is unchanged, not only while the version
        // holds: any write moves the version.
        drop(self.reading()?);
        let changes = match self.snapshot_resolutions.get() {
            Some(c) => c,
            None => {
                let c = self
                    .query_one("SELECT resolutions FROM store_version", &[])?
                    .try_get(0)?;
                self.snapshot_resolutions.set(Some(c));
                c
            }
        };
        if let Some((c, m)) = &*self.merged_at.borrow() {
            if *c == changes {
                return Ok(Some(m.clone()));
            }
        }
        let merged = Arc::new(self.merged()?);
        *self.merged_at.borrow_mut() = Some((changes, merged.clone()));
        Ok(Some(merged))
    }

    fn merged(&self) -> Result<Merged> {
        let rows = self.query(
            "SELECT entity_id, canonical_id FROM resolution ORDER BY entity_id",
            &[],
        )?;
        let pairs: Vec<(String, String)> = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_>>()?;
        Ok(Merged::from_pairs(pairs))
    }

    /// `FROM blob … WHERE` the blob `$1` is the bytes of a copy the reader
    /// may see: one in a dataset not hidden from them.
    fn visible_blob(&self) -> String {
        format!(
            "FROM blob b WHERE b.sha256 = $1 AND EXISTS \
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
            crate::record::statement_scope_sql(
                self.scope.borrow().hidden(),
                alias,
                crate::record::words
            )
        )
    }

    fn redacted(&self) -> Result<Arc<Redacted>> {
        if let Some((at, r)) = &*self.redacted.borrow() {
            if at.elapsed() < std::time::Duration::from_secs(1) {
                return Ok(r.clone());
            }
        }
        let rows = self.query("SELECT entity_id, names FROM redaction", &[])?;
        let pairs: Vec<(String, String)> = rows
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_>>()?;
        let r = Arc::new(Redacted::from_rows(pairs));
        *self.redacted.borrow_mut() = Some((std::time::Instant::now(), r.clone()));
        Ok(r)
    }

    /// The entities whose current statements meet `cond` (on `statement
    /// s`), by id: each distinct value once, first stated first;
    /// references to a merged entity read as references to the one it is
    /// part of. Many entities in one query: a round trip costs more than
    /// the rows.
    fn entities_where(
        &self,
        cond: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<HashMap<String, Entity>> {
        let rows = self.query(
            &format!(
                "SELECT s.canonical_id, s.schema, s.prop, coalesce(r.canonical_id, s.value) AS value, \
                 s.original_value, min(s.seq) AS first \
                 FROM statement s LEFT JOIN resolution r ON s.prop_type = 'entity' AND r.entity_id = s.value \
                 WHERE {cond} AND s.retracted_at IS NULL {} \
                 GROUP BY 1, 2, 3, 4, 5 ORDER BY first",
                self.scope("s.")
            ),
            params,
        )?;
        let mut by_id: HashMap<String, Vec<_>> = HashMap::new();
        for r in &rows {
            let id: String = r.try_get(0)?;
            let row = (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?);
            by_id.entry(id).or_default().push(row);
        }
        let redacted = self.redacted()?;
        let mut built = HashMap::new();
        for (id, rows) in by_id {
            if let Some(mut e) = entity_from_rows(&id, rows)? {
                redacted.apply(&mut e);
                built.insert(id, e);
            }
        }
        Ok(built)
    }

    /// Who may read what changed: the version moves on, and servers hear it.
    fn bump_access(&mut self) -> Result<()> {
        self.write(|tx| PgTx::new(&mut *tx).shape_changed(), |_| true)
    }
}

/// An account from a row of name, role and creation time.
fn account_of(r: &Row) -> Result<Account> {
    let role: String = r.try_get(1)?;
    let name: String = r.try_get(0)?;
    Ok(Account {
        role: Role::parse(&role).ok_or_else(|| {
            StoreError::Io(format!("account {name} has an unknown role {role:?}"))
        })?,
        name,
        created_at: r.try_get(2)?,
    })
}

impl PgStore {
    fn execute(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<u64> {
        Ok(self.client.get_mut().execute(sql, params)?)
    }
}

mod accounts;
mod read;
mod tx;
mod write;
