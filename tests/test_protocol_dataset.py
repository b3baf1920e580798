"""The Protocol's dataset parameters change the answer, whichever way the query arrives."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from .conftest import BASE, DATA_GRAPH

ONTOLOGY = BASE + "graph/ontology"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
Ask = Callable[[str, list[tuple[str, str]]], TestResponse]


def _get(client) -> Ask:  # type: ignore[no-untyped-def]
    return lambda q, ds: client.get("/sparql", query_string=[("query", q), *ds])


def _form(client) -> Ask:  # type: ignore[no-untyped-def]
    return lambda q, ds: client.post("/sparql", data=MultiDict([("query", q), *ds]))


def _direct(client) -> Ask:  # type: ignore[no-untyped-def]
    return lambda q, ds: client.post(
        "/sparql",
        query_string=ds,
        data=q.encode(),
        content_type="application/sparql-query",
    )


METHODS = {"GET": _get, "form POST": _form, "direct POST": _direct}


def _bindings(resp: TestResponse) -> list[dict[str, dict[str, str]]]:
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json(force=True)["results"]["bindings"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("method", METHODS)
def test_default_graph_uri_changes_the_count(client, method: str) -> None:  # type: ignore[no-untyped-def]
    ask = METHODS[method](client)

    def count(ds: list[tuple[str, str]]) -> int:
        return int(_bindings(ask(COUNT, ds))[0]["n"]["value"])

    union = count([])
    ontology = count([("default-graph-uri", ONTOLOGY)])
    data = count([("default-graph-uri", str(DATA_GRAPH))])
    both = count([("default-graph-uri", ONTOLOGY), ("default-graph-uri", str(DATA_GRAPH))])
    assert 0 < ontology < union and 0 < data < union and ontology != data
    assert both == ontology + data  # the two graphs merged (they share no triples)


@pytest.mark.parametrize("method", METHODS)
def test_named_graph_uri_restricts_graph_patterns(client, method: str) -> None:  # type: ignore[no-untyped-def]
    ask = METHODS[method](client)
    every = {b["g"]["value"] for b in _bindings(ask(GRAPHS, []))}
    assert {ONTOLOGY, str(DATA_GRAPH)} <= every
    only = {b["g"]["value"] for b in _bindings(ask(GRAPHS, [("named-graph-uri", ONTOLOGY)]))}
    assert only == {ONTOLOGY}
    # with only named graphs given, the default graph is empty
    resp = ask(COUNT, [("named-graph-uri", ONTOLOGY)])
    assert int(_bindings(resp)[0]["n"]["value"]) == 0


def test_bad_graph_iri_in_the_url_of_a_direct_post_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    resp = _direct(client)(COUNT, [("default-graph-uri", "not an iri")])
    assert resp.status_code == 400 and "default-graph-uri" in resp.get_data(as_text=True)
