"""A rebuild never pulls the store from under a live server; SIGHUP moves it to the new one."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from ctoc_kg.build.release import IN_USE, Release, build
from ctoc_kg.config import Paths

from .conftest import BASE
from .live import LiveServer, seed, start

pytestmark = pytest.mark.slow
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def workers(server: LiveServer) -> set[int]:
    out = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True)
    return {int(p) for p in out.stdout.split()}


def revision(server: LiveServer) -> int | None:
    """Which revision marker the served store holds (None: the first release, unmarked)."""
    q = f"SELECT ?c WHERE {{ <{BASE}body/UN> <{RDFS_COMMENT}> ?c }}"
    r = server.get("sparql", params={"query": q}, headers={"Accept": "text/csv"})
    assert r.status_code == 200, r.text
    rows = r.text.splitlines()[1:]
    return int(rows[0].rsplit(" ", 1)[-1]) if rows else None


def revise(project: Path, n: int) -> Release:
    (project / "data" / "revision.ttl").write_text(
        f'<body/UN> <{RDFS_COMMENT}> "revision {n}"@en .\n', encoding="utf-8"
    )
    return build(Paths(project), BASE)


def held(release: Path) -> bool:
    fd = os.open(release / IN_USE, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def wait_for(cond, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.2)
    return False


class Load:
    """Clients on fresh connections asking the store, until stopped; every outcome counted."""

    def __init__(self, server: LiveServer, clients: int = 4) -> None:
        self.codes: Counter[str] = Counter()
        self._stop = threading.Event()
        paths = ["sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "body/CTOC/COP/WG.4", ""]

        def client(i: int) -> None:
            while not self._stop.is_set():
                try:
                    r = requests.get(server.url + paths[i % len(paths)], timeout=30)
                    key = str(r.status_code)
                except requests.RequestException as exc:
                    key = type(exc).__name__
                self.codes[key] += 1

        self.threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for t in self.threads:
            t.start()

    def stop(self) -> Counter[str]:
        self._stop.set()
        for t in self.threads:
            t.join(60)
        return self.codes


def test_rebuilds_keep_the_served_release_and_sighup_moves_on(
    project_copy: Path, release: Release, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_dir = tmp_path / "build"
    first = seed(build_dir, release.path)
    monkeypatch.setenv("CTOC_KG_ROOT", str(project_copy))
    monkeypatch.setenv("CTOC_KG_BUILD", str(build_dir))
    srv = start(build_dir, "--query-timeout", "5", workers=2)
    try:
        assert revision(srv) is None
        revise(project_copy, 1)
        newest = revise(project_copy, 2)  # two newer releases: the first is past KEEP_RELEASES
        assert first.is_dir() and held(first), "a release in use was pruned"
        assert revision(srv) is None  # still served, untouched

        before = workers(srv)  # a worker that crashes is replaced on the same release
        os.kill(min(before), signal.SIGKILL)
        assert wait_for(lambda: len(workers(srv) - before) == 1, 30)
        for _ in range(10):
            assert revision(srv) is None

        load = Load(srv)
        try:
            time.sleep(1)
            old = workers(srv)
            os.kill(srv.proc.pid, signal.SIGHUP)
            assert wait_for(lambda: not (workers(srv) & old) and len(workers(srv)) == 2, 60)
            time.sleep(1)
        finally:
            codes = load.stop()
        assert set(codes) == {"200"} and codes["200"] > 20, codes
        assert revision(srv) == 2
        assert held(newest.path)
        # the old workers are gone, and with them every hold on the first release
        assert wait_for(lambda: not held(first), 30)
    finally:
        srv.stop()
    assert not any((build_dir / "run").iterdir()), "the server left its state folder behind"
