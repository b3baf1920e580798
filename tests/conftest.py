"""Shared fixtures: the project's paths, a release built into a temporary folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from ctoc_kg.build.load import Loaded, load
from ctoc_kg.build.release import Release, build
from ctoc_kg.config import DEFAULT_BASE_URI, Paths
from ctoc_kg.store import Store, open_store
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph, URIRef

from . import inprocess
from .inprocess import InProcessServer
from .live import LiveServer, start

ROOT = Path(__file__).resolve().parent.parent
#: The workplace's shared material (sources, constructed test agendas, reference ontologies),
#: beside the checkout unless CTOC_KG_SHARED names it.
SHARED = Path(os.environ.get("CTOC_KG_SHARED") or ROOT.parent / "shared")
BASE = DEFAULT_BASE_URI
SOURCE_NAME = "ctoc-cop-wg4-2009-agenda.fr.txt"
SOURCE = ROOT / "data" / "sources" / SOURCE_NAME
DATA_GRAPH = URIRef(BASE + "graph/ctoc-cop-wg4-2009-agenda.fr")


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The session's build folder, named by CTOC_KG_BUILD until the session ends."""
    d = tmp_path_factory.mktemp("build")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CTOC_KG_BUILD", str(d))
        yield d


@pytest.fixture(scope="session")
def paths(build_dir: Path) -> Paths:
    return Paths(ROOT)


@pytest.fixture(scope="session")
def release(paths: Paths) -> Release:
    return build(paths, BASE)


@pytest.fixture(scope="session")
def store(release: Release) -> Iterator[Store]:
    s = open_store(release.store)
    yield s
    s.close()


@pytest.fixture(scope="session")
def loaded(paths: Paths) -> Loaded:
    return load(paths, BASE)


@pytest.fixture(scope="session")
def data(loaded: Loaded) -> Graph:
    """The graph of the first source, entailments included."""
    return loaded.dataset.graph(DATA_GRAPH)


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE.read_bytes().decode("utf-8")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's inputs, for tests that break them."""
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


W3C = ROOT / "tests" / "w3c"
W3C_GRAPHS = {
    "http://kasei.us/2009/09/sparql/data/data1.rdf": W3C / "data1.nt",
    "http://kasei.us/2009/09/sparql/data/data2.rdf": W3C / "data2.nt",
    "http://kasei.us/2009/09/sparql/data/data3.rdf": W3C / "data3.nt",
}
ODD_GRAPH = "urn:ctoc-kg:test:odd"
MARKUP = '<script>alert("x")</script><b>bold</b> & <a href="javascript:alert(1)">link</a>'


def odd_data(base: str) -> str:
    """Resources with non-ASCII and odd characters, markup and unsafe links, under ``base``."""
    return f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{base}place/gen%C3%A8ve> rdfs:label "Genève"@fr ; dcterms:description {json_str(MARKUP)}@en ;
    rdfs:seeAlso <javascript:alert(1)> , <https://example.org/ok> , <mailto:someone@example.org> .
<{base}place/zürich> rdfs:label "Zürich"@de .
<{base}note/a.b/c%20d> rdfs:label "a note with a space"@en .
"""


def json_str(text: str) -> str:
    import json

    return json.dumps(text)


#: The settings every test server runs with.  Many clients share the loopback address in
#: the tests: the per-client query slots are raised.
QUERY_TIMEOUT = 3
MAX_RESULTS = 1000
MAX_QUERIES = 16


def extra_graphs(folder: Path) -> list[str]:
    """``IRI=FILE`` for the W3C test graphs and the odd resources (written into ``folder``)."""
    odd = folder / "odd.ttl"
    odd.write_text(odd_data(BASE), encoding="utf-8")
    specs = [f"{iri}={path}" for iri, path in W3C_GRAPHS.items()]
    return [*specs, f"{ODD_GRAPH}={odd}"]


def live_args(folder: Path) -> list[str]:
    """``ctoc-kg serve`` options for a test server: the shared settings and extra graphs."""
    args = ["--query-timeout", str(QUERY_TIMEOUT), "--max-results", str(MAX_RESULTS)]
    args += ["--max-queries", str(MAX_QUERIES), "--max-queries-per-client", str(MAX_QUERIES)]
    for spec in extra_graphs(folder):
        args += ["--add-graph", spec]
    return args


@pytest.fixture(scope="session")
def app(paths: Paths, release: Release, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app in process over the session's release, with the live server's extra graphs.

    The store is the overlay ``ctoc-kg serve --add-graph`` builds, so both kinds of server
    answer over the same data.
    """
    from ctoc_kg.web import create_app
    from ctoc_kg.web.serve import overlay
    from ctoc_kg.web.settings import Settings

    folder = tmp_path_factory.mktemp("app")
    store = overlay(paths, release.store, tuple(extra_graphs(folder)), BASE)
    settings = Settings(
        base_uri=BASE,
        public_url=inprocess.URL,
        store=str(store),
        release=str(release.path),
        query_timeout=QUERY_TIMEOUT,
        max_results=MAX_RESULTS,
        heavy_total=MAX_QUERIES,
        heavy_per_client=MAX_QUERIES,
        state_dir=str(folder / "state"),
    )
    (folder / "state").mkdir()
    return create_app(settings)


@pytest.fixture(scope="session")
def site(app: Flask) -> InProcessServer:
    """The app in process with the surface of :class:`tests.live.LiveServer`."""
    return InProcessServer(app, BASE)


@pytest.fixture(scope="session")
def server(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real server on loopback, with the W3C test graphs and odd resources added.

    Shared by the tests that only read (SPARQLWrapper, the browser, the remote store);
    tests that kill workers or restart the server start their own.
    """
    srv = start_live(tmp_path_factory.mktemp("server"), release, workers=3)
    yield srv
    srv.stop()


@pytest.fixture(params=["in-process", pytest.param("live", marks=pytest.mark.live)])
def either(request: pytest.FixtureRequest) -> LiveServer | InProcessServer:
    """Both kinds of server, for the tests worth running over a real socket too."""
    name = "site" if request.param == "in-process" else "server"
    server: LiveServer | InProcessServer = request.getfixturevalue(name)
    return server


def start_live(folder: Path, release: Release, *args: str, workers: int = 2) -> LiveServer:
    """A live server over the session's release (no rebuild), with the test settings."""
    return start(folder, "--store", str(release.store), *live_args(folder), *args, workers=workers)


@pytest.fixture(scope="session")
def client(release: Release) -> FlaskClient:
    """Flask's own test client over the built release (no extra graphs), for protocol tests
    that want its native API (``query_string``, ``get_data``)."""
    from ctoc_kg.web import create_app
    from ctoc_kg.web.settings import Settings

    settings = Settings(
        base_uri=BASE,
        public_url=inprocess.URL,
        store=str(release.store),
        release=str(release.path),
    )
    return inprocess.closing_client(create_app(settings))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whatever uses the shared live server is a ``live`` test, marked or not."""
    for item in items:
        if "server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.live)
