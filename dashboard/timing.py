"""Opt-in timing of script runs and queries, for benchmarks/bench_dashboard.py.

When the environment variable KETENMONITOR_TIMING_LOG names a file, every script run appends one
tab-separated line `run  <session>  <page>  <filter hash>  <ms>` and every cache-missing macro call appends
`query  <session>  <macro>  <params hash>  <ms>`. When it is not set nothing is measured or written.
Invariant: nothing here ever raises into the app.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time

from pipelines import settings

_LOCK = threading.Lock()


def _path() -> str | None:
    return settings.timing_log()


def _session() -> str:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return ctx.session_id[:8] if ctx else "-"
    except Exception:
        return "-"


def short_hash(value: object) -> str:
    return hashlib.sha1(repr(value).encode()).hexdigest()[:10]


def _write(kind: str, name: str, key: str, ms: float) -> None:
    path = _path()
    if path is None:
        return
    try:
        line = f"{kind}\t{_session()}\t{name}\t{key}\t{ms:.1f}\t{time.time():.3f}\n"
        with _LOCK, open(path, "a", encoding="utf-8") as fh:
            fh.write(line)
    except Exception:  # timing must never break a run
        pass


def start() -> float | None:
    """The start of a script run (None when timing is off)."""
    return time.perf_counter() if _path() else None


def end_run(t0: float | None, page: object = None) -> None:
    """Log the run started at `t0` with its page and a hash of the current filters."""
    if t0 is None:
        return
    try:
        import streamlit as st

        ms = (time.perf_counter() - t0) * 1000
        name = getattr(page, "url_path", None) or "overzicht"
        filt = st.session_state.get("_filters")
        _write("run", name, short_hash(filt), ms)
    except Exception:  # timing must never break a run
        pass


def query(macro: str, params: object, t0: float | None) -> None:
    """Log one executed (cache-missing) macro call started at `t0`."""
    if t0 is None:
        return
    with contextlib.suppress(Exception):  # timing must never break a run
        _write("query", macro, short_hash(params), (time.perf_counter() - t0) * 1000)
