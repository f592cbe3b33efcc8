"""Calendar of the simulation: the run's fixed dates and month / working-day arithmetic.

Invariants protected here:
* pure functions of their arguments (no clock, no randomness), so every module can use them without state;
* the export window starts on `WINDOW_START`; the simulation starts a year earlier (`WARMUP_START`) so that
  queues and running care exist on day one, and nothing is dated after `DEFAULT_PEILDATUM`.
"""

from __future__ import annotations

from datetime import date, timedelta

WARMUP_START = date(2021, 10, 1)
WINDOW_START = date(2022, 10, 1)
DEFAULT_PEILDATUM = date(2026, 9, 30)


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def month_end(d: date) -> date:
    return add_months(d, 1) - timedelta(days=1)


def add_workdays(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def workday_on_or_after(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def mkey(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def weeks(s: date, e: date) -> list[tuple[date, date]]:
    """The Monday-to-Sunday pieces of [s, e] (weekly ProductPeriodes)."""
    out = []
    cur = s
    while cur <= e:
        sunday = cur + timedelta(days=6 - cur.weekday())
        end = min(sunday, e)
        out.append((cur, end))
        cur = end + timedelta(days=1)
    return out
