"""Admission control for heavy SPARQL queries, shared by every worker of a server.

Nothing tells in advance whether a query is heavy, so a query starts without a
slot; once it has run longer than a short threshold it is heavy and must take
one: at most ``per_client`` heavy queries at once for one client address and
at most ``total`` for the whole server.  Past either, the query is stopped and
answered 429 with ``Retry-After`` (as the Wikidata Query Service does), never
made to wait.  Lookups finish before the threshold and never need a slot, so
they are never refused nor kept waiting because of heavy queries, even from
the same client; pages, descriptions and static files take no slot either.

Slots are ``flock`` locks on small files in the server's state folder: shared
by all workers without a coordinator, and released by the kernel when a
process dies, so a killed worker never leaks one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Callable, Iterator
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

    def acquire(self, client: str) -> Callable[[], None]:
        """Take one of ``client``'s slots and one of the server's, or raise :class:`Busy`;
        returns what gives them back."""
        bucket = int.from_bytes(hashlib.sha256(client.encode()).digest()[:4]) % BUCKETS
        mine = self._first_free(f"client-{bucket}", self.per_client)
        if mine is None:
            raise Busy("client", self.per_client)
        shared = self._first_free("total", self.total)
        if shared is None:
            _release(mine)
            raise Busy("server", self.total)

        def give_back() -> None:
            _release(shared)
            _release(mine)

        return give_back

    @contextlib.contextmanager
    def slot(self, client: str) -> Iterator[None]:
        """Hold a slot while the block runs (for runners that cannot stop a query midway)."""
        give_back = self.acquire(client)
        try:
            yield
        finally:
            give_back()
