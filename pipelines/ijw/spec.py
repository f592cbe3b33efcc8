"""The iJw field rules, declared once: per message type one table of its fields, in the spirit of the
iStandaarden's berichtspecificaties (element, kind, required, maximum length, code list).

Everything else is derived from these tables, never written a second time:
- the Polars schemas of the `bron_*` tables (`pipelines.ijw.schemas`),
- the XML paths the readers walk (`xml_reader.PATHS_OF_TAG`, the header, client and contact paths, and so
  the compiled reader's `Plan`s and the bulk reader's columns),
- the exact path's checks and the Dutch element names in its reasons (`fields.LINE_BUILDERS`),
- the bulk path's Polars (ok, value) expressions (`bulk.LINE_CHECKS`),
- the line key `regel_sleutel` (`fields.line_key`, `bulk`'s key expression),
- the CSV export's column for a field (`Field.csv`).
Adding a field to a line, or changing its code list, is one edit here.

Invariants:
- A field's `name` is its key in a record's raw texts, its column in the `bron_*` table (line fields) and,
  unless `csv` says otherwise, its column in the CSV export.
- `path` is at most two steps ("A" or "A/B", what `walk.Plan` reads), relative to the record element, or to
  the `scope` element (JW317's Verzoek, JW323's Declaratie) for a field shared by all lines below it.
- `element` (default: `path`) is the element as a reason names it; reasons never show a Bsn or a
  Geboortedatum value (`pipelines.ijw.reasons`).
- A line's fields are declared in the column order of its table; they are checked in that order except
  where `order` says otherwise (lower first; it keeps the order of the reasons of the original reader:
  the product block first, JW307's stop fields after StatusAanlevering, JW323's DebetCredit first).
- Every message type that writes to a table yields the same columns, in the same order and types
  (checked at import: JW315 and JW317 both fill `bron_verzoek`).
- An integer field in a line key is normalised (leading zeros dropped) so "0012" and "12" link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import polars as pl

if TYPE_CHECKING:
    from polars._typing import PolarsDataType  # a DataType class (pl.String) or instance (pl.List(...))

from pipelines import codes

S = pl.String
D = pl.Date
I = pl.Int64  # noqa: E741

# kind -> Polars type of its value
KIND_DTYPE: dict[str, PolarsDataType] = {
    "text": S,
    "date": D,
    "time": pl.Time,
    "code": S,
    "integer": I,
    "agb": S,
    "gemeente": S,
}


@dataclass(frozen=True)
class Field:
    """One element of a record: read from `path`, checked as `kind`, written to column `name`."""

    name: str
    kind: str  # text | date | time | code | integer | agb | gemeente (KIND_DTYPE); bsn etc. in CLIENT
    path: str
    required: bool = False
    max_len: int = 64  # text only
    codelist: str | None = None  # code only: the name of the list in pipelines.codes
    element: str | None = None  # as a reason names it; default: path
    scope: str | None = None  # the element `path` starts at when it is not the record (see module doc)
    order: int = 0  # check order (see module doc)
    csv: str | None = None  # column in the CSV export; default: name

    @property
    def label(self) -> str:
        return self.element or self.path

    @property
    def values(self) -> dict[str, str]:
        """The code list of a code field."""
        values: dict[str, str] = getattr(codes, cast(str, self.codelist))  # TypeError when not a code field
        return values

    @property
    def dtype(self) -> PolarsDataType:
        return KIND_DTYPE[self.kind]


@dataclass(frozen=True)
class Const:
    """A column with the same value on every line of a message type (JW315's verzoek_soort)."""

    name: str
    value: object
    dtype: PolarsDataType


@dataclass(frozen=True)
class Derived:
    """A column computed from a line's raw texts by `rule` (JW317's product_soort), the same for XML and CSV."""

    name: str
    rule: Callable[[dict], object]
    dtype: PolarsDataType


@dataclass(frozen=True)
class Column:
    """A column not read from the line itself (provenance, header, client, message direction)."""

    name: str
    dtype: PolarsDataType


Item = Field | Const | Derived


@dataclass(frozen=True)
class Message:
    """A heenbericht type: its table, its record elements and, in column order, its line's columns."""

    jw: str
    table: str
    records: tuple[str, ...]  # local names of the record elements (JW317: three product kinds)
    lead: tuple[Column, ...]  # columns before the line's own (common, client, direction)
    line: tuple[Item, ...]
    key: tuple[str, ...]  # the fields of `regel_sleutel`, joined by "|"

    @property
    def fields(self) -> tuple[Field, ...]:
        """The checked fields, in check order."""
        declared = [f for f in self.line if isinstance(f, Field)]
        return tuple(sorted(declared, key=lambda f: f.order))

    @property
    def record_fields(self) -> tuple[Field, ...]:
        """The fields read from the record element itself, in column order."""
        return tuple(f for f in self.line if isinstance(f, Field) and f.scope is None)

    @property
    def scope_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.line if isinstance(f, Field) and f.scope is not None)

    @property
    def paths(self) -> dict[str, str]:
        """{raw key: path} of a record element (what the reader's `Plan` reads)."""
        return {f.name: f.path for f in self.record_fields}

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema(
            {
                **{c.name: c.dtype for c in self.lead},
                **{i.name: i.dtype for i in self.line},
            }
        )

    def normalised_key(self, name: str) -> bool:
        """True when key part `name` is a number whose leading zeros are dropped."""
        return any(f.name == name and f.kind == "integer" for f in self.record_fields + self.scope_fields)


# ---------------------------------------------------------------- shared blocks (columns)

PROVENANCE = (Column("bestand", S), Column("positie", S), Column("bron_formaat", S))
HEADER_COLUMNS = (
    Column("berichttype", S),
    Column("release", S),
    Column("afzender", S),
    Column("ontvanger", S),
    Column("bericht_identificatie", S),
    Column("dagtekening", D),
)
COMMON = (*PROVENANCE, *HEADER_COLUMNS, Column("regel_sleutel", S))
CLIENT = (
    Column("client_id", S),
    Column("geboortejaar", I),
    Column("geboortemaand", I),
    Column("geslacht", S),
)
GEMEENTE = Column("gemeente_code", S)
AANBIEDER = Column("aanbieder_agb", S)
PC4 = Column("pc4", S)

# ---------------------------------------------------------------- header and client (read, not line fields)

# Header texts by raw key (first occurrence; `xml_reader.read_opened` checks them: the version elements
# against the namespace, Afzender/Ontvanger by the message's direction).
HEADER_PATHS: dict[str, str] = {
    "BerichtCode": "BerichtCode",
    "BerichtVersie": "BerichtVersie",
    "BerichtSubversie": "BerichtSubversie",
    "afzender": "Afzender",
    "ontvanger": "Ontvanger",
    "bericht_identificatie": "BerichtIdentificatie/Identificatie",
    "dagtekening": "BerichtIdentificatie/Dagtekening",
    "declaratie_identificatie": "DeclaratieIdentificatie/Identificatie",
    "declaratie_dagtekening": "DeclaratieIdentificatie/Dagtekening",
    "identificatie_retour": "IdentificatieRetour",
    "dagtekening_retour": "DagtekeningRetour",
}
# Afzender and Ontvanger by the message's direction: sent by the gemeente (JW301, 319, 325 and their
# retours) or by the aanbieder.
ROLES: dict[str, tuple[Field, Field]] = {
    "gemeente": (
        Field("afzender", "gemeente", "Afzender", True),
        Field("ontvanger", "agb", "Ontvanger", True),
    ),
    "aanbieder": (
        Field("afzender", "agb", "Afzender", True),
        Field("ontvanger", "gemeente", "Ontvanger", True),
    ),
}
IDENTIFICATIE = Field("bericht_identificatie", "text", HEADER_PATHS["bericht_identificatie"], True, 36)
DAGTEKENING = Field("dagtekening", "date", HEADER_PATHS["dagtekening"], True)
# A retour's own identification (JW325 in its XSD form: its BerichtIdentificatie)
IDENTIFICATIE_RETOUR = Field("identificatie_retour", "text", "IdentificatieRetour", True, 36,
                             element="Header/IdentificatieRetour")  # fmt: skip
DAGTEKENING_RETOUR = Field("dagtekening_retour", "date", "DagtekeningRetour", True,
                           element="Header/DagtekeningRetour")  # fmt: skip
IDENTIFICATIE_RETOUR_325 = Field("identificatie_retour", "text", "BerichtIdentificatie/Identificatie", True, 36,
                                 element="Header/BerichtIdentificatie")  # fmt: skip
DAGTEKENING_RETOUR_325 = Field("dagtekening_retour", "date", "BerichtIdentificatie/Dagtekening", True,
                               element="Header/BerichtIdentificatie/Dagtekening")  # fmt: skip

# Client texts by raw key: Bsn (elfproef, then only its pseudonym), Geboortedatum (year and month only),
# Geslacht; and the postcode (PC4 only) of the first Contactgegevens/Contact of Soort 01.
CLIENT_PATHS: dict[str, str] = {"bsn": "Bsn", "geboortedatum": "Geboortedatum/Datum", "geslacht": "Geslacht"}
CONTACT_PATHS: dict[str, str] = {"soort": "Soort", "postcode": "Adres/Postcode"}
BSN_ELEMENT = "Client/Bsn"
GEBOORTEDATUM_ELEMENT = "Client/Geboortedatum/Datum"
GESLACHT = Field("geslacht", "code", "Geslacht", True, codelist="COD046", element="Client/Geslacht")

# ---------------------------------------------------------------- shared blocks (line fields)

PRODUCT = (
    Field("productcategorie", "code", "Product/Categorie", codelist="JZ020", order=-1),
    Field("productcode", "text", "Product/Code", max_len=5, order=-1),
)
OMVANG = (
    Field("volume", "integer", "Omvang/Volume"),
    Field("eenheid", "code", "Omvang/Eenheid", codelist="WJ756"),
    Field("frequentie", "code", "Omvang/Frequentie", codelist="WMO757"),
    Field("budget", "integer", "Budget"),
)
TOEWIJZINGNUMMER = Field("toewijzingnummer", "integer", "ToewijzingNummer")
START = (
    TOEWIJZINGNUMMER,
    *PRODUCT,
    Field("toewijzing_ingangsdatum", "date", "ToewijzingIngangsdatum", csv="ingangsdatum"),
    Field("begindatum", "date", "Begindatum", True),
)
STATUS_AANLEVERING = Field("status_aanlevering", "code", "StatusAanlevering", True, codelist="COD467")


def product_soort_317(raw: dict) -> str:
    """JW317 product entry kind from its fields (the same rule for XML and CSV)."""
    if raw.get("toewijzingnummer") is None:
        return "nieuw"
    if raw.get("ingangsdatum") is None:
        return "ongewijzigd"
    return "te_wijzigen"


# ---------------------------------------------------------------- the message types

_CLIENT_LEAD = (*COMMON, *CLIENT, AANBIEDER, GEMEENTE)

# fmt: off
MESSAGES: dict[str, Message] = {
    m.jw: m
    for m in (
        Message(
            "JW301",
            "bron_toewijzing",
            ("ToegewezenProduct",),
            (*COMMON, *CLIENT, PC4, GEMEENTE, AANBIEDER),
            (
                Field("toewijzingnummer", "integer", "ToewijzingNummer", True),
                Field("referentie_aanbieder", "text", "ReferentieAanbieder", max_len=36),
                *PRODUCT,
                Field("toewijzingsdatum", "date", "Toewijzingsdatum", True),
                Field("toewijzingstijd", "time", "Toewijzingstijd", True),
                Field("ingangsdatum", "date", "Ingangsdatum", True),
                Field("einddatum", "date", "Einddatum"),
                Field("reden_wijziging", "code", "RedenWijziging", codelist="JZ002"),
                *OMVANG,
            ),
            key=("toewijzingnummer",),
        ),
        Message(
            "JW305",
            "bron_start",
            ("StartProduct",),
            _CLIENT_LEAD,
            (*START, STATUS_AANLEVERING),
            key=("toewijzingnummer", "productcategorie", "productcode", "begindatum", "status_aanlevering"),
        ),
        Message(
            "JW307",
            "bron_stop",
            ("StopProduct",),
            _CLIENT_LEAD,
            (
                *START,
                Field("reden_beeindiging", "code", "RedenBeeindiging", True, codelist="JZ588", order=1),
                Field("einddatum", "date", "Einddatum", True, order=1),
                STATUS_AANLEVERING,
            ),
            key=("toewijzingnummer", "productcategorie", "productcode", "begindatum", "reden_beeindiging",
                 "einddatum", "status_aanlevering"),
        ),
        Message(
            "JW315",
            "bron_verzoek",
            ("AangevraagdProduct",),
            _CLIENT_LEAD,
            (
                Const("verzoek_soort", "toewijzing", S),
                Const("product_soort", "aangevraagd", S),
                Field("referentie_aanbieder", "text", "ReferentieAanbieder", True, 36),
                Const("toewijzingnummer", None, I),
                *PRODUCT,
                Field("ingangsdatum", "date", "ToewijzingIngangsdatum", True),
                Field("einddatum", "date", "ToewijzingEinddatum"),
                *OMVANG,
                Field("verwijzer_type", "code", "Verwijzer/Type", True, codelist="COD327"),
                Const("reden_verzoek", None, S),
            ),
            key=("referentie_aanbieder",),
        ),
        Message(
            "JW317",
            "bron_verzoek",
            ("OngewijzigdProduct", "TeWijzigenProduct", "NieuwProduct"),
            _CLIENT_LEAD,
            (
                Const("verzoek_soort", "wijziging", S),
                Derived("product_soort", product_soort_317, S),
                Field("referentie_aanbieder", "text", "ReferentieAanbieder", True, 36, scope="Verzoek",
                      element="Verzoek/ReferentieAanbieder"),
                TOEWIJZINGNUMMER,
                *PRODUCT,
                Field("ingangsdatum", "date", "GewensteIngangsdatum"),
                Field("einddatum", "date", "Einddatum"),
                *OMVANG,
                Const("verwijzer_type", None, S),
                Field("reden_verzoek", "code", "RedenVerzoek", True, codelist="WJ758", scope="Verzoek",
                      element="Verzoek/RedenVerzoek"),
            ),
            key=("toewijzingnummer", "productcategorie", "productcode", "ingangsdatum"),
        ),
        Message(
            "JW319",
            "bron_antwoord",
            ("Antwoord",),
            (*COMMON, GEMEENTE, AANBIEDER),
            (
                Field("referentie_aanbieder", "text", "ReferentieAanbieder", True, 36,
                      element="Antwoord/ReferentieAanbieder"),
                Field("verzoek_antwoord", "code", "VerzoekAntwoord", True, codelist="WJ760",
                      element="Antwoord/VerzoekAntwoord"),
                Field("reden_afwijzing", "code", "RedenAfwijzingVerzoek", codelist="WJ759",
                      element="Antwoord/RedenAfwijzingVerzoek"),
                Field("woonplaatsbeginsel_gemeente", "gemeente", "Woonplaatsbeginsel/Gemeente",
                      element="Antwoord/Woonplaatsbeginsel/Gemeente"),
            ),
            key=("referentie_aanbieder",),
        ),
        Message(
            "JW323",
            "bron_declaratie",
            ("Prestatie",),
            (*COMMON, CLIENT[0], AANBIEDER, GEMEENTE),
            (
                Field("declaratienummer", "text", "DeclaratieNummer", True, 12, scope="Declaratie"),
                Field("referentienummer", "text", "ProductReferentie/ReferentieNummer", True, 36),
                Field("vorig_referentienummer", "text", "ProductReferentie/VorigReferentieNummer", max_len=36),
                Field("toewijzingnummer", "integer", "ToewijzingNummer", True),
                Field("productcategorie", "code", "ProductCategorie", True, codelist="JZ020"),
                Field("productcode", "text", "ProductCode", True, 5),
                Field("productperiode_begin", "date", "ProductPeriode/Begindatum", True),
                Field("productperiode_eind", "date", "ProductPeriode/Einddatum", True),
                Field("geleverd_volume", "integer", "GeleverdVolume", True),
                Field("eenheid", "code", "Eenheid", True, codelist="WJ756"),
                Field("product_tarief", "integer", "ProductTarief"),
                Field("ingediend_bedrag", "integer", "IngediendBedrag/Bedrag", True),
                Field("debet_credit", "code", "IngediendBedrag/DebetCredit", codelist="COD043", order=-1),
            ),
            key=("referentienummer",),
        ),
    )
}
# fmt: on

# Which heenbericht type's line element a record tag is (JW317's three product kinds share one table).
MESSAGE_OF_TAG: dict[str, Message] = {tag: m for m in MESSAGES.values() for tag in m.records}

# ---------------------------------------------------------------- tables that are not a line table

BRON_BERICHT = (
    *PROVENANCE,
    *HEADER_COLUMNS,
    Column("identificatie_retour", S),
    Column("dagtekening_retour", D),
    Column("inhoud_hash", S),
    Column("aantal_records", I),
    Column("aantal_geladen", I),
)
# Retours: the COMMON header columns hold the echoed heenbericht header (berichttype = the retour type).
RETOUR = (
    Column("heen_berichttype", S),
    Column("heen_afzender", S),
    Column("heen_identificatie", S),
    Column("heen_dagtekening", D),
    Column("identificatie_retour", S),
    Column("dagtekening_retour", D),
    Column("klasse", S),
    Column("client_id", S),
    Column("retourcodes", pl.List(S)),
    Column("is_afgekeurd", pl.Boolean),
)
BRON_RETOUR = (*COMMON, *RETOUR, Column("toewijzingnummer", I), Column("referentie_aanbieder", S))
BRON_DECLARATIE_ANTWOORD = (
    *COMMON,
    *RETOUR,
    Column("declaratienummer", S),
    Column("referentienummer", S),
    Column("totaal_ingediend_bedrag", I),
    Column("totaal_toegekend_bedrag", I),
)


def schema_of(columns: tuple[Column, ...]) -> pl.Schema:
    return pl.Schema({c.name: c.dtype for c in columns})


def _line_tables() -> dict[str, pl.Schema]:
    out: dict[str, pl.Schema] = {}
    for m in MESSAGES.values():
        schema = m.schema
        if out.setdefault(m.table, schema) != schema:
            raise ValueError(f"{m.jw}: kolommen van {m.table} wijken af van een ander berichttype")
    return out


LINE_TABLES: dict[str, pl.Schema] = _line_tables()


def _check() -> None:
    for m in MESSAGES.values():
        for f in m.record_fields + m.scope_fields:
            if f.kind not in KIND_DTYPE:
                raise ValueError(f"{m.jw}.{f.name}: onbekende soort {f.kind}")
            if f.path.count("/") > 1:
                raise ValueError(f"{m.jw}.{f.name}: pad met meer dan twee stappen: {f.path}")
            if (f.kind == "code") != (f.codelist is not None):
                raise ValueError(f"{m.jw}.{f.name}: codelijst hoort bij soort code")
            if f.codelist is not None:
                f.values  # noqa: B018  (the list exists in pipelines.codes)
        names = [i.name for i in m.line]
        if len(names) != len(set(names)):
            raise ValueError(f"{m.jw}: kolom dubbel gedeclareerd")
        for k in m.key:
            if k not in names:
                raise ValueError(f"{m.jw}: sleuteldeel {k} is geen veld")


_check()
