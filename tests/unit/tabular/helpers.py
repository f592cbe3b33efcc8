"""Helpers for the provider/team extractor tests: real files written into tmp_path."""

from __future__ import annotations

from pathlib import Path

import duckdb
import xlsxwriter

from pipelines.build import BuildResult

# Valid BSNs (elfproef) used across the tests; never real persons.
BSN_A = "123456782"
BSN_B = "111222333"
BSN_C = "012345672"  # leading zero: Excel drops it when the cell is a number
BSN_FOUT = "123456789"  # fails the elfproef

TEAMS_CSV = (
    "team_code;team_naam;team_type;gemeente_code;bandbreedte_onder;bandbreedte_boven;eenheid;"
    "geldig_vanaf;geldig_tot\n"
    "WT01;Wijkteam Noord;wijkteam;0344;30;40;casussen;2024-01-01;\n"
    "GI01;GI regio;GI;;10;12;maatregelen;2024-01-01;2025-12-31\n"
)


def write_csv(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Blad1") -> Path:
    """A real workbook; `datetime` cells are written as Excel dates, numbers as numbers."""
    import datetime as dt

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
            elif value is None:
                continue
            else:
                ws.write(r, c, value)
    wb.close()
    return path


class Built:
    def __init__(self, result: BuildResult) -> None:
        self.result = result
        self.con = duckdb.connect(str(result.db), read_only=True)

    def report(self, path: str):
        (match,) = [r for r in self.result.reports if r.path == path]
        return match

    def quarantine(self, path: str) -> list:
        return [q for q in self.result.quarantine if q.path == path]

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        return self.con.execute(sql, params).fetchall()
