"""Competency queries, run on the built store, answered as the source text says."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from ctoc_kg.queries import all_queries, read
from ctoc_kg.store import Store
from rdflib import Literal
from rdflib.namespace import XSD

from . import sourcetext
from .conftest import BASE, ROOT

MONTHS = {"avril": 4, "octobre": 10, "mars": 3}
CONTRACT = {
    "cq01-agenda-items": ["number", "title"],
    "cq02-item-documents": ["number", "symbol"],
    "cq03-establishing-decision": ["number", "title", "session", "place", "start", "end"],
    "cq04-legal-basis": ["instrument", "article", "paragraph"],
    "cq05-functions": ["number", "text"],
    "cq06-schedule": ["start", "end", "number"],
    "cq07-revisions": ["symbol", "base", "revision"],
    "cq13-meetings": ["body", "place", "start", "end"],
    "cq14-decisions-cited": ["decision", "item"],
}


def run(store: Store, name: str) -> list[dict[str, Literal]]:
    return store.select(read(ROOT / "queries" / f"{name}.rq").with_base(BASE))  # type: ignore[return-value]


def values(rows: list[dict[str, Literal]], *names: str) -> list[tuple[object, ...]]:
    return [tuple(r[n].toPython() for n in names) for r in rows]


def test_every_query_states_its_question() -> None:
    queries = all_queries(ROOT / "queries")
    assert len(queries) >= 10
    assert all(q.question.endswith("?") for q in queries)


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_output_variables_are_the_contract(name: str) -> None:
    text = read(ROOT / "queries" / f"{name}.rq").text
    select = re.search(r"SELECT\s+(.*?)\s+WHERE", text, re.S)
    assert select and select.group(1).split() == [f"?{v}" for v in CONTRACT[name]]


def test_every_query_answers(store: Store) -> None:
    for q in all_queries(ROOT / "queries"):
        assert store.select(q.with_base(BASE)), f"{q.name} returned no row"


def test_cq01_agenda_items(store: Store, source_text: str) -> None:
    rows = run(store, "cq01-agenda-items")
    assert values(rows, "number", "title") == sourcetext.agenda_list(source_text)
    assert all(r["title"].language == "fr" for r in rows)


def test_cq02_item_documents(store: Store, source_text: str) -> None:
    expected = sorted((n, s) for n, _, s in sourcetext.documentation(source_text))
    assert sorted(values(run(store, "cq02-item-documents"), "number", "symbol")) == expected


def test_cq03_establishing_decision(store: Store, source_text: str) -> None:
    d = re.search(r"décision (\d+/\d+), intitulée \"([^\"]+)\"", source_text)
    s = re.search(
        r"à sa quatrième session, tenue à (\w+) du (\d+) au (\d+) (\w+) (\d{4})", source_text
    )
    assert d and s
    (row,) = run(store, "cq03-establishing-decision")
    month, year = MONTHS[s[4]], int(s[5])
    assert values([row], "number", "title", "session", "place", "start", "end") == [
        (d[1], d[2], 4, s[1], dt.date(year, month, int(s[2])), dt.date(year, month, int(s[3])))
    ]
    assert row["start"].datatype == XSD.date and row["session"].datatype == XSD.integer


def test_cq04_legal_basis(store: Store, source_text: str) -> None:
    printed = re.findall(
        r"paragraphe (\d+) de l'article (\d+) de (la Convention|son règlement)", source_text
    )
    assert len(printed) == 2
    rows = run(store, "cq04-legal-basis")
    got = {(r["article"].toPython(), r["paragraph"].toPython()) for r in rows}
    assert got == {(int(a), int(p)) for p, a, _ in printed}
    assert all(r["article"].datatype == XSD.integer for r in rows)
    names = {str(r["instrument"]) for r in rows}
    assert names == {
        "Convention des Nations Unies contre la criminalité transnationale organisée",
        "règlement intérieur",
    }
    assert all(n in source_text for n in names)


def test_cq05_functions(store: Store, source_text: str) -> None:
    printed = re.findall(r"^(i{1,3})\) (.+?)[;.]$", source_text, re.M)
    assert values(run(store, "cq05-functions"), "number", "text") == printed


def test_cq06_schedule(store: Store, source_text: str) -> None:
    year = int(re.search(r"avril (\d{4})", source_text)[1])  # type: ignore[index]
    expected = []
    for day, hours, number, _ in sourcetext.annex_rows(source_text):
        d = int(day.split()[1])
        h1, h2 = (int(h) for h in re.findall(r"(\d+) heures", hours))
        expected.append((dt.datetime(year, 4, d, h1), dt.datetime(year, 4, d, h2), number))
    rows = run(store, "cq06-schedule")
    assert values(rows, "start", "end", "number") == expected
    assert all(r["start"].datatype == XSD.dateTime for r in rows)


def test_cq07_revisions(store: Store, source_text: str) -> None:
    expected = []
    for _, _, symbol in sourcetext.documentation(source_text):
        m = re.fullmatch(r"(.+)/Rev\.(\d+)", symbol)
        if m:
            expected.append((symbol, m[1], int(m[2])))
    assert values(run(store, "cq07-revisions"), "symbol", "base", "revision") == sorted(expected)


def test_cq08_who_mandates_whom(store: Store, source_text: str) -> None:
    rows = run(store, "cq08-who-mandates-whom")
    addressees = {str(r["addressee"]) for r in rows}
    # those urged or requested to act, and the chair the Conference decided would report
    chair = "décidé que le président du groupe de travail lui soumettrait un rapport"
    assert chair in source_text
    wg = "Groupe de travail sur la traite des personnes"
    assert addressees == {"États", "États parties", "Secrétariat", f"président du {wg}"}
    decided = [str(r["text"]) for r in rows if str(r["act"]) == "decided"]
    assert len(decided) == 1 and decided[0].startswith(chair)
    for r in rows:
        assert str(r["text"]) in source_text


def test_cq09_documents_by_body(store: Store, source_text: str) -> None:
    rows = run(store, "cq09-documents-by-body")
    by_secretariat = {str(r["symbol"]) for r in rows if str(r["author"]) == "Secrétariat"}
    printed = {
        s
        for _, title, s in sourcetext.documentation(source_text)
        if title.startswith(("Note du Secrétariat", "Rapport du Secrétariat"))
    }
    assert by_secretariat == printed


def test_cq10_due_at_session(store: Store, source_text: str) -> None:
    rows = run(store, "cq10-due-at-session")
    assert [r["session"].toPython() for r in rows] == [5, 6]
    assert rows[1]["year"] == Literal("2012", datatype=XSD.gYear)
    assert "sixième session, en 2012" in source_text


def test_cq11_body_relations(store: Store) -> None:
    rows = values(run(store, "cq11-body-relations"), "body", "relation", "other")
    assert (
        "Groupe de travail sur la traite des personnes",
        "advises and assists",
        "Conférence des Parties à la Convention des Nations Unies contre la criminalité "
        "transnationale organisée",
    ) in rows


def test_cq12_provenance(store: Store, source_text: str) -> None:
    rows = run(store, "cq12-provenance")
    assert rows
    for r in rows:
        assert source_text[r["start"].toPython() : r["end"].toPython()] == str(r["exact"])


def test_cq13_meetings(store: Store, source_text: str) -> None:
    assert "Vienne, 14 et 15 avril 2009" in source_text
    rows = values(run(store, "cq13-meetings"), "body", "place", "start", "end")
    assert ("CTOC/COP/WG.4", "Vienne", dt.date(2009, 4, 14), dt.date(2009, 4, 15)) in rows


def test_cq14_decisions_cited(store: Store, source_text: str) -> None:
    printed: set[tuple[str, str]] = set()
    item = ""
    for line in sourcetext.lines(source_text)[source_text.split("\n").index("Annotations") :]:
        if m := re.fullmatch(r"(\d)\. .+", line):
            item = m[1]
        elif m := re.fullmatch(r"([a-z])\) .+[^.;:]", line):
            item = f"{item[0]} {m[1]})"
        for d in re.findall(r"décision (\d+/\d+)", line):
            printed.add((d, item))
    assert printed
    assert set(values(run(store, "cq14-decisions-cited"), "decision", "item")) == printed
