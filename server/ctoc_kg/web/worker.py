"""gunicorn's threaded worker, with a request's head read by the event loop, not a thread.

The stock ``gthread`` worker hands each new connection to a pool thread, which
then reads the request line and headers from a blocking socket: a client that
sends one byte every few seconds (slowloris) holds that thread for as long as
it likes, and a few dozen such clients hold them all.  Here the worker's event
loop (one thread, non-blocking sockets) gathers the head of every request, on
new and on kept-alive connections, and only a complete head is handed to a
pool thread; a head not complete within ``HEADER_TIMEOUT`` seconds closes the
connection.  Once a thread has the request, its socket is :class:`Paced`: the
whole body must arrive within ``IO_TIMEOUT``, and the answer be taken at
``MIN_RATE`` bytes a second after a grace of ``IO_TIMEOUT`` (an answer sent in
pieces is one write), so neither a client trickling its body nor one reading
slowly holds a thread for long.  Idle or slow connections cost a socket and a
few bytes of buffer, never a thread; so a worker takes many (``CONNECTIONS``),
and one client address at most ``PER_CLIENT`` of them (a further connection is
closed at once), so no one client fills the worker with idle sockets.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import socket
import threading
import time
from collections import Counter, deque
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

#: Seconds a client has to send a request's line and headers.
HEADER_TIMEOUT = float(os.environ.get("CTOC_KG_HEADER_TIMEOUT", "10"))
#: Seconds a request's body may take to arrive, and the grace before ``MIN_RATE`` applies.
IO_TIMEOUT = float(os.environ.get("CTOC_KG_IO_TIMEOUT", "30"))
#: Bytes a second a client must at least take an answer at, once ``IO_TIMEOUT`` is spent.
MIN_RATE = float(os.environ.get("CTOC_KG_MIN_RATE", str(64 * 1024)))
#: Connections one worker holds open at most (idle and slow ones cost a socket, no thread).
CONNECTIONS = int(os.environ.get("CTOC_KG_CONNECTIONS", "10000"))
#: Connections one client address may hold open on one worker; 0: no limit (behind a
#: proxy every connection comes from the proxy's address).
PER_CLIENT = int(os.environ.get("CTOC_KG_CONNECTIONS_PER_CLIENT", "256"))
#: A head longer than this is handed on as it is; the parser refuses it.
MAX_HEAD = 64 * 1024
READ_SIZE = 16 * 1024


def _left(deadline: float, what: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError(f"the client took too long to {what}")
    return left


class Paced:
    """A request's socket whose time is bounded as a whole, not per call: the body must
    arrive by one deadline, and the answer be taken at ``MIN_RATE`` after a grace."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.read_by = time.monotonic() + IO_TIMEOUT
        self.write_from: float | None = None
        self.sent = 0

    def recv(self, size: int, *flags: int) -> bytes:
        self.sock.settimeout(_left(self.read_by, "send its request"))
        return self.sock.recv(size, *flags)

    def sendall(self, data: bytes, *flags: int) -> None:
        if self.write_from is None:
            self.write_from = time.monotonic()
        self.sent += len(data)
        by = self.write_from + IO_TIMEOUT + self.sent / MIN_RATE
        self.sock.settimeout(_left(by, "read the answer"))
        self.sock.sendall(data, *flags)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


class _Conn(TConn):
    """A connection that gives its client's share back when it closes, however it ends."""

    def __init__(self, worker: GuardedThreadWorker, client: str, *args: Any) -> None:
        super().__init__(*args)
        self.worker: GuardedThreadWorker | None = worker
        self.client_key = client

    def close(self, graceful: bool = False) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.forget(self.client_key)
        super().close(graceful)


class GuardedThreadWorker(ThreadWorker):
    """``gthread`` with request heads gathered by the event loop (see the module)."""

    def init_process(self) -> None:
        self.reading: deque[TConn] = deque()
        self.per_client: Counter[str] = Counter()
        self.shares = threading.Lock()  # connections close on pool threads too
        self.worker_connections = CONNECTIONS
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = CONNECTIONS + 1024  # and the store's files, the query processes' pipes
        if soft != resource.RLIM_INFINITY and soft < want:
            top = want if hard == resource.RLIM_INFINITY else min(want, hard)
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, top), hard))
        super().init_process()

    # -- gathering heads --------------------------------------------------------------
    def _gather(self, conn: TConn) -> None:
        conn.sock.setblocking(False)
        conn.head = bytearray()
        conn.head_deadline = time.monotonic() + HEADER_TIMEOUT
        self.reading.append(conn)
        self.poller.register(conn.sock, 1, partial(self._on_head_bytes, conn))

    def accept(self, listener: Any) -> None:
        try:
            sock, addr = listener.accept()
        except OSError as e:
            # out of descriptors: the connection waits in the backlog, the worker lives on
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK,
                               errno.EMFILE, errno.ENFILE):  # fmt: skip
                raise
            return
        client = addr[0] if isinstance(addr, tuple) else str(addr)
        if PER_CLIENT and self.per_client[client] >= PER_CLIENT:
            sock.close()  # this address holds its share of the worker already
            return
        with self.shares:
            self.per_client[client] += 1
        self.nr_conns += 1
        self._gather(_Conn(self, client, self.cfg, sock, addr, listener.getsockname()))

    def on_client_socket_readable(self, conn: TConn, client: Any) -> None:
        """A kept-alive connection's next request is gathered like a new one."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._gather(conn)
        self._on_head_bytes(conn, client)

    def _on_head_bytes(self, conn: TConn, client: Any) -> None:
        head: bytearray = conn.head
        try:
            chunk = conn.sock.recv(READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client went away
            self._drop(conn)
            return
        head += chunk
        if b"\r\n\r\n" in head or b"\n\n" in head or len(head) > MAX_HEAD:
            self.poller.unregister(conn.sock)
            self.reading.remove(conn)
            conn.data_ready = True
            self.enqueue_req(conn)

    def _drop(self, conn: TConn) -> None:
        with contextlib.suppress(OSError, KeyError, ValueError):
            self.poller.unregister(conn.sock)
        if conn in self.reading:
            self.reading.remove(conn)
        self.nr_conns -= 1
        conn.close()

    def forget(self, client: str) -> None:
        """A connection of ``client`` closed: it no longer counts against its share."""
        with self.shares:
            self.per_client[client] -= 1
            if self.per_client[client] <= 0:
                del self.per_client[client]

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        while self.reading and self.reading[0].head_deadline <= now:
            self._drop(self.reading[0])

    # -- handing over ------------------------------------------------------------------
    def handle(self, conn: TConn) -> Any:
        head = getattr(conn, "head", None)
        if head:
            conn.head = bytearray()
            conn.init()
            conn.parser.unreader.unread(bytes(head))
        return super().handle(conn)

    def handle_request(self, req: Any, conn: TConn) -> Any:
        """The request's body and answer go through a :class:`Paced` socket."""
        sock, unreader = conn.sock, conn.parser.unreader
        sock.settimeout(IO_TIMEOUT)  # for anything gunicorn does on the socket itself
        conn.sock = unreader.sock = Paced(sock)
        try:
            return super().handle_request(req, conn)
        finally:
            conn.sock = unreader.sock = sock
