"""Care of one trajectory: its events from allocation to end (toewijzing, aanmelding, intake, JW315 and the
gemeente's decision, start, extension, temporary stop, VOW, end, leaving the list) as iJw traffic.

Invariants protected here:
* on the aanbieder (VOT) route the JW315 is sent about 5 working days after the intake; JW305 Begindatum is the
  treatment start, except at the one provider that reports the intake date (a documented fault);
* an allocation that expired while the child waited is replaced at the start (never seamlessly: not an
  extension); an extension stretches the Einddatum (RedenWijziging 04) or, as a fault, uses a new number;
* a paused trajectory ends only after its restart; a treatment place, taken when the start is scheduled, is
  freed at the true end or when the child leaves the list before it starts.
"""

from __future__ import annotations

from datetime import date, timedelta

from generator import region
from generator.calendar import WINDOW_START, add_months, add_workdays, month_start
from generator.ijwxml import Regel
from generator.pathways import P_HERINSTROOM
from generator.state import (
    ROUTE_CRISIS,
    ROUTE_GEMEENTE,
    ROUTE_GI,
    ROUTE_VOT,
    State,
    Toewijzing,
    Traject,
    pick,
)

HUISARTSEN = (
    "Huisartsenpraktijk De Duinen",
    "Huisartsenpraktijk Zandhoven",
    "Gezondheidscentrum Helmbeek",
    "Huisarts Oostmeer",
    "Huisartsenpraktijk Kwelder",
    "Huisarts Brakelo",
)


class Care(State):
    """The event handler of a trajectory (`handle`) and what each event sends."""

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
        reden = pick(rng, (("31", 78), ("32", 6), ("34", 6), ("35", 4), ("38", 3), ("39", 3)))
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
            self._versie(tw, d, "04")
            tw.einde, tw.referentie = nieuw_einde, ref
            self._send301(t, d, [*self._current_others(t, d), self._regel301(tw)])
            tw.referentie = ""
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
