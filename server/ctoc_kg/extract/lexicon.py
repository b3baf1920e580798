"""The genre's vocabulary, one file per language, loaded into compiled patterns.

The parser knows layout only; every word it looks for (months, ordinals,
headings, operative verbs, names of bodies and instruments) comes from
``lexicon/<lang>.toml``, and what the languages share (IRI paths, symbol
series, classes) from ``lexicon/genre.toml``.  Adding a language means adding
a file here and its tests; the parser does not change.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DIR = Path(__file__).resolve().parent / "lexicon"


def _alternation(words: list[str]) -> str:
    """A regex alternation, longest first so that a name beats the names inside it."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


def _suffixed(pattern: str, suffix: str) -> str:
    """The same pattern with every named group renamed ``<name><suffix>``."""
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m[1]}{suffix}>", pattern)


@dataclass(frozen=True)
class Body:
    key: str
    path: str
    series: str | None
    office: bool
    group: bool


@dataclass(frozen=True)
class Instrument:
    key: str
    path: str
    cls: str
    supplements: str | None
    rules_of: str | None


class Lexicon:
    """One language's vocabulary of the genre, with the genre's shared tables."""

    def __init__(self, raw: dict[str, Any], genre: dict[str, Any]) -> None:
        self.raw = raw
        self.language: str = raw["language"]
        self.articles: list[str] = raw["articles"]
        self.function_words = frozenset(raw["function_words"])
        self.weekdays: list[str] = raw["weekdays"]
        self.months: dict[str, int] = {k.lower(): v for k, v in raw["months"].items()}
        self.ordinals: dict[str, int] = {k.lower(): v for k, v in raw["ordinals"].items()}
        self.cardinals: dict[str, int] = raw["cardinals"]
        self.languages: dict[str, str] = {k.lower(): v for k, v in raw["languages"].items()}
        self.distribution: dict[str, str] = raw["distribution"]
        self.headings: dict[str, Any] = raw["headings"]
        self.acts: dict[str, Any] = raw["acts"]
        self.verbs: dict[str, str] = raw["acts"]["verbs"]
        self.addressed = frozenset(genre["acts"]["addressed"])
        self.traits: dict[str, str] = raw["traits"]
        self.names: dict[str, Any] = raw["names"]
        self.bodies = {
            k: Body(k, v["path"], v.get("series"), v.get("office", False), v.get("group", False))
            for k, v in genre["bodies"].items()
        }
        self.instruments = {
            k: Instrument(k, v["path"], v["class"], v.get("supplements"), v.get("rules_of"))
            for k, v in genre["instruments"].items()
        }
        self.body_names: dict[str, list[str]] = raw["names"]["bodies"]
        self.instrument_names: dict[str, list[str]] = raw["names"]["instruments"]
        self._by_name = {n.lower(): k for k, names in self.body_names.items() for n in names}
        self._instrument_by_ref = {
            n.lower(): k for k, names in raw["names"]["instrument_refs"].items() for n in names
        }
        p = raw["patterns"]
        self.fills = {
            "month": _alternation(list(raw["months"])),
            "weekday": _alternation(self.weekdays + [w.capitalize() for w in self.weekdays]),
            "ordinal": _alternation(
                list(raw["ordinals"]) + [o.capitalize() for o in raw["ordinals"]]
            ),
            "cardinal": _alternation(list(self.cardinals)),
            "body": _alternation([n for ns in self.body_names.values() for n in ns]),
            "instrument": _alternation(
                [n for ns in raw["names"]["instrument_refs"].values() for n in ns]
            ),
            "day": p["day"],
        }
        self.fills["date"] = self.fill(p["date"])
        self.fills["time"] = p["time"]
        self.patterns = {k: re.compile(self.fill(v)) for k, v in p.items() if isinstance(v, str)}
        self.pattern_lists = {
            k: [re.compile(self.fill(x)) for x in v] for k, v in p.items() if isinstance(v, list)
        }
        day_ = p["day"]
        month = self.fills["month"]
        one_day = f"{_suffixed(day_, '1')}(?: (?P<month1>{month}))?(?: (?P<year1>\\d{{4}}))?"
        last = f"{_suffixed(day_, '2')} (?P<month2>{self.fills['month']}) (?P<year2>\\d{{4}})"
        self.date_range_re = re.compile(
            f"{p['range_prefix']}(?:{one_day}{p['range_connector']})?{last}"
        )
        t = p["time"]
        self.time_range_re = re.compile(f"{_suffixed(t, '1')}-{_suffixed(t, '2')}")
        verbs = _alternation(list(self.verbs))
        before = _alternation(self.acts["before_verb"])
        self.verb_re = re.compile(rf"\b{before} (?P<verb>{verbs})\b")
        self.lead_res = [re.compile(x) for x in self.acts["lead"]]
        self.resolution_lead_res = [re.compile(x) for x in self.acts["lead_resolution"]]
        self.subject_re = re.compile(self.acts["subject"])
        self.provision_res = [re.compile(self.fill(x)) for x in self.acts["provision"]]
        self.relations = [
            {**r, "re": re.compile(self.fill(r["pattern"]))} for r in raw.get("relations", [])
        ]
        self.creator_res = [re.compile(self.fill(x)) for x in raw["authorship"]["creator"]]
        self.transmits_res = [re.compile(self.fill(x)) for x in raw["authorship"]["transmits"]]
        self.mention_re = re.compile(
            _alternation(
                [n for ns in self.body_names.values() for n in ns]
                + [n for ns in self.instrument_names.values() for n in ns]
            )
        )

    def fill(self, pattern: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: self.fills.get(m[1], m[0]), pattern)

    # -- dates and times -------------------------------------------------------------
    def date(self, day: str, month: str, year: str | int) -> dt.date:
        return dt.date(int(year), self.months[month.lower()], int(day))

    def date_range(self, text: str) -> tuple[dt.date, dt.date] | None:
        """``14 et 15 avril 2009``, ``30 May-1 June 2012``, ``du 8 au 17 octobre 2008``."""
        m = self.date_range_re.fullmatch(text)
        if not m:
            return None
        end = self.date(m["day2"], m["month2"], m["year2"])
        if m["day1"] is None:
            return end, end
        start = self.date(m["day1"], m["month1"] or m["month2"], m["year1"] or m["year2"])
        return start, end

    def time(self, m: re.Match[str], suffix: str = "", meridiem: str | None = None) -> dt.time:
        hour, minute = int(m[f"h{suffix}"]), int(m[f"m{suffix}"] or 0)
        ap = (m.groupdict().get(f"ap{suffix}") or meridiem or "").lower()
        if ap == "p.m." and hour < 12:
            hour += 12
        if ap == "a.m." and hour == 12:
            hour = 0
        return dt.time(hour, minute)

    def time_range(self, text: str) -> tuple[dt.time, dt.time] | None:
        """``10 heures-13 heures``, ``10 a.m.-1 p.m.``, ``3-6 p.m.`` (meridiem shared)."""
        m = self.time_range_re.fullmatch(text)
        if not m:
            return None
        end = self.time(m, "2")
        return self.time(m, "1", m.groupdict().get("ap2")), end

    def weekday_is(self, day: dt.date, word: str) -> bool:
        return self.weekdays[day.weekday()].lower() == word.lower()

    def ordinal(self, word: str) -> int:
        return self.ordinals[word.lower()]

    def ordinal_word(self, n: int) -> str:
        return next(w for w, k in self.ordinals.items() if k == n)

    # -- names -----------------------------------------------------------------------
    def strip_article(self, words: str) -> str:
        for a in sorted(self.articles, key=len, reverse=True):
            if words.startswith(a):
                return words[len(a) :]
        return words

    def body_key(self, words: str) -> str | None:
        """The body or office these words name (articles aside), if the lexicon knows it."""
        return self._by_name.get(self.strip_article(words.strip()).lower())

    def instrument_by_ref(self, words: str) -> str | None:
        return self._instrument_by_ref.get(words.lower())

    def instrument_key(self, name: str) -> str | None:
        for k, names in self.instrument_names.items():
            if name in names:
                return k
        return None

    def group_of(self, series: str) -> Body | None:
        return next((b for b in self.bodies.values() if b.series == series), None)

    def text_language(self, text: str, default: str) -> str:
        """The language whose function words a printed title uses (documents keep theirs)."""
        words = re.findall(r"\w+", text.lower())
        scores = {
            lex.language: sum(w in lex.function_words for w in words) for lex in all_lexicons()
        }
        best = max(scores.values())
        winners = [k for k, v in scores.items() if v == best]
        return default if default in winners else winners[0]


@functools.cache
def _genre() -> dict[str, Any]:
    return tomllib.loads((DIR / "genre.toml").read_text(encoding="utf-8"))


def languages() -> list[str]:
    return sorted(p.stem for p in DIR.glob("*.toml") if p.stem != "genre")


@functools.cache
def load(language: str) -> Lexicon:
    path = DIR / f"{language}.toml"
    if not path.is_file():
        raise LookupError(f"no lexicon for language {language!r} (have {', '.join(languages())})")
    return Lexicon(tomllib.loads(path.read_text(encoding="utf-8")), _genre())


def all_lexicons() -> list[Lexicon]:
    return [load(lang) for lang in languages()]
