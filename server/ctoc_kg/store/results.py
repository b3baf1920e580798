"""Writing query answers from plain data: SPARQL results (JSON, XML, CSV, TSV) and JSON-LD.

No engine is imported here: the embedded engine and the web layer's rdflib
graphs both hand over plain :data:`~ctoc_kg.store.base.Term` values, so every
JSON-LD answer (``/sparql``, descriptions, metadata pages) is written by
:func:`write_jsonld` in one way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from ctoc_kg.store.base import XSD_STRING, Term

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")

# -- JSON-LD --------------------------------------------------------------------------


def write_jsonld(triples: Iterable[tuple[Term, Term, Term]], prefixes: dict[str, str]) -> bytes:
    """A JSON-LD document: one node object per subject, properties and types as CURIEs.

    The context holds only the prefixes the document uses; node identifiers stay
    full IRIs.  Subjects and values are sorted so that the same graph is always
    written the same way.
    """
    used: dict[str, str] = {}

    def compact(iri: str) -> str:
        best = max((ns for ns in prefixes.values() if iri.startswith(ns)), key=len, default="")
        local = iri[len(best) :]
        if not best or not _LOCAL.fullmatch(local):
            return iri
        name = next(p for p, ns in prefixes.items() if ns == best)
        used[name] = best
        return f"{name}:{local}"

    def ident(t: Term) -> str:
        return "_:" + t[1] if t[0] == "bnode" else t[1]

    def value(t: Term) -> dict[str, str]:
        if t[0] != "literal":
            return {"@id": ident(t)}
        if t[2]:
            return {"@value": t[1], "@language": t[2]}
        if t[3] and t[3] != XSD_STRING:
            return {"@value": t[1], "@type": compact(t[3])}
        return {"@value": t[1]}

    nodes: dict[str, dict[str, list[object]]] = {}
    for s, p, o in triples:
        props = nodes.setdefault(ident(s), {})
        if p[1] == RDF_TYPE and o[0] == "uri":
            props.setdefault("@type", []).append(compact(o[1]))
        else:
            props.setdefault(compact(p[1]), []).append(value(o))
    graph = []
    for subject in sorted(nodes):
        obj: dict[str, object] = {"@id": subject}
        for key in sorted(nodes[subject], key=lambda k: (k != "@type", k)):
            obj[key] = sorted(nodes[subject][key], key=lambda v: json.dumps(v, sort_keys=True))
        graph.append(obj)
    doc = {"@context": dict(sorted(used.items())), "@graph": graph}
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


def write_json(
    names: list[str], bindings: list[dict[str, dict[str, str]]], truncated: bool
) -> bytes:
    head: dict[str, object] = {"vars": names}
    if truncated:
        head["link"] = ["#truncated-at-max-results"]
    doc = {"head": head, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


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


def write_xml(names: list[str], rows: list[dict[str, Term]], truncated: bool) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    if truncated:
        out.append('<link href="#truncated-at-max-results"/>')
    out.append("</head><results>")
    for r in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>" for k, v in r.items()]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_cell(t: Term | None) -> str:
    if t is None:
        return ""
    value = "_:" + t[1] if t[0] == "bnode" else t[1]
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def write_csv(names: list[str], rows: list[dict[str, Term]], truncated: bool) -> bytes:
    lines = [",".join(names)]
    lines += [",".join(_csv_cell(r.get(n)) for n in names) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


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


def write_tsv(names: list[str], rows: list[dict[str, Term]], truncated: bool) -> bytes:
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join(_tsv_cell(r.get(n)) for n in names) for r in rows]
    return ("\n".join(lines) + "\n").encode()


#: Writers of plain-term rows; the engine writes JSON from its own terms (the hot path).
WRITERS = {"xml": write_xml, "csv": write_csv, "tsv": write_tsv}
