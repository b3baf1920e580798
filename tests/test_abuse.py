"""Abuse against the live server: crashes, starvation, memory, each bounded in time."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import requests
from ctoc_kg.build.release import Release

from . import heavy_mix
from .live import LiveServer, seed, start

pytestmark = [pytest.mark.slow, pytest.mark.live]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, release: Release) -> Iterator[LiveServer]:
    build_dir = tmp_path_factory.mktemp("abuse")
    seed(build_dir, release.path)
    srv = start(
        build_dir,
        "--query-timeout", "4", "--query-memory", "256", "--max-result-bytes", "1000000",
        workers=2,
    )  # fmt: skip
    yield srv
    srv.stop()


def workers(server: LiveServer) -> set[int]:
    out = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True)
    return {int(p) for p in out.stdout.split()}


def ask(server: LiveServer) -> tuple[int, float]:
    t0 = time.monotonic()
    r = requests.get(server.endpoint, params={"query": "ASK {}"}, timeout=30)
    return r.status_code, time.monotonic() - t0


def test_crashing_shapes_get_400_and_no_worker_dies(live: LiveServer) -> None:
    before = workers(live)
    for q in (
        "ASK { FILTER(" + "!" * 9_500 + "true) }",
        "ASK { FILTER(" + "+".join(["1"] * 7_000) + " > 0) }",
        "ASK { " + "MINUS {} " * 2_700 + "}",
        "ASK { ?s " + "/".join(["<http://a/>"] * 8_200) + " ?o }",
    ):
        r = live.post("sparql", data={"query": q})
        assert r.status_code == 400 and "limit" in r.text, r.text[:200]
    assert workers(live) == before


def test_idle_and_slowloris_connections_hold_up_nobody(live: LiveServer) -> None:
    host, port = live.url.split("//")[1].rstrip("/").split(":")
    held = []
    try:
        for i in range(60):  # idle sockets, and heads sent a byte at a time
            s = socket.create_connection((host, int(port)))
            if i % 2:
                s.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
            held.append(s)
        time.sleep(0.5)
        for _ in range(5):
            status, took = ask(live)
            # answered while the sockets stay open (before, it waited until they closed:
            # 15-38 s); the bound is liveness, not speed, which bench/ measures
            assert status == 200 and took < 10, took
        assert requests.get(live.url + "robots.txt", timeout=5).status_code == 200
    finally:
        for s in held:
            s.close()


def test_a_flood_of_connections_from_one_address_holds_up_nobody_else(live: LiveServer) -> None:
    """One address opening more sockets than a worker will hold for it: the excess is
    closed at once, and a client at another address is answered."""
    from ctoc_kg.web.worker import PER_CLIENT

    host, port = live.url.split("//")[1].rstrip("/").split(":")
    flood = 2 * PER_CLIENT + 300  # two workers' shares, and more
    held = []
    try:
        for _ in range(flood):
            s = socket.socket()
            s.bind(("127.0.0.2", 0))  # the flood's own address on the loopback network
            s.connect((host, int(port)))
            held.append(s)
        time.sleep(1)
        status, took = ask(live)  # from 127.0.0.1
        assert status == 200 and took < 10, took  # liveness: before, it waited for the flood
        closed = 0
        for s in held:
            s.setblocking(False)
            with contextlib.suppress(BlockingIOError):  # open: within the address's share
                closed += s.recv(1) == b""
        assert closed >= flood - 2 * PER_CLIENT, closed
    finally:
        for s in held:
            s.close()


def test_a_slowloris_head_is_closed_after_the_header_timeout(live: LiveServer) -> None:
    host, port = live.url.split("//")[1].rstrip("/").split(":")
    s = socket.create_connection((host, int(port)), timeout=30)
    s.send(b"GET / HTTP/1.1\r\n")
    t0 = time.monotonic()
    assert s.recv(100) == b""  # closed by the server, not answered
    assert 5 < time.monotonic() - t0 < 20
    s.close()


def test_a_query_that_takes_gigabytes_is_stopped_with_503(live: LiveServer) -> None:
    doubling = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(28))
    q = f'SELECT (STRLEN(?a28) AS ?n) WHERE {{ BIND("0123456789abcdef" AS ?a0) {doubling} }}'
    before = workers(live)
    r = live.post("sparql", data={"query": q})
    assert r.status_code == 503 and "memory" in r.text, r.text[:200]
    assert workers(live) == before  # the worker lives; only the query's process was ended
    assert ask(live)[0] == 200


def test_answers_are_cut_at_max_result_bytes_and_flagged(live: LiveServer) -> None:
    values = " ".join(str(i) for i in range(40))
    q = (
        f'SELECT ?x WHERE {{ VALUES ?i {{ {values} }} BIND("{"x" * 1000}" AS ?s) '
        f"BIND(CONCAT(STR(?i), {', '.join(['?s'] * 50)}) AS ?x) }}"
    )  # 40 rows of 50 kB: 2 MB
    r = live.post("sparql", data={"query": q}, headers={"Accept": "text/csv"})
    assert r.status_code == 200
    assert "max-result-bytes=1000000" in r.headers["X-SPARQL-Results-Truncated"]
    assert 0 < len(r.content) <= 1_000_000 + 10_000
    assert r.headers["Content-Disposition"].startswith("attachment")


def test_a_runaway_query_is_stopped_and_the_worker_keeps_serving(live: LiveServer) -> None:
    before = workers(live)
    t0 = time.monotonic()
    r = live.post("sparql", data={"query": heavy_mix.HEAVY})
    assert r.status_code == 503 and "limit" in r.text
    assert time.monotonic() - t0 < 4 + 3
    assert workers(live) == before


def test_too_many_queries_get_429_with_retry_after(live: LiveServer) -> None:
    import threading

    results: list[requests.Response] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(live.post("sparql", data={"query": heavy_mix.HEAVY}))
        )
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    codes = sorted(r.status_code for r in results)
    assert codes.count(503) == 2 and codes.count(429) == 2, codes  # two per client
    limited = next(r for r in results if r.status_code == 429)
    assert int(limited.headers["Retry-After"]) >= 1 and "Too many queries" in limited.text


def test_lookups_are_answered_while_the_same_client_runs_heavy_queries(
    live: LiveServer,
) -> None:
    import threading

    results: list[requests.Response] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(live.post("sparql", data={"query": heavy_mix.HEAVY}))
        )
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    try:
        time.sleep(1.5)  # two are heavy now and hold this client's slots; the third was refused
        for _ in range(10):
            r = live.get("sparql", params={"query": heavy_mix.LOOKUP})
            assert r.status_code == 200 and "CTOC/COP/2008/6" in r.text, r.text[:200]
        assert live.get("sparql", params={"query": "ASK {}"}).status_code == 200
    finally:
        for t in threads:
            t.join(30)
    assert sorted(r.status_code for r in results) == [429, 503, 503]


def test_rate_limit_holds_across_workers(
    tmp_path_factory: pytest.TempPathFactory, release: Release
) -> None:
    build_dir = tmp_path_factory.mktemp("rate")
    seed(build_dir, release.path)
    srv = start(build_dir, "--rate-limit", "5", workers=3)
    try:
        t0 = time.monotonic()
        codes = [requests.get(srv.url + "robots.txt", timeout=10).status_code for _ in range(40)]
        allowed = 5 + 5 * (time.monotonic() - t0)  # the burst, then five a second
        # with a bucket per worker, three workers would let three times as many through
        assert codes.count(200) <= allowed + 1, (codes, allowed)
        assert codes[0] == 200 and 429 in codes
    finally:
        srv.stop()


def test_light_requests_are_not_starved_by_heavy_queries(live: LiveServer) -> None:
    """Light clients are answered while heavy ones run, never after waiting out a query.

    Before admission control every light request waited the full query timeout (p50
    24.6 s).  Their latency under this mix (p50/p99) is measured with
    ``python -m tests.heavy_mix URL`` (numbers in SECURITY.md), not asserted here:
    tests do not time a shared machine.
    """
    out = heavy_mix.run(live.url, 15)
    assert set(out.light) == {"200"}, out.light
    assert len(out.light_times) > 100
    assert max(out.light_times) < 4, (out.percentile(0.5), out.percentile(0.99), out.heavy)


def test_a_chunked_body_over_the_limit_is_413(live: LiveServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"query=ASK%20%7B%7D&x="
        for _ in range(1100):
            yield b"a" * 1024
        yield b"&named-graph-uri=http%3A%2F%2Fexample.org%2Fg"

    r = requests.post(
        live.endpoint,
        data=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=30,
    )
    assert r.status_code == 413, r.text[:200]


def test_a_huge_page_number_is_400(live: LiveServer) -> None:
    r = live.get("browse/agendas", params={"page": "99999999999999999999"})
    assert r.status_code == 400


def test_absolute_urls_do_not_come_from_the_host_header(live: LiveServer) -> None:
    for accept in ("text/turtle", "text/html"):
        r = live.get("sparql", headers={"Host": "evil.example", "Accept": accept})
        assert r.status_code == 200 and "evil.example" not in r.text
