//! Reading, under the scope the connection is set to.

use super::*;

impl Follow for PgStore {
    fn version(&self) -> Result<i64> {
        if self.snapshot.get() {
            // Begins the snapshot when this is its first read, and learns
            // its version with it.
            drop(self.reading()?);
            if let Some(v) = self.snapshot_version.get() {
                return Ok(v);
            }
        }
        let v = self
            .query_one("SELECT version FROM store_version", &[])?
            .try_get(0)?;
        if self.snapshot.get() {
            self.snapshot_version.set(Some(v));
        }
        Ok(v)
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
        crate::record::changes(mark, &now, limit, "'entity'", |sql, from, most| {
            self.strings(sql, &[&from, &most])
        })
    }
}

impl Read for PgStore {
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
        let rows = self.query(&self.labels_sql(), &[&ids])?;
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
        let by_target = by_target(ids, &rows)?;
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
        // Its own statements and those of the entities merged into it
        // (whose canonical id is this one), in one pass of the entity
        // index. The union of two lists of `seq` that SQLite reads well
        // became, in PostgreSQL, a lookup by key for every row found, and
        // the rendered page's most costly query (0.43 ms against 0.24 ms,
        // pgbench, 49 statements).
        self.query(
            &format!(
                "SELECT {COLUMNS} FROM statement WHERE entity_id = ANY(array_prepend($1::text, \
                 ARRAY(SELECT entity_id FROM resolution WHERE canonical_id = $1))) {} ORDER BY seq",
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

    fn recent(&self, limit: usize) -> Result<Vec<Statement>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.query(
            &format!(
                "SELECT {COLUMNS} FROM statement WHERE 1 = 1 {} ORDER BY seq DESC LIMIT $1",
                self.scope("")
            ),
            &[&limit],
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

    fn copies(&self, document: Option<&str>) -> Result<Vec<ArchivedCopy>> {
        let select = "SELECT c.document, c.sha256, c.url, c.retrieved, c.title, c.record_id, \
                      c.archived_at, c.\"user\", b.media_type, b.size, c.dataset \
                      FROM archived_copy c JOIN blob b ON b.sha256 = c.sha256";
        let order = "ORDER BY c.retrieved DESC, c.sha256";
        let scope = crate::record::scope_sql(self.scope.borrow().hidden(), "c.");
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

    fn canonical_of(&self, id: &str) -> Result<Option<String>> {
        if let Some(m) = self.merged_now()? {
            return Ok(m.to.get(id).cloned());
        }
        Ok(self
            .strings(
                "SELECT canonical_id FROM resolution WHERE entity_id = $1",
                &[&id],
            )?
            .pop())
    }

    fn merged_into(&self, canonical: &str) -> Result<Vec<String>> {
        if let Some(m) = self.merged_now()? {
            return Ok(m.from.get(canonical).cloned().unwrap_or_default());
        }
        self.strings(
            "SELECT entity_id FROM resolution WHERE canonical_id = $1 ORDER BY entity_id",
            &[&canonical],
        )
    }

    fn merges(&self) -> Result<Vec<(String, String)>> {
        Ok(self.merged()?.pairs())
    }

    fn schema_version(&self) -> Result<i64> {
        let mut c = self.reading()?;
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
        // Begun with the snapshot's first read (`PgStore::reading`).
        self.snapshot_version.set(None);
        self.snapshot_resolutions.set(None);
        self.begun.set(false);
        self.snapshot.set(true);
        Ok(true)
    }

    fn end_read(&self) -> Result<()> {
        self.snapshot_version.set(None);
        self.snapshot_resolutions.set(None);
        if !self.snapshot.replace(false) || !self.begun.replace(false) {
            return Ok(());
        }
        // Nothing was written; a rollback also ends a transaction that a
        // failed read left aborted, so the connection can be used again.
        Ok(self.client.borrow_mut().batch_execute("ROLLBACK")?)
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

    fn pointing_at_each(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<Vec<String>>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // One round trip, each row saying which asked id (or entity merged
        // into one) it points at, as `referencing_of` does.
        let schemata: Vec<String> = schemata.iter().map(|s| s.to_string()).collect();
        let rows = self.query(
            &format!(
                "SELECT DISTINCT s.value, r.canonical_id, s.canonical_id FROM statement s \
                 LEFT JOIN resolution r ON r.entity_id = s.value AND r.canonical_id = ANY($1) \
                 WHERE s.value = ANY({VALUES_AND_MERGED}) \
                 AND s.prop_type = 'entity' AND s.retracted_at IS NULL AND s.schema = ANY($2) {}",
                self.scope("s.")
            ),
            &[&ids, &schemata],
        )?;
        let by_target = by_target(ids, &rows)?;
        Ok(ids
            .iter()
            .map(|id| {
                let mut found = by_target.get(id).cloned().unwrap_or_default();
                found.sort_unstable();
                found.dedup();
                found
            })
            .collect())
    }

    fn stats(&self) -> Result<Stats> {
        Ok(self.stats_keeping(None)?.0)
    }

    fn stats_keeping(
        &self,
        kept: Option<&crate::HiddenPart>,
    ) -> Result<(Stats, Option<std::sync::Arc<crate::HiddenPart>>)> {
        let scope = self.scope.borrow().clone();
        crate::tally::stats_for(self, &*self.redacted()?, &scope, kept, || {
            self.stats_counted()
        })
    }

    fn stats_by_scan(&self) -> Result<Stats> {
        self.stats_counted()
    }
}

impl crate::tally::Counts for PgStore {
    fn by_source(&self, sql: &str) -> Result<Vec<(String, String, i64, i64)>> {
        self.query(sql, &[])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect()
    }
    fn by_schema(&self, sql: &str) -> Result<Vec<(String, i64)>> {
        self.query(sql, &[])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
    fn pairs(&self, sql: &str) -> Result<Vec<(String, String)>> {
        self.query(sql, &[])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }
    fn still_seen(&self, id: &str) -> Result<bool> {
        let sql = crate::tally::still_seen_sql("$1");
        Ok(self.query_one(&sql, &[&id])?.try_get(0)?)
    }
}

impl crate::tally::Asks for PgStore {
    const PARAM: &'static str = "$1";
    fn asked_of(&self, sql: &str, id: &str) -> Result<Option<(String, bool, bool)>> {
        self.query(sql, &[&id])?
            .first()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .transpose()
    }
    fn asked(&self, sql: &str) -> Result<Vec<(String, String, bool)>> {
        self.query(sql, &[])?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }
}

impl PgStore {
    /// [`Read::stats_by_scan`].
    fn stats_counted(&self) -> Result<Stats> {
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

/// Rows of (value pointed at, the asked id it was merged into, the
/// pointing entity) as what points at each asked id: at it, or at an
/// entity merged into it.
fn by_target(ids: &[String], rows: &[postgres::Row]) -> Result<HashMap<String, Vec<String>>> {
    let asked: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut by_target: HashMap<String, Vec<String>> = HashMap::new();
    for r in rows {
        let value: String = r.try_get(0)?;
        let into: Option<String> = r.try_get(1)?;
        let pointing: String = r.try_get(2)?;
        if asked.contains(value.as_str()) {
            by_target.entry(value).or_default().push(pointing.clone());
        }
        if let Some(into) = into {
            by_target.entry(into).or_default().push(pointing);
        }
    }
    Ok(by_target)
}

impl PgStore {
    /// The read of the rows labels are made of, for the ids in `$1`: over
    /// migration 11's index, whose condition it states word for word,
    /// grouped in the index's order.
    fn labels_sql(&self) -> String {
        format!(
            "SELECT canonical_id, schema, prop, value, min(seq) AS first FROM statement \
             WHERE canonical_id = ANY($1) AND {} {} \
             GROUP BY canonical_id, prop, schema, value ORDER BY first",
            crate::record::label_condition(),
            self.scope("")
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The read of labels is planned over the label index, in the plan
    /// made once for every list of ids: a condition the index does not
    /// see as its own would leave only the table to read (a network named
    /// by each of its members' sources costs one row a member there).
    #[test]
    fn labels_are_read_from_the_label_index() {
        let Some(db) = crate::testing::TestDatabase::create().unwrap() else {
            return;
        };
        let mut store = PgStore::open(&db.url).unwrap();
        // Enough organizations for the planner to weigh indexes by what
        // they hold, not by their size alone.
        let mut batch = Batch::new("doc-1", "h1");
        let mut doc = Entity::new("doc-1", "Document").unwrap();
        doc.add("fileName", "list.txt").unwrap();
        batch.put(doc).unwrap();
        for i in 0..3000 {
            let mut org = Entity::new(format!("org-{i}"), "Organization").unwrap();
            org.add("name", format!("Organization {i}")).unwrap();
            org.add("country", "fr").unwrap();
            batch.put(org).unwrap();
        }
        let prov = dossier_model::statement::Provenance {
            dataset: "test".into(),
            source: String::new(),
            user: "tester".into(),
            origin: None,
            now: "2026-01-01T00:00:00".into(),
        };
        store.apply(&[batch], &prov).unwrap();
        let sql = store.labels_sql();
        let mut c = store.client.borrow_mut();
        // Whatever the table's size, the table itself is the last resort.
        c.batch_execute(
            "ANALYZE statement; SET enable_seqscan = off; SET enable_bitmapscan = off; \
             SET plan_cache_mode = force_generic_plan",
        )
        .unwrap();
        let explain = c.prepare(&format!("EXPLAIN {sql}")).unwrap();
        let ids = vec!["org-1".to_string(), "org-2".to_string()];
        let plan: Vec<String> = c
            .query(&explain, &[&ids])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let plan = plan.join("\n");
        assert!(plan.contains("using statement_label"), "{plan}");
    }
}
