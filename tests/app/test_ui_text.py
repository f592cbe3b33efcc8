"""Dutch and names, everywhere: what a reader sees has no English framework text, no internal identifiers,
no codes where a name is known, one number format, ISO dates in downloads, and one unit per chart and its
download.

The scan runs every page and every tab (tests/app/conftest.py PAGES, TABS), collects every visible text
(tests/app/uitext.py: headings, markdown, captions, metrics, widget labels and options as formatted,
placeholders, dataframe headings and cells, chart titles and the values a legend, axis, facet or tooltip
shows) and every CSV download, and checks them against the declared lists below.

Framework text that cannot be changed from the app (it is drawn by Streamlit's frontend, not sent by the
script) and is therefore not in these texts: the dataframe toolbar's tooltips ("Download as CSV",
"Search", "Fullscreen"), the app menu and the "Running..." indicator.
"""

from __future__ import annotations

import io
import re

import duckdb
import pandas as pd
import pytest

from tests.app import uitext
from tests.app.conftest import PAGES, TABS, capture_downloads, csv_parts, run_page, tab_views

# English (framework) strings a Dutch page must not show: Streamlit's default placeholders and empty
# states, Python/JSON values leaking from data, and the pipeline's internal load statuses.
ENGLISH = re.compile(
    r"Choose an option|Choose options|No options to select|No results|Page not found|Add an option"
    r"|\b(?:true|false|True|False|None|null|NaN|nan|NaT|partial|loaded|duplicate|quarantined)\b"
)
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
# not text a reader reads: Streamlit's icon codes (":material/filter_alt_off:" draws an icon) and link
# targets in markdown ("[Definitie](/definities#anchor)")
NOT_TEXT = re.compile(r":material/[a-z0-9_]+:|\]\([^)]*\)")
# The one allowed place for an identifier: a quarantine reason quotes, between single quotes, the column
# name as it stands in the delivered file ("Datum in kolom 'datum_intake' ..."), so the data manager finds
# it in that file.
QUOTED_COLUMN = re.compile(r"'[a-z][a-z0-9_]*'")
QUOTING_COLUMNS = {"dataframe Voorbeeld van de reden", "Voorbeeld van de reden"}
# English number formats: thousands comma ("1,234", "1,234.5") or a decimal point ("5.5"; the Dutch
# thousands separator always has three digits after it). "iJw 3.2" is a version, not a number.
ENGLISH_NUMBER = re.compile(
    r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\d.,§])\d+\.\d{1,2}(?![\d.])"
)
VERSION = re.compile(r"iJw \d+\.\d+")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_HEADINGS = {"Maand", "Datum"}
THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")


def problems(where: str, text: str) -> list[str]:
    """Every English string, identifier or English number in one visible text."""
    if where == "markdown" and "<details>" in text:
        text = uitext.DETAILS.sub(" ", text)  # the collapsed technical part of the definitions
    text = NOT_TEXT.sub(" ", text)
    if where in QUOTING_COLUMNS:
        text = QUOTED_COLUMN.sub(" ", text)
    found = [f"English: {m.group(0)!r}" for m in ENGLISH.finditer(text)]
    found += [f"identifier: {m.group(0)!r}" for m in SNAKE.finditer(text)]
    found += [f"English number: {m.group(0)!r}" for m in ENGLISH_NUMBER.finditer(VERSION.sub(" ", text))]
    return found


def _all_views():
    return [(page, query) for page in PAGES for query in tab_views(page)]


def _read_csv(data: bytes) -> tuple[dict[str, str], pd.DataFrame]:
    """The context block and the table of a download (split as README "Downloads en afdrukken" says)."""
    context, table = csv_parts(data)
    return context, pd.read_csv(io.StringIO(table), sep=";", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("page", PAGES)
def test_no_english_or_internal_text_on_any_page_or_tab(use_db, page):
    bad = []
    for query in tab_views(page):
        at = run_page(page, query)
        assert not at.exception, [e.value for e in at.exception]
        texts = uitext.visible_texts(at)
        assert texts
        bad += [(query, where, text[:80], p) for where, text in texts for p in problems(where, text)]
    assert bad == []


def test_every_signal_list_is_dutch_with_names(use_db, app_db):
    """Every signal type's drill-down list: a name (no identifier) in the picker and the title, a Dutch
    placeholder, and gemeente and aanbieder by name (the organisaties seed, read here independently)."""
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        rows = con.sql("select soort, code, naam from organisaties").fetchall()
        n_types = con.sql("select count(distinct type) from signalen").fetchall()[0][0]
    finally:
        con.close()
    gemeenten = {naam for soort, _, naam in rows if soort == "gemeente"}
    aanbieders = {naam for soort, _, naam in rows if soort == "aanbieder"}
    codes = {code for _, code, _ in rows}
    at = run_page("views/signalen.py", {"signaal_weergave": "Lijst per signaal"})
    picker = at.selectbox(key="signaal_type")
    assert picker.proto.placeholder == "Kies een optie"
    shown = list(picker.options)
    assert len(shown) == n_types
    assert [p for n in shown for p in problems("selectbox", n)] == []
    from dashboard.labels import SIGNAALTYPEN  # to pick each type by its value

    by_name = {name: code for code, name in SIGNAALTYPEN.items()}
    checked = 0
    for name in shown:
        at.selectbox(key="signaal_type").set_value(by_name[name]).run()
        assert not at.exception, [e.value for e in at.exception]
        assert [s.value for s in at.subheader if s.value.startswith("Lijst: ")] == [f"Lijst: {name}"]
        for df in (f.value for f in at.dataframe if "Cliënt (pseudoniem)" in f.value.columns):
            assert set(df["Gemeente"]) <= gemeenten, set(df["Gemeente"]) - gemeenten
            assert set(df["Aanbieder"]) <= aanbieders, set(df["Aanbieder"]) - aanbieders
            assert not (set(df["Gemeente"]) | set(df["Aanbieder"])) & codes
            checked += 1
    assert checked == n_types


def test_every_download_is_dutch_with_iso_dates_and_plain_numbers(use_db, monkeypatch):
    """Every CSV of every page and tab: Dutch headings and values (no identifiers, no English statuses or
    true/false), dates and months as ISO dates, numbers without thousands separators (so each number reads
    back as one number) and with a decimal comma (docs/definitions.md#downloads)."""
    captured = capture_downloads(monkeypatch)
    for page, query in _all_views():
        assert not run_page(page, query).exception
    assert len(captured) >= 15
    bad = []
    for data in captured:
        context, df = _read_csv(data)
        bad += [
            (veld, waarde[:80], p)
            for veld, waarde in context.items()
            if veld != "Definitie"  # a link (its anchor may hold a hyphen, never an identifier)
            for p in problems(veld, waarde)
        ]
        bad += [("heading", c, p) for c in df.columns for p in problems("heading", c)]
        for col in df.columns:
            for value in set(df[col]):
                bad += [(col, value[:80], p) for p in problems(col, value)]
                if col in DATE_HEADINGS and value not in ("", "–") and not ISO_DATE.match(value):
                    bad.append((col, value, "not an ISO date"))
                if THOUSANDS.match(value):
                    bad.append((col, value, "thousands separator"))
    assert bad == []


def test_per_aanbieder_table_names_the_productcategorie(use_db, app_db):
    """The wachttijden table per aanbieder shows each productcategorie as code and name from the iJw code
    list (read here independently), never a bare code."""
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        namen = dict(
            con.sql("select code, omschrijving from codelijsten where lijst = 'productcategorie'").fetchall()
        )
    finally:
        con.close()
    at = run_page("views/wachttijden.py")
    assert not at.exception
    (df,) = [f.value for f in at.dataframe if "Productcategorie" in f.value.columns]
    assert len(df)
    for value in df["Productcategorie"]:
        code, _, naam = value.partition(" ")
        assert namen.get(code) == naam, value


def _axis_titles(spec) -> list[str]:
    titles = []

    def walk(node):
        if isinstance(node, dict):
            for channel in ("x", "y"):
                enc = node.get("encoding", {}).get(channel)
                if isinstance(enc, dict):
                    axis = enc.get("axis") or {}
                    titles.extend(t for t in (enc.get("title"), axis.get("title")) if isinstance(t, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return titles


TAB_TITEL = {tab: title for tab, title in TABS["wacht_grafiek"][1].items()}


@pytest.mark.parametrize("tab", list(TAB_TITEL))
def test_a_wait_chart_and_its_download_use_one_unit(use_db, monkeypatch, tab):
    """A wait chart drawn in weeks has a download in weeks (its headings say weken, none says dagen),
    and the download's week values are the chart's."""
    import json

    captured = capture_downloads(monkeypatch)
    at = run_page("views/wachttijden.py", {"wacht_grafiek": tab})
    assert not at.exception
    # the tab's chart comes first (the ranking of aanbieders and gemeenten follows below the table)
    spec = next(json.loads(e.proto.spec) for e in at.get("vega_lite_chart"))
    titles = " ".join(_axis_titles(spec)).lower()
    assert "weken" in titles and "dagen" not in titles, titles
    # the chart block's download, found by its indicator (the context block names the block's title)
    (chart_csv,) = [df for context, df in map(_read_csv, captured) if context["Indicator"] == TAB_TITEL[tab]]
    headings = " ".join(chart_csv.columns).lower()
    assert "dagen" not in headings, list(chart_csv.columns)
    assert "weken" in headings, list(chart_csv.columns)
    if tab == "Kaplan–Meier":
        frames = [uitext._arrow_frame(d.data.data) for d in at.get("vega_lite_chart")[0].proto.datasets]
        weken = next(f["weken"] for f in frames if f is not None and "weken" in f.columns)
        drawn = sorted({f"{w:.1f}".replace(".", ",") for w in weken})
        assert sorted(set(chart_csv["Weken sinds begin wachten"])) == drawn


def test_the_scan_catches_what_it_should():
    assert problems("dataframe Status", "partial")
    assert problems("dataframe Verdacht constant", "false")
    assert problems("selectbox placeholder", "Choose an option")
    assert problems("chart", "toewijzing_zonder_start")
    assert problems("caption", "n_kinderen_wachtend naast n_wachtend")
    assert problems("dataframe Mediaan", "1,234.5") and problems("metric", "5.5")
    assert problems("Voorbeeld van de reden", "kolom datum_intake")  # only quoted names are allowed
    assert problems("caption", ":material/filter_alt_off: Filter periode geldt niet.") == []
    assert problems("markdown", "[Definitie](/definities#wachttijd-toewijzing-start)") == []
    assert problems("dataframe Aantal", "1.234") == [] and problems("metric", "3,4 wk") == []
    assert problems("Voorbeeld van de reden", "Datum in kolom 'datum_intake' is ongeldig.") == []
    assert (
        problems("markdown", "Lees dit.<details><summary>Technisch</summary>`maand_stromen`</details>") == []
    )
    assert problems("markdown", "volgens iJw 3.2") == []


# Every anchor the definitions declared before they were rewritten for readers (other pages and copied
# links point at them): none may go, and none may sit in a collapsed technical part (a link must land on
# something visible).
ANCHORS = set(
    [
        "peildatum",
        "traject",
        "verwijzer",
        "stromen",
        "instroom",
        "in-zorg",
        "uitstroom",
        "op-en-afschaling",
        "stapeling",
        "herinstroom",
        "overgang-18",
        "wachttijden",
        "wachttijd-verzoek-toewijzing",
        "wachttijd-toewijzing-start",
        "wachttijd-aanmelding",
        "wachttijd-intake",
        "wachttijd-behandeling",
        "wachttijd-totaal",
        "terugwerkend",
        "verlopen-zonder-start",
        "kleur-verschil",
        "wachttijd-spreiding",
        "wachttijden-maand",
        "wachttijd-afgerond",
        "nog-wachtend",
        "kaplan-meier",
        "norm",
        "dubbel-wachten",
        "caseload",
        "caseload-status",
        "factorscores",
        "signalen",
        "signaal-vot-beslistermijn",
        "signaal-vot-in-onderzoek",
        "signaal-toewijzing-zonder-start",
        "signaal-verlopen",
        "signaal-stop-zonder-start",
        "signaal-declaratie-zonder-start",
        "signaal-declaratie-buiten-toewijzing",
        "signaal-overlap",
        "signaal-batch",
        "aanbieder-profiel",
        "datadekking",
        "laadrapport",
        "quarantaine",
        "koppeling",
        "filters",
        "aanloop",
        "voorlopig",
        "kleine-aantallen",
    ]
)
READER_PARTS = ("**Wat betekent het?**", "**Hoe lees je het?**", "**Valkuilen.**")
TECHNISCH = "<details><summary>Technisch</summary>"
# what belongs in the technical part only: file paths, parameters, code names
TECHNICAL = re.compile(r"\b(?:sql|dashboard|pipelines|config|docs)/|\.(?:py|toml|md|sql)\b|\$[a-z]|`[a-z_]+`")


def _definitions() -> str:
    from pipelines import settings

    return (settings.REPO_ROOT / "docs" / "definitions.md").read_text("utf-8")


def test_definitions_keep_every_anchor_outside_the_technical_parts():
    text = _definitions()
    reader = uitext.DETAILS.sub(" ", text)
    assert set(re.findall(r"\{#([a-z0-9-]+)\}", reader)) >= ANCHORS
    assert re.findall(r"\{#([a-z0-9-]+)\}", "".join(uitext.DETAILS.findall(text))) == []


def test_every_definition_is_written_for_its_readers():
    """Each section: what it means, how to read it and its pitfalls for readers, and the SQL names,
    parameters and file paths only in a collapsed "Technisch" part."""
    sections = re.split(r"(?m)^#{2,3} ", _definitions())[1:]
    assert len(sections) >= 17
    for section in sections:
        title = section.split("\n", 1)[0]
        for part in READER_PARTS:
            assert part in section, (title, part)
        assert section.count(TECHNISCH) == 1, title
        reader = uitext.DETAILS.sub(" ", section)
        assert TECHNICAL.findall(reader) == [], (title, TECHNICAL.findall(reader))
        assert SNAKE.findall(NOT_TEXT.sub(" ", reader)) == [], title
