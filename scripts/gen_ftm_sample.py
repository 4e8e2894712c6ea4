#!/usr/bin/env python3
"""Writes FtM entities made by the real followthemoney package: two of every
concrete schema of its model, each with a value for every property it
stores, every value put through FtM's own cleaning, every reference pointing
at an entity of the property's range in the same file.

The tests import it as a file nobody at Dossier wrote: every entity and
every property must come back out, and two export → import cycles must
change nothing.

Usage: python scripts/gen_ftm_sample.py OUT.ftm.jsonl
Prints {"entities": N, "schemata": M, "values": V} as JSON.
"""

import json
import sys

from followthemoney import model

SAMPLES = {
    "name": "Harbour Light Trust",
    "string": "a plain string",
    "text": "A longer text, in two clauses.",
    "html": "<p>Some <b>markup</b></p>",
    "json": '{"key": 1}',
    "date": "2021-05-28",
    "country": "de",
    "url": "https://example.org/page",
    "number": "12.5",
    "identifier": "HRB-12345",
    "email": "desk@example.org",
    "phone": "+4930123456",
    "checksum": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
    "topic": "role.pep",
    "address": "1 Quay Street, 20457 Hamburg",
    "mimetype": "text/plain",
    "language": "deu",
    "gender": "female",
    "ip": "192.0.2.1",
}


def main(out_path):
    concrete = sorted(s for s in model.schemata.values() if not s.abstract)
    ids = {s.name: [f"{s.name.lower()}-{i}" for i in (1, 2)] for s in concrete}

    def target(rng, own_id):
        for s in concrete:
            if s.is_a(rng):
                for candidate in ids[s.name]:
                    if candidate != own_id:
                        return candidate
        return None

    values = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for schema in concrete:
            for n, eid in enumerate(ids[schema.name], 1):
                proxy = model.make_entity(schema)
                proxy.id = eid
                for prop in schema.properties.values():
                    if prop.stub:
                        continue
                    if prop.type.name == "entity":
                        value = target(prop.range, eid)
                    elif prop.type.name == "name":
                        value = f"{SAMPLES['name']} {schema.name} {n}"
                    else:
                        value = SAMPLES[prop.type.name]
                    if value is not None:
                        proxy.add(prop, value)
                data = proxy.to_dict()
                data.pop("datasets", None)
                data.pop("referents", None)
                values += sum(len(v) for v in data["properties"].values())
                out.write(json.dumps(data, sort_keys=True, ensure_ascii=False) + "\n")
    json.dump(
        {"entities": 2 * len(concrete), "schemata": len(concrete), "values": values},
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1])
