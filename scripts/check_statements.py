#!/usr/bin/env python3
"""followthemoney's statement tools on Dossier's side of the fence.

  check_statements.py read FILE.csv    reads a statements CSV with
      followthemoney's reader, checks every statement id, builds each entity
      and validates it against the FtM model; prints counts as JSON.
  check_statements.py write FILE.csv   writes a statements CSV with
      followthemoney's writer (two organizations, a membership, a person);
      prints the entity ids as JSON.
"""
import json
import sys
from collections import defaultdict

from followthemoney import model
from followthemoney.statement import Statement
from followthemoney.statement.serialize import CSVStatementWriter, read_csv_statements


def read(path: str) -> None:
    by_entity = defaultdict(list)
    bad_ids = 0
    with open(path, "rb") as fh:
        for stmt in read_csv_statements(fh):
            if stmt.id != stmt.generate_key():
                bad_ids += 1
            by_entity[stmt.canonical_id].append(stmt)
    schemata = defaultdict(int)
    problems = []
    for eid, stmts in by_entity.items():
        schema = stmts[0].schema
        props = defaultdict(list)
        for s in stmts:
            if s.prop != "id":
                props[s.prop].append(s.value)
        data = {"id": eid, "schema": schema, "properties": dict(props)}
        sch = model.get(schema)
        try:
            sch.validate(data)
        except Exception as e:  # noqa: BLE001 - report every kind of refusal
            problems.append(f"{eid}: {e}")
        proxy = model.get_proxy(data)
        kept = sum(len(v) for v in proxy.to_dict()["properties"].values())
        given = sum(len(v) for v in props.values())
        if kept != given:
            problems.append(f"{eid}: {given - kept} values dropped by get_proxy")
        schemata[schema] += 1
    json.dump({"entities": len(by_entity), "schemata": schemata, "bad_ids": bad_ids, "problems": problems[:20]}, sys.stdout)


def write(path: str) -> None:
    rows = [
        ("org-ftm-a", "Organization", "name", "Sunrise Farmers Union"),
        ("org-ftm-a", "Organization", "country", "ps"),
        ("org-ftm-b", "Organization", "name", "Valley Water Forum"),
        ("per-ftm-c", "Person", "name", "Dana Levi"),
        ("mem-ftm-d", "Membership", "member", "org-ftm-a"),
        ("mem-ftm-d", "Membership", "organization", "org-ftm-b"),
        ("mem-ftm-d", "Membership", "startDate", "2019-04"),
    ]
    with open(path, "w", newline="") as fh:
        w = CSVStatementWriter(fh)
        ids = sorted({r[0] for r in rows})
        for eid in ids:
            schema = next(r[1] for r in rows if r[0] == eid)
            w.write(Statement(entity_id=eid, prop="id", schema=schema, value=eid, dataset="ftm_test",
                              first_seen="2024-01-01T00:00:00", last_seen="2024-02-01T00:00:00"))
        for eid, schema, prop, value in rows:
            w.write(Statement(entity_id=eid, prop=prop, schema=schema, value=value, dataset="ftm_test",
                              first_seen="2024-01-01T00:00:00", last_seen="2024-02-01T00:00:00"))
        w.close()
    json.dump(ids, sys.stdout)


if __name__ == "__main__":
    {"read": read, "write": write}[sys.argv[1]](sys.argv[2])
