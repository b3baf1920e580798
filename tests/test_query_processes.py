"""Query processes: light queries need no slot; a query that turns heavy must take one."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from ctoc_kg.build.release import Release
from ctoc_kg.store.base import QueryTimeout
from ctoc_kg.store.engine import QueryRequest
from ctoc_kg.store.isolated import QueryProcesses

from .heavy_mix import HEAVY

LOOKUP = 'SELECT ?d WHERE { ?d <http://purl.org/dc/terms/identifier> "CTOC/COP/2008/6" }'


class Refused(Exception):
    pass


@pytest.fixture
def pool(release: Release) -> Iterator[QueryProcesses]:
    # a lookup takes milliseconds; the threshold leaves room for a loaded machine
    qp = QueryProcesses(release.store, size=1, timeout=20, release=release.path, heavy_after=1)
    yield qp
    qp.close()


def children(qp: QueryProcesses) -> set[int]:
    return {c.proc.pid or 0 for c in qp._idle}


def test_a_lookup_never_asks_for_a_slot(pool: QueryProcesses) -> None:
    asked: list[int] = []

    def promote() -> Callable[[], None]:
        asked.append(1)
        raise Refused

    for _ in range(20):
        resp = pool.execute(QueryRequest(LOOKUP), promote=promote)
        assert resp.kind == "solutions" and resp.count == 1
    assert asked == []


def test_a_query_that_turns_heavy_without_a_slot_is_stopped(pool: QueryProcesses) -> None:
    pool.execute(QueryRequest("ASK {}"))
    (before,) = children(pool)
    with pytest.raises(Refused):
        pool.execute(QueryRequest(HEAVY), promote=lambda: (_ for _ in ()).throw(Refused()))
    with pytest.raises(ProcessLookupError):  # its process was killed, not left running
        os.kill(before, 0)
    assert pool.execute(QueryRequest("ASK {}")).boolean is True


def test_a_heavy_query_holds_its_slot_and_leaves_the_pool_to_lookups(
    pool: QueryProcesses,
) -> None:
    import threading

    held: list[str] = []

    def promote() -> Callable[[], None]:
        held.append("taken")
        return lambda: held.append("given back")

    done = threading.Event()
    outcome: list[BaseException] = []

    def heavy() -> None:
        try:
            pool.execute(QueryRequest(HEAVY), timeout=3, promote=promote)
        except BaseException as exc:
            outcome.append(exc)
        done.set()

    t = threading.Thread(target=heavy)
    t.start()
    try:
        # the pool has one light process; the heavy query left it, so lookups still run
        while not held:
            assert not done.wait(0.05), outcome
        for _ in range(5):
            assert pool.execute(QueryRequest(LOOKUP), timeout=10).count == 1
        assert not done.is_set()
    finally:
        t.join(30)
    assert isinstance(outcome[0], QueryTimeout)
    assert held == ["taken", "given back"]
