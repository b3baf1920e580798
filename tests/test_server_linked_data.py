"""Dereferenceable URIs: a crawl of every IRI in every format, pages, VoID, dumps.

The app in process answers the crawl; the live server is kept for what needs a real
one (a server started for another base, a server in front of a remote store).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from ctoc_kg.vocab import CTOC
from rdflib import Dataset, Graph, URIRef

from .conftest import MARKUP
from .inprocess import InProcessServer
from .live import LiveServer, start

FORMATS = {
    "text/turtle": ("turtle", "ttl"),
    "application/n-triples": ("nt", "nt"),
    "application/rdf+xml": ("xml", "rdf"),
    "application/ld+json": ("json-ld", "jsonld"),
}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src", "action"} and value:
                self.hrefs.append(value)


def all_iris(site: InProcessServer) -> list[str]:
    """Every IRI under the base that the dataset names, as subject or object.

    Not the plain texts of the sources (``source/S.txt`` and its ``#char=`` spans): they
    are documents, served as text (tests/test_source_text.py), not descriptions.
    """
    q = """SELECT DISTINCT ?x WHERE {
      { ?x ?p ?o } UNION { ?s ?p ?x }
      FILTER (isIRI(?x) && STRSTARTS(STR(?x), STR(<>)))
    }"""
    text = site.get("sparql", params={"query": q}, headers={"Accept": "text/csv"}).text
    rows = [r[0] for r in csv.reader(io.StringIO(text))][1:]
    return sorted(r for r in rows if not re.search(r"/source/[^/]+\.txt(#|$)", r))


@pytest.fixture(scope="module")
def iris(site: InProcessServer) -> list[str]:
    found = all_iris(site)
    assert len(found) > 300
    return found


@pytest.mark.slow
def test_every_iri_dereferences_in_every_rdf_format(site: InProcessServer, iris: list[str]) -> None:
    for iri in iris:
        for media, (parser, ext) in FORMATS.items():
            resp = site.get(site.url_of(iri), headers={"Accept": media})
            assert resp.status_code == 200, (iri, media, resp.status_code)
            assert resp.headers["Content-Type"].startswith(media)
            assert resp.headers["Vary"] == "Accept"
            assert resp.headers["Content-Location"].endswith("." + ext)
            assert 'rel="alternate"' in resp.headers["Link"]
            g = Graph().parse(data=resp.content, format=parser, publicID=iri)
            node = URIRef(iri)
            assert (node, None, None) in g or (None, None, node) in g, (iri, media)


@pytest.mark.slow
def test_every_html_page_links_only_to_pages_that_exist(
    site: InProcessServer, iris: list[str]
) -> None:
    internal: set[str] = set()
    for iri in iris:
        page_url = site.url_of(iri)
        resp = site.get(page_url, headers={"Accept": "text/html"})
        assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/html")
        parser = Links()
        parser.feed(resp.text)
        for href in parser.hrefs:
            url = urljoin(page_url, href)
            if urlsplit(url).netloc == urlsplit(site.url).netloc:
                internal.add(url.split("#")[0])
            else:
                assert urlsplit(url).scheme in {"http", "https", "mailto"}, href
    assert len(internal) > len(iris) / 2
    for url in sorted(internal):
        resp = site.get(url, headers={"Accept": "text/html,*/*;q=0.8"})
        assert resp.status_code == 200, (url, resp.status_code)


@pytest.mark.parametrize("ext", ["ttl", "nt", "rdf", "jsonld", "html", "nq"])
def test_extension_and_parameter_choose_the_format(site: InProcessServer, ext: str) -> None:
    path = "document/CTOC/COP/2008/CRP.8"
    by_ext = site.get(f"{path}.{ext}")
    by_param = site.get(path, params={"format": ext})
    assert by_ext.status_code == by_param.status_code == 200
    assert by_ext.headers["Content-Type"] == by_param.headers["Content-Type"]


def test_description_holds_blank_nodes_and_inbound_triples(site: InProcessServer) -> None:
    quote = site.get("body/CTOC/COP/WG.4.nt")
    g = Graph().parse(data=quote.content, format="nt")
    wg = URIRef(site.base + "body/CTOC/COP/WG.4")
    assert (None, None, wg) in g and (wg, None, None) in g
    q = next(o for o in g.objects(wg, CTOC.statedIn))
    desc = Graph().parse(data=site.get(str(q)[len(site.base) :] + ".nt").content, format="nt")
    exact = [o for o in desc.objects(None, URIRef("http://www.w3.org/ns/oa#exact"))]
    assert exact, "the quote's selectors (blank nodes) are part of its description"


@pytest.mark.parametrize(
    ("accept", "ctype"),
    [
        ("text/turtle", "text/turtle"),
        ("text/html", "text/html"),
        ("application/ld+json", "application/ld+json"),
    ],
)
def test_unknown_iri_is_404_in_the_negotiated_format(
    site: InProcessServer, accept: str, ctype: str
) -> None:
    resp = site.get("document/CTOC/COP/1999/99", headers={"Accept": accept})
    assert resp.status_code == 404 and resp.headers["Content-Type"].startswith(ctype)


def test_odd_and_non_ascii_iris_round_trip(site: InProcessServer) -> None:
    for path, label in [
        ("place/genève", "Genève"),
        ("place/gen%C3%A8ve", "Genève"),
        ("place/zürich", "Zürich"),
        ("note/a.b/c%20d", "a note with a space"),
        ("document/CTOC/COP/WG.4/2009/CRP.1", "CTOC/COP/WG.4/2009/CRP.1"),
    ]:
        resp = site.get(path, headers={"Accept": "application/n-triples"})
        assert resp.status_code == 200, path
        assert label in resp.content.decode("utf-8")


def test_markup_in_a_literal_is_shown_as_text(site: InProcessServer) -> None:
    html = site.get("place/genève", headers={"Accept": "text/html"}).text
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'href="javascript:' not in html
    assert 'href="https://example.org/ok"' in html and 'href="mailto:someone@example.org"' in html
    assert MARKUP  # the literal itself is in the data as written


def test_security_and_cache_headers(site: InProcessServer) -> None:
    resp = site.get("body/CTOC/COP", headers={"Accept": "text/html"})
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]
    assert resp.headers["Cache-Control"].startswith("public")
    assert site.get("nope/nothing").headers["Cache-Control"] == "no-store"


def test_conditional_requests_get_304(site: InProcessServer) -> None:
    first = site.get("body/CTOC/COP", headers={"Accept": "text/turtle"})
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = site.get("body/CTOC/COP", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    since = site.get(
        "body/CTOC/COP", headers={"Accept": "text/turtle", "If-Modified-Since": modified}
    )
    assert since.status_code == 304
    other = site.get(
        "body/CTOC/COP", headers={"Accept": "application/n-triples", "If-None-Match": etag}
    )
    assert other.status_code == 200  # another representation, another validator


def test_void(site: InProcessServer) -> None:
    resp = site.get(".well-known/void", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=resp.content, format="turtle")
    void = "http://rdfs.org/ns/void#"
    ds = URIRef(site.base + ".well-known/void#dataset")
    assert g.value(ds, URIRef(void + "sparqlEndpoint")) == URIRef(site.endpoint)
    assert int(g.value(ds, URIRef(void + "triples"))) > 4000  # type: ignore[arg-type]
    assert len(list(g.objects(ds, URIRef(void + "classPartition")))) > 20
    assert len(list(g.objects(ds, URIRef(void + "propertyPartition")))) > 40
    assert (ds, URIRef("http://purl.org/dc/terms/license"), None) in g
    vocabularies = {str(v) for v in g.objects(ds, URIRef(void + "vocabulary"))}
    assert {"http://schema.org/", "http://purl.org/dc/terms/"} <= vocabularies
    dumps = {str(d) for d in g.objects(ds, URIRef(void + "dataDump"))}
    for dump in dumps:
        r = site.get(dump)
        assert r.status_code == 200
        if dump.endswith(".gz"):
            ds2 = Dataset()
            ds2.parse(data=gzip.decompress(r.content), format="nquads")
            assert len(ds2) > 4000
        else:
            assert len(Graph().parse(data=r.content, format="turtle")) > 4000


def test_robots_and_sitemap(site: InProcessServer) -> None:
    robots = site.get("robots.txt").text
    assert "Sitemap: " in robots
    sitemap = ET.fromstring(site.get("sitemap.xml").content)
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert site.url + "body/CTOC/COP/WG.4" in locs  # the server's own URLs, not the IRIs


def test_ontology_namespace_serves_the_ontology(site: InProcessServer) -> None:
    html = site.get("ontology/", headers={"Accept": "text/html"})
    assert "agenda item" in html.text and "point de l&#39;ordre du jour" in html.text
    ttl = site.get("ontology/", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=ttl.content, format="turtle")
    assert (URIRef(site.base + "ontology/AgendaItem"), None, None) in g and len(g) > 500
    term = site.get("ontology/AgendaItem", headers={"Accept": "text/turtle"})
    assert term.status_code == 200 and "rdfs:label" in term.text


def test_shapes_are_served(site: InProcessServer) -> None:
    ttl = site.get("shapes/", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=ttl.content, format="turtle")
    assert (URIRef(site.base + "shapes/AgendaItemShape"), None, None) in g
    one = site.get("shapes/AgendaItemShape", headers={"Accept": "text/html"})
    assert one.status_code == 200 and "AgendaItemShape" in one.text


def test_home_page_browses_the_dataset(site: InProcessServer) -> None:
    html = site.get("", headers={"Accept": "text/html"}).text
    for kind in ("agendas", "items", "decisions", "documents", "bodies"):
        assert f'href="/browse/{kind}"' in html
        page = site.get(f"browse/{kind}")
        assert page.status_code == 200 and "<li>" in page.text


@pytest.mark.live
def test_another_base_uri_leaks_no_stale_base(tmp_path_factory: pytest.TempPathFactory) -> None:
    base = "https://data.example.org/untoc/"
    srv = start(tmp_path_factory.mktemp("other-base"), base=base, workers=1)
    try:
        for path in ("body/CTOC/COP/WG.4", "document/CTOC/COP/2008/CRP.8"):
            resp = srv.get(path, headers={"Accept": "text/turtle"})
            assert resp.status_code == 200
            iris = set(re.findall(r"<(https?://[^>]+)>", resp.text))
            assert not any("localhost" in i or "127.0.0.1" in i for i in iris)
            assert any(i.startswith(base) for i in iris)
        q = 'SELECT ?d WHERE { ?d <http://purl.org/dc/terms/identifier> "CTOC/COP/2008/6" }'
        hit = srv.get("sparql", params={"query": q}).json()["results"]["bindings"][0]["d"]["value"]
        assert hit == base + "document/CTOC/COP/2008/6"
    finally:
        srv.stop()


def test_a_server_over_a_remote_sparql_store(
    server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """``--store URL``: the same pages and endpoint, the data reached over the Protocol."""
    front = start(
        tmp_path_factory.mktemp("remote"), "--store", server.endpoint, base=server.base, workers=1
    )
    try:
        q = 'SELECT ?d WHERE { ?d <http://purl.org/dc/terms/identifier> "CTOC/COP/2008/6" }'
        rows = requests.get(front.endpoint, params={"query": q}, timeout=60).json()
        assert (
            rows["results"]["bindings"][0]["d"]["value"] == server.base + "document/CTOC/COP/2008/6"
        )
        for media, (parser, _) in FORMATS.items():
            resp = requests.get(
                front.url + "body/CTOC/COP/WG.4", headers={"Accept": media}, timeout=60
            )
            assert resp.status_code == 200, media
            direct = server.get("body/CTOC/COP/WG.4", headers={"Accept": media})
            a = Graph().parse(data=resp.content, format=parser)
            b = Graph().parse(data=direct.content, format=parser)
            assert len(a) == len(b) > 10
        page = requests.get(
            front.url + "body/CTOC/COP/WG.4", headers={"Accept": "text/html"}, timeout=60
        )
        assert "Groupe de travail sur la traite des personnes" in page.text
        missing = requests.get(
            front.url + "body/nothing", headers={"Accept": "text/turtle"}, timeout=60
        )
        assert missing.status_code == 404
    finally:
        front.stop()
