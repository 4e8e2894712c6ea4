//! Writing, each call in one transaction.

use super::*;

impl Write for SqliteStore {
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

    fn amend(&mut self, batches: &[Batch], prov: &Provenance) -> Result<Vec<ApplyReport>> {
        self.each_batch(batches, prov, amend_one, Bulk::No)
    }

    fn edit(
        &mut self,
        scope: &Scope,
        edit: &crate::Edit,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = scope.hidden();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let report = crate::record::edit_one(&mut SqlTx::new(&tx), edit, prov, out_of_reach)?;
        tx.commit()?;
        Ok(report)
    }

    fn redact(&mut self, entity: &str, reason: &str, prov: &Provenance) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut t = SqlTx::new(&tx);
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

    fn delete(
        &mut self,
        scope: &Scope,
        entity: &str,
        reason: &str,
        prov: &Provenance,
    ) -> Result<ApplyReport> {
        // The writer's scope: rows hidden from them are not theirs to change.
        let out_of_reach = scope.hidden();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let report =
            crate::record::delete_one(&mut SqlTx::new(&tx), entity, reason, prov, out_of_reach)?;
        tx.commit()?;
        Ok(report)
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
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let report = crate::record::revert_one(
            &mut SqlTx::new(&tx),
            entity,
            at,
            reason,
            prov,
            out_of_reach,
        )?;
        tx.commit()?;
        Ok(report)
    }

    fn archive(
        &mut self,
        scope: &Scope,
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
                let rows = SqlTx::new(&tx).rows(id)?;
                let d = crate::record::copy_dataset(
                    id,
                    &rows,
                    &private,
                    &prov.dataset,
                    scope.hidden(),
                )?;
                datasets.insert(id.clone(), d);
            }
        }
        for batch in documents {
            let prov = Provenance {
                source: batch.source.clone(),
                dataset: datasets[&batch.source].clone(),
                ..prov.clone()
            };
            let r = amend_one(&mut SqlTx::new(&tx), batch, &prov)?;
            report.statements += r.inserted + r.retracted;
        }
        for c in copies {
            let i = &c.info;
            let dataset = &datasets[&i.document];
            tx.prepare_cached(
                "INSERT OR IGNORE INTO blob (sha256, size, media_type, content, text) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![i.sha256, c.content.len() as i64, i.media_type, c.content, c.text])?;
            register_entity(&mut SqlTx::new(&tx), &i.document, "Document")?;
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

    fn resolve(
        &mut self,
        scope: &Scope,
        assignments: &[(String, String)],
        prov: &Provenance,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let changed = resolve_all(&mut SqlTx::new(&tx), assignments, prov, scope.hidden())?;
        tx.commit()?;
        self.merged.replace(None);
        Ok(changed)
    }
}

impl Store for SqliteStore {
    fn swap_scope(&self, _: crate::scope::Key, scope: Scope) -> Scope {
        self.scope.replace(scope)
    }
}
