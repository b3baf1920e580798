"""``ctoc-kg query``: columns in the query's order, in the format asked for."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from ctoc_kg.build.release import Release
from ctoc_kg.store.projection import star_order

from .conftest import ROOT

QUERY = """# Question: Which items, title before number?
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT {projection} WHERE {{
  ?item dcterms:title ?title ; skos:notation ?number .
  FILTER (?number = "1")
}}
"""


def run(release: Release, build_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CTOC_KG_BUILD": str(build_dir), "PYTHONPATH": str(ROOT / "server")}
    return subprocess.run(
        [sys.executable, "-m", "ctoc_kg.cli", "query", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_columns_in_the_query_order(release: Release, build_dir: Path, tmp_path: Path) -> None:
    q = tmp_path / "q.rq"
    q.write_text(QUERY.format(projection="?title ?number"), encoding="utf-8")
    out = run(release, build_dir, "--format", "csv", str(q))
    assert out.returncode == 0, out.stderr
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == ["title", "number"]
    assert rows[1][1] == "1" and rows[1][0] == "Questions d'organisation"  # line 20 of the source
    tsv = run(release, build_dir, "--format", "tsv", str(q)).stdout
    assert tsv.splitlines()[0] == "?title\t?number"
    js = json.loads(run(release, build_dir, "--format", "json", str(q)).stdout)
    assert js["head"]["vars"] == ["title", "number"]
    table = run(release, build_dir, str(q)).stdout.splitlines()
    assert table[0].split() == ["title", "number"] and set(table[1]) == {"-", " "}


def test_select_star_keeps_the_order_of_appearance(
    release: Release, build_dir: Path, tmp_path: Path
) -> None:
    q = tmp_path / "star.rq"
    q.write_text(QUERY.format(projection="*"), encoding="utf-8")
    out = run(release, build_dir, "--format", "csv", str(q))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "item,title,number"


def test_star_order_reads_past_strings_iris_and_comments() -> None:
    query = 'SELECT DISTINCT * WHERE { # ?c\n ?b <http://x/?a> "?a" . ?a ?p ?b }'
    assert star_order(query, ["a", "b", "p"]) == ["b", "a", "p"]
    assert star_order("SELECT ?z ?a WHERE { ?a ?p ?z }", ["z", "a"]) == ["z", "a"]


def test_a_bad_query_file_is_named(release: Release, build_dir: Path, tmp_path: Path) -> None:
    q = tmp_path / "bad.rq"
    q.write_text("# Question: broken\nSELEC ?x WHERE { ?x ?p ?o }", encoding="utf-8")
    out = run(release, build_dir, str(q))
    assert out.returncode == 1 and str(q) in out.stderr
