"""Pure transforms of provider and team rows: LazyFrame -> LazyFrame, named with verbs.

The pipeline per file is
    rename_columns -> clean_values -> (raw schema) -> parse_values -> check_rows
    -> split: valid rows -> pseudonymise_rows -> select_output -> (output schema); failing rows -> quarantine.

Invariants:
- `check_rows` adds `_code` / `_reden`: the first failing check of a row in a fixed order, or null.
  Reasons are fixed Dutch sentences naming the column, never a value from the file (so no BSN, date of a
  child or name ever reaches the quarantine table).
- A BSN is validated (elfproef) before it is hashed; `pseudonymise_rows` replaces it by `client_id` with
  `pipelines.pseudonym.pseudonymise` and drops the BSN column.
- Values are normalised only in ways that cannot change their meaning: spaces trimmed, an Excel-dropped
  leading zero restored on AGB (7 digits) and gemeentecode (<4 digits, or a `GM` prefix), a decimal comma
  read as a point, an Excel date cell (`YYYY-MM-DD 00:00:00`) read as its date. A BSN is taken as
  written (spaces and a number cell's `.0` removed only): an 8-digit value is invalid, exactly as in the
  iJw loader, so a truncated BSN can never be padded into another child's number.
- A waiting-time record that carries only a standard productcode (two digits, then three letters or digits, with a JZ020
  prefix) gets that prefix as its productcategorie; a category the sender gave is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from pipelines.codes import CASELOAD_EENHEDEN, FACTOREN, JZ020, TEAM_TYPES, bsn_elfproef
from pipelines.pseudonym import medewerker_id, pseudonymise
from pipelines.tabular.layouts import FACTOR_CODES, REDENEN_UITSCHRIJVING, Layout
from pipelines.tabular.mapping import Mapping

if TYPE_CHECKING:
    from polars.expr.whenthen import ChainedThen, Then

RAW = "__ruw"  # suffix of the raw string kept next to a parsed column, for the checks
NUMBER_COLUMNS: frozenset[str] = frozenset(
    {
        "bandbreedte_onder",
        "bandbreedte_boven",
        "fte",
        "complexiteitsgewicht",
        "aanmeldingswachttijd_weken",
        "behandelingswachttijd_weken",
        "aantal_wachtenden",
        *FACTOR_CODES,
    }
)


@dataclass(frozen=True)
class Check:
    code: str
    reason: str
    bad: pl.Expr  # true where the row fails


# --------------------------------------------------------------------------------------------- renaming


ORGANISATIE_SOORTEN: tuple[str, ...] = ("gemeente", "aanbieder")


def rename_columns(
    lf: pl.LazyFrame, layout: Layout, present: dict[str, str], mapping: Mapping
) -> pl.LazyFrame:
    """Canonical columns only (file columns renamed, [vast] constants, absent optional columns null)."""
    exprs = []
    for canonical in layout.columns:
        if canonical in present:
            exprs.append(pl.col(present[canonical]).cast(pl.String).alias(canonical))
        elif canonical in mapping.vast:
            exprs.append(pl.lit(mapping.vast[canonical], dtype=pl.String).alias(canonical))
        else:
            exprs.append(pl.lit(None, dtype=pl.String).alias(canonical))
    return lf.select(pl.col("regel"), *exprs)


def clean_values(lf: pl.LazyFrame) -> pl.LazyFrame:
    """Trim every string; empty becomes null."""
    strings = [c for c, t in lf.collect_schema().items() if t == pl.String]
    return lf.with_columns(
        [
            pl.when(pl.col(c).str.strip_chars() == "")
            .then(None)
            .otherwise(pl.col(c).str.strip_chars())
            .alias(c)
            for c in strings
        ]
    )


# --------------------------------------------------------------------------------------------- parsing


def _parse_date(col: str, fmt: str) -> pl.Expr:
    s = pl.col(col)
    iso = s.str.replace(r"^(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "$1")
    return pl.coalesce(
        s.str.strptime(pl.Date, fmt, strict=False),
        iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False),
    )


def _parse_number(col: str) -> pl.Expr:
    s = pl.col(col)
    s = pl.when(s.str.contains(",") & ~s.str.contains(r"\.")).then(s.str.replace(",", ".")).otherwise(s)
    return s.cast(pl.Float64, strict=False)


def _restore_zeros(col: str, width: int) -> pl.Expr:
    s = pl.col(col).str.replace(r"\.0$", "")  # a number cell read as "12345672.0"
    return (
        pl.when(s.str.contains(r"^\d+$") & (s.str.len_chars() == width - 1))
        .then(s.str.zfill(width))
        .otherwise(s)
    )


def _normalise_period(col: str, kind: str) -> pl.Expr:
    s = pl.col(col)
    if kind == "maand":
        s = s.str.replace(r"^(\d{4})-(\d{2})-\d{2}.*$", "$1-$2")  # an Excel date cell or a full date
        s = s.str.replace(r"^(\d{4})-(\d)$", "${1}-0$2")
        return s
    s = s.str.to_uppercase().str.replace_all(r"\s+", "-")
    s = s.str.replace(r"^Q([1-4])-(\d{4})$", "${2}-Q$1")
    return s.str.replace(r"^(\d{4})Q([1-4])$", "${1}-Q$2")


def parse_values(lf: pl.LazyFrame, layout: Layout, datumformaat: str) -> pl.LazyFrame:
    """Typed columns; each parsed column keeps its raw string as `<col>__ruw` for `check_rows`."""
    cols = set(lf.collect_schema().names())
    exprs: list[pl.Expr] = []
    raws: list[pl.Expr] = []

    def keep_raw(col: str) -> None:
        raws.append(pl.col(col).alias(col + RAW))

    for col in layout.dates:
        keep_raw(col)
        exprs.append(_parse_date(col, datumformaat).alias(col))
    numbers = NUMBER_COLUMNS & cols
    for col in sorted(numbers):
        keep_raw(col)
        exprs.append(_parse_number(col).alias(col))
    if "bsn" in cols:
        exprs.append(pl.col("bsn").str.replace(r"\.0$", "").str.replace_all(r"\s", "").alias("bsn"))
    if "aanbieder_agb" in cols:
        exprs.append(_restore_zeros("aanbieder_agb", 8).alias("aanbieder_agb"))
    if "gemeente_code" in cols:
        g = pl.col("gemeente_code").str.replace(r"(?i)^gm", "").str.replace(r"\.0$", "")
        exprs.append(
            pl.when(g.str.contains(r"^\d{1,3}$")).then(g.str.zfill(4)).otherwise(g).alias("gemeente_code")
        )
    if "productcategorie" in cols:
        p = pl.col("productcategorie").str.replace(r"\.0$", "")
        p = pl.when(p.str.contains(r"^\d$")).then(p.str.zfill(2)).otherwise(p)
        if "product" in cols:
            # a sender that delivers only the productcode keeps its category: a standard iJw productcode
            # (5 characters) begins with its JZ020 productcategorie (54B01 -> 54); other codes stay unknown
            code = pl.col("product").str.strip_chars().str.to_uppercase()
            van_code = pl.when(
                code.str.contains(r"^\d{2}[0-9A-Z]{3}$") & code.str.slice(0, 2).is_in(list(JZ020))
            ).then(code.str.slice(0, 2))
            p = pl.coalesce(p, van_code)
        exprs.append(p.alias("productcategorie"))
    if "maand" in cols:
        exprs.append(_normalise_period("maand", "maand").alias("maand"))
    if "kwartaal" in cols:
        exprs.append(_normalise_period("kwartaal", "kwartaal").alias("kwartaal"))
    if "reden_uitschrijving" in cols:
        exprs.append(
            pl.col("reden_uitschrijving")
            .str.to_lowercase()
            .str.replace_all(r"[\s-]+", "_")
            .alias("reden_uitschrijving")
        )
    if "soort" in cols:
        exprs.append(pl.col("soort").str.to_lowercase().alias("soort"))
    if "team_type" in cols:
        exprs.append(_canonical_case("team_type", TEAM_TYPES).alias("team_type"))
    if "eenheid" in cols:
        exprs.append(_canonical_case("eenheid", CASELOAD_EENHEDEN).alias("eenheid"))
    return lf.with_columns(raws).with_columns(exprs)


def _canonical_case(col: str, allowed: tuple[str, ...]) -> pl.Expr:
    """Map a value case-insensitively onto the spelling of the code list (unknown values unchanged)."""
    lower = pl.col(col).str.to_lowercase()
    expr = pl.col(col)
    for value in allowed:
        expr = pl.when(lower == value.lower()).then(pl.lit(value)).otherwise(expr)
    return expr


# --------------------------------------------------------------------------------------------- checks


def _missing(col: str, parsed: bool) -> Check:
    """A required value is missing when its raw string is empty (a bad value is reported elsewhere)."""
    value = pl.col(col + RAW) if parsed else pl.col(col)
    return Check("TAB_WAARDE_ONTBREEKT", f"Verplichte waarde ontbreekt in kolom '{col}'.", value.is_null())


def _bad_date(col: str, fmt: str) -> Check:
    return Check(
        "TAB_DATUM_ONGELDIG",
        f"Datum in kolom '{col}' is geen geldige datum (verwacht formaat {fmt}).",
        pl.col(col + RAW).is_not_null() & pl.col(col).is_null(),
    )


def _before(later: str, earlier: str, reason: str) -> Check:
    return Check("TAB_DATUMVOLGORDE", reason, (pl.col(later) < pl.col(earlier)).fill_null(False))


def _bad_number(col: str, integer: bool = False) -> Check:
    bad = pl.col(col + RAW).is_not_null() & pl.col(col).is_null()
    if integer:
        bad = bad | (pl.col(col) != pl.col(col).round(0)).fill_null(False)
        return Check("TAB_GETAL_ONGELDIG", f"Waarde in kolom '{col}' is geen geheel getal.", bad)
    return Check("TAB_GETAL_ONGELDIG", f"Waarde in kolom '{col}' is geen getal.", bad)


def _negative(col: str, reason: str | None = None) -> Check:
    return Check(
        "TAB_GETAL_NEGATIEF",
        reason or f"Waarde in kolom '{col}' is negatief.",
        (pl.col(col) < 0).fill_null(False),
    )


def _not_in(col: str, allowed: tuple[str, ...] | list[str], reason: str) -> Check:
    return Check("TAB_CODE_ONBEKEND", reason, pl.col(col).is_not_null() & ~pl.col(col).is_in(list(allowed)))


def _bsn() -> Check:
    valid = pl.col("bsn").map_batches(
        lambda s: pl.Series([bsn_elfproef(v) if v is not None else True for v in s], dtype=pl.Boolean),
        return_dtype=pl.Boolean,
    )
    return Check("TAB_BSN_ONGELDIG", "BSN voldoet niet aan de elfproef (waarde niet getoond).", ~valid)


def _agb() -> Check:
    return Check(
        "TAB_AGB_ONGELDIG",
        "AGB-code van de aanbieder is geen code van 8 cijfers.",
        pl.col("aanbieder_agb").is_not_null() & ~pl.col("aanbieder_agb").str.contains(r"^\d{8}$"),
    )


def _gemeente() -> Check:
    return Check(
        "TAB_GEMEENTE_ONGELDIG",
        "Gemeentecode is geen CBS-code van 4 cijfers.",
        pl.col("gemeente_code").is_not_null() & ~pl.col("gemeente_code").str.contains(r"^\d{4}$"),
    )


def _period(col: str) -> Check:
    pattern, form = (
        (r"^\d{4}-(0[1-9]|1[0-2])$", "JJJJ-MM") if col == "maand" else (r"^\d{4}-Q[1-4]$", "JJJJ-Qn")
    )
    return Check(
        "TAB_PERIODE_ONGELDIG",
        f"Kolom '{col}' is geen geldige periode (verwacht {form}).",
        pl.col(col).is_not_null() & ~pl.col(col).str.contains(pattern),
    )


def _team_known(known_teams: frozenset[str]) -> Check:
    return Check(
        "TAB_TEAM_ONBEKEND",
        "Teamcode komt niet voor in het teambestand.",
        pl.col("team_code").is_not_null() & ~pl.col("team_code").is_in(sorted(known_teams)),
    )


def checks_for(
    layout: Layout, datumformaat: str, known_teams: frozenset[str], columns: list[str]
) -> list[Check]:
    """The row checks of a layout, in the order their reasons take precedence."""
    kind = layout.kind
    out = [_missing(c, c in layout.dates or c in NUMBER_COLUMNS) for c in layout.required]
    dates = [_bad_date(c, datumformaat) for c in layout.dates]
    if kind == "wachttijden":
        out.append(
            Check(
                "TAB_WAARDE_ONTBREEKT",
                "Verplichte waarde ontbreekt: 'productcategorie' of 'product'.",
                pl.col("productcategorie").is_null() & pl.col("product").is_null(),
            )
        )
        out += [_bsn(), _agb(), _gemeente()]
        out.append(_not_in("productcategorie", list(JZ020), "Productcategorie is geen code uit JZ020."))
        out.append(
            _not_in(
                "reden_uitschrijving",
                REDENEN_UITSCHRIJVING,
                f"Reden uitschrijving is niet een van: {', '.join(REDENEN_UITSCHRIJVING)}.",
            )
        )
        out += dates
        out += [
            _before("datum_intake", "datum_aanmelding", "Datum intake ligt vóór de datum aanmelding."),
            _before(
                "datum_start_behandeling", "datum_intake", "Start behandeling ligt vóór de datum intake."
            ),
            _before(
                "datum_start_behandeling",
                "datum_aanmelding",
                "Start behandeling ligt vóór de datum aanmelding.",
            ),
            _before(
                "datum_uitschrijving",
                "datum_aanmelding",
                "Datum uitschrijving ligt vóór de datum aanmelding.",
            ),
        ]
    elif kind == "wachttijden_gepubliceerd":
        out += [_agb(), _period("maand")]
        out.append(_not_in("productcategorie", list(JZ020), "Productcategorie is geen code uit JZ020."))
        out += dates
        for col in ("aanmeldingswachttijd_weken", "behandelingswachttijd_weken", "aantal_wachtenden"):
            out += [_bad_number(col, integer=col == "aantal_wachtenden"), _negative(col)]
    elif kind == "organisaties":
        out.append(_not_in("soort", ORGANISATIE_SOORTEN, "Soort is niet 'gemeente' of 'aanbieder'."))
        out.append(
            Check(
                "TAB_CODE_ONGELDIG",
                "Code past niet bij de soort: een gemeente heeft 4 cijfers, een aanbieder een AGB-code van 8.",
                ~(
                    ((pl.col("soort") == "gemeente") & pl.col("code").str.contains(r"^\d{4}$"))
                    | ((pl.col("soort") == "aanbieder") & pl.col("code").str.contains(r"^\d{8}$"))
                ).fill_null(False)
                & pl.col("soort").is_in(ORGANISATIE_SOORTEN),
            )
        )
    elif kind == "teams":
        out.append(_not_in("team_type", TEAM_TYPES, f"Teamtype is niet een van: {', '.join(TEAM_TYPES)}."))
        out.append(
            _not_in("eenheid", CASELOAD_EENHEDEN, f"Eenheid is niet een van: {', '.join(CASELOAD_EENHEDEN)}.")
        )
        out.append(_gemeente())
        for col in ("bandbreedte_onder", "bandbreedte_boven"):
            out += [_bad_number(col), _negative(col)]
        out.append(
            Check(
                "TAB_BANDBREEDTE_ONGELDIG",
                "Bandbreedte onder is groter dan bandbreedte boven.",
                (pl.col("bandbreedte_onder") > pl.col("bandbreedte_boven")).fill_null(False),
            )
        )
        out += dates
        out.append(_before("geldig_tot", "geldig_vanaf", "Geldig tot ligt vóór geldig vanaf."))
    elif kind == "team_fte":
        out += [
            _team_known(known_teams),
            _period("maand"),
            _bad_number("fte"),
            _negative("fte", "FTE is negatief."),
        ]
    elif kind == "caseload":
        out += [_team_known(known_teams), _bsn()]
        out += dates
        out.append(_before("einddatum", "startdatum", "Einddatum ligt vóór de startdatum."))
        out += [
            _bad_number("complexiteitsgewicht"),
            Check(
                "TAB_GETAL_NEGATIEF",
                "Complexiteitsgewicht moet groter dan 0 zijn.",
                (pl.col("complexiteitsgewicht") <= 0).fill_null(False),
            ),
        ]
    elif kind == "factoren":
        out += [_team_known(known_teams), _period("kwartaal")]
        for col in FACTOR_CODES:
            if col not in columns:
                continue
            out.append(_bad_number(col, integer=True))
            out.append(
                Check(
                    "TAB_SCORE_BUITEN_BEREIK",
                    f"Score voor factor '{col}' ligt buiten 1–5.",
                    ((pl.col(col) < 1) | (pl.col(col) > 5)).fill_null(False),
                )
            )
    return out


def check_rows(lf: pl.LazyFrame, checks: list[Check]) -> pl.LazyFrame:
    """Add `_code` and `_reden`: the first failing check per row (null when the row is valid)."""
    if not checks:
        return lf.with_columns(_code=pl.lit(None, pl.String), _reden=pl.lit(None, pl.String))
    code: Then | ChainedThen = pl.when(checks[0].bad.fill_null(False)).then(pl.lit(checks[0].code))
    reason: Then | ChainedThen = pl.when(checks[0].bad.fill_null(False)).then(pl.lit(checks[0].reason))
    for check in checks[1:]:
        code = code.when(check.bad.fill_null(False)).then(pl.lit(check.code))
        reason = reason.when(check.bad.fill_null(False)).then(pl.lit(check.reason))
    return lf.with_columns(code.otherwise(None).alias("_code"), reason.otherwise(None).alias("_reden"))


# --------------------------------------------------------------------------------------------- output


def pseudonymise_rows(lf: pl.LazyFrame, key: bytes) -> pl.LazyFrame:
    """Replace `bsn` by `client_id` (keyed hash, same as the iJw messages) and `medewerker` by
    `medewerker_id` (keyed hash, 16 hex); the originals are dropped."""
    cols = lf.collect_schema().names()
    if "bsn" in cols:
        lf = lf.with_columns(
            pl.col("bsn")
            .map_batches(
                lambda s: pl.Series([pseudonymise(v, key) for v in s], dtype=pl.String),
                return_dtype=pl.String,
            )
            .alias("client_id")
        ).drop("bsn")
    if "medewerker" in cols:
        lf = lf.with_columns(
            pl.col("medewerker")
            .map_batches(
                lambda s: pl.Series([medewerker_id(v, key) for v in s], dtype=pl.String),
                return_dtype=pl.String,
            )
            .alias("medewerker_id")
        ).drop("medewerker")
    return lf


def fill_defaults(lf: pl.LazyFrame, layout: Layout) -> pl.LazyFrame:
    if layout.kind == "caseload":
        return lf.with_columns(pl.col("complexiteitsgewicht").fill_null(1.0))
    return lf


def unpivot_factors(lf: pl.LazyFrame, present: list[str]) -> pl.LazyFrame:
    """Wide factor sheet -> one row per member × kwartaal × factor with a score (empty cells dropped)."""
    factors = [c for c in FACTOR_CODES if c in present]
    groups = pl.DataFrame(
        {
            "factor": list(FACTOREN),
            "factor_groep": [g for g, _ in FACTOREN.values()],
            "factor_label": [label for _, label in FACTOREN.values()],
        }
    ).lazy()
    return (
        lf.unpivot(
            index=["team_code", "medewerker_id", "kwartaal", "bestand", "regel"],
            on=factors,
            variable_name="factor",
            value_name="score",
        )
        .filter(pl.col("score").is_not_null())
        .with_columns(pl.col("score").round(0).cast(pl.Int64))
        .join(groups, on="factor", how="left")
    )


def select_output(lf: pl.LazyFrame, schema: pl.Schema) -> pl.LazyFrame:
    """Exactly the output columns, cast to the declared types, in a deterministic order."""
    return lf.select([pl.col(name).cast(dtype) for name, dtype in schema.items()]).sort(
        ["bestand", "regel", *[c for c in schema.names() if c not in ("bestand", "regel")]],
        nulls_last=True,
    )
