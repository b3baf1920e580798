"""Independent readings of the source text, for checking the graph against it.

Written apart from the extractor, in the plainest way, so that a fact is
checked against the document and not against a copy of itself.
"""

from __future__ import annotations

import re


def lines(text: str) -> list[str]:
    return text.split("\n")


def agenda_list(text: str) -> list[tuple[str, str]]:
    """(number as the annex prints it, title without trailing punctuation) in order."""
    ls = lines(text)
    start = ls.index("Ordre du jour provisoire") + 2
    out: list[tuple[str, str]] = []
    parent = ""
    for line in ls[start:]:
        if not line:
            break
        if line.startswith(" - "):
            letter, title = line[3], line[6:]
            out.append((f"{parent} {letter})", title[:-1]))
        else:
            number, title = line.split(". ", 1)
            parent = number
            out.append((number, title[:-1]))
    return out


def documentation(text: str) -> list[tuple[str, str, str]]:
    """(item number, title, symbol) for every entry under a 'Documentation' heading."""
    out = []
    item = None
    in_docs = False
    for line in lines(text):
        m = re.match(r"^(\d)\. ", line)
        if m:
            item, in_docs = m.group(1), False
        elif line == "Documentation":
            in_docs = True
        elif in_docs and line.endswith(")"):
            title, symbol = line[: line.rindex(" (")], line[line.rindex(" (") + 2 : -1]
            out.append((item, title, symbol))
    return out  # type: ignore[return-value]


def annex_rows(text: str) -> list[tuple[str, str, str, bool]]:
    """(day, hours, item number, continued) per row of the organization of work."""
    ls = lines(text)
    start = ls.index("Proposition d'organisation des travaux") + 2
    rows = []
    day = hours = ""
    for line in ls[start:]:
        cells = line.split("\t")
        if len(cells) != 3 or line.startswith("<i>"):
            continue
        if cells[1] == "" and cells[2] == "":
            day = cells[0]
            continue
        if cells[0]:
            hours = cells[0]
        rows.append((day, hours, cells[1], cells[2].endswith("(<i>suite</i>)")))
    return rows
