"""Dataset metadata and bulk access: VoID, dumps, named graphs, robots.txt, sitemap."""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, Response, render_template, send_file
from rdflib import URIRef

from ctoc_kg.formats import HTML, RDF_FORMATS, TURTLE
from ctoc_kg.store.base import QueryRequest, term
from ctoc_kg.web.dataset_meta import void
from ctoc_kg.web.describe import GRAPH_CONTENTS
from ctoc_kg.web.errors import NotFound
from ctoc_kg.web.favicon import favicon
from ctoc_kg.web.headers import cache_as
from ctoc_kg.web.html import Renderer
from ctoc_kg.web.i18n import reader_language
from ctoc_kg.web.negotiation import negotiate
from ctoc_kg.web.services import services

bp = Blueprint("meta", __name__)
#: media types without parameters: the response adds ``charset=utf-8`` to text types once
DUMPS = {"dataset.nq.gz": "application/gzip", "dataset.ttl": "text/turtle"}
SITEMAP = """SELECT DISTINCT ?base ?s WHERE {
  ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), STR(?base)))
} ORDER BY ?s LIMIT 50000"""


@bp.route("/.well-known/void", methods=["GET", "HEAD"])
def well_known_void() -> Response:
    svc = services()
    fmt = negotiate((TURTLE, HTML, *RDF_FORMATS[1:]))
    from ctoc_kg.web.rdfout import serialize

    if fmt is HTML:
        graph = void(svc, svc.url("sparql"))
        r = Renderer(svc, graph, reader_language())
        node = URIRef(svc.base + ".well-known/void#dataset")
        body: str | bytes = render_template(
            "resource.html",
            iri=str(node),
            label="VoID description of the dataset",
            types=r.types(node),
            rows=r.rows(node),
            incoming=[],
            quotes=[],
            alternates=[(f, f"?format={f.extension}") for f in RDF_FORMATS],
        )
        cache_as("page")
        return Response(body, content_type=HTML.content_type)
    prefixes = {
        **svc.prefixes,
        "void": "http://rdfs.org/ns/void#",
        "sd": "http://www.w3.org/ns/sparql-service-description#",
    }
    body = serialize(void(svc, svc.url("sparql")), fmt, prefixes)
    cache_as("page")
    return Response(body, content_type=fmt.content_type)


@bp.route("/dumps/<name>", methods=["GET", "HEAD"])
def dump(name: str) -> Response:
    svc = services()
    release = svc.settings.release_path
    if name not in DUMPS or release is None or not (release / name).is_file():
        raise NotFound(f"no dump named {name}; dumps: {', '.join(DUMPS)}")
    cache_as("dump")
    resp = send_file(
        release / name,
        mimetype=DUMPS[name],
        conditional=True,
        etag=True,
        download_name=name,
    )
    resp.headers.pop("Cache-Control", None)  # one Cache-Control, from the header layer
    return resp


@bp.route("/graph/<path:name>", methods=["GET", "HEAD"])
def named_graph(name: str) -> Response:
    svc = services()
    iri = svc.iri_for("graph/" + name)
    fmt = negotiate(RDF_FORMATS)
    if not svc.store.ask("ASK { GRAPH ?g { ?s ?p ?o } }", {"g": URIRef(iri)}):
        raise NotFound(f"no named graph {iri}")
    req = QueryRequest(
        GRAPH_CONTENTS,
        rdf_format=fmt.key,
        bindings={"g": term(iri)},
        prefixes=svc.prefixes,
        max_results=10**7,
    )
    cache_as("resource")
    return Response(svc.store.execute(req).body, content_type=fmt.content_type)


@bp.route("/favicon.ico", methods=["GET", "HEAD"])
def favicon_ico() -> Response:
    cache_as("static")
    return Response(favicon(), content_type="image/vnd.microsoft.icon")


@bp.route("/robots.txt", methods=["GET", "HEAD"])
def robots() -> Response:
    svc = services()
    cache_as("page")
    text = f"User-agent: *\nDisallow: /sparql\nAllow: /\n\nSitemap: {svc.url('sitemap.xml')}\n"
    return Response(text, content_type="text/plain; charset=utf-8")


@bp.route("/sitemap.xml", methods=["GET", "HEAD"])
def sitemap() -> Response:
    svc = services()
    from rdflib import Literal

    rows = svc.store.select(SITEMAP, {"base": Literal(svc.base)})
    lastmod = svc.release.modified.date().isoformat()
    urls = [
        f"<url><loc>{escape(svc.public_url_of(str(r['s'])))}</loc><lastmod>{lastmod}</lastmod></url>"
        for r in rows
    ]
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{escape(svc.url())}</loc></url>{''.join(urls)}</urlset>\n"
    )
    cache_as("page")
    return Response(body, content_type="application/xml; charset=utf-8")
