"""The build: source files -> Parquet (extractors) -> a new DuckDB file -> SQL models -> atomic swap.

Invariants:
- The build owns the write. It writes `<db>.building-<pid>` next to the target and moves it into place
  with `os.replace` only after every stage succeeded, so a reader (or a build killed at any moment) only
  ever sees the previous complete database or the new complete one.
- Nothing is lost: every file found under the source appears in the load report exactly once, and per
  file records_read == records_loaded + records_quarantined (checked before the swap).
- The database holds no secret and no timestamp of the build, so building twice from the same source
  gives the same content.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from pipelines import codes, pseudonym, settings
from pipelines.contract import MODEL_VERSION
from pipelines.extract import ExtractContext, SourceFile, load_extractors
from pipelines.progress import stage
from pipelines.report import FileReport, QuarantineEntry, report_dict, write_report_json
from pipelines.sqlrunner import read_models, run_models
from pipelines.tabular.link import link_stats

IGNORED_NAMES = {".DS_Store", "Thumbs.db"}


class BuildError(Exception):
    """The build could not run (source missing or empty, database path not writable)."""


@dataclass
class BuildResult:
    db: Path
    reports: list[FileReport]
    quarantine: list[QuarantineEntry]
    koppeling: dict = field(default_factory=dict)  # provider <-> iJw link rates (pipelines.tabular.link)

    @property
    def report(self) -> dict:
        return report_dict(self.reports)


def find_files(source: Path) -> list[SourceFile]:
    """Every regular file under `source` (nested), sorted, hidden files and mapping files excluded."""
    out = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        if not path.is_file() or path.name in IGNORED_NAMES:
            continue
        if any(part.startswith(".") for part in Path(rel).parts):
            continue
        if rel.startswith("mappings/") or path.name.lower() in {"readme.md", "readme.txt"}:
            continue  # configuration and documentation, not data
        out.append(SourceFile(path=path, rel=rel))
    return out


def _check_target(db: Path) -> None:
    parent = db.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"databasemap {parent} kan niet worden aangemaakt: {exc.strerror}") from exc
    if not os.access(parent, os.W_OK):
        raise BuildError(f"databasemap {parent} is niet schrijfbaar")
    if db.exists() and db.is_dir():
        raise BuildError(f"databasepad {db} is een map, geen bestand")


def _remove_stale_builds(db: Path) -> None:
    """Remove what builds killed earlier left behind (temporary database, WAL, work folder)."""
    for stale in [*db.parent.glob(db.name + ".building-*"), *db.parent.glob(f".{db.name}.work-*")]:
        pid = stale.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and _pid_alive(int(pid)):
            continue
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _source_fingerprint(files: list[SourceFile]) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(f.rel.encode())
        h.update(hashlib.sha256(f.path.read_bytes()).digest())
    return h.hexdigest()


def duckdb_settings() -> dict[str, str]:
    """DuckDB limits for the build: memory (`KETENMONITOR_DUCKDB_MEMORY`, default 2GB) and threads
    (`KETENMONITOR_DUCKDB_THREADS`, default the number of parse workers). A capped memory limit makes DuckDB
    spill sorts and joins to disk instead of growing towards 80% of RAM on a shared machine."""
    return {"memory_limit": settings.duckdb_memory(), "threads": str(settings.duckdb_threads())}


def _load_table(
    con: duckdb.DuckDBPyConnection, name: str, schema: pl.Schema, folder: Path, skip_files: frozenset[str]
) -> None:
    """Create `name` from its declared schema and insert its parts, without the rows of `skip_files`."""
    con.register("_empty", pl.DataFrame(schema=schema))
    con.execute(f"create table {name} as select * from _empty")
    con.unregister("_empty")
    parts = sorted(folder.glob("*.parquet")) if folder.exists() else []
    if parts:
        files = [str(p) for p in parts]
        columns = ", ".join(f'"{c}"' for c in schema.names())
        params: dict[str, object] = {"files": files}
        where = ""
        if skip_files and "bestand" in schema.names():
            where = "where not list_contains($skip, bestand)"
            params["skip"] = sorted(skip_files)
        con.execute(
            f"insert into {name} select {columns} from read_parquet($files) {where} order by all", params
        )


def _write_meta(
    con: duckdb.DuckDBPyConnection,
    reports: list[FileReport],
    quarantine: list[QuarantineEntry],
    fingerprint: str,
    peildatum: date | None,
    zout: str,
) -> None:
    ordered = sorted(reports, key=lambda r: r.path)
    # column by column: a list of one dict per file costs gigabytes at millions of files
    load_report = pl.DataFrame(
        {
            "path": [r.path for r in ordered],
            "kind": [r.kind for r in ordered],
            "message_type": [r.message_type for r in ordered],
            "status": [r.status for r in ordered],
            "records_read": [r.records_read for r in ordered],
            "records_loaded": [r.records_loaded for r in ordered],
            "records_quarantined": [r.records_quarantined for r in ordered],
            "reasons": [r.reasons for r in ordered],
        },
        schema={
            "path": pl.String,
            "kind": pl.String,
            "message_type": pl.String,
            "status": pl.String,
            "records_read": pl.Int64,
            "records_loaded": pl.Int64,
            "records_quarantined": pl.Int64,
            "reasons": pl.List(pl.String),
        },
    )
    del ordered
    q = pl.DataFrame(
        [vars(e) for e in quarantine],
        schema={
            "path": pl.String,
            "kind": pl.String,
            "message_type": pl.String,
            "position": pl.String,
            "code": pl.String,
            "reason": pl.String,
        },
    ).sort(pl.all())
    info = pl.DataFrame(
        {
            "model_version": [MODEL_VERSION],
            "bron_vingerafdruk": [fingerprint],
            "peildatum_config": [peildatum],
            "schuilnaam_zout": [zout],
        },
        schema={
            "model_version": pl.Int64,
            "bron_vingerafdruk": pl.String,
            "peildatum_config": pl.Date,
            "schuilnaam_zout": pl.String,
        },
    )
    lijsten = {
        "productcategorie": codes.JZ020,
        "verwijzer_type": codes.COD327,
        "reden_beeindiging": codes.JZ588,
        "reden_wijziging": codes.JZ002,
        "verzoek_antwoord": codes.WJ760,
        "factor": {k: label for k, (_group, label) in codes.FACTOREN.items()},
    }
    codelijsten = pl.DataFrame(
        [
            {"lijst": lijst, "code": code, "omschrijving": text}
            for lijst, entries in lijsten.items()
            for code, text in entries.items()
        ],
        schema={"lijst": pl.String, "code": pl.String, "omschrijving": pl.String},
    )
    for name, frame in (
        ("load_report", load_report),
        ("quarantine", q),
        ("build_info", info),
        ("codelijsten", codelijsten),
    ):
        con.register("_frame", frame)
        con.execute(f"create table {name} as select * from _frame")
        con.unregister("_frame")


def flatten_config(config: dict, prefix: str = "") -> dict:
    """Config values as SQL parameters: `[section] key` -> `section_key` (nested tables joined by `_`)."""
    out: dict = {}
    for key, value in config.items():
        name = f"{prefix}_{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flatten_config(value, name))
        else:
            out[name] = value
    return out


def model_params(peildatum: date | None) -> dict:
    """The parameters the SQL models are run with: the flattened config plus the build's peildatum."""
    cfg = {k: v for k, v in settings.config().items() if k != "peildatum"}
    return {**flatten_config(cfg), "peildatum": peildatum}


def build(
    source: Path,
    db: Path,
    report_path: Path | None = None,
    peildatum: date | None = None,
    show_progress: bool | None = None,
    on_model: Callable[[str, float], None] | None = None,
) -> BuildResult:
    """Build the database at `db` from every file under `source`.

    `on_model(name, seconds)`, when given, is called after each SQL model (benchmarks time the models).
    """
    source = source.expanduser()
    db = db.expanduser().absolute()
    if not source.exists():
        raise BuildError(f"bronmap {source} bestaat niet")
    if not source.is_dir():
        raise BuildError(f"bron {source} is geen map")
    files = find_files(source)
    if not files:
        raise BuildError(f"bronmap {source} bevat geen bestanden")
    _check_target(db)
    _remove_stale_builds(db)
    if peildatum is None and settings.config()["peildatum"]["waarde"]:
        peildatum = date.fromisoformat(settings.config()["peildatum"]["waarde"])

    key = pseudonym.load_key(db)
    koppeling: dict = {}
    extractors = load_extractors()
    reports: list[FileReport] = []
    quarantine: list[QuarantineEntry] = []
    tmp_db = db.with_name(f"{db.name}.building-{os.getpid()}")
    workdir = db.parent / f".{db.name}.work-{os.getpid()}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir()
    try:
        ctx = ExtractContext(
            source=source,
            workdir=workdir,
            key=key,
            workers=settings.workers(),
            show_progress=show_progress,
        )
        remaining = list(files)
        skip_files: frozenset[str] = frozenset()
        for extractor in extractors:
            mine = extractor.claim(remaining, ctx)
            claimed = {f.rel for f in mine}
            remaining = [f for f in remaining if f.rel not in claimed]
            if mine:
                result = extractor.extract(mine, ctx)
                reports.extend(result.reports)
                quarantine.extend(result.quarantine)
                skip_files |= result.skip_files
        for f in remaining:
            reason = "Onbekend bestandstype: geen iJw-bericht, iJw-export of bekende tabel."
            reports.append(FileReport(path=f.rel, kind="onbekend", status="quarantined", reasons=[reason]))
            quarantine.append(QuarantineEntry(f.rel, "onbekend", None, "bestand", "BESTAND_ONBEKEND", reason))
        for r in reports:
            r.check()

        tmp_db.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp_db))
        try:
            for name, value in duckdb_settings().items():
                con.execute(f"set {name} = '{value}'")
            for extractor in extractors:
                for table, schema in extractor.tables.items():
                    _load_table(con, table, schema, workdir / table, skip_files)
            _write_meta(
                con,
                reports,
                quarantine,
                _source_fingerprint(files),
                peildatum,
                pseudonym.schuilnaam_zout(key),
            )
            models = read_models(settings.SQL_DIR)
            with stage("SQL-modellen", len(models), show_progress) as st:
                clock = [time.perf_counter()]

                def _done(model) -> None:
                    st.advance(1)
                    if on_model is not None:
                        now = time.perf_counter()
                        on_model(model.name, now - clock[0])
                        clock[0] = now

                run_models(con, settings.SQL_DIR, params=model_params(peildatum), on_model=_done)
            koppeling = link_stats(con.cursor())
            if koppeling:
                con.register("_frame", pl.DataFrame([koppeling]))
                con.execute("create table koppelgraad as select * from _frame")
                con.unregister("_frame")
            con.execute("checkpoint")
        finally:
            con.close()
        if report_path is not None:
            write_report_json(reports, report_path, extra={"koppeling": koppeling})
        os.replace(tmp_db, db)
        _fsync_dir(db.parent)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        tmp_db.unlink(missing_ok=True)
        Path(str(tmp_db) + ".wal").unlink(missing_ok=True)
    return BuildResult(db=db, reports=reports, quarantine=quarantine, koppeling=koppeling)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
