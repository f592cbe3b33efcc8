"""Provider waiting-time files, published aggregates, mappings and team files of the sample region.

Invariants protected here:
* each provider layout has exactly one mapping TOML (docs/data-formats.md, *Mappings*), except the one
  provider that uses the canonical column names (read with the default mapping);
* record-level rows are streamed (CSV) or written once (XLSX, in memory, fixed properties);
* published aggregates are computed from the same records that are written, with the NZa retrospective
  definition (mean realised wait over the last two months), except for the one documented provider whose
  published figures deviate;
* deliberately broken rows are counted by inspecting the value actually written (same rules as the tests).
"""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

from generator import region
from generator.output import write_csv, write_xlsx
from pipelines.codes import FACTOREN, bsn_elfproef
from pipelines.tabular.layouts import LAYOUTS as TAB_LAYOUTS

CANONICAL = [
    "bsn",
    "aanbieder_agb",
    "locatie",
    "productcategorie",
    "gemeente_code",
    "datum_verwijzing",
    "datum_aanmelding",
    "datum_intake",
    "datum_start_behandeling",
    "datum_uitschrijving",
    "reden_uitschrijving",
]
# record fields produced by the simulation, in this order:
# bsn, agb, locatie, categorie, productcode, gemeente, verwijzing, aanmelding, intake, start,
# uitschrijving, reden
_F_BSN, _F_AGB, _F_LOC, _F_CAT, _F_CODE, _F_GEM, _F_VERW, _F_AANM, _F_INT, _F_START, _F_UIT, _F_REDEN = range(
    12
)

# canonical name -> (sender column, source field); productcategorie or product
LAYOUTS: dict[str, dict] = {
    "98000011": dict(
        soort="xlsx",
        blad="Wachtlijst",
        datum="%d-%m-%Y",
        xlsx_fmt="dd-mm-yyyy",
        kolommen=[
            ("bsn", "BSN cliënt", _F_BSN),
            ("locatie", "Locatie", _F_LOC),
            ("product", "Product", _F_CODE),
            ("datum_verwijzing", "Verwezen op", _F_VERW),
            ("datum_aanmelding", "Aangemeld op", _F_AANM),
            ("datum_intake", "Intake op", _F_INT),
            ("datum_start_behandeling", "Start behandeling", _F_START),
            ("datum_uitschrijving", "Uitgeschreven op", _F_UIT),
            ("reden_uitschrijving", "Reden uitschrijving", _F_REDEN),
        ],
    ),
    "98000022": dict(
        soort="csv",
        sep=";",
        datum="%d-%m-%Y",
        kolommen=[
            ("bsn", "Burgerservicenummer", _F_BSN),
            ("locatie", "Locatie", _F_LOC),
            ("productcategorie", "Zorgcategorie", _F_CAT),
            ("datum_verwijzing", "Datum verwijzing", _F_VERW),
            ("datum_aanmelding", "Datum aanmelding", _F_AANM),
            ("datum_intake", "Datum intake", _F_INT),
            ("datum_start_behandeling", "Datum start behandeling", _F_START),
            ("datum_uitschrijving", "Datum uitschrijving", _F_UIT),
            ("reden_uitschrijving", "Reden uitschrijving", _F_REDEN),
        ],
    ),
    "98000033": dict(
        soort="csv",
        sep=",",
        datum="%Y-%m-%d",
        kolommen=[
            ("bsn", "bsn", _F_BSN),
            ("locatie", "vestiging", _F_LOC),
            ("product", "productcode", _F_CODE),
            ("gemeente_code", "gemeente", _F_GEM),
            ("datum_verwijzing", "verwijsdatum", _F_VERW),
            ("datum_aanmelding", "aanmelddatum", _F_AANM),
            ("datum_intake", "intakedatum", _F_INT),
            ("datum_start_behandeling", "startdatum", _F_START),
            ("datum_uitschrijving", "einddatum", _F_UIT),
            ("reden_uitschrijving", "reden_einde", _F_REDEN),
        ],
    ),
    "98000044": dict(
        soort="csv",
        sep=";",
        datum="%Y-%m-%d",
        canonical=True,
        kolommen=[
            ("bsn", "bsn", _F_BSN),
            ("aanbieder_agb", "aanbieder_agb", _F_AGB),
            ("locatie", "locatie", _F_LOC),
            ("productcategorie", "productcategorie", _F_CAT),
            ("gemeente_code", "gemeente_code", _F_GEM),
            ("datum_verwijzing", "datum_verwijzing", _F_VERW),
            ("datum_aanmelding", "datum_aanmelding", _F_AANM),
            ("datum_intake", "datum_intake", _F_INT),
            ("datum_start_behandeling", "datum_start_behandeling", _F_START),
            ("datum_uitschrijving", "datum_uitschrijving", _F_UIT),
            ("reden_uitschrijving", "reden_uitschrijving", _F_REDEN),
        ],
    ),
    "98000055": dict(
        soort="xlsx",
        blad="Cliënten",
        datum="%d-%m-%Y",
        xlsx_fmt="dd-mm-yyyy",
        kolommen=[
            ("bsn", "Cliënt BSN", _F_BSN),
            ("locatie", "Locatie", _F_LOC),
            ("productcategorie", "Categorie", _F_CAT),
            ("datum_verwijzing", "Verwijsdatum", _F_VERW),
            ("datum_aanmelding", "Aanmelding", _F_AANM),
            ("datum_intake", "Intake", _F_INT),
            ("datum_start_behandeling", "Behandeling gestart", _F_START),
            ("datum_uitschrijving", "Afgesloten", _F_UIT),
            ("reden_uitschrijving", "Reden afsluiting", _F_REDEN),
        ],
    ),
    "98000066": dict(
        soort="csv",
        sep=";",
        datum="%d/%m/%Y",
        kolommen=[
            ("bsn", "BSN", _F_BSN),
            ("locatie", "Vestiging", _F_LOC),
            ("product", "Product", _F_CODE),
            ("datum_verwijzing", "Verwezen", _F_VERW),
            ("datum_aanmelding", "Aangemeld", _F_AANM),
            ("datum_intake", "Intakegesprek", _F_INT),
            ("datum_start_behandeling", "Start zorg", _F_START),
            ("datum_uitschrijving", "Uitgeschreven", _F_UIT),
            ("reden_uitschrijving", "Reden", _F_REDEN),
        ],
    ),
    "98000077": dict(
        soort="csv",
        sep="\t",
        datum="%Y%m%d",
        kolommen=[
            ("bsn", "client_bsn", _F_BSN),
            ("locatie", "locatie_naam", _F_LOC),
            ("productcategorie", "jz_categorie", _F_CAT),
            ("datum_verwijzing", "dt_verwijzing", _F_VERW),
            ("datum_aanmelding", "dt_aanmelding", _F_AANM),
            ("datum_intake", "dt_intake", _F_INT),
            ("datum_start_behandeling", "dt_start", _F_START),
            ("datum_uitschrijving", "dt_uitschrijving", _F_UIT),
            ("reden_uitschrijving", "uitschrijfreden", _F_REDEN),
        ],
    ),
    "98000116": dict(
        soort="csv",
        sep=";",
        datum="%d-%m-%Y",
        kolommen=[
            ("bsn", "BSN-nummer", _F_BSN),
            ("locatie", "Locatie", _F_LOC),
            ("product", "Productcode", _F_CODE),
            ("datum_verwijzing", "Verwijzing", _F_VERW),
            ("datum_aanmelding", "Aanmelddatum", _F_AANM),
            ("datum_intake", "Datum eerste gesprek", _F_INT),
            ("datum_start_behandeling", "Datum start dagbehandeling", _F_START),
            ("datum_uitschrijving", "Datum uitstroom", _F_UIT),
            ("reden_uitschrijving", "Reden uitstroom", _F_REDEN),
        ],
    ),
    "98000127": dict(
        soort="csv",
        sep=",",
        datum="%d.%m.%Y",
        kolommen=[
            ("bsn", "bsn", _F_BSN),
            ("locatie", "praktijk", _F_LOC),
            ("productcategorie", "categorie", _F_CAT),
            ("datum_verwijzing", "verwijsdatum", _F_VERW),
            ("datum_aanmelding", "aanmelding", _F_AANM),
            ("datum_intake", "intake", _F_INT),
            ("datum_start_behandeling", "start", _F_START),
            ("datum_uitschrijving", "afsluiting", _F_UIT),
            ("reden_uitschrijving", "reden", _F_REDEN),
        ],
    ),
    "98000149": dict(
        soort="xlsx",
        blad="Wachttijden",
        datum="%Y-%m-%d",
        xlsx_fmt="yyyy-mm-dd",
        kolommen=[
            ("bsn", "BSN", _F_BSN),
            ("locatie", "Locatie", _F_LOC),
            ("productcategorie", "Productcategorie", _F_CAT),
            ("datum_verwijzing", "Datum verwijzing", _F_VERW),
            ("datum_aanmelding", "Datum aanmelding", _F_AANM),
            ("datum_intake", "Datum intake", _F_INT),
            ("datum_start_behandeling", "Datum start", _F_START),
            ("datum_uitschrijving", "Datum uitschrijving", _F_UIT),
            ("reden_uitschrijving", "Reden", _F_REDEN),
        ],
    ),
}
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
            from datetime import timedelta

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
        from generator.sim import month_end

        n = len(self.months)
        header = [
            "aanbieder_agb",
            "locatie",
            "maand",
            "peildatum",
            "aanmeldingswachttijd_weken",
            "behandelingswachttijd_weken",
            "aantal_wachtenden",
        ]
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


# ---------------------------------------------------------------------------------------------- teams
TEAM_RATIO = {"wijkteam": 14.5, "jeugdteam": 12.5, "FACT-jeugd": 12.5, "GI": 13.5}


def write_teams(
    out: Path, rng: random.Random, team_maand: dict[tuple[str, str], float], months: list[date], scale: float
) -> dict[str, int]:
    counts = {"negatieve_fte": 0, "score_buiten_bereik": 0}
    write_csv(
        out / "teams" / "teams.csv",
        list(TAB_LAYOUTS["teams"].columns),
        [
            [t.code, t.naam, t.type, t.gemeente, t.onder, t.boven, t.eenheid, "2022-10-01", "2026-12-31"]
            for t in region.TEAMS
        ],
    )
    fte_rows: list[list[object]] = []
    keys = [f"{m.year:04d}-{m.month:02d}" for m in months]
    fte_by_team: dict[str, list[float]] = {}
    for t in region.TEAMS:
        loads = [team_maand.get((t.code, k), 0.0) for k in keys]
        ftes = []
        for i, k in enumerate(keys):
            window = loads[max(0, i - 5) : i + 1]
            mean = sum(window) / len(window)
            ratio = TEAM_RATIO[t.type]
            if t.code == region.OVERBELAST_TEAM:
                ratio = 18.5 + 5.0 * i / max(1, len(keys) - 1)  # vacancies: ever more cases per FTE
            fte = max(0.8, round(mean / ratio * (1 + rng.uniform(-0.03, 0.03)), 1))
            ftes.append(fte)
            fte_rows.append([t.code, k, fte])
        fte_by_team[t.code] = ftes
    # one negative FTE (data-entry error)
    idx = rng.randrange(len(fte_rows))
    fte_rows[idx][2] = -fte_rows[idx][2]
    counts["negatieve_fte"] = sum(1 for r in fte_rows if r[2] < 0)
    write_csv(out / "teams" / "team_fte.csv", list(TAB_LAYOUTS["team_fte"].columns), fte_rows)
    # factor sheet: per member per quarter
    factors = list(FACTOREN)
    header = list(TAB_LAYOUTS["factoren"].columns)  # team_code, medewerker, kwartaal, one column per factor
    rows: list[list[object]] = []
    quarters = sorted({(m.year, (m.month - 1) // 3 + 1) for m in months})
    heavy = {
        "multiproblematiek",
        "beschikbaarheid_juiste_hulp",
        "fluctueren_zorgvraag",
        "administratieve_ondersteuning",
    }
    for t in region.TEAMS:
        base = {f: rng.choice((2, 2, 3, 3, 3, 4)) for f in factors}
        max_fte = max(fte_by_team[t.code])
        n_members = max(3, round(max_fte * 1.2))
        for y, q in quarters:
            i = (
                keys.index(f"{y:04d}-{(q - 1) * 3 + 1:02d}")
                if f"{y:04d}-{(q - 1) * 3 + 1:02d}" in keys
                else 0
            )
            present = max(3, round(fte_by_team[t.code][i] * 1.2))
            for mnr in range(1, min(present, n_members) + 1):
                scores = []
                for f in factors:
                    s = base[f] + rng.choice((-1, 0, 0, 0, 1))
                    if t.code == region.OVERBELAST_TEAM and f in heavy:
                        s += 1 + (1 if y >= 2025 else 0)
                    scores.append(min(5, max(1, s)))
                rows.append([t.code, f"M{mnr:03d}", f"{y}-Q{q}", *scores])
    for _ in range(max(1, round(2 * min(scale, 1.0)))):
        r = rows[rng.randrange(len(rows))]
        r[3 + rng.randrange(len(factors))] = rng.choice((0, 6, 7))
    counts["score_buiten_bereik"] = sum(1 for r in rows for v in r[3:] if not 1 <= v <= 5)
    write_xlsx(out / "teams" / "factoren.xlsx", "Factoren", header, rows)
    return counts
