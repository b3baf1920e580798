"""The genre, not one text: lexicons, date and time forms, strict failure, the command."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from ctoc_kg.cli import EXIT_OK, EXIT_UNREADABLE, main
from ctoc_kg.extract import LayoutError, extract_file, lexicon
from ctoc_kg.extract.acts import clauses

from .conftest import BASE, ROOT, SOURCE, SOURCE_NAME

D = dt.date


@pytest.mark.parametrize(
    ("lang", "printed", "start", "end"),
    [
        ("fr", "14 et 15 avril 2009", D(2009, 4, 14), D(2009, 4, 15)),
        ("fr", "27-29 janvier 2010", D(2010, 1, 27), D(2010, 1, 29)),
        ("fr", "du 8 au 17 octobre 2008", D(2008, 10, 8), D(2008, 10, 17)),
        ("fr", "30 mai-1er juin 2012", D(2012, 5, 30), D(2012, 6, 1)),
        ("fr", "31 décembre 2012-2 janvier 2013", D(2012, 12, 31), D(2013, 1, 2)),
        ("en", "27-29 January 2010", D(2010, 1, 27), D(2010, 1, 29)),
        ("en", "30 May-1 June 2012", D(2012, 5, 30), D(2012, 6, 1)),
        ("en", "from 18 to 22 October 2010", D(2010, 10, 18), D(2010, 10, 22)),
        ("en", "16 March 2012", D(2012, 3, 16), D(2012, 3, 16)),
    ],
)
def test_every_date_form_the_genre_prints(lang: str, printed: str, start: D, end: D) -> None:
    assert lexicon.load(lang).date_range(printed) == (start, end)


@pytest.mark.parametrize(
    ("lang", "printed", "start", "end"),
    [
        ("fr", "10 heures-13 heures", (10, 0), (13, 0)),
        ("fr", "15 heures-18 heures", (15, 0), (18, 0)),
        ("en", "10 a.m.-1 p.m.", (10, 0), (13, 0)),
        ("en", "3-6 p.m.", (15, 0), (18, 0)),
        ("en", "9.30 a.m.-12.30 p.m.", (9, 30), (12, 30)),
    ],
)
def test_every_time_range_form(lang: str, printed: str, start: tuple, end: tuple) -> None:  # type: ignore[type-arg]
    assert lexicon.load(lang).time_range(printed) == (dt.time(*start), dt.time(*end))


def test_each_language_is_a_lexicon_file_with_the_same_names() -> None:
    langs = lexicon.languages()
    assert {"fr", "en"} <= set(langs)
    lexes = [lexicon.load(x) for x in langs]
    for lex in lexes:
        assert set(lex.body_names) == set(lex.bodies), lex.language
        assert set(lex.instrument_names) == set(lex.instruments), lex.language
        assert len(lex.months) == 12 and len(lex.weekdays) == 7
    types = [set(lex.verbs.values()) for lex in lexes]
    assert all(t == types[0] for t in types), "every language names the same act types"


@pytest.mark.parametrize(
    ("lang", "paragraph", "expected"),
    [
        (
            "fr",
            "Dans sa décision 5/2, la Conférence a pris note du rapport "
            "et engagé les États à agir.",
            [("TookNote", "pris note du rapport"), ("CalledUpon", "engagé les États à agir")],
        ),
        (
            "en",
            "In its decision 5/2, the Conference took note of the report, and called upon States "
            "to act. It also reaffirmed its commitment.",
            [
                ("TookNote", "took note of the report"),
                ("CalledUpon", "called upon States to act"),
                ("Affirmed", "reaffirmed its commitment"),
            ],
        ),
    ],
)
def test_clauses_are_cut_at_the_lexicons_verbs(lang: str, paragraph: str, expected: list) -> None:  # type: ignore[type-arg]
    got = [(c.type, paragraph[c.start : c.end]) for c in clauses(paragraph, lexicon.load(lang))]
    assert got == expected


def _project(tmp_path: Path, *sources: tuple[str, str]) -> Path:
    root = tmp_path / "fork"
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, root / name)
    (root / "data" / "sources").mkdir(parents=True)
    for name, text in sources:
        (root / "data" / "sources" / name).write_text(text, encoding="utf-8")
    return root


def test_unreadable_layout_stops_with_file_line_and_expectation(tmp_path: Path) -> None:
    text = SOURCE.read_text(encoding="utf-8").replace("Vienne, 14 et 15 avril 2009", "Vienne")
    bad = tmp_path / SOURCE_NAME
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LayoutError) as info:
        extract_file(bad, BASE)
    assert info.value.line == 14
    assert f"{SOURCE_NAME}:14: expected the place and dates" in str(info.value)


def test_another_genre_or_language_is_refused(tmp_path: Path) -> None:
    report = tmp_path / "ctoc-cop-wg4-2009-report.fr.txt"
    report.write_text("Rapport\n", encoding="utf-8")
    spanish = tmp_path / "ctoc-cop-wg4-2009-agenda.xx.txt"
    spanish.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    for path in (report, spanish):
        with pytest.raises(LayoutError, match=path.name):
            extract_file(path, BASE)


def test_extract_writes_nothing_when_one_source_is_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = SOURCE.read_text(encoding="utf-8")
    broken = good.replace("Ordre du jour provisoire\n\n1.", "Ordre du jour\n\nUn.")
    root = _project(tmp_path, (SOURCE_NAME, good), ("zz-broken-agenda.fr.txt", broken))
    stale = root / "data" / SOURCE_NAME.replace(".txt", ".ttl")
    stale.write_text("# before\n", encoding="utf-8")
    monkeypatch.setenv("CTOC_KG_ROOT", str(root))
    assert main(["extract"]) == EXIT_UNREADABLE
    err = capsys.readouterr().err
    assert "zz-broken-agenda.fr.txt:" in err and "expected an agenda item" in err
    assert stale.read_text(encoding="utf-8") == "# before\n"
    assert sorted(p.name for p in (root / "data").iterdir()) == [
        SOURCE_NAME[:-4] + ".ttl",
        "sources",
    ]


def test_extract_reports_coverage_and_works_on_any_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, (SOURCE_NAME, SOURCE.read_text(encoding="utf-8")))
    monkeypatch.setenv("CTOC_KG_ROOT", str(root))
    assert main(["extract"]) == EXIT_OK
    said = capsys.readouterr()
    # progress: one line per source on stderr as it is read; stdout names what was written
    (line,) = [x for x in said.err.splitlines() if x.startswith(f"{SOURCE_NAME}: ")]
    assert "triples, coverage " in line
    assert said.out.startswith("wrote ")
    written = root / "data" / SOURCE_NAME.replace(".txt", ".ttl")
    assert written.read_text(encoding="utf-8") == (ROOT / "data" / written.name).read_text(
        encoding="utf-8"
    )


def test_every_command_finds_the_checkout_it_runs_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a fork's folder, without ``CTOC_KG_ROOT``, extract and build work on the fork."""
    root = _project(tmp_path, (SOURCE_NAME, SOURCE.read_text(encoding="utf-8")))
    monkeypatch.delenv("CTOC_KG_ROOT", raising=False)
    monkeypatch.delenv("CTOC_KG_BUILD", raising=False)
    monkeypatch.chdir(root)
    assert main(["extract"]) == EXIT_OK
    assert capsys.readouterr().out == f"wrote {root / 'data' / SOURCE_NAME[:-4]}.ttl\n"
    assert main(["build"]) == EXIT_OK
    assert (root / "build" / "current").exists()
