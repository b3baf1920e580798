"""A lexical look at SPARQL request text, before any engine parses it.

The engine is not asked to defend itself: pyoxigraph executes ``SERVICE`` over
HTTP with no switch to stop it, and its parser and evaluator recurse once per
nested bracket, chained operator, group pattern or triple pattern, so a few
thousand of any of them overflow the stack and end the process.  This scanner
skips comments, strings and IRIs and counts what costs the engine stack
(see :mod:`ctoc_kg.web.query_limits`), tells the query form and whether the
text names ``SERVICE``, ``FROM`` or an update operation.  It is one pass, in
time linear in the length of the text, with no recursion and no backtracking
regular expression: an unterminated string or IRI ends the scan of that token
at once instead of being retried from every later quote.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
#: Keywords that open a group-level pattern (each one an engine recursion level).
GROUP_WORDS = frozenset(
    {"MINUS", "OPTIONAL", "UNION", "FILTER", "BIND", "GRAPH", "VALUES", "EXISTS", "SERVICE"}
)
#: Keywords that act as operators in expressions.
OPERATOR_WORDS = frozenset({"IN", "NOT"})

_NAME_CHAR = r"[\w\-\u00b7\u00c0-\uffff]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
#: Every alternative is possessive (``*+``) or bounded: a failed match never rescans.
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s++)
  | (?P<comment>\#[^\n]*+)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*+(?:'''|\Z)|\"\"\"(?:[^"\\]|\\.|"(?!""))*+(?:\"\"\"|\Z))
  | (?P<string>'(?:[^'\\\n]|\\.)*+(?:'|$)|"(?:[^"\\\n]|\\.)*+(?:"|$))
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*+>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]++)
  | (?P<number>(?:\d++(?:\.\d++)?|\.\d++)(?:[eE][+-]?\d++)?)
  | (?P<lang>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
  | (?P<word>(?:[A-Za-z_\u00c0-\uffff][\w\-\u00b7\u00c0-\uffff]*+)?:(?:(?:{_NAME_CHAR}|[.:])*+)
             |[A-Za-z_\u00c0-\uffff][\w\u00b7\u00c0-\uffff]*+)
  | (?P<datatype>\^\^)
  | (?P<op>\|\||&&|!=|<=|>=|[!\-+*/|^=<>?])
  | (?P<open>[{{(\[])
  | (?P<close>[}})\]])
  | (?P<sep>[.,;])
  | (?P<other>.)
    """,
    re.X | re.S | re.M,
)
_TERMS = frozenset({"iri", "var", "number", "word", "string", "long"})


class QueryRefused(ValueError):
    """Request text refused before execution; the message says why."""


@dataclass(frozen=True)
class QueryInfo:
    form: str | None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or None
    is_update: bool
    has_service: bool
    has_from: bool
    #: deepest nesting of ``{``, ``(`` and ``[``
    depth: int
    #: operators and list separators: ``! - + * / | || && = != < > <= >= ^ ? , ; .``, IN, NOT
    operators: int = 0
    #: ``{`` and group keywords (MINUS, OPTIONAL, UNION, FILTER, BIND, GRAPH, VALUES, …)
    groups: int = 0
    #: terms listed inside parentheses before any comma (collections become triple patterns)
    listed: int = 0


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
    deepest = operators = groups = listed = 0
    #: per open bracket: its character, and whether a comma was seen in it
    stack: list[list[object]] = []
    #: a VALUES block is data, not patterns: from its keyword to the end of its ``{ }``
    values_pending = False
    values_at: int | None = None
    previous = ""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in {"ws", "comment"}:
            continue
        if kind == "open":
            stack.append([m.group(), False])
            deepest = max(deepest, len(stack))
            if m.group() == "{":
                groups += 1
                if values_pending:
                    values_pending, values_at = False, len(stack)
        elif kind == "close":
            if stack:
                stack.pop()
            if values_at is not None and len(stack) < values_at:
                values_at = None
        elif kind == "op":
            operators += 1
        elif kind == "sep":
            operators += 1
            if m.group() == "," and stack:
                stack[-1][1] = True
        elif kind == "datatype" and previous not in {"string", "long"}:
            operators += 2  # not a datatype marker: two inverse-path operators
        elif kind == "word":
            word = m.group().upper()
            if ":" not in word:
                if word == "SERVICE":
                    service = True
                elif word == "FROM":
                    from_ = True
                elif form is None and word in QUERY_FORMS:
                    form = word
                elif form is None and word in UPDATE_WORDS:
                    update = True
                if word in GROUP_WORDS or (word == "SELECT" and stack):
                    groups += 1
                    values_pending = values_pending or word == "VALUES"
                elif word in OPERATOR_WORDS:
                    operators += 1
            else:  # a name cannot end in ".": the engine reads those dots as separators
                operators += len(word) - len(word.rstrip("."))
        if (
            kind in _TERMS
            and stack
            and stack[-1][0] == "("
            and not stack[-1][1]
            and values_at is None
            and not values_pending
        ):
            listed += 1
        previous = kind or ""
    return QueryInfo(
        form,
        update and form is None,
        service,
        from_,
        deepest,
        operators,
        groups,
        listed,
    )


def check_query(text: str, max_depth: int, max_length: int) -> QueryInfo:
    """Refuse what must never reach the engine; return what the scan found."""
    from ctoc_kg.web.query_limits import DEFAULT_LIMITS

    return DEFAULT_LIMITS.replace(depth=max_depth, length=max_length).check(text)
