"""gunicorn hooks: a worker's query process ends with the worker."""

from __future__ import annotations

from typing import Any


def worker_exit(server: Any, worker: Any) -> None:
    app = getattr(worker, "wsgi", None)
    services = getattr(app, "extensions", {}).get("ctoc") if app is not None else None
    if services is not None and services._store is not None:
        services._store.close()
