"""The one data-access module of the dashboard.

Invariants:
- One cached read-only DuckDB connection per database file stamp (inode, mtime, size). When the build swaps
  in a new file (atomic rename), the stamp changes, the next run connects to the new file and the cached
  results of the old file are no longer used: the app never serves a stale or half-written database.
  The connection is an in-memory instance that ATTACHes the file read-only, because DuckDB caches
  instances by path and `duckdb.connect(path)` would keep returning the replaced file.
- A fresh cursor per query; results are materialised at once as Polars frames.
- SQL text lives in `sql/macros/`; this module only calls a table macro by name with bound parameters.
- A parameter the macro does not declare is an error (ValueError), never dropped: a filter is applied or
  declared not applicable (dashboard/filtermodel.py), not silently ignored. Declared parameters that are
  not given are NULL (= no filter).
- `st.cache_data` is keyed on the stamp and small filter values only.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from dashboard import timing
from pipelines import contract, settings

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class DataNotAvailable(Exception):
    """No usable database: the message (Dutch) says what to do."""


@dataclass(frozen=True)
class Stamp:
    path: str
    inode: int
    mtime_ns: int
    size: int


def current_stamp(db: Path | None = None) -> Stamp:
    path = (db or settings.db_path()).absolute()
    try:
        st_ = os.stat(path)
    except FileNotFoundError as exc:
        raise DataNotAvailable(
            f"Er is nog geen database ({path}). Bouw hem met: "
            f"`python -m pipelines build --source <map met exports> --db {path}` "
            "of start de demo met `bash scripts/demo.sh`."
        ) from exc
    return Stamp(str(path), st_.st_ino, st_.st_mtime_ns, st_.st_size)


@st.cache_resource(max_entries=1, show_spinner=False)
def _connect(stamp: Stamp) -> duckdb.DuckDBPyConnection:
    try:
        # A fresh in-memory instance that ATTACHes the file: duckdb.connect(path) would reuse a cached
        # instance of the same path, i.e. the old (replaced) file, and never see the new build.
        con = duckdb.connect(":memory:")
        con.execute(f"attach '{_sql_string(stamp.path)}' as ketenmonitor (read_only)")
        con.execute("use ketenmonitor")
    except duckdb.Error as exc:
        raise DataNotAvailable(f"De database {stamp.path} kan niet worden geopend: {exc}") from exc
    # the version check is the build's contract (pipelines/contract.py), written once for the CLI and the app
    problem = contract.version_problem(stamp.path, contract.read_model_version(_cursor(con)))
    if problem is not None:
        con.close()
        raise DataNotAvailable(problem)
    return con


def _sql_string(text: str) -> str:
    """Escape a value for a single-quoted SQL literal (ATTACH takes no bound parameters)."""
    return text.replace("'", "''")


def _cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A fresh cursor on the attached database (`use` is per connection, so every cursor sets it)."""
    cur = con.cursor()
    cur.execute("use ketenmonitor")
    return cur


def connection() -> duckdb.DuckDBPyConnection:
    return _connect(current_stamp())


@st.cache_data(max_entries=8, show_spinner=False)
def _macro_parameters(stamp: Stamp) -> dict[str, list[str]]:
    """Declared parameter names of every table macro in the database."""
    rows = (
        _cursor(_connect(stamp))
        .sql("select function_name, parameters from duckdb_functions() where function_type = 'table_macro'")
        .fetchall()
    )
    return {name: list(params) for name, params in rows}


@st.cache_data(max_entries=1024, show_spinner=False)
def _fetch(stamp: Stamp, macro: str, params: tuple[tuple[str, object], ...]) -> pl.DataFrame:
    declared = _macro_parameters(stamp).get(macro)
    if declared is None:
        raise DataNotAvailable(
            f"De database mist '{macro}': hij is gebouwd met een oudere versie van het model. "
            "Bouw hem opnieuw met `python -m pipelines build --source <map met exports>`."
        )
    given = dict(params)
    unknown = sorted(set(given) - set(declared))
    if unknown:  # a filter the macro does not take would be dropped silently: refuse it
        raise ValueError(f"macro {macro} neemt geen parameter(s) {', '.join(unknown)}")
    call = f"select * from {macro}({', '.join('$' + n for n in declared)})"
    bound = {n: list(v) if isinstance(v := given.get(n), tuple) else v for n in declared}
    t0 = timing.start()
    frame = _cursor(_connect(stamp)).sql(call, params=bound).pl()
    timing.query(macro, params, t0)
    return frame


def fetch(macro: str, **params: object) -> pl.DataFrame:
    """Run the table macro `macro` (sql/macros/) with the given values; parameters not given are NULL and a
    parameter the macro does not declare raises ValueError."""
    if not _NAME.match(macro) or any(not _NAME.match(k) for k in params):
        raise ValueError(f"ongeldige macronaam of parameter: {macro}")
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    return _fetch(current_stamp(), macro, frozen)
