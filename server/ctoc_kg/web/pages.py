"""Pages for people: the home page, lists to browse, the ontology and shapes documentation."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ctoc_kg.formats import HTML, RDF_FORMATS, TURTLE, by_extension
from ctoc_kg.store.base import QueryRequest, term
from ctoc_kg.vocab import SH
from ctoc_kg.web.dataset_meta import stats, void
from ctoc_kg.web.describe import GRAPH_CONTENTS
from ctoc_kg.web.errors import BadRequest, NotFound
from ctoc_kg.web.headers import cache_as
from ctoc_kg.web.html import Renderer, safe_href, tidy_name
from ctoc_kg.web.i18n import pick, reader_language
from ctoc_kg.web.negotiation import negotiate
from ctoc_kg.web.rdfout import serialize
from ctoc_kg.web.services import Services, services

bp = Blueprint("pages", __name__)
PAGE_SIZE = 100
MAX_PAGE = 100_000
BROWSE = {
    "agendas": ("AnnotatedAgenda", "Agendas", "Ordres du jour"),
    "items": ("AgendaItem", "Agenda items", "Points de l'ordre du jour"),
    "meetings": ("Meeting", "Meetings and sessions", "Réunions et sessions"),
    "decisions": ("Decision", "Decisions", "Décisions"),
    "documents": ("Document", "Documents", "Documents"),
    "bodies": ("Body", "Bodies", "Organes"),
    "instruments": ("Instrument", "Legal instruments", "Instruments juridiques"),
}
LIST = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?r (MIN(STR(?l)) AS ?label) WHERE {
  ?r a ?class .
  OPTIONAL { ?r rdfs:label ?l }
} GROUP BY ?class ?r ORDER BY ?label ?r LIMIT %d OFFSET %d
"""
COUNT = "SELECT ?class (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a ?class } GROUP BY ?class"


@bp.route("/", methods=["GET", "HEAD"])
def home() -> Response:
    svc = services()
    fmt = negotiate((HTML, *RDF_FORMATS))
    cache_as("page")
    if fmt is not HTML:
        body = serialize(void(svc, svc.url("sparql")), fmt, _void_prefixes(svc))
        resp = Response(body, content_type=fmt.content_type)
    else:
        st = stats(svc)
        counts = {c: n for c, n in st.classes}
        sections = [
            (slug, en, fr, counts.get(svc.prefixes["ctoc"] + local, 0))
            for slug, (local, en, fr) in BROWSE.items()
        ]
        resp = Response(
            render_template("home.html", stats=st, sections=sections, queries=svc.queries[:4]),
            content_type=HTML.content_type,
        )
    return resp


def _void_prefixes(svc: Services) -> dict[str, str]:
    return {
        **svc.prefixes,
        "void": "http://rdfs.org/ns/void#",
        "sd": "http://www.w3.org/ns/sparql-service-description#",
    }


@bp.route("/browse/<kind>", methods=["GET", "HEAD"])
def browse(kind: str) -> Response:
    if kind not in BROWSE:
        raise NotFound(f"nothing to browse as {kind!r}; try one of {', '.join(BROWSE)}")
    svc = services()
    local, en, fr = BROWSE[kind]
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        raise BadRequest("page must be a whole number") from None
    if not 1 <= page <= MAX_PAGE:  # out of range is the client's error, not page 1
        raise BadRequest(f"page must be between 1 and {MAX_PAGE}")
    cls = URIRef(svc.prefixes["ctoc"] + local)
    rows = svc.store.select(LIST % (PAGE_SIZE + 1, (page - 1) * PAGE_SIZE), {"class": cls})
    counted = svc.store.select(COUNT, {"class": cls})
    total = int(counted[0]["n"]) if counted else 0  # type: ignore[call-overload]
    items = [
        (tidy_name(str(r.get("label", r["r"]))), safe_href(svc, str(r["r"])))
        for r in rows[:PAGE_SIZE]
    ]
    cache_as("page")
    body = render_template(
        "browse.html",
        title=fr if reader_language() == "fr" else en,
        other_title=en if reader_language() == "fr" else fr,
        items=items,
        page=page,
        total=total,
        has_next=len(rows) > PAGE_SIZE,
        kind=kind,
        class_href=safe_href(svc, str(cls)),
    )
    return Response(body, content_type=HTML.content_type)


ONTOLOGY_OFFERS = (TURTLE, HTML, *RDF_FORMATS[1:])


@bp.route("/ontology/", methods=["GET", "HEAD"])
@bp.route("/ontology.<ext>", methods=["GET", "HEAD"])
def ontology(ext: str | None = None) -> Response:
    """The ontology namespace: HTML documentation, or the whole ontology graph as RDF."""
    svc = services()
    if ext is not None:
        fmt = by_extension(ext, ONTOLOGY_OFFERS)
        if fmt is None:
            raise NotFound(f"the ontology is not available as .{ext}")
    else:
        fmt = negotiate(ONTOLOGY_OFFERS)
    cache_as("resource")
    if fmt is HTML:
        graph = svc.store.construct(GRAPH_CONTENTS, {"g": svc.ontology_graph})
        body = render_template("ontology.html", **ontology_view(svc, graph))
        resp = Response(body, content_type=HTML.content_type)
    else:
        req = QueryRequest(
            GRAPH_CONTENTS,
            rdf_format=fmt.key,
            bindings={"g": term(svc.ontology_graph)},
            prefixes=svc.prefixes,
            max_results=10**6,
        )
        resp = Response(svc.store.execute(req).body, content_type=fmt.content_type)
    resp.headers["Content-Location"] = f"/ontology.{fmt.extension}"
    resp.headers["Link"] = ", ".join(
        f'</ontology.{f.extension}>; rel="alternate"; type="{f.media_type}"'
        for f in ONTOLOGY_OFFERS
    )
    return resp


def ontology_view(svc: Services, graph: Graph) -> dict[str, object]:
    r = Renderer(svc, graph, reader_language())
    ns = svc.prefixes["ctoc"]

    def terms(kind: URIRef) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        ours = [s for s in graph.subjects(RDF.type, kind) if str(s).startswith(ns)]
        for t in sorted(ours):  # type: ignore[type-var]  # rdflib's terms are ordered
            en, fr = r.term_labels(str(t))
            out.append(
                {
                    "curie": svc.curie(str(t)),
                    "href": safe_href(svc, str(t)),
                    "en": en,
                    "fr": fr,
                    **comment(t),
                    "rows": [
                        row for row in r.rows(t) if row.property not in {"rdfs:comment", "rdf:type"}
                    ],
                }
            )
        return out

    def comment(node: Node) -> dict[str, str | None]:
        comments = graph.objects(node, RDFS.comment)
        texts = {getattr(c, "language", None) or "": str(c) for c in comments}
        text, lang = pick(texts, r.lang) or ("", "")
        return {"comment": text, "comment_lang": lang or None}

    title, title_lang = r.label_lang(URIRef(ns))
    return {
        "title": title,
        "title_lang": title_lang,
        **comment(URIRef(ns)),
        "namespace": ns,
        "classes": terms(OWL.Class),
        "object_properties": terms(OWL.ObjectProperty),
        "datatype_properties": terms(OWL.DatatypeProperty),
        "alternates": [(f, f"/ontology.{f.extension}") for f in RDF_FORMATS],
    }


@bp.route("/shapes/", methods=["GET", "HEAD"])
@bp.route("/shapes/<name>", methods=["GET", "HEAD"])
def shapes(name: str | None = None) -> Response:
    svc = services()
    graph = svc.shapes
    fmt = negotiate((TURTLE, HTML, *RDF_FORMATS[1:]))
    if name is not None:
        node = URIRef(svc.base + "shapes/" + name)
        if (node, None, None) not in graph:
            raise NotFound(f"no shape named {name}")
        sub = Graph()
        todo: list[Node] = [node]
        seen: set[Node] = set()
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            for p, o in graph.predicate_objects(n):
                sub.add((n, p, o))
                if not isinstance(o, URIRef) and not hasattr(o, "language"):
                    todo.append(o)  # blank nodes: property shapes, lists
        graph = sub
    cache_as("resource")
    if fmt is HTML:
        node_shapes = sorted(
            s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)
        )
        r = Renderer(svc, graph, reader_language())
        body = render_template(
            "shapes.html",
            shapes=[(svc.curie(str(s)), svc.local_path(str(s)), r.rows(s)) for s in node_shapes],
            alternates=[(f, f"?format={f.extension}") for f in RDF_FORMATS],
        )
        resp = Response(body, content_type=HTML.content_type)
    else:
        resp = Response(
            serialize(graph, fmt, {**svc.prefixes, "sh": str(SH)}), content_type=fmt.content_type
        )
    return resp
