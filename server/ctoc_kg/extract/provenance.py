"""Pointers from resources back to the exact text that states them.

Each quote is a Web Annotation whose target is a span of the source file,
selected both by its exact text (``oa:TextQuoteSelector``) and by Unicode
code-point offsets (``oa:TextPositionSelector``).  Offsets are always computed
here, by searching the source text, never written by hand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ctoc_kg import iris
from ctoc_kg.vocab import CTOC, LANG, OA


class QuoteNotFound(LookupError):
    """The text an extractor expected is not in the source (the source changed?)."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class SourceText:
    """A source file read exactly as stored, and the quotes taken from it."""

    path: Path
    base: str
    language: str = "fr"
    text: str = field(init=False)
    _bodies: dict[Span, set[URIRef]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        raw = self.path.read_bytes()
        self.sha256 = hashlib.sha256(raw).hexdigest()
        # newline="" semantics: decode bytes ourselves so offsets match the file exactly
        self.text = raw.decode("utf-8")
        self.stem = self.path.name.removesuffix(".txt")
        self.iri = URIRef(self.base + iris.source(self.stem))

    # -- finding text ---------------------------------------------------------
    def find(self, exact: str, after: int = 0, before: int | None = None) -> Span:
        """The first occurrence of ``exact`` at or after ``after``."""
        start = self.text.find(exact, after, len(self.text) if before is None else before)
        if start < 0:
            raise QuoteNotFound(f"{self.path.name}: {exact!r} not found after offset {after}")
        return Span(start, start + len(exact))

    def between(self, first: str, last: str, after: int = 0) -> Span:
        """From the start of ``first`` to the end of the next ``last`` after it."""
        head = self.find(first, after)
        tail = self.find(last, head.start)
        return Span(head.start, tail.end)

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    # -- recording quotes ------------------------------------------------------
    def state(self, graph: Graph, resource: URIRef, span: Span) -> URIRef:
        """Record that ``span`` states ``resource``; return the quote's IRI."""
        if not (0 <= span.start < span.end <= len(self.text)):
            raise ValueError(f"span {span} outside the source")
        q = self.quote_iri(span)
        self._bodies.setdefault(span, set()).add(resource)
        graph.add((resource, CTOC.statedIn, q))
        return q

    def spans(self) -> list[Span]:
        """Every span quoted so far."""
        return list(self._bodies)

    def quote_iri(self, span: Span) -> URIRef:
        return URIRef(self.base + iris.quote_(iris.source(self.stem), span.start, span.end))

    def emit(self, graph: Graph) -> None:
        """Write the source resource and every quote recorded so far."""
        c = CTOC
        graph.add((self.iri, RDF.type, c.SourceText))
        graph.add((self.iri, RDFS.label, Literal(self.path.name)))
        graph.add((self.iri, c.fileName, Literal(self.path.name)))
        graph.add((self.iri, c.sha256, Literal(self.sha256)))
        graph.add((self.iri, c.characterCount, Literal(len(self.text), datatype=XSD.integer)))
        graph.add((self.iri, DCTERMS.format, Literal("text/plain; charset=utf-8")))
        graph.add((self.iri, DCTERMS.language, LANG[self.language]))
        for span, bodies in self._bodies.items():
            q = self.quote_iri(span)
            exact = self.slice(span)
            graph.add((q, RDF.type, c.Quote))
            graph.add((q, RDF.type, OA.Annotation))
            graph.add((q, RDFS.label, Literal(exact, lang=self.language)))
            graph.add((q, OA.motivatedBy, OA.describing))
            for body in sorted(bodies):
                graph.add((q, OA.hasBody, body))
            # labelled blank nodes: the same source gives the same file, byte for byte
            tag = f"q{span.start}_{span.end}"
            target = BNode(f"{tag}_target")
            graph.add((q, OA.hasTarget, target))
            graph.add((target, RDF.type, OA.SpecificResource))
            graph.add((target, OA.hasSource, self.iri))
            tq, tp = BNode(f"{tag}_exact"), BNode(f"{tag}_position")
            graph.add((target, OA.hasSelector, tq))
            graph.add((target, OA.hasSelector, tp))
            graph.add((tq, RDF.type, OA.TextQuoteSelector))
            graph.add((tq, OA.exact, Literal(exact)))
            graph.add((tp, RDF.type, OA.TextPositionSelector))
            graph.add((tp, OA.start, Literal(span.start, datatype=XSD.integer)))
            graph.add((tp, OA.end, Literal(span.end, datatype=XSD.integer)))
