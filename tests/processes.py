"""Servers the tests and benchmarks start: a free loopback port, and stopping a process group.

Every server (``ctoc-kg serve``, gunicorn, ``virtuoso-t``) runs in its own process group,
so stopping it stops its workers and children too.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_group(proc: subprocess.Popen[bytes], grace: float = 30) -> None:
    """SIGTERM the process's group, and SIGKILL it if it has not ended within ``grace`` s."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
