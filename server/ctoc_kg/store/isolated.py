"""Running untrusted queries in child processes that can be stopped without harm.

A running pyoxigraph query cannot be interrupted, and a query can take
gigabytes (a string doubled by ``CONCAT`` a few dozen times) or, past the
shape limits, crash its process.  A threaded web worker serves many requests
at once, so it must not run such a query itself: ending the query would end
the worker and every request it holds.  :class:`QueryProcesses` keeps a few
child processes per worker, each running one query at a time on a thread with
a known stack (:data:`~ctoc_kg.web.query_limits.ENGINE_STACK`).  The parent
waits for the answer, watching the clock and the child's resident memory; a
child over its time or memory bound is killed (``SIGKILL``: its work really
stops), replaced, and the client gets a clear 503.  A child that dies on its
own (a crash) gives a 500 that says so, and is replaced too.

A query that has used more than ``heavy_after`` seconds of CPU is heavy (CPU
time, not the clock: on a loaded machine a lookup may wait for a core, but it
never uses much of one; a query that has run :data:`WALL_FACTOR` times as long
on the clock is heavy too, so that queries starved of CPU do not hold the light
processes for long): it must then be
admitted (``promote``, which takes a heavy slot or refuses), its process is
lowered in CPU priority and leaves the worker's pool of light processes, so
the next lookups find a process free; when it ends, that process is retired.
So at most ``size`` light and the admitted heavy queries run at once, and
heavy ones never hold the processes lookups need.  Children are forked from
a server process that has the engine loaded, so replacing one is cheap.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ctoc_kg.store.base import EngineCrashed, QueryError, QueryTimeout, QueryTooLarge
from ctoc_kg.store.engine import EngineError, QueryRequest, QueryResponse

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")
#: How often the parent looks at the clock and at the child's memory.
POLL = 0.02
NICENESS = 10
#: Seconds a query process may take to start (imports, opening the store).
STARTUP = 120.0
#: A query is heavy after ``heavy_after`` s of CPU, or this many times that on the clock
#: (so queries starved of CPU do not hold the light processes for long either).
WALL_FACTOR = 4
#: What a query process has loaded before it is forked.
PRELOAD = ["pyoxigraph", "ctoc_kg.build.release", "ctoc_kg.store.engine", "ctoc_kg.store.isolated"]


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _cpu(pid: int) -> float:
    """Seconds of CPU ``pid`` has used (user and system)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, ValueError, IndexError):
        return 0.0


def _renice(pid: int, niceness: int) -> None:
    """Lower every thread of ``pid`` (Linux sets a priority per thread)."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        tasks = [str(pid)]
    for tid in tasks:
        with contextlib.suppress(OSError, ValueError):
            os.setpriority(os.PRIO_PROCESS, int(tid), niceness)


def _child(
    conn: Connection, store_path: str, release: str, stack: int, max_results_bytes: int
) -> None:
    """A query process: open the store read-only, answer requests until the pipe closes."""
    import pyoxigraph as ox

    from ctoc_kg.build.release import hold
    from ctoc_kg.store.engine import execute

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if release and hold(Path(release)) is None:  # held for as long as this process lives
        return
    store = ox.Store.read_only(store_path)

    def serve() -> None:
        while True:
            try:
                req = conn.recv()
            except (EOFError, OSError):
                return
            try:
                answer: object = execute(store, req, max_bytes=max_results_bytes)
            except EngineError as exc:
                answer = ("error", str(exc))
            except MemoryError:
                answer = ("memory",)
            conn.send(answer)

    # one thread with a known stack answers every query: no thread to start per query
    threading.stack_size(stack)
    worker = threading.Thread(target=serve, name="query")
    worker.start()
    conn.send("ready")
    worker.join()


@dataclass
class _Child:
    proc: mp.process.BaseProcess
    conn: Connection
    heavy: bool = False


#: Called when a query turns heavy: takes a heavy slot and returns what gives it back,
#: or raises (``Busy``) to have the query stopped.
Promote = Callable[[], Callable[[], None]]


class QueryProcesses:
    """A pool of query processes for one web worker (started lazily, after fork)."""

    def __init__(
        self,
        store: Path,
        size: int = 2,
        timeout: float = 30.0,
        max_memory: int = 1 << 30,
        max_result_bytes: int = 64 << 20,
        release: Path | None = None,
        heavy_after: float = 0.25,
    ) -> None:
        from ctoc_kg.web.query_limits import ENGINE_STACK

        self.store = str(store)
        self.release = str(release or "")
        self.size = size
        self.timeout = timeout
        self.max_memory = max_memory
        self.max_result_bytes = max_result_bytes
        self.heavy_after = heavy_after
        self.stack = ENGINE_STACK
        self._idle: list[_Child] = []
        self._count = 0
        self._pid = 0
        self._lock = threading.Condition()
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(PRELOAD)

    def _spawn(self) -> _Child:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_child,
            args=(child, self.store, self.release, self.stack, self.max_result_bytes),
            daemon=True,
            name="ctoc-kg-query",
        )
        proc.start()
        child.close()
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

    def _retire(self, child: _Child) -> None:
        """A heavy query's process ends with it (it runs at a lower priority for good)."""
        self._kill(child)

    def execute(
        self, req: QueryRequest, timeout: float | None = None, promote: Promote | None = None
    ) -> QueryResponse:
        """Run ``req`` in a child; ``promote`` admits it once it turns heavy (see the module)."""
        limit = self.timeout if timeout is None else timeout
        child = self._take()
        keep: _Child | None = None
        give_back: Callable[[], None] | None = None
        try:
            child.conn.send(req)
            start = time.monotonic()
            deadline = start + limit
            baseline = 0
            # read on the first wait, not before: a lookup answers within it and never pays
            # for /proc; the wait so far counts as CPU used (promotion comes no later)
            cpu0: float | None = None
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
                now = time.monotonic()
                if now > deadline:
                    self._kill(child)
                    raise QueryTimeout(
                        f"the query ran longer than the {limit:g} s limit and was stopped"
                    )
                if promote is not None and not child.heavy:
                    cpu = _cpu(child.proc.pid or 0)
                    if cpu0 is None:
                        cpu0 = cpu - (now - start)
                    if (
                        cpu - cpu0 > self.heavy_after
                        or now - start > WALL_FACTOR * self.heavy_after
                    ):
                        try:
                            give_back = promote()
                        except Exception:
                            self._kill(child)
                            raise
                        self._make_heavy(child)
            try:
                answer = child.conn.recv()
            except (EOFError, OSError):
                self._kill(child)
                raise EngineCrashed(
                    "the query engine failed on this query (its process ended); "
                    "the query was not answered"
                ) from None
            if child.heavy:
                self._retire(child)
            else:
                keep = child
        finally:
            if give_back is not None:
                give_back()
            if not child.heavy:
                self._give_back(keep)
            if keep is None:
                self._refill()
        if isinstance(answer, QueryResponse):
            return answer
        if answer[0] == "memory":
            raise QueryTooLarge("the query needed more memory than the engine could have")
        raise QueryError(str(answer[1]))

    def _make_heavy(self, child: _Child) -> None:
        """Lower the child's priority and free its place in the pool for light queries."""
        _renice(child.proc.pid or 0, NICENESS)
        child.heavy = True
        with self._lock:
            self._count -= 1
            self._lock.notify()
        self._refill()

    def _refill(self) -> None:
        """Start one process in the background if the pool has room, so the next lookup does
        not wait for a process to start after one was stopped or turned heavy."""

        def start() -> None:
            with self._lock:
                if self._pid != os.getpid() or self._idle or self._count >= self.size:
                    return
                self._count += 1
            try:
                child = self._spawn()
            except Exception:
                child = None
            self._give_back(child)

        threading.Thread(target=start, name="query-process", daemon=True).start()

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
