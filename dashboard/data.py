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
- Which database is in view is the run's choice (`kies_bron`, set by dashboard/filters.py from the URL): the
  live database or a frozen snapshot (pipelines/snapshot.py), opened by exactly the same rules (one
  read-only connection per file, keyed by its path and stamp; the version check). The stamp names the file,
  so every cache keyed on it keeps a snapshot's results apart from the live ones.
- Learning-session mode (`leersessie`, also part of the stamp) pseudonymises providers here, once, for every
  frame any page receives: each aanbieder's name and AGB code, wherever it stands in a text value
  (`pseudonimiseer`), becomes "Aanbieder A", "Aanbieder B", ... in an order given by a hash of the code (stable
  for the same providers, in a snapshot and in a rebuild, and unrelated to size or name). Parameters are
  translated back to the code before a macro runs, so filters and links work on the pseudonyms.
- The store (pipelines/store.py: snapshots, annotations) is read once per run (`lees_opslag`).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from dashboard import timing
from pipelines import contract, settings
from pipelines.store import Annotatie, Snapshot, StoreError, open_store

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class DataNotAvailable(Exception):
    """No usable database: the message (Dutch) says what to do."""


@dataclass(frozen=True)
class Stamp:
    """The identity of what a query answers from: the database file (path and stamp) and the view
    (`leersessie`: providers pseudonymised). Every cache of query results is keyed on it."""

    path: str
    inode: int
    mtime_ns: int
    size: int
    leersessie: bool = False

    @property
    def bestand(self) -> Stamp:
        """The file alone (the connection and the raw results do not depend on the view)."""
        return replace(self, leersessie=False) if self.leersessie else self


@dataclass(frozen=True)
class Bron:
    """The run's choice: a snapshot (`momentopname`, its file) or the live database (None), and the view."""

    momentopname: Snapshot | None = None
    leersessie: bool = False


_BRON = "_gegevensbron"  # session_state: this run's Bron (dashboard/filters.py sets it first)
_OPSLAG = "_opslag"  # session_state: this run's read of the store


def kies_bron(bron: Bron) -> None:
    """Answer this run's queries from `bron` (the router's filters call this before anything is fetched)."""
    st.session_state[_BRON] = bron


def gekozen_bron() -> Bron:
    """This run's choice; the live database without pseudonyms outside a page run."""
    try:
        bron = st.session_state.get(_BRON)
    except Exception:  # no session (a script or test outside Streamlit)
        bron = None
    return bron if isinstance(bron, Bron) else Bron()


def current_stamp(db: Path | None = None) -> Stamp:
    bron = gekozen_bron() if db is None else Bron()
    if bron.momentopname is not None:
        path = Path(bron.momentopname.bestand).absolute()
        missing = (
            f"De momentopname ‘{bron.momentopname.naam}’ is er niet meer ({path}). Kies 'Actuele database'."
        )
    else:
        path = (db or settings.db_path()).absolute()
        missing = (
            f"Er is nog geen database ({path}). Bouw hem met: "
            f"`python -m pipelines build --source <map met exports> --db {path}` "
            "of start de demo met `bash scripts/demo.sh`."
        )
    try:
        st_ = os.stat(path)
    except FileNotFoundError as exc:
        raise DataNotAvailable(missing) from exc
    return Stamp(str(path), st_.st_ino, st_.st_mtime_ns, st_.st_size, bron.leersessie)


# One connection per database file: the live database and each snapshot in view, replaced when the file's
# stamp changes (a rebuild swaps the live file). A replaced connection is not closed here (another
# session's query may still run on it); it closes when the last cursor on it is gone.
_CONNECTIONS: dict[str, tuple[Stamp, duckdb.DuckDBPyConnection]] = {}
_CONNECTIONS_LOCK = threading.Lock()


def _connect(stamp: Stamp) -> duckdb.DuckDBPyConnection:
    stamp = stamp.bestand
    with _CONNECTIONS_LOCK:
        known = _CONNECTIONS.get(stamp.path)
    if known is not None and known[0] == stamp:
        return known[1]
    con = _open(stamp)
    with _CONNECTIONS_LOCK:
        known = _CONNECTIONS.get(stamp.path)
        if known is not None and known[0] == stamp:  # another session opened it meanwhile
            con.close()
            return known[1]
        _CONNECTIONS[stamp.path] = (stamp, con)
    return con


def _open(stamp: Stamp) -> duckdb.DuckDBPyConnection:
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
    """Declared parameter names of every table macro in the database (`stamp`: the file alone)."""
    rows = (
        _cursor(_connect(stamp))
        .sql("select function_name, parameters from duckdb_functions() where function_type = 'table_macro'")
        .fetchall()
    )
    return {name: list(params) for name, params in rows}


@st.cache_data(max_entries=1024, show_spinner=False)
def _fetch(stamp: Stamp, macro: str, params: tuple[tuple[str, object], ...]) -> pl.DataFrame:
    if stamp.leersessie:  # the file's own answer, with the providers pseudonymised
        terug = {p: c for c, p in pseudoniemen(stamp.bestand).items()}
        echt = tuple((k, terug.get(v, v) if isinstance(v, str) else v) for k, v in params)
        return pseudonimiseer(_fetch(stamp.bestand, macro, echt), stamp.bestand)
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


# -- learning-session pseudonyms ---------------------------------------------------------------------------
PSEUDONIEM_MACRO = "leersessie_aanbieders"  # sql/macros/leersessie_aanbieders.sql
_PSEUDONIEM_ZOUT = "ketenmonitor-leersessie:"


def letters(i: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, ... (spreadsheet column names)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(ord("A") + r) + out
    return out


@st.cache_data(max_entries=16, show_spinner=False)
def _aanbieders(stamp: Stamp) -> list[tuple[str, str | None]]:
    """(AGB code, name) of every aanbieder the database can name (`stamp`: the file alone)."""
    frame = _fetch(stamp.bestand, PSEUDONIEM_MACRO, ())
    return [(str(code), naam) for code, naam in frame.select("aanbieder_agb", "naam").iter_rows()]


def pseudoniemen(stamp: Stamp) -> dict[str, str]:
    """AGB code -> "Aanbieder A", ... for the aanbieders of the database `stamp`. The order is that of a
    hash of the code: the same providers get the same letters in every run, snapshot and rebuild, and the
    letters say nothing about size or name."""
    codes = sorted({c for c, _n in _aanbieders(stamp.bestand)})
    codes.sort(key=lambda c: hashlib.sha256((_PSEUDONIEM_ZOUT + c).encode()).hexdigest())
    return {c: f"Aanbieder {letters(i)}" for i, c in enumerate(codes)}


def _vervangingen(stamp: Stamp) -> tuple[list[str], list[str]]:
    """Every way a provider is written in the data (name with code, 'AGB code', name, code), longest first,
    and its pseudonym."""
    namen = dict(_aanbieders(stamp.bestand))
    paren: dict[str, str] = {}
    for code, pseudoniem in pseudoniemen(stamp).items():
        naam = namen.get(code)
        vormen = [f"AGB {code}", code]
        if naam:
            vormen += [f"{naam} ({code})", naam]
        for vorm in vormen:
            paren.setdefault(vorm, pseudoniem)
    volgorde = sorted(paren, key=lambda v: (-len(v), v))
    return volgorde, [paren[v] for v in volgorde]


def _vervang_expr(expr: pl.Expr, dtype: Any, patronen: list[str], door: list[str]) -> pl.Expr | None:
    """`expr` with every provider replaced in its text values, also inside lists and structs (None: a
    type without text)."""
    if dtype == pl.String:
        return expr.str.replace_many(patronen, door, leftmost=True)
    if isinstance(dtype, pl.List):
        inner = _vervang_expr(pl.element(), dtype.inner, patronen, door)
        return None if inner is None else expr.list.eval(inner)
    if isinstance(dtype, pl.Struct):
        velden = [
            (f.name, _vervang_expr(expr.struct.field(f.name), f.dtype, patronen, door)) for f in dtype.fields
        ]
        if all(e is None for _n, e in velden):
            return None
        return (
            pl.when(expr.is_null())
            .then(None)
            .otherwise(
                pl.struct([(e if e is not None else expr.struct.field(n)).alias(n) for n, e in velden])
            )
        )
    return None


def pseudonimiseer(frame: pl.DataFrame, stamp: Stamp) -> pl.DataFrame:
    """`frame` with every aanbieder name and AGB code in its text values replaced by its pseudonym."""
    patronen, door = _vervangingen(stamp.bestand)
    if not patronen or frame.width == 0:
        return frame
    exprs = [
        e.alias(naam)
        for naam, dtype in frame.schema.items()
        if (e := _vervang_expr(pl.col(naam), dtype, patronen, door)) is not None
    ]
    return frame.with_columns(exprs) if exprs else frame


# -- the store: snapshots and annotations, read once per run -----------------------------------------------
@dataclass(frozen=True)
class Opslag:
    """What the store holds for this run: the snapshots (newest first) and the annotations (by date)."""

    momentopnamen: tuple[Snapshot, ...] = ()
    annotaties: tuple[Annotatie, ...] = ()
    fout: str | None = None  # the store could not be read (Dutch)


def _lees_opslag() -> Opslag:
    path = settings.store_path()
    if not path.exists():
        return Opslag()
    try:
        store = open_store(path)
        return Opslag(tuple(store.list_snapshots()), tuple(store.list_annotations()))
    except (StoreError, sqlite3.Error, OSError) as exc:
        return Opslag(fout=f"De opslag van momentopnamen en gebeurtenissen is niet te lezen: {exc}")


def lees_opslag(opnieuw: bool = False) -> Opslag:
    """The store as read in this run (read at the first call of a run: `opnieuw=True`; the router's
    filters do that), so no chart reads it again."""
    try:
        if not opnieuw and isinstance(gelezen := st.session_state.get(_OPSLAG), Opslag):
            return gelezen
        opslag = _lees_opslag()
        st.session_state[_OPSLAG] = opslag
    except Exception:  # no session
        return _lees_opslag()
    return opslag


ANNOTATIE_SCHEMA = {
    "id": pl.Int64,
    "datum": pl.Date,
    "titel": pl.String,
    "toelichting": pl.String,
    "soort": pl.String,
    "scope_soort": pl.String,
    "scope_code": pl.String,
}


def annotaties() -> pl.DataFrame:
    """The annotations of the store (this run's read) by date, with providers pseudonymised in a learning
    session like every other frame."""
    rows = [
        {
            "id": a.id,
            "datum": a.datum,
            "titel": a.titel,
            "toelichting": a.toelichting,
            "soort": a.soort,
            "scope_soort": a.scope_soort,
            "scope_code": a.scope_code,
        }
        for a in lees_opslag().annotaties
    ]
    frame = pl.DataFrame(rows, schema=ANNOTATIE_SCHEMA, orient="row")
    stamp = current_stamp()
    return pseudonimiseer(frame, stamp) if stamp.leersessie and frame.height else frame
