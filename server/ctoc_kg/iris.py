"""Cool IRIs: readable paths derived from UN identifiers, relative to the base URI.

One function per kind of resource, so the URI patterns are written once and
the README, the extractor and the server agree on them.
"""

from __future__ import annotations

from urllib.parse import quote

from ctoc_kg.symbols import parse as parse_symbol

SAFE = "/.-*~"
#: The stem of the named graph holding the ontology: ``graph/ontology``.
ONTOLOGY_GRAPH = "ontology"


def _seg(text: str) -> str:
    return quote(text, safe=SAFE)


def document(symbol: str) -> str:
    """``document/CTOC/COP/2008/CRP.8``: a document by its symbol (checked by the grammar)."""
    parse_symbol(symbol)
    return "document/" + _seg(symbol)


def symbol(symbol: str) -> str:
    parse_symbol(symbol)
    return "symbol/" + _seg(symbol)


def body(path: str) -> str:
    """``body/CTOC/COP/WG.4``: a body under its symbol series, or a readable slug."""
    return "body/" + _seg(path)


def office(slug: str) -> str:
    return "office/" + _seg(slug)


def place(slug: str) -> str:
    return "place/" + _seg(slug)


def session(body_path: str, ordinal: int) -> str:
    return f"{body(body_path)}/session/{ordinal}"


def meeting(body_path: str, start_date: str) -> str:
    """A meeting of a body, by its first day (``…/meeting/2009-04-14``)."""
    return f"{body(body_path)}/meeting/{start_date}"


def decision(body_path: str, session_no: int, number: int) -> str:
    return f"{body(body_path)}/decision/{session_no}/{number}"


def instrument(slug: str) -> str:
    return "instrument/" + _seg(slug)


def article(instrument_iri: str, article_no: int, paragraph_no: int | None = None) -> str:
    tail = f"/article/{article_no}"
    if paragraph_no is not None:
        tail += f"/paragraph/{paragraph_no}"
    return instrument_iri + tail


def source(stem: str) -> str:
    return "source/" + _seg(stem)


def quote_(source_iri: str, start: int, end: int) -> str:
    return f"{source_iri}/quote/{start}-{end}"


def graph(stem: str) -> str:
    return "graph/" + _seg(stem)


def resolution(body_path: str, number: str) -> str:
    """``body/A/resolution/64/293``: a resolution of a body, by its number."""
    return f"{body(body_path)}/resolution/{number}"


def agenda(meeting_path: str) -> str:
    """The agenda of a meeting, whichever language version prints it."""
    return f"{meeting_path}/agenda"


def item(agenda_path: str, slug: str) -> str:
    """An agenda item by its number without spaces or parentheses (``1a``)."""
    return f"{agenda_path}/item/{_seg(slug)}"
