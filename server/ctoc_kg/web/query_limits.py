"""Limits on the shape of a query, so that no query can overflow the engine's stack.

pyoxigraph parses and evaluates by recursion: one stack frame (or several) per
nested bracket, per chained operator, per group-level pattern, per triple
pattern.  Measured on pyoxigraph 0.5 with an 8 MiB thread stack, a query
crashes the process (SIGSEGV) at about:

======================================  ===========
construct                               crashes at
======================================  ===========
nested function calls ``STR(STR(…))``   960 levels
nested ``{ }``                          2 200 levels
nested ``( )`` in an expression         4 700 levels
``MINUS {}`` / ``BIND`` in one group    2 600
``OPTIONAL`` / ``UNION`` chain          6 600
``+`` or ``*`` chain                    6 900
path sequence ``/``                     8 100
``,`` / ``;`` (object/predicate lists)  8 100
``!``, ``||``, ``&&``, ``FILTER`` chain 9 400
path alternative ``|``                  11 000
collection ``( … )`` members            4 000
======================================  ===========

Each limit below is a *total over the whole query text*, counted by the
lexical scan of :mod:`ctoc_kg.web.sparql_text` — not per chain — so splitting a
chain, mixing constructs or spelling the same query differently cannot get
more recursion past it.  At the defaults the four budgets together use under
half of an 8 MiB stack, and queries run on a thread with a 16 MiB stack
(:data:`ENGINE_STACK`): a margin of four.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ctoc_kg.web.sparql_text import QueryInfo, QueryRefused, inspect

#: Stack of the thread a query runs on; the limits leave three quarters of it unused.
ENGINE_STACK = 16 << 20


@dataclass(frozen=True)
class Limits:
    #: characters of query text
    length: int = 100_000
    #: nesting of ``{``, ``(`` and ``[`` (1/960 of an 8 MiB stack each, at worst)
    depth: int = 100
    #: operators and separators (at worst 1/6 900 each)
    operators: int = 1_000
    #: ``{`` and group keywords (at worst 1/2 600 each)
    groups: int = 250
    #: terms listed in parentheses before a comma, i.e. collection members (1/4 000 each)
    listed: int = 500

    def replace(self, **changes: int) -> Limits:
        return dataclasses.replace(self, **changes)

    def check(self, text: str) -> QueryInfo:
        """The scan of ``text``; :class:`QueryRefused` naming the limit it exceeds."""
        if len(text) > self.length:
            raise QueryRefused(
                f"query of {len(text)} characters exceeds the limit of {self.length}"
            )
        info = inspect(text)
        if info.depth > self.depth:
            raise QueryRefused(f"query nests {info.depth} levels deep; the limit is {self.depth}")
        over = [
            (
                info.operators,
                self.operators,
                "operators and separators (! - + * / | || && = , ; . …)",
            ),
            (info.groups, self.groups, "group patterns ({ } MINUS OPTIONAL UNION FILTER BIND …)"),
            (info.listed, self.listed, "terms listed in parentheses (collection members)"),
        ]
        for count, limit, what in over:
            if count > limit:
                raise QueryRefused(
                    f"query has {count} {what}; the limit is {limit} "
                    "(deeper or longer queries can crash the engine)"
                )
        if info.is_update:
            raise QueryRefused("this endpoint is read-only: SPARQL Update is not accepted")
        if info.has_service:
            raise QueryRefused(
                "SERVICE is not allowed: this endpoint makes no requests on a query's behalf"
            )
        return info


DEFAULT_LIMITS = Limits()
