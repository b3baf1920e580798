"""The app in process behind the surface of :class:`tests.live.LiveServer`.

Protocol, negotiation and linked-data behaviour does not need a socket: Flask's test
client drives the same WSGI app gunicorn serves, in a fraction of the time.  The
adapter takes the arguments the tests give ``requests`` (``params``, ``data``,
``headers``) and encodes the path as ``requests`` would, so one test body can run
against either server.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from flask.testing import FlaskClient
from requests.utils import requote_uri
from werkzeug.datastructures import Headers
from werkzeug.test import TestResponse

#: Flask's test client asks for this host; the app's public URL must be it.
URL = "http://localhost/"

Params = Mapping[str, str] | list[tuple[str, str]] | None


class ClosingClient(FlaskClient):
    """Flask's test client, reading each answer whole and closing it.

    A file the app sends (a dump, a source text, a stylesheet) stays open until its
    response is closed; with warnings as errors the collector's ResourceWarning would
    fail whichever test happens to run then.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def closing_client(app: Flask) -> FlaskClient:
    """The app's test client, closing what it reads."""
    app.test_client_class = ClosingClient
    return app.test_client()


@dataclass
class Response:
    """What the tests read of a ``requests.Response``, from Werkzeug's test response."""

    raw: TestResponse

    @property
    def status_code(self) -> int:
        return self.raw.status_code

    @property
    def headers(self) -> Headers:
        return self.raw.headers

    @property
    def content(self) -> bytes:
        return self.raw.get_data()

    @property
    def text(self) -> str:
        return self.raw.get_data(as_text=True)

    def json(self) -> Any:
        return jsonlib.loads(self.content)


@dataclass
class InProcessServer:
    """``get``/``post``/``request`` like :class:`tests.live.LiveServer`, without a socket."""

    app: Flask
    base: str
    url: str = URL

    def request(
        self,
        method: str,
        path: str,
        params: Params = None,
        data: Mapping[str, str] | bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        if path.startswith(self.url):  # an absolute URL the app wrote about itself
            path = path[len(self.url) :]
        target = requote_uri("/" + path.lstrip("/"))
        if params:
            target += ("&" if "?" in target else "?") + urlencode(params)
        body: Mapping[str, str] | bytes | None
        body = data.encode() if isinstance(data, str) else data
        raw = closing_client(self.app).open(
            target, method=method, data=body, headers=dict(headers or {})
        )
        return Response(raw)

    def get(self, path: str, **kw: Any) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Response:
        return self.request("POST", path, **kw)

    def url_of(self, iri: str) -> str:
        """Where this server answers for a dataset IRI (its own URL mapped onto the base)."""
        assert iri.startswith(self.base), iri
        return self.url + iri[len(self.base) :]

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"
