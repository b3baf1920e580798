"""The SPARQL 1.1 Protocol endpoint at ``/sparql``: queries only, bounded, negotiated."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from ctoc_kg.formats import HTML, RDF_FORMATS, RESULT_FORMATS, SPARQL_JSON, TURTLE, Format
from ctoc_kg.store import spool
from ctoc_kg.store.base import QueryRequest
from ctoc_kg.store.isolated import QueryProcesses
from ctoc_kg.web import protocol
from ctoc_kg.web.admission import Busy
from ctoc_kg.web.errors import BadRequest, DomainError
from ctoc_kg.web.headers import CSP_YASGUI, TRUNCATED, cache_as, truncated_value
from ctoc_kg.web.negotiation import negotiate
from ctoc_kg.web.query_limits import DEFAULT_LIMITS
from ctoc_kg.web.results_html import render_results
from ctoc_kg.web.service_description import service_description
from ctoc_kg.web.services import services
from ctoc_kg.web.sparql_text import QueryRefused

bp = Blueprint("sparql", __name__)
GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}


@bp.route("/sparql", methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
@bp.route("/sparql/", methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
def endpoint() -> Response:
    svc = services()
    preq = protocol.parse(request, svc.settings.max_body_bytes)
    if preq.query is None:
        return describe_service(preq.format)
    try:
        limits = DEFAULT_LIMITS.replace(
            depth=svc.settings.max_nesting, length=svc.settings.max_query_length
        )
        info = limits.check(preq.query)
    except QueryRefused as exc:
        raise BadRequest(str(exc)) from exc
    graph_form = info.form in GRAPH_FORMS
    # HTML last: only a client that prefers it (a browser) or asks by name gets a page
    offers = (*(RDF_FORMATS if graph_form else RESULT_FORMATS), HTML)
    fmt = negotiate(offers, preq.format)
    engine_fmt = (TURTLE if graph_form else SPARQL_JSON) if fmt is HTML else fmt
    qreq = QueryRequest(
        preq.query,
        result_format=RESULT_FORMATS[0].key if graph_form else engine_fmt.key,
        rdf_format=engine_fmt.key if graph_form else TURTLE.key,
        default_graphs=preq.default_graphs,
        named_graphs=preq.named_graphs,
        union_default_graph=not info.has_from,
        base_iri=svc.base,
        prefixes=svc.prefixes,
        max_results=svc.settings.max_results,
        max_result_bytes=svc.settings.max_result_bytes,
        # a large answer goes to a file and out from there; a page is built whole
        spool=spool.new_path() if fmt is not HTML else "",
    )
    client = request.remote_addr or ""
    runner = svc.query_runner
    try:  # QueryError and QueryTimeout: see errors.init_app
        if isinstance(runner, QueryProcesses):  # a slot only once the query turns heavy
            result = runner.execute(qreq, promote=lambda: svc.admission.acquire(client))
        else:  # a runner that cannot stop a query midway: every query takes a slot
            with svc.admission.slot(client):
                result = runner.execute(qreq)
    except BaseException as exc:  # stopped or failed midway: what it wrote goes
        spool.discard(qreq.spool)
        if isinstance(exc, Busy):
            raise too_many(exc) from exc
        raise
    if fmt is HTML:
        page = render_results(svc, preq.query, result.body, graph_form, result.truncated)
        resp = Response(page, content_type=HTML.content_type)
        out_format = HTML
    elif result.spooled is not None:  # sent from its file, a piece at a time
        out_format = _format_of(result.format, fmt)
        body = spool.Pieces(result.spooled)
        resp = Response(body, content_type=out_format.content_type, direct_passthrough=True)
        resp.content_length = result.spooled.length
    else:
        out_format = _format_of(result.format, fmt)
        resp = Response(result.body, content_type=out_format.content_type)
    if result.truncated:
        resp.headers[TRUNCATED] = truncated_value(svc.settings)
    if out_format.key in {"csv", "tsv"}:  # a download, never a page (see SECURITY.md)
        resp.headers["Content-Disposition"] = f'attachment; filename="results.{out_format.key}"'
    cache_as("sparql")
    return resp


def too_many(exc: Busy) -> DomainError:
    """429 with Retry-After: a client or the server has as many heavy queries running as
    allowed, and this one turned heavy too (it was stopped)."""
    whose = "this client" if exc.scope == "client" else "the server"
    return DomainError(
        429,
        f"Too many queries: {whose} already has {exc.limit} long-running queries, and this "
        "query ran long too, so it was stopped; retry in a few seconds.",
        {"Retry-After": "2"},
    )


def _format_of(key: str, asked: Format) -> Format:
    for f in (*RESULT_FORMATS, *RDF_FORMATS):
        if f.key == key:
            return f
    return asked


def describe_service(format_param: str | None) -> Response:
    """No query: a browser gets the query page, anyone else the service description."""
    svc = services()  # absolute URLs come from configuration, never the Host header
    fmt = negotiate((*RDF_FORMATS, HTML), format_param)
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
    return resp
