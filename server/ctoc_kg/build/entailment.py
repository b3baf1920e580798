"""The alignments, made explicit: RDFS sub-class and sub-property entailment.

Researchers query in terms they know (``schema:Event``, ``dcterms:isPartOf``,
``prov:Entity``) without a reasoner in the store, because the build adds what
the ontology's ``rdfs:subClassOf`` / ``rdfs:subPropertyOf`` axioms entail (RDFS
rules rdfs7 and rdfs9, closed transitively).  Only alignments that survive the
reasoner over ontology + data + the W3C vocabularies (``build/soundness.py``,
``tests/test_reasoning.py``) are in the ontology, so only they are materialised.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS


def _closure(ontology: Graph, relation: URIRef) -> dict[URIRef, set[URIRef]]:
    direct: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in ontology.subject_objects(relation):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and sub != sup:
            direct[sub].add(sup)
    closed: dict[URIRef, set[URIRef]] = {}
    for start in list(direct):
        seen: set[URIRef] = set()
        todo = list(direct[start])
        while todo:
            nxt = todo.pop()
            if nxt not in seen:
                seen.add(nxt)
                todo.extend(direct.get(nxt, ()))
        closed[start] = seen
    return closed


def materialise(data: Graph, ontology: Graph) -> int:
    """Add to ``data`` the super-classes and super-properties it entails; return how many."""
    supers_c = _closure(ontology, RDFS.subClassOf)
    supers_p = _closure(ontology, RDFS.subPropertyOf)
    new = []
    for s, p, o in data:
        if p == RDF.type and o in supers_c:
            new.extend((s, RDF.type, sup) for sup in supers_c[o])  # type: ignore[index]
        if p in supers_p:
            new.extend((s, sup, o) for sup in supers_p[p])  # type: ignore[index]
    before = len(data)
    for triple in new:
        data.add(triple)
    return len(data) - before
