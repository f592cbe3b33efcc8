"""The link reproduces the view: every page choice is read from the URL, and a URL value that is ignored is
named in one Dutch notice (never silently dropped). Browser side: tests/e2e/test_links.py."""

from __future__ import annotations

import duckdb
import pytest

from tests.app.conftest import REPO

NOTICE = "Genegeerd in de link"


def open_page(page: str, query: dict[str, str] | None = None):
    """The app opened at `page` with `query`, as a link opens it (the first run is that page's run)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(page)  # before the first run: the page is found by its file name (= its url path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _param(at, key: str) -> str | None:
    value = at.query_params.get(key)
    return str(value[0] if isinstance(value, list) else value) if value is not None else None


def _notices(at) -> list[str]:
    return [w.value for w in at.warning if NOTICE in w.value]


def _figures(at) -> tuple:
    return (
        tuple((m.label, m.value) for m in at.metric),
        tuple(tuple(map(tuple, df.value.astype(str).values.tolist())) for df in at.dataframe),
        tuple(s.value for s in at.subheader),
    )


def _sql(app_db, query: str, **params) -> list[tuple]:
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        return con.sql(query, params=params or None).fetchall()
    finally:
        con.close()


def _months(app_db) -> list[str]:
    rows = _sql(app_db, "select waarde from filter_opties() where soort = 'maand' order by waarde")
    return [r[0] for r in rows]


# --- valid values: the page shows what the link says ---------------------------------------------------


def test_wachttijden_niveau_from_the_link(use_db):
    default = open_page("views/wachttijden.py")
    linked = open_page("views/wachttijden.py", {"wacht_niveau": "intake"})
    assert not _notices(linked)
    assert _figures(linked) != _figures(default), "the niveau in the link changes the figures"
    # the same view as choosing the niveau with the widget
    clicked = open_page("views/wachttijden.py")
    clicked.segmented_control(key="wacht_niveau").set_value("intake").run()
    assert _figures(clicked) == _figures(linked)
    assert _param(clicked, "wacht_niveau") == "intake", "the choice is written to the URL"


def test_caseload_team_and_gewogen_from_the_link(use_db, app_db):
    teams = [r[0] for r in _sql(app_db, "select distinct team_code from caseload_team order by 1")]
    team = teams[-1]  # not the first (the default)
    linked = open_page("views/caseload.py", {"caseload_team": team, "caseload_gewogen": "ja"})
    assert not _notices(linked)
    assert linked.selectbox(key="caseload_team").value == team
    assert linked.toggle(key="caseload_gewogen").value is True
    clicked = open_page("views/caseload.py")
    clicked.selectbox(key="caseload_team").set_value(team).run()
    clicked.toggle(key="caseload_gewogen").set_value(True).run()
    assert _figures(clicked) == _figures(linked)
    assert _param(clicked, "caseload_team") == team
    assert _param(clicked, "caseload_gewogen") == "ja"
    clicked.toggle(key="caseload_gewogen").set_value(False).run()
    assert _param(clicked, "caseload_gewogen") is None, "the default is left out of the URL"


def test_signaal_from_the_link(use_db):
    """The link holds the signal type's code (the picker shows its Dutch name, labels.SIGNAALTYPEN)."""
    tab = {"signaal_weergave": "Lijst per signaal"}
    first = open_page("views/signalen.py", tab)
    names = first.selectbox(key="signaal_type").options  # as shown: Dutch names
    assert len(names) > 1
    first.selectbox(key="signaal_type").select_index(len(names) - 1).run()
    code = _param(first, "signaal_type")
    assert code is not None and code != names[-1], (code, names[-1])
    linked = open_page("views/signalen.py", {**tab, "signaal_type": code})
    assert not _notices(linked)
    assert linked.selectbox(key="signaal_type").value == code
    assert f"Lijst: {names[-1]}" in [s.value for s in linked.subheader]
    assert _figures(linked) == _figures(first)


def test_page_choices_do_not_travel_to_other_pages(use_db):
    at = open_page("views/stromen.py", {"wacht_niveau": "intake", "caseload_team": "X"})
    assert _param(at, "wacht_niveau") is None and _param(at, "caseload_team") is None


# --- ignored values: named in one Dutch notice ------------------------------------------------------------


@pytest.mark.parametrize(
    "page, query, expected",
    [
        (
            "views/overzicht.py",
            {"gemeente": "ONBEKEND"},
            "gemeente=ONBEKEND (onbekende gemeente); getoond: alle gemeenten",
        ),
        (
            "views/overzicht.py",
            {"aanbieder": "0"},
            "aanbieder=0 (onbekende aanbieder); getoond: alle aanbieders",
        ),
        ("views/overzicht.py", {"leeftijdsgroep": "99+"}, "leeftijdsgroep=99+ (onbekende leeftijdsgroep)"),
        ("views/overzicht.py", {"van": "abc"}, "van=abc (geen maand in de gegevens); getoond: "),
        ("views/overzicht.py", {"tot": "2999-01-01"}, "tot=2999-01-01 (geen maand in de gegevens)"),
        ("views/overzicht.py", {"overzicht_grafiek": "Kaart"}, "overzicht_grafiek=Kaart (onbekend tabblad)"),
        (
            "views/stromen.py",
            {"stromen_grafiek": "x"},
            "stromen_grafiek=x (onbekend tabblad); getoond: Instroom",
        ),
        (
            "views/wachttijden.py",
            {"wacht_niveau": "wachtkamer"},
            "wacht_niveau=wachtkamer (onbekend niveau); getoond: Intake → start behandeling",
        ),
        ("views/caseload.py", {"caseload_team": "T999"}, "caseload_team=T999 (onbekend team)"),
        ("views/caseload.py", {"caseload_gewogen": "misschien"}, "caseload_gewogen=misschien"),
        (
            "views/signalen.py",
            {"signaal_weergave": "Lijst per signaal", "signaal_type": "geen-signaal"},
            "signaal_type=geen-signaal (onbekend signaal in deze periode)",
        ),
    ],
)
def test_an_ignored_value_is_named_in_a_dutch_notice(use_db, page, query, expected):
    at = open_page(page, query)
    notices = _notices(at)
    assert len(notices) == 1, notices
    assert expected in notices[0]
    # the value is gone from the URL (or replaced by what is shown), so the next run has no notice
    for key, value in query.items():
        if expected.startswith(f"{key}="):
            assert _param(at, key) != value


def test_several_ignored_values_share_one_notice(use_db):
    at = open_page("views/overzicht.py", {"gemeente": "ONBEKEND", "aanbieder": "0"})
    (notice,) = _notices(at)
    assert "gemeente=ONBEKEND" in notice and "aanbieder=0" in notice


def test_a_huge_value_is_not_echoed(use_db):
    at = open_page("views/overzicht.py", {"gemeente": "A" * 20_000})
    (notice,) = _notices(at)
    assert "A" * 41 not in notice
    assert "20000 tekens" in notice
    assert len(notice) < 300


def test_missing_and_invalid_van_give_the_same_view(use_db, app_db):
    months = _months(app_db)
    missing = open_page("views/overzicht.py")
    invalid = open_page("views/overzicht.py", {"van": "abc"})
    # the default period: the last 24 months (counted here from the month list, not by the app)
    assert _param(missing, "van") == _param(invalid, "van") == months[len(months) - 24]
    assert _figures(missing) == _figures(invalid)
    assert not _notices(missing) and _notices(invalid)


def test_a_reversed_period_is_swapped_and_named(use_db, app_db):
    months = _months(app_db)
    van, tot = months[-13], months[-1]
    reversed_ = open_page("views/overzicht.py", {"van": tot, "tot": van})
    straight = open_page("views/overzicht.py", {"van": van, "tot": tot})
    (notice,) = _notices(reversed_)
    assert "periode omgedraaid" in notice
    assert (_param(reversed_, "van"), _param(reversed_, "tot")) == (van, tot)
    assert _figures(reversed_) == _figures(straight)
    assert not _notices(straight)


def test_a_valid_link_has_no_notice(use_db, app_db):
    gemeente = _sql(app_db, "select min(waarde) from filter_opties() where soort = 'gemeente'")[0][0]
    at = open_page("views/wachttijden.py", {"gemeente": gemeente, "wacht_grafiek": "Kaplan–Meier"})
    assert not _notices(at)
    assert "Kaplan–Meier: aandeel nog wachtend na t weken" in [s.value for s in at.subheader]
