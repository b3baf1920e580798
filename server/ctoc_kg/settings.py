"""Every server setting once: name, type, default, help and command-line flag.

The table feeds ``ctoc-kg serve``'s options (:func:`add_arguments`), the
defaults of :class:`ctoc_kg.web.settings.Settings`, of ``ServeOptions`` and of
the stores, and the README's table (:func:`markdown_table`, checked by a test).
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ctoc_kg.config import DEFAULT_BASE_URI, normalise_base


@dataclass(frozen=True)
class Setting:
    name: str
    type: Callable[[str], Any]
    default: Any
    help: str
    #: the ``serve`` option, or None for a setting only the code sets
    flag: str | None = None
    metavar: str | None = None
    #: the option may be repeated; the values are collected in a tuple
    repeated: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("host", str, "127.0.0.1", "address to listen on", "--host"),
    Setting("port", int, 5000, "port to listen on", "--port"),
    Setting(
        "base_uri",
        normalise_base,
        None,
        "canonical base of the dataset's IRIs "
        f"(default: the built release's, else {DEFAULT_BASE_URI})",
        "--base-uri",
        "URL",
    ),
    Setting(
        "public_url",
        normalise_base,
        None,
        "this server's own URL, mapped onto the base for links and dereferencing "
        "(default: http://HOST:PORT/)",
        "--public-url",
        "URL",
    ),
    Setting(
        "store",
        str,
        None,
        "store directory or SPARQL endpoint URL (default: the current build)",
        "--store",
        "PATH-or-URL",
    ),
    Setting("workers", int, 4, "gunicorn worker processes", "--workers", "N"),
    Setting(
        "add_graphs",
        str,
        (),
        "serve an extra RDF file as a named graph (repeatable)",
        "--add-graph",
        "IRI=FILE",
        repeated=True,
    ),
    Setting(
        "query_timeout",
        float,
        30.0,
        "seconds a query may run before it is stopped (503)",
        "--query-timeout",
        "S",
    ),
    Setting(
        "max_results",
        int,
        10_000,
        "results or triples an answer holds at most; longer ones are cut and flagged",
        "--max-results",
        "N",
    ),
    Setting(
        "rate_limit",
        float,
        0.0,
        "requests a second per client address, across workers, answered 429 past it (0: off)",
        "--rate-limit",
        "R",
    ),
    Setting("threads", int, 8, "request threads per worker", "--threads", "N"),
    Setting(
        "max_result_bytes",
        int,
        32 << 20,
        "bytes of one /sparql answer; longer ones are cut and flagged",
        "--max-result-bytes",
        "BYTES",
    ),
    Setting(
        "query_memory",
        int,
        512,
        "MiB one /sparql query may use; past it the query is stopped (503)",
        "--query-memory",
        "MIB",
    ),
    Setting(
        "max_queries",
        int,
        4,
        "heavy /sparql queries running at once in all; 429 past it",
        "--max-queries",
        "N",
    ),
    Setting(
        "max_queries_per_client",
        int,
        2,
        "heavy /sparql queries one client address may run at once; 429 past it",
        "--max-queries-per-client",
        "N",
    ),
    Setting(
        "heavy_after",
        float,
        0.25,
        "seconds of CPU (or four times that on the clock) after which a running /sparql "
        "query is heavy and needs a slot",
        "--heavy-after",
        "SECONDS",
    ),
    Setting(
        "forwarded_allow_ips",
        str,
        "",
        "comma-separated proxy addresses whose X-Forwarded-* headers are trusted (default: none)",
        "--forwarded-allow-ips",
        "ADDRS",
    ),
    Setting("max_query_length", int, 100_000, "characters a query may have"),
    Setting("max_nesting", int, 100, "depth of nested groups a query may have"),
    Setting("max_body_bytes", int, 1 << 20, "bytes a request body may have"),
)
BY_NAME = {s.name: s for s in SETTINGS}


def default(name: str) -> Any:
    return BY_NAME[name].default


def add_arguments(parser: ArgumentParser) -> None:
    """One option per setting with a flag, its help ending in the default."""
    for s in SETTINGS:
        if s.flag is None:
            continue
        help_text = (
            f"{s.help} (default: {s.default})" if s.default not in (None, (), "") else s.help
        )
        if s.repeated:
            parser.add_argument(
                s.flag, dest=s.name, action="append", type=s.type, metavar=s.metavar, help=help_text
            )
        else:
            parser.add_argument(
                s.flag,
                dest=s.name,
                type=s.type,
                default=s.default,
                metavar=s.metavar,
                help=help_text,
            )


def markdown_table() -> str:
    """The README's table of settings."""
    rows = ["| setting | option | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        flag = f"`{s.flag}`" if s.flag else "—"
        shown = "—" if s.default in (None, (), "") else f"`{s.default}`"
        rows.append(f"| `{s.name}` | {flag} | {shown} | {s.help} |")
    return "\n".join(rows) + "\n"
