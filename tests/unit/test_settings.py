"""Settings have one home and are read when called (pipelines/settings.py).

- No module of the product reads the environment except `pipelines/settings.py`.
- A variable set after import is honoured: `Limits()`, the DuckDB limits of the build and the mapping
  folder follow the environment at the time of the call.
- `KETENMONITOR_IJW_COMPILED=0` selects the pure-Python iJw reader in a fresh process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from pipelines import settings
from pipelines.build import duckdb_settings
from pipelines.settings import Limits
from pipelines.tabular.mapping import mapping_dirs

REPO = Path(__file__).resolve().parents[2]
READS_ENV = re.compile(r"os\.environ|os\.getenv|getenv\(")
# pass an environment on to a process they start (the build's workers, the test server); read no setting
WRITES_ONLY = {"pipelines/ijw/extractor.py", "tools/devserver.py"}


def test_only_the_settings_module_reads_the_environment() -> None:
    offenders = sorted(
        rel
        for folder in ("pipelines", "dashboard", "tools")
        for p in (REPO / folder).rglob("*.py")
        if (rel := str(p.relative_to(REPO))) not in {"pipelines/settings.py", *WRITES_ONLY}
        and READS_ENV.search(p.read_text("utf-8"))
    )
    assert offenders == []


def test_limits_follow_the_environment_at_call_time(monkeypatch) -> None:
    monkeypatch.setenv("KETENMONITOR_MAX_ZIP_MEMBERS", "7")
    monkeypatch.setenv("KETENMONITOR_MAX_ZIP_RATIO", "3.5")
    assert Limits().max_zip_members == 7
    assert Limits().max_zip_ratio == 3.5
    monkeypatch.delenv("KETENMONITOR_MAX_ZIP_MEMBERS")
    assert Limits().max_zip_members == 200_000
    assert Limits(max_zip_members=3).max_zip_members == 3


def test_build_and_mapping_settings_follow_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("KETENMONITOR_DUCKDB_MEMORY", "300MB")
    monkeypatch.setenv("KETENMONITOR_DUCKDB_THREADS", "3")
    assert duckdb_settings() == {"memory_limit": "300MB", "threads": "3"}
    monkeypatch.delenv("KETENMONITOR_DUCKDB_THREADS")
    monkeypatch.setenv("KETENMONITOR_WORKERS", "5")
    assert duckdb_settings()["threads"] == "5"
    monkeypatch.delenv("KETENMONITOR_MAPPINGS", raising=False)
    assert mapping_dirs(tmp_path) == [tmp_path / "mappings"]
    monkeypatch.setenv("KETENMONITOR_MAPPINGS", str(tmp_path / "extra"))
    assert mapping_dirs(tmp_path) == [tmp_path / "mappings", tmp_path / "extra"]
    monkeypatch.setenv("KETENMONITOR_TIMING_LOG", str(tmp_path / "t.log"))
    assert settings.timing_log() == str(tmp_path / "t.log")


def test_compiled_reader_can_be_switched_off() -> None:
    code = "from pipelines.ijw import walk; print(walk.COMPILED, walk.Plan.__module__)"
    off = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**_env(), "KETENMONITOR_IJW_COMPILED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert off.stdout.split() == ["False", "pipelines.ijw.walk_py"]
    on = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=_env(), capture_output=True, text=True, check=True
    )
    assert on.stdout.split() == ["True", "pipelines.ijw._walk"]


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "KETENMONITOR_IJW_COMPILED"}
