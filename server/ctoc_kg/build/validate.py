"""Validated dataset: SHACL validation with reports a contributor can act on.

pyshacl's own report is an RDF graph; this module turns it into violations
grouped by focus node, each with the shape, path, value, message and the file
the focus node was read from, printable as text, JSON or Turtle.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from ctoc_kg.build.load import parse_file
from ctoc_kg.config import Paths
from ctoc_kg.vocab import SH, bind_all

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


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]
    graph: Graph

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
            files = sorted({f for v in items for f in v.files})
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


def _term(t: object) -> str | None:
    if t is None:
        return None
    if isinstance(t, Literal):
        return t.n3()
    if isinstance(t, BNode):
        return "[blank node]"
    return str(t)


def _path(report: Graph, node: object) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return str(node)
    items = list(report.items(node)) if (node, RDF.first, None) in report else []  # type: ignore[arg-type]
    if items:
        return " / ".join(str(i) for i in items)
    inverse = report.value(node, SH.inversePath)  # type: ignore[arg-type]
    return f"^{inverse}" if inverse is not None else "[complex path]"


def validate(
    data: Graph,
    shapes: Graph,
    ontology: Graph,
    origins: dict[str, list[str]] | None = None,
) -> Report:
    """Validate ``data`` (entailments already added) against ``shapes`` with ``ontology``."""
    conforms, report, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    bind_all(report)
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
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
        violations.append(
            Violation(
                focus=_term(focus) or "?",
                shape=shape_name,
                path=_path(report, report.value(result, SH.resultPath)),
                value=_term(report.value(result, SH.value)),
                message="; ".join(sorted(msgs)) or "constraint not satisfied",
                severity=SEVERITIES.get(severity, str(severity)),  # type: ignore[arg-type]
                constraint=str(constraint).rsplit("#", 1)[-1],
                files=(origins or {}).get(fkey, []),
            )
        )
    violations.sort(key=lambda v: (v.focus, v.shape, v.path or "", v.message))
    return Report(bool(conforms), violations, report)


def combined(report: Report, extra: list[Violation]) -> Report:
    """``report`` with the text checks' violations added, in its text, JSON and SHACL graph."""
    if not extra:
        return report
    g = report.graph
    root = next(iter(g.subjects(RDF.type, SH.ValidationReport)), None)
    if root is not None:
        g.set((root, SH.conforms, Literal(False)))
    for v in extra:
        node = BNode()
        if root is not None:
            g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, URIRef(v.focus)))
        g.add((node, SH.sourceShape, URIRef(v.shape)))
        g.add((node, SH.resultSeverity, SH.Violation))
        g.add((node, SH.sourceConstraintComponent, URIRef(v.shape)))
        g.add((node, SH.resultMessage, Literal(v.message)))
        if v.path:
            g.add((node, SH.resultPath, URIRef(v.path)))
        if v.value is not None:
            g.add((node, SH.value, Literal(v.value)))
    violations = sorted(
        [*report.violations, *extra], key=lambda v: (v.focus, v.shape, v.path or "", v.message)
    )
    return Report(False, violations, g)


def origins_of(files: dict[Path, Graph]) -> dict[str, list[str]]:
    """Which file(s) mention each subject, so a report can say where to look."""
    where: dict[str, set[str]] = defaultdict(set)
    for path, g in files.items():
        for s in set(g.subjects()):
            where[str(s)].add(str(path))
    return {k: sorted(v) for k, v in where.items()}
