"""Facts checked against the text: what shapes cannot see.

SHACL checks a graph against itself.  These checks need the source text or the symbol
grammar, and run beside pyshacl in ``ctoc-kg validate`` and in the build, reporting in
the same :class:`~ctoc_kg.build.validate.Violation` format (focus, check, path, value,
message naming the text contradicted, file).  Each catches a mistake a contributor can
make in a data file that every shape would accept:

* (quote slices and the source's SHA-256 are checked by :mod:`ctoc_kg.build.quotes`);
* ``SymbolParts`` — a symbol's parts (series, body, year, type, number, revision) do not
  agree with its notation, parsed by :mod:`ctoc_kg.symbols`;
* ``TextAsPrinted`` — a title or text differs from every quote of its resource (after
  :func:`normalise`);
* ``OperativeVerb`` — an act's type is not the one its operative verb names;
* ``ActingBody`` — an act's acting body is not the body that adopted its decision;
* ``LanguageTag`` — a literal's language tag is neither its source's language nor the
  language its quote is printed in.

Sibling order (``ctoc:order`` unique among siblings) needs no source, so it is a
SHACL-SPARQL constraint in ``shapes/``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from rdflib.term import Node

from ctoc_kg import symbols
from ctoc_kg.build.validate import Violation
from ctoc_kg.extract.lexicon import all_lexicons
from ctoc_kg.vocab import CTOC, LANG, OA, SHAPES


@functools.cache
def operative_verbs() -> dict[str, str]:
    """Operative verbs of the genre (lower case) and the act type each names: the
    extractor's lexicons (``extract/lexicon/<lang>.toml``, ``[acts.verbs]``), every
    language, so the gate checks acts by the same table that read them."""
    return {v.lower(): t for lex in all_lexicons() for v, t in lex.verbs.items()}


@functools.cache
def _verb_re() -> re.Pattern[str]:
    verbs = sorted(operative_verbs(), key=len, reverse=True)
    if not verbs:  # an empty alternation would match everywhere
        raise RuntimeError("no operative verbs: the extractor's lexicon files are missing")
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, verbs)) + r")(?!\w)", re.IGNORECASE)


#: Literals whose text the source prints, and so must equal a quote of their resource.
PRINTED = (DCTERMS.title, CTOC.text, CTOC.titleInAnnotations, CTOC.description)
#: Languages the language check can tell apart (the UN's six official languages).
DETECTABLE = ("en", "fr", "es", "ru", "ar", "zh")
#: A printed number before a title: ``1.\t``, ``1 a)``, ``a)``, ``(a)``, ``(iv)``, after an
#: optional list dash (`` - a) Ouverture``).
_NUMBER_PREFIX = re.compile(
    r"^(?:[-–—•]\s*)?(?:\d+(?:\s*\(?[a-z]\))?\.?\s*\t|\d+\.\s+|\(?(?:[a-z]|[ivx]+)\)\s+)"
)
_MARKUP = re.compile(r"</?[a-z]+>")
_OPEN = r"(?:^|[\"“«\t(]\s*|\.\s+)"
_CLOSE = r"(?=\s*[\"”».;:,(]|\s*$)"


def normalise(text: str) -> str:
    """The documented normalisation: NFC, inline markup dropped, whitespace collapsed,
    trailing list punctuation (``. ; : ,``) stripped."""
    text = _MARKUP.sub("", unicodedata.normalize("NFC", text))
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    return re.sub(r"[\s.;:,]+$", "", text)


def printed_in(value: str, quote: str) -> bool:
    """Whether ``value`` is what ``quote`` prints: the whole quote, the quote without its
    printed number, or a span of it set off by quotation marks, parentheses or a stop."""
    v = normalise(value)
    forms = {normalise(quote), normalise(_NUMBER_PREFIX.sub("", quote.lstrip()))}
    if v in forms:
        return True
    return bool(v) and any(re.search(_OPEN + re.escape(v) + _CLOSE, q) for q in forms)


@dataclass(frozen=True)
class Quote:
    iri: URIRef
    exact: str
    start: int | None
    end: int | None
    source: URIRef | None


@dataclass
class Context:
    """The graph under check, with where each subject was read from and the source texts."""

    data: Graph
    sources_dir: Path
    origins: dict[str, list[str]]

    def files(self, node: object) -> list[str]:
        return self.origins.get(str(node), [])

    @functools.cached_property
    def quotes(self) -> dict[Node, Quote]:
        out: dict[Node, Quote] = {}
        for q in self.data.subjects(RDF.type, CTOC.Quote):
            target = self.data.value(q, OA.hasTarget)
            exact, start, end = None, None, None
            for sel in self.data.objects(target, OA.hasSelector):
                if (sel, RDF.type, OA.TextQuoteSelector) in self.data:
                    exact = self.data.value(sel, OA.exact)
                if (sel, RDF.type, OA.TextPositionSelector) in self.data:
                    start, end = self.data.value(sel, OA.start), self.data.value(sel, OA.end)
            out[q] = Quote(
                q,  # type: ignore[arg-type]
                str(exact) if exact is not None else "",
                _int(start),
                _int(end),
                self.data.value(target, OA.hasSource),  # type: ignore[arg-type]
            )
        return out

    def quotes_of(self, node: Node) -> list[Quote]:
        return [self.quotes[q] for q in self.data.objects(node, CTOC.statedIn) if q in self.quotes]

    @functools.cached_property
    def texts(self) -> dict[URIRef, str | None]:
        """Each source resource's text, or None where the file is missing or not the same."""
        out: dict[URIRef, str | None] = {}
        for src in self.data.subjects(RDF.type, CTOC.SourceText):
            name = self.data.value(src, CTOC.fileName)
            path = self.sources_dir / str(name) if name is not None else None
            if path is None or "/" in str(name) or not path.is_file():
                out[src] = None  # type: ignore[index]
                continue
            raw = path.read_bytes()
            digest = hashlib.sha256(raw).hexdigest()
            same = str(self.data.value(src, CTOC.sha256)) == digest
            out[src] = raw.decode("utf-8") if same else None  # type: ignore[index]
        return out

    def language_of(self, source: Node | None) -> str | None:
        """The source's language: its own dcterms:language, else its document's where the
        document has one language only (an agenda in two languages has one IRI), else the
        file's suffix."""

        def codes(node: Node | None) -> set[str]:
            langs = self.data.objects(node, DCTERMS.language)
            return {str(x)[len(str(LANG)) :] for x in langs if str(x).startswith(str(LANG))}

        langs = codes(source)
        if not langs:
            for doc in self.data.subjects(CTOC.hasSourceText, source):
                langs |= codes(doc)
        if len(langs) == 1:
            return langs.pop()
        m = re.search(r"\.([a-z]{2})\.txt$", str(self.data.value(source, CTOC.fileName)))
        return m.group(1) if m else None


def _int(v: Any) -> int | None:
    """A literal's integer value; None for nothing or not a number."""
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _short(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _violation(
    ctx: Context, check: str, focus: object, path: object, value: object, message: str
) -> Violation:
    return Violation(
        focus=str(focus),
        shape=str(SHAPES[f"check/{check}"]),
        path=str(path) if path is not None else None,
        value=value.n3() if isinstance(value, Literal) else (str(value) if value else None),
        message=message,
        severity="Violation",
        constraint=f"{check}Check",
        files=ctx.files(focus),
    )


Check = Callable[[Context], Iterator[Violation]]


def check_sources(ctx: Context) -> Iterator[Violation]:
    """The source file a graph was read from is there, byte for byte (SHA-256, length)."""
    for src, text in ctx.texts.items():
        name = ctx.data.value(src, CTOC.fileName)
        if text is None:
            yield _violation(
                ctx,
                "QuoteSlice",
                src,
                CTOC.sha256,
                ctx.data.value(src, CTOC.sha256),
                f"the source file {name} is missing from {ctx.sources_dir} or its SHA-256 "
                "differs from the one recorded: its quotes cannot be trusted",
            )
            continue
        count = _int(ctx.data.value(src, CTOC.characterCount))
        if count is not None and count != len(text):
            yield _violation(
                ctx,
                "QuoteSlice",
                src,
                CTOC.characterCount,
                ctx.data.value(src, CTOC.characterCount),
                f"the source file {name} has {len(text)} characters, not {count}",
            )


def check_quote_slices(ctx: Context) -> Iterator[Violation]:
    """Every quote is the slice of its source that its offsets name."""
    for q in ctx.quotes.values():
        text = ctx.texts.get(q.source)  # type: ignore[arg-type]
        if text is None:
            continue  # reported on the source
        if q.start is None or q.end is None or not 0 <= q.start <= q.end <= len(text):
            yield _violation(
                ctx,
                "QuoteSlice",
                q.iri,
                OA.hasSelector,
                None,
                f"the quote's offsets {q.start}-{q.end} are not within its source "
                f"({len(text)} characters)",
            )
            continue
        printed = text[q.start : q.end]
        if printed != q.exact:
            yield _violation(
                ctx,
                "QuoteSlice",
                q.iri,
                OA.exact,
                Literal(q.exact),
                f"the source prints {_short(printed)!r} at {q.start}-{q.end}, "
                f"not the quote's exact text {_short(q.exact)!r}",
            )


def check_symbol_parts(ctx: Context) -> Iterator[Violation]:
    """A symbol's parts are those its notation parses into."""
    for sym in ctx.data.subjects(RDF.type, CTOC.DocumentSymbol):
        notation = ctx.data.value(sym, SKOS.notation)
        if notation is None:
            continue
        try:
            parsed = symbols.parse(str(notation))
        except symbols.SymbolError as exc:
            yield _violation(
                ctx, "SymbolParts", sym, SKOS.notation, notation, f"not a UN symbol: {exc}"
            )
            continue
        for name, want in parsed.parts().items():
            prop = CTOC[name]
            # every term has toPython; rdflib's Node type does not declare it
            have = [v.toPython() for v in ctx.data.objects(sym, prop)]  # type: ignore[attr-defined]
            if have != ([] if want is None else [want]):
                yield _violation(
                    ctx,
                    "SymbolParts",
                    sym,
                    prop,
                    next(iter(ctx.data.objects(sym, prop)), None),
                    f"the symbol {notation} has {_local(prop)} "
                    f"{'none' if want is None else repr(want)}, not "
                    f"{', '.join(map(repr, have)) or 'none'}",
                )


def _local(iri: object) -> str:
    return re.split(r"[/#]", str(iri))[-1]


def check_printed_text(ctx: Context) -> Iterator[Violation]:
    """A title or text the source prints equals a quote of its resource."""
    for prop in PRINTED:
        for node, value in ctx.data.subject_objects(prop):
            quotes = ctx.quotes_of(node)
            if not quotes:
                continue  # not read from a source (curated): attributed, not quoted
            if not any(printed_in(str(value), q.exact) for q in quotes):
                yield _violation(
                    ctx,
                    "TextAsPrinted",
                    node,
                    prop,
                    value,
                    f"{_local(prop)} {_short(str(value))!r} is not what the source prints: "
                    + " | ".join(repr(_short(q.exact)) for q in quotes),
                )


def verb_type(ctx: Context, quote: Quote) -> tuple[str, str] | None:
    """(verb, act type) the act's quote states: its first operative verb, else the last one
    before it in the same paragraph (``décidé que …, et qu'elle …``)."""
    verbs, verb_re = operative_verbs(), _verb_re()
    m = verb_re.search(quote.exact)
    if m:
        return m.group(1), verbs[m.group(1).lower()]
    text = ctx.texts.get(quote.source)  # type: ignore[arg-type]
    if text is None or quote.start is None:
        return None
    para_start = text.rfind("\n\n", 0, quote.start)
    before = list(verb_re.finditer(text, max(para_start, 0), quote.start))
    if not before:
        return None
    return before[-1].group(1), verbs[before[-1].group(1).lower()]


def check_operative_verb(ctx: Context) -> Iterator[Violation]:
    """An act's type is the one its operative verb names."""
    for act in ctx.data.subjects(RDF.type, CTOC.DecisionAct):
        for kind, quote in (
            (k, q) for k in ctx.data.objects(act, CTOC.actType) for q in ctx.quotes_of(act)
        ):  # every type it is given: two files may each give one
            found = verb_type(ctx, quote)
            if found is None:
                yield _violation(
                    ctx,
                    "OperativeVerb",
                    act,
                    CTOC.actType,
                    kind,
                    f"no operative verb in or before its quote {_short(quote.exact)!r}",
                )
            elif kind != CTOC[found[1]]:
                yield _violation(
                    ctx,
                    "OperativeVerb",
                    act,
                    CTOC.actType,
                    kind,
                    f"the act's type is {_local(kind)}, but its text's verb "
                    f"{found[0]!r} names {found[1]}: {_short(quote.exact)!r}",
                )


def check_acting_body(ctx: Context) -> Iterator[Violation]:
    """An act is performed by the body that adopted its decision."""
    for act, body in ctx.data.subject_objects(CTOC.actingBody):
        decisions = set(ctx.data.subjects(CTOC.hasAct, act)) | set(
            ctx.data.objects(act, DCTERMS.isPartOf)
        )
        adopters = {b for d in decisions for b in ctx.data.objects(d, CTOC.adoptedBy)}
        if adopters and body not in adopters:
            quote = next(iter(ctx.quotes_of(act)), None)
            yield _violation(
                ctx,
                "ActingBody",
                act,
                CTOC.actingBody,
                body,
                f"the act's decision was adopted by {', '.join(sorted(map(str, adopters)))}, "
                f"who performs what it states" + (f": {_short(quote.exact)!r}" if quote else ""),
            )


@functools.cache
def _detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, c.upper()) for c in DETECTABLE]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def detect(text: str, threshold: float = 0.9) -> str | None:
    """The language ``text`` is printed in, where the detector is sure (else None)."""
    if len(text) < 20:
        return None
    best = _detector().compute_language_confidence_values(text)[0]
    if best.value < threshold:
        return None
    return str(best.language.iso_code_639_1.name.lower())


def check_language_tags(ctx: Context) -> Iterator[Violation]:
    """A printed literal is tagged with the language its quote is printed in: the source's,
    unless the quote is clearly in another (a title the French text prints in English)."""
    for prop in PRINTED:
        for node, value in ctx.data.subject_objects(prop):
            if not isinstance(value, Literal) or value.language is None:
                continue
            quotes = [q for q in ctx.quotes_of(node) if printed_in(str(value), q.exact)]
            if not quotes:
                continue
            q = quotes[0]
            printed = detect(str(value)) or ctx.language_of(q.source)
            if printed and value.language.lower().split("-")[0] != printed:
                yield _violation(
                    ctx,
                    "LanguageTag",
                    node,
                    prop,
                    value,
                    f"tagged @{value.language}, but the source prints it in '{printed}': "
                    f"{_short(q.exact)!r}",
                )


#: The checks beside SHACL.  Quote slices against the source and its SHA-256 are checked
#: once, by :func:`ctoc_kg.build.quotes.check_quotes`; ``check_sources`` and
#: ``check_quote_slices`` stay here for tools that read one graph with rdflib.
CHECKS: tuple[Check, ...] = (
    check_symbol_parts,
    check_printed_text,
    check_operative_verb,
    check_acting_body,
    check_language_tags,
)


def run(data: Graph, sources_dir: Path, origins: dict[str, list[str]]) -> list[Violation]:
    """Every check over ``data``; sources are read from ``sources_dir`` by file name."""
    ctx = Context(data, sources_dir, origins)
    found = [v for check in CHECKS for v in check(ctx)]
    return sorted(found, key=lambda v: (v.focus, v.shape, v.path or "", v.message))
