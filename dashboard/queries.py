"""Named datasets for the pages: fetch through `dashboard.data`, then apply small-number protection.

Invariant: every frame a page receives from here is already protected (primary and complementary
suppression of counts below k, statistics on fewer than k children hidden), so no page can show or offer
for download a count 1..k-1 by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from dashboard import data
from dashboard.filters import Filters
from dashboard.privacy import hide_small_statistics, suppress_counts
from pipelines import settings

NIVEAU_LABELS = {
    "verzoek_toewijzing": "Verzoek → toewijzing (JW315 → JW301)",
    "toewijzing_start": "Toewijzing → start (JW301 → JW305)",
    "aanmelding": "Verwijzing → aanmelding",
    "intake": "Aanmelding → intake",
    "behandeling": "Intake → start behandeling",
    "totaal": "Verwijzing → start behandeling (totaal)",
}

FLOW_COUNTS = [
    "instroom",
    "instroom_unieke_kinderen",
    "in_zorg",
    "uitstroom",
    "uitstroom_volgens_plan",
    "uitstroom_voortijdig",
    "uitstroom_overig",
    "uitstroom_zonder_stopbericht",
    "opschaling",
    "afschaling",
    "stapeling",
    "herinstroom",
    "overgang_18",
]


def k() -> int:
    return settings.small_number_threshold()


@dataclass(frozen=True)
class Build:
    peildatum: date | None
    model_version: int


def build_kenmerken() -> Build:
    info = data.fetch("build_kenmerken")
    if info.height == 0:
        return Build(None, 0)
    return Build(info["peildatum"][0], int(info["model_version"][0]))


def stromen(f: Filters) -> pl.DataFrame:
    """Flows per month in the period (each count column protected on its own across months)."""
    df = data.fetch("stromen_maand", **f.params())
    return suppress_counts(df, [c for c in FLOW_COUNTS if c in df.columns], ["maand"], k())


def wachten_per_niveau(f: Filters) -> pl.DataFrame:
    """Completed and still-waiting statistics per niveau on the reference date."""
    df = data.fetch("wachten_kerncijfers", **f.params())
    df = hide_small_statistics(
        df, "n_kinderen_afgerond", ["mediaan_dagen", "p92_dagen", "aandeel_binnen_norm"], k()
    )
    df = hide_small_statistics(
        df,
        "n_kinderen_wachtend",
        ["mediaan_wachtend_dagen", "p92_wachtend_dagen", "langste_wachtend_dagen"],
        k(),
    )
    df = suppress_counts(
        df,
        ["n_afgerond", "n_kinderen_afgerond", "n_wachtend", "n_kinderen_wachtend", "n_wachtend_boven_norm"],
        [],
        k(),
    )
    return df.with_columns(
        pl.col("niveau").replace_strict(NIVEAU_LABELS, default=pl.col("niveau")).alias("niveau_label")
    )


def kinderen_wachtend(f: Filters) -> pl.DataFrame:
    df = data.fetch("kinderen_wachtend", **f.params())
    return suppress_counts(df, ["n_kinderen_wachtend", "n_wachtregistraties"], [], k())


def dekking(f: Filters) -> pl.DataFrame:
    """Deliveries per aanbieder × month × source (counts are of messages/records, not children)."""
    return data.fetch("dekking", **f.params())
