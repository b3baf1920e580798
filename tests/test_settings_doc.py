"""One settings table: it drives ``serve``'s options and defaults, and the README shows them."""

from __future__ import annotations

import argparse
import re
from dataclasses import fields

import pytest
from ctoc_kg import settings
from ctoc_kg.cli import build_parser
from ctoc_kg.store.base import DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT, QueryRequest
from ctoc_kg.web.serve import ServeOptions
from ctoc_kg.web.settings import Settings

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The README's text under ``## title``, up to the next section of that level."""
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end > 0 else None]


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_readme_lists_every_option_of_every_subcommand() -> None:
    text = section("Command line")
    seen = 0
    for name, parser in subcommands().items():
        assert f"ctoc-kg {name}" in text, name
        for action in parser._actions:
            for opt in action.option_strings:
                if opt.startswith("--") and opt != "--help":
                    seen += 1
                    assert opt in text, f"README does not mention `ctoc-kg {name} {opt}`"
    assert seen >= len([s for s in settings.SETTINGS if s.flag])


def test_readme_settings_table_is_the_table() -> None:
    begin, end = "<!-- settings table: begin -->\n", "<!-- settings table: end -->"
    shown = README[README.index(begin) + len(begin) : README.index(end)]
    assert shown == settings.markdown_table(), "regenerate with ctoc_kg.settings.markdown_table()"


def test_serve_help_shows_every_setting_with_its_default() -> None:
    serve = subcommands()["serve"]
    text = " ".join(serve.format_help().split())
    for s in settings.SETTINGS:
        if s.flag is None:
            continue
        assert s.flag in text and " ".join(s.help.split()) in text, s.name
        if s.default not in (None, (), ""):  # an empty default is said in the help
            assert f"(default: {s.default})" in text, s.name


def test_defaults_come_from_the_table() -> None:
    args = subcommands()["serve"].parse_args([])
    opts = ServeOptions.from_args(args)
    server = Settings()
    for f in fields(ServeOptions):
        assert getattr(opts, f.name) == getattr(ServeOptions(), f.name) == settings.default(f.name)
    limits = [s for s in settings.SETTINGS if hasattr(server, s.name) and s.default is not None]
    assert {s.name for s in limits} >= {"query_timeout", "max_results", "max_body_bytes"}
    for s in limits:  # base and store are resolved by `serve`, not defaulted
        assert getattr(server, s.name) == s.default, s.name
    assert settings.default("query_timeout") == DEFAULT_TIMEOUT
    assert QueryRequest("ASK {}").max_results == DEFAULT_MAX_RESULTS
    assert settings.default("max_results") == DEFAULT_MAX_RESULTS


def test_options_reach_the_server_settings() -> None:
    args = subcommands()["serve"].parse_args(
        ["--query-timeout", "7.5", "--max-results", "12", "--rate-limit", "3", "--add-graph", "a=b"]
    )
    opts = ServeOptions.from_args(args)
    assert (opts.query_timeout, opts.max_results, opts.rate_limit) == (7.5, 12, 3.0)
    assert opts.add_graphs == ("a=b",)


def _readme_form(rule: str) -> str:
    """``/graph/<path:name>`` as the README writes it: ``/graph/<name>``."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"<\1>", rule)


@pytest.fixture(scope="module")
def rules(client) -> list[str]:  # type: ignore[no-untyped-def]
    app = client.application
    return sorted({r.rule for r in app.url_map.iter_rules() if r.endpoint != "static"})


def test_readme_mentions_every_uri_pattern_served(rules: list[str]) -> None:
    spans = re.findall(r"`([^`\n]+)`", section("URI patterns") + section("Researcher's guide"))
    missing = []
    for rule in rules:
        form = _readme_form(rule)
        # the root must be named; other patterns may be shown with an example or a tail
        found = form in spans if form == "/" else any(s.startswith(form.rstrip("/")) for s in spans)
        if not found:
            missing.append(form)
    assert not missing, f"the README's tables do not mention {missing}"
    assert len(rules) >= 10
