"""App tests: AppTest runs the real router and pages against a database built through the real build."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = [
    "views/overzicht.py",
    "views/stromen.py",
    "views/wachttijden.py",
    "views/caseload.py",
    "views/signalen.py",
    "views/leersessie.py",
    "views/vooruitblik.py",
    "views/definities.py",  # last: PAGES[:-1] are the pages with data blocks
]
# every page of the navigation: url path -> file
PAGE_FILES = {
    "overzicht": "views/overzicht.py",
    "stromen": "views/stromen.py",
    "wachttijden": "views/wachttijden.py",
    "caseload": "views/caseload.py",
    "signalen": "views/signalen.py",
    "vooruitblik": "views/vooruitblik.py",
    "definities": "views/definities.py",
    "leersessie": "views/leersessie.py",
    "verslag": "views/verslag.py",
}


# tab key -> (page, labels in order -> the subheader each tab draws, or its start)
TABS = {
    "overzicht_grafiek": (
        "views/overzicht.py",
        {
            "Stromen": "Instroom, in zorg en uitstroom per maand",
            "Datadekking": "Datadekking: wie leverde wanneer",
            "Wachttijden (tabel)": "Wachttijden per niveau: alle cijfers",
        },
    ),
    "stromen_grafiek": (
        "views/stromen.py",
        {
            "Instroom en uitstroom": "Instroom, in zorg en uitstroom",
            "Uitstroom naar reden": "Uitstroom naar reden",
            "Op- en afschaling": "Op- en afschaling, stapeling, herinstroom en 18/18+",
            "Routes": "Routes: verwijzer → productcategorie → afloop",
        },
    ),
    "wacht_grafiek": (
        "views/wachttijden.py",
        {
            "Spreiding": "Spreiding: afgeronde wachttijden en wie nog wacht",
            "Kaplan–Meier": "Kaplan–Meier: aandeel nog wachtend na t weken",
            "Verloop per maand": "Verloop per maand",
        },
    ),
    "caseload_grafiek": (
        "views/caseload.py",
        {
            "Bandbreedte": "Verloop van het gekozen team tegen de bandbreedte",
            "Factoren": "Meewegende factoren (NJi-hulpblad)",
        },
    ),
    "signaal_weergave": (
        "views/signalen.py",
        {"Verloop": "Ketensignalen per maand", "Lijst per signaal": "Lijst: "},
    ),
    "kwaliteit": (
        "views/signalen.py",
        {
            "Laadrapport": "Laadrapport",
            "Quarantaine": "Redenen van quarantaine",
            "Datadekking": "Datadekking per aanbieder en maand",
            "Koppeling": "Koppeling wachttijdregistraties ↔ iJw",
            "Definitieprofielen": "Definitieprofielen van aanbieders",
        },
    ),
    "leersessie_onderdeel": (
        "views/leersessie.py",
        {
            "Eerlijk vergelijken: binnen de norm": "Trechterdiagram: binnen de norm",
            "Eerlijk vergelijken: uitstroom": "Trechterdiagram: uitstroom",
            "Eerlijk vergelijken: caseload": "Trechterdiagram: caseload",
            "Is deze verandering echt?": "SPC: instroom",
            "De vijf vragen": "De vijf vragen",
        },
    ),
}


def tab_views(page: str) -> list[dict[str, str]]:
    """Query parameters that open every tab of `page` once: {} (the first tabs), then each other tab."""
    views: list[dict[str, str]] = [{}]
    for key, (tab_page, tabs) in TABS.items():
        if tab_page == page:
            views += [{key: label} for label in list(tabs)[1:]]
    return views


@pytest.fixture
def use_db(app_db: Path):
    old = os.environ.get("KETENMONITOR_DB")
    os.environ["KETENMONITOR_DB"] = str(app_db)
    yield app_db
    if old is None:
        os.environ.pop("KETENMONITOR_DB", None)
    else:
        os.environ["KETENMONITOR_DB"] = old


def run_page(page: str, query: dict[str, str] | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    return at


def capture_downloads(monkeypatch) -> list[bytes]:
    """Every CSV the pages offer from now on, built as the click would build it (the CSV is deferred to the
    click: `components._csv_deferred` returns a callable), with its context block."""
    import dashboard.components as components

    captured: list[bytes] = []
    real = components._csv_bytes

    def spy(df, labels=None, context=None):
        captured.append(real(df, labels, context))
        return lambda: real(df, labels, context)

    monkeypatch.setattr(components, "_csv_deferred", spy)
    return captured


def csv_parts(data: bytes) -> tuple[dict[str, str], str]:
    """A downloaded CSV split as its docs say (README, "Downloads en afdrukken"), written out here rather
    than taken from dashboard.export: the context block ("Veld;Waarde" rows up to the first empty line) as
    a dict, and the table's text after it."""
    import csv

    text = data.decode("utf-8-sig")
    head, sep, table = text.partition("\n\n")
    assert sep, "no empty line after the context block"
    rows = list(csv.reader(io.StringIO(head), delimiter=";"))
    assert rows[0] == ["Veld", "Waarde"], rows[0]
    assert all(len(r) == 2 for r in rows), rows
    return dict(rows[1:]), table


def capture_pngs(monkeypatch) -> tuple[list, list[dict]]:
    """The PNG downloads the pages offer from now on (each a callable that makes the PNG, as the click
    would), and the spec of every chart saved as PNG (Altair's `save`), in order."""
    import altair as alt
    from streamlit.delta_generator import DeltaGenerator

    pngs: list = []
    saved: list[dict] = []
    real_button = DeltaGenerator.download_button
    real_save = alt.TopLevelMixin.save

    def recording(self, label, data, *args, **kwargs):
        if label == "PNG":
            pngs.append(data)
        return real_button(self, label, data, *args, **kwargs)

    def recording_save(self, fp, *args, **kwargs):
        saved.append(self.to_dict())
        return real_save(self, fp, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    monkeypatch.setattr(alt.TopLevelMixin, "save", recording_save)
    return pngs, saved
