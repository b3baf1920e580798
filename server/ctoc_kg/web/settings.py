"""What a running server is configured with; read from the environment by the app factory."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ctoc_kg.config import DEFAULT_BASE_URI, paths

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
    query_timeout: float = 30.0
    max_results: int = 10_000
    max_query_length: int = 100_000
    max_nesting: int = 100
    max_body_bytes: int = 1 << 20
    queries_dir: str = field(default_factory=lambda: str(paths().queries))
    shapes_dir: str = field(default_factory=lambda: str(paths().shapes))
    #: end the worker process after answering a query that overran (gunicorn starts another)
    exit_on_overrun: bool = False
    #: requests a second per client address (across workers); 0 turns limiting off
    rate_limit: float = 0.0
    #: bytes of one answer to /sparql; a longer one is cut and flagged
    max_result_bytes: int = 32 << 20
    #: bytes of memory one /sparql query may take above its process's baseline
    query_memory: int = 512 << 20
    #: heavy /sparql queries running at once, in all, and per client address (429 beyond)
    heavy_total: int = 4
    heavy_per_client: int = 2
    #: seconds of CPU after which a running /sparql query is heavy and must take a slot
    heavy_after: float = 0.25
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
