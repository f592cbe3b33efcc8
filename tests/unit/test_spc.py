"""XmR charts and the Making Data Count rules (pipelines/spc.py).

Golden values come from the NHS-R package NHSRplotthedots 0.2.2 (github.com/nhs-r-community/NHSRplotthedots):
- vignettes/deviations.Rmd, "Treatment of outlying points": the series 1, 2, 1, 2, 10, 1, 2, … has
  UPL 4.6, mean 1.94, LPL -0.72 with screening (package default) and UPL 6.95, mean 1.94, LPL -3.06 without
  (the Making Data Count Excel tool);
- tests/testthat/_snaps/ptd_spc_standard.md: R's rnorm(20) after set.seed(123) has mean 0.1416238,
  LPL -3.01138, UPL 3.294627; with y[15] = 10 the limits are -2.383666 / 3.722497 (screened) and
  -4.596625 / 5.935457 (not screened), mean 0.6694159;
- tests/testthat/_snaps/ptd_spc.md (summary): the same series in two groups of ten has mean 0.0746,
  limits -2.60 / 2.75 and mean 0.209, limits -3.28 / 3.70, every point common cause.
The rule tests build series around a baseline whose mean (10) and mean moving range (2) are known exactly:
the probe points are excluded from the limit calculation, so each rule fires (or misses by one) by
construction.
"""

import datetime as dt
import itertools

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.spc import (
    BUITEN_GRENS,
    STEEDS_GEHAALD,
    STEEDS_GEMIST,
    TREND,
    TWEE_VAN_DRIE,
    VERSCHUIVING,
    WISSELEND,
    xmr,
)

START = dt.date(2024, 1, 1)

# R: set.seed(123); rnorm(20)
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
    -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
    0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def _days(values, start=START):
    return pl.DataFrame(
        {
            "datum": [start + dt.timedelta(days=i) for i in range(len(values))],
            "waarde": [None if v is None else float(v) for v in values],
        },
        schema={"datum": pl.Date, "waarde": pl.Float64},
    )


def _chart(values, probe=None, **kw):
    """An XmR chart of `values` with the positions in `probe` excluded from the limits."""
    df = _days(values)
    exclude = [df["datum"][i] for i in (probe or [])]
    kw.setdefault("improvement", "hoger")
    return xmr(df, date="datum", value="waarde", exclude=exclude, **kw)


def _flagged(result, rule):
    return [i for i, f in enumerate(result.punten[rule].to_list()) if f]


# --- published examples (NHSRplotthedots) ---------------------------------------------------------------


def test_deviations_vignette_screened_and_excel():
    data = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    screened = _chart(data).segmenten.row(0, named=True)
    assert round(screened["bovengrens"], 2) == 4.6
    assert round(screened["gemiddelde"], 2) == 1.94
    assert round(screened["ondergrens"], 2) == -0.72
    excel = _chart(data, screen_outliers=False)
    seg = excel.segmenten.row(0, named=True)
    assert (round(seg["bovengrens"], 2), round(seg["gemiddelde"], 2), round(seg["ondergrens"], 2)) == (
        6.95,
        1.94,
        -3.06,
    )
    # the vignette's charts: only the fifth point (10) is special cause, an improvement
    assert _flagged(excel, "speciale_oorzaak") == [4]
    assert excel.punten["punt_type"][4] == "verbetering"


def test_snapshot_values_of_rnorm_123():
    seg = _chart(RNORM_123).segmenten.row(0, named=True)
    assert seg["gemiddelde"] == pytest.approx(0.1416238, abs=1e-7)
    assert seg["ondergrens"] == pytest.approx(-3.01138, abs=1e-5)
    assert seg["bovengrens"] == pytest.approx(3.294627, abs=1e-6)

    y = list(RNORM_123)
    y[14] = 10  # R: data$y[15] <- 10
    screened = _chart(y).segmenten.row(0, named=True)
    assert screened["gemiddelde"] == pytest.approx(0.6694159, abs=1e-7)
    assert screened["ondergrens"] == pytest.approx(-2.383666, abs=1e-6)
    assert screened["bovengrens"] == pytest.approx(3.722497, abs=1e-6)
    plain = _chart(y, screen_outliers=False).segmenten.row(0, named=True)
    assert plain["ondergrens"] == pytest.approx(-4.596625, abs=1e-6)
    assert plain["bovengrens"] == pytest.approx(5.935457, abs=1e-6)


def test_rebased_halves_match_the_grouped_summary():
    df = pl.DataFrame(
        {"datum": [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(1, 21)], "waarde": RNORM_123}
    )
    r = xmr(df, date="datum", value="waarde", improvement="hoger", rebase=[dt.date(2020, 1, 12)])
    segs = r.segmenten
    assert segs["n_punten"].to_list() == [10, 10]
    assert [round(v, 4) for v in segs["gemiddelde"]] == [0.0746, 0.2086]
    assert [round(v, 2) for v in segs["ondergrens"]] == [-2.60, -3.28]
    assert [round(v, 2) for v in segs["bovengrens"]] == [2.75, 3.70]
    assert not r.punten["speciale_oorzaak"].any()
    assert segs["proefgrenzen"].to_list() == [True, True]  # fewer than 12 points


# --- the limits, computed independently -------------------------------------------------------------------


def test_limits_are_mean_plus_minus_2_66_mean_moving_range():
    rng = np.random.default_rng(7)
    y = list(np.round(rng.normal(50, 5, 30), 1))
    r = _chart(y, screen_outliers=False)
    mean = sum(y) / len(y)
    mmr = sum(abs(b - a) for a, b in itertools.pairwise(y)) / (len(y) - 1)
    seg = r.segmenten.row(0, named=True)
    assert seg["gemiddelde"] == pytest.approx(mean)
    assert seg["gemiddeld_bereik"] == pytest.approx(mmr)
    assert seg["bovengrens"] == pytest.approx(mean + 2.66 * mmr)
    assert r.punten["bovengrens_2s"][0] == pytest.approx(mean + 2 / 3 * 2.66 * mmr)


# --- the rules: each fires by construction, and misses by one ------------------------------------------
# Baseline 9, 11, 9, 11, …: mean 10, every moving range 2, so limits 10 +/- 5.32 = [4.68, 15.32] and the
# 2-sigma lines 10 +/- 3.5467; probes are excluded from the limits.


def _with_probe(before, probe, after, **kw):
    values = before + probe + after
    return _chart(values, probe=list(range(len(before), len(before) + len(probe))), **kw), len(before)


def test_baseline_limits_are_known():
    r, _ = _with_probe([9, 11] * 4, [15.0], [9, 11] * 4)
    seg = r.segmenten.row(0, named=True)
    assert (seg["gemiddelde"], seg["gemiddeld_bereik"]) == (10.0, 2.0)
    assert seg["bovengrens"] == pytest.approx(15.32) and seg["ondergrens"] == pytest.approx(4.68)


def test_rule_a_point_beyond_a_limit():
    r, at = _with_probe([9, 11] * 4, [15.33], [9, 11] * 4)
    assert _flagged(r, BUITEN_GRENS) == [at]
    assert r.punten["regel"][at] == BUITEN_GRENS and r.punten["richting"][at] == "hoog"
    miss, _ = _with_probe([9, 11] * 4, [15.31], [9, 11] * 4)
    assert not miss.punten["speciale_oorzaak"].any()
    on_limit, at = _with_probe([9, 11] * 4, [15.32], [9, 11] * 4)  # 10 + 2.66 * 2 == 15.32 exactly
    assert on_limit.punten["bovengrens"][at] == 15.32 and not on_limit.punten[BUITEN_GRENS].any()
    low, at = _with_probe([9, 11] * 4, [4.67], [9, 11] * 4)
    assert _flagged(low, BUITEN_GRENS) == [at] and low.punten["punt_type"][at] == "zorg"


def test_rule_b_shift_of_seven():
    r, at = _with_probe([11, 9] * 4, [10.5] * 7, [9, 11] * 4)
    assert _flagged(r, VERSCHUIVING) == list(range(at, at + 7))
    assert set(r.punten["regel"][at : at + 7]) == {VERSCHUIVING}
    miss, _ = _with_probe([11, 9] * 4, [10.5] * 6, [9, 11] * 4)
    assert not miss.punten[VERSCHUIVING].any()
    # the run length is a parameter
    six, at = _with_probe([11, 9] * 4, [10.5] * 6, [9, 11] * 4, shift_run=6)
    assert _flagged(six, VERSCHUIVING) == list(range(at, at + 6))
    # a point on the mean breaks the run
    broken, _ = _with_probe([11, 9] * 4, [10.5] * 3 + [10.0] + [10.5] * 4, [9, 11] * 4)
    assert not broken.punten[VERSCHUIVING].any()


def test_rule_c_trend_of_six():
    up = [9.2, 9.6, 10.0, 10.4, 10.8, 11.2]
    r, at = _with_probe([9, 11] * 4, up, [9, 11] * 4)
    assert _flagged(r, TREND) == list(range(at, at + 6))
    assert set(r.punten["richting"][at : at + 6]) == {"hoog"}
    miss, _ = _with_probe([9, 11] * 4, up[:5], [9, 11] * 4)
    assert not miss.punten[TREND].any()
    # NHSRplotthedots counts 7 points: the parameter reproduces it
    assert not _with_probe([9, 11] * 4, up, [9, 11] * 4, trend_run=7)[0].punten[TREND].any()
    # a falling trend points low; with lower-is-better it is an improvement
    down, at = _with_probe([9, 11] * 4, up[::-1], [11, 9] * 4, improvement="lager")
    assert _flagged(down, TREND) == list(range(at, at + 6))
    assert set(down.punten["richting"][at : at + 6]) == {"laag"}
    assert set(down.punten["punt_type"][at : at + 6]) == {"verbetering"}
    # an equal value breaks a trend
    tie, _ = _with_probe([9, 11] * 4, [9.2, 9.6, 10.0, 10.0, 10.4, 10.8], [9, 11] * 4)
    assert not tie.punten[TREND].any()


def test_rule_d_two_of_three_near_a_limit():
    r, at = _with_probe([9, 11] * 4, [14.0, 10.5, 14.0], [9, 11] * 4)
    assert _flagged(r, TWEE_VAN_DRIE) == [at, at + 2]  # the near points, not the one between
    assert r.punten["richting"][at] == "hoog"
    # misses: the third point just inside the 2-sigma line; or the middle point across the mean
    miss, _ = _with_probe([9, 11] * 4, [14.0, 10.5, 13.5], [9, 11] * 4)
    assert not miss.punten[TWEE_VAN_DRIE].any()
    across, _ = _with_probe([9, 11] * 4, [14.0, 9.5, 14.0], [9, 11] * 4)
    assert not across.punten[TWEE_VAN_DRIE].any()
    low, at = _with_probe([9, 11] * 4, [6.0, 6.2], [9, 11] * 4)
    assert _flagged(low, TWEE_VAN_DRIE) == [at, at + 1]
    # a point beyond the limit is not "near" (NHSRplotthedots): beyond + near is one near point of three
    beyond, at = _with_probe([9, 11] * 4, [16.0, 14.0], [9, 11] * 4)
    assert _flagged(beyond, BUITEN_GRENS) == [at] and not beyond.punten[TWEE_VAN_DRIE].any()


def test_a_point_meeting_several_rules_is_named_by_precedence():
    # seven points above the mean, the last one beyond the upper limit
    r, at = _with_probe([11, 9] * 4, [10.5] * 6 + [16.0], [9, 11] * 4)
    assert r.punten[VERSCHUIVING][at + 6] and r.punten[BUITEN_GRENS][at + 6]
    assert r.punten["regel"][at + 6] == BUITEN_GRENS
    assert r.punten["regel"][at] == VERSCHUIVING


# --- icons --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "improvement", "icon"),
    [
        (16.0, "hoger", "verbetering_hoog"),
        (16.0, "lager", "zorg_hoog"),
        (4.0, "hoger", "zorg_laag"),
        (4.0, "lager", "verbetering_laag"),
        (16.0, "neutraal", "neutraal_hoog"),
        (10.5, "hoger", "gewone_variatie"),
    ],
)
def test_variation_icon_follows_the_last_point(last, improvement, icon):
    r, _ = _with_probe([9, 11] * 6, [last], [], improvement=improvement)
    assert r.variatie == icon


@pytest.mark.parametrize(
    ("target", "improvement", "icon"),
    [
        (4.0, "hoger", STEEDS_GEHAALD),
        (16.0, "hoger", STEEDS_GEMIST),
        (10.0, "hoger", WISSELEND),
        (16.0, "lager", STEEDS_GEHAALD),
        (4.0, "lager", STEEDS_GEMIST),
        (15.32, "lager", WISSELEND),  # on the limit: not consistently
        (4.0, "neutraal", None),
        (None, "hoger", None),
    ],
)
def test_assurance_icon_compares_the_target_with_the_limits(target, improvement, icon):
    r = _chart([9, 11] * 8, improvement=improvement, target=target)
    assert r.segmenten["bovengrens"][0] == pytest.approx(15.32)
    assert r.zekerheid == icon


def test_assurance_uses_the_last_segment():
    values = [9, 11] * 8 + [29, 31] * 8  # after the rebase: mean 30, limits 30 +/- 5.32
    df = _days(values)
    r = xmr(df, date="datum", value="waarde", improvement="hoger", target=20.0, rebase=[df["datum"][16]])
    assert r.zekerheid == STEEDS_GEHAALD
    assert xmr(df, date="datum", value="waarde", improvement="hoger", target=20.0).zekerheid == WISSELEND


# --- rebasing -------------------------------------------------------------------------------------------


def test_limits_change_only_at_the_given_dates():
    values = [9, 11] * 8 + [19, 21] * 8
    df = _days(values)
    plain = xmr(df, date="datum", value="waarde", improvement="hoger")
    assert plain.segmenten.height == 1  # never rebased automatically, even after a clear shift
    assert plain.punten[VERSCHUIVING].any()

    # a break date between two points starts the segment at the next point
    between = dt.datetime.combine(df["datum"][15], dt.time()) + dt.timedelta(hours=12)
    r = xmr(
        df, date="datum", value="waarde", improvement="hoger", rebase=[between.date() + dt.timedelta(days=1)]
    )
    assert r.punten["segment"].to_list() == [0] * 16 + [1] * 16
    assert r.segmenten["gemiddelde"].to_list() == [10.0, 20.0]
    assert r.segmenten["van"].to_list() == [df["datum"][0], df["datum"][16]]
    assert r.punten["gemiddelde"][15] == 10.0 and r.punten["gemiddelde"][16] == 20.0
    assert not r.punten["speciale_oorzaak"].any()


def test_rules_do_not_cross_a_rebase():
    # four points above the first segment's mean and three above the second's: no run of seven
    values = [9, 11] * 6 + [9] + [10.5] * 4 + [20.5] * 3 + [19, 21] * 6
    df = _days(values)
    r = xmr(df, date="datum", value="waarde", improvement="hoger", rebase=[df["datum"][17]])
    assert not r.punten[VERSCHUIVING].any()


def test_excluded_points_are_drawn_and_judged_but_not_used():
    values = [9, 11] * 8 + [40]
    r = _chart(values, probe=[16])
    assert r.segmenten["gemiddelde"][0] == 10.0 and r.segmenten["gemiddeld_bereik"][0] == 2.0
    assert r.punten["uitgesloten"].to_list() == [False] * 16 + [True]
    assert r.punten["regel"][16] == BUITEN_GRENS


# --- edge cases -------------------------------------------------------------------------------------------


def test_null_values_are_kept_and_skipped():
    values = [9, 11, None, 9, 11, 9, 11]
    r = _chart(values)
    assert r.punten.height == 7
    row = r.punten.row(2, named=True)
    assert row["punt_type"] is None and row["gemiddelde"] is None and not row["speciale_oorzaak"]
    assert r.segmenten["n_punten"][0] == 6 and r.segmenten["gemiddelde"][0] == 10.0


def test_short_and_empty_series_do_not_crash():
    one = _chart([5.0])
    assert one.segmenten["gemiddelde"][0] == 5.0 and one.segmenten["bovengrens"][0] is None
    assert one.variatie == "gewone_variatie" and one.zekerheid is None
    empty = xmr(
        pl.DataFrame(schema={"datum": pl.Date, "waarde": pl.Float64}),
        date="datum",
        value="waarde",
        improvement="hoger",
    )
    assert empty.punten.height == 0 and empty.segmenten.height == 0 and empty.variatie is None
    with pytest.raises(ValueError, match="one row per"):
        xmr(_days([1, 2]).vstack(_days([3])), date="datum", value="waarde", improvement="hoger")


# --- the rules against a direct port of NHSRplotthedots' loops (R/ptd_calculate_point_type.R) ------------


def _port_run_marks(ok_at_end, length, n):
    """ptd_part_of_seven_trend: a point is flagged when a qualifying window ends at it or at one of the next
    length - 1 points."""
    return [any(ok_at_end[j] for j in range(i, min(n, i + length))) for i in range(n)]


def _port_rules(y, mean, amr, shift_run, trend_run):
    n = len(y)
    side = [(v > mean) - (v < mean) for v in y]
    upl, lpl = mean + 2.66 * amr, mean - 2.66 * amr
    nupl, nlpl = mean + 2 * 2.66 / 3 * amr, mean - 2 * 2.66 / 3 * amr
    outside = [v > upl or v < lpl for v in y]
    close = [not o and (v < nlpl or v > nupl) for v, o in zip(y, outside, strict=True)]
    # ptd_seven_point_one_side_mean, run length generalised
    shift_end = [
        i >= shift_run - 1 and side[i] != 0 and len(set(side[i - shift_run + 1 : i + 1])) == 1
        for i in range(n)
    ]
    # ptd_seven_point_trend, run length generalised (trend_run points, trend_run - 1 steps)
    trend_end = []
    for i in range(n):
        if i < trend_run - 1:
            trend_end.append(False)
            continue
        steps = [(b > a) - (b < a) for a, b in itertools.pairwise(y[i - trend_run + 1 : i + 1])]
        trend_end.append(all(s == 1 for s in steps) or all(s == -1 for s in steps))
    # ptd_two_in_three and ptd_part_of_two_in_three
    vp = [0, 0, *close, 0, 0]
    rp = [0, 0, *side, 0, 0]
    two3 = [
        close[i]
        and any(sum(vp[i + k : i + k + 3]) >= 2 and abs(sum(rp[i + k : i + k + 3])) == 3 for k in range(3))
        for i in range(n)
    ]
    return {
        BUITEN_GRENS: outside,
        VERSCHUIVING: _port_run_marks(shift_end, shift_run, n),
        TREND: _port_run_marks(trend_end, trend_run, n),
        TWEE_VAN_DRIE: two3,
    }


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.integers(0, 12), st.just(40)), min_size=1, max_size=40),
    st.integers(2, 9),
    st.integers(3, 9),
)
def test_rules_agree_with_the_reference_loops(values, shift_run, trend_run):
    # small integers: many ties, points on the mean and near the limits
    r = _chart(values, shift_run=shift_run, trend_run=trend_run, screen_outliers=False)
    y = [float(v) for v in values]
    mean = sum(y) / len(y)
    amr = sum(abs(b - a) for a, b in itertools.pairwise(y)) / (len(y) - 1) if len(y) > 1 else float("nan")
    expected = _port_rules(y, mean, amr, shift_run, trend_run)
    for rule, flags in expected.items():
        assert r.punten[rule].to_list() == flags, rule
