"""Errors are rendered in one place: status line text for programs, a page for browsers."""

from __future__ import annotations

import pytest
from ctoc_kg.web import create_app
from ctoc_kg.web.settings import Settings

from .conftest import BASE
from .inprocess import closing_client

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#: about 750,000 solutions over the ontology graph: far longer than the limit set below
SLOW = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{BASE}graph/ontology> {{ ?a ?b ?c . ?d ?e ?f }} }}"

CASES = [
    # (method, path, params, status, words in the message)
    ("GET", "/sparql", {"query": "SELECT * WHERE { ?s ?p"}, 400, "syntax error"),
    ("GET", "/sparql", {"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"}, 400, ""),
    ("PUT", "/sparql", {}, 405, "not a SPARQL query operation"),
    ("GET", "/sparql", {"update": "CLEAR ALL"}, 403, "read-only"),
    ("GET", "/browse/nothing", {}, 404, "nothing to browse"),
    ("GET", "/browse/agendas", {"page": "x"}, 400, "whole number"),
    ("GET", "/browse/agendas", {"page": "0"}, 400, "between 1 and"),
    ("GET", "/browse/agendas", {"page": "-1"}, 400, "between 1 and"),
    ("GET", "/dumps/secret.txt", {}, 404, "no dump named"),
    ("GET", "/shapes/NoSuchShape", {}, 404, "no shape named"),
    ("GET", "/graph/nothing", {}, 404, "no named graph"),
    ("GET", "/" + "x" * 3000, {}, 414, "longer than"),
]
REASONS = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed"}
REASONS |= {414: "Request URI Too Long", 503: "Service Unavailable"}


@pytest.mark.parametrize(("method", "path", "params", "status", "words"), CASES)
def test_plain_text_for_programs(client, method, path, params, status, words) -> None:  # type: ignore[no-untyped-def]
    resp = client.open(path, method=method, query_string=params, headers={"Accept": "*/*"})
    text = resp.get_data(as_text=True)
    assert resp.status_code == status, text
    assert resp.content_type == "text/plain; charset=utf-8"
    assert text.startswith(f"{status} {REASONS[status]}: ") and words in text
    assert text.endswith("\n") and len(text) > len(f"{status} {REASONS[status]}: \n")
    assert resp.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("method", "path", "params", "status", "words"), CASES)
def test_a_page_for_browsers(client, method, path, params, status, words) -> None:  # type: ignore[no-untyped-def]
    resp = client.open(path, method=method, query_string=params, headers={"Accept": BROWSER})
    html = resp.get_data(as_text=True)
    assert resp.status_code == status
    assert resp.content_type.startswith("text/html")
    assert f"<h1>{status} {REASONS[status]}</h1>" in html and words in html
    assert resp.headers["Cache-Control"] == "no-store"


def test_405_says_what_is_allowed(client) -> None:  # type: ignore[no-untyped-def]
    for method in ("PUT", "DELETE", "PATCH"):
        resp = client.open("/sparql", method=method)
        assert resp.status_code == 405 and "POST" in resp.headers["Allow"]
    resp = client.post("/.well-known/void")  # a route that takes no POST at all
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]
    assert resp.get_data(as_text=True).startswith("405 Method Not Allowed: ")


def test_query_timeout_is_503(release) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(
        base_uri=BASE,
        public_url="http://localhost/",
        store=str(release.store),
        release=str(release.path),
        query_timeout=0.02,
    )
    resp = closing_client(create_app(settings)).get("/sparql", query_string={"query": SLOW})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 503, text
    assert text.startswith("503 Service Unavailable: Query timeout: ") and "0.02 s" in text
    assert resp.headers["Cache-Control"] == "no-store"


def test_a_page_when_the_view_negotiated_one(client) -> None:  # type: ignore[no-untyped-def]
    """An unknown resource asked for as HTML by extension gets the page whatever Accept says."""
    resp = client.get("/no/such/thing.html", headers={"Accept": "*/*"})
    assert resp.status_code == 404 and resp.content_type.startswith("text/html")
    assert "nothing in this dataset is named" in resp.get_data(as_text=True)
    turtle = client.get("/no/such/thing", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 404 and turtle.content_type.startswith("text/turtle")
