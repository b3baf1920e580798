"""The distribution installs one import name, carries its assets, and works outside a checkout.

A pre-commit hook in another repository installs ctoc-kg from a clone and runs
``ctoc-kg validate`` there: the wheel must carry the ontology, shapes and queries
and find them without the checkout beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a clone of the repository, as a hook's installer builds it."""
    tmp = tmp_path_factory.mktemp("wheel")
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    out = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "-w", str(out), str(clone)],
        check=True, timeout=300,
    )  # fmt: skip
    (found,) = out.glob("ctoc_kg-*.whl")
    return found


def test_the_wheel_installs_only_ctoc_kg_with_its_assets(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"ctoc_kg"}
    for asset in (
        "ctoc_kg/assets/ontology/ctoc.ttl",
        "ctoc_kg/assets/shapes/ctoc-shapes.ttl",
        "ctoc_kg/assets/queries/cq01-agenda-items.rq",
        "ctoc_kg/assets/data/ctoc-cop-wg4-2009-agenda.fr.ttl",
        "ctoc_kg/assets/data/sources/ctoc-cop-wg4-2009-agenda.fr.txt",
        "ctoc_kg/web/templates/resource.html",
        "ctoc_kg/extract/lexicon/fr.toml",
        "ctoc_kg/extract/lexicon/genre.toml",
    ):
        assert asset in names, asset
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "ctoc-kg = ctoc_kg.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_the_installed_package_validates_files_in_another_repository(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site),
         str(wheel)],
        check=True, timeout=300,
    )  # fmt: skip
    other = tmp_path / "other-repo"
    other.mkdir()
    good = other / "record.ttl"
    good.write_text((ROOT / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl").read_text("utf-8"))
    bad = other / "broken.ttl"
    bad.write_text(good.read_text().replace("ctoc:ordinal 4 ;", 'ctoc:ordinal "quatre" ;', 1))
    # only the installed copy is importable: no checkout on the path, run from elsewhere
    env = {k: v for k, v in os.environ.items() if k not in {"CTOC_KG_ROOT", "PYTHONPATH"}}
    env["PYTHONPATH"] = str(site)
    env["PYTHONSAFEPATH"] = "1"

    def validate(*files: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "import ctoc_kg, sys; print(ctoc_kg.__file__, file=sys.stderr);"
             "from ctoc_kg.cli import main; raise SystemExit(main())", "validate",
             *map(str, files)],
            capture_output=True, text=True, cwd=other, env=env, timeout=300,
        )  # fmt: skip

    ok = validate(good)
    assert str(site) in ok.stderr.splitlines()[0], ok.stderr
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = validate(bad)
    assert broken.returncode == 1 and "ordinal" in broken.stdout, broken.stdout + broken.stderr
