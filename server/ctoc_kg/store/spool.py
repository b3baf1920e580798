"""Large answers go to a file as they are produced, and out to the client from there.

An answer of a few kilobytes (a lookup) is built in memory and sent whole.
One that grows past :data:`SPOOL_AFTER` is written, row by row, to the file the
request names (:attr:`~ctoc_kg.store.base.QueryRequest.spool`), by whichever
process runs the query; the web worker then sends it in :data:`CHUNK`-sized
pieces.  So no process holds a large answer whole, and the answer's size and
whether it was cut are still known before its first byte is sent: the status,
``Content-Length`` and ``X-SPARQL-Results-Truncated`` stay exact, and a query
stopped midway still gets its clear 503 instead of a broken 200.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

#: Bytes (estimated from the terms' text) an answer may reach in memory before it is spooled.
SPOOL_AFTER = 1 << 20
#: Bytes read from the file and sent at a time.
CHUNK = 1 << 16

_folder: tuple[int, str] | None = None
#: Names within the folder: the folder is this process's own (mode 0700), so a counter is
#: unique there and costs nothing per request (a random name reads the system's entropy).
_names = itertools.count()


@dataclass(frozen=True)
class Spooled:
    """An answer in a file: ``prefix``, then the file's ``size`` bytes, then ``suffix``."""

    path: str
    prefix: bytes
    suffix: bytes
    size: int

    @property
    def length(self) -> int:
        return len(self.prefix) + self.size + len(self.suffix)


def new_path() -> str:
    """A fresh file name in this process's own spool folder (the file is not created)."""
    global _folder
    if _folder is None or _folder[0] != os.getpid():
        _folder = (os.getpid(), tempfile.mkdtemp(prefix="ctoc-kg-answers-"))
        atexit.register(_remove_folder, _folder[1])
    return os.path.join(_folder[1], f"answer-{next(_names)}")


def _remove_folder(folder: str) -> None:
    with contextlib.suppress(OSError):  # not empty: an answer still being read elsewhere
        os.rmdir(folder)


def discard(path: str) -> None:
    """Remove a spool file if a query left one (it was stopped, or failed, midway)."""
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


class Pieces:
    """The whole answer in pieces, as a WSGI body: ``close`` (which servers call) closes the
    file whether or not it was read.  The file is unlinked once open, so it goes with
    the last reader."""

    def __init__(self, spooled: Spooled) -> None:
        self.spooled = spooled
        self.fh: BinaryIO = open(spooled.path, "rb")  # noqa: SIM115 -- closed by close()
        os.unlink(spooled.path)

    def __iter__(self) -> Iterator[bytes]:
        yield self.spooled.prefix
        while chunk := self.fh.read(CHUNK):
            yield chunk
        yield self.spooled.suffix

    def close(self) -> None:
        self.fh.close()
