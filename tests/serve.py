"""The portal served as in production, for the tests that need a real server:
gunicorn on a free loopback port over this process's database and Solr core
(the CKAN_* overrides reach it too), and the front (nginx) before it, started
by the project's own scripts/lib.sh."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO, Iterator

ROOT = Path(__file__).resolve().parents[1]


def lib(*commands: str) -> None:
    """Runs functions of scripts/lib.sh (the services of this process's settings)."""
    subprocess.run(["bash", "-c", f"source {ROOT}/scripts/lib.sh && " + " && ".join(commands)],
                   check=True, capture_output=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: IO, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer; see {log.name}")
            time.sleep(0.3)


@contextlib.contextmanager
def gunicorn(ini: str, base: str, log: IO, workers: int = 2, site_url: str = "") -> Iterator[subprocess.Popen]:
    """gunicorn serving ``ini`` at ``base`` (http://127.0.0.1:<port>), for people at ``site_url``
    (its front; default ``base``); started, not yet answering."""
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT / "config"), "--bind", base.removeprefix("http://"),
         "--workers", str(workers), "--timeout", "120", "wsgi:application"],
        env=dict(os.environ, CKAN_INI=ini, CKAN_SITE_URL=site_url or base), stdout=log, stderr=log)
    try:
        yield server
    finally:
        server.terminate()
        server.wait(30)


@contextlib.contextmanager
def front(name: str, base: str, upstream: str, sign_in_rate: str = "10r/m",
          submit_rate: str = "6r/m") -> Iterator[None]:
    """The front at ``base`` before ``upstream``, as scripts/up starts it (``name``: its files in .stack/)."""
    lib(f"start_front {name} {base.removeprefix('http://')} {upstream.removeprefix('http://')} "
        f"{sign_in_rate} {submit_rate}")
    try:
        yield
    finally:
        lib(f"stop_pid {name}")
