//! The writing primitives the shared recording code runs on.

use super::*;

impl Tx for PgTx<'_, '_> {
    fn content_hash(&mut self, source: &str, dataset: &str) -> Result<Option<String>> {
        let row = self.query_opt(
            "SELECT value FROM statement WHERE entity_id = $1 AND source = $1 AND dataset = $2 \
             AND prop = 'contentHash' AND retracted_at IS NULL LIMIT 1",
            &[&source, &dataset],
        )?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
    fn by_source(&mut self, source: &str, dataset: &str) -> Result<HashMap<String, i64>> {
        ids_and_seqs(self.query(
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
        ids_and_seqs(self.query(
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
        self.execute(
            "INSERT INTO entity (id, schema) VALUES ($1, $2)",
            &[&id, &schema],
        )?;
        Ok(())
    }
    fn schemata_of(&mut self, ids: &[&str]) -> Result<HashMap<String, String>> {
        self.query("SELECT id, schema FROM entity WHERE id = ANY($1)", &[&ids])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
    fn insert_entities(&mut self, entities: &[(&str, &str)]) -> Result<()> {
        if entities.is_empty() {
            return Ok(());
        }
        let (ids, schemata): (Vec<&str>, Vec<&str>) = entities.iter().copied().unzip();
        self.execute(
            "INSERT INTO entity (id, schema) SELECT * FROM unnest($1::text[], $2::text[])",
            &[&ids, &schemata],
        )?;
        Ok(())
    }
    fn set_schema(&mut self, id: &str, schema: &str) -> Result<()> {
        self.execute(
            "UPDATE entity SET schema = $2 WHERE id = $1",
            &[&id, &schema],
        )?;
        Ok(())
    }
    fn stored_at(&mut self, seq: i64) -> Result<Option<Statement>> {
        self.query_opt(
            &format!("SELECT {COLUMNS} FROM statement WHERE seq = $1"),
            &[&seq],
        )?
        .map(|row| read_statement(&row))
        .transpose()
    }
    fn stored_at_all(&mut self, seqs: &[i64]) -> Result<HashMap<i64, Statement>> {
        if seqs.is_empty() {
            return Ok(HashMap::new());
        }
        self.query(
            &format!("SELECT {COLUMNS} FROM statement WHERE seq = ANY($1)"),
            &[&seqs],
        )?
        .iter()
        .map(|row| read_statement(row).map(|st| (st.seq, st)))
        .collect()
    }
    fn insert(&mut self, st: &Statement, keep_seq: bool) -> Result<()> {
        let seq = keep_seq.then_some(st.seq);
        let prop_type = prop_type(&st.schema, &st.prop);
        self.execute(
            "INSERT INTO statement (seq, id, entity_id, canonical_id, schema, prop, prop_type, value, \
             original_value, lang, dataset, origin, external, source, \"user\", first_seen, last_seen, \
             retracted_at, retraction) \
             VALUES (COALESCE($1, nextval(pg_get_serial_sequence('statement', 'seq'))), \
             $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
            &row(st, &seq, &prop_type),
        )?;
        Ok(())
    }
    /// One binary `COPY` for the rows: an `INSERT` each was two round
    /// trips a row (a load into PostgreSQL ran at 2,000 rows a second).
    fn insert_loaded(&mut self, rows: &[&Statement]) -> Result<()> {
        copy_rows(self, rows, true)
    }
    /// One binary `COPY` too, the numbers left to the column's identity,
    /// which `COPY` takes row by row in order (an apply of an FtM file
    /// of 10,000 organizations took 16 s an `INSERT` a row).
    fn insert_new(&mut self, rows: &[Statement]) -> Result<()> {
        copy_rows(self, &rows.iter().collect::<Vec<_>>(), false)
    }
    fn touch(&mut self, seq: i64, now: &str) -> Result<()> {
        self.execute(
            "UPDATE statement SET last_seen = $2 WHERE seq = $1",
            &[&seq, &now],
        )?;
        Ok(())
    }
    fn retract(&mut self, seq: i64, now: &str, reason: &str) -> Result<()> {
        self.execute(
            "UPDATE statement SET retracted_at = $2, retraction = $3, \
             retracted_seq = (SELECT max(seq) FROM statement) WHERE seq = $1",
            &[&seq, &now, &reason],
        )?;
        Ok(())
    }
    fn shape_changed(&mut self) -> Result<()> {
        self.execute("UPDATE store_version SET shape = shape + 1", &[])?;
        Ok(())
    }
    fn canonical(&mut self, id: &str) -> Result<Option<String>> {
        let row = self.query_opt(
            "SELECT canonical_id FROM resolution WHERE entity_id = $1",
            &[&id],
        )?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
    fn canonicals(&mut self, ids: &[&str]) -> Result<HashMap<String, String>> {
        self.query(
            "SELECT entity_id, canonical_id FROM resolution WHERE entity_id = ANY($1)",
            &[&ids],
        )?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
    }
    fn set_canonical(&mut self, id: &str, canonical: Option<&str>) -> Result<()> {
        match canonical {
            Some(c) => self.execute(
                "INSERT INTO resolution (entity_id, canonical_id) VALUES ($1, $2) \
                 ON CONFLICT (entity_id) DO UPDATE SET canonical_id = EXCLUDED.canonical_id",
                &[&id, &c],
            )?,
            None => self.execute("DELETE FROM resolution WHERE entity_id = $1", &[&id])?,
        };
        Ok(())
    }
    fn set_canonicals(&mut self, each: &[(&str, Option<&str>)]) -> Result<()> {
        let (merged, read_as): (Vec<&str>, Vec<&str>) =
            each.iter().filter_map(|(id, c)| Some((*id, (*c)?))).unzip();
        let alone: Vec<&str> = each
            .iter()
            .filter(|(_, c)| c.is_none())
            .map(|(id, _)| *id)
            .collect();
        if !alone.is_empty() {
            self.execute(
                "DELETE FROM resolution WHERE entity_id = ANY($1)",
                &[&alone],
            )?;
        }
        if !merged.is_empty() {
            self.execute(
                "INSERT INTO resolution (entity_id, canonical_id) \
                 SELECT * FROM unnest($1::text[], $2::text[]) \
                 ON CONFLICT (entity_id) DO UPDATE SET canonical_id = EXCLUDED.canonical_id",
                &[&merged, &read_as],
            )?;
        }
        Ok(())
    }
    fn rewrite_canonical(&mut self, id: &str, canonical: &str) -> Result<()> {
        self.execute(
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
        self.execute(
            "INSERT INTO resolution_log (entity_id, previous, canonical_id, \"user\", at) \
             VALUES ($1, $2, $3, $4, $5)",
            &[&id, &previous, &canonical, &prov.user, &prov.now],
        )?;
        Ok(())
    }
    fn schemata_of_canonical(&mut self, id: &str) -> Result<Vec<String>> {
        self.query(
            "SELECT DISTINCT schema FROM statement WHERE canonical_id = $1",
            &[&id],
        )?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
    }
    fn current_seq(&mut self, id: &str, source: &str) -> Result<Option<i64>> {
        let row = self.query_opt(
            "SELECT seq FROM statement WHERE id = $1 AND source = $2 AND retracted_at IS NULL",
            &[&id, &source],
        )?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }
    fn rows(&mut self, entity: &str) -> Result<Vec<Statement>> {
        self.query(
            &format!("SELECT {COLUMNS} FROM statement WHERE entity_id = $1 ORDER BY seq"),
            &[&entity],
        )?
        .iter()
        .map(read_statement)
        .collect()
    }
    fn chain(&mut self) -> Result<Option<(String, String)>> {
        let row = self.query_opt(
            "SELECT c.entity_id, c.canonical_id FROM resolution r \
             JOIN resolution c ON c.entity_id = r.canonical_id LIMIT 1",
            &[],
        )?;
        row.map(|r| -> Result<(String, String)> { Ok((r.try_get(0)?, r.try_get(1)?)) })
            .transpose()
    }
}

/// The columns a statement row is written with, in order.
const COLUMNS_WRITTEN: usize = 19;

/// A statement's values for those columns (the number, when none is
/// given, the next of the sequence).
/// Writes `rows` in one binary `COPY`, with their numbers (`keep_seq`) or
/// numbered next.
fn copy_rows(tx: &mut PgTx<'_, '_>, rows: &[&Statement], keep_seq: bool) -> Result<()> {
    use postgres::binary_copy::BinaryCopyInWriter;
    use postgres::types::Type;
    if rows.is_empty() {
        return Ok(());
    }
    let columns = "id, entity_id, canonical_id, schema, prop, prop_type, value, \
         original_value, lang, dataset, origin, external, source, \"user\", first_seen, last_seen, \
         retracted_at, retraction";
    let sink = tx.0.copy_in(&if keep_seq {
        format!("COPY statement (seq, {columns}) FROM STDIN BINARY")
    } else {
        format!("COPY statement ({columns}) FROM STDIN BINARY")
    })?;
    let mut types = vec![Type::TEXT; COLUMNS_WRITTEN];
    types[0] = Type::INT8;
    types[12] = Type::BOOL;
    let skip = usize::from(!keep_seq);
    let mut writer = BinaryCopyInWriter::new(sink, &types[skip..]);
    for st in rows {
        let prop_type = prop_type(&st.schema, &st.prop);
        writer.write(&row(st, &Some(st.seq), &prop_type)[skip..])?;
    }
    writer.finish()?;
    Ok(())
}

fn row<'a>(
    st: &'a Statement,
    seq: &'a Option<i64>,
    prop_type: &'a &'static str,
) -> [&'a (dyn postgres::types::ToSql + Sync); COLUMNS_WRITTEN] {
    [
        seq,
        &st.id,
        &st.entity_id,
        &st.canonical_id,
        &st.schema,
        &st.prop,
        prop_type,
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
    ]
}
