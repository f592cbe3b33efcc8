"""The one settings module: paths, secrets and tunables from environment variables with repo-relative
defaults.

Invariants: no absolute path is hard-coded; every default is relative to the repository root; secrets are
read from the environment or from files outside the database, never from the database itself.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = REPO_ROOT / "sql"
SAMPLE_DATA_DIR = REPO_ROOT / "sample_data"
CONFIG_FILE = REPO_ROOT / "config" / "ketenmonitor.toml"

DEFAULT_DB = REPO_ROOT / "data" / "ketenmonitor.duckdb"


def db_path() -> Path:
    """Database the app reads and the build writes by default (`KETENMONITOR_DB`)."""
    return Path(os.environ.get("KETENMONITOR_DB", str(DEFAULT_DB))).expanduser()


def pseudonym_key_env() -> str | None:
    """The regional pseudonymisation secret from `KETENMONITOR_PSEUDONYM_KEY`, if set."""
    value = os.environ.get("KETENMONITOR_PSEUDONYM_KEY")
    return value if value else None


def small_number_threshold() -> int:
    """k for small-number protection (`KETENMONITOR_K`, default from the config file)."""
    value = os.environ.get("KETENMONITOR_K")
    return int(value) if value else int(config()["kleine_aantallen"]["k"])


@cache
def config() -> dict:
    """Norms and thresholds (`KETENMONITOR_CONFIG`, default `config/ketenmonitor.toml`)."""
    path = Path(os.environ.get("KETENMONITOR_CONFIG", str(CONFIG_FILE)))
    with path.open("rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Limits:
    """Safety limits for untrusted input files (bytes and counts)."""

    max_file_bytes: int = int(os.environ.get("KETENMONITOR_MAX_FILE_BYTES", 200 * 1024 * 1024))
    max_zip_member_bytes: int = int(os.environ.get("KETENMONITOR_MAX_ZIP_MEMBER_BYTES", 100 * 1024 * 1024))
    max_zip_members: int = int(os.environ.get("KETENMONITOR_MAX_ZIP_MEMBERS", 200_000))
    max_zip_ratio: float = float(os.environ.get("KETENMONITOR_MAX_ZIP_RATIO", 200.0))


def ijw_bulk() -> bool:
    """Read iJw XML in bulk (pipelines/ijw/bulk.py) when the compiled reader is built; 0 = exact path only."""
    return os.environ.get("KETENMONITOR_IJW_BULK", "1") != "0"


def workers() -> int:
    """Parallel parse workers (`KETENMONITOR_WORKERS`, default: number of cores)."""
    value = os.environ.get("KETENMONITOR_WORKERS")
    return max(1, int(value)) if value else max(1, os.cpu_count() or 1)
