"""Nothing unmarked: every triple of every source graph is stated by a quote or derived
by a rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from ctoc_kg.build import statements
from ctoc_kg.build.checks import Context
from ctoc_kg.build.load import data_files, parse_file
from ctoc_kg.config import Paths
from ctoc_kg.vocab import CTOC
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from .conftest import BASE, ROOT

SOURCES = ROOT / "data" / "sources"
WG = URIRef(BASE + "body/CTOC/COP/WG.4")
DECISION = URIRef(BASE + "body/CTOC/COP/decision/4/4")
ITEM = BASE + "body/CTOC/COP/WG.4/meeting/2009-04-14/agenda/item/"


def classified(path: Path) -> dict[statements.Triple, statements.Classified]:
    g = parse_file(path, BASE)
    return statements.classify(Context(g, SOURCES, {}))


@pytest.fixture(scope="module")
def first() -> dict[statements.Triple, statements.Classified]:
    return classified(ROOT / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl")


@pytest.mark.parametrize("path", data_files(Paths(ROOT)), ids=lambda p: p.name)
def test_every_triple_is_stated_or_derived(path: Path) -> None:
    unmarked = {t for t, c in classified(path).items() if c.kind == "unclassified"}
    assert not unmarked, sorted(map(str, unmarked))


def test_an_item_cites_the_decision_a_paragraph_of_its_annotations_prints(  # type: ignore[no-untyped-def]
    first,
) -> None:
    g = parse_file(ROOT / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl", BASE)
    ctx = Context(g, SOURCES, {})
    text = (SOURCES / "ctoc-cop-wg4-2009-agenda.fr.txt").read_text(encoding="utf-8")
    cites = {(s, c) for (s, p, o), c in first.items() if p == CTOC.cites and o == DECISION}
    assert {str(s).removeprefix(ITEM) for s, _ in cites} >= {"1b", "2", "3"}
    for _, c in cites:
        assert c.kind == "stated" and c.quote is not None
        q = ctx.quotes[c.quote]
        assert q.start is not None and q.end is not None
        assert "décision 4/4" in text[q.start : q.end]


def test_every_class_and_rule_is_used(first) -> None:  # type: ignore[no-untyped-def]
    kinds = set(statements.summary(first))
    assert {"stated", "derived:quotation", "derived:symbol-grammar"} <= kinds
    assert {"derived:official-languages", "derived:labelling"} <= kinds


def test_the_six_languages_are_derived_not_stated(first) -> None:  # type: ignore[no-untyped-def]
    langs = [c for (s, p, o), c in first.items() if p == CTOC.interpretationLanguage]
    assert len(langs) == 6 and {c.rule for c in langs} == {"official-languages"}


def test_the_base_of_a_revision_is_derived_from_the_symbol_grammar(first) -> None:  # type: ignore[no-untyped-def]
    base = URIRef(BASE + "document/CTOC/COP/2005/3")
    about = [c for (s, p, o), c in first.items() if s == base and p != CTOC.statedIn]
    assert about and {c.rule for c in about} == {"symbol-grammar"}


def test_a_title_is_stated_by_the_quote_that_prints_it(first) -> None:  # type: ignore[no-untyped-def]
    item = URIRef(BASE + "body/CTOC/COP/WG.4/meeting/2009-04-14/agenda/item/4")
    (c,) = [c for (s, p, o), c in first.items() if s == item and p == DCTERMS.title]
    assert c.kind == "stated" and c.quote is not None


def test_a_fact_no_text_states_is_unclassified() -> None:
    g = parse_file(ROOT / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl", BASE)
    invented = (WG, CTOC.coordinates, URIRef(BASE + "body/UN"))
    g.add(invented)
    assert statements.classify(Context(g, SOURCES, {}))[invented].kind == "unclassified"


def test_the_provenance_graph_names_quote_or_rule(first) -> None:  # type: ignore[no-untyped-def]
    g: Graph = statements.provenance_graph(first, BASE)
    assert len(set(g.subjects(RDF.type, CTOC.Rule))) == len(statements.RULES)
    stated = [st for st in g.subjects(RDF.type, RDF.Statement) if (st, CTOC.statedIn, None) in g]
    assert len(stated) == sum(1 for c in first.values() if c.kind == "stated")
