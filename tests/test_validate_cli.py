"""`ctoc-kg validate`: exit codes, reports a contributor can act on, every format."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from .conftest import BASE, ROOT

DATA = ROOT / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl"


CURATED = ROOT / "tests" / "curated" / "cop-5.ttl"
SECRETARIAT = BASE + "body/CTOC/COP/secretariat"


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CTOC_KG_ROOT"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "server"), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "ctoc_kg.cli", "validate", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def edited_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The data file with one edit, under its own name: it replaces the dataset's file."""
    text = DATA.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    out = tmp_path / DATA.name
    out.write_text(text.replace(old, new), encoding="utf-8")
    return out


def broken_copy(tmp_path: Path) -> Path:
    return edited_copy(tmp_path, "ctoc:ordinal 4 ;", 'ctoc:ordinal "quatre" ;')


def curated(tmp_path: Path, text: str, name: str = "record.ttl") -> Path:
    """A hand-written file: the example record's prefixes, then ``text``."""
    head = "".join(line + "\n" for line in CURATED.read_text().splitlines() if line.startswith("@"))
    out = tmp_path / name
    out.write_text(head + "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n" + text)
    return out


def empty_dataset(tmp_path: Path) -> Path:
    """The ontology and shapes with no data: a file judged alone."""
    root = tmp_path / "empty"
    (root / "data").mkdir(parents=True)
    for name in ("ontology", "shapes"):
        shutil.copytree(ROOT / name, root / name)
    return root


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
    assert f"{bad}:" in out
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
    assert v["files"] == [str(tmp_path / DATA.name)]


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


def test_a_syntax_error_keeps_the_parser_reason(tmp_path: Path) -> None:
    bad = tmp_path / "nodot.ttl"
    bad.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e ex:f\nex:g ex:h ex:i .\n"
    )
    r = run(bad)
    assert r.returncode == 2
    # the statement left open on line 3 is found where line 4 begins
    assert f"{bad}:4: Bad syntax (expected '.'" in r.stderr, r.stderr
    assert "of <>" not in r.stderr


def test_a_file_linking_to_the_dataset_is_judged_in_its_context(tmp_path: Path) -> None:
    """The record links to the Secretariat, the Conference and Vienna, described in data/."""
    r = run(CURATED)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Valid" in r.stdout


def test_the_same_file_alone_is_refused(tmp_path: Path) -> None:
    """Without the dataset, what it links to is unknown: what context changes."""
    r = run(CURATED, "--dataset", empty_dataset(tmp_path), "--format", "json")
    assert r.returncode == 1, r.stdout + r.stderr
    values = {v["value"] for v in json.loads(r.stdout)["violations"]}
    assert SECRETARIAT in values


def test_the_dataset_is_the_current_checkout(tmp_path: Path) -> None:
    assert run(CURATED, cwd=empty_dataset(tmp_path)).returncode == 1
    # elsewhere (a pre-commit hook in another repository): the package's own dataset
    assert run(CURATED, cwd=tmp_path).returncode == 0


def test_only_the_named_files_are_reported(tmp_path: Path) -> None:
    """Context is not judged: a record that breaks nothing of its own reports nothing, even
    though it is the dataset's file that a wrong datatype in it would concern."""
    bad = curated(tmp_path, '<place/vienna> rdfs:label "Wien"@de .\n')
    r = run(bad, "--format", "json")
    assert r.returncode == 0, r.stdout


def _violations(r: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    assert r.returncode == 1, r.stdout + r.stderr
    found: list[dict[str, object]] = json.loads(r.stdout)["violations"]
    return found


def without(tmp_path: Path, line: str) -> tuple[Path, str, dict[str, object]]:
    """The curated record without ``line``, validated: its file, its text and its one
    violation."""
    text = CURATED.read_text()
    assert text.count(line) == 1
    bad = tmp_path / "cop-5.ttl"
    bad.write_text(text.replace(line, ""))
    (v,) = _violations(run(bad, "--format", "json"))
    return bad, text.replace(line, ""), v


def test_a_hand_written_document_without_title_is_refused_and_named(tmp_path: Path) -> None:
    bad, text, v = without(
        tmp_path, '    dcterms:title "Provisional agenda and annotations"@en ;\n'
    )
    assert "dcterms:title" not in text
    assert v["focus"] == BASE + "document/CTOC/COP/2010/1"
    assert v["shape"] == BASE + "shapes/AttributedDocumentShape"
    line = text.splitlines().index("<document/CTOC/COP/2010/1> a ctoc:Document ;") + 1
    assert v["locations"] == [f"{bad}:{line}"]


def test_a_hand_written_meeting_without_date_is_refused(tmp_path: Path) -> None:
    _, text, v = without(tmp_path, '    schema:startDate "2010-10-18"^^xsd:date ;\n')
    assert "startDate" not in text
    assert v["focus"] == BASE + "body/CTOC/COP/session/5"
    assert v["shape"] == BASE + "shapes/AttributedMeetingShape"


def test_a_listed_document_without_title_is_refused(tmp_path: Path) -> None:
    bad = curated(
        tmp_path,
        "<body/CTOC/COP/WG.4/meeting/2009-04-14/agenda/item/2> dcterms:references "
        "<document/CTOC/COP/2010/2> .\n"
        '<document/CTOC/COP/2010/2> a ctoc:Document ; rdfs:label "CTOC/COP/2010/2" ;\n'
        "    prov:wasAttributedTo <mailto:editor@example.org> .\n",
    )
    shapes = {v["shape"] for v in _violations(run(bad, "--format", "json"))}
    assert BASE + "shapes/ListedDocumentShape" in shapes


def test_a_record_neither_quoted_nor_attributed_is_refused(tmp_path: Path) -> None:
    text = CURATED.read_text().replace(
        "    prov:wasAttributedTo <mailto:editor@example.org> .", "    ."
    )
    bad = tmp_path / "cop-5.ttl"
    bad.write_text(text)
    found = _violations(run(bad, "--format", "json"))
    stated = {v["focus"] for v in found if v["shape"] == BASE + "shapes/StatedShape"}
    # the agenda in data/ quotes the fifth session: the record adds its dates
    assert stated == {BASE + "document/CTOC/COP/2010/1"}


def test_an_identifier_link_needs_its_source_and_its_author(tmp_path: Path) -> None:
    link = "<place/vienna> owl:sameAs <http://example.org/vienna> "
    bad = curated(tmp_path, link + ".\n")
    found = _violations(run(bad, "--format", "json"))
    paths = {v["path"] for v in found if v["shape"] == BASE + "shapes/IdentityLinkShape"}
    assert paths == {"http://purl.org/dc/terms/source", "http://www.w3.org/ns/prov#wasAttributedTo"}
    good = curated(
        tmp_path,
        link + "; dcterms:source <http://example.org/gazetteer> ;\n"
        "    prov:wasAttributedTo <mailto:editor@example.org> .\n",
        "good.ttl",
    )
    assert run(good).returncode == 0


def test_one_wrong_datatype_is_one_violation(tmp_path: Path) -> None:
    (v,) = json.loads(run(broken_copy(tmp_path), "--format", "json").stdout)["violations"]
    assert v["constraint"] == "DatatypeConstraintComponent"


def test_a_blank_node_is_named_by_its_path_and_located(tmp_path: Path) -> None:
    bad = edited_copy(tmp_path, "oa:start 10054 ]", 'oa:start "dix" ]')
    (v,) = _violations(run(bad, "--format", "json"))
    quote = BASE + "source/ctoc-cop-wg4-2009-agenda.fr/quote/10054-10073"
    assert v["focus"] == f"<{quote}> oa:hasTarget/oa:hasSelector[oa:TextPositionSelector]"
    assert v["resource"] == quote and v["value"] == '"dix"'
    lines = bad.read_text().splitlines()
    line = (
        lines.index("<source/ctoc-cop-wg4-2009-agenda.fr/quote/10054-10073> a oa:Annotation,") + 1
    )
    assert v["locations"] == [f"{bad}:{line}"]


def test_other_formats_are_read(tmp_path: Path) -> None:
    g = Graph().parse(DATA, format="turtle", publicID=BASE)
    for fmt, suffix in (("xml", ".rdf"), ("json-ld", ".jsonld"), ("nt", ".nt")):
        out = tmp_path / f"{DATA.stem}{suffix}"  # replaces the Turtle file
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
