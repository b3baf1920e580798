"""Starting the real server (``ctoc-kg serve``, gunicorn) on loopback for tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from ctoc_kg.config import DEFAULT_BASE_URI

from .processes import free_port, stop_group

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class LiveServer:
    url: str
    base: str
    proc: subprocess.Popen[bytes]
    log: Path

    def request(self, method: str, path: str, **kw: Any) -> requests.Response:
        """``path`` relative to the server's URL, or an absolute URL it wrote about itself."""
        url = path if path.startswith(self.url) else self.url + path.lstrip("/")
        return requests.request(method, url, timeout=60, **kw)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.request("POST", path, **kw)

    def url_of(self, iri: str) -> str:
        """Where this server answers for a dataset IRI (its own URL mapped onto the base)."""
        assert iri.startswith(self.base), iri
        return self.url + iri[len(self.base) :]

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"

    def stop(self) -> None:
        stop_group(self.proc)


def seed(build_dir: Path, release: Path) -> Path:
    """A copy of a built release as ``build_dir``'s current one, so a server starts without
    building; returns the copy."""
    import shutil

    copy = build_dir / "releases" / release.name
    shutil.copytree(release, copy, ignore=shutil.ignore_patterns("in-use"))
    (build_dir / "current").symlink_to(copy.relative_to(build_dir))
    return copy


def start(
    build_dir: Path,
    *args: str,
    base: str | None = None,
    port: int | None = None,
    workers: int = 2,
) -> LiveServer:
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/"
    cmd = [
        sys.executable, "-m", "ctoc_kg.cli", "serve",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        *(["--base-uri", base] if base else []),
        *args,
    ]  # fmt: skip
    log = build_dir / f"server-{port}.log"
    env = {**os.environ, "CTOC_KG_BUILD": str(build_dir)}
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = LiveServer(url, base or DEFAULT_BASE_URI, proc, log)
    deadline = time.monotonic() + 300  # a build on a loaded machine
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url + "robots.txt", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}")
