"""Running one query on a pyoxigraph store and writing its results.

Plain data in and out — a :class:`QueryRequest` in, a :class:`QueryResponse`
out — so the same requests serve the embedded and the remote store.  SELECT
results are written here rather than by pyoxigraph so that the result-size
cap can cut them and say so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

T = TypeVar("T")
V = TypeVar("V")

#: A term as plain data: ("uri", iri) | ("bnode", id) | ("literal", value, lang, datatype)
Term = tuple[str, ...]
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

RDF_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}


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
    max_results: int = 10_000


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


class EngineError(ValueError):
    """The engine refused the query (syntax, unsupported feature); message for the client."""


def to_plain(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode", term.value)
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        return ("literal", term.value, term.language or "", "" if term.language else dt)
    raise EngineError(f"unsupported term in results: {term!r}")


def from_plain(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = term[0]
    if kind == "uri":
        return ox.NamedNode(term[1])
    if kind == "bnode":
        return ox.BlankNode(term[1])
    if term[2]:
        return ox.Literal(term[1], language=term[2])
    return ox.Literal(term[1], datatype=ox.NamedNode(term[3] or XSD_STRING))


def execute(store: ox.Store, req: QueryRequest, max_bytes: int = 1 << 62) -> QueryResponse:
    """Run ``req``; results are cut at ``req.max_results`` items or about ``max_bytes``."""
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
        kwargs["substitutions"] = {ox.Variable(k): from_plain(v) for k, v in req.bindings.items()}
    try:
        result = store.query(req.query, **kwargs)  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise EngineError(f"SPARQL syntax error: {exc}") from exc
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
    return _triples(result, req, max_bytes)  # type: ignore[arg-type]


def _size(item: object) -> int:
    """About how many bytes a solution or triple takes once written (its terms' text)."""
    return 16 + sum(len(getattr(t, "value", "")) for t in item)  # type: ignore[attr-defined]


def _take(items: Iterable[T], limit: int, max_bytes: int = 1 << 62) -> tuple[list[T], bool]:
    """At most ``limit`` items of at most about ``max_bytes`` in all, and whether there
    were more (the result-size caps, in items and in bytes)."""
    taken: list[T] = []
    size = 0
    for item in items:
        size += _size(item)
        if len(taken) >= limit or size > max_bytes:
            return taken, True
        taken.append(item)
    return taken, False


def _solutions(result: ox.QuerySolutions, req: QueryRequest, max_bytes: int) -> QueryResponse:
    names = [v.value for v in result.variables]
    solutions, truncated = _take(result, req.max_results, max_bytes)
    if req.want == "serialized" and req.result_format == "json":  # the hot path, written directly
        body = write_json(names, [_bound(sol, names, _json_term) for sol in solutions], truncated)
        return QueryResponse("solutions", body, "json", truncated, len(solutions))
    rows = [_bound(sol, names, to_plain) for sol in solutions]
    if req.want != "serialized":
        return QueryResponse("solutions", rows=rows, truncated=truncated, count=len(rows))
    body = WRITERS[req.result_format](names, rows, truncated)
    return QueryResponse("solutions", body, req.result_format, truncated, len(rows))


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
    triples, truncated = _take(result, req.max_results, max_bytes)
    if req.want != "serialized":
        plain = [(to_plain(t.subject), to_plain(t.predicate), to_plain(t.object)) for t in triples]
        return QueryResponse("graph", triples=plain, truncated=truncated, count=len(plain))
    body = write_graph(triples, req.rdf_format, req.prefixes)
    return QueryResponse("graph", body, req.rdf_format, truncated, len(triples))


def write_graph(triples: list[ox.Triple], fmt: str, prefixes: dict[str, str]) -> bytes:
    if fmt == "nquads":
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    if fmt == "jsonld":
        return _jsonld(triples, prefixes)
    used = _used_prefixes(triples, prefixes) if fmt in {"turtle", "rdfxml"} else None
    if fmt == "turtle":  # grouped by subject for people, one order whatever the store
        triples = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(triples, format=RDF_OX_FORMATS[fmt], prefixes=used)


def _used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    iris = {t.predicate.value for t in triples}
    iris |= {t.object.value for t in triples if isinstance(t.object, ox.NamedNode)}
    iris |= {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    return {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}


def _jsonld(triples: list[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """Expanded JSON-LD from the engine, then given a context of the prefixes it uses."""
    expanded = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"[]")
    context = _used_prefixes(triples, prefixes)
    doc = {"@context": context, "@graph": expanded}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


# -- SELECT / ASK writers -----------------------------------------------------------


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    if fmt in {"csv", "tsv"}:
        return ("true\n" if value else "false\n").encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


def write_json(
    names: list[str], bindings: list[dict[str, dict[str, str]]], truncated: bool
) -> bytes:
    head: dict[str, object] = {"vars": names}
    if truncated:
        head["link"] = ["#truncated-at-max-results"]
    doc = {"head": head, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_term(t: Term) -> str:
    if t[0] == "uri":
        return f"<uri>{escape(t[1])}</uri>"
    if t[0] == "bnode":
        return f"<bnode>{escape(t[1])}</bnode>"
    attrs = ""
    if t[2]:
        attrs = f" xml:lang={quoteattr(t[2])}"
    elif t[3] and t[3] != XSD_STRING:
        attrs = f" datatype={quoteattr(t[3])}"
    return f"<literal{attrs}>{escape(t[1])}</literal>"


def write_xml(names: list[str], rows: list[dict[str, Term]], truncated: bool) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    if truncated:
        out.append('<link href="#truncated-at-max-results"/>')
    out.append("</head><results>")
    for r in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>" for k, v in r.items()]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_cell(t: Term | None) -> str:
    if t is None:
        return ""
    value = "_:" + t[1] if t[0] == "bnode" else t[1]
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def write_csv(names: list[str], rows: list[dict[str, Term]], truncated: bool) -> bytes:
    lines = [",".join(names)]
    lines += [",".join(_csv_cell(r.get(n)) for n in names) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def _nt_literal(value: str) -> str:
    esc = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + esc.replace("\r", "\\r").replace("\t", "\\t") + '"'


def _tsv_cell(t: Term | None) -> str:
    if t is None:
        return ""
    if t[0] == "uri":
        return f"<{t[1]}>"
    if t[0] == "bnode":
        return f"_:{t[1]}"
    if t[2]:
        return f"{_nt_literal(t[1])}@{t[2]}"
    if t[3] and t[3] != XSD_STRING:
        return f"{_nt_literal(t[1])}^^<{t[3]}>"
    return _nt_literal(t[1])


def write_tsv(names: list[str], rows: list[dict[str, Term]], truncated: bool) -> bytes:
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join(_tsv_cell(r.get(n)) for n in names) for r in rows]
    return ("\n".join(lines) + "\n").encode()


#: Writers of plain-term rows; JSON is written straight from pyoxigraph terms (see _solutions).
WRITERS = {"xml": write_xml, "csv": write_csv, "tsv": write_tsv}
