"""The embedded store: pyoxigraph on disk, opened read-only."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .base import QueryError, Row, Store


def to_rdflib(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


class EmbeddedStore(Store):
    def __init__(self, path: Path, read_only: bool = True) -> None:
        if not path.is_dir():
            raise FileNotFoundError(f"no store at {path}; run `ctoc-kg build` first")
        self.path = path
        self.ox = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))

    def _run(self, query: str, bindings: Mapping[str, Node] | None) -> object:
        subs = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
        try:
            return self.ox.query(query, use_default_graph_as_union=True, substitutions=subs)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc

    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        res = self._run(query, bindings)
        if not isinstance(res, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in res.variables]
        rows = []
        for sol in res:
            row: Row = {}
            for name in names:
                value = sol[name]
                if value is not None:
                    row[name] = to_rdflib(value)
            rows.append(row)
        return rows

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        res = self._run(query, bindings)
        if not isinstance(res, ox.QueryBoolean):
            raise QueryError("not an ASK query")
        return bool(res)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        res = self._run(query, bindings)
        if not isinstance(res, ox.QueryTriples):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for t in res:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def close(self) -> None:
        del self.ox
