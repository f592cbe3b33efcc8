"""Expected wait if referred today: Kaplan-Meier per list (pipelines/vooruitblik/survival.py).

The product-limit arithmetic is written out by hand below; lifelines is not installed, so the cross-check
is a plain loop implementation of the same estimator (at risk at t: entry <= t <= exit)."""

import math
from statistics import NormalDist

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.vooruitblik.invoer import VooruitblikFout
from pipelines.vooruitblik.survival import (
    gemiddelde_leeftijd_wachtenden,
    kaplan_meier_curves,
    verwachte_wachttijd,
)

Z80 = NormalDist().inv_cdf(0.9)  # 1.2816: two-sided 80 %

# list a: 7 episodes (days, started?) -- still waiting at 14 and 42, left without care at 28 (censored)
A = [(7, True), (14, True), (14, False), (21, True), (28, False), (35, True), (42, False)]


def _frame(rijen: dict[str, list[tuple]]) -> pl.DataFrame:
    data = [(lijst, *r) for lijst, rs in rijen.items() for r in rs]
    kolommen = ["lijst_id", "wachtdagen", "is_gestart"] + (
        ["instapdagen"] if data and len(data[0]) == 4 else []
    )
    return pl.DataFrame(data, schema=kolommen, orient="row")


def test_product_limit_by_hand():
    # t = 7:  at risk 7 (all), 1 start  -> S = 6/7
    # t = 14: at risk 6 (14, 14, 21, 28, 35, 42; the one waiting at 14 is still at risk), 1 start -> S = 6/7 * 5/6 = 5/7
    # t = 21: at risk 4 (21, 28, 35, 42), 1 start -> S = 5/7 * 3/4 = 15/28
    # t = 35: at risk 2 (35, 42), 1 start -> S = 15/28 * 1/2 = 15/56 (28 was censored before 35)
    curve = kaplan_meier_curves(_frame({"a": A}))
    assert curve["dagen"].to_list() == [7, 14, 21, 35]
    assert curve["at_risk"].to_list() == [7, 6, 4, 2]
    assert curve["overleving"].to_list() == pytest.approx([6 / 7, 5 / 7, 15 / 28, 15 / 56])


def test_greenwood_log_log_band_by_hand():
    # at t = 21: Greenwood sum d/(n(n-d)) = 1/(7*6) + 1/(6*5) + 1/(4*3); se of log(-log S) = sqrt(sum)/|ln S|
    s = 15 / 28
    gw = 1 / 42 + 1 / 30 + 1 / 12
    se = math.sqrt(gw) / abs(math.log(s))
    onder, boven = s ** math.exp(Z80 * se), s ** math.exp(-Z80 * se)
    rij = kaplan_meier_curves(_frame({"a": A})).row(2, named=True)
    assert rij["overleving_onder"] == pytest.approx(onder) and rij["overleving_boven"] == pytest.approx(boven)
    assert onder == pytest.approx(0.2599, abs=1e-4)  # the number, for a reader checking by hand


def test_median_p90_and_their_interval_by_hand():
    # median: the first event time with S <= 0.5 is 35 days (S(21) = 0.536, S(35) = 0.268) -> 5 weeks;
    # p90 needs S <= 0.1, never reached here -> null ("not reached", not 0)
    out = verwachte_wachttijd(_frame({"a": A}), k=5).row(0, named=True)
    assert out["status"] == "ok" and out["n"] == 7 and out["n_gestart"] == 4 and out["n_gecensureerd"] == 3
    assert out["mediaan_weken"] == 5.0
    assert out["p90_weken"] is None
    # interval of the median: lower = first t whose lower band <= 0.5, upper = first t whose upper band <= 0.5
    curve = kaplan_meier_curves(_frame({"a": A}))
    onder = [t for t, lo in zip(curve["dagen"], curve["overleving_onder"], strict=True) if lo <= 0.5]
    boven = [t for t, hi in zip(curve["dagen"], curve["overleving_boven"], strict=True) if hi <= 0.5]
    assert onder[0] == 14 and boven == []  # hand check of the band values: lo(7) = 0.57, lo(14) = 0.43
    assert out["mediaan_weken_onder"] == 2.0 and out["mediaan_weken_boven"] is None
    # p90 lower bound: the first t with the lower band <= 0.1 is 35 (lo(35) = 0.057)
    assert out["p90_weken_onder"] == 5.0 and out["p90_weken_boven"] is None


def test_mean_of_completed_waits_understates():
    # why KM: the completed waits alone have median 17.5 days; KM, counting those still waiting, says 35
    gestart = sorted(t for t, g in A if g)
    assert (gestart[1] + gestart[2]) / 2 == 17.5
    assert verwachte_wachttijd(_frame({"a": A}), k=5)["mediaan_weken"][0] * 7 == 35


def test_left_truncation_by_hand():
    # (entry, exit, started): entering the window at an age > 0 puts an episode at risk only after that age
    c = [(10, True, 0), (20, False, 0), (30, True, 15), (40, True, 5), (50, True, 0)]
    # t = 10: at risk entry <= 10 <= exit: episodes 1, 2, 4, 5 (3 enters at 15) -> n 4, S = 3/4
    # t = 30: 3, 4, 5 (2 left at 20) -> n 3, S = 3/4 * 2/3 = 1/2; t = 40: n 2 -> 1/4; t = 50: n 1 -> 0
    curve = kaplan_meier_curves(_frame({"c": [(w, g, i) for w, g, i in c]}))
    assert curve["at_risk"].to_list() == [4, 3, 2, 1]
    assert curve["overleving"].to_list() == pytest.approx([3 / 4, 1 / 2, 1 / 4, 0])
    assert verwachte_wachttijd(_frame({"c": c}), k=5)["mediaan_weken"][0] == pytest.approx(30 / 7)
    # without the entry the first risk set is 5, so the truncation is what changes it
    zonder = kaplan_meier_curves(_frame({"c": [(w, g) for w, g, _ in c]}))
    assert zonder["overleving"][0] == pytest.approx(4 / 5)


def test_everyone_started_at_once_and_nobody_started():
    df = _frame({"alle": [(14, True)] * 5, "niemand": [(t, False) for t in (3, 9, 20, 30, 44)]})
    out = {r["lijst_id"]: r for r in verwachte_wachttijd(df, k=5).iter_rows(named=True)}
    assert out["alle"]["mediaan_weken"] == 2 and out["alle"]["p90_weken"] == 2
    assert out["alle"]["mediaan_weken_onder"] == 2 and out["alle"]["mediaan_weken_boven"] == 2
    assert out["niemand"]["status"] == "ok" and out["niemand"]["mediaan_weken"] is None
    assert out["niemand"]["n"] == 5 and out["niemand"]["n_gestart"] == 0


def test_small_groups_get_counts_but_no_statistic():
    df = _frame({"a": A, "klein": [(3, True), (5, True), (8, True), (9, False)]})
    out = {r["lijst_id"]: r for r in verwachte_wachttijd(df, k=5).iter_rows(named=True)}
    assert (
        out["klein"]["status"] == "kleine_groep"
        and out["klein"]["n"] == 4
        and out["klein"]["is_kleine_groep"]
    )
    assert not out["a"]["is_kleine_groep"]
    assert out["klein"]["melding"].startswith("Minder dan k")
    assert all(out["klein"][c] is None for c in out["klein"] if c.endswith(("_weken", "_onder", "_boven")))
    assert out["a"]["status"] == "ok"
    # with k = 4 the same list is large enough
    assert verwachte_wachttijd(df, k=4).filter(pl.col("lijst_id") == "klein")["mediaan_weken"][
        0
    ] == pytest.approx(5 / 7)  # S(3) = 3/4, S(5) = 1/2


def test_invalid_rows_are_left_out_not_fatal():
    df = pl.DataFrame(
        {
            "lijst_id": ["a"] * 9,
            "wachtdagen": ["7", "14", "14", "21", "28", "35", "42", "-3", "lang"],
            "is_gestart": [True, True, False, True, False, True, False, True, True],
        }
    )
    out = verwachte_wachttijd(df, k=5)
    assert out["n"][0] == 7 and out["mediaan_weken"][0] == 5.0
    with pytest.raises(VooruitblikFout, match="ontbreken"):
        verwachte_wachttijd(df.drop("is_gestart"), k=5)
    with pytest.raises(VooruitblikFout, match="betrouwbaarheid"):
        verwachte_wachttijd(df, betrouwbaarheid=1.2, k=5)
    assert verwachte_wachttijd(df.head(0), k=5)["n"].to_list() == []


def test_mean_age_of_those_still_waiting():
    # still waiting in A: 14 and 42 days (28 left without care); with is_wachtend the reneged one is excluded
    df = _frame({"a": A}).with_columns(is_wachtend=pl.Series([False, False, True, False, False, False, True]))
    out = gemiddelde_leeftijd_wachtenden(df, k=2)
    assert out["n_wachtend"][0] == 2 and out["gemiddelde_wachttijd_weken"][0] == pytest.approx(28 / 7)
    assert gemiddelde_leeftijd_wachtenden(df, k=5)["gemiddelde_wachttijd_weken"][0] is None  # 2 < k = 5


def _km_lus(rijen: list[tuple[float, bool, float]]) -> list[tuple[float, int, float]]:
    """Plain product-limit with delayed entry: (time, at risk, S) at each event time."""
    s, uit = 1.0, []
    for t in sorted({w for w, g, _ in rijen if g}):
        n = sum(1 for w, _, i in rijen if i <= t <= w)
        d = sum(1 for w, g, _ in rijen if g and w == t)
        s *= 1 - d / n
        uit.append((t, n, s))
    return uit


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["p", "q", "r"]),
            st.integers(0, 40),
            st.booleans(),
            st.integers(0, 40),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_vectorised_curves_equal_a_plain_loop(rijen):
    rijen = [(lijst, w, g, min(i, w) if i % 3 == 0 else 0) for lijst, w, g, i in rijen]
    curve = kaplan_meier_curves(
        _frame({"x": []})
        if not rijen
        else pl.DataFrame(rijen, schema=["lijst_id", "wachtdagen", "is_gestart", "instapdagen"], orient="row")
    )
    for lijst in ("p", "q", "r"):
        eigen = [(w, g, i) for lst, w, g, i in rijen if lst == lijst]
        verwacht = _km_lus(eigen)
        c = curve.filter(pl.col("lijst_id") == lijst)
        assert c["dagen"].to_list() == [t for t, _, _ in verwacht]
        assert c["at_risk"].to_list() == [n for _, n, _ in verwacht]
        assert c["overleving"].to_list() == pytest.approx([s for _, _, s in verwacht], abs=1e-9)
