"""Two language versions of one agenda are one agenda; what the lexicon cannot name is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from ctoc_kg.extract import extract_file
from ctoc_kg.vocab import CTOC
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from .conftest import BASE, SHARED

ENGLISH = Path(__file__).parent / "texts" / "ctoc-cop-wg4-2010-agenda.en.txt"
FRENCH = SHARED / "sources" / "constructed" / "ctoc-cop-wg4-2010-agenda.fr.txt"
SMUGGLING = SHARED / "sources" / "constructed" / "ctoc-cop-wg7-2012-agenda.en.txt"
SESSION = Path(__file__).parent / "texts" / "ctoc-cop-2012-agenda.en.txt"
AGENDA = URIRef(BASE + "body/CTOC/COP/WG.4/meeting/2010-01-27/agenda")

pytestmark = pytest.mark.skipif(not FRENCH.exists(), reason="shared/ is not beside this checkout")


@pytest.fixture(scope="module")
def versions() -> dict[str, Graph]:
    return {
        lang: extract_file(path, BASE).graph for lang, path in (("en", ENGLISH), ("fr", FRENCH))
    }


def printed_titles(path: Path) -> dict[str, str]:
    """Item number -> title, read from the agenda list of the text itself."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(
        i
        for i, line in enumerate(lines)
        if line.strip() in {"Provisional agenda", "Ordre du jour provisoire"}
    )
    titles: dict[str, str] = {}
    number = ""
    for line in lines[start + 1 :]:
        text = line.strip().removeprefix("- ").strip()
        if text in {"Annotations"}:
            break
        head, _, title = text.partition(" ")
        if head.endswith("."):
            number = head[:-1]
            titles[number] = title.rstrip(":;.")
        elif len(head.strip("()")) == 1 and head.strip("()").isalpha():  # "(a)" or "a)"
            titles[number + head.strip("()")] = title.rstrip(":;.")
    return titles


def test_both_versions_describe_the_same_agenda_meeting_and_items(
    versions: dict[str, Graph],
) -> None:
    en, fr = versions["en"], versions["fr"]
    for g in (en, fr):
        assert (AGENDA, RDF.type, CTOC.AnnotatedAgenda) in g
    items_en = set(en.objects(AGENDA, CTOC.hasAgendaItem))
    items_fr = set(fr.objects(AGENDA, CTOC.hasAgendaItem))
    # items 1, 1 (a), 1 (b), 2 to 6 in both: one item per number, whatever the language
    assert len(items_en) == 8 and items_en == items_fr
    union = en + fr
    for lang, path in (("en", ENGLISH), ("fr", FRENCH)):
        for number, title in printed_titles(path).items():
            item = URIRef(f"{AGENDA}/item/{number}")
            assert (item, DCTERMS.title, Literal(title, lang=lang)) in union, (lang, number)
    item2 = URIRef(f"{AGENDA}/item/2")
    assert {t.language for t in union.objects(item2, DCTERMS.title)} == {"en", "fr"}  # type: ignore[attr-defined]
    notations = {str(n) for n in union.objects(URIRef(f"{AGENDA}/item/1a"), SKOS.notation)}
    assert notations == {"1 (a)", "1 a)"}


def test_a_document_and_a_decision_named_in_both_are_one_resource(
    versions: dict[str, Graph],
) -> None:
    doc = URIRef(BASE + "document/CTOC/COP/WG.4/2010/2")
    decision = URIRef(BASE + "body/CTOC/COP/decision/4/4")
    for g in versions.values():
        assert (doc, None, None) in g
        assert (None, None, decision) in g


def test_both_versions_report_the_same_acts_of_the_decision(
    versions: dict[str, Graph],
) -> None:
    """Each version states decision 4/4's acts in its own words: the same types, in order."""
    decision = URIRef(BASE + "body/CTOC/COP/decision/4/4")

    def types(g: Graph) -> list[str]:
        acts = sorted(g.objects(decision, CTOC.hasAct), key=lambda a: int(g.value(a, CTOC.order)))
        return [str(g.value(a, CTOC.actType)).rsplit("/", 1)[1] for a in acts]

    assert types(versions["en"]) == types(versions["fr"])
    assert len(types(versions["fr"])) >= 10


def test_a_body_the_lexicon_cannot_name_is_reported_with_its_line(tmp_path: Path) -> None:
    text = ENGLISH.read_text(encoding="utf-8")
    odd = text.replace("urged States parties", "urged the Grand Council of Elders")
    assert odd != text
    path = tmp_path / "zz-test-agenda.en.txt"
    path.write_text(odd, encoding="utf-8")
    problems = extract_file(path, BASE).problems
    line = 1 + odd[: odd.index("the Grand Council of Elders")].count("\n")
    assert [(p.line, p.words) for p in problems] == [(line, "the Grand Council of Elders")]
    assert "addressee" in problems[0].what


@pytest.mark.slow
def test_every_source_together_passes_the_gate(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The series is one graph: the first agenda, both versions of the 2010 agenda (each
    numbering its own paragraphs and acts), the 2012 agenda of another working group and a
    session of the Conference, extracted together, validate and build."""
    from ctoc_kg.cli import EXIT_OK, main

    sources = project_copy / "data" / "sources"
    for path in (ENGLISH, FRENCH, SMUGGLING, SESSION):
        (sources / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("CTOC_KG_ROOT", str(project_copy))
    monkeypatch.setenv("CTOC_KG_BUILD", str(project_copy / "build"))
    assert main(["extract"]) == EXIT_OK
    assert len(list(sources.glob("*.txt"))) == 5
    assert main(["validate"]) == EXIT_OK
    assert main(["build"]) == EXIT_OK
