"""A query process that can be killed: the only way to stop a running pyoxigraph query.

Neither a thread nor a signal interrupts pyoxigraph once a query runs, so each
web worker hands its queries to a child process holding the store open
read-only.  When a query outlives its time limit the child is killed and a
fresh one started; the worker answers with a clear error and carries on.
A crash of the engine (it has segfaulted on hostile input) costs the same:
one restarted child, never the worker.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from .base import QueryError, QueryTimeout
from .engine import EngineError, QueryRequest, QueryResponse, execute


class EngineCrashed(QueryError):
    """The query process died while running a query."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Ask Linux to kill this process when the worker that started it exits."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _serve(path: str, conn: Connection) -> None:  # pragma: no cover - runs in the child
    import pyoxigraph as ox

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    store = ox.Store.read_only(path)
    conn.send(("ready", None))
    while True:
        try:
            req = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", execute(store, req)))
        except EngineError as exc:
            conn.send(("error", str(exc)))
        except Exception as exc:  # an engine bug must not kill the loop silently
            conn.send(("error", f"query failed: {type(exc).__name__}: {exc}"))


class QueryProcess:
    """One child process per owner (a web worker); started on first use."""

    def __init__(self, store_path: Path, start_timeout: float = 30.0) -> None:
        self.store_path = store_path
        self.start_timeout = start_timeout
        self._proc: mp.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()

    def _start(self) -> None:
        ctx = mp.get_context("fork")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(str(self.store_path), child), daemon=True)
        proc.start()
        child.close()
        if not parent.poll(self.start_timeout):
            proc.kill()
            raise EngineCrashed("the query process did not start")
        try:
            parent.recv()
        except EOFError as exc:
            proc.join(1)
            raise EngineCrashed(f"the store at {self.store_path} could not be opened") from exc
        self._proc, self._conn, self._pid = proc, parent, os.getpid()

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def run(self, req: QueryRequest, timeout: float) -> QueryResponse:
        with self._lock:
            if self._proc is None or self._pid != os.getpid() or not self._proc.is_alive():
                self._proc = self._conn = None  # a forked copy must not share the pipe
                self._start()
            conn = self._conn
            assert conn is not None
            try:
                conn.send(req)
                if not conn.poll(timeout):
                    self._stop()
                    raise QueryTimeout(
                        f"the query ran longer than the {timeout:g} s limit and was stopped"
                    )
                status, payload = conn.recv()
            except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
                self._stop()
                raise EngineCrashed("the query engine stopped while running this query") from exc
        if status == "error":
            raise QueryError(payload)
        return payload  # type: ignore[no-any-return]

    def close(self) -> None:
        with self._lock:
            self._stop()
