"""The gate checks facts against the text: each contributor mistake is caught and named.

Every test breaks one fact in a copy of the first agenda's data file, in a way every
shape accepted before these checks, and expects a violation on the resource, naming the
fact and the text it contradicts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ctoc_kg.build import checks
from ctoc_kg.build.entailment import materialise
from ctoc_kg.build.validate import Violation, load_shapes, validate
from rdflib import Graph

from .conftest import BASE, ROOT

DATA = ROOT / "data" / "ctoc-cop-wg4-2009-agenda.fr.ttl"
SOURCES = ROOT / "data" / "sources"
ITEM = "body/CTOC/COP/WG.4/meeting/2009-04-14/agenda/item/"
ACT = "body/CTOC/COP/decision/4/4/act/ctoc-cop-wg4-2009-agenda.fr/"


def in_block(text: str, subject: str, old: str, new: str) -> str:
    """``text`` with ``old`` replaced by ``new`` once, inside the block describing ``subject``."""
    m = re.search(r"(?m)^<" + re.escape(subject) + r"> a .*?(?:\n\n|\Z)", text, re.S)
    assert m, subject
    block = m.group(0)
    assert block.count(old) == 1, (subject, old)
    return text[: m.start()] + block.replace(old, new) + text[m.end() :]


def run_checks(text: str) -> list[Violation]:
    g = Graph().parse(data=text, format="turtle", publicID=BASE)
    return checks.run(g, SOURCES, {})


def hits(found: list[Violation], subject: str, check: str) -> list[Violation]:
    return [v for v in found if v.focus == BASE + subject and v.constraint == check + "Check"]


@pytest.fixture(scope="module")
def original() -> str:
    return DATA.read_text(encoding="utf-8")


def test_the_data_passes_every_check(original: str) -> None:
    assert run_checks(original) == []


def test_symbol_parts_must_agree_with_the_symbol(original: str) -> None:
    sym = "symbol/CTOC/COP/2008/CRP.8"
    bad = in_block(
        original, sym, 'skos:notation "CTOC/COP/2008/CRP.8"', 'skos:notation "CTOC/COP/2008/CRP.88"'
    )
    (v,) = hits(run_checks(bad), sym, "SymbolParts")
    assert v.path.endswith("documentNumber") and "88" in v.message and "8" in v.value  # type: ignore[union-attr,operator]


def test_symbol_year_must_agree(original: str) -> None:
    sym = "symbol/CTOC/COP/2008/CRP.8"
    bad = in_block(original, sym, "ctoc:symbolYear 2008", "ctoc:symbolYear 2009")
    (v,) = hits(run_checks(bad), sym, "SymbolParts")
    assert v.path.endswith("symbolYear") and "2008" in v.message  # type: ignore[union-attr]


def test_an_item_title_must_be_its_quote(original: str) -> None:
    title = re.search(r'dcterms:title "(Examen des moyens d\'améliorer[^"]*)"@fr', original)
    assert title
    bad = in_block(
        original,
        ITEM + "2",
        'dcterms:title "Examen des moyens de faciliter',
        f'dcterms:title "{title.group(1)}"@fr ; rdfs:comment "',
    )
    (v,) = hits(run_checks(bad), ITEM + "2", "TextAsPrinted")
    assert "coordination" in v.message and "faciliter" in v.message


def test_an_annotation_text_must_be_its_quote(original: str) -> None:
    para = ITEM + "2/annotation/fr/1"
    bad = in_block(original, para, "la Conférence a décidé que", "la Conférence a souhaité que")
    (v,) = hits(run_checks(bad), para, "TextAsPrinted")
    assert "souhaité" in v.value and "décidé" in v.message  # type: ignore[operator]


def test_a_quote_shifted_by_one_is_not_the_slice_of_its_source(original: str) -> None:
    quote = "source/ctoc-cop-wg4-2009-agenda.fr/quote/10054-10073"
    bad = in_block(
        original,
        quote,
        "oa:end 10073 ;\n                    oa:start 10054",
        "oa:end 10074 ;\n                    oa:start 10055",
    )
    g = Graph().parse(data=bad, format="turtle", publicID=BASE)
    found = list(checks.check_quote_slices(checks.Context(g, SOURCES, {})))
    (v,) = hits(found, quote, "QuoteSlice")
    assert "0 heures-13 heures" in v.message and "10055-10074" in v.message


def test_a_changed_source_file_is_refused(original: str) -> None:
    src = "source/ctoc-cop-wg4-2009-agenda.fr"
    bad = in_block(original, src, 'ctoc:sha256 "82901e', 'ctoc:sha256 "00001e')
    g = Graph().parse(data=bad, format="turtle", publicID=BASE)
    (v,) = hits(list(checks.check_sources(checks.Context(g, SOURCES, {}))), src, "QuoteSlice")
    assert "SHA-256" in v.message


def test_an_act_type_must_be_the_one_its_verb_names(original: str) -> None:
    bad = in_block(original, ACT + "13", "ctoc:actType ctoc:Requested", "ctoc:actType ctoc:Urged")
    (v,) = hits(run_checks(bad), ACT + "13", "OperativeVerb")
    assert "'prié'" in v.message and "Requested" in v.message


def test_an_act_without_its_own_verb_takes_the_one_before_it(original: str) -> None:
    bad = in_block(original, ACT + "8", "ctoc:actType ctoc:Decided", "ctoc:actType ctoc:Recognized")
    (v,) = hits(run_checks(bad), ACT + "8", "OperativeVerb")
    assert "'décidé'" in v.message


def test_a_french_title_tagged_english_is_refused(original: str) -> None:
    bad = in_block(
        original,
        ITEM + "2",
        'organisée"@fr ;\n    skos:notation',
        'organisée"@en ;\n    skos:notation',
    )
    (v,) = hits(run_checks(bad), ITEM + "2", "LanguageTag")
    assert "@en" in v.message and "'fr'" in v.message


def test_an_english_title_tagged_french_is_refused(original: str) -> None:
    doc = "document/CTOC/COP/2008/CRP.11"
    bad = in_block(original, doc, 'second reporting cycle"@en', 'second reporting cycle"@fr')
    (v,) = hits(run_checks(bad), doc, "LanguageTag")
    assert "'en'" in v.message


def test_an_act_is_performed_by_the_body_that_adopted_its_decision(original: str) -> None:
    bad = in_block(
        original,
        ACT + "3",
        "ctoc:actingBody <body/CTOC/COP>",
        "ctoc:actingBody <body/CTOC/COP/secretariat>",
    )
    (v,) = hits(run_checks(bad), ACT + "3", "ActingBody")
    assert v.value == BASE + "body/CTOC/COP/secretariat" and "affirmé" in v.message


@pytest.mark.slow
def test_siblings_never_share_a_position(original: str, paths) -> None:  # type: ignore[no-untyped-def]
    bad = in_block(original, ITEM + "2/annotation/fr/2", "ctoc:order 2", "ctoc:order 1")
    from ctoc_kg.build.load import load_ontology

    ontology = load_ontology(paths, BASE)
    g = Graph().parse(data=bad, format="turtle", publicID=BASE)
    materialise(g, ontology)
    report = validate(g, load_shapes(paths, BASE), ontology)
    found = {v.focus for v in report.violations if v.shape.endswith("SiblingOrderShape")}
    assert found == {BASE + ITEM + "2/annotation/fr/1", BASE + ITEM + "2/annotation/fr/2"}


def test_validate_reports_text_checks_like_shacl_violations(original: str, tmp_path: Path) -> None:
    bad = tmp_path / "ctoc-cop-wg4-2009-agenda.fr.ttl"  # the data file, edited: it replaces it
    bad.write_text(
        in_block(original, ACT + "13", "ctoc:actType ctoc:Requested", "ctoc:actType ctoc:Urged"),
        encoding="utf-8",
    )
    r = subprocess.run(
        [sys.executable, "-m", "ctoc_kg.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"{BASE}{ACT}13  (in {bad}:" in r.stdout
    assert "shapes/check/OperativeVerb" in r.stdout and "ontology/actType" in r.stdout


@pytest.mark.parametrize(
    ("value", "quote", "expected"),
    [
        ("Adoption du rapport", "4\tAdoption du rapport", True),
        ("Ouverture de la réunion", "1 a)\tOuverture de la réunion;", True),
        ("Traite des êtres humains", 'décision 4/4, intitulée "Traite des êtres humains"', True),
        ("Traite des êtres", 'décision 4/4, intitulée "Traite des êtres humains"', False),
        ("Rapport du Forum", "Rapport du Forum de Vienne (CTOC/COP/2008/CRP.1)", False),
        ("Rapport du Forum de Vienne", "Rapport du Forum de Vienne (CTOC/COP/2008/CRP.1)", True),
    ],
)
def test_printed_in(value: str, quote: str, expected: bool) -> None:
    assert checks.printed_in(value, quote) is expected


def test_the_gate_reads_the_verbs_from_the_extractors_lexicons() -> None:
    import tomllib

    lexicons = sorted((ROOT / "server" / "ctoc_kg" / "extract" / "lexicon").glob("??.toml"))
    assert len(lexicons) >= 2
    table = {
        verb.lower(): kind
        for f in lexicons
        for verb, kind in tomllib.loads(f.read_text(encoding="utf-8"))["acts"]["verbs"].items()
    }
    assert checks.operative_verbs() == table
    assert not hasattr(checks, "OPERATIVE_VERBS")  # no second copy to drift
