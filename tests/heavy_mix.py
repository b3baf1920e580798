"""Heavy queries and light requests at once: how long the light ones wait.

``python -m tests.heavy_mix URL [SECONDS]`` prints the light clients' p50/p99 and
every outcome; the load test runs the same mix and asserts that no light request is
refused or starved.
"""

from __future__ import annotations

import random
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

import requests

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LOOKUP = (
    "PREFIX dcterms: <http://purl.org/dc/terms/> "
    'SELECT ?d WHERE { ?d dcterms:identifier "CTOC/COP/2008/6" }'
)
#: Light requests, from the same address as the heavy ones: lookups through /sparql too.
LIGHT = [
    ("sparql?query=" + urllib.parse.quote(LOOKUP), "application/sparql-results+json"),
    ("sparql?query=ASK%20%7B%7D", "application/sparql-results+json"),
    ("robots.txt", "text/plain"),
    ("", "text/html"),
    ("body/CTOC/COP/WG.4", "text/turtle"),
    ("body/CTOC/COP/WG.4", "text/html"),
    ("document/CTOC/COP/2008/CRP.8", "application/ld+json"),
    ("browse/documents", "text/html"),
]


@dataclass
class Outcome:
    light_times: list[float] = field(default_factory=list)
    light: Counter[str] = field(default_factory=Counter)
    heavy: Counter[str] = field(default_factory=Counter)

    def percentile(self, p: float) -> float:
        times = sorted(self.light_times)
        return times[min(len(times) - 1, int(p * len(times)))] if times else float("inf")


def run(url: str, seconds: float, heavy: int = 8, light: int = 8) -> Outcome:
    out = Outcome()
    for _ in range(4):  # first views load labels and templates: measure the steady state
        for path, accept in LIGHT:
            requests.get(url + path, headers={"Accept": accept}, timeout=60)
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def heavy_client() -> None:
        s = requests.Session()
        while time.monotonic() < stop:
            try:
                r = s.post(url + "sparql", data={"query": HEAVY}, timeout=120)
                key = str(r.status_code)
                if r.status_code == 429:
                    time.sleep(min(2.0, float(r.headers.get("Retry-After", "1"))))
            except requests.RequestException as exc:
                key = type(exc).__name__
            with lock:
                out.heavy[key] += 1

    def light_client(n: int) -> None:
        rnd = random.Random(n)
        s = requests.Session()
        while time.monotonic() < stop:
            path, accept = rnd.choice(LIGHT)
            t0 = time.monotonic()
            try:
                r = s.get(url + path, headers={"Accept": accept}, timeout=120)
                key = str(r.status_code)
            except requests.RequestException as exc:
                key = type(exc).__name__
            with lock:
                out.light_times.append(time.monotonic() - t0)
                out.light[key] += 1

    threads = [threading.Thread(target=heavy_client) for _ in range(heavy)]
    threads += [threading.Thread(target=light_client, args=(i,)) for i in range(light)]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    return out


if __name__ == "__main__":
    o = run(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 20)
    print(f"light p50 {o.percentile(0.5):.3f} s  p99 {o.percentile(0.99):.3f} s")
    print("light", dict(o.light), "heavy", dict(o.heavy))
