"""The peer's side of `dossier-bench xref`: runs nomenklatura's xref on an
FtM entities file, with a fresh resolver database and index, and prints
as JSON how long it took, how many pairs it scored and every candidate
pair with its score.

    python scripts/bench_xref.py ENTITIES.ftm.json
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time


def run(path, work):
    db = os.path.join(work, "resolver.db")
    env = dict(os.environ, NOMENKLATURA_DB_URL=f"sqlite:///{db}")
    nk = os.path.join(os.path.dirname(sys.executable), "nomenklatura")
    start = time.perf_counter()
    done = subprocess.run(
        [nk, "xref", "--limit", "100000000", "-p", os.path.join(work, "data"), path],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(done.stderr[-2000:])
    # It logs its progress; the last count is the total.
    counts = re.findall(r"Xref: (\d+) pairs, (\d+) scored", done.stderr)
    scored = int(counts[-1][1]) if counts else 0
    pairs = []
    if os.path.exists(db):
        con = sqlite3.connect(db)
        for target, source, score in con.execute(
            "SELECT target, source, score FROM resolver"
        ):
            pairs.append([source, target, score])
    # Every pair it scored is kept as a candidate.
    return seconds, max(scored, len(pairs)), pairs


def main():
    path = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        seconds, scored, pairs = run(path, work)
    # The fixed cost of starting it: the same on a file of one entity.
    with tempfile.TemporaryDirectory() as work:
        one = os.path.join(work, "one.json")
        with open(one, "w") as f:
            f.write(
                json.dumps(
                    {"id": "x", "schema": "Organization", "properties": {"name": ["X"]}}
                )
                + "\n"
            )
        startup, _, _ = run(one, work)
    json.dump(
        {"seconds": seconds, "startup": startup, "scored": scored, "pairs": pairs},
        sys.stdout,
    )


main()
