"""Headers every response carries: CORS, security, caching, validators, 304s.

Views say what kind of response they made with :func:`cache_as`; everything
else happens in :class:`HeaderMiddleware`, below Flask, where a header is a
plain tuple: fixed headers, ``Cache-Control`` for the kind, a weak ``ETag``
and ``Last-Modified`` from the release, ``304 Not Modified`` for a client
that is current, and CORS preflight answers.  It runs on every request, so it
is written to be cheap.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, request
from werkzeug.http import parse_date

from ctoc_kg.web.services import Services
from ctoc_kg.web.settings import Settings

CACHE_KEY = "ctoc.cache"
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
CACHE = {
    "resource": "public, max-age=3600",
    "page": "public, max-age=300",
    "sparql": "public, max-age=60",
    "dump": "public, max-age=86400",
    "static": "public, max-age=86400",
    "none": "no-store",
}
DROPPED_ON_304 = {"Content-Length", "Content-Type", "Content-Encoding"}


#: Set on an answer the result cap cut short (SPARQL results and resource descriptions alike).
TRUNCATED = "X-SPARQL-Results-Truncated"


def truncated_value(settings: Settings) -> str:
    """The value of :data:`TRUNCATED`: which caps an answer may have hit."""
    return f"true; max-results={settings.max_results}; max-result-bytes={settings.max_result_bytes}"


def cache_as(kind: str) -> None:
    """Say how long the response being made may be cached (a key of :data:`CACHE`)."""
    request.environ[CACHE_KEY] = kind


class HeaderMiddleware:
    def __init__(self, app: Callable[..., Iterable[bytes]], svc: Services) -> None:
        self.app = app
        self.svc = svc

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        state: dict[str, bool] = {}

        def add(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            code = int(status[:3])
            names = {k for k, _ in headers}
            headers.extend(STATIC)
            ctype = next((v for k, v in headers if k == "Content-Type"), "")
            if not ctype or ctype.startswith(("text/html", "application/xhtml")):
                headers.extend(h for h in PAGE if h[0] not in names)
            if method == "OPTIONS":
                headers[:] = [h for h in headers if h[0] not in {"Allow", "Content-Length"}]
                headers.extend(PREFLIGHT)
                headers.append(("Content-Length", "0"))
                state["empty"] = True
                return start_response("204 No Content", headers, exc_info)
            kind = environ.get(CACHE_KEY) or ("none" if code >= 400 else "page")
            if method == "POST" and kind == "sparql":
                kind = "none"
            headers.append(("Cache-Control", CACHE[kind]))
            cacheable = code == 200 and kind != "none" and method in {"GET", "HEAD"}
            if cacheable and self._validators(environ, headers, names, ctype):
                state["empty"] = True
                headers[:] = [h for h in headers if h[0] not in DROPPED_ON_304]
                return start_response("304 Not Modified", headers, exc_info)
            return start_response(status, headers, exc_info)

        body = self.app(environ, add)
        if state.get("empty"):
            close = getattr(body, "close", None)
            if close is not None:
                close()
            return []
        return body

    def _validators(
        self, environ: dict[str, Any], headers: list[tuple[str, str]], names: set[str], ctype: str
    ) -> bool:
        """Add ETag and Last-Modified; True when the client's copy is current."""
        release = self.svc.release
        etag = next((v for k, v in headers if k == "ETag"), None)
        if etag is None:
            key = (
                f"{environ.get('PATH_INFO')}?{environ.get('QUERY_STRING')}|{ctype}"
                f"|{environ.get('HTTP_ACCEPT_LANGUAGE', '')}"  # pages vary on the reader's language
            )
            etag = f'W/"{release.version}-{zlib.crc32(key.encode()):08x}"'
            headers.append(("ETag", etag))
        if "Last-Modified" not in names:
            headers.append(("Last-Modified", release.last_modified))
        inm = environ.get("HTTP_IF_NONE_MATCH")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or etag.removeprefix("W/") in tags
        ims = environ.get("HTTP_IF_MODIFIED_SINCE")
        if ims is not None:
            since = parse_date(ims)
            return since is not None and since >= release.modified
        return False


def init_app(app: Flask) -> None:
    app.wsgi_app = HeaderMiddleware(app.wsgi_app, app.extensions["ctoc"])  # type: ignore[method-assign]
