"""Provider records: the record-level waiting-time files (ten layouts, with their mapping files) and the
published waiting-time aggregates computed from the same records.

Invariants protected here:
* the canonical columns of a waiting-time record are declared once, in the product
  (`pipelines.tabular.layouts.LAYOUTS["wachttijden"]`); a record is a row in that column order, every provider
  layout names its columns by those canonical names, and the one provider that uses the canonical names
  (read with the default mapping) writes them all but `product`;
* each other provider layout has exactly one mapping TOML (docs/data-formats.md, *Mappings*);
* record-level rows are streamed (CSV) or written once (XLSX, in memory, fixed properties);
* published aggregates are computed from the same records that are written, with the NZa retrospective
  definition (mean realised wait over the last two months), except for the one documented provider whose
  published figures deviate;
* deliberately broken rows are counted by inspecting the value actually written (same rules as the tests).
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from generator import region
from generator.calendar import WINDOW_START, month_end
from generator.output import write_csv, write_xlsx
from generator.state import ROUTE_GEMEENTE, State, Traject
from pipelines.codes import bsn_elfproef
from pipelines.tabular.layouts import LAYOUTS as TAB_LAYOUTS

# a record: one value per canonical column, in the product's documented order
RECORD_COLUMNS: tuple[str, ...] = TAB_LAYOUTS["wachttijden"].columns
FIELD = {c: i for i, c in enumerate(RECORD_COLUMNS)}
CANONICAL = [c for c in RECORD_COLUMNS if c != "product"]  # the canonical provider file has the category
PUBLISHED_COLUMNS = [c for c in TAB_LAYOUTS["wachttijden_gepubliceerd"].columns if c != "productcategorie"]
_F_BSN, _F_AGB, _F_LOC = FIELD["bsn"], FIELD["aanbieder_agb"], FIELD["locatie"]
_F_AANM, _F_INT = FIELD["datum_aanmelding"], FIELD["datum_intake"]
_F_START, _F_UIT = FIELD["datum_start_behandeling"], FIELD["datum_uitschrijving"]

# per provider file: (canonical column, the sender's column); productcategorie or product
LAYOUTS: dict[str, dict] = {
    "98000011": dict(
        soort="xlsx",
        blad="Wachtlijst",
        datum="%d-%m-%Y",
        xlsx_fmt="dd-mm-yyyy",
        kolommen=[
            ("bsn", "BSN cliënt"),
            ("locatie", "Locatie"),
            ("product", "Product"),
            ("datum_verwijzing", "Verwezen op"),
            ("datum_aanmelding", "Aangemeld op"),
            ("datum_intake", "Intake op"),
            ("datum_start_behandeling", "Start behandeling"),
            ("datum_uitschrijving", "Uitgeschreven op"),
            ("reden_uitschrijving", "Reden uitschrijving"),
        ],
    ),
    "98000022": dict(
        soort="csv",
        sep=";",
        datum="%d-%m-%Y",
        kolommen=[
            ("bsn", "Burgerservicenummer"),
            ("locatie", "Locatie"),
            ("productcategorie", "Zorgcategorie"),
            ("datum_verwijzing", "Datum verwijzing"),
            ("datum_aanmelding", "Datum aanmelding"),
            ("datum_intake", "Datum intake"),
            ("datum_start_behandeling", "Datum start behandeling"),
            ("datum_uitschrijving", "Datum uitschrijving"),
            ("reden_uitschrijving", "Reden uitschrijving"),
        ],
    ),
    "98000033": dict(
        soort="csv",
        sep=",",
        datum="%Y-%m-%d",
        kolommen=[
            ("bsn", "bsn"),
            ("locatie", "vestiging"),
            ("product", "productcode"),
            ("gemeente_code", "gemeente"),
            ("datum_verwijzing", "verwijsdatum"),
            ("datum_aanmelding", "aanmelddatum"),
            ("datum_intake", "intakedatum"),
            ("datum_start_behandeling", "startdatum"),
            ("datum_uitschrijving", "einddatum"),
            ("reden_uitschrijving", "reden_einde"),
        ],
    ),
    "98000044": dict(
        soort="csv",
        sep=";",
        datum="%Y-%m-%d",
        canonical=True,
        kolommen=[(c, c) for c in CANONICAL],
    ),
    "98000055": dict(
        soort="xlsx",
        blad="Cliënten",
        datum="%d-%m-%Y",
        xlsx_fmt="dd-mm-yyyy",
        kolommen=[
            ("bsn", "Cliënt BSN"),
            ("locatie", "Locatie"),
            ("productcategorie", "Categorie"),
            ("datum_verwijzing", "Verwijsdatum"),
            ("datum_aanmelding", "Aanmelding"),
            ("datum_intake", "Intake"),
            ("datum_start_behandeling", "Behandeling gestart"),
            ("datum_uitschrijving", "Afgesloten"),
            ("reden_uitschrijving", "Reden afsluiting"),
        ],
    ),
    "98000066": dict(
        soort="csv",
        sep=";",
        datum="%d/%m/%Y",
        kolommen=[
            ("bsn", "BSN"),
            ("locatie", "Vestiging"),
            ("product", "Product"),
            ("datum_verwijzing", "Verwezen"),
            ("datum_aanmelding", "Aangemeld"),
            ("datum_intake", "Intakegesprek"),
            ("datum_start_behandeling", "Start zorg"),
            ("datum_uitschrijving", "Uitgeschreven"),
            ("reden_uitschrijving", "Reden"),
        ],
    ),
    "98000077": dict(
        soort="csv",
        sep="\t",
        datum="%Y%m%d",
        kolommen=[
            ("bsn", "client_bsn"),
            ("locatie", "locatie_naam"),
            ("productcategorie", "jz_categorie"),
            ("datum_verwijzing", "dt_verwijzing"),
            ("datum_aanmelding", "dt_aanmelding"),
            ("datum_intake", "dt_intake"),
            ("datum_start_behandeling", "dt_start"),
            ("datum_uitschrijving", "dt_uitschrijving"),
            ("reden_uitschrijving", "uitschrijfreden"),
        ],
    ),
    "98000116": dict(
        soort="csv",
        sep=";",
        datum="%d-%m-%Y",
        kolommen=[
            ("bsn", "BSN-nummer"),
            ("locatie", "Locatie"),
            ("product", "Productcode"),
            ("datum_verwijzing", "Verwijzing"),
            ("datum_aanmelding", "Aanmelddatum"),
            ("datum_intake", "Datum eerste gesprek"),
            ("datum_start_behandeling", "Datum start dagbehandeling"),
            ("datum_uitschrijving", "Datum uitstroom"),
            ("reden_uitschrijving", "Reden uitstroom"),
        ],
    ),
    "98000127": dict(
        soort="csv",
        sep=",",
        datum="%d.%m.%Y",
        kolommen=[
            ("bsn", "bsn"),
            ("locatie", "praktijk"),
            ("productcategorie", "categorie"),
            ("datum_verwijzing", "verwijsdatum"),
            ("datum_aanmelding", "aanmelding"),
            ("datum_intake", "intake"),
            ("datum_start_behandeling", "start"),
            ("datum_uitschrijving", "afsluiting"),
            ("reden_uitschrijving", "reden"),
        ],
    ),
    "98000149": dict(
        soort="xlsx",
        blad="Wachttijden",
        datum="%Y-%m-%d",
        xlsx_fmt="yyyy-mm-dd",
        kolommen=[
            ("bsn", "BSN"),
            ("locatie", "Locatie"),
            ("productcategorie", "Productcategorie"),
            ("datum_verwijzing", "Datum verwijzing"),
            ("datum_aanmelding", "Datum aanmelding"),
            ("datum_intake", "Datum intake"),
            ("datum_start_behandeling", "Datum start"),
            ("datum_uitschrijving", "Datum uitschrijving"),
            ("reden_uitschrijving", "Reden"),
        ],
    ),
}
for _lay in LAYOUTS.values():
    _lay["kolommen"] = [(canon, col, FIELD[canon]) for canon, col in _lay["kolommen"]]
# providers whose file gets one broken row of this kind at least (rates apply to all files)
FORCED = {
    "ongeldige_datum": ("98000022", "98000011"),
    "intake_voor_aanmelding": ("98000066",),
    "ongeldig_bsn": ("98000033",),
}


def _bad_date(fmt: str) -> str:
    return fmt.replace("%d", "31").replace("%m", "02").replace("%Y", "2025")


def file_name(agb: str) -> str:
    lay = LAYOUTS[agb]
    slug = region.AANBIEDER_BY_AGB[agb].slug
    return f"wachttijden/{slug}.{lay['soort']}"


class ProviderFiles:
    """Streams the record-level files and accumulates the monthly aggregates."""

    def __init__(self, out: Path, rng: random.Random, months: list[date]) -> None:
        self.out = out
        self.rng = rng
        self.months = months  # window months (first day)
        self.index = {(m.year, m.month): i for i, m in enumerate(months)}
        self.counts = {"ongeldige_datum": 0, "intake_voor_aanmelding": 0, "ongeldig_bsn": 0}
        self.rows = 0
        self.fh: dict[str, object] = {}
        self.writers: dict[str, csv.writer] = {}
        self.xlsx_rows: dict[str, list[list[object]]] = {}
        self.forced_done: set[tuple[str, str]] = set()
        self.agg: dict[tuple[str, str], list[list[float]]] = {}
        for agb, lay in LAYOUTS.items():
            path = out / file_name(agb)
            path.parent.mkdir(parents=True, exist_ok=True)
            header = [c[1] for c in lay["kolommen"]]
            if lay["soort"] == "csv":
                fh = path.open("w", encoding="utf-8", newline="")
                w = csv.writer(fh, delimiter=lay["sep"], lineterminator="\n")
                w.writerow(header)
                self.fh[agb] = fh
                self.writers[agb] = w
            else:
                self.xlsx_rows[agb] = []

    def _mi(self, d: date | None) -> int | None:
        if d is None:
            return None
        return self.index.get((d.year, d.month), -1 if d < self.months[0] else len(self.months))

    def _aggregate(self, rec: list) -> None:
        n = len(self.months)
        key = (rec[_F_AGB], rec[_F_LOC])
        a = self.agg.setdefault(
            key, [[0.0] * n for _ in range(5)]
        )  # sum_aw, n_aw, sum_bw, n_bw, diff waiting
        aanm, intake, start, uit = rec[_F_AANM], rec[_F_INT], rec[_F_START], rec[_F_UIT]
        if intake is not None:
            i = self._mi(intake)
            if 0 <= i < n:
                a[0][i] += (intake - aanm).days / 7
                a[1][i] += 1
            if start is not None:
                j = self._mi(start)
                if 0 <= j < n:
                    a[2][j] += (start - intake).days / 7
                    a[3][j] += 1
        stops = [d for d in (start, uit) if d is not None]
        first = max(self._mi(aanm), 0)
        last = (self._mi(min(stops)) if stops else n) - 1
        if first <= last and first < n:
            a[4][first] += 1
            if last + 1 < n:
                a[4][last + 1] -= 1

    def write(self, rec: list) -> None:
        agb = rec[_F_AGB]
        lay = LAYOUTS.get(agb)
        if lay is None:
            return
        self._aggregate(rec)
        rec = list(rec)
        # deliberately broken rows (rare, at least once in the forced files)
        kind = ""
        x = self.rng.random()
        for k, rate in (
            ("ongeldige_datum", 0.001),
            ("intake_voor_aanmelding", 0.001),
            ("ongeldig_bsn", 0.001),
        ):
            if x < rate or (agb in FORCED[k] and (agb, k) not in self.forced_done):
                kind = k
                break
            x -= rate
        fmt = lay["datum"]
        raw_override: dict[int, str] = {}
        if kind == "intake_voor_aanmelding" and rec[_F_INT] is not None:
            rec[_F_INT] = rec[_F_AANM] - timedelta(days=self.rng.randint(3, 20))
            self.forced_done.add((agb, kind))
        elif kind == "ongeldige_datum" and rec[_F_INT] is not None:
            raw_override[_F_INT] = _bad_date(fmt)
            self.forced_done.add((agb, kind))
        elif kind == "ongeldig_bsn":
            rec[_F_BSN] = rec[_F_BSN][:8]
            self.forced_done.add((agb, kind))
        row: list[object] = []
        for _, _, f in lay["kolommen"]:
            v = rec[f]
            if f in raw_override:
                row.append(raw_override[f])
            elif isinstance(v, date):
                row.append(v if lay["soort"] == "xlsx" else v.strftime(fmt))
            else:
                row.append("" if v is None else v)
        # count by inspecting what is written
        if not bsn_elfproef(str(rec[_F_BSN])):
            self.counts["ongeldig_bsn"] += 1
        if raw_override:
            self.counts["ongeldige_datum"] += 1
        elif rec[_F_INT] is not None and rec[_F_INT] < rec[_F_AANM]:
            self.counts["intake_voor_aanmelding"] += 1
        self.rows += 1
        if lay["soort"] == "csv":
            self.writers[agb].writerow(row)
        else:
            self.xlsx_rows[agb].append(row)

    def close(self, peildatum: date) -> dict[str, int]:
        for agb in sorted(self.fh):
            self.fh[agb].close()  # type: ignore[attr-defined]
        for agb in sorted(self.xlsx_rows):
            lay = LAYOUTS[agb]
            write_xlsx(
                self.out / file_name(agb),
                lay["blad"],
                [c[1] for c in lay["kolommen"]],
                self.xlsx_rows[agb],
                date_format=lay["xlsx_fmt"],
            )
        self._mappings()
        afwijkend = self._published(peildatum)
        return {**self.counts, "gepubliceerd_wijkt_af": afwijkend}

    def _mappings(self) -> None:
        for agb in sorted(LAYOUTS):
            lay = LAYOUTS[agb]
            if lay.get("canonical"):
                continue
            slug = region.AANBIEDER_BY_AGB[agb].slug
            lines = [
                f"# Wachttijdbestand van {region.AANBIEDER_BY_AGB[agb].naam} (AGB {agb})",
                'kind = "wachttijden"',
                f'bestanden = ["{file_name(agb)}"]',
                f'datumformaat = "{lay["datum"]}"',
            ]
            if lay["soort"] == "csv":
                sep = "\\t" if lay["sep"] == "\t" else lay["sep"]
                lines.append(f'scheidingsteken = "{sep}"')
            else:
                lines.append(f'blad = "{lay["blad"]}"')
            lines += ["", "[kolommen]"]
            lines += [f'{canon} = "{col}"' for canon, col, _ in lay["kolommen"]]
            lines += ["", "[vast]", f'aanbieder_agb = "{agb}"']
            path = self.out / "mappings" / f"wachttijden_{slug}.toml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _published(self, peildatum: date) -> int:
        """Published aggregates per provider; returns the number of deviating rows (documented fault)."""
        n = len(self.months)
        header = PUBLISHED_COLUMNS
        per_agb: dict[str, list[list[object]]] = {}
        afwijkend = 0
        for agb, loc in sorted(self.agg):
            a = self.agg[(agb, loc)]
            waiting = 0.0
            for i in range(n):
                waiting += a[4][i]
                m = self.months[i]
                if month_end(m) > peildatum:
                    break
                lo = max(0, i - 1)
                n_aw = a[1][lo] + a[1][i]
                n_bw = a[3][lo] + a[3][i]
                aw = round((a[0][lo] + a[0][i]) / n_aw, 1) if n_aw else ""
                bw = round((a[2][lo] + a[2][i]) / n_bw, 1) if n_bw else ""
                w = int(waiting)
                if agb == region.AGB_GEPUBLICEERD_AFWIJKEND and m >= date(2025, 1, 1) and bw != "":
                    bw = round(float(bw) * 0.55, 1)  # publishes the 'actueel' wait: far too optimistic
                    afwijkend += 1
                per_agb.setdefault(agb, []).append(
                    [agb, loc, f"{m.year:04d}-{m.month:02d}", month_end(m).isoformat(), aw, bw, w]
                )
        for agb in sorted(per_agb):
            slug = region.AANBIEDER_BY_AGB[agb].slug
            write_csv(self.out / "wachttijden-gepubliceerd" / f"{slug}.csv", header, per_agb[agb])
        return afwijkend


class Records(State):
    """Hands each finished (or, at the end of the run, open) waiting trajectory to `ProviderFiles`."""

    provider_files: ProviderFiles

    def _init_records(self, seed: int) -> None:
        window = [m for m in self.months if m >= WINDOW_START]
        self.provider_files = ProviderFiles(self.out, random.Random(seed + 2), window)

    def _record(self, t: Traject) -> None:
        if t.agb not in region.WACHTTIJD_LEVERANCIERS or t.aanmelding is None:
            return
        if t.uitschrijving is not None and t.uitschrijving > self.peildatum:
            t.uitschrijving, t.reden_uit = None, ""
        if t.uitschrijving is not None and t.uitschrijving < WINDOW_START:
            return
        verw = (
            t.verwijzing
            if t.route != ROUTE_GEMEENTE
            else (t.toewijzing.ingang if t.toewijzing else t.verwijzing)
        )
        start = t.start if t.start and t.start <= self.peildatum else None
        intake = t.intake if t.intake and t.intake <= self.peildatum else None
        self.wachten.append((t.kind.bsn, t.agb, verw, start or t.uitschrijving))
        rec = {
            "bsn": t.kind.bsn,
            "aanbieder_agb": t.agb,
            "locatie": t.locatie,
            "productcategorie": t.product.categorie,
            "product": t.product.code,
            "gemeente_code": t.gemeente,
            "datum_verwijzing": verw,
            "datum_aanmelding": t.aanmelding,
            "datum_intake": intake,
            "datum_start_behandeling": start,
            "datum_uitschrijving": t.uitschrijving,
            "reden_uitschrijving": t.reden_uit,
        }
        self.provider_files.write([rec[c] for c in RECORD_COLUMNS])
