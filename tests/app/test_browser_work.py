"""What a page asks of the browser: charts drawn on a canvas, and only the open tab's charts and tables.

Pages put secondary charts and tables in `components.lazy_tabs`: only the open tab is run and sent, the
open tab is in the URL, and every tab still shows its block with CSV download and definition link.
"""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import run_page

# page -> (tab key, labels in order, the subheader each tab draws)
TABS = {
    "views/overzicht.py": (
        "overzicht_grafiek",
        {
            "Stromen": "Instroom, in zorg en uitstroom per maand",
            "Datadekking": "Datadekking: wie leverde wanneer",
        },
    ),
    "views/stromen.py": (
        "stromen_grafiek",
        {
            "Instroom en uitstroom": "Instroom, in zorg en uitstroom",
            "Uitstroom naar reden": "Uitstroom naar reden",
            "Op- en afschaling": "Op- en afschaling, stapeling, herinstroom en 18/18+",
            "Routes": "Routes: verwijzer → productcategorie → afloop",
        },
    ),
    "views/wachttijden.py": (
        "wacht_grafiek",
        {
            "Spreiding": "Spreiding: afgeronde wachttijden en wie nog wacht",
            "Kaplan–Meier": "Kaplan–Meier: aandeel nog wachtend na t weken",
            "Verloop per maand": "Verloop per maand",
        },
    ),
    "views/caseload.py": (
        "caseload_grafiek",
        {
            "Bandbreedte": "Casussen per fte tegen de bandbreedte",
            "Factoren": "Meewegende factoren (NJi-hulpblad)",
        },
    ),
    "views/signalen.py": (
        "kwaliteit",
        {
            "Laadrapport": "Laadrapport",
            "Quarantaine": "Redenen van quarantaine",
            "Datadekking": "Datadekking per aanbieder en maand",
            "Koppeling": "Koppeling wachttijdregistraties ↔ iJw",
            "Definitieprofielen": "Definitieprofielen van aanbieders",
        },
    ),
}


def _subheaders(at) -> list[str]:
    return [h.value for h in at.subheader]


@pytest.mark.parametrize("page", list(TABS))
def test_only_the_open_tab_is_run_and_sent(use_db, page):
    _key, tabs = TABS[page]
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    labels = list(tabs)
    assert [t.label for t in at.tabs] == labels
    shown = _subheaders(at)
    first, *others = tabs.values()
    assert first in shown  # the first tab is open by default
    for title in others:
        assert title not in shown


@pytest.mark.parametrize(
    "page, label", [(page, label) for page, (_, tabs) in TABS.items() for label in list(tabs)[1:]]
)
def test_a_tab_in_the_url_is_opened_with_its_downloads_and_definition(use_db, page, label):
    key, tabs = TABS[page]
    at = run_page(page, {key: label})
    assert not at.exception, [e.value for e in at.exception]
    shown = _subheaders(at)
    assert tabs[label] in shown
    for other, title in tabs.items():
        if other != label:
            assert title not in shown
    # the block under the subheader still offers its CSV and its definition link
    assert any(b.proto.label == "CSV" for b in at.get("download_button"))
    assert any("[Definitie](/definities#" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    "page",
    [
        "views/overzicht.py",
        "views/stromen.py",
        "views/wachttijden.py",
        "views/caseload.py",
        "views/signalen.py",
    ],
)
def test_every_chart_is_drawn_on_a_canvas(use_db, page):
    at = run_page(page)
    specs = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
    assert specs, "the page draws no chart"
    for spec in specs:
        assert spec["usermeta"] == {"embedOptions": {"renderer": "canvas"}}
