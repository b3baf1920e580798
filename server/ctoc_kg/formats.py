"""The serialisation formats the project speaks, by media type, extension and name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    key: str  # stable internal name
    media_type: str  # what Content-Type says
    extension: str  # for URLs of a description (.ttl)
    accepts: tuple[str, ...]  # media types a client may ask for this by
    names: tuple[str, ...]  # values of a ``format`` / ``output`` parameter

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.key in {"json", "jsonld", "xml"}
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


SPARQL_JSON = Format(
    "json",
    "application/sparql-results+json",
    "srj",
    ("application/sparql-results+json", "application/json"),
    ("json", "srj", "application/sparql-results+json"),
)
SPARQL_XML = Format(
    "xml",
    "application/sparql-results+xml",
    "srx",
    ("application/sparql-results+xml", "application/xml", "text/xml"),
    ("xml", "srx", "application/sparql-results+xml"),
)
SPARQL_CSV = Format("csv", "text/csv", "csv", ("text/csv",), ("csv", "text/csv"))
SPARQL_TSV = Format(
    "tsv", "text/tab-separated-values", "tsv", ("text/tab-separated-values",), ("tsv",)
)
RESULT_FORMATS = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)

TURTLE = Format(
    "turtle",
    "text/turtle",
    "ttl",
    ("text/turtle", "application/x-turtle", "application/turtle"),
    ("turtle", "ttl", "text/turtle"),
)
NTRIPLES = Format(
    "ntriples",
    "application/n-triples",
    "nt",
    ("application/n-triples", "text/plain"),
    ("nt", "ntriples", "n-triples", "application/n-triples"),
)
RDFXML = Format(
    "rdfxml",
    "application/rdf+xml",
    "rdf",
    ("application/rdf+xml", "application/xml", "text/xml"),
    ("rdf", "rdfxml", "rdf+xml", "xml", "application/rdf+xml"),
)
JSONLD = Format(
    "jsonld",
    "application/ld+json",
    "jsonld",
    ("application/ld+json", "application/json"),
    ("jsonld", "json-ld", "json", "application/ld+json"),
)
NQUADS = Format(
    "nquads",
    "application/n-quads",
    "nq",
    ("application/n-quads",),
    ("nq", "nquads", "n-quads", "application/n-quads"),
)
RDF_FORMATS = (TURTLE, NTRIPLES, RDFXML, JSONLD, NQUADS)

HTML = Format("html", "text/html", "html", ("text/html", "application/xhtml+xml"), ("html",))
PLAIN = Format("text", "text/plain", "txt", ("text/plain",), ("text", "txt"))


def by_name(value: str | None, offers: tuple[Format, ...]) -> Format | None:
    """The offer a ``format`` parameter names, or None for values we do not know."""
    if not value:
        return None
    v = value.strip().lower()
    return next((f for f in offers if v in f.names), None)


def by_extension(ext: str, offers: tuple[Format, ...]) -> Format | None:
    return next((f for f in offers if f.extension == ext), None)
