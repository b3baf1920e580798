"""Statements the build derives by named rules, from what the data files already say.

Each rule reads one data graph's triples and returns the triples it implies; the
build adds them to the same graph (as it does the ontology's entailments) and the
release manifest records, per rule, how many it added.  A rule never invents an
identifier: every IRI it writes is computed from an IRI or literal in the data.

``source-text``
    a source text (``ctoc:SourceText`` with a ``ctoc:fileName``) has the plain-text
    file served beside it: ``<source/S> dcterms:hasFormat <source/S.txt>``.
``quote-char-link``
    a quote whose target selects characters ``start``-``end`` of a source links to
    that span of the served text by an RFC 5147 fragment:
    ``<…/quote/Q> rdfs:seeAlso <source/S.txt#char=start,end>``.
``lexicon-names``
    a body, office, place or instrument the data name, and the genre's lexicons
    name in a language the data do not label it in, gets the lexicon's first name
    in that language as an ``rdfs:label`` (so an English reader reads English).
``undocs-link``
    a ``ctoc:Document`` whose ``dcterms:identifier`` is a UN document symbol links to
    the UN's permanent page for that symbol, ``https://undocs.org/<symbol>``, and to
    each official language's, ``https://undocs.org/<lang>/<symbol>`` (``rdfs:seeAlso``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from typing import Any
from urllib.parse import quote as percent_encode

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, RDFS

from ctoc_kg import iris
from ctoc_kg.symbols import is_symbol
from ctoc_kg.vocab import CTOC, OA

Rule = Callable[[list[ox.Triple], str], list[ox.Triple]]

_TYPE = ox.NamedNode(str(RDF.type))
_SOURCE_TEXT = ox.NamedNode(str(CTOC.SourceText))
_FILE_NAME = ox.NamedNode(str(CTOC.fileName))
_HAS_FORMAT = ox.NamedNode(str(DCTERMS.hasFormat))
_SEE_ALSO = ox.NamedNode(str(RDFS.seeAlso))
_LABEL = ox.NamedNode(str(RDFS.label))
_DOCUMENT = ox.NamedNode(str(CTOC.Document))
_IDENTIFIER = ox.NamedNode(str(DCTERMS.identifier))
_TARGET, _SOURCE = ox.NamedNode(str(OA.hasTarget)), ox.NamedNode(str(OA.hasSource))
_SELECTOR = ox.NamedNode(str(OA.hasSelector))
_START, _END = ox.NamedNode(str(OA.start)), ox.NamedNode(str(OA.end))

#: The suffix of a source text's plain-text file, after the source's IRI.
TEXT_SUFFIX = ".txt"


def text_iri(source_iri: str) -> str:
    """The IRI of the served plain text of the source named ``source_iri``."""
    return source_iri + TEXT_SUFFIX


def char_link(source_iri: str, start: int, end: int) -> str:
    """An RFC 5147 fragment IRI for characters ``start`` to ``end`` of the source's text."""
    return f"{text_iri(source_iri)}#char={start},{end}"


def _index(triples: list[ox.Triple]) -> dict[Any, dict[ox.NamedNode, list[Any]]]:
    """subject -> predicate -> objects (pyoxigraph's stubs name no union of its terms)."""
    out: dict[Any, dict[ox.NamedNode, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        out[t.subject][t.predicate].append(t.object)
    return out


def source_text(triples: list[ox.Triple], base: str) -> list[ox.Triple]:
    idx = _index(triples)
    return [
        ox.Triple(s, _HAS_FORMAT, ox.NamedNode(text_iri(s.value)))
        for s, props in idx.items()
        if isinstance(s, ox.NamedNode) and _SOURCE_TEXT in props[_TYPE] and props[_FILE_NAME]
    ]


def quote_char_link(triples: list[ox.Triple], base: str) -> list[ox.Triple]:
    idx = _index(triples)
    out: list[ox.Triple] = []
    for quote, props in list(idx.items()):
        if not isinstance(quote, ox.NamedNode):
            continue
        for target in props.get(_TARGET, []):
            tprops = idx.get(target, {})
            for src in tprops.get(_SOURCE, []):
                if not isinstance(src, ox.NamedNode):
                    continue
                for sel in tprops.get(_SELECTOR, []):
                    sp = idx.get(sel, {})
                    for start in sp.get(_START, []):
                        for end in sp.get(_END, []):
                            try:
                                s, e = int(start.value), int(end.value)
                            except ValueError:
                                continue  # not integers: the shapes report it
                            link = ox.NamedNode(char_link(src.value, s, e))
                            out.append(ox.Triple(quote, _SEE_ALSO, link))
    return out


@functools.cache
def lexicon_labels(base: str) -> dict[str, dict[str, str]]:
    """IRI -> language -> the lexicons' first name for it (bodies, offices, places,
    instruments)."""
    from ctoc_kg.extract.lexicon import all_lexicons

    out: dict[str, dict[str, str]] = defaultdict(dict)
    for lex in all_lexicons():
        for key, names in lex.body_names.items():
            b = lex.bodies.get(key)
            if b is not None and names:
                path = iris.office(b.path) if b.office else iris.body(b.path)
                out[base + path][lex.language] = names[0]
        for key, names in lex.instrument_names.items():
            i = lex.instruments.get(key)
            if i is not None and names:
                out[base + iris.instrument(i.path)][lex.language] = names[0]
        for slug, names in lex.names.get("places", {}).items():
            if names:
                out[base + iris.place(slug)][lex.language] = names[0]
    return out


def lexicon_names(triples: list[ox.Triple], base: str) -> list[ox.Triple]:
    names = lexicon_labels(base)
    labelled: dict[str, set[str]] = defaultdict(set)
    named: set[str] = set()
    for t in triples:
        for term in (t.subject, t.object):
            if isinstance(term, ox.NamedNode) and term.value in names:
                named.add(term.value)
        if t.predicate == _LABEL and isinstance(t.object, ox.Literal):
            labelled[t.subject.value].add(t.object.language or "")  # type: ignore[union-attr]
    return [
        ox.Triple(ox.NamedNode(iri), _LABEL, ox.Literal(text, language=lang))
        for iri in sorted(named)
        for lang, text in sorted(names[iri].items())
        if lang not in labelled[iri]
    ]


#: The UN's official languages, in the codes undocs.org takes.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
UNDOCS = "https://undocs.org/"


def undocs_url(symbol: str, lang: str | None = None) -> str:
    """The UN's permanent address of the document ``symbol`` names (in ``lang``)."""
    path = percent_encode(symbol, safe="/.-()*")
    return f"{UNDOCS}{lang}/{path}" if lang else UNDOCS + path


def undocs_link(triples: list[ox.Triple], base: str) -> list[ox.Triple]:
    idx = _index(triples)
    out: list[ox.Triple] = []
    for doc, props in idx.items():
        if not isinstance(doc, ox.NamedNode) or _DOCUMENT not in props.get(_TYPE, []):
            continue
        for ident in props.get(_IDENTIFIER, []):
            if isinstance(ident, ox.Literal) and is_symbol(ident.value):
                out.append(ox.Triple(doc, _SEE_ALSO, ox.NamedNode(undocs_url(ident.value))))
                out += [
                    ox.Triple(doc, _SEE_ALSO, ox.NamedNode(undocs_url(ident.value, lang)))
                    for lang in UN_LANGUAGES
                ]
    return out


#: Every rule the build applies, by name, in order.
RULES: dict[str, Rule] = {
    "source-text": source_text,
    "quote-char-link": quote_char_link,
    "lexicon-names": lexicon_names,
    "undocs-link": undocs_link,
}


def derive(triples: list[ox.Triple], base: str) -> dict[ox.Triple, str]:
    """What the rules derive from ``triples`` and is not in them, each with its rule's name
    (the first rule to derive it), in the order the rules run."""
    seen = set(triples)
    out: dict[ox.Triple, str] = {}
    for name, rule in RULES.items():
        for t in rule(triples, base):
            if t not in seen:
                seen.add(t)
                out[t] = name
    return out


def apply(
    triples: list[ox.Triple], base: str, counts: dict[str, int] | None = None
) -> list[ox.Triple]:
    """``triples`` plus what every rule derives from them (no duplicates); ``counts`` per rule."""
    derived = derive(triples, base)
    if counts is not None:
        tally(derived, counts)
    return [*triples, *derived]


def tally(derived: dict[ox.Triple, str], counts: dict[str, int]) -> None:
    """Add to ``counts`` how many of ``derived`` each rule made (every rule named, even at 0)."""
    for name in RULES:
        counts.setdefault(name, 0)
    for name in derived.values():
        counts[name] += 1
