"""Statistics of the served dataset and the VoID description built from them."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ctoc_kg.vocab import SD, VOID
from ctoc_kg.web.services import Services

GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ENTITIES = """SELECT ?base (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), STR(?base))) } GROUP BY ?base"""
CLASSES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"
PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Stats:
    triples: int
    entities: int
    graphs: list[tuple[str, int]]
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]


def stats(svc: Services) -> Stats:
    return _stats(svc, svc.release.version)


@functools.lru_cache(maxsize=4)
def _stats(svc: Services, version: str) -> Stats:
    s = svc.store

    def count(q: str, **bindings: Literal) -> int:
        rows = s.select(q, bindings)
        return int(rows[0]["n"]) if rows else 0  # type: ignore[call-overload]

    def pairs(q: str, key: str) -> list[tuple[str, int]]:
        return [(str(r[key]), int(r["n"])) for r in s.select(q)]  # type: ignore[call-overload]

    return Stats(
        count(TRIPLES),
        count(ENTITIES, base=Literal(svc.base)),
        pairs(GRAPHS, "g"),
        pairs(CLASSES, "c"),
        pairs(PROPERTIES, "p"),
    )


def void(svc: Services, endpoint: str) -> Graph:
    base = svc.base
    st = stats(svc)
    g = Graph()
    ds = URIRef(base + ".well-known/void#dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add(
        (
            ds,
            DCTERMS.title,
            Literal("ctoc-kg: UNTOC Conference of the Parties documents", lang="en"),
        )
    )
    g.add((ds, RDFS.label, Literal("ctoc-kg", lang="en")))
    g.add(
        (
            ds,
            DCTERMS.description,
            Literal(
                "Agendas, meetings, decisions, mandates, legal provisions and documents of the "
                "Conference of the Parties to the United Nations Convention against Transnational "
                "Organized Crime, each fact linked to the text that states it.",
                lang="en",
            ),
        )
    )
    g.add((ds, DCTERMS.license, URIRef(LICENSE)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(endpoint)))
    g.add((ds, VOID.dataDump, URIRef(svc.url("dumps/dataset.nq.gz"))))
    g.add((ds, VOID.dataDump, URIRef(svc.url("dumps/dataset.ttl"))))
    g.add((ds, VOID.uriSpace, Literal(base)))
    g.add((ds, VOID.rootResource, URIRef(base)))
    g.add((ds, VOID.triples, Literal(st.triples, datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(st.entities, datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(st.classes), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(st.properties), datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(st.entities, datatype=XSD.integer)))
    g.add((ds, VOID.exampleResource, URIRef(base + "body/CTOC/COP/WG.4")))
    g.add((ds, DCTERMS.modified, Literal(svc.release.modified.date(), datatype=XSD.date)))
    vocabularies = set()
    for i, (cls, n) in enumerate(st.classes):
        part = URIRef(f"{ds}-class-{i}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
        vocabularies |= _vocab(svc, cls)
    for i, (prop, n) in enumerate(st.properties):
        part = URIRef(f"{ds}-property-{i}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n, datatype=XSD.integer)))
        vocabularies |= _vocab(svc, prop)
    for ns in sorted(vocabularies):
        g.add((ds, VOID.vocabulary, URIRef(ns)))
    for name, n in st.graphs:
        sub = URIRef(name)
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, VOID.triples, Literal(n, datatype=XSD.integer)))
        g.add((sub, SD.name, sub))
    return g


def _vocab(svc: Services, iri: str) -> set[str]:
    return {ns for ns in svc.prefixes.values() if iri.startswith(ns)}
