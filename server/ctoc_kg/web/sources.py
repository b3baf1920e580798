"""The source texts themselves, byte for byte, so that anyone can check a quote.

``/source/<stem>.txt`` is the plain text of the source named ``{base}source/<stem>``
(its ``ctoc:fileName``, copied into the release by the build).  Quotes link into it
with RFC 5147 fragments (``#char=990,1104``): the fragment is the client's business,
the server sends the whole text as ``text/plain; charset=utf-8``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, send_file
from rdflib import URIRef

from ctoc_kg.formats import PLAIN
from ctoc_kg.vocab import CTOC
from ctoc_kg.web.errors import NotFound
from ctoc_kg.web.headers import cache_as
from ctoc_kg.web.services import Services, services

bp = Blueprint("sources", __name__)
FILE_NAME = f"SELECT ?s ?f WHERE {{ ?s <{CTOC.fileName}> ?f ; a <{CTOC.SourceText}> }}"


def text_file(svc: Services, source: URIRef) -> Path | None:
    """The release's copy of the text of ``source``, if it is a source text and was copied."""
    release = svc.settings.release_path
    if release is None:
        return None
    rows = svc.store.select(FILE_NAME, {"s": source})
    names = sorted(str(r["f"]) for r in rows)
    if len(names) != 1 or "/" in names[0] or names[0].startswith("."):
        return None
    path = release / "sources" / names[0]
    return path if path.is_file() else None


def text_response(path: Path) -> Response:
    cache_as("resource")
    resp = send_file(path, mimetype=PLAIN.media_type, conditional=True, etag=True)
    resp.headers.pop("Cache-Control", None)  # one Cache-Control, from the header layer
    return resp


@bp.route("/source/<stem>.txt", methods=["GET", "HEAD"])
def source_text(stem: str) -> Response:
    svc = services()
    path = text_file(svc, svc.iri_for("source/" + stem))
    if path is None:
        raise NotFound(f"no source text named {stem}.txt")
    return text_response(path)
