"""A contributor's files judged in the context of the dataset they join.

A hand-written record links to resources defined elsewhere (the Secretariat, a
place, a decision): alone it would break every shape that follows those links.
So the named files are validated together with the ontology, the shapes and the
data already there (a file of the same name in the dataset is replaced by the
named one), and the report keeps only what is wrong with the named files: the
violations whose focus node they describe.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.term import Node

from ctoc_kg.build import checks
from ctoc_kg.build.entailment import materialise
from ctoc_kg.build.load import ParseFailure, data_files, load_ontology, parse_file
from ctoc_kg.build.locate import locations
from ctoc_kg.build.quads import read_triples, to_rdflib
from ctoc_kg.build.quotes import check_quotes
from ctoc_kg.build.validate import Report, load_shapes, origins_of, validate
from ctoc_kg.config import Paths, is_project, project_root


def dataset_root(explicit: Path | None = None) -> Path:
    """Where the dataset is: ``--dataset``, else where every command looks
    (:func:`~ctoc_kg.config.project_root`)."""
    if explicit is not None:
        if not is_project(explicit):
            raise FileNotFoundError(f"{explicit}: no ontology/, shapes/ and data/ folders there")
        return explicit
    return project_root()


@dataclass
class Judged:
    report: Report
    context: list[Path]  # the dataset files read beside the named ones


def described(graphs: dict[Path, Graph]) -> set[Node]:
    """Every subject the named files describe (blank nodes included)."""
    return {s for g in graphs.values() for s in g.subjects()}


def judge(files: list[Path], root: Path, base: str, engine: str = "turbo") -> Judged:
    """Validate ``files`` with the dataset at ``root`` as context; report on ``files`` only.

    Raises :class:`~ctoc_kg.build.load.ParseFailure` or ``UnsafeInput`` for a file that
    cannot be read, before anything is validated.
    """
    p = Paths(root)
    ontology = load_ontology(p, base)
    shapes = load_shapes(p, base)
    named = {f: _read(f, base) for f in files}
    replaced = {_stem(f) for f in files}
    context = [f for f in data_files(p) if _stem(f) not in replaced]
    union = Graph()
    for f in context:
        union += to_rdflib(read_triples(f, base))
    for g in named.values():
        union += g
    materialise(union, ontology)
    mine = {str(n) for n in described(named) if not isinstance(n, BNode)}
    extra = [
        v
        for v in check_quotes(union, p.sources) + checks.run(union, p.sources, {})
        if v.focus in mine
    ]
    report = validate(union, shapes, ontology, origins_of(named), engine=engine, extra=extra)
    # a blank node's violation belongs to the named resource it hangs from
    report.keep(lambda v: (v.resource or v.focus) in mine)
    report.locate(locations(files, base))
    return Judged(report, context)


def _read(f: Path, base: str) -> Graph:
    """A named file, its blank nodes labelled by the build's rule: a description also in the
    dataset (a copy of a data file, a quote restated) is then the same nodes, not a second
    set.  A file that cannot be read is read again by rdflib, for its error message."""
    try:
        return to_rdflib(read_triples(f, base))
    except ParseFailure:
        parse_file(f, base)  # raises with rdflib's whole reason where rdflib has one
        raise


def _stem(f: Path) -> str:
    """A data file's name without its format: its graph's name (``graph/<stem>``)."""
    return f.name.rsplit(".", 1)[0]
