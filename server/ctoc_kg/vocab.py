"""Namespaces: standard vocabularies, and the project's own under the base URI."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

SCHEMA = Namespace("http://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ELI_DL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
UNDO = Namespace("https://w3id.org/un/ontology/undo/")
LANG = Namespace("http://id.loc.gov/vocabulary/iso639-1/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")

ONTOLOGY_PATH = "ontology/"


def ctoc(base: str) -> Namespace:
    """The ontology namespace for a base URI."""
    return Namespace(base + ONTOLOGY_PATH)


PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "time": str(TIME),
    "schema": str(SCHEMA),
    "eli": str(ELI),
    "eli-dl": str(ELI_DL),
    "org": str(ORG),
    "oa": str(OA),
    "undo": str(UNDO),
    "lang": str(LANG),
}


def prefixes(base: str) -> dict[str, str]:
    """All prefixes, the project's own included, for queries and serialisations."""
    return {"ctoc": base + ONTOLOGY_PATH, **PREFIXES}


def bind_all(graph, base: str) -> None:  # type: ignore[no-untyped-def]
    for prefix, ns in prefixes(base).items():
        graph.bind(prefix, ns, override=True, replace=True)
