"""Series over time: `lines_over_time` and `stacked_bars` are one builder (`charts.series_over_time`) with
another mark; they differ in nothing else, and both carry the voorlopig band."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dashboard import charts

SERIES = {"a": "Instroom", "b": "Uitstroom"}


def _df() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "maand": [date(2026, m, 1) for m in range(1, 5)],
            "a": [1, None, 3, 4],
            "b": [2, 3, 4, 5],
            "voorlopig": ["nee", "nee", "ja", "ja"],
        }
    )


def _series_layer(spec: dict) -> dict:
    """The layer (or the single view) that draws the series."""
    return next(layer for layer in spec.get("layer", [spec]) if layer["encoding"].get("color"))


def test_lines_and_bars_differ_only_in_their_mark():
    lines = charts.lines_over_time(_df(), "maand", SERIES, "Trajecten").build().to_dict()
    bars = charts.stacked_bars(_df(), "maand", SERIES, "Trajecten").build().to_dict()
    assert _series_layer(lines)["mark"] == {
        "type": "line",
        "point": True,
        "invalid": "break-paths-show-domains",
    }
    assert _series_layer(bars)["mark"] == {"type": "bar"}
    assert _series_layer(bars)["encoding"]["y"].pop("stack") is True
    assert "stack" not in _series_layer(lines)["encoding"]["y"]
    for spec in (lines, bars):
        del _series_layer(spec)["mark"]
    assert lines == bars
    # the voorlopig band: a rect over the voorlopig months (March and April), under the series
    band = lines["layer"][0]
    assert band["mark"]["type"] == "rect"
    (values,) = [v for v in lines["datasets"].values() if v and "van" in v[0]]
    assert values[0]["label"] == "voorlopig"
    assert values[0]["van"].startswith("2026-02-1") and values[0]["tot"].startswith("2026-04-1")


def test_without_voorlopig_months_there_is_no_band_and_bars_need_rows():
    df = _df().with_columns(pl.lit("nee").alias("voorlopig"))
    spec = charts.stacked_bars(df, "maand", SERIES, "Trajecten").build().to_dict()
    assert "layer" not in spec and spec["mark"] == {"type": "bar"}
    assert charts.stacked_bars(df.clear(), "maand", SERIES, "Trajecten").build() is None


def _verdeling() -> pl.DataFrame:
    """Classes as sql/macros/wachttijden_verdeling returns them: the norm (4 weeks) is the edge after 2–4 wk."""
    klassen = ["0–2 wk", "2–4 wk", "4–6 wk", "> 6 wk"]
    return pl.DataFrame(
        {
            "soort": ["afgerond"] * 4 + ["wachtend"] * 4,
            "volgorde": [1, 2, 3, 4] * 2,
            "klasse": klassen * 2,
            "is_open": [False, False, False, True] * 2,
            "binnen_norm": [True, True, False, False] * 2,
            "aantal": [10, None, 7, 6, 8, 9, None, 12],
            "aantal_onderdrukt": [False, True, False, False, False, False, True, False],
        }
    )


def test_histogram_draws_banded_classes_side_by_side_with_the_norm_on_a_class_edge():
    spec = charts.histogram(_verdeling(), 4.0).build().to_dict()
    bars, marks, rule, rule_label = spec["layer"]
    assert rule_label["mark"]["type"] == "text" and rule_label["encoding"]["x"] == rule["encoding"]["x"]
    assert bars["mark"]["type"] == "bar"
    # a band scale (nominal classes in the class order), so xOffset puts the two groups side by side
    assert bars["encoding"]["x"]["type"] == "nominal" and bars["encoding"]["x"]["field"] == "klasse"
    assert bars["encoding"]["x"]["sort"] == ["0–2 wk", "2–4 wk", "4–6 wk", "> 6 wk"]
    assert bars["encoding"]["xOffset"]["field"] == "soort"
    assert "per 4 weken" not in bars["encoding"]["x"]["axis"]["title"]
    assert bars["encoding"]["y"]["scale"]["zero"] is True
    # the norm stands on the right edge of the last class within the norm, and says which norm it is
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["bandPosition"] == 1
    (norm_rows,) = [v for v in spec["datasets"].values() if v and "label" in v[0]]
    assert norm_rows == [{"klasse": "2–4 wk", "label": "norm 4 wk"}]
    # suppressed classes are marked "<5", not left out silently
    assert marks["mark"]["type"] == "text"
    (teken,) = [v for v in spec["datasets"].values() if v and "teken" in v[0]]
    assert sorted((r["soort"], r["klasse"], r["teken"]) for r in teken) == [
        ("afgerond", "2–4 wk", "<5"),
        ("wachtend", "4–6 wk", "<5"),
    ]
    # and the spec is valid Vega-Lite (validation raises otherwise)
    charts.histogram(_verdeling(), 30 / 7).build().to_dict(validate=True)


def _heatmap_rows() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "verwijzer": f"Verwijzer met een lange naam {i}",
                "categorie": f"Categorie {j}",
                "trajecten": 5 + i,
            }
            for i in range(30)
            for j in range(3)
        ]
    )


@pytest.mark.parametrize("heatmap", ["routes", "dekking"])
def test_heatmaps_label_every_row_in_full(heatmap):
    """Every row label is drawn (no overlap culling, which dropped every other row) and none is cut, because
    each row gets its own fixed height instead of a share of a fixed chart height."""
    if heatmap == "routes":
        spec = charts.route_heatmap(_heatmap_rows()).build().to_dict()
    else:
        months = [date(2026, m, 1) for m in range(1, 4)]
        df = pl.DataFrame(
            [
                {"bron": b, "aanbieder": f"Aanbieder {i} met een lange naam", "maand": m, "levering": "5–49"}
                for b in ("iJw-berichten", "wachttijdregistratie")
                for i in range(30)
                for m in months
            ]
        )
        spec = charts.coverage_heatmap(df).build().to_dict()
    axis = spec["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False
    if heatmap == "routes":  # the categories along x too: none culled, none cut
        x_axis = spec["encoding"]["x"]["axis"]
        assert x_axis["labelOverlap"] is False and x_axis["labelLimit"] == 0
    assert axis["labelLimit"] == 0
    assert spec["height"] == {"step": charts.RIJ_HOOGTE} and axis["labelFontSize"] + 4 <= charts.RIJ_HOOGTE


def _flows() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "maand": [date(2026, m, 1) for m in range(1, 7)],
            "instroom": [80, None, 75, 90, 85, 70],
            "uitstroom": [70, 72, None, None, 80, 75],
            "in_zorg": [1000, 1010, 1015, 1020, 1030, 1040],
            "instroom_onderdrukt": [False, True, False, False, False, False],
            "uitstroom_onderdrukt": [False, False, True, True, False, False],
            "voorlopig": ["nee"] * 6,
        }
    )


def test_flows_and_stock_get_a_panel_and_a_y_axis_each():
    spec = (
        charts.flows(
            _flows(), "maand", {"in_zorg": "In zorg"}, {"instroom": "Instroom", "uitstroom": "Uitstroom"}, "T"
        )
        .build()
        .to_dict()
    )
    boven, onder = spec["vconcat"]
    # the stock alone in one panel, the two flows in the other: each y scale has its own domain from its data
    assert _series_layer(boven)["encoding"]["color"]["scale"]["domain"] == ["In zorg"]
    assert _series_layer(onder)["encoding"]["color"]["scale"]["domain"] == ["Instroom", "Uitstroom"]
    assert spec.get("resolve", {}).get("scale", {}).get("y") != "shared"
    assert (
        charts.flows(_flows().clear(), "maand", {"in_zorg": "In zorg"}, {"instroom": "I"}, "T").build()
        is None
    )


def test_suppressed_counts_are_gaps_in_the_line_and_marked_on_the_zero_line():
    spec = charts.lines_over_time(_flows(), "maand", {"instroom": "Instroom", "uitstroom": "Uitstroom"}, "T")
    spec = spec.build().to_dict()
    line = _series_layer(spec)
    assert line["mark"]["invalid"] == "break-paths-show-domains", "a null breaks the line, it is not bridged"
    (marks,) = [layer for layer in spec["layer"] if layer["mark"].get("filled") is False]
    assert marks["encoding"]["y"] == {"datum": 0}
    (rows,) = [v for v in spec["datasets"].values() if v and "waarde" in v[0]]
    # exactly the flagged points, counted from the frame's flags here
    assert sorted((r["maand"][:7], r["reeks"]) for r in rows) == [
        ("2026-02", "Instroom"),
        ("2026-03", "Uitstroom"),
        ("2026-04", "Uitstroom"),
    ]
    # the suppressed values stay in the line's data as nulls (a gap), not dropped
    (values,) = [v for v in spec["datasets"].values() if v and "aantal" in v[0]]
    assert sum(r["aantal"] is None for r in values) == 3 and len(values) == 12


def test_signal_trend_shows_months_under_k_as_gaps_with_a_mark():
    """The protected list has no row for a type in a month under k: the chart still has that month (a gap
    with a hollow point), over every month of the period."""
    df = pl.DataFrame(
        {
            "maand": [date(2026, 1, 1), date(2026, 3, 1), date(2026, 1, 1)],
            "type": ["a", "a", "b"],
            "aantal": [7, 9, 12],
            "voorlopig": ["nee"] * 3,
        }
    )
    spec = charts.signal_trend(df, date(2026, 1, 1), date(2026, 4, 1)).build().to_dict()
    line = spec["layer"][0]
    assert line["mark"]["invalid"] == "break-paths-show-domains"
    (rows,) = [v for v in spec["datasets"].values() if v and "waarde" in v[0]]
    assert {(r["maand"][:7], r["reeks"]) for r in rows} == {
        ("2026-02", "a"),
        ("2026-04", "a"),
        ("2026-02", "b"),
        ("2026-03", "b"),
        ("2026-04", "b"),
    }


def _verloop(eenheid: str) -> pl.DataFrame:
    n = 3
    return pl.DataFrame(
        {
            "maand": [date(2026, m, 1) for m in range(1, n + 1)],
            "team_naam": ["GI"] * n,
            "eenheid": [None, eenheid, eenheid],
            "casussen_per_fte": [12.0, 13.0, 15.5],
            "gewogen_casussen_per_fte": [13.0, 14.0, 16.0],
            "bandbreedte_onder": [12.0] * n,
            "bandbreedte_boven": [15.0] * n,
            "referentienorm_maximum": [16.0] * n,
            "referentienorm_bron": ["GI: 12 maatregelen"] * n,
            "status_ongewogen": ["binnen_band", "binnen_band", "boven_band"],
            "status_gewogen": ["binnen_band", "binnen_band", "ver_boven_band"],
            "voorlopig": ["nee"] * n,
        }
    )


def test_caseload_axis_names_the_team_unit_and_the_norm_line_is_labelled():
    spec = charts.caseload_band(_verloop("maatregelen"), "ongewogen", "maatregelen").build().to_dict()
    titles = [layer["encoding"]["y"].get("axis", {}).get("title") for layer in spec["layer"]]
    assert "Maatregelen per fte (ongewogen)" in titles
    assert not any(t and t.startswith("Casussen") for t in titles)
    (label,) = [v for v in spec["datasets"].values() if v and "label" in v[0] and "norm" in v[0]]
    assert label[0]["label"] == "referentienorm: max. 16 maatregelen per fte"
    assert label[0]["norm"] == 16.0


def _overzicht() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "team_code": ["A", "B", "C"],
            "team_naam": ["Alfa", "Bravo", "Charlie"],
            "eenheid": ["gezinnen", "maatregelen", "casussen"],
            "maand": [date(2026, 9, 1)] * 3,
            "casussen_per_fte": [14.0, None, 20.0],
            "gewogen_casussen_per_fte": [15.0, None, 22.0],
            "bandbreedte_onder": [12.0, 10.0, 12.0],
            "bandbreedte_boven": [18.0, 14.0, 18.0],
            "referentienorm_maximum": [28.0, 16.0, 28.0],
            "status_ongewogen": ["binnen_band", None, "boven_band"],
            "status_gewogen": ["binnen_band", None, "ver_boven_band"],
        }
    )


def test_caseload_overview_lists_every_team_with_the_chosen_one_first_in_bold():
    spec = charts.caseload_overzicht(_overzicht(), "gewogen", "C").build().to_dict()
    band, norm, points = spec["layer"]
    order = points["encoding"]["y"]["sort"]
    assert order == ["Charlie (casussen)", "Alfa (gezinnen)", "Bravo (maatregelen)"]
    assert "Charlie (casussen)" in points["encoding"]["y"]["axis"]["labelFontWeight"]["expr"]
    assert points["encoding"]["x"]["field"] == "gewogen_casussen_per_fte"
    assert (
        band["encoding"]["x"]["field"] == "bandbreedte_onder"
        and band["encoding"]["x2"]["field"] == "bandbreedte_boven"
    )
    assert norm["mark"]["type"] == "tick" and norm["encoding"]["x"]["field"] == "referentienorm_maximum"


def _factoren(vorige: bool = True) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "factor": ["a", "b", "c", "d"],
            "factor_label": ["Aansturing", "Multiproblematiek", "Taal", "Kaders"],
            "kwartaal": ["2026-Q3"] * 4,
            "gemiddelde_score": [2.0, 4.5, 3.0, 1.0],
            "n_medewerkers": [6] * 4,
            "vorig_kwartaal": ["2026-Q2"] * 4,
            "vorige_score": [2.5, 4.0, 3.0, 1.5] if vorige else [None] * 4,
            "vorige_n_medewerkers": [7] * 4 if vorige else [3] * 4,
        }
    )


def test_spider_has_a_radial_scale_values_respondents_date_and_the_previous_measurement():
    spec = charts.spider(_factoren()).build().to_dict()
    data = list(spec["datasets"].values())
    (rings,) = [v for v in data if v and "ring" in v[0]]
    assert sorted({r["ring"] for r in rings}) == [1, 2, 3, 4, 5]
    (ring_labels,) = [v for v in data if v and "label" in v[0] and str(v[0]["label"]).startswith("score")]
    # ring r stands for score 6 - r: the outer ring is score 1 (light), the inner one score 5 (heavy)
    assert [r["label"] for r in ring_labels] == [
        "score 5 (zwaar)",
        "score 4",
        "score 3",
        "score 2",
        "score 1 (licht)",
    ]
    points = next(v for v in data if v and "score_tekst" in v[0])
    latest = {r["factor"]: r for r in points if r["reeks"] == "Laatste meting"}
    assert latest["Multiproblematiek"]["score_tekst"] == "4,5"
    # radius = 6 - score: Multiproblematiek (4.5) at 1.5 from the centre
    r = latest["Multiproblematiek"]
    assert abs((r["x"] ** 2 + r["y"] ** 2) ** 0.5 - 1.5) < 1e-9
    assert {p["reeks"] for p in points} == {"Laatste meting", "Vorige meting"}
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "2026-Q3" in subtitle and "6 medewerkers" in subtitle
    assert "2026-Q2" in subtitle and "7 medewerkers" in subtitle
    dashed = [
        layer for layer in spec["layer"] if layer["encoding"].get("strokeDash", {}).get("field") == "reeks"
    ]
    assert dashed, "the previous measurement is told apart by its dash, not only its colour"
    # without a shown previous mean (fewer than k respondents then) the chart says there is no comparison
    spec = charts.spider(_factoren(vorige=False)).build().to_dict()
    assert "Geen eerdere meting" in " ".join(spec["title"]["subtitle"])
