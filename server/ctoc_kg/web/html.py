"""Turning RDF into what a person reads: labels, dates, safe links, grouped properties."""

from __future__ import annotations

import builtins
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD
from rdflib.term import Node

from ctoc_kg.build.rules import char_link
from ctoc_kg.store.base import Row as Binding
from ctoc_kg.vocab import CTOC, OA
from ctoc_kg.web.entailed import Pair, fold
from ctoc_kg.web.i18n import pick
from ctoc_kg.web.services import Services

SAFE_SCHEMES = {"http", "https", "mailto"}
MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


@dataclass
class Value:
    text: str
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None
    machine: str | None = None  # for <time datetime=...>
    nested: list[tuple[str, list[Value]]] | None = None
    #: where the text says so: the quotes that state this value, or the rules that derive it
    why: list[Why] = field(default_factory=list)
    #: the linked resource's own text or title, when its label does not already say it
    body: str | None = None
    body_lang: str | None = None
    #: for a class: the broader classes its instances belong to by entailment (folded)
    implied: list[Value] = field(default_factory=list)


@dataclass(frozen=True)
class Why:
    """One quote stating a property value (its text, shortened) or one rule deriving it."""

    kind: str  # "quote" or "rule"
    text: str
    href: str | None
    start: int | None = None
    end: int | None = None


@dataclass
class Row:
    property: str
    href: str | None
    label_en: str
    label_fr: str
    values: list[Value] = field(default_factory=list)
    #: the reader's language: the property's name in it comes first
    lang: str = "en"
    #: values of this row repeated elsewhere, shown folded: under broader properties
    #: (entailed), or for links pointing here, as values already listed above
    folded: list[Folded] = field(default_factory=list)

    @builtins.property  # the field `property` hides the builtin here
    def label(self) -> str:
        return self.label_fr if self.lang == "fr" else self.label_en

    @builtins.property  # the field `property` hides the builtin here
    def other_label(self) -> str:
        return self.label_en if self.lang == "fr" else self.label_fr

    @builtins.property  # the field `property` hides the builtin here
    def other_lang(self) -> str:
        return "en" if self.lang == "fr" else "fr"


@dataclass
class Folded:
    """Values a row repeats under another property, shown once and folded beneath it."""

    kind: str  # "entailed": the same values under a broader property; "above": listed above
    row: Row


@dataclass
class QuoteView:
    exact: str
    start: int
    end: int
    href: str | None
    #: the quoted characters in the served source text (an RFC 5147 fragment)
    text_href: str | None = None


def safe_href(svc: Services, iri: str) -> str | None:
    """A link target: local IRIs as paths; others only for http, https and mailto."""
    if svc.is_local(iri):
        return svc.local_path(iri)
    scheme = urlsplit(iri).scheme.lower()
    return iri if scheme in SAFE_SCHEMES else None


def human_date(value: Literal) -> tuple[str, str]:
    """(text for people, machine value) for xsd:date / xsd:dateTime literals."""
    v = value.toPython()
    if isinstance(v, dt.datetime):
        fr = f"{v.day} {MONTHS_FR[v.month - 1]} {v.year}, {v:%H:%M}"
        return f"{v:%A %-d %B %Y, %H:%M} · {fr}", v.isoformat()
    if isinstance(v, dt.date):
        fr = f"{v.day} {MONTHS_FR[v.month - 1]} {v.year}"
        return f"{v:%A %-d %B %Y} · {fr}", v.isoformat()
    return str(value), str(value)


#: A quote beside a value is cut to this many characters (the link leads to the whole).
SHORT_QUOTE = 120


#: A list marker a printed line opens with, and separators a printed list item ends with:
#: the source's punctuation between items, stray once the item stands alone on a page.
LIST_MARKER = re.compile(r"^\s*[-–—•]\s+")
NAME_END = re.compile(r"\s*[;,:]+\s*$")
BODY_END = re.compile(r"\s*[;,]+\s*$")


def tidy_name(text: str) -> str:
    """A label as a name or title: without the list marker or separator printed around it."""
    return NAME_END.sub("", LIST_MARKER.sub("", text)) or text


def tidy_body(text: str) -> str:
    """A paragraph shown as an item of a list: without the separator ending it in print
    (a colon stays: it announces what follows)."""
    return BODY_END.sub("", LIST_MARKER.sub("", text)) or text


def flat(text: str) -> str:
    """``text`` on one line, for comparing what two strings say."""
    return " ".join(text.split()).casefold()


def short(text: str, n: int = SHORT_QUOTE) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


class Renderer:
    """Builds the view of one resource's description."""

    def __init__(
        self, svc: Services, graph: Graph, lang: str = "en", why: list[Binding] | None = None
    ) -> None:
        self.svc = svc
        self.g = graph
        self.lang = lang
        self.why = self._why(why or [])

    def _why(self, rows: list[Binding]) -> dict[tuple[Node, Node], list[Why]]:
        """(property, value) -> the quotes and rules of the statements about the resource."""
        out: dict[tuple[Node, Node], list[Why]] = {}
        for row in rows:
            key = (row["p"], row["o"])
            if "exact" in row:
                start, end = int(row["start"]), int(row["end"])  # type: ignore[call-overload]
                src = row.get("src")
                href = safe_href(self.svc, char_link(str(src), start, end)) if src else None
                note = Why("quote", short(str(row["exact"])), href, start, end)
            elif "rule" in row:
                label = str(row.get("ruleLabel") or self.svc.curie(str(row["rule"])))
                note = Why("rule", label, safe_href(self.svc, str(row["rule"])))
            else:
                continue
            if note not in out.setdefault(key, []):
                out[key].append(note)
        for notes in out.values():
            notes.sort(key=lambda w: (w.kind, w.start or 0, w.text))
        return out

    def label(self, node: Node) -> str:
        return self.label_lang(node)[0]

    def label_lang(self, node: Node) -> tuple[str, str | None]:
        """The label in the reader's language if there is one, and the language shown."""
        labels: dict[str, str] = {}
        for lbl in sorted(self.g.objects(node, RDFS.label)):  # type: ignore[type-var]  # terms order
            labels.setdefault(getattr(lbl, "language", None) or "", str(lbl))
        if not labels:
            labels = self.svc.labels.get(str(node), {})
        found = pick(labels, self.lang)
        if found is None:
            return self.svc.curie(str(node)), None
        return found[0], found[1] or None

    def term_labels(self, iri: str) -> tuple[str, str]:
        known = self.svc.labels.get(iri, {})
        curie = self.svc.curie(iri)
        return known.get("en", curie), known.get("fr", known.get("en", curie))

    def value(self, node: Node, depth: int = 0) -> Value:
        if isinstance(node, Literal):
            if node.datatype in (XSD.date, XSD.dateTime):
                text, machine = human_date(node)
                return Value(text, datatype=self.svc.curie(str(node.datatype)), machine=machine)
            dtype = self.svc.curie(str(node.datatype)) if node.datatype else None
            return Value(str(node), lang=node.language, datatype=dtype)
        if isinstance(node, BNode):
            nested = self.rows(node, depth + 1) if depth < 3 else []
            return Value("[ ]", nested=[(r.label, r.values) for r in nested])
        iri = str(node)
        text, lang = self.label_lang(node)
        body, body_lang = self.body(node, text)
        return Value(
            tidy_name(text),
            href=safe_href(self.svc, iri),
            lang=lang,
            body=tidy_body(body) if body else None,
            body_lang=body_lang,
        )

    def body(self, node: Node, label: str) -> tuple[str | None, str | None]:
        """A linked resource's text (an act's, a paragraph's) or else its title (a
        document's), in the reader's language; none when the label already says it."""
        for prop in (CTOC.text, DCTERMS.title):
            texts = {getattr(t, "language", None) or "": str(t) for t in self.g.objects(node, prop)}
            found = pick(texts, self.lang)
            if found is not None:
                if flat(found[0]) in flat(label):
                    return None, None
                return found[0], found[1] or None
        return None, None

    def position(self, prop: Node, node: Node) -> tuple[int, int]:
        """Where a value comes in the document: its printed order (``ctoc:order``), else
        where the source text prints it (the quote it is, or the quote stating it)."""
        order = self.g.value(node, CTOC.order) if not isinstance(node, Literal) else None
        if isinstance(order, Literal) and isinstance(order.toPython(), int):
            return 0, order.toPython()
        own = self._quote_start(node)
        if own is not None:
            return 1, own
        starts = [w.start for w in self.why.get((prop, node), []) if w.start is not None]
        if starts:
            return 1, min(starts)
        return 2, 0

    def _quote_start(self, quote: Node) -> int | None:
        for t in self.g.objects(quote, OA.hasTarget):
            for sel in self.g.objects(t, OA.hasSelector):
                start = self.g.value(sel, OA.start)
                if isinstance(start, Literal):
                    return int(start)
        return None

    def _row(self, prop: Node, rows: dict[str, Row]) -> Row:
        key = str(prop)
        if key not in rows:
            en, fr = self.term_labels(key)
            rows[key] = Row(self.svc.curie(key), safe_href(self.svc, key), en, fr, lang=self.lang)
        return rows[key]

    def _in_order(self, placed: list[tuple[Pair, Value]]) -> list[Value]:
        """Values in the order the document prints them, then by their text."""
        keyed = [(self.position(p, o), v.text, i, v) for i, ((p, o), v) in enumerate(placed)]
        return [v for *_, v in sorted(keyed, key=lambda k: k[:3])]

    def _fill(self, by_prop: dict[str, Row], placed: dict[str, list[tuple[Pair, Value]]]) -> None:
        for key, values in placed.items():
            by_prop[key].values = self._in_order(values)

    def rows(self, subject: Node, depth: int = 0) -> list[Row]:
        pairs: list[Pair] = [
            (p, o)
            for p, o in self.g.predicate_objects(subject)
            if not (p == RDFS.label and depth == 0)
        ]
        folded = fold(pairs, self.svc.hierarchy)
        by_prop: dict[str, Row] = {}
        placed: dict[str, list[tuple[Pair, Value]]] = {}
        shown: dict[Pair, Value] = {}
        for p, o in pairs:
            if (p, o) in folded:
                continue
            v = self.value(o, depth)
            if depth == 0:
                v.why = self._why_beside(self.why.get((p, o), []), v)
            self._row(p, by_prop)
            placed.setdefault(str(p), []).append(((p, o), v))
            shown[(p, o)] = v
        self._fill(by_prop, placed)
        extra: dict[tuple[str, str], list[tuple[Pair, Value]]] = {}
        for (p, o), narrow in folded.items():
            if p == RDF.type:  # a broader class: beside the class that implies it
                shown[narrow].implied.append(self.value(o))
                shown[narrow].implied.sort(key=lambda v: v.text.lower())
            else:  # a broader property: beneath the row of the property stated
                extra.setdefault((str(narrow[0]), str(p)), []).append(((p, o), self.value(o)))
        self._attach(by_prop, extra, "entailed")
        return sorted(by_prop.values(), key=lambda r: (r.property != "rdf:type", r.label.lower()))

    def _attach(
        self,
        by_prop: dict[str, Row],
        extra: dict[tuple[str, str], list[tuple[Pair, Value]]],
        kind: str,
    ) -> None:
        """Fold ``extra`` values ((row property, their property) -> values) beneath rows."""
        for (row_key, prop), values in sorted(extra.items()):
            host = self._row(URIRef(row_key), by_prop)
            sub = self._row(URIRef(prop), {})
            sub.values = self._in_order(values)
            for v in sub.values:  # a reminder: the text is shown where the value is
                v.body = None
            host.folded.append(Folded(kind, sub))

    def _why_beside(self, notes: list[Why], v: Value) -> list[Why]:
        """The notes beside a value; a quote repeating the text shown keeps only its link."""
        if not v.body:
            return notes
        body = flat(v.body)
        return [
            replace(w, text="")
            if w.kind == "quote" and (flat(w.text).rstrip("…") in body or body in flat(w.text))
            else w
            for w in notes
        ]

    def incoming(self, resource: URIRef) -> list[Row]:
        pairs: list[Pair] = [
            (p, s) for s, p in self.g.subject_predicates(resource) if not isinstance(s, BNode)
        ]
        folded = fold(pairs, self.svc.hierarchy, classes=False)
        above = set(self.g.objects(resource, None))
        by_prop: dict[str, Row] = {}
        placed: dict[str, list[tuple[Pair, Value]]] = {}
        extra: dict[tuple[str, str], list[tuple[Pair, Value]]] = {}
        repeated: dict[tuple[str, str], list[tuple[Pair, Value]]] = {}
        for p, s in pairs:
            if (p, s) in folded:
                narrow = folded[(p, s)][0]
                extra.setdefault((str(narrow), str(p)), []).append(((p, s), self.value(s)))
            elif s in above:  # listed among the resource's own values already
                repeated.setdefault((str(p), str(p)), []).append(((p, s), self.value(s)))
                self._row(p, by_prop)
            else:
                self._row(p, by_prop)
                placed.setdefault(str(p), []).append(((p, s), self.value(s)))
        self._fill(by_prop, placed)
        self._attach(by_prop, repeated, "above")
        self._attach(by_prop, extra, "entailed")
        return sorted(by_prop.values(), key=lambda r: r.label.lower())

    def quotes(self, resource: URIRef) -> list[QuoteView]:
        out = []
        for q in self.g.objects(resource, URIRef(self.svc.prefixes["ctoc"] + "statedIn")):
            exact, start, end, src = None, None, None, None
            for t in self.g.objects(q, OA.hasTarget):
                src = self.g.value(t, OA.hasSource) or src
                for sel in self.g.objects(t, OA.hasSelector):
                    if (sel, OA.exact, None) in self.g:
                        exact = str(self.g.value(sel, OA.exact))
                    if (sel, OA.start, None) in self.g:
                        start = int(self.g.value(sel, OA.start))  # type: ignore[call-overload]
                        end = int(self.g.value(sel, OA.end))  # type: ignore[call-overload]
            if exact is not None and start is not None and end is not None:
                link = char_link(str(src), start, end) if src is not None else None
                text_href = safe_href(self.svc, link) if link else None
                out.append(QuoteView(exact, start, end, safe_href(self.svc, str(q)), text_href))
        return sorted(out, key=lambda q: q.start)

    def types(self, resource: URIRef) -> list[Value]:
        """The resource's most specific classes (the broader ones are entailed by them)."""
        pairs: list[Pair] = [(RDF.type, t) for t in self.g.objects(resource, RDF.type)]
        folded = fold(pairs, self.svc.hierarchy)
        types = sorted(t for p, t in pairs if (p, t) not in folded)  # type: ignore[type-var]
        return [self.value(t) for t in types]
