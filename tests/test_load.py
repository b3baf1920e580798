"""Load: 32 concurrent clients mixing queries and page views, and a restart under load.

``SOAK_SECONDS=300 make soak`` runs the same mix for longer (not part of ``make test``).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
import requests
from ctoc_kg.build.release import Release

from .conftest import start_live
from .live import LiveServer

pytestmark = [pytest.mark.slow, pytest.mark.live]

QUERIES = [
    'SELECT ?d WHERE { ?d <http://purl.org/dc/terms/identifier> "CTOC/COP/2008/6" }',
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50",
    "ASK { ?s a ?t }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20",
]
PAGES = [
    ("", "text/html"),
    ("body/CTOC/COP/WG.4", "text/html"),
    ("body/CTOC/COP/WG.4", "text/turtle"),
    ("document/CTOC/COP/2008/CRP.8", "application/ld+json"),
    ("body/CTOC/COP/decision/4/4", "text/html"),
    ("browse/documents", "text/html"),
    (".well-known/void", "text/turtle"),
]


@pytest.fixture(scope="module")
def server(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server of this module's own: the load disturbs it and a test restarts it."""
    srv = start_live(tmp_path_factory.mktemp("load"), release, workers=3)
    yield srv
    srv.stop()


def mixed_load(server: LiveServer, clients: int, seconds: float) -> Counter[str]:
    """Run ``clients`` threads for ``seconds``; count outcomes ("ok" or what failed)."""
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        rnd = random.Random(n)
        session = requests.Session()
        while time.monotonic() < stop:
            try:
                if rnd.random() < 0.5:
                    r = session.get(
                        server.endpoint, params={"query": rnd.choice(QUERIES)}, timeout=30
                    )
                else:
                    path, accept = rnd.choice(PAGES)
                    r = session.get(server.url + path, headers={"Accept": accept}, timeout=30)
                key = "ok" if r.status_code == 200 else f"status {r.status_code}"
            except requests.RequestException as exc:
                key = type(exc).__name__
            with lock:
                outcomes[key] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_32_clients_mixing_queries_and_pages_see_no_failure(server: LiveServer) -> None:
    outcomes = mixed_load(server, 32, 8)
    # not a speed claim (bench/ measures speed): every client got answers, none failed
    assert outcomes["ok"] >= 32
    assert set(outcomes) == {"ok"}, outcomes


def test_a_restart_under_load_loses_no_request(server: LiveServer) -> None:
    """SIGHUP makes gunicorn start new workers and let the old ones finish their requests."""
    result: dict[str, Counter[str]] = {}
    t = threading.Thread(target=lambda: result.update(c=mixed_load(server, 16, 8)))
    t.start()
    time.sleep(2)
    os.kill(server.proc.pid, signal.SIGHUP)
    time.sleep(3)
    os.kill(server.proc.pid, signal.SIGHUP)
    t.join()
    outcomes = result["c"]
    assert outcomes["ok"] >= 16  # every client got answers across both restarts
    assert set(outcomes) == {"ok"}, outcomes
    alive = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True)
    assert len(alive.stdout.split()) >= 3


@pytest.mark.skipif("SOAK_SECONDS" not in os.environ, reason="soak runs with `make soak`")
def test_soak(server: LiveServer) -> None:
    outcomes = mixed_load(server, 32, float(os.environ["SOAK_SECONDS"]))
    print(dict(outcomes))
    assert set(outcomes) == {"ok"}, outcomes
