//! What recording means, written once for every backend: applying a
//! source's batch, amending, loading verbatim, merging and splitting. Each
//! backend gives the few reads and writes these need inside its open
//! transaction ([`Tx`]); the rules live here.

use std::collections::HashMap;

use dossier_model::{Entity, Provenance, Schema, Statement};

use crate::{ApplyReport, Result, StoreError};

mod apply;
mod load;
pub(crate) use apply::{amend_one, apply_one, register_entity};
use apply::{document_first, statements_of};
pub(crate) use load::Loader;

/// One backend's open write transaction.
pub(crate) trait Tx {
    /// The content hash a source's document currently states in a dataset.
    fn content_hash(&mut self, source: &str, dataset: &str) -> Result<Option<String>>;
    /// Current statements of a source in a dataset: statement id → seq.
    fn by_source(&mut self, source: &str, dataset: &str) -> Result<HashMap<String, i64>>;
    /// Current statements of one property of an entity from one source.
    fn by_prop(
        &mut self,
        entity: &str,
        prop: &str,
        source: &str,
        dataset: &str,
    ) -> Result<HashMap<String, i64>>;
    /// The schema an entity id is registered with.
    fn schema_of(&mut self, id: &str) -> Result<Option<String>>;
    fn insert_entity(&mut self, id: &str, schema: &str) -> Result<()>;
    /// The schemata of those of `ids` that are registered.
    fn schemata_of(&mut self, ids: &[&str]) -> Result<HashMap<String, String>> {
        each_found(ids, |id| self.schema_of(id))
    }
    /// Registers entities none of which is registered yet.
    fn insert_entities(&mut self, entities: &[(&str, &str)]) -> Result<()> {
        for (id, schema) in entities {
            self.insert_entity(id, schema)?;
        }
        Ok(())
    }
    fn set_schema(&mut self, id: &str, schema: &str) -> Result<()>;
    /// The statement with this sequence number, if there is one.
    fn stored_at(&mut self, seq: i64) -> Result<Option<Statement>>;
    /// The statements with these sequence numbers, of those there are.
    fn stored_at_all(&mut self, seqs: &[i64]) -> Result<HashMap<i64, Statement>> {
        let mut out = HashMap::new();
        for seq in seqs {
            if let Some(st) = self.stored_at(*seq)? {
                out.insert(*seq, st);
            }
        }
        Ok(out)
    }
    /// Inserts a statement; with `keep_seq` its sequence number too.
    fn insert(&mut self, st: &Statement, keep_seq: bool) -> Result<()>;
    /// Inserts a load's statements, each with its sequence number, in
    /// this order. A backend where each row is a round trip sends them
    /// all at once.
    fn insert_loaded(&mut self, rows: &[&Statement]) -> Result<()> {
        for st in rows {
            self.insert(st, true)?;
        }
        Ok(())
    }
    /// Inserts new statements, each numbered next, in this order.
    fn insert_new(&mut self, rows: &[Statement]) -> Result<()> {
        for st in rows {
            self.insert(st, false)?;
        }
        Ok(())
    }
    /// Moves a statement's `last_seen` on.
    fn touch(&mut self, seq: i64, now: &str) -> Result<()>;
    /// Retracts a statement, dated now and in log order (by the newest row).
    fn retract(&mut self, seq: i64, now: &str, reason: &str) -> Result<()>;
    /// Every read may differ now: followers start again (`Mark::shape`).
    fn shape_changed(&mut self) -> Result<()>;
    /// The entity `id` is merged into.
    fn canonical(&mut self, id: &str) -> Result<Option<String>>;
    /// [`Tx::canonical`] of many: those of `ids` that are merged, each with
    /// the entity it is merged into.
    fn canonicals(&mut self, ids: &[&str]) -> Result<HashMap<String, String>> {
        each_found(ids, |id| self.canonical(id))
    }
    /// Records `id` as merged into `canonical`, or (`None`) as standing alone.
    fn set_canonical(&mut self, id: &str, canonical: Option<&str>) -> Result<()>;
    /// [`Tx::set_canonical`] for many entities, each named once.
    fn set_canonicals(&mut self, each: &[(&str, Option<&str>)]) -> Result<()> {
        for (id, canonical) in each {
            self.set_canonical(id, *canonical)?;
        }
        Ok(())
    }
    /// Reads every statement made about `id` (current and retracted) as `canonical`'s.
    fn rewrite_canonical(&mut self, id: &str, canonical: &str) -> Result<()>;
    fn log_resolution(
        &mut self,
        id: &str,
        previous: &str,
        canonical: &str,
        prov: &Provenance,
    ) -> Result<()>;
    /// The schemata of every statement read as `id`'s.
    fn schemata_of_canonical(&mut self, id: &str) -> Result<Vec<String>>;
    /// A merge into a merged entity, if there is one.
    fn chain(&mut self) -> Result<Option<(String, String)>>;
    /// The current statement with this id from this source.
    fn current_seq(&mut self, id: &str, source: &str) -> Result<Option<i64>>;
    /// Every statement, current and retracted, made about an entity.
    fn rows(&mut self, entity: &str) -> Result<Vec<Statement>>;
}

/// A read of many ids made one id at a time: each id `look` finds, with
/// what it found.
pub(crate) fn each_found(
    ids: &[&str],
    mut look: impl FnMut(&str) -> Result<Option<String>>,
) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for id in ids {
        if let Some(found) = look(id)? {
            out.insert(id.to_string(), found);
        }
    }
    Ok(out)
}

/// FtM's type name of a property, `string` for Dossier's bookkeeping ones.
pub(crate) fn prop_type(schema: &str, prop: &str) -> &'static str {
    Schema::get(schema)
        .and_then(|s| s.property(prop))
        .map(|p| p.kind.ftm_name())
        .unwrap_or("string")
}

/// Merges and splits (see `Store::resolve`); how many entities changed.
pub(crate) fn resolve_all(
    tx: &mut dyn Tx,
    assignments: &[(String, String)],
    prov: &Provenance,
    out_of_reach: &[String],
) -> Result<usize> {
    let mut changed = 0;
    for (entity, canonical) in assignments {
        // An entity the writer cannot read is, to them, not there.
        if !out_of_reach.is_empty() {
            for id in [entity, canonical] {
                let rows = tx.rows(id)?;
                if !rows
                    .iter()
                    .any(|s| s.is_current() && in_reach(s, out_of_reach))
                {
                    return Err(StoreError::UnknownEntity(id.to_string()));
                }
            }
        }
        let mut schema_of = |id: &str| -> Result<String> {
            tx.schema_of(id)?
                .ok_or_else(|| StoreError::UnknownEntity(id.to_string()))
        };
        let (s_entity, s_canonical) = (schema_of(entity)?, schema_of(canonical)?);
        let previous = tx.canonical(entity)?.unwrap_or_else(|| entity.clone());
        if previous == *canonical {
            continue;
        }
        if entity == canonical {
            tx.set_canonical(entity, None)?;
        } else {
            let fits = match (Schema::get(&s_entity), Schema::get(&s_canonical)) {
                (Some(a), Some(b)) => Schema::more_specific(a, b).is_some(),
                _ => false,
            };
            if !fits {
                return Err(StoreError::Incompatible(
                    entity.clone(),
                    s_entity,
                    canonical.clone(),
                    s_canonical,
                ));
            }
            register_entity(tx, canonical, &s_entity)?;
            tx.set_canonical(entity, Some(canonical))?;
        }
        // Every row, current and retracted: the history of a merged
        // entity is its canonical one's too.
        tx.rewrite_canonical(entity, canonical)?;
        tx.log_resolution(entity, &previous, canonical, prov)?;
        if previous != *entity {
            // The entity it leaves may have taken its schema from it.
            reset_schema(tx, &previous)?;
        }
        changed += 1;
    }
    no_chains(tx)?;
    Ok(changed)
}

/// Sets an entity's schema to the most specific one its statements (and
/// those of the entities merged into it) give.
fn reset_schema(tx: &mut dyn Tx, id: &str) -> Result<()> {
    let mut schema: Option<&'static Schema> = None;
    for name in tx.schemata_of_canonical(id)? {
        if let Some(s) = Schema::get(&name) {
            schema = Some(schema.map_or(s, |cur| Schema::more_specific(cur, s).unwrap_or(cur)));
        }
    }
    if let Some(s) = schema {
        tx.set_schema(id, s.name)?;
    }
    Ok(())
}

/// Refuses merges into an entity that is itself merged into another.
fn no_chains(tx: &mut dyn Tx) -> Result<()> {
    match tx.chain()? {
        Some((a, b)) => Err(StoreError::Chain(a, b)),
        None => Ok(()),
    }
}

/// An entity from its distinct current values `(schema, prop, value,
/// original)`, first stated first: the most specific schema any gives;
/// bookkeeping and values that no longer fit the schema left out.
pub(crate) fn entity_from_rows(
    id: &str,
    rows: Vec<(String, String, String, Option<String>)>,
) -> Result<Option<Entity>> {
    let mut schema: Option<&'static Schema> = None;
    for (name, ..) in &rows {
        let s = Schema::get(name)
            .ok_or_else(|| dossier_model::ModelError::UnknownSchema(name.clone()))?;
        schema = Some(match schema {
            None => s,
            Some(cur) => Schema::more_specific(cur, s).unwrap_or(cur),
        });
    }
    let Some(schema) = schema else {
        return Ok(None);
    };
    let mut entity = Entity::new(id, schema.name)?;
    for (stated, prop, value, original) in rows {
        if prop == dossier_model::statement::ID_PROP {
            continue;
        }
        let value = dossier_model::Value { value, original };
        if schema.property(&prop).is_some() {
            entity.add(&prop, value)?;
        } else if Schema::get(&stated).is_some_and(|s| s.property(&prop).is_none()) {
            // A property FtM's model does not have, kept as it came in.
            entity.keep_unknown(&prop, value)?;
        }
    }
    Ok(Some(entity))
}

/// Every merge, both ways.
#[derive(Debug, Default)]
pub(crate) struct Merged {
    /// Merged entity → the entity it is part of.
    pub(crate) to: HashMap<String, String>,
    /// Canonical entity → the entities merged into it, sorted.
    pub(crate) from: HashMap<String, Vec<String>>,
}

impl Merged {
    /// From `(entity, canonical)` pairs sorted by entity.
    pub(crate) fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Merged {
        let mut merged = Merged::default();
        for (entity, canonical) in pairs {
            merged
                .from
                .entry(canonical.clone())
                .or_default()
                .push(entity.clone());
            merged.to.insert(entity, canonical);
        }
        merged
    }

    /// Points an entity's references to merged entities at their
    /// canonical ones (a value reached twice is kept once).
    pub(crate) fn follow(&self, e: &mut Entity) {
        if self.to.is_empty() {
            return;
        }
        let schema = e.schema;
        for (prop, values) in e.properties.iter_mut() {
            if schema.property(prop).map(|p| p.kind) != Some(dossier_model::PropType::Entity) {
                continue;
            }
            let mut changed = false;
            for v in values.iter_mut() {
                if let Some(c) = self.to.get(&v.value) {
                    v.value.clone_from(c);
                    changed = true;
                }
            }
            if changed {
                let mut seen = std::collections::HashSet::new();
                values.retain(|v| seen.insert(v.value.clone()));
            }
        }
    }

    pub(crate) fn pairs(&self) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = self
            .to
            .iter()
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect();
        all.sort_unstable();
        all
    }
}

/// Per entity, what a label is made of: the most specific schema seen,
/// and its caption values `(prop, value)`, first stated first.
pub(crate) type LabelRows = HashMap<String, (Option<&'static Schema>, Vec<(String, String)>)>;

/// Labels from `(schema, prop, value)` rows per id, first stated first.
pub(crate) fn labels_from(ids: &[String], found: &LabelRows) -> Vec<crate::Label> {
    use dossier_model::entity::CAPTION_PROPS;
    ids.iter()
        .filter_map(|id| {
            let (schema, values) = found.get(id)?;
            let schema = (*schema)?;
            let caption = CAPTION_PROPS
                .iter()
                .filter(|p| schema.property(p).is_some())
                .find_map(|p| values.iter().find(|(q, _)| q == p).map(|(_, v)| v.clone()))
                .unwrap_or_else(|| id.clone());
            Some(crate::Label {
                id: id.clone(),
                schema,
                caption,
            })
        })
        .collect()
}

/// The condition of the label index (SQLite's migration 15, PostgreSQL's
/// 11), as its reads must say it for either database to see that the
/// partial index covers them: current rows of the `id` property and of the
/// caption properties, as `prop = … OR …` (an IN list there makes SQLite's
/// index slow to build, and a list given as a parameter is one PostgreSQL
/// cannot match with the index's condition when it plans once for every
/// list).
pub(crate) fn label_condition() -> String {
    let props = std::iter::once(dossier_model::statement::ID_PROP)
        .chain(dossier_model::entity::CAPTION_PROPS)
        .map(|p| format!("prop = '{p}'"))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!("retracted_at IS NULL AND ({props})")
}

/// Adds one `(schema, prop, value)` row to what `labels_from` reads.
pub(crate) fn label_row(
    found: &mut LabelRows,
    id: &str,
    schema: &str,
    prop: String,
    value: String,
) {
    let entry = found.entry(id.to_string()).or_default();
    if let Some(s) = Schema::get(schema) {
        entry.0 = Some(match entry.0 {
            None => s,
            Some(cur) => Schema::more_specific(cur, s).unwrap_or(cur),
        });
    }
    if prop != dossier_model::statement::ID_PROP {
        entry.1.push((prop, value));
    }
}

/// `AND <alias>dataset NOT IN ('a', 'b')` for hidden datasets (quotes
/// doubled), or nothing when none is hidden.
/// [`scope_sql`] for statement rows (`alias` the statement table's, or
/// empty for an unaliased `statement`): also leaves out what archiving
/// recorded in the archive's dataset about a document with statements in
/// a hidden dataset. Archiving once put a private source's copy there
/// (stores written before copies followed their source keep such rows);
/// the rule holds them to their document's privacy, now and later.
/// `set` makes of a quoted list of datasets what the backend's rows are
/// compared with: the list in brackets where a row holds its dataset's
/// name ([`words`]), their keys where it holds a key (SQLite).
pub(crate) fn statement_scope_sql(
    hidden: &[String],
    alias: &str,
    set: fn(&str) -> String,
) -> String {
    if hidden.is_empty() {
        return String::new();
    }
    let list = set(&quoted_list(hidden));
    let outer = if alias.is_empty() {
        "statement."
    } else {
        alias
    };
    // The document's rows in two halves, each by an index SQLite has
    // (migration 16): those read as its own, and those read as another's.
    format!(
        "AND {alias}dataset NOT IN {list} AND NOT ({alias}dataset IN {archive} AND (EXISTS \
         (SELECT 1 FROM statement hidden_row WHERE hidden_row.canonical_id = {outer}entity_id \
          AND hidden_row.entity_id = {outer}entity_id AND hidden_row.dataset IN {list}) \
         OR EXISTS (SELECT 1 FROM statement hidden_row WHERE hidden_row.entity_id = {outer}entity_id \
          AND hidden_row.canonical_id <> hidden_row.entity_id AND hidden_row.dataset IN {list})))",
        archive = set(&format!("'{}'", crate::ARCHIVE_DATASET.replace('\'', "''"))),
    )
}

/// A quoted list of words in brackets, as a set an `IN` reads.
pub(crate) fn words(quoted: &str) -> String {
    format!("({quoted})")
}

pub(crate) fn quoted_list(hidden: &[String]) -> String {
    hidden
        .iter()
        .map(|d| format!("'{}'", d.replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn scope_sql(hidden: &[String], alias: &str) -> String {
    if hidden.is_empty() {
        return String::new();
    }
    format!("AND {alias}dataset NOT IN ({})", quoted_list(hidden))
}

/// The dataset an archived copy of a document belongs to, with the
/// statements archiving makes about that document: the dataset of the
/// source it archives, so a copy is read by those who may read its source
/// and no one else. A document already recorded (`rows`, every statement
/// ever made about it) goes where its own statements are: into a private
/// collection when any of them is in one, else where it was first
/// recorded. Statements earlier archiving made (`archive_dataset`) do not
/// count; a document new to the store goes into `asked`. A document with
/// a statement in a dataset hidden from the writer (`out_of_reach`) is
/// not theirs to archive.
pub(crate) fn copy_dataset(
    id: &str,
    rows: &[Statement],
    private: &[String],
    asked: &str,
    out_of_reach: &[String],
) -> Result<String> {
    if rows.iter().any(|s| !in_reach(s, out_of_reach)) {
        return Err(StoreError::OutOfReach(id.to_string()));
    }
    let own = || rows.iter().filter(|s| s.dataset != crate::ARCHIVE_DATASET);
    Ok(own()
        .find(|s| private.contains(&s.dataset))
        .or_else(|| own().next())
        .map_or_else(|| asked.to_string(), |s| s.dataset.clone()))
}

/// Records an edit: retracts the given current values (whoever stated
/// them) with the edit's reason, then states the batch's values from its
/// source, leaving every other value as it is.
pub(crate) fn edit_one(
    tx: &mut dyn Tx,
    edit: &crate::Edit,
    prov: &Provenance,
    out_of_reach: &[String],
) -> Result<ApplyReport> {
    let batch = &edit.batch;
    if tx.schema_of(&batch.source)?.is_none() && batch.get(&batch.source).is_none() {
        return Err(StoreError::SourceMissing(batch.source.clone()));
    }
    let prov = Provenance {
        source: batch.source.clone(),
        ..prov.clone()
    };
    let mut report = ApplyReport {
        entities: batch.len(),
        ..Default::default()
    };
    for (entity, prop, value) in &edit.remove {
        let rows = tx.rows(entity)?;
        for st in rows.iter().filter(|s| {
            s.is_current() && s.prop == *prop && s.value == *value && in_reach(s, out_of_reach)
        }) {
            tx.retract(st.seq, &prov.now, &edit.reason)?;
            report.retracted += 1;
        }
    }
    for entity in document_first(batch) {
        register_entity(tx, &entity.id, entity.schema.name)?;
        for st in statements_of(tx, entity, &prov)? {
            match tx.current_seq(&st.id, &st.source)? {
                Some(seq) => {
                    tx.touch(seq, &prov.now)?;
                    report.kept += 1;
                }
                None => {
                    tx.insert(&st, false)?;
                    report.inserted += 1;
                }
            }
        }
    }
    Ok(report)
}

/// Takes back what was done to an entity at one moment (an edit, an
/// import): the statements made then are retracted, those retracted then
/// are stated again, now, by `prov`'s user.
pub(crate) fn revert_one(
    tx: &mut dyn Tx,
    entity: &str,
    at: &str,
    reason: &str,
    prov: &Provenance,
    out_of_reach: &[String],
) -> Result<ApplyReport> {
    let mut report = ApplyReport::default();
    let rows: Vec<Statement> = tx
        .rows(entity)?
        .into_iter()
        .filter(|s| in_reach(s, out_of_reach))
        .collect();
    for st in rows.iter().filter(|s| s.first_seen == at && s.is_current()) {
        tx.retract(st.seq, &prov.now, reason)?;
        report.retracted += 1;
    }
    for st in rows
        .iter()
        .filter(|s| s.retracted_at.as_deref() == Some(at))
    {
        if tx.current_seq(&st.id, &st.source)?.is_some() {
            continue;
        }
        let again = Statement {
            seq: 0,
            user: prov.user.clone(),
            origin: prov.origin.clone(),
            first_seen: prov.now.clone(),
            last_seen: prov.now.clone(),
            retracted_at: None,
            retraction: None,
            canonical_id: tx
                .canonical(&st.entity_id)?
                .unwrap_or_else(|| st.entity_id.clone()),
            ..st.clone()
        };
        tx.insert(&again, false)?;
        report.inserted += 1;
    }
    Ok(report)
}

/// Soft-deletes an entity: every current statement made about it (from
/// any source) is retracted with `reason`; the history keeps them, and
/// reverting the moment brings them back.
pub(crate) fn delete_one(
    tx: &mut dyn Tx,
    entity: &str,
    reason: &str,
    prov: &Provenance,
    out_of_reach: &[String],
) -> Result<ApplyReport> {
    let mut report = ApplyReport::default();
    let rows = tx.rows(entity)?;
    for st in rows
        .iter()
        .filter(|s| s.is_current() && in_reach(s, out_of_reach))
    {
        tx.retract(st.seq, &prov.now, reason)?;
        report.retracted += 1;
    }
    Ok(report)
}

/// Whether a write may touch a row: not when its dataset is hidden from the
/// writer (a private collection they may not read). Edits, reverts and
/// deletes take and give back only such rows, whatever they were asked.
fn in_reach(st: &Statement, out_of_reach: &[String]) -> bool {
    !out_of_reach.contains(&st.dataset)
}

/// What redaction blanks: the redacted entities, and their names.
#[derive(Debug, Default)]
pub(crate) struct Redacted {
    pub(crate) ids: std::collections::HashSet<String>,
    /// Their names, found however they are spelled.
    names: dossier_model::blanking::NameBlanker,
}

/// What a redacted name is shown as.
pub const REDACTED: &str = "[redacted]";

impl Redacted {
    /// From `(entity id, names one a line)` rows.
    pub(crate) fn from_rows(rows: impl IntoIterator<Item = (String, String)>) -> Redacted {
        let mut ids = std::collections::HashSet::new();
        let mut all = Vec::new();
        for (id, names) in rows {
            ids.insert(id);
            all.extend(names.lines().map(str::trim).map(str::to_string));
        }
        Redacted {
            ids,
            names: dossier_model::blanking::NameBlanker::new(all.iter().map(String::as_str)),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The text with every redacted name blanked, however it is spelled
    /// (see [`dossier_model::blanking`]): the one function every exit uses.
    pub(crate) fn scrub(&self, text: &str) -> String {
        self.names.blank(text, REDACTED)
    }

    /// An archived copy's bytes with the names blanked: as UTF-8 text when
    /// they are that (HTML, plain text); bytes in another encoding that
    /// name someone redacted are given as the blanked text (UTF-8), since
    /// blanking cannot be done in an encoding it does not read.
    pub(crate) fn scrub_bytes(&self, bytes: Vec<u8>) -> Vec<u8> {
        if self.is_empty() {
            return bytes;
        }
        match String::from_utf8(bytes) {
            Ok(text) => self.scrub(&text).into_bytes(),
            Err(e) => {
                let bytes = e.into_bytes();
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                let scrubbed = self.scrub(&lossy);
                if scrubbed == lossy {
                    bytes
                } else {
                    scrubbed.into_bytes()
                }
            }
        }
    }

    /// Blanks an entity: references to redacted entities dropped, names
    /// in every other value blanked.
    pub(crate) fn apply(&self, e: &mut Entity) {
        if self.is_empty() {
            return;
        }
        let schema = e.schema;
        for (prop, values) in e.properties.iter_mut() {
            if schema.property(prop).map(|p| p.kind) == Some(dossier_model::PropType::Entity) {
                values.retain(|v| !self.ids.contains(&v.value));
            } else {
                for v in values.iter_mut() {
                    v.value = self.scrub(&v.value);
                    if let Some(o) = &v.original {
                        v.original = Some(self.scrub(o));
                    }
                }
            }
        }
        e.properties.retain(|_, v| !v.is_empty());
    }

    /// Blanks a statement's value (statements about redacted entities are
    /// left out by the query).
    pub(crate) fn apply_statement(&self, st: &mut Statement) {
        if self.is_empty() {
            return;
        }
        if self.ids.contains(&st.value) {
            st.value = REDACTED.to_string();
        } else {
            st.value = self.scrub(&st.value);
        }
        if let Some(o) = &st.original_value {
            st.original_value = Some(self.scrub(o));
        }
        // Why it was retracted, and how it came (an edit's reason), are
        // text a person wrote: names are blanked there too.
        if let Some(r) = &st.retraction {
            st.retraction = Some(self.scrub(r));
        }
        if let Some(o) = &st.origin {
            st.origin = Some(self.scrub(o));
        }
    }
}

/// `AND … NOT IN (redacted)` for statements, when anyone is redacted.
pub(crate) fn redaction_sql(redacted: &Redacted, alias: &str) -> String {
    if redacted.is_empty() {
        String::new()
    } else {
        redaction_condition(alias)
    }
}

/// [`redaction_sql`] while anything is redacted.
pub(crate) fn redaction_condition(alias: &str) -> String {
    format!(
        "AND {alias}canonical_id NOT IN (SELECT entity_id FROM redaction) \
         AND {alias}entity_id NOT IN (SELECT entity_id FROM redaction)"
    )
}

/// The names a person goes by, to blank on redaction: names, aliases,
/// first and last name together.
pub(crate) fn names_to_blank(statements: &[Statement]) -> Vec<String> {
    let current: Vec<&Statement> = statements.iter().filter(|s| s.is_current()).collect();
    let mut names: Vec<String> = current
        .iter()
        .filter(|s| {
            matches!(
                s.prop.as_str(),
                "name" | "alias" | "weakAlias" | "previousName"
            )
        })
        .map(|s| s.value.clone())
        .collect();
    let first = current.iter().find(|s| s.prop == "firstName");
    let last = current.iter().find(|s| s.prop == "lastName");
    if let (Some(f), Some(l)) = (first, last) {
        names.push(format!("{} {}", f.value, l.value));
    }
    names.sort();
    names.dedup();
    names
}

/// The names kept with a redaction (one a line, as `names_to_blank` wrote them).
pub(crate) fn redacted_names(kept: &str) -> Vec<String> {
    kept.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The entities changed since a mark (`$1` its newest statement row), at
/// most `$2` of them: those with a statement added or retracted since, and
/// those such statements point at (a quotation's claim, read as the entity
/// it is merged into). Both backends run it (SQLite with `?` for `$`),
/// each stating the property type `entity` as its rows hold it.
fn changed_since(entity_type: &str) -> String {
    format!(
        "SELECT canonical_id FROM statement WHERE seq > $1 \
         UNION SELECT canonical_id FROM statement WHERE retracted_seq >= $1 \
         UNION SELECT coalesce(r.canonical_id, s.value) FROM statement s \
             LEFT JOIN resolution r ON r.entity_id = s.value \
             WHERE s.seq > $1 AND s.prop_type = {entity_type} \
         UNION SELECT coalesce(r.canonical_id, s.value) FROM statement s \
             LEFT JOIN resolution r ON r.entity_id = s.value \
             WHERE s.retracted_seq >= $1 AND s.prop_type = {entity_type} \
         LIMIT $2"
    )
}

/// Both sides of every merge and split since a mark (`$1` its newest
/// merge), at most `$2`.
pub(crate) const MERGED_SINCE: &str = "\
    SELECT entity_id FROM resolution_log WHERE seq > $1 \
    UNION SELECT previous FROM resolution_log WHERE seq > $1 \
    UNION SELECT canonical_id FROM resolution_log WHERE seq > $1 \
    LIMIT $2";

/// How many statement rows an entity has, at least, for the quick answer
/// that a change is too large to list (`Changes::Everything`) before the
/// log is read.
const ROWS_PER_ENTITY: usize = 4;

/// What changed between two marks, given how to list the entities with
/// changed statements and those merged or split (`list(query, from,
/// most)`: at most `most`, so an overflow shows); `entity_type` is the
/// property type `entity` as the backend's rows hold it.
pub(crate) fn changes(
    then: &crate::Mark,
    now: &crate::Mark,
    limit: usize,
    entity_type: &str,
    mut list: impl FnMut(&str, i64, i64) -> Result<Vec<String>>,
) -> Result<crate::Changes> {
    if let Some(c) = crate::Changes::from_marks(then, now) {
        return Ok(c);
    }
    let new_rows = usize::try_from(now.seq - then.seq).unwrap_or(usize::MAX);
    if new_rows / ROWS_PER_ENTITY > limit {
        return Ok(crate::Changes::Everything);
    }
    let most = i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1);
    let mut merged = if now.resolutions > then.resolutions {
        list(MERGED_SINCE, then.resolutions, most)?
    } else {
        Vec::new()
    };
    let mut changed = list(&changed_since(entity_type), then.seq, most)?;
    changed.extend(merged.iter().cloned());
    changed.sort_unstable();
    changed.dedup();
    if changed.len() > limit {
        return Ok(crate::Changes::Everything);
    }
    merged.sort_unstable();
    merged.dedup();
    Ok(crate::Changes::Entities { changed, merged })
}

/// Turns current statements read in `canonical_id, seq` order into
/// entities, handing each to `f` as it is complete: those of the wanted
/// schemata (all, when none is named), read through merges and redactions.
/// Both backends' `each_entity` feed it their rows.
pub(crate) fn each_grouped(
    rows: impl Iterator<Item = Result<Statement>>,
    schemata: &[&str],
    merged: &Merged,
    redacted: &Redacted,
    f: &mut dyn FnMut(Entity) -> Result<()>,
) -> Result<()> {
    let mut group: Vec<Statement> = Vec::new();
    let mut flush = |group: &mut Vec<Statement>| -> Result<()> {
        for mut e in dossier_model::statement::aggregate(group.iter())? {
            if schemata.is_empty() || schemata.iter().any(|s| e.schema.is_a(s)) {
                merged.follow(&mut e);
                redacted.apply(&mut e);
                f(e)?;
            }
        }
        group.clear();
        Ok(())
    };
    for st in rows {
        let st = st?;
        if group
            .last()
            .is_some_and(|g| g.canonical_id != st.canonical_id)
        {
            flush(&mut group)?;
        }
        group.push(st);
    }
    flush(&mut group)
}

#[cfg(test)]
mod label_index_tests {
    #![allow(clippy::unwrap_used)]

    /// Each backend's label index is made with the condition the reads
    /// state, word for word (whitespace aside): otherwise the database
    /// does not see that the index covers them and reads the table.
    #[test]
    fn the_label_indexes_are_made_with_the_condition_their_reads_state() {
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        // SQLite's, whose rows hold keys, is checked in `sqlite/terms.rs`.
        let migration = include_str!("../migrations/postgres/0011_label_index.sql");
        let index = squeeze(migration.split("CREATE INDEX").nth(1).unwrap());
        assert!(
            index.ends_with(&format!("WHERE {};", super::label_condition())),
            "{index}"
        );
    }
}
