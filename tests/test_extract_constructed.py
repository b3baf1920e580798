"""The constructed agendas: every fact their expected files state, read by the extractor.

The agendas (one French, one English) are read from the shared folder, never
copied into data/.  Expected values come from ``<file>.expected.json``; the
graph is checked against them, and against the first agenda for the things
both name (a document symbol, decision 4/4).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from ctoc_kg.extract import extract_file
from ctoc_kg.queries import read
from ctoc_kg.vocab import CTOC, LANG, SCHEMA
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .conftest import BASE, ROOT, SHARED, SOURCE

CONSTRUCTED = SHARED / "sources" / "constructed"
FILES = sorted(CONSTRUCTED.glob("*.txt")) if CONSTRUCTED.is_dir() else []
C = CTOC
#: The addressees the expected files name, by the IRIs the contract gives them.
ADDRESSEES = {
    "States parties": URIRef(BASE + "body/states-parties"),
    "Secretariat": URIRef(BASE + "body/CTOC/COP/secretariat"),
}
pytestmark = pytest.mark.skipif(not FILES, reason="shared/ is not beside this checkout")


def norm(number: str) -> str:
    return re.sub(r"[\s()]", "", number)


def one(g: Graph, s: object, p: URIRef) -> object:
    values = list(g.objects(s, p))  # type: ignore[arg-type]
    assert len(values) == 1, (s, p, values)
    return values[0]


@pytest.fixture(scope="module", params=[f.name for f in FILES])
def case(request: pytest.FixtureRequest) -> tuple[dict, Graph, str]:  # type: ignore[type-arg]
    path = CONSTRUCTED / request.param
    expected = json.loads(Path(f"{path}.expected.json").read_text(encoding="utf-8"))
    result = extract_file(path, BASE)
    assert result.coverage.share >= 0.95
    assert not result.problems, [str(p) for p in result.problems]
    return expected, result.graph, path.read_text(encoding="utf-8")


def agenda_of(g: Graph) -> URIRef:
    (agenda,) = g.subjects(RDF.type, C.AnnotatedAgenda)
    return agenda  # type: ignore[return-value]


def by_identifier(g: Graph, symbol: str) -> URIRef:
    (doc,) = {
        s
        for s in g.subjects(DCTERMS.identifier, None)
        if str(one(g, s, DCTERMS.identifier)) == symbol
    }
    return doc  # type: ignore[return-value]


def test_masthead(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, _ = case
    agenda = agenda_of(g)
    assert str(one(g, agenda, DCTERMS.identifier)) == expected["symbol"]
    assert one(g, agenda, DCTERMS.issued).toPython().isoformat() == expected["distribution_date"]  # type: ignore[attr-defined]
    assert one(g, agenda, C.originalLanguage) == LANG[expected["original_language"]]
    assert one(g, agenda, DCTERMS.language) == LANG[expected["language"]]


def test_meeting(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, _ = case
    meeting = one(g, agenda_of(g), C.forMeeting)
    m = expected["meeting"]
    body = one(g, meeting, C.meetingOf)
    assert str(one(g, body, SKOS.notation)) == expected["body"]
    place = one(g, meeting, SCHEMA.location)
    assert str(one(g, place, RDFS.label)) == m["place"]
    assert one(g, meeting, SCHEMA.startDate).toPython().isoformat() == m["start"]  # type: ignore[attr-defined]
    assert one(g, meeting, SCHEMA.endDate).toPython().isoformat() == m["end"]  # type: ignore[attr-defined]
    assert one(g, meeting, C.openingTime).toPython().isoformat() == m["opening"]  # type: ignore[attr-defined]
    session = m["session"]
    assert ((meeting, RDF.type, C.Session) in g) == (session is not None)


def test_items_in_order(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, _ = case
    items = sorted(g.objects(agenda_of(g), C.hasAgendaItem), key=lambda i: int(one(g, i, C.order)))  # type: ignore[call-overload]
    got = [(norm(str(one(g, i, SKOS.notation))), str(one(g, i, DCTERMS.title))) for i in items]
    assert got == [(norm(i["number"]), i["title"]) for i in expected["items"]]
    printed = [str(one(g, i, SKOS.notation)) for i in items]
    assert printed == [i["number"] for i in expected["items"]]  # as printed in its language


def test_documents_per_item_and_titles(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, _ = case
    items = {
        norm(str(one(g, i, SKOS.notation))): i for i in g.objects(agenda_of(g), C.hasAgendaItem)
    }
    listed = {}
    for item_no, item in items.items():
        docs = [str(one(g, d, DCTERMS.identifier)) for d in g.objects(item, DCTERMS.references)]
        if docs:
            listed[item_no] = sorted(docs)
    assert listed == {norm(k): sorted(v) for k, v in expected["documents"].items()}
    for symbol, title in expected["document_titles"].items():
        doc = by_identifier(g, symbol)
        assert title in {str(t) for t in g.objects(doc, DCTERMS.title)}


def test_revisions_addenda_corrigenda(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, _ = case
    for symbol, base, n in expected["revisions"]:
        doc = by_identifier(g, symbol)
        assert str(one(g, one(g, doc, C.revisionOf), DCTERMS.identifier)) == base
        assert int(one(g, one(g, doc, C.symbol), C.revisionNumber)) == n  # type: ignore[call-overload]
    for key, prop, number in (
        ("addenda", C.addendumTo, C.addendumNumber),
        ("corrigenda", C.corrigendumTo, C.corrigendumNumber),
    ):
        found = {
            (str(one(g, d, DCTERMS.identifier)), str(one(g, b, DCTERMS.identifier)))
            for d, b in g.subject_objects(prop)
        }
        assert found == {(s, b) for s, b, _, _ in expected[key]}
        for symbol, _, _, n in expected[key]:
            assert int(one(g, one(g, by_identifier(g, symbol), C.symbol), number)) == n  # type: ignore[call-overload]


def test_slots(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, _ = case
    got = []
    for slot in sorted(g.subjects(RDF.type, C.TimeSlot), key=lambda s: int(one(g, s, C.order))):  # type: ignore[call-overload]
        entries = sorted(g.objects(slot, C.hasEntry), key=lambda e: int(one(g, e, C.order)))  # type: ignore[call-overload]
        got.append(
            {
                "start": one(g, slot, SCHEMA.startDate).toPython().isoformat(),  # type: ignore[attr-defined]
                "end": one(g, slot, SCHEMA.endDate).toPython().isoformat(),  # type: ignore[attr-defined]
                "items": [norm(str(one(g, one(g, e, C.item), SKOS.notation))) for e in entries],
            }
        )
    assert got == [{**s, "items": [norm(i) for i in s["items"]]} for s in expected["slots"]]


def test_decisions_cited(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, _ = case
    cited = {
        str(one(g, d, SKOS.notation))
        for d in g.objects(None, C.cites)
        if (d, RDF.type, C.Decision) in g
    }
    assert sorted(cited) == sorted(expected["decisions_cited"])


def test_acts_in_order_with_type_and_addressee(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, text = case
    acts = sorted(
        g.subjects(RDF.type, C.DecisionAct), key=lambda a: text.index(str(one(g, a, C.text)))
    )
    got = []
    for a in acts:
        addressees = list(g.objects(a, C.addressee))
        assert len(addressees) <= 1
        got.append(
            (
                str(one(g, one(g, a, DCTERMS.isPartOf), SKOS.notation)),
                str(one(g, a, C.actType)).rsplit("/", 1)[1],
                addressees[0] if addressees else None,
            )
        )
        assert one(g, a, C.actingBody) == URIRef(BASE + "body/CTOC/COP")
    assert got == [
        (x["decision"], x["type"], ADDRESSEES[x["addressee"]] if x["addressee"] else None)
        for x in expected["acts"]
    ]


def test_cq13_and_cq14_answer_from_the_source_graph(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, text = case
    rows = list(g.query(read(ROOT / "queries" / "cq13-meetings.rq").with_base(BASE)))
    m = expected["meeting"]
    assert [
        (str(r[0]), str(r[1]), r[2].toPython().isoformat(), r[3].toPython().isoformat())
        for r in rows
    ] == [  # type: ignore[index, union-attr]
        (expected["body"], m["place"], m["start"], m["end"])
    ]
    rows = list(g.query(read(ROOT / "queries" / "cq14-decisions-cited.rq").with_base(BASE)))
    assert {str(r[0]) for r in rows} >= set(expected["decisions_cited"])  # type: ignore[index]
    for decision, item in ((str(r[0]), str(r[1])) for r in rows):  # type: ignore[index]
        heading = next(i["title"] for i in expected["items"] if i["number"] == item)
        assert heading and decision in text


def test_cq01_on_the_source_graph_prints_the_items_in_its_language(case) -> None:  # type: ignore[no-untyped-def]
    expected, g, _ = case
    rows = list(g.query(read(ROOT / "queries" / "cq01-agenda-items.rq").with_base(BASE)))
    assert [(str(r[0]), str(r[1])) for r in rows] == [
        (i["number"], i["title"]) for i in expected["items"]
    ]  # type: ignore[index]
    assert {r[1].language for r in rows} == {expected["language"]}  # type: ignore[index, union-attr]


def test_one_iri_across_documents() -> None:
    seed = extract_file(SOURCE, BASE).graph
    french = extract_file(CONSTRUCTED / "ctoc-cop-wg4-2010-agenda.fr.txt", BASE).graph
    decision = URIRef(BASE + "body/CTOC/COP/decision/4/4")
    for g in (seed, french):
        assert (decision, RDF.type, C.Decision) in g
        assert str(one(g, decision, SKOS.notation)) == "4/4"
    for symbol in ("CTOC/COP/2006/6/Rev.1", "CTOC/COP/2008/9"):
        assert (
            by_identifier(seed, symbol)
            == by_identifier(french, symbol)
            == URIRef(BASE + "document/" + symbol)
        )
    # the same body meets in both, and both report acts of 4/4, each its own report
    wg = URIRef(BASE + "body/CTOC/COP/WG.4")
    assert one(seed, one(seed, agenda_of(seed), C.forMeeting), C.meetingOf) == wg
    assert one(french, one(french, agenda_of(french), C.forMeeting), C.meetingOf) == wg
    seed_acts = set(seed.objects(decision, C.hasAct))
    french_acts = set(french.objects(decision, C.hasAct))
    assert seed_acts and french_acts and not seed_acts & french_acts


def test_coverage_of_every_source() -> None:
    for path in [*sorted((ROOT / "data" / "sources").glob("*.txt")), *FILES]:
        cov = extract_file(path, BASE).coverage
        assert cov.share >= 0.95, (path.name, cov.share, cov.unread)
