"""The ontology: every term documented in English and French, aligned, and used terms declared."""

from __future__ import annotations

import re

import pytest
from ctoc_kg.vocab import CTOC
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .conftest import ROOT, SHARED

C = str(CTOC)
UNDO_FILE = SHARED / "ontologies" / "undo.ttl"
ALIGNED_TO = {
    "DCTERMS": "http://purl.org/dc/terms/",
    "SKOS": "http://www.w3.org/2004/02/skos/core#",
    "schema.org": "http://schema.org/",
    "ELI": "http://data.europa.eu/eli/ontology#",
    "ORG": "http://www.w3.org/ns/org#",
    "OWL-Time": "http://www.w3.org/2006/time#",
    "PROV-O": "http://www.w3.org/ns/prov#",
    "Web Annotation": "http://www.w3.org/ns/oa#",
    "UNDO": "https://w3id.org/un/ontology/undo/",
}


def own(g: Graph, kind: URIRef) -> list[URIRef]:
    return [s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef) and str(s).startswith(C)]


def test_every_term_has_labels_in_english_and_french_and_a_comment(loaded) -> None:  # type: ignore[no-untyped-def]
    g = loaded.ontology
    terms = own(g, OWL.Class) + own(g, OWL.ObjectProperty) + own(g, OWL.DatatypeProperty)
    assert len(terms) > 60
    for t in terms:
        langs = {label.language for label in g.objects(t, RDFS.label)}
        assert {"en", "fr"} <= langs, t
        assert (t, RDFS.comment, None) in g, t


def test_every_property_has_domain_and_range(loaded) -> None:  # type: ignore[no-untyped-def]
    g = loaded.ontology
    for p in own(g, OWL.ObjectProperty) + own(g, OWL.DatatypeProperty):
        assert (p, RDFS.domain, None) in g, f"{p} has no rdfs:domain"
        assert (p, RDFS.range, None) in g, f"{p} has no rdfs:range"


def test_every_class_is_aligned_to_a_standard_vocabulary(loaded) -> None:  # type: ignore[no-untyped-def]
    g = loaded.ontology
    for cls in own(g, OWL.Class):
        supers = set(g.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        assert any(not str(s).startswith(C) for s in supers), f"{cls} is not aligned"


@pytest.mark.parametrize("vocabulary", sorted(ALIGNED_TO))
def test_the_ontology_aligns_to(vocabulary: str, loaded) -> None:  # type: ignore[no-untyped-def]
    ns = ALIGNED_TO[vocabulary]
    g = loaded.ontology
    aligned = [
        o
        for p in (RDFS.subClassOf, RDFS.subPropertyOf)
        for o in g.objects(None, p)
        if str(o).startswith(ns)
    ]
    assert aligned, f"nothing aligned to {vocabulary}"


@pytest.mark.skipif(
    not UNDO_FILE.exists(), reason="shared/ontologies/undo.ttl not beside this checkout"
)
def test_undo_terms_exist_in_undo(loaded) -> None:  # type: ignore[no-untyped-def]
    undo = Graph().parse(UNDO_FILE, format="turtle")
    ns = ALIGNED_TO["UNDO"]
    used = {o for o in loaded.ontology.objects() if isinstance(o, URIRef) and str(o).startswith(ns)}
    assert used
    for term in used:
        assert (term, None, None) in undo, f"{term} is not defined in UNDO"


def test_every_project_term_used_anywhere_is_declared(loaded, data: Graph) -> None:  # type: ignore[no-untyped-def]
    declared = {s for s in loaded.ontology.subjects() if str(s).startswith(C)}
    used = {t for triple in data for t in triple if isinstance(t, URIRef) and str(t).startswith(C)}
    texts = [p.read_text() for p in (ROOT / "queries").glob("*.rq")]
    texts += [p.read_text() for p in (ROOT / "shapes").glob("*.ttl")]
    for text in texts:
        used |= {URIRef(C + name) for name in re.findall(r"\bctoc:([A-Za-z]\w*)", text)}
    missing = sorted(used - declared)
    assert not missing, missing
