"""Each quote checked against its own source text, in one linear pass.

SHACL can only compare a quote's offsets with the length of its text; this
check reads the source file each quote points to (named by ``ctoc:fileName``,
identified by ``ctoc:sha256``) and requires the quoted text to be exactly the
characters between the offsets.  Cost: one dictionary pass over the triples
plus one read per source file, whatever the size of the corpus.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rdflib.term import Node

from ctoc_kg.build.validate import Violation
from ctoc_kg.vocab import CTOC, OA, SHAPES

_TARGET, _SOURCE, _SELECTOR = str(OA.hasTarget), str(OA.hasSource), str(OA.hasSelector)
_EXACT, _START, _END = str(OA.exact), str(OA.start), str(OA.end)


def _lex(term: object) -> str:
    """IRI or lexical form, for rdflib and pyoxigraph terms alike."""
    return str(term) if isinstance(term, Node) else str(term.value)  # type: ignore[attr-defined]


def check_quotes(triples: Iterable[Iterable[object]], sources: Path) -> list[Violation]:
    """Violations for quotes whose text is not their source's text between their offsets."""
    file_name, sha = str(CTOC.fileName), str(CTOC.sha256)
    wanted = {_TARGET, _SOURCE, _SELECTOR, _EXACT, _START, _END, file_name, sha}
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        pk = _lex(p)
        if pk in wanted:
            out[_lex(s)][pk].append(_lex(o))
    texts: dict[str, str | None] = {}
    problems: list[Violation] = []

    def fail(focus: str, value: str | None, message: str) -> None:
        problems.append(
            Violation(
                focus=focus,
                shape=str(SHAPES.QuoteOffsetsShape),
                path=None,
                value=value,
                message=message,
                severity="Violation",
                constraint="SourceTextComponent",
            )
        )

    def text_of(src: str) -> str | None:
        if src not in texts:
            props = out.get(src, {})
            names, digests = props.get(file_name, []), props.get(sha, [])
            path = sources / names[0] if len(names) == 1 else None
            if path is None or "/" in names[0] or not path.is_file():
                texts[src] = None
            else:
                raw = path.read_bytes()
                ok = digests == [hashlib.sha256(raw).hexdigest()]
                texts[src] = raw.decode("utf-8") if ok else None
        return texts[src]

    for quote, props in list(out.items()):
        for target in props.get(_TARGET, []):
            tprops = out.get(target, {})
            for src in tprops.get(_SOURCE, []):
                text = text_of(src)
                if text is None:
                    fail(quote, src, f"source text {src} not found with its sha256 in {sources}")
                    continue
                selectors = tprops.get(_SELECTOR, [])
                exacts = [e for sel in selectors for e in out.get(sel, {}).get(_EXACT, [])]
                for sel in tprops.get(_SELECTOR, []):
                    sp = out.get(sel, {})
                    for start in sp.get(_START, []):
                        for end in sp.get(_END, []):
                            try:
                                span = text[int(start) : int(end)]
                            except ValueError:
                                continue  # not integers: the SHACL datatype checks report it
                            if any(e != span for e in exacts):
                                fail(
                                    quote,
                                    f"{start}-{end}",
                                    f"the source's text between offsets {start} and {end} "
                                    "is not the quote's exact text",
                                )
    problems.sort(key=lambda v: (v.focus, v.value or ""))
    return problems
