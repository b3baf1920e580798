"""Headers every response carries: CORS, security, caching and validators.

Views say what kind of response they made (``g.cache``); this module turns
that into ``Cache-Control``, adds ``ETag``/``Last-Modified`` from the release
and answers conditional requests with 304.  It runs on every request, so it
is written to be cheap.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.http import parse_date

from .services import services

#: YASGUI's editor sets inline styles; only the query page with YASGUI allows them.
CSP_YASGUI = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
#: On every response: CORS for the actual request, and no MIME sniffing.
STATIC = [
    ("Access-Control-Allow-Origin", "*"),
    (
        "Access-Control-Expose-Headers",
        "Content-Location, Link, ETag, Last-Modified, X-SPARQL-Results-Truncated",
    ),
    ("X-Content-Type-Options", "nosniff"),
]
#: On pages a browser renders.
PAGE = [
    ("Content-Security-Policy", CSP),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
]
#: On CORS preflight answers.
PREFLIGHT = [
    ("Allow", "GET, HEAD, POST, OPTIONS"),
    ("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
    ("Access-Control-Allow-Headers", "Accept, Content-Type, If-None-Match, If-Modified-Since"),
    ("Access-Control-Max-Age", "86400"),
]
CACHE_KEY = "ctoc.cache"
CACHE = {
    "resource": "public, max-age=3600",
    "page": "public, max-age=300",
    "sparql": "public, max-age=60",
    "dump": "public, max-age=86400",
    "static": "public, max-age=86400",
    "none": "no-store",
}


class HeaderMiddleware:
    """Adds the fixed headers at the WSGI level, where a header is just a tuple."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        def add(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            code = int(status[:3])
            ctype = next((v for k, v in headers if k == "Content-Type"), "")
            headers.extend(STATIC)
            if not ctype or ctype.startswith(("text/html", "application/xhtml", "image/svg")):
                present = {k for k, _ in headers}
                headers.extend(h for h in PAGE if h[0] not in present)
            kind = environ.get(CACHE_KEY) or ("none" if code >= 400 else "page")
            if environ["REQUEST_METHOD"] == "POST" and kind == "sparql":
                kind = "none"
            headers.append(("Cache-Control", CACHE[kind]))
            return start_response(status, headers, exc_info)

        return self.app(environ, add)


def init_app(app: Flask) -> None:
    app.wsgi_app = HeaderMiddleware(app.wsgi_app)  # type: ignore[method-assign]

    @app.after_request
    def conditional(resp: Response) -> Response:
        kind = getattr(g, "cache", None)
        request.environ[CACHE_KEY] = kind
        if request.method == "OPTIONS":  # Flask answers OPTIONS itself; make it a preflight
            resp.status_code = 204
            resp.set_data(b"")
            resp.headers.pop("Allow", None)
            resp.headers.extend(PREFLIGHT)
        elif (
            resp.status_code == 200
            and kind not in (None, "none")
            and request.method in {"GET", "HEAD"}
        ):
            validate(resp)
        return resp


def validate(resp: Response) -> None:
    """Weak ETag and Last-Modified from the release; 304 when the client is current."""
    release = services().release
    h = resp.headers
    if "ETag" not in h and not resp.is_streamed:
        env = request.environ
        path = f"{env.get('PATH_INFO')}?{env.get('QUERY_STRING')}"
        key = f"{release.version}|{path}|{h.get('Content-Type')}"
        h["ETag"] = f'W/"{release.version}-{zlib.crc32(key.encode()):08x}"'
    if "Last-Modified" not in h:
        h["Last-Modified"] = release.last_modified
    inm = request.headers.get("If-None-Match")
    ims = request.headers.get("If-Modified-Since")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        fresh = "*" in tags or h["ETag"].removeprefix("W/") in tags
    elif ims is not None:
        since = parse_date(ims)
        fresh = since is not None and since >= release.modified
    else:
        return
    if fresh:
        resp.status_code = 304
        resp.set_data(b"")
        for name in ("Content-Length", "Content-Type"):
            h.pop(name, None)
