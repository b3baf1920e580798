"""``ctoc-kg serve``: make sure a store for the base URI exists, then run gunicorn.

The Flask development server is never used.  Serving model: gunicorn's
threaded worker, with request heads gathered by its event loop
(:mod:`ctoc_kg.web.worker`), so idle and slow clients hold no thread; pages
and descriptions run on the worker's threads against the store opened
read-only in the worker; ``/sparql`` queries run in killable child processes
(:mod:`ctoc_kg.store.isolated`) under admission control
(:mod:`ctoc_kg.web.admission`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

from ctoc_kg.build.release import build, current
from ctoc_kg.config import DEFAULT_BASE_URI, Paths, normalise_base
from ctoc_kg.settings import default
from ctoc_kg.web.settings import ENV, Settings


class ServeError(RuntimeError):
    """The server cannot start; the message says how to fix it."""


@dataclass
class ServeOptions:
    """The options of ``ctoc-kg serve``; defaults and meanings in :mod:`ctoc_kg.settings`."""

    host: str = default("host")
    port: int = default("port")
    base_uri: str | None = default("base_uri")
    public_url: str | None = default("public_url")
    store: str | None = default("store")
    workers: int = default("workers")
    add_graphs: tuple[str, ...] = default("add_graphs")
    query_timeout: float = default("query_timeout")
    max_results: int = default("max_results")
    rate_limit: float = default("rate_limit")
    threads: int = default("threads")
    max_result_bytes: int = default("max_result_bytes")
    #: MiB, as the option takes it
    query_memory: int = default("query_memory")
    max_queries: int = default("max_queries")
    max_queries_per_client: int = default("max_queries_per_client")
    forwarded_allow_ips: str = default("forwarded_allow_ips")

    @classmethod
    def from_args(cls, args: object) -> ServeOptions:
        """The options parsed by :func:`ctoc_kg.settings.add_arguments`."""
        values = {f.name: getattr(args, f.name) for f in fields(cls)}
        values["add_graphs"] = tuple(values["add_graphs"] or ())
        return cls(**values)


def default_base(host: str, port: int) -> str:
    name = "localhost" if host in {"", "0.0.0.0", "::"} else host
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}/"


def prepare(paths: Paths, opts: ServeOptions) -> Settings:
    """Resolve the store to serve; build it first when it is missing or has another base.

    The dataset's base is canonical (the release's, or ``--base-uri``); the server's own
    address (``--public-url``, else the address bound) is mapped onto it, so every copy
    answers for the same IRIs and links within itself.
    """
    public = normalise_base(opts.public_url or default_base(opts.host, opts.port))
    rel = None if opts.store else current(paths)
    base = normalise_base(opts.base_uri or (rel.base if rel else DEFAULT_BASE_URI))
    common = dict(
        base_uri=base,
        public_url=public,
        query_timeout=opts.query_timeout,
        max_results=opts.max_results,
        rate_limit=opts.rate_limit,
        max_result_bytes=opts.max_result_bytes,
        query_memory=opts.query_memory,
        heavy_total=opts.max_queries,
        heavy_per_client=opts.max_queries_per_client,
        state_dir=tempfile.mkdtemp(prefix="ctoc-kg-state-"),
    )
    if opts.store and opts.store.startswith(("http://", "https://")):
        if opts.add_graphs:
            raise ServeError(
                "--add-graph needs the embedded store; load extra graphs into the remote store"
            )
        return Settings(store=opts.store, **common)  # type: ignore[arg-type]
    if opts.store:
        store = Path(opts.store)
        release = store.parent if (store.parent / "manifest.json").is_file() else None
    else:
        if rel is None or rel.base != base:
            print(f"building the dataset for base {base} ...", file=sys.stderr)
            rel = build(paths, base)
        store, release = rel.store, rel.path
    from ctoc_kg.store.embedded import check_store

    try:
        check_store(store)
    except (OSError, FileNotFoundError) as exc:
        raise ServeError(str(exc)) from exc
    if opts.add_graphs:
        store = overlay(paths, store, opts.add_graphs, base)
    # a worker's share of the server's query slots, as killable child processes
    per_worker = max(1, -(-opts.max_queries // max(1, opts.workers)))
    return Settings(
        store=str(store),
        release=str(release or ""),
        exit_on_overrun=True,
        query_processes=min(per_worker, opts.max_queries),
        **common,  # type: ignore[arg-type]
    )


def overlay(paths: Paths, store: Path, specs: tuple[str, ...], base: str) -> Path:
    """A copy of ``store`` with extra named graphs, built beside it and reused when unchanged."""
    import pyoxigraph as ox

    from ctoc_kg.build.safety import check_rdf_file
    from ctoc_kg.rdfio import FORMATS

    graphs: list[tuple[str, Path]] = []
    digest = hashlib.sha256(str(store.resolve()).encode())
    for spec in specs:
        iri, sep, file = spec.partition("=")
        path = Path(file)
        if not sep or not iri.startswith(("http://", "https://", "urn:")) or not path.is_file():
            raise ServeError(f"--add-graph takes IRI=FILE with an existing file, got {spec!r}")
        if path.suffix.lower() not in FORMATS:
            raise ServeError(f"{path}: unknown RDF file extension")
        check_rdf_file(path)
        graphs.append((iri, path))
        digest.update(iri.encode() + b"\0" + path.read_bytes())
    target = paths.build / "overlays" / digest.hexdigest()[:16]
    if (target / "done").is_file():
        return target / "store"
    tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    ox.Store.read_only(str(store)).backup(str(tmp / "store"))
    writable = ox.Store(str(tmp / "store"))
    for iri, path in graphs:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower()) or ox.RdfFormat.TURTLE
        try:
            writable.load(path=str(path), format=fmt, base_iri=base, to_graph=ox.NamedNode(iri))
        except (SyntaxError, ValueError) as exc:
            raise ServeError(f"{path}: {exc}") from exc
    writable.flush()
    del writable
    (tmp / "done").write_text("ok\n")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target / "store"


def gunicorn_argv(opts: ServeOptions, settings: Settings) -> list[str]:
    bind = f"[{opts.host}]:{opts.port}" if ":" in opts.host else f"{opts.host}:{opts.port}"
    return [
        sys.executable, "-m", "gunicorn",
        "--bind", bind,
        "--workers", str(opts.workers),
        "--worker-class", "ctoc_kg.web.worker.GuardedThreadWorker",
        "--threads", str(opts.threads),
        "--keep-alive", "5",
        "--timeout", str(int(settings.query_timeout) + 30),
        "--graceful-timeout", str(int(settings.query_timeout) + 5),
        "--forwarded-allow-ips", opts.forwarded_allow_ips,
        "--limit-request-line", "8190",
        "--limit-request-fields", "100",
        "--access-logfile", "-",
        "--no-control-socket",
        "ctoc_kg.web:create_app()",
    ]  # fmt: skip


def run(paths: Paths, opts: ServeOptions) -> None:
    """Prepare, then replace this process with gunicorn (signals go straight to it)."""
    settings = prepare(paths, opts)
    os.environ[ENV] = settings.to_env()
    print(
        f"serving {settings.base_uri} at {settings.public_url} from {settings.store}",
        file=sys.stderr,
    )
    argv = gunicorn_argv(opts, settings)
    os.execv(argv[0], argv)
