"""A remote store reached over the SPARQL 1.1 Protocol (e.g. Virtuoso, Fuseki).

Bound terms travel as a ``VALUES`` block of terms serialised after
validation, never as pasted request text.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request

from rdflib import Graph

from ctoc_kg.formats import RDF_FORMATS, RESULT_FORMATS
from ctoc_kg.store.base import (
    DEFAULT_TIMEOUT,
    QueryError,
    QueryRequest,
    QueryResponse,
    QueryTimeout,
    Store,
    Term,
    node,
    term,
)

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _term_n3(t: Term) -> str:
    if t[0] == "uri":
        if _BAD_IRI.search(t[1]):
            raise QueryError(f"not a valid IRI: {t[1][:200]!r}")
        return f"<{t[1]}>"
    if t[0] == "literal":
        return node(t).n3()  # type: ignore[no-any-return, union-attr]
    raise QueryError("only IRIs and literals can be bound for a remote store")


def with_values(query: str, bindings: dict[str, Term]) -> str:
    """Append a VALUES block binding ``bindings`` (SPARQL 1.1, section 10.2.2)."""
    if not bindings:
        return query
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad variable name {name!r}")
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(_term_n3(bindings[n]) for n in names)
    return f"{query}\nVALUES ({head}) {{ ({row}) }}"


def _json_term(value: dict[str, str]) -> Term:
    kind = value["type"]
    if kind == "uri":
        return ("uri", value["value"])
    if kind == "bnode":
        return ("bnode", value["value"])
    return ("literal", value["value"], value.get("xml:lang", ""), value.get("datatype", ""))


class RemoteStore(Store):
    def __init__(self, endpoint: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def _post(self, req: QueryRequest, accept: str, timeout: float) -> tuple[bytes, str]:
        query = with_values(req.query, req.bindings)
        if req.base_iri:
            query = f"BASE <{req.base_iri}>\n{query}"
        fields = [("query", query)]
        fields += [("default-graph-uri", g) for g in req.default_graphs or []]
        fields += [("named-graph-uri", g) for g in req.named_graphs or []]
        request = urllib.request.Request(
            self.endpoint,
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                return resp.read(), resp.headers.get("Content-Type", "")
        except TimeoutError as exc:
            raise QueryTimeout(f"the store did not answer within {timeout:g} s") from exc
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:2000].decode("utf-8", "replace").strip()
            raise QueryError(f"the store refused the query ({exc.code}): {detail}") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise QueryTimeout(f"the store did not answer within {timeout:g} s") from exc
            raise QueryError(f"the store could not be reached: {exc.reason}") from exc

    def execute(self, req: QueryRequest, timeout: float | None = None) -> QueryResponse:
        t = self.timeout if timeout is None else timeout
        if req.want == "serialized":
            fmt = next(f for f in RESULT_FORMATS if f.key == req.result_format)
            rdf = next(f for f in RDF_FORMATS if f.key == req.rdf_format)
            body, ctype = self._post(req, f"{fmt.media_type}, {rdf.media_type};q=0.9", t)
            kind = "graph" if ctype.startswith(rdf.media_type) else "solutions"
            return QueryResponse(kind, body, rdf.key if kind == "graph" else fmt.key)
        if req.want == "triples":
            body, _ = self._post(req, "application/n-triples", t)
            g = Graph().parse(data=body.decode("utf-8"), format="nt")
            triples = [(term(s), term(p), term(o)) for s, p, o in g]
            return QueryResponse("graph", triples=triples, count=len(triples))
        body, _ = self._post(req, "application/sparql-results+json", t)
        data = json.loads(body)
        if "boolean" in data:
            return QueryResponse("boolean", boolean=bool(data["boolean"]))
        rows = [{k: _json_term(v) for k, v in b.items()} for b in data["results"]["bindings"]]
        return QueryResponse("solutions", rows=rows, count=len(rows))
