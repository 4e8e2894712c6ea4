"""Picks a fuzz target's seeds: the inputs of a libFuzzer set-cover merge
(its control file) that reach the most coverage edges, then features, at
most N of them, smallest first among equals. Used by `scripts/fuzz
--reseed`; the seeds are what the repository keeps of a corpus.

    python3 scripts/fuzz_seeds.py CONTROL_FILE OUT_DIR N
"""
import os
import shutil
import sys


def main(control, out, n):
    lines = open(control).read().splitlines()
    count = int(lines[0])
    files = lines[2 : 2 + count]
    features = {}
    for line in lines[2 + count :]:
        parts = line.split()
        # With -set_cover_merge=1, FT lists every feature an input reaches.
        if parts and parts[0] == "FT":
            features[int(parts[1])] = set(map(int, parts[2:]))
    # libFuzzer numbers an edge's hit-count buckets as edge * 8 + bucket.
    edges = {i: {f >> 3 for f in fs} for i, fs in features.items()}
    size = {i: os.path.getsize(files[i]) for i in features}
    chosen, got_edges, got_features = [], set(), set()
    while len(chosen) < n:
        rest = [i for i in features if i not in chosen]
        if not rest:
            break
        best = max(
            rest,
            key=lambda i: (
                len(edges[i] - got_edges),
                len(features[i] - got_features),
                -size[i],
            ),
        )
        if not features[best] - got_features:
            break
        chosen.append(best)
        got_edges |= edges[best]
        got_features |= features[best]
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    for i in chosen:
        shutil.copy(files[i], os.path.join(out, os.path.basename(files[i])))
    print(f"{os.path.basename(out).removesuffix('.seeds')}: {len(chosen)} seeds of {len(files)} inputs")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
