"""Forecast, backtest, what-if, chains and the age projection (pipelines/vooruitblik/forecast.py).

Expected values are computed here from the inputs (rates, balances, hand-worked age bins), never read back
from the simulation's own output."""

import datetime as dt

import numpy as np
import polars as pl
import pytest

from pipelines.vooruitblik.forecast import (
    BASIS,
    Scenario,
    backtest,
    backtest_banden,
    basisprognose,
    capaciteitsfactor,
    deelmodel,
    leeftijden_histogram,
    leeftijdsprojectie,
    oorsprongmodellen,
    schat_model,
    seizoensfactoren,
    simuleer,
    wat_als,
)
from pipelines.vooruitblik.invoer import VooruitblikFout
from tools.synthetische_wachtrijen import seizoen, weekhistorie

MAANDAG = dt.date(2024, 1, 1)


def _lijst(
    lijst: str, weken: list[tuple[float, float, float, float]], begin: dt.date = MAANDAG
) -> pl.DataFrame:
    return pl.DataFrame(
        [(lijst, begin + dt.timedelta(weeks=t), *w) for t, w in enumerate(weken)],
        schema=["lijst_id", "week", "instroom", "starts", "afvallers", "wachtend"],
        orient="row",
    )


def _p50(prog, lijst: str, week: int) -> float:
    return float(prog.wachtrij[prog.lijst_id.index(lijst), week - 1, 1])


# --- the model's parts --------------------------------------------------------------------------------


def test_same_seed_same_bands_other_seed_other_draws():
    h = weekhistorie(5, 120, seed=2)
    m = schat_model(h)
    a, b = simuleer(m, seed=3), simuleer(m, seed=3)
    np.testing.assert_array_equal(a.wachtrij, b.wachtrij)
    assert not np.array_equal(a.starts, simuleer(m, seed=4).starts)


def test_seasonal_factors_recover_a_known_summer_dip():
    # 5 years of noise-free weekly totals with the generator's pattern: starts at 50 % in ISO weeks 29-34,
    # 70 % in weeks 51-52. Scaled to mean 1 over a year, a normal week is 1 / mean and a dip week 0.5 / mean.
    weken = [MAANDAG + dt.timedelta(weeks=t) for t in range(5 * 52)]
    iso = np.array([d.isocalendar().week for d in weken])
    _, f_st = seizoen(iso)
    totaal = pl.DataFrame({"week": weken, "starts": 100 * f_st})
    s = seizoensfactoren(totaal, "starts")
    gem = (44 * 1.0 + 6 * 0.5 + 2 * 0.7) / 52
    assert s[31 - 1] == pytest.approx(0.5 / gem, abs=0.03)  # the middle of the dip, after smoothing
    assert s[10 - 1] == pytest.approx(1 / gem, abs=0.03)
    assert s[:52].mean() == pytest.approx(1.0)
    # fewer than two years: no seasonal pattern is estimated
    assert np.all(seizoensfactoren(totaal.head(100), "starts") == 1)


def test_a_list_without_arrivals_drains_at_its_capacity():
    # 3 starts a week, nothing arrives, 30 waiting at the end: about 15 after 5 weeks, empty after 15
    h = _lijst("a", [(0, 3, 0, 30 + 3 * (51 - t)) for t in range(52)])
    prog = simuleer(schat_model(h, seizoen=False), weken=20)
    assert _p50(prog, "a", 5) == pytest.approx(15, abs=3)
    assert _p50(prog, "a", 15) == 0
    assert prog.starts[0, 0] == pytest.approx(3, abs=0.4)
    assert prog.wachtrij[0, 4, 0] <= 15 <= prog.wachtrij[0, 4, 2]  # the 10-90 % band holds the expectation


def test_arrivals_follow_their_rate_when_nothing_leaves():
    h = _lijst("a", [(5, 0, 0, 100 + 5 * t) for t in range(52)])  # 5 a week, no starts, 355 at the end
    prog = simuleer(schat_model(h, seizoen=False), weken=10)
    assert _p50(prog, "a", 10) == pytest.approx(355 + 50, rel=0.05)
    assert prog.instroom[0].mean() == pytest.approx(5, abs=0.5)


def test_reneges_are_an_outflow_of_their_own():
    # no arrivals, no starts, 5 % of those waiting leave each week: the queue decays as 0.95^t
    q = [1000 * 0.95**t for t in range(53)]
    h = _lijst("a", [(0, 0, q[t] - q[t + 1], q[t + 1]) for t in range(52)])
    m = schat_model(h, seizoen=False)
    assert m.afval_kans[0] == pytest.approx(0.05)
    assert m.frame().row(0, named=True)["afval_kans_per_week"] == pytest.approx(0.05)
    prog = simuleer(m, weken=10)
    assert _p50(prog, "a", 10) == pytest.approx(q[52] * 0.95**10, rel=0.05)
    assert prog.afvallers[0, 0] == pytest.approx(0.05 * q[52], rel=0.15)
    # no start was ever seen: the capacity is the Jeffreys posterior of a rate with 0 events (mean 0.5 / 52)
    assert prog.starts[0].mean() < 0.05


def test_capacity_is_estimated_from_weeks_with_enough_waiting():
    # a list that ran empty half the time: its starts then show the demand (1), not its capacity (4)
    rijen = [(1, 1, 0, 0)] * 26 + [(1, 4, 0, 40)] * 26
    m = schat_model(_lijst("a", rijen), seizoen=False)
    assert m.capaciteit[0] == pytest.approx(4)
    assert m.vraag[0] == pytest.approx(1)


def test_a_demand_led_list_stays_short():
    # 4 arrive each week and nearly all start within the week (queue 1, 0, 1, 0, ...): never 2 x the weekly
    # starts waiting, so no capacity shows; starts follow those waiting: p = 8 started / 9 child-weeks.
    # Steady state q = (q + 4)(1 - p) -> q = 4 (1/9) / (8/9) = 0.5; a capacity model would drift upwards.
    h = _lijst("a", [(4, 3, 0, 1), (4, 5, 0, 0)] * 26)
    m = schat_model(h, seizoen=False)
    assert m.vraaggestuurd[0] and m.start_kans[0] == pytest.approx(8 / 9)
    prog = simuleer(m, weken=52)
    assert _p50(prog, "a", 52) <= 1 and prog.wachtrij[0, 51, 2] <= 3
    assert prog.starts[0].mean() == pytest.approx(4, abs=0.3)
    # more capacity cannot start children who are not there; an inflow change moves the starts with it
    assert simuleer(m, Scenario(instroom_procent=50), weken=52).starts[0].mean() == pytest.approx(6, abs=0.4)


def test_wait_is_the_queue_over_the_outflow():
    h = _lijst("a", [(4, 4, 0, 40)] * 52)
    prog = simuleer(schat_model(h, seizoen=False), weken=4)
    # Little on the state: about 40 waiting / about 4 starts a week = about 10 weeks
    assert float(prog.wachttijd_weken[0, 0, 1]) == pytest.approx(10, rel=0.25)


def test_frame_carries_status_and_dutch_message():
    h = pl.concat([_lijst("goed", [(2, 2, 0, 10)] * 30), _lijst("fout", [(2, -2, 0, 10)] * 30)])
    frame = simuleer(schat_model(h), weken=3).frame()
    assert frame.columns[:4] == ["lijst_id", "status", "week", "horizon_weken"]
    assert {"wachtrij_p10", "wachtrij_p50", "wachtrij_p90", "wachttijd_weken_p50", "afvallers"} <= set(
        frame.columns
    )
    fout = frame.filter(pl.col("lijst_id") == "fout")
    assert fout["status"].unique().to_list() == ["negatieve_waarde"]
    assert fout["melding"][0].startswith("De weekgegevens bevatten een negatief")
    assert fout["wachtrij_p50"].is_null().all() and fout["starts"].is_null().all()
    assert frame.filter(pl.col("lijst_id") == "goed")["wachtrij_p50"].is_not_null().all()
    assert frame["week"][0] == MAANDAG + dt.timedelta(weeks=30)
    assert frame.height == 2 * 3


# --- what-if ------------------------------------------------------------------------------------------


def test_capacity_factor_of_a_team_change():
    # §8 with the episode length fixed: 6 FTE x 12 / (6 FTE x 15) = 0.8; 7 FTE at 12: 84 / 90
    assert capaciteitsfactor(6, 15, 6, 12) == pytest.approx(0.8)
    assert capaciteitsfactor(6, 15, 7, 12) == pytest.approx(84 / 90)
    with pytest.raises(VooruitblikFout):
        capaciteitsfactor(0, 15, 6, 12)


def test_scenarios_move_the_queue_the_right_way():
    h = _lijst("a", [(5, 5, 0, 50)] * 60)
    m = schat_model(h, seizoen=False)
    basis = _p50(simuleer(m, weken=26), "a", 26)
    meer = _p50(simuleer(m, Scenario(capaciteit_procent=20), weken=26), "a", 26)
    minder_fte = _p50(simuleer(m, Scenario(fte_factor=capaciteitsfactor(6, 15, 6, 12)), weken=26), "a", 26)
    geen_instroom = _p50(simuleer(m, Scenario(instroom_procent=-100), weken=26), "a", 26)
    assert meer < basis < minder_fte
    # capacity 1 a week below demand for 26 weeks: about 26 more (the 20 % lower capacity of 5)
    assert minder_fte - basis == pytest.approx(26, rel=0.3)
    assert geen_instroom == 0  # 50 waiting, 5 a week start, nothing arrives


def test_one_off_capacity_only_in_its_weeks():
    h = _lijst("a", [(5, 5, 0, 200)] * 60)
    m = schat_model(h, seizoen=False)
    b = simuleer(m, weken=8)
    s = simuleer(m, Scenario(eenmalig_per_week=3, eenmalig_weken=4), weken=8)
    extra = s.starts[0] - b.starts[0]
    assert extra[:4] == pytest.approx([3] * 4, abs=0.5)
    assert extra[4:] == pytest.approx([0] * 4, abs=0.5)
    assert _p50(b, "a", 8) - _p50(s, "a", 8) == pytest.approx(12, abs=2)


def test_a_scenario_for_one_list_leaves_the_others():
    h = pl.concat([_lijst("a", [(5, 5, 0, 50)] * 60), _lijst("b", [(5, 5, 0, 50)] * 60)])
    m = schat_model(h, seizoen=False)
    df = wat_als(m, Scenario(capaciteit_per_week=2, lijsten=frozenset({"a"})), lijst_ids=["a", "b"], weken=10)
    laatste = df.filter(pl.col("horizon_weken") == 10)
    waarde = {(r["lijst_id"], r["soort"]): r["wachtrij_p50"] for r in laatste.iter_rows(named=True)}
    assert waarde[("a", "scenario")] < waarde[("a", "basis")]
    assert waarde[("b", "scenario")] == waarde[("b", "basis")]  # common random numbers, not touched
    with pytest.raises(VooruitblikFout, match="onbekende lijst"):
        simuleer(m, Scenario(lijsten=frozenset({"x"})))


def test_capacity_added_upstream_moves_the_queue_downstream():
    # intake -> behandeling: what intake starts arrives at behandeling the next week
    intake = _lijst("intake", [(6, 5, 0, 100 + t) for t in range(60)])
    behandeling = _lijst("behandeling", [(5, 5, 0, 80)] * 60)
    keten = pl.DataFrame({"lijst_id": ["intake"], "volgende_lijst_id": ["behandeling"]})
    m = schat_model(pl.concat([intake, behandeling]), keten=keten, seizoen=False)
    i = m.index("behandeling")
    assert m.doorstroom[i] == pytest.approx(1.0) and m.vraag[i] == 0  # all its inflow comes from intake
    assert m.frame().filter(pl.col("lijst_id") == "behandeling")["vorige_lijst_id"].to_list() == ["intake"]
    s = Scenario(capaciteit_per_week=3, lijsten=frozenset({"intake"}))
    b, x = simuleer(m, weken=26), simuleer(m, s, weken=26)
    assert _p50(x, "intake", 26) < _p50(b, "intake", 26) - 40  # 3 more a week leave intake ...
    assert _p50(x, "behandeling", 26) > _p50(b, "behandeling", 26) + 40  # ... and join behandeling
    # without the chain the same scenario leaves behandeling as it was
    los = schat_model(pl.concat([intake, behandeling]), seizoen=False)
    assert _p50(simuleer(los, s, weken=26), "behandeling", 26) == _p50(
        simuleer(los, weken=26), "behandeling", 26
    )


def test_a_what_if_is_computed_for_its_lists_and_their_chain_only():
    rijen = [(3, 3, 0, 20)] * 30
    h = pl.concat([_lijst(x, rijen) for x in ("aanmelding", "intake", "behandeling", "elders")])
    keten = pl.DataFrame(
        {"lijst_id": ["aanmelding", "intake"], "volgende_lijst_id": ["intake", "behandeling"]}
    )
    m = schat_model(h, keten=keten, seizoen=False)
    deel = deelmodel(m, ["intake"])
    assert deel.lijst_id == ("aanmelding", "behandeling", "intake")  # up- and downstream, not "elders"
    assert deel.ouder.tolist() == [-1, 2, 0]  # behandeling <- intake <- aanmelding, re-indexed
    df = wat_als(m, Scenario(capaciteit_procent=10, lijsten=frozenset({"intake"})), weken=4)
    assert set(df["lijst_id"]) == {"aanmelding", "intake", "behandeling"}
    assert df.height == 2 * 3 * 4
    with pytest.raises(VooruitblikFout, match="Onbekende lijst"):
        deelmodel(m, ["nergens"])


def test_chain_errors_are_dutch():
    h = pl.concat([_lijst("a", [(1, 1, 0, 5)] * 10), _lijst("b", [(1, 1, 0, 5)] * 10)])
    with pytest.raises(VooruitblikFout, match="kring"):
        schat_model(h, keten=pl.DataFrame({"lijst_id": ["a", "b"], "volgende_lijst_id": ["b", "a"]}))
    with pytest.raises(VooruitblikFout, match="geen weekhistorie"):
        schat_model(h, keten=pl.DataFrame({"lijst_id": ["a"], "volgende_lijst_id": ["z"]}))
    with pytest.raises(VooruitblikFout, match="meer dan één"):
        schat_model(
            pl.concat([h, _lijst("c", [(1, 1, 0, 5)] * 10)]),
            keten=pl.DataFrame({"lijst_id": ["a", "c"], "volgende_lijst_id": ["b", "b"]}),
        )


def test_impossible_calls_raise_a_dutch_error():
    m = schat_model(_lijst("a", [(1, 1, 0, 5)] * 10))
    with pytest.raises(VooruitblikFout, match="horizon"):
        simuleer(m, weken=0)
    with pytest.raises(VooruitblikFout, match="simulaties"):
        simuleer(m, simulaties=1)
    with pytest.raises(VooruitblikFout, match="-100"):
        Scenario(instroom_procent=-150)
    with pytest.raises(VooruitblikFout, match="norm"):
        Scenario(norm_weken=0)
    with pytest.raises(VooruitblikFout, match="Geen weekgegevens"):
        schat_model(_lijst("a", [(1, 1, 0, 5)] * 10), tot_week=MAANDAG - dt.timedelta(weeks=1))


# --- capacity aimed at the longest waiters: the age projection ------------------------------------------


def _leeftijden_model():
    # one list, no arrivals, no capacity of its own, 20 waiting: 10 for 0 weeks, 10 for 10 weeks
    h = _lijst("a", [(0, 0, 0, 20)] * 10)
    m = schat_model(h, seizoen=False)
    wacht = pl.DataFrame(
        {"lijst_id": ["a"] * 20, "wachtdagen": [3] * 10 + [72] * 10, "is_gestart": [False] * 20}
    )
    return m, leeftijden_histogram(wacht, m.lijst_id, max_weken=30)


def test_extra_for_the_longest_waiters_by_hand():
    m, leeftijd = _leeftijden_model()
    # week 1: ages become 1 and 11 weeks (mid-bin 1.5 and 11.5); 10 extra starts
    langst = leeftijdsprojectie(
        m, leeftijd, Scenario(langst_wachtenden_per_week=10, langst_wachtenden_weken=1), norm_weken=4, weken=1
    ).row(0, named=True)
    # aimed at the longest waiters: the 10 at 11 weeks go, the 10 at 1 week stay
    assert langst["wachtrij"] == pytest.approx(10)
    assert langst["gemiddelde_leeftijd_weken"] == pytest.approx(1.5)
    assert langst["boven_norm"] == pytest.approx(0)
    assert langst["druk"] == pytest.approx(2 * 1.5 / 4)  # norms-and-methods §3 formula 6
    gewoon = leeftijdsprojectie(
        m, leeftijd, Scenario(eenmalig_per_week=10, eenmalig_weken=1), norm_weken=4, weken=1, fifo_aandeel=0.5
    ).row(0, named=True)
    # the usual order: 5 oldest first (11 wk: 10 -> 5), then 5 in proportion to the 15 left:
    # 10 * 5/15 = 3.33 from 1 wk, 5 * 5/15 = 1.67 from 11 wk -> 6.67 at 1.5, 3.33 at 11.5
    assert gewoon["wachtrij"] == pytest.approx(10)  # the same queue size ...
    assert gewoon["gemiddelde_leeftijd_weken"] == pytest.approx((20 / 3 * 1.5 + 10 / 3 * 11.5) / 10)
    assert gewoon["boven_norm"] == pytest.approx(10 / 3)  # ... a different age distribution
    # when the usual order is strictly first come first served, aiming makes no difference
    fifo = leeftijdsprojectie(
        m, leeftijd, Scenario(eenmalig_per_week=10, eenmalig_weken=1), norm_weken=4, weken=1, fifo_aandeel=1.0
    ).row(0, named=True)
    assert fifo["gemiddelde_leeftijd_weken"] == pytest.approx(1.5)


def test_a_norm_change_moves_the_targets_not_the_queue():
    m, leeftijd = _leeftijden_model()
    oud = leeftijdsprojectie(m, leeftijd, BASIS, norm_weken=4, weken=3)
    nieuw = leeftijdsprojectie(m, leeftijd, Scenario(norm_weken=12), norm_weken=4, weken=3)
    assert oud["wachtrij"].to_list() == nieuw["wachtrij"].to_list()
    # after 3 weeks the ages are 3.5 and 13.5: above 4 weeks 10, above 12 weeks still 10; druk scales 4/12
    assert oud["boven_norm"][2] == pytest.approx(10) and nieuw["boven_norm"][2] == pytest.approx(10)
    assert nieuw["druk"][2] == pytest.approx(oud["druk"][2] * 4 / 12)
    assert oud["gemiddelde_leeftijd_weken"][2] == pytest.approx((3.5 + 13.5) / 2)


# --- backtest -----------------------------------------------------------------------------------------


def test_backtest_error_is_computed_on_the_weeks_after_the_origin():
    h = weekhistorie(4, 200, seed=5)
    bt = backtest(h, maanden=(6,), simulaties=100)
    laatste = h["week"].max()
    oorsprong = laatste - dt.timedelta(weeks=26)
    assert bt["vanaf_week"].unique().to_list() == [oorsprong] and bt["n_weken"].to_list() == [26] * 4
    # the same forecast, by hand: median vs observed, band coverage, no-change error
    m = schat_model(h, tot_week=oorsprong)
    p = simuleer(m, weken=26, simulaties=100)
    for lijst in m.lijst_id:
        i = m.index(lijst)
        obs = h.filter((pl.col("lijst_id") == lijst) & (pl.col("week") > oorsprong)).sort("week")["wachtend"]
        obs = obs.to_numpy()
        rij = bt.filter(pl.col("lijst_id") == lijst).row(0, named=True)
        assert rij["mae"] == pytest.approx(np.abs(obs - p.wachtrij[i, :, 1]).mean())
        assert rij["mae_naief"] == pytest.approx(np.abs(obs - m.wachtrij[i]).mean())
        binnen = (obs >= p.wachtrij[i, :, 0]) & (obs <= p.wachtrij[i, :, 2])
        assert rij["dekking"] == pytest.approx(binnen.mean())


def test_backtest_flags_a_list_whose_world_changed():
    # steady for 3 years, then capacity halves in the last 6 months: the 6-month backtest cannot know
    steady = [(6, 6, 0, 60)] * (156 - 26)
    breuk = [(6, 3, 0, 60 + 3 * (t + 1)) for t in range(26)]
    h = pl.concat([_lijst("breuk", steady + breuk), _lijst("rustig", [(6, 6, 0, 60)] * 156)])
    bt = backtest(h, maanden=(6,))
    rij = {r["lijst_id"]: r for r in bt.iter_rows(named=True)}
    assert rij["breuk"]["is_slecht"] and rij["breuk"]["dekking"] < 0.5
    assert not rij["rustig"]["is_slecht"]


def test_backtest_without_history_before_the_origin():
    oud = _lijst("oud", [(2, 2, 0, 10)] * 120)
    nieuw = _lijst("nieuw", [(2, 2, 0, 10)] * 40, begin=MAANDAG + dt.timedelta(weeks=80))
    bt = backtest(pl.concat([oud, nieuw]), maanden=(6, 12))
    rij = {(r["lijst_id"], r["maanden_terug"]): r for r in bt.iter_rows(named=True)}
    assert rij[("nieuw", 12)]["status"] == "geen_historie" and rij[("nieuw", 12)]["mae"] is None
    assert rij[("nieuw", 6)]["status"] == "ok" and rij[("oud", 12)]["n_weken"] == 52


def test_backtest_of_one_list_is_scored_on_its_own_chain_from_the_shared_origin_models():
    # the page backtests only the chosen list: the origin models are estimated once for the region
    # (seasonality pooled), the list is simulated with its chain only, and the scores are those of its bands
    h = weekhistorie(6, 200, seed=8)
    lijsten = sorted(h["lijst_id"].unique().to_list())
    keten = pl.DataFrame({"lijst_id": [lijsten[0]], "volgende_lijst_id": [lijsten[1]]})
    modellen = oorsprongmodellen(h, maanden=(6, 12), keten=keten)
    laatste = h["week"].max()
    assert {m: x.laatste_week for m, x in modellen.items()} == {
        6: laatste - dt.timedelta(weeks=26),
        12: laatste - dt.timedelta(weeks=52),
    }
    banden = backtest_banden(modellen, lijst_ids=[lijsten[1]], simulaties=100)
    assert banden["lijst_id"].unique().to_list() == [lijsten[1]]  # the chain is simulated, not returned
    assert banden.group_by("maanden_terug").len().sort("maanden_terug")["len"].to_list() == [26, 52]
    bt = backtest(h, modellen=modellen, lijst_ids=[lijsten[1]], banden=banden)
    assert bt["lijst_id"].unique().to_list() == [lijsten[1]] and bt.height == 2
    # the list's part of the model: the same draws as simulating its chain (deelmodel) by hand
    for m, model in modellen.items():
        deel = deelmodel(model, [lijsten[1]])
        assert deel.lijst_id == (lijsten[0], lijsten[1])
        p = simuleer(deel, weken=len(banden.filter(pl.col("maanden_terug") == m)), simulaties=100)
        i = deel.index(lijsten[1])
        obs = h.filter((pl.col("lijst_id") == lijsten[1]) & (pl.col("week") > model.laatste_week))
        obs = obs.sort("week")["wachtend"].to_numpy()
        rij = bt.filter(pl.col("maanden_terug") == m).row(0, named=True)
        assert rij["mae"] == pytest.approx(np.abs(obs - p.wachtrij[i, :, 1]).mean())
        assert rij["dekking"] == pytest.approx(
            ((obs >= p.wachtrij[i, :, 0]) & (obs <= p.wachtrij[i, :, 2])).mean()
        )
    # without the prepared bands the same result (they are simulated the same way)
    zelf = backtest(h, modellen=modellen, lijst_ids=[lijsten[1]], simulaties=100)
    assert zelf.drop("melding").equals(bt.drop("melding"))


def test_what_if_with_a_prepared_baseline_equals_simulating_both():
    h = weekhistorie(5, 120, seed=2)
    m = schat_model(h)
    lijst = m.lijst_id[2]
    sc = Scenario(capaciteit_procent=20, lijsten=frozenset({lijst}))
    zelf = wat_als(m, sc, lijst_ids=[lijst])
    met_basis = wat_als(m, sc, lijst_ids=[lijst], basis=basisprognose(m, [lijst]))
    assert zelf.equals(met_basis)
    with pytest.raises(VooruitblikFout, match="basisprognose"):
        wat_als(m, sc, lijst_ids=[lijst], basis=basisprognose(m, [m.lijst_id[3]]))


# --- the draws by inversion -----------------------------------------------------------------------------


@pytest.mark.parametrize("mu", [0.3, 2.0, 4.9, 5.1, 12.0, 60.0])
def test_poisson_by_inversion_has_the_poisson_mean_and_variance(mu):
    from pipelines.vooruitblik.forecast import _poisson_inv

    rng = np.random.default_rng(1)
    n = 200_000
    k = _poisson_inv(np.full(n, mu), rng.random(n), rng.standard_normal(n))
    assert k.mean() == pytest.approx(mu, rel=0.02, abs=0.01)
    assert k.var() == pytest.approx(mu, rel=0.05, abs=0.01)  # Cornish-Fisher above 5: about 3 % high
    assert np.all(k == np.round(k)) and k.min() >= 0


@pytest.mark.parametrize(("n", "p"), [(10, 0.05), (40, 0.5), (200, 0.9), (300, 0.2), (7, 1.0), (0, 0.3)])
def test_binomial_by_inversion_has_the_binomial_mean_and_variance(n, p):
    from pipelines.vooruitblik.forecast import _binomiaal_inv

    rng = np.random.default_rng(2)
    m = 200_000
    k = _binomiaal_inv(np.full(m, float(n)), np.full(m, p), rng.random(m), rng.standard_normal(m))
    assert k.mean() == pytest.approx(n * p, rel=0.02, abs=0.01)
    assert k.var() == pytest.approx(n * p * (1 - p), rel=0.06, abs=0.01)
    assert k.min() >= 0 and k.max() <= n


def test_the_same_random_numbers_give_more_with_a_higher_rate():
    # common random numbers: for the same u and z, a higher mean never gives a smaller count
    from pipelines.vooruitblik.forecast import _poisson_inv

    rng = np.random.default_rng(3)
    u, z = rng.random(50_000), rng.standard_normal(50_000)
    laag = _poisson_inv(np.full(50_000, 3.0), u, z)
    hoog = _poisson_inv(np.full(50_000, 4.0), u, z)
    assert np.all(hoog >= laag)
