"""The source texts served byte for byte, and every quote's RFC 5147 link into its text."""

from __future__ import annotations

import re

from ctoc_kg.build.release import Release
from ctoc_kg.store import Store

from .conftest import BASE, SOURCE, SOURCE_NAME

STEM = SOURCE_NAME.removesuffix(".txt")
QUOTES = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?q ?exact ?link WHERE {
  ?q oa:hasTarget/oa:hasSelector/oa:exact ?exact .
  OPTIONAL { ?q rdfs:seeAlso ?link FILTER (CONTAINS(STR(?link), "#char=")) }
}
"""
CHAR = re.compile(r"^(?P<path>[^#]+)#char=(?P<start>\d+),(?P<end>\d+)$")


def test_the_source_text_is_served_byte_for_byte(client) -> None:  # type: ignore[no-untyped-def]
    resp = client.get(f"/source/{STEM}.txt")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert resp.data == SOURCE.read_bytes()
    assert len(resp.headers.get_all("Cache-Control")) == 1


def test_every_quote_links_to_its_exact_characters(client, store: Store) -> None:  # type: ignore[no-untyped-def]
    rows = store.select(QUOTES)
    assert len(rows) > 100
    texts: dict[str, str] = {}
    for row in rows:
        link = row.get("link")
        assert link is not None, f"{row['q']} has no #char= link"
        m = CHAR.match(str(link))
        assert m and m["path"].startswith(BASE + "source/"), link
        path = "/" + m["path"].removeprefix(BASE)  # the test client serves the base at /
        if path not in texts:
            resp = client.get(path)
            assert resp.status_code == 200, path
            texts[path] = resp.data.decode("utf-8")
        assert texts[path][int(m["start"]) : int(m["end"])] == str(row["exact"]), link


def test_the_source_names_its_text_and_gives_it_for_text_plain(client) -> None:  # type: ignore[no-untyped-def]
    turtle = client.get(f"/source/{STEM}", headers={"Accept": "text/turtle"})
    assert f"<{BASE}source/{STEM}.txt>" in turtle.text or f"source/{STEM}.txt" in turtle.text
    plain = client.get(f"/source/{STEM}", headers={"Accept": "text/plain"})
    assert plain.status_code == 200
    assert plain.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert plain.data == SOURCE.read_bytes()
    assert plain.headers["Content-Location"] == f"/source/{STEM}.txt"
    # N-Triples stay available by their own media type
    nt = client.get(f"/source/{STEM}", headers={"Accept": "application/n-triples"})
    assert nt.headers["Content-Type"].startswith("application/n-triples")


def test_pages_link_each_quote_into_the_text(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/body/UN", headers={"Accept": "text/html"}).text
    links = re.findall(r'href="(/source/[^"#]+\.txt#char=\d+,\d+)"', page)
    assert links and all(link.startswith(f"/source/{STEM}.txt#char=") for link in links)


def test_unknown_texts_are_404(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/source/nothing-here.txt").status_code == 404
    assert client.get("/source/..%2f..%2fetc%2fpasswd.txt").status_code == 404


def test_the_release_carries_the_texts_and_the_rules_it_applied(release: Release) -> None:
    assert (release.path / "sources" / SOURCE_NAME).read_bytes() == SOURCE.read_bytes()
    rules = release.manifest["rules"]
    assert rules["source-text"] == 1 and rules["quote-char-link"] > 100  # type: ignore[index]
