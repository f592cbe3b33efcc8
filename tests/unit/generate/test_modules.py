"""The generator's module structure: every module imports on its own, the import graph has no cycle, the product
(`pipelines`) never imports the generator when it is imported, and the waiting-time record columns come from the
product's canonical layout (`pipelines.tabular.layouts`), declared there once.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
GENERATOR = REPO / "generator"
MODULES = sorted(f"generator.{p.stem}" for p in GENERATOR.glob("*.py") if p.stem != "__init__")


def import_graph(package_dir: Path, package: str) -> dict[str, set[str]]:
    """module -> the package's modules it imports, anywhere in the file (also inside functions)."""
    names = {p.stem for p in package_dir.glob("*.py") if p.stem != "__init__"}
    graph: dict[str, set[str]] = {}
    for path in sorted(package_dir.glob("*.py")):
        mod = package if path.stem == "__init__" else f"{package}.{path.stem}"
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == package:
                    deps |= {f"{package}.{a.name}" for a in node.names if a.name in names}
                elif node.module.startswith(package + "."):
                    deps.add(node.module)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith(package + ".")}
        graph[mod] = deps - {mod}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path of modules, or [] when the graph is acyclic."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                return [*stack[stack.index(d) :], d]
            if d not in state and (found := visit(d)):
                return found
        stack.pop()
        state[m] = 2
        return []

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return []


def test_find_cycle_sees_a_lazy_import_loop(tmp_path: Path) -> None:
    # the loop this package once had: sim imported tables, tables imported sim inside a function
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "sim.py").write_text("from pkg.tables import ProviderFiles\n")
    (pkg / "tables.py").write_text("def f():\n    from pkg.sim import month_end\n")
    (pkg / "calendar.py").write_text("")
    assert find_cycle(import_graph(pkg, "pkg")) == ["pkg.sim", "pkg.tables", "pkg.sim"]
    (pkg / "tables.py").write_text("def f():\n    from pkg.calendar import month_end\n")
    assert find_cycle(import_graph(pkg, "pkg")) == []


def test_generator_import_graph_has_no_cycle() -> None:
    graph = import_graph(GENERATOR, "generator")
    assert set(MODULES) <= set(graph)
    assert find_cycle(graph) == []


def test_only_the_package_entry_point_imports_sim() -> None:
    graph = import_graph(GENERATOR, "generator")
    assert sorted(m for m, deps in graph.items() if "generator.sim" in deps) == ["generator"]


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_on_its_own(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_pipelines_do_not_import_the_generator() -> None:
    code = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        import pipelines
        for mod in pkgutil.walk_packages(pipelines.__path__, "pipelines."):
            importlib.import_module(mod.name)
        print("\\n".join(sorted(m for m in sys.modules if m.split(".")[0] == "generator")))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_written_headers_are_the_products_canonical_columns(small_source: Path) -> None:
    """The file headers and mapping keys of a generated region against `pipelines.tabular.layouts`."""
    from pipelines.tabular.layouts import LAYOUTS

    canonical = LAYOUTS["wachttijden"].columns
    mapped = set()
    for path in sorted((small_source / "mappings").glob("wachttijden_*.toml")):
        mapping = tomllib.loads(path.read_text("utf-8"))
        assert set(mapping["kolommen"]) <= set(canonical), path.name
        mapped |= set(mapping["bestanden"])
    unmapped = sorted(
        p for p in (small_source / "wachttijden").iterdir() if f"wachttijden/{p.name}" not in mapped
    )
    assert [p.suffix for p in unmapped] == [".csv"]  # one provider writes the canonical layout
    header = unmapped[0].read_text("utf-8").splitlines()[0].split(";")
    assert header == [c for c in canonical if c != "product"]

    def first_line(path: Path) -> list[str]:
        return path.read_text("utf-8").splitlines()[0].split(";")

    for path in sorted((small_source / "wachttijden-gepubliceerd").glob("*.csv")):
        assert set(first_line(path)) <= set(LAYOUTS["wachttijden_gepubliceerd"].columns), path.name
    assert first_line(small_source / "teams" / "caseload.csv") == list(LAYOUTS["caseload"].columns)
    organisaties = small_source / "referentie" / "organisaties.csv"
    assert first_line(organisaties) == list(LAYOUTS["organisaties"].columns)
