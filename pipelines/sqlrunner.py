"""The SQL model runner: builds `sql/staging -> intermediate -> marts` (+ `macros`) into DuckDB.

Conventions it enforces (and fails loudly on):
- one SELECT (or WITH ... SELECT) per file, no statement separators inside;
- the file stem is the relation name, unique across layers;
- the first line is a comment stating the grain (`-- one row per ...`);
- macro files carry a header line `-- params: a, b` and become table macros; a macro file that also carries
  `-- returns: <type>` is a scalar macro, written as `select <expression> as <stem>` (so it stays one
  SELECT that linters parse) and created as `create macro <stem>(a, b) as <expression>`;
- parameters appear as `$name` and are bound by DuckDB, never formatted into the text.

The build order is derived from the SQL itself: a model depends on every other model whose name appears as
an identifier in its text (comments and string literals stripped). A cycle is an error naming its members.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb

from pipelines.sqltext import COMMENT, strip

LAYERS = ("staging", "intermediate", "marts", "macros")

_COMMENT = COMMENT
_IDENT = re.compile(r'"([^"]+)"|\b([a-z_][a-z0-9_]*)\b', re.I)
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)", re.I)
_PARAMS_LINE = re.compile(r"^--[ \t]*params:[ \t]*(.*)$", re.I | re.M)
_RETURNS_LINE = re.compile(r"^--[ \t]*returns:[ \t]*(\S.*)$", re.I | re.M)


class ModelError(Exception):
    """A model file breaks a convention, or the models form a cycle."""


@dataclass
class Model:
    name: str
    layer: str
    path: Path
    sql: str
    grain: str
    params: list[str] = field(default_factory=list)  # bound $parameters
    macro_args: list[str] = field(default_factory=list)  # macros only
    scalar_expr: str | None = None  # scalar macros only: the expression the macro stands for
    depends_on: set[str] = field(default_factory=set)


_strip = strip


def _scalar_expression(path: Path, name: str, body: str) -> str:
    """The expression of a scalar macro file `select <expression> as <name>` (no FROM, nothing else)."""
    m = re.fullmatch(rf"select\s+(.+?)\s+as\s+{re.escape(name)}", body, re.I | re.S)
    if m is None or re.search(r"\bfrom\b", m.group(1), re.I):
        raise ModelError(
            f"{path}: a scalar macro file holds `select <expression> as {name}` and nothing else"
        )
    return m.group(1)


def read_models(sql_dir: Path) -> dict[str, Model]:
    """Read and check every model file under `sql_dir`."""
    models: dict[str, Model] = {}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            text = path.read_text("utf-8")
            first = text.splitlines()[0] if text.strip() else ""
            if not first.startswith("--") or len(first.strip("- ")) < 5:
                raise ModelError(f"{path}: the first line must be a comment stating the grain")
            name = path.stem
            if name in models:
                raise ModelError(f"{path}: relation {name!r} is defined twice")
            body = _strip(text).strip().rstrip(";").strip()
            if ";" in body:
                raise ModelError(f"{path}: one SELECT per file (found a ';' inside)")
            if not re.match(r"^(select|with|from)\b", body, re.I):
                raise ModelError(f"{path}: a model file holds one SELECT statement")
            macro_args: list[str] = []
            scalar_expr = None
            if layer == "macros":
                m = _PARAMS_LINE.search(text)
                macro_args = [a.strip() for a in m.group(1).split(",") if a.strip()] if m else []
                if _RETURNS_LINE.search(text):
                    scalar_expr = _scalar_expression(
                        path, name, _COMMENT.sub(" ", text).strip().rstrip(";").strip()
                    )
            models[name] = Model(
                name=name,
                layer=layer,
                path=path,
                sql=text.strip().rstrip(";"),
                grain=first.lstrip("- ").strip(),
                params=sorted(set(_PARAM.findall(body))),
                macro_args=macro_args,
                scalar_expr=scalar_expr,
            )
    names = set(models)
    for model in models.values():
        idents = {(q or u).lower() for q, u in _IDENT.findall(_strip(model.sql))}
        model.depends_on = (idents & names) - {model.name}
    return models


def build_order(models: dict[str, Model]) -> list[str]:
    """Topological order of the models; raises ModelError naming the cycle."""
    sorter = TopologicalSorter({name: m.depends_on for name, m in models.items()})
    try:
        return list(sorter.static_order())
    except CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise ModelError(f"the SQL models form a cycle: {cycle}") from exc


def run_models(
    con: duckdb.DuckDBPyConnection,
    sql_dir: Path,
    params: dict[str, Any],
    on_model: Callable[[Model], None] | None = None,
) -> list[str]:
    """Materialise every model in dependency order; returns the order used."""
    models = read_models(sql_dir)
    order = build_order(models)
    for name in order:
        model = models[name]
        missing = [p for p in model.params if p not in params]
        if missing:
            raise ModelError(f"{model.path}: no value for parameter(s) {', '.join(missing)}")
        bound = {p: params[p] for p in model.params}
        if model.layer == "macros":
            args = ", ".join(model.macro_args)
            if model.scalar_expr is not None:
                con.execute(f"create or replace macro {name}({args}) as ({model.scalar_expr})")
            else:
                con.execute(f"create or replace macro {name}({args}) as table {model.sql}")
        else:
            try:
                con.execute(f"create or replace table {name} as {model.sql}", bound or None)
            except duckdb.Error as exc:
                raise ModelError(f"{model.path}: {exc}") from exc
        if on_model is not None:
            on_model(model)
    return order
