"""Store -> HTTP: one small interface, two implementations.

:func:`open_store` is the only place that knows which engine serves a
dataset: a path opens the embedded pyoxigraph store read-only, an
``http(s)://`` URL a remote SPARQL 1.1 Protocol endpoint.
"""

from __future__ import annotations

from pathlib import Path

from ctoc_kg.store.base import QueryError, QueryTimeout, Store


def open_store(spec: str | Path, **options: object) -> Store:
    text = str(spec)
    if text.startswith(("http://", "https://")):
        from ctoc_kg.store.remote import RemoteStore

        return RemoteStore(text, **options)  # type: ignore[arg-type]
    from ctoc_kg.store.embedded import EmbeddedStore

    return EmbeddedStore(Path(text), **options)  # type: ignore[arg-type]


__all__ = ["QueryError", "QueryTimeout", "Store", "open_store"]
