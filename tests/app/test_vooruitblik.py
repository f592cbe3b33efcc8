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


VERWACHTING = "Verwachte wachttijd bij aanmelden vandaag, naast wat de aanbieder publiceert"


def _verwachting(at):
    """The expected-wait table as shown (the table under its heading)."""
    return next(
        df.value for df in at.dataframe if "Gepubliceerd door de aanbieder (weken)" in df.value.columns
    )


def _namen(db) -> dict[str, str]:
    namen = dict(_sql(db, "select code, naam from organisaties where soort = 'aanbieder'"))
    return {
        agb: namen.get(agb) or f"AGB {agb}"
        for (agb,) in _sql(db, "select distinct aanbieder_agb from wachttijden")
    }


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
    """The warning follows forecast.backtest run here on the mart's history (6 and 12 months back), the list
    simulated with its chain from origin models estimated on the whole region, as the page does."""
    import polars as pl

    from dashboard.queries import _vb_keten
    from pipelines.vooruitblik.forecast import backtest, oorsprongmodellen

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
    keten = _vb_keten(weken)
    modellen = oorsprongmodellen(historie, keten=keten)
    getoond = sorted(lid for lid, (instroom, _) in _lijsten_direct(app_db).items() if instroom >= K)
    slecht, goed = [], []
    for lid in getoond:
        bt = backtest(historie, keten=keten, modellen=modellen, lijst_ids=[lid])
        (slecht if bt["is_slecht"].fill_null(False).any() else goed).append(lid)
        if slecht and goed:
            break
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


def test_the_published_wait_stands_beside_the_expected_wait(use_db, app_db, app_source):
    """Per aanbieder: the latest published month up to the peildatum, read here from the exports themselves
    (the CSV files, not the database), mean over its locaties; intake gets the aanmeldingswachttijd and
    behandeling the behandelingswachttijd, the other steps nothing."""
    import polars as pl

    from dashboard.format import datum, getal

    (peildatum,) = _sql(app_db, "select peildatum from peildatum")[0]
    bestanden = sorted((app_source / "wachttijden-gepubliceerd").glob("*.csv"))
    assert bestanden, "the region must have published waits"
    pub = pl.concat(
        [pl.read_csv(b, separator=";", schema_overrides={"aanbieder_agb": pl.String}) for b in bestanden],
        how="diagonal_relaxed",
    ).with_columns(pl.col("peildatum").str.to_date())
    pub = pub.filter(pl.col("maand").str.to_date("%Y-%m") <= peildatum)
    laatste = pub.filter(pl.col("maand") == pl.col("maand").max().over("aanbieder_agb"))
    verwacht = laatste.group_by("aanbieder_agb").agg(
        pl.col("aanmeldingswachttijd_weken").mean(),
        pl.col("behandelingswachttijd_weken").mean(),
        pl.col("peildatum").max(),
        pl.col("aantal_wachtenden").sum(),
    )
    at = open_page(PAGE)
    assert not at.exception
    tabel = _verwachting(at)
    namen = _namen(app_db)
    gecontroleerd = 0
    for r in verwacht.iter_rows(named=True):
        rijen = tabel[tabel["Aanbieder"] == namen[r["aanbieder_agb"]]]
        if rijen.empty:
            continue
        for stap, kolom in (
            ("Aanmelding → intake", "aanmeldingswachttijd_weken"),
            ("Intake → start behandeling", "behandelingswachttijd_weken"),
        ):
            for _, rij in rijen[rijen["Niveau"] == stap].iterrows():
                gecontroleerd += 1
                if r["aantal_wachtenden"] < K:
                    assert rij["Gepubliceerd door de aanbieder (weken)"] == "–"
                    continue
                assert rij["Gepubliceerd door de aanbieder (weken)"] == getal(r[kolom], 1)
                assert rij["Gepubliceerd op peildatum"] == datum(r["peildatum"])
        andere = rijen[~rijen["Niveau"].isin(["Aanmelding → intake", "Intake → start behandeling"])]
        assert (andere["Gepubliceerd door de aanbieder (weken)"] == "–").all()
    assert gecontroleerd > 0, "some shown list must have a published figure"
    zonder = set(namen[a] for a in namen) - {namen[a] for a in verwacht["aanbieder_agb"]}
    for naam in zonder:  # an aanbieder that publishes nothing: no figure, and a note on its intake lists
        rijen = tabel[(tabel["Aanbieder"] == naam) & (tabel["Niveau"] == "Aanmelding → intake")]
        assert (rijen["Gepubliceerd door de aanbieder (weken)"] == "–").all()
        assert rijen["Opmerking"].str.contains("publiceert geen wachttijden").all()


def test_the_freshness_of_the_data_and_the_peildatum_are_shown(use_db, app_db):
    """Per aanbieder and source, the latest aanmelding, start or afmelding up to the peildatum, from the
    waiting episodes (iJw steps and the aanbieder's own registration apart)."""
    from dashboard.format import datum

    (peildatum,) = _sql(app_db, "select peildatum from peildatum")[0]
    rows = _sql(
        app_db,
        f"""
        select aanbieder_agb, niveau in ('verzoek_toewijzing', 'toewijzing_start') as is_ijw,
            max(d) from (
                select aanbieder_agb, niveau, unnest([begindatum, einddatum, afbreekdatum]) as d from wachttijden
                where niveau <> 'totaal'
            ) where d <= date '{peildatum}' group by all
        """,
    )
    laatste = {(agb, is_ijw): d for agb, is_ijw, d in rows}
    at = open_page(PAGE)
    assert any(datum(peildatum) in c.value for c in at.caption), "the peildatum is named beside the table"
    tabel = _verwachting(at)
    namen = {v: k for k, v in _namen(app_db).items()}
    ijw = {"Verzoek → toewijzing (JW315 → JW301)", "Toewijzing → start (JW301 → JW305)"}
    assert len(tabel) > 0
    for _, rij in tabel.iterrows():
        verwacht = laatste[(namen[rij["Aanbieder"]], rij["Niveau"] in ijw)]
        assert rij["Laatste gegevens van de aanbieder"] == datum(verwacht)


def test_the_expected_wait_group_sizes_are_protected(use_db, app_db):
    """Group size = the waits that ran in the 52 weeks up to the peildatum, counted here from `wachttijden`:
    shown within the cell-key deviation (3), "<k" below k."""
    (peildatum,) = _sql(app_db, "select peildatum from peildatum")[0]
    rows = _sql(
        app_db,
        f"""
        select niveau, aanbieder_agb, productcategorie, count(*) from wachttijden
        where niveau <> 'totaal'
            and (is_wachtend or coalesce(einddatum, afbreekdatum) >= date '{peildatum}' - 364)
        group by all
        """,
    )
    at = open_page(PAGE)
    keuze = at.selectbox(key="vb_lijst")
    n_per_label = {keuze.format_func(f"{niv}|{agb}|{cat}"): n for niv, agb, cat, n in rows}
    tabel = _verwachting(at)
    getoond = 0
    for _, rij in tabel.iterrows():
        label = f"{rij['Aanbieder']} · {rij['Productcategorie'].strip()} · {rij['Niveau']}"
        waar, shown = n_per_label[label], rij["Wachttijden (n)"]
        if waar < K:
            assert shown == f"<{K}"
        elif shown != f"<{K}":
            getoond += 1
            assert abs(int(shown.replace(".", "")) - waar) <= 3
    assert getoond > 0


def test_the_note_says_where_an_aanbieders_data_is_missing():
    """queries.vb_opmerkingen on hand-made rows: a source that stops more than 28 days before the peildatum,
    a small group, no or no comparable published wait."""
    import datetime as dt

    import polars as pl

    from dashboard.queries import vb_opmerkingen

    p = dt.date(2026, 9, 30)
    rijen = pl.DataFrame(
        {
            "niveau": ["intake", "toewijzing_start", "behandeling", "intake", "toewijzing_start"],
            "bron": ["registratie", "ijw", "registratie", "registratie", "ijw"],
            "aanbieder_laatste_gegevens": [dt.date(2026, 8, 1), dt.date(2026, 9, 29), p, p, p],
            "peildatum": [p] * 5,
            "n_wachttijden": [40, 40, 3, 40, 40],
            "is_publicerend": [True, True, False, True, True],
            "heeft_registratie": [True, True, True, True, False],
            "gepubliceerd_maand": [dt.date(2026, 9, 1), None, None, dt.date(2026, 9, 1), None],
            "gepubliceerd_weken": [5.0, None, None, 6.0, None],
            "gepubliceerd_verborgen": [False, False, False, True, False],
            "is_gepubliceerd_per_categorie": [True, None, None, True, None],
        }
    )
    noten = vb_opmerkingen(rijen, 5).to_list()
    assert (
        noten[0]
        == "Wachttijdregistratie van deze aanbieder loopt tot 01-08-2026: wat daarna gebeurde ontbreekt"
    )
    assert noten[1] is None  # one day before the peildatum: fresh
    assert noten[2] == "Minder dan 5 wachttijden: geen schatting; aanbieder publiceert geen wachttijden"
    assert noten[3] == "Gepubliceerd cijfer over minder dan 5 wachtenden: niet getoond"
    assert "levert geen wachttijdregistratie" in noten[4]


def test_the_page_says_the_team_what_if_does_not_change_the_lists(use_db):
    """No team -> list mapping exists in the data: the page must say the team scenario leaves the lists'
    forecasts alone, and indeed changing the band leaves the what-if figures unchanged."""
    basis = open_page(PAGE)
    band = open_page(PAGE, {"vb_band": "12"})
    assert any("verandert de wachtlijsten hierboven niet" in i.value for i in band.info)
    for label in ("Wachtrij over 52 weken: basis", "Wachtrij over 52 weken: wat als"):
        assert _metric(band, label) == _metric(basis, label)


def test_a_learning_session_shows_no_published_wait(use_db):
    """Beside a pseudonym, a public figure with its date would name the aanbieder."""
    gewoon = _verwachting(open_page(PAGE))
    assert (gewoon["Gepubliceerd door de aanbieder (weken)"] != "–").any()
    at = open_page(PAGE, {"leersessie": "ja"})
    assert not at.exception
    tabel = _verwachting(at)
    assert len(tabel) == len(gewoon)
    assert (tabel["Gepubliceerd door de aanbieder (weken)"] == "–").all()
    assert (tabel["Gepubliceerd op peildatum"] == "–").all()
    assert not tabel["Opmerking"].str.contains("publiceer|gepubliceerd", case=False, na=False).any()
    assert any("tonen we de gepubliceerde wachttijden niet" in c.value for c in at.caption)
