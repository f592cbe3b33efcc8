"""Import contract inside the dashboard (issue 14), checked like the pipelines layer rule:

- views -> queries -> data: pages read data through `dashboard.queries` only (never `dashboard.data`);
  `queries` imports no views and no UI blocks; `data` imports no views, queries or UI blocks;
- the pure modules (`charts`, `format`, `privacy`, `labels`, `filtermodel`, `fingerprint`, `export`, `rapport`) import no
  Streamlit, directly or through another module (checked in a fresh interpreter via `sys.modules`).

Direct imports are read from the source (every `import` statement, also inside functions)."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = REPO / "dashboard"

PURE = ("charts", "format", "privacy", "labels", "filtermodel", "fingerprint", "export", "rapport")
UI = ("dashboard.views", "dashboard.components", "dashboard.filters", "dashboard.app")
# module (or package prefix) -> the dashboard modules it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "dashboard.views": ("dashboard.data",),
    "dashboard.queries": UI,
    "dashboard.data": (*UI, "dashboard.queries", "dashboard.charts"),
    **{f"dashboard.{m}": ("streamlit", "dashboard.data", "dashboard.queries", *UI) for m in PURE},
}


def imported(source: str, module: str) -> set[str]:
    """The modules `source` (the text of `module`) imports, with relative imports resolved; `from a import
    b` counts as both `a` and `a.b` (b may be a submodule)."""
    package = module.rsplit(".", 1)[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _violations(module: str, names: set[str]) -> list[str]:
    rules = [bad for owner, bad in FORBIDDEN.items() if module == owner or module.startswith(owner + ".")]
    return sorted(
        f"{module} imports {name}"
        for name in names
        for bad in (b for rule in rules for b in rule)
        if name == bad or name.startswith(bad + ".")
    )


def _modules() -> dict[str, Path]:
    found = {}
    for path in DASHBOARD.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def test_the_dashboard_layers_import_downwards_only():
    modules = _modules()
    assert {"dashboard.views.stromen", "dashboard.queries", "dashboard.data", "dashboard.charts"} <= set(
        modules
    )
    problems = [
        v
        for name, path in sorted(modules.items())
        for v in _violations(name, imported(path.read_text("utf-8"), name))
    ]
    assert problems == []


def test_the_check_sees_a_forbidden_import():
    page = (
        "import streamlit as st\n\ndef run():\n    from dashboard import data\n    return data.fetch('x')\n"
    )
    assert _violations("dashboard.views.x", imported(page, "dashboard.views.x")) == [
        "dashboard.views.x imports dashboard.data"
    ]
    pure = "from . import queries\nfrom streamlit.delta_generator import DeltaGenerator\n"
    assert _violations("dashboard.charts", imported(pure, "dashboard.charts")) == [
        "dashboard.charts imports dashboard.queries",
        "dashboard.charts imports streamlit.delta_generator",
        "dashboard.charts imports streamlit.delta_generator.DeltaGenerator",
    ]


def test_the_pure_modules_load_without_streamlit():
    code = textwrap.dedent(
        f"""
        import importlib, sys
        for name in {PURE!r}:
            importlib.import_module("dashboard." + name)
        bad = sorted(m for m in sys.modules if m.split(".")[0] == "streamlit")
        print("\\n".join(bad[:5]))
        sys.exit(1 if bad else 0)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"a pure module pulled in streamlit:\n{result.stdout}{result.stderr}"
