"""Layer rule: pipelines (ingestion, build, SQL runner) never import streamlit or dashboard."""

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_pipelines_never_import_streamlit():
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import pipelines
        for mod in pkgutil.walk_packages(pipelines.__path__, "pipelines."):
            if mod.name == "pipelines.__main__":
                continue
            importlib.import_module(mod.name)
        import pipelines.__main__  # noqa: F401  (guarded by __name__)
        bad = sorted(m for m in sys.modules if m.split(".")[0] in {"streamlit", "dashboard", "altair"})
        print("\\n".join(bad))
        sys.exit(1 if bad else 0)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"pipelines imported UI modules:\n{result.stdout}{result.stderr}"


def test_no_source_file_mentions_streamlit_import():
    offenders = [
        str(p.relative_to(REPO))
        for p in (REPO / "pipelines").rglob("*.py")
        if any(
            line.strip().startswith(
                ("import streamlit", "from streamlit", "from dashboard", "import dashboard")
            )
            for line in p.read_text("utf-8").splitlines()
        )
    ]
    assert offenders == []
