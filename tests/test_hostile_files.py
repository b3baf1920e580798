"""Contributors' files and broken stores: refused clearly, within bounded time."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import rdflib.plugins.sparql
from ctoc_kg.build.safety import MAX_LITERAL_CHARS, MAX_NESTING

from .conftest import ROOT
from .live import free_port


def validate(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctoc_kg.cli", "validate", *map(str, files)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip


def test_rdflib_never_loads_graphs_a_query_names() -> None:
    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False


def test_remote_and_file_jsonld_contexts_are_refused(tmp_path: Path) -> None:
    for ctx in ("http://127.0.0.1:9/context.jsonld", "file:///etc/passwd"):
        f = tmp_path / "ctx.jsonld"
        f.write_text(json.dumps({"@context": ctx, "@id": "http://example.org/a", "name": "x"}))
        r = validate(f)
        assert r.returncode == 2 and "context" in r.stderr


def test_absurdly_large_literal_is_refused_quickly(tmp_path: Path) -> None:
    f = tmp_path / "big.ttl"
    f.write_text(
        f'<http://example.org/a> <http://example.org/b> "{"x" * (MAX_LITERAL_CHARS + 10)}" .\n'
    )
    t0 = time.monotonic()
    r = validate(f)
    assert r.returncode == 2 and "literal" in r.stderr
    assert time.monotonic() - t0 < 60


def test_deeply_nested_structures_are_refused(tmp_path: Path) -> None:
    depth = MAX_NESTING * 50
    ttl = tmp_path / "deep.ttl"
    ttl.write_text(
        "<http://example.org/a> <http://example.org/b> "
        + "[ <http://example.org/c> " * depth
        + "1"
        + " ]" * depth
        + " .\n"
    )
    js = tmp_path / "deep.jsonld"
    js.write_text(
        '{"@id": "http://example.org/a", "http://example.org/b": '
        + "[" * depth
        + "1"
        + "]" * depth
        + "}"
    )
    for f in (ttl, js):
        r = validate(f)
        assert r.returncode == 2 and "nesting" in r.stderr, (f, r.stderr[-500:])


def test_a_billion_laughs_is_refused(tmp_path: Path) -> None:
    ents = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    f = tmp_path / "laughs.rdf"
    f.write_text(
        f'<?xml version="1.0"?><!DOCTYPE r [{ents}]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
        "<ex:b>&l9;</ex:b></rdf:Description></rdf:RDF>"
    )
    t0 = time.monotonic()
    r = validate(f)
    assert r.returncode == 2 and time.monotonic() - t0 < 60


def serve(*args: str, env_build: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctoc_kg.cli", "serve", "--port", str(free_port()), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**__import__("os").environ, "CTOC_KG_BUILD": str(env_build)},
    )  # fmt: skip


def test_serve_refuses_a_missing_store_at_start(tmp_path: Path) -> None:
    r = serve("--store", str(tmp_path / "nothing"), env_build=tmp_path)
    assert r.returncode == 2 and "ctoc-kg build" in r.stderr


def test_serve_refuses_a_corrupt_store_at_start(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "CURRENT").write_text("MANIFEST-999999\n")
    (store / "MANIFEST-999999").write_bytes(b"\x00garbage" * 100)
    r = serve("--store", str(store), env_build=tmp_path)
    assert r.returncode == 2 and "rebuild" in r.stderr
