"""Optional per-client rate limiting: 429 with ``Retry-After`` past N requests a second.

A token bucket per client address, kept by each worker: with W workers a client
gets at most about W × N requests a second.  Off unless ``--rate-limit`` is given.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

MAX_CLIENTS = 10_000


class RateLimiter:
    def __init__(self, app: Callable[..., Iterable[bytes]], per_second: float) -> None:
        self.app = app
        self.rate = per_second
        self.burst = max(1.0, per_second)
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, client: str) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        now = time.monotonic()
        tokens, last = self.buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self.buckets[client] = (tokens, now)
        if len(self.buckets) > MAX_CLIENTS:
            self.buckets.popitem(last=False)
        return wait

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        wait = self.allow(environ.get("REMOTE_ADDR", ""))
        if wait == 0:
            return self.app(environ, start_response)
        retry = max(1, math.ceil(wait))
        body = f"Too many requests: at most {self.rate:g} a second; retry in {retry} s.\n"
        start_response(
            "429 Too Many Requests",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body.encode()))),
                ("Retry-After", str(retry)),
                ("Access-Control-Allow-Origin", "*"),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body.encode()]
