"""Where a report's focus node is: a name for a blank node, a line for a resource.

A blank node has no name a contributor can search for; it is named by the path
that reaches it from a named resource (``<…/quote/1-5> oa:hasTarget/oa:hasSelector
[oa:TextQuoteSelector]``).  A resource described in a Turtle or N-Triples file is
located at the line where its description starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

#: How far up a chain of blank nodes a name is looked for (the project's are two deep).
MAX_DEPTH = 8


def _curie(g: Graph, iri: Node) -> str:
    try:
        return g.namespace_manager.normalizeUri(iri)  # type: ignore[arg-type]
    except Exception:  # an IRI no prefix fits
        return f"<{iri}>"


def blank_path(g: Graph, node: BNode) -> tuple[URIRef | None, str]:
    """The named resource a blank node hangs from, and the path from it, as text.

    Where a resource has several blank nodes along one property, the step says which:
    by the node's class when that tells them apart, else by its rank (1-based) in a
    stable order of their descriptions.
    """
    steps: list[str] = []
    current: Node = node
    seen: set[Node] = set()
    for _ in range(MAX_DEPTH):
        if not isinstance(current, BNode) or current in seen:
            break
        seen.add(current)
        parents = sorted(g.subject_predicates(current), key=lambda sp: (str(sp[0]), str(sp[1])))
        if not parents:
            break
        parent, pred = parents[0]
        steps.append(_curie(g, pred) + _which(g, parent, pred, current))
        current = parent
    if isinstance(current, URIRef):
        return current, f"<{current}> " + "/".join(reversed(steps))
    return None, "[blank node]" + ("" if not steps else " …/" + "/".join(reversed(steps)))


def store_neighbourhood(store: Any, node: BNode) -> Graph:
    """What :func:`blank_path` reads to name ``node`` held in a pyoxigraph store (the build
    validates a store): the statements leading to it from a named resource, and the
    descriptions of the blank nodes beside it on each step."""
    import pyoxigraph as ox

    from ctoc_kg.build.quads import rdflib_term

    g = Graph()
    frontier, seen = [node], set()
    for _ in range(MAX_DEPTH):
        up: list[BNode] = []
        for child in frontier:
            if child in seen:
                continue
            seen.add(child)
            for q in store.quads_for_pattern(None, None, ox.BlankNode(str(child)), None):
                for s in store.quads_for_pattern(q.subject, q.predicate, None, None):
                    if isinstance(s.object, ox.BlankNode):
                        for d in store.quads_for_pattern(s.object, None, None, None):
                            g.add(tuple(map(rdflib_term, (d.subject, d.predicate, d.object))))  # type: ignore[arg-type]
                    g.add(tuple(map(rdflib_term, (s.subject, s.predicate, s.object))))  # type: ignore[arg-type]
                if isinstance(q.subject, ox.BlankNode):
                    up.append(BNode(q.subject.value))
        frontier = up
    return g


def _which(g: Graph, parent: Node, pred: Node, child: BNode) -> str:
    siblings = [o for o in g.objects(parent, pred) if isinstance(o, BNode)]
    if len(siblings) < 2:
        return ""
    types = {s: sorted(str(t) for t in g.objects(s, RDF.type)) for s in siblings}
    mine = types[child]
    if mine and sum(1 for t in types.values() if t == mine) == 1:
        return "[" + ",".join(_curie(g, URIRef(t)) for t in mine) + "]"
    ranked = sorted(siblings, key=lambda s: _description(g, s))
    return f"[{ranked.index(child) + 1}]"


def _description(g: Graph, node: BNode) -> str:
    return "\n".join(sorted(f"{p} {o if not isinstance(o, BNode) else ''}" for p, o in g[node]))


_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z0-9_.-]*):\s*<([^>]*)>", re.I)
_BASE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.I)
_SUBJECT = re.compile(r"^(<[^>\s]*>|[A-Za-z][A-Za-z0-9_.-]*:[^\s;,]*|:[^\s;,]*)")


def subject_lines(path: Path, base: str) -> dict[str, int]:
    """The first line (1-based) at which each IRI starts a statement in a Turtle or
    N-Triples file: a subject at the start of a line, as every serialiser writes them."""
    if path.suffix.lower() not in {".ttl", ".nt"}:
        return {}
    prefixes: dict[str, str] = {}
    found: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    for n, line in enumerate(lines, 1):
        if m := _PREFIX.match(line):
            prefixes[m.group(1)] = urljoin(base, m.group(2))
            continue
        if m := _BASE.match(line):
            base = urljoin(base, m.group(1))
            continue
        m = _SUBJECT.match(line)
        if not m:
            continue
        term = m.group(1)
        if term.startswith("<"):
            iri = urljoin(base, term[1:-1])
        else:
            prefix, _, local = term.partition(":")
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + local.rstrip(".")
        found.setdefault(iri, n)
    return found


def locations(files: Iterable[Path], base: str) -> dict[str, list[str]]:
    """``file:line`` of each IRI's description, for every file that starts one."""
    where: dict[str, list[str]] = {}
    for f in files:
        for iri, n in subject_lines(f, base).items():
            where.setdefault(iri, []).append(f"{f}:{n}")
    return where
