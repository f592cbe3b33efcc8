"""The store: notes, annotations, snapshot metadata and audit entries, in a small transactional database
of their own (SQLite in WAL mode), separate from the warehouse that every build replaces.

Public API (stable; the dashboard builds on it):

    store = open_store(path=None)              # settings.store_path(): KETENMONITOR_STORE or beside the DB
    store.add_annotation(datum, titel, toelichting, soort, door, *, is_herberekening=False,
                         scope_soort=None, scope_code=None) -> Annotatie
    store.list_annotations(*, scope_soort=None, scope_code=None, van=None, tot=None,
                           met_verwijderd=False) -> list[Annotatie]
    store.delete_annotation(annotatie_id, door) -> Annotatie          # soft delete (verwijderd = True)
    store.save_note(grafiek, vraag, tekst, auteur, *, snapshot_id=None) -> Notitie   # a new version
    store.list_notes(*, snapshot_id=None, grafiek=None) -> list[Notitie]             # latest version each
    store.note_history(grafiek, vraag, *, snapshot_id=None) -> list[Notitie]          # every version, oldest first
    store.record_snapshot(naam, peildatum, bestand, model_version, door, *, opmerking="") -> Snapshot
    store.get_snapshot(naam) -> Snapshot | None
    store.list_snapshots(*, met_verwijderd=False) -> list[Snapshot]                  # newest first
    store.delete_snapshot(naam, door) -> Snapshot                     # soft delete; the file is snapshot.py's
    store.write_audit(wie, actie, onderwerp) -> None
    store.list_audit(*, limit=1000) -> list[AuditRegel]               # newest first
    ensure_schema(path, *, target=SCHEMA_VERSION) -> int; schema_version(path) -> int

Records are frozen dataclasses (`Annotatie`, `Notitie`, `Snapshot`, `AuditRegel`) with dates as `date` and
times as timezone-aware UTC `datetime`. Labels: `VRAGEN` (the five NJi questions by number 1..5), `SOORTEN`
(kinds of annotation), `SCOPES` (what an annotation may be limited to). `door`/`auteur`/`wie` is the user's
name as the caller knows it (`settings.user_name()` on the command line). A chart key (`grafiek`) is letters,
digits and `_.:/-`, chosen by the dashboard.

Invariants:
- One SQLite connection per operation (`Store._open`), so a `Store` may be shared by threads and
  processes; WAL mode lets readers run beside one writer, `busy_timeout` makes a writer wait for another
  instead of failing. Writes start with `BEGIN IMMEDIATE` (the write lock is taken at once, so two writers
  never deadlock on a lock upgrade) and `synchronous = FULL` (a committed write survives a power cut).
- Every write also writes its audit entry, in the same transaction: both are stored or neither.
- Audit entries name who did what to which object (`annotatie 12`, `momentopname 'x'`); never the text of a
  note and never a figure about children.
- Notes keep their history: a save inserts a new version; the latest version (highest id) of a
  (snapshot, grafiek, vraag) wins. Annotations and snapshots are soft-deleted (the row stays, flagged).
- The schema has a version (`PRAGMA user_version`) and ordered migrations (`MIGRATIONS[i]` takes version
  i to i + 1), applied by `ensure_schema` in one transaction; a store of a newer version is refused.
- Bad input raises ValueError with a Dutch message (the dashboard may show it as is).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines import settings

# The five questions of the NJi handreiking (seed 001), asked of any figure in a learning session.
VRAGEN: dict[int, str] = {
    1: "Herkennen we het beeld?",
    2: "Hoe verklaren we het?",
    3: "Wat vinden we ervan?",
    4: "Wat betekent dit voor onze situatie?",
    5: "Welke informatie geeft dit voor een verantwoorde caseload?",
}

# Kinds of annotation (dated events) and the dimensions an annotation may be limited to.
SOORTEN: dict[str, str] = {
    "contract": "Nieuw contract",
    "registratie": "Andere registratie",
    "trendbreuk": "Trendbreuk",
    "overig": "Overig",
}
SCOPES: dict[str, str] = {
    "gemeente": "Gemeente",
    "aanbieder": "Aanbieder",
    "categorie": "Productcategorie",
    "team": "Team",
}

BUSY_TIMEOUT_MS = 30_000
MAX_TITEL = 200
MAX_TEKST = 20_000
MAX_NAAM = 100
_KEY = re.compile(r"^[A-Za-z0-9_.:/-]{1,200}$")
_ACTIE = re.compile(r"^[a-z][a-z_]{0,59}$")

# MIGRATIONS[i] brings a store of schema version i to version i + 1. Append; never edit a released step.
MIGRATIONS: list[tuple[str, ...]] = [
    # 0 -> 1: the four tables
    (
        """create table snapshots (
            id integer primary key autoincrement,
            naam text not null,
            peildatum text,
            aangemaakt_op text not null,
            aangemaakt_door text not null,
            bestand text not null,
            model_version integer not null,
            opmerking text not null default '',
            verwijderd_op text
        )""",
        """create table annotaties (
            id integer primary key autoincrement,
            datum text not null,
            titel text not null,
            toelichting text not null default '',
            soort text not null,
            is_herberekening integer not null default 0 check (is_herberekening in (0, 1)),
            scope_soort text,
            scope_code text,
            aangemaakt_door text not null,
            aangemaakt_op text not null,
            verwijderd integer not null default 0 check (verwijderd in (0, 1)),
            check ((scope_soort is null) = (scope_code is null))
        )""",
        """create table notities (
            id integer primary key autoincrement,
            snapshot_id integer,
            grafiek text not null,
            vraag integer not null check (vraag between 1 and 5),
            tekst text not null,
            auteur text not null,
            tijd text not null
        )""",
        """create table audit (
            id integer primary key autoincrement,
            tijd text not null,
            wie text not null,
            actie text not null,
            onderwerp text not null
        )""",
    ),
    # 1 -> 2: indexes for the list queries, and one live snapshot per name
    (
        "create unique index snapshots_naam on snapshots (naam) where verwijderd_op is null",
        "create index notities_sleutel on notities (snapshot_id, grafiek, vraag, id)",
        "create index annotaties_datum on annotaties (datum)",
        "create index audit_tijd on audit (tijd)",
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Annotatie:
    id: int
    datum: date
    titel: str
    toelichting: str
    soort: str
    is_herberekening: bool  # a rebase point: SPC limits are recalculated from this date on
    scope_soort: str | None  # None: applies to every chart; else one of SCOPES
    scope_code: str | None
    aangemaakt_door: str
    aangemaakt_op: datetime
    verwijderd: bool


@dataclass(frozen=True)
class Notitie:
    id: int
    snapshot_id: int | None  # None: a note on the live database
    grafiek: str
    vraag: int  # 1..5, a key of VRAGEN
    tekst: str
    auteur: str
    tijd: datetime


@dataclass(frozen=True)
class Snapshot:
    id: int
    naam: str
    peildatum: date | None
    aangemaakt_op: datetime
    aangemaakt_door: str
    bestand: str
    model_version: int
    opmerking: str
    verwijderd_op: datetime | None


@dataclass(frozen=True)
class AuditRegel:
    id: int
    tijd: datetime
    wie: str
    actie: str
    onderwerp: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _text(value: object, veld: str, maximum: int, *, leeg: bool = False) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{veld} moet tekst zijn.")
    text = value.strip()
    if not text and not leeg:
        raise ValueError(f"{veld} is leeg.")
    if len(text) > maximum:
        raise ValueError(f"{veld} is te lang (hoogstens {maximum} tekens).")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise ValueError(f"{veld} bevat ongeldige tekens.")
    return text


def _name(value: object, veld: str) -> str:
    text = _text(value, veld, MAX_NAAM)
    if "\n" in text or "\t" in text:
        raise ValueError(f"{veld} moet op één regel staan.")
    return text


def _date(value: object, veld: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{veld} moet een datum zijn (geen tijdstip).")
    return value


def _int(value: object, veld: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{veld} moet een geheel getal zijn.")
    return value


def _key(value: object, veld: str) -> str:
    if not isinstance(value, str) or not _KEY.match(value):
        raise ValueError(
            f"{veld} moet een sleutel zijn van letters, cijfers en _.:/- (hoogstens 200 tekens)."
        )
    return value


def _vraag(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in VRAGEN:
        raise ValueError(f"vraag moet een van {', '.join(map(str, VRAGEN))} zijn, niet {value!r}.")
    return value


def _annotation(row: sqlite3.Row) -> Annotatie:
    return Annotatie(
        id=row["id"],
        datum=date.fromisoformat(row["datum"]),
        titel=row["titel"],
        toelichting=row["toelichting"],
        soort=row["soort"],
        is_herberekening=bool(row["is_herberekening"]),
        scope_soort=row["scope_soort"],
        scope_code=row["scope_code"],
        aangemaakt_door=row["aangemaakt_door"],
        aangemaakt_op=datetime.fromisoformat(row["aangemaakt_op"]),
        verwijderd=bool(row["verwijderd"]),
    )


def _note(row: sqlite3.Row) -> Notitie:
    return Notitie(
        id=row["id"],
        snapshot_id=row["snapshot_id"],
        grafiek=row["grafiek"],
        vraag=row["vraag"],
        tekst=row["tekst"],
        auteur=row["auteur"],
        tijd=datetime.fromisoformat(row["tijd"]),
    )


def _snapshot(row: sqlite3.Row) -> Snapshot:
    return Snapshot(
        id=row["id"],
        naam=row["naam"],
        peildatum=date.fromisoformat(row["peildatum"]) if row["peildatum"] else None,
        aangemaakt_op=datetime.fromisoformat(row["aangemaakt_op"]),
        aangemaakt_door=row["aangemaakt_door"],
        bestand=row["bestand"],
        model_version=row["model_version"],
        opmerking=row["opmerking"],
        verwijderd_op=datetime.fromisoformat(row["verwijderd_op"]) if row["verwijderd_op"] else None,
    )


def _audit(row: sqlite3.Row) -> AuditRegel:
    return AuditRegel(
        id=row["id"],
        tijd=datetime.fromisoformat(row["tijd"]),
        wie=row["wie"],
        actie=row["actie"],
        onderwerp=row["onderwerp"],
    )


@dataclass
class _Transaction:
    con: sqlite3.Connection
    onderwerp: str


class StoreError(Exception):
    """The store cannot be used (a newer schema version, not a SQLite file); the message is Dutch."""


class Store:
    """A handle on the store file; holds only its path (no open connection), so it is safe to share."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    # -- connections -------------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        con.execute("pragma synchronous = full")
        return con

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        con = self._open()
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def _write(self, wie: str, actie: str, onderwerp: str = "") -> Iterator[_Transaction]:
        """One write transaction (`BEGIN IMMEDIATE`) that ends with its audit entry, or rolls back. The body
        may set `tx.onderwerp` once it knows it (the id of a new row)."""
        con = self._open()
        tx = _Transaction(con, onderwerp)
        try:
            con.execute("begin immediate")
            try:
                yield tx
                if not tx.onderwerp:
                    raise RuntimeError("a write names its subject for the audit")
                con.execute(
                    "insert into audit (tijd, wie, actie, onderwerp) values (?, ?, ?, ?)",
                    (_now(), wie, actie, tx.onderwerp),
                )
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
        finally:
            con.close()

    # -- annotations -------------------------------------------------------------------------------------
    def add_annotation(
        self,
        datum: date,
        titel: str,
        toelichting: str,
        soort: str,
        door: str,
        *,
        is_herberekening: bool = False,
        scope_soort: str | None = None,
        scope_code: str | None = None,
    ) -> Annotatie:
        """Add a dated event; `scope_soort`/`scope_code` limit it to one gemeente, aanbieder, ... (both or
        neither); `is_herberekening` marks it as a point from which SPC limits are recalculated."""
        datum = _date(datum, "datum")
        titel = _name(titel, "titel")
        toelichting = _text(toelichting, "toelichting", MAX_TEKST, leeg=True)
        if soort not in SOORTEN:
            raise ValueError(f"soort moet een van {', '.join(SOORTEN)} zijn, niet {soort!r}.")
        door = _name(door, "door")
        if not isinstance(is_herberekening, bool):
            raise ValueError("is_herberekening moet waar of onwaar zijn.")
        if (scope_soort is None) != (scope_code is None):
            raise ValueError(
                "geef bij een beperkte annotatie zowel scope_soort als scope_code op (of geen van beide)."
            )
        if scope_soort is not None:
            if scope_soort not in SCOPES:
                raise ValueError(f"scope_soort moet een van {', '.join(SCOPES)} zijn, niet {scope_soort!r}.")
            scope_code = _name(scope_code, "scope_code")
        with self._write(door, "annotatie_toegevoegd") as tx:
            row = tx.con.execute(
                "insert into annotaties (datum, titel, toelichting, soort, is_herberekening, scope_soort,"
                " scope_code, aangemaakt_door, aangemaakt_op) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning *",
                (
                    datum.isoformat(),
                    titel,
                    toelichting,
                    soort,
                    int(is_herberekening),
                    scope_soort,
                    scope_code,
                    door,
                    _now(),
                ),
            ).fetchall()[0]
            tx.onderwerp = f"annotatie {row['id']}"
        return _annotation(row)

    def list_annotations(
        self,
        *,
        scope_soort: str | None = None,
        scope_code: str | None = None,
        van: date | None = None,
        tot: date | None = None,
        met_verwijderd: bool = False,
    ) -> list[Annotatie]:
        """Annotations by date (then id). With a scope: those for every chart plus those of that scope
        (`scope_soort` alone: all of that kind). `van`/`tot` bound the date (inclusive)."""
        where = ["1 = 1"]
        params: list[object] = []
        if not met_verwijderd:
            where.append("verwijderd = 0")
        if scope_soort is not None:
            if scope_soort not in SCOPES:
                raise ValueError(f"scope_soort moet een van {', '.join(SCOPES)} zijn, niet {scope_soort!r}.")
            if scope_code is None:
                where.append("(scope_soort is null or scope_soort = ?)")
                params.append(scope_soort)
            else:
                where.append("(scope_soort is null or (scope_soort = ? and scope_code = ?))")
                params += [scope_soort, scope_code]
        elif scope_code is not None:
            raise ValueError("scope_code zonder scope_soort.")
        if van is not None:
            where.append("datum >= ?")
            params.append(_date(van, "van").isoformat())
        if tot is not None:
            where.append("datum <= ?")
            params.append(_date(tot, "tot").isoformat())
        with self._read() as con:
            rows = con.execute(
                f"select * from annotaties where {' and '.join(where)} order by datum, id", params
            ).fetchall()
        return [_annotation(r) for r in rows]

    def delete_annotation(self, annotatie_id: int, door: str) -> Annotatie:
        """Soft-delete an annotation (it stays in the store, flagged); ValueError when there is none."""
        annotatie_id = _int(annotatie_id, "annotatie_id")
        door = _name(door, "door")
        with self._write(door, "annotatie_verwijderd", f"annotatie {annotatie_id}") as tx:
            row = tx.con.execute(
                "update annotaties set verwijderd = 1 where id = ? and verwijderd = 0 returning *",
                (annotatie_id,),
            ).fetchall()
            if not row:
                raise ValueError(f"Er is geen annotatie {annotatie_id} (of ze is al verwijderd).")
        return _annotation(row[0])

    # -- notes -------------------------------------------------------------------------------------------
    def save_note(
        self, grafiek: str, vraag: int, tekst: str, auteur: str, *, snapshot_id: int | None = None
    ) -> Notitie:
        """Save a note on question `vraag` (1..5, VRAGEN) beside chart `grafiek` (a chart key), for the
        snapshot `snapshot_id` (None: the live database). A save adds a version; an empty text clears."""
        grafiek = _key(grafiek, "grafiek")
        vraag = _vraag(vraag)
        tekst = _text(tekst, "tekst", MAX_TEKST, leeg=True)
        auteur = _name(auteur, "auteur")
        if snapshot_id is not None:
            snapshot_id = _int(snapshot_id, "snapshot_id")
        with self._write(auteur, "notitie_opgeslagen") as tx:
            if (
                snapshot_id is not None
                and not tx.con.execute(
                    "select 1 from snapshots where id = ? and verwijderd_op is null", (snapshot_id,)
                ).fetchall()
            ):
                raise ValueError(f"Er is geen momentopname met id {snapshot_id}.")
            row = tx.con.execute(
                "insert into notities (snapshot_id, grafiek, vraag, tekst, auteur, tijd)"
                " values (?, ?, ?, ?, ?, ?) returning *",
                (snapshot_id, grafiek, vraag, tekst, auteur, _now()),
            ).fetchall()[0]
            tx.onderwerp = (
                f"notitie {row['id']} (grafiek {grafiek}, vraag {vraag}, "
                f"{'live' if snapshot_id is None else f'momentopname {snapshot_id}'})"
            )
        return _note(row)

    def list_notes(self, *, snapshot_id: int | None = None, grafiek: str | None = None) -> list[Notitie]:
        """The latest version of every note of a snapshot (None: the live database), optionally of one
        chart; ordered by chart and question. A note whose latest version is empty is left out."""
        where = ["snapshot_id is ?"]
        params: list[object] = [snapshot_id]
        if grafiek is not None:
            where.append("grafiek = ?")
            params.append(_key(grafiek, "grafiek"))
        with self._read() as con:
            rows = con.execute(
                f"""select n.* from notities as n
                    join (select max(id) as id from notities where {" and ".join(where)}
                          group by grafiek, vraag) as laatste on laatste.id = n.id
                    where n.tekst != ''
                    order by n.grafiek, n.vraag""",
                params,
            ).fetchall()
        return [_note(r) for r in rows]

    def note_history(self, grafiek: str, vraag: int, *, snapshot_id: int | None = None) -> list[Notitie]:
        """Every saved version of one note, oldest first."""
        with self._read() as con:
            rows = con.execute(
                "select * from notities where snapshot_id is ? and grafiek = ? and vraag = ? order by id",
                (snapshot_id, _key(grafiek, "grafiek"), _vraag(vraag)),
            ).fetchall()
        return [_note(r) for r in rows]

    # -- snapshots ---------------------------------------------------------------------------------------
    def record_snapshot(
        self,
        naam: str,
        peildatum: date | None,
        bestand: str,
        model_version: int,
        door: str,
        *,
        opmerking: str = "",
    ) -> Snapshot:
        """Record the metadata of a snapshot file (pipelines/snapshot.py writes the file first). A name in
        use by a snapshot that is not deleted is a ValueError."""
        naam = _name(naam, "naam")
        if peildatum is not None:
            peildatum = _date(peildatum, "peildatum")
        bestand = _text(bestand, "bestand", 4096)
        model_version = _int(model_version, "model_version")
        door = _name(door, "door")
        opmerking = _text(opmerking, "opmerking", MAX_TEKST, leeg=True)
        try:
            with self._write(door, "momentopname_gemaakt", f"momentopname {naam!r}") as tx:
                row = tx.con.execute(
                    "insert into snapshots (naam, peildatum, aangemaakt_op, aangemaakt_door, bestand,"
                    " model_version, opmerking) values (?, ?, ?, ?, ?, ?, ?) returning *",
                    (
                        naam,
                        peildatum.isoformat() if peildatum else None,
                        _now(),
                        door,
                        bestand,
                        model_version,
                        opmerking,
                    ),
                ).fetchall()[0]
        except sqlite3.IntegrityError as exc:
            raise ValueError(f"Er bestaat al een momentopname met de naam {naam!r}.") from exc
        return _snapshot(row)

    def get_snapshot(self, naam: str) -> Snapshot | None:
        """The snapshot (not deleted) of that name, or None."""
        with self._read() as con:
            rows = con.execute(
                "select * from snapshots where naam = ? and verwijderd_op is null", (naam,)
            ).fetchall()
        return _snapshot(rows[0]) if rows else None

    def list_snapshots(self, *, met_verwijderd: bool = False) -> list[Snapshot]:
        """Snapshots, newest first."""
        where = "" if met_verwijderd else "where verwijderd_op is null"
        with self._read() as con:
            rows = con.execute(f"select * from snapshots {where} order by id desc").fetchall()
        return [_snapshot(r) for r in rows]

    def delete_snapshot(self, naam: str, door: str) -> Snapshot:
        """Mark a snapshot deleted (its notes stay, linked by id); ValueError when there is none. Removing
        the file is the caller's (pipelines/snapshot.py)."""
        naam = _name(naam, "naam")
        door = _name(door, "door")
        with self._write(door, "momentopname_verwijderd", f"momentopname {naam!r}") as tx:
            rows = tx.con.execute(
                "update snapshots set verwijderd_op = ? where naam = ? and verwijderd_op is null returning *",
                (_now(), naam),
            ).fetchall()
            if not rows:
                raise ValueError(f"Er is geen momentopname met de naam {naam!r}.")
        return _snapshot(rows[0])

    # -- audit -------------------------------------------------------------------------------------------
    def write_audit(self, wie: str, actie: str, onderwerp: str) -> None:
        """An audit entry on its own (an event that writes nothing else, e.g. a report download). Name the
        object, never a figure about children."""
        wie = _name(wie, "wie")
        if not isinstance(actie, str) or not _ACTIE.match(actie):
            raise ValueError("actie moet een woord zijn van kleine letters en _ (bijv. rapport_gedownload).")
        onderwerp = _name(onderwerp, "onderwerp")
        with self._write(wie, actie, onderwerp):
            pass

    def list_audit(self, *, limit: int = 1000) -> list[AuditRegel]:
        """The latest `limit` audit entries, newest first."""
        limit = _int(limit, "limit")
        with self._read() as con:
            rows = con.execute("select * from audit order by id desc limit ?", (limit,)).fetchall()
        return [_audit(r) for r in rows]


def schema_version(path: Path) -> int:
    """The schema version of the store at `path` (0 for a new or empty file)."""
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        return int(con.execute("pragma user_version").fetchall()[0][0])
    finally:
        con.close()


def ensure_schema(path: Path, *, target: int = SCHEMA_VERSION) -> int:
    """Create or migrate the store at `path` to version `target` (default: this version), in one
    transaction that concurrent openers wait for; returns the version found before. A store of a newer
    version than this code knows is refused (StoreError)."""
    if not 0 <= target <= SCHEMA_VERSION:
        raise ValueError(f"onbekende schemaversie {target}")
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            found = int(con.execute("pragma user_version").fetchall()[0][0])
            if found == target and con.execute("pragma journal_mode").fetchall()[0][0] == "wal":
                return found  # the common case: nothing to do, no write lock taken
            mode = con.execute("pragma journal_mode = wal").fetchall()[0][0]
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"De opslag {path} is geen SQLite-database: {exc}") from exc
        if mode != "wal":
            raise StoreError(f"De opslag {path} kan niet in WAL-modus (journal_mode {mode}).")
        con.execute("begin immediate")
        try:
            found = int(con.execute("pragma user_version").fetchall()[0][0])
            if found > SCHEMA_VERSION:
                raise StoreError(
                    f"De opslag {path} heeft schemaversie {found}; deze versie van Ketenmonitor kent "
                    f"hoogstens {SCHEMA_VERSION}. Werk Ketenmonitor bij."
                )
            for version in range(found, target):
                for statement in MIGRATIONS[version]:
                    con.execute(statement)
                con.execute(f"pragma user_version = {version + 1}")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    finally:
        con.close()
    return found


def open_store(path: Path | None = None) -> Store:
    """The store at `path` (default `settings.store_path()`), created or migrated to this version."""
    path = Path(path) if path is not None else settings.store_path()
    ensure_schema(path)
    return Store(path)
