"""Scanning a page run for what it shows: every element's message, every frame a chart or table carries and
the link (`all_text`), and the providers the database names (`real_providers`), read with duckdb, so a test
can check which names and codes reach the user (learning-session mode, roles)."""

from __future__ import annotations

import io
from dataclasses import dataclass
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


@dataclass(frozen=True)
class RolFeiten:
    """What the access tests give the roles, read from the database: the chain partner's organisation (a
    provider whose name shares no part with another's) and its name, the team manager's team, another team,
    and the most frequent signal type."""

    org: str
    org_naam: str
    team: str
    team_naam: str
    ander: str
    ander_naam: str
    signaal: str


def rol_feiten(db: Path) -> RolFeiten:
    con = duckdb.connect(str(db), read_only=True)
    try:
        orgs = con.execute(
            "select code, naam from organisaties where soort = 'aanbieder' and naam is not null order by code"
        ).fetchall()
        teams = con.execute(
            "select distinct team_code, team_naam from caseload_team where team_naam is not null order by team_code"
        ).fetchall()
        signaal = con.execute(
            "select type from signalen group by type order by count(*) desc, type"
        ).fetchall()
    finally:
        con.close()
    namen = [n for _c, n in orgs]
    code, naam = next((c, n) for c, n in orgs if not any(n in m or m in n for m in namen if m != n))
    (team, team_naam), (ander, ander_naam) = teams[0], teams[-1]
    return RolFeiten(code, naam, team, team_naam, ander, ander_naam, signaal[0][0])
