"""How much of a source the graph reads: non-blank characters cited by a quote."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ctoc_kg.extract.provenance import Span


@dataclass(frozen=True)
class Coverage:
    cited: int
    total: int
    unread: list[tuple[int, str]]  # (line number, text) of lines nothing was read from

    @property
    def share(self) -> float:
        return self.cited / self.total if self.total else 1.0


def measure(text: str, spans: Iterable[Span]) -> Coverage:
    """Linear in the text: mark cited offsets, then count by line."""
    marked = bytearray(len(text))
    for s in spans:
        marked[s.start : s.end] = b"\x01" * (s.end - s.start)
    cited = total = 0
    unread = []
    pos = 0
    for n, line in enumerate(text.split("\n"), start=1):
        line_total = line_cited = 0
        for i, ch in enumerate(line):
            if not ch.isspace():
                line_total += 1
                line_cited += marked[pos + i]
        if line_total and not line_cited:
            unread.append((n, line))
        cited += line_cited
        total += line_total
        pos += len(line) + 1
    return Coverage(cited, total, unread)
