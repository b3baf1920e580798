"""The SPARQL 1.1 Protocol endpoint at ``/sparql``: queries only, bounded, negotiated."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from ctoc_kg.formats import HTML, RDF_FORMATS, RESULT_FORMATS, TURTLE, Format, by_name
from ctoc_kg.store import QueryError, QueryTimeout
from ctoc_kg.store.engine import QueryRequest
from ctoc_kg.store.isolated import EngineCrashed, QueryProcesses, QueryTooLarge
from ctoc_kg.web import protocol
from ctoc_kg.web.admission import Busy
from ctoc_kg.web.headers import CSP_YASGUI, cache_as
from ctoc_kg.web.negotiation import choose
from ctoc_kg.web.query_limits import DEFAULT_LIMITS
from ctoc_kg.web.service_description import service_description
from ctoc_kg.web.services import services
from ctoc_kg.web.sparql_text import QueryRefused

bp = Blueprint("sparql", __name__)
GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}


def plain(status: int, message: str) -> Response:
    """Errors are plain text that says what is wrong (and where, for syntax errors)."""
    cache_as("none")
    return Response(
        message.rstrip() + "\n", status=status, content_type="text/plain; charset=utf-8"
    )


@bp.route("/sparql", methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
@bp.route("/sparql/", methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
def endpoint() -> Response:
    svc = services()
    try:
        preq = protocol.parse(request, svc.settings.max_body_bytes)
    except protocol.ProtocolError as exc:
        resp = plain(exc.status, exc.message)
        if exc.status == 405:
            resp.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
        return resp
    if preq.query is None:
        return describe_service(preq.format)
    try:
        limits = DEFAULT_LIMITS.replace(
            depth=svc.settings.max_nesting, length=svc.settings.max_query_length
        )
        info = limits.check(preq.query)
    except QueryRefused as exc:
        return plain(400, str(exc))
    graph_form = info.form in GRAPH_FORMS
    offers = RDF_FORMATS if graph_form else RESULT_FORMATS
    fmt = by_name(preq.format, offers) or choose(request.headers.get("Accept"), offers)
    if fmt is None:
        accepted = ", ".join(f.media_type for f in offers)
        return plain(406, f"none of the requested media types can be produced; offered: {accepted}")
    qreq = QueryRequest(
        preq.query,
        result_format=RESULT_FORMATS[0].key if graph_form else fmt.key,
        rdf_format=fmt.key if graph_form else TURTLE.key,
        default_graphs=preq.default_graphs,
        named_graphs=preq.named_graphs,
        union_default_graph=not info.has_from,
        base_iri=svc.base,
        prefixes=svc.prefixes,
        max_results=svc.settings.max_results,
    )
    client = request.remote_addr or ""
    runner = svc.query_runner
    try:
        if isinstance(runner, QueryProcesses):  # a slot only once the query turns heavy
            result = runner.execute(qreq, promote=lambda: svc.admission.acquire(client))
        else:  # a runner that cannot stop a query midway: every query takes a slot
            with svc.admission.slot(client):
                result = runner.execute(qreq)
    except Busy as exc:
        return busy(exc)
    except QueryTooLarge as exc:
        return plain(503, f"Query too large: {exc}")
    except QueryTimeout as exc:
        return plain(503, f"Query timeout: {exc}")
    except QueryError as exc:
        return plain(500 if isinstance(exc, EngineCrashed) else 400, str(exc))
    out_format = _format_of(result.format, fmt)
    resp = Response(result.body, content_type=out_format.content_type)
    resp.headers["Vary"] = "Accept"
    if result.truncated:
        resp.headers["X-SPARQL-Results-Truncated"] = (
            f"true; max-results={svc.settings.max_results}; "
            f"max-result-bytes={svc.settings.max_result_bytes}"
        )
    if out_format.key in {"csv", "tsv"}:  # a download, never a page (see SECURITY.md)
        resp.headers["Content-Disposition"] = f'attachment; filename="results.{out_format.key}"'
    cache_as("sparql")
    return resp


def busy(exc: Busy) -> Response:
    """429 with Retry-After: a client or the server has as many heavy queries running as
    allowed, and this one turned heavy too (it was stopped)."""
    whose = "this client" if exc.scope == "client" else "the server"
    resp = plain(
        429,
        f"Too many queries: {whose} already has {exc.limit} long-running queries, and this "
        "query ran long too, so it was stopped; retry in a few seconds.",
    )
    resp.headers["Retry-After"] = "2"
    return resp


def _format_of(key: str, asked: Format) -> Format:
    for f in (*RESULT_FORMATS, *RDF_FORMATS):
        if f.key == key:
            return f
    return asked


def describe_service(format_param: str | None) -> Response:
    """No query: a browser gets the query page, anyone else the service description."""
    offers = (*RDF_FORMATS, HTML)
    svc = services()  # absolute URLs come from the configured base, never the Host header
    fmt = by_name(format_param, offers) or choose(
        request.headers.get("Accept"), (TURTLE, *RDF_FORMATS[1:], HTML)
    )
    if fmt is None:
        return plain(
            406,
            "the service description is available as " + ", ".join(f.media_type for f in offers),
        )
    cache_as("page")
    if fmt is HTML:
        resp = Response(
            render_template(
                "query.html",
                queries=svc.queries,
                base=svc.base,
                yasgui=svc.yasgui,
                endpoint=svc.url("sparql"),
            ),
            content_type=HTML.content_type,
        )
        if svc.yasgui:
            resp.headers["Content-Security-Policy"] = CSP_YASGUI
    else:
        endpoint = services().url("sparql")
        resp = Response(service_description(endpoint, fmt), content_type=fmt.content_type)
    resp.headers["Vary"] = "Accept"
    return resp
