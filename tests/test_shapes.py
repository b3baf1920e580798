"""The shapes: well-formed SHACL, satisfied by the data, and each able to fail."""

from __future__ import annotations

from importlib.resources import files

import pytest
from ctoc_kg.build.validate import load_shapes, shape_alone, validate
from ctoc_kg.vocab import CTOC, SH
from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .conftest import BASE

CS = BASE + "shapes/"
PREFIXES = f"""
PREFIX ctoc: <{CTOC}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
DOC = f"<{BASE}document/CTOC/COP/2008/6>"
WG = f"<{BASE}body/CTOC/COP/WG.4>"
AGENDA = f"<{BASE}body/CTOC/COP/WG.4/meeting/2009-04-14/agenda>"
ITEM2 = f"{AGENDA[:-1]}/item/2>"
SLOT = f"<{BASE}body/CTOC/COP/WG.4/meeting/2009-04-14/slot/2009-04-14T1000>"
PARA = f"<{BASE}instrument/UNTOC/article/32/paragraph/3>"
ONE_SELECTOR = "{ SELECT ?p WHERE { ?p a oa:TextPositionSelector } ORDER BY ?p LIMIT 1 }"


def replace(subject: str, prop: str, new: str) -> str:
    triple = f"{subject} {prop}"
    return f"DELETE {{ {triple} ?o }} INSERT {{ {triple} {new} }} WHERE {{ {triple} ?o }}"


#: shape -> an update that breaks the data in the way that shape guards against
FAILING_EXAMPLES = {
    "StatedShape": "DELETE { ?s ctoc:statedIn ?q } WHERE { ?s a ctoc:Place ; ctoc:statedIn ?q }",
    # hand-written records: a document without its title, a meeting without its date, an
    # attribution to a literal, an identifier link without its source
    "AttributedDocumentShape": f"INSERT DATA {{ <{BASE}document/CTOC/COP/2010/1> a ctoc:Document ; "
    "prov:wasAttributedTo <mailto:editor@example.org> }",
    "AttributedMeetingShape": f"INSERT DATA {{ <{BASE}body/CTOC/COP/session/5> a ctoc:Meeting ; "
    "prov:wasAttributedTo <mailto:editor@example.org> }",
    "AttributionShape": f"INSERT DATA {{ {WG} prov:wasAttributedTo 'an editor' }}",
    "IdentityLinkShape": f"INSERT DATA {{ <{BASE}place/vienna> owl:sameAs "
    "<http://example.org/vienna> ; prov:wasAttributedTo <mailto:editor@example.org> }",
    "QuoteShape": "DELETE { ?q oa:hasBody ?b } WHERE { ?q a ctoc:Quote ; oa:hasBody ?b }",
    "QuoteOffsetsShape": "DELETE { ?p oa:end ?e } INSERT { ?p oa:end ?e2 } WHERE { "
    + ONE_SELECTOR
    + " ?p oa:end ?e BIND (?e + 1 AS ?e2) }",
    "TextTargetShape": "DELETE { ?t oa:hasSource ?s } WHERE { ?t oa:hasSource ?s }",
    "TextQuoteSelectorShape": "DELETE { ?q oa:exact ?e } INSERT { ?q oa:exact '' } "
    "WHERE { ?q oa:exact ?e }",
    "TextPositionSelectorShape": "DELETE { ?p oa:start ?s } INSERT { ?p oa:start ?s2 } WHERE { "
    + ONE_SELECTOR
    + " ?p oa:start ?s ; oa:end ?e BIND (?e + 5 AS ?s2) }",
    "SourceTextShape": "DELETE { ?s ctoc:sha256 ?h } INSERT { ?s ctoc:sha256 'not-a-digest' } "
    "WHERE { ?s ctoc:sha256 ?h }",
    "DocumentShape": replace(DOC, "dcterms:identifier", "'ctoc/cop/2008/6'"),
    "ListedDocumentShape": f"DELETE WHERE {{ {DOC} dcterms:title ?t }}",
    "RevisedDocumentShape": f"DELETE WHERE {{ <{BASE}document/CTOC/COP/2005/3> "
    "dcterms:identifier ?i }",
    "RevisionShape": f"DELETE WHERE {{ <{BASE}symbol/CTOC/COP/2005/3/Rev.2> "
    "ctoc:revisionNumber ?n }",
    "AnnotatedAgendaShape": replace(AGENDA, "ctoc:distribution", "ctoc:Leaked"),
    "DocumentSymbolShape": replace(
        f"<{BASE}symbol/CTOC/COP/2008/CRP.8>", "ctoc:documentType", "'XYZ'"
    ),
    "AgendaItemShape": replace(ITEM2, "dcterms:title", "'Examen:'@fr"),
    "AnnotationParagraphShape": f"DELETE WHERE {{ {AGENDA[:-1]}/item/1a/annotation/fr/1> "
    "ctoc:text ?t }",
    "OrganizationOfWorkShape": "DELETE WHERE { ?w ctoc:hasTimeSlot ?s }",
    "TimeSlotShape": replace(SLOT, "schema:endDate", "'2009-04-14T09:00:00'^^xsd:dateTime"),
    "ScheduleEntryShape": f"DELETE {{ ?e ctoc:continuation ?c }} INSERT {{ ?e ctoc:continuation "
    f"'yes' }} WHERE {{ {SLOT} ctoc:hasEntry ?e . ?e ctoc:continuation ?c }}",
    "MeetingShape": replace(
        f"<{BASE}body/CTOC/COP/WG.4/meeting/2009-04-14>", "schema:startDate", "'14 avril'"
    ),
    "SessionShape": replace(f"<{BASE}body/CTOC/COP/session/4>", "ctoc:ordinal", "'quatrième'"),
    "PlaceShape": "DELETE { ?p rdfs:label ?l } INSERT { ?p rdfs:label 'Vienne' } "
    "WHERE { ?p a ctoc:Place ; rdfs:label ?l }",
    "BodyShape": f"INSERT DATA {{ {WG} rdfs:label 'Groupe de travail'@fr }}",
    "OfficeShape": "DELETE { ?o rdfs:label ?l } INSERT { ?o rdfs:label 'SG' } "
    "WHERE { ?o a ctoc:Office ; rdfs:label ?l }",
    "InstrumentShape": f"INSERT DATA {{ <{BASE}instrument/UNTOC> rdfs:label 'La Convention'@fr }}",
    "ConventionShape": f"INSERT DATA {{ <{BASE}instrument/UNTOC> ctoc:supplements "
    f"<{BASE}instrument/UNTOC> }}",
    "ProtocolShape": "DELETE { ?p ctoc:supplements ?c } WHERE { ?p a ctoc:Protocol ; "
    "ctoc:supplements ?c }",
    "RulesOfProcedureShape": "DELETE WHERE { ?r ctoc:rulesOf ?b }",
    "ProvisionShape": f"DELETE WHERE {{ {PARA} ctoc:instrument ?i }}",
    "ArticleShape": f"INSERT DATA {{ <{BASE}instrument/UNTOC/article/32> ctoc:paragraphNumber 3 }}",
    "ParagraphShape": replace(PARA, "ctoc:articleNumber", "33"),
    "DecisionShape": replace(f"<{BASE}body/CTOC/COP/decision/4/4>", "skos:notation", "'5/4'"),
    "DecisionActShape": replace(
        f"<{BASE}body/CTOC/COP/decision/4/4/act/ctoc-cop-wg4-2009-agenda.fr/1>",
        "ctoc:actType",
        "ctoc:Applauded",
    ),
    "ActTypeShape": "DELETE WHERE { ctoc:Urged skos:inScheme ?s }",
    "DistributionTypeShape": "DELETE WHERE { ctoc:GeneralDistribution skos:prefLabel ?l }",
    "MandateShape": "DELETE WHERE { ?m ctoc:hasFunction ?f }",
    "FunctionShape": "DELETE { ?f skos:notation ?n } INSERT { ?f skos:notation 'i.' } "
    "WHERE { ?f a ctoc:Function ; skos:notation ?n }",
    "SiblingOrderShape": replace(f"{ITEM2[:-1]}/annotation/fr/3>", "ctoc:order", "2"),
}


@pytest.fixture(scope="module")
def shapes(paths) -> Graph:  # type: ignore[no-untyped-def]
    return load_shapes(paths, BASE)


@pytest.fixture(scope="module")
def union(data: Graph, loaded) -> Graph:  # type: ignore[no-untyped-def]
    g = Graph()
    for t in data:
        g.add(t)
    for t in loaded.ontology:
        g.add(t)
    return g


@pytest.mark.slow
def test_shapes_graph_is_valid_shacl(shapes: Graph) -> None:
    shsh = Graph().parse(str(files("pyshacl") / "assets" / "shacl-shacl.ttl"), format="turtle")
    conforms, _, text = shacl_validate(shapes, shacl_graph=shsh, inference="none")
    assert conforms, text


def test_the_dataset_conforms(union: Graph, shapes: Graph) -> None:
    report = validate(union, shapes, Graph())
    assert report.conforms, report.text()


def test_every_shape_has_a_failing_example(shapes: Graph) -> None:
    declared = {
        str(s).removeprefix(CS)
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef)
    }
    assert declared == set(FAILING_EXAMPLES)


def alone_with_its_users(shapes: Graph, shape: URIRef) -> Graph:
    """The shape alone (:func:`shape_alone`), which must be a shape of the file."""
    alone = shape_alone(shapes, shape)
    assert (shape, RDF.type, SH.NodeShape) in alone
    return alone


@pytest.mark.parametrize("shape", sorted(FAILING_EXAMPLES))
def test_shape_catches_its_failing_example(shape: str, union: Graph, shapes: Graph) -> None:
    broken = Graph()
    for t in union:
        broken.add(t)
    broken.update(PREFIXES + FAILING_EXAMPLES[shape])
    assert set(broken) != set(union), "the failing example changed nothing"
    # that shape alone (its node, property shapes and SPARQL constraints): the dataset as a
    # whole is checked against every shape by test_the_dataset_conforms
    alone = alone_with_its_users(shapes, URIRef(CS + shape))
    report = validate(broken, alone, Graph())
    assert not report.conforms
    hits = [v for v in report.violations if v.shape == CS + shape]
    assert hits, f"{shape} did not fire; got {sorted({v.shape for v in report.violations})}"
    assert all(v.message and v.focus for v in hits)
