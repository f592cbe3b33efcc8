"""Data-quality marks as a user sees them, on a database built through the real build (app_db).

- Voorlopig: every month chart draws the labelled band over the voorlopig months (and none when the period
  holds none), and the CSV of monthly figures has a Voorlopig column (ja/nee).
- Caseload: the status, the headline number and the chart use one figure (the one the toggle picks), and
  the page says which; the status shown is the band classification of the number shown.
- Overzicht: KPI deltas are coloured by meaning (more children waiting is red; flows and stock are grey).
"""

from __future__ import annotations

import io
import json
import re
from datetime import date

import duckdb
import pandas as pd
import polars as pl
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from dashboard.charts import VOORLOPIG_KLEUR
from dashboard.components import STATUS_TEXT
from dashboard.format import getal
from pipelines import settings
from tests.app.conftest import capture_downloads, csv_parts, run_page

# (page, query) for every chart over months the pages draw
MONTH_CHARTS = [
    ("views/overzicht.py", {}),
    ("views/stromen.py", {}),
    ("views/stromen.py", {"stromen_grafiek": "Uitstroom naar reden"}),
    ("views/stromen.py", {"stromen_grafiek": "Op- en afschaling"}),
    ("views/wachttijden.py", {"wacht_grafiek": "Verloop per maand"}),
    ("views/caseload.py", {}),
    ("views/signalen.py", {}),
]


def _voorlopig_vanaf(app_db) -> date:
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        return con.sql("select voorlopig_vanaf from aanleververtraging").fetchall()[0][0]
    finally:
        con.close()


def _layers(spec: dict) -> list[dict]:
    out = [spec]
    for child in [*spec.get("layer", []), *spec.get("vconcat", []), *spec.get("hconcat", [])]:
        out += _layers(child)
    return out


def _mark(layer: dict) -> dict:
    mark = layer.get("mark", {})
    return mark if isinstance(mark, dict) else {"type": mark}


def _is_month_chart(spec: dict) -> bool:
    return any(
        layer.get("encoding", {}).get("x", {}).get("field") == "maand"
        and layer.get("encoding", {}).get("x", {}).get("type") == "temporal"
        for layer in _layers(spec)
    )


def _has_voorlopig_band(spec: dict) -> bool:
    layers = _layers(spec)
    band = any(
        _mark(lay).get("type") == "rect" and _mark(lay).get("color") == VOORLOPIG_KLEUR for lay in layers
    )
    label = any(
        _mark(lay).get("type") == "text" and lay.get("encoding", {}).get("text", {}).get("field") == "label"
        for lay in layers
    )
    return band and label


def _month_specs(at) -> list[dict]:
    return [s for s in (json.loads(e.proto.spec) for e in at.get("vega_lite_chart")) if _is_month_chart(s)]


@pytest.mark.parametrize("page, query", MONTH_CHARTS)
def test_every_month_chart_marks_the_voorlopig_months(use_db, app_db, page, query):
    vanaf = _voorlopig_vanaf(app_db)
    at = run_page(page, query)
    assert not at.exception, [e.value for e in at.exception]
    tot = date.fromisoformat(
        str(at.query_params["tot"][0] if isinstance(at.query_params["tot"], list) else at.query_params["tot"])
    )
    assert tot >= vanaf, "the default period ends in a voorlopig month"
    specs = _month_specs(at)
    assert specs, "the view draws a chart over months"
    assert all(_has_voorlopig_band(s) for s in specs)

    # a period that ends before the first voorlopig month has nothing voorlopig to mark
    index = vanaf.year * 12 + vanaf.month - 2
    earlier = date(index // 12, index % 12 + 1, 1)
    start = date((index - 11) // 12, (index - 11) % 12 + 1, 1)
    at = run_page(page, {**query, "van": start.isoformat(), "tot": earlier.isoformat()})
    assert not at.exception, [e.value for e in at.exception]
    specs = _month_specs(at)
    assert specs
    assert not any(_has_voorlopig_band(s) for s in specs)


def test_monthly_downloads_say_which_months_are_voorlopig(use_db, app_db, monkeypatch):
    captured = capture_downloads(monkeypatch)
    for page, query in MONTH_CHARTS:
        at = run_page(page, query)
        assert not at.exception
    vanaf = _voorlopig_vanaf(app_db)
    monthly = [
        df
        for df in (pd.read_csv(io.StringIO(csv_parts(b)[1]), sep=";", dtype=str) for b in captured)
        if "Maand" in df.columns
    ]
    assert len(monthly) >= len(MONTH_CHARTS)
    for df in monthly:
        assert "Voorlopig" in df.columns, list(df.columns)
        for shown, mark in zip(df["Maand"], df["Voorlopig"], strict=True):
            month = date.fromisoformat(shown)  # downloads write months as ISO dates ("2026-09-01")
            assert mark == ("ja" if month >= vanaf else "nee"), (shown, mark)
        if df["Maand"].nunique() > 1:  # a series over months (not a cross-section such as all teams' latest)
            assert "ja" in set(df["Voorlopig"]) and "nee" in set(df["Voorlopig"])


def _band_status(value: float, onder: float, boven: float) -> str:
    """The traffic light written out from norms-and-methods section 7 (margin from the config)."""
    marge = settings.config()["caseload"]["ver_boven_marge"]
    if value < onder:
        return "onder_band"
    if value <= boven:
        return "binnen_band"
    return "boven_band" if value < boven * (1 + marge) else "ver_boven_band"


HEADLINE = re.compile(
    r"^### (\S+) (.+?): (.+)\n\*\*([\d.,]+) \S+ per fte \((ongewogen|gewogen)\)\*\*, band ([\d.,]+)–([\d.,]+)"
)


def _number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def test_caseload_status_number_and_chart_use_one_figure(use_db, app_db):
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        teams = [r[0] for r in con.sql("select distinct team_code from caseload_team order by 1").fetchall()]
        latest = {
            r[0]: r[1:]
            for r in con.sql(
                "select team_code, arg_max(casussen_per_fte, maand), arg_max(gewogen_casussen_per_fte, maand), "
                "arg_max(bandbreedte_onder, maand), arg_max(bandbreedte_boven, maand) from caseload_team "
                "where casussen_per_fte is not null and bandbreedte_boven is not null group by 1"
            ).fetchall()
        }
    finally:
        con.close()
    at = run_page("views/caseload.py")
    assert not at.exception
    checked, differ = 0, 0
    for team in teams:
        at.selectbox(key="caseload_team").set_value(team).run()
        shown = {}
        for gewogen in (False, True):
            at.toggle(key="caseload_gewogen").set_value(gewogen).run()
            assert not at.exception, [e.value for e in at.exception]
            weging = "gewogen" if gewogen else "ongewogen"
            heads = [m.value for m in at.markdown if m.value.startswith("### ")]
            if team not in latest:
                assert not heads
                continue
            (head,) = heads
            m = HEADLINE.match(head)
            assert m, head
            icon, _, text, number, said, onder, boven = m.groups()
            assert said == weging, "the page says which figure it shows"
            ongewogen, gewogen_value, band_onder, band_boven = latest[team]
            value = gewogen_value if gewogen else ongewogen
            assert number == getal(value, 1), "the headline number is the figure of the toggle"
            assert (onder, boven) == (getal(band_onder, 1), getal(band_boven, 1))
            assert (icon, text) == STATUS_TEXT[_band_status(value, band_onder, band_boven)], head
            shown[weging] = text
            checked += 1
            # the chart: line and points use that same figure, the colour its own status
            # (the team's history; the overview of all teams above it is no chart over months)
            (spec,) = _month_specs(at)
            enc = [lay["encoding"] for lay in _layers(spec) if "color" in lay.get("encoding", {})]
            (points,) = [e for e in enc if e["color"].get("field", "").startswith("status")]
            y_field = "gewogen_casussen_per_fte" if gewogen else "casussen_per_fte"
            assert points["y"]["field"] == y_field
            assert points["color"]["field"] == f"status_{weging}"
        differ += len(set(shown.values())) > 1
    assert checked > 0
    assert differ > 0, "some team's status differs by weighting (the case the page must not mix up)"


GRAY, RED, GREEN = (MetricProto.MetricColor.GRAY, MetricProto.MetricColor.RED, MetricProto.MetricColor.GREEN)


def test_overzicht_kpi_deltas_are_coloured_by_meaning(use_db, app_db):
    """Flows and the stock have no good direction (grey); more children waiting is bad (red), fewer good."""
    up_is_bad = {"Kinderen wachtend"}
    neutral = {"Instroom", "In zorg", "Uitstroom"}
    at = run_page("views/overzicht.py")
    assert not at.exception
    cards = {m.label: m for m in at.metric if m.label in up_is_bad | neutral}
    assert set(cards) == up_is_bad | neutral
    moved = 0
    for label, card in cards.items():
        delta = card.delta or ""
        if delta in ("", "0"):
            assert card.proto.color == GRAY
            continue
        moved += 1
        up = not delta.startswith("-")
        if label in neutral:
            assert card.proto.color == GRAY, (label, delta)
        else:
            assert card.proto.color == (RED if up else GREEN), (label, delta)
    assert moved >= 2, "the sample period has changes to colour"
    # wait cards on the same page: a longer median wait is red, a shorter one green
    for card in at.metric:
        if card.label not in cards and card.delta and card.delta[0] in "+-":
            assert card.proto.color == (RED if card.delta.startswith("+") else GREEN), (
                card.label,
                card.delta,
            )


def test_overzicht_says_when_its_key_figures_are_of_a_voorlopig_month(use_db, app_db):
    vanaf = _voorlopig_vanaf(app_db)
    index = vanaf.year * 12 + vanaf.month - 2
    earlier = date(index // 12, index % 12 + 1, 1).isoformat()
    for query, voorlopig in (({}, True), ({"tot": earlier}, False)):
        at = run_page("views/overzicht.py", query)
        assert not at.exception
        (head,) = [m.value for m in at.markdown if m.value.startswith("**Kerncijfers")]
        assert ("voorlopig" in head) == voorlopig, head


def _facet_encoding(spec: dict) -> dict:
    """The encoding of a (row-)faceted chart, or of a plain one."""
    return spec.get("spec", {}).get("encoding") or spec.get("encoding", {})


def test_the_coverage_grid_marks_the_voorlopig_months(use_db, app_db):
    """The coverage heatmap is faceted per bron, so it marks voorlopig months by opacity, not by the band:
    the encoding maps voorlopig 'ja' to a lighter cell, and exactly the months from voorlopig_vanaf are 'ja'
    in its data."""
    vanaf = _voorlopig_vanaf(app_db)
    at = run_page("views/overzicht.py", {"overzicht_grafiek": "Datadekking"})
    assert not at.exception, [e.value for e in at.exception]
    specs = [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]
    (spec,) = [s for s in specs if _facet_encoding(s).get("opacity", {}).get("field") == "voorlopig"]
    opacity = _facet_encoding(spec)["opacity"]["scale"]
    assert opacity["domain"] == ["nee", "ja"] and opacity["range"][1] < opacity["range"][0]
    from dashboard import queries

    dekking = queries.dekking(at.session_state["_filters"])
    flagged = dekking.filter(pl.col("voorlopig") == "ja")["maand"].unique().to_list()
    assert flagged and all(m >= vanaf for m in flagged)
    assert all(m < vanaf for m in dekking.filter(pl.col("voorlopig") == "nee")["maand"].unique().to_list())
