"""Dereferenceable URIs: every IRI under the base answers with its description.

Pattern: direct ``200`` with ``Content-Location`` naming the format-specific
document (``…/CRP.8.ttl``), ``Vary: Accept`` and ``Link`` headers to every
alternate.  An explicit extension or ``?format=`` overrides ``Accept`` for
people who cannot set headers.
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from rdflib import URIRef

from ctoc_kg.build.rules import text_iri
from ctoc_kg.formats import (
    HTML,
    JSONLD,
    NQUADS,
    NTRIPLES,
    PLAIN,
    RDF_FORMATS,
    RDFXML,
    TURTLE,
    Format,
    by_extension,
)
from ctoc_kg.store import QueryError
from ctoc_kg.web.describe import describe_graph, describe_rdf, exists, why
from ctoc_kg.web.errors import BadRequest, DomainError, NotAcceptable, NotFound
from ctoc_kg.web.headers import TRUNCATED, cache_as, truncated_value
from ctoc_kg.web.html import Renderer, tidy_name
from ctoc_kg.web.i18n import reader_language
from ctoc_kg.web.negotiation import requested
from ctoc_kg.web.services import Services, services
from ctoc_kg.web.sources import text_file, text_response

bp = Blueprint("resources", __name__)
OFFERS: tuple[Format, ...] = (TURTLE, HTML, JSONLD, NTRIPLES, RDFXML, NQUADS)
#: Browsers ask for text/html first; RDF clients for their format; no Accept gets Turtle.
MAX_PATH = 2048


def split_extension(path: str) -> tuple[str, Format | None]:
    """(resource path, format) for a path ending in an offered extension, else (path, None)."""
    head, dot, ext = path.rpartition(".")
    if dot and "/" not in ext:
        fmt = by_extension(ext, OFFERS)
        if fmt is not None:
            return head, fmt
    return path, None


def not_found(iri: str, fmt: Format | None) -> Response:
    """404 in the format asked for: an empty RDF graph, else the error page or text."""
    fmt = fmt or TURTLE
    if fmt in RDF_FORMATS:
        cache_as("none")
        # an empty graph in the format asked for; line-based formats say why in a comment
        safe = iri.replace("\n", " ").replace("\r", " ")
        comment = f"# Not found: nothing in this dataset is named <{safe}>\n"
        empty = {
            "turtle": comment,
            "ntriples": comment,
            "nquads": comment,
            "jsonld": '{"@context": {}, "@graph": []}\n',
            "rdfxml": '<?xml version="1.0"?>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
        }[fmt.key]
        return Response(empty, 404, content_type=fmt.content_type)
    raise NotFound(f"nothing in this dataset is named {iri}")


def alternates(svc: Services, path: str) -> str:
    links = [f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in OFFERS]
    return ", ".join(links)


def serve_resource(path: str) -> Response:
    svc = services()
    if len(path) > MAX_PATH:
        raise DomainError(414, f"the IRI is longer than {MAX_PATH} characters")
    if "\ufffd" in path:  # what werkzeug makes of bytes that are not UTF-8
        raise BadRequest("the path is not valid percent-encoded UTF-8")
    res_path, implied = split_extension(path)
    iri = find(svc, res_path)
    if iri is None and res_path != path:
        # the "extension" was part of the name after all (a symbol ending in .ttl)
        iri = find(svc, path)
        if iri is not None:
            res_path, implied = path, None
    text = text_file(svc, iri) if iri is not None and res_path.startswith("source/") else None
    offers = (*OFFERS, PLAIN) if text is not None else OFFERS
    fmt = requested(offers, implied=implied)
    if iri is None:
        return not_found(str(svc.iri_for(res_path)), fmt)
    if fmt is None:
        raise NotAcceptable(offers)
    if fmt is PLAIN and text is not None:  # a source text asked for as text: the text itself
        resp = text_response(text)
        resp.headers["Content-Location"] = svc.local_path(text_iri(str(iri)))
        return resp
    resp = render(svc, iri, fmt)
    local = svc.local_path(str(iri))
    resp.headers["Content-Location"] = f"{local}.{fmt.extension}"
    resp.headers["Link"] = alternates(svc, local)
    cache_as("none" if TRUNCATED in resp.headers else "resource")
    return resp


def find(svc: Services, path: str) -> URIRef | None:
    """The IRI under the base that ``path`` names, if the dataset mentions it."""
    for iri in svc.iri_candidates(path):
        try:
            if exists(svc, iri):
                return iri
        except (QueryError, ValueError):  # not even a valid IRI: nothing is named by it
            continue
    return None


def render(svc: Services, iri: URIRef, fmt: Format) -> Response:
    if fmt is HTML:
        graph = describe_graph(svc, iri)
        r = Renderer(svc, graph, reader_language(), why(svc, iri))
        local = svc.local_path(str(iri))
        body: str | bytes = render_template(
            "resource.html",
            iri=str(iri),
            label=tidy_name(r.label_lang(iri)[0]),
            label_lang=r.label_lang(iri)[1],
            types=r.types(iri),
            rows=r.rows(iri),
            incoming=r.incoming(iri),
            quotes=r.quotes(iri),
            alternates=[(f, f"{local}.{f.extension}") for f in OFFERS if f is not HTML],
        )
        return Response(body, content_type=HTML.content_type)
    body, _, cut = describe_rdf(svc, iri, fmt)
    resp = Response(body, content_type=fmt.content_type)
    if cut:  # flagged as /sparql flags it, and never cached as if it were whole
        resp.headers[TRUNCATED] = truncated_value(svc.settings)
    return resp


@bp.route("/<path:path>", methods=["GET", "HEAD"])
def resource(path: str) -> Response:
    return serve_resource(path)
