"""Hostile requests: always a 4xx with a message, never a 5xx.

Requests a client library would normalise (sent byte for byte), timeouts, fuzzing from the
OpenAPI description and a killed worker need the live server (the last on one of its own);
the rest runs against the app in process.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from ctoc_kg.build.release import Release
from ctoc_kg.formats import RDF_FORMATS, RESULT_FORMATS
from ctoc_kg.web.negotiation import choose, parse_accept
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

from .conftest import start_live
from .inprocess import InProcessServer
from .live import LiveServer


def raw_get(
    server: LiveServer, target: str, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    """A request sent byte for byte, without a client library normalising the target."""
    host = server.url.split("//")[1].rstrip("/")
    conn = http.client.HTTPConnection(host, timeout=30)
    conn.putrequest("GET", target, skip_accept_encoding=True)
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", "replace")
    conn.close()
    return resp.status, body


@pytest.mark.parametrize(
    "target",
    [
        "/sparql?query=%FF%FE",
        "/sparql?query=%E0%A4%A",
        "/sparql?query=SELECT%20*%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D&default-graph-uri=not%20an%20iri",
        "/sparql?query=" + "%7B" * 5000,
        "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%22unterminated%20%7D",
        "/body/%FF%FE",
        "/../../../../etc/passwd",
        "/body/..%2F..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/body/" + "a" * 3000,
        "/browse/items?page=notanumber",
        "/browse/nothing",
        "/dumps/../manifest.json",
        "/graph/nope",
    ],
)
def test_malformed_requests_get_a_4xx(server: LiveServer, target: str) -> None:
    status, body = raw_get(server, target)
    assert 400 <= status < 500, (target, status, body[:300])
    assert body.strip()
    assert "root:" not in body


def test_deep_nesting_is_refused_and_the_server_lives(site: InProcessServer) -> None:
    for depth in (150, 5000, 50000):
        q = "SELECT * WHERE " + "{" * depth + "}" * depth
        resp = site.post("sparql", data={"query": q})
        assert resp.status_code == 400 and ("nests" in resp.text or "limit" in resp.text)
    assert site.get("sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_path_cannot_inject_sparql(site: InProcessServer) -> None:
    for evil in [
        "x> ?p ?o . ?s ?q ?r } #",
        "x%3E%20%3Fp%20%3Fo%20.%20%3Fs%20%3Fq%20%3Fr%20%7D%20%23",
    ]:
        resp = site.get("body/" + evil, headers={"Accept": "application/n-triples"})
        assert resp.status_code == 404
        assert len(Graph().parse(data=resp.content, format="nt")) == 0


@pytest.mark.parametrize(
    "accept",
    [
        "",
        "*",
        ";;;,,,",
        "text/turtle;q=abc",
        "text/turtle;q=5",
        "application/json;q=-1",
        "a/b/c",
        "text/" + "x" * 5000,
        ", ".join(f"type{i}/sub{i}" for i in range(500)),
        "image/png",
    ],
)
def test_odd_accept_headers(site: InProcessServer, accept: str) -> None:
    for path in ("sparql?query=ASK%20%7B%7D", "body/CTOC/COP", ""):
        resp = site.get(path, headers={"Accept": accept})
        assert resp.status_code in {200, 406}, (path, accept, resp.status_code)


def test_wrong_media_types(site: InProcessServer) -> None:
    for ctype in ("text/plain", "application/json", "multipart/form-data; boundary=x"):
        resp = site.post("sparql", data=b"query=ASK%20%7B%7D", headers={"Content-Type": ctype})
        assert resp.status_code == 415 and "Content-Type" in resp.text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_accept_parsing_never_fails(header: str) -> None:
    ranges = parse_accept(header)
    assert all(0.0 <= r.q <= 1.0 for r in ranges)
    for offers in (RESULT_FORMATS, RDF_FORMATS):
        chosen = choose(header, offers)
        assert chosen is None or chosen in offers


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["query", "format", "output", "default-graph-uri", "named-graph-uri", "x"]),
        st.text(max_size=80),
        max_size=4,
    )
)
def test_fuzzed_parameters_never_cause_a_5xx(site: InProcessServer, params: dict[str, str]) -> None:
    resp = site.get("sparql", params=params)
    assert resp.status_code < 500, (params, resp.status_code, resp.text[:300])


def workers_of(server: LiveServer) -> set[int]:
    """gunicorn's workers: `ctoc-kg serve` replaced itself with the gunicorn master."""
    out = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True)
    return {int(p) for p in out.stdout.split()}


def full_complement(server: LiveServer, n: int = 3) -> set[int]:
    """The workers once all ``n`` are up (an earlier overrun may have ended one)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(workers_of(server)) < n:
        time.sleep(0.2)
    return workers_of(server)


@pytest.fixture
def own_server(release: Release, tmp_path: Path) -> Iterator[LiveServer]:
    """A live server of its own, for a test that kills its workers."""
    srv = start_live(tmp_path, release, workers=3)
    yield srv
    srv.stop()


@pytest.mark.live
def test_a_worker_killed_mid_request_is_replaced(own_server: LiveServer) -> None:
    server = own_server
    before = full_complement(server)
    assert len(before) == 3
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    import threading

    box: dict[str, object] = {}

    def in_flight() -> None:
        # the request in flight may be on the worker killed: its client sees the
        # connection closed, which is all a killed process can say
        try:
            box["r"] = requests.get(server.endpoint, params={"query": slow}, timeout=60)
        except requests.ConnectionError as exc:
            box["r"] = exc

    t = threading.Thread(target=in_flight)
    t.start()
    time.sleep(0.5)
    victim = sorted(before)[0]
    os.kill(victim, signal.SIGKILL)
    codes: list[int] = []
    deadline = time.monotonic() + 60  # a liveness bound, wide enough for a loaded machine
    while time.monotonic() < deadline and codes.count(200) < 20:
        codes.append(server.get("sparql", params={"query": "ASK {}"}).status_code)
    assert codes.count(200) == 20, codes
    t.join(60)
    assert "r" in box, "the request in flight was answered or closed, not left hanging"
    after = full_complement(server)
    assert len(after) == 3 and victim not in after


@pytest.mark.slow
def test_schemathesis_finds_no_server_error(server: LiveServer, tmp_path: Path) -> None:
    """Property-based fuzzing of the HTTP surface from its OpenAPI description."""
    spec = server.get("static/openapi.yaml")
    assert spec.status_code == 200
    schema = tmp_path / "openapi.yaml"
    schema.write_bytes(spec.content)
    r = subprocess.run(
        [
            str(Path(sys.executable).parent / "st"), "run", str(schema),
            "--url", server.url.rstrip("/"),
            "--checks", "not_a_server_error",
            "--max-examples", "40",
            "--request-timeout", "20",
            "--no-color",
        ],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    tested = re.search(r"(\d+) generated, (\d+) passed", r.stdout)
    assert tested and int(tested.group(1)) > 100 and tested.group(1) == tested.group(2)


def test_no_file_is_read_because_a_request_asked(site: InProcessServer, tmp_path: Path) -> None:
    token = "secret-" + os.urandom(8).hex()
    secret = tmp_path / "secret.ttl"
    secret.write_text(f'<http://example.org/s> <http://example.org/p> "{token}" .\n')
    uri = secret.as_uri()
    attempts = [
        {"query": f"SELECT * FROM <{uri}> WHERE {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{uri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": uri},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": uri},
        {"query": f"SELECT * WHERE {{ SERVICE <{uri}> {{ ?s ?p ?o }} }}"},
    ]
    for params in attempts:
        resp = site.get("sparql", params=params)
        assert resp.status_code < 500 and token not in resp.text, params
    for path in (f"sparql?query=LOAD%20%3C{uri}%3E", "static/../../../../" + str(secret)):
        assert token not in site.get(path).text


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "^(a+)+$") }',
        'SELECT * WHERE { ?s ?p ?o FILTER REGEX(CONCAT(STR(?o), STR(?o), STR(?o)), "(.*a){20}") }',
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<>|!<>)* ?b . ?b (<>|!<>)* ?c }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?s ?h }",
    ],
)
def test_runaway_patterns_end_within_the_limit(server: LiveServer, query: str) -> None:
    t0 = time.monotonic()
    resp = server.get("sparql", params={"query": query})
    assert resp.status_code in {200, 503}, resp.text[:300]
    assert time.monotonic() - t0 < 3 + 5
    if resp.status_code == 503:
        assert "limit" in resp.text
    assert server.get("sparql", params={"query": "ASK {}"}).status_code == 200


@pytest.mark.live
def test_rate_limiting_answers_429_with_retry_after(release: Release, tmp_path: Path) -> None:
    srv = start_live(tmp_path, release, "--rate-limit", "5", workers=1)
    try:
        codes = [srv.get("sparql", params={"query": "ASK {}"}) for _ in range(30)]
        limited = [r for r in codes if r.status_code == 429]
        assert limited and codes[0].status_code == 200
        assert int(limited[0].headers["Retry-After"]) >= 1 and "Too many" in limited[0].text
        time.sleep(1.5)
        assert srv.get("sparql", params={"query": "ASK {}"}).status_code == 200
    finally:
        srv.stop()
