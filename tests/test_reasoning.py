"""A sound ontology: a reasoner over ontology + data + the W3C vocabularies finds no falsehood.

PROV-O, ORG and Web Annotation are read from the W3C's own files (shared/ontologies/external),
UNDO from shared/ontologies.  The closure is OWL 2 RL (owlrl); HermiT, a DL reasoner, runs
where Java is installed.  The dataset checked is the one the build loads, entailments
materialised, so what the build gives researchers is covered too.
"""

from __future__ import annotations

import pytest
from ctoc_kg.build import soundness
from ctoc_kg.build.load import STATEMENTS_SUFFIX
from ctoc_kg.vocab import CTOC, bind_all
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from .conftest import SHARED

EXTERNAL = SHARED / "ontologies" / "external"
VOCABULARIES = [EXTERNAL / "prov-o.ttl", EXTERNAL / "org.ttl", EXTERNAL / "oa.ttl"]
UNDO = SHARED / "ontologies" / "undo.ttl"


@pytest.fixture(scope="module")
def vocabularies() -> list[Graph]:
    files = VOCABULARIES + ([UNDO] if UNDO.exists() else [])
    missing = [f for f in files if not f.exists()]
    assert not missing, f"the W3C vocabularies are not beside the checkout: {missing}"
    return [Graph().parse(f) for f in files]


@pytest.fixture(scope="module")
def everything(loaded, vocabularies: list[Graph]) -> Graph:  # type: ignore[no-untyped-def]
    # the per-statement provenance graphs describe triples (rdf:Statement), not the world:
    # the ontology says nothing of them, and the RL closure over them only grows memory
    described = [
        g for g in loaded.dataset.graphs() if not str(g.identifier).endswith(STATEMENTS_SUFFIX)
    ]
    g = soundness.union([*described, *vocabularies])
    bind_all(g)
    return g


@pytest.mark.slow  # an OWL reasoner over the whole dataset: the whole run, not the inner loop
def test_the_owl_rl_closure_entails_no_contradiction_and_nothing_absurd(everything: Graph) -> None:
    assert soundness.rl_problems(everything) == []


@pytest.mark.slow  # an OWL reasoner over the whole dataset: the whole run, not the inner loop
@pytest.mark.skipif(not soundness.java_available(), reason="no Java for HermiT")
def test_hermit_finds_ontology_and_data_consistent(everything: Graph) -> None:
    assert soundness.hermit_problems(everything) == []


def test_the_ontology_keeps_the_owl2_dl_rules(loaded, vocabularies: list[Graph]) -> None:  # type: ignore[no-untyped-def]
    assert soundness.dl_problems(loaded.ontology, vocabularies) == []


def _act_with_quote(ontology: Graph, vocabularies: list[Graph]) -> Graph:
    """A decision act as the data has them: stated in a quote, performed by a body."""
    g = soundness.union([ontology, *vocabularies])
    act, quote, body = URIRef("urn:x:act"), URIRef("urn:x:quote"), URIRef("urn:x:body")
    place = URIRef("urn:x:place")
    g.add((act, RDF.type, CTOC.DecisionAct))
    g.add((act, CTOC.statedIn, quote))
    g.add((act, CTOC.actingBody, body))
    g.add((body, RDF.type, CTOC.Body))
    g.add((place, RDF.type, CTOC.Place))
    g.add((place, CTOC.statedIn, quote))
    return g


@pytest.mark.slow  # an OWL RL closure each
@pytest.mark.parametrize(
    ("alignment", "expected"),
    [
        ((CTOC.statedIn, RDFS.subPropertyOf, PROV.wasDerivedFrom), "urn:x:place"),
        ((CTOC.actingBody, RDFS.subPropertyOf, PROV.wasAssociatedWith), "prov:Activity"),
    ],
)
def test_the_closure_catches_an_unsound_alignment(
    loaded,  # type: ignore[no-untyped-def]
    vocabularies: list[Graph],
    alignment: tuple[URIRef, URIRef, URIRef],
    expected: str,
) -> None:
    g = _act_with_quote(loaded.ontology, vocabularies)
    assert soundness.rl_problems(g) == []
    g.add(alignment)
    problems = soundness.rl_problems(g)
    assert any(expected in p for p in problems), problems


@pytest.mark.slow  # an OWL reasoner over the whole dataset: the whole run, not the inner loop
def test_the_closure_reports_disjoint_classes_as_inconsistent(loaded, vocabularies) -> None:  # type: ignore[no-untyped-def]
    g = _act_with_quote(loaded.ontology, vocabularies)
    g.add((URIRef("urn:x:body"), RDF.type, CTOC.Place))
    assert any("urn:x:body" in p for p in soundness.rl_problems(g))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            [
                (CTOC.titleInAnnotations, RDFS.subPropertyOf, SKOS.altLabel),
                (SKOS.altLabel, RDF.type, OWL.AnnotationProperty),
            ],
            "sub-property of skos:altLabel (annotation property)",
        ),
        ([(CTOC.concerns, RDFS.range, RDFS.Resource)], "rdfs:Resource is RDFS reserved"),
        ([(CTOC.year, RDFS.range, XSD.gYear)], "outside the OWL 2 datatype map"),
        ([(CTOC.order, RDF.type, OWL.ObjectProperty)], "more than one kind"),
        ([(CTOC.text, RDFS.range, CTOC.Quote)], "not a datatype"),
        ([(CTOC.Place, RDFS.subClassOf, URIRef("http://schema.org/Thing"))], "not declared"),
        ([(CTOC.Recalled, CTOC.order, CTOC.Stressed)], "non-literal value"),
        ([(CTOC.Recalled, SKOS.inScheme, Literal("x"))], "literal value"),
    ],
)
def test_the_dl_check_catches(loaded, vocabularies, change, expected: str) -> None:  # type: ignore[no-untyped-def]
    onto = soundness.union([loaded.ontology])
    bind_all(onto)
    for t in change:
        onto.add(t)
    problems = soundness.dl_problems(onto, vocabularies)
    assert any(expected in p for p in problems), problems
