"""A remote store reached over the SPARQL 1.1 Protocol (e.g. Virtuoso, Fuseki).

Bound terms travel as a ``VALUES`` block of terms serialised by rdflib after
validation, never as pasted request text.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .base import QueryError, QueryTimeout, Row, Store

_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _term_n3(term: Node) -> str:
    if isinstance(term, URIRef):
        if _BAD_IRI.search(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)[:200]!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise QueryError("only IRIs and literals can be bound for a remote store")


def with_values(query: str, bindings: Mapping[str, Node] | None) -> str:
    """Append a VALUES block binding ``bindings`` (SPARQL 1.1, section 10.2)."""
    if not bindings:
        return query
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad variable name {name!r}")
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(_term_n3(bindings[n]) for n in names)
    return f"{query}\nVALUES ({head}) {{ ({row}) }}"


def _from_json(value: dict[str, str]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    dt = value.get("datatype")
    return Literal(value["value"], datatype=URIRef(dt) if dt else None)


class RemoteStore(Store):
    def __init__(self, endpoint: str, timeout: float = 30.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def _post(self, query: str, accept: str) -> bytes:
        body = urllib.parse.urlencode({"query": query}).encode()
        req = urllib.request.Request(
            self.endpoint,
            data=body,
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read()
        except TimeoutError as exc:
            raise QueryTimeout(f"remote store did not answer within {self.timeout} s") from exc
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:2000].decode("utf-8", "replace")
            raise QueryError(f"remote store refused the query ({exc.code}): {detail}") from exc

    def select(self, query: str, bindings: Mapping[str, Node] | None = None) -> list[Row]:
        data = json.loads(
            self._post(with_values(query, bindings), "application/sparql-results+json")
        )
        return [
            {k: _from_json(v) for k, v in b.items()}
            for b in data.get("results", {}).get("bindings", [])
        ]

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        data = json.loads(
            self._post(with_values(query, bindings), "application/sparql-results+json")
        )
        return bool(data["boolean"])

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        raw = self._post(with_values(query, bindings), "application/n-triples")
        return Graph().parse(data=raw.decode("utf-8"), format="nt")
