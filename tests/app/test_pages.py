"""Every page runs without exception on a real database, shows its elements, and reacts to every filter."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from dashboard.format import getal
from dashboard.privacy import protect_counts
from dashboard.queries import disclosure_method
from tests.app.conftest import PAGES, run_page

# what a page shows on arrival (its first tabs open); the other tabs: tests/app/test_browser_work.py
EXPECTED_SUBHEADERS = {
    "views/overzicht.py": {"Wachttijden per niveau", "Instroom, in zorg en uitstroom per maand"},
    "views/stromen.py": {"Instroom, in zorg en uitstroom", "Per gemeente"},
    "views/wachttijden.py": {
        "Spreiding: afgeronde wachttijden en wie nog wacht",
        "Per aanbieder en productcategorie (langste wachttijd eerst)",
        "Aanbieders en gemeenten naast elkaar",
    },
    "views/caseload.py": {
        "Alle teams tegen hun bandbreedte",
        "Verloop van het gekozen team tegen de bandbreedte",
    },
    "views/signalen.py": {"Ketensignalen per maand", "Laadrapport"},
    "views/leersessie.py": {"Trechterdiagram: binnen de norm"},
    "views/vooruitblik.py": {
        "Wachtlijsten naar druk",
        "Terugblik: hoe goed was de prognose?",
        "Prognose voor 52 weken",
        "Wat als: wachtrij en wachttijd tegen de basis",
        "Normen op één noemer",
    },
    "views/definities.py": set(),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_and_shows_its_parts(use_db, page):
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    subheaders = {s.value for s in at.subheader}
    assert EXPECTED_SUBHEADERS[page] <= subheaders
    if page == "views/definities.py":
        assert "Definities" in [t.value for t in at.title]
    else:
        assert any("Peildatum" in c.value for c in at.caption), "the peildatum is always visible"


def _overview_figures(at) -> tuple:
    return (
        tuple((m.label, m.value) for m in at.metric),
        tuple(tuple(map(tuple, df.value.astype(str).values.tolist())) for df in at.dataframe),
    )


def _options(app_db, soort: str) -> list[str]:
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        rows = con.sql(
            "select waarde from filter_opties() where soort = $s order by waarde", params={"s": soort}
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


@pytest.mark.parametrize(
    "filter_key", ["gemeente", "aanbieder", "productcategorie", "leeftijdsgroep", "periode"]
)
def test_every_filter_changes_the_figures(use_db, app_db, filter_key):
    baseline = run_page("views/overzicht.py")
    assert not baseline.exception
    before = _overview_figures(baseline)
    if filter_key == "periode":
        months = _options(app_db, "maand")
        query = {"van": months[0], "tot": months[len(months) // 2]}
    elif filter_key == "leeftijdsgroep":
        query = {"leeftijdsgroep": "12-17"}
    else:
        query = {filter_key: _options(app_db, filter_key)[0]}
    filtered = run_page("views/overzicht.py", query)
    assert not filtered.exception, [e.value for e in filtered.exception]
    assert _overview_figures(filtered) != before, f"filter {filter_key} did not change the figures"
    # the filter is reflected in the URL state the router writes back
    for key, value in query.items():
        assert filtered.query_params[key] == [value] or filtered.query_params[key] == value


def test_filter_widget_change_reruns_with_new_figures(use_db, app_db):
    at = run_page("views/overzicht.py")
    before = _overview_figures(at)
    gemeente = _options(app_db, "gemeente")[-1]
    at.sidebar.selectbox(key="filter_gemeente").select(gemeente).run()
    assert not at.exception
    assert at.query_params["gemeente"] in ([gemeente], gemeente)
    assert _overview_figures(at) != before


@pytest.mark.parametrize("page", PAGES[:-1])
def test_filters_that_leave_nothing_give_a_clear_message(use_db, page):
    # a gemeente code that does not exist in the data: pages must explain, not crash
    at = run_page(page, {"gemeente": "0000"})
    assert not at.exception, [e.value for e in at.exception]


def _param(at, key: str) -> str:
    """A query parameter of the app's URL (AppTest may hold it as a one-element list)."""
    value = at.query_params[key]
    return str(value[0] if isinstance(value, list) else value)


def _month_before(d: date, n: int) -> date:
    """The first of the month `n` months before `d`'s month (computed here, not with dashboard.filters)."""
    index = d.year * 12 + d.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


@pytest.mark.parametrize("tab", ["Stromen", "Datadekking"])
def test_overzicht_always_shows_data_coverage(use_db, app_db, tab):
    """Whatever chart tab is open, Overzicht names per bron how many aanbieders delivered, how many did so
    every month, and who missed months (checked against the full grid of the `dekking` macro)."""
    at = run_page("views/overzicht.py", {"overzicht_grafiek": tab} if tab != "Stromen" else None)
    assert not at.exception, [e.value for e in at.exception]
    lines = [c.value for c in at.caption if c.value.startswith("**Datadekking:**")]
    assert len(lines) == 1, "one coverage line, outside the tabs"
    van, tot = _param(at, "van"), _param(at, "tot")
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        grid = con.sql(
            "select bron, aanbieder, aantal from dekking(cast($van as date), cast($tot as date), null, null)",
            params={"van": van, "tot": tot},
        ).pl()
    finally:
        con.close()
    per = grid.group_by("bron", "aanbieder").agg(leeg=(pl.col("aantal") == 0).sum())
    for bron, woord in (
        ("iJw-berichten", "iJw-berichten"),
        ("wachttijdregistratie", "Wachttijdregistraties"),
    ):
        rows = per.filter(pl.col("bron") == bron)
        volledig = rows.filter(pl.col("leeg") == 0).height
        assert f"{woord} van {rows.height} aanbieders, {volledig} leverden elke maand" in lines[0]
        worst = rows.sort(["leeg", "aanbieder"], descending=[True, False]).row(0, named=True)
        if worst["leeg"]:
            assert f"{worst['aanbieder']} ({worst['leeg']} mnd)" in lines[0]


def test_overzicht_wait_cards_show_the_table_figures(use_db):
    """Each per-level card shows the median (weeks) as its value, its change against the previous period of
    the same length as the delta, and p92 and the share within the norm beside it: the figures of the full
    table in the tab "Wachttijden (tabel)", for this period and for the previous one."""
    from dashboard.components import wacht_verschil
    from dashboard.format import weken

    def table(query: dict[str, str]):
        at = run_page("views/overzicht.py", {**query, "overzicht_grafiek": "Wachttijden (tabel)"})
        assert not at.exception
        (frame,) = [df.value for df in at.dataframe]
        return {row["Niveau"]: row for _, row in frame.iterrows()}

    def days(text: str) -> float | None:
        return None if text in ("–", "") else float(text.replace(".", "").replace(",", "."))

    cards = run_page("views/overzicht.py")
    assert not cards.exception
    assert not cards.dataframe, "the full table is only drawn in its tab"
    van, tot = (date.fromisoformat(_param(cards, k)) for k in ("van", "tot"))
    months = (tot.year - van.year) * 12 + tot.month - van.month + 1
    prev_van, prev_tot = _month_before(van, months), _month_before(van, 1)
    now = table({})
    before = table({"van": prev_van.isoformat(), "tot": prev_tot.isoformat()})
    by_label = {m.label: m for m in cards.metric}
    assert len(now) == 6
    compared = 0
    for label, row in now.items():
        card = by_label[label]
        assert card.value == weken(days(row["Mediaan (dagen)"]))
        expected = wacht_verschil(days(row["Mediaan (dagen)"]), days(before[label]["Mediaan (dagen)"]))
        assert card.delta == (expected or "geen vergelijking")
        compared += expected is not None
        assert card.proto.delta_description.endswith(
            f"p92 {weken(days(row['p92 (dagen)']))} · {row['Binnen norm']} binnen norm"
        )
    assert compared >= 3, "most levels have a median in both periods"


def test_overzicht_children_waiting_card_compares_with_the_month_before(use_db, app_db):
    """The "Kinderen wachtend" card shows the unique children waiting at the end of the period and, as its
    delta, the difference with the end of the month before (both read from the macro directly here)."""
    at = run_page("views/overzicht.py")
    assert not at.exception
    (card,) = [m for m in at.metric if m.label == "Kinderen wachtend"]
    tot = _param(at, "tot")
    con = duckdb.connect(str(app_db), read_only=True)
    try:

        def count(month: str) -> int:
            """The published count: the macro's true count and cell key through the disclosure method."""
            raw = con.sql(
                "select n_kinderen_wachtend, n_kinderen_wachtend_ck "
                "from kinderen_wachtend(cast($t as date), null, null, null)",
                params={"t": month},
            ).pl()
            true = raw["n_kinderen_wachtend"][0]
            published = protect_counts(raw, ["n_kinderen_wachtend"], disclosure_method())[
                "n_kinderen_wachtend"
            ][0]
            assert abs(published - true) <= disclosure_method().max_afwijking
            return published

        now, before = count(tot), count(_month_before(date.fromisoformat(tot), 1).isoformat())
    finally:
        con.close()
    assert now >= 5 and before >= 5, "the sample region has enough children waiting for an unsuppressed card"
    assert card.value == getal(now)
    assert card.delta == (("+" if now > before else "") + getal(now - before))
