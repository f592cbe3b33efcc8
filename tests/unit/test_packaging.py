"""Ketenmonitor installs like a normal Python package (pyproject.toml, setup.py).

- The build backend's requirements are pinned exactly, to the same versions as requirements.txt (lxml's
  headers at build time must be those of the lxml the compiled reader runs against).
- The `ketenmonitor` console command is the same function as `python -m pipelines`, and the installed
  command (`pip install -e .`, run by scripts/setup.sh) answers like it.
- A non-editable install (a wheel) runs on its own outside the checkout: tests/unit/test_install.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import import_module
from pathlib import Path

import pipelines.__main__

REPO = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")


def _pins(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        m = PIN.match(line.split("#", 1)[0].strip())
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


def test_build_requirements_are_pinned_like_requirements_txt() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    build = pyproject["build-system"]["requires"]
    pinned = _pins(build)
    assert len(pinned) == len(build), "every build requirement is pinned with =="
    assert set(pinned) == {"setuptools", "cython", "lxml"}
    runtime = _pins((REPO / "requirements.txt").read_text("utf-8").splitlines())
    assert {name: runtime.get(name) for name in pinned} == pinned


def test_console_command_is_the_module_cli() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    module, func = pyproject["project"]["scripts"]["ketenmonitor"].split(":")
    assert getattr(import_module(module), func) is pipelines.__main__.main


def test_installed_console_command_runs(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "ketenmonitor"
    assert command.exists(), (
        "het commando ketenmonitor is niet geïnstalleerd: pip install -e . (scripts/setup.sh)"
    )
    missing = tmp_path / "geen.duckdb"
    result = subprocess.run(
        [str(command), "status", "--db", str(missing)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"Er is nog geen database op {missing}."
    usage = subprocess.run([str(command), "--help"], capture_output=True, text=True, check=True)
    assert usage.stdout.startswith("usage: ketenmonitor ")
