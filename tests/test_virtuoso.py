"""The same release served over two stores: the embedded one and Virtuoso, answers compared.

``ctoc-kg load --store`` writes the release into Virtuoso Open Source (Debian's
``virtuoso-opensource``, started here on loopback with ``tests/virtuoso/virtuoso.ini``);
``ctoc-kg serve --store URL`` serves it.  Every check runs against both servers and
their answers must agree.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from ctoc_kg.build.release import Release
from ctoc_kg.config import paths as project_paths
from ctoc_kg.queries import all_queries
from ctoc_kg.store.graph_store import GraphStore, LoadError, load_release
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, SPARQLWrapper

from . import virtuoso
from .conftest import BASE, ROOT
from .live import LiveServer, start

pytestmark = [
    pytest.mark.virtuoso,
    pytest.mark.skipif(not virtuoso.available(), reason="virtuoso-t not installed"),
]
SYMBOL = "CTOC/COP/2008/6"
DOCUMENT = f"document/{SYMBOL}"
LOOKUP = f"""PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?d WHERE {{ ?d dcterms:identifier "{SYMBOL}" }}"""
CONSTRUCT = """PREFIX ctoc: <ontology/>
CONSTRUCT { ?i ?p ?o } WHERE { ?i a ctoc:AgendaItem ; ?p ?o }"""
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
}


def _load(release: Release, v: virtuoso.Virtuoso, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CTOC_KG_STORE_PASSWORD": virtuoso.PASSWORD}
    cmd = [sys.executable, "-m", "ctoc_kg.cli", "load", "--store", v.endpoint]
    cmd += ["--graph-store", v.graph_store, "--user", virtuoso.USER, "--release", str(release.path)]
    return subprocess.run(
        [*cmd, *extra], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="session")
def vos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[virtuoso.Virtuoso]:
    server = virtuoso.start(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def loaded_vos(vos: virtuoso.Virtuoso, release: Release) -> virtuoso.Virtuoso:
    done = _load(release, vos)
    assert done.returncode == 0, done.stderr
    return vos


@pytest.fixture(scope="session")
def servers(
    loaded_vos: virtuoso.Virtuoso, release: Release, build_dir: Path
) -> Iterator[dict[str, LiveServer]]:
    embedded = start(build_dir, "--store", str(release.store))
    remote = start(build_dir, "--store", loaded_vos.endpoint)
    yield {"embedded": embedded, "virtuoso": remote}
    embedded.stop()
    remote.stop()


def both(servers: dict[str, LiveServer], path: str, **kw: object) -> list[requests.Response]:
    return [servers[k].get(path, **kw) for k in ("embedded", "virtuoso")]


def _rows(doc: dict[str, object]) -> list[tuple[tuple[str, str], ...]]:
    """SPARQL JSON rows as sorted comparable tuples; literal forms normalised as RDF 1.1 does."""
    out = []
    for b in doc["results"]["bindings"]:  # type: ignore[index]
        row = []
        for name, t in sorted(b.items()):
            if t["type"] == "bnode":
                row.append((name, "_:"))
            elif t["type"] == "uri":
                row.append((name, t["value"]))
            else:
                lang = t.get("xml:lang", "").lower()
                dt = t.get("datatype", "")
                dt = "" if dt.endswith("#string") else dt
                row.append((name, f"{t['value']}@{lang}^^{dt}"))
        out.append(tuple(row))
    return sorted(out)


def test_load_holds_every_graph_of_the_release(
    loaded_vos: virtuoso.Virtuoso, release: Release
) -> None:
    store = GraphStore(loaded_vos.graph_store, loaded_vos.endpoint)
    sizes = store.graph_sizes(BASE + "graph/")
    assert sizes == release.manifest["graphs"]


def test_load_replaces_and_drops_stale_graphs(
    loaded_vos: virtuoso.Virtuoso, release: Release
) -> None:
    store = GraphStore(
        loaded_vos.graph_store, loaded_vos.endpoint, virtuoso.USER, virtuoso.PASSWORD
    )
    stale = BASE + "graph/withdrawn-agenda"
    store.put(stale, [b"<urn:x:a> <urn:x:b> <urn:x:c> .\n"])
    some = next(iter(release.manifest["graphs"]))  # type: ignore[call-overload]
    store.put(some, [b"<urn:x:a> <urn:x:b> <urn:x:c> .\n"])  # a graph gone wrong
    assert stale in store.graph_sizes(BASE + "graph/")
    again = _load(release, loaded_vos)
    assert again.returncode == 0, again.stderr
    assert store.graph_sizes(BASE + "graph/") == release.manifest["graphs"]


def test_load_without_rights_fails_clearly(loaded_vos: virtuoso.Virtuoso, release: Release) -> None:
    store = GraphStore(loaded_vos.graph_store, loaded_vos.endpoint, "dba", "not-the-password")
    with pytest.raises(LoadError, match="401"):
        load_release(release.path, store, BASE + "graph/")
    anonymous = GraphStore(loaded_vos.graph_store, loaded_vos.endpoint)
    assert anonymous.graph_sizes(BASE + "graph/") == release.manifest["graphs"]


def test_sparqlwrapper_lookup_agrees(servers: dict[str, LiveServer]) -> None:
    answers = []
    for srv in servers.values():
        sw = SPARQLWrapper(srv.endpoint)
        sw.setQuery(LOOKUP)
        sw.setReturnFormat(JSON)
        answers.append(_rows(sw.queryAndConvert()))  # type: ignore[arg-type]
    assert answers[0] == answers[1] == [(("d", BASE + DOCUMENT),)]


@pytest.mark.parametrize("cq", all_queries(project_paths().queries), ids=lambda q: q.name)
def test_competency_query_agrees(servers: dict[str, LiveServer], cq: object) -> None:
    text = cq.text  # type: ignore[attr-defined]
    accept = {"Accept": "application/sparql-results+json"}
    emb, vir = (
        servers[k].post("sparql", data={"query": text}, headers=accept)
        for k in ("embedded", "virtuoso")
    )
    assert emb.status_code == vir.status_code == 200, vir.text[:500]
    rows = _rows(emb.json())
    assert rows, "the query finds nothing: the comparison would prove nothing"
    assert _rows(vir.json()) == rows


def test_construct_agrees(servers: dict[str, LiveServer]) -> None:
    graphs = []
    for srv in servers.values():
        r = srv.post("sparql", data={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
        assert r.status_code == 200
        graphs.append(Graph().parse(data=r.text, format="turtle"))
    assert len(graphs[0]) > 20
    assert isomorphic(graphs[0], graphs[1])


@pytest.mark.parametrize("media", sorted(RDF_TYPES))
def test_dereferencing_agrees(servers: dict[str, LiveServer], media: str) -> None:
    emb, vir = both(servers, DOCUMENT, headers={"Accept": media})
    assert emb.status_code == vir.status_code == 200
    assert emb.headers["Content-Type"] == vir.headers["Content-Type"]
    g1 = Graph().parse(data=emb.content, format=RDF_TYPES[media])
    g2 = Graph().parse(data=vir.content, format=RDF_TYPES[media])
    assert len(g1) > 10
    assert isomorphic(g1, g2)
    if media == "text/turtle":  # the same writer behind both: the same document
        assert emb.text == vir.text


@pytest.mark.parametrize("media", ["text/turtle", "text/html"])
def test_not_found_agrees(servers: dict[str, LiveServer], media: str) -> None:
    emb, vir = both(servers, "document/CTOC/COP/1900/0", headers={"Accept": media})
    assert emb.status_code == vir.status_code == 404
    assert emb.text == vir.text


def test_html_page_agrees(servers: dict[str, LiveServer]) -> None:
    emb, vir = both(servers, DOCUMENT, headers={"Accept": "text/html"})
    assert emb.status_code == vir.status_code == 200
    assert SYMBOL in emb.text
    # the same description and labels: the same page, but for the server's own port
    assert emb.text.replace(servers["embedded"].url, "") == vir.text.replace(
        servers["virtuoso"].url, ""
    )


def test_remote_store_down_is_a_clear_error(build_dir: Path) -> None:
    from .live import free_port

    srv = start(build_dir, "--store", f"http://127.0.0.1:{free_port()}/sparql")
    try:
        r = srv.post("sparql", data={"query": LOOKUP})
        assert r.status_code >= 400
        assert "could not be reached" in r.text
    finally:
        srv.stop()


def test_manifest_graphs_are_the_dump(release: Release) -> None:
    """The load compares with the manifest: the manifest must count the dump's quads."""
    dump = (release.path / "dataset.nq").read_bytes().decode()
    counts: dict[str, int] = {}
    for line in dump.splitlines():
        g = line.rstrip(" .").rsplit(" <", 1)[1].rstrip(">")
        counts[g] = counts.get(g, 0) + 1
    assert counts == release.manifest["graphs"]
