"""Running one query on a pyoxigraph store: the only module that speaks pyoxigraph's terms.

A :class:`~ctoc_kg.store.base.QueryRequest` in, a
:class:`~ctoc_kg.store.base.QueryResponse` out, so the same requests serve the
embedded and the remote store.  Answers are written by :mod:`ctoc_kg.store.results`
(SELECT through the cap here, so the result-size cap can cut them and say so);
Turtle, N-Triples, RDF/XML and N-Quads by pyoxigraph.  An answer that grows
large goes to the request's spool file as it is produced (:mod:`ctoc_kg.store.spool`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any, TypeVar

import pyoxigraph as ox

from ctoc_kg.store.base import XSD_STRING, QueryRequest, QueryResponse, Term
from ctoc_kg.store.projection import star_order
from ctoc_kg.store.results import (
    ROW_WRITERS,
    Framing,
    JsonLdTerms,
    json_framing,
    json_row,
    write_boolean,
    write_jsonld,
)
from ctoc_kg.store.spool import CHUNK, SPOOL_AFTER, Spooled
from ctoc_kg.store.syntax import readable

T = TypeVar("T")
V = TypeVar("V")

RDF_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,
}


class EngineError(ValueError):
    """The engine refused the query (syntax, unsupported feature); message for the client."""


def _term(term: object) -> Term:
    """A pyoxigraph term as a plain term."""
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        return ("literal", term.value, term.language or "", "" if term.language else dt)
    raise EngineError(f"unsupported term in results: {term!r}")


def _ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A plain term as a pyoxigraph term."""
    kind = term[0]
    if kind == "uri":
        return ox.NamedNode(term[1])
    if kind == "bnode":
        return ox.BlankNode(term[1])
    if term[2]:
        return ox.Literal(term[1], language=term[2])
    return ox.Literal(term[1], datatype=ox.NamedNode(term[3] or XSD_STRING))


def execute(store: ox.Store, req: QueryRequest, max_bytes: int = 1 << 62) -> QueryResponse:
    """Run ``req``; results are cut at ``req.max_results`` items or about ``max_bytes``
    (or the request's own ``max_result_bytes``, if smaller)."""
    max_bytes = min(max_bytes, req.max_result_bytes)
    kwargs: dict[str, object] = {"base_iri": req.base_iri}
    if req.default_graphs is not None or req.named_graphs is not None:
        if req.default_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs]
        if req.named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
        if req.default_graphs is None:
            kwargs["default_graph"] = []
    elif req.union_default_graph:
        kwargs["use_default_graph_as_union"] = True
    if req.bindings:
        kwargs["substitutions"] = {ox.Variable(k): _ox(v) for k, v in req.bindings.items()}
    try:
        result = store.query(req.query, **kwargs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise EngineError(f"SPARQL syntax error: {readable(str(exc), req.query)}") from exc
    except (ValueError, TypeError) as exc:
        raise EngineError(str(exc)) from exc
    if isinstance(result, ox.QueryBoolean):
        value = bool(result)
        if req.want == "serialized":
            return QueryResponse(
                "boolean", write_boolean(value, req.result_format), req.result_format, boolean=value
            )
        return QueryResponse("boolean", boolean=value)
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, req, max_bytes)
    return _triples(result, req, max_bytes)


def _size(item: Any) -> int:
    """About how many bytes a solution or triple takes once written (its terms' text)."""
    return 16 + sum(len(getattr(t, "value", "")) for t in item)


class _Capped(Iterator[T]):
    """The items up to the result-size caps, in number and in about ``max_bytes``;
    ``truncated`` says afterwards whether there were more."""

    def __init__(self, items: Iterable[T], limit: int, max_bytes: int) -> None:
        self._items = iter(items)
        self.limit, self.max_bytes = limit, max_bytes
        self.size = self.count = 0
        self.truncated = False

    def __next__(self) -> T:
        if self.truncated:
            raise StopIteration
        item = next(self._items)
        self.size += _size(item)
        if self.count >= self.limit or self.size > self.max_bytes:
            self.truncated = True
            raise StopIteration
        self.count += 1
        return item


def _take(items: Iterable[T], limit: int, max_bytes: int = 1 << 62) -> tuple[list[T], bool]:
    """At most ``limit`` items of at most about ``max_bytes`` in all, and whether there
    were more (the result-size caps, in items and in bytes)."""
    capped = _Capped(items, limit, max_bytes)
    return list(capped), capped.truncated


def _head(capped: _Capped[T], spool: str) -> tuple[list[T], bool]:
    """The items while the answer is small, and whether it grew past
    :data:`~ctoc_kg.store.spool.SPOOL_AFTER` (only with a spool file to go to)."""
    taken = []
    for item in capped:
        taken.append(item)
        if spool and capped.size > SPOOL_AFTER:
            return taken, True
    return taken, False


def _spool(path: str, items: Iterable[T], encode: Callable[[T], bytes], sep: bytes) -> int:
    """Write the encoded items to a new file at ``path`` as they come; its size."""
    with open(path, "xb", buffering=CHUNK) as fh:
        for n, item in enumerate(items):
            if n and sep:
                fh.write(sep)
            fh.write(encode(item))
        return fh.tell()


def _solutions(result: ox.QuerySolutions, req: QueryRequest, max_bytes: int) -> QueryResponse:
    names = star_order(req.query, [v.value for v in result.variables])
    capped = _Capped(result, req.max_results, max_bytes)
    if req.want != "serialized":
        rows = [_bound(sol, names, _term) for sol in capped]
        return QueryResponse("solutions", rows=rows, truncated=capped.truncated, count=len(rows))
    fmt = req.result_format
    framing: Callable[[list[str], bool], Framing]
    encode: Callable[[ox.QuerySolution], bytes]
    if fmt == "json":  # the hot path, written from the engine's own terms
        framing = json_framing

        def encode(sol: ox.QuerySolution) -> bytes:
            return json_row(_bound(sol, names, _json_term))
    else:
        framing, row = ROW_WRITERS[fmt]

        def encode(sol: ox.QuerySolution) -> bytes:
            return row(names, _bound(sol, names, _term))

    solutions, large = _head(capped, req.spool)
    if not large:
        body = framing(names, capped.truncated).join(encode(sol) for sol in solutions)
        return QueryResponse("solutions", body, fmt, capped.truncated, capped.count)
    sep = framing(names, False).separator
    size = _spool(req.spool, chain(solutions, capped), encode, sep)
    frame = framing(names, capped.truncated)
    spooled = Spooled(req.spool, frame.prefix, frame.suffix, size)
    return QueryResponse("solutions", b"", fmt, capped.truncated, capped.count, spooled=spooled)


def _bound(sol: ox.QuerySolution, names: list[str], convert: Callable[[Any], V]) -> dict[str, V]:
    """The bound variables of one solution, each value converted."""
    row = {}
    for name in names:
        value = sol[name]
        if value is not None:
            row[name] = convert(value)
    return row


def _json_term(t: object) -> dict[str, str]:
    """A pyoxigraph term as a SPARQL JSON results term."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.Literal):
        if t.language:
            return {"type": "literal", "value": t.value, "xml:lang": t.language}
        dt = t.datatype.value
        if dt == XSD_STRING:
            return {"type": "literal", "value": t.value}
        return {"type": "literal", "value": t.value, "datatype": dt}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    raise EngineError(f"unsupported term in results: {t!r}")


def _triples(result: ox.QueryTriples, req: QueryRequest, max_bytes: int) -> QueryResponse:
    capped = _Capped(result, req.max_results, max_bytes)
    if req.want != "serialized":
        plain = _plain_triples(list(capped))
        return QueryResponse("graph", triples=plain, truncated=capped.truncated, count=len(plain))
    triples, large = _head(capped, req.spool)
    if not large:
        body = write_graph(triples, req.rdf_format, req.prefixes)
        return QueryResponse("graph", body, req.rdf_format, capped.truncated, capped.count)
    spooled = _spool_graph(req.spool, chain(triples, capped), req.rdf_format, req.prefixes)
    return QueryResponse(
        "graph", b"", req.rdf_format, capped.truncated, capped.count, spooled=spooled
    )


def _spool_graph(
    path: str, triples: Iterator[ox.Triple], fmt: str, prefixes: dict[str, str]
) -> Spooled:
    """A large graph written as it comes: in the order the engine gives it (Turtle is not
    grouped by subject), with every configured prefix; JSON-LD one node object a triple."""
    if fmt == "jsonld":
        terms = JsonLdTerms(prefixes)

        def node(t: ox.Triple) -> bytes:
            return json_row(terms.node(_term(t.subject), _term(t.predicate), _term(t.object)))

        size = _spool(path, triples, node, b",")
        context = json_row(dict(sorted(terms.used.items())))
        return Spooled(path, b'{"@context":' + context + b',"@graph":[', b"]}", size)
    items: Iterable[ox.Triple] | Iterable[ox.Quad] = triples
    if fmt == "nquads":
        items = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    with open(path, "xb", buffering=CHUNK) as fh:
        used = prefixes if fmt in {"turtle", "rdfxml"} else None
        ox.serialize(items, fh, format=RDF_OX_FORMATS[fmt], prefixes=used)
        size = fh.tell()
    return Spooled(path, b"", b"", size)


def write_graph(triples: list[ox.Triple], fmt: str, prefixes: dict[str, str]) -> bytes:
    if fmt == "nquads":
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        out = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        assert out is not None  # without an output, serialize returns the bytes
        return out
    if fmt == "jsonld":
        return write_jsonld(_plain_triples(triples), prefixes)
    used = _used_prefixes(triples, prefixes) if fmt in {"turtle", "rdfxml"} else None
    if fmt == "turtle":  # grouped by subject for people, one order whatever the store
        triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    out = ox.serialize(triples, format=RDF_OX_FORMATS[fmt], prefixes=used)
    assert out is not None  # without an output, serialize returns the bytes
    return out


def _used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    iris = {t.predicate.value for t in triples}
    iris |= {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}
    iris |= {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    return {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}


def _plain_triples(triples: list[ox.Triple]) -> list[tuple[Term, Term, Term]]:
    return [(_term(t.subject), _term(t.predicate), _term(t.object)) for t in triples]
