"""What a page asks of the browser: charts drawn on a canvas, and only the open tab's charts and tables.

Pages put secondary charts and tables in `components.lazy_tabs`: only the open tab is run and sent, the
open tab is in the URL, and every tab still shows its block with CSV download and definition link.
"""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import TABS, run_page


def _subheaders(at) -> list[str]:
    return [h.value for h in at.subheader]


def _drawn(title: str, shown: list[str]) -> bool:
    return any(s.startswith(title) for s in shown)


@pytest.mark.parametrize("key", list(TABS))
def test_only_the_open_tab_is_run_and_sent(use_db, key):
    page, tabs = TABS[key]
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    labels = list(tabs)
    bars = [t.label for t in at.tabs]
    assert any(bars[i : i + len(labels)] == labels for i in range(len(bars))), bars
    shown = _subheaders(at)
    first, *others = tabs.values()
    assert _drawn(first, shown)  # the first tab is open by default
    for title in others:
        assert not _drawn(title, shown)


@pytest.mark.parametrize(
    "key, label", [(key, label) for key, (_, tabs) in TABS.items() for label in list(tabs)[1:]]
)
def test_a_tab_in_the_url_is_opened_with_its_downloads_and_definition(use_db, key, label):
    page, tabs = TABS[key]
    at = run_page(page, {key: label})
    assert not at.exception, [e.value for e in at.exception]
    shown = _subheaders(at)
    assert _drawn(tabs[label], shown)
    for other, title in tabs.items():
        if other != label:
            assert not _drawn(title, shown)
    # the block under the subheader still offers its CSV and its definition link
    assert any(b.proto.label == "CSV" for b in at.get("download_button"))
    assert any("[Definitie](/definities?anker=" in m.value for m in at.markdown)


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
