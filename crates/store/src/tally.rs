//! `stats` from the counts the store keeps (migration 14 on SQLite, 8 on
//! PostgreSQL): statements by dataset and source, entities by schema, kept
//! by triggers on every write. A few hundred rows read instead of every
//! statement; the rows about redacted entities, which reads leave out, are
//! found through the indexes and taken off. A reader with hidden datasets
//! still counts by going over the rows it may see (`Read::stats` of each
//! backend): what an entity counts as depends then on which of its
//! statements are visible, which no count kept for everyone says.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::Stats;

/// The counts by dataset and source: dataset, source, statements, current.
pub(crate) const BY_SOURCE: &str =
    "SELECT dataset, source, statements, current FROM tally_source WHERE statements > 0";

/// The entities with a current statement, by schema.
pub(crate) const BY_SCHEMA: &str = "SELECT schema, entities FROM tally_schema WHERE entities > 0";

/// The statements reads leave out because they are about a redacted
/// entity, counted as [`BY_SOURCE`] counts.
pub(crate) const REDACTED_BY_SOURCE: &str =
    "SELECT dataset, source, count(*), count(*) FILTER (WHERE retracted_at IS NULL) \
     FROM statement \
     WHERE canonical_id IN (SELECT entity_id FROM redaction) \
        OR entity_id IN (SELECT entity_id FROM redaction) \
     GROUP BY dataset, source";

/// The entities counted in [`BY_SCHEMA`] that redaction leaves without a
/// current statement a reader sees (the redacted entities themselves, and
/// those whose only current statements were made about a redacted record
/// merged into them), by schema.
pub(crate) const REDACTED_BY_SCHEMA: &str = "SELECT e.schema, count(*) FROM entity e \
     WHERE e.id IN (SELECT canonical_id FROM statement WHERE retracted_at IS NULL \
                    AND (canonical_id IN (SELECT entity_id FROM redaction) \
                         OR entity_id IN (SELECT entity_id FROM redaction))) \
       AND NOT EXISTS (SELECT 1 FROM statement s WHERE s.canonical_id = e.id \
                       AND s.retracted_at IS NULL \
                       AND s.canonical_id NOT IN (SELECT entity_id FROM redaction) \
                       AND s.entity_id NOT IN (SELECT entity_id FROM redaction)) \
     GROUP BY e.schema";

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

/// The statistics from the kept counts, read by a backend: `rows` answers
/// [`BY_SOURCE`] and [`REDACTED_BY_SOURCE`], `by` [`BY_SCHEMA`] and
/// [`REDACTED_BY_SCHEMA`]; the redaction queries are asked only when
/// anyone is `redacted`.
pub(crate) fn read(
    rows: impl Fn(&str) -> crate::Result<Vec<(String, String, i64, i64)>>,
    by: impl Fn(&str) -> crate::Result<Vec<(String, i64)>>,
    redacted: bool,
) -> crate::Result<Stats> {
    let mut by_source = BySource::new();
    add(&mut by_source, rows(BY_SOURCE)?, 1);
    let mut redacted_by_schema = Vec::new();
    if redacted {
        add(&mut by_source, rows(REDACTED_BY_SOURCE)?, -1);
        redacted_by_schema = by(REDACTED_BY_SCHEMA)?;
    }
    Ok(stats(&by_source, by(BY_SCHEMA)?, redacted_by_schema))
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
