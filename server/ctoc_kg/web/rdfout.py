"""Writing small rdflib graphs (descriptions, VoID, service description) in any RDF format."""

from __future__ import annotations

import json

from rdflib import Graph

from ctoc_kg.formats import Format

RDFLIB_NAMES = {
    "turtle": "turtle",
    "ntriples": "nt",
    "rdfxml": "xml",
    "jsonld": "json-ld",
    "nquads": "nquads",
}


def serialize(graph: Graph, fmt: Format, prefixes: dict[str, str]) -> bytes:
    if fmt.key == "jsonld":
        used = {
            p: ns
            for p, ns in prefixes.items()
            if any(str(t).startswith(ns) for tr in graph for t in tr)
        }
        text = graph.serialize(format="json-ld", context=used, auto_compact=True)
        json.loads(text)  # always well-formed
        return text.encode()
    if fmt.key == "nquads":
        out = Graph()
        for t in graph:
            out.add(t)
        return out.serialize(format="nt", encoding="utf-8")
    for p, ns in prefixes.items():
        graph.bind(p, ns, override=True, replace=True)
    data = graph.serialize(format=RDFLIB_NAMES[fmt.key], encoding="utf-8")
    return data
