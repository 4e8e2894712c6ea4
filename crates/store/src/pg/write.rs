//! Writing, each call in one transaction.

use super::*;

/// Rows loaded at once after which the tables' statistics are made again.
const ANALYZE_AFTER: usize = 10_000;

impl Write for PgStore {
    fn apply(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        self.each_batch(batches, prov, apply_one)
    }

    fn load(&mut self, statements: &[Statement]) -> Result<usize> {
        self.load_chunks(&mut std::iter::once(Ok(statements.to_vec())))
    }

    fn load_chunks(&mut self, chunks: &mut Chunks<'_>) -> Result<usize> {
        let loaded = self.write(
            |tx| {
                // After the write lock `write` takes: no other write comes between.
                let empty: bool = tx
                    .query_one("SELECT NOT EXISTS (SELECT 1 FROM statement)", &[])?
                    .get(0);
                let mut loader = Loader::new(empty);
                let mut ptx = PgTx::new(&mut *tx);
                for chunk in chunks {
                    loader.chunk(&mut ptx, &chunk.map_err(StoreError::Io)?)?;
                }
                let n = loader.finish(&mut ptx)?;
                // Numbers given by the log: new statements continue after them.
                tx.execute(
                    "SELECT setval(pg_get_serial_sequence('statement', 'seq'), \
                     greatest((SELECT coalesce(max(seq), 0) FROM statement), 1))",
                    &[],
                )?;
                Ok(n)
            },
            |n| *n > 0,
        )?;
        // A large load changes what the planner knows of the tables; left
        // to autovacuum, the statistics are redone some time later, and
        // meanwhile reads are planned (and, prepared, kept) from the old.
        if loaded >= ANALYZE_AFTER {
            self.client
                .get_mut()
                .batch_execute("ANALYZE statement, entity, resolution")?;
        }
        Ok(loaded)
    }

    fn amend(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        self.each_batch(batches, prov, amend_one)
    }

    fn edit(
        &mut self,
        scope: &Scope,
        edit: &crate::Edit,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = scope.hidden();
        self.write(
            |tx| crate::record::edit_one(&mut PgTx::new(tx), edit, prov, out_of_reach),
            |r| r.inserted + r.retracted > 0,
        )
    }

    fn redact(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<()> {
        self.write(
            |tx| {
                let mut t = PgTx::new(&mut *tx);
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
                PgTx::new(&mut *tx).shape_changed()
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
                PgTx::new(&mut *tx).shape_changed()?;
                Ok(n)
            },
            |_| true,
        )?;
        self.redacted.replace(None);
        Ok(n > 0)
    }

    fn delete(
        &mut self,
        scope: &Scope,
        entity: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = scope.hidden();
        self.write(
            |tx| crate::record::delete_one(&mut PgTx::new(tx), entity, reason, prov, out_of_reach),
            |r| r.retracted > 0,
        )
    }

    fn revert(
        &mut self,
        scope: &Scope,
        entity: &str,
        at: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = scope.hidden();
        self.write(
            |tx| {
                crate::record::revert_one(
                    &mut PgTx::new(tx),
                    entity,
                    at,
                    reason,
                    prov,
                    out_of_reach,
                )
            },
            |r| r.inserted + r.retracted > 0,
        )
    }

    fn archive(
        &mut self,
        scope: &Scope,
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
                    let rows = PgTx::new(&mut *tx).rows(id)?;
                    let d = crate::record::copy_dataset(id, &rows, &private, &prov.dataset, scope.hidden())?;
                    datasets.insert(id.clone(), d);
                }
            }
            for batch in documents {
                let prov = Provenance {
                    source: batch.source.clone(),
                    dataset: datasets[&batch.source].clone(),
                    ..prov.clone()
                };
                let r = amend_one(&mut PgTx::new(&mut *tx), batch, &prov)?;
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
                register_entity(&mut PgTx::new(&mut *tx), &i.document, "Document")?;
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

    fn resolve(
        &mut self,
        scope: &Scope,
        assignments: &[(String, String)],
        prov: &Provenance,
    ) -> Result<usize> {
        self.write(
            |tx| resolve_all(&mut PgTx::new(tx), assignments, prov, scope.hidden()),
            |n| *n > 0,
        )
    }
}

impl Store for PgStore {
    fn swap_scope(&self, _: crate::scope::Key, scope: Scope) -> Scope {
        self.scope.replace(scope)
    }
    fn is_broken(&self) -> bool {
        // A borrowed client is in use, so not known to be closed.
        self.client.try_borrow().is_ok_and(|c| c.is_closed())
    }
}
