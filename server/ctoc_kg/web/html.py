"""Turning RDF into what a person reads: labels, dates, safe links, grouped properties."""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from ctoc_kg.build.rules import char_link
from ctoc_kg.store.base import Row as Binding
from ctoc_kg.vocab import OA
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
        return Value(text, href=safe_href(self.svc, iri), lang=lang)

    def rows(self, subject: Node, depth: int = 0) -> list[Row]:
        by_prop: dict[str, Row] = {}
        for p, o in sorted(
            self.g.predicate_objects(subject), key=lambda po: (str(po[0]), str(po[1]))
        ):
            if p == RDFS.label and depth == 0:
                continue
            key = str(p)
            if key not in by_prop:
                en, fr = self.term_labels(key)
                by_prop[key] = Row(self.svc.curie(key), safe_href(self.svc, key), en, fr)
                by_prop[key].lang = self.lang
            v = self.value(o, depth)
            if depth == 0:
                v.why = self.why.get((p, o), [])
            by_prop[key].values.append(v)
        return sorted(by_prop.values(), key=lambda r: (r.property != "rdf:type", r.label.lower()))

    def incoming(self, resource: URIRef) -> list[Row]:
        by_prop: dict[str, Row] = {}
        for s, p in self.g.subject_predicates(resource):
            if isinstance(s, BNode):
                continue
            key = str(p)
            if key not in by_prop:
                en, fr = self.term_labels(key)
                by_prop[key] = Row(self.svc.curie(key), safe_href(self.svc, key), en, fr)
                by_prop[key].lang = self.lang
            by_prop[key].values.append(self.value(s))
        for row in by_prop.values():
            row.values.sort(key=lambda v: v.text)
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
        types = self.g.objects(resource, RDF.type)
        return [self.value(t) for t in sorted(types)]  # type: ignore[type-var]  # terms order
