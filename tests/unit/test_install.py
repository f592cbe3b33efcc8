"""A non-editable install runs on its own, outside the checkout (setup.py `BUNDLED`, pipelines/settings.py).

The package is built the way `python -m build` does it, sdist first and the wheel from the sdist (so
MANIFEST.in is tested too), offline and without build isolation (the venv's pinned setuptools, Cython and
lxml), and installed with `pip install --target` into a folder of its own; the shared venv supplies the
runtime dependencies. Every check runs from a working directory outside the repository and asserts that the
installed copy, not the checkout, is the one imported.

- The wheel carries every SQL model, the default config, the definitions, the Streamlit config and every
  file beside the code in the packages (print.css), compared with the files in the checkout.
- The installed package's `python -m pipelines generate` and `build` make a small region's database with
  every mart of sql/marts.
- Without `KETENMONITOR_DB` the installed package uses the user's data folder; the variable still wins.
- The installed dashboard runs its start page and the definitions from the installed app.py.
- In the checkout nothing changes: the repository's own sql/, config and data/ are the defaults.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
KEY = "test-sleutel-niet-voor-productie"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the sdist and from it the wheel, install the wheel into a folder of its own."""
    tmp = tmp_path_factory.mktemp("install")
    code = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    sdist = subprocess.run(
        [sys.executable, "-c", code, str(tmp / "sdist")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    sdist = str(tmp / "sdist" / sdist)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-cache-dir", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-index", "--no-build-isolation", "-w", str(tmp / "wheel"), sdist],
        cwd=tmp,
        capture_output=True,
        text=True,
        check=True,
    )
    (wheel,) = (tmp / "wheel").glob("ketenmonitor-*.whl")
    site = tmp / "site"
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        cwd=tmp,
        capture_output=True,
        text=True,
        check=True,
    )
    outside = tmp / "elders"
    outside.mkdir()
    return {"wheel": wheel, "site": site, "outside": outside}


def _run(installed: dict[str, Path], code: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """Run the shared venv's Python with only the installed copy on the path, outside the repository."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KETENMONITOR_", "PYTHON"))}
    return subprocess.run(
        [sys.executable, *code],
        cwd=installed["outside"],
        env={**clean, "PYTHONPATH": str(installed["site"]), "KETENMONITOR_PSEUDONYM_KEY": KEY, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_wheel_carries_the_data_files(installed) -> None:
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    models = {str(p.relative_to(REPO)) for p in (REPO / "sql").rglob("*.sql")}
    assert len(models) > 40
    assert {n.removeprefix("pipelines/_bundled/") for n in names if n.endswith(".sql")} == models
    assert {
        "pipelines/_bundled/config/ketenmonitor.toml",
        "pipelines/_bundled/docs/definitions.md",
        "dashboard/print.css",
        "dashboard/.streamlit/config.toml",
    } <= names
    assert not [n for n in names if n.endswith((".pyx", ".c"))], "the extension's source stays in the sdist"
    # any other file beside the code in the packages (a stylesheet, a template) must be package data
    beside_code = {
        str(p.relative_to(REPO))
        for package in ("pipelines", "dashboard", "generator")
        for p in (REPO / package).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".py", ".pyx", ".c", ".so"}
    }
    assert "dashboard/print.css" in beside_code
    assert beside_code <= names, sorted(beside_code - names)
    site = installed["site"]
    for copy, source in [
        (
            site / "pipelines" / "_bundled" / "config" / "ketenmonitor.toml",
            REPO / "config" / "ketenmonitor.toml",
        ),
        (site / "dashboard" / ".streamlit" / "config.toml", REPO / ".streamlit" / "config.toml"),
    ]:
        assert copy.read_bytes() == source.read_bytes()


@pytest.fixture(scope="module")
def built(installed) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A small region (all file and fault kinds, like tests/conftest.py's `small_source`; the committed
    sample region takes four times as long) generated and built by the installed package's command line,
    with relative paths."""
    generated = _run(
        installed, ["-m", "pipelines", "generate", "--out", "bron", "--scale", "0.05", "--seed", "7"]
    )
    assert generated.returncode == 0, generated.stderr
    result = _run(
        installed,
        ["-m", "pipelines", "build", "--source", "bron", "--db", "tmp/x.duckdb"],
        KETENMONITOR_WORKERS="2",
    )
    return installed["outside"] / "tmp" / "x.duckdb", result


def test_the_installed_package_builds_outside_the_checkout(installed, built) -> None:
    db, result = built
    assert result.returncode == 0, result.stderr
    where = _run(
        installed,
        [
            "-c",
            "import json, pipelines; from pipelines import settings; "
            "print(json.dumps([pipelines.__file__, str(settings.SQL_DIR), str(settings.CONFIG_FILE)]))",
        ],
    )
    paths = [Path(p) for p in json.loads(where.stdout)]
    assert all(p.is_relative_to(installed["site"]) for p in paths), paths
    marts = {p.stem for p in (REPO / "sql" / "marts").glob("*.sql")}
    assert len(marts) >= 9
    with duckdb.connect(str(db), read_only=True) as con:
        relations = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        assert marts <= relations, sorted(marts - relations)
        assert con.execute("select count(*) from trajecten").fetchone()[0] > 0


def test_the_installed_package_keeps_its_database_in_the_users_data_folder(installed, tmp_path) -> None:
    code = ["-c", "from pipelines import settings; print(settings.db_path())"]
    result = _run(installed, code, XDG_DATA_HOME=str(tmp_path))
    assert Path(result.stdout.strip()) == tmp_path / "ketenmonitor" / "ketenmonitor.duckdb", result.stderr
    override = _run(
        installed, code, XDG_DATA_HOME=str(tmp_path), KETENMONITOR_DB=str(tmp_path / "eigen.duckdb")
    )
    assert Path(override.stdout.strip()) == tmp_path / "eigen.duckdb"


def test_the_installed_dashboard_runs(installed, built) -> None:
    code = """
import json, sys
import dashboard
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.run()
start = [e.value for e in at.exception] + [e.value for e in at.error]
captions = [c.value for c in at.caption]
at.switch_page("views/definities.py").run()
markdown = "\\n".join(m.value for m in at.markdown)
print(json.dumps({"app": dashboard.__file__, "start": start, "captions": captions, "definities": markdown}))
"""
    app = installed["site"] / "dashboard" / "app.py"
    db, build = built
    assert build.returncode == 0, build.stderr
    result = _run(installed, ["-c", code, str(app)], KETENMONITOR_DB=str(db))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(out["app"]).is_relative_to(installed["site"])
    assert out["start"] == []
    assert any("Peildatum" in c for c in out["captions"])
    assert '<a id="kleine-aantallen"></a>' in out["definities"]


def test_a_checkout_reads_its_own_files(monkeypatch) -> None:
    """In the checkout (also `pip install -e .`) nothing is bundled and every default is repo-relative."""
    from pipelines import settings

    assert not (REPO / "pipelines" / "_bundled").exists()
    assert not settings.INSTALLED
    assert settings.SQL_DIR == REPO / "sql"
    assert settings.CONFIG_FILE == REPO / "config" / "ketenmonitor.toml"
    assert settings.DEFINITIONS_FILE == REPO / "docs" / "definitions.md"
    monkeypatch.delenv("KETENMONITOR_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", "/elders")
    assert settings.db_path() == REPO / "data" / "ketenmonitor.duckdb"
