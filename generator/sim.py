"""Month-stepped simulation of the Zuidoost-Duinland youth-care chain, streaming iJw traffic to disk.

`Sim` combines the concern modules (each a mixin over the shared `state.State`):
`pathways` (arrivals, routes, follow-up paths, queues), `care` (a trajectory's events), `protocol` (iJw
messages, retours, batches), `declaraties` (JW323/JW325), `records` (provider waiting-time records),
`teams` (caseload) and `faults` (planted errors). It owns only the set-up of the state and the run loop.

Invariants protected here:
* determinism: one `random.Random(seed)` drives everything; events are ordered by (date, sequence number);
  no hash(), no set iteration, no wall clock; each month runs arrivals, queues, declaraties, then the events
  of the month in order, then writes the month's batches;
* bounded memory: only active trajectories, the event heap and the message buffer of the current and next
  months are held; each month's zip batches are written before the simulation moves on;
* consistency across sources: the same child has the same BSN in iJw, provider records and caseload;
* no event after the peildatum: messages dated after it are never written;
* every fault kind is counted in `Sim.faults` at the moment it is written, and each kind occurs at least once
  at any scale (`faults.Faults._want`).
"""

from __future__ import annotations

import heapq
import random
from datetime import date
from pathlib import Path

from generator.calendar import DEFAULT_PEILDATUM, WARMUP_START, add_months, month_end
from generator.care import Care
from generator.declaraties import Declaraties
from generator.faults import Faults
from generator.pathways import Pathways
from generator.people import BsnFactory
from generator.protocol import Protocol
from generator.records import Records
from generator.teams import Caseload

__all__ = ["Sim"]


class Sim(Pathways, Care, Protocol, Declaraties, Records, Caseload, Faults):
    """The simulation of one region: `Sim(out, scale, seed).run()` writes the iJw traffic, the provider
    records and the caseload; `provider_files.close()` and `paden()` finish the rest (see `generator.generate`)."""

    def __init__(self, out: Path, scale: float, seed: int, peildatum: date = DEFAULT_PEILDATUM) -> None:
        self.out = out
        self.scale = scale
        self.rng = random.Random(seed)
        self.peildatum = peildatum
        self.bsns = BsnFactory(random.Random(seed + 1))
        self.heap = []
        self.seq = 0
        self.trajecten = {}
        self.next_id = 0
        self.refnr = {}
        self.declarabel = {}
        self.months = []
        m = WARMUP_START
        while m <= peildatum:
            self.months.append(m)
            m = add_months(m, 1)
        self.progress = 0.0
        self.now = WARMUP_START
        self._init_faults()
        self._init_protocol()
        self._init_pathways()
        self._init_records(seed)  # its own random stream (seed + 2)
        self._init_caseload(seed)  # its own random stream (seed + 3)

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
