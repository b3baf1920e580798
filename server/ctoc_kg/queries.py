"""The competency queries in ``queries/``: loading, running and printing them.

Query files name the vocabulary by its persistent namespace and data by relative
IRIs; they are run with ``BASE`` set to the dataset's base URI, the SPARQL way of
resolving them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ctoc_kg.store import Store
from ctoc_kg.store.base import QueryRequest, Row


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


#: What ``ctoc-kg query --format`` prints: the SPARQL results formats, or a table for people.
OUTPUT_FORMATS = ("table", "csv", "tsv", "json")


def run_text(store: Store, query: str, output: str, max_results: int = 10**6) -> str:
    """The answer to ``query`` in ``output`` (one of :data:`OUTPUT_FORMATS`), columns in the
    query's order."""
    wire = "json" if output == "table" else output
    resp = store.execute(QueryRequest(query, result_format=wire, max_results=max_results))
    if resp.kind == "graph":
        raise ValueError("a CONSTRUCT or DESCRIBE query: use the /sparql endpoint for graphs")
    body = resp.body.decode("utf-8")
    return format_table(json.loads(body)) if output == "table" else body


def format_table(results: dict[str, Any]) -> str:
    """SPARQL JSON results as aligned columns (a boolean as ``true``/``false``)."""
    if "boolean" in results:
        return "true" if results["boolean"] else "false"
    cols: list[str] = results["head"].get("vars", [])
    rows = [[b.get(c, {}).get("value", "") for c in cols] for b in results["results"]["bindings"]]
    if not rows:
        return "(no rows)"
    widths = [max(len(x) for x in [c, *(r[i] for r in rows)]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)
