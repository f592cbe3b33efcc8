"""The contract between the build and the app: which database file the app may read.

Invariants:
- `MODEL_VERSION` has one home, here. The build writes it into `build_info.model_version`; the app and
  `ketenmonitor status` accept a database only when that value is equal to it.
- The version check (`version_problem`) is written once and used by both `database_status` (the CLI, on
  the file) and the app (`dashboard/data.py`, on its own read-only attached connection), so both refuse the
  same databases with the same Dutch reason.
- This module imports only DuckDB and the standard library: the app imports it without pulling in the
  build machinery (extractors, Polars schemas, the SQL runner).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# Bump when the public data model changes; the dashboard refuses a database with another version.
MODEL_VERSION = 7  # 2: filter parameters on every macro, leveringen; 3: cell keys (<count>_ck); 4: histogram classes per niveau; 5: wachtlijst_week and the vooruitblik macros; 6: wachtlijst_actualiteit and its macro, record keys in vooruitblik_wachttijden; 7: build_info.schuilnaam_zout (the secret order of the provider pseudonyms)

VERSION_QUERY = "select model_version from build_info"


def read_model_version(con: duckdb.DuckDBPyConnection) -> object | None:
    """`build_info.model_version` of an open database; None when build_info is missing or empty."""
    try:
        rows = con.sql(VERSION_QUERY).fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


def version_problem(db: Path | str, found: object | None) -> str | None:
    """None when `found` is this model version, else the Dutch reason to rebuild the database `db`."""
    if found == MODEL_VERSION:
        return None
    return (
        f"De database {db} is gebouwd met een andere versie van het model ({found or 'onbekend'}; "
        f"deze versie verwacht {MODEL_VERSION}). Bouw de database opnieuw met "
        "`ketenmonitor build --source <map met exports>`."
    )


def database_status(db: Path) -> tuple[bool, str]:
    """Whether `db` is a complete database of this model version, with a Dutch explanation."""
    if not db.exists():
        return False, f"Er is nog geen database op {db}."
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        return False, f"De database {db} kan niet worden geopend: {exc}"
    try:
        problem = version_problem(db, read_model_version(con))
    finally:
        con.close()
    if problem is not None:
        return False, problem
    return True, f"Database {db} is in orde (modelversie {MODEL_VERSION})."
