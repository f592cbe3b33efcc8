"""Forecast of queue size and mean wait with uncertainty bands, its backtest, what-if scenarios and chains.

Model (per list, weekly steps, Monte Carlo over `simulaties` runs, all lists and runs at once as NumPy
arrays of shape [lists, runs]; the week loop is the only Python loop):
- Arrivals: Poisson with rate lambda * s_d(week of year); a gamma multiplier per week where the history
  is overdispersed (negative binomial: var = mu + phi mu^2, phi from the window's weekly counts).
- Starts (capacity): Poisson with rate c * s_c(week of year) (+ scenario), never more than are waiting;
  c is estimated from the weeks that began with at least twice the mean weekly starts waiting (weeks with
  a short queue show the demand, not the capacity). A demand-led list, with fewer than MIN_RUIME_WEKEN
  such weeks, has no visible capacity: each week a share p of those waiting starts (p = starts / child-weeks
  waiting); with a capacity model its simulated queue drifted up like a random walk reflected at 0 (the
  backtest of the sample region's aanmelding and verzoek lists showed it).
- Reneges (children leaving without care): a weekly probability h per waiting child (reneges in the
  window / child-weeks waiting), an outflow of its own: a list that shrinks by drop-off is not served.
  Drawn as Poisson(h x waiting) capped at those waiting (h is a few % a week).
- Parameter uncertainty: lambda, c and p are drawn once per run from Gamma(sum of counts + 1/2,
  1 / exposure) (the Jeffreys posterior of a Poisson rate), so a list with little history gets wider bands.
- Seasonality: week-of-year factors s_d (arrivals) and s_c (starts), pooled over all lists of the frame
  (one list's weekly counts are too few for 52 factors): the weekly total divided by its centred 52-week
  moving average, averaged per ISO week, smoothed over 5 weeks, scaled to mean 1. With fewer than two
  years of history the factors are 1. The summer dip in starts is the largest effect in the sample region.
- Mean wait in week t (Little's law on the current state): queue / (expected starts + reneges per week);
  a "time to clear the current queue" estimate, not a measured wait.
- Chains (aanmelding -> intake -> behandeling): a list with an upstream list receives a share of the
  upstream starts of the previous week (binomial; the share = its inflow / the upstream's starts in the
  window, at most 1) plus any external inflow beyond that. Capacity added upstream moves the queue
  downstream.

Why our own simulation and not a library: the state is three counts per list and week; a vectorised
NumPy step forecasts all lists of a region (about 110 lists x 200 runs x 52 weeks) in under a second
with no new dependency (statsforecast, statsmodels, ciw and simpy are not installed; ciw and simpy simulate
one system per event in Python, far too slow for thousands of list-runs; statsforecast or ETS would
forecast the arrival series only, not the queue with its capacity, reneges and chain). The backtest
(`backtest`) shows whether this simple model is good enough per list.

Age model (`leeftijdsprojectie`): a deterministic projection of the ages (weeks waited) of the children on
the list, for what capacity aimed at the longest waiters does: the same number of starts (so the same
queue size as spending it in the usual order) taken from the oldest first, which shortens the tail of the
waits and lowers the share over the norm and the pressure. The usual order is a mix: a share
`fifo_aandeel` of the starts go to the longest waiters (first come, first served) and the rest regardless
of waiting time (triage, fit with the provider); the default 0.5 is a project assumption, not measured.

Determinism: one `numpy.random.Generator` seeded by `seed`, lists in sorted order; the same inputs give the
same bands. A scenario runs with the same seed as its baseline, and the weekly counts are drawn by
inversion from the same uniforms (common random numbers): a list the scenario does not touch keeps its
baseline exactly, and the difference of a touched list shows the scenario, not the noise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace

import numpy as np
import numpy.typing as npt
import polars as pl

from pipelines.vooruitblik.invoer import (
    OK,
    VooruitblikFout,
    lijst_status,
    status_melding_expr,
    vereiste_kolommen,
    weekhistorie_controleren,
)
from pipelines.vooruitblik.metrics import doorstroomcapaciteit

Array = npt.NDArray[np.float64]

VENSTER_WEKEN = 52  # weeks of history behind the rates
HORIZON_WEKEN = 52
SIMULATIES = 200  # the 10 % and 90 % quantiles of 200 runs are within about 2 percentage points
SEED = 17
KWANTIELEN = (0.1, 0.5, 0.9)
MAX_SPREIDING = 2.0  # cap of the overdispersion phi
SEIZOEN_MIN_WEKEN = 104
MIN_RUIME_WEKEN = 8  # weeks with enough children waiting before capacity is estimated from those weeks only
SEIZOEN_GLADMAKEN = 5  # weeks in the circular moving average of the seasonal factors
# backtest: a list's backtest is poor when its 80 % band held the truth in fewer than half of the weeks, or
# when its median did worse than the no-change forecast and was off by more than a quarter of the mean
# observed queue (and by 2 or more persons). A list near load 1 is a random walk: its band is wide and its
# median often off, but if the band says so honestly (coverage) and no-change does no better, it is not poor.
SLECHT_DEKKING = 0.5
SLECHT_MAE_RELATIEF = 0.25
SLECHT_MAE_MIN = 2.0


@dataclass(frozen=True)
class Wachtrijmodel:
    """Rates per list estimated from the history up to `laatste_week` (arrays indexed like `lijst_id`)."""

    lijst_id: tuple[str, ...]
    status: tuple[str, ...]
    laatste_week: dt.date
    wachtrij: Array  # queue at the end of laatste_week
    instroom_som: Array  # external arrivals in the window (for the Gamma draw)
    instroom_blootstelling: Array  # sum of s_d over the window's weeks
    starts_som: Array
    starts_blootstelling: Array
    afval_kans: Array  # weekly renege probability per waiting child
    start_kans: Array  # weekly start probability per waiting child (demand-led lists)
    start_blootstelling: Array  # child-weeks waiting in the window (for the draw of start_kans)
    vraaggestuurd: npt.NDArray[np.bool_]  # the queue was rarely long enough to show a capacity
    spreiding_vraag: Array  # phi of arrivals
    seizoen_vraag: Array  # [53] factor per ISO week (index week - 1)
    seizoen_capaciteit: Array
    ouder: npt.NDArray[np.int64]  # index of the upstream list, -1 when none
    doorstroom: Array  # share of the upstream starts that join this list

    @property
    def vraag(self) -> Array:
        """Deseasonalised arrivals per week (external)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(
                self.instroom_blootstelling > 0, self.instroom_som / self.instroom_blootstelling, 0.0
            )

    @property
    def capaciteit(self) -> Array:
        """Deseasonalised starts per week the list can make (a demand-led list: its observed starts)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.starts_blootstelling > 0, self.starts_som / self.starts_blootstelling, 0.0)

    def index(self, lijst_id: str) -> int:
        """Position of a list in the arrays; `VooruitblikFout` for an unknown list."""
        try:
            return self.lijst_id.index(lijst_id)
        except ValueError:
            raise VooruitblikFout(f"Onbekende lijst: {lijst_id}.") from None

    def frame(self) -> pl.DataFrame:
        """The estimated rates per list, to show beside the forecast: lijst_id, status, melding,
        wachtrij, vraag_per_week (external), capaciteit_per_week, afval_kans_per_week (reneges per waiting
        child), start_kans_per_week, is_vraaggestuurd, vorige_lijst_id, doorstroom_aandeel."""
        return pl.DataFrame(
            {
                "lijst_id": list(self.lijst_id),
                "status": list(self.status),
                "wachtrij": self.wachtrij,
                "vraag_per_week": self.vraag,
                "capaciteit_per_week": self.capaciteit,
                "afval_kans_per_week": self.afval_kans,
                "start_kans_per_week": self.start_kans,
                "is_vraaggestuurd": self.vraaggestuurd,
                "vorige_lijst_id": [self.lijst_id[i] if i >= 0 else None for i in self.ouder.tolist()],
                "doorstroom_aandeel": self.doorstroom,
            },
            schema_overrides={"vorige_lijst_id": pl.String},
        ).with_columns(melding=status_melding_expr(pl.col("status")))


@dataclass(frozen=True)
class Scenario:
    """A what-if: changes against the baseline, applied to `lijsten` (None = every list).

    capaciteit_procent: +10 = 10 % more starts per week; capaciteit_per_week: starts per week added
    (negative: fewer); fte_factor: capacity multiplied by (FTE' x caseload') / (FTE x caseload), see
    `capaciteitsfactor` (the episode length held constant); instroom_procent: arrivals changed by that
    share; eenmalig_per_week for eenmalig_weken: one-off extra starts per week in the first weeks;
    langst_wachtenden_per_week for langst_wachtenden_weken: extra starts given to the longest waiters
    (the same queue effect as one-off capacity, a different age distribution: `leeftijdsprojectie`);
    norm_weken: another norm (targets, share over the norm, pressure; the queue itself does not change).
    """

    capaciteit_procent: float = 0.0
    capaciteit_per_week: float = 0.0
    fte_factor: float = 1.0
    instroom_procent: float = 0.0
    eenmalig_per_week: float = 0.0
    eenmalig_weken: int = 0
    langst_wachtenden_per_week: float = 0.0
    langst_wachtenden_weken: int = 0
    norm_weken: float | None = None
    lijsten: frozenset[str] | None = field(default=None)

    def __post_init__(self) -> None:
        if not self.fte_factor >= 0:
            raise VooruitblikFout("De FTE-factor moet 0 of meer zijn.")
        if not self.instroom_procent >= -100 or not self.capaciteit_procent >= -100:
            raise VooruitblikFout("Een verandering in procenten kan niet lager zijn dan -100 %.")
        if self.eenmalig_weken < 0 or self.langst_wachtenden_weken < 0:
            raise VooruitblikFout("Het aantal weken kan niet negatief zijn.")
        if self.eenmalig_per_week < 0 or self.langst_wachtenden_per_week < 0:
            raise VooruitblikFout("Extra capaciteit per week kan niet negatief zijn.")
        if self.norm_weken is not None and not self.norm_weken > 0:
            raise VooruitblikFout("De norm moet een positief aantal weken zijn.")

    def geldt(self, model: Wachtrijmodel) -> npt.NDArray[np.bool_]:
        """Per list of `model`: whether the scenario applies to it."""
        if self.lijsten is None:
            return np.ones(len(model.lijst_id), dtype=bool)
        onbekend = self.lijsten - set(model.lijst_id)
        if onbekend:
            raise VooruitblikFout(f"Scenario voor onbekende lijst(en): {', '.join(sorted(onbekend))}.")
        return np.array([lid in self.lijsten for lid in model.lijst_id], dtype=bool)


BASIS = Scenario()


def capaciteitsfactor(
    fte: float, caseload_per_fte: float, nieuwe_fte: float, nieuwe_caseload_per_fte: float
) -> float:
    """The capacity ratio of a team change (norms-and-methods §8 with the episode length held constant).

    lambda' / lambda = (FTE' x caseload') / (FTE x caseload); the observed starts are multiplied by it, so
    the what-if stays calibrated on the data rather than on the formula's absolute level.
    """
    oud = float(doorstroomcapaciteit(fte, caseload_per_fte, 1.0))
    nieuw = float(doorstroomcapaciteit(nieuwe_fte, nieuwe_caseload_per_fte, 1.0))
    if not oud > 0 or not nieuw >= 0:
        raise VooruitblikFout("FTE en caseload per FTE moeten positief zijn.")
    return nieuw / oud


# --- estimation -------------------------------------------------------------------------------------


def _iso_week_index(weken: pl.Series) -> npt.NDArray[np.int64]:
    return (weken.dt.week().cast(pl.Int64).to_numpy() - 1).clip(0, 52)


def seizoensfactoren(totaal: pl.DataFrame, kolom: str) -> Array:
    """Week-of-year factors [53] from a weekly total (columns week, <kolom>); ones with < 2 years."""
    totaal = totaal.sort("week")
    if totaal.height < SEIZOEN_MIN_WEKEN:
        return np.ones(53)
    x = totaal[kolom].to_numpy().astype(np.float64)
    # centred 2x52 moving average (the classical decomposition's trend)
    kern = np.full(53, 1 / 52)
    kern[0] = kern[-1] = 1 / 104
    trend = np.convolve(x, kern, mode="valid")  # aligned with x[26 : len - 26]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = x[26 : len(x) - 26] / trend
    wk = _iso_week_index(totaal["week"])[26 : len(x) - 26]
    geldig = np.isfinite(ratio)
    som = np.bincount(wk[geldig], weights=ratio[geldig], minlength=53)
    n = np.bincount(wk[geldig], minlength=53)
    s = np.where(n > 0, som / np.maximum(n, 1), np.nan)
    if np.isnan(s[52]):
        s[52] = s[51]
    if np.isnan(s).any():
        return np.ones(53)
    # circular smoothing over the 52 regular weeks; week 53 takes week 52's factor
    half = SEIZOEN_GLADMAKEN // 2
    rond = np.concatenate((s[52 - half : 52], s[:52], s[:half]))
    glad = np.convolve(rond, np.full(SEIZOEN_GLADMAKEN, 1 / SEIZOEN_GLADMAKEN), mode="valid")
    glad = glad / glad.mean()
    return np.concatenate((glad, glad[51:52]))


def _keten_indices(keten: pl.DataFrame | None, lijsten: list[str]) -> npt.NDArray[np.int64]:
    ouder = np.full(len(lijsten), -1, dtype=np.int64)
    if keten is None or keten.is_empty():
        return ouder
    vereiste_kolommen(keten, {"lijst_id": pl.String(), "volgende_lijst_id": pl.String()}, "Keten")
    pos = {lid: i for i, lid in enumerate(lijsten)}
    for van, naar in keten.select("lijst_id", "volgende_lijst_id").iter_rows():
        if van not in pos or naar not in pos:
            raise VooruitblikFout(f"Keten: lijst {van if van not in pos else naar} heeft geen weekhistorie.")
        if ouder[pos[naar]] >= 0 and ouder[pos[naar]] != pos[van]:
            raise VooruitblikFout(f"Keten: lijst {naar} volgt op meer dan één lijst.")
        ouder[pos[naar]] = pos[van]
    for start in range(len(lijsten)):  # no cycles: following parents must end
        i, stappen = start, 0
        while ouder[i] >= 0:
            i, stappen = int(ouder[i]), stappen + 1
            if stappen > len(lijsten):
                raise VooruitblikFout("Keten: de lijsten vormen een kring.")
    return ouder


def schat_model(
    historie: pl.DataFrame,
    *,
    tot_week: dt.date | None = None,
    venster_weken: int = VENSTER_WEKEN,
    keten: pl.DataFrame | None = None,
    seizoen: bool = True,
) -> Wachtrijmodel:
    """Estimate the rates of every list from `historie` (`invoer.WEEKHISTORIE`), weeks <= `tot_week`.

    `keten` (optional): lijst_id -> volgende_lijst_id, the outflow (starts) of one list is the inflow of
    the next. Lists whose data has a problem get their status (`invoer.STATUS_MELDINGEN`) and are
    simulated with zero rates (their bands are not shown).
    """
    if not isinstance(venster_weken, int) or venster_weken < 1:
        raise VooruitblikFout(
            f"Het venster moet een geheel aantal weken >= 1 zijn (gekregen: {venster_weken!r})."
        )
    h = weekhistorie_controleren(historie)
    if tot_week is not None:
        h = h.filter(pl.col("week") <= tot_week)
    if h.is_empty():
        raise VooruitblikFout("Geen weekgegevens vóór het startpunt van de voorspelling.")
    status = lijst_status(h).sort("lijst_id")
    lijsten = status["lijst_id"].to_list()
    laatste = h["week"].max()
    assert isinstance(laatste, dt.date)
    goed = h.filter(pl.col("lijst_id").is_in(status.filter(pl.col("status") == OK)["lijst_id"].implode()))
    totaal = goed.group_by("week").agg(pl.col("instroom", "starts").sum())
    s_d = seizoensfactoren(totaal, "instroom") if seizoen else np.ones(53)
    s_c = seizoensfactoren(totaal, "starts") if seizoen else np.ones(53)

    venster = h.filter(pl.col("week") > pl.lit(laatste) - pl.duration(weeks=venster_weken)).with_columns(
        wi=pl.col("week").dt.week().cast(pl.Int64).clip(1, 53) - 1,
        vorige=pl.col("wachtend").shift(1).over("lijst_id"),
    )
    venster = venster.with_columns(
        s_d=pl.col("wi").replace_strict(list(range(53)), s_d.tolist(), return_dtype=pl.Float64),
        s_c=pl.col("wi").replace_strict(list(range(53)), s_c.tolist(), return_dtype=pl.Float64),
        vorige=pl.coalesce(
            "vorige", pl.col("wachtend") - pl.col("instroom") + pl.col("starts") + pl.col("afvallers")
        ),
    )
    # capacity is what a list can start when enough children wait: weeks that began with a short queue
    # show the demand, not the capacity (a list with load < 1 runs empty). A list with fewer than
    # MIN_RUIME_WEKEN such weeks is demand-led: its starts follow the children waiting (a weekly start
    # probability per child, like the reneges), not a capacity; a capacity model there would let the
    # simulated queue drift up like a random walk reflected at 0, which the backtest showed.
    ruim = pl.col("vorige") >= (2 * pl.col("starts").mean()).clip(1)
    per = (
        venster.group_by("lijst_id")
        .agg(
            instroom_som=pl.col("instroom").sum(),
            instroom_blootstelling=pl.col("s_d").sum(),
            starts_som=pl.col("starts").filter(ruim).sum(),
            starts_blootstelling=pl.col("s_c").filter(ruim).sum(),
            n_ruim=ruim.sum(),
            starts_alle=pl.col("starts").sum(),
            s_c_alle=pl.col("s_c").sum(),
            afvallers=pl.col("afvallers").sum(),
            blootgesteld=(pl.col("vorige").clip(0) + pl.col("instroom")).sum(),
            gem=pl.col("instroom").mean(),
            var=pl.col("instroom").var(ddof=1),
            wachtrij=pl.col("wachtend").sort_by("week").last(),
        )
        .with_columns(
            starts_som=pl.when(pl.col("n_ruim") >= MIN_RUIME_WEKEN)
            .then("starts_som")
            .otherwise("starts_alle"),
            starts_blootstelling=pl.when(pl.col("n_ruim") >= MIN_RUIME_WEKEN)
            .then("starts_blootstelling")
            .otherwise("s_c_alle"),
            afval_kans=pl.when(pl.col("blootgesteld") > 0)
            .then(pl.col("afvallers") / pl.col("blootgesteld"))
            .otherwise(0.0)
            .clip(0, 1),
            start_kans=pl.when(pl.col("blootgesteld") > 0)
            .then(pl.col("starts_alle") / pl.col("blootgesteld"))
            .otherwise(0.0)
            .clip(0, 1),
            vraaggestuurd=pl.col("n_ruim") < MIN_RUIME_WEKEN,
            # phi only where var/mean is clearly above 1 (two standard errors of a Poisson's index)
            spreiding=pl.when(
                (pl.col("gem") > 0)
                & (pl.col("var") / pl.col("gem") > 1 + 2 * (2 / (pl.len() - 1).clip(1)).sqrt())
            )
            .then((pl.col("var") - pl.col("gem")) / pl.col("gem") ** 2)
            .otherwise(0.0)
            .fill_null(0.0)
            .clip(0, MAX_SPREIDING),
        )
    )
    per = status.join(per, on="lijst_id", how="left").sort("lijst_id")
    per = per.with_columns(
        pl.when(pl.col("status") == OK).then(pl.col(k)).otherwise(0.0).fill_null(0.0).alias(k)
        for k in (
            "instroom_som",
            "instroom_blootstelling",
            "starts_som",
            "starts_blootstelling",
            "afval_kans",
            "spreiding",
            "wachtrij",
            "start_kans",
            "blootgesteld",
            "starts_alle",
        )
    )

    def a(k: str) -> Array:
        return per[k].cast(pl.Float64).to_numpy().copy()

    ouder = _keten_indices(keten, lijsten)
    instroom_som = a("instroom_som")
    doorstroom = np.zeros(len(lijsten))
    starts_alle = a("starts_alle")
    for j in np.flatnonzero(ouder >= 0):
        p = ouder[j]
        if starts_alle[p] > 0:
            doorstroom[j] = min(1.0, instroom_som[j] / starts_alle[p])
            # the part of the inflow the upstream list does not explain stays external
            instroom_som[j] = max(0.0, instroom_som[j] - starts_alle[p])
    return Wachtrijmodel(
        lijst_id=tuple(lijsten),
        status=tuple(per["status"].to_list()),
        laatste_week=laatste,
        wachtrij=a("wachtrij"),
        instroom_som=instroom_som,
        instroom_blootstelling=a("instroom_blootstelling"),
        starts_som=a("starts_som"),
        starts_blootstelling=a("starts_blootstelling"),
        afval_kans=a("afval_kans"),
        start_kans=a("start_kans"),
        start_blootstelling=a("blootgesteld"),
        vraaggestuurd=(per["vraaggestuurd"].fill_null(False) & (per["status"] == OK)).to_numpy().astype(bool),
        spreiding_vraag=a("spreiding"),
        seizoen_vraag=s_d,
        seizoen_capaciteit=s_c,
        ouder=ouder,
        doorstroom=doorstroom,
    )


# --- simulation ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prognose:
    """Bands per list and week: arrays [lists, weeks, len(kwantielen)] and means [lists, weeks]."""

    lijst_id: tuple[str, ...]
    status: tuple[str, ...]
    weken: tuple[dt.date, ...]
    kwantielen: tuple[float, ...]
    wachtrij: Array
    wachttijd_weken: Array
    instroom: Array  # mean per week over the runs
    starts: Array
    afvallers: Array

    def frame(self) -> pl.DataFrame:
        """Long frame: lijst_id, status, week, horizon_weken, wachtrij_p10/p50/p90,
        wachttijd_weken_p10/p50/p90, instroom, starts, afvallers (means over the runs), melding.
        The figures of a list whose status is not ok are null (its data could not be used)."""
        n_l, n_w = len(self.lijst_id), len(self.weken)
        kol: dict[str, object] = {
            "lijst_id": pl.Series([x for x in self.lijst_id for _ in range(n_w)], dtype=pl.String),
            "status": pl.Series([x for x in self.status for _ in range(n_w)], dtype=pl.String),
            "week": np.tile(np.array(self.weken, dtype="datetime64[D]"), n_l),
            "horizon_weken": np.tile(np.arange(1, n_w + 1), n_l),
        }
        for j, q in enumerate(self.kwantielen):
            naam = f"p{round(100 * q)}"
            kol[f"wachtrij_{naam}"] = self.wachtrij[:, :, j].ravel()
            kol[f"wachttijd_weken_{naam}"] = self.wachttijd_weken[:, :, j].ravel()
        kol["instroom"] = self.instroom.ravel()
        kol["starts"] = self.starts.ravel()
        kol["afvallers"] = self.afvallers.ravel()
        df = pl.DataFrame(kol, strict=False)
        cijfers = [k for k in df.columns if k not in ("lijst_id", "status", "week", "horizon_weken")]
        return (
            df.with_columns(
                pl.col("lijst_id", "status").cast(pl.String),
                pl.col("week").cast(pl.Date),
                pl.col(pl.Float64).fill_nan(None),
            )
            .with_columns(pl.when(pl.col("status") == OK).then(pl.col(k)).alias(k) for k in cijfers)
            .with_columns(melding=status_melding_expr(pl.col("status")))
        )


def _scenario_vectoren(model: Wachtrijmodel, scenario: Scenario) -> dict[str, Array]:
    geldt = scenario.geldt(model)
    een = np.ones(len(model.lijst_id))
    nul = np.zeros(len(model.lijst_id))
    return {
        "vraag_factor": np.where(geldt, 1 + scenario.instroom_procent / 100, 1.0),
        "cap_factor": np.where(geldt, (1 + scenario.capaciteit_procent / 100) * scenario.fte_factor, een),
        "cap_extra": np.where(geldt, scenario.capaciteit_per_week, nul),
        "eenmalig": np.where(geldt, scenario.eenmalig_per_week, nul),
        "langst": np.where(geldt, scenario.langst_wachtenden_per_week, nul),
    }


def _toekomstige_weken(model: Wachtrijmodel, weken: int) -> tuple[tuple[dt.date, ...], npt.NDArray[np.int64]]:
    data = tuple(model.laatste_week + dt.timedelta(weeks=t) for t in range(1, weken + 1))
    wi = np.array([min(d.isocalendar().week, 53) - 1 for d in data], dtype=np.int64)
    return data, wi


def _kwantielen(x: Array, kw: Array) -> Array:
    """Quantiles over axis 1 (numpy's default linear rule) from one sort: [lists, len(kw)]."""
    xs = np.sort(x, axis=1)
    pos = kw * (x.shape[1] - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, x.shape[1] - 1)
    f = pos - lo
    with np.errstate(invalid="ignore"):
        return np.where(f > 0, xs[:, lo] * (1 - f) + xs[:, hi] * f, xs[:, lo])


# --- draws by inversion: common random numbers --------------------------------------------------------
# NumPy's Poisson and binomial samplers use a number of random values that depends on the rate, so a
# scenario that changes one list's rate would shift every later draw of every list. Drawing by inversion
# from uniforms (and normals for large rates) uses the same random values whatever the rates: a list the
# scenario does not touch gets exactly its baseline, and a touched list moves monotonically (more capacity,
# never fewer starts in the same run).
# Above this variance the count is the Cornish-Fisher quantile of the normal draw z (mean + sd z + the
# skewness term (z^2 - 1) / 6 x skewness x sd, rounded): at a Poisson mean of 5 its 1-99 % quantiles equal
# the exact ones and its variance is 3 % too high; below it, exact inversion (a loop of about mean + 5 sd).
NORMAAL_VANAF = 5.0
_MAX_STAPPEN = 400


def _poisson_inv(mu: Array, u: Array, z: Array) -> Array:
    """Poisson(mu) by inversion of u (mu <= NORMAAL_VANAF) or from the normal z (larger mu, Cornish-Fisher)."""
    uit = np.maximum(np.floor(mu + np.sqrt(mu) * z + (z * z - 1) / 6 + 0.5), 0.0)
    pos = np.flatnonzero(mu.ravel() <= NORMAAL_VANAF)
    if pos.size:
        uit.ravel()[pos] = _inversie(mu.ravel()[pos], u.ravel()[pos], None)
    return uit


def _inversie(m: Array, u: Array, n: Array | None) -> Array:
    """The smallest k with CDF(k) >= u, for Poisson(m) (n None) or Binomial(n, m) (m the probability < 1)."""
    if n is None:
        pmf = np.exp(-m)
        ratio = m
    else:
        pmf = (1 - m) ** n
        ratio = m / (1 - m)
    f = pmf.copy()
    k = np.zeros(m.shape)
    for j in range(1, _MAX_STAPPEN):
        verder = u > f
        if n is not None:
            verder &= k < n
        if not verder.any():
            break
        k += verder
        pmf = pmf * (ratio / j if n is None else ratio * (n - j + 1) / j)
        f = f + pmf
    return k


def _binomiaal_inv(n: Array, kans: Array, u: Array, z: Array) -> Array:
    """Binomial(n, kans) by inversion of u (Cornish-Fisher from z when the variance is large); kans in [0, 1]."""
    kans = np.broadcast_to(kans, n.shape)
    spiegel = kans > 0.5  # draw the failures instead: keeps (1 - p)^n away from underflow
    p = np.where(spiegel, 1 - kans, kans)
    uu = np.where(spiegel, 1 - u, u)
    sd = np.sqrt(n * p * (1 - p))
    uit: Array = np.clip(np.floor(n * p + sd * z + (1 - 2 * p) * (z * z - 1) / 6 + 0.5), 0, n)
    pos = np.flatnonzero(((sd * sd <= NORMAAL_VANAF) & (n > 0) & (p > 0)).ravel())
    uit[(n == 0) | (p == 0)] = 0.0
    if pos.size:
        uit.ravel()[pos] = _inversie(p.ravel()[pos], uu.ravel()[pos], n.ravel()[pos])
    return np.where(spiegel, n - uit, uit)


def simuleer(
    model: Wachtrijmodel,
    scenario: Scenario = BASIS,
    *,
    weken: int = HORIZON_WEKEN,
    simulaties: int = SIMULATIES,
    seed: int = SEED,
    kwantielen: tuple[float, ...] = KWANTIELEN,
) -> Prognose:
    """Simulate every list `weken` weeks ahead from `model.laatste_week` under `scenario` (module docstring)."""
    if not isinstance(weken, int) or weken < 1:
        raise VooruitblikFout(f"De horizon moet een geheel aantal weken >= 1 zijn (gekregen: {weken!r}).")
    if not isinstance(simulaties, int) or simulaties < 10:
        raise VooruitblikFout(f"Minstens 10 simulaties (gekregen: {simulaties!r}).")
    if not all(0 < q < 1 for q in kwantielen):
        raise VooruitblikFout("Kwantielen moeten tussen 0 en 1 liggen.")
    sv = _scenario_vectoren(model, scenario)
    data, wi = _toekomstige_weken(model, weken)
    rng = np.random.default_rng(seed)
    n_l = len(model.lijst_id)
    vorm = (n_l, simulaties)
    # parameter uncertainty: one rate per list and run
    lam = (
        rng.gamma(model.instroom_som[:, None] + 0.5, 1.0, size=vorm)
        / np.maximum(model.instroom_blootstelling, 1e-9)[:, None]
    )
    lam = np.where(model.instroom_blootstelling[:, None] > 0, lam, 0.0) * sv["vraag_factor"][:, None]
    cap = (
        rng.gamma(model.starts_som[:, None] + 0.5, 1.0, size=vorm)
        / np.maximum(model.starts_blootstelling, 1e-9)[:, None]
    )
    cap = np.where(model.starts_blootstelling[:, None] > 0, cap, 0.0)
    cap = np.maximum(cap * sv["cap_factor"][:, None] + sv["cap_extra"][:, None], 0.0)
    phi = model.spreiding_vraag
    gespreid = np.flatnonzero(phi > 1e-6)
    vorm_gamma = 1 / phi[gespreid]
    h = model.afval_kans[:, None]
    # demand-led lists: a start probability per waiting child, drawn per run like the rates
    vg = model.vraaggestuurd[:, None]
    p_start = rng.gamma(model.start_kans[:, None] * model.start_blootstelling[:, None] + 0.5, 1.0, size=vorm)
    p_start = np.where(
        model.start_blootstelling[:, None] > 0,
        p_start / np.maximum(model.start_blootstelling, 1e-9)[:, None],
        0.0,
    )
    p_start = np.clip(p_start * sv["cap_factor"][:, None], 0.0, 1.0)
    met_ouder = np.flatnonzero(model.ouder >= 0)
    ouder = model.ouder[met_ouder]
    doorstroom = model.doorstroom[met_ouder][:, None]

    q = np.repeat(model.wachtrij[:, None], simulaties, axis=1)
    kw = np.asarray(kwantielen)
    uit_q = np.empty((n_l, weken, len(kw)))
    uit_w = np.empty((n_l, weken, len(kw)))
    uit_a = np.empty((n_l, weken))
    uit_s = np.empty((n_l, weken))
    uit_r = np.empty((n_l, weken))
    vorige_starts = None
    for t in range(weken):
        mu_a = lam * model.seizoen_vraag[wi[t]]
        if gespreid.size:
            mu_a[gespreid] *= rng.gamma(
                vorm_gamma[:, None], phi[gespreid][:, None], size=(gespreid.size, simulaties)
            )
        a = _poisson_inv(mu_a, rng.random(vorm), rng.standard_normal(vorm))
        if met_ouder.size:
            vorm_k = (met_ouder.size, simulaties)
            u_k, z_k = rng.random(vorm_k), rng.standard_normal(vorm_k)
            if vorige_starts is None:  # week 1: the upstream's expected starts
                bron = _poisson_inv(cap[ouder] * model.seizoen_capaciteit[wi[t]], u_k, z_k)
            else:
                bron = vorige_starts[ouder]
            a[met_ouder] += _binomiaal_inv(bron, doorstroom, rng.random(vorm_k), rng.standard_normal(vorm_k))
        extra = np.zeros(n_l)
        if t < scenario.eenmalig_weken:
            extra = extra + sv["eenmalig"]
        if t < scenario.langst_wachtenden_weken:
            extra = extra + sv["langst"]
        beschikbaar = q + a
        mu_c = (
            np.maximum(
                np.where(
                    vg,
                    p_start * beschikbaar + sv["cap_extra"][:, None],
                    cap * model.seizoen_capaciteit[wi[t]],
                ),
                0.0,
            )
            + extra[:, None]
        )
        s = np.minimum(_poisson_inv(mu_c, rng.random(vorm), rng.standard_normal(vorm)), beschikbaar)
        rest = beschikbaar - s
        # reneges: Poisson(h x waiting) capped at those waiting (h is a few % a week: the binomial's twin)
        r = np.minimum(_poisson_inv(h * rest, rng.random(vorm), rng.standard_normal(vorm)), rest)
        q = rest - r
        vorige_starts = s
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(q > 0, q / (mu_c + h * q), 0.0)
        uit_q[:, t, :] = _kwantielen(q, kw)
        uit_w[:, t, :] = _kwantielen(np.where(np.isfinite(w), w, np.inf), kw)
        uit_a[:, t] = a.mean(axis=1)
        uit_s[:, t] = s.mean(axis=1)
        uit_r[:, t] = r.mean(axis=1)
    uit_w[~np.isfinite(uit_w)] = np.nan
    return Prognose(
        lijst_id=model.lijst_id,
        status=model.status,
        weken=data,
        kwantielen=tuple(kwantielen),
        wachtrij=uit_q,
        wachttijd_weken=uit_w,
        instroom=uit_a,
        starts=uit_s,
        afvallers=uit_r,
    )


def deelmodel(model: Wachtrijmodel, lijst_ids: Iterable[str]) -> Wachtrijmodel:
    """The model of `lijst_ids` and every list linked to them by the chain (up- and downstream).

    A what-if for one list (or one team's lists) needs only those lists: its cost does not grow with the
    region. The random numbers of a smaller model differ from the full model's, so compare a scenario with
    the baseline of the same model (`wat_als` does).
    """
    gevraagd = {model.index(lid) for lid in lijst_ids}
    kinderen: dict[int, list[int]] = {}
    for j, p in enumerate(model.ouder.tolist()):
        if p >= 0:
            kinderen.setdefault(p, []).append(j)
    gezien: set[int] = set()
    rij = list(gevraagd)
    while rij:
        i = rij.pop()
        if i in gezien:
            continue
        gezien.add(i)
        rij.extend(kinderen.get(i, []))
        if model.ouder[i] >= 0:
            rij.append(int(model.ouder[i]))
    keuze = np.array(sorted(gezien), dtype=np.int64)
    nieuw = {int(oud): n for n, oud in enumerate(keuze)}
    delen: dict[str, object] = {}
    for veld in fields(model):
        waarde = getattr(model, veld.name)
        if veld.name == "ouder":
            delen[veld.name] = np.array([nieuw.get(int(model.ouder[i]), -1) for i in keuze], dtype=np.int64)
        elif veld.name in ("lijst_id", "status"):
            delen[veld.name] = tuple(waarde[i] for i in keuze)
        elif (
            isinstance(waarde, np.ndarray)
            and waarde.shape[:1] == (len(model.lijst_id),)
            and "seizoen" not in veld.name
        ):
            delen[veld.name] = waarde[keuze]
        else:
            delen[veld.name] = waarde
    return Wachtrijmodel(**delen)  # type: ignore[arg-type]


def wat_als(
    model: Wachtrijmodel,
    scenario: Scenario,
    *,
    lijst_ids: Iterable[str] | None = None,
    weken: int = HORIZON_WEKEN,
    simulaties: int = SIMULATIES,
    seed: int = SEED,
    basis: Prognose | None = None,
) -> pl.DataFrame:
    """Baseline and scenario side by side per list and week (same seed: common random numbers).

    Computed for `lijst_ids` and their chain (`deelmodel`); default: the scenario's lists, or every list
    when the scenario applies to all. Columns: soort ('basis' | 'scenario') and those of `Prognose.frame`.
    `basis`: the baseline already simulated (`basisprognose` with the same lists, horizon, runs and
    seed), so a page that tries one scenario after another simulates only the scenario.
    """
    if lijst_ids is None and scenario.lijsten is not None:
        lijst_ids = scenario.lijsten
    deel = model if lijst_ids is None else deelmodel(model, lijst_ids)
    if scenario.lijsten is not None:
        scenario.geldt(model)  # unknown lists are an error, also when outside the part
        binnen = scenario.lijsten & set(deel.lijst_id)
        scenario = replace(scenario, lijsten=frozenset(binnen))
    if basis is None:
        b = simuleer(deel, BASIS, weken=weken, simulaties=simulaties, seed=seed)
    elif basis.lijst_id != deel.lijst_id or len(basis.weken) != weken:
        raise VooruitblikFout("De basisprognose hoort niet bij deze lijsten of deze horizon.")
    else:
        b = basis
    s = simuleer(deel, scenario, weken=weken, simulaties=simulaties, seed=seed)
    return pl.concat(
        [b.frame().with_columns(soort=pl.lit("basis")), s.frame().with_columns(soort=pl.lit("scenario"))]
    )


def basisprognose(
    model: Wachtrijmodel,
    lijst_ids: Iterable[str] | None = None,
    *,
    weken: int = HORIZON_WEKEN,
    simulaties: int = SIMULATIES,
    seed: int = SEED,
) -> Prognose:
    """The baseline `wat_als` simulates for `lijst_ids` (and their chain), to hand back to it as `basis`."""
    deel = model if lijst_ids is None else deelmodel(model, lijst_ids)
    return simuleer(deel, BASIS, weken=weken, simulaties=simulaties, seed=seed)


# --- age model: capacity aimed at the longest waiters -----------------------------------------------------


def leeftijden_histogram(wachttijden: pl.DataFrame, lijst_ids: Iterable[str], max_weken: int = 260) -> Array:
    """Ages (whole weeks waited) of those still waiting, per list: [lists, max_weken + 1], last bin open.

    `wachttijden`: `invoer.WACHTTIJDEN` (still waiting = `is_wachtend`, else not started).
    """
    ids = list(lijst_ids)
    pos = {lid: i for i, lid in enumerate(ids)}
    wachtend = pl.col("is_wachtend") if "is_wachtend" in wachttijden.columns else ~pl.col("is_gestart")
    df = wachttijden.select(
        pl.col("lijst_id").cast(pl.String),
        wk=(pl.col("wachtdagen").cast(pl.Float64, strict=False) // 7).clip(0, max_weken),
        w=wachtend.cast(pl.Boolean, strict=False).fill_null(False),
    ).filter(pl.col("w") & pl.col("wk").is_not_null() & pl.col("lijst_id").is_in(ids))
    uit = np.zeros((len(ids), max_weken + 1))
    if not df.is_empty():
        i = np.array([pos[x] for x in df["lijst_id"].to_list()], dtype=np.int64)
        np.add.at(uit, (i, df["wk"].to_numpy().astype(np.int64)), 1.0)
    return uit


def _oudste_eerst(bins: Array, aantal: Array) -> Array:
    """What taking `aantal` [lists] from the oldest bins removes per bin [lists, ages]."""
    vanaf_oud = np.cumsum(bins[:, ::-1], axis=1)[:, ::-1]  # persons in this bin and older
    ouder = vanaf_oud - bins
    return np.clip(aantal[:, None] - ouder, 0.0, bins)


_LEEFTIJD_KOLOMMEN = ("wachtrij", "gemiddelde_leeftijd_weken", "p90_leeftijd_weken", "boven_norm", "druk")


def leeftijdsprojectie(
    model: Wachtrijmodel,
    leeftijden: Array,
    scenario: Scenario = BASIS,
    *,
    norm_weken: Array | float,
    weken: int = HORIZON_WEKEN,
    fifo_aandeel: float = 0.5,
) -> pl.DataFrame:
    """Deterministic projection of the ages on each list (expected flows; module docstring).

    `leeftijden`: `leeftijden_histogram` for `model.lijst_id`. The queue is rescaled to the model's queue
    at the start. Columns: lijst_id, week, horizon_weken, wachtrij, gemiddelde_leeftijd_weken,
    p90_leeftijd_weken, boven_norm (expected children waiting longer than the norm), druk (2 x mean age /
    norm, norms-and-methods §3 formula 6). The scenario's norm_weken replaces `norm_weken` where it applies.
    """
    if not 0 <= fifo_aandeel <= 1:
        raise VooruitblikFout("Het aandeel op volgorde van wachttijd moet tussen 0 en 1 liggen.")
    n_l = len(model.lijst_id)
    if leeftijden.shape[0] != n_l:
        raise VooruitblikFout("De leeftijden horen bij andere lijsten dan het model.")
    sv = _scenario_vectoren(model, scenario)
    norm = np.broadcast_to(np.asarray(norm_weken, dtype=np.float64), (n_l,)).copy()
    if scenario.norm_weken is not None:
        norm = np.where(scenario.geldt(model), scenario.norm_weken, norm)
    data, wi = _toekomstige_weken(model, weken)
    bins = leeftijden.astype(np.float64).copy()
    tot = bins.sum(axis=1)
    # rescale the observed ages to the queue of the weekly history (both describe the same list)
    schaal = np.where(tot > 0, model.wachtrij / np.maximum(tot, 1e-12), 0.0)
    bins *= schaal[:, None]
    zonder = (tot == 0) & (model.wachtrij > 0)
    bins[zonder, 0] = model.wachtrij[zonder]
    lam = model.vraag * sv["vraag_factor"]
    cap = np.maximum(model.capaciteit * sv["cap_factor"] + sv["cap_extra"], 0.0)
    ouder = model.ouder
    leeft = np.arange(bins.shape[1], dtype=np.float64) + 0.5  # mid-bin ages
    kolommen: dict[str, list[Array]] = {k: [] for k in _LEEFTIJD_KOLOMMEN}
    vorige_starts = cap * model.seizoen_capaciteit[wi[0]]
    for t in range(weken):
        # everyone waits a week longer; the last bin is open
        bins = np.concatenate(
            (np.zeros((n_l, 1)), bins[:, :-2], bins[:, -2:].sum(axis=1, keepdims=True)), axis=1
        )
        a = lam * model.seizoen_vraag[wi[t]] + np.where(
            ouder >= 0, model.doorstroom * vorige_starts[ouder], 0.0
        )
        bins[:, 0] += a
        q = bins.sum(axis=1)
        gewoon_cap = np.where(
            model.vraaggestuurd,
            np.maximum(np.minimum(model.start_kans * sv["cap_factor"], 1.0) * q + sv["cap_extra"], 0.0),
            cap * model.seizoen_capaciteit[wi[t]],
        )
        gewoon = np.minimum(gewoon_cap + (sv["eenmalig"] if t < scenario.eenmalig_weken else 0), q)
        langst = np.minimum(
            sv["langst"] if t < scenario.langst_wachtenden_weken else np.zeros(n_l), q - gewoon
        )
        # the usual order: a share first come first served, the rest regardless of age; then the aimed extra
        fifo = _oudste_eerst(bins, gewoon * fifo_aandeel)
        bins = bins - fifo
        q1 = bins.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            rest = np.where(q1 > 0, 1 - gewoon * (1 - fifo_aandeel) / q1, 0.0)
        bins = bins * np.clip(rest, 0, 1)[:, None]
        bins = bins - _oudste_eerst(bins, langst)
        bins = bins * (1 - model.afval_kans)[:, None]  # reneges, regardless of age
        starts = gewoon + langst
        vorige_starts = starts
        q = bins.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            gem = np.where(q > 0, (bins * leeft).sum(axis=1) / q, np.nan)
            cum = np.cumsum(bins, axis=1) / q[:, None]
        p90 = np.where(q > 0, (cum < 0.9).sum(axis=1).astype(np.float64), np.nan)
        boven = (bins * (leeft[None, :] > norm[:, None])).sum(axis=1)
        for k, v in zip(_LEEFTIJD_KOLOMMEN, (q, gem, p90, boven, 2 * gem / norm), strict=True):
            kolommen[k].append(v)
    df = pl.DataFrame(
        {
            "lijst_id": pl.Series(list(model.lijst_id) * weken, dtype=pl.String),
            "week": np.repeat(np.array(data, dtype="datetime64[D]"), n_l),
            "horizon_weken": np.repeat(np.arange(1, weken + 1), n_l),
            **{k: np.concatenate(v) for k, v in kolommen.items()},
        },
        strict=False,
    )
    return (
        df.with_columns(pl.col("lijst_id").cast(pl.String), pl.col("week").cast(pl.Date))
        .with_columns(pl.col(pl.Float64).fill_nan(None))
        .sort("lijst_id", "week")
    )


# --- backtest -----------------------------------------------------------------------------------------


def _terug_weken(m: object) -> int:
    if not isinstance(m, int) or isinstance(m, bool) or m < 1:
        raise VooruitblikFout(f"Het aantal maanden terug moet een geheel getal >= 1 zijn (gekregen: {m!r}).")
    return round(m * 52 / 12)


def oorsprongmodellen(
    historie: pl.DataFrame,
    *,
    maanden: tuple[int, ...] = (6, 12),
    venster_weken: int = VENSTER_WEKEN,
    keten: pl.DataFrame | None = None,
) -> dict[int, Wachtrijmodel]:
    """Per origin (`maanden` before the last week): the model estimated from the history up to it only.

    The expensive, region-wide part of a backtest (the seasonality is pooled over all lists): estimate
    it once and score one list at a time with `backtest(..., modellen=..., lijst_ids=...)`.
    """
    h = weekhistorie_controleren(historie)
    if h.is_empty():
        raise VooruitblikFout("Geen weekgegevens voor de backtest.")
    laatste = h["week"].max()
    assert isinstance(laatste, dt.date)
    uit = {}
    for m in maanden:
        oorsprong = laatste - dt.timedelta(weeks=_terug_weken(m))
        uit[m] = schat_model(historie, tot_week=oorsprong, venster_weken=venster_weken, keten=keten)
    return uit


def backtest_banden(
    modellen: dict[int, Wachtrijmodel],
    *,
    lijst_ids: Iterable[str] | None = None,
    simulaties: int = SIMULATIES,
    seed: int = SEED,
) -> pl.DataFrame:
    """The bands each origin model forecast for the weeks after it up to the last week: lijst_id,
    maanden_terug, week, wachtrij_p10, wachtrij_p50, wachtrij_p90. `lijst_ids`: only those lists and their
    chain (`deelmodel`: the cost does not grow with the region); None: every list."""
    ids = None if lijst_ids is None else list(lijst_ids)
    delen = []
    for m, model in modellen.items():
        terug = _terug_weken(m)
        if ids is not None:
            bekend = [lid for lid in ids if lid in model.lijst_id]
            if not bekend:
                continue
            model = deelmodel(model, bekend)
        prog = simuleer(model, weken=terug, simulaties=simulaties, seed=seed).frame()
        delen.append(
            prog.select("lijst_id", "week", "wachtrij_p10", "wachtrij_p50", "wachtrij_p90").with_columns(
                maanden_terug=pl.lit(m, dtype=pl.Int64)
            )
        )
    if not delen:
        return pl.DataFrame(
            schema={
                "lijst_id": pl.String,
                "week": pl.Date,
                "wachtrij_p10": pl.Float64,
                "wachtrij_p50": pl.Float64,
                "wachtrij_p90": pl.Float64,
                "maanden_terug": pl.Int64,
            }
        )
    uit = pl.concat(delen)
    if ids is not None:
        uit = uit.filter(pl.col("lijst_id").is_in(ids))
    return uit.select("lijst_id", "maanden_terug", "week", "wachtrij_p10", "wachtrij_p50", "wachtrij_p90")


def backtest(
    historie: pl.DataFrame,
    *,
    maanden: tuple[int, ...] = (6, 12),
    venster_weken: int = VENSTER_WEKEN,
    keten: pl.DataFrame | None = None,
    simulaties: int = SIMULATIES,
    seed: int = SEED,
    lijst_ids: Iterable[str] | None = None,
    modellen: dict[int, Wachtrijmodel] | None = None,
    banden: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The forecast made `maanden` months before the last week, from the history before that point only,
    against what happened (weeks after the origin up to the last week).

    Per list and origin: lijst_id, maanden_terug, vanaf_week, n_weken, mae (|observed - median|, mean over
    the weeks), mae_naief (the no-change forecast: the queue stays at its origin value), dekking (share of
    weeks with the observed queue inside the 10-90 % band), gemiddelde_wachtrij (observed), is_slecht
    (dekking < SLECHT_DEKKING, or mae > mae_naief and > SLECHT_MAE_RELATIEF x the mean observed queue and
    >= SLECHT_MAE_MIN),
    is_slechter_dan_naief, status, melding. A list without history before the origin: status geen_historie.

    `lijst_ids`: score only those lists, simulated with their chain (`backtest_banden`); `modellen`: the
    origin models from `oorsprongmodellen` (else estimated here); `banden`: the bands from
    `backtest_banden` for the same models and lists (else simulated here), so a page can draw exactly
    the bands it scored.
    """
    h = weekhistorie_controleren(historie)
    if h.is_empty():
        raise VooruitblikFout("Geen weekgegevens voor de backtest.")
    for m in maanden:
        _terug_weken(m)
    if modellen is None:
        modellen = oorsprongmodellen(historie, maanden=maanden, venster_weken=venster_weken, keten=keten)
    modellen = {m: modellen[m] for m in maanden}
    ids = None if lijst_ids is None else list(lijst_ids)
    if banden is None:
        banden = backtest_banden(modellen, lijst_ids=ids, simulaties=simulaties, seed=seed)
    if ids is not None:
        h = h.filter(pl.col("lijst_id").is_in(ids))
    delen = []
    for m, model in modellen.items():
        oorsprong = model.laatste_week
        p = banden.filter(pl.col("maanden_terug") == m).drop("maanden_terug")
        start = pl.DataFrame(
            {"lijst_id": list(model.lijst_id), "q0": model.wachtrij, "st": list(model.status)}
        )
        vgl = (
            h.filter(pl.col("week") > oorsprong)
            .select("lijst_id", "week", "wachtend")
            .join(p, on=["lijst_id", "week"], how="inner")
            .join(start, on="lijst_id", how="inner")
        )
        per = vgl.group_by("lijst_id").agg(
            n_weken=pl.len().cast(pl.Int64),
            mae=(pl.col("wachtend") - pl.col("wachtrij_p50")).abs().mean(),
            mae_naief=(pl.col("wachtend") - pl.col("q0")).abs().mean(),
            dekking=pl.col("wachtend").is_between(pl.col("wachtrij_p10"), pl.col("wachtrij_p90")).mean(),
            gemiddelde_wachtrij=pl.col("wachtend").mean(),
            status=pl.col("st").first(),
        )
        alle = h.select("lijst_id").unique()
        per = alle.join(per, on="lijst_id", how="left").with_columns(
            maanden_terug=pl.lit(m, dtype=pl.Int64),
            vanaf_week=pl.lit(oorsprong, dtype=pl.Date),
            status=pl.col("status").fill_null("geen_historie"),
        )
        delen.append(per)
    uit = pl.concat(delen, how="diagonal_relaxed")
    ok = pl.col("status") == OK
    return (
        uit.with_columns(
            pl.when(ok).then(pl.col(k)).alias(k)
            for k in ("mae", "mae_naief", "dekking", "gemiddelde_wachtrij")
        )
        .with_columns(
            is_slecht=pl.when(ok).then(
                (pl.col("dekking") < SLECHT_DEKKING)
                | (
                    (pl.col("mae") > pl.col("mae_naief"))
                    & (pl.col("mae") > SLECHT_MAE_RELATIEF * pl.col("gemiddelde_wachtrij"))
                    & (pl.col("mae") >= SLECHT_MAE_MIN)
                )
            ),
            is_slechter_dan_naief=pl.when(ok).then(pl.col("mae") > pl.col("mae_naief")),
            melding=status_melding_expr(pl.col("status")),
        )
        .select(
            "lijst_id",
            "maanden_terug",
            "vanaf_week",
            "status",
            "melding",
            "n_weken",
            "mae",
            "mae_naief",
            "dekking",
            "gemiddelde_wachtrij",
            "is_slecht",
            "is_slechter_dan_naief",
        )
        .sort("maanden_terug", "lijst_id")
    )


__all__ = [
    "BASIS",
    "Prognose",
    "Scenario",
    "Wachtrijmodel",
    "backtest",
    "backtest_banden",
    "basisprognose",
    "capaciteitsfactor",
    "deelmodel",
    "leeftijden_histogram",
    "leeftijdsprojectie",
    "oorsprongmodellen",
    "schat_model",
    "seizoensfactoren",
    "simuleer",
    "wat_als",
]
