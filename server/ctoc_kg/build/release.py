"""Validated dataset -> store: build a release beside the current one, then swap.

``build/releases/<version>/`` holds the sorted N-Quads dump, its gzip, the
pyoxigraph store and a manifest; ``build/current`` is a symlink to the release
being served.  Nothing under ``current`` is touched until the new release is
complete, and the swap is one atomic ``rename``: a build that fails validation,
or is killed midway, leaves the served store exactly as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ctoc_kg.build import rules
from ctoc_kg.build.load import (
    ONTOLOGY_GRAPH,
    data_files,
    graph_iri,
    load_ontology,
    ontology_files,
)
from ctoc_kg.build.quads import Entailer, rdflib_triples, read_triples, sorted_nquads
from ctoc_kg.build.quotes import check_quotes
from ctoc_kg.build.validate import Report, load_shapes, validate
from ctoc_kg.config import Paths
from ctoc_kg.vocab import CTOC, PREFIXES

KEEP_RELEASES = 2


class ValidationFailed(RuntimeError):
    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"{len(report.violations)} SHACL violation(s); nothing was changed")


@dataclass
class Release:
    path: Path
    manifest: dict[str, object]

    @property
    def store(self) -> Path:
        return self.path / "store"

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    @property
    def base(self) -> str:
        return str(self.manifest["base"])


def current(paths: Paths) -> Release | None:
    """The release being served, or None when nothing was built yet."""
    link = paths.build / "current"
    manifest = link / "manifest.json"
    if not manifest.is_file():
        return None
    return Release(link.resolve(), json.loads(manifest.read_text()))


@contextlib.contextmanager
def _lock(paths: Paths) -> Iterator[None]:
    paths.build.mkdir(parents=True, exist_ok=True)
    with open(paths.build / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _timed(stages: dict[str, float], name: str, start: float) -> float:
    now = time.perf_counter()
    stages[name] = round(stages.get(name, 0.0) + now - start, 3)
    return now


def build(
    paths: Paths,
    base: str,
    *,
    engine: str = "turbo",
    progress: Callable[[str, float], None] | None = None,
) -> Release:
    """Parse, entail, validate and store; swap only when every step succeeded.

    The data go through pyoxigraph (parse, blank-node labels by rule, sorted dump);
    SHACL runs with ``engine`` over all data graphs at once, plus the check of every
    quote against its source text.  ``manifest["stages"]`` says where the time went.
    """
    stages: dict[str, float] = {}

    def step(name: str, start: float) -> float:
        now = _timed(stages, name, start)
        if progress is not None:
            progress(name, now - start)
        return now

    t = time.perf_counter()
    ontology = load_ontology(paths, base)
    shapes = load_shapes(paths, base)
    entail = Entailer(ontology)
    graphs: dict[str, list[ox.Triple]] = {
        str(graph_iri(base, ONTOLOGY_GRAPH)): rdflib_triples(ontology)
    }
    files: dict[str, Path] = {next(iter(graphs)): ontology_files(paths)[0]}
    derived: dict[str, int] = {}
    for f in data_files(paths):
        name = str(graph_iri(base, f.name.rsplit(".", 1)[0]))
        graphs[name] = rules.apply(entail(read_triples(f, base)), base, derived)
        files[name] = f
    t = step("parse", t)
    data = ox.Store()
    ontology_graph = str(graph_iri(base, ONTOLOGY_GRAPH))
    for name, triples in graphs.items():
        if name != ontology_graph:
            data.extend(ox.Quad(tr.subject, tr.predicate, tr.object) for tr in triples)
    origins: dict[str, set[str]] = {}
    for name, triples in graphs.items():
        if name != ontology_graph:
            where = str(files[name])
            for tr in triples:
                origins.setdefault(str(tr.subject.value), set()).add(where)  # type: ignore[union-attr]
    t = step("index", t)
    quotes = check_quotes(
        (tr for n, ts in graphs.items() if n != ontology_graph for tr in ts), paths.sources
    )
    t = step("quotes", t)
    report = validate(
        data if engine == "turbo" else _rdflib_union(data),
        shapes,
        ontology,
        {k: sorted(v) for k, v in origins.items()},
        engine=engine,
        extra=quotes,
    )
    t = step("shacl", t)
    del data
    if not report.conforms:
        raise ValidationFailed(report)
    dump = sorted_nquads(graphs.items())
    version = hashlib.sha256(base.encode() + b"\n" + dump).hexdigest()[:16]
    t = step("dump", t)
    releases = paths.build / "releases"
    with _lock(paths):
        releases.mkdir(parents=True, exist_ok=True)
        for stale in releases.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=releases))
        (staging / "dataset.nq").write_bytes(dump)
        _copy_sources(graphs.values(), paths.sources, staging / "sources")
        with gzip.GzipFile(staging / "dataset.nq.gz", "wb", mtime=0) as gz:
            gz.write(dump)
        store = ox.Store(str(staging / "store"))
        store.bulk_load(dump, ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        t = step("store", t)
        union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        triples = sorted(union, key=str)  # type: ignore[arg-type]
        ox.serialize(triples, str(staging / "dataset.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        del store, union, triples
        t = step("turtle", t)
        manifest = {
            "version": version,
            "base": base,
            "quads": dump.count(b"\n"),
            "graphs": {name: len(graphs[name]) for name in sorted(graphs)},
            "inputs": {
                str(p.relative_to(paths.root)): _sha256(p)
                for p in sorted({*files.values(), *paths.shapes.glob("*.ttl")})
            },
            "shacl": engine,
            "rules": derived,
            "stages": stages,
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        final = releases / version
        if final.exists():  # same inputs, same release: keep it, mark it newest
            shutil.rmtree(staging)
            os.utime(final)
        else:
            staging.rename(final)
        link_tmp = paths.build / f".current-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            link_tmp.unlink()
        link_tmp.symlink_to(final.relative_to(paths.build))
        link_tmp.replace(paths.build / "current")
        _prune(releases, keep=final)
    return Release(final, manifest)


def _copy_sources(graphs: Iterable[list[ox.Triple]], sources: Path, into: Path) -> None:
    """The source texts the data name, byte for byte, for the server to serve as text."""
    into.mkdir()
    file_name = ox.NamedNode(str(CTOC.fileName))
    for triples in graphs:
        for t in triples:
            name = t.object.value
            if t.predicate == file_name and "/" not in name and (sources / name).is_file():
                shutil.copyfile(sources / name, into / name)


def _prune(releases: Path, keep: Path) -> None:
    """Drop old releases, keeping the newest few (a running server may still read one)."""
    done = sorted(
        (p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in [p for p in done if p != keep][KEEP_RELEASES - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _rdflib_union(store: ox.Store) -> Graph:
    """The data as one rdflib graph, for the reference engine."""
    nt = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=nt, format="nt")
