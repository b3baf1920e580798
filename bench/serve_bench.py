"""The serving benchmark: the query mix and throughput of ctoc-kg, a bare Flask route and Virtuoso.

For one built corpus (a project kept by ``build_bench.py --keep``), on its release store:

* the query mix (:mod:`mix`): latency of each query in-process (pyoxigraph on the
  store), through HTTP to ``ctoc-kg serve`` on the embedded store, through ``ctoc-kg
  serve`` over Virtuoso, and from Virtuoso's own /sparql; plus a resource's HTML page
  and its Turtle dereference.  Repetitions interleave the targets, so the shared
  machine's noise falls on all of them alike;
* throughput with wrk at concurrency 1, 8 and 32: the lookup by symbol through /sparql
  (ctoc-kg, ctoc-kg over Virtuoso, the bare Flask route of ``bare_app.py`` under the same
  gunicorn worker class, workers and threads, and Virtuoso's /sparql), the Turtle
  dereference and the HTML page (ctoc-kg), in interleaved rounds.

Results go to ``results/serve.json`` (one entry per corpus size, replaced when that size
is measured again), ``serve.md`` and the plots (:mod:`serve_report`).  The targets are
reported as PASS/MISS lines; ``--check`` makes a miss exit 1.

    python bench/serve_bench.py --quick          # the largest corpus in bench/.work, short runs
    python bench/serve_bench.py --size 5         # the corpus of about 10^5 quads, full runs
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import mix
import pyoxigraph as ox
import serve_report

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVER = ROOT / "server"
WORK = HERE / ".work"
sys.path.insert(0, str(ROOT))
from tests import virtuoso  # noqa: E402  (one copy of the launcher, shared with the tests)
from tests.processes import free_port, stop_group  # noqa: E402

JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
HTML = "text/html"
#: admission limits raised so wrk's clients are never refused (429) by the server under test
ADMISSION = ["--max-queries", "256", "--max-queries-per-client", "256", "--rate-limit", "0"]


# -- servers ------------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    url: str
    proc: subprocess.Popen[bytes]

    def stop(self) -> None:
        stop_group(self.proc)


def launch(name: str, cmd: list[str], env: dict[str, str], log: Path, probe: str) -> Process:
    """Start ``cmd`` in its own process group and wait until ``probe`` answers 200."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = probe.split("?")[0].rsplit("/", 1)[0] + "/"
    server = Process(name, url, proc)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{name} exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        if get(probe, JSON)[0] == 200:
            return server
        time.sleep(0.3)
    server.stop()
    raise SystemExit(f"{name} did not answer {probe}:\n{log.read_text()[-2000:]}")


def get(url: str, accept: str) -> tuple[int, bytes]:
    """One GET on a fresh connection; (0, b"") when nothing answers."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request(
            "GET",
            parts.path + ("?" + parts.query if parts.query else ""),
            headers={"Accept": accept},
        )
        resp = conn.getresponse()
        return resp.status, resp.read()
    except OSError:
        return 0, b""
    finally:
        conn.close()


@dataclass
class Env:
    """Where the corpus is and how its servers run."""

    project: Path
    release: Path
    logs: Path
    workers: int
    threads: int

    def environ(self) -> dict[str, str]:
        return {
            **os.environ,
            "CTOC_KG_ROOT": str(self.project),
            "CTOC_KG_BUILD": str(self.project / "build"),
            "PYTHONPATH": os.pathsep.join([str(SERVER), str(HERE)]),
        }


def serve(env: Env, name: str, store: str, probe_query: str) -> Process:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "ctoc_kg.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(env.workers),
        "--threads",
        str(env.threads),
        "--store",
        store,
        *ADMISSION,
    ]
    probe = f"http://127.0.0.1:{port}/sparql?query={urllib.parse.quote(probe_query)}"
    return launch(name, cmd, env.environ(), env.logs / f"{name}.log", probe)


def bare(env: Env, probe_query: str) -> Process:
    """The bare route under the worker class, workers and threads ``ctoc-kg serve`` uses."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(env.workers),
        "--threads",
        str(env.threads),
        "--worker-class",
        "ctoc_kg.web.worker.GuardedThreadWorker",
        "--keep-alive",
        "5",
        "--limit-request-line",
        "8190",
        "--limit-request-fields",
        "100",
        "--access-logfile",
        "-",
        "--no-control-socket",
        "bare_app:app",
    ]
    environ = {**env.environ(), "BENCH_STORE": str(env.release / "store")}
    probe = f"http://127.0.0.1:{port}/sparql?query={urllib.parse.quote(probe_query)}"
    return launch("bare", cmd, environ, env.logs / "bare.log", probe)


@contextmanager
def virtuoso_loaded(env: Env) -> Iterator[virtuoso.Virtuoso]:
    """Virtuoso holding the release, loaded by ``ctoc-kg load`` (its time is reported)."""
    server = virtuoso.start(env.logs / "virtuoso", memory_mib=1024)
    try:
        environ = {**env.environ(), "CTOC_KG_STORE_PASSWORD": virtuoso.PASSWORD}
        cmd = [
            sys.executable,
            "-m",
            "ctoc_kg.cli",
            "load",
            "--store",
            server.endpoint,
            "--graph-store",
            server.graph_store,
            "--user",
            virtuoso.USER,
            "--release",
            str(env.release),
        ]
        done = subprocess.run(
            cmd, env=environ, cwd=ROOT, capture_output=True, text=True, timeout=1800
        )
        if done.returncode != 0:
            raise SystemExit(f"loading Virtuoso failed:\n{done.stderr[-2000:]}")
        yield server
    finally:
        server.stop()


# -- the query mix --------------------------------------------------------------------------


def count(body: bytes, accept: str) -> int:
    """Rows of a SPARQL JSON answer, or statements of a Turtle one (for cross-checking)."""
    if accept == JSON:
        return len(json.loads(body)["results"]["bindings"])
    graph = ox.parse(body, format=ox.RdfFormat.TURTLE)
    return sum(1 for _ in graph)


class Timer:
    """Kept-alive connections, one per host, so the mix times the server and not the dial."""

    def __init__(self) -> None:
        self.conns: dict[str, http.client.HTTPConnection] = {}

    def __call__(self, url: str, accept: str) -> tuple[float, int, bytes]:
        parts = urllib.parse.urlsplit(url)
        key = parts.netloc
        path = parts.path + ("?" + parts.query if parts.query else "")
        for attempt in range(2):
            conn = self.conns.get(key)
            if conn is None:
                conn = self.conns[key] = http.client.HTTPConnection(
                    parts.hostname, parts.port, timeout=120
                )
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": accept})
                resp = conn.getresponse()
                body = resp.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                del self.conns[key]  # the server closed a kept-alive connection: dial again
                if attempt:
                    raise
                continue
            elapsed = time.perf_counter() - t
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                del self.conns[key]
            return elapsed, resp.status, body
        raise AssertionError("unreachable")

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()


def in_process(store: ox.Store, query: str) -> tuple[float, int, bytes]:
    """The query on the store in this process, its answer serialised as the server sends it."""
    t = time.perf_counter()
    result = store.query(query, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        body = result.serialize(format=ox.QueryResultsFormat.JSON)
    else:
        body = result.serialize(format=ox.RdfFormat.TURTLE)  # type: ignore[union-attr]
    return time.perf_counter() - t, 200, body or b""


def run_mix(
    targets: dict[str, Callable[[str, str], tuple[float, int, bytes]]],
    requests: dict[str, tuple[str, str]],
    reps: int,
    warmup: int = 2,
) -> dict[str, dict[str, dict[str, float]]]:
    """{request: {target: {p50_ms, p95_ms, rows}}}: each target answers every request in turn,
    ``reps`` times after ``warmup`` rounds.  ``requests`` maps a name to (query or path, Accept);
    a target is called with that and the Accept header."""
    times: dict[str, dict[str, list[float]]] = {r: {t: [] for t in targets} for r in requests}
    rows: dict[str, dict[str, int]] = {r: {} for r in requests}
    for rep in range(warmup + reps):
        for name, (what, accept) in requests.items():
            for target, call in targets.items():
                elapsed, status, body = call(what, accept)
                if status != 200:
                    raise SystemExit(f"{target} answered {status} to {name}: {body[:300]!r}")
                if rep >= warmup:
                    times[name][target].append(elapsed * 1000)
                if rep == warmup:
                    rows[name][target] = count(body, accept) if accept != HTML else len(body)
    return {
        name: {
            target: {
                "p50_ms": round(statistics.median(ts), 3),
                "p95_ms": round(sorted(ts)[max(0, round(0.95 * len(ts)) - 1)], 3),
                "rows": rows[name][target],
            }
            for target, ts in per.items()
        }
        for name, per in times.items()
    }


# -- throughput -----------------------------------------------------------------------------

UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(url: str, accept: str, connections: int, seconds: float) -> dict[str, float]:
    """req/s, p50 latency (ms) and failed responses (non-2xx and socket errors) of one run."""
    cmd = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "30s",
        "-H",
        f"Accept: {accept}",
        url,
    ]
    out = subprocess.run(
        cmd, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    if rate is None or p50 is None:
        raise SystemExit(f"unexpected wrk output:\n{out}")
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        failed += sum(int(n) for n in socket_errors.groups())
    return {
        "rps": float(rate.group(1)),
        "p50_ms": round(float(p50.group(1)) * UNIT[p50.group(2)], 3),
        "failed": failed,
    }


def run_wrk(
    series: dict[str, tuple[str, str]], levels: list[int], seconds: float, rounds: int
) -> dict[str, dict[str, list[dict[str, float]]]]:
    """{series: {concurrency: [one result per round]}}, the series interleaved in every round."""
    out: dict[str, dict[str, list[dict[str, float]]]] = {
        s: {str(c): [] for c in levels} for s in series
    }
    for c in levels:
        for _ in range(rounds):
            for name, (url, accept) in series.items():
                out[name][str(c)].append(wrk(url, accept, c, seconds))
    return out


# -- the run --------------------------------------------------------------------------------


def largest_project(work: Path) -> Path:
    built = [p for p in work.glob("c*") if (p / "build" / "current" / "manifest.json").is_file()]
    if not built:
        raise SystemExit(f"no built corpus in {work}: run build_bench.py --keep {work} first")
    return max(built, key=lambda p: int(p.name[1:]))


def build_project(copies: int, work: Path) -> Path:
    """A corpus of ``copies`` generated agendas, extracted and built (for a standalone run)."""
    import build_bench

    build_bench.measure(copies, work, keep=True)
    return work / f"c{copies}"


def measure(args: argparse.Namespace, logs: Path) -> dict[str, object]:
    if args.project:
        project = args.project
    elif args.copies:
        project = build_project(args.copies, args.work)
    elif args.size:
        import build_bench

        project = args.work / f"c{build_bench.copies_for(args.size)}"
        if not (project / "build" / "current").is_dir():
            raise SystemExit(f"{project} is not built: run build_bench.py --keep {args.work}")
    else:
        project = largest_project(args.work)
    release = (project / "build" / "current").resolve()
    manifest = json.loads((release / "manifest.json").read_text())
    env = Env(project.resolve(), release, logs, args.workers, args.threads)
    store = ox.Store.read_only(str(release / "store"))
    ontology = manifest["base"] + "ontology/"
    the_mix = mix.pick(store, ontology)
    lookup = the_mix.queries["lookup"]
    use_virtuoso = not args.no_virtuoso and virtuoso.available()
    with ExitStack() as stack:
        kg = serve(env, "ctoc-kg", str(release / "store"), lookup)
        stack.callback(kg.stop)
        floor = bare(env, lookup)
        stack.callback(floor.stop)
        vos: virtuoso.Virtuoso | None = None
        kg_vos: Process | None = None
        load_s = None
        if use_virtuoso:
            t = time.perf_counter()
            vos = stack.enter_context(virtuoso_loaded(env))
            load_s = round(time.perf_counter() - t, 2)
            kg_vos = serve(env, "ctoc-kg-virtuoso", vos.endpoint, lookup)
            stack.callback(kg_vos.stop)
        page = the_mix.document[len(manifest["base"]) :]

        def over(base: str) -> Callable[[str, str], tuple[float, int, bytes]]:
            def call(what: str, accept: str) -> tuple[float, int, bytes]:
                if what.startswith("/"):
                    return timer(base + what.lstrip("/"), accept)
                return timer(base + "sparql?query=" + urllib.parse.quote(what), accept)

            return call

        timer = Timer()
        stack.callback(timer.close)
        targets: dict[str, Callable[[str, str], tuple[float, int, bytes]]] = {
            "in-process": lambda q, _accept: in_process(store, q),
            "ctoc-kg": over(kg.url),
        }
        if vos is not None and kg_vos is not None:
            targets["ctoc-kg over Virtuoso"] = over(kg_vos.url)
            targets["Virtuoso"] = over(vos.endpoint.removesuffix("sparql"))
        requests = {
            name: (q, TURTLE if name == "describe" else JSON) for name, q in the_mix.queries.items()
        }
        mix_result = run_mix(targets, requests, args.reps)
        pages = run_mix(
            {k: v for k, v in targets.items() if k.startswith("ctoc-kg")},
            {"HTML page": ("/" + page, HTML), "Turtle dereference": ("/" + page, TURTLE)},
            args.reps,
        )
        quoted = urllib.parse.quote(lookup)
        series = {
            "lookup ctoc-kg": (f"{kg.url}sparql?query={quoted}", JSON),
            "lookup bare Flask": (f"{floor.url}sparql?query={quoted}", JSON),
            "Turtle dereference ctoc-kg": (kg.url + page, TURTLE),
            "HTML page ctoc-kg": (kg.url + page, HTML),
        }
        if vos is not None and kg_vos is not None:
            series["lookup Virtuoso"] = (f"{vos.endpoint}?query={quoted}", JSON)
            series["lookup ctoc-kg over Virtuoso"] = (f"{kg_vos.url}sparql?query={quoted}", JSON)
        throughput = run_wrk(series, args.levels, args.seconds, args.rounds)
    return {
        "quads": manifest["quads"],
        "agendas": len(list((project / "data" / "sources").glob("*.txt"))),
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "quick" if args.quick else "full",
        "unvalidated": (project / "UNVALIDATED").is_file(),
        "settings": {
            "workers": args.workers,
            "threads": args.threads,
            "admission": " ".join(ADMISSION),
            "reps": args.reps,
            "wrk_seconds": args.seconds,
            "wrk_rounds": args.rounds,
            "cores": os.cpu_count(),
        },
        "virtuoso": (
            {"load_s": load_s, "memory_mib": 1024}
            if use_virtuoso
            else {"skipped": "--no-virtuoso" if args.no_virtuoso else "virtuoso-t not installed"}
        ),
        "mix": {
            "symbol": the_mix.symbol,
            "agenda": the_mix.agenda,
            "document": the_mix.document,
            "aggregates": sorted(the_mix.aggregates),
            "queries": the_mix.queries,
        },
        "latency": mix_result,
        "pages": pages,
        "throughput": throughput,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--project", type=Path, help="a built project (default: largest in --work)")
    ap.add_argument("--work", type=Path, default=WORK, help="where build_bench kept projects")
    ap.add_argument("--copies", type=int, help="generate and build this many agendas first")
    ap.add_argument("--size", type=int, help="the corpus of about 10^SIZE quads in --work")
    ap.add_argument("--results", type=Path, default=HERE / "results")
    ap.add_argument("--quick", action="store_true", help="short runs: 1 s of wrk, 1 round")
    ap.add_argument("--seconds", type=float, help="seconds of each wrk run (default 5; quick 1)")
    ap.add_argument("--rounds", type=int, help="interleaved wrk rounds (default 3; quick 1)")
    ap.add_argument("--reps", type=int, help="repetitions of the mix (default 30; quick 10)")
    ap.add_argument("--levels", type=int, nargs="+", default=[1, 8, 32])
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers (serve's default)")
    ap.add_argument("--threads", type=int, default=8, help="threads per worker (serve's default)")
    ap.add_argument("--no-virtuoso", action="store_true")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)
    args.seconds = args.seconds or (1 if args.quick else 5)
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.reps = args.reps or (10 if args.quick else 30)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package wrk)")
    with tempfile.TemporaryDirectory(prefix="ctoc-serve-bench-") as logs:
        run = measure(args, Path(logs))
    report = serve_report.write(args.results, run)
    print(report)
    missed = [line for line in report.splitlines() if line.startswith("- MISS")]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
