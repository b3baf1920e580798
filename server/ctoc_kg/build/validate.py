"""Validated dataset: SHACL validation with reports a contributor can act on.

pyshacl's own report is an RDF graph; this module turns it into violations
grouped by focus node, each with the shape, path, value, message and the file
the focus node was read from, printable as text, JSON or Turtle.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from ctoc_kg.build.load import parse_file
from ctoc_kg.build.locate import blank_path, store_neighbourhood
from ctoc_kg.config import Paths
from ctoc_kg.vocab import SH, bind_all

_GENID = "/.well-known/genid/"
SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass
class Violation:
    focus: str
    shape: str
    path: str | None
    value: str | None
    message: str
    severity: str
    constraint: str
    files: list[str] = field(default_factory=list)
    #: the named resource the focus node is or hangs from (a blank node's focus is a path)
    resource: str | None = None
    #: ``file:line`` where the focus node's description starts (its named resource's, for a
    #: blank node), where the file's format has lines
    locations: list[str] = field(default_factory=list)

    @property
    def on_blank_node(self) -> bool:
        """Whether the focus is a blank node (named by its path, or not at all)."""
        return self.focus != self.resource


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]
    graph: Graph

    def merge(self, violations: Iterable[Violation]) -> None:
        """Add violations found by another run (the incremental build's blank-node pass)."""
        more = list(violations)
        if more:
            self.violations = sorted(
                [*self.violations, *more], key=lambda v: (v.focus, v.shape, v.path or "", v.message)
            )
            self.conforms = False

    def keep(self, wanted: Callable[[Violation], bool]) -> None:
        """Keep only the wanted violations (the rest was context); conformance follows."""
        self.violations = [v for v in self.violations if wanted(v)]
        self.conforms = not any(v.severity == "Violation" for v in self.violations)

    def locate(self, where: dict[str, list[str]]) -> None:
        """Give each violation the ``file:line`` of its resource's description."""
        for v in self.violations:
            v.locations = where.get(v.resource or v.focus, [])

    def by_focus(self) -> dict[str, list[Violation]]:
        grouped: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            grouped[v.focus].append(v)
        return dict(sorted(grouped.items()))

    def text(self) -> str:
        if self.conforms:
            return "Valid: the data conforms to the shapes.\n"
        lines = [f"{len(self.violations)} violation(s) on {len(self.by_focus())} resource(s):", ""]
        for focus, items in self.by_focus().items():
            files = sorted({f for v in items for f in v.locations or v.files})
            lines.append(f"{focus}" + (f"  (in {', '.join(files)})" if files else ""))
            for v in items:
                lines.append(f"  - {v.severity}: {v.message}")
                lines.append(f"      shape: {v.shape}   constraint: {v.constraint}")
                if v.path:
                    lines.append(f"      path:  {v.path}")
                if v.value is not None:
                    lines.append(f"      value: {v.value}")
            lines.append("")
        return "\n".join(lines)

    def json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": [asdict(v) for v in self.violations],
            },
            ensure_ascii=False,
            indent=2,
        )

    def turtle(self) -> str:
        return self.graph.serialize(format="turtle")


def load_shapes(paths: Paths, base: str) -> Graph:
    """The shapes, with relative IRIs in their SPARQL resolved against ``base`` too."""
    g = Graph()
    for f in sorted(paths.shapes.glob("*.ttl")):
        parse_file(f, base, g)
    for node, query in list(g.subject_objects(SH.select)):
        g.set((node, SH.select, Literal(f"BASE <{base}>\n{query}")))
    return g


#: What gives a shape focus nodes of its own (the SPARQL target included).
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


def shape_alone(shapes: Graph, shape: URIRef) -> Graph:
    """One shape's own description, to validate against it alone (per-shape tests and
    timings); a shape with no target of its own (reached by ``sh:node``) comes with the
    shapes that use it."""
    alone = shapes.cbd(shape)
    if not any((shape, t, None) in shapes for t in TARGETS):
        for other in set(shapes.subjects(RDF.type, SH.NodeShape)) - {shape}:
            user = shapes.cbd(other)
            if (None, None, shape) in user:
                alone += user
    return alone


def _term(t: object) -> str | None:
    if t is None:
        return None
    if isinstance(t, Literal):
        # RDF 1.1: "x" and "x"^^xsd:string are one term; engines differ only in how they print it
        return (Literal(str(t)) if t.datatype == XSD.string else t).n3()
    if isinstance(t, BNode):
        return "[blank node]"
    return str(t)


def _path(report: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return str(node)
    items = list(report.items(node)) if (node, RDF.first, None) in report else []
    if items:
        return " / ".join(str(i) for i in items)
    inverse = report.value(node, SH.inversePath)
    return f"^{inverse}" if inverse is not None else "[complex path]"


#: SHACL engines: pyshacl is the reference; pyshacl-turbo (same API, Rust) for large corpora,
#: relied on because the test suite shows it gives the same reports (tests/test_shacl_engines.py).
ENGINES = ("pyshacl", "turbo")


def _engine(name: str) -> Callable[..., tuple[bool, Graph, str]]:
    if name == "pyshacl":
        return shacl_validate
    if name == "turbo":
        from pyshacl_turbo import validate as turbo_validate

        # pyshacl-turbo ships no type information; its validate has pyshacl's signature
        turbo: Callable[..., tuple[bool, Graph, str]] = turbo_validate
        return turbo
    raise ValueError(f"unknown SHACL engine {name!r}; one of {', '.join(ENGINES)}")


def _as_store(g: Graph) -> object:
    """The shapes in a pyoxigraph store: pyshacl-turbo then reads literals as the data's engine
    does (given an rdflib shapes graph, it tells ``"CRP"`` from ``"CRP"^^xsd:string``)."""
    # property shapes named by skolem IRIs, so a report's shapes map back to this graph's
    # blank nodes (paths and lists stay blank: SHACL wants them so)
    named = {b: b.skolemize() for b in g.objects(None, SH.property) if isinstance(b, BNode)}
    copy = Graph()
    for s, p, o in g:
        copy.add((named.get(s, s), p, named.get(o, o)))  # type: ignore[call-overload]
    return _data_store(copy)


def _data_store(g: Graph) -> object:
    """A graph in a pyoxigraph store, for pyshacl-turbo (the build hands it the data as one);
    blank nodes keep their labels, so a report's blank focus nodes are the graph's."""
    import pyoxigraph as ox

    from ctoc_kg.build.quads import ox_term

    store = ox.Store()
    store.extend(
        ox.Quad(ox_term(s), ox_term(p), ox_term(o))  # type: ignore[arg-type]
        for s, p, o in g
    )
    return store


#: Constraints on a value's form that say nothing more once its datatype is wrong
#: (``"quatre"`` is not an integer; that it is not >= 1 is the same mistake said again).
_AFTER_DATATYPE = {
    "MinInclusiveConstraintComponent",
    "MaxInclusiveConstraintComponent",
    "MinExclusiveConstraintComponent",
    "MaxExclusiveConstraintComponent",
    "PatternConstraintComponent",
    "MinLengthConstraintComponent",
    "MaxLengthConstraintComponent",
    "LessThanConstraintComponent",
    "LessThanOrEqualsConstraintComponent",
}


def _said_again(violations: list[Violation]) -> list[bool]:
    """One wrong datatype, one violation: which results repeat, as a range or a pattern,
    what a datatype result already says of the same value."""
    wrong = {
        (v.focus, v.path, v.value)
        for v in violations
        if v.constraint == "DatatypeConstraintComponent"
    }
    return [
        v.constraint in _AFTER_DATATYPE and (v.focus, v.path, v.value) in wrong for v in violations
    ]


def validate(
    data: object,
    shapes: Graph,
    ontology: Graph,
    origins: dict[str, list[str]] | None = None,
    *,
    engine: str = "pyshacl",
    focus_nodes: list[URIRef] | None = None,
    extra: list[Violation] | None = None,
) -> Report:
    """Validate ``data`` (entailments already added) against ``shapes`` with ``ontology``.

    ``data`` is an rdflib graph, or a pyoxigraph store for the ``turbo`` engine;
    ``focus_nodes`` limits the check to those nodes (the rest of ``data`` is context);
    ``extra`` adds violations found outside SHACL (the source-text check of quotes).
    """
    kwargs = {"focus_nodes": focus_nodes} if focus_nodes is not None else {}
    names = data if isinstance(data, Graph) else None  # blank nodes named by paths in it
    if names is not None:
        bind_all(names)
    store = None if isinstance(data, Graph) else data  # or in the store, where there is one
    if engine == "turbo" and isinstance(data, Graph):
        # read by the same engine as the shapes, or "CRP" and "CRP"^^xsd:string differ
        data = _data_store(data)
    _, report, _ = _engine(engine)(
        data,
        shacl_graph=_as_store(shapes) if engine == "turbo" else shapes,
        ont_graph=ontology if len(ontology) else None,
        inference="none",
        advanced=True,
        allow_warnings=True,
        **kwargs,
    )
    assert isinstance(report, Graph)
    bind_all(report)
    violations = []
    results: list[Node] = []
    for result in list(report.subjects(RDF.type, SH.ValidationResult)):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        if isinstance(shape, URIRef) and _GENID in shape:
            shape = BNode(shape.rsplit("/", 1)[1])
        parent = (
            next(iter(shapes.subjects(SH.property, shape)), None)
            if isinstance(shape, BNode)
            else None
        )
        shape_name = _term(parent if parent is not None else shape) or "?"
        msgs = [str(m) for m in report.objects(result, SH.resultMessage)]
        severity = report.value(result, SH.resultSeverity)
        constraint = report.value(result, SH.sourceConstraintComponent)
        fkey = str(focus)
        resource: URIRef | None = focus if isinstance(focus, URIRef) else None
        focus_text = _term(focus) or "?"
        if isinstance(focus, BNode) and (names is not None or store is not None):
            around = names
            if around is None:
                around = store_neighbourhood(store, focus)
                bind_all(around)
            resource, focus_text = blank_path(around, focus)
            fkey = str(resource) if resource is not None else fkey
        violation = Violation(
            focus=focus_text,
            shape=shape_name,
            path=_path(report, report.value(result, SH.resultPath)),
            value=_term(report.value(result, SH.value)),
            message="; ".join(sorted(msgs)) or "constraint not satisfied",
            severity=SEVERITIES.get(severity, str(severity)),  # type: ignore[call-overload]
            constraint=str(constraint).rsplit("#", 1)[-1],
            files=(origins or {}).get(fkey, []),
            resource=str(resource) if resource is not None else None,
        )
        results.append(result)
        violations.append(violation)
    again = _said_again(violations)
    for result, repeated in zip(results, again, strict=True):
        if repeated:  # out of the SHACL report too, so every format says the same
            report.remove((None, SH.result, result))
            report.remove((result, None, None))
    violations = [v for v, repeated in zip(violations, again, strict=True) if not repeated]
    for v in extra or ():
        v.resource = v.resource or v.focus
        v.files = (origins or {}).get(v.focus, [])
        violations.append(v)
    violations.sort(key=lambda v: (v.focus, v.shape, v.path or "", v.message))
    # conforming means no violation (warnings allowed), whatever the engine's own flag says
    conforms = not any(v.severity == "Violation" for v in violations)
    return Report(conforms, violations, report)


def origins_of(files: dict[Path, Graph]) -> dict[str, list[str]]:
    """Which file(s) mention each subject, so a report can say where to look."""
    where: dict[str, set[str]] = defaultdict(set)
    for path, g in files.items():
        for s in set(g.subjects()):
            where[str(s)].add(str(path))
    return {k: sorted(v) for k, v in where.items()}
