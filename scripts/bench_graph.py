"""The peers' side of `dossier-bench graph`: builds networkx or igraph from
the edge list Dossier's benchmark wrote, runs the same 2-hop and
shortest-path queries, and prints what it measured as JSON.

    python scripts/bench_graph.py EDGES.tsv QUERIES.tsv networkx|igraph

Memory is the growth of resident memory while the graph is built (the edge
list is already in memory). igraph gets integer vertices, mapped from the
ids before its measurement starts: its leanest form. networkx keeps the ids
as its nodes, as it is used.
"""

import gc
import json
import os
import sys
import time


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main():
    edges_file, queries_file, tool = sys.argv[1:4]
    edges = []
    with open(edges_file) as f:
        for line in f:
            s, t, _kind = line.rstrip("\n").split("\t")
            edges.append((s, t))
    hops, paths = [], []
    with open(queries_file) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "hop":
                hops.append(parts[1])
            else:
                paths.append((parts[1], parts[2]))
    out = {"hop_ns": [], "hop_sizes": [], "path_ns": [], "path_lengths": []}

    if tool == "networkx":
        import networkx as nx

        gc.collect()
        before = rss()
        start = time.perf_counter()
        g = nx.Graph()
        g.add_edges_from(edges)
        out["build_s"] = time.perf_counter() - start
        gc.collect()
        out["memory_bytes"] = rss() - before

        def hop(v):
            return len(nx.single_source_shortest_path_length(g, v, cutoff=2)) - 1

        def path(a, b):
            try:
                return len(nx.shortest_path(g, a, b)) - 1
            except nx.NetworkXNoPath:
                return -1

    else:
        import igraph as ig

        index = {}
        for s, t in edges:
            index.setdefault(s, len(index))
            index.setdefault(t, len(index))
        pairs = [(index[s], index[t]) for s, t in edges]
        hops = [index[v] for v in hops]
        paths = [(index[a], index[b]) for a, b in paths]
        gc.collect()
        before = rss()
        start = time.perf_counter()
        g = ig.Graph(n=len(index), edges=pairs, directed=False)
        out["build_s"] = time.perf_counter() - start
        gc.collect()
        out["memory_bytes"] = rss() - before

        def hop(v):
            return len(g.neighborhood(v, order=2, mindist=1))

        def path(a, b):
            p = g.get_shortest_path(a, to=b)
            return len(p) - 1 if p else -1

    for v in hops:
        t = time.perf_counter_ns()
        n = hop(v)
        out["hop_ns"].append(time.perf_counter_ns() - t)
        out["hop_sizes"].append(n)
    for a, b in paths:
        t = time.perf_counter_ns()
        n = path(a, b)
        out["path_ns"].append(time.perf_counter_ns() - t)
        out["path_lengths"].append(n)
    json.dump(out, sys.stdout)


main()
