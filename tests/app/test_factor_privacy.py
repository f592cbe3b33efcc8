"""Factor means over fewer than k respondents are not shown (docs/privacy.md): a mean of two or three
scores is close to a person's own answer. Checked against the respondents counted straight from the
factor scores of the built database."""

from __future__ import annotations

import os
from datetime import date

import duckdb


def test_factor_means_need_k_respondents(app_db):
    from dashboard import queries
    from dashboard.filtermodel import ALLE, Filters

    con = duckdb.connect(str(app_db), read_only=True)
    try:
        teams = [r[0] for r in con.sql("select distinct team_code from factorscores order by 1").fetchall()]
        tot = con.sql("select max(make_date(jaar, 3 * kwartaalnummer - 2, 1)) from factorscores").fetchall()[
            0
        ][0]
        respondenten = {
            team: con.sql(
                "select count(distinct medewerker_id) from factorscores where team_code = $t "
                "and jaar * 10 + kwartaalnummer = (select max(jaar * 10 + kwartaalnummer) from factorscores "
                "where team_code = $t)",
                params={"t": team},
            ).fetchall()[0][0]
            for team in teams
        }
    finally:
        con.close()
    old = os.environ.get("KETENMONITOR_DB")
    os.environ["KETENMONITOR_DB"] = str(app_db)
    try:
        k = queries.k()
        f = Filters(date(tot.year - 1, tot.month, 1), tot, ALLE, ALLE, ALLE, ALLE)
        hidden = shown = 0
        for team in teams:
            df = queries.caseload_factoren(team, f)
            assert df.height > 0
            if respondenten[team] < k:
                assert df["gemiddelde_score"].is_null().all(), team
                hidden += 1
            else:
                assert df["gemiddelde_score"].is_not_null().any(), team
                shown += 1
        assert hidden and shown, "the region has small and larger teams (self-check)"
    finally:
        if old is None:
            os.environ.pop("KETENMONITOR_DB", None)
        else:
            os.environ["KETENMONITOR_DB"] = old
