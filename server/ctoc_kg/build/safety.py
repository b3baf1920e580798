"""Limits on RDF files from contributors, checked before a parser sees them.

Parsers are not built to refuse hostile input: rdflib's RDF/XML parser expands
entities, its JSON-LD parser fetches remote contexts, and deep nesting
exhausts the stack.  These checks are cheap and run on every file that
``validate`` or ``build`` reads.
"""

from __future__ import annotations

import re
from pathlib import Path

import rdflib.plugins.sparql

# rdflib fetches unknown FROM graphs (http: and file:) when it runs SPARQL; nothing here
# may open a connection or a file because data or a query asked.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_NESTING = 64
MAX_LITERAL_CHARS = 1_000_000

_XML_DECL = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)
_REMOTE_CONTEXT = re.compile(r'"@(context|import)"\s*:\s*(\[\s*)?"(?!#)[^"]*:', re.I)


class UnsafeInput(ValueError):
    """A file refused before parsing; the message says which limit it exceeds."""


def check_rdf_file(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnsafeInput(f"file of {size} bytes exceeds the {MAX_FILE_BYTES}-byte limit")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in {".rdf", ".owl", ".xml"} and _XML_DECL.search(data):
        raise UnsafeInput("XML document type or entity declarations are refused")
    text = data.decode("utf-8", errors="replace")
    if suffix in {".jsonld", ".json"} and _REMOTE_CONTEXT.search(text):
        raise UnsafeInput("remote or file JSON-LD contexts are refused; inline the context")
    depth = nesting_depth(text, "[({" if suffix in {".jsonld", ".json"} else "[(")
    if depth > MAX_NESTING:
        raise UnsafeInput(f"nesting {depth} deep exceeds the limit of {MAX_NESTING}")
    longest = longest_quoted(text)
    if longest > MAX_LITERAL_CHARS:
        raise UnsafeInput(f"a literal of {longest} characters exceeds {MAX_LITERAL_CHARS}")


def nesting_depth(text: str, openers: str) -> int:
    """Deepest bracket nesting outside quoted strings and IRIs (an upper bound is enough)."""
    closers = {"[": "]", "(": ")", "{": "}"}
    close_set = {closers[o] for o in openers}
    depth = deepest = 0
    quote: str | None = None
    escaped = comment = False
    prev = "\n"
    for ch in text:
        if comment:
            comment = ch != "\n"
            prev = ch
            continue
        if quote is None and ch == "#" and prev.isspace():
            comment = True
            continue
        prev = ch
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch in openers:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in close_set:
            depth = max(0, depth - 1)
    return deepest


def longest_quoted(text: str) -> int:
    """Length of the longest double-quoted run, a cheap bound on literal size."""
    longest = 0
    for m in re.finditer(r'"[^"]*"', text):
        longest = max(longest, m.end() - m.start())
    return longest
