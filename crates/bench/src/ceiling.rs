//! SQLite's own ceiling for an import (issue 29): the narrowest table a
//! row-per-statement store could have, with the indexes its reads need,
//! filled by SQLite itself from generated rows, so that no parsing, no Rust
//! and no checks are counted. A native import is measured against it in
//! the same run, on the same machine, for the same number of statements.
//!
//! And the same narrow rows with the indexes Dossier's reads use today
//! ([`measure_with_todays_indexes`]): the most any importer could reach
//! without changing what the reads ask of the store, however narrow its
//! rows.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;

/// The layout: integer ids for the entity, its canonical, the property,
/// the entity a value refers to (a tenth of the rows) and the source (a
/// source every 120 rows); the statement id as 20 bytes; provenance as a
/// batch number. No unique index: "one current statement per id and
/// source" would be the code's to keep.
const TABLE: &str = "CREATE TABLE st (seq INTEGER PRIMARY KEY, id BLOB NOT NULL, \
     entity INTEGER NOT NULL, canonical INTEGER NOT NULL, prop INTEGER NOT NULL, ref INTEGER, \
     value TEXT NOT NULL, source INTEGER NOT NULL, batch INTEGER NOT NULL, retracted INTEGER)";

/// The reads a store makes: an entity's statements in log order, what a
/// source said, an entity's history, what refers to an entity, names.
const INDEXES: &str = "CREATE INDEX st_ent ON st (canonical, seq);
     CREATE INDEX st_src ON st (source, seq);
     CREATE INDEX st_hist ON st (entity, seq);
     CREATE INDEX st_ref ON st (ref) WHERE ref IS NOT NULL;
     CREATE INDEX st_name ON st (prop) WHERE prop < 2;";

/// The narrow rows with what today's indexes also hold: the dataset,
/// schema and property type as keys, the original value, the time a row
/// was retracted.
const TODAYS_TABLE: &str = "CREATE TABLE st (seq INTEGER PRIMARY KEY, id BLOB NOT NULL, \
     entity INTEGER NOT NULL, canonical INTEGER NOT NULL, prop INTEGER NOT NULL, ref INTEGER, \
     value TEXT NOT NULL, source INTEGER NOT NULL, batch INTEGER NOT NULL, retracted INTEGER, \
     dataset INTEGER NOT NULL, schema INTEGER NOT NULL, prop_type INTEGER NOT NULL, \
     original_value TEXT)";

/// The six statement indexes a bulk import makes after the rows today
/// (`store/migrations/sqlite`, 18 to 20), each on the narrow columns: one
/// current statement per id and source; what a source said; what refers
/// to an entity; names; an entity's rows with the columns a page reads;
/// the rows a label is made of.
const TODAYS_INDEXES: &str =
    "CREATE UNIQUE INDEX st_current ON st (id, source) WHERE retracted IS NULL;
     CREATE INDEX st_by_source ON st (source, dataset) WHERE retracted IS NULL;
     CREATE INDEX st_refs ON st (ref) WHERE retracted IS NULL AND prop_type = 7;
     CREATE INDEX st_names ON st (prop) WHERE retracted IS NULL AND prop_type = 2;
     CREATE INDEX st_entity ON st (canonical, seq, retracted, entity, dataset, schema, prop, \
       value, original_value);
     CREATE INDEX st_label ON st (canonical, prop, schema, value, seq) \
       WHERE retracted IS NULL \
       AND (prop = 1 OR prop = 2 OR prop = 3 OR prop = 4 OR prop = 5 OR prop = 6);";

/// The rows: an entity every 12, a source every 120, thirty properties of
/// which the first two are names, a tenth referring to another entity.
const ROWS: &str = "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < ?1) \
     INSERT INTO st (seq, id, entity, canonical, prop, ref, value, source, batch, retracted) \
     SELECT v, randomblob(20), v / 12, v / 12, v % 30, \
       CASE WHEN v % 30 < 3 THEN (v * 7919) % (?1 / 12 + 1) END, \
       'a value of some twenty', v / 120, 1, NULL FROM n";

/// Rows in the proportions of a generated native log at 100,000
/// organizations (`dossier gen --detail 0.02`), where today's indexes
/// hold more than the ceiling's: an entity every 5 rows, a source every
/// 1,160; 22% names, 35% references, 48% of the properties a label reads
/// (`id` and the caption properties, keys 1 to 6). One dataset, ten
/// schemata.
const TODAYS_ROWS: &str =
    "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < ?1) \
     INSERT INTO st (seq, id, entity, canonical, prop, ref, value, source, batch, retracted, \
       dataset, schema, prop_type, original_value) \
     SELECT v, randomblob(20), v / 5, v / 5, \
       CASE WHEN v % 100 < 48 THEN 1 + v % 6 ELSE 7 + v % 23 END, \
       CASE WHEN v % 100 >= 22 AND v % 100 < 57 THEN (v * 7919) % (?1 / 5 + 1) END, \
       'a value of some twenty', v / 1160, 1, NULL, \
       1, (v / 5) % 10, CASE WHEN v % 100 < 22 THEN 2 WHEN v % 100 < 57 THEN 7 ELSE 9 END, \
       NULL FROM n";

/// A layout to fill: its table, its rows, its indexes, and the page
/// cache while its indexes are sorted (KiB; `None`: the large cache kept).
struct Layout {
    name: &'static str,
    table: &'static str,
    rows: &'static str,
    indexes: &'static str,
    sort_cache_kib: Option<i64>,
}

/// The ceiling's layout.
const CEILING: Layout = Layout {
    name: "ceiling: its rows, its 5 indexes",
    table: TABLE,
    rows: ROWS,
    indexes: INDEXES,
    sort_cache_kib: None,
};

/// The narrow rows with today's reads' indexes, sorted as the import
/// sorts them (`store/src/sqlite/mod.rs`, `SORT_CACHE_KIB`).
const TODAYS: Layout = Layout {
    name: "narrow rows in a store's proportions, today's 6 indexes",
    table: TODAYS_TABLE,
    rows: TODAYS_ROWS,
    indexes: TODAYS_INDEXES,
    sort_cache_kib: Some(4 << 10),
};

/// The layouts [`by_hand`] measures besides the two above.
const BY_HAND: [Layout; 3] = [
    Layout {
        name: "narrow rows in a store's proportions, the ceiling's 5 indexes",
        table: TODAYS_TABLE,
        rows: TODAYS_ROWS,
        indexes: INDEXES,
        sort_cache_kib: None,
    },
    Layout {
        name: "narrow rows in a store's proportions, today's 6 indexes, large cache",
        sort_cache_kib: None,
        ..TODAYS
    },
    Layout {
        name: "narrow rows in a store's proportions, no index",
        table: TODAYS_TABLE,
        rows: TODAYS_ROWS,
        indexes: "",
        sort_cache_kib: None,
    },
];

/// `dossier-bench ceiling`: each layout filled `runs` times, interleaved,
/// with the seconds each took.
pub fn by_hand(path: &Path, rows: u64, runs: usize) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let layouts: Vec<&Layout> = [&CEILING, &TODAYS].into_iter().chain(&BY_HAND).collect();
    let mut took = vec![Vec::new(); layouts.len()];
    for _ in 0..runs {
        for (i, layout) in layouts.iter().enumerate() {
            took[i].push(fill_once(path, rows, layout)?.as_secs_f64());
        }
    }
    println!("{rows} rows, {runs} runs each (seconds)");
    for (layout, t) in layouts.iter().zip(took) {
        let shown: Vec<String> = t.iter().map(|s| format!("{s:.2}")).collect();
        println!("{}: {}", layout.name, shown.join(", "));
    }
    Ok(())
}

/// How long SQLite takes to write `rows` statements in the narrowest
/// layout ([`fill`]), in a file at `path` that is removed after.
pub fn measure(path: &Path, rows: u64) -> Result<Duration> {
    fill_once(path, rows, &CEILING)
}

/// How long SQLite takes to write `rows` statements as narrow as the
/// ceiling's with the indexes today's reads use, made as a bulk import
/// makes them, in a file at `path` that is removed after.
pub fn measure_with_todays_indexes(path: &Path, rows: u64) -> Result<Duration> {
    fill_once(path, rows, &TODAYS)
}

/// [`fill`], then the file removed.
fn fill_once(path: &Path, rows: u64, layout: &Layout) -> Result<Duration> {
    let took = fill(path, rows, layout);
    let _ = std::fs::remove_file(path);
    took
}

/// Writes `rows` generated rows and their indexes into a new SQLite file
/// at `path` in one transaction, as a bulk import does (rows first, then
/// each index in one sort), and says how long it took, the commit
/// included. The sorter may use every core (at most four), as the
/// import's does; the page cache stays large throughout unless the layout
/// says otherwise (for the ceiling's narrow keys the large cache measured
/// faster than the import's small cache while sorting, 1.9 s against
/// 2.1–2.2 s at 1.16M rows; for today's indexes the small one, 3.7–3.9 s
/// against 4.4–4.5 s): each is given the settings that suit it best.
fn fill(path: &Path, rows: u64, layout: &Layout) -> Result<Duration> {
    let _ = std::fs::remove_file(path);
    let conn = rusqlite::Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(layout.table)?;
    let started = Instant::now();
    conn.pragma_update(None, "cache_size", -(1i64 << 20))?;
    conn.execute_batch("BEGIN")?;
    conn.execute(layout.rows, [rows as i64])?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) as i64;
    conn.pragma_update(None, "threads", threads)?;
    if let Some(kib) = layout.sort_cache_kib {
        conn.pragma_update(None, "cache_size", -kib)?;
    }
    conn.execute_batch(layout.indexes)?;
    conn.execute_batch("COMMIT")?;
    Ok(started.elapsed())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    #[test]
    fn the_ceiling_writes_every_row_and_index() {
        let dir = std::env::temp_dir().join(format!("ceiling-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.db");
        // The file's answer to a query of one number.
        let count = |sql: &str| {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap()
        };
        super::fill(&path, 6_000, &super::CEILING).unwrap();
        assert_eq!(count("SELECT count(*) FROM st"), 6_000);
        assert_eq!(count("SELECT count(DISTINCT source) FROM st"), 51);
        assert_eq!(count("SELECT count(*) FROM st WHERE ref IS NOT NULL"), 600);
        assert_eq!(
            count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'st'"),
            5
        );
        super::fill(&path, 6_000, &super::TODAYS).unwrap();
        // The proportions of a generated store, as the layout says.
        assert_eq!(count("SELECT count(DISTINCT entity) FROM st"), 1_201);
        assert_eq!(count("SELECT count(*) FROM st WHERE prop_type = 2"), 1_320);
        assert_eq!(count("SELECT count(*) FROM st WHERE prop_type = 7"), 2_100);
        assert_eq!(
            count("SELECT count(*) FROM st WHERE ref IS NOT NULL"),
            2_100
        );
        assert_eq!(
            count("SELECT count(*) FROM st WHERE prop BETWEEN 1 AND 6"),
            2_880
        );
        assert_eq!(
            count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'st'"),
            6
        );
        super::measure(&path, 1_000).unwrap();
        assert!(!path.exists(), "the measurement's file is removed");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
