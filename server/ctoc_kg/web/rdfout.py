"""Writing small rdflib graphs (descriptions, VoID, service description) in any RDF format.

JSON-LD goes through the store's writer, so every JSON-LD answer has the same shape.
"""

from __future__ import annotations

from rdflib import Graph

from ctoc_kg.formats import Format
from ctoc_kg.store.base import term
from ctoc_kg.store.results import write_jsonld

RDFLIB_NAMES = {
    "turtle": "turtle",
    "ntriples": "nt",
    "rdfxml": "xml",
    "nquads": "nquads",
}


def serialize(graph: Graph, fmt: Format, prefixes: dict[str, str]) -> bytes:
    if fmt.key == "jsonld":
        return write_jsonld(((term(s), term(p), term(o)) for s, p, o in graph), prefixes)
    if fmt.key == "nquads":
        out = Graph()
        for t in graph:
            out.add(t)
        return out.serialize(format="nt", encoding="utf-8")
    for p, ns in prefixes.items():
        graph.bind(p, ns, override=True, replace=True)
    data = graph.serialize(format=RDFLIB_NAMES[fmt.key], encoding="utf-8")
    return data
