"""Validated dataset -> store: deterministic dumps, configurable base, atomic swaps."""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ctoc_kg.build.load import ParseFailure
from ctoc_kg.build.release import Release, ValidationFailed, build, current
from ctoc_kg.config import Paths
from ctoc_kg.store import open_store
from ctoc_kg.vocab import CTOC
from rdflib import Dataset

from .conftest import BASE, ROOT


def test_release_has_a_graph_per_source_its_statements_and_the_ontology(
    release: Release,
) -> None:
    assert sorted(release.manifest["graphs"]) == [  # type: ignore[call-overload]
        BASE + "graph/ctoc-cop-wg4-2009-agenda.fr",
        BASE + "graph/ctoc-cop-wg4-2009-agenda.fr.statements",
        BASE + "graph/ontology",
    ]
    ds = Dataset()
    ds.parse(release.path / "dataset.nq", format="nquads")
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == set(release.manifest["graphs"])  # type: ignore[arg-type]


def test_dump_is_sorted_and_gzip_matches(release: Release) -> None:
    raw = (release.path / "dataset.nq").read_bytes()
    lines = raw.decode().splitlines()
    assert lines == sorted(lines)
    assert gzip.decompress((release.path / "dataset.nq.gz").read_bytes()) == raw


@pytest.mark.slow
def test_same_input_gives_byte_identical_dumps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dumps = []
    for n in (1, 2):
        monkeypatch.setenv("CTOC_KG_BUILD", str(tmp_path / f"b{n}"))
        dumps.append((build(Paths(ROOT), BASE).path / "dataset.nq").read_bytes())
    assert dumps[0] == dumps[1]


def test_store_holds_the_dump(release: Release) -> None:
    store = open_store(release.store)
    (row,) = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(row["n"]) == release.manifest["quads"]  # type: ignore[call-overload]


def test_another_base_uri_mints_every_iri_under_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CTOC_KG_BUILD", str(tmp_path))
    other = "https://kg.example.org/untoc/"
    rel = build(Paths(ROOT), other)
    text = (rel.path / "dataset.nq").read_text()
    # no data IRI is left under the canonical base; only the vocabulary's namespaces are
    assert not re.search(rf"<{re.escape(BASE)}(?!ontology/|shapes/)", text)
    assert f"<{other}body/CTOC/COP/WG.4>" in text
    # the vocabulary's namespace is persistent: it does not move with the base
    assert f"<{CTOC}AgendaItem>" in text
    store = open_store(rel.store)
    rows = store.select(
        f"BASE <{other}> PREFIX ctoc: <{CTOC}> SELECT ?i WHERE {{ ?i a ctoc:AgendaItem }}"
    )
    assert len(rows) == 6


def _good_copy(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Paths, Release]:
    monkeypatch.setenv("CTOC_KG_BUILD", str(project_copy / "build"))
    paths = Paths(project_copy)
    return paths, build(paths, BASE)


@pytest.mark.slow
def test_a_build_failing_validation_changes_nothing(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, before = _good_copy(project_copy, monkeypatch)
    data = project_copy / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl"
    data.write_text(data.read_text().replace("ctoc:ordinal 4 ;", 'ctoc:ordinal "four" ;', 1))
    with pytest.raises(ValidationFailed) as err:
        build(paths, BASE)
    assert "session/4" in err.value.report.text()
    after = current(paths)
    assert after is not None and after.path == before.path and after.manifest == before.manifest


def test_a_build_failing_to_parse_changes_nothing(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, before = _good_copy(project_copy, monkeypatch)
    (project_copy / "data" / "extra.ttl").write_text("<a> <b> .\n")
    with pytest.raises(ParseFailure, match=r"extra\.ttl"):
        build(paths, BASE)
    assert current(paths).path == before.path  # type: ignore[union-attr]


@pytest.mark.slow
def test_a_build_killed_midway_leaves_the_served_store(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, before = _good_copy(project_copy, monkeypatch)
    data = project_copy / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl"
    data.write_text(data.read_text() + '\n<http://example.org/x> <http://example.org/y> "z" .\n')
    env = {**os.environ, "CTOC_KG_ROOT": str(project_copy), "CTOC_KG_BUILD": str(paths.build)}
    for delay in (0.3, 0.8, 1.5, 2.5):
        proc = subprocess.Popen([sys.executable, "-m", "ctoc_kg.cli", "build"], env=env, cwd=ROOT)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        served = current(paths)
        assert served is not None
        store = open_store(served.store)
        assert store.ask("ASK { GRAPH ?g { ?s ?p ?o } }")
        store.close()
        if served.path != before.path:  # the build finished before the kill: a whole new release
            assert "example.org/x" in (served.path / "dataset.nq").read_text()


@pytest.mark.slow
def test_the_build_reports_each_stage_as_it_ends(project_copy: Path) -> None:
    env = {
        **os.environ,
        "CTOC_KG_ROOT": str(project_copy),
        "CTOC_KG_BUILD": str(project_copy / "build"),
        "PYTHONPATH": str(ROOT / "server"),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "ctoc_kg.cli", "build"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    stages = [line.split(":")[0].strip() for line in proc.stderr.splitlines()[1:]]
    assert stages == ["parse", "index", "quotes", "shacl", "dump", "gzip", "store", "turtle"]
    assert proc.stdout.startswith("built release ")


@pytest.mark.parametrize("incremental", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_a_build_names_a_faulty_blank_node_by_its_path(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch, incremental: bool
) -> None:
    """The build's report names a blank node as `validate` does: by the path that reaches it
    from a named resource, full build and incremental alike."""
    monkeypatch.setenv("CTOC_KG_BUILD", str(project_copy / "build"))
    paths = Paths(project_copy)
    if incremental:
        build(paths, BASE)
    data = project_copy / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl"
    text = data.read_text(encoding="utf-8")
    assert text.count("oa:start 10054 ]") == 1
    data.write_text(text.replace("oa:start 10054 ]", 'oa:start "dix" ]'), encoding="utf-8")
    with pytest.raises(ValidationFailed) as err:
        build(paths, BASE)
    quote = BASE + "source/ctoc-cop-wg4-2009-agenda.fr/quote/10054-10073"
    hits = [v for v in err.value.report.violations if v.value == '"dix"']
    assert hits and all(
        v.focus == f"<{quote}> oa:hasTarget/oa:hasSelector[oa:TextPositionSelector]"
        and v.resource == quote
        for v in hits
    ), [(v.focus, v.resource) for v in hits]
