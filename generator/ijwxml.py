"""iJw 3.2 message rendering: fast string templates for the XML and the matching flat-CSV rows.

Invariants protected here:
* element order follows the XSD sequence of `../shared/ijw-xsd/3.2/jwNNN.xsd` exactly; elements declared
  in the message schema carry the message prefix, children of CDT types carry `ijw:` (basisschema namespace);
* every text value passes through `esc()`, so names with `&`, `<` or quotes stay well-formed;
* BerichtCode comes from `pipelines.codes.BERICHTCODE`; BerichtVersie 3, BerichtSubversie 2, XsdVersie 1.0.0;
* retours repeat the heenbericht's Afzender, Ontvanger, BerichtIdentificatie and XsdVersie (ijw.md §3.9);
* the CSV row of a message has exactly the columns of `CSV_COLUMNS` (docs/data-formats.md), one row per
  product line (per Antwoord for JW319/JW320; one row with empty product columns for a retour that echoes
  nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines import codes

NS_BASIS = "http://www.istandaarden.nl/ijw/3_2/basisschema/schema"
XSD_VERSIE = "1.0.0"

CSV_COLUMNS: tuple[str, ...] = (
    "berichttype",
    "release",
    "afzender",
    "ontvanger",
    "bericht_identificatie",
    "dagtekening",
    "bsn",
    "geboortedatum",
    "geslacht",
    "achternaam",
    "postcode",
    "toewijzingnummer",
    "referentie_aanbieder",
    "productcategorie",
    "productcode",
    "toewijzingsdatum",
    "toewijzingstijd",
    "ingangsdatum",
    "einddatum",
    "reden_wijziging",
    "volume",
    "eenheid",
    "frequentie",
    "budget",
    "begindatum",
    "reden_beeindiging",
    "status_aanlevering",
    "verwijzer_type",
    "reden_verzoek",
    "verzoek_antwoord",
    "reden_afwijzing",
    "declaratienummer",
    "referentienummer",
    "vorig_referentienummer",
    "productperiode_begin",
    "productperiode_eind",
    "geleverd_volume",
    "ingediend_bedrag",
    "debet_credit",
    "retourcode",
)
_COL_INDEX = {c: i for i, c in enumerate(CSV_COLUMNS)}


def ns(msg_type: str) -> str:
    return f"http://www.istandaarden.nl/ijw/3_2/{msg_type.lower()}/schema"


def esc(value: str) -> str:
    """Escape text for XML element content."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@dataclass
class Persoon:
    """A child as the messages show it (all fictitious)."""

    bsn: str
    geboortedatum: str
    geslacht: str
    voornamen: str
    voorletters: str
    voorvoegsel: str
    achternaam: str
    straat: str
    huisnummer: int
    postcode: str
    plaats: str
    telefoon: str
    email: str
    ouder_voornaam: str = ""
    ouder_telefoon: str = ""


@dataclass
class Regel:
    """One product line. Only the fields the message type uses are filled."""

    toewijzingnummer: int | None = None
    referentie: str = ""
    categorie: str = ""
    code: str = ""
    toewijzingsdatum: str = ""
    toewijzingstijd: str = ""
    ingangsdatum: str = ""
    einddatum: str = ""
    reden_wijziging: str = ""
    volume: int | None = None
    eenheid: str = ""
    frequentie: str = ""
    begindatum: str = ""
    reden_beeindiging: str = ""
    status: str = ""
    verwijzer_type: str = ""
    verwijzer_naam: str = ""
    verwijzer_agb: str = ""
    soort: str = ""  # JW317: "ongewijzigd" | "tewijzigen" | "nieuw"
    # JW323 line
    referentienummer: str = ""
    vorig_referentienummer: str = ""
    periode_begin: str = ""
    periode_eind: str = ""
    geleverd_volume: int = 0
    bedrag: int = 0
    retourcode: str = ""


@dataclass
class Bericht:
    """One iJw message (heen or retour) ready to render."""

    type: str
    afzender: str
    ontvanger: str
    identificatie: str
    dagtekening: str
    persoon: Persoon | None = None
    regels: list[Regel] = field(default_factory=list)
    bsn: str = ""  # JW317 (no Persoon)
    reden_verzoek: str = ""
    verzoek_antwoord: str = ""
    reden_afwijzing: str = ""
    declaratienummer: str = ""
    periode: tuple[str, str] = ("", "")
    clienten: list[tuple[str, list[Regel]]] = field(default_factory=list)  # JW323
    # retour fields
    heen: Bericht | None = None
    identificatie_retour: str = ""
    dagtekening_retour: str = ""
    retourcode: str = "0200"  # header code
    regelcode: str = ""  # when set, the client is echoed with this code on each product line
    commentaar: str = ""
    fout: str = ""  # generator-internal tag of a deliberate fault (never rendered)

    @property
    def verzender(self) -> str:
        """The party that actually sends this file (for a retour: the heenbericht's receiver)."""
        return self.heen.ontvanger if self.heen is not None else self.afzender


def _e(tag: str, value: object) -> str:
    return f"<{tag}>{value}</{tag}>"


def _hdr(p: str, b: Bericht) -> list[str]:
    return [
        f"<{p}:Header>",
        _e(f"{p}:BerichtCode", codes.BERICHTCODE[b.type]),
        _e(f"{p}:BerichtVersie", 3),
        _e(f"{p}:BerichtSubversie", 2),
        _e(f"{p}:Afzender", b.afzender),
        _e(f"{p}:Ontvanger", b.ontvanger),
        f"<{p}:BerichtIdentificatie>",
        _e("ijw:Identificatie", esc(b.identificatie)),
        _e("ijw:Dagtekening", b.dagtekening),
        f"</{p}:BerichtIdentificatie>",
        f"<{p}:XsdVersie>{_xsd()}</{p}:XsdVersie>",
    ]


def _xsd() -> str:
    return _e("ijw:BasisschemaXsdVersie", XSD_VERSIE) + _e("ijw:BerichtXsdVersie", XSD_VERSIE)


def _retour_hdr(p: str, r: Bericht) -> list[str]:
    h = r.heen
    assert h is not None
    out = _hdr(p, h)
    out[1] = _e(f"{p}:BerichtCode", codes.BERICHTCODE[r.type])
    out += [
        _e(f"{p}:IdentificatieRetour", esc(r.identificatie_retour)),
        _e(f"{p}:DagtekeningRetour", r.dagtekening_retour),
        f"<{p}:XsdVersieRetour>{_xsd()}</{p}:XsdVersieRetour>",
        f"<{p}:RetourCodes>{_e(f'{p}:RetourCode', r.retourcode)}</{p}:RetourCodes>",
    ]
    return out


def _jw325_hdr(p: str, r: Bericht) -> list[str]:
    """JW325 has its own header (sent by the gemeente) and names the JW323 in DeclaratieIdentificatie."""
    h = r.heen
    assert h is not None
    return [
        f"<{p}:Header>",
        _e(f"{p}:BerichtCode", codes.BERICHTCODE[r.type]),
        _e(f"{p}:BerichtVersie", 3),
        _e(f"{p}:BerichtSubversie", 2),
        _e(f"{p}:Afzender", h.ontvanger),
        _e(f"{p}:Ontvanger", h.afzender),
        f"<{p}:BerichtIdentificatie>{_e('ijw:Identificatie', esc(r.identificatie_retour))}"
        f"{_e('ijw:Dagtekening', r.dagtekening_retour)}</{p}:BerichtIdentificatie>",
        f"<{p}:XsdVersie>{_xsd()}</{p}:XsdVersie>",
        f"<{p}:DeclaratieIdentificatie>{_e('ijw:Identificatie', esc(h.identificatie))}"
        f"{_e('ijw:Dagtekening', h.dagtekening)}</{p}:DeclaratieIdentificatie>",
        f"<{p}:XsdVersieDeclaratie>{_xsd()}</{p}:XsdVersieDeclaratie>",
        f"<{p}:RetourCodes>{_e(f'{p}:RetourCode', r.retourcode)}</{p}:RetourCodes>",
    ]


def _rc(p: str, code: str) -> str:
    return f"<{p}:RetourCodes>{_e(f'{p}:RetourCode', code)}</{p}:RetourCodes>"


def _geb(p: str, persoon: Persoon) -> str:
    return f"<{p}:Geboortedatum>{_e('ijw:Datum', persoon.geboortedatum)}</{p}:Geboortedatum>"


def _naam_kort(p: str, c: Persoon) -> str:
    vv = _e("ijw:Voorvoegsel", esc(c.voorvoegsel)) if c.voorvoegsel else ""
    return (
        f"<{p}:Naam><ijw:Geslachtsnaam>{_e('ijw:Achternaam', esc(c.achternaam))}{vv}</ijw:Geslachtsnaam>"
        f"{_e('ijw:Voornamen', esc(c.voornamen))}{_e('ijw:Voorletters', c.voorletters)}</{p}:Naam>"
    )


def _naam_vol(p: str, c: Persoon) -> str:
    vv = _e("ijw:Voorvoegsel", esc(c.voorvoegsel)) if c.voorvoegsel else ""
    return (
        f"<{p}:Naam><ijw:Geslachtsnaam>{_e('ijw:Achternaam', esc(c.achternaam))}{vv}</ijw:Geslachtsnaam>"
        f"{_e('ijw:Voornamen', esc(c.voornamen))}{_e('ijw:Voorletters', c.voorletters)}"
        f"<ijw:NaamGebruik>1</ijw:NaamGebruik></{p}:Naam>"
    )


def _product(p: str, r: Regel) -> str:
    if not r.categorie:
        return ""
    code = _e("ijw:Code", r.code) if r.code else ""
    return f"<{p}:Product>{_e('ijw:Categorie', r.categorie)}{code}</{p}:Product>"


def _omvang(p: str, r: Regel) -> str:
    if r.volume is None:
        return ""
    return (
        f"<{p}:Omvang>{_e('ijw:Volume', r.volume)}{_e('ijw:Eenheid', r.eenheid)}"
        f"{_e('ijw:Frequentie', r.frequentie)}</{p}:Omvang>"
    )


def _opt(tag: str, value: object) -> str:
    return _e(tag, value) if value not in ("", None) else ""


def _contact(p: str, c: Persoon, code: str) -> str:
    rc = _rc(p, code) if code else ""
    return (
        f"<{p}:Contact>{_e(f'{p}:Soort', '01')}<{p}:Adres><ijw:Huis>{_e('ijw:Huisnummer', c.huisnummer)}"
        f"</ijw:Huis>{_e('ijw:Postcode', c.postcode)}{_e('ijw:Straatnaam', esc(c.straat))}"
        f"{_e('ijw:Plaatsnaam', esc(c.plaats))}<ijw:LandCode>NL</ijw:LandCode></{p}:Adres>"
        f"<{p}:Telefoon><ijw:Telefoon01>{_e('ijw:Telefoonnummer', c.telefoon)}"
        f"<ijw:Landnummer>0031</ijw:Landnummer></ijw:Telefoon01></{p}:Telefoon>"
        f"{_e(f'{p}:Emailadres', esc(c.email))}{rc}</{p}:Contact>"
    )


def _relaties(p: str, c: Persoon, code: str) -> str:
    if not c.ouder_voornaam:
        return ""
    rc = _rc(p, code) if code else ""
    return (
        f"<{p}:Relaties><{p}:Relatie>{_e(f'{p}:Nummer', '1')}{_e(f'{p}:Soort', '10')}"
        f"<{p}:Naam><ijw:Geslachtsnaam>{_e('ijw:Achternaam', esc(c.achternaam))}</ijw:Geslachtsnaam>"
        f"{_e('ijw:Voornamen', esc(c.ouder_voornaam))}<ijw:NaamGebruik>1</ijw:NaamGebruik></{p}:Naam>"
        f"<{p}:Contact>{_e(f'{p}:Soort', '02')}<{p}:Telefoon><ijw:Telefoon01>"
        f"{_e('ijw:Telefoonnummer', c.ouder_telefoon)}<ijw:Landnummer>0031</ijw:Landnummer>"
        f"</ijw:Telefoon01></{p}:Telefoon>{rc}</{p}:Contact>{rc}</{p}:Relatie></{p}:Relaties>"
    )


def _body_301(p: str, b: Bericht, code: str = "") -> str:
    c = b.persoon
    assert c is not None
    rc = _rc(p, code) if code else ""
    parts = [
        f"<{p}:Client>",
        _e(f"{p}:Bsn", c.bsn),
        _geb(p, c),
        _e(f"{p}:Geslacht", c.geslacht),
        _naam_vol(p, c),
        _relaties(p, c, code),
        f"<{p}:Contactgegevens>{_contact(p, c, code)}</{p}:Contactgegevens>",
        f"<{p}:ToegewezenProducten>",
    ]
    for r in b.regels:
        parts += [
            f"<{p}:ToegewezenProduct>",
            _e(f"{p}:ToewijzingNummer", r.toewijzingnummer),
            _opt(f"{p}:ReferentieAanbieder", esc(r.referentie)),
            _product(p, r),
            _e(f"{p}:Toewijzingsdatum", r.toewijzingsdatum),
            _e(f"{p}:Toewijzingstijd", r.toewijzingstijd),
            _e(f"{p}:Ingangsdatum", r.ingangsdatum),
            _opt(f"{p}:Einddatum", r.einddatum),
            _opt(f"{p}:RedenWijziging", r.reden_wijziging),
            _omvang(p, r),
            rc,
            f"</{p}:ToegewezenProduct>",
        ]
    parts += [f"</{p}:ToegewezenProducten>", rc, f"</{p}:Client>"]
    return "".join(parts)


def _body_305(p: str, b: Bericht, code: str = "", stop: bool = False) -> str:
    c = b.persoon
    assert c is not None
    kind = "Stop" if stop else "Start"
    parts = [
        f"<{p}:Client>",
        _e(f"{p}:Bsn", c.bsn),
        _geb(p, c),
        _e(f"{p}:Geslacht", c.geslacht),
        _naam_kort(p, c),
        f"<{p}:{kind}Producten>",
    ]
    for r in b.regels:
        rc = _rc(p, r.retourcode or code) if code else ""
        parts += [
            f"<{p}:{kind}Product>",
            _opt(f"{p}:ToewijzingNummer", r.toewijzingnummer),
            _product(p, r),
            _opt(f"{p}:ToewijzingIngangsdatum", r.ingangsdatum),
            _e(f"{p}:Begindatum", r.begindatum),
        ]
        if stop:
            parts += [_e(f"{p}:RedenBeeindiging", r.reden_beeindiging), _e(f"{p}:Einddatum", r.einddatum)]
        parts += [_e(f"{p}:StatusAanlevering", r.status), rc, f"</{p}:{kind}Product>"]
    parts += [f"</{p}:{kind}Producten>", _rc(p, "0200") if code else "", f"</{p}:Client>"]
    return "".join(parts)


def _body_315(p: str, b: Bericht, code: str = "") -> str:
    c = b.persoon
    assert c is not None
    parts = [
        f"<{p}:Client>",
        _e(f"{p}:Bsn", c.bsn),
        _geb(p, c),
        _e(f"{p}:Geslacht", c.geslacht),
        _naam_kort(p, c),
        f"<{p}:AangevraagdeProducten>",
    ]
    for r in b.regels:
        verw = _e("ijw:Type", r.verwijzer_type)
        if r.verwijzer_naam:
            verw += _e("ijw:Naam", esc(r.verwijzer_naam))
        if r.verwijzer_agb:
            verw += _e("ijw:ZorgverlenerCode", r.verwijzer_agb)
        parts += [
            f"<{p}:AangevraagdProduct>",
            _e(f"{p}:ReferentieAanbieder", esc(r.referentie)),
            _product(p, r),
            _e(f"{p}:ToewijzingIngangsdatum", r.ingangsdatum),
            _opt(f"{p}:ToewijzingEinddatum", r.einddatum),
            _omvang(p, r),
            f"<{p}:Verwijzer>{verw}</{p}:Verwijzer>",
            _rc(p, r.retourcode or code) if code else "",
            f"</{p}:AangevraagdProduct>",
        ]
    parts += [f"</{p}:AangevraagdeProducten>", _rc(p, "0200") if code else "", f"</{p}:Client>"]
    return "".join(parts)


def _body_317(p: str, b: Bericht) -> str:
    groups: dict[str, list[str]] = {"ongewijzigd": [], "tewijzigen": [], "nieuw": []}
    for r in b.regels:
        if r.soort == "ongewijzigd":
            groups["ongewijzigd"].append(
                f"<{p}:OngewijzigdProduct>{_e(f'{p}:ToewijzingNummer', r.toewijzingnummer)}"
                f"</{p}:OngewijzigdProduct>"
            )
        elif r.soort == "tewijzigen":
            groups["tewijzigen"].append(
                f"<{p}:TeWijzigenProduct>{_e(f'{p}:ToewijzingNummer', r.toewijzingnummer)}"
                f"{_e(f'{p}:GewensteIngangsdatum', r.ingangsdatum)}{_opt(f'{p}:Einddatum', r.einddatum)}"
                f"{_omvang(p, r)}</{p}:TeWijzigenProduct>"
            )
        else:
            groups["nieuw"].append(
                f"<{p}:NieuwProduct>{_product(p, r)}{_e(f'{p}:GewensteIngangsdatum', r.ingangsdatum)}"
                f"{_opt(f'{p}:Einddatum', r.einddatum)}{_omvang(p, r)}</{p}:NieuwProduct>"
            )
    body = [
        f"<{p}:Client>",
        _e(f"{p}:Bsn", b.bsn),
        f"<{p}:Verzoek>",
        _e(f"{p}:ReferentieAanbieder", esc(b.regels[0].referentie)),
        _e(f"{p}:RedenVerzoek", b.reden_verzoek),
    ]
    for key, wrap in (
        ("ongewijzigd", "OngewijzigdeProducten"),
        ("tewijzigen", "TeWijzigenProducten"),
        ("nieuw", "NieuweProducten"),
    ):
        if groups[key]:
            body.append(f"<{p}:{wrap}>{''.join(groups[key])}</{p}:{wrap}>")
    body += [f"</{p}:Verzoek>", f"</{p}:Client>"]
    return "".join(body)


def _body_319(p: str, b: Bericht, code: str = "") -> str:
    return (
        f"<{p}:Antwoord>{_e(f'{p}:ReferentieAanbieder', esc(b.regels[0].referentie))}"
        f"{_e(f'{p}:VerzoekAntwoord', b.verzoek_antwoord)}"
        f"{_opt(f'{p}:RedenAfwijzingVerzoek', b.reden_afwijzing)}"
        f"{_rc(p, code) if code else ''}</{p}:Antwoord>"
    )


def _prestatie(p: str, r: Regel, code: str = "") -> str:
    vorig = _e("ijw:VorigReferentieNummer", r.vorig_referentienummer) if r.vorig_referentienummer else ""
    return (
        f"<{p}:Prestatie><{p}:ProductReferentie>{_e('ijw:ReferentieNummer', r.referentienummer)}{vorig}"
        f"</{p}:ProductReferentie>{_e(f'{p}:ToewijzingNummer', r.toewijzingnummer)}"
        f"{_e(f'{p}:ProductCategorie', r.categorie)}{_e(f'{p}:ProductCode', r.code)}"
        f"<{p}:ProductPeriode>{_e('ijw:Begindatum', r.periode_begin)}{_e('ijw:Einddatum', r.periode_eind)}"
        f"</{p}:ProductPeriode>{_e(f'{p}:GeleverdVolume', r.geleverd_volume)}{_e(f'{p}:Eenheid', r.eenheid)}"
        f"<{p}:IngediendBedrag>{_e('ijw:Bedrag', r.bedrag)}<ijw:DebetCredit>D</ijw:DebetCredit>"
        f"</{p}:IngediendBedrag>{_rc(p, code) if code else ''}</{p}:Prestatie>"
    )


def _totaal(b: Bericht) -> int:
    return sum(r.bedrag for _, regels in b.clienten for r in regels)


def _body_323(p: str, b: Bericht) -> str:
    parts = [
        f"<{p}:Declaratie>",
        _e(f"{p}:DeclaratieNummer", b.declaratienummer),
        f"<{p}:DeclaratiePeriode>{_e('ijw:Begindatum', b.periode[0])}{_e('ijw:Einddatum', b.periode[1])}"
        f"</{p}:DeclaratiePeriode>",
        _e(f"{p}:DeclaratieDagtekening", b.dagtekening),
        f"<{p}:TotaalIngediendBedrag>{_e('ijw:TotaalBedrag', _totaal(b))}<ijw:DebetCredit>D</ijw:DebetCredit>"
        f"</{p}:TotaalIngediendBedrag>",
        f"<{p}:Clienten>",
    ]
    for bsn, regels in b.clienten:
        parts.append(f"<{p}:Client>{_e(f'{p}:Bsn', bsn)}<{p}:Prestaties>")
        parts += [_prestatie(p, r) for r in regels]
        parts.append(f"</{p}:Prestaties></{p}:Client>")
    parts += [f"</{p}:Clienten>", f"</{p}:Declaratie>"]
    return "".join(parts)


def _body_325(p: str, r: Bericht) -> str:
    h = r.heen
    assert h is not None
    tot = _totaal(h)
    return (
        f"<{p}:DeclaratieAntwoord>{_e(f'{p}:DeclaratieNummer', h.declaratienummer)}"
        f"<{p}:TotaalIngediendBedrag>{_e('ijw:TotaalBedrag', tot)}<ijw:DebetCredit>D</ijw:DebetCredit>"
        f"</{p}:TotaalIngediendBedrag><{p}:TotaalToegekendBedrag>{_e('ijw:TotaalBedrag', tot)}"
        f"<ijw:DebetCredit>D</ijw:DebetCredit></{p}:TotaalToegekendBedrag>{_rc(p, r.regelcode or '8001')}"
        f"</{p}:DeclaratieAntwoord>"
    )


def render(b: Bericht) -> str:
    """The XML text of a message (UTF-8 declaration; encode as UTF-8 unless a fault says otherwise)."""
    p = b.type.lower()
    if b.heen is None:
        parts = _hdr(p, b)
        t = b.type
        if t == "JW301":
            body = _body_301(p, b)
        elif t == "JW305":
            body = _body_305(p, b)
        elif t == "JW307":
            body = _body_305(p, b, stop=True)
        elif t == "JW315":
            body = _body_315(p, b)
        elif t == "JW317":
            body = _body_317(p, b)
        elif t == "JW319":
            body = _body_319(p, b)
        elif t == "JW323":
            body = _body_323(p, b)
        else:
            raise ValueError(t)
    else:
        parts = _jw325_hdr(p, b) if b.type == "JW325" else _retour_hdr(p, b)
        t = b.type
        h = b.heen
        code = b.regelcode
        body = ""
        if t == "JW325":
            if b.retourcode not in ("0001",):
                body = _body_325(p, b)
        elif code:
            if t == "JW302":
                body = _body_301(p, h, code)
            elif t == "JW306":
                body = _body_305(p, h, code)
            elif t == "JW308":
                body = _body_305(p, h, code, stop=True)
            elif t == "JW316":
                body = _body_315(p, h, code)
            elif t == "JW320":
                body = _body_319(p, h, code)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{p}:Bericht xmlns:{p}="{ns(b.type)}" xmlns:ijw="{NS_BASIS}">'
        + "".join(parts)
        + f"</{p}:Header>{body}</{p}:Bericht>\n"
    )


def _base_row(b: Bericht) -> list[str]:
    row = [""] * len(CSV_COLUMNS)
    h = b.heen if b.heen is not None else b
    row[0] = b.type
    row[1] = "3.2"
    row[2] = h.afzender
    row[3] = h.ontvanger
    row[4] = h.identificatie
    row[5] = h.dagtekening
    c = h.persoon
    if c is not None:
        row[6] = c.bsn
        row[7] = c.geboortedatum
        row[8] = c.geslacht
        row[9] = c.achternaam
        if h.type == "JW301":
            row[10] = c.postcode
    elif h.bsn:
        row[6] = h.bsn
    return row


def _set(row: list[str], **kw: object) -> None:
    for k, v in kw.items():
        if v is not None and v != "":
            row[_COL_INDEX[k]] = str(v)


def _regel_row(base: list[str], h: Bericht, r: Regel) -> list[str]:
    row = list(base)
    _set(
        row,
        toewijzingnummer=r.toewijzingnummer,
        referentie_aanbieder=r.referentie,
        productcategorie=r.categorie,
        productcode=r.code,
        toewijzingsdatum=r.toewijzingsdatum,
        toewijzingstijd=r.toewijzingstijd,
        ingangsdatum=r.ingangsdatum,
        einddatum=r.einddatum,
        reden_wijziging=r.reden_wijziging,
        volume=r.volume,
        eenheid=r.eenheid,
        frequentie=r.frequentie,
        begindatum=r.begindatum,
        reden_beeindiging=r.reden_beeindiging,
        status_aanlevering=r.status,
        verwijzer_type=r.verwijzer_type,
    )
    if h.type == "JW317":
        _set(row, reden_verzoek=h.reden_verzoek)
    return row


def csv_rows(b: Bericht) -> list[list[str]]:
    """Rows of the flat CSV export for this message (see docs/data-formats.md)."""
    base = _base_row(b)
    h = b.heen if b.heen is not None else b
    t = b.type
    if b.heen is not None:
        if t == "JW325":
            # JW325 has its own header: Afzender = gemeente, Ontvanger = aanbieder; the identificatie and
            # dagtekening columns carry the JW323's (DeclaratieIdentificatie), like other retours.
            row = list(base)
            row[2], row[3] = h.ontvanger, h.afzender
            _set(row, declaratienummer=h.declaratienummer, retourcode=b.regelcode or "8001")
            return [row]
        if not b.regelcode:
            row = list(base)
            if h.type != "JW301" and h.type != "JW315":
                pass
            if t == "JW302" or t == "JW306" or t == "JW308" or t == "JW316":
                # nothing echoed: no client columns either
                for k in ("bsn", "geboortedatum", "geslacht", "achternaam", "postcode"):
                    row[_COL_INDEX[k]] = ""
            _set(row, retourcode=b.retourcode)
            if t == "JW320":
                row[_COL_INDEX["bsn"]] = ""
            return [row]
        if t == "JW320":
            row = list(base)
            _set(
                row,
                referentie_aanbieder=h.regels[0].referentie,
                verzoek_antwoord=h.verzoek_antwoord,
                reden_afwijzing=h.reden_afwijzing,
                retourcode=b.regelcode,
            )
            return [row]
        rows = []
        for r in h.regels:
            row = _regel_row(base, h, r)
            _set(row, retourcode=r.retourcode or b.regelcode)
            rows.append(row)
        return rows
    if t == "JW319":
        row = list(base)
        _set(
            row,
            referentie_aanbieder=b.regels[0].referentie,
            verzoek_antwoord=b.verzoek_antwoord,
            reden_afwijzing=b.reden_afwijzing,
        )
        return [row]
    if t == "JW323":
        rows = []
        for bsn, regels in b.clienten:
            for r in regels:
                row = list(base)
                _set(
                    row,
                    bsn=bsn,
                    toewijzingnummer=r.toewijzingnummer,
                    productcategorie=r.categorie,
                    productcode=r.code,
                    eenheid=r.eenheid,
                    declaratienummer=b.declaratienummer,
                    referentienummer=r.referentienummer,
                    vorig_referentienummer=r.vorig_referentienummer,
                    productperiode_begin=r.periode_begin,
                    productperiode_eind=r.periode_eind,
                    geleverd_volume=r.geleverd_volume,
                    ingediend_bedrag=r.bedrag,
                    debet_credit="D",
                )
                rows.append(row)
        return rows
    if t == "JW317":
        rows = []
        for r in b.regels:
            row = _regel_row(base, b, r)
            rows.append(row)
        return rows
    return [_regel_row(base, b, r) for r in b.regels]
