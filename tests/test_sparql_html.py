"""A query run from a browser: a results page, the query page with one editor, an icon."""

from __future__ import annotations

import json
import re

from .conftest import BASE

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SELECT = (
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "SELECT ?symbol ?d WHERE { ?d dcterms:identifier ?symbol "
    'FILTER (?symbol IN ("CTOC/COP/2008/CRP.8", "CTOC/COP/2008/10")) } ORDER BY ?symbol'
)


def test_a_browser_gets_a_results_table(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": BROWSER})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Accept" in resp.headers["Vary"]
    page = resp.text
    assert re.findall(r"<th>(\w+)</th>", page) == ["symbol", "d"]  # the query's column order
    cells = re.findall(r"<td>(.*?)</td>", page)
    assert cells[0] == "<span>CTOC/COP/2008/10</span>"  # ORDER BY ?symbol
    href = "/document/CTOC/COP/2008/10"
    assert cells[1] == f'<a href="{href}">{BASE}document/CTOC/COP/2008/10</a>'
    assert cells[2] == "<span>CTOC/COP/2008/CRP.8</span>"
    assert len(cells) == 4


def test_other_clients_keep_their_formats(client) -> None:  # type: ignore[no-untyped-def]
    for accept, ctype in [
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("", "application/sparql-results+json"),
        ("application/json, text/html;q=0.5", "application/sparql-results+json"),
    ]:
        resp = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
        assert resp.headers["Content-Type"].startswith(ctype), accept
    body = client.get("/sparql", query_string={"query": SELECT, "format": "json"})
    symbols = [b["symbol"]["value"] for b in json.loads(body.data)["results"]["bindings"]]
    assert symbols == ["CTOC/COP/2008/10", "CTOC/COP/2008/CRP.8"]


def test_ask_and_construct_as_pages(client) -> None:  # type: ignore[no-untyped-def]
    ask = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", "format": "html"})
    assert '<p class="boolean" id="answer">true</p>' in ask.text
    construct = "CONSTRUCT { ?d a ?t } WHERE { ?d a ?t } LIMIT 3"
    page = client.get("/sparql", query_string={"query": construct}, headers={"Accept": BROWSER})
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<pre id="answer">' in page.text


def test_markup_in_results_is_text(client) -> None:  # type: ignore[no-untyped-def]
    query = 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }'
    page = client.get("/sparql", query_string={"query": query, "format": "html"}).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page


def test_query_page_hides_the_form_once_yasgui_runs(client) -> None:  # type: ignore[no-untyped-def]
    css = client.get("/static/style.css").text
    assert "#query-form.with-yasgui { display: none; }" in css
    page = client.get("/sparql", headers={"Accept": "text/html"}).text
    assert page.count('id="query-form"') == 1
    assert '<option value="html">' in page


def test_favicon(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "image/vnd.microsoft.icon"
    assert resp.data[:4] == b"\x00\x00\x01\x00"  # ICO magic: reserved 0, type 1 (icon)


def test_dump_headers(client) -> None:  # type: ignore[no-untyped-def]
    ttl = client.get("/dumps/dataset.ttl")
    assert ttl.status_code == 200
    assert ttl.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert len(ttl.headers.get_all("Cache-Control")) == 1
    gz = client.get("/dumps/dataset.nq.gz")
    assert gz.headers["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in gz.headers and gz.data[:2] == b"\x1f\x8b"
    assert len(gz.headers.get_all("Cache-Control")) == 1
