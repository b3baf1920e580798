"""SPARQL results as a page, for a person who ran a query from a browser.

The engine answers in SPARQL JSON (solutions, booleans) or Turtle (graphs); this
module turns that answer into a table or a listing.  Other clients keep their
formats: HTML is offered last, so only an ``Accept`` that prefers ``text/html``
(or ``format=html``) gets it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import render_template

from ctoc_kg.web.html import safe_href
from ctoc_kg.web.services import Services


@dataclass
class Cell:
    text: str
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None


def cell(svc: Services, term: dict[str, str] | None) -> Cell:
    if term is None:
        return Cell("")
    value = term.get("value", "")
    if term.get("type") == "uri":
        return Cell(svc.curie(value), href=safe_href(svc, value))
    if term.get("type") == "bnode":
        return Cell("_:" + value)
    dtype = term.get("datatype")
    return Cell(value, lang=term.get("xml:lang"), datatype=svc.curie(dtype) if dtype else None)


def render_results(
    svc: Services, query: str, body: bytes, graph_form: bool, truncated: bool
) -> str:
    """The page for one answer: ``body`` is SPARQL JSON, or Turtle for a graph form."""
    context: dict[str, object] = {
        "query": query,
        "endpoint": svc.url("sparql"),
        "truncated": truncated,
        "max_results": svc.settings.max_results,
    }
    if graph_form:
        context["turtle"] = body.decode("utf-8")
    else:
        data = json.loads(body)
        if "boolean" in data:
            context["boolean"] = bool(data["boolean"])
        else:
            names = list(data["head"].get("vars", []))
            rows = [[cell(svc, b.get(n)) for n in names] for b in data["results"]["bindings"]]
            context.update(columns=names, rows=rows)
    return render_template("results.html", **context)
