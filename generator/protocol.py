"""The iJw message protocol: identifications, heen- and retourberichten, allocation (JW301), start and stop
(JW305/JW307) messages, resends after a rejection, and the monthly zip batches per sender.

Invariants protected here:
* an Identificatie is unique per sender and message type and starts with the message number, so file names
  (`<Identificatie>.xml`) are unique per sender;
* a heenbericht sent with `_send_with_retour` gets its retour 1-3 working days later (the JW317 has none: the
  gemeente answers it with a JW301 or JW319; the JW325 is sent by `declaraties`); a rejected message
  (retourcode 0001 or a line code) is sent again a few days later under a new Identificatie;
* a new allocation version has a (Toewijzingsdatum, Toewijzingstijd) strictly after the previous one;
* no message dated after the peildatum is written, and none is dated in a month whose batches are written;
* batches are written per sender per month in sorted order; messages before the window are not written.
"""

from __future__ import annotations

from datetime import date, timedelta

from generator import region
from generator.calendar import WINDOW_START, add_months, add_workdays, mkey
from generator.faults import GAP_MONTHS
from generator.ijwxml import CSV_COLUMNS, Bericht, Regel, csv_rows, render
from generator.output import CsvZipStream, write_zip
from generator.state import State, Toewijzing, Traject

RETOUR_TYPE = {
    "JW301": "JW302",
    "JW305": "JW306",
    "JW307": "JW308",
    "JW315": "JW316",
    "JW319": "JW320",
    "JW323": "JW325",
}


class Protocol(State):
    """Sending messages (`buffer`) and writing them as batches; fault decisions come from `faults`."""

    ident: dict[tuple[str, str], int]  # (sender, message type) -> last number
    toewijzingnr: dict[str, int]  # gemeente -> last ToewijzingNummer
    buffer: dict[str, list[Bericht]]  # month key -> messages dated in it
    berichten: dict[str, int]  # written messages per type
    regels: dict[str, int]  # written CSV rows per type
    csv: CsvZipStream
    gap_keys: set[str]  # the months the gap sender sends nothing

    def _init_protocol(self) -> None:
        self.ident = {}
        self.toewijzingnr = {g.code: 100000 for g in region.GEMEENTEN}
        self.buffer = {}
        self.carry = {}
        self.berichten = {}
        self.regels = {}
        self.csv = CsvZipStream(self.out / "ijw-csv" / "ijw_export.zip", "ijw_export.csv", CSV_COLUMNS)
        self.los = []
        self.gap_keys = {f"{y:04d}-{m:02d}" for y, m in GAP_MONTHS}

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

    def _resend(self, b: Bericht) -> None:
        """A rejected message is sent again a few days later under a new Identificatie."""
        dag = add_workdays(date.fromisoformat(b.dagtekening), self.rng.randint(4, 8))
        nb = Bericht(
            **{**b.__dict__, "identificatie": self._ident(b.afzender, b.type), "dagtekening": dag.isoformat()}
        )
        nb.regels = [Regel(**{**r.__dict__, "retourcode": ""}) for r in b.regels]
        self._send_with_retour(nb)

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

    def _current_others(self, t: Traject, dag: date) -> list[Regel]:
        """OP087: earlier allocations of this client at this provider still valid on `dag`."""
        return [self._regel301(o, referentie=False) for o in t.oude_toewijzingen if o.einde >= dag]

    def _send301(self, t: Traject, dag: date, regels: list[Regel], fout: str = "") -> None:
        b = self._heen("JW301", t.gemeente, t.agb, dag, persoon=t.kind, regels=regels)
        b.fout = fout
        reject = ""
        if self.progress > 0.05 and self._reject_ok() and self._want("afgekeurd_en_opnieuw_verzonden", 0.004):
            reject = "0001"
        self._send_with_retour(b, reject)
        if reject:
            self._resend(b)

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
