"""Large answers are written to a file as they are produced and sent from there in pieces.

Neither the query process nor the web worker holds them whole; what is sent is
the same answer, byte for byte, as the one built in memory, with an exact
``Content-Length`` and the truncation flag; a query stopped midway leaves no file.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from ctoc_kg.build.release import Release
from ctoc_kg.formats import RDF_FORMATS, RESULT_FORMATS, Format
from ctoc_kg.store import spool
from ctoc_kg.store.base import QueryRequest
from ctoc_kg.store.engine import execute
from ctoc_kg.web.headers import TRUNCATED
from flask.testing import FlaskClient
from rdflib import BNode, Graph
from rdflib.query import Result
from werkzeug.test import TestResponse

from . import inprocess
from .conftest import BASE

EVERYTHING = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"
GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
MANY = 10**7


def client(release: Release, **settings: Any) -> FlaskClient:
    from ctoc_kg.web import create_app
    from ctoc_kg.web.settings import Settings

    return inprocess.closing_client(
        create_app(
            Settings(
                base_uri=BASE,
                public_url=inprocess.URL,
                store=str(release.store),
                release=str(release.path),
                **settings,
            )
        )
    )


@pytest.fixture(scope="module")
def roomy(release: Release) -> Iterator[FlaskClient]:
    """The app with caps well above the whole dataset."""
    yield client(release, max_results=MANY, max_result_bytes=1 << 30)


def whole(release: Release, query: str, **kwargs: Any) -> bytes:
    """The answer built in memory by the engine (no spool file to go to)."""
    store = ox.Store.read_only(str(release.store))
    req = QueryRequest(query, max_results=MANY, base_iri=BASE, **kwargs)
    resp = execute(store, req)
    assert resp.spooled is None
    return resp.body


def ask(app: FlaskClient, query: str, accept: str) -> tuple[TestResponse, bytes, int]:
    """The answer to ``query``, its body, and in how many pieces the app handed it over
    (an answer built whole is one); the response is closed."""
    resp = app.get("/sparql", query_string={"query": query}, headers={"Accept": accept},
                   buffered=False)  # fmt: skip
    try:
        pieces = list(resp.response)
        return resp, b"".join(pieces), len(pieces)
    finally:
        resp.close()


def streamed(app: FlaskClient, query: str, accept: str) -> tuple[TestResponse, bytes]:
    """A large answer, checked as one sent from its file: 200, handed over in pieces, as
    long as its ``Content-Length`` says, and large enough to have been spooled."""
    resp, body, pieces = ask(app, query, accept)
    assert resp.status_code == 200 and pieces > 2
    assert int(resp.headers["Content-Length"]) == len(body) > spool.SPOOL_AFTER
    return resp, body


def spool_folder() -> str:
    return os.path.dirname(spool.new_path())


def formats(offers: tuple[Format, ...], fast: str) -> list[Any]:
    """Every format; all but ``fast`` marked slow (parsing megabytes with rdflib)."""
    marks = {f.key: () if f.key == fast else (pytest.mark.slow,) for f in offers}
    return [pytest.param(f, id=f.key, marks=marks[f.key]) for f in offers]


@pytest.mark.parametrize("fmt", formats(RESULT_FORMATS, "json"))
def test_a_large_select_answer_is_sent_from_its_file_as_built_in_memory(
    roomy: FlaskClient, release: Release, fmt: Format
) -> None:
    resp, body = streamed(roomy, EVERYTHING, fmt.media_type)
    assert body == whole(release, EVERYTHING, result_format=fmt.key)
    assert TRUNCATED not in resp.headers
    rows = Result.parse(source=io.BytesIO(body), format=fmt.key)
    count = ox.Store.read_only(str(release.store)).query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    assert len(rows) == int(next(iter(count))["n"].value)  # type: ignore[index, arg-type]
    assert os.listdir(spool_folder()) == []


@pytest.mark.parametrize("fmt", formats(RDF_FORMATS, "ntriples"))
def test_a_large_graph_answer_is_sent_from_its_file_and_is_the_same_graph(
    roomy: FlaskClient, release: Release, fmt: Format
) -> None:
    _, body = streamed(roomy, GRAPH, fmt.media_type)
    rdflib_format = {"ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}.get(fmt.key, fmt.key)
    sent = Graph().parse(data=body, format=rdflib_format)
    built = Graph().parse(data=whole(release, GRAPH, rdf_format=fmt.key), format=rdflib_format)

    def ground(g: Graph) -> set[tuple[Any, ...]]:
        return {t for t in g if not any(isinstance(x, BNode) for x in t)}

    assert len(sent) == len(built) > 0
    assert ground(sent) == ground(built)
    assert os.listdir(spool_folder()) == []


def test_a_large_answer_cut_at_the_byte_cap_says_so(release: Release) -> None:
    cap = 2 * spool.SPOOL_AFTER
    small = client(release, max_results=MANY, max_result_bytes=cap)
    resp, body, pieces = ask(small, EVERYTHING, "application/json")
    assert resp.status_code == 200 and pieces > 2
    assert TRUNCATED in resp.headers
    doc = json.loads(body)
    assert doc["head"]["link"] == ["#truncated-at-max-results"]
    everything = json.loads(whole(release, EVERYTHING))["results"]["bindings"]
    sent = doc["results"]["bindings"]
    assert 0 < len(sent) < len(everything)
    assert sent == everything[: len(sent)]  # the first rows, whole: cut between rows


def test_a_query_writing_an_endless_answer_stays_in_its_memory_bound_and_leaves_no_file(
    release: Release,
) -> None:
    # a cross join of the dataset with itself: billions of rows, far more than memory holds;
    # written as they come, it runs into the time limit, never the memory limit
    tight = client(release, max_results=10**12, max_result_bytes=1 << 40, query_timeout=6,
                   query_memory=64, query_processes=1)  # fmt: skip
    query = "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r }"
    resp, body, _ = ask(tight, query, "text/csv")
    assert resp.status_code == 503
    message = body.decode()
    assert "limit and was stopped" in message and "memory" not in message
    assert os.listdir(spool_folder()) == []


def test_the_engine_writes_a_large_answer_to_the_file_not_to_memory(
    release: Release, tmp_path: Path
) -> None:
    store = ox.Store.read_only(str(release.store))
    path = tmp_path / "answer"
    resp = execute(store, QueryRequest(EVERYTHING, max_results=MANY, spool=str(path)))
    assert resp.body == b"" and resp.spooled is not None
    assert resp.spooled.size == path.stat().st_size > spool.SPOOL_AFTER
    written = resp.spooled.prefix + path.read_bytes() + resp.spooled.suffix
    assert written == whole(release, EVERYTHING)
    # a small answer stays in memory and makes no file
    small = tmp_path / "small"
    lookup = execute(store, QueryRequest("ASK { ?s ?p ?o }", spool=str(small)))
    assert lookup.spooled is None and not small.exists()


def test_head_of_a_large_answer_sends_its_length_and_leaves_no_file(roomy: FlaskClient) -> None:
    query = {"query": EVERYTHING}
    head = roomy.head("/sparql", query_string=query, headers={"Accept": "text/csv"})
    get, body, _ = ask(roomy, EVERYTHING, "text/csv")
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Length"] == get.headers["Content-Length"] == str(len(body))
    assert os.listdir(spool_folder()) == []


@pytest.mark.live
def test_a_live_server_streams_a_large_answer_that_sparqlwrapper_reads(
    tmp_path: Path, release: Release
) -> None:
    """Through gunicorn on loopback: the answer arrives whole, as long as it says, and a
    researcher's client reads every row."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    from .conftest import start_live

    more = ("--max-results", str(MANY), "--query-timeout", "60")  # a loaded machine is slow
    srv = start_live(tmp_path, release, *more, workers=1)
    try:
        resp = srv.get("sparql", params={"query": EVERYTHING}, headers={"Accept": "text/csv"})
        assert resp.status_code == 200, resp.text
        assert int(resp.headers["Content-Length"]) == len(resp.content) > spool.SPOOL_AFTER
        assert resp.content.startswith(b"g,s,p,o\r\n")
        client = SPARQLWrapper(srv.endpoint)
        client.setQuery(EVERYTHING)
        client.setReturnFormat(JSON)
        rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index, call-overload]
        assert len(rows) == resp.content.count(b"\r\n") - 1  # the CSV's rows, its header aside
    finally:
        srv.stop()
