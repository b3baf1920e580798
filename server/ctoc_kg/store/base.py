"""The store interface the rest of the project programs against, and its plain data types.

A :class:`QueryRequest` goes in and a :class:`QueryResponse` comes out, whichever
engine answers (embedded pyoxigraph or a remote endpoint).  Terms crossing the
interface are :data:`Term` tuples; :func:`term` and :func:`node` convert them to
and from rdflib for callers that work with rdflib graphs.  Nothing here imports
an engine, so a remote store never loads pyoxigraph.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ctoc_kg.settings import default
from ctoc_kg.store.spool import Spooled

#: A term as plain data: ("uri", iri) | ("bnode", id) | ("literal", value, lang, datatype)
#: (datatype "" for a language-tagged literal; "" or xsd:string for a simple one).
Term = tuple[str, ...]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DEFAULT_TIMEOUT: float = default("query_timeout")
DEFAULT_MAX_RESULTS: int = default("max_results")


class QueryError(ValueError):
    """The query is malformed or cannot be run; the message says why and where."""


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""


class QueryTooLarge(QueryTimeout):
    """The query needed more memory than a query may have; it was stopped."""


class EngineCrashed(QueryError):
    """The engine's process died on this query (a server fault, not the client's)."""


@dataclass
class QueryRequest:
    query: str
    #: "serialized" (bytes in result_format or rdf_format), "rows", "triples" or "boolean"
    want: str = "serialized"
    result_format: str = "json"
    rdf_format: str = "turtle"
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    union_default_graph: bool = True
    base_iri: str | None = None
    bindings: dict[str, Term] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    max_results: int = DEFAULT_MAX_RESULTS
    #: About how many bytes the answer may take; past them it is cut (and flagged).
    max_result_bytes: int = 1 << 62
    #: A file a large serialized answer may be written to (see :mod:`ctoc_kg.store.spool`).
    spool: str = ""


@dataclass
class QueryResponse:
    kind: str  # "solutions", "boolean", "graph"
    body: bytes = b""
    format: str = ""
    truncated: bool = False
    count: int = 0
    rows: list[dict[str, Term]] | None = None
    triples: list[tuple[Term, Term, Term]] | None = None
    boolean: bool | None = None
    #: Set when the answer was written to the request's spool file instead of ``body``.
    spooled: Spooled | None = None


Row = dict[str, Node]


def term(n: Node) -> Term:
    """An rdflib node as a plain :data:`Term`."""
    if isinstance(n, URIRef):
        return ("uri", str(n))
    if isinstance(n, BNode):
        return ("bnode", str(n))
    if isinstance(n, Literal):
        dt = str(n.datatype) if n.datatype else ""
        return ("literal", str(n), n.language or "", dt)
    raise TypeError(f"cannot bind {n!r}")


def node(t: Term) -> Node:
    """A plain :data:`Term` as an rdflib node."""
    if t[0] == "uri":
        return URIRef(t[1])
    if t[0] == "bnode":
        return BNode(t[1])
    if t[2]:
        return Literal(t[1], lang=t[2])
    return Literal(t[1], datatype=URIRef(t[3]) if t[3] else None)


class Store(ABC):
    """A read-only SPARQL dataset whose default graph is the union of its named graphs.

    ``bindings`` bind variables to terms; request text is never pasted into a query.
    """

    timeout: float = DEFAULT_TIMEOUT

    @abstractmethod
    def execute(self, req: QueryRequest, timeout: float | None = None) -> QueryResponse:
        """Run ``req``; raise :class:`QueryError` (or :class:`QueryTimeout`)."""

    def _run(self, query: str, want: str, bindings: Mapping[str, Node] | None) -> QueryResponse:
        plain = {k: term(v) for k, v in (bindings or {}).items()}
        return self.execute(QueryRequest(query, want=want, bindings=plain, max_results=10**9))

    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        resp = self._run(query, "rows", bindings)
        if resp.rows is None:
            raise QueryError("not a SELECT query")
        return [{k: node(v) for k, v in r.items()} for r in resp.rows]

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
            g.add((node(s), node(p), node(o)))
        return g

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release processes, files or connections."""
