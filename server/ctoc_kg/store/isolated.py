"""Running untrusted queries in child processes that can be stopped without harm.

A running pyoxigraph query cannot be interrupted, and a query can take
gigabytes (a string doubled by ``CONCAT`` a few dozen times) or, past the
shape limits, crash its process.  A threaded web worker serves many requests
at once, so it must not run such a query itself: ending the query would end
the worker and every request it holds.  :class:`QueryProcesses` keeps a few
child processes per worker, each running one query at a time on a thread with
a known stack (:data:`~ctoc_kg.web.query_limits.ENGINE_STACK`), at a lower CPU
priority than the web threads.  The parent waits for the answer, watching the
clock and the child's resident memory; a child over its time or memory bound
is killed (``SIGKILL``: its work really stops), replaced, and the client gets
a clear 503.  A child that dies on its own (a crash) gives a 500 that says so,
and is replaced too.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ctoc_kg.store.base import EngineCrashed, QueryError, QueryTimeout, QueryTooLarge
from ctoc_kg.store.engine import EngineError, QueryRequest, QueryResponse

PAGE = os.sysconf("SC_PAGE_SIZE")
#: How often the parent looks at the clock and at the child's memory.
POLL = 0.02
NICENESS = 10
#: Seconds a query process may take to start (imports, opening the store).
STARTUP = 120.0


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _child(conn: Connection, store_path: str, stack: int, max_results_bytes: int) -> None:
    """A query process: open the store read-only, answer requests until the pipe closes."""
    import pyoxigraph as ox

    from ctoc_kg.store.engine import execute

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    store = ox.Store.read_only(store_path)
    threading.stack_size(stack)
    box: dict[str, object] = {}
    conn.send("ready")

    def run(req: QueryRequest) -> None:
        try:
            box["ok"] = execute(store, req, max_bytes=max_results_bytes)
        except EngineError as exc:
            box["error"] = str(exc)
        except MemoryError:
            box["memory"] = True

    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        box.clear()
        t = threading.Thread(target=run, args=(req,), name="query")
        t.start()
        t.join()
        conn.send(box.get("ok") or (("error", box["error"]) if "error" in box else ("memory",)))


@dataclass
class _Child:
    proc: mp.process.BaseProcess
    conn: Connection


class QueryProcesses:
    """A pool of query processes for one web worker (started lazily, after fork)."""

    def __init__(
        self,
        store: Path,
        size: int = 2,
        timeout: float = 30.0,
        max_memory: int = 1 << 30,
        max_result_bytes: int = 64 << 20,
    ) -> None:
        from ctoc_kg.web.query_limits import ENGINE_STACK

        self.store = str(store)
        self.size = size
        self.timeout = timeout
        self.max_memory = max_memory
        self.max_result_bytes = max_result_bytes
        self.stack = ENGINE_STACK
        self._idle: list[_Child] = []
        self._count = 0
        self._pid = 0
        self._lock = threading.Condition()
        self._ctx = mp.get_context("spawn")

    def _spawn(self) -> _Child:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_child,
            args=(child, self.store, self.stack, self.max_result_bytes),
            daemon=True,
            name="ctoc-kg-query",
        )
        proc.start()
        child.close()
        with contextlib.suppress(OSError):  # at once, before the child's imports take CPU
            os.setpriority(os.PRIO_PROCESS, proc.pid or 0, NICENESS)
        # a query's time starts when its process is ready, not while it starts up
        if not parent.poll(STARTUP) or parent.recv() != "ready":
            os.kill(proc.pid or 0, signal.SIGKILL)
            raise EngineCrashed("the query engine's process did not start")
        return _Child(proc, parent)

    def _take(self) -> _Child:
        with self._lock:
            if self._pid != os.getpid():  # children belong to the process that started them
                self._idle, self._count, self._pid = [], 0, os.getpid()
            while not self._idle and self._count >= self.size:
                self._lock.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return self._spawn()
        except Exception:
            with self._lock:
                self._count -= 1
                self._lock.notify()
            raise

    def _give_back(self, child: _Child | None) -> None:
        with self._lock:
            if child is None:
                self._count -= 1
            else:
                self._idle.append(child)
            self._lock.notify()

    def _kill(self, child: _Child) -> None:
        with contextlib.suppress(ProcessLookupError, TypeError):
            os.kill(child.proc.pid or 0, signal.SIGKILL)
        child.proc.join(5)
        child.conn.close()

    def execute(self, req: QueryRequest, timeout: float | None = None) -> QueryResponse:
        limit = self.timeout if timeout is None else timeout
        child = self._take()
        keep: _Child | None = None
        try:
            child.conn.send(req)
            deadline = time.monotonic() + limit
            baseline = 0
            while not child.conn.poll(POLL):
                if not child.proc.is_alive():
                    break
                rss = _rss(child.proc.pid or 0)
                baseline = baseline or rss
                if rss - baseline > self.max_memory:
                    self._kill(child)
                    raise QueryTooLarge(
                        f"the query needed more than {self.max_memory >> 20} MiB of memory "
                        "and was stopped"
                    )
                if time.monotonic() > deadline:
                    self._kill(child)
                    raise QueryTimeout(
                        f"the query ran longer than the {limit:g} s limit and was stopped"
                    )
            try:
                answer = child.conn.recv()
            except (EOFError, OSError):
                self._kill(child)
                raise EngineCrashed(
                    "the query engine failed on this query (its process ended); "
                    "the query was not answered"
                ) from None
            keep = child
        finally:
            self._give_back(keep)
        if isinstance(answer, QueryResponse):
            return answer
        if answer[0] == "memory":
            raise QueryTooLarge("the query needed more memory than the engine could have")
        raise QueryError(str(answer[1]))

    def warm(self) -> None:
        """Start the children now, in the background, so no request waits for one."""

        def start() -> None:
            children = []
            try:
                for _ in range(self.size):
                    children.append(self._take())
            finally:
                for child in children:
                    self._give_back(child)

        threading.Thread(target=start, name="query-processes", daemon=True).start()

    def close(self) -> None:
        with self._lock:
            for child in self._idle:
                self._kill(child)
            self._idle, self._count = [], 0
