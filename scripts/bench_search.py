"""The peers' side of the search benchmark (`bench/run`): SQLite FTS5 and
PostgreSQL full-text search over the same texts Dossier indexes, asked the
same query mix, timed per query. Prints JSON.

    python scripts/bench_search.py TEXTS.tsv QUERIES.tsv fts5 DIR
    python scripts/bench_search.py TEXTS.tsv QUERIES.tsv postgres URL

TEXTS.tsv: id, kind, names, text (tabs and newlines in values are spaces).
QUERIES.tsv: mix (`random` or `common`), query. Each query asks for the
best 20 documents by rank, as Dossier's search does; the words are matched
as a conjunction with prefix-free terms (FTS5: each word quoted; PostgreSQL:
`plainto_tsquery('simple', …)`), the closest either offers to Dossier's
default.
"""

import json
import os
import sys
import time


def rows(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4:
                yield parts


def queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            mix, q = line.rstrip("\n").split("\t", 1)
            out.append((mix, q))
    return out


def fts5(texts, qs, folder):
    import sqlite3

    db = os.path.join(folder, "fts5.db")
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    t = time.perf_counter()
    con.execute("CREATE VIRTUAL TABLE doc USING fts5(id UNINDEXED, kind UNINDEXED, names, text)")
    con.executemany("INSERT INTO doc VALUES (?, ?, ?, ?)", rows(texts))
    con.commit()
    build = time.perf_counter() - t

    def ask(q):
        words = [w.replace('"', "") for w in q.split()]
        match = " ".join(f'"{w}"' for w in words if w)
        if not match:
            return 0
        return len(con.execute(
            "SELECT id FROM doc WHERE doc MATCH ? ORDER BY rank LIMIT 20", (match,)
        ).fetchall())

    return build, ask


def postgres(texts, qs, url):
    import psycopg

    con = psycopg.connect(url, autocommit=True)
    t = time.perf_counter()
    con.execute("DROP TABLE IF EXISTS bench_doc")
    con.execute(
        "CREATE TABLE bench_doc (id text, kind text, names text, text text, "
        "tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', names || ' ' || text)) STORED)"
    )
    with con.cursor() as cur:
        with cur.copy("COPY bench_doc (id, kind, names, text) FROM STDIN") as copy:
            for r in rows(texts):
                copy.write_row(r)
    con.execute("CREATE INDEX bench_doc_tsv ON bench_doc USING gin (tsv)")
    con.execute("ANALYZE bench_doc")
    build = time.perf_counter() - t

    def ask(q):
        return len(con.execute(
            "SELECT id FROM bench_doc, plainto_tsquery('simple', %s) q WHERE tsv @@ q "
            "ORDER BY ts_rank(tsv, q) DESC LIMIT 20",
            (q,),
        ).fetchall())

    return build, ask


def main():
    texts, qfile, tool, where = sys.argv[1:5]
    qs = queries(qfile)
    build, ask = (fts5 if tool == "fts5" else postgres)(texts, qs, where)
    # One warm-up pass, as Dossier's index is warm.
    for _, q in qs[:50]:
        ask(q)
    out = {"build_s": build, "random_ns": [], "common_ns": [], "hits": []}
    for mix, q in qs:
        t = time.perf_counter_ns()
        n = ask(q)
        out[f"{mix}_ns"].append(time.perf_counter_ns() - t)
        out["hits"].append(n)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
