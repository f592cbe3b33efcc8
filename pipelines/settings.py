"""The one settings module: paths, secrets and tunables from environment variables with repo-relative
defaults.

Invariants:
- Every environment variable the product reads (`KETENMONITOR_*`) is read here and nowhere else
  (tests/unit/test_settings.py greps for `os.environ` outside this module).
- Settings are read when called, never frozen at import: a function (or a dataclass default factory) reads
  the environment each time, so a variable set after import (by a test, a benchmark, or the build for its
  workers) is honoured. The one exception is `config()`, cached per path.
- No absolute path is hard-coded; every default is relative to the repository root, or for an installed
  package to its bundled copies (`pipelines/_bundled/`) and the user's data folder; secrets are read from
  the environment or from files outside the database, never from the database itself.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
# An installed package (a wheel, `pip install .`) carries copies of sql/, the config and the definitions in
# pipelines/_bundled/ (setup.py); a checkout (also `pip install -e .`) has none and reads its own files.
BUNDLE = Path(__file__).resolve().parent / "_bundled"
INSTALLED = BUNDLE.is_dir()
DATA_ROOT = BUNDLE if INSTALLED else REPO_ROOT
SQL_DIR = DATA_ROOT / "sql"
SAMPLE_DATA_DIR = REPO_ROOT / "sample_data"
CONFIG_FILE = DATA_ROOT / "config" / "ketenmonitor.toml"
DEFINITIONS_FILE = DATA_ROOT / "docs" / "definitions.md"
ROLES_EXAMPLE = DATA_ROOT / "config" / "rollen.voorbeeld.toml"  # the sample region's users (demo mode)

DEFAULT_DB = REPO_ROOT / "data" / "ketenmonitor.duckdb"  # in a checkout; in general `default_db()`


def default_db() -> Path:
    """The database without `KETENMONITOR_DB`: `data/` in a checkout; for an installed package the user's
    data folder, `$XDG_DATA_HOME/ketenmonitor/` (default `~/.local/share/ketenmonitor/`), whatever the
    working directory."""
    if not INSTALLED:
        return DEFAULT_DB
    base = Path(os.environ.get("XDG_DATA_HOME") or "~/.local/share").expanduser()
    return base / "ketenmonitor" / "ketenmonitor.duckdb"


def db_path() -> Path:
    """Database the app reads and the build writes by default (`KETENMONITOR_DB`, else `default_db()`)."""
    value = os.environ.get("KETENMONITOR_DB")
    return Path(value).expanduser() if value else default_db()


def store_path(db: Path | None = None) -> Path:
    """The notes/annotations store, SQLite (`KETENMONITOR_STORE`, default beside the database `db`)."""
    value = os.environ.get("KETENMONITOR_STORE")
    return Path(value).expanduser() if value else (db or db_path()).parent / "ketenmonitor-store.sqlite"


def snapshot_dir(db: Path | None = None) -> Path:
    """Folder of the frozen snapshots (`KETENMONITOR_SNAPSHOTS`, default `snapshots/` beside the database)."""
    value = os.environ.get("KETENMONITOR_SNAPSHOTS")
    return Path(value).expanduser() if value else (db or db_path()).parent / "snapshots"


def roles_path() -> Path:
    """The roles file: who has which role, organisation and teams (`KETENMONITOR_ROLLEN`; default
    `config/rollen.toml` in a checkout, `$XDG_CONFIG_HOME/ketenmonitor/rollen.toml` for an installed
    package). Not committed: config/rollen.voorbeeld.toml is the example (docs/toegang.md)."""
    value = os.environ.get("KETENMONITOR_ROLLEN")
    if value:
        return Path(value).expanduser()
    if not INSTALLED:
        return REPO_ROOT / "config" / "rollen.toml"
    base = Path(os.environ.get("XDG_CONFIG_HOME") or "~/.config").expanduser()
    return base / "ketenmonitor" / "rollen.toml"


def demo_allowed() -> bool:
    """Whether the app may run without login, in the marked demo mode with a role picker, when
    .streamlit/secrets.toml has no [auth] section (`KETENMONITOR_DEMO`, default ja; `nee` on a server with
    real data, so a lost secrets file closes the app instead of opening it)."""
    return (os.environ.get("KETENMONITOR_DEMO") or "ja").strip().lower() not in {"nee", "no", "0", "false"}


def user_name() -> str:
    """Who the store records as author (`KETENMONITOR_USER`, default the login name, else 'onbekend')."""
    return (
        os.environ.get("KETENMONITOR_USER")
        or os.environ.get("USER")
        or os.environ.get("LOGNAME")
        or "onbekend"
    )


def pseudonym_key_env() -> str | None:
    """The regional pseudonymisation secret from `KETENMONITOR_PSEUDONYM_KEY`, if set."""
    value = os.environ.get("KETENMONITOR_PSEUDONYM_KEY")
    return value if value else None


def small_number_threshold() -> int:
    """k for small-number protection (`KETENMONITOR_K`, default from the config file)."""
    value = os.environ.get("KETENMONITOR_K")
    return int(value) if value else int(config()["kleine_aantallen"]["k"])


@cache
def config() -> dict[str, Any]:
    """Norms and thresholds (`KETENMONITOR_CONFIG`, default `config/ketenmonitor.toml`)."""
    path = Path(os.environ.get("KETENMONITOR_CONFIG", str(CONFIG_FILE)))
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _env_number(name: str, default: float, kind: type = int) -> Callable[[], Any]:
    """A default factory: the environment variable `name` as `kind`, or `default`, read when called."""

    def read() -> Any:
        value = os.environ.get(name)
        return kind(value) if value else kind(default)

    return read


@dataclass(frozen=True)
class Limits:
    """Safety limits for untrusted input files (bytes and counts); defaults from the environment, read
    each time a `Limits()` is made."""

    max_file_bytes: int = field(default_factory=_env_number("KETENMONITOR_MAX_FILE_BYTES", 200 * 1024 * 1024))
    max_zip_member_bytes: int = field(
        default_factory=_env_number("KETENMONITOR_MAX_ZIP_MEMBER_BYTES", 100 * 1024 * 1024)
    )
    max_zip_members: int = field(default_factory=_env_number("KETENMONITOR_MAX_ZIP_MEMBERS", 200_000))
    max_zip_ratio: float = field(default_factory=_env_number("KETENMONITOR_MAX_ZIP_RATIO", 200.0, float))


def ijw_bulk() -> bool:
    """Read iJw XML in bulk (pipelines/ijw/bulk.py) when the compiled reader is in use; 0 = exact path only."""
    return os.environ.get("KETENMONITOR_IJW_BULK", "1") != "0"


def ijw_compiled() -> bool:
    """Use the compiled iJw reader (`pipelines/ijw/_walk`) when it is built (`KETENMONITOR_IJW_COMPILED`,
    default 1); 0 = the pure-Python reader, as in a checkout where it was never compiled (CI runs the iJw and
    build tests this way too). Read by `pipelines.ijw.walk` when it is first imported in a process."""
    return os.environ.get("KETENMONITOR_IJW_COMPILED", "1") != "0"


def duckdb_memory() -> str:
    """DuckDB memory limit for the build (`KETENMONITOR_DUCKDB_MEMORY`, default 2GB)."""
    return os.environ.get("KETENMONITOR_DUCKDB_MEMORY") or "2GB"


def duckdb_threads() -> int:
    """DuckDB threads for the build (`KETENMONITOR_DUCKDB_THREADS`, default the number of parse workers)."""
    value = os.environ.get("KETENMONITOR_DUCKDB_THREADS")
    return max(1, int(value)) if value else workers()


def mappings_dir() -> Path | None:
    """An extra folder of mapping files for provider exports (`KETENMONITOR_MAPPINGS`), if set."""
    value = os.environ.get("KETENMONITOR_MAPPINGS")
    return Path(value).expanduser() if value else None


def timing_log() -> str | None:
    """File the dashboard appends run and query timings to (`KETENMONITOR_TIMING_LOG`); unset = off."""
    return os.environ.get("KETENMONITOR_TIMING_LOG") or None


def workers() -> int:
    """Parallel parse workers (`KETENMONITOR_WORKERS`, default: number of cores)."""
    value = os.environ.get("KETENMONITOR_WORKERS")
    return max(1, int(value)) if value else max(1, os.cpu_count() or 1)


def chromium_path() -> str | None:
    """The chromium that prints the session report to PDF and runs the browser tests (`KETENMONITOR_CHROMIUM`,
    default `chromium` or `chromium-browser` on PATH; Debian's package, scripts/setup.sh --browser); None
    when there is none."""
    value = os.environ.get("KETENMONITOR_CHROMIUM")
    if value:
        path = Path(value).expanduser()
        return str(path) if path.is_file() and os.access(path, os.X_OK) else shutil.which(value)
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def region_name() -> str:
    """The region's name in the title of a session report (`KETENMONITOR_REGIO`; empty when unset)."""
    return (os.environ.get("KETENMONITOR_REGIO") or "").strip()
