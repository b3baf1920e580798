"""Every resource points to the exact text that states it, by quote and by offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
from ctoc_kg.extract import extract_file
from ctoc_kg.vocab import CTOC, OA
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .conftest import BASE, ROOT, SHARED

C = CTOC
NOT_STATED = {C.SourceText, C.Quote}


def _selectors(data: Graph) -> list[tuple[URIRef, str, int, int, str]]:
    rows = []
    for quote in data.subjects(RDF.type, C.Quote):
        target = data.value(quote, OA.hasTarget)
        source = data.value(target, OA.hasSource)
        exact = start = end = None
        for sel in data.objects(target, OA.hasSelector):
            if (sel, RDF.type, OA.TextQuoteSelector) in data:
                exact = str(data.value(sel, OA.exact))
            if (sel, RDF.type, OA.TextPositionSelector) in data:
                start = int(data.value(sel, OA.start))  # type: ignore[arg-type]
                end = int(data.value(sel, OA.end))  # type: ignore[arg-type]
        file = str(data.value(source, C.fileName))
        rows.append((quote, exact, start, end, file))  # type: ignore[arg-type]
    return rows


def test_every_quote_is_the_slice_its_offsets_name(data: Graph, source_text: str) -> None:
    rows = _selectors(data)
    assert len(rows) > 100
    for quote, exact, start, end, file in rows:
        assert file == "ctoc-cop-wg4-2009-agenda.fr.txt"
        assert source_text[start:end] == exact, quote
        assert str(quote).endswith(f"/quote/{start}-{end}")


def test_every_resource_read_from_the_source_is_stated(data: Graph) -> None:
    own_classes = {o for o in data.objects(None, RDF.type) if str(o).startswith(str(C))}
    for cls in own_classes - NOT_STATED:
        for resource in data.subjects(RDF.type, cls):
            assert (resource, C.statedIn, None) in data, f"{resource} ({cls}) has no quote"


def test_every_quote_names_the_resources_it_states(data: Graph) -> None:
    for resource, quote in data.subject_objects(C.statedIn):
        assert (quote, OA.hasBody, resource) in data


def test_source_resource_records_the_file_digest(data: Graph, source_text: str) -> None:
    import hashlib

    from .conftest import SOURCE

    (src,) = data.subjects(RDF.type, C.SourceText)
    assert str(data.value(src, C.sha256)) == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert int(data.value(src, C.characterCount)) == len(source_text)  # type: ignore[arg-type]


def _every_source() -> list[Path]:
    constructed = SHARED / "sources" / "constructed"
    return [
        *sorted((ROOT / "data" / "sources").glob("*.txt")),
        *sorted(constructed.glob("*.txt")),
        *sorted((Path(__file__).parent / "texts").glob("*.txt")),
    ]


@pytest.mark.parametrize("path", _every_source(), ids=lambda p: p.name)
def test_the_rule_holds_for_every_source_the_extractor_reads(path: Path) -> None:
    """Offsets computed by the program, every quote its own slice, every resource stated."""
    text = path.read_bytes().decode("utf-8")
    data = extract_file(path, BASE).graph
    rows = _selectors(data)
    assert len(rows) > 50
    for quote, exact, start, end, file in rows:
        assert file == path.name
        assert text[start:end] == exact, quote
    test_every_resource_read_from_the_source_is_stated(data)
    test_every_quote_names_the_resources_it_states(data)
