"""Incremental builds: one new or changed source is parsed and validated, not the world.

The proof of sameness is the dump: an incremental build and a full build of the same
inputs give the same bytes (and so the same release version).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from ctoc_kg.build.release import ValidationFailed, build, current
from ctoc_kg.config import Paths
from ctoc_kg.extract import render

from .conftest import BASE, ROOT

sys.path.insert(0, str(ROOT / "bench"))
import corpus

#: each test builds a project twice or more
pytestmark = pytest.mark.slow


def _graph(name: str) -> str:
    return BASE + "graph/" + name.removesuffix(".txt")


def _add_agenda(project: Path, k: int) -> str:
    """A generated agenda (the first one's meeting on another date) and its data file."""
    seed = corpus.SEED.read_bytes().decode("utf-8")
    name, text = corpus.agenda_text(k, seed)
    source = project / "data" / "sources" / name
    source.write_bytes(text.encode("utf-8"))
    out = project / "data" / (name.removesuffix(".txt") + ".ttl")
    out.write_text(render(source), encoding="utf-8")
    return name


@pytest.fixture
def project(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CTOC_KG_BUILD", str(project_copy / "build"))
    _add_agenda(project_copy, 1)
    return project_copy


def test_adding_a_source_rebuilds_only_it_and_matches_a_full_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(project)
    first = build(paths, BASE)
    assert first.manifest["incremental"] is False
    name = _add_agenda(project, 2)
    second = build(paths, BASE)
    assert second.manifest["incremental"] is True
    assert second.manifest["rebuilt"] == [_graph(name)]
    assert second.manifest["quads"] > first.manifest["quads"]  # type: ignore[operator]
    monkeypatch.setenv("CTOC_KG_BUILD", str(project / "build-full"))
    full = build(paths, BASE)
    assert full.manifest["incremental"] is False
    assert len(full.manifest["rebuilt"]) == 3  # type: ignore[arg-type]
    assert (second.path / "dataset.nq").read_bytes() == (full.path / "dataset.nq").read_bytes()
    assert (second.path / "dataset.ttl").read_bytes() == (full.path / "dataset.ttl").read_bytes()
    assert second.version == full.version
    assert second.manifest["graphs"] == full.manifest["graphs"]


def test_the_incremental_store_holds_the_full_build_quads(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyoxigraph as ox

    paths = Paths(project)
    build(paths, BASE)
    changed = project / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl"
    changed.write_text(
        changed.read_text()
        + '\n<document/CTOC/COP/2008/6> <http://www.w3.org/2000/01/rdf-schema#comment> "noted" .\n'
    )
    (project / "data" / (corpus.agenda_text(1, "")[0].removesuffix(".txt") + ".ttl")).unlink()
    inc = build(paths, BASE)
    assert inc.manifest["rebuilt"] == [_graph("ctoc-cop-wg4-2009-agenda.fr")]
    assert inc.manifest["removed"] == [_graph(corpus.agenda_text(1, "")[0])]
    monkeypatch.setenv("CTOC_KG_BUILD", str(project / "build-full"))
    full = build(paths, BASE)
    stores = [list(ox.Store.read_only(str(r.store))) for r in (inc, full)]
    assert len(stores[0]) == len(stores[1]) == inc.manifest["quads"]

    def named(quads: list[ox.Quad]) -> set[str]:  # the store labels blank nodes its own way
        return {str(q) for q in quads if "_:" not in str(q)}

    assert named(stores[0]) == named(stores[1])


def test_nothing_changed_rebuilds_nothing(project: Path) -> None:
    paths = Paths(project)
    first = build(paths, BASE)
    again = build(paths, BASE)
    assert again.manifest["rebuilt"] == []
    assert again.version == first.version


def test_a_change_to_the_shapes_makes_a_full_build(project: Path) -> None:
    paths = Paths(project)
    build(paths, BASE)
    shapes = next((project / "shapes").glob("*.ttl"))
    shapes.write_text(shapes.read_text() + "\n# reviewed\n")
    again = build(paths, BASE)
    assert again.manifest["incremental"] is False


def test_a_source_that_restates_known_facts_changes_nothing_to_validate(
    project: Path,
) -> None:
    """Validation sees the union of the graphs: a new file stating only what another
    file states already (as every agenda restates the documents it cites) changes no
    node's validation, so no node is validated again; its graph is still built."""
    paths = Paths(project)
    build(paths, BASE)
    curated = project / "data" / "curated"
    curated.mkdir(exist_ok=True)
    (curated / "restated.ttl").write_text(
        '<document/CTOC/COP/2008/6> <http://purl.org/dc/terms/identifier> "CTOC/COP/2008/6" .\n',
        encoding="utf-8",
    )
    inc = build(paths, BASE)
    assert inc.manifest["incremental"] is True
    assert [g.rsplit("/", 1)[1] for g in inc.manifest["rebuilt"]] == ["restated"]  # type: ignore[union-attr]
    assert inc.manifest["validated"] == 0


def test_a_link_into_an_existing_resource_is_checked_in_context(project: Path) -> None:
    """The new file says something wrong about a resource another file describes: the
    check sees both files and refuses; the served release stays as it was."""
    paths = Paths(project)
    before = build(paths, BASE)
    bad = project / "data" / "curated"
    bad.mkdir(exist_ok=True)  # the checkout has one, with its README
    (bad / "wrong.ttl").write_text(
        '<document/CTOC/COP/2008/6> <http://purl.org/dc/terms/identifier> "CTOC/COP/2008/7" .\n',
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as failed:
        build(paths, BASE)
    foci = {v.focus for v in failed.value.report.violations}
    assert BASE + "document/CTOC/COP/2008/6" in foci
    assert current(paths).version == before.version  # type: ignore[union-attr]


def test_a_bad_blank_node_in_a_new_source_is_refused(project: Path) -> None:
    paths = Paths(project)
    before = build(paths, BASE)
    name = _add_agenda(project, 3)
    out = project / "data" / (name.removesuffix(".txt") + ".ttl")
    text = out.read_text(encoding="utf-8")
    assert "oa:end " in text
    out.write_text(text.replace("oa:end ", "oa:end -", 1), encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        build(paths, BASE)
    # named by its path from the quote it hangs from, as validate names it
    assert any(
        v.on_blank_node and v.focus.endswith("oa:hasTarget/oa:hasSelector[oa:TextPositionSelector]")
        for v in failed.value.report.violations
    ), [v.focus for v in failed.value.report.violations]
    assert current(paths).version == before.version  # type: ignore[union-attr]
