"""Throughput of ``ctoc-kg serve`` against a bare Flask route, measured with wrk.

Run: ``make bench`` (or ``.venv/bin/python bench/run.py``).  Everything is
measured in the same run on the same machine, and reported as ratios:

* lookup by symbol through /sparql at concurrency 8 must reach at least
  ``LOOKUP_FLOOR`` of the bare route's throughput (same store, same workers);
* dereferencing a resource as Turtle at concurrency 8 must reach at least
  ``DEREF_FLOOR`` of the lookup's rate.

Exits 1 when a floor is missed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOKUP_FLOOR = 0.80
DEREF_FLOOR = 0.50
LOOKUP = (
    "PREFIX dcterms: <http://purl.org/dc/terms/> "
    'SELECT ?d WHERE { ?d dcterms:identifier "CTOC/COP/2008/6" }'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def start(cmd: list[str], env: dict[str, str], probe: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    wait(probe, proc)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(60)


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> float:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} failed responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3, help="alternate the servers this many times")
    args = ap.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package wrk)")
    build = Path(tempfile.mkdtemp(prefix="ctoc-bench-"))
    port_kg, port_bare = free_port(), free_port()
    base = f"http://127.0.0.1:{port_kg}/"
    env = {**os.environ, "CTOC_KG_BUILD": str(build)}
    py = sys.executable
    kg = start(
        [py, "-m", "ctoc_kg.cli", "serve", "--host", "127.0.0.1", "--port", str(port_kg),
         "--workers", str(args.workers)],
        env, base + "robots.txt",
    )  # fmt: skip
    store = next((build / "releases").iterdir()) / "store"
    bare_env = {**env, "BENCH_STORE": str(store), "PYTHONPATH": str(ROOT / "bench")}
    q = urllib.parse.quote(LOOKUP)
    bare = start(
        # the same gunicorn settings as `ctoc-kg serve`, access log included
        [py, "-m", "gunicorn", "--bind", f"127.0.0.1:{port_bare}", "--workers", str(args.workers),
         "--worker-class", "sync", "--limit-request-line", "8190", "--access-logfile", "-",
         "--no-control-socket", "bare_app:app"],
        bare_env, f"http://127.0.0.1:{port_bare}/sparql?query={q}",
    )  # fmt: skip
    accept_json = {"Accept": "application/sparql-results+json"}
    results: dict[str, list[float]] = {"bare": [], "lookup": [], "deref": []}
    try:
        for _ in range(args.rounds):  # interleaved, so noise hits every series alike
            results["bare"].append(
                wrk(
                    f"http://127.0.0.1:{port_bare}/sparql?query={q}",
                    args.seconds,
                    args.connections,
                    {},
                )
            )
            results["lookup"].append(
                wrk(f"{base}sparql?query={q}", args.seconds, args.connections, accept_json)
            )
            results["deref"].append(
                wrk(f"{base}document/CTOC/COP/2008/6", args.seconds, args.connections,
                    {"Accept": "text/turtle"})
            )  # fmt: skip
    finally:
        stop(kg)
        stop(bare)
        shutil.rmtree(build, ignore_errors=True)
    best = {k: max(v) for k, v in results.items()}
    # rounds alternate the servers, so each round's ratio compares like with like
    pairs = zip(results["lookup"], results["bare"], results["deref"], strict=True)
    rounds = [(lk / b, d / lk) for lk, b, d in pairs]
    lookup_ratio = statistics.median(r[0] for r in rounds)
    deref_ratio = statistics.median(r[1] for r in rounds)
    print(f"workers={args.workers} connections={args.connections} seconds={args.seconds}")
    for k, v in results.items():
        print(f"  {k:7s} req/s: " + ", ".join(f"{x:.0f}" for x in v) + f"  (best {best[k]:.0f})")
    print(f"lookup / bare Flask = {lookup_ratio:.3f}  (median of rounds; floor {LOOKUP_FLOOR})")
    print(f"deref Turtle / lookup = {deref_ratio:.3f}  (median of rounds; floor {DEREF_FLOOR})")
    ok = lookup_ratio >= LOOKUP_FLOOR and deref_ratio >= DEREF_FLOOR
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
