"""The serving benchmark's results: ``serve.json``, ``serve.md`` with the targets, and plots.

``serve.json`` keeps one run per corpus size (keyed by its quads), so the 10^4 and 10^5
runs of different invocations sit side by side; a new run at a size replaces the old.
Ratios are taken per interleaved round and their median reported, so a slow moment of
the shared machine counts against both sides of a ratio alike.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

#: (name, numerator series, denominator series, floor): throughput ratios at concurrency 8
RATIOS = [
    ("lookup / bare Flask", "lookup ctoc-kg", "lookup bare Flask", 0.80),
    ("lookup / Virtuoso", "lookup ctoc-kg", "lookup Virtuoso", 1.25),
    ("Turtle dereference / lookup", "Turtle dereference ctoc-kg", "lookup ctoc-kg", 0.50),
]
P50_TARGET_MS = 50.0
OVER_VIRTUOSO_TARGET = 1.2
TARGET_CONCURRENCY = "8"


def ratio(run: dict[str, Any], top: str, bottom: str, level: str) -> float | None:
    """Median over rounds of the per-round throughput ratio; None when a series is missing."""
    tp = run["throughput"]
    if top not in tp or bottom not in tp or level not in tp[top]:
        return None
    pairs = zip(tp[top][level], tp[bottom][level], strict=True)
    return statistics.median(a["rps"] / b["rps"] for a, b in pairs if b["rps"] > 0)


def rps(run: dict[str, Any], series: str, level: str) -> float:
    return statistics.median(r["rps"] for r in run["throughput"][series][level])


def verdicts(run: dict[str, Any]) -> list[str]:
    """PASS/MISS lines for the targets, as measured on this run's corpus size."""
    out = []

    def line(ok: bool, text: str) -> None:
        out.append(f"- {'PASS' if ok else 'MISS'} {text}")

    for name, top, bottom, floor in RATIOS:
        r = ratio(run, top, bottom, TARGET_CONCURRENCY)
        if r is None:
            out.append(f"- SKIP {name}: no {bottom} series ({run['virtuoso'].get('skipped')})")
        else:
            line(r >= floor, f"{name} at c=8: {r:.2f} (floor {floor})")
    lat = run["latency"]
    aggregates = set(run["mix"]["aggregates"])
    for name, per in lat.items():
        if name in aggregates:
            continue
        p50 = per["ctoc-kg"]["p50_ms"]
        line(p50 < P50_TARGET_MS, f"{name} through ctoc-kg: p50 {p50:.1f} ms (target < 50 ms)")
    html = run["pages"]["HTML page"]["ctoc-kg"]["p50_ms"]
    line(html < P50_TARGET_MS, f"HTML page: p50 {html:.1f} ms (target < 50 ms)")
    if "Virtuoso" in next(iter(lat.values())):
        for name, per in lat.items():
            r = per["ctoc-kg over Virtuoso"]["p50_ms"] / per["Virtuoso"]["p50_ms"]
            line(
                r <= OVER_VIRTUOSO_TARGET,
                f"{name}, ctoc-kg over Virtuoso / Virtuoso p50: {r:.2f} (target <= 1.2)",
            )
    failed = {
        f"{s} c={c}": sum(r["failed"] for r in rounds)
        for s, levels in run["throughput"].items()
        for c, rounds in levels.items()
    }
    bad = {k: v for k, v in failed.items() if v}
    line(not bad, "every wrk response 2xx" + (f" (failed: {bad})" if bad else ""))
    return out


def _ms(cell: dict[str, Any]) -> str:
    return f"{cell['p50_ms']:.2f} ({cell['p95_ms']:.2f})"


def section(run: dict[str, Any]) -> list[str]:
    s = run["settings"]
    lines = [
        f"### {run['quads']:,} quads ({run['agendas']} agendas)",
        "",
        f"Measured {run['when']} ({run['mode']} mode) on {s['cores']} shared cores: "
        f"gunicorn {s['workers']} workers x {s['threads']} threads for ctoc-kg and the bare "
        f"route alike; admission raised for wrk (`{s['admission']}`); mix {s['reps']} "
        f"interleaved repetitions; wrk {s['wrk_rounds']} interleaved round(s) of "
        f"{s['wrk_seconds']} s per series and concurrency.",
    ]
    if run.get("unvalidated"):
        lines.append(
            "Corpus built by `bench/unvalidated_corpus.py`: the real build without its SHACL "
            "stage, which did not finish at this size when the corpus was built."
        )
    vos = run["virtuoso"]
    lines.append(
        f"Virtuoso: loaded by `ctoc-kg load` in {vos['load_s']} s, {vos['memory_mib']} MiB "
        "of buffers."
        if "load_s" in vos
        else f"Virtuoso: **not measured** ({vos['skipped']})."
    )
    lines += ["", "Targets at this size:", "", *verdicts(run), ""]
    lat = run["latency"]
    targets = list(next(iter(lat.values())))
    with_vos = "Virtuoso" in targets
    head = "| query | " + " | ".join(targets)
    head += " | over Virtuoso / Virtuoso |" if with_vos else " |"
    lines += [
        "Query mix, p50 (p95) in ms; rows answered in brackets where the targets disagree:",
        "",
        head,
        "|---" + "|---:" * (len(targets) + with_vos) + "|",
    ]
    aggregates = set(run["mix"]["aggregates"])
    for name, per in lat.items():
        rows = {per[t]["rows"] for t in targets if t != "Virtuoso" or name != "describe"}
        cells = [_ms(per[t]) + ("" if len(rows) == 1 else f" [{per[t]['rows']}]") for t in targets]
        label = name + (" (whole corpus)" if name in aggregates else "")
        extra = (
            [f"{per['ctoc-kg over Virtuoso']['p50_ms'] / per['Virtuoso']['p50_ms']:.2f}"]
            if with_vos
            else []
        )
        lines.append(f"| {label} | " + " | ".join(cells + extra) + " |")
    pages = run["pages"]
    servers = list(next(iter(pages.values())))
    lines += [
        "",
        "| page (p50 (p95) ms) | " + " | ".join(servers) + " |",
        "|---" + "|---:" * len(servers) + "|",
    ]
    for name, per in pages.items():
        lines.append(f"| {name} | " + " | ".join(_ms(per[t]) for t in servers) + " |")
    tp = run["throughput"]
    levels = list(next(iter(tp.values())))
    lines += [
        "",
        "Throughput, req/s (median of rounds; p50 latency in ms under load):",
        "",
        "| series | " + " | ".join(f"c={c}" for c in levels) + " |",
        "|---" + "|---:" * len(levels) + "|",
    ]
    for name, per in tp.items():
        cells = [
            f"{rps(run, name, c):,.0f} ({statistics.median(r['p50_ms'] for r in per[c]):.1f})"
            for c in levels
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| ratio | " + " | ".join(f"c={c}" for c in levels) + " | floor (at c=8) |",
        "|---" + "|---:" * (len(levels) + 1) + "|",
    ]
    for name, top, bottom, floor in RATIOS:
        values = [ratio(run, top, bottom, c) for c in levels]
        if all(v is None for v in values):
            continue
        cells = ["-" if v is None else f"{v:.2f}" for v in values]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {floor} |")
    return [*lines, ""]


def load(results: Path) -> dict[str, Any]:
    path = results / "serve.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def write(results: Path, run: dict[str, Any]) -> str:
    """Add ``run`` to the results in ``results`` and rewrite the tables and plots; returns the
    Markdown of this run's section."""
    results.mkdir(parents=True, exist_ok=True)
    runs = load(results)
    runs[str(run["quads"])] = run
    ordered = dict(sorted(runs.items(), key=lambda kv: int(kv[0])))
    tmp = results / "serve.json.tmp"
    tmp.write_text(json.dumps(ordered, indent=1) + "\n")
    tmp.replace(results / "serve.json")
    text = ["## Serving benchmark (`bench/serve_bench.py`)", ""]
    for r in reversed(ordered.values()):
        text += section(r)
    (results / "serve.md").write_text("\n".join(text))
    plot(results, list(ordered.values()))
    return "\n".join(section(run))


def plot(results: Path, runs: list[dict[str, Any]]) -> None:
    """serve-throughput.png (req/s against concurrency, per size) and serve-mix.png (p50
    against size on log-log axes, one panel per query)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = runs[-3:]
    fig, axes = plt.subplots(1, len(shown), figsize=(5.5 * len(shown), 4), squeeze=False)
    for ax, run in zip(axes[0], shown, strict=True):
        for name, per in run["throughput"].items():
            levels = sorted(per, key=int)
            ax.plot([int(c) for c in levels], [rps(run, name, c) for c in levels], "o-", label=name)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("concurrent connections (wrk)")
        ax.set_ylabel("requests / s")
        ax.set_title(f"{run['quads']:,} quads")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(results / "serve-throughput.png", dpi=90)
    plt.close(fig)

    from matplotlib.ticker import NullFormatter

    names = list(runs[-1]["latency"]) + list(runs[-1]["pages"])
    colour = {t: f"C{i}" for i, t in enumerate(next(iter(runs[-1]["latency"].values())))}
    cols = 4
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 3.2 * rows), squeeze=False)
    for i, name in enumerate(names):
        ax = axes[i // cols][i % cols]
        table = "latency" if name in runs[-1]["latency"] else "pages"
        for target in runs[-1][table][name]:
            pts = [
                (r["quads"], r[table][name][target]["p50_ms"])
                for r in runs
                if target in r[table].get(name, {})
            ]
            ax.loglog(*zip(*pts, strict=True), "o-", label=target, color=colour.get(target))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.axhline(P50_TARGET_MS, color="grey", linestyle=":", linewidth=1)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("quads", fontsize=8)
        ax.set_ylabel("p50 ms", fontsize=8)
        ax.grid(True, which="both", alpha=0.3)
    for j in range(len(names), rows * cols):
        axes[j // cols][j % cols].axis("off")
    axes[0][0].legend(fontsize=6)
    fig.tight_layout()
    fig.savefig(results / "serve-mix.png", dpi=90)
    plt.close(fig)
