"""Build time and peak memory against corpus size: generated texts through the real pipeline.

For each size: write the agenda texts (``corpus.py``), extract them (two processes,
the machine's cores), then run ``ctoc-kg build`` in a child process whose wall time
and peak RSS are measured; the build's own stage timings come from its manifest.
Writes ``results/build.json``, ``results/build.md`` and ``results/build.png``.

    python bench/build_bench.py            # up to 10^5 quads
    python bench/build_bench.py --max 6    # up to 10^6
    python bench/build_bench.py --max 7    # up to 10^7 (about an hour)
    python bench/build_bench.py --keep bench/.work   # keep each built project, for serve_bench
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SERVER = HERE.parent / "server"


def _extract(args: tuple[str, str]) -> None:
    from ctoc_kg.extract import render

    source, out = Path(args[0]), Path(args[1])
    out.write_text(render(source), encoding="utf-8")


def extract_all(project: Path) -> float:
    t = time.perf_counter()
    jobs = [
        (str(s), str(project / "data" / (s.name.removesuffix(".txt") + ".ttl")))
        for s in sorted((project / "data" / "sources").glob("*.txt"))
    ]
    with Pool(2) as pool:
        pool.map(_extract, jobs, chunksize=4)
    return time.perf_counter() - t


def timed_build(project: Path, *extra: str) -> tuple[float, float, dict[str, object]]:
    """(seconds, peak RSS in MiB, manifest) of one ``ctoc-kg build`` in a child process."""
    env = {**os.environ, "CTOC_KG_ROOT": str(project), "CTOC_KG_BUILD": str(project / "build")}
    env["PYTHONPATH"] = str(SERVER)
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ctoc_kg.cli", "build", *extra], env=env, stdout=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"build failed in {project}")
    manifest = json.loads((project / "build" / "current" / "manifest.json").read_text())
    return seconds, usage.ru_maxrss / 1024, manifest


def measure(copies: int, work: Path, keep: bool = False) -> dict[str, object]:
    shutil.rmtree(work / f"c{copies}", ignore_errors=True)
    project = corpus.write_project(work / f"c{copies}", copies)
    extract_s = extract_all(project)
    seconds, rss, manifest = timed_build(project)
    row = {
        "copies": copies,
        "quads": manifest["quads"],
        "extract_s": round(extract_s, 2),
        "build_s": round(seconds, 2),
        "peak_rss_mib": round(rss),
        "stages": manifest["stages"],
    }
    print(json.dumps(row), flush=True)
    if not keep:
        shutil.rmtree(project, ignore_errors=True)
    return row


def copies_for(power: int) -> int:
    """Generated agendas for a corpus of about 10**power quads."""
    return max(1, round(10**power / corpus.QUADS_PER_COPY))


def exponent(rows: list[dict[str, object]], key: str) -> float:
    """Least-squares slope of log(time) against log(size) over the sizes of 10^4 and up."""
    pts = [
        (math.log(float(r["quads"])), math.log(float(r[key])))  # type: ignore[arg-type]
        for r in rows
        if float(r["quads"]) >= 1e4  # type: ignore[arg-type]
    ]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def merged(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """``rows`` with the earlier results of the sizes not measured this time (a quick run
    keeps the large sizes of a full one)."""
    path = RESULTS / "build.json"
    earlier = json.loads(path.read_text()) if path.is_file() else []
    fresh = {r["copies"] for r in rows}
    kept = [r for r in earlier if r["copies"] not in fresh]
    return sorted([*kept, *rows], key=lambda r: int(r["copies"]))  # type: ignore[call-overload]


def write(rows: list[dict[str, object]]) -> None:
    RESULTS.mkdir(exist_ok=True)
    rows = merged(rows)
    (RESULTS / "build.json").write_text(json.dumps(rows, indent=2))
    k_build, k_total = exponent(rows, "build_s"), exponent(rows, "total_s")
    lines = [
        "| quads | agendas | extract (s) | build (s) | parse | quotes | SHACL | dump | store "
        "| peak RSS (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        st = r["stages"]
        lines.append(
            f"| {r['quads']:,} | {r['copies']} | {r['extract_s']} | {r['build_s']} "  # type: ignore[str-format]
            f"| {st.get('parse')} | {st.get('quotes')} | {st.get('shacl')} | {st.get('dump')} "  # type: ignore[union-attr]
            f"| {st.get('store')} | {r['peak_rss_mib']} |"  # type: ignore[union-attr]
        )
    lines += [
        "",
        f"Growth exponent of build time (log-log slope, sizes >= 10^4): **{k_build:.2f}**; "
        f"of extraction + build: **{k_total:.2f}**.",
    ]
    (RESULTS / "build.md").write_text("\n".join(lines) + "\n")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    q = [r["quads"] for r in rows]
    ax.loglog(q, [r["build_s"] for r in rows], "o-", label="build")
    ax.loglog(q, [r["extract_s"] for r in rows], "s--", label="extraction (2 processes)")
    ax.loglog(q, [r["stages"]["shacl"] for r in rows], "^:", label="of which SHACL")  # type: ignore[index]
    ax.set_xlabel("quads")
    ax.set_ylabel("seconds")
    ax.set_title(f"Build time against size (slope {k_build:.2f})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "build.png", dpi=100)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max", type=int, default=5, help="largest size, as a power of ten")
    ap.add_argument(
        "--keep", type=Path, metavar="DIR", help="keep each built project as DIR/c<copies>"
    )
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="ctoc-bench-") as tmp:
        work = args.keep.resolve() if args.keep else Path(tmp)
        # one copy is already about 2 x 10^4 quads: small powers share it
        for copies in sorted({copies_for(power) for power in range(3, args.max + 1)}):
            row = measure(copies, work, keep=args.keep is not None)
            row["total_s"] = round(float(row["extract_s"]) + float(row["build_s"]), 2)  # type: ignore[arg-type]
            rows.append(row)
    write(rows)


if __name__ == "__main__":
    main()
