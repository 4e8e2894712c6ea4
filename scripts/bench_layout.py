"""How fast SQLite itself can write a store's rows, by layout (issue 29, part 1).

Takes a store made by `dossier import` (of any version: a keyed store's
words and ids kept as bytes are read back) and writes its statement rows again,
SQLite to SQLite (no parsing, no Rust), the way a bulk import does: the rows
in one transaction with a large page cache, then each index in one sort on
two threads with a small cache, then the commit. Four layouts:

- ceiling: `crates/bench/src/ceiling.rs`'s generated rows and five indexes
  (the figure BENCHMARKS.md divides by);
- today: the statement table and the seven indexes a bulk import makes,
  filled with the store's own rows;
- narrow: the same rows with entity ids, sources and the repeated texts
  (schema, property, type, dataset, origin, user, the two dates) as integer
  keys, the statement id as 20 bytes, an entity reference as a key in place
  of its text, and the same seven indexes on those columns;
- narrow, slim entity index: as narrow, with the entity index holding its
  key only (canonical, seq) rather than a copy of the columns a page reads;
- version 17: today's table with the indexes version 17 made (migration
  16's index of merged rows in place of the history index);
- keyed (migration 18): version 17's rows with the schema, property,
  property type and dataset as keys into a table of words, and the same
  indexes on those columns: the layout a store had from migration 18;
- keyed, id as 20 bytes (migration 19): as keyed, each statement id that
  is a SHA-1 as its bytes: the layout a store has from migration 19;
- keyed, one index by source: as keyed, one unique index by (source, id)
  in place of `statement_current` and `statement_by_source`;
- keyed, no `statement_current`: as keyed, without the unique index.

Each is also written without indexes, and each index of today's and the
narrow layout is timed alone. The interning is done before the clock starts:
what is measured is SQLite's share of an import, the most any importer
could reach in that layout.

    python3 scripts/bench_layout.py STORE.db [WORKDIR]

It runs under the system's Python and its SQLite; the figures are for
comparing layouts with each other in one run, not with a release build.
"""

import os
import sqlite3
import sys
import tempfile
import time

DATES = ["first_seen", "last_seen"]
REPEATED = ["schema", "prop", "prop_type", "dataset", "origin", "user"] + DATES
LABEL_PROPS = ["id", "name", "title", "text", "fileName", "description"]

TODAY_TABLE = """CREATE TABLE statement (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, entity_id TEXT NOT NULL,
    canonical_id TEXT NOT NULL, schema TEXT NOT NULL, prop TEXT NOT NULL,
    prop_type TEXT NOT NULL, value TEXT NOT NULL, original_value TEXT, lang TEXT,
    dataset TEXT NOT NULL, origin TEXT, external INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL, user TEXT NOT NULL, first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL, retracted_at TEXT, retraction TEXT, retracted_seq INTEGER)"""
TODAY_FILL = "INSERT INTO statement SELECT * FROM stage.today"
TODAY_INDEXES = [
    "CREATE UNIQUE INDEX statement_current ON statement (id, source) WHERE retracted_at IS NULL",
    "CREATE INDEX statement_history ON statement (entity_id, seq)",
    "CREATE INDEX statement_by_source ON statement (source, dataset) WHERE retracted_at IS NULL",
    "CREATE INDEX statement_refs ON statement (value) "
    "WHERE retracted_at IS NULL AND prop_type = 'entity'",
    "CREATE INDEX statement_names ON statement (prop) "
    "WHERE retracted_at IS NULL AND prop_type = 'name'",
    "CREATE INDEX statement_entity ON statement (canonical_id, seq, retracted_at, entity_id, "
    "dataset, schema, prop, value, original_value)",
    "CREATE INDEX statement_label ON statement (canonical_id, prop, schema, value, seq) "
    "WHERE retracted_at IS NULL AND ("
    + " OR ".join(f"prop = '{p}'" for p in LABEL_PROPS)
    + ")",
]

V17_INDEXES = [i for i in TODAY_INDEXES if "statement_history" not in i] + [
    "CREATE INDEX statement_merged ON statement (entity_id, seq) WHERE canonical_id <> entity_id"
]

KEYED = ["schema", "prop", "prop_type", "dataset"]
KEYED_TABLE = TODAY_TABLE
for col in KEYED:
    KEYED_TABLE = KEYED_TABLE.replace(f" {col} TEXT NOT NULL", f" {col} INTEGER NOT NULL")
KEYED_FILL = "INSERT INTO statement SELECT * FROM stage.keyed"


def keyed_indexes(key):
    """Version 17's indexes on the keyed columns, as migration 18 makes them."""
    labels = " OR ".join(f"prop = {key[p]}" for p in LABEL_PROPS if p in key)
    out = []
    for index in V17_INDEXES:
        index = index.replace("prop_type = 'entity'", f"prop_type = {key['entity']}")
        index = index.replace("prop_type = 'name'", f"prop_type = {key['name']}")
        if "statement_label" in index:
            index = index.split(" WHERE ")[0] + f" WHERE retracted_at IS NULL AND ({labels})"
        out.append(index)
    return out


KEYED20_TABLE = KEYED_TABLE.replace(" id TEXT NOT NULL", " id BLOB NOT NULL", 1)
KEYED20_FILL = "INSERT INTO statement SELECT * FROM stage.keyed20"


def one_by_source(key):
    """The keyed indexes with one unique index by (source, id) for the two by id and source."""
    kept = [i for i in keyed_indexes(key)
            if "statement_current" not in i and "statement_by_source" not in i]
    return kept + ["CREATE UNIQUE INDEX statement_current ON statement (source, id) "
                   "WHERE retracted_at IS NULL"]


NARROW_TABLE = """CREATE TABLE st (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id BLOB NOT NULL, entity INTEGER NOT NULL,
    canonical INTEGER NOT NULL, schema INTEGER NOT NULL, prop INTEGER NOT NULL,
    prop_type INTEGER NOT NULL, value TEXT, ref INTEGER, original_value TEXT, lang TEXT,
    dataset INTEGER NOT NULL, origin INTEGER, external INTEGER NOT NULL DEFAULT 0,
    source INTEGER NOT NULL, user INTEGER NOT NULL, first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL, retracted_at TEXT, retraction TEXT, retracted_seq INTEGER)"""
NARROW_FILL = "INSERT INTO st SELECT * FROM stage.narrow"

CEILING_TABLE = """CREATE TABLE st (seq INTEGER PRIMARY KEY, id BLOB NOT NULL,
    entity INTEGER NOT NULL, canonical INTEGER NOT NULL, prop INTEGER NOT NULL, ref INTEGER,
    value TEXT NOT NULL, source INTEGER NOT NULL, batch INTEGER NOT NULL, retracted INTEGER)"""
CEILING_FILL = """WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < ?1)
    INSERT INTO st SELECT v, randomblob(20), v / 12, v / 12, v % 30,
      CASE WHEN v % 30 < 3 THEN (v * 7919) % (?1 / 12 + 1) END,
      'a value of some twenty', v / 120, 1, NULL FROM n"""
CEILING_INDEXES = [
    "CREATE INDEX st_ent ON st (canonical, seq)",
    "CREATE INDEX st_src ON st (source, seq)",
    "CREATE INDEX st_hist ON st (entity, seq)",
    "CREATE INDEX st_ref ON st (ref) WHERE ref IS NOT NULL",
    "CREATE INDEX st_name ON st (prop) WHERE prop < 2",
]


def narrow_indexes(key, slim):
    """The seven indexes of today's layout, on the narrow layout's columns."""
    labels = " OR ".join(f"prop = {key[p]}" for p in LABEL_PROPS if p in key)
    entity = (
        "canonical, seq"
        if slim
        else "canonical, seq, retracted_at, entity, dataset, schema, prop, value, ref, "
        "original_value"
    )
    return [
        "CREATE UNIQUE INDEX st_current ON st (id, source) WHERE retracted_at IS NULL",
        "CREATE INDEX st_history ON st (entity, seq)",
        "CREATE INDEX st_by_source ON st (source, dataset) WHERE retracted_at IS NULL",
        "CREATE INDEX st_refs ON st (ref) WHERE retracted_at IS NULL AND ref IS NOT NULL",
        f"CREATE INDEX st_names ON st (prop) WHERE retracted_at IS NULL "
        f"AND prop_type = {key['name']}",
        f"CREATE INDEX st_entity ON st ({entity})",
        "CREATE INDEX st_label ON st (canonical, prop, schema, value, seq) "
        f"WHERE retracted_at IS NULL AND ({labels})",
    ]


def stage(store, path):
    """The store's rows as they are, and interned, in a file of their own."""
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode = OFF")
    c.execute("ATTACH ? AS s", (store,))
    c.execute("BEGIN")
    # A store of version 18 or later holds these four as keys into `term`:
    # the rows are staged with their words, as version 17 wrote them.
    keyed = c.execute("SELECT count(*) FROM s.sqlite_master WHERE name = 'term'").fetchone()[0]
    word = {
        col: f"(SELECT text FROM s.term WHERE key = st.{col})" if keyed else f"st.{col}"
        for col in ["schema", "prop", "prop_type", "dataset"]
    }
    c.execute(
        "CREATE TABLE today AS SELECT seq, "
        # A store of version 19 or later holds a SHA-1 id as its bytes.
        "CASE WHEN typeof(id) = 'blob' THEN lower(hex(id)) ELSE id END AS id, "
        f"entity_id, canonical_id, {word['schema']} "
        f"AS schema, {word['prop']} AS prop, {word['prop_type']} AS prop_type, value, "
        f"original_value, lang, {word['dataset']} AS dataset, origin, external, source, user, "
        "first_seen, last_seen, retracted_at, retraction, retracted_seq "
        "FROM s.statement st ORDER BY seq"
    )
    c.execute("CREATE TABLE ent (key INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL)")
    c.execute("INSERT INTO ent (id) SELECT id FROM s.entity ORDER BY id")
    c.execute("CREATE TABLE word (key INTEGER PRIMARY KEY, t TEXT UNIQUE NOT NULL)")
    for col in REPEATED:
        c.execute(f"INSERT OR IGNORE INTO word (t) SELECT DISTINCT {col} FROM today "
                  f"WHERE {col} IS NOT NULL")
    c.create_function(
        "id20", 1,
        lambda s: bytes.fromhex(s) if len(s) == 40 and all(ch in "0123456789abcdef" for ch in s)
        else s,
        deterministic=True,
    )
    w = {col: f"(SELECT key FROM word WHERE t = r.{col})" for col in REPEATED}
    c.execute(
        f"""CREATE TABLE narrow AS SELECT r.seq, id20(r.id),
        (SELECT key FROM ent WHERE id = r.entity_id),
        (SELECT key FROM ent WHERE id = r.canonical_id),
        {w['schema']}, {w['prop']}, {w['prop_type']},
        CASE WHEN r.prop_type = 'entity' AND EXISTS (SELECT 1 FROM ent WHERE id = r.value)
             THEN NULL ELSE r.value END,
        CASE WHEN r.prop_type = 'entity' THEN (SELECT key FROM ent WHERE id = r.value) END,
        r.original_value, r.lang, {w['dataset']}, {w['origin']}, r.external,
        (SELECT key FROM ent WHERE id = r.source), {w['user']},
        {w['first_seen']}, {w['last_seen']}, r.retracted_at, r.retraction, r.retracted_seq
        FROM today r ORDER BY r.seq"""
    )
    k = {col: f"(SELECT key FROM word WHERE t = r.{col})" for col in KEYED}
    c.execute(
        f"""CREATE TABLE keyed AS SELECT r.seq, r.id, r.entity_id, r.canonical_id,
        {k['schema']}, {k['prop']}, {k['prop_type']}, r.value, r.original_value, r.lang,
        {k['dataset']}, r.origin, r.external, r.source, r.user, r.first_seen, r.last_seen,
        r.retracted_at, r.retraction, r.retracted_seq FROM today r ORDER BY r.seq"""
    )
    c.execute("CREATE TABLE keyed20 AS SELECT * FROM keyed ORDER BY seq")
    c.execute("UPDATE keyed20 SET id = id20(id)")
    key = dict(c.execute("SELECT t, key FROM word"))
    rows = c.execute("SELECT count(*) FROM today").fetchone()[0]
    c.execute("COMMIT")
    c.close()
    return rows, key


def fill(path, stage_path, rows, table, sql, indexes):
    """Writes one layout as a bulk import does; seconds for rows, indexes, commit."""
    for suffix in ["", "-journal"]:
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode = DELETE")
    c.execute("PRAGMA synchronous = NORMAL")
    c.execute("ATTACH ? AS stage", (stage_path,))
    c.execute(table)
    started = time.perf_counter()
    c.execute("PRAGMA cache_size = -1048576")
    c.execute("BEGIN")
    c.execute(sql, (rows,)) if "?1" in sql else c.execute(sql)
    filled = time.perf_counter()
    c.execute("PRAGMA threads = 2")
    c.execute("PRAGMA cache_size = -4096")
    each = []
    for index in indexes:
        t = time.perf_counter()
        c.execute(index)
        each.append((index.split(" ON ")[0].split()[-1], time.perf_counter() - t))
    indexed = time.perf_counter()
    c.execute("COMMIT")
    done = time.perf_counter()
    c.close()
    size = os.path.getsize(path)
    os.remove(path)
    return {
        "rows": filled - started,
        "indexes": indexed - filled,
        "commit": done - indexed,
        "total": done - started,
        "bytes": size / rows,
        "each": each,
    }


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: python3 scripts/bench_layout.py STORE.db [WORKDIR]")
    store = os.path.abspath(sys.argv[1])
    work = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="bench-layout-")
    os.makedirs(work, exist_ok=True)
    stage_path = os.path.join(work, "stage.db")
    if os.path.exists(stage_path):
        os.remove(stage_path)
    rows, key = stage(store, stage_path)
    out = os.path.join(work, "fill.db")
    runs = [
        ("ceiling (generated rows)", CEILING_TABLE, CEILING_FILL, CEILING_INDEXES),
        ("today's layout", TODAY_TABLE, TODAY_FILL, TODAY_INDEXES),
        ("today's layout, no index", TODAY_TABLE, TODAY_FILL, []),
        ("narrow", NARROW_TABLE, NARROW_FILL, narrow_indexes(key, slim=False)),
        ("narrow, slim entity index", NARROW_TABLE, NARROW_FILL, narrow_indexes(key, slim=True)),
        ("narrow, no index", NARROW_TABLE, NARROW_FILL, []),
        ("version 17", TODAY_TABLE, TODAY_FILL, V17_INDEXES),
        ("keyed (migration 18)", KEYED_TABLE, KEYED_FILL, keyed_indexes(key)),
        ("keyed, id as 20 bytes (migration 19)", KEYED20_TABLE, KEYED20_FILL,
         keyed_indexes(key)),
        ("keyed, one index by source", KEYED_TABLE, KEYED_FILL, one_by_source(key)),
        ("keyed, no statement_current", KEYED_TABLE, KEYED_FILL,
         [i for i in keyed_indexes(key) if "statement_current" not in i]),
    ]
    results = [(name, fill(out, stage_path, rows, *rest)) for name, *rest in runs]
    os.remove(stage_path)
    ceiling = results[0][1]["total"]
    print(f"{rows:,} statements; SQLite {sqlite3.sqlite_version}\n")
    print("| layout | rows (s) | indexes (s) | commit (s) | total (s) | statements/s "
          "| ÷ ceiling | bytes a statement |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results:
        print(f"| {name} | {r['rows']:.2f} | {r['indexes']:.2f} | {r['commit']:.2f} "
              f"| {r['total']:.2f} | {rows / r['total']:,.0f} | {ceiling / r['total']:.0%} "
              f"| {r['bytes']:.0f} |")
    print("\n| index | today's layout (s) | narrow (s) |")
    print("|---|---|---|")
    for (name, t), (_, n) in zip(results[1][1]["each"], results[3][1]["each"]):
        print(f"| {name} | {t:.2f} | {n:.2f} |")


if __name__ == "__main__":
    main()
