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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ctoc_kg.build.load import ONTOLOGY_GRAPH, graph_iri, load
from ctoc_kg.build.validate import Report, load_shapes, origins_of, validate
from ctoc_kg.config import Paths
from ctoc_kg.rdfio import nquads
from ctoc_kg.vocab import PREFIXES

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


def build(paths: Paths, base: str) -> Release:
    """Parse, entail, validate and store; swap only when every step succeeded."""
    loaded = load(paths, base)
    shapes = load_shapes(paths, base)
    union = Graph()
    per_file: dict[Path, Graph] = {}
    ontology_graph = str(graph_iri(base, ONTOLOGY_GRAPH))
    for name, src in loaded.graphs.items():
        g = loaded.dataset.graph(URIRef(name))
        per_file[src] = g
        if name != ontology_graph:
            for t in g:
                union.add(t)
    report = validate(union, shapes, loaded.ontology, origins_of(per_file))
    if not report.conforms:
        raise ValidationFailed(report)
    dump = nquads(loaded.dataset).encode("utf-8")
    version = hashlib.sha256(base.encode() + b"\n" + dump).hexdigest()[:16]
    releases = paths.build / "releases"
    with _lock(paths):
        releases.mkdir(parents=True, exist_ok=True)
        for stale in releases.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=releases))
        (staging / "dataset.nq").write_bytes(dump)
        with gzip.GzipFile(staging / "dataset.nq.gz", "wb", mtime=0) as gz:
            gz.write(dump)
        store = ox.Store(str(staging / "store"))
        store.bulk_load(dump, ox.RdfFormat.N_QUADS)
        store.flush()
        store.optimize()
        union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        triples = sorted(union, key=str)  # type: ignore[arg-type]
        ox.serialize(triples, str(staging / "dataset.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        del store
        graphs = {name: len(loaded.dataset.graph(URIRef(name))) for name in sorted(loaded.graphs)}
        manifest = {
            "version": version,
            "base": base,
            "quads": dump.count(b"\n"),
            "graphs": graphs,
            "inputs": {
                str(p.relative_to(paths.root)): _sha256(p)
                for p in sorted({*loaded.graphs.values(), *paths.shapes.glob("*.ttl")})
            },
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


#: A release's in-use marker: every process serving the release holds a shared ``flock`` on it.
IN_USE = "in-use"


def hold(release: Path) -> int | None:
    """Mark ``release`` in use while the returned descriptor stays open, in this process and
    the processes it forks (a shared ``flock``, released by the kernel when the last holder
    ends); None when the release is gone, pruned before it could be held."""
    try:
        fd = os.open(release / IN_USE, os.O_RDONLY | os.O_CREAT, 0o644)
    except FileNotFoundError:
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)
    if os.fstat(fd).st_nlink == 0:  # pruned between the open and the lock
        os.close(fd)
        return None
    return fd


def _prune(releases: Path, keep: Path) -> None:
    """Drop old releases, keeping the newest few, and never one a running server holds.

    A release is taken out of the way (renamed) under an exclusive lock on its in-use
    marker, so a server either holds it first or finds it gone and resolves ``current``
    again; it is never opened half-deleted.
    """
    for stale in releases.glob(".pruning-*"):
        shutil.rmtree(stale, ignore_errors=True)
    done = sorted(
        (p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in [p for p in done if p != keep][KEEP_RELEASES - 1 :]:
        fd = os.open(old / IN_USE, os.O_RDONLY | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a server holds it: kept until it moves on
            gone = old.with_name(f".pruning-{old.name}")
            old.rename(gone)
            (gone / IN_USE).unlink()
        finally:
            os.close(fd)
        shutil.rmtree(gone, ignore_errors=True)
