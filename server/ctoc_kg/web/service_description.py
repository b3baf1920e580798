"""The SPARQL 1.1 Service Description of ``/sparql``."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ctoc_kg.formats import Format
from ctoc_kg.vocab import SD, VOID
from ctoc_kg.web.dataset_meta import stats
from ctoc_kg.web.rdfout import serialize
from ctoc_kg.web.services import services

FORMATS_NS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "N-Quads",
]


def service_description(endpoint: str, fmt: Format) -> bytes:
    svc = services()
    st = stats(svc)
    g = Graph()
    service = URIRef(endpoint + "#service")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in RESULT_FORMAT_IRIS:
        g.add((service, SD.resultFormat, URIRef(FORMATS_NS + name)))
    g.add((service, DCTERMS.title, Literal("ctoc-kg SPARQL endpoint (read-only)", lang="en")))
    dataset = URIRef(endpoint + "#dataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, DCTERMS.source, URIRef(svc.base + ".well-known/void#dataset")))
    default = BNode("defaultGraph")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, RDF.type, VOID.Dataset))
    g.add((default, VOID.triples, Literal(st.triples, datatype=XSD.integer)))
    for name, n in st.graphs:
        ng = BNode(f"g{abs(hash(name))}")
        g.add((dataset, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
        desc = BNode(f"d{abs(hash(name))}")
        g.add((ng, SD.graph, desc))
        g.add((desc, RDF.type, SD.Graph))
        g.add((desc, VOID.triples, Literal(n, datatype=XSD.integer)))
    prefixes = {"sd": str(SD), "void": str(VOID), "dcterms": str(DCTERMS)}
    return serialize(g, fmt, prefixes)
