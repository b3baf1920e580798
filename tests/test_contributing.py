"""CONTRIBUTING.md's worked example, run word for word on a fresh clone.

The shell block between the recipe markers is run as written (with this
environment's ``ctoc-kg`` on PATH and the clone's own code), then the document
it adds is asked for from the app serving the clone's build.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ctoc_kg.build.release import current
from ctoc_kg.config import Paths
from rdflib import Graph, URIRef

from . import inprocess
from .conftest import BASE, ROOT

RECIPE = re.compile(r"<!-- recipe -->\s*```sh\n(.*?)```\s*<!-- /recipe -->", re.S)
RECORD = re.compile(r"<<'EOF'\n(.*?)EOF\n", re.S)


def recipe() -> str:
    (block,) = RECIPE.findall((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    return str(block)


@pytest.mark.slow
def test_the_worked_example_passes_first_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120, capture_output=True
    )
    # CI runs on a clean checkout: the clone's copy of the guide is the one followed
    steps = recipe()
    assert steps == RECIPE.findall((clone / "CONTRIBUTING.md").read_text(encoding="utf-8"))[0]
    tool = Path(sys.executable).parent / "ctoc-kg"
    assert tool.exists(), "the package's console script is installed beside python"
    env = {k: v for k, v in os.environ.items() if k not in {"CTOC_KG_ROOT", "CTOC_KG_BUILD"}}
    env["PATH"] = f"{tool.parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(clone / "server")  # the clone's code, not an installed copy
    env["CTOC_KG_BUILD"] = str(tmp_path / "build")
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", steps],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Valid" in done.stdout and "built release" in done.stdout

    (text,) = RECORD.findall(steps)
    record = Graph().parse(data=text, format="turtle", publicID=BASE)
    document = URIRef(BASE + "document/CTOC/COP/2010/1")
    assert (document, None, None) in record

    from ctoc_kg.web import create_app
    from ctoc_kg.web.settings import Settings

    monkeypatch.setenv("CTOC_KG_BUILD", env["CTOC_KG_BUILD"])
    release = current(Paths(clone))
    assert release is not None
    (tmp_path / "state").mkdir()
    app = create_app(
        Settings(
            base_uri=BASE,
            public_url=inprocess.URL,
            store=str(release.store),
            release=str(release.path),
            state_dir=str(tmp_path / "state"),
        )
    )
    site = inprocess.InProcessServer(app, BASE)
    for resource in sorted({s for s in record.subjects() if isinstance(s, URIRef)}):
        r = site.get(site.url_of(str(resource)), headers={"Accept": "text/turtle"})
        assert r.status_code == 200, (resource, r.text[:500])
        served = Graph().parse(data=r.text, format="turtle", publicID=BASE)
        missing = [t for t in record.triples((resource, None, None)) if t not in served]
        assert not missing, missing
    shutil.rmtree(clone)
