"""The ranked comparison of aanbieders and gemeenten, its drill-through, and the caseload overview.

- The ranking releases nothing a filter does not: each row equals the completed-wait figures of the
  kerncijfers (another macro, sql/macros/wachten_kerncijfers.sql) under the filter on that aanbieder or
  gemeente, protected the same (so it opens no new disclosure channel: tests/app/test_disclosure.py audits
  the kerncijfers under each gemeente and aanbieder), and it is ordered by the share within the norm.
- A drill-through link sets the chosen aanbieder and keeps every other filter of the URL.
- The caseload page shows all teams against their bands before the chosen team's history, the chosen team
  first, and every team with caseload figures in the period (counted in the database here).
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs

import duckdb
import polars as pl
import pytest

from tests.app.conftest import run_page

COMPARED = [
    "n_afgerond",
    "n_afgerond_onderdrukt",
    "n_kinderen_afgerond",
    "mediaan_dagen",
    "aandeel_binnen_norm",
]


def _filters(db):
    from dashboard import data
    from dashboard.filtermodel import ALLE, Filters

    os.environ["KETENMONITOR_DB"] = str(db)
    opties = data.fetch("filter_opties")
    maanden = sorted(opties.filter(pl.col("soort") == "maand")["waarde"].to_list())
    return Filters(date.fromisoformat(maanden[-12]), date.fromisoformat(maanden[-1]), ALLE, ALLE, ALLE, ALLE)


@pytest.mark.parametrize("niveau", ["behandeling", "toewijzing_start"])
@pytest.mark.parametrize("dimensie", ["aanbieder", "gemeente"])
def test_the_ranking_shows_the_kerncijfers_under_each_filter_in_order(use_db, niveau, dimensie):
    from dashboard import queries

    f = _filters(use_db)
    ranked = queries.wachttijden_rangorde(niveau, dimensie, f)
    assert ranked.height >= 3
    for row in ranked.iter_rows(named=True):
        kern = queries.wachten_niveau(niveau, replace(f, **{dimensie: row["code"]})).row(0, named=True)
        assert {c: row[c] for c in COMPARED} == {c: kern[c] for c in COMPARED}, row["code"]
    shares = [s for s in ranked["aandeel_binnen_norm"].to_list() if s is not None]
    assert shares == sorted(shares, reverse=True), "best first"
    hidden = ranked["aandeel_binnen_norm"].is_null().to_list()
    assert hidden == sorted(hidden), "rows with a hidden share come last"


def test_drill_through_sets_the_choice_and_keeps_the_other_filters(use_db, app_db):
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        gemeente = con.sql(
            "select gemeente_code from wachttijden where gemeente_code in "
            "(select waarde from filter_opties() where soort = 'gemeente') group by 1 order by count(*) desc limit 1"
        ).fetchall()[0][0]
    finally:
        con.close()
    f = _filters(app_db)
    query = {"van": f.van.isoformat(), "tot": f.tot.isoformat(), "gemeente": gemeente}
    at = run_page("views/wachttijden.py", query)
    assert not at.exception, [e.value for e in at.exception]
    from dashboard import queries

    ranked = queries.wachttijden_rangorde("behandeling", "aanbieder", replace(f, gemeente=gemeente))
    chosen = ranked["code"][-1]
    at.selectbox(key="doorklik_aanbieder").set_value(chosen).run()
    assert not at.exception, [e.value for e in at.exception]
    links = list(at.page_link)
    assert len(links) == 3
    for link in links:
        params = {k: v[0] for k, v in parse_qs(link.proto.query_string).items()}
        assert params.get("aanbieder") == chosen, (link.value, params)
        assert params.get("gemeente") == gemeente, (link.value, params)
        assert (
            params["gemeente"] == gemeente and params["van"] == query["van"] and params["tot"] == query["tot"]
        )


def test_caseload_shows_all_teams_first_with_the_chosen_team_on_top(use_db, app_db, monkeypatch):
    import dashboard.components as components

    seen: list[tuple[str, object, pl.DataFrame]] = []
    real = components.chart_block

    def spy(title, chart, frame, *args, **kwargs):
        seen.append((title, chart, frame))
        return real(title, chart, frame, *args, **kwargs)

    monkeypatch.setattr(components, "chart_block", spy)
    f = _filters(app_db)
    query = {"van": f.van.isoformat(), "tot": f.tot.isoformat()}
    at = run_page("views/caseload.py", query)
    seen.clear()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    titles = [t for t, _, _ in seen]
    assert titles[:2] == [
        "Alle teams tegen hun bandbreedte",
        "Verloop van het gekozen team tegen de bandbreedte",
    ]
    _, chart, frame = seen[0]
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        teams = {
            r[0]
            for r in con.sql(
                "select distinct team_code from caseload_team where maand between $van and $tot "
                "and casussen_per_fte is not null",
                params={"van": f.van, "tot": f.tot},
            ).fetchall()
        }
    finally:
        con.close()
    assert set(frame["team_code"].to_list()) == teams
    chosen = at.selectbox(key="caseload_team").value
    naam = frame.filter(pl.col("team_code") == chosen)["team_naam"][0]
    spec = chart.build().to_dict()
    assert spec["layer"][-1]["encoding"]["y"]["sort"][0].startswith(naam)
