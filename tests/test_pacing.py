"""A client that trickles its request body, or takes its answer slowly, is cut off: the
time of a body read and of an answer write is bounded as a whole, not per socket call,
so neither holds one of the server's threads for long."""

from __future__ import annotations

import socket
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from ctoc_kg.build.release import Release

from .live import LiveServer

pytestmark = [pytest.mark.live, pytest.mark.slow]

#: An answer of several megabytes: every quad of the dataset.
EVERYTHING = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
#: The server's deadlines in these tests: 2 s for a body; answers at 10 MB/s after 2 s.
GRACE = 2


@pytest.fixture
def paced(
    tmp_path: Path, release: Release, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LiveServer]:
    from .conftest import start_live

    monkeypatch.setenv("CTOC_KG_IO_TIMEOUT", str(GRACE))
    monkeypatch.setenv("CTOC_KG_MIN_RATE", str(10_000_000))
    srv = start_live(tmp_path, release, "--max-results", "10000000", "--query-timeout", "60",
                     workers=1)  # fmt: skip
    yield srv
    srv.stop()


def address(server: LiveServer) -> tuple[str, int]:
    host, port = server.url.split("//")[1].rstrip("/").split(":")
    return host, int(port)


def test_a_trickled_body_is_answered_408_at_its_deadline(paced: LiveServer) -> None:
    s = socket.create_connection(address(paced), timeout=0.5)
    s.sendall(
        b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nquery="
    )
    t0 = time.monotonic()
    answer = b""
    while time.monotonic() - t0 < 20:  # a byte every 0.3 s would take a minute to finish
        try:
            s.sendall(b"A")
        except OSError:
            break
        try:
            chunk = s.recv(4096)
        except TimeoutError:
            continue
        if not chunk:
            break
        answer += chunk
        if b"\r\n\r\n" in answer:
            break
    took = time.monotonic() - t0
    s.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert took < GRACE + 5, took  # liveness: cut near its deadline, not at the body's end


def test_an_answer_taken_too_slowly_is_cut_and_the_server_goes_on(paced: LiveServer) -> None:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)  # little room to absorb it
    s.connect(address(paced))
    query = urllib.parse.quote(EVERYTHING)
    s.sendall(f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\nAccept: text/csv\r\n\r\n".encode())
    s.settimeout(10)
    received = b""
    t0 = time.monotonic()
    while time.monotonic() - t0 < 60:  # about 400 KB/s: always progressing, never fast enough
        try:
            chunk = s.recv(1 << 16)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        received += chunk
        time.sleep(0.15)
    s.close()
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head[:200]
    length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length"))
                 .split(b":")[1])  # fmt: skip
    # cut: the server stopped sending (what the kernel had buffered still arrived); a
    # bound per socket call would have let this reader, always progressing, have it all
    assert 0 < len(body) < length
    r = paced.get("sparql", params={"query": "ASK {}"})
    assert r.status_code == 200
