"""Quotes against their own source text: the check the SHACL length test cannot make."""

from __future__ import annotations

from pathlib import Path

from ctoc_kg.build.quotes import check_quotes
from ctoc_kg.config import Paths
from ctoc_kg.vocab import OA
from rdflib import Graph, Literal
from rdflib.namespace import RDF


def _copy(data: Graph) -> Graph:
    g = Graph()
    for t in data:
        g.add(t)
    return g


def test_every_quote_matches_its_source(data: Graph, paths: Paths) -> None:
    assert list(data.subjects(RDF.type, OA.TextQuoteSelector))
    assert check_quotes(data, paths.sources) == []


def test_same_length_other_text_is_caught(data: Graph, paths: Paths) -> None:
    g = _copy(data)
    sel, exact = sorted(g.subject_objects(OA.exact))[0]
    swapped = str(exact)[::-1]
    assert swapped != str(exact) and len(swapped) == len(str(exact))
    g.set((sel, OA.exact, Literal(swapped)))
    (v,) = check_quotes(g, paths.sources)
    assert "/quote/" in v.focus and v.shape.endswith("/shapes/QuoteOffsetsShape")


def test_shifted_offsets_are_caught(data: Graph, paths: Paths) -> None:
    g = _copy(data)
    sel = sorted(g.subjects(RDF.type, OA.TextPositionSelector))[0]
    start, end = int(g.value(sel, OA.start)), int(g.value(sel, OA.end))  # type: ignore[arg-type]
    g.set((sel, OA.start, Literal(start + 1)))
    g.set((sel, OA.end, Literal(end + 1)))
    assert len(check_quotes(g, paths.sources)) == 1


def test_a_changed_source_file_is_caught(data: Graph, paths: Paths, tmp_path: Path) -> None:
    for f in paths.sources.glob("*.txt"):
        (tmp_path / f.name).write_bytes(f.read_bytes() + b"\n")
    problems = check_quotes(data, tmp_path)
    assert problems and all("not found with its sha256" in v.message for v in problems)
