"""The build's named rules: links out to the UN's document pages, derived from symbols."""

from __future__ import annotations

from ctoc_kg.build.rules import UN_LANGUAGES, undocs_url
from ctoc_kg.store import Store

DOCS = """
PREFIX ctoc: <https://w3id.org/ctoc-kg/ontology/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?d ?symbol (GROUP_CONCAT(STR(?link); separator=" ") AS ?links) WHERE {
  ?d a ctoc:Document ; dcterms:identifier ?symbol .
  OPTIONAL { ?d rdfs:seeAlso ?link FILTER (STRSTARTS(STR(?link), "https://undocs.org/")) }
} GROUP BY ?d ?symbol
"""


def test_the_address_is_the_symbol_under_undocs() -> None:
    assert undocs_url("CTOC/COP/2008/CRP.8") == "https://undocs.org/CTOC/COP/2008/CRP.8"
    assert undocs_url("A/RES/55/25", "fr") == "https://undocs.org/fr/A/RES/55/25"


def test_every_document_links_to_its_un_pages(store: Store) -> None:
    rows = store.select(DOCS)
    assert len(rows) > 10
    for row in rows:
        symbol = str(row["symbol"])
        links = set(str(row["links"]).split())
        want = {f"https://undocs.org/{symbol}"}
        want |= {f"https://undocs.org/{lang}/{symbol}" for lang in UN_LANGUAGES}
        assert links == want, symbol


def test_the_page_links_out(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/document/CTOC/COP/2008/CRP.8", headers={"Accept": "text/html"}).text
    assert 'href="https://undocs.org/en/CTOC/COP/2008/CRP.8"' in page
