//! SQLite's own ceiling for an import (issue 29): the narrowest table a
//! row-per-statement store could have, with the indexes its reads need,
//! filled by SQLite itself from generated rows, so that no parsing, no Rust
//! and no checks are counted. A native import is measured against it in
//! the same run, on the same machine, for the same number of statements.

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

/// How long SQLite takes to write `rows` statements in the narrowest
/// layout ([`fill`]), in a file at `path` that is removed after.
pub fn measure(path: &Path, rows: u64) -> Result<Duration> {
    let took = fill(path, rows);
    let _ = std::fs::remove_file(path);
    took
}

/// Writes `rows` generated rows and their indexes into a new SQLite file
/// at `path` in one transaction, as a bulk import does (rows first, then
/// each index in one sort), and says how long it took, the commit
/// included. The sorter may use every core (at most four), as the
/// import's does; the page cache stays large throughout, which for these
/// narrow keys measured faster than the import's small cache while
/// sorting (1.9 s against 2.1–2.2 s at 1.16M rows): each side is given
/// the settings that suit it best.
fn fill(path: &Path, rows: u64) -> Result<Duration> {
    let _ = std::fs::remove_file(path);
    let conn = rusqlite::Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.execute_batch(TABLE)?;
    let started = Instant::now();
    conn.pragma_update(None, "cache_size", -(1i64 << 20))?;
    conn.execute_batch("BEGIN")?;
    conn.execute(
        "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < ?1) \
         INSERT INTO st SELECT v, randomblob(20), v / 12, v / 12, v % 30, \
           CASE WHEN v % 30 < 3 THEN (v * 7919) % (?1 / 12 + 1) END, \
           'a value of some twenty', v / 120, 1, NULL FROM n",
        [rows as i64],
    )?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4)) as i64;
    conn.pragma_update(None, "threads", threads)?;
    conn.execute_batch(INDEXES)?;
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
        super::fill(&path, 6_000).unwrap();
        let conn = rusqlite::Connection::open(&path).unwrap();
        let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count("SELECT count(*) FROM st"), 6_000);
        assert_eq!(count("SELECT count(DISTINCT source) FROM st"), 51);
        assert_eq!(count("SELECT count(*) FROM st WHERE ref IS NOT NULL"), 600);
        assert_eq!(
            count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'st'"),
            5
        );
        drop(conn);
        super::measure(&path, 1_000).unwrap();
        assert!(!path.exists(), "the measurement's file is removed");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
