"""Input frames of the Vooruitblik computations: their schemas, the checks and the typed error.

Two kinds of problems, two ways of reporting them:
- A problem with the call itself (a missing column, a parameter outside its range, an unknown list in a
  chain) raises `VooruitblikFout`, a `ValueError` with a Dutch message: the caller made a mistake.
- A problem with one list's data (no history, no capacity, a negative or non-numeric value) never raises:
  that list gets a `status` code and a Dutch `melding`, its figures are null, and the other lists are
  computed as usual. `STATUS_MELDINGEN` is the one home of those codes and sentences.

Frames (one row per ...):
- `WEEKHISTORIE` (lijst_id x week): `week` is the Monday (date) of an ISO week; `instroom` = new
  referrals that week, `starts` = children who left the list by starting (the clock stop), `afvallers` =
  children who left without care (renege: toewijzing expired or withdrawn, uitgeschreven), `wachtend` =
  children on the list at the end of that week. Missing weeks inside a list's span are filled with zero
  flows and the previous `wachtend` (`weekhistorie_controleren`; a frame sorted by lijst_id, week without
  gaps or duplicates, as a mart with `order by lijst_id, week` delivers it, skips that repair).
- `WACHTTIJDEN` (one waiting episode): `wachtdagen` = days waited (to the clock stop, the renege or the
  peildatum), `is_gestart` = the clock stopped by a start (an event for Kaplan-Meier; everything else is
  censored), optional `is_wachtend` (still on the list at the peildatum; default: not started) and
  optional `instapdagen` (left truncation: the age in days at which the episode enters the observation
  window, 0 when it started inside it).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

WEEKHISTORIE: Mapping[str, pl.DataType] = {
    "lijst_id": pl.String(),
    "week": pl.Date(),
    "instroom": pl.Float64(),
    "starts": pl.Float64(),
    "afvallers": pl.Float64(),
    "wachtend": pl.Float64(),
}
WEEK_AANTALLEN = ("instroom", "starts", "afvallers", "wachtend")

WACHTTIJDEN: Mapping[str, pl.DataType] = {
    "lijst_id": pl.String(),
    "wachtdagen": pl.Float64(),
    "is_gestart": pl.Boolean(),
}
WACHTTIJDEN_OPTIONEEL: Mapping[str, pl.DataType] = {
    "is_wachtend": pl.Boolean(),
    "instapdagen": pl.Float64(),
}

OK = "ok"
STATUS_MELDINGEN: Mapping[str, str] = {
    OK: "",
    "geen_historie": "Geen weekgegevens voor deze lijst: er is niets te berekenen.",
    "niet_numeriek": "De weekgegevens bevatten een waarde die geen getal is.",
    "negatieve_waarde": "De weekgegevens bevatten een negatief aantal.",
    "geen_capaciteit": "Geen starts in de gekozen periode (capaciteit 0): de wachtrij loopt niet af.",
    "geen_norm": "Geen (positieve) norm voor deze lijst.",
    "kleine_groep": "Minder dan k kinderen: geen statistiek (kleine aantallen).",
    "geen_wachttijden": "Geen wachttijden voor deze lijst.",
}


class VooruitblikFout(ValueError):
    """A call the Vooruitblik computations cannot answer (a Dutch message, for the page or the log)."""


def melding(status: str) -> str:
    """The Dutch sentence of a status code."""
    return STATUS_MELDINGEN[status]


def status_melding_expr(status: pl.Expr) -> pl.Expr:
    """The Dutch sentence of a status column, as a Polars expression."""
    return status.replace_strict(dict(STATUS_MELDINGEN), default=None, return_dtype=pl.String)


def vereiste_kolommen(df: pl.DataFrame, kolommen: Mapping[str, pl.DataType], naam: str) -> None:
    """Raise `VooruitblikFout` when `df` lacks one of `kolommen`."""
    ontbreekt = [k for k in kolommen if k not in df.columns]
    if ontbreekt:
        raise VooruitblikFout(f"{naam}: kolom(men) ontbreken: {', '.join(ontbreekt)}.")


def positief(waarde: float, naam: str) -> float:
    """`waarde` when it is a finite number > 0, else `VooruitblikFout`."""
    if not isinstance(waarde, int | float) or not waarde > 0 or waarde == float("inf"):
        raise VooruitblikFout(f"{naam} moet een positief getal zijn (gekregen: {waarde!r}).")
    return float(waarde)


def _numeriek(df: pl.DataFrame, kolommen: tuple[str, ...]) -> tuple[pl.DataFrame, pl.Expr]:
    """Cast `kolommen` to Float64 without failing; the expression marks rows where a value was lost."""
    verloren = pl.lit(False)
    uit = []
    for k in kolommen:
        if df.schema[k].is_numeric():
            uit.append(pl.col(k).cast(pl.Float64))
            verloren = verloren | ~pl.col(k).cast(pl.Float64).is_finite().fill_null(True)
        else:
            gecast = pl.col(k).cast(pl.String).str.strip_chars().cast(pl.Float64, strict=False)
            uit.append(gecast)
            verloren = verloren | (pl.col(k).is_not_null() & ~gecast.is_finite().fill_null(False))
    return df.with_columns(_verloren=verloren).with_columns(uit), pl.col("_verloren")


def weekhistorie_controleren(historie: pl.DataFrame) -> pl.DataFrame:
    """The history in the `WEEKHISTORIE` schema, sorted, gap-free, with a per-row `_fout` status or null.

    Raises `VooruitblikFout` only for missing columns or a `week` that is no date.
    """
    vereiste_kolommen(historie, WEEKHISTORIE, "Weekhistorie")
    if historie.schema["week"] not in (pl.Date(), pl.Datetime()) and not isinstance(
        historie.schema["week"], pl.Datetime
    ):
        raise VooruitblikFout("Weekhistorie: kolom week moet een datum zijn.")
    df, verloren = _numeriek(historie.select(list(WEEKHISTORIE)), WEEK_AANTALLEN)
    df = df.with_columns(
        pl.col("lijst_id").cast(pl.String),
        pl.col("week").cast(pl.Date),
        _fout=pl.when(verloren)
        .then(pl.lit("niet_numeriek"))
        .when(pl.any_horizontal(pl.col(k) < 0 for k in WEEK_AANTALLEN))
        .then(pl.lit("negatieve_waarde")),
    ).drop("_verloren")
    df = df.filter(pl.col("lijst_id").is_not_null() & pl.col("week").is_not_null())
    if df.is_empty():
        return df.with_columns(pl.col("_fout").cast(pl.String))
    if _op_orde(df):  # the usual case (the marts deliver `order by lijst_id, week`): nothing to repair
        return df
    # one row per list and week (duplicates are added up), then fill gaps within each list's span
    df = df.group_by("lijst_id", "week").agg(
        pl.col("instroom", "starts", "afvallers").sum(),
        pl.col("wachtend").last(),
        pl.col("_fout").drop_nulls().first(),
    )
    df = (
        df.sort("lijst_id", "week")
        .upsample(time_column="week", every="1w", group_by="lijst_id")
        .with_columns(
            pl.col("lijst_id").forward_fill(),
            pl.col("instroom", "starts", "afvallers").fill_null(0.0),
            pl.col("wachtend").forward_fill().over("lijst_id"),
        )
    )
    return df.sort("lijst_id", "week")


def _op_orde(df: pl.DataFrame) -> bool:
    """Sorted by list and week, one row per week, no gaps (each list's next row is 7 days later)."""
    vorige_lijst = pl.col("lijst_id").shift(1)
    stap = pl.col("week") - pl.col("week").shift(1)
    goed = (pl.col("lijst_id") > vorige_lijst) | (
        (pl.col("lijst_id") == vorige_lijst) & (stap == pl.duration(days=7))
    )
    return bool(df.select(goed.slice(1).all())[0, 0])


def lijst_status(gecontroleerd: pl.DataFrame) -> pl.DataFrame:
    """Per list: the first data problem of its checked history, or `ok` (columns lijst_id, status)."""
    return gecontroleerd.group_by("lijst_id").agg(status=pl.col("_fout").drop_nulls().first().fill_null(OK))
