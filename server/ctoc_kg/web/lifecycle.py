"""Keeping the query time limit in a gunicorn worker: answer, then end the process.

A running pyoxigraph query cannot be interrupted; only ending its process
ends the work.  Under gunicorn (``exit_on_overrun``) each request arms the
store's overrun action with the client's socket: on overrun the watchdog
writes a plain-text 503 to the client and the worker exits; the master starts
a fresh worker while the others keep serving.
"""

from __future__ import annotations

import os
import socket

from flask import Flask, request

from ctoc_kg.web.services import services


def emergency_response(sock: socket.socket, limit: float) -> None:
    body = (
        f"Query timeout: the query ran longer than the {limit:g} s limit and was stopped.\n"
    ).encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Access-Control-Allow-Origin: *\r\n"
        "Cache-Control: no-store\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    try:
        sock.sendall(head + body)
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        os._exit(0)


def init_app(app: Flask) -> None:
    if not app.extensions["ctoc"].settings.exit_on_overrun:
        return

    @app.before_request
    def arm_overrun_action() -> None:
        store = services().store
        sock = request.environ.get("gunicorn.socket")
        if sock is not None and hasattr(store, "overrun_action"):
            store.overrun_action = lambda limit: emergency_response(sock, limit)
