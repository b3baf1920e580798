"""The embedded store: pyoxigraph on disk, opened read-only, queried with a time limit."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ctoc_kg.store.base import DEFAULT_TIMEOUT, QueryError, QueryRequest, QueryResponse, Store
from ctoc_kg.store.engine import EngineError, execute
from ctoc_kg.store.executor import TimedRunner, Watchdog

#: What to do when a query overruns: called with the limit, from the watchdog thread.
OverrunAction = Callable[[float], None]


def check_store(path: Path) -> int:
    """Open the store read-only once and count its quads; raise with advice if it cannot."""
    if not path.is_dir():
        raise FileNotFoundError(f"no store at {path}; run `ctoc-kg build` (or `make build`)")
    try:
        store = ox.Store.read_only(str(path))
        count = len(store)
    except (OSError, RuntimeError, ValueError) as exc:  # RocksDB reports corruption as RuntimeError
        raise OSError(
            f"the store at {path} is unreadable ({exc}); rebuild: `ctoc-kg build`"
        ) from exc
    del store
    return count


class EmbeddedStore(Store):
    def __init__(self, path: Path, timeout: float = DEFAULT_TIMEOUT) -> None:
        check_store(path)
        self.path = path
        self.timeout = timeout
        self._ox: ox.Store | None = None
        self._pid = 0
        self._runner = TimedRunner()
        self._watchdog = Watchdog()
        self._local = threading.local()

    @property
    def overrun_action(self) -> OverrunAction | None:
        """Set per thread by a server that can end its process: queries then run on the
        calling thread, and an overrun calls it."""
        return getattr(self._local, "action", None)

    @overrun_action.setter
    def overrun_action(self, action: OverrunAction | None) -> None:
        self._local.action = action

    @property
    def store(self) -> ox.Store:
        # opened per process: a forked worker must not share its parent's handle
        if self._ox is None or self._pid != os.getpid():
            self._ox, self._pid = ox.Store.read_only(str(self.path)), os.getpid()
        return self._ox

    def execute(self, req: QueryRequest, timeout: float | None = None) -> QueryResponse:
        store = self.store
        limit = self.timeout if timeout is None else timeout
        action = self.overrun_action
        try:
            if action is None:
                return self._runner.run(lambda: execute(store, req), limit)
            return self._watchdog.run(lambda: execute(store, req), limit, lambda: action(limit))
        except EngineError as exc:
            raise QueryError(str(exc)) from exc

    def close(self) -> None:
        self._ox = None
