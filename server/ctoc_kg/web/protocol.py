"""The SPARQL 1.1 Protocol's request rules, as pure functions of the HTTP request.

Parameters come from the URL and, for form POSTs, the body, merged; exactly one
query; ``application/sparql-query`` bodies in UTF-8; updates refused.  Every
violation is a :class:`ProtocolError` with a 4xx status and a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from werkzeug import Request
from werkzeug.exceptions import ClientDisconnected

from ctoc_kg.web.errors import ALLOW, DomainError

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
UPDATE_PARAMS = frozenset({"update", "using-graph-uri", "using-named-graph-uri"})
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")


class ProtocolError(DomainError):
    """A request the Protocol does not allow; rendered like every other domain error."""


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None
    default_graphs: list[str] | None
    named_graphs: list[str] | None
    format: str | None


def _params(raw: bytes, where: str) -> list[tuple[str, str]]:
    if not raw:
        return []
    try:
        out = []
        for field in raw.replace(b"+", b" ").split(b"&"):
            if not field:
                continue
            name, _, value = field.partition(b"=")
            out.append(
                (unquote_to_bytes(name).decode("utf-8"), unquote_to_bytes(value).decode("utf-8"))
            )
        return out
    except UnicodeDecodeError:
        raise ProtocolError(
            400, f"{where}: parameters are not valid percent-encoded UTF-8"
        ) from None
    except ValueError as exc:
        raise ProtocolError(400, f"{where}: {exc}") from None


def _graphs(params: list[tuple[str, str]], name: str) -> list[str] | None:
    values = [v for k, v in params if k == name]
    for v in values:
        if not _IRI.match(v):
            raise ProtocolError(400, f"{name} must be an absolute IRI, got {v[:200]!r}")
    return values or None


def parse(request: Request, max_body: int) -> ProtocolRequest:
    """Read a query operation from ``request`` (GET, HEAD or POST)."""
    if request.method not in {"GET", "HEAD", "POST"}:
        raise ProtocolError(
            405,
            f"{request.method} is not a SPARQL query operation; use GET or POST",
            {"Allow": ALLOW},
        )
    url = _params(request.query_string, "URL")
    if any(k in UPDATE_PARAMS for k, _ in url):
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
    body: list[tuple[str, str]] = []
    direct: str | None = None
    if request.method == "POST":
        mime, options = (request.mimetype or "").lower(), request.mimetype_params
        if request.content_length is not None and request.content_length > max_body:
            raise ProtocolError(413, f"request body exceeds {max_body} bytes")
        try:
            if request.content_length is None:  # chunked: one byte past the limit, to know
                raw = request.environ["wsgi.input"].read(max_body + 1)
            else:
                raw = request.get_data(cache=True)
        except (OSError, ClientDisconnected) as exc:  # its deadline passed (web.worker)
            raise ProtocolError(408, "the request body did not arrive in time") from exc
        if len(raw) > max_body:
            raise ProtocolError(413, f"request body exceeds {max_body} bytes")
        if mime == UPDATE:
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
        charset = options.get("charset", "utf-8").lower()
        if mime == FORM:
            body = _params(raw, "body")
            if any(k in UPDATE_PARAMS for k, _ in body):
                raise ProtocolError(
                    403, "this endpoint is read-only: SPARQL Update is not accepted"
                )
        elif mime == DIRECT:
            if charset not in {"utf-8", "utf8"}:
                raise ProtocolError(415, f"a direct POST query must be UTF-8, not {charset}")
            try:
                direct = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(400, "the query body is not valid UTF-8") from None
        elif not mime:
            raise ProtocolError(415, f"POST needs a Content-Type: {FORM} or {DIRECT}")
        else:
            raise ProtocolError(415, f"unsupported Content-Type {mime}; use {FORM} or {DIRECT}")
    params = url + body
    queries = [v for k, v in params if k == "query"]
    if direct is not None:
        queries.append(direct)
    if len(queries) > 1:
        raise ProtocolError(400, "exactly one query is allowed per request")
    fmt = next((v for k, v in params if k in {"format", "output", "results"} and v), None)
    return ProtocolRequest(
        query=queries[0] if queries else None,
        default_graphs=_graphs(params, "default-graph-uri"),
        named_graphs=_graphs(params, "named-graph-uri"),
        format=fmt,
    )
