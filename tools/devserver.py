"""Start the dashboard as a real `streamlit run` server on a free loopback port (tests and benchmarks).

Invariant: the server only listens on 127.0.0.1 and is returned only once its health endpoint answers;
a server that does not become healthy is killed and its log is raised, never left running.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from dashboard import rapport

REPO = Path(__file__).resolve().parent.parent


# Flags for Debian's chromium driving the served app headless on this machine (e2e tests, benchmarks):
# no sandbox in the container, no GPU, no traffic of its own; the same as the session report's PDF printer.
CHROMIUM_ARGS = list(rapport.CHROMIUM_ARGS)


class ServerError(RuntimeError):
    """The server did not become healthy in time (the message holds its log)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(
    db: Path | None,
    log: Path,
    env: dict[str, str] | None = None,
    timeout_s: float = 90,
    *,
    script: Path | str = "dashboard/app.py",
    port: int | None = None,
    extra_args: Sequence[str] = (),
) -> tuple[subprocess.Popen, str]:
    """Serve `script` (the dashboard by default) on the database `db`; returns the process and its base URL.

    `port` fixes the port (a login test must know it before the start, for the redirect URI in its
    secrets); `extra_args` are appended to `streamlit run` (for example `--secrets.files <path>`)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
            *extra_args,
        ],
        cwd=REPO,
        env={**os.environ, **(env or {}), **({"KETENMONITOR_DB": str(db)} if db is not None else {})},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    proc.wait()
    raise ServerError(f"streamlit werd niet gezond binnen {timeout_s:.0f} s:\n{log.read_text()}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
