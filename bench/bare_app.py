"""The baseline: a bare Flask route running the lookup on pyoxigraph in-process.

Same store, same gunicorn worker count as ``ctoc-kg serve``; no protocol
handling, no negotiation, no safety, no query process.
"""

from __future__ import annotations

import os

import pyoxigraph as ox
from flask import Flask, Response, request

app = Flask(__name__)
_store: ox.Store | None = None


def store() -> ox.Store:
    global _store
    if _store is None:
        _store = ox.Store.read_only(os.environ["BENCH_STORE"])
    return _store


@app.route("/sparql")
def sparql() -> Response:
    result = store().query(request.args["query"], use_default_graph_as_union=True)
    body = result.serialize(format=ox.QueryResultsFormat.JSON)  # type: ignore[union-attr]
    return Response(body, content_type="application/sparql-results+json")
