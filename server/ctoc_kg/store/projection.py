"""``SELECT *`` columns in the order the query names its variables.

The engine lists the variables of ``SELECT *`` alphabetically; a researcher who
wrote ``?meeting ?date ?item`` expects those columns in that order.  This reads
the query text (skipping comments, strings and IRIs) for the first appearance of
each variable and reorders the engine's list; it never adds or drops a column.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<long>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)|\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z))
  | (?P<string>'(?:[^'\\\n]|\\.)*(?:'|$)|"(?:[^"\\\n]|\\.)*(?:"|$))
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<word>[A-Za-z]+)
  | (?P<star>\*)
  | (?P<other>.)
    """,
    re.X | re.S | re.M,
)


def star_order(query: str, names: list[str]) -> list[str]:
    """``names`` reordered by first appearance in ``query`` when its outer form is ``SELECT *``."""
    words = [
        (m.lastgroup, m.group().upper() if m.lastgroup == "word" else m.group())
        for m in _TOKEN.finditer(query)
        if m.lastgroup != "comment" and not m.group().isspace()
    ]
    try:
        at = words.index(("word", "SELECT"))
    except ValueError:
        return names
    rest = words[at + 1 :]
    while rest and rest[0] in {("word", "DISTINCT"), ("word", "REDUCED")}:
        rest = rest[1:]
    if not rest or rest[0] != ("star", "*"):
        return names
    seen: dict[str, int] = {}
    for kind, text in rest:
        if kind == "var":
            seen.setdefault(text[1:], len(seen))
    wanted = set(names)
    ordered = [n for n in seen if n in wanted]
    return ordered + [n for n in names if n not in seen]
