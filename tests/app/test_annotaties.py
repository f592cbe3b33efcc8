"""Annotations (dated events in the store, pipelines/store.py) on every chart with months on its x axis, on
every page: a rule at the date with a numbered marker in the chart's Vega-Lite spec, the list under the
chart, a "Gebeurtenis" row in the CSV's context block, the PNG's subtitle, and the definitions page.

The store is a file in tmp (KETENMONITOR_STORE); the database is the app tests' real build. The dates are
chosen from the database itself (its months, read with duckdb), not from the app's code.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.store import open_store
from tests.app.conftest import capture_downloads, capture_pngs, csv_parts, run_page

# (page, query) of every view that draws a chart with months on its x axis, and that chart's title
TIME_CHARTS = [
    ("views/overzicht.py", {}, "Instroom, in zorg en uitstroom per maand"),
    ("views/stromen.py", {}, "Instroom, in zorg en uitstroom"),
    ("views/stromen.py", {"stromen_grafiek": "Uitstroom naar reden"}, "Uitstroom naar reden"),
    (
        "views/stromen.py",
        {"stromen_grafiek": "Op- en afschaling"},
        "Op- en afschaling, stapeling, herinstroom en 18/18+",
    ),
    ("views/wachttijden.py", {"wacht_grafiek": "Verloop per maand"}, "Verloop per maand"),
    ("views/caseload.py", {}, "Verloop van het gekozen team tegen de bandbreedte"),
    ("views/signalen.py", {}, "Ketensignalen per maand"),
    ("views/leersessie.py", {"leersessie_onderdeel": "Is deze verandering echt?"}, "SPC: instroom"),
]
# views whose charts have no time axis: no annotation layer may appear there
OTHER_CHARTS = [
    ("views/overzicht.py", {"overzicht_grafiek": "Datadekking"}),
    ("views/wachttijden.py", {}),
    ("views/wachttijden.py", {"wacht_grafiek": "Kaplan–Meier"}),
    ("views/stromen.py", {"stromen_grafiek": "Routes"}),
]


def _month(d: date) -> date:
    return date(d.year, d.month, 1)


def _months_back(d: date, n: int) -> date:
    i = d.year * 12 + d.month - 1 - n
    return date(i // 12, i % 12 + 1, 1)


@pytest.fixture(scope="module")
def facts(app_db: Path) -> dict:
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        peildatum = con.execute("select peildatum from peildatum").fetchall()[0][0]
        gemeente = con.execute(
            "select gemeente_code from trajecten where gemeente_code is not null group by 1 order by count(*) desc"
        ).fetchall()[0][0]
        team_months = con.execute("select min(maand), max(maand) from caseload_team").fetchall()[0]
    finally:
        con.close()
    return {"peildatum": peildatum, "gemeente": gemeente, "team_months": team_months}


@pytest.fixture
def store(use_db, tmp_path, monkeypatch):
    path = tmp_path / "opslag.sqlite"
    monkeypatch.setenv("KETENMONITOR_STORE", str(path))
    return open_store(path)


def _datasets(proto) -> dict[str, list[dict]]:
    out = {}
    for d in proto.datasets:
        if d.data.data:
            out[d.name] = pa.ipc.open_stream(io.BytesIO(d.data.data)).read_all().to_pylist()
    return out


def _annotation_layers(proto) -> list[tuple[str, list[dict]]]:
    """(mark, rows) of every layer in the chart's spec whose data are annotations (columns teken, datum and
    titel): the rule and the markers."""
    spec = json.loads(proto.spec)
    data = _datasets(proto)
    found = []

    def walk(node):
        if isinstance(node, dict):
            name = node.get("data", {}).get("name") if isinstance(node.get("data"), dict) else None
            mark = node.get("mark")
            mark = mark.get("type") if isinstance(mark, dict) else mark
            if name in data and data[name] and {"teken", "datum", "titel"} <= set(data[name][0]) and mark:
                found.append((mark, data[name]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


def _dates(rows: list[dict]) -> set[date]:
    out = set()
    for r in rows:
        value = r["datum"]
        out.add(value.date() if hasattr(value, "date") and not isinstance(value, date) else value)
    return out


def _charts_by_title(at) -> dict[str, object]:
    """The chart element that follows each subheader."""
    out, title = {}, None
    for node in at._tree:
        kind = getattr(node, "type", "")
        if kind == "subheader":
            title = node.value
        elif kind in ("vega_lite_chart", "arrow_vega_lite_chart") and title is not None:
            out.setdefault(title, node.proto)
    return out


@pytest.mark.parametrize("page, query, title", TIME_CHARTS, ids=[t for *_x, t in TIME_CHARTS])
def test_every_time_chart_draws_the_annotations_in_its_range_and_no_others(store, facts, page, query, title):
    peil = facts["peildatum"]
    binnen = _months_back(peil, 6) + timedelta(days=14)  # inside the default period (last 24 months)
    if page == "views/caseload.py":  # the team data has its own months
        lo, hi = facts["team_months"]
        binnen = _months_back(hi, 3) + timedelta(days=9)
        assert lo <= binnen
    store.add_annotation(binnen, "Nieuw contract", "Inkoop met resultaatfinanciering", "contract", "test")
    store.add_annotation(date(1999, 5, 1), "Lang geleden", "", "overig", "test")  # outside every chart
    store.add_annotation(peil + timedelta(days=400), "Nog niet", "", "overig", "test")
    at = run_page(page, query)
    assert not at.exception, [e.value for e in at.exception]
    chart = _charts_by_title(at)[title]
    layers = _annotation_layers(chart)
    marks = {m for m, _rows in layers}
    assert {"rule", "text"} <= marks, marks
    for _mark, rows in layers:
        assert _dates(rows) == {binnen}, (title, rows)
        assert rows[0]["titel"] == "Nieuw contract" and rows[0]["teken"] == "①"
        assert rows[0]["toelichting"] == "Inkoop met resultaatfinanciering"  # in the tooltip
    lijst = [c.value for c in at.caption if c.value.startswith("Gebeurtenissen:")]
    assert lijst and "① " in lijst[0] and "Nieuw contract" in lijst[0], lijst
    assert "Lang geleden" not in " ".join(lijst) and "Nog niet" not in " ".join(lijst)


@pytest.mark.parametrize("page, query", OTHER_CHARTS)
def test_charts_without_a_time_axis_get_no_annotations(store, facts, page, query):
    store.add_annotation(_months_back(facts["peildatum"], 6), "Nieuw contract", "", "contract", "test")
    at = run_page(page, query)
    assert not at.exception
    charts = [
        n.proto for n in at._tree if getattr(n, "type", "") in ("vega_lite_chart", "arrow_vega_lite_chart")
    ]
    assert charts
    assert all(not _annotation_layers(c) for c in charts)


def test_several_annotations_are_numbered_and_staggered(store, facts):
    start = _months_back(facts["peildatum"], 8)
    dagen = [start + timedelta(days=d) for d in (3, 5, 9, 12)]
    for i, d in enumerate(dagen):
        store.add_annotation(d, f"Gebeurtenis {i + 1}", "", "overig", "test")
    at = run_page("views/stromen.py")
    layers = _annotation_layers(_charts_by_title(at)["Instroom, in zorg en uitstroom"])
    texts = [rows for mark, rows in layers if mark == "text"]
    # every marker once, over more than one row (their own text layer each), numbered by date
    assert sorted(r["teken"] for rows in texts for r in rows) == ["①", "②", "③", "④"]
    assert len(texts) > 1
    assert {r["teken"]: r["titel"] for rows in texts for r in rows}["②"] == "Gebeurtenis 2"


def test_a_scoped_annotation_is_drawn_only_under_its_filter(store, facts):
    d = _months_back(facts["peildatum"], 5)
    store.add_annotation(
        d, "Alleen deze gemeente", "", "overig", "test", scope_soort="gemeente", scope_code=facts["gemeente"]
    )
    zonder = _annotation_layers(
        _charts_by_title(run_page("views/stromen.py"))["Instroom, in zorg en uitstroom"]
    )
    assert zonder == []
    met = run_page("views/stromen.py", {"gemeente": facts["gemeente"]})
    layers = _annotation_layers(_charts_by_title(met)["Instroom, in zorg en uitstroom"])
    assert layers and all(_dates(rows) == {d} for _m, rows in layers)


def test_a_new_annotation_appears_on_the_next_run_without_restart(store, facts):
    at = run_page("views/stromen.py")
    assert _annotation_layers(_charts_by_title(at)["Instroom, in zorg en uitstroom"]) == []
    d = _months_back(facts["peildatum"], 4)
    store.add_annotation(d, "Erbij gekomen", "", "overig", "test")
    at.run()
    layers = _annotation_layers(_charts_by_title(at)["Instroom, in zorg en uitstroom"])
    assert layers and all(_dates(rows) == {d} for _m, rows in layers)
    # and gone again once deleted
    store.delete_annotation(store.list_annotations()[0].id, "test")
    at.run()
    assert _annotation_layers(_charts_by_title(at)["Instroom, in zorg en uitstroom"]) == []


def test_the_csv_names_the_annotations_of_its_chart_and_only_of_time_charts(store, facts, monkeypatch):
    d = _months_back(facts["peildatum"], 6) + timedelta(days=1)
    store.add_annotation(d, "Nieuw contract", "Inkoop; met  resultaat\nfinanciering", "contract", "test")
    store.add_annotation(date(1999, 5, 1), "Lang geleden", "", "overig", "test")
    captured = capture_downloads(monkeypatch)
    run_page("views/stromen.py")
    by_title = {}
    for data in captured:
        context, _table = csv_parts(data)
        by_title[context["Indicator"]] = data
    context, _table = csv_parts(by_title["Instroom, in zorg en uitstroom"])
    text = by_title["Instroom, in zorg en uitstroom"].decode("utf-8-sig")
    rows = [line for line in text.split("\n\n", 1)[0].splitlines() if line.startswith("Gebeurtenis;")]
    months = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
    words = f"{d.day} {months[d.month - 1]} {d.year}"
    assert len(rows) == 1, rows
    assert "Nieuw contract" in rows[0] and words in rows[0] and "financiering" in rows[0]
    # the table "Per gemeente" has no time axis: no annotation in its context
    assert "Gebeurtenis" not in csv_parts(by_title["Per gemeente"])[0]


def test_the_png_names_the_annotations_in_its_title_block(store, facts, monkeypatch):
    d = _months_back(facts["peildatum"], 6)
    store.add_annotation(d, "Nieuw contract", "", "contract", "test")
    pngs, saved = capture_pngs(monkeypatch)
    at = run_page("views/stromen.py")
    assert not at.exception
    pngs[-1]()
    subtitle = "\n".join(saved[-1]["title"]["subtitle"])
    assert "Gebeurtenissen: ①" in subtitle and "Nieuw contract" in subtitle
    assert "teken" in json.dumps(saved[-1])  # and the markers are in the exported chart


def test_the_definitions_page_lists_the_annotations_and_the_charts_they_are_drawn_on(store, facts):
    store.add_annotation(date(2025, 3, 1), "Nieuw contract", "Resultaatfinanciering", "contract", "test")
    store.add_annotation(
        date(2025, 4, 1),
        "Alleen deze gemeente",
        "",
        "overig",
        "test",
        scope_soort="gemeente",
        scope_code=facts["gemeente"],
    )
    gone = store.add_annotation(date(2025, 5, 1), "Teruggedraaid besluit", "", "overig", "test")
    store.delete_annotation(gone.id, "test")
    at = run_page("views/definities.py")
    assert not at.exception
    assert "Gebeurtenissen" in [h.value for h in at.header]
    text = "\n".join(m.value for m in at.markdown)
    assert "1 mrt 2025 — Nieuw contract" in text and "Resultaatfinanciering" in text
    assert "alleen bij gemeente" in text and "Teruggedraaid besluit" not in text
    for title in ("Ketensignalen per maand", "Verloop per maand", "Uitstroom naar reden"):
        assert title in text
