"""The simulation's shared state: trajectories, allocations, the event heap and the single random stream.

Invariants protected here:
* one `random.Random(seed)` (`State.rng`) drives every decision of the simulation, whichever module makes it,
  so the order of draws, and with it the output, is fixed by the order of events;
* events are ordered by (date, sequence number) and never scheduled in the past (`State.schedule`): a month's
  batches are written before the simulation moves on;
* the concern modules (`pathways`, `care`, `protocol`, `declaraties`, `records`, `teams`, `faults`) add
  behaviour to `State` as mixins and import only this module and the leaves (`calendar`, `region`,
  `ijwxml`, ...); only `sim` combines them, so no module imports `sim` and the import graph has no cycle.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator import region
from generator.ijwxml import Persoon
from generator.people import BsnFactory

# the routes into care (`Traject.route`); their shares are in `pathways.ROUTES`
ROUTE_GEMEENTE = "gemeente"
ROUTE_VOT = "vot"
ROUTE_GI = "gi"
ROUTE_CRISIS = "crisis"
ROUTE_WIJKTEAM = "wijkteam"


def pick(rng: random.Random, items: tuple[tuple[str, float], ...]) -> str:
    """A weighted choice with one draw from `rng`."""
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
    cases: list[tuple[str, str, date, float]] = field(default_factory=list)  # open caseload rows


class State:
    """The core attributes (set by `sim.Sim.__init__`) and those several concerns share (set up by the concern
    named beside each). A concern's own attributes are declared and set up in its module (`_init_<concern>`)."""

    out: Path
    scale: float
    rng: random.Random
    peildatum: date
    now: date  # the date of the event being handled
    progress: float  # share of the run's months done (fault decisions use it)
    months: list[date]
    bsns: BsnFactory
    heap: list[tuple[int, int, int, str, object]]
    seq: int
    trajecten: dict[int, Traject]  # active trajectories by id
    next_id: int
    declarabel: dict[int, Traject]  # trajectories with care to declare
    refnr: dict[str, int]  # per-provider counters of VOT/VOW references, declaratie lines and sequences
    # shared by several concerns; each is set up by the concern named
    faults: dict[str, int]  # faults._init_faults: count per fault kind
    carry: dict[str, list[tuple[str, bytes]]]  # protocol._init_protocol: members held back (gap, duplicates)
    los: list[tuple[str, bytes]]  # protocol._init_protocol: files written outside the batches (ijw/los)
    intake_q: dict[str, list[int]]  # pathways._init_pathways: queues and places per provider
    behandel_q: dict[str, list[int]]
    in_zorg: dict[str, int]
    gestart: list[list]  # pathways._init_pathways: per reported start [bsn, categorie, start, true end]
    wachten: list[tuple[str, str, date, date | None]]  # per provider record (bsn, agb, clock start, stop)

    def _schedule(self, d: date, tid: int, ev: str, data: object = None) -> None:
        d = max(d, self.now)  # never in the past: that month's batches are already written
        self.seq += 1
        heapq.heappush(self.heap, (d.toordinal(), self.seq, tid, ev, data))
