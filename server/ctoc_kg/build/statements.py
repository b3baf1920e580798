"""Every triple of a source graph classified: stated by a quote, or derived by a named rule.

A researcher asks "where does the text say that?" of a statement, not of a resource.
:func:`classify` answers it for each triple of a source graph:

* **stated** — a quote of the subject prints the object (a title, a text), or a quote of
  the subject and one of the object stand in the same paragraph of the source, or the
  quote of the subject is what its type, position and value are read from;
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

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from ctoc_kg.build.checks import Context, Quote, normalise, printed_in
from ctoc_kg.vocab import CTOC, OA, SCHEMA

Triple = tuple[object, object, object]

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
    def __init__(self, ctx: Context, entailed: set[Triple]) -> None:
        self.ctx, self.g, self.entailed = ctx, ctx.data, entailed
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

    def _prefix_of_printed_symbol(self, node: object) -> bool:
        """A document whose every quote is the head of a longer printed symbol (…/Rev.N)."""
        quotes = self.ctx.quotes_of(node)
        for q in quotes:
            text = self.ctx.texts.get(q.source)  # type: ignore[arg-type]
            if text is None or q.end is None or not text.startswith("/", q.end):
                return False
        return bool(quotes)

    def classify(self, s: object, p: object, o: object) -> Classified:
        if (s, p, o) in self.entailed:
            return Classified("derived", rule="entailment")
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
        paragraphs = {self._paragraph(q) for q in self.ctx.quotes_of(o)} - {None}
        for q in quotes:
            if self._paragraph(q) in paragraphs:
                return Classified("stated", quote=q.iri)
        return Classified("unclassified")


def classify(ctx: Context, entailed: set[Triple] = frozenset()) -> dict[Triple, Classified]:  # type: ignore[assignment]
    """Every triple of ``ctx.data`` with its class."""
    c = Classifier(ctx, set(entailed))
    return {t: c.classify(*t) for t in ctx.data}


def provenance_graph(classes: dict[Triple, Classified], base: str) -> Graph:
    """One ``rdf:Statement`` per stated or derived triple, with its quote or its rule."""
    g = Graph()
    for key, (label, comment) in RULES.items():
        rule = rule_iri(base, key)
        g.add((rule, RDF.type, CTOC.Rule))
        g.add((rule, RDFS.label, Literal(label, lang="en")))
        g.add((rule, RDFS.comment, Literal(comment, lang="en")))
    for (s, p, o), c in classes.items():
        if c.kind == "unclassified" or isinstance(s, BNode) or isinstance(o, BNode):
            continue
        st = BNode()
        g.add((st, RDF.type, RDF.Statement))
        g.add((st, RDF.subject, s))  # type: ignore[arg-type]
        g.add((st, RDF.predicate, p))  # type: ignore[arg-type]
        g.add((st, RDF.object, o))  # type: ignore[arg-type]
        if c.quote is not None:
            g.add((st, CTOC.statedIn, c.quote))
        if c.rule is not None:
            g.add((st, PROV.wasGeneratedBy, rule_iri(base, c.rule)))
    return g


def summary(classes: dict[Triple, Classified]) -> dict[str, int]:
    """How many triples in each class: ``stated``, ``derived:<rule>``, ``unclassified``."""
    out: dict[str, int] = {}
    for c in classes.values():
        key = c.kind if c.rule is None else f"{c.kind}:{c.rule}"
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items()))


__all__ = ["RULES", "Classified", "classify", "provenance_graph", "summary"]
