"""A built release -> a SPARQL 1.1 store, over the Graph Store HTTP Protocol.

Each named graph of the release's N-Quads dump is written with ``PUT``
(replacing the graph as a whole; big graphs continue with ``POST``), graphs
of an older release under the same base that the new one no longer has are
``DELETE``d, and the store is then asked how many triples each graph holds:
the load is only reported done when every count matches the release.

The protocol has no transaction spanning graphs: a load that fails midway
leaves some graphs new and some old; loading the same release again finishes
it (every step replaces, nothing appends to stale data).

Virtuoso: its Graph Store endpoint with authentication is
``/sparql-graph-crud-auth`` (HTTP digest, a user with ``SPARQL_UPDATE``, e.g.
``dba``); its query endpoint is ``/sparql``.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Triples sent in one request: big enough to amortise a request, small enough for any server.
CHUNK = 50_000
NTRIPLES = "application/n-triples"


class LoadError(RuntimeError):
    """The store refused or could not be reached; the message says which graph and why."""


@dataclass
class GraphStore:
    """A Graph Store Protocol endpoint (``?graph=IRI``) and the query endpoint beside it."""

    url: str
    query_url: str
    user: str | None = None
    password: str | None = None
    timeout: float = 600.0

    def __post_init__(self) -> None:
        self._challenge: dict[str, str] | None = None
        self._count = 0

    def _authorization(self, method: str, uri: str) -> dict[str, str]:
        """The Authorization header for the last challenge (digest, RFC 7616; or basic)."""
        ch = self._challenge
        if ch is None or self.user is None:
            return {}
        password = self.password or ""
        if ch["scheme"] == "basic":
            token = base64.b64encode(f"{self.user}:{password}".encode()).decode()
            return {"Authorization": f"Basic {token}"}
        algorithm = ch.get("algorithm", "MD5").upper()
        if algorithm not in ("MD5", "SHA-256"):
            raise LoadError(f"{self.url}: digest algorithm {algorithm} is not supported")

        def h(text: str) -> str:
            name = "md5" if algorithm == "MD5" else "sha256"
            return hashlib.new(name, text.encode()).hexdigest()

        self._count += 1
        nc, cnonce = f"{self._count:08x}", secrets.token_hex(8)
        ha1 = h(f"{self.user}:{ch['realm']}:{password}")
        ha2 = h(f"{method}:{uri}")
        fields = {
            "username": self.user,
            "realm": ch["realm"],
            "nonce": ch["nonce"],
            "uri": uri,
            "algorithm": algorithm,
        }
        if "auth" in ch.get("qop", "").split(","):
            fields |= {"qop": "auth", "nc": nc, "cnonce": cnonce}
            fields["response"] = h(f"{ha1}:{ch['nonce']}:{nc}:{cnonce}:auth:{ha2}")
        else:
            fields["response"] = h(f"{ha1}:{ch['nonce']}:{ha2}")
        if "opaque" in ch:
            fields["opaque"] = ch["opaque"]
        unquoted = {"algorithm", "qop", "nc"}
        parts = [f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in fields.items()]
        return {"Authorization": "Digest " + ", ".join(parts)}

    def _request(
        self, method: str, graph: str, body: bytes | None
    ) -> tuple[int, bytes, str | None]:
        parts = urllib.parse.urlsplit(self.url)
        uri = f"{parts.path}?{urllib.parse.urlencode({'graph': graph})}"
        headers = {"Content-Type": f"{NTRIPLES}; charset=utf-8"} if body is not None else {}
        headers |= self._authorization(method, uri)
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(parts.hostname or "", parts.port, timeout=self.timeout)
        try:
            conn.request(method, uri, body, headers)
            resp = conn.getresponse()
            return resp.status, resp.read(), resp.getheader("WWW-Authenticate")
        finally:
            conn.close()

    def _send(self, method: str, graph: str, body: bytes | None = None) -> int:
        try:
            if self._challenge is None and self.user is not None:
                self._learn_challenge()
            status, data, challenge = self._request(method, graph, body)
            if status == 401 and challenge and self.user is not None:
                self._challenge = _parse_challenge(challenge)  # a stale nonce: once more
                status, data, challenge = self._request(method, graph, body)
        except OSError as exc:
            raise LoadError(f"{method} graph <{graph}>: {self.url} unreachable: {exc}") from None
        if method == "DELETE" and status == 404:
            return status
        if status >= 400:
            detail = data[:500].decode("utf-8", "replace").strip()
            raise LoadError(f"{method} graph <{graph}>: the store answered {status} {detail}")
        return status

    def _learn_challenge(self) -> None:
        """Authenticate with empty requests first: a refused big body only breaks the pipe."""
        probe = "urn:ctoc-kg:no-such-graph"
        status, _, challenge = self._request("DELETE", probe, None)
        if status == 401 and challenge:
            self._challenge = _parse_challenge(challenge)
            status, _, _ = self._request("DELETE", probe, None)
        if status in (401, 403):
            raise LoadError(f"{self.url}: the store refused user {self.user!r} ({status})")

    def put(self, graph: str, lines: list[bytes]) -> None:
        """Replace ``graph`` with these N-Triples lines (in chunks: PUT, then POSTs)."""
        for i in range(0, max(1, len(lines)), CHUNK):
            self._send("PUT" if i == 0 else "POST", graph, b"".join(lines[i : i + CHUNK]))

    def delete(self, graph: str) -> None:
        self._send("DELETE", graph)

    def select(self, query: str) -> list[dict[str, str]]:
        data = urllib.parse.urlencode({"query": query}).encode()
        req = urllib.request.Request(
            self.query_url, data=data, headers={"Accept": "application/sparql-results+json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                rows = json.loads(resp.read())["results"]["bindings"]
        except (urllib.error.URLError, ValueError, KeyError) as exc:
            raise LoadError(f"{self.query_url}: {exc}") from exc
        return [{k: v["value"] for k, v in row.items()} for row in rows]

    def graph_sizes(self, prefix: str) -> dict[str, int]:
        """Triples in each named graph whose IRI starts with ``prefix``."""
        rows = self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER (STRSTARTS(STR(?g), {json.dumps(prefix)})) }} GROUP BY ?g"
        )
        return {r["g"]: int(r["n"]) for r in rows}


def _parse_challenge(header: str) -> dict[str, str]:
    """``Digest realm="x", nonce="y", qop="auth"`` -> {"scheme": "digest", "realm": "x", ...}."""
    scheme, _, rest = header.partition(" ")
    pairs = re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', rest)
    return {"scheme": scheme.lower(), **{k.lower(): q or u for k, q, u in pairs}}


def graphs_of(dump: Path) -> Iterator[tuple[str, list[bytes]]]:
    """(graph IRI, its N-Triples lines) from a sorted N-Quads dump of IRI-named graphs."""
    by_graph: dict[str, list[bytes]] = {}
    with open(dump, "rb") as fh:
        for line in fh:
            head, sep, graph = line.rstrip(b" .\n").rpartition(b" <")
            if not sep or not graph.endswith(b">"):
                raise LoadError(f"{dump}: not a quad in a named graph: {line[:200]!r}")
            by_graph.setdefault(graph[:-1].decode(), []).append(head + b" .\n")
    yield from sorted(by_graph.items())


def load_release(
    release: Path, store: GraphStore, graph_prefix: str, progress=None
) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Write every graph of ``release`` into ``store``; drop stale graphs under ``graph_prefix``.

    Returns the triples per graph, as the store counts them after the load.
    """
    manifest = json.loads((release / "manifest.json").read_text())
    expected: dict[str, int] = {}
    for graph, lines in graphs_of(release / "dataset.nq"):
        store.put(graph, lines)
        expected[graph] = len(lines)
        if progress is not None:
            progress(graph, len(lines))
    before = store.graph_sizes(graph_prefix)
    for stale in sorted(set(before) - set(expected)):
        store.delete(stale)
    sizes = store.graph_sizes(graph_prefix)
    wrong = {g: (n, sizes.get(g, 0)) for g, n in expected.items() if sizes.get(g, 0) != n}
    if wrong or set(sizes) != set(expected):
        detail = ", ".join(f"<{g}>: {n} sent, {m} stored" for g, (n, m) in sorted(wrong.items()))
        raise LoadError(f"the store does not hold release {manifest['version']}: {detail}")
    return sizes
