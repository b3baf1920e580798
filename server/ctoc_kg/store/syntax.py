"""Syntax errors in queries, in words a researcher reads.

The engine says ``error at 1:27: expected one of ",", ".", … ['A' ..= 'Z' | …]``;
this keeps the position and the tokens it expected, drops the character classes,
and names the query forms when the query does not start with one.
"""

from __future__ import annotations

import re

FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_AT = re.compile(r"^error at (\d+):(\d+): expected (?:one of )?(.*)$", re.S)
_ITEM = re.compile(r'"[^"]*"|[A-Za-z][A-Za-z0-9_]*')
_PROLOGUE = re.compile(
    r"\s*(?:(?:#[^\n]*\n|\s+)|BASE\s*<[^>]*>|PREFIX\s+[\w.-]*:\s*<[^>]*>)*", re.I | re.S
)
MAX_SHOWN = 8


def _first_word(query: str) -> tuple[int, int, str] | None:
    """(line, column, word) of the first word after the prologue."""
    at = _PROLOGUE.match(query)
    pos = at.end() if at else 0
    m = re.compile(r"\S+").search(query, pos)
    if m is None:
        return None
    line = query.count("\n", 0, m.start()) + 1
    column = m.start() - (query.rfind("\n", 0, m.start()) + 1) + 1
    return line, column, m.group()


def readable(message: str, query: str) -> str:
    """``line L, column C: expected A, B or C`` from the engine's message."""
    first = _first_word(query)
    if first is None:
        return f"line 1, column 1: the query is empty; expected {', '.join(FORMS)}"
    if first is not None and first[2].upper().rstrip("{") not in FORMS:
        line, column, word = first
        return (
            f"line {line}, column {column}: expected {', '.join(FORMS[:-1])} or {FORMS[-1]} "
            f"(after any BASE and PREFIX declarations), found {word[:40]!r}"
        )
    m = _AT.match(message.strip())
    if m is None:
        return message.splitlines()[0][:300] if message else "syntax error"
    line, column, expected = int(m[1]), int(m[2]), m[3]
    # character classes ([...]) say "a name goes here"; keep tokens and keywords
    words = [w for w in _ITEM.findall(re.sub(r"\[[^\]]*\]", " ", expected)) if w != "_"]
    names = "a name or variable" if "[" in expected else None
    shown = list(dict.fromkeys(words))[:MAX_SHOWN]
    more = len(set(words)) > MAX_SHOWN
    parts = shown + ([names] if names else []) + (["…"] if more else [])
    if not parts:
        return f"line {line}, column {column}: the query is not valid SPARQL here"
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
    return f"line {line}, column {column}: expected {said}"
