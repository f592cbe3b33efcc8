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
- The view (`Zicht`, pipelines/toegang.py: the user's role, part of the stamp) is enforced here, for every
  frame any page, download or report receives, whatever route asked for it: rows of a team outside the
  view's teams are dropped (the column `team_code`), a macro asked for such a team (`p_team`) or a list per
  child (a person-id column) outside the view raises `Geweigerd`; providers are pseudonymised except the
  view's own organisation (`eigen`), which keeps its name.
- The store (pipelines/store.py: snapshots, annotations) is read once per run (`lees_opslag`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from dashboard import timing
from pipelines import contract, settings
from pipelines.store import Annotatie, Snapshot, StoreError, open_store
from pipelines.toegang import PER_KIND_KOLOMMEN, TEAM_KOLOM, TEAM_PARAMETER, VOLLEDIG, Geweigerd, Zicht

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class DataNotAvailable(Exception):
    """No usable database: the message (Dutch) says what to do."""


@dataclass(frozen=True)
class Stamp:
    """The identity of what a query answers from: the database file (path and stamp) and the view
    (`zicht`: the role's teams, lists per child, providers pseudonymised). Every cache of query results is
    keyed on it."""

    path: str
    inode: int
    mtime_ns: int
    size: int
    zicht: Zicht = VOLLEDIG

    @property
    def bestand(self) -> Stamp:
        """The file alone (the connection and the raw results do not depend on the view)."""
        return self if self.zicht.is_volledig else replace(self, zicht=VOLLEDIG)

    @property
    def leersessie(self) -> bool:
        """Providers appear under pseudonyms (all of them, or all but the view's own organisation)."""
        return self.zicht.pseudoniemen


@dataclass(frozen=True)
class Bron:
    """The run's choice: a snapshot (`momentopname`, its file) or the live database (None), and the view
    (`zicht`, from the user's role and the learning-session toggle)."""

    momentopname: Snapshot | None = None
    zicht: Zicht = VOLLEDIG

    @property
    def leersessie(self) -> bool:
        return self.zicht.pseudoniemen


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
    return Stamp(str(path), st_.st_ino, st_.st_mtime_ns, st_.st_size, bron.zicht)


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
    if not stamp.zicht.is_volledig:  # the file's own answer, in the view
        return _in_zicht(stamp, macro, params)
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


def _in_zicht(stamp: Stamp, macro: str, params: tuple[tuple[str, object], ...]) -> pl.DataFrame:
    """The answer of `macro` in the view of `stamp`: refused for another team or a list per child outside the
    view, other teams' rows dropped, providers pseudonymised (parameters translated back to codes first)."""
    zicht = stamp.zicht
    team = dict(params).get(TEAM_PARAMETER)
    if isinstance(team, str) and not zicht.mag_team(team):
        raise Geweigerd(f"de cijfers van team {team} horen niet bij uw rol")
    if zicht.pseudoniemen:
        terug = {p: c for c, p in pseudoniemen(stamp).items()}
        params = tuple((k, terug.get(v, v) if isinstance(v, str) else v) for k, v in params)
    frame = _fetch(stamp.bestand, macro, params)
    if not zicht.per_kind and PER_KIND_KOLOMMEN & set(frame.columns):
        raise Geweigerd("lijsten per kind ziet alleen de contractmanager")
    if zicht.teams is not None and TEAM_KOLOM in frame.columns:
        frame = frame.filter(pl.col(TEAM_KOLOM).is_in(list(zicht.teams)))
    return pseudonimiseer(frame, stamp) if zicht.pseudoniemen else frame


# -- learning-session pseudonyms ---------------------------------------------------------------------------
PSEUDONIEM_MACRO = "leersessie_aanbieders"  # sql/macros/leersessie_aanbieders.sql


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
    """(AGB code, name) of every aanbieder the database can name (`stamp`: the file alone), in the order of
    their pseudonyms (a hash keyed with the build's secret salt, build_info.schuilnaam_zout)."""
    frame = _fetch(stamp.bestand, PSEUDONIEM_MACRO, ()).sort("volgorde", "aanbieder_agb")
    return [(str(code), naam) for code, naam in frame.select("aanbieder_agb", "naam").iter_rows()]


def pseudoniemen(stamp: Stamp) -> dict[str, str]:
    """AGB code -> "Aanbieder A", ... for the aanbieders of the database `stamp`. The order is that of a
    hash of the code keyed with the build's secret salt: the same providers get the same letters in every
    run, snapshot and rebuild with the same regional key, the letters say nothing about size or name, and
    nobody can derive them from the public AGB codes. The view's own organisation (`zicht.eigen`) keeps its
    name: it has no pseudonym here, and the others keep their letters."""
    codes = list(dict.fromkeys(c for c, _n in _aanbieders(stamp.bestand)))
    return {c: f"Aanbieder {letters(i)}" for i, c in enumerate(codes) if c != stamp.zicht.eigen}


def _vervangingen(stamp: Stamp) -> tuple[list[str], list[str]]:
    """Every way a provider is written in the data (name with code, 'AGB code', name, the name without a
    closing remark in brackets, code), longest first, and its pseudonym."""
    namen = dict(_aanbieders(stamp.bestand))
    paren: dict[str, str] = {}
    for code, pseudoniem in pseudoniemen(stamp).items():
        naam = namen.get(code)
        vormen = [f"AGB {code}", code]
        if naam:
            vormen += [f"{naam} ({code})", naam]
            # "Jeugdbescherming Duinland (GI)": its team is "Jeugdbescherming Duinland" (with the team type)
            kern = re.sub(r"\s*\([^)]*\)$", "", naam)
            if kern != naam and len(kern) >= 8:
                vormen.append(kern)
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
    patronen, door = _vervangingen(stamp)
    if not patronen or frame.width == 0:
        return frame
    exprs = [
        e.alias(naam)
        for naam, dtype in frame.schema.items()
        if (e := _vervang_expr(pl.col(naam), dtype, patronen, door)) is not None
    ]
    return frame.with_columns(exprs) if exprs else frame


def echte_waarde(waarde: str) -> str:
    """A value as the store and the macros know it: in the learning-session mode a pseudonym ("Aanbieder A",
    from a filter or a picker) becomes its AGB code again; anything else is returned as it is."""
    stamp = current_stamp()
    if not stamp.leersessie or not waarde.startswith("Aanbieder "):
        return waarde
    return {p: c for c, p in pseudoniemen(stamp).items()}.get(waarde, waarde)


def tekst_pseudonimiseerder(stamp: Stamp | None = None) -> Callable[[str], str]:
    """A function that pseudonymises the providers in a text (a note, the definitions) as the view of `stamp`
    (default: this run's) does, and needs no Streamlit when called (a report's download thread); the
    identity when the view names every provider."""
    stamp = stamp or current_stamp()
    if not stamp.leersessie:
        return lambda tekst: tekst
    patronen, door = _vervangingen(stamp)
    vervang = _vervang_expr(pl.first(), pl.String, patronen, door)  # the replacement every frame gets

    def pseudo(tekst: str) -> str:
        return str(pl.select(pl.lit(tekst, dtype=pl.String)).select(vervang).item())

    return pseudo


def pseudonimiseer_tekst(tekst: str, stamp: Stamp | None = None) -> str:
    """`tekst` (a page's own text, e.g. the definitions, or a note) with the providers pseudonymised when the
    view of `stamp` (default: this run's) pseudonymises them; as it is otherwise."""
    return tekst_pseudonimiseerder(stamp)(tekst)


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


def annotaties_in_zicht() -> tuple[Annotatie, ...]:
    """The store's annotations (this run's read) as this run's view shows them: those of a team outside the
    view dropped, providers pseudonymised in the title, the explanation and the scope. Every page, download
    and report takes them from here."""
    stamp = current_stamp()
    alle = lees_opslag().annotaties
    zicht = stamp.zicht
    if zicht.teams is not None:  # another team's annotations are that team's business
        alle = tuple(a for a in alle if a.scope_soort != "team" or a.scope_code in zicht.teams)
    if not zicht.pseudoniemen or not alle:
        return alle
    pseudo = tekst_pseudonimiseerder(stamp)
    return tuple(
        replace(
            a,
            titel=pseudo(a.titel),
            toelichting=pseudo(a.toelichting),
            scope_code=None if a.scope_code is None else pseudo(a.scope_code),
        )
        for a in alle
    )


def annotaties() -> pl.DataFrame:
    """The annotations of this run's view (`annotaties_in_zicht`) by date, as a frame."""
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
        for a in annotaties_in_zicht()
    ]
    return pl.DataFrame(rows, schema=ANNOTATIE_SCHEMA, orient="row")
