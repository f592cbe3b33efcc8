"""Dutch number and date formatting for the UI (1.234 and 24 nov 2026). Pure functions, no Streamlit."""

from __future__ import annotations

from datetime import date

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


def getal(value: float | int | None, decimalen: int = 0) -> str:
    """1234567.5 -> '1.234.568' (or with decimals '1.234.567,5'); None -> '–'."""
    if value is None:
        return "–"
    text = f"{value:,.{decimalen}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def verschil(delta: float, fmt=getal) -> str:
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


def maand(value: date | None) -> str:
    """date(2026, 11, 1) -> 'nov 2026'."""
    return "–" if value is None else f"{MAANDEN_KORT[value.month - 1]} {value.year}"


def weken(dagen: float | None) -> str:
    """Days -> '3,4 wk'."""
    return "–" if dagen is None else f"{getal(dagen / 7, 1)} wk"


def format_table(df, labels: dict[str, str] | None = None):
    """A frame as the user reads it: Dutch numbers, dates and percentages as text, Dutch headings.

    Columns named `aandeel_*`/`pct_*` are shares (0..1) shown as percentages; other floats get one
    decimal; integers get thousands separators; dates 'd mmm jjjj'; text (incl. "<k") stays. With
    `labels`, only the labelled columns are kept, in that order, under their Dutch names.
    """
    import polars as pl

    def text(col: str, f) -> pl.Series:
        # formatted in Python, not with map_elements: a Python UDF on Polars' thread pool deadlocks when
        # several script threads (concurrent sessions) format at once
        return pl.Series(col, [None if v is None else f(v) for v in df[col].to_list()], dtype=pl.String)

    def fmt(col: str, dtype: pl.DataType):
        if col.startswith(("aandeel", "pct")) and dtype.is_float():
            return text(col, procent)
        if dtype.is_float():
            return text(col, lambda v: getal(v, 1))
        if dtype.is_integer():
            return text(col, getal)
        if dtype == pl.Date:
            return text(col, datum)
        return pl.col(col).cast(pl.String)

    if labels:
        df = df.select([c for c in labels if c in df.columns])
    out = df.with_columns(fmt(c, t).alias(c) for c, t in df.schema.items()).fill_null("–")
    return out.rename({c: labels[c] for c in out.columns}) if labels else out
