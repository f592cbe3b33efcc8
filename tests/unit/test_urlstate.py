"""dashboard/urlstate.py: checking raw URL values, the Dutch notices, the requested path; and that every
widget a page draws keeps its value in a declared URL parameter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import urlstate

VIEWS = Path(__file__).resolve().parents[2] / "dashboard" / "views"
MONTHS = [f"{y}-{m:02d}-01" for y in (2024, 2025, 2026) for m in range(1, 13)]  # 36 months


def test_kies_missing_valid_and_ignored():
    assert urlstate.kies("gemeente", None, ["0001"], "alle") == ("alle", None)
    assert urlstate.kies("gemeente", "0001", ["0001"], "alle") == ("0001", None)
    value, notice = urlstate.kies("gemeente", "ONBEKEND", ["0001"], "alle", lambda v: "alle gemeenten")
    assert value == "alle"
    assert notice == "gemeente=ONBEKEND (onbekende gemeente); getoond: alle gemeenten"


def test_a_long_value_is_shortened_and_never_valid():
    long = "x" * 20_000
    value, notice = urlstate.kies("gemeente", long, [long], "alle")
    assert value == "alle", "an overlong value is never a choice"
    assert len(notice) < 200 and "20000 tekens" in notice and "x" * 41 not in notice


def test_period_missing_and_invalid_van_are_the_same():
    missing = urlstate.periode(None, None, MONTHS)
    invalid = urlstate.periode("abc", None, MONTHS)
    assert missing[:2] == invalid[:2] == (MONTHS[36 - 24], MONTHS[-1])
    assert missing[2] == [] and len(invalid[2]) == 1 and invalid[2][0].startswith("van=abc")


def test_a_reversed_period_is_swapped_with_a_notice():
    van, tot, notices = urlstate.periode("2026-01-01", "2025-03-01", MONTHS)
    assert (van, tot) == ("2025-03-01", "2026-01-01")
    assert len(notices) == 1 and "omgedraaid" in notices[0]


def test_one_notice_for_all_ignored_values():
    assert urlstate.meldingtekst([]) is None
    assert urlstate.meldingtekst(["a=1 (x); getoond: y"]) == "Genegeerd in de link: a=1 (x); getoond: y."
    assert urlstate.meldingtekst(["a", "b"]).count("\n- ") == 2


@pytest.mark.parametrize(
    "url, base, expected",
    [
        ("http://h:1", "", None),
        ("http://h:1/", "", None),
        ("http://h:1/stromen", "", "stromen"),
        ("http://h:1/bestaat-niet", "", "bestaat-niet"),
        ("http://h:1/a/b", "", None),
        ("http://h:1/km/bestaat-niet", "km", "bestaat-niet"),
        ("http://h:1/km", "/km/", None),
        ("http://h:1/xyz%20abc", "", "xyz abc"),
        (None, "", None),
    ],
)
def test_requested_path(url, base, expected):
    assert urlstate.gevraagd_pad(url, base) == expected


def test_unknown_paths_and_the_start_path():
    assert (
        not urlstate.onbekend("stromen")
        and not urlstate.onbekend("overzicht")
        and not urlstate.onbekend(None)
    )
    assert urlstate.onbekend("bestaat-niet") and urlstate.onbekend(urlstate.START_PAD)
    assert urlstate.start_pad(None) == urlstate.START_PAD
    assert urlstate.start_pad(urlstate.START_PAD) != urlstate.START_PAD


def test_page_parameters_leave_other_pages():
    andere = urlstate.van_andere_pagina("stromen")
    assert {"wacht_niveau", "caseload_team", "caseload_gewogen", "signaal_type", "anker"} <= set(andere)
    assert "gemeente" not in andere and "van" not in andere
    assert "wacht_niveau" not in urlstate.van_andere_pagina("wachttijden")


# widgets drawn straight with st.* would not be in the URL; pages draw them through dashboard.filters
_RAW_WIDGETS = re.compile(
    r"\bst\.(selectbox|radio|toggle|checkbox|segmented_control|pills|select_slider|slider|multiselect|"
    r"text_input|number_input|date_input|tabs)\("
)


def test_every_page_widget_is_a_declared_url_parameter():
    keys: set[str] = set()
    for view in VIEWS.glob("*.py"):
        text = view.read_text("utf-8")
        assert not _RAW_WIDGETS.search(text), f"{view.name} draws a widget that is not kept in the URL"
        keys |= set(
            re.findall(
                r"\b(?:lazy_tabs|keuzelijst|segmenten|schakelaar|meerkeuze)\(.*?\"([a-z_]+)\"", text, re.S
            )
        )
    declared = {n for n, p in urlstate.PARAMS.items() if p.paginas}
    assert keys, "no URL widgets found in the views"
    assert keys <= declared, keys - declared


def test_a_multiple_choice_keeps_the_known_values_and_names_the_others():
    geldig = ["a", "b", "c"]
    assert urlstate.kies_meer("verslag_grafieken", None, geldig, ["b", "x"]) == (["b"], None)
    assert urlstate.kies_meer("verslag_grafieken", "c,a", geldig, ["b"]) == (["c", "a"], None)
    waarden, melding = urlstate.kies_meer("verslag_grafieken", "a,onzin,c", geldig, ["b"])
    assert waarden == ["a", "c"]
    assert melding is not None and "onzin" in melding and "onbekende grafiek" in melding
    waarden, melding = urlstate.kies_meer("verslag_grafieken", "x" * 500, geldig, ["b"])
    assert waarden == [] and melding is not None and len(melding) < 200
