"""Data files -> quads, with pyoxigraph: the build's fast path to the store and the dumps.

rdflib takes minutes to parse a million triples that pyoxigraph reads in
seconds, so the build parses with pyoxigraph, labels blank nodes by rule
(:mod:`ctoc_kg.build.bnodes`), adds the ontology's entailments, and writes a
sorted N-Quads dump without canonicalising graphs.  Formats pyoxigraph does
not read go through rdflib.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from ctoc_kg.build.bnodes import NeedsCanonicalisation, label_triples
from ctoc_kg.build.entailment import _closure
from ctoc_kg.build.load import ParseFailure, parse_file
from ctoc_kg.build.safety import check_rdf_file

OX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
_TYPE = ox.NamedNode(str(RDF.type))


def read_triples(path: Path, base: str) -> list[ox.Triple]:
    """One file's triples, relative IRIs against ``base``, blank nodes labelled by rule."""
    fmt = OX_FORMATS.get(path.suffix.lower())
    if fmt is None:  # quads, JSON-LD: rdflib reads them, as ``validate`` does
        return _from_rdflib(parse_file(path, base))
    check_rdf_file(path)
    try:
        triples = [q.triple for q in ox.parse(path=str(path), format=fmt, base_iri=base)]
    except SyntaxError as exc:
        raise ParseFailure(path, " ".join(str(exc).split())[:2000], exc.lineno) from exc
    except (OSError, ValueError) as exc:
        raise ParseFailure(path, str(exc)[:500]) from exc
    try:
        return label_triples(triples)
    except NeedsCanonicalisation:
        g = Graph()
        g.parse(path, format="nt" if fmt == ox.RdfFormat.N_TRIPLES else None, publicID=base)
        return _from_rdflib(g)


def _from_rdflib(g: Graph) -> list[ox.Triple]:
    canon = to_canonical_graph(g)
    nt = canon.serialize(format="nt", encoding="utf-8")
    return [q.triple for q in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)]


class Entailer:
    """The ontology's sub-class and sub-property closure, applied to pyoxigraph triples."""

    def __init__(self, ontology: Graph) -> None:
        self.classes = {
            ox.NamedNode(str(k)): [ox.NamedNode(str(v)) for v in sorted(vs)]
            for k, vs in _closure(ontology, RDFS.subClassOf).items()
        }
        self.props = {
            ox.NamedNode(str(k)): [ox.NamedNode(str(v)) for v in sorted(vs)]
            for k, vs in _closure(ontology, RDFS.subPropertyOf).items()
        }

    def __call__(self, triples: list[ox.Triple]) -> list[ox.Triple]:
        seen = set(triples)
        out = list(triples)
        for t in triples:
            new: list[ox.Triple] = []
            if t.predicate == _TYPE and t.object in self.classes:
                new = [ox.Triple(t.subject, _TYPE, c) for c in self.classes[t.object]]  # type: ignore[index]
            if t.predicate in self.props:
                new += [ox.Triple(t.subject, p, t.object) for p in self.props[t.predicate]]
            for n in new:
                if n not in seen:
                    seen.add(n)
                    out.append(n)
        return out


def rdflib_triples(g: Graph) -> list[ox.Triple]:
    """An rdflib graph's triples as pyoxigraph triples (the ontology's, for the store)."""
    return _from_rdflib(g)


_PLAIN = {str(XSD.string), str(RDF.langString)}


def rdflib_term(term: object) -> Node:
    """A pyoxigraph term as rdflib's, lexical form kept."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if term.language or dt in _PLAIN:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"not an RDF term of a graph: {term!r}")


def ox_term(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as pyoxigraph's, lexical form kept."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term of a graph: {term!r}")


def rdflib_triple(t: ox.Triple) -> tuple[Node, Node, Node]:
    """A pyoxigraph triple as rdflib's."""
    return rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)


def to_rdflib(triples: Iterable[ox.Triple]) -> Graph:
    """pyoxigraph triples as an rdflib graph, for the checks written over rdflib."""
    g = Graph()
    for t in triples:
        g.add(rdflib_triple(t))
    return g


def sorted_nquads(graphs: Iterable[tuple[str, list[ox.Triple]]]) -> bytes:
    """Sorted N-Quads: with blank nodes labelled by rule, the same input gives the same bytes."""
    lines: list[str] = []
    for name, triples in graphs:
        g = f" <{name}> .\n"
        lines.extend(f"{t}{g}" for t in triples)
    lines.sort()
    return "".join(lines).encode("utf-8")
