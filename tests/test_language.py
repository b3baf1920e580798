"""Pages in the reader's language: ``?lang``, ``Accept-Language``, labels from the lexicons."""

from __future__ import annotations

import re

from ctoc_kg.store import Store
from ctoc_kg.web.i18n import from_accept_language
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from .conftest import BASE

WG = "/body/CTOC/COP/WG.4"


def h1(page: str) -> str:
    m = re.search(r"<h1 id=\"label\"([^>]*)>(.*?)</h1>", page)
    assert m
    return f"{m[2]}|{m[1].strip()}"


def test_accept_language_picks_the_page_language() -> None:
    assert from_accept_language("fr-CH, fr;q=0.9, en;q=0.8") == "fr"
    assert from_accept_language("de-DE, en-GB;q=0.7, fr;q=0.5") == "en"
    assert from_accept_language("de") is None and from_accept_language("") is None
    assert from_accept_language("fr;q=0, en;q=0.1") == "en"


def labels(store: Store, iri: str) -> set[Literal]:
    q = "SELECT ?r ?l WHERE { ?r <%s> ?l }" % RDFS.label
    return {row["l"] for row in store.select(q, {"r": URIRef(iri)})}  # type: ignore[misc]


def test_bodies_and_places_have_english_and_french_names(store: Store) -> None:
    assert labels(store, BASE + WG[1:]) == {
        Literal("Working Group on Trafficking in Persons", lang="en"),
        Literal("Groupe de travail sur la traite des personnes", lang="fr"),
    }
    assert labels(store, BASE + "place/vienna") == {
        Literal("Vienna", lang="en"),
        Literal("Vienne", lang="fr"),
    }


def test_resource_page_in_english_and_french(client) -> None:  # type: ignore[no-untyped-def]
    en = client.get(WG, headers={"Accept": "text/html", "Accept-Language": "en-GB,en;q=0.9"})
    assert h1(en.text) == 'Working Group on Trafficking in Persons|lang="en"'
    assert '<html lang="en">' in en.text
    assert "Accept-Language" in en.headers["Vary"]
    fr = client.get(WG, headers={"Accept": "text/html", "Accept-Language": "fr"})
    assert h1(fr.text) == 'Groupe de travail sur la traite des personnes|lang="fr"'
    assert '<html lang="fr">' in fr.text and "Texte source" in fr.text
    assert en.headers["ETag"] != fr.headers["ETag"]
    # the switch overrides the header, and links to the same page in the other language
    switched = client.get(WG + "?lang=en", headers={"Accept": "text/html", "Accept-Language": "fr"})
    assert h1(switched.text).endswith('lang="en"')
    assert 'href="/body/CTOC/COP/WG.4?lang=fr" hreflang="fr"' in switched.text


def test_property_names_follow_the_reader(client) -> None:  # type: ignore[no-untyped-def]
    fr = client.get(WG + "?lang=fr", headers={"Accept": "text/html"}).text
    assert re.search(r'<th lang="fr"><a href="[^"]+">conseille et aide</a>', fr)
    en = client.get(WG + "?lang=en", headers={"Accept": "text/html"}).text
    assert re.search(r'<th lang="en"><a href="[^"]+">advises and assists</a>', en)


def test_ontology_page_in_the_reader_language(client) -> None:  # type: ignore[no-untyped-def]
    fr = client.get("/ontology/?lang=fr", headers={"Accept": "text/html"}).text
    assert "Propriétés d&#39;objet" in fr or "Propriétés d'objet" in fr
    assert re.search(r'<a href="[^"]+" lang="fr">ordre du jour annoté</a>', fr)
    en = client.get("/ontology/?lang=en", headers={"Accept": "text/html"}).text
    assert "Object properties" in en
    assert re.search(r'<a href="[^"]+" lang="en">annotated agenda</a>', en)
