"""Sources -> data: the source kept intact, the data file regenerated identically."""

from __future__ import annotations

from pathlib import Path

import pytest
from ctoc_kg.extract import data_file, render
from ctoc_kg.extract.provenance import SourceText
from ctoc_kg.vocab import CTOC
from rdflib import Graph

from .conftest import BASE, ROOT, SHARED, SOURCE, SOURCE_NAME

SHARED_SOURCE = SHARED / "sources" / SOURCE_NAME
C = CTOC


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="shared/ is not beside this checkout")
def test_source_is_byte_identical_to_the_shared_copy() -> None:
    assert SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


def test_committed_data_file_is_what_the_extractor_writes(paths) -> None:  # type: ignore[no-untyped-def]
    committed = data_file(paths, SOURCE).read_text(encoding="utf-8")
    assert render(SOURCE) == committed, "data/ is stale: run `ctoc-kg extract` and commit"


def test_extraction_is_deterministic() -> None:
    assert render(SOURCE) == render(SOURCE)


def test_data_file_holds_only_relative_project_iris() -> None:
    text = (ROOT / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl").read_text(encoding="utf-8")
    assert "localhost" not in text and ".invalid" not in text
    g = Graph().parse(data=text, format="turtle", publicID="https://example.org/kg/")
    subjects = {str(s) for s in g.subjects() if not str(s).startswith("n")}
    assert subjects and all(s.startswith("https://example.org/kg/") for s in subjects if "://" in s)


def test_an_unknown_verb_is_reported_not_guessed(tmp_path: Path) -> None:
    changed = tmp_path / SOURCE_NAME
    original = SOURCE.read_text(encoding="utf-8")
    changed.write_text(
        original.replace("souligné la nécessité", "noté la nécessité"), encoding="utf-8"
    )
    from ctoc_kg.extract import extract_file

    line = original[: original.index("souligné la nécessité")].count("\n") + 1
    result = extract_file(changed)
    assert [(p.file, p.line, p.words) for p in result.problems] == [(SOURCE_NAME, line, "et noté")]
    texts = [str(o) for o in result.graph.objects(None, C.text)]
    assert not any(t.startswith("noté") for t in texts)


def test_a_misprinted_weekday_is_refused(tmp_path: Path) -> None:
    changed = tmp_path / SOURCE_NAME
    changed.write_text(
        SOURCE.read_text(encoding="utf-8").replace("Mardi 14 avril", "Jeudi 14 avril"),
        encoding="utf-8",
    )
    from ctoc_kg.extract import extract_file

    with pytest.raises(ValueError, match="mardi"):
        extract_file(changed)


def test_offsets_count_code_points_not_bytes(tmp_path: Path) -> None:
    src = SourceText(SOURCE, BASE)
    span = src.find("État du Protocole")
    raw = SOURCE.read_bytes()
    assert raw.decode("utf-8")[span.start : span.end] == "État du Protocole"
    assert raw.find("État du Protocole".encode()) != span.start  # bytes differ: accents before it
