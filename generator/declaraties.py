"""Declaraties: one JW323 per aanbieder per gemeente for the month before, sent early in the month, each
answered by a JW325.

Invariants protected here:
* a declaration line covers care actually given (a care period inside the month, within the allocation that
  holds on its first day); weekly ProductPeriodes at the providers that declare weekly;
* a trajectory leaves the set to declare once its care has ended before the declared month's end.
"""

from __future__ import annotations

from datetime import date, timedelta

from generator import region
from generator.calendar import add_months, add_workdays, month_end, weeks, workday_on_or_after
from generator.ijwxml import Regel
from generator.state import State


class Declaraties(State):
    """JW323/JW325 from `State.declarabel`."""

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
                periods = weeks(s, e) if prov.wekelijks_declareren else [(s, e)]
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
