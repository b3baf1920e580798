"""Optional per-client rate limiting: 429 with ``Retry-After`` past N requests a second.

A token bucket per client address, kept in one small file in the server's
state folder and updated under an ``flock``, so the limit holds across all
workers (N a second per client, not N per worker).  Clients are hashed into
:data:`BUCKETS` buckets, so the state has a fixed size.  Off unless
``--rate-limit`` is given.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import mmap
import os
import struct
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BUCKETS = 65_536
_ENTRY = struct.Struct("dd")  # tokens, time of last update (0 = unused)


class RateLimiter:
    def __init__(
        self, app: Callable[..., Iterable[bytes]], per_second: float, folder: Path
    ) -> None:
        self.app = app
        self.rate = per_second
        self.burst = max(1.0, per_second)
        self.path = folder / "ratelimit"
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < BUCKETS * _ENTRY.size:
                os.ftruncate(fd, BUCKETS * _ENTRY.size)
        finally:
            os.close(fd)
        self._map: mmap.mmap | None = None
        self._fd = -1
        self._pid = 0

    def _table(self) -> tuple[int, mmap.mmap]:
        if self._pid != os.getpid() or self._map is None:  # one mapping per process
            self._fd = os.open(self.path, os.O_RDWR)
            self._map = mmap.mmap(self._fd, BUCKETS * _ENTRY.size)
            self._pid = os.getpid()
        return self._fd, self._map

    def allow(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        at = int.from_bytes(hashlib.sha256(client.encode()).digest()[:4]) % BUCKETS
        offset = at * _ENTRY.size
        fd, table = self._table()
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            now = time.time()
            tokens, last = _ENTRY.unpack_from(table, offset)
            if last == 0:
                tokens, last = self.burst, now
            tokens = min(self.burst, tokens + max(0.0, now - last) * self.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate
            _ENTRY.pack_into(table, offset, tokens, now)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        return wait

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        wait = self.allow(environ.get("REMOTE_ADDR", ""))
        if wait == 0:
            return self.app(environ, start_response)
        return too_many(
            start_response, max(1, math.ceil(wait)), f"at most {self.rate:g} requests a second"
        )


def too_many(start_response: Callable[..., Any], retry: int, why: str) -> list[bytes]:
    """A plain-text 429 with ``Retry-After``."""
    body = f"Too many requests: {why}; retry in {retry} s.\n".encode()
    start_response(
        "429 Too Many Requests",
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(retry)),
            ("Access-Control-Allow-Origin", "*"),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]
