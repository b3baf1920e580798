"""The engine's recursion limits: the pre-check refuses every query shape that crashes it.

Each generated query runs in a fresh process against pyoxigraph on a thread with the
stack the server gives queries, so a crash (SIGSEGV) is seen as the child's death.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest
from ctoc_kg.web.query_limits import DEFAULT_LIMITS, ENGINE_STACK
from ctoc_kg.web.sparql_text import QueryRefused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RUN = textwrap.dedent(
    f"""
    import sys, threading, pyoxigraph as ox
    q = sys.stdin.read()
    s = ox.Store()
    def run():
        try:
            r = s.query(q)
            if not isinstance(r, ox.QueryBoolean):
                for _ in r:
                    pass
        except Exception:
            pass
    threading.stack_size({ENGINE_STACK // 2})  # half the server's stack: a margin of two
    t = threading.Thread(target=run)
    t.start()
    t.join()
    """
)


def crashes(query: str) -> bool:
    """Whether pyoxigraph dies on ``query`` (a slow query is not a crash)."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", RUN], input=query, text=True, capture_output=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode != 0


def refused(query: str) -> bool:
    try:
        DEFAULT_LIMITS.check(query)
    except QueryRefused:
        return True
    return False


# -- shapes the engine recurses on, each n long -----------------------------------------
SHAPES = {
    "not": lambda n: "ASK { FILTER(" + "!" * n + "true) }",
    "plus": lambda n: "ASK { FILTER(" + "+".join(["1"] * n) + " > 0) }",
    "or": lambda n: "ASK { FILTER(" + "||".join(["true"] * n) + ") }",
    "and": lambda n: "ASK { FILTER(" + " && ".join(["true"] * n) + ") }",
    "minus": lambda n: "ASK { " + "MINUS {} " * n + "}",
    "bind": lambda n: "SELECT * { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(n)) + "}",
    "union": lambda n: "ASK { " + " UNION ".join(["{}"] * n) + "}",
    "optional": lambda n: "ASK { " + "OPTIONAL {} " * n + "}",
    "seq": lambda n: "ASK { ?s " + "/".join(["<http://a/>"] * n) + " ?o }",
    "seq-prefixed": lambda n: "PREFIX e: <http://a/> ASK { ?s " + "/".join(["e:a"] * n) + " ?o }",
    "alt": lambda n: "ASK { ?s " + "|".join(["<http://a/>"] * n) + " ?o }",
    "objects": lambda n: "ASK { ?s ?p " + ",".join(["?o"] * n) + " }",
    "triples": lambda n: "ASK { " + "?s ?p ?o." * n + " }",
    "collection": lambda n: "ASK { ?s ?p (" + " 1" * n + " ) }",
    "calls": lambda n: "ASK { FILTER(" + "STR(" * n + "1" + ")" * n + ") }",
    "parens": lambda n: "ASK { FILTER(" + "(" * n + "true" + ")" * n + ") }",
    "braces": lambda n: "ASK " + "{" * n + "}" * n,
    "subqueries": lambda n: "ASK { " + "{ SELECT * WHERE " * n + "{}" + "}" * n + " }",
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_crashing_size_is_refused_and_the_largest_accepted_runs(shape: str) -> None:
    """12 000 of anything crashes the engine and is refused; the largest size let through
    runs, even on half the stack the server gives a query."""
    make = SHAPES[shape]
    assert crashes(make(12_000))
    assert refused(make(12_000))
    lo, hi = 1, 12_000  # the largest n the limits let through
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if refused(make(mid)) else (mid, hi)
    assert not refused(make(lo))
    assert not crashes(make(lo)), (shape, lo)


def test_refusal_names_the_limit() -> None:
    msgs = {}
    for shape in ("not", "minus", "collection", "calls"):
        with pytest.raises(QueryRefused) as exc:
            DEFAULT_LIMITS.check(SHAPES[shape](5_000))
        msgs[shape] = str(exc.value)
    assert "operators" in msgs["not"]
    assert "group patterns" in msgs["minus"]
    assert "collection" in msgs["collection"]
    assert "levels deep" in msgs["calls"]


def test_ordinary_queries_pass() -> None:
    from ctoc_kg.config import paths

    for f in sorted(paths().queries.glob("*.rq")):
        DEFAULT_LIMITS.check(f.read_text())
    DEFAULT_LIMITS.check(
        "SELECT * WHERE { VALUES ?x { " + " ".join(str(i) for i in range(5000)) + " } }"
    )


@pytest.mark.slow  # six interpreters started, and a bound in seconds: not for the inner loop
def test_the_lexical_scan_is_linear_on_hostile_text() -> None:
    """Escaped quotes once made the scan backtrack (40 KB took seconds); 100 KB is instant."""
    hostile = [
        '"' + '\\"' * 50_000,
        "'''" + "\\'" * 50_000,
        '"\\"' * 33_000,
        "<" * 100_000,
        "a:" * 50_000,
        "'" * 100_000,
    ]
    code = (
        "import sys, time\n"
        "from ctoc_kg.web.sparql_text import inspect\n"
        "text = sys.stdin.read()\n"
        "t = time.perf_counter(); inspect(text); print(time.perf_counter() - t)\n"
    )
    for text in hostile:
        done = subprocess.run(
            [sys.executable, "-c", code], input=text, text=True, capture_output=True, timeout=10
        )
        assert done.returncode == 0, done.stderr
        assert float(done.stdout) < 5, (text[:10], done.stdout)


# -- grammar-based generation: deep and long expressions, paths and patterns ----------------
#: Generated queries stay within a few times the length limit: a repetition of a repetition
#: grows multiplicatively, and a query of gigabytes tests the machine, not the limits.
GENERATED_MAX = 4 * DEFAULT_LIMITS.length


def _cap(inner: str, n: int) -> int:
    """``n`` repetitions of ``inner``, fewer where they would pass :data:`GENERATED_MAX`."""
    return max(1, min(n, GENERATED_MAX // max(1, len(inner))))


def _join(sep: str, item: str, n: int) -> str:
    """``item`` ``n`` times (capped) with ``sep`` between."""
    return sep.join([item] * _cap(item, n))


def _wrap(left: str, inner: str, right: str, n: int) -> str:
    """``inner`` inside ``n`` (capped) pairs of ``left`` and ``right``."""
    k = _cap(inner, n)
    return left * k + inner + right * k


def expressions(budget: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(["true", "1", "?x", '"a"', "STR(?x)"])

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda e, n: "!" * _cap(e, n) + e, inner, st.integers(1, budget)),
            st.builds(
                lambda e, op, n: _join(f" {op} ", e, n),
                inner,
                st.sampled_from(["+", "*", "||", "&&", "-", "/", "="]),
                st.integers(2, budget),
            ),
            st.builds(
                lambda e, n: _wrap("(", e, ")", n),
                inner,
                st.integers(1, budget // 4),
            ),
            st.builds(
                lambda e, n: _wrap("STR(", e, ")", n),
                inner,
                st.integers(1, budget // 8),
            ),
        )

    return st.recursive(leaf, grow, max_leaves=3)


def paths(budget: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(["<http://a/>", "^<http://a/>", "!<http://a/>", "<http://a/>*"])

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(
                lambda p, op, n: _join(op, p, n),
                inner,
                st.sampled_from(["/", "|"]),
                st.integers(2, budget),
            ),
            st.builds(
                lambda p, n: _wrap("(", p, ")", n),
                inner,
                st.integers(1, budget // 4),
            ),
        )

    return st.recursive(leaf, grow, max_leaves=3)


def patterns(budget: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        st.just("?s ?p ?o ."),
        paths(budget).map(lambda p: f"?s {p} ?o ."),
        expressions(budget).map(lambda e: f"FILTER({e})"),
        st.integers(1, budget).map(lambda n: "?s ?p (" + " 1" * n + ") ."),
        st.integers(1, budget).map(lambda n: "?s ?p " + ", ".join(["?o"] * n) + " ."),
    )

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(
                lambda p, kw, n: _join(" ", f"{kw} {{ {p} }}", n),
                inner,
                st.sampled_from(["MINUS", "OPTIONAL", "", "FILTER EXISTS", "FILTER NOT EXISTS"]),
                st.integers(1, budget),
            ),
            st.builds(
                lambda p, n: _join(" UNION ", f"{{ {p} }}", n),
                inner,
                st.integers(2, budget),
            ),
            st.builds(
                lambda p, n: _wrap("{", p, "}", n),
                inner,
                st.integers(1, budget // 4),
            ),
            st.builds(
                lambda p, n: p + " BIND(1 AS ?b)" * _cap(p, n), inner, st.integers(1, budget)
            ),
        )

    return st.recursive(leaf, grow, max_leaves=4)


QUERIES = st.integers(8, 13).flatmap(lambda k: patterns(1 << k)).map(lambda p: f"ASK {{ {p} }}")


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(QUERIES)
def test_every_generated_query_that_crashes_the_engine_is_refused(query: str) -> None:
    if len(query) > DEFAULT_LIMITS.length:
        return  # refused on length alone, and too long to be worth running
    if not refused(query):
        t0 = time.monotonic()
        assert not crashes(query), query[:300]
        assert time.monotonic() - t0 < 25
