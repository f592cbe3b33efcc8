"""The shared machine, for every benchmark: its load (and a wait for a quiet moment before measuring), the
CPU time of this process's descendants, and the percentile every benchmark reports."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (None without values), rounded to 0.1."""
    if not values:
        return None
    s = sorted(values)
    rank = max(1, -(-len(s) * q // 100))
    return round(s[int(rank) - 1], 1)


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


def descendant_cpu() -> dict[int, tuple[list[bytes], float]]:
    """Every process below this one, by pid: its command line (argv; chromium rewrites its children's argv
    into one space-separated string, so this is split on spaces too) and its CPU seconds (user + system,
    all threads), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    info: dict[int, tuple[list[bytes], float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").split()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parent[pid] = int(fields[1])
        info[pid] = (cmd, (int(fields[11]) + int(fields[12])) / tick)
    me = os.getpid()

    def below(pid: int) -> bool:
        seen = set()
        while pid not in (0, 1) and pid not in seen:
            seen.add(pid)
            pid = parent.get(pid, 0)
            if pid == me:
                return True
        return False

    return {pid: v for pid, v in info.items() if below(pid)}
