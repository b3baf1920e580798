"""Admission control for SPARQL queries, shared by every worker of a server.

Any query sent to ``/sparql`` may be heavy, and nothing tells in advance.  So
every one needs a slot: at most ``per_client`` at once for one client address
and at most ``total`` at once for the whole server; past either, the answer is
429 with ``Retry-After`` at once (as the Wikidata Query Service does), never a
wait.  Pages, descriptions and static files take no slot, and the worker
threads outnumber the slots, so they always keep capacity.

Slots are ``flock`` locks on small files in the server's state folder: shared
by all workers without a coordinator, and released by the kernel when a
process dies, so a killed worker never leaks one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

#: Clients are hashed into this many buckets, which bounds the number of slot files.
BUCKETS = 4096


class Busy(Exception):
    """No slot is free; ``scope`` says whose limit was reached."""

    def __init__(self, scope: str, limit: int) -> None:
        super().__init__(scope)
        self.scope = scope
        self.limit = limit


def _try_lock(path: Path) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _release(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


class Admission:
    def __init__(self, folder: Path, total: int, per_client: int) -> None:
        self.folder = folder / "slots"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.total = total
        self.per_client = per_client

    def _first_free(self, stem: str, n: int) -> int | None:
        for i in range(n):
            fd = _try_lock(self.folder / f"{stem}-{i}")
            if fd is not None:
                return fd
        return None

    @contextlib.contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold one of ``client``'s slots and one of the server's while the block runs."""
        bucket = int.from_bytes(hashlib.sha256(client.encode()).digest()[:4]) % BUCKETS
        mine = self._first_free(f"client-{bucket}", self.per_client)
        if mine is None:
            raise Busy("client", self.per_client)
        try:
            shared = self._first_free("total", self.total)
            if shared is None:
                raise Busy("server", self.total)
            try:
                yield
            finally:
                _release(shared)
        finally:
            _release(mine)
