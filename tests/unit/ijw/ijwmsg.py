"""Hand-made iJw 3.x messages for tests: one small spec renders as XSD-valid XML and as CSV export rows.

A spec (`Msg`) names its lines with the CSV export's column names, so the same traffic can be written
both ways. Personal data in these messages is fictitious but shaped like the real thing (BSNs pass the
elfproef), so the privacy tests can look for it in the database.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from pipelines import codes
from pipelines.ijw.csv_reader import EXPORT_COLUMNS

NS = "http://www.istandaarden.nl/ijw/{rel}/{jw}/schema"
BASIS = "http://www.istandaarden.nl/ijw/{rel}/basisschema/schema"

# Fictitious BSNs that pass the elfproef.
BSN_A = "123456782"
BSN_B = "111222333"
BSN_C = "999990019"
BSN_BAD = "123456789"  # fails the elfproef
GEMEENTE = "0363"
AGB = "12345678"


@dataclass
class Msg:
    type: str
    ident: str
    dagtekening: str = "2024-03-01"
    afzender: str | None = None
    ontvanger: str | None = None
    release: str = "3.2"
    bsn: str = BSN_A
    geboortedatum: str = "2012-05-17"
    geslacht: str = "1"
    achternaam: str = "Zwartbroek"
    postcode: str = "2511CV"
    lines: list[dict] = field(default_factory=list)
    # JW317
    referentie_aanbieder: str | None = None
    reden_verzoek: str = "1"
    # JW323 / JW325
    declaratienummer: str = "D1"
    # retours
    retourcodes: list[str] = field(default_factory=lambda: ["0200"])
    ident_retour: str = "R1"
    dagtekening_retour: str = "2024-03-02"
    berichtcode: int | None = None  # override to test mismatches
    versie: str | None = None

    def __post_init__(self) -> None:
        gemeente_first = self.type in ("JW301", "JW302", "JW319", "JW320", "JW325")
        if self.afzender is None:
            self.afzender = GEMEENTE if gemeente_first else AGB
        if self.ontvanger is None:
            self.ontvanger = AGB if gemeente_first else GEMEENTE


class _W:
    """Tiny XML writer with the two iJw namespaces (m: message, ijw: basisschema)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def el(self, name: str, value: object | None, basis: bool = False) -> None:
        if value is None:
            return
        p = "ijw" if basis else "m"
        text = str(value).replace("&", "&amp;").replace("<", "&lt;")
        self.parts.append(f"<{p}:{name}>{text}</{p}:{name}>")

    def open(self, name: str, basis: bool = False) -> None:
        self.parts.append(f"<{'ijw' if basis else 'm'}:{name}>")

    def close(self, name: str, basis: bool = False) -> None:
        self.parts.append(f"</{'ijw' if basis else 'm'}:{name}>")


def _product(w: _W, line: dict) -> None:
    if line.get("productcategorie") is None and line.get("productcode") is None:
        return
    w.open("Product")
    w.el("Categorie", line.get("productcategorie"), True)
    w.el("Code", line.get("productcode"), True)
    w.close("Product")


def _omvang(w: _W, line: dict) -> None:
    if line.get("volume") is not None:
        w.open("Omvang")
        w.el("Volume", line["volume"], True)
        w.el("Eenheid", line["eenheid"], True)
        w.el("Frequentie", line["frequentie"], True)
        w.close("Omvang")
    w.el("Budget", line.get("budget"))


def _codes(w: _W, codes_: list[str] | None) -> None:
    if codes_ is None:
        return
    w.open("RetourCodes")
    for c in codes_:
        w.el("RetourCode", c)
    w.close("RetourCodes")


def _line_codes(line: dict, retour: bool) -> list[str] | None:
    if not retour:
        return None
    return [line.get("retourcode", "0200")]


def _client_head(w: _W, m: Msg, full_name: bool) -> None:
    w.el("Bsn", m.bsn)
    w.open("Geboortedatum")
    w.el("Datum", m.geboortedatum, True)
    w.close("Geboortedatum")
    w.el("Geslacht", m.geslacht)
    w.open("Naam")
    w.open("Geslachtsnaam", True)
    w.el("Achternaam", m.achternaam, True)
    w.close("Geslachtsnaam", True)
    w.el("Voornamen", "Pieternella", True)
    if full_name:
        w.el("NaamGebruik", "1", True)
    w.close("Naam")


def _body_301(w: _W, m: Msg, retour: bool) -> None:
    w.open("Client")
    _client_head(w, m, True)
    w.el("Commentaar", "Geheime opmerking over het gezin")
    w.open("Contactgegevens")
    w.open("Contact")
    w.el("Soort", "01")
    w.open("Adres")
    w.open("Huis", True)
    w.el("Huisnummer", "12", True)
    w.close("Huis", True)
    w.el("Postcode", m.postcode, True)
    w.el("Straatnaam", "Lange Voorhout", True)
    w.el("Plaatsnaam", "Duinstad", True)
    w.close("Adres")
    w.el("Emailadres", "ouder@example.org")
    _codes(w, ["0200"] if retour else None)
    w.close("Contact")
    w.close("Contactgegevens")
    w.open("ToegewezenProducten")
    for line in m.lines:
        w.open("ToegewezenProduct")
        w.el("ToewijzingNummer", line.get("toewijzingnummer"))
        w.el("ReferentieAanbieder", line.get("referentie_aanbieder"))
        _product(w, line)
        for tag, key in (
            ("Toewijzingsdatum", "toewijzingsdatum"),
            ("Toewijzingstijd", "toewijzingstijd"),
            ("Ingangsdatum", "ingangsdatum"),
            ("Einddatum", "einddatum"),
            ("RedenWijziging", "reden_wijziging"),
        ):
            w.el(tag, line.get(key))
        _omvang(w, line)
        _codes(w, _line_codes(line, retour))
        w.close("ToegewezenProduct")
    w.close("ToegewezenProducten")
    _codes(w, ["0200"] if retour else None)
    w.close("Client")


def _body_305_307(w: _W, m: Msg, retour: bool, stop: bool) -> None:
    w.open("Client")
    _client_head(w, m, False)
    group, item = ("StopProducten", "StopProduct") if stop else ("StartProducten", "StartProduct")
    w.open(group)
    for line in m.lines:
        w.open(item)
        w.el("ToewijzingNummer", line.get("toewijzingnummer"))
        _product(w, line)
        w.el("ToewijzingIngangsdatum", line.get("toewijzing_ingangsdatum"))
        w.el("Begindatum", line.get("begindatum"))
        if stop:
            w.el("RedenBeeindiging", line.get("reden_beeindiging"))
            w.el("Einddatum", line.get("einddatum"))
        w.el("StatusAanlevering", line.get("status_aanlevering", "1"))
        _codes(w, _line_codes(line, retour))
        w.close(item)
    w.close(group)
    _codes(w, ["0200"] if retour else None)
    w.close("Client")


def _body_315(w: _W, m: Msg, retour: bool) -> None:
    w.open("Client")
    _client_head(w, m, False)
    w.el("Commentaar", "Vrije tekst over de aanvraag")
    w.open("AangevraagdeProducten")
    for line in m.lines:
        w.open("AangevraagdProduct")
        w.el("ReferentieAanbieder", line.get("referentie_aanbieder"))
        _product(w, line)
        w.el("ToewijzingIngangsdatum", line.get("ingangsdatum"))
        w.el("ToewijzingEinddatum", line.get("einddatum"))
        _omvang(w, line)
        w.open("Verwijzer")
        w.el("Type", line.get("verwijzer_type"), True)
        w.el("Naam", "Dokter Verwijsma", True)
        w.el("ZorgverlenerCode", "01999999", True)
        w.close("Verwijzer")
        _codes(w, _line_codes(line, retour))
        w.close("AangevraagdProduct")
    w.close("AangevraagdeProducten")
    _codes(w, ["0200"] if retour else None)
    w.close("Client")


def _body_317(w: _W, m: Msg, retour: bool) -> None:
    w.open("Client")
    w.el("Bsn", m.bsn)
    w.open("Verzoek")
    w.el("ReferentieAanbieder", m.referentie_aanbieder)
    w.el("RedenVerzoek", m.reden_verzoek)
    kinds = {"ongewijzigd": [], "te_wijzigen": [], "nieuw": []}
    for line in m.lines:
        if line.get("toewijzingnummer") is None:
            kinds["nieuw"].append(line)
        elif line.get("ingangsdatum") is None:
            kinds["ongewijzigd"].append(line)
        else:
            kinds["te_wijzigen"].append(line)
    for kind, group, item in (
        ("ongewijzigd", "OngewijzigdeProducten", "OngewijzigdProduct"),
        ("te_wijzigen", "TeWijzigenProducten", "TeWijzigenProduct"),
        ("nieuw", "NieuweProducten", "NieuwProduct"),
    ):
        if not kinds[kind]:
            continue
        w.open(group)
        for line in kinds[kind]:
            w.open(item)
            w.el("ToewijzingNummer", line.get("toewijzingnummer"))
            if kind == "nieuw":
                _product(w, line)
            if kind != "ongewijzigd":
                w.el("GewensteIngangsdatum", line.get("ingangsdatum"))
                w.el("Einddatum", line.get("einddatum"))
                _omvang(w, line)
            _codes(w, _line_codes(line, retour))
            w.close(item)
        w.close(group)
    _codes(w, ["0200"] if retour else None)
    w.close("Verzoek")
    _codes(w, ["0200"] if retour else None)
    w.close("Client")


def _body_319(w: _W, m: Msg, retour: bool) -> None:
    for line in m.lines:
        w.open("Antwoord")
        w.el("ReferentieAanbieder", line.get("referentie_aanbieder"))
        w.el("VerzoekAntwoord", line.get("verzoek_antwoord"))
        w.el("RedenAfwijzingVerzoek", line.get("reden_afwijzing"))
        _codes(w, _line_codes(line, retour))
        w.close("Antwoord")


def _prestatie(w: _W, line: dict, retour: bool) -> None:
    w.open("Prestatie")
    w.open("ProductReferentie")
    w.el("ReferentieNummer", line.get("referentienummer"), True)
    w.el("VorigReferentieNummer", line.get("vorig_referentienummer"), True)
    w.close("ProductReferentie")
    w.el("ToewijzingNummer", line.get("toewijzingnummer"))
    w.el("ProductCategorie", line.get("productcategorie"))
    w.el("ProductCode", line.get("productcode"))
    w.open("ProductPeriode")
    w.el("Begindatum", line.get("productperiode_begin"), True)
    w.el("Einddatum", line.get("productperiode_eind"), True)
    w.close("ProductPeriode")
    w.el("GeleverdVolume", line.get("geleverd_volume"))
    w.el("Eenheid", line.get("eenheid"))
    w.open("IngediendBedrag")
    w.el("Bedrag", line.get("ingediend_bedrag"), True)
    w.el("DebetCredit", line.get("debet_credit", "D"), True)
    w.close("IngediendBedrag")
    _codes(w, _line_codes(line, retour))
    w.close("Prestatie")


def _by_client(m: Msg) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for line in m.lines:
        out.setdefault(line.get("bsn", m.bsn), []).append(line)
    return out


def _body_323(w: _W, m: Msg) -> None:
    w.open("Declaratie")
    w.el("DeclaratieNummer", m.declaratienummer)
    w.open("DeclaratiePeriode")
    w.el("Begindatum", "2024-02-01", True)
    w.el("Einddatum", "2024-02-29", True)
    w.close("DeclaratiePeriode")
    w.el("DeclaratieDagtekening", m.dagtekening)
    total = sum(int(line.get("ingediend_bedrag", 0)) for line in m.lines)
    w.open("TotaalIngediendBedrag")
    w.el("TotaalBedrag", total, True)
    w.el("DebetCredit", "D", True)
    w.close("TotaalIngediendBedrag")
    w.open("Clienten")
    for bsn, lines in _by_client(m).items():
        w.open("Client")
        w.el("Bsn", bsn)
        w.open("Prestaties")
        for line in lines:
            _prestatie(w, line, False)
        w.close("Prestaties")
        w.close("Client")
    w.close("Clienten")
    w.close("Declaratie")


def _body_325(w: _W, m: Msg) -> None:
    w.open("DeclaratieAntwoord")
    w.el("DeclaratieNummer", m.declaratienummer)
    for name in ("TotaalIngediendBedrag", "TotaalToegekendBedrag"):
        w.open(name)
        w.el("TotaalBedrag", 1000, True)
        w.el("DebetCredit", "D", True)
        w.close(name)
    if m.lines:
        w.open("Clienten")
        for bsn, lines in _by_client(m).items():
            w.open("Client")
            w.el("Bsn", bsn)
            w.open("Prestaties")
            for line in lines:
                _prestatie(w, line, True)
            w.close("Prestaties")
            _codes(w, ["0200"])
            w.close("Client")
        w.close("Clienten")
    _codes(w, m.retourcodes if not m.lines else ["0200"])
    w.close("DeclaratieAntwoord")


def to_xml(m: Msg, encoding: str = "UTF-8") -> bytes:
    """The message as an XML document (XSD-valid for 3.2 when the spec holds valid values)."""
    rel = m.release.replace(".", "_")
    jw = m.type.lower()
    major, minor = m.release.split(".")
    retour = m.type in codes.RETOUR_OF
    w = _W()
    w.parts.append(f'<?xml version="1.0" encoding="{encoding}"?>')
    w.parts.append(f'<m:Bericht xmlns:m="{NS.format(rel=rel, jw=jw)}" xmlns:ijw="{BASIS.format(rel=rel)}">')
    w.open("Header")
    w.el("BerichtCode", m.berichtcode or codes.BERICHTCODE[m.type])
    w.el("BerichtVersie", m.versie or major)
    w.el("BerichtSubversie", minor)
    w.el("Afzender", m.afzender)
    w.el("Ontvanger", m.ontvanger)
    w.open("BerichtIdentificatie")
    if m.type == "JW325":
        w.el("Identificatie", m.ident_retour, True)
        w.el("Dagtekening", m.dagtekening_retour, True)
    else:
        w.el("Identificatie", m.ident, True)
        w.el("Dagtekening", m.dagtekening, True)
    w.close("BerichtIdentificatie")
    w.open("XsdVersie")
    w.el("BasisschemaXsdVersie", "1.0.0", True)
    w.el("BerichtXsdVersie", "1.0.0", True)
    w.close("XsdVersie")
    if m.type == "JW325":
        w.open("DeclaratieIdentificatie")
        w.el("Identificatie", m.ident, True)
        w.el("Dagtekening", m.dagtekening, True)
        w.close("DeclaratieIdentificatie")
        w.open("XsdVersieDeclaratie")
        w.el("BasisschemaXsdVersie", "1.0.0", True)
        w.el("BerichtXsdVersie", "1.0.0", True)
        w.close("XsdVersieDeclaratie")
        _codes(w, m.retourcodes)
    elif retour:
        w.el("IdentificatieRetour", m.ident_retour)
        w.el("DagtekeningRetour", m.dagtekening_retour)
        w.open("XsdVersieRetour")
        w.el("BasisschemaXsdVersie", "1.0.0", True)
        w.el("BerichtXsdVersie", "1.0.0", True)
        w.close("XsdVersieRetour")
        _codes(w, m.retourcodes)
    w.close("Header")
    base = codes.RETOUR_OF.get(m.type, m.type)
    if m.type == "JW325":
        _body_325(w, m)
    elif retour and not m.lines:
        pass  # nothing echoed
    elif base == "JW301":
        _body_301(w, m, retour)
    elif base in ("JW305", "JW307"):
        _body_305_307(w, m, retour, stop=base == "JW307")
    elif base == "JW315":
        _body_315(w, m, retour)
    elif base == "JW317":
        _body_317(w, m, retour)
    elif base == "JW319":
        _body_319(w, m, retour)
    elif base == "JW323":
        _body_323(w, m)
    w.parts.append("</m:Bericht>")
    return "".join(w.parts).encode("utf-8" if encoding.upper() == "UTF-8" else encoding)


def csv_rows(m: Msg) -> list[dict]:
    """The message as export rows (column -> value), as docs/data-formats.md describes."""
    retour = m.type in codes.RETOUR_OF
    base = {
        "berichttype": m.type,
        "release": m.release,
        "afzender": m.afzender,
        "ontvanger": m.ontvanger,
        "bericht_identificatie": m.ident,
        "dagtekening": m.dagtekening,
    }
    heen = codes.RETOUR_OF.get(m.type, m.type)
    if heen not in ("JW319", "JW323"):
        base["bsn"] = m.bsn
    if heen in ("JW301", "JW305", "JW307", "JW315"):
        base.update({"geboortedatum": m.geboortedatum, "geslacht": m.geslacht, "achternaam": m.achternaam})
    if heen == "JW301":
        base["postcode"] = m.postcode
    if heen == "JW317":
        base.update({"referentie_aanbieder": m.referentie_aanbieder, "reden_verzoek": m.reden_verzoek})
    if heen == "JW323":
        base["declaratienummer"] = m.declaratienummer
    rows = []
    if retour and not m.lines:
        return [{**base, "retourcode": m.retourcodes[0]}]
    for line in m.lines:
        if heen == "JW323":
            base["bsn"] = line.get("bsn", m.bsn)
        row = {**base, **{k: v for k, v in line.items() if k not in ("toewijzing_ingangsdatum",)}}
        if "toewijzing_ingangsdatum" in line:
            row["ingangsdatum"] = line["toewijzing_ingangsdatum"]
        if heen in ("JW305", "JW307"):
            row.setdefault("status_aanlevering", "1")
        if heen == "JW323":
            row.setdefault("debet_credit", "D")
        if retour:
            row["retourcode"] = line.get("retourcode", "0200")
        else:
            row.pop("retourcode", None)
        rows.append(row)
    return rows


def to_csv(msgs: list[Msg]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for m in msgs:
        for row in csv_rows(m):
            writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in EXPORT_COLUMNS])
    return buf.getvalue().encode("utf-8")


# ---------------------------------------------------------------- line factories


def toewijzing(nr: int, datum: str = "2024-03-01", tijd: str = "10:00:00", **kw: object) -> dict:
    line = {
        "toewijzingnummer": str(nr),
        "productcategorie": "45",
        "productcode": "45A01",
        "toewijzingsdatum": datum,
        "toewijzingstijd": tijd,
        "ingangsdatum": "2024-03-04",
        "einddatum": "2024-12-31",
        "volume": "4",
        "eenheid": "04",
        "frequentie": "2",
    }
    line.update({k: (None if v is None else str(v)) for k, v in kw.items()})
    return line


def start(nr: int, begindatum: str = "2024-03-10", status: str = "1", **kw: object) -> dict:
    line = {
        "toewijzingnummer": str(nr),
        "productcategorie": "45",
        "productcode": "45A01",
        "toewijzing_ingangsdatum": "2024-03-04",
        "begindatum": begindatum,
        "status_aanlevering": status,
    }
    line.update({k: (None if v is None else str(v)) for k, v in kw.items()})
    return line


def stop(
    nr: int,
    einddatum: str,
    reden: str = "31",
    begindatum: str = "2024-03-10",
    status: str = "1",
    **kw: object,
) -> dict:
    line = start(nr, begindatum, status, **kw)
    line.update({"reden_beeindiging": reden, "einddatum": einddatum})
    return line


def aanvraag(ref: str, verwijzer: str = "02", **kw: object) -> dict:
    line = {
        "referentie_aanbieder": ref,
        "productcategorie": "45",
        "productcode": "45A01",
        "ingangsdatum": "2024-03-04",
        "einddatum": "2024-12-31",
        "volume": "4",
        "eenheid": "04",
        "frequentie": "2",
        "verwijzer_type": verwijzer,
    }
    line.update({k: (None if v is None else str(v)) for k, v in kw.items()})
    return line


def prestatie(ref: str, nr: int, **kw: object) -> dict:
    line = {
        "referentienummer": ref,
        "toewijzingnummer": str(nr),
        "productcategorie": "45",
        "productcode": "45A01",
        "productperiode_begin": "2024-02-01",
        "productperiode_eind": "2024-02-29",
        "geleverd_volume": "10",
        "eenheid": "04",
        "ingediend_bedrag": "95000",
    }
    line.update({k: (None if v is None else str(v)) for k, v in kw.items()})
    return line
