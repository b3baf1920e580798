"""Shared fixtures: the project's paths, a release built into a temporary folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from server.build import Release, build
from server.config import Paths
from server.dataset import Loaded, load
from server.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:5000/"
SOURCE_NAME = "ctoc-cop-wg4-2009-agenda.fr.txt"
SOURCE = ROOT / "data" / "sources" / SOURCE_NAME
DATA_GRAPH = URIRef(BASE + "graph/ctoc-cop-wg4-2009-agenda.fr")


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    d = tmp_path_factory.mktemp("build")
    old = os.environ.get("CTOC_KG_BUILD")
    os.environ["CTOC_KG_BUILD"] = str(d)
    yield d
    if old is None:
        os.environ.pop("CTOC_KG_BUILD", None)
    else:
        os.environ["CTOC_KG_BUILD"] = old


@pytest.fixture(scope="session")
def paths(build_dir: Path) -> Paths:
    return Paths(ROOT)


@pytest.fixture(scope="session")
def release(paths: Paths) -> Release:
    return build(paths, BASE)


@pytest.fixture(scope="session")
def store(release: Release) -> Iterator[Store]:
    s = open_store(release.store)
    yield s
    s.close()


@pytest.fixture(scope="session")
def loaded(paths: Paths) -> Loaded:
    return load(paths, BASE)


@pytest.fixture(scope="session")
def data(loaded: Loaded) -> Graph:
    """The graph of the first source, entailments included."""
    return loaded.dataset.graph(DATA_GRAPH)


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE.read_bytes().decode("utf-8")


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A writable copy of the project's inputs, for tests that break them."""
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path
