"""Blank-node labels by rule: the same triples give the same labels, different ones differ."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from ctoc_kg.build.bnodes import NeedsCanonicalisation, label_triples

from .conftest import BASE, ROOT

DATA = ROOT / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl"


def _parse(text: bytes | None = None) -> list[ox.Triple]:
    kw = {"input": text} if text is not None else {"path": str(DATA)}
    return [q.triple for q in ox.parse(**kw, format=ox.RdfFormat.TURTLE, base_iri=BASE)]  # type: ignore[arg-type]


def test_two_parses_get_the_same_labels() -> None:
    a, b = label_triples(_parse()), label_triples(_parse())
    assert any(isinstance(t.subject, ox.BlankNode) for t in a)
    assert sorted(map(str, a)) == sorted(map(str, b))


def test_labels_tell_every_selector_apart() -> None:
    triples = label_triples(_parse())
    raw = _parse()
    assert len({t.subject for t in triples if isinstance(t.subject, ox.BlankNode)}) == len(
        {t.subject for t in raw if isinstance(t.subject, ox.BlankNode)}
    )


def test_indistinguishable_blank_nodes_go_to_canonicalisation() -> None:
    text = b"<http://e/a> <http://e/p> [ <http://e/q> 1 ], [ <http://e/q> 1 ] ."
    with pytest.raises(NeedsCanonicalisation):
        label_triples(_parse(text))
