"""Reading and writing RDF the way the project stores it.

``data/`` and ``ontology/`` hold Turtle with relative IRIs, resolved against
the base URI at build time; dumps are sorted N-Quads with canonical blank-node
labels, byte-identical for the same input.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from ctoc_kg.config import PLACEHOLDER_BASE
from ctoc_kg.vocab import bind_all

#: File suffix -> rdflib parser name, for every format ``validate`` and ``build`` accept.
FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".n3": "n3",
}


def format_for(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: unknown RDF file extension {path.suffix!r}") from None


def relative_turtle(graph: Graph, header: str = "") -> str:
    """Turtle whose project IRIs are relative, for any base to resolve at build time.

    The graph must have been built under :data:`PLACEHOLDER_BASE`.
    """
    out = Graph()
    bind_all(out)
    for triple in graph:
        out.add(triple)
    text = out.serialize(format="turtle")
    text = text.replace(f"<{PLACEHOLDER_BASE}", "<")
    if PLACEHOLDER_BASE in text:
        raise ValueError("placeholder base left in a literal; refusing to write")
    return header + text


def nquads(dataset: Dataset) -> str:
    """Sorted N-Quads with canonical blank nodes: the same dataset, the same bytes."""
    lines: list[str] = []
    for g in dataset.graphs():
        if len(g) == 0:
            continue
        canon = to_canonical_graph(g) if _has_bnodes(g) else g
        name = g.identifier
        suffix = f" {URIRef(name).n3()}" if isinstance(name, URIRef) else ""
        for s, p, o in canon:
            lines.append(f"{s.n3()} {p.n3()} {o.n3()}{suffix} .\n")
    lines.sort()
    return "".join(lines)


def _has_bnodes(g: Graph) -> bool:
    return any(isinstance(t, BNode) for triple in g for t in triple)
