"""The contract every source extractor fulfils, and the registry the build walks.

An extractor claims the files it understands, parses them (possibly in spawned worker processes) and
writes its rows as Parquet under `ctx.workdir / <table>/`. It returns one `FileReport` per file (zip
member) and the quarantine entries. The build then loads the Parquet into DuckDB with the declared
schemas, so every output table exists even when no file produced a row.

Invariant: extractors never open the DuckDB database; they run before it is opened, so worker processes
can be started (with `spawn`) before DuckDB starts its threads.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

from pipelines.report import FileReport, QuarantineEntry
from pipelines.settings import Limits


@dataclass(frozen=True)
class SourceFile:
    path: Path  # on disk
    rel: str  # relative to the source root, '/' separated


@dataclass
class ExtractContext:
    source: Path
    workdir: Path  # Parquet output: workdir/<table>/<part>.parquet
    key: bytes  # pseudonymisation secret (never written anywhere)
    limits: Limits = field(default_factory=Limits)
    workers: int = 1
    show_progress: bool | None = None  # None: only on a TTY


@dataclass
class ExtractResult:
    reports: list[FileReport]
    quarantine: list[QuarantineEntry]
    # Paths (relative to the source) whose rows the parts hold but the load must leave out: units found
    # to be exact duplicates after the workers wrote them. Applies to every table with a `bestand` column.
    skip_files: frozenset[str] = frozenset()


class Extractor(Protocol):
    name: str
    # Declared output tables: name -> schema. Tables are created from these even when empty.
    tables: dict[str, pl.Schema]

    def claim(self, files: list[SourceFile], ctx: ExtractContext) -> list[SourceFile]:
        """The subset of `files` this extractor will read."""
        ...

    def extract(self, files: list[SourceFile], ctx: ExtractContext) -> ExtractResult: ...


# Module paths of the extractors, in claim order: earlier extractors claim first.
EXTRACTOR_MODULES: tuple[str, ...] = (
    "pipelines.ijw.extractor",
    "pipelines.tabular.extractor",
)


def load_extractors() -> list[Extractor]:
    out: list[Extractor] = []
    for module_name in EXTRACTOR_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # not built yet
            raise
        out.append(module.EXTRACTOR)
    return out
