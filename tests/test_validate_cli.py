"""`ctoc-kg validate`: exit codes, reports a contributor can act on, every format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from .conftest import BASE, ROOT

DATA = ROOT / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctoc_kg.cli", "validate", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def broken_copy(tmp_path: Path) -> Path:
    text = DATA.read_text(encoding="utf-8")
    text = text.replace("ctoc:ordinal 4 ;", 'ctoc:ordinal "quatre" ;', 1)
    assert 'ctoc:ordinal "quatre"' in text
    out = tmp_path / "broken.ttl"
    out.write_text(text, encoding="utf-8")
    return out


def test_the_dataset_is_valid() -> None:
    r = run()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Valid" in r.stdout


def test_named_valid_file_exits_0() -> None:
    assert run(DATA).returncode == 0


def test_violations_exit_1_grouped_by_focus_node_with_file(tmp_path: Path) -> None:
    bad = broken_copy(tmp_path)
    r = run(bad)
    assert r.returncode == 1, r.stderr
    out = r.stdout
    assert BASE + "body/CTOC/COP/session/4" in out
    assert str(bad) in out
    assert "shapes/SessionShape" in out
    assert "ontology/ordinal" in out
    assert '"quatre"' in out


def test_json_report(tmp_path: Path) -> None:
    r = run(broken_copy(tmp_path), "--format", "json")
    assert r.returncode == 1
    report = json.loads(r.stdout)
    assert report["conforms"] is False
    hits = [v for v in report["violations"] if v["focus"].endswith("/session/4")]
    (v,) = [v for v in hits if v["constraint"] == "DatatypeConstraintComponent"]
    assert v["path"].endswith("ontology/ordinal") and v["value"] == '"quatre"'
    assert v["shape"].endswith("shapes/SessionShape") and v["message"]
    assert v["files"] and v["files"][0].endswith("broken.ttl")


def test_turtle_report_is_a_shacl_validation_report(tmp_path: Path) -> None:
    r = run(broken_copy(tmp_path), "--format", "turtle")
    assert r.returncode == 1
    g = Graph().parse(data=r.stdout, format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    assert list(g.subjects(None, URIRef(sh + "ValidationReport")))
    assert list(g.subjects(URIRef(sh + "focusNode"), URIRef(BASE + "body/CTOC/COP/session/4")))


def test_unparseable_file_exits_2_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:b "unterminated .\n')
    r = run(bad)
    assert r.returncode == 2
    assert f"{bad}:3" in r.stderr, r.stderr


def test_other_formats_are_read(tmp_path: Path) -> None:
    g = Graph().parse(DATA, format="turtle", publicID=BASE)
    for fmt, suffix in (("xml", ".rdf"), ("json-ld", ".jsonld"), ("nt", ".nt")):
        out = tmp_path / f"data{suffix}"
        g.serialize(out, format=fmt, encoding="utf-8")
        r = run(out)
        assert r.returncode == 0, (fmt, r.stdout[-2000:], r.stderr[-2000:])


def test_entity_declarations_in_rdf_xml_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    )
    r = run(bomb)
    assert r.returncode == 2 and "entity" in r.stderr.lower()


def _keys(stdout: str) -> set[tuple[str, str, str | None, str | None]]:
    report = json.loads(stdout)
    return {(v["focus"], v["shape"], v["path"], v["value"]) for v in report["violations"]}


@pytest.mark.slow
def test_the_default_engine_reports_what_the_reference_reports(tmp_path: Path) -> None:
    """pyshacl-turbo (the default, as in the build) and pyshacl (the reference) give the same
    report through the command line, on the valid dataset and on a broken file."""
    for args in ((), (broken_copy(tmp_path),)):
        fast = run(*args, "--format", "json")
        reference = run(*args, "--format", "json", "--shacl", "pyshacl")
        assert fast.returncode == reference.returncode, (fast.stdout, reference.stdout)
        assert _keys(fast.stdout) == _keys(reference.stdout)
    assert _keys(fast.stdout), "the broken file has violations"
