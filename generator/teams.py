"""Teams: the caseload of wijkteams, FACT and GI teams as the simulation opens and closes cases, and the team
files (teams, FTE per month, factor scores) derived from it.

Invariants protected here:
* the same child has the same BSN in caseload, iJw and provider records; a case is written once, when it
  closes (or open at the end of the run), and one row carries a team code that is not in teams.csv;
* FTE per month follows the six-month mean caseload divided by a target ratio inside the band, except the one
  overloaded team whose ratio rises above its band; one FTE is negative and some scores are out of range
  (documented faults, counted from the written values);
* the file columns are the product's canonical layouts (`pipelines.tabular.layouts`).
"""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from generator import region
from generator.calendar import WINDOW_START, add_months, mkey, month_start
from generator.output import write_csv, write_xlsx
from generator.state import State, Traject
from pipelines.codes import FACTOREN
from pipelines.tabular.layouts import LAYOUTS as TAB_LAYOUTS

CASELOAD_COLUMNS = list(TAB_LAYOUTS["caseload"].columns)


class Caseload(State):
    """Open and close caseload rows (`caseload.csv`) and sum the weight per team and month."""

    rng_case: random.Random
    case_fh: TextIO
    case_w: Any  # csv writer of teams/caseload.csv
    case_counts: dict[str, int]
    team_maand: dict[tuple[str, str], float]  # (team, month key) -> summed case weight

    def _init_caseload(self, seed: int) -> None:
        self.rng_case = random.Random(seed + 3)
        cpath = self.out / "teams" / "caseload.csv"
        cpath.parent.mkdir(parents=True, exist_ok=True)
        self.case_fh = cpath.open("w", encoding="utf-8", newline="")
        self.case_w = csv.writer(self.case_fh, delimiter=";", lineterminator="\n")
        self.case_w.writerow(CASELOAD_COLUMNS)
        self.case_counts = {"onbekend_team": 0, "caseload_rijen": 0}
        self.team_maand = {}

    def _case(
        self,
        team: str,
        bsn: str,
        start: date,
        end: date | None,
        t: Traject | None = None,
        weight: float | None = None,
    ) -> None:
        if weight is None:
            weight = self.rng.choice((1.0, 1.0, 1.0, 1.0, 1.5, 1.5, 0.5))
        if end is None:
            assert t is not None
            t_case = (team, bsn, start, weight)
            t.cases.append(t_case)
            return
        self._close_case(team, bsn, start, end, weight)

    def _close_case(self, team: str, bsn: str, start: date, end: date | None, weight: float) -> None:
        if end is not None and end > self.peildatum:
            end = None
        if end is not None and end < WINDOW_START:
            return
        code = team
        if self.rng_case.random() < 0.0008 or (
            self.case_counts["onbekend_team"] == 0 and self.progress > 0.5
        ):
            code = "WT-ONBEKEND"  # a team code that is not in teams.csv
            self.case_counts["onbekend_team"] += 1
        self.case_w.writerow([code, bsn, start.isoformat(), end.isoformat() if end else "", weight])
        self.case_counts["caseload_rijen"] += 1
        if code != team:
            return
        m = month_start(max(start, WINDOW_START))
        last = end or self.peildatum
        while m <= last:
            key = (team, mkey(m))
            self.team_maand[key] = self.team_maand.get(key, 0.0) + weight
            m = add_months(m, 1)

    def _close_cases(self, t: Traject, end: date) -> None:
        cases, t.cases = t.cases, []
        for team, bsn, start, weight in cases:
            self._close_case(team, bsn, start, max(end, start), weight)

    def _close_cases_open(self, t: Traject) -> None:
        cases, t.cases = t.cases, []
        for team, bsn, start, weight in cases:
            self._close_case(team, bsn, start, None, weight)


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
