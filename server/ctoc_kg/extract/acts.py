"""Operative clauses: what the annotations report a decision or resolution did, verb by verb.

A sentence that reports a decision ("Dans sa décision 4/4, la Conférence a
rappelé … et souligné …", "In its decision 5/3, the Conference decided … It
also requested …") or a resolution ("In its resolution 64/293, the General
Assembly adopted …") opens with a lead (:func:`leads`); the text from it to the
next lead is cut at each operative verb the lexicon knows; each clause runs
from its verb to the words that lead to the next verb or to the end of its
sentence.  A body acting with a verb the lexicon does not know is reported,
never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ctoc_kg.extract.lexicon import Lexicon

SENTENCE_END = re.compile(r"[.;](?=\s+[A-ZÀ-Ý])")
#: What ends the text before a lead that opens a sentence.
_BEFORE_SENTENCE = re.compile(r"[.;:]\s+$")


@dataclass(frozen=True)
class Lead:
    """Words that open a report on a decision or resolution ("In its decision 5/3")."""

    kind: str  # "decision" or "resolution"
    num: str | None  # None: "the same decision", the one last named
    start: int  # offsets within the paragraph
    end: int


def leads(text: str, lex: Lexicon) -> list[Lead]:
    """The leads that open a sentence of ``text``, in order: each starts a report."""
    found = []
    for kind, patterns in (("decision", lex.lead_res), ("resolution", lex.resolution_lead_res)):
        for rx in patterns:
            for m in rx.finditer(text):
                s = m.start()
                if s == 0 or _BEFORE_SENTENCE.search(text, max(0, s - 4), s):
                    found.append(Lead(kind, m.groupdict().get("num"), s, m.end()))
    return sorted(found, key=lambda lead: lead.start)


TRAILING = re.compile(r"[\s,;:.]+$")


@dataclass(frozen=True)
class Clause:
    type: str  # local name of a ctoc:ActType
    verb: str  # as printed
    start: int  # offsets within the paragraph
    end: int
    colon: bool  # ends with ':' (a list follows)


def clauses(text: str, lex: Lexicon) -> list[Clause]:
    found = list(lex.verb_re.finditer(text))
    out = []
    for k, m in enumerate(found):
        start = m.start("verb")
        stop = found[k + 1].start() if k + 1 < len(found) else len(text)
        # a new sentence before the next verb ends this clause ("… adaptés. Elle a …")
        if k + 1 < len(found):
            ends = [e.start() for e in SENTENCE_END.finditer(text, start, stop)]
            if ends:
                stop = ends[-1]
        segment = text[start:stop]
        for lead in lex.acts["before_verb"]:  # the next clause's own leading words
            if segment.rstrip().endswith(" " + lead):
                segment = segment.rstrip()[: -len(lead) - 1]
        colon = segment.rstrip().endswith(lex.acts["mandate_end"])
        segment = TRAILING.sub("", segment)
        for conj in (" et", " and", ", and"):
            segment = segment.removesuffix(conj)
        segment = TRAILING.sub("", segment)
        verb = m["verb"]
        out.append(Clause(lex.verbs[verb], verb, start, start + len(segment), colon))
    return out


def unknown_verbs(text: str, lex: Lexicon) -> list[tuple[int, str]]:
    """(offset, words) where the Conference acts with a verb the lexicon does not know."""
    known = [v.split()[0] for v in lex.verbs]
    out = []
    for m in lex.subject_re.finditer(text):
        word = m["word"]
        if word in known or word in lex.acts["not_verbs"]:
            continue
        out.append((m.start(), text[m.start() : m.end()]))
    return out


def addressee_words(clause: str, verb: str, lex: Lexicon) -> str:
    """The words naming whom an act addresses: after the verb, up to "à"/"to"."""
    rest = clause[len(verb) :].lstrip()
    ends = [rest.find(e) for e in lex.acts["addressee_end"] if rest.find(e) > 0]
    return rest[: min(ends)] if ends else rest
