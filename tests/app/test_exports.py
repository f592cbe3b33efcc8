"""What the downloads say about themselves, and what a page prints (issue 13, "Exports and print").

- every CSV a page offers starts with its context block (README, "Downloads en afdrukken"): the block's
  title, the period and filters in words (names, not codes), the peildatum, the small-number rule, the
  definition's address, the source; then an empty line and the table;
- every PNG carries a title block with the title, the filters, the source and the dates;
- every table is drawn a second time as plain HTML for print (hidden on screen), with every row of the
  grid; the print stylesheet is part of every run.
Expected values are derived here from the database and the query, not from the code under test.
"""

from __future__ import annotations

import csv
import io
import re
import struct
from datetime import date

import altair as alt
import duckdb
import pandas as pd
import pytest
from streamlit.delta_generator import DeltaGenerator

from dashboard import components
from tests.app.conftest import PAGES, capture_downloads, capture_pngs, csv_parts, run_page, tab_views

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _words(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _month(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def _db_facts(app_db) -> dict:
    """A gemeente and an aanbieder with a name in organisaties, the months, the peildatum and the anchors."""
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        gemeente, gemeente_naam = con.sql(
            "select t.gemeente_code, o.naam from trajecten as t join organisaties as o "
            "on o.soort = 'gemeente' and o.code = t.gemeente_code group by all order by count(*) desc limit 1"
        ).fetchall()[0]
        aanbieder, aanbieder_naam = con.sql(
            "select t.aanbieder_agb, o.naam from trajecten as t join organisaties as o "
            "on o.soort = 'aanbieder' and o.code = t.aanbieder_agb group by all order by count(*) desc limit 1"
        ).fetchall()[0]
        peildatum = con.sql("select peildatum from peildatum").fetchall()[0][0]
        months = [r[0] for r in con.sql("select distinct maand from maand_stromen order by 1").fetchall()]
    finally:
        con.close()
    months = [m for m in months if m <= peildatum]
    return {
        "gemeente": (gemeente, gemeente_naam),
        "aanbieder": (aanbieder, aanbieder_naam),
        "peildatum": peildatum,
        "van": months[-12],
        "tot": months[-1],
    }


def _anchors() -> set[str]:
    text = (components.settings.REPO_ROOT / "docs" / "definitions.md").read_text("utf-8")
    return set(re.findall(r"\{#([a-z0-9-]+)\}", text))


@pytest.mark.parametrize("page", PAGES[:-1])
def test_every_csv_starts_with_its_context(use_db, app_db, monkeypatch, page):
    facts = _db_facts(app_db)
    query = {
        "van": facts["van"].isoformat(),
        "tot": facts["tot"].isoformat(),
        "gemeente": facts["gemeente"][0],
        "aanbieder": facts["aanbieder"][0],
    }
    captured = capture_downloads(monkeypatch)
    # run_page opens the default page (Overzicht) first: its downloads are captured too
    titles = {s.value for s in run_page(PAGES[0], query).subheader}
    for view in tab_views(page):
        at = run_page(page, {**query, **view})
        assert not at.exception, [e.value for e in at.exception]
        titles |= {s.value for s in at.subheader}
    assert captured, f"{page}: no download was offered"
    anchors = _anchors()
    for data in captured:
        # Excel/LibreOffice read this as rows of two cells, one empty row, then the table
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        blank = rows.index([])
        assert rows[0] == ["Veld", "Waarde"] and all(len(r) == 2 and r[1] for r in rows[1:blank])
        context, table = csv_parts(data)
        assert context["Indicator"] in titles
        periode = context["Periode"]
        assert periode in (
            f"{_month(facts['van'])} t/m {_month(facts['tot'])}",
            f"stand aan het eind van {_month(facts['tot'])}",
        ) or periode.endswith("(geldt niet voor dit blok)"), periode
        # names, not codes: the organisation's name from the reference list
        assert facts["gemeente"][1] in context["Gemeente"], context["Gemeente"]
        assert facts["aanbieder"][1] in context["Aanbieder"], context["Aanbieder"]
        assert context["Productcategorie"].startswith("Alle")
        assert context["Leeftijdsgroep"].startswith("Alle")
        assert context["Peildatum"] == _words(facts["peildatum"])
        assert "<5" in context["Kleine aantallen"] and "cell-key" in context["Kleine aantallen"]
        path, _, anchor = context["Definitie"].partition("?anker=")
        assert path.endswith("/definities") and anchor in anchors, context["Definitie"]
        assert context["Bron"].startswith("Ketenmonitor")
        assert context["Gedownload op"] == _words(date.today())
        # a program that skips to the first empty line reads the same table as the page shows
        assert pd.read_csv(io.StringIO(table), sep=";", dtype=str).shape[0] >= 1


def test_a_program_reads_the_table_after_the_first_empty_line():
    """The documented rule for programs, applied to a context with the characters CSV must quote."""
    import polars as pl

    from dashboard.export import ExportContext, read_csv

    context = ExportContext(
        'Lijst: "x"; y', "/definities?anker=signalen", (("Gemeente", "A; B"),), None, date(2026, 1, 31), "k"
    )
    frame = pl.DataFrame({"Maand": ["jan 2026", "feb 2026"], "Aantal": ["12", "<5"]})
    data = components.export.csv_bytes(frame, context, date(2026, 2, 1))
    head, table = csv_parts(data)
    assert head["Indicator"] == 'Lijst: "x"; y' and head["Gemeente"] == "A; B"
    assert list(csv.reader(io.StringIO(table), delimiter=";")) == [
        ["Maand", "Aantal"],
        ["jan 2026", "12"],
        ["feb 2026", "<5"],
    ]
    assert read_csv(data).to_dicts() == frame.to_dicts()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_every_png_has_a_title_with_filters_source_and_date(use_db, app_db, monkeypatch):
    """The PNG of a chart on the page, built as the click builds it: its spec has the block's title and a
    subtitle with the filters (names), the source and the dates, and the image is taller than the chart."""
    facts = _db_facts(app_db)
    query = {
        "van": facts["van"].isoformat(),
        "tot": facts["tot"].isoformat(),
        "gemeente": facts["gemeente"][0],
    }
    real_save = alt.TopLevelMixin.save  # to render the reference without the title block, unrecorded
    pngs, saved = capture_pngs(monkeypatch)
    at = run_page("views/stromen.py", query)
    assert not at.exception, [e.value for e in at.exception]
    assert pngs, "no PNG offered"
    data = pngs[-1]()  # the Stromen page's chart (run_page opens Overzicht first)
    title = saved[-1]["title"]
    assert title["text"] == "Instroom, in zorg en uitstroom"
    subtitle = "\n".join(title["subtitle"])
    assert f"{_month(facts['van'])} t/m {_month(facts['tot'])}" in subtitle
    assert facts["gemeente"][1] in subtitle
    assert "Bron: Ketenmonitor" in subtitle
    assert f"peildatum {_words(facts['peildatum'])}" in subtitle
    assert _words(date.today()) in subtitle
    # the same chart without the title block is lower
    untitled = {k: v for k, v in saved[-1].items() if k != "title"}
    buf = io.BytesIO()
    real_save(alt.Chart.from_dict(untitled), buf, format="png", scale_factor=2)
    assert _png_size(data)[1] > _png_size(buf.getvalue())[1]


def _print_tables(at) -> list[str]:
    return [e.proto.body for e in at.get("html") if e.proto.body.startswith('<div class="km-print-only"')]


def _rows_of(html: str) -> list[list[str]]:
    import html as html_lib

    body = html.split("<tbody>", 1)[1]
    return [
        [html_lib.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


@pytest.mark.parametrize(
    "page, view",
    [
        ("views/stromen.py", {}),
        ("views/wachttijden.py", {}),
        ("views/signalen.py", {"signaal_weergave": "Lijst per signaal"}),
        ("views/signalen.py", {"kwaliteit": "Quarantaine"}),
    ],
)
def test_every_table_has_a_complete_print_copy(use_db, page, view):
    at = run_page(page, view)
    assert not at.exception, [e.value for e in at.exception]
    grids = [df.value for df in at.dataframe]
    printed = _print_tables(at)
    assert grids and len(printed) == len(grids)
    for grid, html in zip(grids, printed, strict=True):
        heads = re.findall(r"<th>(.*?)</th>", html.split("<tbody>", 1)[0])
        assert heads == list(grid.columns)
        rows = _rows_of(html)
        assert len(rows) == len(grid)  # every row, not the grid's visible window
        assert rows == grid.astype(str).values.tolist()
    styles = [e.proto.body for e in at.get("html") if "@page" in e.proto.body]
    assert len(styles) == 1 and "A4 landscape" in styles[0]


def test_every_png_on_every_page_and_tab_can_be_made(use_db, monkeypatch):
    """Every PNG button of every page and tab, clicked: the image is made (vl-convert reads the chart's
    data as JSON, where the screen gets Arrow; a DECIMAL count from SQL once broke the Routes PNG only)."""
    pngs: list = []
    real_button = DeltaGenerator.download_button

    def recording(self, label, data, *args, **kwargs):
        if label == "PNG":
            pngs.append((kwargs.get("file_name"), data))
        return real_button(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", recording)
    for page in PAGES:
        for query in tab_views(page):
            assert not run_page(page, query).exception
    names = {name for name, _ in pngs}
    assert len(names) >= 12, sorted(names)
    failed = []
    for name, make in {name: make for name, make in pngs}.items():
        try:
            data = make()
        except Exception as exc:  # every failing chart is named, not only the first
            failed.append((name, str(exc)[:120]))
            continue
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
    assert failed == []
