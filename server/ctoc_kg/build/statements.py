"""Every triple of a source graph classified: stated by a quote, or derived by a named rule.

A researcher asks "where does the text say that?" of a statement, not of a resource.
:func:`classify` answers it for each triple of a source graph:

* **stated** — a quote of the subject prints the object (a title, a text), or a quote of
  the subject and one of the object stand in the same paragraph of the source, or the
  quote of the subject is what its type, position and value are read from, or a paragraph
  of the subject's annotations prints a quote of the object (an item citing the decision
  its annotations name);
* **derived** — the triple follows from a rule named in :data:`RULES`: the quotation
  apparatus computed from the source file, the ontology's sub-class/sub-property
  entailments, the symbol grammar (a symbol's parts; the base document of a revision),
  the UN's six official languages, the labels minted for readers;
* **unclassified** — neither; such a triple belongs in ``data/curated/``, attributed.

:func:`provenance_graph` writes the answer as RDF reification, one ``rdf:Statement`` per
triple with ``ctoc:statedIn`` its quote or ``prov:wasGeneratedBy`` its rule (see the
README, "Where does the text say that?").
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ctoc_kg.build.checks import Context, Quote, normalise, printed_in
from ctoc_kg.vocab import CTOC, OA, SCHEMA

Triple = tuple[Node, Node, Node]

#: The rules a derived triple may name: key -> (label, what the rule says).
RULES: dict[str, tuple[str, str]] = {
    "quotation": (
        "quotation",
        "Quotes, their selectors and the source file's digest are computed from the source "
        "file by offsets; they describe the text, they state no fact about the world.",
    ),
    "entailment": (
        "ontology entailment",
        "rdfs:subClassOf and rdfs:subPropertyOf closure of the ontology's alignments "
        "(RDFS rules rdfs7 and rdfs9), materialised at build.",
    ),
    "symbol-grammar": (
        "UN document symbol grammar",
        "A symbol's parts are those its string parses into; a revision (…/Rev.N) has as base "
        "document the symbol without its last modifier, though only the revision is printed.",
    ),
    "official-languages": (
        "the six official languages of the United Nations",
        "Interpretation in 'the six official languages' is interpretation in Arabic, Chinese, "
        "English, French, Russian and Spanish.",
    ),
    "labelling": (
        "labels for readers",
        "rdfs:label values composed for readers from a resource's notation, number or title.",
    ),
    # the build's named rules (build/rules.py), applied to each graph it rebuilds
    "source-text": (
        "served source text",
        "A source text with a file name has that plain-text file served beside it "
        "(dcterms:hasFormat <source/S.txt>).",
    ),
    "quote-char-link": (
        "quote character link",
        "A quote links (rdfs:seeAlso) to the characters its offsets select in the served "
        "source text, by an RFC 5147 fragment (#char=start,end).",
    ),
    "lexicon-names": (
        "lexicon names",
        "A body, office, place or instrument the genre's lexicons name in a language the data "
        "do not label it in gets the lexicon's first name in that language (rdfs:label).",
    ),
    "undocs-link": (
        "UN documents link",
        "A document whose identifier is a UN document symbol links (rdfs:seeAlso) to the UN's "
        "permanent pages for that symbol, one per official language.",
    ),
}

#: Properties whose value a quote of the subject is read for as a whole: its kind, place
#: and the values read from it (dates, counts, flags), which the quote need not spell out.
READ_FROM_QUOTE = {
    RDF.type,
    CTOC.order,
    SKOS.notation,
    DCTERMS.identifier,
    DCTERMS.isPartOf,
    CTOC.agendaOf,
    CTOC.subItemOf,
    CTOC.continuation,
    CTOC.actType,  # the gate checks it against the quote's operative verb
    CTOC.actingBody,  # the gate checks it against the decision's adopter
    CTOC.item,
    CTOC.takesUp,
    CTOC.continues,
    CTOC.instrument,
    CTOC.supplements,
    CTOC.rulesOf,
    CTOC.meetingOf,
    CTOC.forMeeting,
    CTOC.preparedPursuantTo,
    CTOC.distribution,
    CTOC.originalLanguage,
    DCTERMS.language,
    SCHEMA.superEvent,
}
#: Properties from a whole to a part: stated by the quote of the part, printed inside it.
STATED_BY_PART = {
    CTOC.hasAgendaItem,
    CTOC.hasAnnotationParagraph,
    CTOC.hasAct,
    CTOC.hasFunction,
    CTOC.hasTimeSlot,
    CTOC.hasEntry,
    CTOC.hasOrganizationOfWork,
    DCTERMS.references,
}
_APPARATUS_PROPS = {
    CTOC.statedIn,
    CTOC.hasSourceText,
    CTOC.reportedIn,
    OA.hasBody,
    OA.hasTarget,
    OA.hasSource,
    OA.hasSelector,
}
_SYMBOL_PARTS = {
    CTOC.series,
    CTOC.subsidiaryBody,
    CTOC.symbolYear,
    CTOC.symbolSession,
    CTOC.documentType,
    CTOC.documentNumber,
    CTOC.revisionNumber,
    CTOC.revisionOf,
}


@dataclass(frozen=True)
class Classified:
    kind: str  # "stated", "derived" or "unclassified"
    quote: URIRef | None = None
    rule: str | None = None


def rule_iri(base: str, key: str) -> URIRef:
    return URIRef(f"{base}rule/{key}")


class Classifier:
    def __init__(self, ctx: Context, derived: Mapping[Triple, str]) -> None:
        self.ctx, self.g, self.derived = ctx, ctx.data, derived
        self.apparatus = self._apparatus()

    def _apparatus(self) -> set[object]:
        nodes: set[object] = set(self.g.subjects(RDF.type, CTOC.SourceText))
        for q in self.ctx.quotes:
            nodes.add(q)
            for target in self.g.objects(q, OA.hasTarget):
                nodes.add(target)
                nodes.update(self.g.objects(target, OA.hasSelector))
        return nodes

    def _paragraph(self, q: Quote) -> tuple[object, int] | None:
        text = self.ctx.texts.get(q.source)  # type: ignore[arg-type]
        if text is None or q.start is None:
            return None
        return q.source, text.rfind("\n\n", 0, q.start + 1)

    def _prefix_of_printed_symbol(self, node: Node) -> bool:
        """A document whose every quote is the head of a longer printed symbol (…/Rev.N)."""
        quotes = self.ctx.quotes_of(node)
        for q in quotes:
            text = self.ctx.texts.get(q.source)  # type: ignore[arg-type]
            if text is None or q.end is None or not text.startswith("/", q.end):
                return False
        return bool(quotes)

    def classify(self, s: Node, p: Node, o: Node) -> Classified:
        rule = self.derived.get((s, p, o))
        if rule is not None:
            return Classified("derived", rule=rule)
        if s in self.apparatus or p in _APPARATUS_PROPS:
            return Classified("derived", rule="quotation")
        if p in _SYMBOL_PARTS or (s, RDF.type, CTOC.DocumentSymbol) in self.g:
            return Classified("derived", rule="symbol-grammar")
        if self._prefix_of_printed_symbol(s):
            return Classified("derived", rule="symbol-grammar")
        if p == CTOC.interpretationLanguage and any(
            "six langues officielles" in q.exact or "six official languages" in q.exact
            for q in self.ctx.quotes_of(s)
        ):
            return Classified("derived", rule="official-languages")
        quotes = self.ctx.quotes_of(s)
        if isinstance(o, Literal):
            for q in quotes:
                if printed_in(str(o), q.exact) or (
                    o.datatype is None and normalise(str(o)) in normalise(q.exact)
                ):
                    return Classified("stated", quote=q.iri)
            if p == RDFS.label:
                return Classified("derived", rule="labelling")
            if quotes and (p in READ_FROM_QUOTE or o.datatype is not None):
                return Classified("stated", quote=quotes[0].iri)
            return Classified("unclassified")
        if p in READ_FROM_QUOTE and quotes:
            return Classified("stated", quote=quotes[0].iri)
        part_quotes = self.ctx.quotes_of(o)
        if p in STATED_BY_PART and part_quotes:
            return Classified("stated", quote=part_quotes[0].iri)
        object_quotes = self.ctx.quotes_of(o)
        paragraphs = {self._paragraph(q) for q in object_quotes} - {None}
        for q in quotes:
            if self._paragraph(q) in paragraphs:
                return Classified("stated", quote=q.iri)
        for part in self.g.objects(s, CTOC.hasAnnotationParagraph):
            for pq in self.ctx.quotes_of(part):
                if any(_within(oq, pq) for oq in object_quotes):
                    return Classified("stated", quote=pq.iri)
        return Classified("unclassified")


def _within(inner: Quote, outer: Quote) -> bool:
    """Whether ``inner`` quotes characters that ``outer`` quotes too (same source)."""
    if inner.source != outer.source or None in (inner.start, inner.end, outer.start, outer.end):
        return False
    return outer.start <= inner.start and inner.end <= outer.end  # type: ignore[operator]


def classify(ctx: Context, derived: Mapping[Triple, str] | None = None) -> dict[Triple, Classified]:
    """Every triple of ``ctx.data`` with its class; ``derived`` names the rule (a key of
    :data:`RULES`) of each triple the build added (entailments, the build's named rules)."""
    c = Classifier(ctx, derived or {})
    return {t: c.classify(*t) for t in ctx.data}


def provenance_triples(classes: dict[Triple, Classified], base: str) -> list[Triple]:
    """One ``rdf:Statement`` per stated or derived triple, with its quote or its rule, and
    the rules' descriptions."""
    out: list[Triple] = []
    for key, (label, comment) in RULES.items():
        rule = rule_iri(base, key)
        out += [
            (rule, RDF.type, CTOC.Rule),
            (rule, RDFS.label, Literal(label, lang="en")),
            (rule, RDFS.comment, Literal(comment, lang="en")),
        ]
    for (s, p, o), c in classes.items():
        if c.kind == "unclassified" or isinstance(s, BNode) or isinstance(o, BNode):
            continue
        st = statement_node(s, p, o)
        out += [(st, RDF.type, RDF.Statement), (st, RDF.subject, s)]
        out += [(st, RDF.predicate, p), (st, RDF.object, o)]
        if c.quote is not None:
            out.append((st, CTOC.statedIn, c.quote))
        if c.rule is not None:
            out.append((st, PROV.wasGeneratedBy, rule_iri(base, c.rule)))
    return out


def provenance_graph(classes: dict[Triple, Classified], base: str) -> Graph:
    """:func:`provenance_triples` as a graph."""
    g = Graph()
    for t in provenance_triples(classes, base):
        g.add(t)
    return g


def statement_node(s: Node, p: Node, o: Node) -> BNode:
    """The statement's blank node, labelled by its triple: the same data give the same dump."""
    key = "\x1f".join(t.n3() for t in (s, p, o))
    return BNode("st" + hashlib.sha256(key.encode()).hexdigest()[:24])


def statements_of(
    data: Graph, derived: Mapping[Triple, str], sources: Path, base: str
) -> list[Triple]:
    """The statements graph of one source graph (``data``, the build's additions included),
    each addition's rule named in ``derived``: what load and the release both write."""
    return provenance_triples(classify(Context(data, sources, {}), derived), base)


def summary(classes: dict[Triple, Classified]) -> dict[str, int]:
    """How many triples in each class: ``stated``, ``derived:<rule>``, ``unclassified``."""
    out: dict[str, int] = {}
    for c in classes.values():
        key = c.kind if c.rule is None else f"{c.kind}:{c.rule}"
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


__all__ = [
    "RULES",
    "Classified",
    "classify",
    "provenance_graph",
    "provenance_triples",
    "statements_of",
    "summary",
]
