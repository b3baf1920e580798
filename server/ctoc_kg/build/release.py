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
from rdflib import Graph, URIRef

from ctoc_kg.build import checks, rules, statements
from ctoc_kg.build.load import (
    ONTOLOGY_GRAPH,
    STATEMENTS_SUFFIX,
    data_files,
    graph_iri,
    load_ontology,
    ontology_files,
)
from ctoc_kg.build.quads import (
    Entailer,
    ox_term,
    rdflib_triple,
    rdflib_triples,
    read_triples,
    sorted_nquads,
    to_rdflib,
)
from ctoc_kg.build.quotes import check_quotes
from ctoc_kg.build.validate import Report, load_shapes, validate
from ctoc_kg.config import Paths
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


def _timed(stages: dict[str, float], name: str, start: float) -> float:
    now = time.perf_counter()
    stages[name] = round(stages.get(name, 0.0) + now - start, 3)
    return now


#: The modules whose code decides a graph's triples, labels, checks and dump: a change to
#: any of them (or to the ontology, shapes or base) makes the next build a full one.
_CODE = (
    "bnodes.py",
    "checks.py",
    "entailment.py",
    "quads.py",
    "quotes.py",
    "release.py",
    "rules.py",
    "statements.py",
    "validate.py",
)
#: The genre's lexicons: the rule ``lexicon-names`` reads names from them.
_LEXICONS = Path(__file__).resolve().parent.parent / "extract" / "lexicon"


def fingerprint(paths: Paths, base: str, engine: str) -> str:
    """What a previous release must share with this build for its graphs to be reused."""
    h = hashlib.sha256(f"{base}\n{engine}\n".encode())
    here = Path(__file__).parent
    for f in [*ontology_files(paths), *sorted(paths.shapes.glob("*.ttl"))]:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    for name in _CODE:
        h.update(name.encode() + b"\0" + (here / name).read_bytes())
    for f in sorted(_LEXICONS.glob("*.toml")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _previous(paths: Paths, print_: str) -> tuple[Release, dict[str, list[bytes]]] | None:
    """The served release built with the same fingerprint, and its dump's lines by graph."""
    prev = current(paths)
    if prev is None or prev.manifest.get("fingerprint") != print_:
        return None
    dump = prev.path / "dataset.nq"
    if not dump.is_file() or not prev.store.is_dir():
        return None
    lines: dict[str, list[bytes]] = {}
    with open(dump, "rb") as fh:
        for line in fh:
            graph = line[line.rindex(b" <", 0, len(line) - 3) + 2 : -4]
            lines.setdefault(graph.decode(), []).append(line)
    return prev, lines


def _quads(lines: Iterable[bytes]) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(b"".join(lines), format=ox.RdfFormat.N_QUADS)]


def _affected(changed: list[ox.Triple], union: ox.Store) -> list[URIRef]:
    """IRIs a change can affect: every IRI the changed triples name (classes aside), and
    the IRIs with an edge into a node whose own triples changed (their paths pass it)."""
    subjects = {t.subject for t in changed}
    objects = {t.object for t in changed if t.predicate != _RDF_TYPE}
    into = {q.subject for n in subjects for q in union.quads_for_pattern(None, None, n)}
    nodes = subjects | objects | into
    return [URIRef(n.value) for n in nodes if isinstance(n, ox.NamedNode)]


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


#: How far a shape's paths reach from its focus node (``dcterms:isPartOf/ctoc:articleNumber``,
#: ``oa:hasTarget/oa:hasSelector/oa:exact``): the context a focus node is validated in.
PATH_DEPTH = 3


def _neighbourhood(focus: Iterable[object], union: ox.Store) -> ox.Store:
    """The triples within ``PATH_DEPTH`` steps out of the focus nodes: what their shapes read."""
    small = ox.Store()
    frontier = {ox.NamedNode(str(f)) for f in focus}
    seen: set[object] = set(frontier)
    for _ in range(PATH_DEPTH):
        nxt: set[object] = set()
        for node in frontier:
            quads = list(union.quads_for_pattern(node, None, None, ox.DefaultGraph()))
            small.extend(quads)
            nxt |= {q.object for q in quads if not isinstance(q.object, ox.Literal)}
        frontier = nxt - seen  # type: ignore[assignment]
        seen |= nxt
    return small


def _blank_context(graphs: list[list[ox.Triple]], union: ox.Store) -> ox.Store:
    """The changed graphs and the triples of the IRIs they point to: enough to validate the
    changed graphs' blank nodes (quote targets and selectors), which never leave their graph
    and which engines cannot be asked about by name."""
    small = ox.Store()
    objects: set[ox.NamedNode] = set()
    for triples in graphs:
        small.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        objects |= {t.object for t in triples if isinstance(t.object, ox.NamedNode)}
    for o in objects:
        small.extend(union.quads_for_pattern(o, None, None, ox.DefaultGraph()))
    return small


def statements_name(graph: str) -> str:
    """The name of the graph holding a source graph's statements (see build/statements.py)."""
    return graph + STATEMENTS_SUFFIX


def _graph_and_statements(
    path: Path, base: str, entail: Entailer, sources: Path, counts: dict[str, int]
) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """One data file's graph (entailments and named rules added) and its statements graph,
    each addition naming the rule that made it."""
    asserted = read_triples(path, base)
    entailed = entail(asserted)
    by_rule = rules.derive(entailed, base)
    rules.tally(by_rule, counts)
    triples = [*entailed, *by_rule]
    derived = {rdflib_triple(t): "entailment" for t in entailed[len(asserted) :]}
    derived |= {rdflib_triple(t): rule for t, rule in by_rule.items()}
    provenance = statements.statements_of(to_rdflib(triples), derived, sources, base)
    return triples, [ox.Triple(*map(ox_term, t)) for t in provenance]  # type: ignore[arg-type]


def build(
    paths: Paths,
    base: str,
    *,
    engine: str = "turbo",
    incremental: bool = True,
    progress: Callable[[str, float], None] | None = None,
) -> Release:
    """Parse, entail, validate and store; swap only when every step succeeded.

    The data go through pyoxigraph (parse, blank-node labels by rule, sorted dump);
    SHACL runs with ``engine`` over all data graphs at once, plus the check of every
    quote against its source text.  ``manifest["stages"]`` says where the time went;
    ``progress`` hears of each stage as it ends.  The named rules of
    :mod:`ctoc_kg.build.rules` add their statements to each graph rebuilt
    (``manifest["rules"]`` counts them).

    Incremental: when the served release was built from the same ontology, shapes, base
    and code (its ``fingerprint``), only data files whose SHA-256 changed are parsed and
    checked; the others' quads come from its dump.  SHACL then sees the whole dataset but
    validates only the nodes the change can affect (``_affected``), and the store is the
    previous one (a RocksDB checkpoint) with the changed graphs replaced.  The dump and
    the store hold the same quads as a full build's: ``manifest["rebuilt"]`` names the
    graphs that were parsed and validated.
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
    print_ = fingerprint(paths, base, engine)
    prev = _previous(paths, print_) if incremental else None
    old_lines = prev[1] if prev else {}
    ontology_graph = str(graph_iri(base, ONTOLOGY_GRAPH))
    files: dict[str, Path] = {ontology_graph: ontology_files(paths)[0]}
    digests: dict[str, str] = {}
    for f in data_files(paths):
        name = str(graph_iri(base, f.name.rsplit(".", 1)[0]))
        # a graph's quotes are checked against its source text: a changed text rebuilds it
        text = paths.sources / (f.name.rsplit(".", 1)[0] + ".txt")
        files[name] = f
        digests[name] = _sha256(f) + (":" + _sha256(text) if text.is_file() else "")
    old_data = prev[0].manifest.get("data") if prev else None
    old_digests = old_data if isinstance(old_data, dict) else {}
    reuse = {n for n in digests if old_digests.get(n) == digests[n] and n in old_lines}
    graphs: dict[str, list[ox.Triple]] = {}
    provenance: dict[str, list[ox.Triple]] = {}  # each rebuilt graph's statements graph
    derived: dict[str, int] = {}  # what each named rule added to the graphs rebuilt
    if not (prev and ontology_graph in old_lines):
        graphs[ontology_graph] = rdflib_triples(ontology)
    for name in digests:
        if name not in reuse:
            graphs[name], provenance[statements_name(name)] = _graph_and_statements(
                files[name], base, entail, paths.sources, derived
            )
    removed = sorted(n for n in old_lines if n not in files and not n.endswith(STATEMENTS_SUFFIX))
    t = step("parse", t)
    data = ox.Store()
    if reuse:
        kept = _quads(line for n in sorted(reuse) for line in old_lines[n])
        data.extend(ox.Quad(tr.subject, tr.predicate, tr.object) for tr in kept)
    # the old triples of the graphs rebuilt or removed, and what the rebuilt graphs add to
    # the union validation sees: a triple another graph states already (a shared
    # document's symbol), or the graph's old version stated, changes nothing
    gone: list[ox.Triple] = []
    added: list[ox.Triple] = []
    if prev:
        gone = _quads(
            line for n in [*digests, *removed] if n not in reuse for line in old_lines.get(n, [])
        )
        was = set(gone)
        added = [
            tr
            for n, ts in graphs.items()
            if n != ontology_graph
            for tr in ts
            if tr not in was and ox.Quad(tr.subject, tr.predicate, tr.object) not in data
        ]
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
    quotes += checks.run(_rdflib_union(data), paths.sources, {})
    t = step("quotes", t)
    origins_list = {k: sorted(v) for k, v in origins.items()}
    validated: int | None = None  # focus nodes of an incremental validation
    if prev:
        # the union's change: triples added, and the old triples no graph states any more
        changed = added + [
            tr for tr in gone if ox.Quad(tr.subject, tr.predicate, tr.object) not in data
        ]
        focus = _affected(changed, data)
        validated = len(focus)
        report = (
            validate(
                _neighbourhood(focus, data),
                shapes,
                ontology,
                origins_list,
                engine=engine,
                extra=quotes,
                focus_nodes=focus,
            )
            if focus
            else validate(ox.Store(), shapes, ontology, engine=engine, extra=quotes)
        )
        local = [ts for n, ts in graphs.items() if n != ontology_graph]
        blanks = validate(
            _blank_context(local, data), shapes, ontology, origins_list, engine=engine
        )
        report.merge(v for v in blanks.violations if v.on_blank_node)
    else:
        report = validate(
            data if engine == "turbo" else _rdflib_union(data),
            shapes,
            ontology,
            origins_list,
            engine=engine,
            extra=quotes,
        )
    t = step("shacl", t)
    del data
    if not report.conforms:
        raise ValidationFailed(report)
    new_lines = sorted_nquads([*graphs.items(), *provenance.items()])
    kept_graphs = reuse | {statements_name(n) for n in reuse} | {ontology_graph} - set(graphs)
    kept_lines = [line for n in sorted(kept_graphs) for line in old_lines.get(n, [])]
    dump = b"".join(sorted([*new_lines.splitlines(keepends=True), *kept_lines]))
    version = hashlib.sha256(base.encode() + b"\n" + dump).hexdigest()[:16]
    t = step("dump", t)
    releases = paths.build / "releases"
    with _lock(paths):
        releases.mkdir(parents=True, exist_ok=True)
        for stale in releases.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=releases))
        (staging / "dataset.nq").write_bytes(dump)
        _copy_sources(paths.sources, staging / "sources")
        with gzip.GzipFile(staging / "dataset.nq.gz", "wb", compresslevel=6, mtime=0) as gz:
            gz.write(dump)
        t = step("gzip", t)
        if prev:  # the previous store, changed graphs replaced: work in the size of the change
            ox.Store.read_only(str(prev[0].store)).backup(str(staging / "store"))
            store = ox.Store(str(staging / "store"))
            for name in [*removed, *(n for n in digests if n not in reuse)]:
                for graph in (name, statements_name(name)):
                    if graph in old_lines:
                        store.remove_graph(ox.NamedNode(graph))
            store.bulk_load(new_lines, ox.RdfFormat.N_QUADS)
        else:
            store = ox.Store(str(staging / "store"))
            store.bulk_load(dump, ox.RdfFormat.N_QUADS)
            store.optimize()
        store.flush()
        del store
        t = step("store", t)
        write_turtle(dump, staging / "dataset.ttl")
        t = step("turtle", t)
        sizes = {n: len(ts) for n, ts in [*graphs.items(), *provenance.items()]}
        sizes |= {n: len(old_lines[n]) for n in kept_graphs if n in old_lines}
        manifest = {
            "version": version,
            "base": base,
            "quads": dump.count(b"\n"),
            "graphs": dict(sorted(sizes.items())),
            "inputs": {
                str(p.relative_to(paths.root)): _sha256(p)
                for p in sorted({*files.values(), *paths.shapes.glob("*.ttl")})
            },
            "data": dict(sorted(digests.items())),
            "fingerprint": print_,
            "rebuilt": sorted(n for n in graphs if n != ontology_graph),
            "removed": removed,
            "incremental": prev is not None,
            "validated": validated,
            "shacl": engine,
            "rules": derived,
            "stages": stages,
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        final = releases / version
        if final.exists():  # same quads, same release: keep it, with this build's manifest
            (staging / "manifest.json").replace(final / "manifest.json")
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


def _copy_sources(sources: Path, into: Path) -> None:
    """The source texts, byte for byte, for the server to serve as text (it serves only
    those the data name as a ``ctoc:SourceText``)."""
    into.mkdir()
    for f in sorted(sources.glob("*.txt")):
        shutil.copyfile(f, into / f.name)


def write_turtle(dump: bytes, out: Path) -> None:
    """The union of the graphs as Turtle, straight from the sorted dump.

    Sorted N-Quads lines put a triple's copies in several graphs next to each other (the
    lines share everything up to the graph), so dropping repeats gives the union, grouped
    by subject, without querying the store or sorting again.
    """
    triples: list[ox.Triple] = []
    last = None
    for q in ox.parse(dump, format=ox.RdfFormat.N_QUADS):
        if q.triple != last:
            last = q.triple
            triples.append(last)
    ox.serialize(triples, str(out), ox.RdfFormat.TURTLE, prefixes=PREFIXES)


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


def _rdflib_union(store: ox.Store) -> Graph:
    """The data as one rdflib graph, for the reference engine."""
    nt = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=nt, format="nt")
