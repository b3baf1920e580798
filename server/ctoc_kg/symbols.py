"""The UN document symbol grammar, in one place.

A symbol such as ``CTOC/COP/WG.4/2009/CRP.1`` names a document across all its
language versions.  Everything that mints IRIs from symbols, stores symbol parts
as data, or checks symbols in SHACL relies on this module, so the grammar is
written once here (see shared notes: research.un.org/en/docs/symbols).

Components, separated by ``/`` and in this order::

    series        CTOC/COP, A, S, E/CN.15 ...  (root, then plain upper-case parts)
    bodies        WG.4, C.3, AC.1 ...           (subsidiary bodies: PREFIX.n)
    series type   RES, INF, NGO, PET, PRST      (document series, before or after the year)
    session|year  78 | 2009
    doc type      CRP.8, L.49, PV.3 ...         (or a plain number: 6)
    modifiers     Rev.2, Add.1, Corr.1, Amend.1, Summary (chainable)
    suffix        " (2016)" or "*"

``format(parse(s)) == s`` for every accepted ``s``; anything else raises
:class:`SymbolError` naming the offending component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SUBSIDIARY_PREFIXES = ("AC", "C", "CN", "CONF", "GC", "SC", "Sub", "WG")
NUMBERED_DOC_TYPES = ("CRP", "L", "PV", "SR", "WP", "R")
SERIES_DOC_TYPES = ("RES", "INF", "NGO", "PET", "PRST")
MODIFIER_KINDS = ("Add", "Corr", "Rev", "Amend")
SUMMARY = "Summary"

_ROOT = re.compile(r"[A-Z]{1,10}\Z")
_SERIES_PART = re.compile(r"[A-Z]{1,10}\Z")
_BODY = re.compile(r"(%s)\.([1-9]\d{0,3})\Z" % "|".join(SUBSIDIARY_PREFIXES))
_NUMBER = re.compile(r"[1-9]\d{0,5}\Z")
_DOC_TYPE = re.compile(r"(%s)\.([1-9]\d{0,5})\Z" % "|".join(NUMBERED_DOC_TYPES))
_MODIFIER = re.compile(r"(%s)\.([1-9]\d{0,3})\Z" % "|".join(MODIFIER_KINDS))
_SUFFIX_YEAR = re.compile(r"(.*) \(((?:19|20)\d\d)\)\Z")
#: A regular expression for SHACL ``sh:pattern``: the shape of a symbol, coarser
#: than :func:`parse` but enough to catch typing slips in data files.
SHACL_PATTERN = r"^[A-Z]{1,10}(/[A-Za-z0-9.]+)+( \((19|20)[0-9]{2}\))?\*?$"
MAX_LENGTH = 120


class SymbolError(ValueError):
    """A string that is not a UN document symbol; the message says why."""


@dataclass(frozen=True)
class Symbol:
    """The parts of a document symbol, as data."""

    series: str
    bodies: tuple[str, ...] = ()
    series_type: str | None = None
    series_type_first: bool = True
    year: int | None = None
    session: int | None = None
    doc_type: str | None = None
    number: int | None = None
    modifiers: tuple[tuple[str, int | None], ...] = field(default=())
    suffix_year: int | None = None
    reissued: bool = False

    def parts(self) -> dict[str, str | int | None]:
        """The parts kept as data, by the local name of the ``ctoc:`` property holding each:
        one table for the extractor that writes them and the gate that checks them."""
        return {
            "series": self.series,
            "subsidiaryBody": "/".join(self.bodies) or None,
            "symbolYear": self.year,
            "symbolSession": self.session,
            "documentType": self.doc_type or self.series_type,
            "documentNumber": self.number,
            "revisionNumber": self.revision,
        }

    @property
    def body(self) -> str | None:
        """The innermost subsidiary body (``WG.4``), if any."""
        return self.bodies[-1] if self.bodies else None

    @property
    def revision(self) -> int | None:
        """N of the last ``Rev.N`` modifier, if any."""
        revs = [n for kind, n in self.modifiers if kind == "Rev"]
        return revs[-1] if revs else None

    def base(self) -> Symbol | None:
        """The symbol this one modifies (without its last modifier), if it has one."""
        if not self.modifiers:
            return None
        return Symbol(**{**self.__dict__, "modifiers": self.modifiers[:-1]})

    def __str__(self) -> str:
        return format_symbol(self)


def format_symbol(sym: Symbol) -> str:
    """Write a :class:`Symbol` back as the string the UN prints."""
    parts = [sym.series, *sym.bodies]
    if sym.series_type and sym.series_type_first:
        parts.append(sym.series_type)
    if sym.session is not None:
        parts.append(str(sym.session))
    if sym.year is not None:
        parts.append(str(sym.year))
    if sym.series_type and not sym.series_type_first:
        parts.append(sym.series_type)
    if sym.doc_type is not None:
        parts.append(f"{sym.doc_type}.{sym.number}")
    elif sym.number is not None:
        parts.append(str(sym.number))
    for kind, n in sym.modifiers:
        parts.append(kind if n is None else f"{kind}.{n}")
    text = "/".join(parts)
    if sym.suffix_year is not None:
        text += f" ({sym.suffix_year})"
    if sym.reissued:
        text += "*"
    return text


def _is_year(token: str) -> bool:
    return len(token) == 4 and token.isdigit() and 1945 <= int(token) <= 2099


def _starts_document_part(tokens: list[str], i: int) -> bool:
    return i < len(tokens) and (
        bool(_NUMBER.match(tokens[i]) or _DOC_TYPE.match(tokens[i]))
        or tokens[i] in SERIES_DOC_TYPES
    )


def parse(text: str) -> Symbol:
    """Parse a symbol as printed; raise :class:`SymbolError` saying what is wrong."""
    if not isinstance(text, str) or not text:
        raise SymbolError("empty symbol")
    if len(text) > MAX_LENGTH:
        raise SymbolError(f"symbol longer than {MAX_LENGTH} characters")
    if text != text.strip():
        raise SymbolError("leading or trailing white space")
    if not text.isascii():
        raise SymbolError("non-ASCII character in symbol")
    rest, reissued, suffix_year = text, False, None
    if rest.endswith("*"):
        rest, reissued = rest[:-1], True
    m = _SUFFIX_YEAR.match(rest)
    if m:
        rest, suffix_year = m.group(1), int(m.group(2))
    if " " in rest or "(" in rest or ")" in rest:
        raise SymbolError("space or parenthesis outside a ' (YYYY)' suffix")
    tokens = rest.split("/")
    if any(t == "" for t in tokens):
        raise SymbolError("empty component (doubled, leading or trailing '/')")

    def where(i: int) -> str:
        return f"component {i + 1} {tokens[i]!r}"

    if not _ROOT.match(tokens[0]):
        raise SymbolError(f"{where(0)}: series root must be 1-10 upper-case letters")
    i, series = 1, [tokens[0]]
    while (
        i < len(tokens)
        and _SERIES_PART.match(tokens[i])
        and tokens[i] not in SERIES_DOC_TYPES
        and not _BODY.match(tokens[i])
    ):
        series.append(tokens[i])
        i += 1
    bodies: list[str] = []
    while i < len(tokens) and _BODY.match(tokens[i]):
        bodies.append(tokens[i])
        i += 1
    series_type, series_type_first = None, True
    if i < len(tokens) and tokens[i] in SERIES_DOC_TYPES:
        series_type = tokens[i]
        i += 1
    year = session = None
    if i < len(tokens) and tokens[i].isdigit() and _starts_document_part(tokens, i + 1):
        # a number followed by a document number or type is a session or a year
        tok = tokens[i]
        if _is_year(tok):
            year = int(tok)
        elif _NUMBER.match(tok) and len(tok) <= 3:
            session = int(tok)
        else:
            raise SymbolError(f"{where(i)}: neither a session (1-3 digits) nor a year 1945-2099")
        i += 1
    if series_type is None and i < len(tokens) and tokens[i] in SERIES_DOC_TYPES:
        series_type, series_type_first = tokens[i], False
        i += 1
    doc_type = number = None
    if i < len(tokens):
        m = _DOC_TYPE.match(tokens[i])
        if m:
            doc_type, number = m.group(1), int(m.group(2))
            i += 1
        elif _NUMBER.match(tokens[i]):
            number = int(tokens[i])
            i += 1
    if series_type is not None and number is None:
        raise SymbolError(f"series type {series_type} must be followed by a document number")
    if number is None and i < len(tokens):
        raise SymbolError(f"{where(i)}: expected a document number or type such as CRP.1")
    modifiers: list[tuple[str, int | None]] = []
    while i < len(tokens):
        tok = tokens[i]
        m = _MODIFIER.match(tok)
        if m:
            modifiers.append((m.group(1), int(m.group(2))))
        elif tok == SUMMARY:
            modifiers.append((SUMMARY, None))
        elif tok in NUMBERED_DOC_TYPES:
            raise SymbolError(f"{where(i)}: document type {tok} needs a document number ({tok}.n)")
        else:
            raise SymbolError(
                f"{where(i)}: expected a modifier (Add.n, Corr.n, Rev.n, Amend.n, Summary)"
            )
        i += 1
    if number is None and not bodies and len(series) == 1 and year is None:
        raise SymbolError("a symbol needs more than a series root")
    return Symbol(
        series="/".join(series),
        bodies=tuple(bodies),
        series_type=series_type,
        series_type_first=series_type_first,
        year=year,
        session=session,
        doc_type=doc_type,
        number=number,
        modifiers=tuple(modifiers),
        suffix_year=suffix_year,
        reissued=reissued,
    )


def is_symbol(text: str) -> bool:
    """True when ``text`` parses as a symbol."""
    try:
        parse(text)
    except SymbolError:
        return False
    return True
