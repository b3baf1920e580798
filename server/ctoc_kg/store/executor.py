"""Time limits for pyoxigraph queries, which nothing can interrupt once they run.

Neither a thread nor a signal stops a running pyoxigraph query; ending its
process does.  Two ways to keep the limit:

* :class:`Watchdog` (the server): the query runs on the request thread, which
  costs nothing extra; a watchdog thread wakes a few times a second and, when
  the query overruns, calls the owner's action — the web worker answers the
  client with a clear error itself and exits, and gunicorn starts a fresh one.
  pyoxigraph releases the GIL while it evaluates, so the watchdog can run.
* :class:`TimedRunner` (library use, tests): the query runs on a helper
  thread; the caller stops waiting at the limit and gets :class:`QueryTimeout`,
  while the stray query finishes on its own and its thread is retired.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from ctoc_kg.store.base import QueryTimeout

T = TypeVar("T")


def overrun_message(timeout: float) -> str:
    return f"the query ran longer than the {timeout:g} s limit and was stopped"


class Watchdog:
    """Calls a block's ``action`` if the block outlives its deadline (one per thread)."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self._guards: dict[int, tuple[float, Callable[[], None]]] = {}
        self._pid = 0
        self._lock = threading.Lock()

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._pid != os.getpid():  # threads do not survive fork: one per process
                self._pid = os.getpid()
                self._guards = {}
                threading.Thread(target=self._loop, name="query-watchdog", daemon=True).start()

    def _loop(self) -> None:
        while True:
            time.sleep(self.interval)
            now = time.monotonic()
            for key, (deadline, action) in list(self._guards.items()):
                if now > deadline and self._guards.pop(key, None) is not None:
                    action()

    def run(self, fn: Callable[[], T], seconds: float, action: Callable[[], None]) -> T:
        """``fn()`` on this thread, with ``action`` called if it outlives ``seconds``."""
        if self._pid != os.getpid():
            self._ensure_thread()
        key = threading.get_ident()
        self._guards[key] = (time.monotonic() + seconds, action)
        try:
            return fn()
        finally:
            self._guards.pop(key, None)


class Runner:
    """One daemon thread taking jobs from a queue."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue[tuple[Callable[[], object], Future[object]] | None] = (
            queue.SimpleQueue()
        )
        self.poisoned = False
        threading.Thread(target=self._loop, name="query-runner", daemon=True).start()

    def _loop(self) -> None:
        while (job := self.jobs.get()) is not None:
            fn, fut = job
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                fut.set_result(fn())
            except BaseException as exc:  # handed to the waiting thread
                fut.set_exception(exc)

    def run(self, fn: Callable[[], T], timeout: float) -> T:
        fut: Future[object] = Future()
        self.jobs.put((fn, fut))
        try:
            return fut.result(timeout)  # type: ignore[return-value]
        except TimeoutError:
            self.poisoned = True
            self.jobs.put(None)
            raise QueryTimeout(overrun_message(timeout)) from None


class TimedRunner:
    """Hands each job to a healthy :class:`Runner`, replacing one whose job overran."""

    def __init__(self) -> None:
        self._runner: Runner | None = None
        self._lock = threading.Lock()

    def run(self, fn: Callable[[], T], timeout: float) -> T:
        with self._lock:
            if self._runner is None or self._runner.poisoned:
                self._runner = Runner()
            runner = self._runner
        return runner.run(fn, timeout)
