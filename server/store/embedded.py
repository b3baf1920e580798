"""The embedded store: pyoxigraph on disk, read-only, queried in a killable process."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .base import Store
from .engine import QueryRequest, QueryResponse
from .executor import QueryProcess


def check_store(path: Path) -> int:
    """Open the store read-only once and count its quads; raise with advice if it cannot."""
    if not path.is_dir():
        raise FileNotFoundError(f"no store at {path}; run `ctoc-kg build` (or `make build`)")
    try:
        store = ox.Store.read_only(str(path))
        count = len(store)
    except OSError as exc:
        raise OSError(
            f"the store at {path} is unreadable ({exc}); rebuild it with `ctoc-kg build`"
        ) from exc
    del store
    return count


class EmbeddedStore(Store):
    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        check_store(path)
        self.path = path
        self.timeout = timeout
        self._process = QueryProcess(path)

    def execute(self, req: QueryRequest, timeout: float | None = None) -> QueryResponse:
        return self._process.run(req, self.timeout if timeout is None else timeout)

    def close(self) -> None:
        self._process.close()
