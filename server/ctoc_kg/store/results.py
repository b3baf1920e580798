"""Writing query answers from plain data: SPARQL results (JSON, XML, CSV, TSV) and JSON-LD.

No engine is imported here: the embedded engine and the web layer's rdflib
graphs both hand over plain :data:`~ctoc_kg.store.base.Term` values, so every
JSON-LD answer (``/sparql``, descriptions, metadata pages) is written by
:func:`write_jsonld` in one way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ctoc_kg.store.base import XSD_STRING, Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")

# -- JSON-LD --------------------------------------------------------------------------


class JsonLdTerms:
    """Terms as JSON-LD: properties and types as CURIEs where a prefix fits, node
    identifiers as full IRIs; ``used`` collects the prefixes written."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self.used: dict[str, str] = {}

    def compact(self, iri: str) -> str:
        best = max((ns for ns in self.prefixes.values() if iri.startswith(ns)), key=len, default="")
        local = iri[len(best) :]
        if not best or not _LOCAL.fullmatch(local):
            return iri
        name = next(p for p, ns in self.prefixes.items() if ns == best)
        self.used[name] = best
        return f"{name}:{local}"

    @staticmethod
    def ident(t: Term) -> str:
        return "_:" + t[1] if t[0] == "bnode" else t[1]

    def value(self, t: Term) -> dict[str, str]:
        if t[0] != "literal":
            return {"@id": self.ident(t)}
        if t[2]:
            return {"@value": t[1], "@language": t[2]}
        if t[3] and t[3] != XSD_STRING:
            return {"@value": t[1], "@type": self.compact(t[3])}
        return {"@value": t[1]}

    def node(self, s: Term, p: Term, o: Term) -> dict[str, object]:
        """One triple as a node object of its own (for answers written as they come)."""
        if p[1] == RDF_TYPE and o[0] == "uri":
            return {"@id": self.ident(s), "@type": [self.compact(o[1])]}
        return {"@id": self.ident(s), self.compact(p[1]): [self.value(o)]}


def write_jsonld(triples: Iterable[tuple[Term, Term, Term]], prefixes: dict[str, str]) -> bytes:
    """A JSON-LD document: one node object per subject, properties and types as CURIEs.

    The context holds only the prefixes the document uses; node identifiers stay
    full IRIs.  Subjects and values are sorted so that the same graph is always
    written the same way.
    """
    terms = JsonLdTerms(prefixes)
    nodes: dict[str, dict[str, list[object]]] = {}
    for s, p, o in triples:
        props = nodes.setdefault(terms.ident(s), {})
        if p[1] == RDF_TYPE and o[0] == "uri":
            props.setdefault("@type", []).append(terms.compact(o[1]))
        else:
            props.setdefault(terms.compact(p[1]), []).append(terms.value(o))
    graph = []
    for subject in sorted(nodes):
        obj: dict[str, object] = {"@id": subject}
        for key in sorted(nodes[subject], key=lambda k: (k != "@type", k)):
            obj[key] = sorted(nodes[subject][key], key=lambda v: json.dumps(v, sort_keys=True))
        graph.append(obj)
    doc = {"@context": dict(sorted(terms.used.items())), "@graph": graph}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


# -- SELECT / ASK writers -----------------------------------------------------------


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    if fmt in {"csv", "tsv"}:
        return ("true\n" if value else "false\n").encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


@dataclass(frozen=True)
class Framing:
    """What an answer's rows stand between: its head, the separator, its tail.  Known
    once the rows are (the head says whether they were cut), so rows can be written
    first, as they come, and framed afterwards."""

    prefix: bytes
    separator: bytes
    suffix: bytes

    def join(self, rows: Iterable[bytes]) -> bytes:
        return self.prefix + self.separator.join(rows) + self.suffix


def _compact_json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def json_framing(names: list[str], truncated: bool) -> Framing:
    head: dict[str, object] = {"vars": names}
    if truncated:
        head["link"] = ["#truncated-at-max-results"]
    return Framing(b'{"head":' + _compact_json(head) + b',"results":{"bindings":[', b",", b"]}}")


def json_row(value: object) -> bytes:
    """One row of a JSON answer (a binding, a JSON-LD node object), compact."""
    return _compact_json(value)


def _xml_term(t: Term) -> str:
    if t[0] == "uri":
        return f"<uri>{escape(t[1])}</uri>"
    if t[0] == "bnode":
        return f"<bnode>{escape(t[1])}</bnode>"
    attrs = ""
    if t[2]:
        attrs = f" xml:lang={quoteattr(t[2])}"
    elif t[3] and t[3] != XSD_STRING:
        attrs = f" datatype={quoteattr(t[3])}"
    return f"<literal{attrs}>{escape(t[1])}</literal>"


def xml_framing(names: list[str], truncated: bool) -> Framing:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    if truncated:
        out.append('<link href="#truncated-at-max-results"/>')
    out.append("</head><results>")
    return Framing("".join(out).encode(), b"", b"</results></sparql>\n")


def xml_row(names: list[str], row: dict[str, Term]) -> bytes:
    cells = "".join(
        f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>" for k, v in row.items()
    )
    return f"<result>{cells}</result>".encode()


def _csv_cell(t: Term | None) -> str:
    if t is None:
        return ""
    value = "_:" + t[1] if t[0] == "bnode" else t[1]
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def csv_framing(names: list[str], truncated: bool) -> Framing:
    return Framing((",".join(names) + "\r\n").encode(), b"", b"")


def csv_row(names: list[str], row: dict[str, Term]) -> bytes:
    return (",".join(_csv_cell(row.get(n)) for n in names) + "\r\n").encode()


def _nt_literal(value: str) -> str:
    esc = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + esc.replace("\r", "\\r").replace("\t", "\\t") + '"'


def _tsv_cell(t: Term | None) -> str:
    if t is None:
        return ""
    if t[0] == "uri":
        return f"<{t[1]}>"
    if t[0] == "bnode":
        return f"_:{t[1]}"
    if t[2]:
        return f"{_nt_literal(t[1])}@{t[2]}"
    if t[3] and t[3] != XSD_STRING:
        return f"{_nt_literal(t[1])}^^<{t[3]}>"
    return _nt_literal(t[1])


def tsv_framing(names: list[str], truncated: bool) -> Framing:
    return Framing(("\t".join(f"?{n}" for n in names) + "\n").encode(), b"", b"")


def tsv_row(names: list[str], row: dict[str, Term]) -> bytes:
    return ("\t".join(_tsv_cell(row.get(n)) for n in names) + "\n").encode()


#: Framing and row writer of each results format written from plain-term rows (the
#: engine writes JSON rows from its own terms: the hot path).
ROW_WRITERS: dict[
    str, tuple[Callable[[list[str], bool], Framing], Callable[[list[str], dict[str, Term]], bytes]]
] = {
    "xml": (xml_framing, xml_row),
    "csv": (csv_framing, csv_row),
    "tsv": (tsv_framing, tsv_row),
}
