"""Settings shared by the command line, the build and the server.

Every minted IRI lives under one base URI; files in ``ontology/`` and ``data/``
hold relative IRIs, so the same files serve any base.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ctoc_kg.vocab import W3ID

#: The canonical base of minted IRIs: the dataset's identity, the same on every copy served.
DEFAULT_BASE_URI = W3ID
#: Stand-in base used only while writing relative Turtle (RFC 2606 reserves .invalid).
PLACEHOLDER_BASE = "http://ctoc-kg.invalid/"
#: Where a wheel carries the ontology, shapes and queries (copied in by ``setup.py``).
ASSETS = Path(__file__).resolve().parent / "assets"


def is_project(folder: Path) -> bool:
    """A folder holding a dataset: its ontology, shapes and data."""
    return all((folder / name).is_dir() for name in ("ontology", "shapes", "data"))


def project_root() -> Path:
    """The checkout holding ``ontology/``, ``data/``, ``shapes/`` and ``queries/``.

    ``CTOC_KG_ROOT`` names it; else the current folder, if it holds a dataset (a fork
    with sources of its own, whichever copy of the package runs); else the checkout
    this package runs from; else (an installed wheel) the ontology, shapes and
    queries shipped with it as package data.
    """
    env = os.environ.get("CTOC_KG_ROOT")
    if env:
        return Path(env)
    cwd = Path.cwd()
    if is_project(cwd):
        return cwd
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology").is_dir() and (checkout / "server" / "ctoc_kg").is_dir():
        return checkout
    return ASSETS


def normalise_base(base: str) -> str:
    """A base URI ends with ``/`` so that relative IRIs resolve beneath it."""
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"base URI must be http(s): {base!r}")
    return base if base.endswith("/") else base + "/"


@dataclass(frozen=True)
class Paths:
    """Where the project's inputs and the build's outputs live."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sources(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def build(self) -> Path:
        return Path(os.environ.get("CTOC_KG_BUILD", self.root / "build"))


def paths() -> Paths:
    return Paths(project_root())
