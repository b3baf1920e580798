"""gunicorn's master hooks for ``ctoc-kg serve``: the release the workers serve, and moving on.

The master holds the release it serves (:func:`ctoc_kg.build.release.hold`);
every worker it forks shares that hold and reads the release from the
environment, so a worker started after a crash or a timeout serves the same
release even when builds have made others since, and pruning never removes
it.  On ``SIGHUP`` the master resolves ``build/current`` again, holds the new
release and gunicorn starts new workers on it, while the old workers finish
their requests (and keep the old release held until they exit).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any

from ctoc_kg.config import paths as project_paths
from ctoc_kg.web.serve import ServeError, ServeOptions, pin, prepare
from ctoc_kg.web.settings import ENV, Settings

_held: list[int] = []


def _move(settings: Settings, log: Any) -> None:
    opts = ServeOptions.from_env()
    settings, fd = pin(project_paths(), opts, settings)
    os.environ[ENV] = settings.to_env()
    for old in _held:  # old workers keep their own copies until they exit
        with contextlib.suppress(OSError):
            os.close(old)
    _held[:] = [fd] if fd is not None else []
    log.info("serving %s from %s", settings.base_uri, settings.store)


def on_starting(server: Any) -> None:
    _move(Settings.from_env(), server.log)


def on_reload(server: Any) -> None:
    s = Settings.from_env()
    try:
        _move(prepare(project_paths(), ServeOptions.from_env(), s.state_dir), server.log)
    except (ServeError, OSError, ValueError) as exc:  # a broken build: keep serving the old one
        server.log.error("staying on %s: %s", s.store, exc)


def on_exit(server: Any) -> None:
    state = Settings.from_env().state_dir
    if state:
        shutil.rmtree(Path(state), ignore_errors=True)
