//! The writing primitives the shared recording code runs on.

use std::sync::LazyLock;

use super::*;

// `+source` in the reads of one entity's rows keeps SQLite off the index
// by source, which it takes for its two equal columns: an entity has a few
// rows, a source (a registry's file) may have a million.
impl Tx for SqlTx<'_, '_> {
    fn content_hash(&mut self, source: &str, dataset: &str) -> Result<Option<String>> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            of_entity(
                "value",
                "AND +source = ?1 AND dataset = (SELECT key FROM term WHERE text = ?2) \
                 AND prop = (SELECT key FROM term WHERE text = 'contentHash') AND retracted_at IS NULL",
            )
        });
        Ok(self
            .0
            .prepare_cached(&SQL)?
            .query_row(params![source, dataset], |r| r.get(0))
            .optional()?)
    }
    fn by_source(&mut self, source: &str, dataset: &str) -> Result<HashMap<String, i64>> {
        ids_and_seqs(
            self.0.prepare_cached(
                "SELECT id, seq FROM statement WHERE source = ?1 \
                 AND dataset = (SELECT key FROM term WHERE text = ?2) AND retracted_at IS NULL",
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
        static SQL: LazyLock<String> = LazyLock::new(|| {
            of_entity(
                "id, seq",
                "AND prop = (SELECT key FROM term WHERE text = ?2) AND +source = ?3 \
                 AND dataset = (SELECT key FROM term WHERE text = ?4) AND retracted_at IS NULL",
            )
        });
        ids_and_seqs(
            self.0.prepare_cached(&SQL)?,
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
    fn schemata_of(&mut self, ids: &[&str]) -> Result<HashMap<String, String>> {
        // A new store (an import's first apply) has none registered: one
        // question rather than one an id.
        if !self.any("SELECT EXISTS (SELECT 1 FROM entity)")? {
            return Ok(HashMap::new());
        }
        each_found(ids, |id| self.schema_of(id))
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
            .query_row([seq], |r| read_statement(r, &|k| terms::word_in(self.0, k)))
            .optional()?)
    }
    fn insert(&mut self, st: &Statement, keep_seq: bool) -> Result<()> {
        let keys = self.keys(st)?;
        let mut stmt = self.0.prepare_cached(&INSERT)?;
        insert_row(&mut stmt, st, keys, keep_seq.then_some(st.seq))
    }
    fn insert_new(&mut self, rows: &[Statement]) -> Result<()> {
        self.insert_rows(&rows.iter().collect::<Vec<_>>(), false)
    }
    fn insert_loaded(&mut self, rows: &[&Statement]) -> Result<()> {
        self.insert_rows(rows, true)
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
    fn canonicals(&mut self, ids: &[&str]) -> Result<HashMap<String, String>> {
        // Most stores merge few entities, and a new one none.
        if !self.any("SELECT EXISTS (SELECT 1 FROM resolution)")? {
            return Ok(HashMap::new());
        }
        each_found(ids, |id| self.canonical(id))
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
        static SQL: LazyLock<String> = LazyLock::new(|| {
            format!(
                "UPDATE statement SET canonical_id = ?2 WHERE seq IN ({})",
                of_entity("seq", "")
            )
        });
        self.0.prepare_cached(&SQL)?.execute([id, canonical])?;
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
        let mut stmt = self.0.prepare_cached(
            "SELECT text FROM term WHERE key IN \
                 (SELECT DISTINCT schema FROM statement WHERE canonical_id = ?1)",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn current_seq(&mut self, id: &str, source: &str) -> Result<Option<i64>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT seq FROM statement WHERE id = ?1 AND source = ?2 AND retracted_at IS NULL",
            )?
            .query_row(params![ids::stored(id), source], |r| r.get(0))
            .optional()?)
    }
    fn rows(&mut self, entity: &str) -> Result<Vec<Statement>> {
        static SQL: LazyLock<String> = LazyLock::new(|| of_entity(COLUMNS, ""));
        let mut stmt = self.0.prepare_cached(&SQL)?;
        let tx = self.0;
        let rows = stmt.query_map([entity], |r| read_statement(r, &|k| terms::word_in(tx, k)))?;
        let mut all: Vec<Statement> = rows.collect::<rusqlite::Result<_>>()?;
        all.sort_unstable_by_key(|st| st.seq);
        Ok(all)
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

/// The columns a row is written with, in the order of [`bind_row`].
const INSERT_INTO: &str =
    "INSERT INTO statement (seq, id, entity_id, canonical_id, schema, prop, prop_type, \
     value, original_value, lang, dataset, origin, external, source, user, first_seen, last_seen, \
     retracted_at, retraction)";

/// How many columns [`INSERT_INTO`] names.
const COLUMN_COUNT: usize = 19;

/// `INSERT_INTO` with parameters for `rows` rows.
impl SqlTx<'_, '_> {
    /// The answer of a query of one boolean.
    fn any(&self, sql: &str) -> Result<bool> {
        Ok(self.0.prepare_cached(sql)?.query_row([], |r| r.get(0))?)
    }

    /// The keys of a statement's schema, property, property type and
    /// dataset, given out for words the store has not held before.
    fn keys(&mut self, st: &Statement) -> Result<Keys> {
        let tx = self.0;
        Ok([
            self.1.key(tx, &st.schema)?,
            self.1.key(tx, &st.prop)?,
            self.1.key(tx, prop_type(&st.schema, &st.prop))?,
            self.1.key(tx, &st.dataset)?,
        ])
    }

    /// Writes rows in order, `ROWS_AT_ONCE` to an `INSERT` (the rest one
    /// by one), each with its own number (`keep_seq`) or the next. An
    /// `INSERT` costs more than its rows: the table's `AUTOINCREMENT`
    /// counter is read and written again by each, and the statement is
    /// started and ended; one a row took most of a native load's
    /// row-writing time.
    fn insert_rows(&mut self, rows: &[&Statement], keep_seq: bool) -> Result<()> {
        let keys = rows
            .iter()
            .map(|st| self.keys(st))
            .collect::<Result<Vec<Keys>>>()?;
        let mut groups = rows.chunks_exact(ROWS_AT_ONCE);
        let mut key_groups = keys.chunks_exact(ROWS_AT_ONCE);
        if groups.len() > 0 {
            let mut stmt = self.0.prepare_cached(&INSERT_MANY)?;
            for (group, keys) in (&mut groups).zip(&mut key_groups) {
                for (i, (st, keys)) in group.iter().zip(keys).enumerate() {
                    bind_row(
                        &mut stmt,
                        i * COLUMN_COUNT,
                        st,
                        *keys,
                        keep_seq.then_some(st.seq),
                    )?;
                }
                stmt.raw_execute()?;
            }
        }
        let mut stmt = self.0.prepare_cached(&INSERT)?;
        for (st, keys) in groups.remainder().iter().zip(key_groups.remainder()) {
            insert_row(&mut stmt, st, *keys, keep_seq.then_some(st.seq))?;
        }
        Ok(())
    }
}

/// A row's keys of its schema, property, property type and dataset.
type Keys = [i64; 4];

fn insert_sql(rows: usize) -> String {
    let row = format!("({})", ["?"; COLUMN_COUNT].join(", "));
    format!("{INSERT_INTO} VALUES {}", vec![row; rows].join(", "))
}

/// One row's `INSERT`, and [`ROWS_AT_ONCE`] rows'.
static INSERT: LazyLock<String> = LazyLock::new(|| insert_sql(1));
static INSERT_MANY: LazyLock<String> = LazyLock::new(|| insert_sql(ROWS_AT_ONCE));

/// How many rows [`insert_rows`] writes with one statement.
const ROWS_AT_ONCE: usize = 64;

/// Binds one statement's row to the parameters after the `at`-th.
fn bind_row(
    stmt: &mut rusqlite::Statement<'_>,
    at: usize,
    st: &Statement,
    [schema, prop, prop_type, dataset]: Keys,
    seq: Option<i64>,
) -> Result<()> {
    let id = ids::stored(&st.id);
    let values: [&dyn rusqlite::ToSql; COLUMN_COUNT] = [
        &seq,
        &id,
        &st.entity_id,
        &st.canonical_id,
        &schema,
        &prop,
        &prop_type,
        &st.value,
        &st.original_value,
        &st.lang,
        &dataset,
        &st.origin,
        &st.external,
        &st.source,
        &st.user,
        &st.first_seen,
        &st.last_seen,
        &st.retracted_at,
        &st.retraction,
    ];
    for (i, v) in values.into_iter().enumerate() {
        stmt.raw_bind_parameter(at + i + 1, v)?;
    }
    Ok(())
}

/// Writes one statement's row; `seq` is its number, or `None` for the next.
fn insert_row(
    stmt: &mut rusqlite::Statement<'_>,
    st: &Statement,
    keys: Keys,
    seq: Option<i64>,
) -> Result<()> {
    bind_row(stmt, 0, st, keys, seq)?;
    stmt.raw_execute()?;
    Ok(())
}
