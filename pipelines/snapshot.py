"""Frozen snapshots: a named, dated, read-only copy of the figures of the live database, for a learning
session (`python -m pipelines snapshot --name ...`, `--list`, `--delete NAME`).

Public API (stable; the dashboard builds on it):

    make_snapshot(naam, *, db=None, store=None, directory=None, door=None, opmerking="") -> store.Snapshot
    list_snapshots(*, db=None, store=None) -> list[store.Snapshot]
    delete_snapshot(naam, *, db=None, store=None, door=None) -> store.Snapshot
    plan_snapshot(db) -> SnapshotPlan        # what a snapshot of `db` would hold (tests, the dashboard)
    slug(naam) -> str                        # the file stem of a name

`db` defaults to `settings.db_path()`, `store` to the store beside it (`settings.store_path(db)`),
`directory` to `settings.snapshot_dir(db)`, `door` to `settings.user_name()`. The returned `Snapshot`
record names the file (`bestand`); the dashboard opens it exactly like the live database.

Invariants:
- What a snapshot holds: the marts, the small reference relations and the relations at record level that
  the dashboard's table macros need (`REFERENCE_RELATIONS`, `RECORD_RELATIONS`, each with its reason), and
  the macros themselves. Never a `bron_*` table, never another staging or intermediate relation, never the
  load report or the quarantine, and no column saying where a record came from (`SOURCE_COLUMNS`: file,
  line, position): a table macro without parameters that reads one of those (the load-report
  and quarantine summaries, the unlinked registrations) is materialised: its result at snapshot time becomes
  the table `momentopname_<macro>` and the macro reads that. A macro with parameters that reads a relation a
  snapshot does not hold (the build-time iJw rules) is left out and named in the plan.
- The pseudonymised `client_id` stays in the marts that hold it: the macros count distinct children with it
  (and their cell keys with `kind_sleutel`). No other identifier exists in the database.
- Views of the live database become tables: a snapshot is self-contained.
- `build_info` is copied as is, so the app's version check (pipelines/contract.py) accepts a snapshot made
  with this model version, and refuses it after a model change, like the live database. The table
  `momentopname` names the snapshot, its peildatum and when it was made.
- The file is written beside its final name (`.<slug>.duckdb.tmp-<pid>`), made read-only (mode 0444) and
  linked into place with `os.link`, which never replaces an existing file: two makers of one name cannot
  overwrite each other. The metadata is recorded in the store after the file exists; when that fails the
  file is removed again. A rebuild of the live database never touches a snapshot.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from pipelines import contract, settings
from pipelines.sqltext import strip
from pipelines.store import Snapshot, Store, open_store

# Relations besides the marts that a snapshot holds, and why. Each is read by a dashboard table macro.
REFERENCE_RELATIONS: dict[str, str] = {
    "build_info": "the model version the app checks (pipelines/contract.py) and the source fingerprint",
    "codelijsten": "labels of code lists (no facts)",
    "organisaties": "names of gemeenten and aanbieders (no facts)",
    "peildatum": "the reference date of the build (one row)",
    "wachttijd_normen": "the waiting-time norm per niveau (from the config)",
    "wachttijd_klassen": "the histogram classes per niveau",
}
RECORD_RELATIONS: dict[str, str] = {
    "stroom_gebeurtenissen": "flow events per child: stromen_maand counts distinct children under any filter "
    "combination, which no mart holds",
    "factorscores": "factor scores per team member: caseload_factoren reads them; no mart at member grain exists",
}
# Where a record came from (file, line, position): left out of every copied relation, no macro reads it.
SOURCE_COLUMNS = ("bestand", "regel", "positie")
MATERIALISED_PREFIX = "momentopname_"
INFO_TABLE = "momentopname"
MAX_SLUG = 60

_IDENT = re.compile(r'(?<![.\w"])"?([a-z_][a-z0-9_]*)"?', re.I)
_ALIAS = re.compile(r"\bas\s+\"?[a-z_][a-z0-9_]*\"?", re.I)


class SnapshotError(Exception):
    """A snapshot cannot be made from this database (missing, another model version); the message is Dutch."""


@dataclass(frozen=True)
class SnapshotPlan:
    """What a snapshot of one database holds: tables copied (views among them become tables), macros
    copied as they are, macros materialised (name -> table) and macros left out."""

    tables: tuple[str, ...]
    views: tuple[str, ...]
    macros: tuple[str, ...]
    materialised: dict[str, str]
    left_out: tuple[str, ...]


def slug(naam: str) -> str:
    """The file stem of a snapshot name: lower-case ASCII letters, digits and '-'."""
    ascii_ = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:MAX_SLUG].strip("-")
    if not stem:
        raise ValueError(f"De naam {naam!r} moet letters of cijfers bevatten.")
    return stem


def _sql_string(text: str) -> str:
    return text.replace("'", "''")


def _reads(definition: str, names: set[str]) -> set[str]:
    """Relation and macro names a macro definition mentions (not as a qualified column or an alias)."""
    text = _ALIAS.sub(" ", strip(definition))
    return {m.group(1).lower() for m in _IDENT.finditer(text)} & names


def _marts() -> set[str]:
    """The mart names: the stems of sql/marts/ (the runner's layer; not imported, see pipelines/sqltext.py)."""
    return {p.stem for p in (settings.SQL_DIR / "marts").glob("*.sql")}


def _plan(con: duckdb.DuckDBPyConnection, catalog: str) -> SnapshotPlan:
    tables = {
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = ? and schema_name = 'main'",
            [catalog],
        ).fetchall()
    }
    views = {
        r[0]
        for r in con.execute(
            "select view_name from duckdb_views() where database_name = ? and schema_name = 'main' and not internal",
            [catalog],
        ).fetchall()
    }
    macros: dict[str, tuple[str, int]] = {}
    for name, kind, params, definition in con.execute(
        "select function_name, function_type, parameters, macro_definition from duckdb_functions()"
        " where database_name = ? and schema_name = 'main' and function_type in ('macro', 'table_macro')",
        [catalog],
    ).fetchall():
        macros[name] = (definition or "", len(params))
        if kind == "macro":
            macros[name] = (definition or "", -1)  # scalar
    relations = tables | views
    keep = relations & (_marts() | set(REFERENCE_RELATIONS) | set(RECORD_RELATIONS))
    direct = {m: _reads(d, relations | set(macros)) - {m} for m, (d, _n) in macros.items()}

    def closure(m: str, seen: frozenset[str] = frozenset()) -> set[str]:
        out = set()
        for dep in direct[m]:
            if dep in macros:
                if dep not in seen:
                    out |= closure(dep, seen | {m})
            else:
                out.add(dep)
        return out

    copied, materialised, left_out = [], {}, []
    for m in sorted(macros):
        definition, n_params = macros[m]
        if closure(m) <= keep:
            copied.append(m)
        elif n_params == 0:
            materialised[m] = MATERIALISED_PREFIX + m
        else:
            left_out.append(m)
    return SnapshotPlan(
        tables=tuple(sorted(keep & tables)),
        views=tuple(sorted(keep & views)),
        macros=tuple(copied),
        materialised=materialised,
        left_out=tuple(left_out),
    )


def _connect_live(db: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with `db` attached read-only as `live`, after the app's version check."""
    if not db.exists():
        raise SnapshotError(f"Er is geen database op {db}; bouw die eerst.")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"set memory_limit = '{settings.duckdb_memory()}'")
        con.execute(f"set threads = {settings.duckdb_threads()}")
        con.execute(f"attach '{_sql_string(str(db))}' as live (read_only)")
        con.execute("use live")
        problem = contract.version_problem(db, contract.read_model_version(con))
    except duckdb.Error as exc:
        con.close()
        raise SnapshotError(f"De database {db} kan niet worden geopend: {exc}") from exc
    if problem is not None:
        con.close()
        raise SnapshotError(problem)
    return con


def plan_snapshot(db: Path | None = None) -> SnapshotPlan:
    """What a snapshot of the database `db` (default settings.db_path()) would hold."""
    con = _connect_live(Path(db) if db is not None else settings.db_path())
    try:
        return _plan(con, "live")
    finally:
        con.close()


def _read_peildatum(con: duckdb.DuckDBPyConnection) -> date | None:
    try:
        rows = con.execute("select peildatum from live.main.peildatum").fetchall()
    except duckdb.Error:
        return None
    value = rows[0][0] if rows else None
    return value if isinstance(value, date) else None


def _write_copy(con: duckdb.DuckDBPyConnection, target: Path, naam: str, gemaakt: datetime) -> date | None:
    """Write the snapshot of `live` into the new file `target`; returns the peildatum."""
    plan = _plan(con, "live")
    peildatum = _read_peildatum(con)
    con.execute(f"attach '{_sql_string(str(target))}' as snap")
    try:
        con.execute("copy from database live to snap (schema)")  # every table (empty), view and macro
        for (view,) in con.execute(
            "select view_name from duckdb_views() where database_name = 'snap' and not internal"
        ).fetchall():
            con.execute(f'drop view snap.main."{view}"')
        for (table,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'snap'"
        ).fetchall():
            if table not in plan.tables:
                con.execute(f'drop table snap.main."{table}"')
        for name in plan.tables + plan.views:
            columns = [r[0] for r in con.execute(f'describe live.main."{name}"').fetchall()]
            dropped = [c for c in SOURCE_COLUMNS if c in columns]
            select = f"select * exclude ({', '.join(dropped)})" if dropped else "select *"
            if name in plan.views:
                con.execute(f'create table snap.main."{name}" as {select} from live.main."{name}"')
                continue
            for column in dropped:
                con.execute(f'alter table snap.main."{name}" drop column "{column}"')
            con.execute(f'insert into snap.main."{name}" {select} from live.main."{name}"')
        for macro, table in plan.materialised.items():
            # `use live`: a macro body binds its relations in the default catalog
            con.execute(f'create table snap.main."{table}" as select * from "{macro}"()')
        con.execute("use snap")
        for macro, table in plan.materialised.items():
            con.execute(f'create or replace macro snap.main."{macro}"() as table select * from "{table}"')
        for macro in plan.left_out:
            con.execute(f'drop macro table snap.main."{macro}"')
        con.execute(
            f'create table snap.main."{INFO_TABLE}" as select $naam as naam, $peildatum::date as peildatum,'
            " $gemaakt::timestamp as aangemaakt_op_utc, $versie as model_version",
            {
                "naam": naam,
                "peildatum": peildatum,
                "gemaakt": gemaakt.astimezone(UTC).replace(tzinfo=None),
                "versie": contract.MODEL_VERSION,
            },
        )
        con.execute("checkpoint snap")
    finally:
        con.execute("use memory")
        con.execute("detach snap")
    return peildatum


def _resolve(db: Path | None, store: Store | None) -> tuple[Path, Store]:
    db = Path(db).expanduser().absolute() if db is not None else settings.db_path().absolute()
    return db, store if store is not None else open_store(settings.store_path(db))


def make_snapshot(
    naam: str,
    *,
    db: Path | None = None,
    store: Store | None = None,
    directory: Path | None = None,
    door: str | None = None,
    opmerking: str = "",
) -> Snapshot:
    """Freeze the figures of `db` as the snapshot `naam`; returns its record in the store.

    ValueError (Dutch) for a bad or taken name; SnapshotError when `db` is missing or of another model
    version."""
    if not isinstance(naam, str) or not naam.strip():
        raise ValueError("De naam van een momentopname is leeg.")
    naam = naam.strip()
    stem = slug(naam)
    db, store = _resolve(db, store)
    door = door or settings.user_name()
    if store.get_snapshot(naam) is not None:
        raise ValueError(f"Er bestaat al een momentopname met de naam {naam!r}.")
    folder = Path(directory) if directory is not None else settings.snapshot_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{stem}.duckdb"
    if final.exists():
        raise ValueError(
            f"Er bestaat al een momentopname met het bestand {final.name} (naam {naam!r} of een gelijke)."
        )
    tmp = folder / f".{stem}.duckdb.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    gemaakt = datetime.now(UTC)
    con = _connect_live(db)
    try:
        peildatum = _write_copy(con, tmp, naam, gemaakt)
        tmp.chmod(0o444)
        try:
            os.link(tmp, final)  # never replaces: a second maker of the same name fails here
        except FileExistsError as exc:
            raise ValueError(f"Er bestaat al een momentopname met het bestand {final.name}.") from exc
    finally:
        con.close()
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    _fsync_dir(folder)
    try:
        return store.record_snapshot(
            naam, peildatum, str(final), contract.MODEL_VERSION, door, opmerking=opmerking
        )
    except BaseException:
        final.unlink(missing_ok=True)
        raise


def list_snapshots(*, db: Path | None = None, store: Store | None = None) -> list[Snapshot]:
    """The snapshots recorded in the store (not deleted), newest first."""
    return _resolve(db, store)[1].list_snapshots()


def delete_snapshot(
    naam: str, *, db: Path | None = None, store: Store | None = None, door: str | None = None
) -> Snapshot:
    """Delete the snapshot `naam`: marked deleted in the store (notes made on it stay), its file removed."""
    _db, store = _resolve(db, store)
    record = store.delete_snapshot(naam, door or settings.user_name())
    Path(record.bestand).unlink(missing_ok=True)
    return record


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
