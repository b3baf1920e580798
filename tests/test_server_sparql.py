"""The SPARQL endpoint as researchers use it: SPARQLWrapper, formats, errors, limits.

SPARQLWrapper, CSV read over HTTP and the timeout under concurrent load go to the live
server; the rest of the Protocol behaviour runs against the app in process.
"""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time

import pytest
from rdflib import Graph
from SPARQLWrapper import CSV, JSON, POST, RDFXML, TURTLE, XML, SPARQLWrapper

from .conftest import ROOT
from .inprocess import InProcessServer
from .live import LiveServer

LOOKUP = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?d WHERE { ?d dcterms:identifier "CTOC/COP/2008/6" }"""
ITEMS = """PREFIX ctoc: <ontology/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?n WHERE { ?i a ctoc:AgendaItem ; skos:notation ?n ; ctoc:order ?o } ORDER BY ?o"""
CONSTRUCT = """PREFIX ctoc: <ontology/>
CONSTRUCT { ?i ?p ?o } WHERE { ?i a ctoc:AgendaItem ; ?p ?o }"""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def wrapper(server: LiveServer, query: str, fmt: str = JSON, method: str = "GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(server.endpoint)
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select(server: LiveServer, method: str) -> None:
    res = wrapper(server, LOOKUP, JSON, method).queryAndConvert()
    (binding,) = res["results"]["bindings"]  # type: ignore[index]
    assert binding["d"]["value"] == server.base + "document/CTOC/COP/2008/6"


def test_sparqlwrapper_resolves_relative_iris_against_the_base(server: LiveServer) -> None:
    res = wrapper(server, ITEMS).queryAndConvert()
    assert [b["n"]["value"] for b in res["results"]["bindings"]] == [  # type: ignore[index]
        "1", "1 a)", "1 b)", "2", "3", "4",
    ]  # fmt: skip


def test_sparqlwrapper_construct_gives_a_graph(server: LiveServer) -> None:
    g = wrapper(server, CONSTRUCT, RDFXML).queryAndConvert()
    assert isinstance(g, Graph) and len(g) > 30
    ttl = wrapper(server, CONSTRUCT, TURTLE).queryAndConvert()
    assert len(Graph().parse(data=ttl, format="turtle")) == len(g)  # type: ignore[arg-type]


def test_sparqlwrapper_xml_and_csv(server: LiveServer) -> None:
    xml = wrapper(server, LOOKUP, XML).queryAndConvert()
    assert xml.getElementsByTagName("uri")[0].firstChild.data.endswith("/document/CTOC/COP/2008/6")  # type: ignore[union-attr]
    text = wrapper(server, LOOKUP, CSV).queryAndConvert()
    rows = list(csv.reader(io.StringIO(text.decode() if isinstance(text, bytes) else text)))  # type: ignore[arg-type]
    assert rows[0] == ["d"] and rows[1][0].endswith("/document/CTOC/COP/2008/6")


def test_pandas_style_csv_round_trip(server: LiveServer) -> None:
    resp = server.get("sparql", params={"query": ITEMS}, headers={"Accept": "text/csv"})
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(resp.text)))[1]["n"] == "1 a)"


@pytest.mark.parametrize(
    ("accept", "ctype"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        (None, "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(site: InProcessServer, accept: str | None, ctype: str) -> None:
    headers = {"Accept": accept} if accept else {}
    resp = site.get("sparql", params={"query": LOOKUP}, headers=headers)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith(ctype)
    assert "document/CTOC/COP/2008/6" in resp.text
    assert resp.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("fmt", "ctype", "parser"),
    [
        (None, "text/turtle", "turtle"),
        ("nt", "application/n-triples", "nt"),
        ("rdfxml", "application/rdf+xml", "xml"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("nq", "application/n-quads", "nquads"),
    ],
)
def test_construct_formats(site: InProcessServer, fmt: str | None, ctype: str, parser: str) -> None:
    params = {"query": CONSTRUCT, **({"format": fmt} if fmt else {})}
    resp = site.get("sparql", params=params)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith(ctype)
    g = Graph().parse(data=resp.content, format=parser)
    assert len(g) > 30
    if fmt == "jsonld":
        assert "ctoc" in json.loads(resp.content)["@context"]


def test_describe(site: InProcessServer) -> None:
    q = f"DESCRIBE <{site.base}body/CTOC/COP/WG.4>"
    resp = site.get("sparql", params={"query": q}, headers={"Accept": "application/n-triples"})
    g = Graph().parse(data=resp.content, format="nt")
    assert len(g) > 5


def test_ask(site: InProcessServer) -> None:
    resp = site.post(
        "sparql",
        data={"query": "ASK { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert resp.json()["boolean"] is True


def test_syntax_error_is_400_plain_text_with_position(site: InProcessServer) -> None:
    resp = site.get("sparql", params={"query": "SELECT * WHERE {\n ?s ?p \n"})
    assert resp.status_code == 400
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert "syntax error" in resp.text and "line 3, column 1: expected" in resp.text


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/x>",
        "CLEAR ALL",
        "DROP ALL",
    ],
)
def test_updates_are_refused_and_change_nothing(site: InProcessServer, update: str) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = site.get("sparql", params={"query": count}).json()
    for resp in (
        site.post("sparql", data={"update": update}),
        site.post(
            "sparql", data=update.encode(), headers={"Content-Type": "application/sparql-update"}
        ),
        site.get("sparql", params={"query": update}),
    ):
        assert 400 <= resp.status_code < 500 and resp.text.strip()
    assert site.get("sparql", params={"query": count}).json() == before


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_refused(site: InProcessServer, method: str) -> None:
    resp = site.request(method, "sparql", data=b"x")
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]


def test_protocol_dataset_overrides_from(site: InProcessServer) -> None:
    q = "SELECT ?s FROM <http://kasei.us/2009/09/sparql/data/data1.rdf> WHERE { ?s a ?t }"
    only = site.get("sparql", params={"query": q}).json()["results"]["bindings"]
    assert [b["s"]["value"] for b in only] == ["http://kasei.us/2009/09/sparql/data/data1.rdf"]
    over = site.get(
        "sparql",
        params={"query": q, "default-graph-uri": "http://kasei.us/2009/09/sparql/data/data2.rdf"},
    ).json()["results"]["bindings"]
    assert [b["s"]["value"] for b in over] == ["http://kasei.us/2009/09/sparql/data/data2.rdf"]


def test_default_graph_is_the_union(site: InProcessServer) -> None:
    q = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    graphs = int(
        site.get("sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"]
    )
    # each source and its statements' provenance, the ontology, three W3C graphs, the odd one
    sources = len(list((ROOT / "data").glob("*.ttl")))
    assert graphs == 2 * sources + 1 + 4
    q2 = (
        "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> ?p ?o . "
        "?x <http://purl.org/dc/terms/identifier> ?id }"
    )
    assert site.get("sparql", params={"query": q2}).json()["boolean"] is True


def test_service_description(site: InProcessServer) -> None:
    resp = site.get("sparql", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=resp.content, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = {str(o) for o in g.objects(None, __import__("rdflib").URIRef(sd + "endpoint"))}
    assert endpoints == {site.endpoint}
    assert "SPARQL_Results_JSON" in resp.text and "triples" in resp.text


def test_browser_gets_the_query_page(site: InProcessServer) -> None:
    resp = site.get("sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.headers["Content-Type"].startswith("text/html")
    assert '<form id="query-form"' in resp.text and "cq01-agenda-items" in resp.text


def test_cors_on_every_response_and_preflight(site: InProcessServer) -> None:
    for resp in (
        site.get("sparql", params={"query": LOOKUP}),
        site.get("sparql", params={"query": "SELEC"}),
        site.get("nothing/here"),
        site.get(""),
    ):
        assert resp.headers["Access-Control-Allow-Origin"] == "*"
    pre = site.request(
        "OPTIONS",
        "sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 204 and "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in pre.headers["Access-Control-Allow-Headers"]


def test_runaway_query_is_stopped_while_others_are_served(server: LiveServer) -> None:
    result: dict[str, object] = {}

    def slow() -> None:
        t0 = time.monotonic()
        r = server.get("sparql", params={"query": RUNAWAY})
        result.update(status=r.status_code, text=r.text, seconds=time.monotonic() - t0)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    fast = []
    while thread.is_alive() and len(fast) < 20:
        t0 = time.monotonic()
        r = server.get("sparql", params={"query": LOOKUP})
        fast.append((r.status_code, time.monotonic() - t0))
    thread.join(60)
    assert result["status"] == 503 and "time" in str(result["text"]).lower()
    assert result["seconds"] < 3 + 5  # the limit is 3 s
    assert fast and all(code == 200 for code, _ in fast)
    assert max(s for _, s in fast) < 2.5
    # the worker recovered: its next query works
    for _ in range(4):
        assert server.get("sparql", params={"query": LOOKUP}).status_code == 200


def test_result_size_cap_is_signalled(site: InProcessServer) -> None:
    resp = site.get("sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert resp.status_code == 200
    assert resp.headers["X-SPARQL-Results-Truncated"].startswith("true")
    assert len(resp.json()["results"]["bindings"]) == 1000
    small = site.get("sparql", params={"query": LOOKUP})
    assert "X-SPARQL-Results-Truncated" not in small.headers


class Listener:
    """A loopback TCP listener that records every connection attempt."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * {{ BIND(<http://127.0.0.1:{port}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <http://127.0.0.1:{port}/d.ttl> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
)
def test_no_request_leaves_the_server(site: InProcessServer, template: str) -> None:
    listener = Listener()
    try:
        query = template.format(port=listener.port)
        resp = site.get("sparql", params={"query": query})
        params = {"query": "ASK {}", "default-graph-uri": f"http://127.0.0.1:{listener.port}/g"}
        resp2 = site.get("sparql", params=params)
        time.sleep(0.5)
        assert resp.status_code in {200, 400} and resp2.status_code == 200
        if "SERVICE" in template.upper() or "\\u0053" in template:
            assert resp.status_code == 400 and "SERVICE" in resp.text
        assert listener.connections == 0
    finally:
        listener.close()


def test_request_size_limits(site: InProcessServer) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 << 20)
    resp = site.post(
        "sparql", data=huge.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert resp.status_code == 413
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 200_000
    resp = site.post("sparql", data={"query": long_query})
    assert resp.status_code == 400 and "limit" in resp.text
