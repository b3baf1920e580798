"""Which of a resource's statements only repeat another under a broader term.

The release materialises what the ontology's ``rdfs:subPropertyOf`` and
``rdfs:subClassOf`` axioms entail (``build/entailment.py``), so a decision that
``ctoc:hasAct`` an act also ``dcterms:hasPart`` it, and a ``ctoc:Decision`` is also an
``eli:LegalResource``.  The RDF keeps every triple; a page shows each value once, under
its most specific property (or class), and folds the repetitions beneath it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from ctoc_kg.build.entailment import _closure

#: The ontology's own hierarchy axioms, read from its named graph.
AXIOMS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?a ?rel ?b } WHERE {
  GRAPH ?g { ?a ?rel ?b FILTER (?rel IN (rdfs:subPropertyOf, rdfs:subClassOf)) }
}
"""

Pair = tuple[Node, Node]


@dataclass(frozen=True)
class Hierarchy:
    """The super-properties and super-classes of each term, closed transitively."""

    super_properties: dict[URIRef, set[URIRef]]
    super_classes: dict[URIRef, set[URIRef]]

    @classmethod
    def of(cls, ontology: Graph) -> Hierarchy:
        return cls(_closure(ontology, RDFS.subPropertyOf), _closure(ontology, RDFS.subClassOf))

    def repeats(self, broad: Pair, narrow: Pair) -> bool:
        """Whether statement ``broad`` is entailed by ``narrow`` (same subject assumed)."""
        (bp, bo), (np_, no) = broad, narrow
        if bp == RDF.type and np_ == RDF.type:
            return isinstance(no, URIRef) and bo in self.super_classes.get(no, ())
        return bo == no and isinstance(np_, URIRef) and bp in self.super_properties.get(np_, ())


def fold(pairs: Iterable[Pair], hierarchy: Hierarchy, classes: bool = True) -> dict[Pair, Pair]:
    """For each (property, value) that repeats a more specific one of the same subject:
    the most specific statement it repeats (one that repeats nothing itself).  With
    ``classes``, an ``rdf:type`` repeats a narrower type; without, types are left alone
    (links pointing at a class are its instances, not its super-classes).  Terms that
    are each other's sub-terms (a cycle) fold into neither."""
    by_value: dict[Node, list[Pair]] = {}
    types: list[Pair] = []
    for pair in sorted(set(pairs), key=lambda pv: (str(pv[0]), str(pv[1]))):
        by_value.setdefault(pair[1], []).append(pair)
        if pair[0] == RDF.type and classes:
            types.append(pair)
    under: dict[Pair, list[Pair]] = {}
    for same_value in by_value.values():
        for broad in same_value:
            # a type repeats a narrower type (another value); a property, the same value
            pool = types if broad[0] == RDF.type and classes else same_value
            found = [n for n in pool if n != broad and hierarchy.repeats(broad, n)]
            if found:
                under[broad] = found
    out: dict[Pair, Pair] = {}
    for broad, narrower in under.items():
        most = [n for n in narrower if n not in under]
        if most:
            out[broad] = most[0]
    return out
