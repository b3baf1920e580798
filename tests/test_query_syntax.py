"""Syntax errors in queries say where, and what was expected, in words."""

from __future__ import annotations

from .conftest import BASE  # noqa: F401  (the client fixture builds the release)


def error(client, query: str) -> str:  # type: ignore[no-untyped-def]
    resp = client.get("/sparql", query_string={"query": query})
    assert resp.status_code == 400
    return resp.text


def test_a_query_that_does_not_start_with_a_form(client) -> None:  # type: ignore[no-untyped-def]
    text = error(client, "SELEC ?x WHERE { ?x ?p ?o }")
    assert "line 1, column 1: expected SELECT, CONSTRUCT, ASK or DESCRIBE" in text
    assert "'SELEC'" in text


def test_a_position_after_the_prologue(client) -> None:  # type: ignore[no-untyped-def]
    text = error(
        client, "PREFIX a: <http://x/>\n\nSELECT ?x WHERE {\n  ?x ?p ?o .\n  FILTER(?x = ) }"
    )
    assert "line 5, column" in text and "expected" in text
    assert "..=" not in text and "\\u{" not in text  # no character classes


def test_an_unclosed_group(client) -> None:  # type: ignore[no-untyped-def]
    text = error(client, "SELECT ?x WHERE { ?x ?p ?o")
    assert 'line 1, column 27: expected ",", ".", ";"' in text and '"}"' in text
