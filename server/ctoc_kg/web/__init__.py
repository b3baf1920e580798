"""The web application: each capability a blueprint, assembled by :func:`create_app`.

``sparql`` (the Protocol endpoint), ``meta`` (VoID, dumps, graphs, robots,
sitemap), ``pages`` (home, browse, ontology and shapes documentation) and
``resources`` (dereferencing, registered last: it answers every other path).
"""

from __future__ import annotations

from flask import Flask

from ctoc_kg.web import (
    errors,
    headers,
    i18n,
    lifecycle,
    meta,
    negotiation,
    pages,
    resources,
    sources,
    sparql,
)
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
    errors.init_app(app)
    negotiation.init_app(app)
    i18n.init_app(app)
    for blueprint in (sparql.bp, meta.bp, pages.bp, sources.bp, resources.bp):
        app.register_blueprint(blueprint)

    return app
