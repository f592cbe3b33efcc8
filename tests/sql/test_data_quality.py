"""Data-quality views on a database built through the real build: the voorlopig months, the open last class
of the waiting-time histogram and the caseload status, each against an independent count in Python.

Invariants: the delivery lag is measured from the data (not assumed), every month inside it before the
peildatum is marked voorlopig in the monthly macros and no older month is; the histogram's classes add up
to every wait, and its open class holds every wait from the configured weeks on; each caseload status is
the band classification of the figure it is paired with.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import date

import duckdb
import polars as pl
import pytest

from pipelines import settings


@pytest.fixture(scope="module")
def con(small_db):
    c = duckdb.connect(str(small_db), read_only=True)
    yield c
    c.close()


def _add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def _months(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _peil(con) -> tuple[date, date]:
    return con.sql("select peildatum, venster_begin from peildatum").fetchall()[0]


def expected_lag(con) -> tuple[int, int]:
    """The lag counted in Python straight from the start and stop lines: for the complete months (after the
    first month of the window, ended at least the measuring window before the peildatum), the smallest
    number of months after the month end by which the threshold share of their lines had arrived."""
    cfg = settings.config()["voorlopig"]
    peil, venster = _peil(con)
    lines = [
        *con.sql("select begindatum, dagtekening from starts").fetchall(),
        *con.sql("select einddatum, dagtekening from stops").fetchall(),
    ]
    delays: list[int] = []
    for activity, arrived in lines:
        if activity is None or arrived is None or activity > peil or arrived > peil:
            continue
        month = activity.replace(day=1)
        complete = month > venster.replace(day=1) and (
            _month_end(_add_months(month, cfg["meetvenster_maanden"])) <= peil
        )
        if complete:
            delays.append(max(_months(month, arrived), 0))
    assert len(delays) > 100, "enough complete months to measure"
    lag = next(j for j in range(0, 60) if sum(d <= j for d in delays) / len(delays) >= cfg["drempel"])
    return lag, sum(d > 0 for d in delays)


def test_measured_delivery_lag_equals_an_independent_count(con):
    lag, late = expected_lag(con)
    row = con.sql("select * from aanleververtraging").pl().row(0, named=True)
    assert row["vertraging_maanden"] == lag
    assert not row["is_niet_gemeten"]
    assert row["n_regels_gemeten"] * row["aandeel_na_maandeinde"] == pytest.approx(late)


def test_the_last_months_are_voorlopig_and_older_ones_are_not(con):
    lag, _ = expected_lag(con)
    peil, _ = _peil(con)
    van, tot = _add_months(peil.replace(day=1), -12), peil.replace(day=1)

    def expected(month: date) -> str:
        # inside the lag: the month's lines are not yet expected to be (threshold) complete at the peildatum
        return "ja" if _month_end(_add_months(month, lag)) > peil else "nee"

    macros = {
        "stromen_maand": "select maand, voorlopig from stromen_maand($van, $tot, null, null, null, null)",
        "wachttijden_trend": "select maand, voorlopig from wachttijden_trend('behandeling', $van, $tot, null, null, null)",
        "signalen_maand": "select maand, voorlopig from signalen_maand($van, $tot, null, null, null)",
        "caseload_verloop": "select maand, voorlopig from caseload_verloop("
        "(select min(team_code) from caseload_team), $van, $tot, null)",
    }
    for name, sql in macros.items():
        rows = con.sql(sql, params={"van": van, "tot": tot}).fetchall()
        assert rows, name
        assert {m: v for m, v in rows} == {m: expected(m) for m, _ in rows}, name
    flows = dict(con.sql(macros["stromen_maand"], params={"van": van, "tot": tot}).fetchall())
    # the sample generator delivers part of every month's messages after the month end: something is voorlopig
    assert flows[max(flows)] == "ja", "the last month is voorlopig"
    assert flows[min(flows)] == "nee", "a year-old month is not"


def _waits(con, niveau: str, van: date, tot: date) -> pl.DataFrame:
    """Per wait: its length (completed in the period) or its age on the reference date (still running),
    computed here from the wachttijden mart, not through wachttijden_op."""
    peil, _ = _peil(con)
    ref = min(_month_end(tot), peil)
    df = con.sql("select * from wachttijden where niveau = $n", params={"n": niveau}).pl()
    afgerond = df.filter(pl.col("einddatum").is_between(van, _month_end(tot)))["wachtdagen"].to_list()
    running = df.filter(
        (pl.col("begindatum") <= ref)
        & (pl.col("einddatum").is_null() | (pl.col("einddatum") > ref))
        & (pl.col("afbreekdatum").is_null() | (pl.col("afbreekdatum") > ref))
    )
    wachtend = [(ref - b).days for b in running["begindatum"].to_list()]
    return {"afgerond": afgerond, "wachtend": wachtend}


def _norm_days(niveau: str) -> int | None:
    """The norm of a niveau in days, read from the config here (not from the models)."""
    cfg = settings.config()
    return {
        "verzoek_toewijzing": cfg["normen"]["verzoek_toewijzing_dagen"],
        "toewijzing_start": cfg["normen"]["toewijzing_start_dagen"],
        "aanmelding": None,
        "intake": 7 * cfg["treeknorm"]["aanmelding_weken"],
        "behandeling": 7 * cfg["treeknorm"]["behandeling_weken"],
        "totaal": 7 * cfg["treeknorm"]["totaal_weken"],
    }[niveau]


def _week_label(days: int) -> str:
    return str(days // 7) if days % 7 == 0 else f"{days / 7:.1f}".replace(".", ",")


@pytest.mark.parametrize("niveau", ["behandeling", "aanmelding", "toewijzing_start", "verzoek_toewijzing"])
def test_histogram_bins_add_up_align_with_the_norm_and_the_open_bin_holds_every_long_wait(con, niveau):
    """Classes of `verdeling_klasse_weken` weeks with the norm as an extra edge, each (van, tot] days; the
    classes within the norm hold exactly the completed waits of at most norm_dagen (the share within norm's
    definition), so the norm line on the chart falls on a class edge."""
    wcfg = settings.config()["wachttijden"]
    open_weken, breedte = wcfg["verdeling_open_klasse_weken"], wcfg["verdeling_klasse_weken"]
    norm = _norm_days(niveau)
    edges = sorted(
        set(range(0, 7 * open_weken, 7 * breedte))
        | {7 * open_weken}
        | ({norm} if norm and norm < 7 * open_weken else set())
    )
    peil, _ = _peil(con)
    van, tot = _add_months(peil.replace(day=1), -23), peil.replace(day=1)
    bins = con.sql(
        "select * from wachttijden_verdeling($n, $van, $tot, null, null, null)",
        params={"n": niveau, "van": van, "tot": tot},
    ).pl()
    for soort, lengths in _waits(con, niveau, van, tot).items():
        rows = bins.filter(pl.col("soort") == soort).sort("volgorde")
        assert rows["aantal"].sum() == len(lengths), soort
        # every class has a row, also an empty one (a row's presence must say nothing: docs/privacy.md)
        assert rows["klasse"].to_list() == [
            *(f"{_week_label(a)}–{_week_label(b)} wk" for a, b in itertools.pairwise(edges)),
            f"> {open_weken} wk",
        ]
        assert rows["is_open"].to_list() == [False] * (len(edges) - 1) + [True]
        counts = rows["aantal"].to_list()
        for i, (a, b) in enumerate(itertools.pairwise(edges)):
            inside = sum((d > a or i == 0) and d <= b for d in lengths)
            assert counts[i] == inside, (soort, a, b)
        assert counts[-1] == sum(d > 7 * open_weken for d in lengths), "the open class"
        if soort == "afgerond" and norm is not None:
            binnen = rows.filter(pl.col("binnen_norm"))["aantal"].sum()
            assert binnen == sum(d <= norm for d in lengths), "the classes within the norm"
            assert norm in edges
    if niveau == "behandeling":
        assert bins.filter(pl.col("is_open"))["aantal"].sum() > 0, "the sample has long behandeling waits"


def _band_status(value: float | None, onder: float | None, boven: float | None) -> str | None:
    """The traffic light, written out from norms-and-methods section 7 (margin from the config)."""
    marge = settings.config()["caseload"]["ver_boven_marge"]
    if value is None or boven is None:
        return None
    if value < onder:
        return "onder_band"
    if value <= boven:
        return "binnen_band"
    return "boven_band" if value < boven * (1 + marge) else "ver_boven_band"


def test_each_caseload_status_is_the_band_classification_of_its_own_figure(con):
    rows = con.sql("select * from caseload_team").pl().iter_rows(named=True)
    checked = differ = 0
    for r in rows:
        onder, boven = r["bandbreedte_onder"], r["bandbreedte_boven"]
        assert r["status_ongewogen"] == _band_status(r["casussen_per_fte"], onder, boven), r
        assert r["status_gewogen"] == _band_status(r["gewogen_casussen_per_fte"], onder, boven), r
        checked += r["status_ongewogen"] is not None
        differ += r["status_ongewogen"] != r["status_gewogen"]
    assert checked > 0
    assert differ > 0, "weighting changes the status somewhere (the case the page must not mix up)"
