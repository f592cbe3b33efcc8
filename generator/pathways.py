"""Pathways through the chain: demand and routes of a new child, provider choice and capacity (queues), the
follow-up paths (stapeling, herinstroom, op-/afschaling, waiting at two providers), and their independent count.

Invariants protected here:
* a follow-up trajectory is always at another provider than the earlier one (so the model never merges them and
  no OP087 bundling is needed), and never for a child of 18 or within 30 days of the peildatum;
* on the aanbieder (VOT) route the provider that reports the intake as the start is never chosen;
* providers are queues: intakes per month and treatment places are derived from the expected demand; the
  overloaded providers get fewer than they need, so their waits grow;
* `paden()` counts the paths from the simulated truth (reported starts, true ends) with the model's definitions
  (docs/definitions.md#stromen), independently of the SQL that the tests compare it with.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from generator import region
from generator.calendar import WINDOW_START, add_months, month_end, month_start, workday_on_or_after
from generator.ijwxml import Persoon
from generator.people import new_persoon
from generator.state import (
    ROUTE_CRISIS,
    ROUTE_GEMEENTE,
    ROUTE_GI,
    ROUTE_VOT,
    ROUTE_WIJKTEAM,
    State,
    Traject,
    pick,
)
from pipelines.settings import config

BASE_ARRIVALS = 152.0  # children per month at scale 1 at the window start
TREND = 0.07  # demand growth per year
SEASON = {7: 0.62, 8: 0.72, 12: 0.88}

GEMEENTE_MIX = (
    ("45A01", 35),
    ("45A02", 15),
    ("41D01", 13),
    ("54B01", 15),
    ("52S01", 7),
    ("43V01", 7),
    ("51G01", 8),
)
VOT_MIX = (
    ("51G01", 30),
    ("54B01", 34),
    ("52S01", 16),
    ("45A01", 8),
    ("45A02", 6),
    ("41D01", 4),
    ("43V01", 2),
)
PROVIDER_WEIGHTS: dict[str, tuple[tuple[str, float], ...]] = {
    "45A01": (("98000033", 0.55), ("98000044", 0.45)),
    "45A02": (("98000033", 0.3), ("98000044", 0.3), ("98000066", 0.2), ("98000149", 0.2)),
    "41D01": (("98000033", 0.3), ("98000066", 0.3), ("98000116", 0.4)),
    "43V01": (("98000022", 0.3), ("98000088", 0.45), ("98000105", 0.25)),
    "43G01": (("98000138", 1.0),),
    "46K01": (("98000099", 1.0),),
    "51G01": (("98000055", 0.3), ("98000077", 0.35), ("98000127", 0.35)),
    "52S01": (("98000011", 1.0),),
    "54B01": (
        ("98000011", 0.35),
        ("98000022", 0.25),
        ("98000055", 0.1),
        ("98000077", 0.15),
        ("98000149", 0.15),
    ),
    "47J01": (("98000150", 1.0),),
    "48J01": (("98000150", 1.0),),
}
ROUTES = (
    (ROUTE_WIJKTEAM, 35.0),
    (ROUTE_GEMEENTE, 28.0),
    (ROUTE_VOT, 28.0),
    (ROUTE_CRISIS, 2.0),
    (ROUTE_GI, 4.5),
    ("gi_verwijst", 2.5),
)
# Follow-up paths (docs/sample-region.md#paden): a child's next trajectory, always at another provider (so it
# never merges with the earlier one, and no OP087 bundling is needed). Per category of the earlier
# trajectory: the products of a heavier next step (opschaling), a lighter one (afschaling), and of care added
# alongside (stapeling); herinstroom repeats the product. The zwaarte order is config `stromen.zwaarte`.
OPSCHALING = {
    "45": ("54B01", "41D01"),
    "51": ("54B01", "41D01"),
    "52": ("41D01", "43V01"),
    "54": ("41D01", "43V01"),
    "41": ("43V01",),
}
AFSCHALING = {
    "43": ("45A02", "41D01"),
    "41": ("45A01", "54B01"),
    "52": ("51G01", "45A01"),
    "54": ("51G01", "45A01"),
}
STAPELING = {"45": ("51G01",), "51": ("45A01",), "52": ("45A02",), "54": ("45A01", "45A02"), "41": ("51G01",)}
P_OPSCHALING = 0.05  # per ended trajectory
P_AFSCHALING = 0.04  # per ended trajectory (where a lighter step exists)
P_HERINSTROOM = 0.04  # per ended trajectory: the same care again after 4 to 11 months
P_STAPELING = 0.07  # per started trajectory of at least three months
P_DUBBEL_WACHTEN = 0.08  # per VOT referral with a second provider for the product
PADEN = ("stapeling", "herinstroom", "opschaling", "afschaling", "dubbel_wachten")


def _round(rng: random.Random, x: float) -> int:
    return int(x) + (1 if rng.random() < x - int(x) else 0)


def _gemeente(rng: random.Random) -> region.Gemeente:
    return region.GEMEENTE_BY_CODE[pick(rng, tuple((g.code, g.aandeel) for g in region.GEMEENTEN))]


def _wijkteam(rng: random.Random, gemeente: str) -> str:
    teams = region.WIJKTEAMS_PER_GEMEENTE[gemeente]
    return teams[0] if len(teams) == 1 else teams[rng.randrange(len(teams))]


class Pathways(State):
    """Arrivals, referrals, follow-ups and the monthly queues (`State.intake_q`, `behandel_q`, `in_zorg`)."""

    places: dict[str, float]  # treatment places per provider
    intakes: dict[str, float]  # intakes per month per provider
    invalid_bsn_children: list[str]

    def _init_pathways(self) -> None:
        self.intake_q = {a.agb: [] for a in region.AANBIEDERS}
        self.behandel_q = {a.agb: [] for a in region.AANBIEDERS}
        self.in_zorg = {a.agb: 0 for a in region.AANBIEDERS}
        self.places, self.intakes = self._capacity()
        self.invalid_bsn_children = []
        self.gestart = []
        self.wachten = []

    def _capacity(self) -> tuple[dict[str, float], dict[str, float]]:
        """Treatment places and intakes per month per provider from the expected demand at mid-window."""
        mid = BASE_ARRIVALS * self.scale * (1 + TREND) ** 2
        route_w = dict(ROUTES)
        tot = sum(route_w.values())
        demand: dict[str, float] = {}
        dur: dict[str, float] = {}

        def add(mix: tuple[tuple[str, int], ...], share: float, exclude: str = "") -> None:
            s = sum(w for _, w in mix)
            for code, w in mix:
                prov = [(a, pw) for a, pw in PROVIDER_WEIGHTS[code] if a != exclude]
                ps = sum(pw for _, pw in prov)
                for agb, pw in prov:
                    x = mid * share * w / s * pw / ps
                    demand[agb] = demand.get(agb, 0) + x
                    dur[agb] = dur.get(agb, 0) + x * region.PRODUCTEN[code].maanden

        add(GEMEENTE_MIX, route_w[ROUTE_GEMEENTE] / tot)
        add(VOT_MIX, route_w[ROUTE_VOT] / tot, exclude=region.AGB_INTAKE_ALS_START)
        add((("46K01", 1),), route_w[ROUTE_CRISIS] / tot)
        add((("47J01", 4), ("48J01", 6)), route_w[ROUTE_GI] / tot)
        add((("43V01", 1), ("45A02", 1)), route_w["gi_verwijst"] / tot)
        places: dict[str, float] = {}
        intakes: dict[str, float] = {}
        for a in region.AANBIEDERS:
            d = demand.get(a.agb, 0.1)
            mean_dur = dur.get(a.agb, 1.0) / d
            if a.overbelast:
                places[a.agb] = d * mean_dur * 0.86
                intakes[a.agb] = d * 0.93
            else:
                places[a.agb] = d * mean_dur * 1.4 + 2
                intakes[a.agb] = d * 1.35 + 1
        return places, intakes

    def _arrivals(self, m: date) -> None:
        years = (m - WINDOW_START).days / 365.25
        x = BASE_ARRIVALS * self.scale * (1 + TREND) ** years * SEASON.get(m.month, 1.0)
        n = int(x) + (1 if self.rng.random() < x - int(x) else 0)
        last = month_end(m)
        for _ in range(n):
            d = m + timedelta(days=self.rng.randint(0, (last - m).days))
            self._new_child(d)

    def _new_child(self, d: date) -> None:
        rng = self.rng
        g = _gemeente(rng)
        route = pick(rng, ROUTES)
        invalid = (
            self.progress > 0.2 and self._want("bsn_elfproef_fout_ijw", 0.002) and route != ROUTE_WIJKTEAM
        )
        kind = new_persoon(rng, self.bsns, g, d, invalid_bsn=invalid)
        if invalid:
            self.invalid_bsn_children.append(kind.bsn)
        wijkteam = _wijkteam(rng, g.code)
        if route == ROUTE_WIJKTEAM:
            start = d
            end = d + timedelta(days=rng.randint(45, 300))
            self._case(wijkteam, kind.bsn, start, end)
            return
        if route == ROUTE_GEMEENTE:
            code = pick(rng, GEMEENTE_MIX)
        elif route == ROUTE_VOT:
            code = pick(rng, VOT_MIX)
        elif route == ROUTE_CRISIS:
            code = "46K01"
        elif route == ROUTE_GI:
            code = "48J01" if rng.random() < 0.6 else "47J01"
        else:
            code = "43V01" if rng.random() < 0.5 else "45A02"
        exclude = region.AGB_INTAKE_ALS_START if route in (ROUTE_VOT, "gi_verwijst") else ""
        agb = pick(rng, tuple((a, w) for a, w in PROVIDER_WEIGHTS[code] if a != exclude))
        t = self._traject(kind, g, route, code, agb, d, wijkteam)
        if route == ROUTE_VOT and rng.random() < P_DUBBEL_WACHTEN:
            # the parents sign the child up at a second provider as well; the first to start wins
            others = tuple((a, w) for a, w in PROVIDER_WEIGHTS[code] if a not in (exclude, agb))
            if others:
                t2 = self._traject(kind, g, route, code, pick(rng, others), d, wijkteam)
                t2.verwijzer = t.verwijzer
                t2.pad = "dubbel_wachten"
                t.partner, t2.partner = t2.id, t.id

    def _traject(
        self, kind: Persoon, g: region.Gemeente, route: str, code: str, agb: str, d: date, wijkteam: str
    ) -> Traject:
        """A new trajectory of `kind`, referred on `d`, with its first event scheduled per route."""
        rng = self.rng
        prov = region.AANBIEDER_BY_AGB[agb]
        loc = g.naam if g.naam in prov.locaties else prov.locaties[(int(kind.bsn[-3:]) % len(prov.locaties))]
        t = Traject(self.next_id, kind, g.code, route, agb, region.PRODUCTEN[code], loc, d, wijkteam=wijkteam)
        self.next_id += 1
        self.trajecten[t.id] = t
        p = t.product
        t.duur = max(14, int(p.maanden * 30.4 * rng.lognormvariate(0.0, 0.6)))
        if route == ROUTE_VOT:
            t.verwijzer = pick(rng, (("02", 70), ("03", 12), ("05", 12), ("06", 6)))
            self._schedule(d + timedelta(days=rng.randint(0, 10)), t.id, "aanmelding")
        elif route == "gi_verwijst":
            t.verwijzer = "04"
            t.route = ROUTE_VOT
            self._schedule(d + timedelta(days=rng.randint(0, 10)), t.id, "aanmelding")
        elif route == ROUTE_GI:
            t.verwijzer = "08"
            self._schedule(d + timedelta(days=rng.randint(3, 12)), t.id, "vot")
        else:
            # wijkteam refers fast: the gemeente allocates within one to three weeks
            start = d - timedelta(days=rng.randint(14, 60))
            t.verwijzer = "01"
            self._case(wijkteam, kind.bsn, start, None, t)
            lag = rng.randint(0, 2) if route == ROUTE_CRISIS else rng.randint(7, 21)
            self._schedule(d + timedelta(days=lag), t.id, "toewijzing")
        if p.categorie in ("52", "54") and rng.random() < 0.14:
            t.complex_fact = True
        return t

    def _vervolg(self, t: Traject, d: date, code: str, pad: str) -> None:
        """A next trajectory of the child of `t` (same BSN and gemeente) for `code`, referred on `d`, at a
        provider other than t's; nothing when the child is 18 by then or no other provider offers it."""
        if d > self.peildatum - timedelta(days=30):
            return
        born = date.fromisoformat(t.kind.geboortedatum)
        if d >= date(born.year + 18, born.month, 1):
            return
        vot = code[:2] in ("51", "52", "54")
        exclude = (t.agb, region.AGB_INTAKE_ALS_START) if vot else (t.agb,)
        options = tuple((a, w) for a, w in PROVIDER_WEIGHTS[code] if a not in exclude)
        if not options:
            return
        g = region.GEMEENTE_BY_CODE[t.gemeente]
        route = ROUTE_VOT if vot else ROUTE_GEMEENTE
        agb = pick(self.rng, options)
        # the referral is registered now; its first event waits on the heap until `d`
        nt = self._traject(t.kind, g, route, code, agb, d, t.wijkteam)
        nt.pad = pad

    def _plan_vervolg(self, t: Traject, d: date, einde: date) -> None:
        """Plan a follow-up at the start of `t` (care from `d`, planned end `einde`): care added alongside
        (stapeling), or a heavier or lighter next step referred some weeks before the planned end."""
        rng = self.rng
        cat = t.product.categorie
        x = rng.random()
        if x < P_STAPELING and cat in STAPELING and t.duur > 90:
            when = d + timedelta(days=rng.randint(14, min(90, t.duur - 30)))
            self._vervolg(t, when, rng.choice(STAPELING[cat]), "stapeling")
        elif x < P_STAPELING + P_OPSCHALING and cat in OPSCHALING:
            when = max(d + timedelta(days=14), einde - timedelta(days=rng.randint(20, 60)))
            self._vervolg(t, when, rng.choice(OPSCHALING[cat]), "opschaling")
        elif x < P_STAPELING + P_OPSCHALING + P_AFSCHALING and cat in AFSCHALING:
            when = max(d + timedelta(days=14), einde - timedelta(days=rng.randint(20, 60)))
            self._vervolg(t, when, rng.choice(AFSCHALING[cat]), "afschaling")

    def _elders_gestart(self, t: Traject, d: date) -> None:
        """The child started at the other provider: `t` leaves the list on `d`; a toewijzing the gemeente
        already issued for it is ended on that day (RedenWijziging 09, overstap naar andere aanbieder), or on
        its ingangsdatum if that is later."""
        tw = t.toewijzing
        if tw is not None and t.start is None and tw.einde > d:
            self._versie(tw, d, "09")
            tw.einde = max(d, tw.ingang)
            self._send301(t, tw.datum, [self._regel301(tw, referentie=False)])
        self._uitschrijven(t, d, "elders_geholpen")

    def _queues(self, m: date) -> None:
        rng = self.rng
        last = month_end(m)
        season = 0.8 if m.month in (7, 8) else 1.0
        for a in region.AANBIEDERS:
            q = self.intake_q[a.agb]
            cap = _round(rng, self.intakes[a.agb] * season)
            keep = []
            for tid in q:
                t = self.trajecten.get(tid)
                if t is None or t.gestopt or t.in_wachtrij != "intake":
                    continue
                assert t.aanmelding is not None
                if rng.random() < 0.012:
                    self._uitschrijven(
                        t,
                        m + timedelta(days=rng.randint(0, 27)),
                        rng.choice(("elders_geholpen", "zonder_hulp_gestopt", "verhuisd")),
                    )
                    continue
                lo = max(m, t.aanmelding + timedelta(days=5))
                if cap > 0 and lo <= last:
                    cap -= 1
                    t.in_wachtrij = "-"
                    self._schedule(
                        workday_on_or_after(lo + timedelta(days=rng.randint(0, (last - lo).days))),
                        t.id,
                        "intake",
                    )
                else:
                    keep.append(tid)
            self.intake_q[a.agb] = keep
            q = self.behandel_q[a.agb]
            free = _round(rng, self.places[a.agb]) - self.in_zorg[a.agb]
            keep = []
            for tid in q:
                t = self.trajecten.get(tid)
                if t is None or t.gestopt or t.in_wachtrij != "behandel":
                    continue
                assert t.klaar is not None
                if rng.random() < 0.01:
                    self._uitschrijven(
                        t,
                        m + timedelta(days=rng.randint(0, 27)),
                        rng.choice(("elders_geholpen", "zonder_hulp_gestopt", "verhuisd")),
                    )
                    continue
                lo = max(m, t.klaar + timedelta(days=7))
                if free > 0 and lo <= last:
                    free -= 1
                    t.in_wachtrij = "-"
                    t.plek = True
                    self.in_zorg[a.agb] += 1
                    self._schedule(
                        workday_on_or_after(lo + timedelta(days=rng.randint(0, (last - lo).days))),
                        t.id,
                        "start",
                    )
                else:
                    keep.append(tid)
            self.behandel_q[a.agb] = keep

    def paden(self) -> dict[str, int]:
        """Counts of the follow-up paths in the true (simulated) care, by the definitions of
        docs/definitions.md#stromen, for trajectories started inside the data window: stapeling and
        dubbel_wachten in children, herinstroom / opschaling / afschaling in trajectories (events).
        An independent count: the tests compare it with the model's counts on the built sample region."""
        zwaarte = config()["stromen"]["zwaarte"]
        niveau = {c: i for i, cats in enumerate(zwaarte) for c in cats}
        op_dagen = int(config()["stromen"]["opschaling_dagen"])
        her_dagen = int(config()["stromen"]["herinstroom_dagen"])
        peilmaand = month_start(self.peildatum)
        per_kind: dict[str, list[tuple[str, date, date | None]]] = {}
        for bsn, cat, start, einde in self.gestart:
            if WINDOW_START <= start <= self.peildatum:
                eind = einde if einde is not None and einde <= self.peildatum else None
                per_kind.setdefault(bsn, []).append((cat, start, eind))
        n = {k: 0 for k in PADEN}
        for rows in per_kind.values():
            if len(rows) < 2:
                continue
            last = [add_months(month_start(e), -1) if e else peilmaand for _, _, e in rows]
            if any(
                max(month_start(rows[i][1]), month_start(rows[j][1])) <= min(last[i], last[j])
                for i in range(len(rows))
                for j in range(i + 1, len(rows))
            ):
                n["stapeling"] += 1
            for b, (cat_b, s_b, _) in enumerate(rows):
                others = [r for i, r in enumerate(rows) if i != b]
                if any(
                    e is not None and e < s_b and (s_b - e).days <= her_dagen for _, _, e in others
                ) and not any(s <= s_b and (e is None or e >= s_b) for _, s, e in others):
                    n["herinstroom"] += 1
                vorige = [
                    (s, c)
                    for c, s, e in others
                    if c in niveau and s < s_b and s_b <= (e or s_b) + timedelta(days=op_dagen)
                ]
                if cat_b in niveau and vorige:
                    v = niveau[max(vorige)[1]]
                    if niveau[cat_b] > v:
                        n["opschaling"] += 1
                    elif niveau[cat_b] < v:
                        n["afschaling"] += 1
        wachten: dict[str, list[tuple[str, date, date | None]]] = {}
        for bsn, agb, begin, einde in self.wachten:
            wachten.setdefault(bsn, []).append((agb, begin, einde))
        eindes = [min(month_end(m), self.peildatum) for m in self.months if m >= WINDOW_START]
        for rows in wachten.values():
            if len({agb for agb, _, _ in rows}) < 2:
                continue
            if any(
                len({agb for agb, b, e in rows if b <= me and (e is None or e > me)}) >= 2 for me in eindes
            ):
                n["dubbel_wachten"] += 1
        n["kinderen_met_traject"] = len(per_kind)
        return n
