"""The incremental build: one new agenda added to a built corpus, timed by stage.

Copies a built project (its data, ontology, shapes and served release) so the
original stays as it was, writes the next generated agenda text
(:func:`corpus.agenda_text`), extracts it, and runs ``ctoc-kg build``, which
reuses every unchanged graph of the served release and validates the new one in
the context of the whole dataset.  The release it starts from must have been built
by the same code, ontology and shapes (its fingerprint) for the increment to be
one, so it is brought up to date first (a full build, not timed as the increment).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import corpus
from build_bench import RESULTS, _extract, timed_build


def add_agenda(project: Path) -> str:
    """Write and extract the next generated agenda; its graph's file name."""
    sources = project / "data" / "sources"
    k = len(list(sources.glob("*.txt")))
    name, text = corpus.agenda_text(k, corpus.SEED.read_text(encoding="utf-8"))
    (sources / name).write_text(text, encoding="utf-8")
    out = project / "data" / (name.removesuffix(".txt") + ".ttl")
    _extract((str(sources / name), str(out)))
    return out.name


def copy_project(src: Path, dest: Path) -> Path:
    """``src`` with its served release, as files of its own (the release is read-only)."""
    shutil.rmtree(dest, ignore_errors=True)
    for part in ("data", "ontology", "shapes"):
        shutil.copytree(src / part, dest / part)
    current = (src / "build" / "current").resolve()
    releases = dest / "build" / "releases"
    releases.mkdir(parents=True)
    shutil.copytree(current, releases / current.name, ignore=shutil.ignore_patterns("in-use"))
    (dest / "build" / "current").symlink_to(Path("releases") / current.name)
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("project", type=Path, help="a built project (build_bench --keep)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/ctoc-kg-incremental"))
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args()
    project = copy_project(args.project.resolve(), args.work)
    # brought up to date first: a release built by other code or shapes is rebuilt whole
    base_s, _, before = timed_build(project)
    print(f"base build: {base_s:.1f} s (incremental: {before.get('incremental')})", flush=True)
    t = time.perf_counter()
    added = add_agenda(project)
    extract_s = time.perf_counter() - t
    seconds, rss, manifest = timed_build(project)
    row = {
        "quads_before": before["quads"],
        "quads": manifest["quads"],
        "added": added,
        "incremental": manifest.get("incremental"),
        "rebuilt": len(manifest.get("rebuilt", [])),
        "validated": manifest.get("validated"),
        "extract_s": round(extract_s, 2),
        "build_s": round(seconds, 2),
        "peak_rss_mib": round(rss),
        "stages": manifest["stages"],
    }
    print(json.dumps(row))
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "incremental.json").write_text(json.dumps(row, indent=2) + "\n")
    stages = ", ".join(f"{k} {v:g} s" for k, v in row["stages"].items())  # type: ignore[union-attr]
    (args.results / "incremental.md").write_text(
        "| quads before | quads after | incremental | graphs rebuilt | nodes validated "
        "| extract (s) | build (s) | peak RSS (MiB) |\n|---:|---:|---|---:|---:|---:|---:|---:|\n"
        f"| {row['quads_before']:,} | {row['quads']:,} | {row['incremental']} | {row['rebuilt']} "
        f"| {row['validated']} | {row['extract_s']} | {row['build_s']} "
        f"| {row['peak_rss_mib']} |\n\n"
        f"Stages of the build: {stages}.\n"
    )
    shutil.rmtree(project, ignore_errors=True)


if __name__ == "__main__":
    main()
