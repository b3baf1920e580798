"""The web application: each capability a blueprint, assembled by :func:`create_app`.

``sparql`` (the Protocol endpoint), ``meta`` (VoID, dumps, graphs, robots,
sitemap), ``pages`` (home, browse, ontology and shapes documentation) and
``resources`` (dereferencing, registered last: it answers every other path).
"""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from ctoc_kg.formats import HTML
from ctoc_kg.web import headers, lifecycle, meta, pages, resources, sparql
from ctoc_kg.web.headers import cache_as
from ctoc_kg.web.negotiation import choose
from ctoc_kg.web.ratelimit import RateLimiter
from ctoc_kg.web.services import Services
from ctoc_kg.web.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["ctoc"] = Services(settings)
    headers.init_app(app)
    if settings.rate_limit > 0:
        app.wsgi_app = RateLimiter(  # type: ignore[method-assign]
            app.wsgi_app, settings.rate_limit, app.extensions["ctoc"].state_dir
        )
    lifecycle.init_app(app)
    if settings.query_processes > 0:  # start the query processes before the first query
        runner = app.extensions["ctoc"].query_runner
        if hasattr(runner, "warm"):
            runner.warm()
    for blueprint in (sparql.bp, meta.bp, pages.bp, resources.bp):
        app.register_blueprint(blueprint)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        cache_as("none")
        status = exc.code or 500
        if choose(request.headers.get("Accept"), (HTML,)) is HTML and "text/html" in (
            request.headers.get("Accept") or ""
        ):
            body = render_template(
                "error.html", status=status, title=exc.name, message=exc.description
            )
            return Response(body, status, content_type=HTML.content_type)
        return Response(
            f"{status} {exc.name}: {exc.description}\n",
            status,
            content_type="text/plain; charset=utf-8",
        )

    @app.errorhandler(Exception)
    def server_error(exc: Exception) -> Response:
        app.logger.exception("unhandled error")
        cache_as("none")
        return Response(
            "500 Internal Server Error: the error was logged\n",
            500,
            content_type="text/plain; charset=utf-8",
        )

    return app
