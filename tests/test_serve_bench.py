"""The serving benchmark in its smallest mode, on one generated agenda: its results are whole.

Runs ``bench/serve_bench.py`` as ``make bench`` does (real servers on loopback, wrk,
Virtuoso when installed), into a temporary folder, and checks what it wrote: every
query of the mix measured on every target with the same answers, every throughput
series measured without a refused response, the tables and the plots.  Nothing here
asserts a speed; the numbers are the benchmark's to report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from . import virtuoso
from .conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.live,
    pytest.mark.virtuoso,
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk not installed"),
]
#: the targets are read at concurrency 8
LEVELS = ["1", "8"]


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, object], Path, Path]:
    tmp = tmp_path_factory.mktemp("serve-bench")
    results, work = tmp / "results", tmp / "work"
    cmd = [sys.executable, str(ROOT / "bench" / "serve_bench.py"), "--quick", "--copies", "1",
           "--work", str(work), "--results", str(results), "--reps", "3",
           "--levels", *LEVELS]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    runs = json.loads((results / "serve.json").read_text())
    assert len(runs) == 1
    return next(iter(runs.values())), results, work / "c1"


def test_the_mix_is_measured_everywhere_with_the_same_answers(
    bench_run: tuple[dict[str, object], Path, Path],
) -> None:
    run, _, _ = bench_run
    latency: dict[str, dict[str, dict[str, float]]] = run["latency"]  # type: ignore[assignment]
    expected = ["in-process", "ctoc-kg"]
    if virtuoso.available():
        expected += ["ctoc-kg over Virtuoso", "Virtuoso"]
    assert list(latency) == [
        "lookup",
        "meeting items",
        "item documents",
        "counts per body and year",
        "title search",
        "describe",
    ]
    for name, per in latency.items():
        assert list(per) == expected, name
        for cell in per.values():
            assert 0 < cell["p50_ms"] <= cell["p95_ms"], (name, cell)
            assert cell["rows"] > 0, name
        if name != "describe":  # Virtuoso describes a resource by its own rule
            assert len({cell["rows"] for cell in per.values()}) == 1, (name, per)
    # one document has the symbol looked up
    assert {cell["rows"] for cell in latency["lookup"].values()} == {1}


def test_the_looked_up_symbol_is_in_the_generated_text(
    bench_run: tuple[dict[str, object], Path, Path],
) -> None:
    run, _, project = bench_run
    symbol = run["mix"]["symbol"]  # type: ignore[index]
    texts = [p.read_text(encoding="utf-8") for p in (project / "data" / "sources").glob("*.txt")]
    assert sum(symbol in t for t in texts) == 1


def test_every_throughput_series_is_measured_without_refusals(
    bench_run: tuple[dict[str, object], Path, Path],
) -> None:
    run, _, _ = bench_run
    throughput: dict[str, dict[str, list[dict[str, float]]]] = run["throughput"]  # type: ignore[assignment]
    series = {"lookup ctoc-kg", "lookup bare Flask", "Turtle dereference ctoc-kg",
              "HTML page ctoc-kg"}  # fmt: skip
    if virtuoso.available():
        series |= {"lookup Virtuoso", "lookup ctoc-kg over Virtuoso"}
    assert set(throughput) == series
    for name, per in throughput.items():
        assert list(per) == LEVELS, name
        for rounds in per.values():
            assert len(rounds) == 1
            assert rounds[0]["rps"] > 0 and rounds[0]["p50_ms"] > 0, name
            assert rounds[0]["failed"] == 0, name


def test_tables_and_plots_are_written(bench_run: tuple[dict[str, object], Path, Path]) -> None:
    run, results, _ = bench_run
    md = (results / "serve.md").read_text()
    assert f"### {run['quads']:,} quads (1 agendas)" in md
    for name in run["latency"]:  # type: ignore[attr-defined]
        assert f"\n| {name}" in md, name
    verdicts = [line for line in md.splitlines() if line.startswith(("- PASS", "- MISS"))]
    # three ratios (two of them against Virtuoso), five latency targets, HTML, no refusals,
    # and six over-Virtuoso ratios when Virtuoso ran
    assert len(verdicts) == (3 + 5 + 1 + 1 + 6 if virtuoso.available() else 1 + 5 + 1 + 1)
    for png in ("serve-throughput.png", "serve-mix.png"):
        assert (results / png).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), png
