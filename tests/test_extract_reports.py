"""Every report in a paragraph is read, whoever acts: decisions and resolutions, any order.

The genre's annotations report what a decision or a General Assembly resolution
did, sometimes both in one paragraph ("In its resolution 64/293, the General
Assembly adopted … In its decision 5/2, the Conference requested …").  Each
sentence that opens with a lead starts a report of its own; a resolution's acts
are the adopting body's, named in the text; a body the lexicon cannot name is
reported, and no act is made for it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ctoc_kg.extract import extract_file
from ctoc_kg.vocab import CTOC
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .conftest import BASE, SHARED

SESSION = Path(__file__).parent / "texts" / "ctoc-cop-2012-agenda.en.txt"
FRENCH = SHARED / "sources" / "constructed" / "ctoc-cop-wg4-2010-agenda.fr.txt"


def acts_of(g: Graph, target: URIRef) -> list[tuple[str, URIRef, URIRef | None, str]]:
    """(type, acting body, addressee, text) of the acts of ``target``, in their order."""
    rows = []
    for act in g.objects(target, CTOC.hasAct):
        assert (act, DCTERMS.isPartOf, target) in g
        rows.append(
            (
                int(g.value(act, CTOC.order)),  # type: ignore[arg-type]
                str(g.value(act, CTOC.actType)).rsplit("/", 1)[1],
                g.value(act, CTOC.actingBody),
                g.value(act, CTOC.addressee),
                str(g.value(act, CTOC.text)),
            )
        )
    return [r[1:] for r in sorted(rows)]  # type: ignore[misc]


def target(g: Graph, cls: URIRef, num: str) -> URIRef:
    (node,) = [s for s in g.subjects(SKOS.notation, Literal(num)) if (s, RDF.type, cls) in g]
    return node  # type: ignore[return-value]


def body(path: str) -> URIRef:
    return URIRef(BASE + "body/" + path)


def test_a_session_of_the_conference_is_a_session_by_its_ordinal() -> None:
    text = SESSION.read_text(encoding="utf-8")
    result = extract_file(SESSION, BASE)
    g = result.graph
    assert "\nSixth session\n" in text and "\nVienna, 15-19 October 2012\n" in text
    (meeting,) = g.subjects(RDF.type, CTOC.Session)
    assert int(g.value(meeting, CTOC.ordinal)) == 6  # type: ignore[arg-type]
    assert str(g.value(meeting, URIRef("http://schema.org/startDate"))) == "2012-10-15"
    assert str(g.value(meeting, URIRef("http://schema.org/endDate"))) == "2012-10-19"
    assert result.problems == []
    assert result.coverage.share >= 0.95


def test_a_resolution_and_a_decision_reported_in_one_paragraph_are_both_read() -> None:
    text = SESSION.read_text(encoding="utf-8")
    g = extract_file(SESSION, BASE).graph
    paragraph = next(p for p in text.split("\n") if p.startswith("In its resolution 64/293"))
    assert ". In its decision 5/2, the Conference requested the Secretariat" in paragraph
    resolution = target(g, CTOC.Resolution, "64/293")
    decision = target(g, CTOC.Decision, "5/2")
    assembly = body("A")
    # the resolution's act is the General Assembly's, which the sentence names: it adopted it
    assert acts_of(g, resolution) == [
        (
            "Adopted",
            assembly,
            None,
            "adopted the United Nations Global Plan of Action to Combat Trafficking in Persons",
        )
    ]
    assert (resolution, CTOC.adoptedBy, assembly) in g
    assert acts_of(g, decision) == [
        (
            "Requested",
            body("CTOC/COP"),
            body("CTOC/COP/secretariat"),
            "requested the Secretariat to report on the implementation of the Protocol",
        )
    ]
    # every act's text is its own slice of the source, at the offsets its quote gives
    for node in (resolution, decision):
        for act in g.objects(node, CTOC.hasAct):
            start, end = map(int, str(g.value(act, CTOC.statedIn)).rsplit("/", 1)[1].split("-"))
            assert str(g.value(act, CTOC.text)) == text[start:end]
            assert text[start:end] in paragraph
    # a session a resolution's act names is not taken for the Conference's own
    for act in g.objects(resolution, CTOC.hasAct):
        assert g.value(act, CTOC.dueAt) is None


def test_a_french_paragraph_reporting_a_resolution_then_a_decision(tmp_path: Path) -> None:
    if not FRENCH.exists():
        pytest.skip("shared/ is not beside this checkout")
    added = (
        "Dans sa résolution 64/293, l'Assemblée générale a adopté le Plan d'action mondial "
        "des Nations Unies pour la lutte contre la traite des personnes. Dans sa décision 4/4, "
        "la Conférence a prié le Secrétariat de rendre compte de l'application du Protocole."
    )
    text = FRENCH.read_text(encoding="utf-8")
    at = text.index("\n\nDocumentation\n", text.index("\nAnnotations\n"))
    path = tmp_path / FRENCH.name
    path.write_text(text[:at] + "\n\n" + added + text[at:], encoding="utf-8")
    result = extract_file(path, BASE)
    g = result.graph
    resolution = target(g, CTOC.Resolution, "64/293")
    (adopted,) = acts_of(g, resolution)
    assert adopted[:3] == ("Adopted", body("A"), None)
    assert adopted[3].startswith("adopté le Plan d'action mondial")
    requested = [a for a in acts_of(g, target(g, CTOC.Decision, "4/4")) if a[0] == "Requested"]
    assert (
        "Requested",
        body("CTOC/COP"),
        body("CTOC/COP/secretariat"),
        "prié le Secrétariat de rendre compte de l'application du Protocole",
    ) in requested
    assert result.problems == []


def test_a_resolution_whose_acting_body_is_unknown_is_reported_not_guessed(
    tmp_path: Path,
) -> None:
    text = SESSION.read_text(encoding="utf-8")
    unknown = "In its resolution 64/293, the Assembly of Friends adopted"
    path = tmp_path / SESSION.name
    path.write_text(
        text.replace("In its resolution 64/293, the General Assembly adopted", unknown),
        encoding="utf-8",
    )
    result = extract_file(path, BASE)
    line = 1 + text[: text.index("In its resolution 64/293")].count("\n")
    (problem,) = result.problems
    assert (problem.line, problem.what) == (line, "acting body not in the lexicon")
    assert problem.words.startswith("In its resolution 64/293, the Assembly of Friends")
    resolution = target(result.graph, CTOC.Resolution, "64/293")
    assert acts_of(result.graph, resolution) == []
    # the decision reported after it in the same paragraph is still read
    assert [a[0] for a in acts_of(result.graph, target(result.graph, CTOC.Decision, "5/2"))] == [
        "Requested"
    ]


def test_the_same_decision_is_the_one_named_last_before_it(tmp_path: Path) -> None:
    text = SESSION.read_text(encoding="utf-8")
    old = "In its decision 5/6, the Conference urged States parties to provide resources"
    assert old in text
    new = (
        "The Conference recalled decision 5/9. In the same decision, the Conference urged "
        "States parties to provide resources"
    )
    path = tmp_path / SESSION.name
    path.write_text(text.replace(old, new), encoding="utf-8")
    g = extract_file(path, BASE).graph
    urged = [a for a in acts_of(g, target(g, CTOC.Decision, "5/9")) if a[0] == "Urged"]
    assert len(urged) == 1 and re.match(r"urged States parties to provide", urged[0][3])
    assert not any(g.subjects(SKOS.notation, Literal("5/6")))  # no longer named anywhere


def test_annex_rows_that_name_no_item_are_entries_not_items() -> None:
    text = SESSION.read_text(encoding="utf-8")
    g = extract_file(SESSION, BASE).graph
    informal = "10 a.m.-1 p.m.\t\tInformal consultations on the draft report\n"
    holiday = "\nThursday, 18 October\t\tHoliday (no meetings)\n"
    assert informal in text and holiday in text
    items = set(g.subjects(RDF.type, CTOC.AgendaItem))
    agenda_list = text.split("\nProvisional agenda\n")[1].split("\n\nAnnotations\n")[0]
    listed = [ln for ln in agenda_list.split("\n") if re.match(r"\d+\. ", ln)]
    assert len(items) == len(listed) + text.count("\n\t(")  # the agenda's items, no more
    by_text = {
        str(g.value(e, CTOC.description)): e for e in g.subjects(RDF.type, CTOC.ScheduleEntry)
    }
    for note in ("Informal consultations on the draft report", "Holiday (no meetings)"):
        entry = by_text[note]
        assert g.value(entry, CTOC.item) is None
        (slot,) = g.subjects(CTOC.hasEntry, entry)
        assert not list(g.objects(slot, CTOC.takesUp))
    schema = "http://schema.org/"
    (day,) = g.subjects(CTOC.hasEntry, by_text["Holiday (no meetings)"])
    # a day with a note and no times is that whole day
    assert str(g.value(day, URIRef(schema + "startDate"))) == "2012-10-18T00:00:00"
    assert str(g.value(day, URIRef(schema + "endDate"))) == "2012-10-19T00:00:00"
    (morning,) = g.subjects(CTOC.hasEntry, by_text["Informal consultations on the draft report"])
    assert str(g.value(morning, URIRef(schema + "startDate"))) == "2012-10-17T10:00:00"


@pytest.mark.parametrize("listed", ["", " (forthcoming)", " (Symbol to be announced)"])
def test_a_document_listed_without_a_symbol_has_no_identifier_invented(
    tmp_path: Path, listed: str
) -> None:
    text = SESSION.read_text(encoding="utf-8")
    line = "Note by the Secretariat on technical assistance activities"
    assert f"\n{line} (CTOC/COP/2012/3)\n" in text
    path = tmp_path / SESSION.name
    path.write_text(text.replace(f"{line} (CTOC/COP/2012/3)", line + listed), encoding="utf-8")
    result = extract_file(path, BASE)
    g = result.graph
    (doc,) = [d for d in g.subjects(RDF.type, CTOC.Document) if line in str(g.value(d, RDFS.label))]
    assert str(g.value(doc, DCTERMS.title)) == line + listed
    assert g.value(doc, DCTERMS.identifier) is None and g.value(doc, CTOC.symbol) is None
    assert not any(g.subjects(SKOS.notation, Literal("CTOC/COP/2012/3")))
    (item,) = g.subjects(DCTERMS.references, doc)
    assert str(g.value(item, SKOS.notation)) == "3"
    # words in brackets that look like a symbol but are none are reported, not taken for one
    said = [(p.what, p.words) for p in result.problems]
    reported = [("not a document symbol", "Symbol to be announced")]
    assert said == (reported if "Symbol" in listed else [])
