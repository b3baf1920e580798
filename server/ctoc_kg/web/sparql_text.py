"""A lexical look at SPARQL request text, before any engine parses it.

The engine is not asked to defend itself: pyoxigraph executes ``SERVICE`` over
HTTP with no switch to stop it, and its parser crashes the process on a few
thousand nested braces.  This scanner skips comments, strings and IRIs, and
tells the query form, whether the text names ``SERVICE``, ``FROM`` or an
update operation, and how deeply it nests — cheaply and without recursion.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
  | (?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}()\[\],;]*)?|:[^\s{}()\[\],;]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.X | re.S,
)


class QueryRefused(ValueError):
    """Request text refused before execution; the message says why."""


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None
    is_update: bool
    has_service: bool
    has_from: bool
    depth: int


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    """SPARQL applies \\u escapes before parsing (section 19.2), so the scan does too."""

    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group()

    return _ESCAPE.sub(repl, text)


@functools.lru_cache(maxsize=256)
def inspect(text: str) -> QueryInfo:
    """Scan ``text`` once; unterminated strings are left for the engine to report."""
    text = _unescape(text)
    form: str | None = None
    update = service = from_ = False
    depth = deepest = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word":
            word = m.group().upper()
            if ":" in word:
                continue
            if word == "SERVICE":
                service = True
            elif word == "FROM":
                from_ = True
            elif form is None and word in QUERY_FORMS:
                form = word
            elif form is None and word in UPDATE_WORDS:
                update = True
    return QueryInfo(form, update and form is None, service, from_, deepest)


def check_query(text: str, max_depth: int, max_length: int) -> QueryInfo:
    """Refuse what must never reach the engine; return what the scan found."""
    if len(text) > max_length:
        raise QueryRefused(f"query of {len(text)} characters exceeds the limit of {max_length}")
    info = inspect(text)
    if info.depth > max_depth:
        raise QueryRefused(f"query nests {info.depth} levels deep; the limit is {max_depth}")
    if info.is_update:
        raise QueryRefused("this endpoint is read-only: SPARQL Update is not accepted")
    if info.has_service:
        raise QueryRefused(
            "SERVICE is not allowed: this endpoint makes no requests on a query's behalf"
        )
    return info
