"""The layout of a provisional agenda and annotations, read line by line.

The genre prints, in this order: a masthead (issuing body, symbol,
distribution, date, language, original), the body that meets or the session,
place and dates, the title, the agenda list, the annotations by item (with
documentation lists) and an annex with the organization of work.  This module
finds those regions and their lines; the words it matches come from the
lexicon.  A text that does not follow the layout stops with the file, the line
and what was expected there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ctoc_kg.extract.lexicon import Lexicon
from ctoc_kg.extract.provenance import Span
from ctoc_kg.symbols import is_symbol

ITEM_RE = re.compile(r"(?P<n>\d{1,2})\. (?P<title>.+?)(?P<p>[:;.])?")
SUB_RE = re.compile(r"\s*(?:- )?(?:(?P<a>[a-z])\)|\((?P<b>[a-z])\)) (?P<title>.+?)(?P<p>[:;.])?")
HEAD_RE = re.compile(r"(?P<n>\d{1,2})\. (?P<title>.+[^:;.?])")
SUB_HEAD_RE = re.compile(r"(?:(?P<a>[a-z])\)|\((?P<b>[a-z])\)) (?P<title>.+[^:;.?])")
LIST_RE = re.compile(r"(?:(?P<roman>[ivx]+)\)|\((?P<letter>[a-z])\)|(?P<l2>[a-z])\)) (?P<text>.+)")


class LayoutError(ValueError):
    """The text does not follow the genre's layout at ``line``."""

    def __init__(self, path: Path, line: int, expected: str, found: str = "") -> None:
        self.path, self.line, self.expected = path, line, expected
        shown = f", found {found[:80]!r}" if found else ""
        super().__init__(f"{path.name}:{line}: expected {expected}{shown}")


@dataclass(frozen=True)
class Line:
    n: int  # 1-based line number
    span: Span
    text: str

    def sub(self, m: re.Match[str], group: int | str = 0) -> Span:
        return Span(self.span.start + m.start(group), self.span.start + m.end(group))


def slug(notation: str) -> str:
    """``1 a)``, ``1 (a)`` -> ``1a``: an item's number whatever the language prints."""
    return re.sub(r"[\s()]", "", notation)


@dataclass
class ListedItem:
    line: Line
    notation: str  # as printed: 1, 1 a), 1 (a)
    slug: str
    title: Span
    parent: str | None
    order: int


@dataclass
class Section:
    """The annotations under one item: heading, paragraphs, documentation."""

    item: str  # slug
    heading: Line
    title: Span
    paragraphs: list[Line] = field(default_factory=list)
    documentation: Line | None = None
    documents: list[Line] = field(default_factory=list)


@dataclass
class Row:
    line: Line
    day: dt.date
    day_span: Span
    slot: tuple[dt.datetime, dt.datetime]
    time_span: Span
    item: str | None  # slug, None for a row that names no item
    item_span: Span | None
    desc: Span
    new_slot: bool


@dataclass
class Layout:
    lines: list[Line]
    issuer: Line
    symbol: Line | None = None
    distribution: tuple[Line, str] | None = None
    issued: tuple[Line, dt.date] | None = None
    language_line: Line | None = None
    original: tuple[Line, Span, str] | None = None
    body_line: Line | None = None
    body_key: str | None = None
    session: int | None = None
    place: Span | None = None
    dates: tuple[Line, Span, dt.date, dt.date] | None = None
    title: Line | None = None
    notes: list[Line] = field(default_factory=list)
    list_heading: Line | None = None
    items: list[ListedItem] = field(default_factory=list)
    annotations_heading: Line | None = None
    sections: list[Section] = field(default_factory=list)
    annex: Line | None = None
    work_title: Line | None = None
    work_header: Line | None = None
    days: list[Line] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for n, t in enumerate(text.split("\n"), start=1):
        out.append(Line(n, Span(pos, pos + len(t)), t))
        pos += len(t) + 1
    return out


class Reader:
    """Walks the lines of one source through the regions of the layout."""

    def __init__(self, path: Path, text: str, lex: Lexicon) -> None:
        self.path, self.lex = path, lex
        self.lines = split_lines(text)
        self.i = 0
        note = lex.headings["editorial_note"]
        self.notes = [ln for ln in self.lines if ln.text.startswith(note)]

    def fail(self, expected: str, line: Line | None = None) -> LayoutError:
        ln = line or (self.lines[self.i] if self.i < len(self.lines) else self.lines[-1])
        return LayoutError(self.path, ln.n, expected, ln.text)

    def next_text(self) -> Line:
        """The next non-blank line that is not a page-foot note."""
        while self.i < len(self.lines):
            ln = self.lines[self.i]
            self.i += 1
            if ln.text.strip() and ln not in self.notes:
                return ln
        raise LayoutError(self.path, len(self.lines), "more text", "end of file")

    def peek(self) -> Line:
        i = self.i
        ln = self.next_text()
        self.i = i
        return ln

    def read(self) -> Layout:
        lex = self.lex
        issuer = self.next_text()
        if lex.body_key(issuer.text) != "cop":
            raise self.fail("the name of the Conference of the Parties", issuer)
        lay = Layout(self.lines, issuer, notes=self.notes)
        self.masthead(lay)
        self.meeting(lay)
        title = self.next_text()
        if not title.text.rstrip("*").startswith(tuple(lex.headings["agenda_title"])):
            raise self.fail(f"the title ({' / '.join(lex.headings['agenda_title'])})", title)
        lay.title = title
        self.agenda_list(lay)
        self.annotations(lay)
        return lay

    def masthead(self, lay: Layout) -> None:
        lex = self.lex
        while True:
            ln = self.peek()
            t = ln.text.strip()
            if lay.symbol is None and lay.distribution is None and is_symbol(t):
                lay.symbol = ln
            elif t in lex.distribution:
                lay.distribution = (ln, lex.distribution[t])
            elif lay.issued is None and (m := lex.patterns["date"].fullmatch(t)):
                lay.issued = (ln, lex.date(m["day"], m["month"], m["year"]))
            elif t.lower() in lex.languages and lay.original is None:
                lay.language_line = ln
            elif m := lex.patterns["original"].fullmatch(t):
                if m["language"].lower() not in lex.languages:
                    raise self.fail("the name of a language after 'Original'", ln)
                lay.original = (ln, ln.sub(m, 0), lex.languages[m["language"].lower()])
            else:
                break
            self.next_text()
        if lay.distribution is None:
            raise self.fail(f"a distribution line ({' / '.join(lex.distribution)})")
        if lay.issued is None:
            raise self.fail("the date of issue (day month year)")

    def meeting(self, lay: Layout) -> None:
        lex = self.lex
        ln = self.next_text()
        lay.body_line = ln
        if m := lex.patterns["session_heading"].fullmatch(ln.text.strip()):
            lay.body_key, lay.session = "cop", lex.ordinal(m["ordinal"])
        else:
            lay.body_key = lex.body_key(ln.text)
        ln = self.next_text()
        m = lex.patterns["place_and_dates"].fullmatch(ln.text)
        dates = lex.date_range(m["dates"]) if m else None
        if not m or not dates:
            raise self.fail("the place and dates of the meeting ('Vienna, 30 May-1 June 2012')", ln)
        lay.place = ln.sub(m, "place")
        lay.dates = (ln, ln.sub(m, "dates"), *dates)

    def agenda_list(self, lay: Layout) -> None:
        lex = self.lex
        ln = self.next_text()
        if ln.text.strip() not in lex.headings["agenda_list"]:
            raise self.fail(f"the agenda heading ({' / '.join(lex.headings['agenda_list'])})", ln)
        lay.list_heading = ln
        parent: ListedItem | None = None
        self.next_text()
        self.i -= 1
        while self.i < len(self.lines) and self.lines[self.i].text.strip():
            ln = self.lines[self.i]
            self.i += 1
            if m := ITEM_RE.fullmatch(ln.text):
                item = ListedItem(ln, m["n"], m["n"], ln.sub(m, "title"), None, len(lay.items) + 1)
                parent = item
            elif (m := SUB_RE.fullmatch(ln.text)) and parent is not None:
                letter = m["a"] or m["b"]
                notation = (
                    f"{parent.notation} {letter})" if m["a"] else f"{parent.notation} ({letter})"
                )
                item = ListedItem(
                    ln,
                    notation,
                    slug(notation),
                    ln.sub(m, "title"),
                    parent.slug,
                    len(lay.items) + 1,
                )
            else:
                raise self.fail("an agenda item ('1. Title' or '(a) Title')", ln)
            lay.items.append(item)
        if not lay.items:
            raise self.fail("the items of the agenda")

    def annotations(self, lay: Layout) -> None:
        lex = self.lex
        ln = self.next_text()
        if ln.text.strip() not in lex.headings["annotations"]:
            raise self.fail(f"the heading {' / '.join(lex.headings['annotations'])}", ln)
        lay.annotations_heading = ln
        items = {it.slug: it for it in lay.items}
        section: Section | None = None
        top: str | None = None
        while self.i < len(self.lines):
            ln = self.lines[self.i]
            self.i += 1
            t = ln.text
            if not t.strip() or ln in self.notes:
                continue
            if t.strip() in lex.headings["annex"]:
                lay.annex = ln
                self.annex(lay, items)
                return
            if (h := HEAD_RE.fullmatch(t)) and h["n"] in items:
                top = h["n"]
                section = Section(top, ln, ln.sub(h, "title"))
                lay.sections.append(section)
                continue
            s = SUB_HEAD_RE.fullmatch(t)
            if s and top and f"{top}{s['a'] or s['b']}" in items:
                section = Section(f"{top}{s['a'] or s['b']}", ln, ln.sub(s, "title"))
                lay.sections.append(section)
                continue
            if section is None:
                raise self.fail("the heading of an agenda item ('1. Title')", ln)
            if t.strip() in lex.headings["documentation"]:
                section.documentation = ln
            elif section.documentation is not None:
                section.documents.append(ln)
            else:
                section.paragraphs.append(ln)

    def annex(self, lay: Layout, items: dict[str, ListedItem]) -> None:
        lex = self.lex
        ln = self.next_text()
        if ln.text.strip() not in lex.headings["organization_of_work"]:
            raise self.fail(f"the title {' / '.join(lex.headings['organization_of_work'])}", ln)
        lay.work_title = ln
        assert lay.dates is not None
        year = lay.dates[2].year
        day: tuple[dt.date, Span] | None = None
        slot: tuple[tuple[dt.datetime, dt.datetime], Span] | None = None
        while self.i < len(self.lines):
            ln = self.lines[self.i]
            self.i += 1
            t = ln.text
            if not t.strip() or ln in self.notes:
                continue
            if t.startswith("<i>") and lay.work_header is None:
                lay.work_header = ln
                continue
            cells = t.split("\t")
            day_cell = t.rstrip("\t ") if len(cells) < 3 or not cells[2].strip() else cells[0]
            if m := lex.patterns["day_row"].fullmatch(t, 0, len(day_cell.rstrip())):
                d = lex.date(m["day"], m["month"], year)
                if d < lay.dates[2]:  # a meeting across the new year
                    d = lex.date(m["day"], m["month"], year + 1)
                if not lex.weekday_is(d, m["weekday"]):
                    raise self.fail(f"the weekday of {d} ({lex.weekdays[d.weekday()]})", ln)
                day = (d, ln.sub(m, 0))
                lay.days.append(ln)
                slot = None
                if day_cell is cells[0]:  # a day with a note and no times ("Holiday")
                    if len(cells) != 3 or cells[1].strip():
                        raise self.fail("a day's note in the title column, naming no item", ln)
                    midnight = dt.datetime.combine(d, dt.time())
                    whole = (midnight, midnight + dt.timedelta(days=1))
                    at = ln.span.start + len(cells[0]) + len(cells[1]) + 2
                    note = Span(at, at + len(cells[2]))
                    lay.rows.append(Row(ln, d, day[1], whole, day[1], None, None, note, True))
                continue
            if len(cells) != 3 or day is None:
                raise self.fail("a row of the organization of work (time, item, title)", ln)
            new = bool(cells[0].strip())
            if new:
                times = lex.time_range(cells[0].strip())
                if times is None:
                    raise self.fail("a time range ('10 a.m.-1 p.m.', '10 heures-13 heures')", ln)
                start = dt.datetime.combine(day[0], times[0])
                end = dt.datetime.combine(day[0], times[1])
                slot = ((start, end), Span(ln.span.start, ln.span.start + len(cells[0])))
            if slot is None:
                raise self.fail("a time range before the first row of a day", ln)
            at = ln.span.start + len(cells[0]) + 1
            item_cell = cells[1].strip()
            item = slug(item_cell) if item_cell else None
            if item is not None and item not in items:
                raise self.fail(f"an item the agenda lists, not {item_cell!r}", ln)
            item_span = Span(at, at + len(cells[1])) if item else None
            at += len(cells[1]) + 1
            lay.rows.append(
                Row(
                    ln,
                    day[0],
                    day[1],
                    slot[0],
                    slot[1],
                    item,
                    item_span,
                    Span(at, at + len(cells[2])),
                    new,
                )
            )
        if not lay.rows:
            raise self.fail("the rows of the organization of work")
