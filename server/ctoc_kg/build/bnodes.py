"""Blank nodes labelled by a rule of their own, so a dump is the same bytes for the same input.

A parser invents blank-node labels; general canonicalisation (rdflib's) costs
seconds per file.  The project's blank nodes hang in trees from IRIs (a quote's
target and its selectors), so a label can be read off the tree: a digest of
the node's own triples (its children by their digests) and of the edge it hangs
from.  Where that rule cannot tell two nodes apart (identical siblings, cycles,
a node shared by two parents) the graph goes to rdflib's canonicalisation, which
is slow but general: the rule is a fast path, never a different answer.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pyoxigraph as ox


class NeedsCanonicalisation(ValueError):
    """The tree rule cannot label these blank nodes uniquely."""


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def label_triples(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The same triples with every blank node relabelled ``b<digest>`` by the tree rule."""
    out_edges: dict[ox.BlankNode, list[tuple[str, object]]] = defaultdict(list)
    parents: dict[ox.BlankNode, list[tuple[object, str]]] = defaultdict(list)
    bnodes: set[ox.BlankNode] = set()
    for t in triples:
        s, o = t.subject, t.object
        if isinstance(s, ox.BlankNode):
            bnodes.add(s)
            out_edges[s].append((str(t.predicate), o))
        if isinstance(o, ox.BlankNode):
            bnodes.add(o)
            parents[o].append((s, str(t.predicate)))
    if not bnodes:
        return triples
    content: dict[ox.BlankNode, str] = {}

    def content_of(b: ox.BlankNode, seen: frozenset[ox.BlankNode]) -> str:
        if b in content:
            return content[b]
        if b in seen:
            raise NeedsCanonicalisation("a cycle of blank nodes")
        parts = sorted(
            p + " " + (content_of(o, seen | {b}) if isinstance(o, ox.BlankNode) else str(o))
            for p, o in out_edges.get(b, ())
        )
        content[b] = _digest("node", *parts)
        return content[b]

    labels: dict[ox.BlankNode, str] = {}

    def label_of(b: ox.BlankNode) -> str:
        if b not in labels:
            ps = parents.get(b, [])
            if len(ps) > 1:
                raise NeedsCanonicalisation("a blank node with two parents")
            anchor = ""
            if ps:
                parent, pred = ps[0]
                anchor = label_of(parent) if isinstance(parent, ox.BlankNode) else str(parent)
                anchor += " " + pred
            labels[b] = "b" + _digest(anchor, content_of(b, frozenset()))
        return labels[b]

    for b in bnodes:
        label_of(b)
    if len(set(labels.values())) != len(labels):
        raise NeedsCanonicalisation("two blank nodes the rule cannot tell apart")
    nodes = {b: ox.BlankNode(label) for b, label in labels.items()}
    return [
        ox.Triple(
            nodes.get(t.subject, t.subject),  # type: ignore[arg-type]
            t.predicate,
            nodes.get(t.object, t.object),  # type: ignore[arg-type]
        )
        for t in triples
    ]
