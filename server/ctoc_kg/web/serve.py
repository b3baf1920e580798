"""``ctoc-kg serve``: make sure a store for the base URI exists, then run gunicorn.

The Flask development server is never used.  Serving model: gunicorn's
threaded worker, with request heads gathered by its event loop
(:mod:`ctoc_kg.web.worker`), so idle and slow clients hold no thread; pages
and descriptions run on the worker's threads against the store opened
read-only in the worker; ``/sparql`` queries run in killable child processes
(:mod:`ctoc_kg.store.isolated`) under admission control
(:mod:`ctoc_kg.web.admission`).  The master (hooks in :mod:`ctoc_kg.web.master`)
holds the release its workers serve, so a rebuild never prunes it, and moves
to the newest release on ``SIGHUP``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from ctoc_kg.build.release import build, current, hold
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
    heavy_after: float = default("heavy_after")

    @classmethod
    def from_args(cls, args: object) -> ServeOptions:
        """The options parsed by :func:`ctoc_kg.settings.add_arguments`."""
        values = {f.name: getattr(args, f.name) for f in fields(cls)}
        values["add_graphs"] = tuple(values["add_graphs"] or ())
        return cls(**values)

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServeOptions:
        raw = json.loads(os.environ[OPTIONS_ENV])
        raw["add_graphs"] = tuple(raw["add_graphs"])
        return cls(**raw)


#: Query processes per worker for light queries (lookups); heavy ones get one each on top.
LIGHT_PROCESSES = 2
#: The serve options, for the master to resolve the release again on SIGHUP.
OPTIONS_ENV = "CTOC_KG_SERVE"


def default_base(host: str, port: int) -> str:
    name = "localhost" if host in {"", "0.0.0.0", "::"} else host
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}/"


def prepare(paths: Paths, opts: ServeOptions, state_dir: str = "") -> Settings:
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
        heavy_after=opts.heavy_after,
        state_dir=state_dir,
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
    return Settings(
        store=str(store),
        release=str(release or ""),
        exit_on_overrun=True,
        query_processes=LIGHT_PROCESSES,
        **common,  # type: ignore[arg-type]
    )


def pin(paths: Paths, opts: ServeOptions, settings: Settings) -> tuple[Settings, int | None]:
    """Hold the release ``settings`` serve; resolve again if a build pruned it meanwhile."""
    for _ in range(10):
        if not settings.release:
            return settings, None
        fd = hold(Path(settings.release))
        if fd is not None:
            return settings, fd
        settings = prepare(paths, opts, settings.state_dir)
    raise ServeError("the release to serve kept being pruned; is a build running in a loop?")


def state_folder(paths: Paths) -> tuple[Path, int]:
    """A folder for the workers' shared state (query slots, rate buckets), and the descriptor
    that owns it.  Under the build folder; the master removes it on exit, and a folder whose
    owner died without doing so is removed by the next server started."""
    run = paths.build / "run"
    run.mkdir(parents=True, exist_ok=True)
    for old in run.iterdir():
        with contextlib.suppress(OSError):
            fd = os.open(old / "owner", os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(old, ignore_errors=True)
            finally:
                os.close(fd)
    folder = Path(tempfile.mkdtemp(prefix="state-", dir=run))
    fd = os.open(folder / "owner.tmp", os.O_RDONLY | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.rename(folder / "owner.tmp", folder / "owner")  # owned before anyone can see it
    return folder, fd


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
        "--config", "python:ctoc_kg.web.master",
        "ctoc_kg.web:create_app()",
    ]  # fmt: skip


def run(paths: Paths, opts: ServeOptions) -> None:
    """Prepare, then replace this process with gunicorn (signals go straight to it)."""
    folder, owner = state_folder(paths)
    os.set_inheritable(owner, True)  # held by gunicorn's master after the exec
    settings = prepare(paths, opts, str(folder))
    os.environ[ENV] = settings.to_env()
    os.environ[OPTIONS_ENV] = opts.to_env()
    print(
        f"serving {settings.base_uri} at {settings.public_url} from {settings.store}",
        file=sys.stderr,
    )
    argv = gunicorn_argv(opts, settings)
    os.execv(argv[0], argv)
