"""Virtuoso Open Source (Debian's ``virtuoso-opensource``) on loopback, for tests and benchmarks.

:func:`start` fills in ``virtuoso.ini`` beside this module (a database in a
fresh folder, free loopback ports), runs ``virtuoso-t -f`` in its own process
group and waits until the SPARQL endpoint answers.  A fresh database's ``dba``
password is ``dba``; the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..processes import free_port, stop_group

TEMPLATE = Path(__file__).with_name("virtuoso.ini")
BINARY = "virtuoso-t"
USER, PASSWORD = "dba", "dba"


def available() -> bool:
    return shutil.which(BINARY) is not None


@dataclass
class Virtuoso:
    folder: Path
    http_port: int
    proc: subprocess.Popen[bytes]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    def log(self) -> str:
        path = self.folder / "out.log"
        return path.read_text(errors="replace")[-3000:] if path.is_file() else ""

    def stop(self) -> None:
        stop_group(self.proc, grace=60)


def start(folder: Path, memory_mib: int = 512, wait: float = 180.0) -> Virtuoso:
    """A running Virtuoso with its database in ``folder`` (created), ``memory_mib`` of buffers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vsp").mkdir(exist_ok=True)
    buffers = memory_mib * 1024 // 8 * 2 // 3  # 8 KiB pages, as Virtuoso's own guide sizes them
    http_port = free_port()
    ini = TEMPLATE.read_text().format(
        dir=folder,
        sql_port=free_port(),
        http_port=http_port,
        buffers=buffers,
        dirty=buffers * 3 // 4,
    )
    (folder / "virtuoso.ini").write_text(ini)
    with open(folder / "out.log", "wb") as out:
        proc = subprocess.Popen(
            [BINARY, "-f", "-c", str(folder / "virtuoso.ini")],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Virtuoso(folder, http_port, proc)
    probe = server.endpoint + "?query=ASK%7B%7D"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {proc.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(probe, timeout=5) as resp:
                if resp.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"virtuoso-t did not answer within {wait:g} s:\n{server.log()}")
