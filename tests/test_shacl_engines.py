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


def _same_position(siblings: str) -> str:
    """An update giving one sibling ``?x`` the position of another ``?y`` (the first pair)."""
    return (
        "DELETE { ?x ctoc:order ?o } INSERT { ?x ctoc:order ?o2 } WHERE { "
        f"{{ SELECT ?x ?y WHERE {{ {siblings} FILTER (?x != ?y) }} ORDER BY ?x ?y LIMIT 1 }} "
        "?x ctoc:order ?o . ?y ctoc:order ?o2 }"
    )


#: one failing example per kind of siblings the sibling-order shape targets and checks
SIBLINGS = {
    "items of one item": "?x ctoc:subItemOf ?p . ?y ctoc:subItemOf ?p .",
    "items of one agenda": "?x ctoc:agendaOf ?p . ?y ctoc:agendaOf ?p . "
    "FILTER NOT EXISTS { ?x ctoc:subItemOf ?q } FILTER NOT EXISTS { ?y ctoc:subItemOf ?r }",
    "acts of one decision": "?x a ctoc:DecisionAct ; dcterms:isPartOf ?p . "
    "?y a ctoc:DecisionAct ; dcterms:isPartOf ?p .",
    "slots of one organization of work": "?p ctoc:hasTimeSlot ?x , ?y .",
    "entries of one slot": "?p ctoc:hasEntry ?x , ?y .",
    "functions of one mandate": "?p ctoc:hasFunction ?x , ?y .",
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(SIBLINGS))
def test_each_kind_of_siblings_is_caught_by_both_engines(kind, data: Graph, loaded, shapes) -> None:  # type: ignore[no-untyped-def]
    """The sibling-order shape's focus nodes come from one whole-graph query (its SPARQL
    target): each kind of siblings it names is caught, and the same way by both engines."""
    g = Graph()
    for t in data:
        g.add(t)
    g.update(PREFIXES + _same_position(SIBLINGS[kind]))
    assert set(g) != set(data), f"no {kind} to break"
    alone = alone_with_its_users(shapes, URIRef(CS + "SiblingOrderShape"))
    reference = validate(g, alone, loaded.ontology, engine="pyshacl")
    turbo = validate(_store(g), alone, loaded.ontology, engine="turbo")
    hits = [v for v in reference.violations if v.shape == CS + "SiblingOrderShape"]
    assert hits, f"{kind}: no violation"
    assert all("is also the position of its sibling" in v.message for v in hits)
    assert _keys(reference) == _keys(turbo)
