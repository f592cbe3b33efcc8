"""Planted errors: which fault kinds exist, when to plant one, and the count of each as it is written.

Invariants protected here:
* every fault kind in `FAULT_KINDS` occurs at least once at any scale: `_want` forces a kind that has not
  occurred yet once 30 % of the run is done;
* a fault is counted where it shows in the output: most by inspecting the message or file actually written
  (`_count`, `_faults_on_batch`) with the same rules as the tests; a withheld stop (`care`) and the gap months
  of one sender (`protocol._flush`) where they are withheld;
* copies (`dubbel_bestand`) are byte-identical to a file that stays in a batch; a truncated or wrongly encoded
  file never is a message whose resend must be findable (`avoid`).
"""

from __future__ import annotations

from datetime import date, timedelta

from generator import region
from generator.calendar import WINDOW_START
from generator.ijwxml import Bericht
from generator.state import State
from pipelines.codes import bsn_elfproef

GAP_MONTHS = ((2025, 3), (2025, 4))  # AGB_GAT sends nothing in these months

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


class Faults(State):
    """Fault decisions and counts (`State.faults`)."""

    seen_invalid: set[str]
    seen_retro: set[tuple[str, int | None]]
    seen_del: set[tuple[str, int | None]]
    seen_intake: set[tuple[str, str]]
    seen_ext: set[tuple[str, int | None]]

    def _init_faults(self) -> None:
        self.faults = {k: 0 for k in FAULT_KINDS}
        self.seen_invalid = set()
        self.seen_retro = set()
        self.seen_del = set()
        self.seen_intake = set()
        self.seen_ext = set()

    def _want(self, kind: str, rate: float) -> bool:
        """Fault decision: rate-based, but forced once when none occurred yet past 30 % of the run."""
        if self.rng.random() < rate:
            return True
        return self.faults.get(kind, 0) == 0 and self.progress > 0.3 and self.rng.random() < 0.25

    def _reject_ok(self) -> bool:
        """Rejections only inside the export window: the rejected message (dated on or after `now`) is in it,
        and its resend still falls before the peildatum."""
        return WINDOW_START <= self.now < self.peildatum - timedelta(days=40)

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
