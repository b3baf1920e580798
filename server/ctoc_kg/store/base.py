"""The store interface the rest of the project programs against."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ctoc_kg.store.engine import QueryRequest, QueryResponse, Term


class QueryError(ValueError):
    """The query is malformed or cannot be run; the message says why and where."""


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""


Row = dict[str, Node]


def to_plain(term: Node) -> Term:
    if isinstance(term, URIRef):
        return ("uri", str(term))
    if isinstance(term, BNode):
        return ("bnode", str(term))
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype else ""
        return ("literal", str(term), term.language or "", dt)
    raise TypeError(f"cannot bind {term!r}")


def from_plain(term: Term) -> Node:
    if term[0] == "uri":
        return URIRef(term[1])
    if term[0] == "bnode":
        return BNode(term[1])
    if term[2]:
        return Literal(term[1], lang=term[2])
    return Literal(term[1], datatype=URIRef(term[3]) if term[3] else None)


class Store(ABC):
    """A read-only SPARQL dataset whose default graph is the union of its named graphs.

    ``bindings`` bind variables to terms; request text is never pasted into a query.
    """

    timeout: float = 30.0

    @abstractmethod
    def execute(self, req: QueryRequest, timeout: float | None = None) -> QueryResponse:
        """Run ``req``; raise :class:`QueryError` (or :class:`QueryTimeout`)."""

    def _run(self, query: str, want: str, bindings: Mapping[str, Node] | None) -> QueryResponse:
        plain = {k: to_plain(v) for k, v in (bindings or {}).items()}
        return self.execute(QueryRequest(query, want=want, bindings=plain, max_results=10**9))

    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        resp = self._run(query, "rows", bindings)
        if resp.rows is None:
            raise QueryError("not a SELECT query")
        return [{k: from_plain(v) for k, v in r.items()} for r in resp.rows]

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        resp = self._run(query, "boolean", bindings)
        if resp.boolean is None:
            raise QueryError("not an ASK query")
        return resp.boolean

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        resp = self._run(query, "triples", bindings)
        if resp.triples is None:
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        g = Graph()
        for s, p, o in resp.triples:
            g.add((from_plain(s), from_plain(p), from_plain(o)))
        return g

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release processes, files or connections."""
