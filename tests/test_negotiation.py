"""Negotiation in one place: ``format`` parameter, else ``Accept``; ``Vary``; 406 with offers."""

from __future__ import annotations

import pytest
from ctoc_kg.formats import HTML, RDF_FORMATS, RESULT_FORMATS

RDF_TYPES = [f.media_type for f in RDF_FORMATS]
# (path, params, media types offered)
ROUTES = [
    ("/sparql", {"query": "ASK {}"}, [f.media_type for f in RESULT_FORMATS]),
    ("/sparql", {"query": "CONSTRUCT WHERE { ?s a ?o } LIMIT 1"}, RDF_TYPES),
    ("/sparql", {}, [*RDF_TYPES, HTML.media_type]),
    ("/.well-known/void", {}, [*RDF_TYPES, HTML.media_type]),
    ("/graph/ontology", {}, RDF_TYPES),
    ("/", {}, [*RDF_TYPES, HTML.media_type]),
    ("/ontology/", {}, [*RDF_TYPES, HTML.media_type]),
    ("/shapes/", {}, [*RDF_TYPES, HTML.media_type]),
    ("/document/CTOC/COP/2008/CRP.8", {}, [*RDF_TYPES, HTML.media_type]),
]
IDS = [f"{path}{'?' + next(iter(params)) if params else ''}" for path, params, _ in ROUTES]


@pytest.mark.parametrize(("path", "params", "offered"), ROUTES, ids=IDS)
def test_nothing_acceptable_is_406_listing_the_offers(client, path, params, offered) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(path, query_string=params, headers={"Accept": "image/png"})
    text = resp.get_data(as_text=True)
    assert resp.status_code == 406, text
    assert text.startswith("406 Not Acceptable: ")
    assert all(media in text for media in offered), text
    assert resp.headers["Vary"] == "Accept"


@pytest.mark.parametrize(("path", "params", "offered"), ROUTES, ids=IDS)
def test_accept_chooses_and_the_parameter_overrides_it(client, path, params, offered) -> None:  # type: ignore[no-untyped-def]
    first, second = offered[0], offered[1]
    by_accept = client.get(path, query_string=params, headers={"Accept": second})
    assert by_accept.status_code == 200
    assert by_accept.content_type.split(";")[0] == second
    assert by_accept.headers["Vary"] == "Accept"
    # the parameter wins over Accept
    name = {"application/sparql-results+json": "json", "text/turtle": "ttl"}[first]
    by_param = client.get(path, query_string={**params, "format": name}, headers={"Accept": second})
    assert by_param.status_code == 200
    assert by_param.content_type.split(";")[0] == first
    assert by_param.headers["Vary"] == "Accept"


def test_form_posts_name_the_format_in_the_body(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.post(
        "/sparql", data={"query": "ASK {}", "format": "csv"}, headers={"Accept": "text/xml"}
    )
    assert resp.content_type.startswith("text/csv") and resp.headers["Vary"] == "Accept"


def test_answers_that_do_not_negotiate_do_not_vary(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/robots.txt", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200 and "Vary" not in resp.headers
