"""Checks a Dossier FtM export with the real followthemoney package.

For every line: the id is a valid FtM id, the schema is known to FtM,
`schema.validate` accepts the
entity, every required property is present, no property is dropped by
`model.get_proxy` (a dropped one was not valid FtM), and every entity
reference points at an entity in the file. Prints a summary; exits 1 on any
problem, listing each.

Usage: python scripts/check_ftm.py EXPORT.ftm.jsonl [--expect-schema NAME=COUNT ...]
"""

import json
import sys
from collections import Counter

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.types import registry


def main(argv):
    path = argv[1]
    expect = {}
    for arg in argv[2:]:
        if arg.startswith("--expect-schema="):
            name, count = arg.split("=", 1)[1].split(":")
            expect[name] = int(count)
    problems = []
    ids = set()
    refs = []
    counts = Counter()
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            data = json.loads(line)
            schema = model.get(data["schema"])
            if schema is None:
                problems.append(f"line {n}: unknown schema {data['schema']}")
                continue
            counts[schema.name] += 1
            ids.add(data["id"])
            if not registry.entity.validate(data["id"]):
                problems.append(f"line {n}: id {data['id']!r} is not a valid FtM entity id")
            try:
                schema.validate(data)
            except InvalidData as exc:
                problems.append(f"line {n}: {schema.name} invalid: {exc.errors}")
            props = data.get("properties", {})
            missing = [p for p in schema.required if not props.get(p)]
            if missing:
                problems.append(f"line {n}: {schema.name} {data['id']} lacks required {missing}")
            proxy = model.get_proxy(data)
            for prop, values in props.items():
                kept = proxy.get(prop, quiet=True)
                if sorted(kept) != sorted(values):
                    problems.append(
                        f"line {n}: {schema.name}.{prop} written {values!r}, FtM kept {kept!r}"
                    )
                p = schema.get(prop)
                if p is not None and p.type.name == "entity":
                    refs.extend((n, prop, v) for v in values)
    for n, prop, value in refs:
        if value not in ids:
            problems.append(f"line {n}: {prop} points at {value}, which is not in the file")
    for name, count in expect.items():
        if counts[name] != count:
            problems.append(f"expected {count} {name} entities, found {counts[name]}")
    for p in problems:
        print(p)
    print(f"checked {sum(counts.values())} entities: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
