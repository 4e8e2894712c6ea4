//! Reading, under the scope the connection is set to.

use super::*;

impl Follow for SqliteStore {
    fn version(&self) -> Result<i64> {
        Ok(self.mark()?.version)
    }

    fn mark(&self) -> Result<crate::Mark> {
        // Rows are only ever added or retracted (in place, once), and every
        // merge or split is logged, so the newest row's number plus the
        // retractions plus the merges (plus the shape) grows with every change.
        // Each part is a look-up: the retractions are counted as they are
        // written (migration 17), and the log of merges is numbered from 1
        // and never loses a row, so its newest number is how many there are
        // (counting either here walked every one of them, 3–4 ms at 100,000,
        // and a page reads the version several times).
        let db = self.db()?;
        let in_snapshot = self.snapshot.get().is_some();
        if let Some(mark) = self.snapshot_mark.get().filter(|_| in_snapshot) {
            return Ok(mark);
        }
        let (seq, retracted, resolutions, shape): (i64, i64, i64, i64) = db
            .prepare_cached(
                "SELECT coalesce(max(seq), 0), \
                 (SELECT value FROM counter WHERE name = 'retracted'), \
                 (SELECT coalesce(max(seq), 0) FROM resolution_log), \
                 (SELECT coalesce(max(value), 0) FROM counter WHERE name = 'access') FROM statement",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        let mark = crate::Mark {
            version: seq + retracted + resolutions + shape,
            seq,
            resolutions,
            shape,
        };
        if in_snapshot {
            self.snapshot_mark.set(Some(mark));
        }
        Ok(mark)
    }

    fn changed_since(&self, mark: &crate::Mark, limit: usize) -> Result<crate::Changes> {
        let now = self.mark()?;
        crate::record::changes(
            mark,
            &now,
            limit,
            &terms::ENTITY_TYPE.to_string(),
            |sql, from, most| {
                let mut stmt = self.db()?.prepare_cached(&sql.replace('$', "?"))?;
                let ids = stmt.query_map(params![from, most], |r| r.get(0))?;
                Ok(ids.collect::<rusqlite::Result<_>>()?)
            },
        )
    }
}

impl Read for SqliteStore {
    fn entity(&self, id: &str) -> Result<Option<Entity>> {
        let words = self.words()?;
        // Each distinct value once, in the order it was first stated: an
        // entity named by a thousand sources (a large network) is a thousand
        // statements but a handful of values. Read from the entity index
        // alone (it holds every column read here).
        let mut stmt = self.db()?.prepare_cached(&format!(
            "SELECT schema, prop, value, original_value, min(seq) AS first \
             FROM statement INDEXED BY statement_entity \
             WHERE canonical_id = ?1 AND retracted_at IS NULL {} \
             GROUP BY schema, prop, value, original_value ORDER BY first",
            self.scope("")
        ))?;
        let rows: Vec<(String, String, String, Option<String>)> = stmt
            .query_map([id], |r| {
                Ok((
                    words.word(r.get(0)?)?,
                    words.word(r.get(1)?)?,
                    r.get(2)?,
                    r.get(3)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let Some(mut entity) = entity_from_rows(id, rows)? else {
            return Ok(None);
        };
        self.merged()?.follow(&mut entity);
        self.redacted()?.apply(&mut entity);
        Ok(Some(entity))
    }

    fn labels(&self, ids: &[String]) -> Result<Vec<crate::Label>> {
        let words = self.words()?;
        // Per entity: its schemata (from the `id` statements every source
        // makes) and its caption values, first stated first.
        let mut found = LabelRows::new();
        let scope = self.scope("");
        // One prepared statement, asked once per id (a single query with
        // an IN list would be compiled again for every length of list),
        // over migration 15's index, whose condition it states word for
        // word.
        let mut groups: Vec<(i64, i64, String, i64)> = Vec::new();
        if scope.is_empty() {
            // The index holds all it reads: each group's first row at once.
            let mut stmt = self.db()?.prepare_cached(&format!(
                "SELECT prop, schema, value, min(seq) \
                 FROM statement INDEXED BY statement_label \
                 WHERE canonical_id = ?1 AND {} GROUP BY prop, schema, value",
                terms::label_condition(),
            ))?;
            for id in ids {
                if found.contains_key(id) {
                    continue;
                }
                let rows = stmt.query_map([id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?))
                })?;
                groups.clear();
                for row in rows {
                    groups.push(row?);
                }
                label_groups(&mut found, &words, id, &mut groups)?;
            }
        } else {
            // A reader with hidden collections reads each row's dataset
            // from the table, and a hub named by thousands of sources has
            // thousands of rows in a few groups: each question asks for
            // the first row the reader sees of the next (property, schema,
            // value) after the last, in the index's order, so a label is a
            // few look-ups where a `GROUP BY` read every row.
            let mut stmt = self.db()?.prepare_cached(&format!(
                "SELECT prop, schema, value, seq \
                 FROM statement INDEXED BY statement_label \
                 WHERE canonical_id = ?1 AND (prop, schema, value) > (?2, ?3, ?4) AND {} {scope} \
                 ORDER BY prop, schema, value, seq LIMIT 1",
                terms::label_condition(),
            ))?;
            for id in ids {
                if found.contains_key(id) {
                    continue;
                }
                groups.clear();
                let mut after: (i64, i64, String) = (i64::MIN, i64::MIN, String::new());
                while let Some(group) = stmt
                    .query_row(params![id, after.0, after.1, after.2], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?))
                    })
                    .optional()?
                {
                    after = (group.0, group.1, group.2.clone());
                    groups.push(group);
                }
                label_groups(&mut found, &words, id, &mut groups)?;
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
        let words = self.words()?;
        let mut stmt = self.db()?.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let statements = std::iter::from_fn(|| match rows.next() {
            Ok(Some(row)) => {
                Some(read_statement(row, &|k| words.word(k)).map_err(StoreError::from))
            }
            Ok(None) => None,
            Err(e) => Some(Err(e.into())),
        });
        crate::record::each_grouped(statements, schemata, &merged, &redacted, f)
    }

    fn referencing(&self, id: &str) -> Result<Vec<Entity>> {
        let mut stmt = self.db()?.prepare_cached(&format!(
            "SELECT DISTINCT canonical_id FROM statement \
             WHERE value = ?1 AND prop_type = {} AND retracted_at IS NULL {} ORDER BY canonical_id",
            terms::ENTITY_TYPE,
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
        // Two indexed lookups, one after the other, sorted here: an OR
        // across the two columns made SQLite walk the log, and a UNION or
        // an ORDER BY made it build a temporary table for the handful of
        // rows every profile page reads (a tenth of the page's time). The
        // rows read as the entity's, whoever made them, by the entity
        // index; its own rows read as another's by the merged rows' index
        // (migration 16). The two never hold the same row.
        let scope = self.scope("");
        let mut all = self.query_statements(
            &format!(
                "SELECT {COLUMNS} FROM statement WHERE canonical_id = ?1 {scope} \
                 UNION ALL SELECT {COLUMNS} FROM statement \
                 WHERE entity_id = ?1 AND canonical_id <> entity_id {scope}"
            ),
            [entity_id],
        )?;
        all.sort_unstable_by_key(|st| st.seq);
        Ok(all)
    }

    fn recent(&self, limit: usize) -> Result<Vec<Statement>> {
        let words = self.words()?;
        // Backwards along the log's key: the newest rows first, each
        // checked against the reader's scope, no sort.
        let mut stmt = self.db()?.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM statement WHERE 1 = 1 {} ORDER BY seq DESC LIMIT ?1",
            self.scope("")
        ))?;
        let redacted = self.redacted()?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = stmt.query([limit])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut st = read_statement(row, &|k| words.word(k))?;
            redacted.apply_statement(&mut st);
            out.push(st);
        }
        Ok(out)
    }

    fn each_statement(&self, f: &mut dyn FnMut(Statement) -> Result<()>) -> Result<()> {
        let words = self.words()?;
        let mut stmt = self.db()?.prepare(&format!(
            "SELECT {COLUMNS} FROM statement WHERE 1 = 1 {} ORDER BY seq",
            self.scope("")
        ))?;
        let redacted = self.redacted()?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let mut st = read_statement(row, &|k| words.word(k))?;
            redacted.apply_statement(&mut st);
            f(st)?;
        }
        Ok(())
    }

    fn names(&self) -> Result<Vec<NameRecord>> {
        let words = self.words()?;
        let mut stmt = self.db()?.prepare_cached(&format!(
            "SELECT s.canonical_id, e.schema, s.prop, s.value FROM statement s \
             JOIN entity e ON e.id = s.canonical_id \
             WHERE s.prop_type = {} AND s.retracted_at IS NULL \
             AND s.prop IN {} {}",
            terms::NAME_TYPE,
            terms::keys_of("'name', 'alias', 'abbreviation', 'previousName', 'weakAlias'"),
            self.scope("s.")
        ))?;
        let redacted = self.redacted()?;
        let rows = stmt.query_map([], |r| {
            Ok(NameRecord {
                entity_id: r.get(0)?,
                schema: r.get(1)?,
                prop: words.word(r.get(2)?)?,
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

    fn redactions(&self) -> Result<Vec<crate::Redaction>> {
        let mut stmt = self.db()?.prepare_cached(
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

    fn copies(&self, document: Option<&str>) -> Result<Vec<ArchivedCopy>> {
        // Two statements: `?1 IS NULL OR document = ?1` would scan every copy.
        let order = "ORDER BY c.retrieved DESC, c.sha256";
        let from = "FROM archived_copy c JOIN blob b ON b.sha256 = c.sha256";
        let scope = crate::record::scope_sql(self.scope.borrow().hidden(), "c.");
        let rows = match document {
            Some(d) => {
                let sql =
                    format!("SELECT {COPY_COLUMNS} {from} WHERE c.document = ?1 {scope} {order}");
                let mut stmt = self.db()?.prepare_cached(&sql)?;
                let rows = stmt.query_map([d], read_copy)?;
                rows.collect::<rusqlite::Result<_>>()?
            }
            None => {
                let sql = format!("SELECT {COPY_COLUMNS} {from} WHERE 1 = 1 {scope} {order}");
                let mut stmt = self.db()?.prepare_cached(&sql)?;
                let rows = stmt.query_map([], read_copy)?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        Ok(rows)
    }

    fn copy_text(&self, sha256: &str) -> Result<Option<String>> {
        let sql = format!("SELECT b.text {}", self.visible_blob());
        let text: Option<String> = self
            .db()?
            .prepare_cached(&sql)?
            .query_row([sha256], |r| r.get(0))
            .optional()?;
        let redacted = self.redacted()?;
        Ok(text.map(|t| redacted.scrub(&t)))
    }

    fn copy_content(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let sql = format!("SELECT b.content {}", self.visible_blob());
        let bytes: Option<Vec<u8>> = self
            .db()?
            .prepare_cached(&sql)?
            .query_row([sha256], |r| r.get(0))
            .optional()?;
        let redacted = self.redacted()?;
        Ok(bytes.map(|b| redacted.scrub_bytes(b)))
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
            .db()?
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn begin_read(&self) -> Result<bool> {
        if self.wanted.get() || !self.conn.is_autocommit() {
            return Ok(false);
        }
        // Begun with the snapshot's first read (`SqliteStore::db`): a page
        // made from what the server keeps reads nothing, and then costs
        // no transaction.
        self.wanted.set(true);
        Ok(true)
    }

    fn end_read(&self) -> Result<()> {
        self.snapshot.set(None);
        self.snapshot_mark.set(None);
        if !self.wanted.replace(false) || self.conn.is_autocommit() {
            return Ok(());
        }
        // Nothing was written: a rollback ends the snapshot as a commit
        // would, and cannot fail for want of a write lock.
        self.conn.prepare_cached("ROLLBACK")?.execute([])?;
        Ok(())
    }

    fn pointing_at(&self, ids: &[String], schemata: &[&str]) -> Result<Vec<String>> {
        let list: Vec<String> = schemata
            .iter()
            .map(|s| format!("'{}'", s.replace('\'', "''")))
            .collect();
        let mut stmt = self.db()?.prepare_cached(&format!(
            "SELECT DISTINCT canonical_id FROM statement \
             WHERE value = ?1 AND prop_type = {} AND retracted_at IS NULL \
             AND schema IN {} {}",
            terms::ENTITY_TYPE,
            terms::keys_of(&list.join(", ")),
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

impl crate::tally::Counts for SqliteStore {
    const DATASET_NAME: &'static str = "(SELECT text FROM term WHERE key = s.dataset)";
    fn dataset_set(quoted: &str) -> String {
        terms::keys_of(quoted)
    }
    const REDACTED_BY_SOURCE: &'static str = crate::tally::REDACTED_BY_SOURCE_KEYED;
    fn by_source(&self, sql: &str) -> Result<Vec<(String, String, i64, i64)>> {
        let mut stmt = self.db()?.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn by_schema(&self, sql: &str) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.db()?.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn pairs(&self, sql: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.db()?.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
    fn still_seen(&self, id: &str) -> Result<bool> {
        let sql = crate::tally::still_seen_sql("?1");
        Ok(self
            .db()?
            .prepare_cached(&sql)?
            .query_row([id], |r| r.get(0))?)
    }
}

impl crate::tally::Asks for SqliteStore {
    const PARAM: &'static str = "?1";
    fn asked_of(&self, sql: &str, id: &str) -> Result<Option<(String, bool, bool)>> {
        Ok(self
            .db()?
            .prepare_cached(sql)?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?)
    }
    fn asked(&self, sql: &str) -> Result<Vec<(String, String, bool)>> {
        let mut stmt = self.db()?.prepare_cached(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl SqliteStore {
    /// [`Read::stats_by_scan`].
    fn stats_counted(&self) -> Result<Stats> {
        let c = self.db()?;
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
            "SELECT text FROM term WHERE key IN \
             (SELECT DISTINCT dataset FROM statement WHERE 1 = 1 {scope}) ORDER BY text"
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

/// Adds an entity's label rows, one (property, schema, value, first seq)
/// a group, first stated first, as a caption takes its first value.
fn label_groups(
    found: &mut LabelRows,
    words: &terms::Vocabulary<'_>,
    id: &str,
    groups: &mut Vec<(i64, i64, String, i64)>,
) -> Result<()> {
    groups.sort_by_key(|g| g.3);
    for (prop, schema, value, _) in groups.drain(..) {
        label_row(found, id, &words.word(schema)?, words.word(prop)?, value);
    }
    Ok(())
}
