"""Month-stepped simulation of the Zuidoost-Duinland youth-care chain, streaming iJw traffic to disk.

Invariants protected here:
* determinism: one `random.Random(seed)` drives everything; events are ordered by (date, sequence number);
  no hash(), no set iteration, no wall clock;
* bounded memory: only active trajectories, the event heap and the message buffer of the current and next
  months are held; each month's zip batches are written before the simulation moves on;
* consistency across sources: the same child has the same BSN in iJw, provider records and caseload; on the
  aanbieder (VOT) route the JW315 is sent about 5 working days after the intake; JW305 Begindatum is the
  treatment start (except at the one provider that reports the intake date, a documented fault);
* no event after the peildatum: messages dated after it are never written;
* every fault kind is counted in `Sim.faults` at the moment it is written, and each kind occurs at least once
  at any scale (`_want`).
"""

from __future__ import annotations

import csv
import heapq
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from generator import region
from generator.ijwxml import CSV_COLUMNS, Bericht, Persoon, Regel, csv_rows, render
from generator.output import CsvZipStream, write_zip
from generator.people import BsnFactory, new_persoon
from generator.tables import ProviderFiles
from pipelines.codes import bsn_elfproef
from pipelines.settings import config

WARMUP_START = date(2021, 10, 1)
WINDOW_START = date(2022, 10, 1)
DEFAULT_PEILDATUM = date(2026, 9, 30)
BASE_ARRIVALS = 152.0  # children per month at scale 1 at the window start
TREND = 0.07  # demand growth per year
SEASON = {7: 0.62, 8: 0.72, 12: 0.88}
GAP_MONTHS = ((2025, 3), (2025, 4))  # AGB_GAT sends nothing in these months


def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def month_end(d: date) -> date:
    return add_months(d, 1) - timedelta(days=1)


def add_workdays(d: date, n: int) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def workday_on_or_after(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def mkey(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


ROUTE_GEMEENTE = "gemeente"
ROUTE_VOT = "vot"
ROUTE_GI = "gi"
ROUTE_CRISIS = "crisis"
ROUTE_WIJKTEAM = "wijkteam"

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
HUISARTSEN = (
    "Huisartsenpraktijk De Duinen",
    "Huisartsenpraktijk Zandhoven",
    "Gezondheidscentrum Helmbeek",
    "Huisarts Oostmeer",
    "Huisartsenpraktijk Kwelder",
    "Huisarts Brakelo",
)

FAULT_KINDS = (
    "terugwerkende_toewijzing",
    "ontbrekende_stop",
    "start_is_intake",
    "afgekeurd_en_opnieuw_verzonden",
    "correctie_status_3",
    "verwijderde_toewijzing",
    "tijdelijke_stop_herstart",
    "verlenging_nieuw_nummer",
    "ontbrekende_maanden",
    "vertraagd_aangeleverd",
    "late_berichten",
    "dubbel_bestand",
    "afgekapt_bestand",
    "verkeerde_codering",
    "bsn_elfproef_fout_ijw",
)


def _pick(rng: random.Random, items: tuple[tuple[str, float], ...]) -> str:
    total = sum(w for _, w in items)
    x = rng.random() * total
    for k, w in items:
        x -= w
        if x < 0:
            return k
    return items[-1][0]


@dataclass
class Toewijzing:
    gemeente: str
    nummer: int
    product: region.Product
    ingang: date
    einde: date
    datum: date
    tijd: str
    referentie: str = ""
    reden: str = ""


@dataclass
class Traject:
    id: int
    kind: Persoon
    gemeente: str
    route: str
    agb: str
    product: region.Product
    locatie: str
    verwijzing: date
    verwijzer: str = ""
    wijkteam: str = ""
    aanmelding: date | None = None
    intake: date | None = None
    start: date | None = None  # true treatment start
    einde: date | None = None  # true end
    uitschrijving: date | None = None
    reden_uit: str = ""
    toewijzing: Toewijzing | None = None
    oude_toewijzingen: list[Toewijzing] = field(default_factory=list)
    gemeld_begin: date | None = None  # JW305 Begindatum currently open
    zorgperioden: list[list[date | None]] = field(default_factory=list)
    duur: int = 0
    in_wachtrij: str = ""  # "", "intake", "behandel"
    klaar: date | None = None  # ready for treatment
    vot_ref: str = ""
    vot_ingang: date | None = None
    complex_fact: bool = False
    geen_stop: bool = False
    gestopt: bool = False
    gedeclareerd_tot: date | None = None
    plek: bool = False
    einde_gen: int = 0
    pad: str = ""  # follow-up path that created this trajectory ("" for a first referral)
    partner: int = -1  # dubbel_wachten: the trajectory at the other provider
    rij: list | None = None  # this trajectory's row in Sim.gestart (true start and end)


class Sim:
    def __init__(self, out: Path, scale: float, seed: int, peildatum: date = DEFAULT_PEILDATUM) -> None:
        self.out = out
        self.scale = scale
        self.rng = random.Random(seed)
        self.peildatum = peildatum
        self.bsns = BsnFactory(random.Random(seed + 1))
        self.heap: list[tuple[int, int, int, str, object]] = []
        self.seq = 0
        self.trajecten: dict[int, Traject] = {}
        self.next_id = 0
        self.ident: dict[tuple[str, str], int] = {}
        self.toewijzingnr: dict[str, int] = {g.code: 100000 for g in region.GEMEENTEN}
        self.refnr: dict[str, int] = {}
        self.buffer: dict[str, list[Bericht]] = {}
        self.carry: dict[str, list[tuple[str, bytes]]] = {}  # sender -> members held back (gap, duplicates)
        self.faults: dict[str, int] = {k: 0 for k in FAULT_KINDS}
        self.berichten: dict[str, int] = {}
        self.regels: dict[str, int] = {}
        self.csv = CsvZipStream(out / "ijw-csv" / "ijw_export.zip", "ijw_export.csv", CSV_COLUMNS)
        self.los: list[tuple[str, bytes]] = []
        self.months = []
        m = WARMUP_START
        while m <= peildatum:
            self.months.append(m)
            m = add_months(m, 1)
        self.progress = 0.0
        self.now = WARMUP_START
        # queues and capacity
        self.intake_q: dict[str, list[int]] = {a.agb: [] for a in region.AANBIEDERS}
        self.behandel_q: dict[str, list[int]] = {a.agb: [] for a in region.AANBIEDERS}
        self.in_zorg: dict[str, int] = {a.agb: 0 for a in region.AANBIEDERS}
        self.places, self.intakes = self._capacity()
        self.declarabel: dict[int, Traject] = {}
        # outputs for the tabular writers (collected small or streamed by the caller)
        window = [m for m in self.months if m >= WINDOW_START]
        self.provider_files = ProviderFiles(out, random.Random(seed + 2), window)
        self.rng_case = random.Random(seed + 3)
        cpath = out / "teams" / "caseload.csv"
        cpath.parent.mkdir(parents=True, exist_ok=True)
        self.case_fh = cpath.open("w", encoding="utf-8", newline="")
        self.case_w = csv.writer(self.case_fh, delimiter=";", lineterminator="\n")
        self.case_w.writerow(["team_code", "bsn", "startdatum", "einddatum", "complexiteitsgewicht"])
        self.case_counts = {"onbekend_team": 0, "caseload_rijen": 0}
        self.team_maand: dict[tuple[str, str], float] = {}
        self.gap_keys = {f"{y:04d}-{m:02d}" for y, m in GAP_MONTHS}
        self.invalid_bsn_children: list[str] = []
        self.seen_invalid: set[str] = set()
        self.seen_retro: set[tuple[str, int | None]] = set()
        self.seen_del: set[tuple[str, int | None]] = set()
        self.seen_intake: set[tuple[str, str]] = set()
        self.seen_ext: set[tuple[str, int | None]] = set()
        self.late_candidates = 0
        # ground truth for the path counts: per started trajectory [bsn, categorie, start, true end]; per
        # provider waiting record (bsn, agb, clock start, clock stop)
        self.gestart: list[list] = []
        self.wachten: list[tuple[str, str, date, date | None]] = []

    # ----------------------------------------------------------------- helpers
    def _want(self, kind: str, rate: float) -> bool:
        """Fault decision: rate-based, but forced once when none occurred yet past 30 % of the run."""
        if self.rng.random() < rate:
            return True
        return self.faults.get(kind, 0) == 0 and self.progress > 0.3 and self.rng.random() < 0.25

    def _reject_ok(self) -> bool:
        """Rejections only inside the export window: the rejected message (dated on or after `now`) is in it,
        and its resend still falls before the peildatum."""
        return WINDOW_START <= self.now < self.peildatum - timedelta(days=40)

    def _schedule(self, d: date, tid: int, ev: str, data: object = None) -> None:
        d = max(d, self.now)  # never in the past: that month's batches are already written
        self.seq += 1
        heapq.heappush(self.heap, (d.toordinal(), self.seq, tid, ev, data))

    def _ident(self, sender: str, msg_type: str) -> str:
        key = (sender, msg_type)
        n = self.ident.get(key, 0) + 1
        self.ident[key] = n
        return f"{msg_type[2:]}{n:09d}"

    def _send(self, b: Bericht) -> None:
        d = date.fromisoformat(b.dagtekening_retour or b.dagtekening)
        if d > self.peildatum:
            return
        if mkey(d) < mkey(self.now):
            raise AssertionError(f"{b.type} dated {d} after its month was written (now {self.now})")
        self.buffer.setdefault(mkey(d), []).append(b)

    def _heen(self, msg_type: str, afzender: str, ontvanger: str, dag: date, **kw: object) -> Bericht:
        return Bericht(
            type=msg_type,
            afzender=afzender,
            ontvanger=ontvanger,
            identificatie=self._ident(afzender, msg_type),
            dagtekening=dag.isoformat(),
            **kw,
        )

    def _retour(self, heen: Bericht, dag: date, code: str = "0200", regelcode: str = "") -> Bericht:
        rtype = {
            "JW301": "JW302",
            "JW305": "JW306",
            "JW307": "JW308",
            "JW315": "JW316",
            "JW319": "JW320",
            "JW323": "JW325",
        }[heen.type]
        sender = heen.ontvanger
        r = Bericht(
            type=rtype,
            afzender=heen.afzender,
            ontvanger=heen.ontvanger,
            identificatie=heen.identificatie,
            dagtekening=heen.dagtekening,
            heen=heen,
            identificatie_retour=self._ident(sender, rtype),
            dagtekening_retour=dag.isoformat(),
            retourcode=code,
            regelcode=regelcode,
        )
        return r

    def _send_with_retour(self, b: Bericht, reject: str = "") -> Bericht | None:
        """Send `b` and its retour; with `reject` ('0001' or a line code) the retour rejects it."""
        self._send(b)
        dag = add_workdays(date.fromisoformat(b.dagtekening), self.rng.randint(1, 3))
        if reject:
            b.fout = b.fout or "afgekeurd"  # never pick it for a broken file: its resend must be findable
        if reject == "0001":
            r = self._retour(b, dag, code="0001")
        elif reject:
            r = self._retour(b, dag, code="0200", regelcode="0200")
            for regel in b.regels:
                regel.retourcode = reject
        else:
            r = self._retour(b, dag)
        self._send(r)
        return r

    # ----------------------------------------------------------------- capacity
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

    # ----------------------------------------------------------------- arrivals
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
        route = _pick(rng, ROUTES)
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
            code = _pick(rng, GEMEENTE_MIX)
        elif route == ROUTE_VOT:
            code = _pick(rng, VOT_MIX)
        elif route == ROUTE_CRISIS:
            code = "46K01"
        elif route == ROUTE_GI:
            code = "48J01" if rng.random() < 0.6 else "47J01"
        else:
            code = "43V01" if rng.random() < 0.5 else "45A02"
        exclude = region.AGB_INTAKE_ALS_START if route in (ROUTE_VOT, "gi_verwijst") else ""
        agb = _pick(rng, tuple((a, w) for a, w in PROVIDER_WEIGHTS[code] if a != exclude))
        t = self._traject(kind, g, route, code, agb, d, wijkteam)
        if route == ROUTE_VOT and rng.random() < P_DUBBEL_WACHTEN:
            # the parents sign the child up at a second provider as well; the first to start wins
            others = tuple((a, w) for a, w in PROVIDER_WEIGHTS[code] if a not in (exclude, agb))
            if others:
                t2 = self._traject(kind, g, route, code, _pick(rng, others), d, wijkteam)
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
            t.verwijzer = _pick(rng, (("02", 70), ("03", 12), ("05", 12), ("06", 6)))
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
        agb = _pick(self.rng, options)
        # the referral is registered now; its first event waits on the heap until `d`
        nt = self._traject(t.kind, g, route, code, agb, d, t.wijkteam)
        nt.pad = pad

    # ----------------------------------------------------------------- caseload
    def _case(
        self,
        team: str,
        bsn: str,
        start: date,
        end: date | None,
        t: Traject | None = None,
        weight: float | None = None,
    ) -> None:
        if weight is None:
            weight = self.rng.choice((1.0, 1.0, 1.0, 1.0, 1.5, 1.5, 0.5))
        if end is None:
            assert t is not None
            t_case = (team, bsn, start, weight)
            t.__dict__.setdefault("cases", []).append(t_case)
            return
        self._close_case(team, bsn, start, end, weight)

    def _close_case(self, team: str, bsn: str, start: date, end: date | None, weight: float) -> None:
        if end is not None and end > self.peildatum:
            end = None
        if end is not None and end < WINDOW_START:
            return
        code = team
        if self.rng_case.random() < 0.0008 or (
            self.case_counts["onbekend_team"] == 0 and self.progress > 0.5
        ):
            code = "WT-ONBEKEND"  # a team code that is not in teams.csv
            self.case_counts["onbekend_team"] += 1
        self.case_w.writerow([code, bsn, start.isoformat(), end.isoformat() if end else "", weight])
        self.case_counts["caseload_rijen"] += 1
        if code != team:
            return
        m = month_start(max(start, WINDOW_START))
        last = end or self.peildatum
        while m <= last:
            key = (team, mkey(m))
            self.team_maand[key] = self.team_maand.get(key, 0.0) + weight
            m = add_months(m, 1)

    def _close_cases(self, t: Traject, end: date) -> None:
        for team, bsn, start, weight in t.__dict__.pop("cases", []):
            self._close_case(team, bsn, start, max(end, start), weight)

    # ----------------------------------------------------------------- events
    def _new_nummer(self, gemeente: str) -> int:
        self.toewijzingnr[gemeente] += 1
        return self.toewijzingnr[gemeente]

    def _versie(self, tw: Toewijzing, d: date, reden: str) -> None:
        """A new version of an allocation: (Toewijzingsdatum, Toewijzingstijd) strictly after the last one."""
        tijd = self._tijd()
        if d <= tw.datum:
            d = tw.datum
            h, m, sec = (int(x) for x in tw.tijd.split(":"))
            total = min(h * 3600 + m * 60 + sec + self.rng.randint(60, 1800), 23 * 3600 + 59 * 60 + 59)
            tijd = f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
        tw.datum, tw.tijd, tw.reden = d, tijd, reden

    def _tijd(self) -> str:
        return f"{self.rng.randint(8, 17):02d}:{self.rng.randint(0, 59):02d}:{self.rng.randint(0, 59):02d}"

    def _regel301(self, tw: Toewijzing, referentie: bool = True) -> Regel:
        p = tw.product
        return Regel(
            toewijzingnummer=tw.nummer,
            referentie=tw.referentie if referentie else "",
            categorie=p.categorie,
            code=p.code,
            toewijzingsdatum=tw.datum.isoformat(),
            toewijzingstijd=tw.tijd,
            ingangsdatum=tw.ingang.isoformat(),
            einddatum=tw.einde.isoformat(),
            reden_wijziging=tw.reden,
            volume=p.volume,
            eenheid=p.eenheid,
            frequentie=p.frequentie,
        )

    def _send301(self, t: Traject, dag: date, regels: list[Regel], fout: str = "") -> None:
        b = self._heen("JW301", t.gemeente, t.agb, dag, persoon=t.kind, regels=regels)
        b.fout = fout
        reject = ""
        if self.progress > 0.05 and self._reject_ok() and self._want("afgekeurd_en_opnieuw_verzonden", 0.004):
            reject = "0001"
        self._send_with_retour(b, reject)
        if reject:
            self._resend(b)

    def _resend(self, b: Bericht) -> None:
        """A rejected message is sent again a few days later under a new Identificatie."""
        dag = add_workdays(date.fromisoformat(b.dagtekening), self.rng.randint(4, 8))
        nb = Bericht(
            **{**b.__dict__, "identificatie": self._ident(b.afzender, b.type), "dagtekening": dag.isoformat()}
        )
        nb.regels = [Regel(**{**r.__dict__, "retourcode": ""}) for r in b.regels]
        self._send_with_retour(nb)

    def _allocate(self, t: Traject, dag: date, ingang: date, referentie: str = "") -> Toewijzing:
        p = t.product
        einde = add_months(ingang, p.toewijzing_maanden) + timedelta(days=ingang.day - 2)
        if einde <= ingang:
            einde = ingang + timedelta(days=27)
        tw = Toewijzing(
            t.gemeente, self._new_nummer(t.gemeente), p, ingang, einde, dag, self._tijd(), referentie
        )
        t.toewijzing = tw
        return tw

    def _current_others(self, t: Traject, dag: date) -> list[Regel]:
        """OP087: earlier allocations of this client at this provider still valid on `dag`."""
        return [self._regel301(o, referentie=False) for o in t.oude_toewijzingen if o.einde >= dag]

    def handle(self, t: Traject, ev: str, d: date, data: object) -> None:
        rng = self.rng
        if t.gestopt and ev not in ("uitschrijving",):
            return
        if ev == "toewijzing":
            dag = d
            ingang = d
            if t.route == ROUTE_GEMEENTE and self._want("terugwerkende_toewijzing", 0.03):
                dag = d + timedelta(days=rng.randint(20, 45))
            if (
                t.route == ROUTE_GEMEENTE
                and self.progress > 0.2
                and self._want("verwijderde_toewijzing", 0.01)
            ):
                # allocated the wrong product first, deleted a few days later (RedenWijziging 13)
                wrong = next(
                    c for c in (*region.AANBIEDER_BY_AGB[t.agb].producten, "45A01") if c != t.product.code
                )
                fout = Toewijzing(
                    t.gemeente,
                    self._new_nummer(t.gemeente),
                    region.PRODUCTEN[wrong],
                    ingang,
                    add_months(ingang, 6),
                    dag,
                    self._tijd(),
                )
                self._send301(t, dag, [self._regel301(fout)])
                dag2 = add_workdays(dag, rng.randint(2, 5))
                self._versie(fout, dag2, "13")
                fout.einde = fout.ingang
                self._send301(t, dag2, [self._regel301(fout)])
                dag = dag2
            tw = self._allocate(t, dag, ingang)
            self._send301(t, dag, [self._regel301(tw)])
            if t.route == ROUTE_CRISIS:
                t.aanmelding = t.intake = d
                self._start(t, d)
            else:
                self._schedule(dag + timedelta(days=rng.randint(1, 7)), t.id, "aanmelding")
        elif ev == "aanmelding":
            t.aanmelding = d
            t.in_wachtrij = "intake"
            self.intake_q[t.agb].append(t.id)
        elif ev == "intake":
            t.intake = d
            if t.route == ROUTE_VOT:
                self._schedule(add_workdays(d, rng.choice((4, 5, 5, 5, 6, 7))), t.id, "vot")
            else:
                if t.agb == region.AGB_INTAKE_ALS_START and t.toewijzing is not None:
                    self._send305(t, d, intake_als_start=True)
                    self._gemeld_gestart(t, d)
                t.klaar = d
                t.in_wachtrij = "behandel"
                self.behandel_q[t.agb].append(t.id)
        elif ev == "vot":
            self._vot(t, d)
        elif ev == "besluit":
            kind = data
            if kind == "toewijzing":
                ingang = t.vot_ingang or d
                tw = self._allocate(t, d, ingang, t.vot_ref)
                self._send301(t, d, [self._regel301(tw)])
                if t.route == ROUTE_GI:
                    t.aanmelding = t.intake = t.verwijzing
                    self._start(t, d + timedelta(days=rng.randint(0, 6)))
                else:
                    t.klaar = d
                    t.in_wachtrij = "behandel"
                    self.behandel_q[t.agb].append(t.id)
            elif kind == "onderzoek":
                b = self._heen(
                    "JW319", t.gemeente, t.agb, d, regels=[Regel(referentie=t.vot_ref)], verzoek_antwoord="2"
                )
                self._send_with_retour(b)
                self._schedule(d + timedelta(days=rng.randint(15, 45)), t.id, "besluit", "toewijzing")
            else:
                b = self._heen(
                    "JW319",
                    t.gemeente,
                    t.agb,
                    d,
                    regels=[Regel(referentie=t.vot_ref)],
                    verzoek_antwoord="1",
                    reden_afwijzing=rng.choice(("3", "4", "7", "2")),
                )
                self._send_with_retour(b)
                self._uitschrijven(t, d + timedelta(days=rng.randint(3, 15)), "overig")
        elif ev == "start":
            self._start(t, d)
        elif ev == "einde":
            if data == t.einde_gen:
                self._einde(t, d)
        elif ev == "verlenging":
            self._verlenging(t, d, data)
        elif ev == "pauze":
            self._pauze(t, d)
        elif ev == "herstart":
            self._herstart(t, d)
        elif ev == "vow":
            self._vow(t, d)
        elif ev == "vow_besluit":
            self._vow_besluit(t, d, data)

    def _vot(self, t: Traject, d: date) -> None:
        rng = self.rng
        n = self.refnr.get(t.agb, 0) + 1
        self.refnr[t.agb] = n
        t.vot_ref = f"VOT{t.agb[-4:]}-{n:07d}"
        t.vot_ingang = d + timedelta(days=7)
        p = t.product
        naam, agb = "", ""
        if t.verwijzer in ("02", "03", "05"):
            naam = rng.choice(HUISARTSEN) if t.verwijzer == "02" else "Jeugdarts GGD Zuidoost"
            if t.verwijzer == "05":
                naam = "Kinderarts Ziekenhuis Duinland"
            agb = f"0199{rng.randint(1000, 9999)}"
        elif t.verwijzer == "04":
            naam = "Jeugdbescherming Duinland"
        regel = Regel(
            referentie=t.vot_ref,
            categorie=p.categorie,
            code=p.code,
            ingangsdatum=t.vot_ingang.isoformat(),
            einddatum=(add_months(t.vot_ingang, p.toewijzing_maanden) - timedelta(days=1)).isoformat(),
            volume=p.volume,
            eenheid=p.eenheid,
            frequentie=p.frequentie,
            verwijzer_type=t.verwijzer,
            verwijzer_naam=naam,
            verwijzer_agb=agb,
        )
        b = self._heen("JW315", t.agb, t.gemeente, d, persoon=t.kind, regels=[regel])
        reject = (
            "0001"
            if self.progress > 0.05
            and self._reject_ok()
            and self._want("afgekeurd_en_opnieuw_verzonden", 0.004)
            else ""
        )
        self._send_with_retour(b, reject)
        base = d
        if reject:
            self._resend(b)
            base = add_workdays(d, 8)
        x = rng.random()
        if t.route == ROUTE_GI or x < 0.86:
            self._schedule(add_workdays(base, rng.randint(1, 5)), t.id, "besluit", "toewijzing")
        elif x < 0.96:
            self._schedule(add_workdays(base, rng.randint(2, 5)), t.id, "besluit", "onderzoek")
        else:
            self._schedule(add_workdays(base, rng.randint(2, 5)), t.id, "besluit", "afwijzing")

    def _regel305(self, t: Traject, begin: date, status: str = "1") -> Regel:
        tw = t.toewijzing
        assert tw is not None
        return Regel(
            toewijzingnummer=tw.nummer,
            categorie=tw.product.categorie,
            code=tw.product.code,
            ingangsdatum=tw.ingang.isoformat(),
            begindatum=begin.isoformat(),
            status=status,
        )

    def _message_day(self, event: date, kind: str) -> date:
        dag = add_workdays(event, self.rng.randint(1, 5))
        if self.progress > 0.1 and self._want("late_berichten", 0.012):
            dag = event + timedelta(days=self.rng.randint(22, 56))
        return dag

    def _send305(self, t: Traject, begin: date, intake_als_start: bool = False) -> None:
        rng = self.rng
        t.gemeld_begin = begin
        dag = self._message_day(begin, "305")
        if self.progress > 0.15 and not intake_als_start and self._want("correctie_status_3", 0.006):
            # a start sent with a wrong Begindatum, deleted (status 3) and sent again
            fout = begin + timedelta(days=rng.choice((-7, 7, 14, 1)))
            b1 = self._heen("JW305", t.agb, t.gemeente, dag, persoon=t.kind, regels=[self._regel305(t, fout)])
            self._send_with_retour(b1)
            dag2 = add_workdays(dag, rng.randint(2, 6))
            b2 = self._heen(
                "JW305", t.agb, t.gemeente, dag2, persoon=t.kind, regels=[self._regel305(t, fout, status="3")]
            )
            self._send_with_retour(b2)
            dag = add_workdays(dag2, rng.randint(0, 2))
        b = self._heen("JW305", t.agb, t.gemeente, dag, persoon=t.kind, regels=[self._regel305(t, begin)])
        if intake_als_start:
            b.fout = "start_is_intake"
        if self.progress > 0.05 and self._reject_ok() and self._want("afgekeurd_en_opnieuw_verzonden", 0.004):
            self._send_with_retour(b, "9019")
            self._resend(b)
        else:
            self._send_with_retour(b)

    def _send307(self, t: Traject, einde: date, reden: str) -> None:
        begin = t.gemeld_begin
        if begin is None:
            return
        r = self._regel305(t, begin)
        r.reden_beeindiging = reden
        r.einddatum = einde.isoformat()
        dag = self._message_day(einde, "307")
        b = self._heen("JW307", t.agb, t.gemeente, dag, persoon=t.kind, regels=[r])
        self._send_with_retour(b)
        t.gemeld_begin = None

    def _start(self, t: Traject, d: date) -> None:
        rng = self.rng
        tw = t.toewijzing
        if tw is not None and tw.einde < d:
            # the allocation expired while the child waited ("verlopen zonder start"): a new one is issued
            t.oude_toewijzingen.append(tw)
            options = [
                x
                for x in (d - timedelta(days=k) for k in range(3, 15))
                if x >= month_start(self.now) and x != tw.einde + timedelta(days=1)
            ]
            dag = options[rng.randrange(len(options))] if options else d  # never seamless: not an extension
            self._send301(t, dag, [self._regel301(self._allocate(t, dag, dag))])
        t.start = d
        t.in_wachtrij = ""
        t.zorgperioden.append([d, None])
        self._gemeld_gestart(t, d)
        partner = self.trajecten.get(t.partner)
        if partner is not None and not partner.gestopt and partner.start is None:
            self._elders_gestart(partner, d + timedelta(days=rng.randint(0, 10)))
        self.declarabel[t.id] = t
        if not t.plek:
            t.plek = True
            self.in_zorg[t.agb] += 1
        if t.agb != region.AGB_INTAKE_ALS_START or t.gemeld_begin is None:
            self._send305(t, d)
        einde = d + timedelta(days=t.duur)
        if t.duur > 120 and rng.random() < 0.04:
            pauze = d + timedelta(days=rng.randint(40, t.duur - 60))
            self._schedule(pauze, t.id, "pauze")
        if t.duur > 90 and rng.random() < 0.05 and t.route != ROUTE_GI:
            self._schedule(d + timedelta(days=rng.randint(30, 80)), t.id, "vow")
        t.einde_gen += 1
        self._schedule(einde, t.id, "einde", t.einde_gen)
        self._plan_vervolg(t, d, einde)
        tw = t.toewijzing
        assert tw is not None
        if einde > tw.einde:
            self._schedule(tw.einde - timedelta(days=rng.randint(20, 40)), t.id, "verlenging", tw.einde)
        if t.complex_fact:
            self._case("FACT-ZOD", t.kind.bsn, d + timedelta(days=rng.randint(0, 20)), None, t)
        if t.route == ROUTE_GI:
            self._case("GI-DUI", t.kind.bsn, d, None, t, weight=1.0)

    def _gemeld_gestart(self, t: Traject, d: date) -> None:
        """Note the first reported start of `t` for the path counts (the intake date at the provider that
        reports it as the start, a documented fault: the monitor sees that date)."""
        if t.rij is None:
            t.rij = [t.kind.bsn, t.product.categorie, d, None]
            self.gestart.append(t.rij)

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

    def _planned_end(self, t: Traject) -> date:
        assert t.start is not None
        paused = sum(((p[1] or p[0]) - p[0]).days for p in t.zorgperioden[:-1])
        return t.start + timedelta(days=t.duur) + timedelta(days=0 * paused)

    def _einde(self, t: Traject, d: date) -> None:
        rng = self.rng
        if t.gestopt or (t.zorgperioden and t.zorgperioden[-1][1] is not None):
            # paused: the definitive end comes after the restart (rescheduled there)
            return
        t.einde = d
        t.zorgperioden[-1][1] = d
        if t.rij is not None:
            t.rij[3] = d
        if rng.random() < P_HERINSTROOM:
            self._vervolg(t, d + timedelta(days=rng.randint(90, 300)), t.product.code, "herinstroom")
        self.in_zorg[t.agb] -= 1
        t.plek = False
        reden = _pick(rng, (("31", 78), ("32", 6), ("34", 6), ("35", 4), ("38", 3), ("39", 3)))
        if (
            t.gemeld_begin is not None
            and t.gemeld_begin >= WINDOW_START  # its start message is in the export
            and d < self.peildatum - timedelta(days=95)
            and self._want("ontbrekende_stop", 0.02)
        ):
            self.faults["ontbrekende_stop"] += 1
            t.gemeld_begin = None
        else:
            self._send307(t, d, reden)
        tw = t.toewijzing
        if tw is not None and tw.einde > d + timedelta(days=30) and rng.random() < 0.1:
            self._versie(tw, d + timedelta(days=rng.randint(3, 20)), "05")
            tw.einde = d
            self._send301(t, tw.datum, [self._regel301(tw, referentie=False)])
        self._uitschrijven(t, d + timedelta(days=rng.randint(0, 10)), "behandeld")

    def _verlenging(self, t: Traject, d: date, planned_for: object) -> None:
        rng = self.rng
        tw = t.toewijzing
        if tw is None or t.einde is not None or tw.einde != planned_for:
            return
        planned_end = t.start + timedelta(days=t.duur) if t.start else d
        if planned_end <= tw.einde:
            return
        if self.progress > 0.15 and self._want("verlenging_nieuw_nummer", 0.08):
            # pre-3.2 habit: extension under a new ToewijzingNummer, stop (36) on the old, start on the new
            t.oude_toewijzingen.append(tw)
            nieuw = self._allocate(t, d, tw.einde + timedelta(days=1))
            self._send301(
                t, d, [*self._current_others(t, d), self._regel301(nieuw)], "verlenging_nieuw_nummer"
            )
            old_end = tw.einde
            if t.gemeld_begin is not None:
                t.toewijzing = tw
                self._send307(t, old_end, "36")
                t.toewijzing = nieuw
                self._send305(t, old_end + timedelta(days=1))
            new = nieuw
        else:
            tw.einde = add_months(tw.einde, tw.product.toewijzing_maanden)
            self._versie(tw, d, "04")
            self._send301(t, d, [*self._current_others(t, d), self._regel301(tw, referentie=False)])
            new = tw
        if planned_end > new.einde:
            self._schedule(new.einde - timedelta(days=rng.randint(20, 40)), t.id, "verlenging", new.einde)

    def _pauze(self, t: Traject, d: date) -> None:
        rng = self.rng
        herstart = d + timedelta(days=rng.randint(21, 56))
        if t.einde is not None or t.gemeld_begin is None or herstart > self.peildatum - timedelta(days=20):
            return
        if (
            t.zorgperioden[-1][1] is not None
            or t.toewijzing is None
            or herstart >= t.toewijzing.einde - timedelta(days=45)
        ):
            return
        t.zorgperioden[-1][1] = d
        self._send307(t, d, "20")
        self._schedule(herstart, t.id, "herstart", d)

    def _herstart(self, t: Traject, d: date) -> None:
        t.zorgperioden.append([d, None])
        self._send305(t, d)
        paused = (d - t.zorgperioden[-2][1]).days if t.zorgperioden[-2][1] else 0
        t.duur += paused
        assert t.start is not None
        t.einde_gen += 1
        self._schedule(
            max(d + timedelta(days=14), t.start + timedelta(days=t.duur)), t.id, "einde", t.einde_gen
        )

    def _vow(self, t: Traject, d: date) -> None:
        rng = self.rng
        tw = t.toewijzing
        if tw is None or t.einde is not None or tw.einde < d + timedelta(days=20):
            return
        n = self.refnr.get(t.agb, 0) + 1
        self.refnr[t.agb] = n
        ref = f"VOW{t.agb[-4:]}-{n:07d}"
        p = tw.product
        nieuw_einde = add_months(tw.einde, 3)
        regels = [
            Regel(soort="ongewijzigd", toewijzingnummer=o.nummer, referentie=ref)
            for o in t.oude_toewijzingen
            if o.einde >= d
        ]
        regels.append(
            Regel(
                soort="tewijzigen",
                toewijzingnummer=tw.nummer,
                referentie=ref,
                ingangsdatum=(d + timedelta(days=7)).isoformat(),
                einddatum=nieuw_einde.isoformat(),
                volume=p.volume,
                eenheid=p.eenheid,
                frequentie=p.frequentie,
            )
        )
        b = self._heen(
            "JW317", t.agb, t.gemeente, d, bsn=t.kind.bsn, regels=regels, reden_verzoek=rng.choice(("1", "2"))
        )
        self._send(b)
        self._schedule(add_workdays(d, rng.randint(1, 5)), t.id, "vow_besluit", (ref, nieuw_einde))

    def _vow_besluit(self, t: Traject, d: date, data: object) -> None:
        ref, nieuw_einde = data  # type: ignore[misc]
        tw = t.toewijzing
        if tw is None or t.einde is not None:
            return
        if self.rng.random() < 0.85:
            planned = tw.einde
            self._versie(tw, d, "04")
            tw.einde, tw.referentie = nieuw_einde, ref
            self._send301(t, d, [*self._current_others(t, d), self._regel301(tw)])
            tw.referentie = ""
            _ = planned
            assert t.start is not None
            if t.start + timedelta(days=t.duur) > tw.einde:
                self._schedule(tw.einde - timedelta(days=25), t.id, "verlenging", tw.einde)
        else:
            b = self._heen(
                "JW319",
                t.gemeente,
                t.agb,
                d,
                regels=[Regel(referentie=ref)],
                verzoek_antwoord="1",
                reden_afwijzing="2",
            )
            self._send_with_retour(b)

    def _uitschrijven(self, t: Traject, d: date, reden: str) -> None:
        if t.gemeld_begin is not None and t.einde is None and t.start is None:
            self._send307(t, d, "32")  # reported a start at intake, child left before treatment
            if t.rij is not None:
                t.rij[3] = d
        t.uitschrijving = d
        t.reden_uit = reden
        t.in_wachtrij = ""
        t.gestopt = True
        if t.plek and t.start is None:  # a place was reserved for a start that will not come
            t.plek = False
            self.in_zorg[t.agb] -= 1
        self._close_cases(t, d)
        self._record(t)
        if t.id not in self.declarabel:
            self.trajecten.pop(t.id, None)

    def _record(self, t: Traject) -> None:
        if t.agb not in region.WACHTTIJD_LEVERANCIERS or t.aanmelding is None:
            return
        if t.uitschrijving is not None and t.uitschrijving > self.peildatum:
            t.uitschrijving, t.reden_uit = None, ""
        if t.uitschrijving is not None and t.uitschrijving < WINDOW_START:
            return
        verw = (
            t.verwijzing
            if t.route != ROUTE_GEMEENTE
            else (t.toewijzing.ingang if t.toewijzing else t.verwijzing)
        )
        start = t.start if t.start and t.start <= self.peildatum else None
        intake = t.intake if t.intake and t.intake <= self.peildatum else None
        self.wachten.append((t.kind.bsn, t.agb, verw, start or t.uitschrijving))
        self.provider_files.write(
            [
                t.kind.bsn,
                t.agb,
                t.locatie,
                t.product.categorie,
                t.product.code,
                t.gemeente,
                verw,
                t.aanmelding,
                intake,
                start,
                t.uitschrijving,
                t.reden_uit,
            ]
        )

    # ----------------------------------------------------------------- queues
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

    # ----------------------------------------------------------------- declaraties
    def _declaraties(self, m: date) -> None:
        """JW323 per aanbieder per gemeente for the month before `m`, sent early in `m`."""
        rng = self.rng
        prev = add_months(m, -1)
        prev_end = month_end(prev)
        lines: dict[tuple[str, str], list[tuple[str, Regel]]] = {}
        done = []
        for tid in sorted(self.declarabel):
            t = self.declarabel[tid]
            tw_by_date = [*t.oude_toewijzingen, t.toewijzing]
            prov = region.AANBIEDER_BY_AGB[t.agb]
            p = t.product
            for begin, end in t.zorgperioden:
                s = max(begin, prev)
                e = min(end or prev_end, prev_end)
                if s > e:
                    continue
                tw = next((x for x in tw_by_date if x is not None and x.ingang <= s <= x.einde), t.toewijzing)
                assert tw is not None
                e = min(e, tw.einde) if tw.einde >= s else e
                periods = _weeks(s, e) if prov.wekelijks_declareren else [(s, e)]
                for ps, pe in periods:
                    days = (pe - ps).days + 1
                    if p.frequentie == "2":
                        vol = max(1, round(p.volume * days / 7))
                    elif p.frequentie == "4" or p.frequentie == "1":
                        vol = max(1, round(p.volume * days / 30.4))
                    elif p.eenheid == "82":
                        if ps != t.start:
                            continue
                        vol = 1
                    else:
                        vol = max(1, round(p.volume * days / (30.4 * p.toewijzing_maanden)))
                    n = self.refnr.get("D" + t.agb, 0) + 1
                    self.refnr["D" + t.agb] = n
                    r = Regel(
                        referentienummer=f"{t.agb}{n:010d}",
                        toewijzingnummer=tw.nummer,
                        categorie=p.categorie,
                        code=p.code,
                        periode_begin=ps.isoformat(),
                        periode_eind=pe.isoformat(),
                        geleverd_volume=vol,
                        eenheid=p.eenheid,
                        bedrag=vol * p.tarief,
                    )
                    lines.setdefault((t.agb, t.gemeente), []).append((t.kind.bsn, r))
            if (t.gestopt and (t.einde is None or t.einde <= prev_end)) or (
                t.einde is not None and t.einde <= prev_end
            ):
                done.append(tid)
        for tid in done:
            self.declarabel.pop(tid, None)
            t = self.trajecten.get(tid)
            if t is not None and t.gestopt:
                self.trajecten.pop(tid, None)
        for agb, gem in sorted(lines):
            per_client: dict[str, list[Regel]] = {}
            for bsn, r in lines[(agb, gem)]:
                per_client.setdefault(bsn, []).append(r)
            dag = workday_on_or_after(m + timedelta(days=rng.randint(3, 12)))
            nummer = f"D{prev.year % 100:02d}{prev.month:02d}{gem}{self._decl_seq(agb)}"
            b = self._heen(
                "JW323",
                agb,
                gem,
                dag,
                declaratienummer=nummer,
                periode=(prev.isoformat(), prev_end.isoformat()),
                clienten=list(per_client.items()),
            )
            self._send(b)
            self._send(self._retour(b, add_workdays(dag, rng.randint(2, 8)), code="0200", regelcode="8001"))

    def _decl_seq(self, agb: str) -> str:
        n = self.refnr.get("S" + agb, 0) + 1
        self.refnr["S" + agb] = n
        return f"{n % 1000:03d}"

    # ----------------------------------------------------------------- flush
    def _flush(self, m: date) -> None:
        key = mkey(m)
        msgs = self.buffer.pop(key, [])
        if m < WINDOW_START:
            return
        per_sender: dict[str, list[tuple[str, bytes, Bericht]]] = {}
        rows: list[list[str]] = []
        for b in msgs:
            ident = b.identificatie_retour or b.identificatie
            name = f"{ident}.xml"  # the Identificatie starts with the message number: unique per sender
            per_sender.setdefault(b.verzender, []).append((name, render(b).encode("utf-8"), b))
            r = csv_rows(b)
            rows.extend(r)
            self.berichten[b.type] = self.berichten.get(b.type, 0) + 1
            self.regels[b.type] = self.regels.get(b.type, 0) + len(r)
        self.csv.write(rows)
        for sender in sorted(per_sender):
            avoid = {n for n, _, b in per_sender[sender] if b.fout}
            members, truncated = self._faults_on_batch(
                sender, key, [(n, d) for n, d, _ in per_sender[sender]], avoid
            )
            for name, _, b in per_sender[sender]:
                if name not in truncated:
                    self._count(b)
            if sender == region.AGB_GAT and key in self.gap_keys:
                self.carry.setdefault(sender, []).extend(members)
                self.faults["vertraagd_aangeleverd"] += len(members)
                self.faults["ontbrekende_maanden"] += 1
                continue
            members = self.carry.pop(sender, []) + members
            write_zip(self.out / "ijw" / sender / f"{sender}_{key}.zip", members)
        for sender in sorted(self.carry):
            if sender not in per_sender and not (sender == region.AGB_GAT and key in self.gap_keys):
                write_zip(self.out / "ijw" / sender / f"{sender}_{key}.zip", self.carry.pop(sender))

    def _count(self, b: Bericht) -> None:
        """Count the fault kinds that are visible in one written message (same rules as the tests)."""
        f = self.faults
        if b.heen is not None:
            codes_ = {b.retourcode, b.regelcode, *(r.retourcode for r in b.heen.regels)} - {
                "",
                "0200",
                "8001",
            }
            if codes_:
                f["afgekeurd_en_opnieuw_verzonden"] += 1
            return
        bsns = [b.persoon.bsn] if b.persoon is not None else [b.bsn] if b.bsn else [c for c, _ in b.clienten]
        for bsn in bsns:
            if not bsn_elfproef(bsn) and bsn not in self.seen_invalid:
                self.seen_invalid.add(bsn)
                f["bsn_elfproef_fout_ijw"] += 1
        if b.type == "JW301":
            if b.fout == "verlenging_nieuw_nummer":
                key3 = (b.afzender, b.regels[-1].toewijzingnummer)
                if key3 not in self.seen_ext:
                    self.seen_ext.add(key3)
                    f["verlenging_nieuw_nummer"] += 1
            for r in b.regels:
                key = (b.afzender, r.toewijzingnummer)
                if (
                    not r.reden_wijziging
                    and r.ingangsdatum < r.toewijzingsdatum
                    and key not in self.seen_retro
                ):
                    self.seen_retro.add(key)
                    f["terugwerkende_toewijzing"] += 1
                if r.reden_wijziging == "13" and r.einddatum == r.ingangsdatum and key not in self.seen_del:
                    self.seen_del.add(key)
                    f["verwijderde_toewijzing"] += 1
        elif b.type in ("JW305", "JW307"):
            dag = date.fromisoformat(b.dagtekening)
            for r in b.regels:
                event = date.fromisoformat(r.einddatum if b.type == "JW307" else r.begindatum)
                if (dag - event).days > 21:
                    f["late_berichten"] += 1
                    break
            for r in b.regels:
                if r.status == "3":
                    f["correctie_status_3"] += 1
                if b.type == "JW307" and r.reden_beeindiging == "20" and r.status == "1":
                    f["tijdelijke_stop_herstart"] += 1
            if b.fout == "start_is_intake":
                key2 = (b.persoon.bsn if b.persoon else "", b.regels[0].begindatum)
                if key2 not in self.seen_intake:
                    self.seen_intake.add(key2)
                    f["start_is_intake"] += 1

    def _faults_on_batch(
        self, sender: str, key: str, members: list[tuple[str, bytes]], avoid: set[str]
    ) -> tuple[list[tuple[str, bytes]], set[str]]:
        """Loose files, one truncated and one wrongly encoded file (moved into ijw/los/), then duplicates
        (copies of members that stay intact, so every copy is byte-identical to a file in a batch)."""
        rng = self.rng
        out = list(members)
        truncated: set[str] = set()
        if (
            self.progress > 0.45
            and sender.startswith("98")
            and len(out) > 3
            and self.rng.random() < 0.01
            and sum(1 for n, _ in self.los if n.startswith("los_")) < 4
        ):
            name, data = out.pop(0)  # a loose file: delivered outside the batch (not a fault)
            self.los.append((f"los_{sender}_{name}", data))
        if self.progress > 0.6 and self.faults["afgekapt_bestand"] == 0 and sender.startswith("99"):
            idx = next((i for i, (n, _) in enumerate(out) if n.startswith("301") and n not in avoid), None)
            if idx is not None:
                name, data = out.pop(idx)
                self.los.append((f"{sender}_{name}", data[: len(data) * 2 // 3]))
                self.faults["afgekapt_bestand"] = 1
                truncated.add(name)
        if self.progress > 0.7 and self.faults["verkeerde_codering"] == 0 and sender.startswith("99"):
            for i, (name, data) in enumerate(out):
                text = data.decode("utf-8")
                if name.startswith("301") and name not in avoid and any(ch in text for ch in "ëéïèüöç"):
                    try:
                        wrong = text.encode("cp1252")
                    except UnicodeEncodeError:
                        continue  # a name outside cp1252 (e.g. 'ı'): take the next candidate
                    out.pop(i)
                    self.los.append((f"{sender}_{name}", wrong))
                    self.faults["verkeerde_codering"] = 1
                    break
        if (
            sender != region.AGB_GAT
            and len(out) > 3
            and 0.4 < self.progress < 0.9
            and self._want("dubbel_bestand", 0.01)
        ):
            name, data = out[rng.randrange(len(out))]
            self.carry.setdefault(sender, []).append((name.replace(".xml", "_herzonden.xml"), data))
            self.faults["dubbel_bestand"] += 1
        if (
            sender != region.AGB_GAT
            and len(out) > 3
            and self.progress > 0.5
            and self.faults["dubbel_bestand"] >= 1
            and not any(n.startswith("kopie_") for n, _ in self.los)
        ):
            name, data = out[0]
            self.los.append((f"kopie_{sender}_{name}", data))
            self.faults["dubbel_bestand"] += 1
        return out, truncated

    # ----------------------------------------------------------------- run
    def run(self) -> None:
        n = len(self.months)
        for i, m in enumerate(self.months):
            self.progress = i / n
            self.now = m
            last = month_end(m)
            self._arrivals(m)
            self._queues(m)
            self._declaraties(m)
            while self.heap and self.heap[0][0] <= last.toordinal():
                od, _, tid, ev, data = heapq.heappop(self.heap)
                self.now = date.fromordinal(od)
                t = self.trajecten.get(tid)
                if t is None:
                    continue
                self.handle(t, ev, date.fromordinal(od), data)
            self._flush(m)
        # leftovers after the peildatum are not sent; open cases and records are written as open
        for sender in sorted(self.carry):
            self.los.extend(self.carry.pop(sender))
        for tid in sorted(self.trajecten):
            t = self.trajecten[tid]
            if not t.gestopt:
                t.uitschrijving = None
                self._close_cases_open(t)
                self._record(t)
        self.csv.close()
        self.case_fh.close()
        los = self.out / "ijw" / "los"
        los.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(self.los):
            (los / name).write_bytes(data)

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

    def _close_cases_open(self, t: Traject) -> None:
        for team, bsn, start, weight in t.__dict__.pop("cases", []):
            self._close_case(team, bsn, start, None, weight)


def _round(rng: random.Random, x: float) -> int:
    return int(x) + (1 if rng.random() < x - int(x) else 0)


def _weeks(s: date, e: date) -> list[tuple[date, date]]:
    out = []
    cur = s
    while cur <= e:
        sunday = cur + timedelta(days=6 - cur.weekday())
        end = min(sunday, e)
        out.append((cur, end))
        cur = end + timedelta(days=1)
    return out


def _gemeente(rng: random.Random) -> region.Gemeente:
    return region.GEMEENTE_BY_CODE[_pick(rng, tuple((g.code, g.aandeel) for g in region.GEMEENTEN))]


def _wijkteam(rng: random.Random, gemeente: str) -> str:
    teams = region.WIJKTEAMS_PER_GEMEENTE[gemeente]
    return teams[0] if len(teams) == 1 else teams[rng.randrange(len(teams))]


_ = math
