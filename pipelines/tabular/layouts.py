"""The canonical layouts of provider, team and reference files, and the declared schemas at their edges.

Invariants:
- `LAYOUTS` is the single description of the canonical columns (docs/data-formats.md); detection,
  mappings, validation and the docs all read it.
- Two schemas per layout: the *raw* schema (canonical column names, every value a string, plus `regel`)
  checked right after renaming, and the *output* schema (typed, pseudonymised) checked before writing
  Parquet. The output schemas are what the build loads into DuckDB (`EXTRACTOR.tables`).
- Output tables never hold a BSN, a name or free text; `medewerker_id` is a keyed hash, not the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dataframely as dy
import polars as pl

from pipelines.codes import FACTOREN

REDENEN_UITSCHRIJVING: tuple[str, ...] = (
    "behandeld",
    "elders_geholpen",
    "zonder_hulp_gestopt",
    "verhuisd",
    "overig",
)


@dataclass(frozen=True)
class Layout:
    kind: str  # the report kind and the mapping `kind`
    table: str  # Parquet/DuckDB table
    columns: tuple[str, ...]  # canonical input columns, in documented order
    required: tuple[str, ...]  # columns a file (or its mapping's [vast]) must provide
    any_of: tuple[tuple[str, ...], ...] = ()  # at least one column of each group must be present
    min_factor_columns: int = 0  # factoren: at least this many factor columns present
    dates: tuple[str, ...] = field(default=())  # parsed with the mapping's datumformaat


FACTOR_CODES: tuple[str, ...] = tuple(FACTOREN)

LAYOUTS: dict[str, Layout] = {
    layout.kind: layout
    for layout in (
        Layout(
            kind="wachttijden",
            table="bron_wachttijden",
            columns=(
                "bsn",
                "aanbieder_agb",
                "locatie",
                "productcategorie",
                "product",
                "gemeente_code",
                "datum_verwijzing",
                "datum_aanmelding",
                "datum_intake",
                "datum_start_behandeling",
                "datum_uitschrijving",
                "reden_uitschrijving",
            ),
            required=("bsn", "aanbieder_agb", "datum_aanmelding"),
            any_of=(("productcategorie", "product"),),
            dates=(
                "datum_verwijzing",
                "datum_aanmelding",
                "datum_intake",
                "datum_start_behandeling",
                "datum_uitschrijving",
            ),
        ),
        Layout(
            kind="wachttijden_gepubliceerd",
            table="bron_wachttijden_gepubliceerd",
            columns=(
                "aanbieder_agb",
                "locatie",
                "maand",
                "peildatum",
                "aanmeldingswachttijd_weken",
                "behandelingswachttijd_weken",
                "aantal_wachtenden",
                "productcategorie",
            ),
            required=("aanbieder_agb", "maand"),
            any_of=(("aanmeldingswachttijd_weken", "behandelingswachttijd_weken", "aantal_wachtenden"),),
            dates=("peildatum",),
        ),
        Layout(
            kind="teams",
            table="bron_teams",
            columns=(
                "team_code",
                "team_naam",
                "team_type",
                "gemeente_code",
                "bandbreedte_onder",
                "bandbreedte_boven",
                "eenheid",
                "geldig_vanaf",
                "geldig_tot",
            ),
            required=("team_code", "team_type"),
            dates=("geldig_vanaf", "geldig_tot"),
        ),
        Layout(
            kind="team_fte",
            table="bron_team_fte",
            columns=("team_code", "maand", "fte"),
            required=("team_code", "maand", "fte"),
        ),
        Layout(
            kind="caseload",
            table="bron_caseload",
            columns=("team_code", "bsn", "startdatum", "einddatum", "complexiteitsgewicht"),
            required=("team_code", "bsn", "startdatum"),
            dates=("startdatum", "einddatum"),
        ),
        Layout(
            kind="factoren",
            table="bron_factoren",
            columns=("team_code", "medewerker", "kwartaal", *FACTOR_CODES),
            required=("team_code", "medewerker", "kwartaal"),
            min_factor_columns=1,
        ),
        Layout(
            kind="organisaties",
            table="bron_organisaties",
            columns=("soort", "code", "naam"),
            required=("soort", "code", "naam"),
        ),
    )
}


def raw_schema(columns: tuple[str, ...] | list[str]) -> type[dy.Schema]:
    """The raw edge: canonical names, all values strings (nullable), plus the 1-based file line `regel`."""
    attrs: dict[str, object] = {c: dy.String(nullable=True) for c in columns}
    attrs["regel"] = dy.Int64(nullable=False, min=1)
    return type("RuweRegels", (dy.Schema,), attrs)


_AGB = r"^\d{8}$"
_GEMEENTE = r"^\d{4}$"
_MAAND = r"^\d{4}-(0[1-9]|1[0-2])$"
_KWARTAAL = r"^\d{4}-Q[1-4]$"
_HASH = r"^[0-9a-f]{64}$"


class BronWachttijden(dy.Schema):
    client_id = dy.String(nullable=False, regex=_HASH)
    aanbieder_agb = dy.String(nullable=False, regex=_AGB)
    locatie = dy.String(nullable=True)
    productcategorie = dy.String(nullable=True)
    product = dy.String(nullable=True)
    gemeente_code = dy.String(nullable=True, regex=_GEMEENTE)
    datum_verwijzing = dy.Date(nullable=True)
    datum_aanmelding = dy.Date(nullable=False)
    datum_intake = dy.Date(nullable=True)
    datum_start_behandeling = dy.Date(nullable=True)
    datum_uitschrijving = dy.Date(nullable=True)
    reden_uitschrijving = dy.Enum(REDENEN_UITSCHRIJVING, nullable=True)
    bestand = dy.String(nullable=False)
    regel = dy.Int64(nullable=False, min=1)

    @dy.rule()
    def volgorde_data(cls) -> pl.Expr:
        return (pl.col("datum_intake") >= pl.col("datum_aanmelding")).fill_null(True) & (
            pl.col("datum_start_behandeling") >= pl.col("datum_intake")
        ).fill_null(True)


class BronWachttijdenGepubliceerd(dy.Schema):
    aanbieder_agb = dy.String(nullable=False, regex=_AGB)
    locatie = dy.String(nullable=True)
    productcategorie = dy.String(nullable=True)
    maand = dy.String(nullable=False, regex=_MAAND)
    peildatum = dy.Date(nullable=True)
    aanmeldingswachttijd_weken = dy.Float64(nullable=True, min=0)
    behandelingswachttijd_weken = dy.Float64(nullable=True, min=0)
    aantal_wachtenden = dy.Int64(nullable=True, min=0)
    bestand = dy.String(nullable=False)
    regel = dy.Int64(nullable=False, min=1)


class BronOrganisaties(dy.Schema):
    """Reference list of the region's gemeenten and aanbieders (names of organisations, never of people)."""

    soort = dy.String(nullable=False)
    code = dy.String(nullable=False, regex=r"^(\d{4}|\d{8})$")
    naam = dy.String(nullable=False)
    bestand = dy.String(nullable=False)
    regel = dy.Int64(nullable=False, min=1)


class BronTeams(dy.Schema):
    team_code = dy.String(nullable=False)
    team_naam = dy.String(nullable=True)
    team_type = dy.String(nullable=False)
    gemeente_code = dy.String(nullable=True, regex=_GEMEENTE)
    bandbreedte_onder = dy.Float64(nullable=True, min=0)
    bandbreedte_boven = dy.Float64(nullable=True, min=0)
    eenheid = dy.String(nullable=True)
    geldig_vanaf = dy.Date(nullable=True)
    geldig_tot = dy.Date(nullable=True)
    bestand = dy.String(nullable=False)
    regel = dy.Int64(nullable=False, min=1)


class BronTeamFte(dy.Schema):
    team_code = dy.String(nullable=False)
    maand = dy.String(nullable=False, regex=_MAAND)
    fte = dy.Float64(nullable=False, min=0)
    bestand = dy.String(nullable=False)
    regel = dy.Int64(nullable=False, min=1)


class BronCaseload(dy.Schema):
    team_code = dy.String(nullable=False)
    client_id = dy.String(nullable=False, regex=_HASH)
    startdatum = dy.Date(nullable=False)
    einddatum = dy.Date(nullable=True)
    complexiteitsgewicht = dy.Float64(nullable=False, min=0)
    bestand = dy.String(nullable=False)
    regel = dy.Int64(nullable=False, min=1)


class BronFactoren(dy.Schema):
    team_code = dy.String(nullable=False)
    medewerker_id = dy.String(nullable=False, regex=r"^[0-9a-f]{16}$")
    kwartaal = dy.String(nullable=False, regex=_KWARTAAL)
    factor = dy.String(nullable=False)
    factor_groep = dy.String(nullable=False)
    factor_label = dy.String(nullable=False)
    score = dy.Int64(nullable=False, min=1, max=5)
    bestand = dy.String(nullable=False)
    regel = dy.Int64(nullable=False, min=1)


OUTPUT_SCHEMAS: dict[str, type[dy.Schema]] = {
    "wachttijden": BronWachttijden,
    "wachttijden_gepubliceerd": BronWachttijdenGepubliceerd,
    "organisaties": BronOrganisaties,
    "teams": BronTeams,
    "team_fte": BronTeamFte,
    "caseload": BronCaseload,
    "factoren": BronFactoren,
}


def polars_schema(schema: type[dy.Schema]) -> pl.Schema:
    """The polars schema the build creates the DuckDB table from (Enum columns stored as strings)."""
    out = {}
    for name, dtype in schema.create_empty().schema.items():
        out[name] = pl.String if isinstance(dtype, pl.Enum) else dtype
    return pl.Schema(out)


TABLES: dict[str, pl.Schema] = {
    LAYOUTS[kind].table: polars_schema(schema) for kind, schema in OUTPUT_SCHEMAS.items()
}
