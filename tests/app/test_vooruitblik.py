"""The Vooruitblik page on a database built through the real build: the ranking against an independent count
from the mart, the small-number rule, and the what-if scenario kept in (and reproduced from) the URL."""

from __future__ import annotations

import duckdb
import pytest

from tests.app.test_url_state import NOTICE, open_page

PAGE = "views/vooruitblik.py"
K = 5


def _sql(db, query: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(query).fetchall()
    finally:
        con.close()


def _lijsten_direct(db) -> dict[str, tuple[int, int]]:
    """lijst_id -> (children who joined in the last 52 complete weeks, waiting at the last week), counted
    from `wachttijden` (not from the mart the page reads)."""
    rows = _sql(
        db,
        """
        with laatste as (
            select cast(date_trunc('week', p.peildatum + 1) - interval 7 day as date) as week from peildatum as p
        )
        select
            concat_ws('|', w.niveau, coalesce(w.aanbieder_agb, '-'), coalesce(w.productcategorie, '-')),
            count(*) filter (where w.begindatum >= l.week - 357 and w.begindatum <= l.week + 6),
            count(*) filter (
                where w.begindatum <= l.week + 6
                and (w.is_wachtend or coalesce(w.einddatum, w.afbreekdatum) > l.week + 6)
            )
        from wachttijden as w
        cross join laatste as l
        where w.niveau <> 'totaal'
        group by all
        """,
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def _ranking(at):
    """The ranking table as shown (the first table of the page)."""
    return at.dataframe[0].value


def _figures(at) -> tuple:
    return (
        tuple((m.label, m.value) for m in at.metric),
        tuple(tuple(map(tuple, df.value.astype(str).values.tolist())) for df in at.dataframe),
    )


def _param(at, key: str) -> str | None:
    value = at.query_params.get(key)
    return str(value[0] if isinstance(value, list) else value) if value is not None else None


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_page_renders_backtest_before_forecast(use_db):
    at = open_page(PAGE)
    titels = [s.value for s in at.subheader]
    assert titels.index("Terugblik: hoe goed was de prognose?") < titels.index("Prognose voor 52 weken")
    assert titels.index("Prognose voor 52 weken") < titels.index(
        "Wat als: wachtrij en wachttijd tegen de basis"
    )
    assert "Normen op één noemer" in titels
    assert any(m.label.startswith("Binnen de band") for m in at.metric)


def test_ranking_rows_are_the_lists_with_k_or_more_children_a_year(use_db, app_db):
    direct = _lijsten_direct(app_db)
    verwacht = sorted(lid for lid, (instroom, _) in direct.items() if instroom >= K)
    at = open_page(PAGE)
    assert len(_ranking(at)) == len(verwacht)
    keuze = at.selectbox(key="vb_lijst")
    assert sorted(keuze.options) == sorted(keuze.format_func(lid) for lid in verwacht)


def test_small_waiting_counts_show_as_below_k(use_db, app_db):
    direct = _lijsten_direct(app_db)
    at = open_page(PAGE)
    tabel = _ranking(at)
    getoond = tabel["Wachtenden"].astype(str).tolist()
    # every list whose true count is under k shows "<5"; every shown number is k or more
    klein = sum(1 for instroom, wachtend in direct.values() if instroom >= K and wachtend < K)
    assert klein > 0, "the region has small lists: the rule must be exercised"
    assert getoond.count(f"<{K}") >= klein
    assert all(v == f"<{K}" or int(v.replace(".", "")) >= K for v in getoond)


def test_a_what_if_in_the_url_changes_the_projection(use_db):
    basis = open_page(PAGE)
    meer = open_page(PAGE, {"vb_capaciteit": "50"})
    label = "Wachtrij over 52 weken: wat als"
    assert _metric(basis, label) == _metric(basis, "Wachtrij over 52 weken: basis")
    assert _metric(meer, "Wachtrij over 52 weken: basis") == _metric(basis, "Wachtrij over 52 weken: basis")
    assert int(_metric(meer, label)) < int(_metric(basis, label))
    assert _param(meer, "vb_capaciteit") == "50"


def test_changing_a_control_writes_the_url_and_the_link_reproduces_the_figures(use_db, app_db):
    at = open_page(PAGE)
    keuze = at.selectbox(key="vb_lijst")
    tweede = keuze.options[1]
    lijst = next(lid for lid in _lijsten_direct(app_db) if keuze.format_func(lid) == tweede)
    keuze.select(lijst).run()
    at.select_slider(key="vb_instroom").set_value("-30").run()
    at.select_slider(key="vb_extra").set_value("3").run()
    at.select_slider(key="vb_extra_weken").set_value("10").run()
    assert not at.exception
    link = {k: _param(at, k) for k in at.query_params}
    assert link["vb_instroom"] == "-30" and link["vb_extra"] == "3" and link["vb_extra_weken"] == "10"
    assert link["vb_lijst"] == lijst
    gedeeld = open_page(PAGE, {k: v for k, v in link.items() if v is not None})
    assert _figures(gedeeld) == _figures(at)
    assert _metric(gedeeld, "Wachtrij over 52 weken: wat als") != _metric(
        gedeeld, "Wachtrij over 52 weken: basis"
    )


@pytest.mark.parametrize("param, waarde", [("vb_capaciteit", "veel"), ("vb_lijst", "geen|lijst|x")])
def test_an_unknown_scenario_value_is_named_and_ignored(use_db, param, waarde):
    at = open_page(PAGE, {param: waarde})
    notices = [w.value for w in at.warning if NOTICE in w.value]
    assert notices and param in notices[0]
    assert _param(at, param) is None


def test_a_list_whose_backtest_was_poor_says_so(use_db, app_db):
    """The warning follows forecast.backtest run here on the mart's history (6 and 12 months back)."""
    import polars as pl

    from dashboard.queries import _vb_keten
    from pipelines.vooruitblik.forecast import backtest

    con = duckdb.connect(str(app_db), read_only=True)
    try:
        weken = con.sql("select * from wachtlijst_week order by lijst_id, week").pl()
    finally:
        con.close()
    historie = weken.select(
        "lijst_id",
        "week",
        *(pl.col(c).cast(pl.Float64) for c in ("instroom", "starts", "afvallers", "wachtend")),
    )
    bt = backtest(historie, keten=_vb_keten(weken))
    per = bt.group_by("lijst_id").agg(slecht=pl.col("is_slecht").fill_null(False).any())
    getoond = {lid for lid, (instroom, _) in _lijsten_direct(app_db).items() if instroom >= K}
    per = per.filter(pl.col("lijst_id").is_in(list(getoond)))
    slecht = per.filter(pl.col("slecht"))["lijst_id"].sort().to_list()
    goed = per.filter(~pl.col("slecht"))["lijst_id"].sort().to_list()
    assert slecht and goed, "the region needs both kinds of lists for this test"
    for lid, verwacht in ((slecht[0], True), (goed[0], False)):
        at = open_page(PAGE, {"vb_lijst": lid})
        waarschuwing = any("Deze prognose was slecht" in w.value for w in at.warning)
        assert waarschuwing == verwacht, lid


def test_a_lower_caseload_band_lowers_the_starts_a_team_can_absorb(use_db, app_db):
    """Starts per week = FTE x band / mean case length (norms-and-methods §8), the inputs counted here from
    the team files' tables (caseload_toewijzingen, caseload_team), not from the mart the page reads."""
    from dashboard.format import getal

    at = open_page(PAGE, {"vb_band": "12"})
    team = at.selectbox(key="vb_team").value
    (fte, band, duur) = _sql(
        app_db,
        f"""
        select
            (select arg_max(fte, maand) from caseload_team where team_code = '{team}' and fte is not null),
            (select arg_max(bandbreedte_boven, maand) from caseload_team where team_code = '{team}' and fte is not null),
            (select avg(datediff('day', c.startdatum, c.einddatum)) / 7.0 from caseload_toewijzingen as c, peildatum as p
             where c.team_code = '{team}' and c.einddatum > p.peildatum - 364 and c.einddatum <= p.peildatum)
        """,
    )[0]
    tabel = at.dataframe[-1].value
    rij = tabel[tabel["Kengetal"] == "Starts per week die het team aankan"].iloc[0]
    assert rij["Nu"] == getal(fte * band / duur, 1)
    assert rij["Met de gekozen band"] == getal(fte * 12 / duur, 1)
    assert _param(at, "vb_band") == "12"
