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
from rdflib import Graph, URIRef

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
    d = tmp_path_factory.mktemp("build")
    old = os.environ.get("CTOC_KG_BUILD")
    os.environ["CTOC_KG_BUILD"] = str(d)
    yield d
    if old is None:
        os.environ.pop("CTOC_KG_BUILD", None)
    else:
        os.environ["CTOC_KG_BUILD"] = old


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


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The real server on loopback, with the W3C test graphs and odd resources added."""
    from .live import free_port, start

    build = tmp_path_factory.mktemp("server-build")
    port = free_port()
    odd = build / "odd.ttl"
    odd.write_text(odd_data(BASE), encoding="utf-8")
    # many clients share the loopback address here: raise the per-client query slots
    args = ["--query-timeout", "3", "--max-results", "1000"]
    args += ["--max-queries", "16", "--max-queries-per-client", "16"]
    for iri, path in W3C_GRAPHS.items():
        args += ["--add-graph", f"{iri}={path}"]
    args += ["--add-graph", f"{ODD_GRAPH}={odd}"]
    srv = start(build, *args, port=port, workers=3)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def client(release: Release):  # type: ignore[no-untyped-def]
    """The app in process (Flask's test client) over the built release, for protocol behaviour."""
    from ctoc_kg.web import create_app
    from ctoc_kg.web.settings import Settings

    settings = Settings(
        base_uri=BASE,
        public_url="http://localhost/",  # Flask's test client asks for http://localhost/
        store=str(release.store),
        release=str(release.path),
    )
    return create_app(settings).test_client()
