"""The competency queries in ``queries/``: loading, running and printing them.

Query files name the vocabulary by its persistent namespace and data by relative
IRIs; they are run with ``BASE`` set to the dataset's base URI, the SPARQL way of
resolving them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib.term import Node

from ctoc_kg.store import Store
from ctoc_kg.store.base import Row


@dataclass(frozen=True)
class CompetencyQuery:
    path: Path
    question: str
    text: str

    @property
    def name(self) -> str:
        return self.path.stem

    def with_base(self, base: str) -> str:
        return f"BASE <{base}>\n{self.text}"


def read(path: Path) -> CompetencyQuery:
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line.lstrip("# ").rstrip())
    question = next((h.split(":", 1)[1].strip() for h in header if h.startswith("Question:")), "")
    if not question:
        raise ValueError(f"{path}: the comment header must state the question ('# Question: ...')")
    return CompetencyQuery(path, question, text)


def all_queries(directory: Path) -> list[CompetencyQuery]:
    return [read(p) for p in sorted(directory.glob("*.rq"))]


def run_file(store: Store, path: Path, base: str) -> list[Row]:
    return store.select(read(path).with_base(base))


def _cell(term: Node | None) -> str:
    return "" if term is None else str(term)


def format_table(rows: list[Row]) -> str:
    if not rows:
        return "(no rows)"
    cols = list(dict.fromkeys(k for r in rows for k in r))
    lines = ["\t".join(cols)]
    lines += ["\t".join(_cell(r.get(c)) for c in cols) for r in rows]
    return "\n".join(lines)
