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


def test_the_app_uses_the_contract_not_the_build():
    """The dashboard imports the app↔build contract (pipelines/contract.py), never the build machinery."""
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import dashboard
        for mod in pkgutil.iter_modules(dashboard.__path__, "dashboard."):
            if mod.name in {"dashboard.app"}:
                continue  # the router runs the app on import
            importlib.import_module(mod.name)
        assert "pipelines.contract" in sys.modules
        build = {"pipelines.build", "pipelines.extract", "pipelines.sqlrunner", "pipelines.ijw", "pipelines.tabular"}
        bad = sorted(m for m in sys.modules if m in build or m.startswith(("pipelines.ijw.", "pipelines.tabular.")))
        print("\\n".join(bad))
        sys.exit(1 if bad else 0)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"the dashboard imported build modules:\n{result.stdout}{result.stderr}"


def test_keyed_hashing_lives_only_in_the_pseudonym_module():
    """One home for keyed hashing: only pipelines/pseudonym.py imports hmac (a second HMAC elsewhere could
    drift in key handling or domain separation). Found by parsing the imports of every product module."""
    import ast

    offenders = []
    for p in (REPO / "pipelines").rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text("utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if "hmac" in names:
                offenders.append(str(p.relative_to(REPO)))
    assert offenders == ["pipelines/pseudonym.py"], offenders
