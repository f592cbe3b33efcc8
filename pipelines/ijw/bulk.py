"""Bulk reading of iJw XML heenberichten: raw texts per message into Arrow columns, then checks and types
for a whole batch of messages at once with Polars expressions.

The exact path (`xml_reader.read_opened`) checks and converts line by line in Python and words every
reason; it is the reference. This path exists for throughput: the compiled reader (`_walk.message_into`)
copies the stripped texts of every header, client and line straight from libxml2 into one Arrow
column each (no Python object per value), and the checks of `fields` run as column expressions over
thousands of lines at once. A line's expressions are derived from its message type's declared table
(`pipelines.ijw.spec`), one expression per field kind, and built once, at import.
It needs the compiled module; without it (or with KETENMONITOR_IJW_BULK=0) every message takes the
exact path.

Invariants:
- Exactness. A message is written by this path only when its header, every client and every line pass
  the checks of `fields`, as Polars expressions derived from the same declared fields. Where an expression is stricter than
  `fields` (ASCII digits only in dates, numbers and postcodes) the message merely takes the exact path.
  Every message with any problem is read again by the exact path, which quarantines what it must and
  words the reasons. tests/unit/ijw/test_bulk.py builds a generated region, with every fault the
  generator plants, both ways and compares every table row by row.
- Accounting per message as on the exact path: a message read here has records_read ==
  records_loaded == its number of lines, and one `bron_bericht` row.
- Memory stays bounded: a batch is processed after BATCH_MESSAGES messages or BATCH_BYTES bytes of
  source; the source bytes are kept only until then, to re-read a message on the exact path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import polars as pl

from pipelines import codes
from pipelines.ijw import _walk, fields, spec
from pipelines.ijw.schemas import TABLE_OF, TABLES
from pipelines.ijw.sink import ReaderContext, UnitResult
from pipelines.ijw.xml_reader import (
    CLIENT_PATHS,
    CONTACT_PATHS,
    HEADER_PATHS,
    PATHS_OF_TAG,
    RECORD_TAGS,
    open_message,
    read_opened,
    read_xml_message,
)

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

# Heenberichten: all lines; retours: those that echo no client or line (the usual answer, header only).
HEEN_TYPES = frozenset({"JW301", "JW305", "JW307", "JW315", "JW323"})
RETOUR_TYPES = frozenset({"JW302", "JW306", "JW308", "JW316", "JW325"})
BATCH_MESSAGES = 20000
BATCH_BYTES = 32 * 1024 * 1024

_HEADER_PLAN = _walk.Plan(HEADER_PATHS)
_CLIENT_PLAN = _walk.Plan(CLIENT_PATHS)
_CONTACT_PLAN = _walk.Plan(CONTACT_PATHS)
_LINE_PLAN = {jw: _walk.Plan(PATHS_OF_TAG[RECORD_TAGS[jw][0]]) for jw in HEEN_TYPES}

# ---------------------------------------------------------------- checks as expressions
# Each check returns (ok, value): `ok` is True where fields.Check would not fail (null counts as ok
# unless required), `value` is what fields would return.

_ASCII_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_ASCII_TIME = r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?$"
_ASCII_INT = r"^[+-]?[0-9]{1,18}$"


def _when_present(c: str, required: bool, check: pl.Expr) -> pl.Expr:
    return pl.when(pl.col(c).is_null()).then(pl.lit(not required)).otherwise(check).fill_null(False)


def _text(c: str, required: bool, max_len: int) -> tuple[pl.Expr, pl.Expr]:
    return _when_present(c, required, pl.col(c).str.len_chars() <= max_len), pl.col(c)


def _date_value(c: str) -> pl.Expr:
    return pl.col(c).str.to_date("%Y-%m-%d", strict=False)


def _date(c: str, required: bool) -> tuple[pl.Expr, pl.Expr]:
    value = _date_value(c)
    check = pl.col(c).str.contains(_ASCII_DATE) & value.is_not_null() & (value.dt.year() >= 1)
    return _when_present(c, required, check), value


def _time(c: str, required: bool) -> tuple[pl.Expr, pl.Expr]:
    parts = pl.col(c).str.extract_groups(_ASCII_TIME)
    h, m, s = (parts.struct.field(str(i)).cast(pl.Int64) for i in (1, 2, 3))
    check = (pl.col(c).str.contains(_ASCII_TIME) & (h < 24) & (m < 60) & (s < 60)).fill_null(False)
    return _when_present(c, required, check), pl.when(check).then(pl.time(h, m, s))


def _code(c: str, required: bool, values: dict) -> tuple[pl.Expr, pl.Expr]:
    return _when_present(c, required, pl.col(c).is_in(list(values))), pl.col(c)


def _integer(c: str, required: bool) -> tuple[pl.Expr, pl.Expr]:
    value = pl.col(c).str.strip_prefix("+").str.to_integer(strict=False)
    return _when_present(c, required, pl.col(c).str.contains(_ASCII_INT) & value.is_not_null()), value


def _digits(c: str, required: bool, n: int) -> tuple[pl.Expr, pl.Expr]:
    """fields.is_agb (n = 8) and fields.is_gemeente (n = 4): exactly n ASCII digits."""
    return _when_present(c, required, pl.col(c).str.contains(f"^[0-9]{{{n}}}$")), pl.col(c)


def _const(value: object, dtype: PolarsDataType) -> tuple[pl.Expr, pl.Expr]:
    return pl.lit(True), pl.lit(value, dtype=dtype)


# A declared field's kind -> its (ok, value): the rules of fields.checked as expressions.
_KIND_EXPR: dict[str, Callable[[spec.Field], tuple[pl.Expr, pl.Expr]]] = {
    "text": lambda f: _text(f.name, f.required, f.max_len),
    "date": lambda f: _date(f.name, f.required),
    "time": lambda f: _time(f.name, f.required),
    "code": lambda f: _code(f.name, f.required, f.values),
    "integer": lambda f: _integer(f.name, f.required),
    "agb": lambda f: _digits(f.name, f.required, 8),
    "gemeente": lambda f: _digits(f.name, f.required, 4),
}


def field_check(f: spec.Field) -> tuple[pl.Expr, pl.Expr]:
    """(ok, value) of one declared field, on the column of its name."""
    return _KIND_EXPR[f.kind](f)


def line_checks(message: spec.Message) -> dict[str, tuple[pl.Expr, pl.Expr]]:
    """Output column -> (ok, value) of a message type's line, from its declared table."""
    out = {}
    for item in message.line:
        if isinstance(item, spec.Field):
            out[item.name] = field_check(item)
        elif isinstance(item, spec.Const):
            out[item.name] = _const(item.value, item.dtype)
        else:  # a Derived column has no expression: such a type is read on the exact path only
            raise ValueError(f"{message.jw}: {item.name} heeft geen bulkexpressie")
    return out


# Built once, at import: per bulk message type its checks, the line's `ok` and its value columns.
LINE_CHECKS: dict[str, dict[str, tuple[pl.Expr, pl.Expr]]] = {
    jw: line_checks(spec.MESSAGES[jw]) for jw in sorted(HEEN_TYPES)
}
_LINE_OK: dict[str, pl.Expr] = {
    jw: pl.all_horizontal(*(ok for ok, _ in checks.values())).fill_null(False).alias("ok")
    for jw, checks in LINE_CHECKS.items()
}
_LINE_VALUES: dict[str, list[pl.Expr]] = {
    jw: [value.alias(name) for name, (_, value) in checks.items()] for jw, checks in LINE_CHECKS.items()
}
_IDENTIFICATIE = field_check(spec.IDENTIFICATIE)
_DAGTEKENING = field_check(spec.DAGTEKENING)
_IDENTIFICATIE_RETOUR = field_check(spec.IDENTIFICATIE_RETOUR)
_DAGTEKENING_RETOUR = field_check(spec.DAGTEKENING_RETOUR)
_GESLACHT = field_check(spec.GESLACHT)


def _normalised_number(c: str) -> pl.Expr:
    """fields.normalise_number: leading zeros dropped from a number of digits, "" when absent."""
    digits = pl.col(c).str.contains(r"^[0-9]+$")
    stripped = pl.col(c).str.strip_chars_start("0")
    return (
        pl.when(pl.col(c).is_null())
        .then(pl.lit(""))
        .when(digits)
        .then(pl.when(stripped == "").then(pl.lit("0")).otherwise(stripped))
        .otherwise(pl.col(c))
    )


# fields.line_key as an expression: the raw (stripped, unconverted) parts of a line's key (built once).
LINE_KEYS: dict[str, pl.Expr] = {
    jw: pl.concat_str(
        [(_normalised_number(name) if number else pl.col(name)).fill_null("") for name, number in parts],
        separator="|",
    )
    for jw, parts in fields.KEY_PARTS.items()
}


# ---------------------------------------------------------------- the reader

_CONTAINER_PLAN = _walk.Plan(  # Declaratie (JW323) or DeclaratieAntwoord (JW325): `_tx` of each path
    {
        **{f.name: f.path for f in spec.MESSAGES["JW323"].scope_fields},  # declaratienummer
        "totaal_ingediend": "TotaalIngediendBedrag/TotaalBedrag",
        "totaal_toegekend": "TotaalToegekendBedrag/TotaalBedrag",
    }
)
_MESSAGE_KEYS = ("jw", "release", "exp_code", "exp_major", "exp_minor", "bestand", "inhoud_hash")
_EXPECTED_CODE = {jw: str(code).lstrip("0") for jw, code in codes.BERICHTCODE.items()}
# _walk.message_into's kind per message type
_KIND = {"JW301": 0, "JW305": 0, "JW307": 0, "JW315": 0, "JW323": 1,
         "JW302": 2, "JW306": 2, "JW308": 2, "JW316": 2, "JW325": 3}  # fmt: skip
_STEPS = {
    "JW323": (b"Prestaties", b"Prestatie"),
    **{jw: (RECORD_TAGS[jw][0].encode(), b"") for jw in HEEN_TYPES - {"JW323"}},
}


def _frame(columns: Mapping[str, Any]) -> pl.DataFrame:  # Any: the compiled module has no stubs
    """A frame from collector columns (texts: String, null for absent or empty; numbers: Int64) and lists."""
    series = []
    for name, col in columns.items():
        if isinstance(col, (_walk.IntColumn, _walk.StrColumn)):
            # the collector's Arrow buffers, handed over without a copy (the column is empty afterwards)
            series.append(pl.Series(col).alias(name))
        else:
            series.append(pl.Series(name, col))
    return pl.DataFrame(series)


class BulkReader:
    """Collects bulk-type messages of one job and writes them batch by batch (see the module docstring)."""

    def __init__(self, ctx: ReaderContext) -> None:
        self.ctx = ctx  # for the exact path (the job's context without the bulk reader)
        self.key = ctx.key
        self.sink = ctx.sink
        self._reset()

    def _reset(self) -> None:
        self.units: list[UnitResult] = []
        self.datas: list[bytes] = []
        self.bytes = 0
        self.message: dict[str, list] = {k: [] for k in _MESSAGE_KEYS}
        self.header = {k: _walk.StrColumn() for k in HEADER_PATHS}
        self.header["header_codes"] = _walk.StrColumn()
        self.header["swap_ids"] = _walk.IntColumn()
        self.header_cols = list(self.header.values())
        self.container = {k: _walk.StrColumn() for k in _CONTAINER_PLAN.keys}
        self.container["container_codes"] = _walk.StrColumn()
        self.container_cols = list(self.container.values())
        self.client = {"m": _walk.IntColumn(), "client": _walk.IntColumn()}
        self.client.update({k: _walk.StrColumn() for k in CLIENT_PATHS})
        self.client["postcode"] = _walk.StrColumn()
        self.client_cols = list(self.client.values())
        self.lines: dict[str, dict[str, object]] = {}
        self.line_cols: dict[str, list] = {}
        self._no_lines: list = []

    def _line_columns(self, jw: str) -> list:
        columns = self.line_cols.get(jw)
        if columns is None:
            named = {"m": _walk.IntColumn(), "client": _walk.IntColumn(), "n": _walk.IntColumn()}
            named.update({k: _walk.StrColumn() for k in _LINE_PLAN[jw].keys})
            self.lines[jw] = named
            columns = self.line_cols[jw] = list(named.values())
        return columns

    def add(self, data: bytes, unit: UnitResult) -> None:
        """Read one XML message: bulk messages are collected, every other one takes the exact path now."""
        opened = open_message(data, unit)
        if opened is None:
            return
        jw = opened.jw
        kind = _KIND.get(jw)
        if kind is None:
            read_opened(opened, unit, self.ctx)
            return
        columns = self._line_columns(jw) if jw in HEEN_TYPES else self._no_lines
        step1, step2 = _STEPS.get(jw, (b"", b""))
        n = _walk.message_into(
            opened.root, kind, _LINE_PLAN.get(jw, _HEADER_PLAN), step1, step2, jw in fields.WITH_DEMOGRAPHICS,
            _HEADER_PLAN, self.header_cols, _CONTAINER_PLAN, self.container_cols,
            _CLIENT_PLAN, _CONTACT_PLAN, self.client_cols, columns, len(self.units),
        )  # fmt: skip
        if n < 0:  # nothing collected: the exact path reads (and words) it
            read_opened(opened, unit, self.ctx)
            return
        msg = self.message
        msg["jw"].append(jw)
        msg["release"].append(opened.release)
        msg["exp_code"].append(_EXPECTED_CODE[jw])
        msg["exp_major"].append(opened.major.lstrip("0"))
        msg["exp_minor"].append(opened.minor.lstrip("0"))
        msg["bestand"].append(unit.report.path)
        msg["inhoud_hash"].append(unit.content_hash)
        self.units.append(unit)
        self.datas.append(data)
        self.bytes += len(data)
        if len(self.units) >= BATCH_MESSAGES or self.bytes >= BATCH_BYTES:
            self.flush()

    # ------------------------------------------------------------ one batch

    def flush(self) -> None:
        """Check and write the collected messages; send every message with a problem to the exact path."""
        if not self.units:
            return
        header, clients = pl.collect_all([self._header_frame(), self._client_frame()])
        bad: set[int] = set(header.filter(~pl.col("ok"))["m"].to_list())
        bad.update(clients.filter(~pl.col("ok"))["m"].to_list())
        # one collect for all line frames and one for all outputs (Polars runs each set together)
        types = list(self.lines)
        line_frames = pl.collect_all(self._line_frame(jw, _frame(self.lines[jw]), header) for jw in types)
        for frame in line_frames:
            bad.update(frame.filter(~pl.col("ok"))["m"].to_list())
        good = pl.DataFrame(
            {"m": [m for m in range(len(self.units)) if m not in bad]}, schema={"m": pl.Int64}
        )
        rows = [
            frame.lazy()
            .join(good.lazy(), on="m", how="semi")
            .join(clients.lazy().drop("ok"), on=["m", "client"], how="left")
            .with_columns(berichttype=pl.lit(jw), bron_formaat=pl.lit("xml"))
            for jw, frame in zip(types, line_frames, strict=True)
        ]
        outputs = pl.collect_all(
            [
                *(
                    r.select(pl.col(k).cast(t) for k, t in TABLES[TABLE_OF[jw]].items())
                    for jw, r in zip(types, rows, strict=True)
                ),
                *(r.group_by("m").agg(n=pl.len()) for r in rows),
            ]
        )
        for jw, frame in zip(types, outputs, strict=False):
            self.sink.add_frame(TABLE_OF[jw], frame)
        counts = pl.concat([pl.DataFrame(schema={"m": pl.Int64, "n": pl.UInt32}), *outputs[len(types) :]])
        good_header = header.join(good, on="m", how="semi").join(counts, on="m", how="left")
        self._write_retours(good_header.filter(pl.col("jw").is_in(list(RETOUR_TYPES))))
        self._write_messages(good_header)
        for m in sorted(bad):
            read_xml_message(self.datas[m], self.units[m], self.ctx)
        self._reset()

    def _header_frame(self) -> pl.LazyFrame:
        """One row per message (m = 0, 1, ... in order): the checked and typed header."""
        h = (
            _frame({**self.message, **self.header, **self.container})
            .lazy()
            .with_row_index("m")
            .with_columns(pl.col("m").cast(pl.Int64))
        )
        jw = pl.col("jw")
        afz, ont = pl.col("afzender"), pl.col("ontvanger")
        is_agb = {
            c: pl.col(c).str.contains(r"^[0-9]{8}$").fill_null(False) for c in ("afzender", "ontvanger")
        }
        is_gem = {
            c: pl.col(c).str.contains(r"^[0-9]{4}$").fill_null(False) for c in ("afzender", "ontvanger")
        }
        gemeente_first = jw.is_in(list(fields.GEMEENTE_AFZENDER)) & ~(
            (jw == "JW325") & is_agb["afzender"] & is_gem["ontvanger"]
        )
        swap = pl.col("swap_ids") == 1
        retour = jw.is_in(list(RETOUR_TYPES))
        h = h.with_columns(
            # JW325 answering with DeclaratieIdentificatie: that is the heen message, its own ids the retour's
            identificatie_retour=pl.when(swap)
            .then(pl.col("bericht_identificatie"))
            .otherwise(pl.col("identificatie_retour")),
            dagtekening_retour=pl.when(swap)
            .then(pl.col("dagtekening"))
            .otherwise(pl.col("dagtekening_retour")),
            bericht_identificatie=pl.when(swap)
            .then(pl.col("declaratie_identificatie"))
            .otherwise(pl.col("bericht_identificatie")),
            dagtekening=pl.when(swap).then(pl.col("declaratie_dagtekening")).otherwise(pl.col("dagtekening")),
        )
        versions = [
            (pl.col(element).str.strip_chars_start("0") == pl.col(expected)).fill_null(False)
            for element, expected in (
                ("BerichtCode", "exp_code"),
                ("BerichtVersie", "exp_major"),
                ("BerichtSubversie", "exp_minor"),
            )
        ]
        ident_ok, _ = _IDENTIFICATIE
        dag_ok, dag = _DAGTEKENING
        ret_ident_ok, _ = _IDENTIFICATIE_RETOUR
        ret_dag_ok, ret_dag = _DAGTEKENING_RETOUR
        roles_ok = (
            pl.when(gemeente_first)
            .then(is_gem["afzender"] & is_agb["ontvanger"])
            .otherwise(is_agb["afzender"] & is_gem["ontvanger"])
        )
        totals_ok = [
            pl.col(c).is_null() | (pl.col(c).str.contains(r"^-?[0-9]+$") & (pl.col(c).str.len_bytes() < 18))
            for c in ("totaal_ingediend", "totaal_toegekend")
        ]
        return h.with_columns(
            ok=pl.all_horizontal(
                *versions,
                ident_ok,
                dag_ok,
                roles_ok,
                pl.when(retour).then(ret_ident_ok & ret_dag_ok).otherwise(pl.lit(True)),
                *totals_ok,
            ).fill_null(False),
            dagtekening=dag,
            identificatie_retour=pl.when(retour).then(pl.col("identificatie_retour")),
            dagtekening_retour=pl.when(retour).then(ret_dag),
            gemeente_code=pl.when(gemeente_first).then(afz).otherwise(ont),
            aanbieder_agb=pl.when(gemeente_first).then(ont).otherwise(afz),
            heen_afzender=pl.when((jw == "JW325") & ~is_agb["afzender"]).then(ont).otherwise(afz),
            totaal_ingediend_bedrag=pl.col("totaal_ingediend").str.to_integer(strict=False),
            totaal_toegekend_bedrag=pl.col("totaal_toegekend").str.to_integer(strict=False),
        )

    def _client_frame(self) -> pl.LazyFrame:
        frame = _frame(self.client)
        bsns = frame["bsn"].drop_nulls().unique().to_list()
        c = frame.lazy()
        ids = pl.DataFrame(
            {"bsn": bsns, "client_id": [fields.client_id_of(b, self.key) for b in bsns]},
            schema={"bsn": pl.String, "client_id": pl.String},
        )
        jw_of = pl.DataFrame({"jw": self.message["jw"]}, schema={"jw": pl.String}).with_row_index("m")
        c = c.join(ids.lazy(), on="bsn", how="left").join(
            jw_of.lazy().with_columns(pl.col("m").cast(pl.Int64)), on="m"
        )
        demographics = pl.col("jw").is_in(list(fields.WITH_DEMOGRAPHICS))
        geb_ok, geb = _date("geboortedatum", True)
        geslacht_ok, _ = _GESLACHT
        postcode_ascii = pl.col("postcode").is_null() | pl.col("postcode").str.contains(r"^[\x00-\x7f]*$")
        return c.with_columns(
            ok=(
                pl.col("client_id").is_not_null()
                & pl.when(demographics).then(geb_ok & geslacht_ok & postcode_ascii).otherwise(pl.lit(True))
            ).fill_null(False),
            geboortejaar=pl.when(demographics).then(geb.dt.year().cast(pl.Int64)),
            geboortemaand=pl.when(demographics).then(geb.dt.month().cast(pl.Int64)),
            geslacht=pl.when(demographics).then(pl.col("geslacht")),
            pc4=pl.when(demographics).then(pl.col("postcode").str.extract(r"^([1-9][0-9]{3})")),
        ).drop("bsn", "geboortedatum", "postcode", "jw")

    @staticmethod
    def _line_frame(jw: str, lines: pl.DataFrame, header: pl.DataFrame) -> pl.LazyFrame:
        """The checked and typed lines of one message type, with their message's header columns."""
        frame = lines.lazy().join(
            header.lazy().select(
                "m",
                "bestand",
                "release",
                "afzender",
                "ontvanger",
                "bericht_identificatie",
                "dagtekening",
                "gemeente_code",
                "aanbieder_agb",
                "declaratienummer",
            ),
            on="m",
            how="left",
        )
        tag = RECORD_TAGS[jw][0]
        return frame.select(
            "m", "client", "bestand", "release", "afzender", "ontvanger", "bericht_identificatie",
            "dagtekening", "gemeente_code", "aanbieder_agb",
            pl.concat_str([pl.lit(tag + " "), pl.col("n").cast(pl.String)]).alias("positie"),
            _LINE_OK[jw],
            LINE_KEYS[jw].alias("regel_sleutel"),
            *_LINE_VALUES[jw],
        )  # fmt: skip

    def _write_retours(self, header: pl.DataFrame) -> None:
        """The header row of every retour read here (`_read_retour` when nothing is echoed)."""
        if header.height == 0:
            return
        codes_expr = pl.concat_list(
            pl.col("header_codes").fill_null("").str.split("\x1f"),
            pl.col("container_codes").fill_null("").str.split("\x1f"),
        ).list.eval(pl.element().filter(pl.element() != ""))
        rows = header.with_columns(
            positie=pl.lit("Header"),
            klasse=pl.lit("Header"),
            bron_formaat=pl.lit("xml"),
            berichttype=pl.col("jw"),
            regel_sleutel=pl.lit(None, dtype=pl.String),
            heen_berichttype=pl.col("jw").replace_strict(codes.RETOUR_OF, return_dtype=pl.String),
            heen_identificatie=pl.col("bericht_identificatie"),
            heen_dagtekening=pl.col("dagtekening"),
            client_id=pl.lit(None, dtype=pl.String),
            retourcodes=codes_expr,
        ).with_columns(
            is_afgekeurd=pl.col("retourcodes")
            .list.eval(~pl.element().is_in(list(codes.ACCEPTING_RETOURCODES)))
            .list.any()
            .fill_null(False),
        )
        for table, types in (
            ("bron_retour", ["JW302", "JW306", "JW308", "JW316"]),
            ("bron_declaratie_antwoord", ["JW325"]),
        ):
            part = rows.filter(pl.col("jw").is_in(types))
            schema = TABLES[table]
            self.sink.add_frame(
                table,
                part.select(
                    (pl.col(k) if k in part.columns else pl.lit(None)).cast(t).alias(k)
                    for k, t in schema.items()
                ),
            )

    def _write_messages(self, header: pl.DataFrame) -> None:
        """One bron_bericht row per message read here, and its accounting (a retour: one record)."""
        n = (
            pl.when(pl.col("jw").is_in(list(RETOUR_TYPES)))
            .then(pl.lit(1, dtype=pl.UInt32))
            .otherwise(pl.col("n"))
        )
        frame = header.with_columns(
            positie=pl.lit("bericht"),
            bron_formaat=pl.lit("xml"),
            berichttype=pl.col("jw"),
            aantal_records=n.cast(pl.Int64),
            aantal_geladen=n.cast(pl.Int64),
        )
        schema = TABLES["bron_bericht"]
        self.sink.add_frame("bron_bericht", frame.select(pl.col(k).cast(t) for k, t in schema.items()))
        for m, count in frame.select("m", "aantal_records").iter_rows():
            report = self.units[m].report
            report.records_read += count
            report.records_loaded += count
