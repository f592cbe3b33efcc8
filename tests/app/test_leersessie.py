"""The Leersessie page (dashboard/views/leersessie.py) on a database built by the real build, with its store
in a temporary folder: every part renders; the funnel's points are the figures counted here from the mart;
the sentence under a funnel names the units outside the limits; notes per question and annotations are
saved in the store, shown again and (annotations) deleted; units with fewer than k children get no point."""

from __future__ import annotations

import sqlite3
import tomllib
from datetime import date

import duckdb
import polars as pl
import pytest

from tests.app import uitext
from tests.app.conftest import REPO

K = 5  # config [kleine_aantallen] k, the small-number threshold
D = 3  # the largest deviation of a published count (docs/privacy.md: D = 3)
PAGE = "views/leersessie.py"
VRAGEN = "De vijf vragen"
# the demo mode's first user (config/rollen.voorbeeld.toml, tests/conftest.py): who saves, by name and e-mail
AUTEUR = "Carla de Vries (contractmanager@zuidoost-duinland.example)"


@pytest.fixture
def store(use_db, tmp_path, monkeypatch):
    path = tmp_path / "store.sqlite"
    monkeypatch.setenv("KETENMONITOR_STORE", str(path))
    return path


def run_page(page: str, query: dict[str, str] | None = None):
    """The app opened at `page` with `query`, as a link opens it (the router keeps the page's own
    parameters; tests/app/conftest.run_page opens the start page first, which drops them)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    return at


def _param(at, key: str) -> str:
    value = at.query_params[key]
    return str(value[0] if isinstance(value, list) else value)


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def _frames(at) -> list:
    """Every dataset of every chart on the page, as pandas frames."""
    return [
        frame
        for chart in at.get("vega_lite_chart")
        for frame in (uitext._arrow_frame(d.data.data) for d in chart.proto.datasets)
        if frame is not None
    ]


def _points(at) -> pl.DataFrame:
    """The funnel's points as drawn: the dataset with a name, a value and a volume per unit."""
    (frame,) = [f for f in _frames(at) if {"naam", "waarde", "volume", "ligging"} <= set(f.columns)]
    return pl.from_pandas(frame[["naam", "waarde", "volume", "ligging"]])


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, {"Trechterdiagram: binnen de norm"}),
        ({"trechter_eenheid": "gemeente"}, {"Trechterdiagram: binnen de norm"}),
        ({"leersessie_onderdeel": "Eerlijk vergelijken: uitstroom"}, {"Trechterdiagram: uitstroom"}),
        (
            {"leersessie_onderdeel": "Eerlijk vergelijken: uitstroom", "trechter_eenheid": "gemeente"},
            {"Trechterdiagram: uitstroom"},
        ),
        ({"leersessie_onderdeel": "Eerlijk vergelijken: caseload"}, {"Trechterdiagram: caseload"}),
        (
            {"leersessie_onderdeel": "Is deze verandering echt?"},
            {
                "SPC: instroom",
                "SPC: uitstroom",
                "SPC: mediaan afgeronde wachttijd",
                "SPC: kinderen wachtend",
            },
        ),
        ({"leersessie_onderdeel": VRAGEN}, {"SPC: mediaan afgeronde wachttijd", VRAGEN, "Gebeurtenissen"}),
        (
            {"leersessie_onderdeel": VRAGEN, "vragen_grafiek": "trechter:caseload:team"},
            {"Trechterdiagram: caseload", VRAGEN, "Gebeurtenissen"},
        ),
    ],
)
def test_every_part_of_the_page_renders(store, query, expected):
    at = run_page(PAGE, query)
    _ok(at)
    assert expected <= set(_subheaders(at)), _subheaders(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) == len([s for s in expected if s.startswith(("SPC", "Trechter"))])
    if query.get("leersessie_onderdeel") == "Is deze verandering echt?":
        # each SPC chart has its variation and assurance mark, in words
        marks = [m.value for m in at.markdown if "badge[" in m.value]
        assert sum("Variatie: " in m for m in marks) == 4 and sum("Zekerheid: " in m for m in marks) == 4
    if query.get("leersessie_onderdeel") == VRAGEN:
        assert len(at.text_area) == 5 + 1  # a note per question, and the annotation's explanation


def _completed_waits(app_db, niveau: str, dimensie: str, van: str, tot: str) -> pl.DataFrame:
    """Per unit, counted here from the mart `wachttijden`: completed waits in the period, children, and how
    many within the Treeknorm of `niveau` (config/ketenmonitor.toml, read here)."""
    config = tomllib.loads((REPO / "config" / "ketenmonitor.toml").read_text("utf-8"))
    norm = 7 * config["treeknorm"][f"{niveau}_weken"]
    column = {"aanbieder": "aanbieder_agb", "gemeente": "gemeente_code"}[dimensie]
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        return con.sql(
            f"""select coalesce(o.naam, w.{column}) as naam, count(*) as n,
                   count(distinct w.client_id) as kinderen,
                   count(*) filter (where w.wachtdagen <= $norm) as binnen
                from wachttijden as w
                left join organisaties as o on o.soort = $dimensie and o.code = w.{column}
                where w.niveau = $niveau and w.einddatum between cast($van as date) and last_day(cast($tot as date))
                  and w.{column} is not null
                group by all""",
            params={"norm": norm, "niveau": niveau, "van": van, "tot": tot, "dimensie": dimensie},
        ).pl()
    finally:
        con.close()


@pytest.mark.parametrize("dimensie", ["aanbieder", "gemeente"])
def test_funnel_points_are_the_shares_counted_from_the_mart(store, app_db, dimensie):
    at = run_page(PAGE, {"trechter_eenheid": dimensie})
    _ok(at)
    points = _points(at)
    counted = _completed_waits(app_db, "behandeling", dimensie, _param(at, "van"), _param(at, "tot"))
    assert points.height >= 3
    joined = points.join(counted, on="naam", how="left")
    assert joined["n"].null_count() == 0, "every point is a unit with completed waits"
    for row in joined.iter_rows(named=True):
        assert row["waarde"] == pytest.approx(row["binnen"] / row["n"], abs=1e-9), row
        # the volume is the published count: within D of the true count, never under k
        assert abs(row["volume"] - row["n"]) <= D and row["volume"] >= K, row
        assert row["kinderen"] >= K, "no point for a share over fewer than k children"
    # every unit with enough children for its published count to be at least k is drawn
    safe = set(counted.filter(pl.col("kinderen") >= K + D)["naam"])
    assert safe <= set(points["naam"])
    # and the others are counted under the chart
    niet = counted.height - points.height
    caption = " ".join(c.value for c in at.caption)
    if niet:
        assert f"Niet getekend: {niet} " in caption, caption
    else:
        assert "Niet getekend" not in caption


def test_caseload_and_outflow_funnels_are_the_figures_counted_from_the_marts(store, app_db):
    """Caseload: per team its active cases over fte × the reference norm (maximum, config) of its type, in its
    latest month of the period with fte (mart caseload_team; thresholded, not perturbed: exact). Outflow: per
    aanbieder uitstroom over the period and in zorg at its end (mart maand_stromen); the published counts lie
    within D of those, so the drawn volume within 2D and value × volume within D of the uitstroom."""
    config = tomllib.loads((REPO / "config" / "ketenmonitor.toml").read_text("utf-8"))
    maximum = {n["team_type"]: n["maximum"] for n in config["caseload"]["referentienormen"]}
    at = run_page(PAGE, {"leersessie_onderdeel": "Eerlijk vergelijken: caseload"})
    _ok(at)
    van, tot = _param(at, "van"), _param(at, "tot")
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        teams = con.sql(
            """select team_naam, team_type, actieve_casussen, fte from caseload_team
               where maand between cast($van as date) and cast($tot as date) and fte > 0
               qualify row_number() over (partition by team_code order by maand desc) = 1""",
            params={"van": van, "tot": tot},
        ).pl()
        stromen = con.sql(
            """select coalesce(o.naam, s.aanbieder_agb) as naam, cast(sum(s.uitstroom) as bigint) as uitstroom,
                   cast(coalesce(sum(s.in_zorg) filter (where s.maand = cast($tot as date)), 0) as bigint)
                       as in_zorg
               from maand_stromen as s
               left join organisaties as o on o.soort = 'aanbieder' and o.code = s.aanbieder_agb
               where s.maand between cast($van as date) and cast($tot as date)
               group by all""",
            params={"van": van, "tot": tot},
        ).pl()
    finally:
        con.close()
    points = _points(at).join(teams, left_on="naam", right_on="team_naam", how="left")
    assert points.height >= 3 and points["fte"].null_count() == 0
    for row in points.iter_rows(named=True):
        verwacht = row["fte"] * maximum[row["team_type"]]
        assert row["volume"] == pytest.approx(verwacht)
        assert row["waarde"] == pytest.approx(row["actieve_casussen"] / verwacht)
        assert row["actieve_casussen"] >= K
    assert teams.filter(pl.col("actieve_casussen") >= K).height == points.height

    at = run_page(PAGE, {"leersessie_onderdeel": "Eerlijk vergelijken: uitstroom"})
    _ok(at)
    points = _points(at).join(stromen, on="naam", how="left")
    assert points.height >= 3 and points["uitstroom"].null_count() == 0
    for row in points.iter_rows(named=True):
        assert abs(row["volume"] - (row["uitstroom"] + row["in_zorg"])) <= 2 * D, row
        assert abs(row["waarde"] * row["volume"] - row["uitstroom"]) <= D + 1e-6, row
        assert row["uitstroom"] >= K and row["in_zorg"] >= K  # both counts shown: neither under k


def test_small_units_are_not_plotted_and_counted(store, app_db):
    """A narrow selection (one gemeente, six months) leaves aanbieders with fewer than k children: none of
    them is a point, and the sentence under the chart gives their number."""
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        gemeenten = [
            r[0] for r in con.sql("select waarde from filter_opties() where soort = 'gemeente'").fetchall()
        ]
        months = sorted(
            r[0] for r in con.sql("select waarde from filter_opties() where soort = 'maand'").fetchall()
        )
    finally:
        con.close()
    van, tot = months[-6], months[-1]
    checked = 0
    for gemeente in gemeenten:
        at = run_page(PAGE, {"gemeente": gemeente, "van": van, "tot": tot})
        _ok(at)
        con = duckdb.connect(str(app_db), read_only=True)
        try:
            counted = con.sql(
                """select coalesce(o.naam, w.aanbieder_agb) as naam, count(distinct w.client_id) as kinderen
                   from wachttijden as w
                   left join organisaties as o on o.soort = 'aanbieder' and o.code = w.aanbieder_agb
                   where w.niveau = 'behandeling' and w.gemeente_code = $g
                     and w.einddatum between cast($van as date) and last_day(cast($tot as date))
                   group by all""",
                params={"g": gemeente, "van": van, "tot": tot},
            ).pl()
        finally:
            con.close()
        small = set(counted.filter(pl.col("kinderen") < K)["naam"])
        if not small:
            continue
        drawn = set(_points(at)["naam"]) if at.get("vega_lite_chart") else set()
        assert not small & drawn, small & drawn
        caption = " ".join(c.value for c in at.caption)
        niet = counted.height - len(drawn)
        assert niet >= len(small)
        assert f"Niet getekend: {niet} aanbieders met minder dan {K}" in caption, caption
        checked += 1
    assert checked, "the region has a gemeente with aanbieders under k in six months"


def test_the_sentence_under_the_funnel_names_the_units_outside(store, monkeypatch):
    """A constructed ranking: eighteen aanbieders at 80% of 100 waits within the norm, one at 20% and one at
    100%. The two are far outside the 99.8% limits (z about -12 and +9); the Winsorised dispersion of the
    others is 0, so the limits are not widened. The sentence names exactly those two, in their direction."""
    import dashboard.queries as queries

    rows = [{"naam": f"Aanbieder {i:02d}", "aandeel_binnen_norm": 0.8, "n_afgerond": 100} for i in range(18)]
    rows += [
        {"naam": "Aanbieder Laag", "aandeel_binnen_norm": 0.2, "n_afgerond": 100},
        {"naam": "Aanbieder Hoog", "aandeel_binnen_norm": 1.0, "n_afgerond": 100},
    ]
    constructed = pl.DataFrame(rows)
    monkeypatch.setattr(queries, "wachttijden_rangorde", lambda niveau, dimensie, f: constructed)
    at = run_page(PAGE)
    _ok(at)
    (sentence,) = [m.value for m in at.markdown if "grenzen" in m.value and m.value.startswith("**")]
    assert (
        "Buiten de 99,8%-grenzen: Aanbieder Hoog (hoger dan verwacht) en Aanbieder Laag (lager dan verwacht)."
        in (sentence)
    )
    assert "Aanbieder 0" not in sentence and "Alleen buiten de 95%" not in sentence
    assert "Regionaal cijfer: 78,0%" in sentence  # (18 × 80 + 20 + 100) / 2000
    assert "De grenzen zijn niet verbreed" in " ".join(c.value for c in at.caption)
    ligging = dict(_points(at).select("naam", "ligging").iter_rows())
    assert ligging["Aanbieder Laag"] == ligging["Aanbieder Hoog"] == "buiten_998"
    assert {v for n, v in ligging.items() if n.startswith("Aanbieder 0")} == {"binnen"}


def _store_rows(path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_a_note_per_question_is_saved_and_shown_again(store):
    query = {"leersessie_onderdeel": VRAGEN}
    at = run_page(PAGE, query)
    _ok(at)
    areas = [a for a in at.text_area if a.key.startswith("notitie_")]
    assert len(areas) == 5
    for nr in range(1, 6):
        key = f"notitie_live_spc:mediaan:behandeling_{nr}"
        at.text_area(key=key).input(f"Antwoord op vraag {nr}")
        at.button(key=f"opslaan_{key}").click().run()
        _ok(at)
    rows = _store_rows(
        store, "select vraag, tekst, auteur, snapshot_id, grafiek from notities order by vraag"
    )
    assert rows == [
        (nr, f"Antwoord op vraag {nr}", AUTEUR, None, "spc:mediaan:behandeling") for nr in range(1, 6)
    ]
    assert _store_rows(store, "select count(*) from audit where actie = 'notitie_opgeslagen'") == [(5,)]

    # a new session on the same chart shows each saved note with its author
    again = run_page(PAGE, query)
    _ok(again)
    for nr in range(1, 6):
        assert (
            again.text_area(key=f"notitie_live_spc:mediaan:behandeling_{nr}").value
            == f"Antwoord op vraag {nr}"
        )
    saved = [c.value for c in again.caption if c.value.startswith(f"Laatst opgeslagen door {AUTEUR} op ")]
    assert len(saved) == 5
    # a second version of question 2: the latest wins, the first is in the history
    key = "notitie_live_spc:mediaan:behandeling_2"
    again.text_area(key=key).input("Beter antwoord")
    again.button(key=f"opslaan_{key}").click().run()
    _ok(again)
    third = run_page(PAGE, query)
    assert third.text_area(key=key).value == "Beter antwoord"
    assert [e.label for e in third.expander if e.label.startswith("Eerdere versies")] == [
        "Eerdere versies (1)"
    ]
    # another chart has no notes
    other = run_page(PAGE, {**query, "vragen_grafiek": "spc:instroom"})
    assert not [c for c in other.caption if c.value.startswith("Laatst opgeslagen")]


def test_an_annotation_is_added_rebases_the_spc_charts_and_is_deleted(store):
    query = {"leersessie_onderdeel": VRAGEN}
    at = run_page(PAGE, query)
    _ok(at)
    van = date.fromisoformat(_param(at, "van"))
    rebase = date(van.year + 1, van.month, 1)  # a year into the period
    at.date_input(key="gebeurtenis_datum").set_value(rebase)
    at.text_input(key="gebeurtenis_titel").input("Nieuw contract jeugd-GGZ")
    at.text_area(key="gebeurtenis_toelichting").input("Andere tarieven en een intaketeam.")
    at.selectbox(key="gebeurtenis_soort").set_value("contract")
    at.checkbox(key="gebeurtenis_herberekening").check()
    at.button(key="gebeurtenis_toevoegen").click().run()
    _ok(at)
    rows = _store_rows(store, "select id, datum, titel, soort, is_herberekening, verwijderd from annotaties")
    assert [r[1:] for r in rows] == [(rebase.isoformat(), "Nieuw contract jeugd-GGZ", "contract", 1, 0)]
    assert any("Nieuw contract jeugd-GGZ" in m.value for m in at.markdown)

    # the SPC charts start a new segment (own mean and limits) at the first month on or after the date
    spc = run_page(PAGE, {"leersessie_onderdeel": "Is deze verandering echt?"})
    _ok(spc)
    assert any("Grenzen opnieuw berekend vanaf: " in c.value for c in spc.caption)
    segmented = 0
    for frame in _frames(spc):
        if {"maand", "segment", "gemiddelde"} <= set(frame.columns):
            months = pl.from_pandas(frame[["maand", "segment"]]).with_columns(pl.col("maand").cast(pl.Date))
            before = set(months.filter(pl.col("maand") < rebase)["segment"])
            after = set(months.filter(pl.col("maand") >= rebase)["segment"])
            assert len(before) == len(after) == 1 and before != after
            segmented += 1
    assert segmented >= 4

    # delete: the row stays in the store, flagged, and leaves the list and the SPC charts
    (annotatie_id,) = [r[0] for r in rows]
    at = run_page(PAGE, query)
    at.button(key=f"verwijder_gebeurtenis_{annotatie_id}").click().run()
    _ok(at)
    assert _store_rows(store, "select verwijderd from annotaties") == [(1,)]
    assert not any("Nieuw contract jeugd-GGZ" in m.value for m in at.markdown)
    spc = run_page(PAGE, {"leersessie_onderdeel": "Is deze verandering echt?"})
    assert not any("Grenzen opnieuw berekend vanaf: " in c.value for c in spc.caption)


def test_the_snapshot_in_view_is_found_by_its_name_or_its_file(store):
    """Notes are saved with the snapshot in view: the URL value may be its name or its file's stem."""
    import dashboard.queries as queries
    from pipelines.store import open_store

    made = open_store(store).record_snapshot(
        "Sessie maart", date(2026, 3, 31), "/m/sessie-maart.duckdb", 1, "Anna"
    )
    assert queries.momentopname("Sessie maart").id == made.id
    assert queries.momentopname("sessie-maart").id == made.id
    assert queries.momentopname("onbekend") is None
