"""A description the result cap cuts short says so, as /sparql does, and is not cached as whole."""

from __future__ import annotations

import pytest
from ctoc_kg.build.release import Release
from flask.testing import FlaskClient
from rdflib import Graph, URIRef

from . import inprocess
from .conftest import BASE, DATA_GRAPH

CAP = 20


@pytest.fixture(scope="module")
def capped(release: Release) -> FlaskClient:
    """The app over the session's release with a cap of ``CAP`` results."""
    from ctoc_kg.web import create_app
    from ctoc_kg.web.settings import Settings

    settings = Settings(
        base_uri=BASE,
        public_url=inprocess.URL,
        store=str(release.store),
        release=str(release.path),
        max_results=CAP,
    )
    return inprocess.closing_client(create_app(settings))


def _by_size(data: Graph) -> tuple[URIRef, URIRef]:
    """A resource with more triples than the cap, and one with fewer (from the data)."""
    sizes = {s: len(list(data.triples((s, None, None)))) for s in set(data.subjects())}
    iris = {s: n for s, n in sizes.items() if isinstance(s, URIRef) and s.startswith(BASE)}
    big = max(iris, key=lambda s: iris[s])
    small = min((s for s in iris if iris[s] > 1), key=lambda s: iris[s])
    assert iris[big] > 2 * CAP and iris[small] < CAP // 2
    return big, small


def _path(iri: URIRef) -> str:
    return "/" + iri.removeprefix(BASE)


def test_a_cut_description_is_flagged_and_not_cached(capped: FlaskClient, data: Graph) -> None:
    big, _ = _by_size(data)
    resp = capped.get(_path(big), headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    flag = resp.headers.get("X-SPARQL-Results-Truncated", "")
    assert flag.startswith("true") and f"max-results={CAP}" in flag
    assert resp.headers["Cache-Control"] == "no-store"
    got = Graph().parse(data=resp.get_data(as_text=True), format="turtle")
    assert 0 < len(got) <= CAP


def test_a_whole_description_is_not_flagged_and_is_cached(capped: FlaskClient, data: Graph) -> None:
    _, small = _by_size(data)
    resp = capped.get(_path(small), headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    assert "X-SPARQL-Results-Truncated" not in resp.headers
    assert "max-age" in resp.headers["Cache-Control"]
    got = Graph().parse(data=resp.get_data(as_text=True), format="turtle")
    assert set(data.triples((small, None, None))) <= set(got)


def test_the_data_graph_is_the_one_described(data: Graph) -> None:
    assert str(DATA_GRAPH).startswith(BASE) and len(data) > 2 * CAP
