"""One dataset, one set of IRIs: copies served on other ports answer for the same IRIs.

The vocabulary's namespace is persistent and the data's IRIs are minted under the
canonical base at build, so a query written for one server answers identically on
another, and each server's pages and absolute URLs point to itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from ctoc_kg.vocab import CTOC
from rdflib import Graph, URIRef

from .conftest import BASE, ROOT
from .live import LiveServer, start

pytestmark = pytest.mark.live

#: The README's first example, unchanged but for the endpoint.
README_QUERY = """
PREFIX ctoc: <https://w3id.org/ctoc-kg/ontology/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?number ?title WHERE {
  ?agenda a ctoc:AnnotatedAgenda ; ctoc:hasAgendaItem ?item .
  ?item skos:notation ?number ; dcterms:title ?title ; ctoc:order ?order .
} ORDER BY ?order"""


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, LiveServer]]:
    build = tmp_path_factory.mktemp("canonical")
    a = start(build, workers=1)
    b = start(build, workers=1)
    yield a, b
    a.stop()
    b.stop()


def test_the_readme_query_answers_identically_on_two_ports(
    two: tuple[LiveServer, LiveServer],
) -> None:
    assert README_QUERY.strip() in (ROOT / "README.md").read_text()
    a, b = two
    answers = [s.get("sparql", params={"query": README_QUERY}).json() for s in two]
    rows = answers[0]["results"]["bindings"]
    assert len(rows) >= 6 and answers[0] == answers[1]
    assert a.url != b.url


def test_both_serve_the_same_canonical_description(two: tuple[LiveServer, LiveServer]) -> None:
    iri = BASE + "body/CTOC/COP/WG.4"
    graphs = [
        Graph().parse(data=s.get("body/CTOC/COP/WG.4.ttl").text, format="turtle") for s in two
    ]
    assert (URIRef(iri), None, None) in graphs[0]
    assert set(graphs[0]) == set(graphs[1])
    term = two[0].get("ontology/AgendaItem", headers={"Accept": "text/turtle"})
    assert term.status_code == 200
    assert (CTOC.AgendaItem, None, None) in Graph().parse(data=term.text, format="turtle")


@pytest.mark.parametrize("path", ["body/CTOC/COP/WG.4", "sparql", "", ".well-known/void"])
def test_pages_link_within_their_own_server(two: tuple[LiveServer, LiveServer], path: str) -> None:
    for me, other in (two, two[::-1]):
        html = me.get(path, headers={"Accept": "text/html"}).text
        links = re.findall(r'(?:href|action|src)="([^"]+)"', html)
        assert links
        assert not any(link.startswith(other.url) for link in links), path
        own = [link for link in links if link.startswith(("/", me.url))]
        assert own, path


def test_absolute_urls_come_from_configuration_not_the_host_header(
    two: tuple[LiveServer, LiveServer],
) -> None:
    me = two[0]
    spoofed = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    sd = me.get("sparql", headers={"Accept": "text/turtle", **spoofed}).text
    assert "evil.example" not in sd and f"<{me.url}sparql>" in sd
    robots = me.get("robots.txt", headers=spoofed).text
    assert f"Sitemap: {me.url}sitemap.xml" in robots
    sitemap = me.get("sitemap.xml").text
    assert f"<loc>{me.url}body/CTOC/COP/WG.4</loc>" in sitemap
    assert BASE not in sitemap
