"""Dutch number and date formatting: the one home of how a number or date is written. Pure, no Streamlit.

On screen: thousands separator "." and decimal comma (1.234 and 5,5), dates "24 nov 2026", months
"nov 2026", shares "85%". Decimals per unit: counts 0, days 0 (whole days: a median between two days is rounded
half up; columns `*_dagen`), weeks 1 ("3,4 wk"), per-fte figures and scores 1, shares as whole percents.
In CSV downloads (`format_table(..., csv=True)`): the same decimal comma (the files are ";"-separated for
Dutch spreadsheets) but no thousands separator, so every number reads back as one number (pandas:
`read_csv(sep=";", decimal=",")`), and dates and months as ISO dates (2026-11-24, 2026-11-01).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # polars is imported where it is used, so this module stays light to import
    import polars as pl

MAANDEN_KORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MAANDEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def getal(value: float | int | None, decimalen: int = 0, duizendtallen: bool = True) -> str:
    """1234567.5 -> '1.234.568' (or with decimals '1.234.567,5'; without thousands separator
    '1234567,5'); None -> '–'."""
    if value is None:
        return "–"
    text = f"{value:{',' if duizendtallen else ''}.{decimalen}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def verschil(delta: float, fmt: Callable[[float], str] = getal) -> str:
    """A change with its sign: 5 -> '+5', -0.7 weeks -> '-0,7 wk'; one that rounds to zero shows as zero
    ('0', '0,0 wk'), without a sign."""
    text = fmt(abs(delta))
    if text == fmt(0):
        return text
    return ("+" if delta > 0 else "-") + text


def procent(value: float | None, decimalen: int = 0) -> str:
    """0.853 -> '85%'."""
    return "–" if value is None else f"{getal(value * 100, decimalen)}%"


def datum(value: date | None) -> str:
    """date(2026, 11, 24) -> '24 nov 2026'."""
    return "–" if value is None else f"{value.day} {MAANDEN_KORT[value.month - 1]} {value.year}"


TIJDZONE = ZoneInfo("Europe/Amsterdam")  # the users' clock; times are stored in UTC


def datum_tijd(value: datetime | None, tussen: str = " ") -> str:
    """A moment (stored in UTC) on the users' clock (Europe/Amsterdam): '24 nov 2026 14:05' (`tussen` between
    date and time, e.g. " om ")."""
    if value is None:
        return "–"
    local = value.astimezone(TIJDZONE)
    return f"{datum(local.date())}{tussen}{local:%H:%M}"


def maand(value: date | None) -> str:
    """date(2026, 11, 1) -> 'nov 2026'."""
    return "–" if value is None else f"{MAANDEN_KORT[value.month - 1]} {value.year}"


def weken(dagen: float | None) -> str:
    """Days -> '3,4 wk'."""
    return "–" if dagen is None else f"{getal(dagen / 7, 1)} wk"


def format_table(df: pl.DataFrame, labels: dict[str, str] | None = None, csv: bool = False) -> pl.DataFrame:
    """A frame as the user reads it: Dutch numbers, dates and percentages as text, Dutch headings.

    Columns named `aandeel_*`/`pct_*` are shares (0..1) shown as percentages; `*_dagen` are days (whole
    days); other floats get one decimal; integers get thousands separators; dates
    'd mmm jjjj', a `maand` column 'mmm jjjj'; yes/no as 'ja'/'nee'; coded columns by their Dutch names
    (labels.WAARDE_LABELS); other text (incl. "<k") stays. With `labels`, only the labelled columns are kept,
    in that order, under their Dutch names. With `csv`: no thousands separators and ISO dates (see the
    module docstring).
    """
    import polars as pl

    from dashboard.labels import WAARDE_LABELS

    def num(v: float, decimalen: int = 0) -> str:
        return getal(v, decimalen, duizendtallen=not csv)

    def dagen(v: float) -> str:
        return num(math.floor(v + 0.5))  # whole days, half up (a median can fall between two days)

    def text(col: str, f: Callable[[Any], str]) -> pl.Series:
        # formatted in Python, not with map_elements: a Python UDF on Polars' thread pool deadlocks when
        # several script threads (concurrent sessions) format at once
        return pl.Series(col, [None if v is None else f(v) for v in df[col].to_list()], dtype=pl.String)

    def fmt(col: str, dtype: pl.DataType) -> pl.Series | pl.Expr:
        if col.startswith(("aandeel", "pct")) and dtype.is_float():
            return text(col, procent)
        if col.endswith("_dagen") and (dtype.is_float() or dtype.is_integer()):
            return text(col, dagen)
        if dtype.is_float():
            return text(col, lambda v: num(v, 1))
        if dtype.is_integer():
            return text(col, num)
        if dtype == pl.Boolean:
            return text(col, lambda v: "ja" if v else "nee")
        if dtype == pl.Date:
            if csv:
                return text(col, lambda v: v.isoformat())
            return text(col, maand if col == "maand" else datum)
        if col in WAARDE_LABELS and dtype == pl.String:
            names = WAARDE_LABELS[col]
            return text(col, lambda v: names.get(v, v))
        return pl.col(col).cast(pl.String)

    if labels:
        df = df.select([c for c in labels if c in df.columns])
    out = df.with_columns(fmt(c, t).alias(c) for c, t in df.schema.items()).fill_null("–")
    return out.rename({c: labels[c] for c in out.columns}) if labels else out
