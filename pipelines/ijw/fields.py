"""Validation and row building shared by the XML and the CSV reader.

Both readers turn a record into a *raw* dict of stripped strings keyed by the column names of the flat CSV
export (docs/data-formats.md); everything after that is common code here. That is what makes "the same
traffic via XML and via CSV" produce the same rows.

Invariants:
- A check never raises on bad input: it records (code, Dutch sentence) and returns None.
- The BSN is validated (elfproef) and pseudonymised here, and only the pseudonym leaves this module.
- The birth date leaves as year and month only; a postcode as PC4 only.
"""

from __future__ import annotations

import re
from datetime import date, time

from pipelines import codes, pseudonym
from pipelines.ijw import spec
from pipelines.ijw.reasons import reason

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?$")
_INT = re.compile(r"^[+-]?\d{1,18}$")
_PC4 = re.compile(r"^([1-9]\d{3})")

GEMEENTE_AFZENDER = frozenset({"JW301", "JW302", "JW319", "JW320", "JW325"})
RETOUR_TYPES = frozenset(codes.RETOUR_OF)
HEEN_TYPES = frozenset(codes.HEEN_TO_RETOUR)
WITH_DEMOGRAPHICS = frozenset({"JW301", "JW302", "JW305", "JW306", "JW307", "JW308", "JW315", "JW316"})


class Check:
    """Collects the problems of one record (or one header/client) while converting values."""

    __slots__ = ("errors",)

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def fail(self, code: str, **kw: object) -> None:
        self.errors.append((code, reason(code, **kw)))

    def text(
        self, raw: dict, key: str, element: str, required: bool = False, max_len: int = 64
    ) -> str | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail("IJW_ELEMENT_ONTBREEKT", element=element)
            return None
        if len(value) > max_len:
            self.fail("IJW_TEKST_TE_LANG", element=element, limit=max_len)
            return None
        return value

    def date(self, raw: dict, key: str, element: str, required: bool = False) -> date | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail("IJW_ELEMENT_ONTBREEKT", element=element)
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.fail("IJW_DATUM_ONGELDIG", element=element, value=value)
        return parsed

    def time(self, raw: dict, key: str, element: str, required: bool = False) -> time | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail("IJW_ELEMENT_ONTBREEKT", element=element)
            return None
        m = _TIME.match(value)
        if m:
            h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if h < 24 and mi < 60 and s < 60:
                return time(h, mi, s)
        self.fail("IJW_TIJD_ONGELDIG", element=element, value=value)
        return None

    def code(
        self, raw: dict, key: str, element: str, codelist: str, values: dict, required: bool = False
    ) -> str | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail("IJW_ELEMENT_ONTBREEKT", element=element)
            return None
        if value not in values:
            self.fail("IJW_CODE_ONGELDIG", element=element, value=value, codelist=codelist)
            return None
        return value

    def integer(self, raw: dict, key: str, element: str, required: bool = False) -> int | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail("IJW_ELEMENT_ONTBREEKT", element=element)
            return None
        if not _INT.match(value):
            self.fail("IJW_GETAL_ONGELDIG", element=element, value=value)
            return None
        return int(value)

    def gemeente(self, raw: dict, key: str, element: str, required: bool = False) -> str | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail("IJW_ELEMENT_ONTBREEKT", element=element)
            return None
        if len(value) != 4 or not value.isdigit() or not value.isascii():
            self.fail("IJW_GEMEENTE_ONGELDIG", element=element, value=value)
            return None
        return value

    def agb(self, raw: dict, key: str, element: str, required: bool = False) -> str | None:
        value = raw.get(key)
        if value is None:
            if required:
                self.fail("IJW_ELEMENT_ONTBREEKT", element=element)
            return None
        if len(value) != 8 or not value.isdigit() or not value.isascii():
            self.fail("IJW_AGB_ONGELDIG", element=element, value=value)
            return None
        return value


def is_agb(value: str | None) -> bool:
    return value is not None and len(value) == 8 and value.isdigit() and value.isascii()


def is_gemeente(value: str | None) -> bool:
    return value is not None and len(value) == 4 and value.isdigit() and value.isascii()


def heen_afzender(msgtype: str, header: dict) -> str | None:
    """The sender of the heenbericht a retour answers (JW325: the aanbieder, whichever way it is written)."""
    if msgtype == "JW325":
        return header["afzender"] if is_agb(header["afzender"]) else header["ontvanger"]
    return header["afzender"]


_DATE_CACHE: dict[str, date | None] = {}
_CLIENT_IDS: dict[bytes, dict[str, str | None]] = {}
CACHE_MAX = 500_000  # entries per cache; a cache is emptied when full (bounded memory per worker)


def parse_date(value: str) -> date | None:
    """A strict ISO date (YYYY-MM-DD, no timezone), or None (memoised: dates repeat a lot)."""
    try:
        return _DATE_CACHE[value]
    except KeyError:
        pass
    parsed = _parse_date(value)
    if len(_DATE_CACHE) >= CACHE_MAX:
        _DATE_CACHE.clear()
    _DATE_CACHE[value] = parsed
    return parsed


def client_id_of(bsn: str, key: bytes) -> str | None:
    """The pseudonym of a BSN that passes the elfproef, else None (memoised per key within a process)."""
    ids = _CLIENT_IDS.get(key)
    if ids is None:
        ids = _CLIENT_IDS[key] = {}
    try:
        return ids[bsn]
    except KeyError:
        pass
    client_id = pseudonym.pseudonymise(bsn, key) if codes.bsn_elfproef(bsn) else None
    if len(ids) >= CACHE_MAX:
        ids.clear()
    ids[bsn] = client_id
    return client_id


def _parse_date(value: str) -> date | None:
    if not _DATE.match(value):
        return None
    try:
        return date(int(value[:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        return None


def normalise_number(value: str | None) -> str:
    """ToewijzingNummer as a key part: leading zeros dropped, empty when absent."""
    if value is None:
        return ""
    return (value.lstrip("0") or "0") if value.isdigit() else value


# Per heenbericht type: the parts of its line key, each with "is a number whose leading zeros are dropped".
KEY_PARTS: dict[str, tuple[tuple[str, bool], ...]] = {
    jw: tuple((name, m.normalised_key(name)) for name in m.key) for jw, m in spec.MESSAGES.items()
}


def line_key(heen_type: str, raw: dict) -> str:
    """The key of a line within its heenbericht, identical for the heen line, its XML echo and its CSV row."""
    g = raw.get
    return "|".join(
        (normalise_number(g(name)) if number else g(name)) or ""
        for name, number in KEY_PARTS.get(heen_type, ())
    )


# ---------------------------------------------------------------- header


def check_header(msgtype: str, raw: dict, c: Check) -> dict:
    """Typed header values of one message (XML) or one CSV row."""
    gemeente_first = msgtype in GEMEENTE_AFZENDER
    if msgtype == "JW325" and is_agb(raw.get("afzender")) and is_gemeente(raw.get("ontvanger")):
        gemeente_first = False  # tolerated: a JW325 that echoes the JW323 header like the other retours
    if gemeente_first:
        afzender = c.gemeente(raw, "afzender", "Afzender", required=True)
        ontvanger = c.agb(raw, "ontvanger", "Ontvanger", required=True)
    else:
        afzender = c.agb(raw, "afzender", "Afzender", required=True)
        ontvanger = c.gemeente(raw, "ontvanger", "Ontvanger", required=True)
    ident = c.text(
        raw, "bericht_identificatie", "BerichtIdentificatie/Identificatie", required=True, max_len=36
    )
    dagtekening = c.date(raw, "dagtekening", "BerichtIdentificatie/Dagtekening", required=True)
    return {
        "berichttype": msgtype,
        "release": raw.get("release"),
        "afzender": afzender,
        "ontvanger": ontvanger,
        "bericht_identificatie": ident,
        "dagtekening": dagtekening,
    }


# ---------------------------------------------------------------- client


def check_client(msgtype: str, raw: dict, c: Check, key: bytes, position: str) -> dict:
    """Pseudonymised client fields: client_id, geboortejaar, geboortemaand, geslacht (and pc4)."""
    bsn = raw.get("bsn")
    client_id = None
    if bsn is None:
        c.fail("IJW_ELEMENT_ONTBREEKT", element="Client/Bsn")
    else:
        client_id = client_id_of(bsn, key)
        if client_id is None:
            c.fail("IJW_BSN_ONGELDIG", position=position)
    out: dict = {"client_id": client_id}
    if msgtype in WITH_DEMOGRAPHICS:
        geb = raw.get("geboortedatum")
        jaar = maand = None
        if geb is None:
            c.fail("IJW_ELEMENT_ONTBREEKT", element="Client/Geboortedatum/Datum")
        else:
            parsed = parse_date(geb)
            if parsed is None:
                c.fail("IJW_DATUM_ONGELDIG_PERSOON", element="Client/Geboortedatum/Datum")
            else:
                jaar, maand = parsed.year, parsed.month
        out["geboortejaar"] = jaar
        out["geboortemaand"] = maand
        out["geslacht"] = c.code(raw, "geslacht", "Client/Geslacht", "COD046", codes.COD046, required=True)
        pc = raw.get("postcode")
        m = _PC4.match(pc) if pc else None
        out["pc4"] = m.group(1) if m else None
    return out


# ---------------------------------------------------------------- lines


def _product(raw: dict, c: Check, required: bool = False) -> tuple[str | None, str | None]:
    cat = c.code(raw, "productcategorie", "Product/Categorie", "JZ020", codes.JZ020, required=required)
    code = c.text(raw, "productcode", "Product/Code", max_len=5)
    return cat, code


def _omvang(raw: dict, c: Check) -> dict:
    return {
        "volume": c.integer(raw, "volume", "Omvang/Volume"),
        "eenheid": c.code(raw, "eenheid", "Omvang/Eenheid", "WJ756", codes.WJ756),
        "frequentie": c.code(raw, "frequentie", "Omvang/Frequentie", "WMO757", codes.WMO757),
        "budget": c.integer(raw, "budget", "Budget"),
    }


def line_301(raw: dict, c: Check) -> dict:
    cat, code = _product(raw, c)
    return {
        "toewijzingnummer": c.integer(raw, "toewijzingnummer", "ToewijzingNummer", required=True),
        "referentie_aanbieder": c.text(raw, "referentie_aanbieder", "ReferentieAanbieder", max_len=36),
        "productcategorie": cat,
        "productcode": code,
        "toewijzingsdatum": c.date(raw, "toewijzingsdatum", "Toewijzingsdatum", required=True),
        "toewijzingstijd": c.time(raw, "toewijzingstijd", "Toewijzingstijd", required=True),
        "ingangsdatum": c.date(raw, "ingangsdatum", "Ingangsdatum", required=True),
        "einddatum": c.date(raw, "einddatum", "Einddatum"),
        "reden_wijziging": c.code(raw, "reden_wijziging", "RedenWijziging", "JZ002", codes.JZ002),
        **_omvang(raw, c),
    }


def line_305(raw: dict, c: Check) -> dict:
    cat, code = _product(raw, c)
    return {
        "toewijzingnummer": c.integer(raw, "toewijzingnummer", "ToewijzingNummer"),
        "productcategorie": cat,
        "productcode": code,
        "toewijzing_ingangsdatum": c.date(raw, "toewijzing_ingangsdatum", "ToewijzingIngangsdatum"),
        "begindatum": c.date(raw, "begindatum", "Begindatum", required=True),
        "status_aanlevering": c.code(
            raw, "status_aanlevering", "StatusAanlevering", "COD467", codes.COD467, required=True
        ),
    }


def line_307(raw: dict, c: Check) -> dict:
    out = line_305(raw, c)
    out["reden_beeindiging"] = c.code(
        raw, "reden_beeindiging", "RedenBeeindiging", "JZ588", codes.JZ588, required=True
    )
    out["einddatum"] = c.date(raw, "einddatum", "Einddatum", required=True)
    return out


def line_315(raw: dict, c: Check) -> dict:
    cat, code = _product(raw, c)
    return {
        "verzoek_soort": "toewijzing",
        "product_soort": "aangevraagd",
        "referentie_aanbieder": c.text(
            raw, "referentie_aanbieder", "ReferentieAanbieder", required=True, max_len=36
        ),
        "toewijzingnummer": None,
        "productcategorie": cat,
        "productcode": code,
        "ingangsdatum": c.date(raw, "ingangsdatum", "ToewijzingIngangsdatum", required=True),
        "einddatum": c.date(raw, "einddatum", "ToewijzingEinddatum"),
        **_omvang(raw, c),
        "verwijzer_type": c.code(
            raw, "verwijzer_type", "Verwijzer/Type", "COD327", codes.COD327, required=True
        ),
        "reden_verzoek": None,
    }


def line_317(raw: dict, c: Check) -> dict:
    cat, code = _product(raw, c)
    soort = spec.product_soort_317(raw)
    return {
        "verzoek_soort": "wijziging",
        "product_soort": soort,
        "referentie_aanbieder": c.text(
            raw, "referentie_aanbieder", "Verzoek/ReferentieAanbieder", required=True, max_len=36
        ),
        "toewijzingnummer": c.integer(raw, "toewijzingnummer", "ToewijzingNummer"),
        "productcategorie": cat,
        "productcode": code,
        "ingangsdatum": c.date(raw, "ingangsdatum", "GewensteIngangsdatum"),
        "einddatum": c.date(raw, "einddatum", "Einddatum"),
        **_omvang(raw, c),
        "verwijzer_type": None,
        "reden_verzoek": c.code(
            raw, "reden_verzoek", "Verzoek/RedenVerzoek", "WJ758", codes.WJ758, required=True
        ),
    }


def line_319(raw: dict, c: Check) -> dict:
    return {
        "referentie_aanbieder": c.text(
            raw, "referentie_aanbieder", "Antwoord/ReferentieAanbieder", required=True, max_len=36
        ),
        "verzoek_antwoord": c.code(
            raw, "verzoek_antwoord", "Antwoord/VerzoekAntwoord", "WJ760", codes.WJ760, required=True
        ),
        "reden_afwijzing": c.code(
            raw, "reden_afwijzing", "Antwoord/RedenAfwijzingVerzoek", "WJ759", codes.WJ759
        ),
        "woonplaatsbeginsel_gemeente": c.gemeente(
            raw, "woonplaatsbeginsel_gemeente", "Woonplaatsbeginsel/Gemeente"
        ),
    }


def _int_ok(value: str | None) -> bool:
    # isdecimal() is exactly regex \d (Unicode Nd); the regex decides everything else
    if value is None:
        return False
    if value.isdecimal() and len(value) <= 18:
        return True
    return _INT.match(value) is not None


def _line_323_valid(raw: dict) -> dict | None:
    """`line_323` for a line without any problem, inlined (the hot path of a declaratie); None when any
    check would fail, so that the caller runs the full checks and gets the exact same reasons."""
    g = raw.get
    dc = g("debet_credit")
    decl = g("declaratienummer")
    ref = g("referentienummer")
    vorig = g("vorig_referentienummer")
    tnr = g("toewijzingnummer")
    cat = g("productcategorie")
    code = g("productcode")
    begin = g("productperiode_begin")
    eind = g("productperiode_eind")
    volume = g("geleverd_volume")
    eenheid = g("eenheid")
    tarief = g("product_tarief")
    bedrag = g("ingediend_bedrag")
    if (
        (dc is not None and dc not in ("D", "C"))
        or decl is None
        or len(decl) > 12
        or ref is None
        or len(ref) > 36
        or (vorig is not None and len(vorig) > 36)
        or not _int_ok(tnr)
        or cat not in codes.JZ020
        or code is None
        or len(code) > 5
        or begin is None
        or eind is None
        or not _int_ok(volume)
        or eenheid not in codes.WJ756
        or (tarief is not None and not _int_ok(tarief))
        or not _int_ok(bedrag)
    ):
        return None
    begin_d = parse_date(begin)
    eind_d = parse_date(eind)
    if begin_d is None or eind_d is None:
        return None
    return {
        "declaratienummer": decl,
        "referentienummer": ref,
        "vorig_referentienummer": vorig,
        "toewijzingnummer": int(tnr),
        "productcategorie": cat,
        "productcode": code,
        "productperiode_begin": begin_d,
        "productperiode_eind": eind_d,
        "geleverd_volume": int(volume),
        "eenheid": eenheid,
        "product_tarief": None if tarief is None else int(tarief),
        "ingediend_bedrag": int(bedrag),
        "debet_credit": dc,
    }


def line_323(raw: dict, c: Check) -> dict:
    fast = _line_323_valid(raw)
    if fast is not None:
        return fast
    dc = raw.get("debet_credit")
    if dc is not None and dc not in ("D", "C"):
        c.fail("IJW_CODE_ONGELDIG", element="IngediendBedrag/DebetCredit", value=dc, codelist="COD043")
        dc = None
    return {
        "declaratienummer": c.text(raw, "declaratienummer", "DeclaratieNummer", required=True, max_len=12),
        "referentienummer": c.text(
            raw, "referentienummer", "ProductReferentie/ReferentieNummer", required=True, max_len=36
        ),
        "vorig_referentienummer": c.text(
            raw, "vorig_referentienummer", "ProductReferentie/VorigReferentieNummer", max_len=36
        ),
        "toewijzingnummer": c.integer(raw, "toewijzingnummer", "ToewijzingNummer", required=True),
        "productcategorie": c.code(
            raw, "productcategorie", "ProductCategorie", "JZ020", codes.JZ020, required=True
        ),
        "productcode": c.text(raw, "productcode", "ProductCode", required=True, max_len=5),
        "productperiode_begin": c.date(
            raw, "productperiode_begin", "ProductPeriode/Begindatum", required=True
        ),
        "productperiode_eind": c.date(raw, "productperiode_eind", "ProductPeriode/Einddatum", required=True),
        "geleverd_volume": c.integer(raw, "geleverd_volume", "GeleverdVolume", required=True),
        "eenheid": c.code(raw, "eenheid", "Eenheid", "WJ756", codes.WJ756, required=True),
        "product_tarief": c.integer(raw, "product_tarief", "ProductTarief"),
        "ingediend_bedrag": c.integer(raw, "ingediend_bedrag", "IngediendBedrag/Bedrag", required=True),
        "debet_credit": dc,
    }


LINE_BUILDERS = {
    "JW301": line_301,
    "JW305": line_305,
    "JW307": line_307,
    "JW315": line_315,
    "JW317": line_317,
    "JW319": line_319,
    "JW323": line_323,
}


def role_columns(msgtype: str, header: dict) -> dict:
    """gemeente_code and aanbieder_agb from the header, by direction of the message."""
    if msgtype in GEMEENTE_AFZENDER and not (msgtype == "JW325" and is_agb(header["afzender"])):
        return {"gemeente_code": header["afzender"], "aanbieder_agb": header["ontvanger"]}
    return {"gemeente_code": header["ontvanger"], "aanbieder_agb": header["afzender"]}


def is_rejecting(codes_: list[str]) -> bool:
    """True when any retourcode means "rejected" (anything but 0200 and 8001)."""
    return any(code not in codes.ACCEPTING_RETOURCODES for code in codes_)


# Klasse names of the echoed lines of each retour (JW318: per product kind).
RETOUR_KLASSE = {
    "JW302": "ToegewezenProduct",
    "JW306": "StartProduct",
    "JW308": "StopProduct",
    "JW316": "AangevraagdProduct",
    "JW320": "Antwoord",
    "JW325": "Prestatie",
}
KLASSE_317 = {
    "ongewijzigd": "OngewijzigdProduct",
    "te_wijzigen": "TeWijzigenProduct",
    "nieuw": "NieuwProduct",
}


def retour_line_fields(rettype: str, raw: dict, key: bytes) -> dict:
    """Key fields of an echoed line (no validation beyond what linkage needs)."""
    heen = codes.RETOUR_OF[rettype]
    bsn = raw.get("bsn")
    client_id = client_id_of(bsn, key) if bsn else None
    tnr = raw.get("toewijzingnummer")
    return {
        "regel_sleutel": line_key(heen, raw),
        "client_id": client_id,
        "toewijzingnummer": int(tnr) if tnr and tnr.isdigit() and len(tnr) < 18 else None,
        "referentie_aanbieder": raw.get("referentie_aanbieder"),
        "declaratienummer": raw.get("declaratienummer"),
        "referentienummer": raw.get("referentienummer"),
    }
