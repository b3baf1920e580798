"""A remote store reached over the SPARQL 1.1 Protocol (e.g. Virtuoso, Fuseki).

Bound terms travel as a ``VALUES`` block of terms serialised after
validation, never as pasted request text.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import threading
import urllib.parse

from ctoc_kg.formats import RESULT_FORMATS
from ctoc_kg.store.base import (
    DEFAULT_TIMEOUT,
    XSD_STRING,
    QueryError,
    QueryRequest,
    QueryResponse,
    QueryTimeout,
    Store,
    Term,
    node,
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


#: Strings, IRIs and comments: skipped when looking for the WHERE clause's brace.
_SKIP = re.compile(
    r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'|<[^<>\s]*>|#[^\n]*"
)
_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def _where_brace(query: str) -> int:
    """Index just past the opening brace of the query's WHERE clause."""
    masked = _SKIP.sub(lambda m: " " * len(m.group()), query)
    where = _WHERE.search(masked)
    if where is not None:
        return where.end()
    brace = masked.find("{")
    if brace < 0:
        raise QueryError("no WHERE clause to bind variables in")
    return brace + 1


def with_values(query: str, bindings: dict[str, Term]) -> str:
    """Bind ``bindings`` with a VALUES block opening the WHERE clause (SPARQL 1.1, 18.2.4.3).

    Inline, not after the query: stores such as Virtuoso 7 refuse a trailing VALUES after
    ASK.  Only the project's own queries carry bindings; a CONSTRUCT template's braces
    come before its WHERE keyword, an ASK or SELECT without the keyword opens with its brace.
    """
    if not bindings:
        return query
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad variable name {name!r}")
    head = " ".join(f"?{n}" for n in names)
    row = " ".join(_term_n3(bindings[n]) for n in names)
    at = _where_brace(query)
    return f"{query[:at]} VALUES ({head}) {{ ({row}) }} {query[at:]}"


def _json_term(value: dict[str, str]) -> Term:
    kind = value["type"]
    if kind == "uri":
        return ("uri", value["value"])
    if kind == "bnode":
        return ("bnode", value["value"])
    lang = value.get("xml:lang", "")
    datatype = "" if lang else value.get("datatype", "")
    # RDF 1.1: "x" and "x"^^xsd:string are one term; stores differ only in how they write it
    return (
        "literal",
        value["value"],
        lang,
        XSD_STRING if datatype in ("", XSD_STRING) else datatype,
    )


class RemoteStore(Store):
    """Queries sent over one kept-alive HTTP connection per thread.

    SELECT and ASK answers are passed on as the store wrote them; graphs are read as
    N-Triples and written by the same code as the embedded store's, so both stores give
    the same documents (the same prefixes, order and JSON-LD shape).
    """

    def __init__(self, endpoint: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise QueryError(f"not an http(s) endpoint URL: {endpoint!r}")
        self.endpoint = endpoint
        self.timeout = timeout
        self._parts = parts
        self._path = parts.path or "/"
        if parts.query:
            self._path += "?" + parts.query
        self._local = threading.local()

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", 0) != os.getpid():
            cls = (
                http.client.HTTPSConnection
                if self._parts.scheme == "https"
                else http.client.HTTPConnection
            )
            conn = cls(self._parts.hostname or "", self._parts.port, timeout=timeout)
            self._local.conn, self._local.pid = conn, os.getpid()
        conn.timeout = timeout
        if conn.sock is not None:
            conn.sock.settimeout(timeout)
        return conn

    def _drop(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None

    def _post(self, req: QueryRequest, accept: str, timeout: float) -> tuple[bytes, str]:
        query = with_values(req.query, req.bindings)
        if req.base_iri:
            query = f"BASE <{req.base_iri}>\n{query}"
        fields = [("query", query)]
        fields += [("default-graph-uri", g) for g in req.default_graphs or []]
        fields += [("named-graph-uri", g) for g in req.named_graphs or []]
        body = urllib.parse.urlencode(fields).encode()
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        for attempt in (1, 2):  # a kept-alive connection the store closed: once more, afresh
            conn = self._connection(timeout)
            reused = conn.sock is not None
            try:
                conn.request("POST", self._path, body, headers)
                resp = conn.getresponse()
                data = resp.read()
            except TimeoutError as exc:
                self._drop()
                raise QueryTimeout(f"the store did not answer within {timeout:g} s") from exc
            except (http.client.HTTPException, ConnectionError) as exc:
                self._drop()
                if reused and attempt == 1:
                    continue
                raise QueryError(f"the store could not be reached: {exc}") from exc
            except OSError as exc:
                self._drop()
                raise QueryError(f"the store could not be reached: {exc}") from exc
            if resp.will_close:
                self._drop()
            if resp.status >= 400:
                detail = data[:2000].decode("utf-8", "replace").strip()
                raise QueryError(f"the store refused the query ({resp.status}): {detail}")
            return data, resp.getheader("Content-Type", "")
        raise AssertionError("not reached")

    def _graph(self, req: QueryRequest, timeout: float) -> QueryResponse:
        """A CONSTRUCT or DESCRIBE read as N-Triples, then written by the embedded store's
        writer (pyoxigraph is loaded here, on the first graph, not with this module)."""
        from pyoxigraph import RdfFormat, parse

        from ctoc_kg.store.engine import _plain_triples, _take, write_graph

        body, ctype = self._post(
            req, "application/n-triples, application/sparql-results+json;q=0.9", timeout
        )
        if "sparql-results" in ctype:
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        try:
            parsed = [q.triple for q in parse(body, format=RdfFormat.N_TRIPLES)]
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"the store sent unreadable N-Triples: {exc}") from exc
        triples, truncated = _take(parsed, req.max_results)
        if req.want == "triples":
            plain = _plain_triples(triples)
            return QueryResponse("graph", triples=plain, truncated=truncated, count=len(plain))
        body = write_graph(triples, req.rdf_format, req.prefixes)
        return QueryResponse("graph", body, req.rdf_format, truncated, len(triples))

    def execute(self, req: QueryRequest, timeout: float | None = None) -> QueryResponse:
        t = self.timeout if timeout is None else timeout
        if req.want == "serialized" and not _is_graph_query(req.query):
            fmt = next(f for f in RESULT_FORMATS if f.key == req.result_format)
            body, _ = self._post(req, fmt.media_type, t)
            return QueryResponse("solutions", body, fmt.key)
        if req.want in ("serialized", "triples"):
            return self._graph(req, t)
        body, _ = self._post(req, "application/sparql-results+json", t)
        data = json.loads(body)
        if "boolean" in data:
            return QueryResponse("boolean", boolean=bool(data["boolean"]))
        rows = [{k: _json_term(v) for k, v in b.items()} for b in data["results"]["bindings"]]
        return QueryResponse("solutions", rows=rows, count=len(rows))

    def close(self) -> None:
        self._drop()


def _is_graph_query(query: str) -> bool:
    """Whether the query form is CONSTRUCT or DESCRIBE (strings, IRIs and comments masked)."""
    masked = _SKIP.sub(lambda m: " " * len(m.group()), query)
    form = _FORM.search(masked)
    return form is not None and form.group(1).upper() in ("CONSTRUCT", "DESCRIBE")


_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
