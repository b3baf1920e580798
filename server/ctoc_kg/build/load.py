"""Data -> dataset: the ontology and every data file, parsed under one base URI.

One named graph per source document (``graph/<stem>``), one per source for its
statements' provenance (``graph/<stem>.statements``: see build/statements.py) and one
for the ontology (``graph/ontology``).  Parsing failures are reported with the file
and line so a contributor can fix them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from ctoc_kg import iris
from ctoc_kg.build.entailment import materialise
from ctoc_kg.build.safety import check_rdf_file
from ctoc_kg.config import Paths
from ctoc_kg.iris import ONTOLOGY_GRAPH
from ctoc_kg.rdfio import FORMATS, format_for
from ctoc_kg.vocab import bind_all

#: Each source graph's statements, with the quote that states or the rule that derives them.
STATEMENTS_SUFFIX = ".statements"
__all__ = ["ONTOLOGY_GRAPH", "Loaded", "ParseFailure", "load", "parse_file"]


class ParseFailure(ValueError):
    """An RDF file that cannot be read; ``str()`` names the file and, if known, the line."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


_LINE = re.compile(r"(?:line|at line|lineno)[ :=]*(\d+)", re.I)
#: rdflib's preamble ``at line 4 of <>:``, said again by the ``file:line:`` prefix
_AT_LINE = re.compile(r"^at line \d+ of <[^>]*>:\s*", re.I)


def parse_file(path: Path, base: str, into: Graph | None = None) -> Graph:
    """Parse one RDF file (format from its extension), relative IRIs against ``base``."""
    graph = into if into is not None else Graph()
    try:
        fmt = format_for(path)
        check_rdf_file(path)
        graph.parse(path, format=fmt, publicID=base)
    except ParseFailure:
        raise
    except Exception as exc:  # rdflib raises many kinds; all mean "cannot read"
        line, reason = parse_error(exc)
        raise ParseFailure(path, reason, line) from exc
    return graph


def parse_error(exc: Exception) -> tuple[int | None, str]:
    """The line (1-based) and the parser's whole reason, on one line.

    rdflib's Turtle parser prints ``at line 4 of <>:`` first and its reason on the next
    line, then the bytes around the error: the reason and that excerpt are kept, the
    line moves to the ``file:line:`` prefix.
    """
    why = getattr(exc, "_why", None)
    if isinstance(why, str):  # rdflib's BadSyntax: ``lines`` is 0-based
        lines = getattr(exc, "lines", None)
        text = getattr(exc, "_str", b"")
        at = getattr(exc, "_i", None)
        reason = f"Bad syntax ({why})"
        if isinstance(text, bytes) and isinstance(at, int):
            before = text[max(0, at - 40) : at].decode("utf-8", "replace")
            after = text[at : at + 40].decode("utf-8", "replace")
            reason += f" at ^ in {before + '^' + after!r}"
        return (lines + 1 if isinstance(lines, int) else None), reason
    text = str(exc).strip() or type(exc).__name__
    m = _LINE.search(text)
    line = int(m.group(1)) if m else getattr(exc, "lineno", None) or getattr(exc, "line", None)
    text = _AT_LINE.sub("", text).strip() or text
    reason = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return (line if isinstance(line, int) else None), reason[:2000]


def ontology_files(paths: Paths) -> list[Path]:
    return sorted(paths.ontology.glob("*.ttl"))


def data_files(paths: Paths) -> list[Path]:
    """Generated files in data/, and hand-written ones in data/curated/."""
    dirs = [paths.data, paths.data / "curated"]
    return sorted(
        p
        for d in dirs
        if d.is_dir()
        for p in d.iterdir()
        if p.is_file() and p.suffix.lower() in FORMATS
    )


def load_ontology(paths: Paths, base: str) -> Graph:
    g = Graph()
    for f in ontology_files(paths):
        parse_file(f, base, g)
    return g


@dataclass
class Loaded:
    dataset: Dataset
    ontology: Graph
    graphs: dict[str, Path]  # graph IRI -> file it came from
    provenance: dict[str, Path] = field(default_factory=dict)  # statements graph -> its file


def graph_iri(base: str, stem: str) -> URIRef:
    return URIRef(base + iris.graph(stem))


def load(paths: Paths, base: str) -> Loaded:
    """The dataset: ontology graph plus one graph per data file, entailments added."""
    from ctoc_kg.build import statements  # reads quotes as the gate does; imports validate

    ds = Dataset()
    bind_all(ds)
    ontology = load_ontology(paths, base)
    og = ds.graph(graph_iri(base, ONTOLOGY_GRAPH))
    for t in ontology:
        og.add(t)
    sources = {str(og.identifier): f for f in ontology_files(paths)[:1]}
    provenance: dict[str, Path] = {}
    for f in data_files(paths):
        stem = f.name.rsplit(".", 1)[0]
        name = graph_iri(base, stem)
        g = ds.graph(name)
        parse_file(f, base, g)
        asserted = set(g)
        materialise(g, ontology)
        sources[str(name)] = f
        entailed = {t: "entailment" for t in set(g) - asserted}
        prov = ds.graph(graph_iri(base, stem + STATEMENTS_SUFFIX))
        for t in statements.statements_of(g, entailed, paths.sources, base):
            prov.add(t)
        provenance[str(prov.identifier)] = f
    return Loaded(ds, ontology, sources, provenance)
