"""Namespaces: standard vocabularies, and the project's own persistent one.

The ontology's namespace is fixed (a persistent identifier), not derived from
where a copy of the dataset is served: a query written against one server
answers the same on any other.  ``ontology/w3id.htaccess`` holds its redirect
rules.
"""

from __future__ import annotations

from rdflib import Graph, Namespace
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

#: The persistent identifier space of the project: the canonical base of its data IRIs.
W3ID = "https://w3id.org/ctoc-kg/"
#: The ontology's namespace.
CTOC = Namespace(W3ID + "ontology/")
#: The namespace of the SHACL shapes.
SHAPES = Namespace(W3ID + "shapes/")


PREFIXES: dict[str, str] = {
    "ctoc": str(CTOC),
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


def bind_all(graph: Graph) -> None:
    """Bind every prefix of :data:`PREFIXES` on ``graph`` (for readable serialisations)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
