"""The shared machine's load, for every benchmark: read it, and wait for a quiet moment before measuring."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def load1() -> float:
    """The 1-minute load average."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def wait_for_quiet(max_load: float, max_wait: float, label: str, poll_s: float = 15) -> float:
    """Wait until the 1-minute load is at most `max_load` (or `max_wait` seconds passed); return it."""
    deadline = time.monotonic() + max_wait
    load = load1()
    while load > max_load and time.monotonic() < deadline:
        print(f"[{label}] load {load:.2f} > {max_load}: wachten", file=sys.stderr)
        time.sleep(poll_s)
        load = load1()
    return load
