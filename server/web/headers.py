"""Headers every response carries: CORS, security, caching and validators.

Views say what kind of response they made (``g.cache``); this module turns
that into ``Cache-Control``, adds ``ETag``/``Last-Modified`` from the release
and answers conditional requests with 304.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, g, request

from .services import services

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
CACHE = {
    "resource": "public, max-age=3600",
    "page": "public, max-age=300",
    "sparql": "public, max-age=60",
    "dump": "public, max-age=86400",
    "static": "public, max-age=86400",
    "none": "no-store",
}


def init_app(app: Flask) -> None:
    @app.before_request
    def preflight() -> Response | None:
        if request.method == "OPTIONS":
            resp = Response(status=204)
            resp.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
            return resp
        return None

    @app.after_request
    def add_headers(resp: Response) -> Response:
        h = resp.headers
        h["Access-Control-Allow-Origin"] = "*"
        h["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        h["Access-Control-Allow-Headers"] = "Accept, Content-Type, If-None-Match, If-Modified-Since"
        h["Access-Control-Expose-Headers"] = (
            "Content-Location, Link, ETag, Last-Modified, X-SPARQL-Results-Truncated"
        )
        h["Access-Control-Max-Age"] = "86400"
        h["X-Content-Type-Options"] = "nosniff"
        h["Referrer-Policy"] = "strict-origin-when-cross-origin"
        h["Content-Security-Policy"] = CSP
        h["X-Frame-Options"] = "DENY"
        kind = getattr(g, "cache", None) or ("none" if resp.status_code >= 400 else "page")
        if request.method == "POST" and kind == "sparql":
            kind = "none"
        h["Cache-Control"] = CACHE[kind]
        if resp.status_code == 200 and request.method in {"GET", "HEAD"} and kind != "none":
            release = services().release
            if "ETag" not in h and not resp.is_streamed:
                tag = hashlib.sha1(
                    f"{release.version}|{request.full_path}|{h.get('Content-Type')}".encode(),
                    usedforsecurity=False,
                ).hexdigest()[:20]
                resp.set_etag(tag, weak=True)
            if "Last-Modified" not in h:
                resp.last_modified = release.modified
            resp.make_conditional(request)
        return resp
