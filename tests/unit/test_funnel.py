"""Funnel limits (pipelines/funnel.py) against values computed here by hand, independently of the module.

Method reference: the NHS-R package FunnelPlotR 0.6.0 (github.com/nhs-r-community/FunnelPlotR,
R/od_adjustment.R: transformed_zscore, winsorisation, phi_func, tau_func; R/calculate_limits.R; R/funnel_plot.R:
no adjustment when phi <= 1) after Spiegelhalter (2005, Qual Saf Health Care 14:347). FunnelPlotR publishes
no numeric outputs (its tests and vignettes check shapes and plots), so the golden values below are worked by
hand with the formulas written out in each test.
"""

import math
from statistics import NormalDist

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.funnel import (
    GEEN_WAARDE,
    LIMIT_COLUMNS,
    MIN_UNITS,
    ONDER_MINIMUM,
    TE_WEINIG,
    VERGELEKEN,
    funnel,
    outlier_sentence,
)

Z95, Z998 = 1.959964, 3.090232


def _frame(num, den, names=None):
    names = names or [f"Aanbieder {chr(65 + i)}" for i in range(len(num))]
    return pl.DataFrame({"aanbieder": names, "teller": num, "noemer": den})


def _quantile_type7(x, p):
    """R's default quantile (type 7), written out: h = (n - 1) p, interpolate between order statistics."""
    xs = sorted(x)
    h = (len(xs) - 1) * p
    lo = math.floor(h)
    return xs[lo] + (h - lo) * (xs[min(lo + 1, len(xs) - 1)] - xs[lo])


# Ten providers, % within the norm: widely spread, so phi > 1 and the 10 %/90 % Winsorisation bites.
NUM = [12, 45, 30, 80, 55, 20, 95, 60, 33, 70]
DEN = [40, 60, 75, 100, 110, 50, 120, 90, 45, 150]


def test_proportion_matches_the_worked_formulas():
    r = funnel(_frame(NUM, DEN), unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie")

    # 1. target: pooled proportion
    target = sum(NUM) / sum(DEN)
    # 2. unadjusted z on the arcsine-square-root scale, s = 1 / (2 sqrt(n))
    z = [
        (math.asin(math.sqrt(o / n)) - math.asin(math.sqrt(target))) * 2 * math.sqrt(n)
        for o, n in zip(NUM, DEN, strict=True)
    ]
    # 3. Winsorise at the 10 % and 90 % quantiles (type 7), phi = mean of squares
    lo, hi = _quantile_type7(z, 0.1), _quantile_type7(z, 0.9)
    zw = [min(max(v, lo), hi) for v in z]
    phi = sum(v * v for v in zw) / len(zw)
    # 4. DerSimonian-Laird tau^2 with w = 1 / s^2 = 4 n
    w = [4 * n for n in DEN]
    k = len(NUM)
    tau2 = (k * phi - (k - 1)) / (sum(w) - sum(v * v for v in w) / sum(w))

    assert phi > 1 and tau2 > 0
    assert r.doel == pytest.approx(target)
    assert r.phi == pytest.approx(phi)
    assert r.tau2 == pytest.approx(tau2)
    assert r.aangepast

    # 5. limits at each unit's volume: sin^2(asin(sqrt(target)) +/- z_a sqrt(1/(4n) + tau^2)), clipped
    df = r.eenheden
    for i, n in enumerate(DEN):
        sd = math.sqrt(1 / (4 * n) + tau2)
        centre = math.asin(math.sqrt(target))
        for col, zz, sign in (
            ("ondergrens_95", Z95, -1),
            ("bovengrens_95", Z95, 1),
            ("ondergrens_998", Z998, -1),
            ("bovengrens_998", Z998, 1),
        ):
            angle = min(max(centre + sign * zz * sd, 0.0), math.pi / 2)
            assert df[col][i] == pytest.approx(math.sin(angle) ** 2), (col, i)
        # adjusted z against the widened spread
        assert df["z"][i] == pytest.approx((math.asin(math.sqrt(NUM[i] / n)) - centre) / sd)

    # 6. flags: strictly outside the limits
    for i in range(len(NUM)):
        p = NUM[i] / DEN[i]
        expected = "hoog" if p > df["bovengrens_95"][i] else "laag" if p < df["ondergrens_95"][i] else None
        assert df["buiten_95"][i] == expected


def test_closed_form_unadjusted_limit_of_a_half():
    # target 0.5, n = 100: sin^2(pi/4 +/- x) = (1 +/- sin 2x) / 2 with x = z / (2 sqrt(100)) = z / 20
    num, den = [50, 50, 50], [100, 100, 100]  # all equal: phi = 0, no adjustment
    r = funnel(_frame(num, den), unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie")
    assert not r.aangepast and r.tau2 == 0 and r.phi == 0
    row = r.eenheden.row(0, named=True)
    assert row["bovengrens_95"] == pytest.approx((1 + math.sin(Z95 / 10)) / 2)
    assert row["ondergrens_95"] == pytest.approx((1 - math.sin(Z95 / 10)) / 2)
    assert row["bovengrens_998"] == pytest.approx((1 + math.sin(Z998 / 10)) / 2)
    assert r.eenheden["buiten_998"].null_count() == 3 and r.eenheden["z"].to_list() == [0.0, 0.0, 0.0]


def _poisson_cdf(k, mu):
    return sum(math.exp(-mu + i * math.log(mu) - math.lgamma(i + 1)) for i in range(int(k) + 1))


def test_ratio_limits_are_squared_back_and_agree_with_poisson():
    # Unadjusted ratio limits (sqrt(R) +/- z / (2 sqrt(E)))^2: at E = 400 expected events and R = 1 the 95 %
    # limits must cut off about 2.5 % of a Poisson(400) each side. FunnelPlotR's unsquared "CQC" limits
    # 1 +/- z / (2 sqrt(E)) would cut off about 16 % (nhs-r-community/FunnelPlotR#33).
    r = funnel(
        _frame([400, 400, 400], [400, 400, 400]),
        unit="aanbieder",
        numerator="teller",
        denominator="noemer",
        kind="ratio",
    )
    row = r.eenheden.row(0, named=True)
    assert row["bovengrens_95"] == pytest.approx((1 + Z95 / 40) ** 2)
    assert row["ondergrens_95"] == pytest.approx((1 - Z95 / 40) ** 2)
    upper_tail = 1 - _poisson_cdf(math.floor(row["bovengrens_95"] * 400), 400)
    lower_tail = _poisson_cdf(math.ceil(row["ondergrens_95"] * 400) - 1, 400)
    assert 0.015 < upper_tail < 0.035 and 0.015 < lower_tail < 0.035


def test_ratio_matches_the_worked_formulas_with_a_regional_rate():
    # caseload per fte style: cases per unit of exposure; target = pooled rate, sqrt scale, s = 1/(2 sqrt(E))
    cases = [120, 95, 210, 60, 150, 300, 80]
    fte = [8.0, 7.5, 12.0, 5.0, 9.0, 14.0, 6.5]
    r = funnel(_frame(cases, fte), unit="aanbieder", numerator="teller", denominator="noemer", kind="ratio")
    rate = sum(cases) / sum(fte)
    z = [(math.sqrt(c / e) - math.sqrt(rate)) * 2 * math.sqrt(e) for c, e in zip(cases, fte, strict=True)]
    lo, hi = _quantile_type7(z, 0.1), _quantile_type7(z, 0.9)
    phi = sum(min(max(v, lo), hi) ** 2 for v in z) / len(z)
    w = [4 * e for e in fte]
    tau2 = max(0.0, (len(z) * phi - (len(z) - 1)) / (sum(w) - sum(v * v for v in w) / sum(w)))
    assert r.doel == pytest.approx(rate)
    assert r.phi == pytest.approx(phi)
    assert r.tau2 == pytest.approx(tau2 if phi > 1 else 0.0)
    e = fte[2]
    sd = math.sqrt(1 / (4 * e) + r.tau2)
    assert r.eenheden["bovengrens_998"][2] == pytest.approx((math.sqrt(rate) + Z998 * sd) ** 2)
    assert r.eenheden["ondergrens_998"][2] == pytest.approx(max(0.0, math.sqrt(rate) - Z998 * sd) ** 2)


def test_overdispersed_data_get_wider_limits_and_fewer_flags():
    frame = _frame(NUM, DEN)
    adjusted = funnel(frame, unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie")
    plain = funnel(
        frame, unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie", adjust=False
    )
    assert adjusted.aangepast and not plain.aangepast and plain.tau2 == 0
    a, p = adjusted.eenheden, plain.eenheden
    assert (a["bovengrens_998"] - a["ondergrens_998"] > p["bovengrens_998"] - p["ondergrens_998"]).all()
    assert (a["bovengrens_95"] >= p["bovengrens_95"]).all() and (
        a["ondergrens_95"] <= p["ondergrens_95"]
    ).all()
    n_adj, n_plain = a["buiten_998"].is_not_null().sum(), p["buiten_998"].is_not_null().sum()
    assert n_adj < n_plain
    # an adjusted funnel never flags a unit the unadjusted one does not
    assert not (a["buiten_95"].is_not_null() & p["buiten_95"].is_null()).any()


def test_no_adjustment_when_phi_is_at_most_one():
    # FunnelPlotR (R/funnel_plot.R): draw_adjusted with phi <= 1 falls back to the unadjusted limits
    num, den = [48, 52, 50, 49, 51], [100, 100, 100, 100, 100]
    r = funnel(_frame(num, den), unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie")
    assert r.phi is not None and r.phi <= 1
    assert not r.aangepast and r.tau2 == 0


def test_zero_and_small_denominators_are_kept_but_not_compared():
    df = _frame([10, 0, 30, 40, 2, 55], [50, 0, 60, 80, 3, 100])
    r = funnel(
        df, unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie", min_denominator=5
    )
    out = r.eenheden
    assert out["status"].to_list() == [
        VERGELEKEN,
        GEEN_WAARDE,
        VERGELEKEN,
        VERGELEKEN,
        ONDER_MINIMUM,
        VERGELEKEN,
    ]
    for i in (1, 4):
        row = out.row(i, named=True)
        assert row["waarde"] is None and row["buiten_95"] is None
        assert all(row[c] is None for c in LIMIT_COLUMNS)
    # the target is pooled over the compared units only
    assert r.doel == pytest.approx((10 + 30 + 40 + 55) / (50 + 60 + 80 + 100))
    assert r.n_eenheden == 4


def test_fewer_than_three_units_give_a_clear_result():
    r = funnel(
        _frame([10, 40], [50, 60]), unit="aanbieder", numerator="teller", denominator="noemer", kind="ratio"
    )
    assert r.status == TE_WEINIG and r.doel is None and r.phi is None
    assert r.eenheden["buiten_95"].null_count() == 2 and r.eenheden["bovengrens_95"].null_count() == 2
    assert r.curve().height == 0
    assert outlier_sentence(r) == f"Te weinig eenheden om te vergelijken (minstens {MIN_UNITS} nodig)."
    empty = funnel(
        _frame([], []), unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie"
    )
    assert empty.status == TE_WEINIG and empty.eenheden.height == 0


def test_all_equal_values_flag_nothing():
    r = funnel(
        _frame([20] * 6, [80] * 6), unit="aanbieder", numerator="teller", denominator="noemer", kind="ratio"
    )
    assert r.phi == 0 and not r.aangepast
    assert r.eenheden["buiten_95"].null_count() == 6
    assert outlier_sentence(r) == "Alle eenheden liggen binnen de 95%-grenzen."


def test_all_zero_proportions_do_not_crash():
    r = funnel(
        _frame([0] * 4, [30, 40, 50, 60]),
        unit="aanbieder",
        numerator="teller",
        denominator="noemer",
        kind="proportie",
    )
    assert r.doel == 0 and r.eenheden["ondergrens_95"].to_list() == [0.0] * 4
    assert r.eenheden["buiten_95"].null_count() == 4


def test_a_value_on_a_clipped_limit_is_inside():
    # all proportions 1: the upper limits are clipped to 1 and a value of 1 lies on them, so it is not flagged
    r = funnel(
        _frame([30, 40, 50, 60], [30, 40, 50, 60]),
        unit="aanbieder",
        numerator="teller",
        denominator="noemer",
        kind="proportie",
    )
    assert r.doel == 1 and r.eenheden["bovengrens_95"].to_list() == [1.0] * 4
    assert r.eenheden["buiten_95"].null_count() == 4


def test_a_perturbed_numerator_above_its_denominator_counts_as_the_whole():
    # cell-key perturbation shifts numerator and denominator independently: 52 "within the norm" of 50
    r = funnel(
        _frame([52, 30, 20], [50, 60, 40]),
        unit="aanbieder",
        numerator="teller",
        denominator="noemer",
        kind="proportie",
    )
    assert r.eenheden["waarde"][0] == 1.0
    assert r.doel == pytest.approx((50 + 30 + 20) / (50 + 60 + 40))


def test_invalid_input_is_refused():
    with pytest.raises(ValueError, match="negative"):
        funnel(
            _frame([5, -1, 1], [10, 50, 5]),
            unit="aanbieder",
            numerator="teller",
            denominator="noemer",
            kind="ratio",
        )
    with pytest.raises(ValueError, match="kind"):
        funnel(_frame([5], [10]), unit="aanbieder", numerator="teller", denominator="noemer", kind="tarief")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="output column"):
        funnel(
            _frame([5], [10]).with_columns(pl.lit(1).alias("z")),
            unit="aanbieder",
            numerator="teller",
            denominator="noemer",
            kind="ratio",
        )


def test_sentence_names_the_units_outside_the_limits():
    # C far above, F far below (outside 99.8 %), B only outside 95 %; unadjusted so the flags are deterministic
    num = [565, 625, 900, 565, 565, 380, 565, 565]
    den = [1000] * 8
    r = funnel(
        _frame(num, den),
        unit="aanbieder",
        numerator="teller",
        denominator="noemer",
        kind="proportie",
        adjust=False,
    )
    out = r.eenheden
    # check the premise against the worked limits: sin^2(asin(sqrt(p0)) +/- z / (2 sqrt(1000)))
    p0 = sum(num) / sum(den)
    up95 = math.sin(math.asin(math.sqrt(p0)) + Z95 / (2 * math.sqrt(1000))) ** 2
    up998 = math.sin(math.asin(math.sqrt(p0)) + Z998 / (2 * math.sqrt(1000))) ** 2
    lo95 = math.sin(math.asin(math.sqrt(p0)) - Z95 / (2 * math.sqrt(1000))) ** 2
    lo998 = math.sin(math.asin(math.sqrt(p0)) - Z998 / (2 * math.sqrt(1000))) ** 2
    assert up95 < 0.625 < up998 < 0.9 and lo998 > 0.38 and lo95 < 0.565 < up95
    assert out["buiten_998"].to_list() == [None, None, "hoog", None, None, "laag", None, None]
    assert outlier_sentence(r) == (
        "Buiten de 99,8%-grenzen: Aanbieder C (hoger dan verwacht) en Aanbieder F (lager dan verwacht). "
        "Alleen buiten de 95%-grenzen: Aanbieder B (hoger dan verwacht)."
    )
    named = _frame(num, den).with_columns(
        pl.col("aanbieder").str.replace("Aanbieder ", "Partner ").alias("naam")
    )
    r2 = funnel(
        named, unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie", adjust=False
    )
    assert outlier_sentence(r2, label="naam").startswith("Buiten de 99,8%-grenzen: Partner C (hoger")


def test_curve_is_a_funnel():
    r = funnel(_frame(NUM, DEN), unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie")
    c = r.curve(n_points=50)
    assert c.height == 50 and c["volume"].min() == pytest.approx(min(DEN))
    assert c["volume"].max() == pytest.approx(max(DEN) * 1.1)
    for col in LIMIT_COLUMNS:
        diffs = np.diff(c[col].to_numpy())
        assert (diffs <= 1e-12).all() if col.startswith("boven") else (diffs >= -1e-12).all(), col
    assert (c["ondergrens_998"] <= c["ondergrens_95"]).all() and (
        c["bovengrens_95"] <= c["bovengrens_998"]
    ).all()
    assert (c["ondergrens_95"] <= c["doel"]).all() and (c["doel"] <= c["bovengrens_95"]).all()
    # the curve at a unit's volume is that unit's limits
    at = r.curve(volumes=[DEN[3]])
    assert at["bovengrens_95"][0] == pytest.approx(r.eenheden["bovengrens_95"][3])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 400), st.floats(0, 1)).map(lambda t: (round(t[0] * t[1]), t[0])),
        min_size=3,
        max_size=25,
    )
)
def test_limits_stay_in_range_and_adjustment_only_removes_flags(rows):
    num, den = [r[0] for r in rows], [r[1] for r in rows]
    frame = _frame(num, den, names=[f"E{i}" for i in range(len(rows))])
    a = funnel(frame, unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie").eenheden
    p = funnel(
        frame, unit="aanbieder", numerator="teller", denominator="noemer", kind="proportie", adjust=False
    ).eenheden
    for col in LIMIT_COLUMNS:
        assert ((a[col] >= 0) & (a[col] <= 1)).all()
    assert (a["ondergrens_998"] <= a["ondergrens_95"]).all() and (
        a["bovengrens_95"] <= a["bovengrens_998"]
    ).all()
    assert not (a["buiten_95"].is_not_null() & p["buiten_95"].is_null()).any()


def test_constants_are_the_normal_quantiles():
    assert NormalDist().inv_cdf(0.975) == pytest.approx(Z95, abs=1e-6)
    assert NormalDist().inv_cdf(0.999) == pytest.approx(Z998, abs=1e-6)
