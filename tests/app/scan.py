"""Scanning a page run for what it shows: every element's message, every frame a chart or table carries and
the link (`all_text`), and the providers the database names (`real_providers`), read with duckdb, so a test
can check which names and codes reach the user (learning-session mode, roles)."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pyarrow as pa
from google.protobuf import text_format


def real_providers(db: Path) -> tuple[set[str], set[str]]:
    """Every aanbieder name and AGB code the database holds (reference list and facts)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = {
            r[0] for r in con.execute("select naam from organisaties where soort = 'aanbieder'").fetchall()
        }
        codes = {
            r[0] for r in con.execute("select code from organisaties where soort = 'aanbieder'").fetchall()
        }
        for table in ("trajecten", "wachttijden", "leveringen", "signalen"):
            codes |= {
                r[0]
                for r in con.execute(
                    f"select distinct aanbieder_agb from {table} where aanbieder_agb is not null"
                ).fetchall()
            }
    finally:
        con.close()
    return names, codes


def all_text(at) -> str:
    """Everything a page run sends: every element's message (strings as UTF-8) and every frame a chart or
    table carries, decoded from Arrow, plus the page's link."""
    parts = [repr(dict(at.query_params))]
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        parts.append(text_format.MessageToString(proto, as_utf8=True))
        kind = getattr(node, "type", "")
        if kind in ("vega_lite_chart", "arrow_vega_lite_chart"):
            for d in proto.datasets:
                if d.data.data:
                    parts.append(repr(pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all().to_pylist()))
        elif kind in ("dataframe", "arrow_data_frame"):
            parts.append(node.value.to_csv())
    return "\n".join(parts)


def leaks(text: str, names: set[str], codes: set[str]) -> list[str]:
    return sorted(n for n in names | codes if n in text)
