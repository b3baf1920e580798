"""A resource page read back as a reader sees it: the values of each row, in the order
shown, with the text beneath each link, apart from what is folded away."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "link", "br", "img", "input", "hr", "col", "area", "base", "source", "wbr"}


@dataclass
class Shown:
    """One value of a row: its link, the text beneath it, and where it stands."""

    section: str  # "properties" or "incoming"
    property: str  # the row's CURIE (or IRI)
    href: str | None = None
    text: str = ""
    body: str = ""
    body_lang: str | None = None
    #: the property under which it is folded ("" when shown), and how ("entailed", "above")
    folded_under: str = ""
    folded_kind: str = ""
    #: broader classes folded beside a class
    implied: list[str] = field(default_factory=list)


class PageView(HTMLParser):
    """Collects every value <li> of the property tables, folded or not."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[Shown] = []
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.section = ""
        self.row = ""
        self._open_folds: list[tuple[str, str]] = []  # (property, kind) of open folded details
        self.current: list[Shown] = []  # the value <li> being read (innermost last)
        self.headings: list[str] = []  # the text of every <th>, <summary>, <title>, <h1>
        self._text_of: list[list[str]] = []
        self.feed(html)
        self.close()

    def _classes(self) -> set[str]:
        return {c for _, a in self.stack for c in a.get("class", "").split()}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag not in VOID:
            self.stack.append((tag, a))
        if tag == "section":
            self.section = a.get("id", "")
        elif tag == "tr" and "data-property" in a:
            self.row = a["data-property"]
        elif tag == "details" and "folded" in a.get("class", ""):
            kind = "entailed" if "entailed" in a.get("class", "") else "above"
            self._open_folds.append((a.get("data-property", ""), kind))
        elif tag == "li" and self.row and not self._in("nested"):
            if self.current and self._open_folds and self._implied_list():
                self.current.append(Shown(self.section, self.row, folded_kind="implied"))
            else:
                under, kind = self._open_folds[-1] if self._open_folds else ("", "")
                self.current.append(
                    Shown(self.section, self.row, folded_under=under, folded_kind=kind)
                )
        elif tag == "a" and self.current and self.current[-1].href is None:
            if not self._in("why") and not self._in_tag("summary"):
                self.current[-1].href = a.get("href")
                self._text_of.append([])
                return
        elif tag == "div" and "body" in a.get("class", "").split() and self.current:
            self.current[-1].body_lang = a.get("lang")
            self._text_of.append([])
            return
        if tag in {"th", "summary", "title", "h1"}:
            self._text_of.append([])

    def _implied_list(self) -> bool:
        """Whether the open <details> is a class's broader classes (inside its <li>)."""
        depth = [i for i, (t, _) in enumerate(self.stack) if t == "li"]
        details = [i for i, (t, _) in enumerate(self.stack) if t == "details"]
        return bool(depth and details and details[-1] > depth[0])

    def _in(self, cls: str) -> bool:
        return cls in self._classes()

    def _in_tag(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.stack)

    def handle_data(self, data: str) -> None:
        for buf in self._text_of:
            buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            open_tag, attrs = self.stack.pop()
            self._close(open_tag, attrs)
            if open_tag == tag:
                break

    def _close(self, tag: str, attrs: dict[str, str]) -> None:
        value = self.current[-1] if self.current else None
        if (
            tag == "a"
            and value is not None
            and self._text_of
            and not value.text
            and value.href is not None
            and value.href == attrs.get("href")
        ):
            value.text = " ".join("".join(self._text_of.pop()).split())
            return
        if tag == "div" and "body" in attrs.get("class", "").split() and self.current:
            self.current[-1].body = " ".join("".join(self._text_of.pop()).split())
        elif tag in {"th", "summary", "title", "h1"} and self._text_of:
            self.headings.append(" ".join("".join(self._text_of.pop()).split()))
        elif tag == "li" and self.current:
            done = self.current.pop()
            if done.folded_kind == "implied" and self.current:
                self.current[-1].implied.append(done.href or done.text)
            else:
                self.values.append(done)
        elif tag == "details" and self._open_folds and "folded" in attrs.get("class", ""):
            self._open_folds.pop()
        elif tag == "tr":
            self.row = ""

    def shown(self, prop: str, section: str = "properties") -> list[Shown]:
        """The values a reader sees in row ``prop`` (nothing folded), in page order."""
        return [
            v
            for v in self.values
            if v.property == prop and v.section == section and not v.folded_kind
        ]

    def folded(self, prop: str, section: str = "properties") -> list[Shown]:
        return [v for v in self.values if v.folded_under == prop and v.section == section]
