//! `stats` from the counts the store keeps (migration 14 on SQLite, 8 on
//! PostgreSQL): statements by dataset and source, entities by schema, kept
//! by triggers on every write. A few hundred rows read instead of every
//! statement; the rows about redacted entities, which reads leave out, are
//! found through the indexes and taken off. A reader with hidden datasets
//! has the hidden datasets' counts taken off whole, and then what else the
//! scope hides (the old archive dataset's rows about a hidden document),
//! found through the indexes by the scope's own condition ([`Hiding`]); the
//! entities left with no current row the reader sees are found among
//! those whose current rows are in the hidden datasets, each asked about
//! by that condition. So the work is in proportion to what is hidden, not
//! to the store; and that part is kept from one call to the next while the
//! store's log shows it holds ([`HiddenPart`], `hidden.rs`). Going over
//! every row the reader may see
//! (`Read::stats_by_scan`) is what the tests hold these counts against.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::Stats;

mod hidden;

pub use hidden::HiddenPart;
pub(crate) use hidden::{Asks, Hiding};

/// The counts by dataset and source: dataset, source, statements, current.
pub(crate) const BY_SOURCE: &str =
    "SELECT dataset, source, statements, current FROM tally_source WHERE statements > 0";

/// The entities with a current statement, by schema.
pub(crate) const BY_SCHEMA: &str = "SELECT schema, entities FROM tally_schema WHERE entities > 0";

/// The rows (by `seq`) made about a redacted entity, or read as one's:
/// led by the few redacted ids, through the indexes on `canonical_id`
/// and on `entity_id` (on SQLite, of the rows read as another entity's:
/// the first half has the rest). (`… IN (redacted) OR … IN (redacted)` over the
/// statements was read by PostgreSQL as a scan of every row; a plain join
/// by SQLite, which keeps no statistics, as a scan of an index of every
/// row: `CROSS JOIN` makes SQLite start from the redactions, and
/// PostgreSQL plans it as any join.)
macro_rules! about_redacted {
    () => {
        "SELECT s1.seq FROM redaction r CROSS JOIN statement s1 WHERE s1.canonical_id = r.entity_id \
         UNION SELECT s2.seq FROM redaction r CROSS JOIN statement s2 \
         WHERE s2.entity_id = r.entity_id AND s2.canonical_id <> s2.entity_id"
    };
}
pub(crate) use about_redacted;

/// The statements reads leave out because they are about a redacted
/// entity, counted as [`BY_SOURCE`] counts.
pub(crate) const REDACTED_BY_SOURCE: &str = concat!(
    "SELECT s.dataset, s.source, count(*), count(*) FILTER (WHERE s.retracted_at IS NULL) \
     FROM (",
    about_redacted!(),
    ") x CROSS JOIN statement s WHERE s.seq = x.seq GROUP BY s.dataset, s.source"
);

/// [`REDACTED_BY_SOURCE`] where a row holds its dataset as a key into
/// `term` (SQLite, migration 18).
pub(crate) const REDACTED_BY_SOURCE_KEYED: &str = concat!(
    "SELECT (SELECT text FROM term WHERE key = s.dataset), s.source, count(*), \
     count(*) FILTER (WHERE s.retracted_at IS NULL) FROM (",
    about_redacted!(),
    ") x CROSS JOIN statement s WHERE s.seq = x.seq GROUP BY s.dataset, s.source"
);

/// The entities (id, schema) that a current statement about a redacted
/// entity is read as: those redaction may leave with no current
/// statement a reader sees (the redacted themselves, and those whose only
/// current statements were made about a redacted record merged into
/// them). Each is then asked about alone ([`Counts::still_seen`]).
pub(crate) const REDACTED_CANONICALS: &str = concat!(
    "SELECT DISTINCT s.canonical_id, e.schema FROM (",
    about_redacted!(),
    ") x CROSS JOIN statement s CROSS JOIN entity e \
     WHERE s.seq = x.seq AND e.id = s.canonical_id AND s.retracted_at IS NULL"
);

/// Whether the entity `{}` (the backend's first parameter) still has a
/// current statement no redaction leaves out; by the index on
/// `canonical_id`, the one entity's rows.
pub(crate) fn still_seen_sql(param: &str) -> String {
    format!(
        "SELECT EXISTS (SELECT 1 FROM statement s WHERE s.canonical_id = {param} \
         AND s.retracted_at IS NULL AND NOT EXISTS \
         (SELECT 1 FROM redaction r WHERE r.entity_id = s.canonical_id OR r.entity_id = s.entity_id))"
    )
}

/// What a backend answers for [`read`].
pub(crate) trait Counts {
    /// How the statements about redacted entities are counted by source.
    const REDACTED_BY_SOURCE: &'static str = REDACTED_BY_SOURCE;
    /// Rows of (dataset, source, statements, current) for `sql`.
    fn by_source(&self, sql: &str) -> crate::Result<Vec<(String, String, i64, i64)>>;
    /// Rows of (text, count) for `sql`.
    fn by_schema(&self, sql: &str) -> crate::Result<Vec<(String, i64)>>;
    /// Rows of (text, text) for `sql`.
    fn pairs(&self, sql: &str) -> crate::Result<Vec<(String, String)>>;
    /// [`still_seen_sql`] for `id`.
    fn still_seen(&self, id: &str) -> crate::Result<bool>;
    /// What a quoted list of dataset names is compared with in a row
    /// (`record::statement_scope_sql`'s `set`).
    fn dataset_set(quoted: &str) -> String {
        crate::record::words(quoted)
    }
    /// The dataset's name from the row `s`.
    const DATASET_NAME: &'static str = "s.dataset";
}

/// `Read::stats_keeping` for a backend's reader in `scope`: from the kept
/// counts ([`read`]), with what else the scope hides from `kept` while it
/// holds; or from `counted` (going over the reader's rows) when the
/// hidden datasets hold too much of the store for that.
pub(crate) fn stats_for<C: Asks + crate::Follow>(
    store: &C,
    redacted: &crate::record::Redacted,
    scope: &crate::Scope,
    kept: Option<&HiddenPart>,
    counted: impl FnOnce() -> crate::Result<Stats>,
) -> crate::Result<(Stats, Option<Arc<HiddenPart>>)> {
    let scoped = crate::record::statement_scope_sql(scope.hidden(), "s.", C::dataset_set);
    let hiding = Hiding {
        hidden: scope.hidden(),
        set: C::dataset_set,
        dataset_name: C::DATASET_NAME,
        redaction: &crate::record::redaction_sql(redacted, "s."),
        scoped: &scoped,
    };
    let hiding = (!scope.sees_everything()).then_some((&hiding, kept));
    match read(store, !redacted.is_empty(), hiding)? {
        Some(made) => Ok(made),
        // Hidden datasets that hold much of the store: every row.
        None => Ok((counted()?, None)),
    }
}

/// Counts by (dataset, source): statements, current ones.
type BySource = HashMap<(String, String), (i64, i64)>;

/// Adds rows of (dataset, source, statements, current) to `into`, taken
/// away when `sign` is -1.
fn add(into: &mut BySource, rows: Vec<(String, String, i64, i64)>, sign: i64) {
    for (dataset, source, all, current) in rows {
        let e = into.entry((dataset, source)).or_default();
        e.0 += sign * all;
        e.1 += sign * current;
    }
}

/// Up to what share of the current rows a reader's hidden datasets (and
/// the archive dataset) may hold for [`read`] to take them off the kept
/// counts; past it, going over the rows is quicker. Measured at 100k
/// organizations (`dossier-bench stats`, BENCHMARKS.md, issue 29, part 5):
/// taking off a hidden collection of 6% of the rows took a twelfth of the
/// time going over that reader's rows did; taking off every row took
/// three times as long.
const MOST_HIDDEN: (i64, i64) = (1, 5);

/// So few hidden current rows that taking them off takes milliseconds,
/// whatever their share of the store.
const FEW_HIDDEN: i64 = 10_000;

/// The statistics from the kept counts, read by a backend, less what
/// redaction leaves out when anyone is `redacted`, and less what a reader
/// with hidden datasets may not see (`hiding`): their own counts, and the
/// rest of what the scope hides, taken from the part given with it while
/// that holds ([`HiddenPart`]), else made again and returned. `None` when
/// those datasets hold more than [`MOST_HIDDEN`] of the current rows, and
/// more than [`FEW_HIDDEN`]: the backend then goes over every row the
/// reader may see.
pub(crate) fn read<C: Asks + crate::Follow>(
    store: &C,
    redacted: bool,
    hiding: Option<(&Hiding<'_>, Option<&HiddenPart>)>,
) -> crate::Result<Option<(Stats, Option<Arc<HiddenPart>>)>> {
    // The log's mark before anything is read: a change after it is one a
    // kept part is asked about the next time.
    let mark = match hiding {
        Some(_) => Some(store.mark()?),
        None => None,
    };
    let mut by_source = BySource::new();
    add(&mut by_source, store.by_source(BY_SOURCE)?, 1);
    let mut unseen: BTreeMap<String, i64> = BTreeMap::new();
    let mut made = None;
    if let (Some((h, kept)), Some(mark)) = (hiding, mark) {
        let key = h.key(&by_source);
        let hidden: i64 = key.iter().map(|k| k.3).sum();
        let all: i64 = by_source.values().map(|v| v.1).sum();
        if hidden > FEW_HIDDEN && hidden * MOST_HIDDEN.1 > all * MOST_HIDDEN.0 {
            return Ok(None);
        }
        let mut redacted_now = Vec::new();
        if redacted {
            redacted_now = store.pairs(REDACTED_CANONICALS)?;
            redacted_now.sort_unstable();
        }
        let still = match kept {
            Some(k) => k.still(
                mark,
                h.hidden,
                key.clone(),
                redacted_now.clone(),
                |m, limit| store.changed_since(m, limit),
            )?,
            None => None,
        };
        let part = match still {
            Some(mending) => h.mend(store, mending)?,
            None => h.part(store, mark, key, redacted_now)?,
        };
        if redacted {
            add(&mut by_source, store.by_source(C::REDACTED_BY_SOURCE)?, -1);
        }
        // A hidden dataset's rows are all hidden (those about a redacted
        // entity were taken off above: not twice).
        by_source.retain(|(dataset, _), _| !h.hidden.contains(dataset));
        add(&mut by_source, part.archive().to_vec(), -1);
        unseen.extend(part.unseen().iter().cloned());
        made = Some(Arc::new(part));
    } else if redacted {
        add(&mut by_source, store.by_source(C::REDACTED_BY_SOURCE)?, -1);
        for (id, schema) in store.pairs(REDACTED_CANONICALS)? {
            if !store.still_seen(&id)? {
                *unseen.entry(schema).or_default() += 1;
            }
        }
    }
    let stats = stats(
        &by_source,
        store.by_schema(BY_SCHEMA)?,
        unseen.into_iter().collect(),
    );
    Ok(Some((stats, made)))
}

/// The statistics from the kept counts, less what redaction leaves out.
fn stats(
    by_source: &BySource,
    by_schema: Vec<(String, i64)>,
    redacted_by_schema: Vec<(String, i64)>,
) -> Stats {
    let mut schemata: BTreeMap<String, i64> = by_schema.into_iter().collect();
    for (schema, n) in redacted_by_schema {
        *schemata.entry(schema).or_default() -= n;
    }
    let (mut statements, mut current) = (0i64, 0i64);
    let mut sources = BTreeSet::new();
    let mut datasets = BTreeSet::new();
    for ((dataset, source), (all, now)) in by_source {
        statements += all;
        current += now;
        if *all > 0 {
            datasets.insert(dataset.clone());
        }
        if *now > 0 {
            sources.insert(source.as_str());
        }
    }
    Stats {
        statements: statements.max(0) as u64,
        current_statements: current.max(0) as u64,
        entities_by_schema: schemata
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| (s, n as u64))
            .collect(),
        sources: sources.len() as u64,
        datasets: datasets.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// What SQLite would do for `sql`: its query plan's lines.
    fn plan(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    /// `stats` never goes over every statement: each of its reads looks
    /// rows up by an index (a scan of the few redactions, of the counts
    /// or of what a look-up found is fine).
    #[test]
    fn no_count_goes_over_every_statement() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plans.db");
        crate::SqliteStore::open(&path).unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        // A reader who hides a collection, with a redaction in force.
        let hidden = ["private".to_string()];
        let scoped =
            crate::record::statement_scope_sql(&hidden, "s.", crate::sqlite::terms::keys_of);
        let hiding = Hiding {
            hidden: &hidden,
            set: crate::sqlite::terms::keys_of,
            dataset_name: "(SELECT text FROM term WHERE key = s.dataset)",
            redaction: &crate::record::redaction_condition("s."),
            scoped: &scoped,
        };
        let [archive_current, archive_retracted] = hiding.archive_hidden();
        for sql in [
            BY_SOURCE.to_string(),
            BY_SCHEMA.to_string(),
            REDACTED_BY_SOURCE_KEYED.to_string(),
            REDACTED_CANONICALS.to_string(),
            still_seen_sql("'org-1'"),
            archive_current,
            archive_retracted,
            hiding.asked_sql(true),
            hiding.asked_of_sql("'org-1'"),
        ] {
            for line in plan(&conn, &sql) {
                let scans_statements = line.starts_with("SCAN")
                    && ["SCAN s ", "SCAN s1", "SCAN s2", "SCAN statement"]
                        .iter()
                        .any(|s| format!("{line} ").starts_with(s));
                assert!(!scans_statements, "{line}\n in {sql}");
            }
        }
    }
}
