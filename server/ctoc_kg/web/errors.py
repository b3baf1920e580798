"""Domain errors: views raise them, one handler in :func:`init_app` renders them all.

A :class:`DomainError` carries the status, a message for the client and any
headers the answer needs (``Allow`` on a 405).  Store errors map here too:
:class:`~ctoc_kg.store.base.QueryError` is the client's fault (400),
:class:`~ctoc_kg.store.base.QueryTimeout` a refusal to go on (503).  Werkzeug's
own HTTP errors (unknown route, body too large) get the same rendering: plain
text ``"<status> <reason>: message"`` for programs, an HTML page for browsers,
never cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import Flask, Response, g, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ctoc_kg.formats import HTML, Format
from ctoc_kg.store.base import EngineCrashed, QueryError, QueryTimeout, QueryTooLarge
from ctoc_kg.web.headers import cache_as

ALLOW = "GET, HEAD, POST, OPTIONS"


class DomainError(Exception):
    """An answer other than success, with the status and message the client should get."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


class BadRequest(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(400, message)


class NotFound(DomainError):
    def __init__(self, message: str) -> None:
        super().__init__(404, message)


class NotAcceptable(DomainError):
    """None of the offers fits the client's ``Accept``; the message lists what is offered."""

    def __init__(self, offers: Iterable[Format]) -> None:
        offered = ", ".join(dict.fromkeys(f.media_type for f in offers))
        super().__init__(
            406, f"none of the requested media types can be produced; offered: {offered}"
        )


def from_query_error(exc: QueryError) -> DomainError:
    if isinstance(exc, QueryTooLarge):
        return DomainError(503, f"Query too large: {exc}")
    if isinstance(exc, QueryTimeout):
        return DomainError(503, f"Query timeout: {exc}")
    if isinstance(exc, EngineCrashed):
        return DomainError(500, str(exc))
    return BadRequest(str(exc))


def wants_html() -> bool:
    """A page was asked for: by the view's negotiation, or a browser's ``Accept``."""
    if g.get("ctoc_format") is HTML:  # the view negotiated a page
        return True
    return any(value == "text/html" and q > 0 for value, q in request.accept_mimetypes)


def render(err: DomainError) -> Response:
    cache_as("none")
    reason = HTTP_STATUS_CODES.get(err.status, "Error")
    if wants_html():
        body = render_template("error.html", status=err.status, title=reason, message=err.message)
        resp = Response(body, err.status, content_type=HTML.content_type)
    else:
        text = f"{err.status} {reason}: {err.message.rstrip()}\n"
        resp = Response(text, err.status, content_type="text/plain; charset=utf-8")
    resp.headers.update(err.headers)
    return resp


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError) -> Response:
        return render(exc)

    @app.errorhandler(QueryError)
    def query_error(exc: QueryError) -> Response:
        return render(from_query_error(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        headers = {k: v for k, v in exc.get_headers() if k == "Allow"}
        return render(DomainError(exc.code or 500, exc.description or "", headers))

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> Response:
        app.logger.exception("unhandled error")
        return render(DomainError(500, "the error was logged"))
