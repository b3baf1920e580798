"""What a running server is configured with; read from the environment by the app factory.

Defaults and meanings come from the one table, :mod:`ctoc_kg.settings`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ctoc_kg.config import DEFAULT_BASE_URI, paths
from ctoc_kg.settings import default

ENV = "CTOC_KG_SERVER"


@dataclass(frozen=True)
class Settings:
    #: the canonical base of the dataset's IRIs (the release's, set at build)
    base_uri: str = DEFAULT_BASE_URI
    #: this server's own URL; every absolute URL it writes starts with it (empty: the base)
    public_url: str = ""
    #: a store directory, or the URL of a SPARQL 1.1 endpoint
    store: str = ""
    #: the release folder (dumps, manifest); empty for a remote store
    release: str = ""
    query_timeout: float = default("query_timeout")
    max_results: int = default("max_results")
    max_query_length: int = default("max_query_length")
    max_nesting: int = default("max_nesting")
    max_body_bytes: int = default("max_body_bytes")
    queries_dir: str = field(default_factory=lambda: str(paths().queries))
    shapes_dir: str = field(default_factory=lambda: str(paths().shapes))
    #: end the worker process after answering a query that overran (gunicorn starts another)
    exit_on_overrun: bool = False
    rate_limit: float = default("rate_limit")
    max_result_bytes: int = default("max_result_bytes")
    #: MiB of memory one /sparql query may take above its process's baseline
    query_memory: int = default("query_memory")
    #: heavy /sparql queries running at once, in all, and per client address (429 beyond)
    heavy_total: int = default("max_queries")
    heavy_per_client: int = default("max_queries_per_client")
    heavy_after: float = default("heavy_after")
    #: run /sparql queries in child processes that can be killed: this many per worker for
    #: light queries, and one more for each heavy query admitted
    query_processes: int = 0
    #: shared state of the server's workers (slots, rate buckets); a temporary folder if empty
    state_dir: str = ""

    @property
    def release_path(self) -> Path | None:
        return Path(self.release) if self.release else None

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> Settings:
        raw = os.environ.get(ENV)
        return cls(**json.loads(raw)) if raw else cls()
