"""Terminal progress for long builds: a bar per stage with records/s; silent when not a TTY.

Invariant: progress output goes to stderr only, so stdout stays parseable.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class Stage:
    """Handle for one stage: advance files and records."""

    def __init__(self, progress: Progress | None, task_id: TaskID | None) -> None:
        self._progress = progress
        self._task = task_id
        self.records = 0

    def advance(self, files: int = 1, records: int = 0) -> None:
        self.records += records
        if self._progress is not None and self._task is not None:
            elapsed = self._progress.tasks[self._task].elapsed or 0.0
            rate = self.records / elapsed if elapsed > 0 else 0.0
            text = f"{self.records:,} records, {rate:,.0f}/s".replace(",", ".") if self.records else ""
            self._progress.update(self._task, advance=files, rate=text)


@contextmanager
def stage(name: str, total: int | None, enabled: bool | None = None) -> Iterator[Stage]:
    """A progress bar for `name` over `total` items; quiet when stderr is not a terminal."""
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        yield Stage(None, None)
        return
    progress = Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    with progress:
        task_id = progress.add_task(name, total=total, rate="")
        yield Stage(progress, task_id)
