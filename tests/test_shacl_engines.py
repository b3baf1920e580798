"""pyshacl-turbo against pyshacl, the reference: the same violations on every failing example.

The build validates with pyshacl-turbo (given the data as a pyoxigraph store, as the
build does); this is the evidence it may: for the intact data with every shape, and for
each shape's failing example with that shape (as ``test_shapes`` runs it), both engines
report the same (focus, shape, path, value) set.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from ctoc_kg.build.validate import load_shapes, validate
from rdflib import Graph, URIRef

from .test_shapes import CS, FAILING_EXAMPLES, PREFIXES, alone_with_its_users


def _store(g: Graph) -> ox.Store:
    s = ox.Store()
    s.load(g.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return s


def _focus(focus: str) -> str:
    """A blank node is named by its path where the data is a graph, not where it is a
    store (as here for pyshacl-turbo): the engines are compared on the rest."""
    return "[blank node]" if focus.startswith(("<", "[blank node]")) else focus


def _keys(report) -> set[tuple[str, str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return {
        (_focus(v.focus), v.shape, v.path, v.value) for v in report.violations if v.focus != "?"
    }


@pytest.fixture(scope="module")
def shapes(paths) -> Graph:  # type: ignore[no-untyped-def]
    return load_shapes(paths, "http://localhost:5000/")


#: the intact data in the fast set; every failing example (a pyshacl run each) in the whole run
CASES = [None, *(pytest.param(s, marks=pytest.mark.slow) for s in sorted(FAILING_EXAMPLES))]


@pytest.mark.parametrize("shape", CASES)
def test_turbo_reports_what_pyshacl_reports(shape, data: Graph, loaded, shapes) -> None:  # type: ignore[no-untyped-def]
    g = Graph()
    for t in data:
        g.add(t)
    if shape:  # the example breaks its shape: the others are compared on the intact data
        g.update(PREFIXES + FAILING_EXAMPLES[shape])
        shapes = alone_with_its_users(shapes, URIRef(CS + shape))
    reference = validate(g, shapes, loaded.ontology, engine="pyshacl")
    turbo = validate(_store(g), shapes, loaded.ontology, engine="turbo")
    assert reference.conforms == turbo.conforms
    assert _keys(reference) == _keys(turbo)
