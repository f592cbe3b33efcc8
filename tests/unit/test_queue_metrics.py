"""Queue metrics, norm equivalence and the caseload link on the worked examples of
../shared/domain/norms-and-methods.md (section named in each test), plus impossible input."""

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

from pipelines.vooruitblik.invoer import STATUS_MELDINGEN, VooruitblikFout
from pipelines.vooruitblik.metrics import (
    belasting,
    caseload_verband,
    doel_gemiddelde_wachttijd,
    doel_wachtrij,
    doelcapaciteit,
    doorstroomcapaciteit,
    druk,
    fte_nodig,
    norm_aandeel_binnen,
    norm_equivalenten,
    norm_gemiddelde_wachttijd,
    norm_wachtrij,
    ontlastcapaciteit,
    vraag_met_marge,
    wachtrij_kengetallen,
)

MAANDAG = dt.date(2026, 1, 5)


# --- §3 "Queue formulas", the table's worked examples ---------------------------------------------------


def test_load_formula_1():
    # §3 formula 1: d = 30, c = 27 -> 1.111 (grows without bound); d = 12, c = 15 -> 0.8
    assert float(belasting(30, 27)) == pytest.approx(1.111, abs=5e-4)
    assert float(belasting(12, 15)) == pytest.approx(0.8)
    np.testing.assert_allclose(belasting([30, 12], [27, 15]), [30 / 27, 0.8])


def test_target_mean_wait_formula_2():
    # §3 formula 2: T = 52, f = 4 -> 13; f = 6 -> 8.667; Treek behandel T = 10, f = 4 -> 2.5
    assert float(doel_gemiddelde_wachttijd(52, 4)) == 13
    assert float(doel_gemiddelde_wachttijd(52, 6)) == pytest.approx(8.667, abs=5e-4)
    assert float(doel_gemiddelde_wachttijd(10)) == 2.5


def test_target_queue_formula_3():
    # §3 formula 3 (Little): d = 30, T = 52, f = 4 -> 390; aanmelding d = 12, T = 4, f = 4 -> 12
    assert float(doel_wachtrij(30, 52, 4)) == 390
    assert float(doel_wachtrij(12, 4, 4)) == 12


def test_relief_capacity_formula_4():
    # §3 formula 4: d = 30, Q = 1200, Q* = 390, tau = 26 -> 61.154; d = 12, Q = 60, Q* = 12, tau = 8 -> 18.0
    assert float(ontlastcapaciteit(30, 1200, 390, 26)) == pytest.approx(61.154, abs=5e-4)
    assert float(ontlastcapaciteit(12, 60, 12, 8)) == pytest.approx(18.0)


def test_target_capacity_formula_5_follows_the_code_variant():
    # §3 formula 5 and its note: the package code divides by 2 -> 4.0769 (the documented variant: 4.1538)
    assert float(doelcapaciteit(4, 52, 4, 1, 1)) == pytest.approx(4.0769, abs=5e-5)
    assert float(doelcapaciteit(12, 4, 4, 1, 1)) == pytest.approx(13.0)
    assert float(doelcapaciteit(4, 52, 4, 1, 1)) != pytest.approx(4.1538, abs=1e-3)


def test_pressure_formula_6():
    # §3 formula 6: W = 63, T = 52 -> 2.423; W = 3, T = 4 -> 1.5
    assert float(druk(63, 52)) == pytest.approx(2.423, abs=5e-4)
    assert float(druk(3, 4)) == 1.5


def test_relief_demand_inflation_note():
    # §3 notes: d = 2, cv_d = 0.5, n = 100 -> x = 0.2 -> d = 2.5; x >= 1 leaves d unchanged
    assert float(vraag_met_marge(2, 0.5, 100)) == pytest.approx(2.5)
    assert float(vraag_met_marge(30, 1, 4)) == 30


def test_exponential_breach_shares():
    # §3 assumption: a mean of T/4 gives exp(-4) = 1.83 % breaches, T/6 gives 0.25 %
    assert 1 - float(norm_aandeel_binnen(4)) == pytest.approx(0.0183, abs=5e-5)
    assert 1 - float(norm_aandeel_binnen(6)) == pytest.approx(0.0025, abs=5e-5)


# --- §3 "Norm equivalence" ----------------------------------------------------------------------------


def test_norm_equivalence_table():
    # RTT 92 % within 18 weeks: -ln(0.08) = 2.5257 -> 7.127 weeks -> 712.7 at d = 100
    assert -math.log(1 - 0.92) == pytest.approx(2.5257, abs=5e-5)
    assert float(norm_gemiddelde_wachttijd(0.92, 18)) == pytest.approx(7.127, abs=5e-4)
    assert float(norm_wachtrij(0.92, 18, 100)) == pytest.approx(712.7, abs=0.05)
    # CAMHS 90 % within 18 weeks: 2.3026 -> 7.817 -> 781.7
    assert float(norm_gemiddelde_wachttijd(0.90, 18)) == pytest.approx(7.817, abs=5e-4)
    assert float(norm_wachtrij(0.90, 18, 100)) == pytest.approx(781.7, abs=0.05)
    # Treek as a maximum with f = 4: p = 98.17 % within T, and back: that p within T gives T / 4
    assert float(norm_aandeel_binnen(4)) == pytest.approx(0.9817, abs=5e-5)
    assert float(norm_gemiddelde_wachttijd(norm_aandeel_binnen(4), 10)) == pytest.approx(2.5)


def test_norm_equivalence_frame_and_impossible_shares():
    normen = pl.DataFrame(
        {"naam": ["RTT", "CAMHS", "fout"], "aandeel": [0.92, 0.90, 1.0], "binnen_weken": [18.0, 18.0, 18.0]}
    )
    out = norm_equivalenten(normen, 100)
    assert out["gemiddelde_wachttijd_weken"][0] == pytest.approx(7.127, abs=5e-4)
    assert out["wachtrij"][1] == pytest.approx(781.7, abs=0.05)
    assert out["min_ln_1_min_p"][0] == pytest.approx(2.5257, abs=5e-5)
    # 100 % within w has no finite exponential mean: null, no exception
    assert out["gemiddelde_wachttijd_weken"][2] is None and out["wachtrij"][2] is None
    with pytest.raises(VooruitblikFout, match="vraag"):
        norm_equivalenten(normen, -1)


# --- §8 "From caseload to throughput" -------------------------------------------------------------------


def test_caseload_throughput_worked_example():
    # 6 FTE x 15 / 26 weeks = 3.462; norm 12 -> 2.769; d = 3.2: load 0.924 -> 1.156; FTE for load 1: 6.933
    assert float(doorstroomcapaciteit(6, 15, 26)) == pytest.approx(3.462, abs=5e-4)
    assert float(doorstroomcapaciteit(6, 12, 26)) == pytest.approx(2.769, abs=5e-4)
    v = caseload_verband(
        fte=6, caseload_per_fte=15, nieuwe_caseload_per_fte=12, trajectduur_weken=26, vraag_per_week=3.2
    )
    assert float(v["belasting_oud"]) == pytest.approx(0.924, abs=5e-4)
    assert float(v["belasting_nieuw"]) == pytest.approx(1.156, abs=5e-4)
    assert float(v["fte_nodig"]) == pytest.approx(6.933, abs=5e-4)
    assert float(v["fte_erbij"]) == pytest.approx(0.933, abs=5e-4)
    assert float(v["groei_per_week_nieuw"]) == pytest.approx(3.2 - 6 * 12 / 26)
    assert float(v["groei_per_week_oud"]) < 0 < float(v["groei_per_week_nieuw"])
    assert float(fte_nodig(3.2, 12, 26)) == pytest.approx(6.933, abs=5e-4)


# --- impossible input in the formulas: NaN, no exception, no warning --------------------------------------


def test_formulas_give_nan_for_impossible_input():
    with np.errstate(all="raise"):  # a NumPy warning would raise here
        assert np.isnan(belasting(10, 0)) and np.isnan(belasting(10, -3)) and np.isnan(belasting(-1, 3))
        assert np.isnan(doel_gemiddelde_wachttijd(0, 4)) and np.isnan(doel_gemiddelde_wachttijd(10, 0))
        assert np.isnan(ontlastcapaciteit(10, 50, 12, 0))
        assert np.isnan(doelcapaciteit(4, 0, 4))
        assert np.isnan(druk(3, 0))
        assert np.isnan(norm_gemiddelde_wachttijd(0, 18)) and np.isnan(norm_gemiddelde_wachttijd(1.2, 18))
        assert np.isnan(doorstroomcapaciteit(6, 15, 0)) and np.isnan(fte_nodig(3, 0, 26))
        np.testing.assert_array_equal(np.isnan(belasting([30, 30], [27, 0])), [False, True])


# --- all metrics for many lists ---------------------------------------------------------------------


def _historie(rijen: dict[str, list[tuple[float, float, float, float]]]) -> pl.DataFrame:
    data = []
    for lijst, weken in rijen.items():
        for t, (a, s, r, q) in enumerate(weken):
            data.append((lijst, MAANDAG + dt.timedelta(weeks=t), a, s, r, q))
    return pl.DataFrame(
        data, schema=["lijst_id", "week", "instroom", "starts", "afvallers", "wachtend"], orient="row"
    )


def test_metrics_per_list_against_hand_computed_values():
    # list a: 4 weeks, arrivals 30, 28, 32, 30 (mean 30), starts 27, 26, 28, 27 (mean 27), queue 1200 at the end
    h = _historie(
        {
            "a": [(30, 27, 1, 1100), (28, 26, 0, 1150), (32, 28, 0, 1180), (30, 27, 1, 1200)],
            "b": [(12, 15, 0, 70), (12, 15, 0, 60)],
        }
    )
    lijsten = pl.DataFrame(
        {"lijst_id": ["a", "b"], "norm_weken": [52.0, 4.0], "gemiddelde_wachttijd_weken": [63.0, 3.0]}
    )
    out = wachtrij_kengetallen(h, lijsten, cv_vraag=1, cv_capaciteit=1).sort("lijst_id")
    a, b = out.row(0, named=True), out.row(1, named=True)
    assert a["status"] == "ok" and a["melding"] == ""
    assert a["vraag_per_week"] == 30 and a["capaciteit_per_week"] == 27 and a["wachtrij"] == 1200
    assert a["afvallers_per_week"] == 0.5 and a["netto_groei_per_week"] == pytest.approx(2.5)
    assert a["belasting"] == pytest.approx(30 / 27) and a["is_belasting_te_groot"]
    assert a["doel_wachtrij"] == 390 and a["is_wachtrij_te_groot"] and a["advies"] == "ontlastcapaciteit"
    assert a["ontlastcapaciteit_per_week"] == pytest.approx(61.154, abs=5e-4)  # §3 formula 4, tau = 26
    assert a["druk"] == pytest.approx(2.423, abs=5e-4)  # §3 formula 6
    assert b["belasting"] == pytest.approx(0.8) and not b["is_belasting_te_groot"]
    assert b["doel_wachtrij"] == 12 and b["wachtrij"] == 60 and b["is_wachtrij_te_groot"]
    assert b["doelcapaciteit_per_week"] == pytest.approx(13.0)  # §3 formula 5, cv = 1
    assert b["druk"] == 1.5


def test_cv_is_estimated_from_the_dispersion_of_weekly_counts():
    # arrivals 30, 28, 32, 30: mean 30, sample variance (0 + 4 + 4 + 0) / 3 = 8/3 -> cv = sqrt(8/90)
    h = _historie({"a": [(30, 27, 0, 10), (28, 26, 0, 10), (32, 28, 0, 10), (30, 27, 0, 10)]})
    out = wachtrij_kengetallen(h, pl.DataFrame({"lijst_id": ["a"], "norm_weken": [52.0]}))
    assert out["cv_vraag"][0] == pytest.approx(math.sqrt((8 / 3) / 30))
    assert out["cv_capaciteit"][0] == pytest.approx(math.sqrt((2 / 3) / 27))


def test_only_the_last_window_counts():
    h = _historie({"a": [(100, 100, 0, 5)] * 3 + [(10, 20, 0, 5)] * 2})
    out = wachtrij_kengetallen(h, pl.DataFrame({"lijst_id": ["a"], "norm_weken": [4.0]}), venster_weken=2)
    assert out["n_weken"][0] == 2 and out["vraag_per_week"][0] == 10 and out["capaciteit_per_week"][0] == 20


def test_impossible_lists_get_a_status_not_an_exception():
    h = _historie(
        {"ok": [(3, 3, 0, 10)], "nul": [(3, 0, 0, 10)], "neg": [(3, -1, 0, 10)], "geen_norm": [(3, 3, 0, 1)]}
    )
    h = pl.concat(
        [
            h.with_columns(pl.col("instroom").cast(pl.String)),
            pl.DataFrame(
                {
                    "lijst_id": ["tekst"],
                    "week": [MAANDAG],
                    "instroom": ["veel"],
                    "starts": [1.0],
                    "afvallers": [0.0],
                    "wachtend": [3.0],
                }
            ),
        ],
        how="vertical_relaxed",
    )
    lijsten = pl.DataFrame(
        {
            "lijst_id": ["ok", "nul", "neg", "tekst", "leeg", "geen_norm"],
            "norm_weken": [4.0, 4, 4, 4, 4, None],
        }
    )
    out = {r["lijst_id"]: r for r in wachtrij_kengetallen(h, lijsten).iter_rows(named=True)}
    assert out["ok"]["status"] == "ok"
    assert out["nul"]["status"] == "geen_capaciteit" and out["nul"]["belasting"] is None
    assert out["nul"]["melding"] == STATUS_MELDINGEN["geen_capaciteit"]
    assert out["neg"]["status"] == "negatieve_waarde" and out["neg"]["vraag_per_week"] is None
    assert out["tekst"]["status"] == "niet_numeriek" and out["tekst"]["belasting"] is None
    assert out["leeg"]["status"] == "geen_historie" and out["leeg"]["melding"].startswith("Geen weekgegevens")
    assert out["geen_norm"]["status"] == "geen_norm" and out["geen_norm"]["doel_wachtrij"] is None
    assert out["geen_norm"]["belasting"] == 1.0


def test_an_empty_history_gives_every_list_geen_historie():
    leeg = _historie({}).cast(
        {
            "week": pl.Date,
            "instroom": pl.Float64,
            "starts": pl.Float64,
            "afvallers": pl.Float64,
            "wachtend": pl.Float64,
            "lijst_id": pl.String,
        }
    )
    out = wachtrij_kengetallen(leeg, pl.DataFrame({"lijst_id": ["a"], "norm_weken": [4.0]}))
    assert out["status"].to_list() == ["geen_historie"]


def test_a_call_that_cannot_be_answered_raises_a_dutch_error():
    h = _historie({"a": [(3, 3, 0, 10)]})
    lijsten = pl.DataFrame({"lijst_id": ["a"], "norm_weken": [4.0]})
    with pytest.raises(VooruitblikFout, match="ontbreken: wachtend"):
        wachtrij_kengetallen(h.drop("wachtend"), lijsten)
    with pytest.raises(VooruitblikFout, match="factor"):
        wachtrij_kengetallen(h, lijsten, factor=0)
    with pytest.raises(VooruitblikFout, match="tau"):
        wachtrij_kengetallen(h, lijsten, tau_weken=-1)
    with pytest.raises(VooruitblikFout, match="venster"):
        wachtrij_kengetallen(h, lijsten, venster_weken=0)
    with pytest.raises(VooruitblikFout, match="datum"):
        wachtrij_kengetallen(h.with_columns(pl.col("week").cast(pl.String)), lijsten)
    assert issubclass(VooruitblikFout, ValueError)


def test_missing_weeks_are_filled_with_zero_flows_and_the_last_queue():
    h = _historie({"a": [(4, 2, 0, 10)]})
    later = h.with_columns(pl.col("week") + pl.duration(weeks=2), pl.lit(20).alias("wachtend"))
    out = wachtrij_kengetallen(
        pl.concat([h, later], how="vertical_relaxed"), pl.DataFrame({"lijst_id": ["a"], "norm_weken": [4.0]})
    )
    assert out["n_weken"][0] == 3  # the missing middle week counts as a week with no flows
    assert out["vraag_per_week"][0] == pytest.approx(8 / 3)


def test_shuffled_and_sorted_history_give_the_same_metrics():
    # the fast path (sorted, gap-free) and the repair path (any order) must agree
    h = _historie({"a": [(30, 27, 1, 1100), (28, 26, 0, 1150), (32, 28, 0, 1180)], "b": [(1, 2, 0, 4)] * 3})
    lijsten = pl.DataFrame({"lijst_id": ["a", "b"], "norm_weken": [52.0, 4.0]})
    geordend = wachtrij_kengetallen(h.sort("lijst_id", "week"), lijsten)
    geschud = wachtrij_kengetallen(h.sample(fraction=1.0, shuffle=True, seed=3), lijsten)
    assert geordend.equals(geschud)
