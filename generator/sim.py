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

import csv
import heapq
import random
from datetime import date
from pathlib import Path

from generator import region
from generator.calendar import DEFAULT_PEILDATUM, WARMUP_START, WINDOW_START, add_months, month_end
from generator.care import Care
from generator.declaraties import Declaraties
from generator.faults import FAULT_KINDS, GAP_MONTHS, Faults
from generator.ijwxml import CSV_COLUMNS, Bericht
from generator.output import CsvZipStream
from generator.pathways import Pathways
from generator.people import BsnFactory
from generator.protocol import Protocol
from generator.records import ProviderFiles, Records
from generator.state import Traject
from generator.teams import CASELOAD_COLUMNS, Caseload

__all__ = ["DEFAULT_PEILDATUM", "WINDOW_START", "Sim"]


class Sim(Pathways, Care, Protocol, Declaraties, Records, Caseload, Faults):
    """The simulation of one region: `Sim(out, scale, seed).run()` writes the iJw traffic, the provider
    records and the caseload; `provider_files.close()` and `paden()` finish the rest (see `generator.generate`)."""

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
        self.case_w.writerow(CASELOAD_COLUMNS)
        self.case_counts = {"onbekend_team": 0, "caseload_rijen": 0}
        self.team_maand: dict[tuple[str, str], float] = {}
        self.gap_keys = {f"{y:04d}-{m:02d}" for y, m in GAP_MONTHS}
        self.invalid_bsn_children: list[str] = []
        self.seen_invalid: set[str] = set()
        self.seen_retro: set[tuple[str, int | None]] = set()
        self.seen_del: set[tuple[str, int | None]] = set()
        self.seen_intake: set[tuple[str, str]] = set()
        self.seen_ext: set[tuple[str, int | None]] = set()
        # ground truth for the path counts: per started trajectory [bsn, categorie, start, true end]; per
        # provider waiting record (bsn, agb, clock start, clock stop)
        self.gestart: list[list] = []
        self.wachten: list[tuple[str, str, date, date | None]] = []

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
