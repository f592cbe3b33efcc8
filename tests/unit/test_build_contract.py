"""The build command's contract: exit codes, one-line reasons, unknown files accounted for."""

import json
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]


def run_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "build", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def test_missing_source_fails_with_one_line(tmp_path):
    result = run_build("--source", str(tmp_path / "nergens"), "--db", str(tmp_path / "k.duckdb"))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "bestaat niet" in result.stderr
    assert not (tmp_path / "k.duckdb").exists()


def test_empty_source_fails(tmp_path):
    (tmp_path / "leeg").mkdir()
    result = run_build("--source", str(tmp_path / "leeg"), "--db", str(tmp_path / "k.duckdb"))
    assert result.returncode != 0
    assert "geen bestanden" in result.stderr


def test_unwritable_database_path_fails(tmp_path):
    (tmp_path / "bron").mkdir()
    (tmp_path / "bron" / "x.txt").write_text("iets")
    blocker = tmp_path / "een-bestand"
    blocker.write_text("geen map")
    result = run_build("--source", str(tmp_path / "bron"), "--db", str(blocker / "k.duckdb"))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.stderr


def test_unknown_files_are_quarantined_and_the_build_succeeds(tmp_path):
    src = tmp_path / "bron"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "notities.txt").write_text("geen data")
    (src / ".verborgen").write_text("overgeslagen")
    db, report = tmp_path / "k.duckdb", tmp_path / "r.json"
    result = run_build("--source", str(src), "--db", str(db), "--report", str(report))
    assert result.returncode == 0, result.stderr
    data = json.loads(report.read_text())
    assert [f["path"] for f in data["files"]] == ["sub/notities.txt"]
    assert data["files"][0]["status"] == "quarantined"
    assert data["files"][0]["reasons"]
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("select count(*) from quarantine").fetchall() == [(1,)]
    assert con.sql("select path, status from load_report").fetchall() == [("sub/notities.txt", "quarantined")]
    assert not list(tmp_path.glob("k.duckdb.building-*"))


def test_status_command_reports_missing_and_ok(tmp_path):
    missing = subprocess.run(
        [sys.executable, "-m", "pipelines", "status", "--db", str(tmp_path / "k.duckdb")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 1
    src = tmp_path / "bron"
    src.mkdir()
    (src / "x.txt").write_text("x")
    assert run_build("--source", str(src), "--db", str(tmp_path / "k.duckdb")).returncode == 0
    ok = subprocess.run(
        [sys.executable, "-m", "pipelines", "status", "--db", str(tmp_path / "k.duckdb")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
