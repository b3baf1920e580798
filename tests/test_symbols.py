"""The UN symbol grammar: round trips on generated symbols, refusals with reasons."""

from __future__ import annotations

import pytest
from ctoc_kg import symbols
from ctoc_kg.symbols import Symbol, SymbolError, format_symbol, parse
from hypothesis import given
from hypothesis import strategies as st

_upper = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=6)
_series_part = _upper.filter(lambda t: t not in symbols.SERIES_DOC_TYPES)
_n = st.integers(min_value=1, max_value=999)


@st.composite
def symbols_(draw: st.DrawFn) -> Symbol:
    series = "/".join(draw(st.lists(_series_part, min_size=1, max_size=3)))
    bodies = tuple(
        f"{draw(st.sampled_from(symbols.SUBSIDIARY_PREFIXES))}.{draw(_n)}"
        for _ in range(draw(st.integers(0, 2)))
    )
    series_type = draw(st.none() | st.sampled_from(symbols.SERIES_DOC_TYPES))
    when = draw(st.sampled_from(["none", "year", "session"]))
    year = draw(st.integers(1945, 2099)) if when == "year" else None
    session = draw(st.integers(1, 999)) if when == "session" else None
    series_type_first = draw(st.booleans()) if (series_type and when != "none") else True
    doc_type = draw(st.none() | st.sampled_from(symbols.NUMBERED_DOC_TYPES))
    number = draw(_n)
    modifiers = tuple(
        draw(
            st.sampled_from([(k, None) for k in [symbols.SUMMARY]])
            | st.tuples(st.sampled_from(symbols.MODIFIER_KINDS), _n)
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    return Symbol(
        series=series,
        bodies=bodies,
        series_type=series_type,
        series_type_first=series_type_first,
        year=year,
        session=session,
        doc_type=doc_type,
        number=number,
        modifiers=modifiers,
        suffix_year=draw(st.none() | st.integers(1945, 2099)),
        reissued=draw(st.booleans()),
    )


@given(symbols_())
def test_format_then_parse_gives_back_the_parts(sym: Symbol) -> None:
    assert parse(format_symbol(sym)) == sym


@given(symbols_())
def test_parse_then_format_gives_back_the_text(sym: Symbol) -> None:
    text = format_symbol(sym)
    assert format_symbol(parse(text)) == text


@given(symbols_())
def test_every_formatted_symbol_matches_the_shacl_pattern(sym: Symbol) -> None:
    import re

    assert re.match(symbols.SHACL_PATTERN, format_symbol(sym))


@pytest.mark.parametrize(
    ("text", "series", "body", "year", "session", "doc_type", "number", "revision"),
    [
        ("CTOC/COP/WG.4/2009/CRP.1", "CTOC/COP", "WG.4", 2009, None, "CRP", 1, None),
        ("CTOC/COP/2008/6", "CTOC/COP", None, 2008, None, None, 6, None),
        ("CTOC/COP/2005/3/Rev.2", "CTOC/COP", None, 2005, None, None, 3, 2),
        ("A/C.3/78/L.49/Rev.1", "A", "C.3", None, 78, "L", 49, 1),
        ("A/RES/64/294", "A", None, None, 64, None, 294, None),
        ("E/1978/1", "E", None, 1978, None, None, 1, None),
    ],
)
def test_known_symbols_split_into_their_parts(
    text: str,
    series: str,
    body: str | None,
    year: int | None,
    session: int | None,
    doc_type: str | None,
    number: int,
    revision: int | None,
) -> None:
    sym = parse(text)
    assert (sym.series, sym.body, sym.year, sym.session, sym.doc_type, sym.number) == (
        series,
        body,
        year,
        session,
        doc_type,
        number,
    )
    assert sym.revision == revision
    assert str(sym) == text


def test_resolution_with_parenthesised_year() -> None:
    sym = parse("S/RES/2273 (2016)")
    assert (sym.series, sym.series_type, sym.number, sym.suffix_year) == ("S", "RES", 2273, 2016)


def test_base_drops_the_last_modifier() -> None:
    base = parse("CTOC/COP/2006/6/Rev.1").base()
    assert base is not None and str(base) == "CTOC/COP/2006/6"
    assert parse("CTOC/COP/2006/6").base() is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("ctoc/COP/2008/6", "series root"),
        ("CTOC//2008/6", "empty component"),
        ("CTOC/COP/2008/6/", "empty component"),
        (" CTOC/COP/2008/6", "white space"),
        ("CTOC/COP/2008/6/Rev", "modifier"),
        ("CTOC/COP/2008/6/Rev.0", "modifier"),
        ("CTOC/COP/2008/6/Foo.1", "modifier"),
        ("CTOC/COP/2008/6/7", "modifier"),
        ("CTOC/COP/2008/CRP", "document number"),
        ("CTOC/COP/12345/6", "session"),
        ("S/RES", "document number"),
        ("CTOC/CÔP/2008/6", "non-ASCII"),
        ("S/RES/2273(2016)", "parenthesis"),
        ("A", "more than a series root"),
        ("A/" + "1/" * 80 + "1", "longer than"),
    ],
)
def test_malformed_symbols_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(SymbolError, match=reason):
        parse(text)


@given(st.text(max_size=40))
def test_arbitrary_text_either_parses_and_round_trips_or_is_refused(text: str) -> None:
    try:
        sym = parse(text)
    except SymbolError as exc:
        assert str(exc)
    else:
        assert format_symbol(sym) == text


def test_the_shapes_accept_every_document_type_the_grammar_knows() -> None:
    """A symbol's document type is its numbered type (``CRP``) or its series type
    (``RES``): the shape lists exactly those, so no parsed symbol is refused by it."""
    from ctoc_kg.vocab import CTOC
    from rdflib import Graph, Literal
    from rdflib.collection import Collection
    from rdflib.namespace import SH

    from .conftest import ROOT

    shapes = Graph().parse(ROOT / "shapes" / "ctoc-shapes.ttl")
    (prop,) = shapes.subjects(SH.path, CTOC.documentType)
    listed = set(Collection(shapes, shapes.value(prop, SH["in"])))
    known = {*symbols.NUMBERED_DOC_TYPES, *symbols.SERIES_DOC_TYPES}
    assert listed == {Literal(t) for t in known}
    assert parse("A/RES/55/25").parts()["documentType"] == "RES"
