#!/usr/bin/env python3
"""Reads a GEXF or GraphML export with networkx (the independent reader)
and prints, as JSON, what it found: node and edge counts, attributes, and
centrality computed by networkx for comparison with Dossier's.

  check_graph.py FILE.gexf|FILE.graphml
"""
import json
import sys

import networkx as nx

path = sys.argv[1]
g = nx.read_gexf(path, version="1.3") if path.endswith(".gexf") else nx.read_graphml(path)
nodes = {}
for n, d in g.nodes(data=True):
    nodes[n] = {"label": d.get("label"), "kind": d.get("kind"), "country": d.get("country")}
edges = []
for u, v, d in (g.edges(data=True) if not g.is_multigraph() else g.edges(data=True)):
    edges.append({
        "source": u, "target": v, "kind": d.get("kind"), "relationship": d.get("relationship"),
        "amount": d.get("amount"), "start": d.get("start"), "end": d.get("end"),
    })
und = nx.Graph(g.to_undirected())
bc = nx.betweenness_centrality(und, normalized=True)
json.dump({
    "directed": g.is_directed(),
    "multigraph": g.is_multigraph(),
    "nodes": nodes,
    "edges": edges,
    "components": nx.number_connected_components(und),
    "betweenness": bc,
}, sys.stdout)
