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
    Account, Accounts, ApplyReport, ArchiveReport, ArchivedCopy, Chunks, Collection, NameRecord,
    NewCopy, Result, Role, Session, Stats, Store, StoreError, ARCHIVE_DATASET,
};

/// Migrations, in order; the n-th brings the database to version n.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/postgres/0001_store.sql"),
    include_str!("../migrations/postgres/0002_accounts.sql"),
    include_str!("../migrations/postgres/0003_redaction.sql"),
    include_str!("../migrations/postgres/0004_follow.sql"),
    include_str!("../migrations/postgres/0005_copy_dataset.sql"),
    include_str!("../migrations/postgres/0006_token_expiry.sql"),
];

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
    /// Datasets reads leave out (`Store::set_hidden`).
    hidden: RefCell<Vec<String>>,
    /// The redactions, read again after a second (another server's
    /// redaction shows within it) or after this store's own.
    redacted: RefCell<Option<(std::time::Instant, Arc<Redacted>)>>,
    /// Reads prepared once a connection, by their SQL: a statement given
    /// as text is parsed and described by the server on every call, a
    /// round trip more than running one already prepared.
    prepared: RefCell<HashMap<String, postgres::Statement>>,
    /// A read snapshot is open (`Store::begin_read`).
    snapshot: Cell<bool>,
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

/// The PostgreSQL side of a write transaction, for `record`'s rules.
struct PgTx<'a, 'b>(&'a mut Transaction<'b>);

fn ids_and_seqs(rows: Vec<Row>) -> Result<HashMap<String, i64>> {
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

impl Tx for PgTx<'_, '_> {
    fn content_hash(&mut self, source: &str, dataset: &str) -> Result<Option<String>> {
        let row = self.0.query_opt(
            "SELECT value FROM statement WHERE entity_id = $1 AND source = $1 AND dataset = $2 \
             AND prop = 'contentHash' AND retracted_at IS NULL LIMIT 1",
            &[&source, &dataset],
        )?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
    fn by_source(&mut self, source: &str, dataset: &str) -> Result<HashMap<String, i64>> {
        ids_and_seqs(self.0.query(
            "SELECT id, seq FROM statement WHERE source = $1 AND dataset = $2 AND retracted_at IS NULL",
            &[&source, &dataset],
        )?)
    }
    fn by_prop(
        &mut self,
        entity: &str,
        prop: &str,
        source: &str,
        dataset: &str,
    ) -> Result<HashMap<String, i64>> {
        ids_and_seqs(self.0.query(
            "SELECT id, seq FROM statement WHERE entity_id = $1 AND prop = $2 AND source = $3 \
             AND dataset = $4 AND retracted_at IS NULL",
            &[&entity, &prop, &source, &dataset],
        )?)
    }
    fn schema_of(&mut self, id: &str) -> Result<Option<String>> {
        let row = self
            .0
            .query_opt("SELECT schema FROM entity WHERE id = $1", &[&id])?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
    fn insert_entity(&mut self, id: &str, schema: &str) -> Result<()> {
        self.0.execute(
            "INSERT INTO entity (id, schema) VALUES ($1, $2)",
            &[&id, &schema],
        )?;
        Ok(())
    }
    fn set_schema(&mut self, id: &str, schema: &str) -> Result<()> {
        self.0.execute(
            "UPDATE entity SET schema = $2 WHERE id = $1",
            &[&id, &schema],
        )?;
        Ok(())
    }
    fn stored_at(&mut self, seq: i64) -> Result<Option<Statement>> {
        self.0
            .query_opt(
                &format!("SELECT {COLUMNS} FROM statement WHERE seq = $1"),
                &[&seq],
            )?
            .map(|row| read_statement(&row))
            .transpose()
    }
    fn insert(&mut self, st: &Statement, keep_seq: bool) -> Result<()> {
        let seq = keep_seq.then_some(st.seq);
        let prop_type = prop_type(&st.schema, &st.prop);
        self.0.execute(
            "INSERT INTO statement (seq, id, entity_id, canonical_id, schema, prop, prop_type, value, \
             original_value, lang, dataset, origin, external, source, \"user\", first_seen, last_seen, \
             retracted_at, retraction) \
             VALUES (COALESCE($1, nextval(pg_get_serial_sequence('statement', 'seq'))), \
             $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
            &[
                &seq,
                &st.id,
                &st.entity_id,
                &st.canonical_id,
                &st.schema,
                &st.prop,
                &prop_type,
                &st.value,
                &st.original_value,
                &st.lang,
                &st.dataset,
                &st.origin,
                &st.external,
                &st.source,
                &st.user,
                &st.first_seen,
                &st.last_seen,
                &st.retracted_at,
                &st.retraction,
            ],
        )?;
        Ok(())
    }
    fn touch(&mut self, seq: i64, now: &str) -> Result<()> {
        self.0.execute(
            "UPDATE statement SET last_seen = $2 WHERE seq = $1",
            &[&seq, &now],
        )?;
        Ok(())
    }
    fn retract(&mut self, seq: i64, now: &str, reason: &str) -> Result<()> {
        self.0.execute(
            "UPDATE statement SET retracted_at = $2, retraction = $3, \
             retracted_seq = (SELECT max(seq) FROM statement) WHERE seq = $1",
            &[&seq, &now, &reason],
        )?;
        Ok(())
    }
    fn shape_changed(&mut self) -> Result<()> {
        self.0
            .execute("UPDATE store_version SET shape = shape + 1", &[])?;
        Ok(())
    }
    fn canonical(&mut self, id: &str) -> Result<Option<String>> {
        let row = self.0.query_opt(
            "SELECT canonical_id FROM resolution WHERE entity_id = $1",
            &[&id],
        )?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
    fn set_canonical(&mut self, id: &str, canonical: Option<&str>) -> Result<()> {
        match canonical {
            Some(c) => self.0.execute(
                "INSERT INTO resolution (entity_id, canonical_id) VALUES ($1, $2) \
                 ON CONFLICT (entity_id) DO UPDATE SET canonical_id = EXCLUDED.canonical_id",
                &[&id, &c],
            )?,
            None => self
                .0
                .execute("DELETE FROM resolution WHERE entity_id = $1", &[&id])?,
        };
        Ok(())
    }
    fn rewrite_canonical(&mut self, id: &str, canonical: &str) -> Result<()> {
        self.0.execute(
            "UPDATE statement SET canonical_id = $2 WHERE entity_id = $1",
            &[&id, &canonical],
        )?;
        Ok(())
    }
    fn log_resolution(
        &mut self,
        id: &str,
        previous: &str,
        canonical: &str,
        prov: &Provenance,
    ) -> Result<()> {
        self.0.execute(
            "INSERT INTO resolution_log (entity_id, previous, canonical_id, \"user\", at) \
             VALUES ($1, $2, $3, $4, $5)",
            &[&id, &previous, &canonical, &prov.user, &prov.now],
        )?;
        Ok(())
    }
    fn schemata_of_canonical(&mut self, id: &str) -> Result<Vec<String>> {
        self.0
            .query(
                "SELECT DISTINCT schema FROM statement WHERE canonical_id = $1",
                &[&id],
            )?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    }
    fn current_seq(&mut self, id: &str, source: &str) -> Result<Option<i64>> {
        let row = self.0.query_opt(
            "SELECT seq FROM statement WHERE id = $1 AND source = $2 AND retracted_at IS NULL",
            &[&id, &source],
        )?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
    fn rows(&mut self, entity: &str) -> Result<Vec<Statement>> {
        self.0
            .query(
                &format!("SELECT {COLUMNS} FROM statement WHERE entity_id = $1 ORDER BY seq"),
                &[&entity],
            )?
            .iter()
            .map(read_statement)
            .collect()
    }
    fn chain(&mut self) -> Result<Option<(String, String)>> {
        let row = self.0.query_opt(
            "SELECT c.entity_id, c.canonical_id FROM resolution r \
             JOIN resolution c ON c.entity_id = r.canonical_id LIMIT 1",
            &[],
        )?;
        row.map(|r| -> Result<(String, String)> { Ok((r.try_get(0)?, r.try_get(1)?)) })
            .transpose()
    }
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
            hidden: RefCell::new(Vec::new()),
            redacted: RefCell::new(None),
            prepared: RefCell::new(HashMap::new()),
            snapshot: Cell::new(false),
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
                    reports.push(record(&mut PgTx(&mut *tx), batch, &prov)?);
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

    fn query(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let mut client = self.client.borrow_mut();
        let statement = self.prepared(&mut client, sql)?;
        Ok(client.query(&statement, params)?)
    }

    /// [`PgStore::query`] for exactly one row.
    fn query_one(&self, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<Row> {
        let mut client = self.client.borrow_mut();
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
        self.write(|tx| PgTx(&mut *tx).shape_changed(), |_| true)
    }
}

impl Store for PgStore {
    fn apply(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        self.each_batch(batches, prov, apply_one)
    }

    fn load(&mut self, statements: &[Statement]) -> Result<usize> {
        self.load_chunks(&mut std::iter::once(Ok(statements.to_vec())))
    }

    fn load_chunks(&mut self, chunks: &mut Chunks<'_>) -> Result<usize> {
        self.write(
            |tx| {
                // After the write lock `write` takes: no other write comes between.
                let empty: bool = tx
                    .query_one("SELECT NOT EXISTS (SELECT 1 FROM statement)", &[])?
                    .get(0);
                let mut loader = Loader::new(empty);
                for chunk in chunks {
                    loader.chunk(&mut PgTx(&mut *tx), &chunk.map_err(StoreError::Io)?)?;
                }
                let n = loader.finish(&mut PgTx(&mut *tx))?;
                // Numbers given by the log: new statements continue after them.
                tx.execute(
                    "SELECT setval(pg_get_serial_sequence('statement', 'seq'), \
                     greatest((SELECT coalesce(max(seq), 0) FROM statement), 1))",
                    &[],
                )?;
                Ok(n)
            },
            |n| *n > 0,
        )
    }

    fn entity(&self, id: &str) -> Result<Option<Entity>> {
        Ok(self
            .entities_where("s.canonical_id = $1", &[&id])?
            .remove(id))
    }

    fn entities_of(&self, ids: &[String]) -> Result<Vec<Entity>> {
        let built = self.entities_where("s.canonical_id = ANY($1)", &[&ids])?;
        Ok(ids.iter().filter_map(|id| built.get(id).cloned()).collect())
    }

    fn labels(&self, ids: &[String]) -> Result<Vec<crate::Label>> {
        let props: Vec<&str> = std::iter::once(dossier_model::statement::ID_PROP)
            .chain(dossier_model::entity::CAPTION_PROPS)
            .collect();
        let rows = self.query(
            &format!(
                "SELECT canonical_id, schema, prop, value, min(seq) AS first FROM statement \
                 WHERE canonical_id = ANY($1) AND retracted_at IS NULL AND prop = ANY($2) {} \
                 GROUP BY 1, 2, 3, 4 ORDER BY first",
                self.scope("")
            ),
            &[&ids, &props],
        )?;
        let mut found = LabelRows::new();
        for r in &rows {
            let id: String = r.try_get(0)?;
            let schema: String = r.try_get(1)?;
            label_row(&mut found, &id, &schema, r.try_get(2)?, r.try_get(3)?);
        }
        let redacted = self.redacted()?;
        let mut labels = labels_from(ids, &found);
        for l in &mut labels {
            l.caption = redacted.scrub(&l.caption);
        }
        Ok(labels)
    }

    fn each_entity(
        &self,
        schemata: &[&str],
        f: &mut dyn FnMut(Entity) -> Result<()>,
    ) -> Result<()> {
        let wanted: Vec<&str> = Schema::all()
            .iter()
            .filter(|s| schemata.iter().any(|r| s.is_a(r)))
            .map(|s| s.name)
            .collect();
        let scope = self.scope("");
        let rows = if schemata.is_empty() {
            self.query(
                &format!("SELECT {COLUMNS} FROM statement WHERE retracted_at IS NULL {scope} ORDER BY canonical_id, seq"),
                &[],
            )?
        } else {
            self.query(
                &format!(
                    "SELECT {COLUMNS} FROM statement WHERE retracted_at IS NULL \
                     AND canonical_id IN (SELECT id FROM entity WHERE schema = ANY($1)) {scope} \
                     ORDER BY canonical_id, seq"
                ),
                &[&wanted],
            )?
        };
        let merged = self.merged()?;
        let redacted = self.redacted()?;
        crate::record::each_grouped(
            rows.iter().map(read_statement),
            schemata,
            &merged,
            &redacted,
            f,
        )
    }

    fn referencing(&self, id: &str) -> Result<Vec<Entity>> {
        // References to it, and to the entities merged into it, read with
        // the entities that make them in one query.
        let built = self.entities_where(
            &format!(
                "s.canonical_id IN (SELECT canonical_id FROM statement \
                 WHERE value IN (SELECT entity_id FROM resolution WHERE canonical_id = $1 UNION SELECT $1::text) \
                 AND prop_type = 'entity' AND retracted_at IS NULL {})",
                self.scope("")
            ),
            &[&id],
        )?;
        // By id, as the entities referencing an entity are listed.
        let mut found: Vec<Entity> = built.into_values().collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(found)
    }

    fn referencing_of(&self, ids: &[String]) -> Result<Vec<Vec<Entity>>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Which entity refers to which of these (or to an entity merged
        // into one of them), then every referring entity in one read. The
        // values are one array for the index (a join with the ids, or an
        // OR, made a generic plan walk every reference).
        let rows = self.query(
            &format!(
                "SELECT DISTINCT s.value, r.canonical_id, s.canonical_id FROM statement s \
                 LEFT JOIN resolution r ON r.entity_id = s.value AND r.canonical_id = ANY($1) \
                 WHERE s.value = ANY({VALUES_AND_MERGED}) \
                 AND s.prop_type = 'entity' AND s.retracted_at IS NULL {}",
                self.scope("s.")
            ),
            &[&ids],
        )?;
        let asked: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        let mut by_target: HashMap<String, Vec<String>> = HashMap::new();
        for r in &rows {
            let value: String = r.try_get(0)?;
            let into: Option<String> = r.try_get(1)?;
            let referring: String = r.try_get(2)?;
            if asked.contains(value.as_str()) {
                by_target.entry(value).or_default().push(referring.clone());
            }
            if let Some(into) = into {
                by_target.entry(into).or_default().push(referring);
            }
        }
        let mut referring: Vec<String> = by_target.values().flatten().cloned().collect();
        referring.sort_unstable();
        referring.dedup();
        let built = self.entities_where("s.canonical_id = ANY($1)", &[&referring])?;
        Ok(ids
            .iter()
            .map(|id| {
                let mut found: Vec<Entity> = by_target
                    .get(id)
                    .into_iter()
                    .flatten()
                    .filter_map(|r| built.get(r).cloned())
                    .collect();
                // By id, as `referencing` lists them.
                found.sort_by(|a, b| a.id.cmp(&b.id));
                found.dedup_by(|a, b| a.id == b.id);
                found
            })
            .collect())
    }

    fn history(&self, entity_id: &str) -> Result<Vec<Statement>> {
        self.query(
            &format!(
                "SELECT {COLUMNS} FROM statement WHERE seq IN \
                 (SELECT seq FROM statement WHERE entity_id = $1 \
                  UNION SELECT seq FROM statement WHERE canonical_id = $1) {} ORDER BY seq",
                self.scope("")
            ),
            &[&entity_id],
        )?
        .iter()
        .map(|r| {
            let mut st = read_statement(r)?;
            self.redacted()?.apply_statement(&mut st);
            Ok(st)
        })
        .collect()
    }

    fn each_statement(&self, f: &mut dyn FnMut(Statement) -> Result<()>) -> Result<()> {
        // A page at a time, by sequence number: no connection is held
        // while `f` runs.
        let mut after: i64 = i64::MIN;
        loop {
            let rows = self.query(
                &format!(
                    "SELECT {COLUMNS} FROM statement WHERE seq > $1 {} ORDER BY seq LIMIT $2",
                    self.scope("")
                ),
                &[&after, &PAGE],
            )?;
            let n = rows.len() as i64;
            let redacted = self.redacted()?;
            for row in &rows {
                let mut st = read_statement(row)?;
                after = st.seq;
                redacted.apply_statement(&mut st);
                f(st)?;
            }
            if n < PAGE {
                return Ok(());
            }
        }
    }

    fn names(&self) -> Result<Vec<NameRecord>> {
        let rows = self.query(
            &format!(
                "SELECT s.canonical_id, e.schema, s.prop, s.value FROM statement s \
                 JOIN entity e ON e.id = s.canonical_id \
                 WHERE s.prop_type = 'name' AND s.retracted_at IS NULL \
                 AND s.prop IN ('name', 'alias', 'abbreviation', 'previousName', 'weakAlias') {}",
                self.scope("s.")
            ),
            &[],
        )?;
        let mut out = Vec::new();
        let redacted = self.redacted()?;
        for r in &rows {
            let value: String = r.try_get(3)?;
            let n = NameRecord {
                entity_id: r.try_get(0)?,
                schema: r.try_get(1)?,
                prop: r.try_get(2)?,
                value: redacted.scrub(&value),
            };
            if Schema::get(&n.schema).is_some_and(|s| s.is_a("LegalEntity")) {
                out.push(n);
            }
        }
        Ok(out)
    }

    fn amend(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        self.each_batch(batches, prov, amend_one)
    }

    fn edit(&mut self, edit: &crate::Edit, prov: &Provenance) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = self.hidden.borrow().clone();
        self.write(
            |tx| crate::record::edit_one(&mut PgTx(tx), edit, prov, &out_of_reach),
            |r| r.inserted + r.retracted > 0,
        )
    }

    fn redact(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<()> {
        self.write(
            |tx| {
                let mut t = PgTx(&mut *tx);
                if t.schema_of(entity)?.is_none() {
                    return Err(StoreError::UnknownEntity(entity.to_string()));
                }
                let members: Vec<String> = t
                    .0
                    .query(
                        "SELECT entity_id FROM resolution WHERE canonical_id = $1",
                        &[&entity],
                    )?
                    .iter()
                    .map(|r| Ok(r.try_get(0)?))
                    .collect::<Result<_>>()?;
                let mut rows = t.rows(entity)?;
                for m in &members {
                    rows.extend(t.rows(m)?);
                }
                let names = crate::record::names_to_blank(&rows).join("\n");
                for id in std::iter::once(entity).chain(members.iter().map(String::as_str)) {
                    tx.execute(
                        "INSERT INTO redaction (entity_id, names, reason, \"user\", at) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (entity_id) DO UPDATE SET names = EXCLUDED.names, reason = EXCLUDED.reason, \
                         \"user\" = EXCLUDED.\"user\", at = EXCLUDED.at",
                        &[&id, &names, &reason, &prov.user, &prov.now],
                    )?;
                }
                PgTx(&mut *tx).shape_changed()
            },
            |_| true,
        )?;
        self.redacted.replace(None);
        Ok(())
    }

    fn unredact(&mut self, entity: &str) -> Result<bool> {
        let n = self.write(
            |tx| {
                let n = tx.execute(
                    "DELETE FROM redaction WHERE entity_id = $1 \
                     OR entity_id IN (SELECT entity_id FROM resolution WHERE canonical_id = $1)",
                    &[&entity],
                )?;
                PgTx(&mut *tx).shape_changed()?;
                Ok(n)
            },
            |_| true,
        )?;
        self.redacted.replace(None);
        Ok(n > 0)
    }

    fn redactions(&self) -> Result<Vec<crate::Redaction>> {
        self.query(
            "SELECT entity_id, names, reason, \"user\", at FROM redaction ORDER BY entity_id",
            &[],
        )?
        .iter()
        .map(|r| {
            Ok(crate::Redaction {
                entity: r.try_get(0)?,
                names: crate::record::redacted_names(&r.try_get::<_, String>(1)?),
                reason: r.try_get(2)?,
                user: r.try_get(3)?,
                at: r.try_get(4)?,
            })
        })
        .collect()
    }

    fn delete(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = self.hidden.borrow().clone();
        self.write(
            |tx| crate::record::delete_one(&mut PgTx(tx), entity, reason, prov, &out_of_reach),
            |r| r.retracted > 0,
        )
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
        self.write(
            |tx| crate::record::revert_one(&mut PgTx(tx), entity, at, reason, prov, &out_of_reach),
            |r| r.inserted + r.retracted > 0,
        )
    }

    fn archive(
        &mut self,
        copies: &[NewCopy],
        documents: &[Batch],
        prov: &Provenance,
    ) -> Result<ArchiveReport> {
        self.write(
            |tx| {
            let mut report = ArchiveReport::default();
            // Each document's dataset, from what the store knew before.
            let private: Vec<String> = tx
                .query("SELECT name FROM collection WHERE private", &[])?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?;
            let mut datasets: HashMap<String, String> = HashMap::new();
            for id in documents
                .iter()
                .map(|b| &b.source)
                .chain(copies.iter().map(|c| &c.info.document))
            {
                if !datasets.contains_key(id) {
                    let rows = PgTx(&mut *tx).rows(id)?;
                    let d = crate::record::copy_dataset(&rows, &private, ARCHIVE_DATASET, &prov.dataset);
                    datasets.insert(id.clone(), d);
                }
            }
            for batch in documents {
                let prov = Provenance {
                    source: batch.source.clone(),
                    dataset: datasets[&batch.source].clone(),
                    ..prov.clone()
                };
                let r = amend_one(&mut PgTx(&mut *tx), batch, &prov)?;
                report.statements += r.inserted + r.retracted;
            }
            for c in copies {
                let i = &c.info;
                let dataset = &datasets[&i.document];
                tx.execute(
                    "INSERT INTO blob (sha256, size, media_type, content, text) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (sha256) DO NOTHING",
                    &[&i.sha256, &(c.content.len() as i64), &i.media_type, &c.content, &c.text],
                )?;
                register_entity(&mut PgTx(&mut *tx), &i.document, "Document")?;
                let n = tx.execute(
                    "INSERT INTO archived_copy (document, sha256, url, retrieved, title, record_id, archived_at, \"user\", dataset) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (document, sha256) DO NOTHING",
                    &[&i.document, &i.sha256, &i.url, &i.retrieved, &i.title, &i.record_id, &i.archived_at, &i.user, dataset],
                )?;
                if n == 1 {
                    report.added += 1;
                } else {
                    report.known += 1;
                }
            }
            Ok(report)
        },
            |r| r.added + r.statements > 0,
        )
    }

    fn copies(&self, document: Option<&str>) -> Result<Vec<ArchivedCopy>> {
        let select = "SELECT c.document, c.sha256, c.url, c.retrieved, c.title, c.record_id, \
                      c.archived_at, c.\"user\", b.media_type, b.size, c.dataset \
                      FROM archived_copy c JOIN blob b ON b.sha256 = c.sha256";
        let order = "ORDER BY c.retrieved DESC, c.sha256";
        let scope = crate::record::scope_sql(&self.hidden.borrow(), "c.");
        let rows = match document {
            Some(d) => self.query(
                &format!("{select} WHERE c.document = $1 {scope} {order}"),
                &[&d],
            )?,
            None => self.query(&format!("{select} WHERE TRUE {scope} {order}"), &[])?,
        };
        rows.iter().map(read_copy).collect()
    }

    fn copy_text(&self, sha256: &str) -> Result<Option<String>> {
        let sql = format!("SELECT b.text {}", self.visible_blob());
        let rows = self.query(&sql, &[&sha256])?;
        let text: Option<String> = rows.first().map(|r| r.try_get(0)).transpose()?;
        let redacted = self.redacted()?;
        Ok(text.map(|t| redacted.scrub(&t)))
    }

    fn copy_content(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let sql = format!("SELECT b.content {}", self.visible_blob());
        let rows = self.query(&sql, &[&sha256])?;
        let bytes: Option<Vec<u8>> = rows.first().map(|r| r.try_get(0)).transpose()?;
        let redacted = self.redacted()?;
        Ok(bytes.map(|b| redacted.scrub_bytes(b)))
    }

    fn resolve(&mut self, assignments: &[(String, String)], prov: &Provenance) -> Result<usize> {
        self.write(
            |tx| resolve_all(&mut PgTx(tx), assignments, prov),
            |n| *n > 0,
        )
    }

    fn canonical_of(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .strings(
                "SELECT canonical_id FROM resolution WHERE entity_id = $1",
                &[&id],
            )?
            .pop())
    }

    fn merged_into(&self, canonical: &str) -> Result<Vec<String>> {
        self.strings(
            "SELECT entity_id FROM resolution WHERE canonical_id = $1 ORDER BY entity_id",
            &[&canonical],
        )
    }

    fn merges(&self) -> Result<Vec<(String, String)>> {
        Ok(self.merged()?.pairs())
    }

    fn schema_version(&self) -> Result<i64> {
        let mut c = self.client.borrow_mut();
        let exists: bool = c
            .query_one("SELECT to_regclass('dossier_migration') IS NOT NULL", &[])?
            .try_get(0)?;
        if !exists {
            return Ok(0);
        }
        Ok(c.query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM dossier_migration",
            &[],
        )?
        .try_get(0)?)
    }

    fn begin_read(&self) -> Result<bool> {
        if self.snapshot.get() {
            return Ok(false);
        }
        // Every read of the page sees the state of its first: without it,
        // a page read across another server's commit could show a
        // membership whose member had just been merged away. Read only,
        // so a write on this connection could never hide in it.
        self.client
            .borrow_mut()
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        self.snapshot.set(true);
        Ok(true)
    }

    fn end_read(&self) -> Result<()> {
        if !self.snapshot.replace(false) {
            return Ok(());
        }
        // Nothing was written; a rollback also ends a transaction that a
        // failed read left aborted, so the connection can be used again.
        Ok(self.client.borrow_mut().batch_execute("ROLLBACK")?)
    }

    fn set_hidden(&self, datasets: &[String]) {
        *self.hidden.borrow_mut() = datasets.to_vec();
    }

    fn hidden(&self) -> Vec<String> {
        self.hidden.borrow().clone()
    }

    fn version(&self) -> Result<i64> {
        Ok(self
            .query_one("SELECT version FROM store_version", &[])?
            .try_get(0)?)
    }

    fn mark(&self) -> Result<crate::Mark> {
        // One statement, one snapshot: the parts agree.
        let row = self.query_one(
            "SELECT version, \
             (SELECT coalesce(max(seq), 0) FROM statement), \
             (SELECT coalesce(max(seq), 0) FROM resolution_log), \
             shape FROM store_version",
            &[],
        )?;
        Ok(crate::Mark {
            version: row.try_get(0)?,
            seq: row.try_get(1)?,
            resolutions: row.try_get(2)?,
            shape: row.try_get(3)?,
        })
    }

    fn changed_since(&self, mark: &crate::Mark, limit: usize) -> Result<crate::Changes> {
        let now = self.mark()?;
        crate::record::changes(mark, &now, limit, |sql, from, most| {
            self.strings(sql, &[&from, &most])
        })
    }

    fn pointing_at(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<String>> {
        let schemata: Vec<String> = schemata.iter().map(|s| s.to_string()).collect();
        self.strings(
            &format!(
                "SELECT DISTINCT canonical_id FROM statement \
                 WHERE value = ANY({VALUES_AND_MERGED}) \
                 AND prop_type = 'entity' AND retracted_at IS NULL AND schema = ANY($2) {} \
                 ORDER BY canonical_id",
                self.scope("")
            ),
            &[&ids, &schemata],
        )
    }

    fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<u64> {
            let n: i64 = self.query_one(sql, &[])?.try_get(0)?;
            Ok(n.max(0) as u64)
        };
        let (scope, s_scope) = (self.scope(""), self.scope("s."));
        let statements = count(&format!(
            "SELECT count(*) FROM statement WHERE true {scope}"
        ))?;
        let current_statements = count(&format!(
            "SELECT count(*) FROM statement WHERE retracted_at IS NULL {scope}"
        ))?;
        let sources = count(&format!(
            "SELECT count(DISTINCT source) FROM statement WHERE retracted_at IS NULL {scope}"
        ))?;
        let entities_by_schema = self
            .query(
                &format!(
                    "SELECT e.schema, count(*) FROM entity e \
                     WHERE EXISTS (SELECT 1 FROM statement s WHERE s.canonical_id = e.id AND s.retracted_at IS NULL {s_scope}) \
                     GROUP BY e.schema ORDER BY e.schema"
                ),
                &[],
            )?
            .iter()
            .map(|r| {
                let n: i64 = r.try_get(1)?;
                Ok((r.try_get(0)?, n.max(0) as u64))
            })
            .collect::<Result<_>>()?;
        let datasets = self.strings(
            &format!("SELECT DISTINCT dataset FROM statement WHERE true {scope} ORDER BY dataset"),
            &[],
        )?;
        Ok(Stats {
            statements,
            current_statements,
            entities_by_schema,
            sources,
            datasets,
        })
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

impl Accounts for PgStore {
    fn add_account(&mut self, account: &Account, password_hash: &str) -> Result<()> {
        let n = self.execute(
            "INSERT INTO account (name, password, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
            &[
                &account.name,
                &password_hash,
                &account.role.as_str(),
                &account.created_at,
            ],
        )?;
        if n == 0 {
            return Err(StoreError::AccountExists(account.name.clone()));
        }
        Ok(())
    }
    fn account(&self, name: &str) -> Result<Option<(Account, String)>> {
        let rows = self.query(
            "SELECT name, role, created_at, password FROM account WHERE name = $1",
            &[&name],
        )?;
        rows.first()
            .map(|r| Ok((account_of(r)?, r.try_get(3)?)))
            .transpose()
    }
    fn accounts(&self) -> Result<Vec<Account>> {
        self.query(
            "SELECT name, role, created_at FROM account ORDER BY name",
            &[],
        )?
        .iter()
        .map(account_of)
        .collect()
    }
    fn set_password(&mut self, name: &str, password_hash: &str) -> Result<()> {
        if self.execute(
            "UPDATE account SET password = $2 WHERE name = $1",
            &[&name, &password_hash],
        )? == 0
        {
            return Err(StoreError::UnknownAccount(name.to_string()));
        }
        Ok(())
    }
    fn set_role(&mut self, name: &str, role: Role) -> Result<()> {
        if self.execute(
            "UPDATE account SET role = $2 WHERE name = $1",
            &[&name, &role.as_str()],
        )? == 0
        {
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
        self.execute(
            "INSERT INTO session (token_hash, account, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            &[&token_hash, &account, &csrf, &now, &expires_at],
        )?;
        Ok(())
    }
    fn session(&self, token_hash: &str, now: &str) -> Result<Option<Session>> {
        let rows = self.query(
            "SELECT a.name, a.role, a.created_at, s.csrf, s.expires_at FROM session s \
             JOIN account a ON a.name = s.account WHERE s.token_hash = $1 AND s.expires_at > $2",
            &[&token_hash, &now],
        )?;
        rows.first()
            .map(|r| {
                Ok(Session {
                    account: account_of(r)?,
                    csrf: r.try_get(3)?,
                    expires_at: r.try_get(4)?,
                })
            })
            .transpose()
    }
    fn end_session(&mut self, token_hash: &str) -> Result<()> {
        self.execute("DELETE FROM session WHERE token_hash = $1", &[&token_hash])?;
        Ok(())
    }
    fn end_sessions_of(&mut self, account: &str) -> Result<()> {
        self.execute("DELETE FROM session WHERE account = $1", &[&account])?;
        Ok(())
    }
    fn end_expired_sessions(&mut self, now: &str) -> Result<usize> {
        let n = self.execute("DELETE FROM session WHERE expires_at <= $1", &[&now])?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
    fn add_token(
        &mut self,
        token_hash: &str,
        account: &str,
        label: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<()> {
        self.execute(
            "INSERT INTO api_token (token_hash, account, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            &[&token_hash, &account, &label, &now, &expires_at],
        )?;
        Ok(())
    }
    fn token(&self, token_hash: &str, now: &str) -> Result<Option<Account>> {
        let rows = self.query(
            "SELECT a.name, a.role, a.created_at FROM api_token t \
             JOIN account a ON a.name = t.account WHERE t.token_hash = $1 AND t.expires_at > $2",
            &[&token_hash, &now],
        )?;
        rows.first().map(account_of).transpose()
    }
    fn end_tokens_of(&mut self, account: &str, label: Option<&str>) -> Result<usize> {
        let n = self.execute(
            "DELETE FROM api_token WHERE account = $1 AND ($2::TEXT IS NULL OR label = $2)",
            &[&account, &label],
        )?;
        if n > 0 {
            // Servers forget the readers they worked out from these tokens.
            self.bump_access()?;
        }
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }
    fn delete_account(&mut self, name: &str) -> Result<bool> {
        let mut client = self.client.borrow_mut();
        let mut tx = client.transaction()?;
        for sql in [
            "DELETE FROM session WHERE account = $1",
            "DELETE FROM api_token WHERE account = $1",
            "DELETE FROM collection_member WHERE account = $1",
        ] {
            tx.execute(sql, &[&name])?;
        }
        let n = tx.execute("DELETE FROM account WHERE name = $1", &[&name])?;
        tx.commit()?;
        drop(client);
        // A member no more: who may read what changed.
        self.bump_access()?;
        Ok(n > 0)
    }
    fn set_collection(&mut self, name: &str, private: bool) -> Result<()> {
        self.bump_access()?;
        self.execute(
            "INSERT INTO collection (name, private) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET private = EXCLUDED.private",
            &[&name, &private],
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
        if self
            .query("SELECT 1 FROM collection WHERE name = $1", &[&collection])?
            .is_empty()
        {
            return Err(StoreError::UnknownCollection(collection.to_string()));
        }
        self.bump_access()?;
        match can_edit {
            Some(edit) => self.execute(
                "INSERT INTO collection_member (collection, account, can_edit) VALUES ($1, $2, $3) \
                 ON CONFLICT (collection, account) DO UPDATE SET can_edit = EXCLUDED.can_edit",
                &[&collection, &account, &edit],
            )?,
            None => self.execute(
                "DELETE FROM collection_member WHERE collection = $1 AND account = $2",
                &[&collection, &account],
            )?,
        };
        Ok(())
    }
    fn collections(&self) -> Result<Vec<Collection>> {
        let rows = self.query(
            "SELECT c.name, c.private, m.account, m.can_edit FROM collection c \
             LEFT JOIN collection_member m ON m.collection = c.name ORDER BY c.name, m.account",
            &[],
        )?;
        let mut out: Vec<Collection> = Vec::new();
        for r in &rows {
            let name: String = r.try_get(0)?;
            if out.last().is_none_or(|c| c.name != name) {
                out.push(Collection {
                    name,
                    private: r.try_get(1)?,
                    members: Vec::new(),
                });
            }
            let member: Option<String> = r.try_get(2)?;
            let can_edit: Option<bool> = r.try_get(3)?;
            if let (Some(m), Some(e), Some(c)) = (member, can_edit, out.last_mut()) {
                c.members.push((m, e));
            }
        }
        Ok(out)
    }
}
