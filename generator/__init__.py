"""Deterministic generator of the fictitious jeugdzorgregio Zuidoost-Duinland (`pipelines generate`).

`generate(out, scale, seed)` writes iJw 3.2 XML batches, the flat CSV export, provider waiting-time files
(record level and published), mappings, team files and the reference list of organisation names, and returns a summary with counts per message type
and per fault kind.

Invariants protected here:
* the same `seed` and `scale` give a byte-identical tree (see `sim`, `output`);
* output is streamed month by month, so memory stays bounded at `scale=40` (about 10 million product lines);
* every deliberate fault kind is present at every scale and counted in the summary (`sample_data/README.md`
  documents them);
* `out` is emptied of earlier generator output first, so a regeneration never leaves stale files behind;
  a directory holding a README.md that the generator did not write is refused (never clobber a checkout).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from generator import readme, region
from generator.calendar import DEFAULT_PEILDATUM, WINDOW_START
from generator.sim import Sim
from generator.teams import write_teams
from pipelines.tabular.layouts import LAYOUTS

GENERATED_DIRS = (
    "ijw",
    "ijw-csv",
    "wachttijden",
    "wachttijden-gepubliceerd",
    "teams",
    "mappings",
    "referentie",
)


def write_organisaties(out: Path) -> None:
    """The region's reference list of organisation names (`referentie/organisaties.csv`, canonical layout)."""
    rows = [("gemeente", g.code, g.naam) for g in region.GEMEENTEN]
    rows += [("aanbieder", a.agb, a.naam) for a in region.AANBIEDERS]
    path = out / "referentie" / "organisaties.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [";".join(LAYOUTS["organisaties"].columns), *(";".join(r) for r in rows)]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))


def generate(out: Path, scale: float = 1.0, seed: int = 2026) -> dict:
    """Write the sample region into `out` and return the summary (counts per message type and fault kind)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    out = Path(out)
    readme_path = out / "README.md"
    if readme_path.exists() and not readme_path.read_text("utf-8", errors="replace").startswith(readme.TITLE):
        raise ValueError(f"{out} holds a README.md that is not a generated one; choose an empty directory")
    out.mkdir(parents=True, exist_ok=True)
    for d in GENERATED_DIRS:
        if (out / d).exists():
            shutil.rmtree(out / d)
    sim = Sim(out, scale, seed)
    sim.run()
    prov = sim.provider_files.close(sim.peildatum)
    window = [m for m in sim.months if m >= WINDOW_START]
    teams = write_teams(out, random.Random(seed + 4), sim.team_maand, window, scale)
    write_organisaties(out)
    faults = dict(sim.faults)
    faults.update(
        {
            "wachttijd_ongeldige_datum": prov["ongeldige_datum"],
            "wachttijd_intake_voor_aanmelding": prov["intake_voor_aanmelding"],
            "wachttijd_ongeldig_bsn": prov["ongeldig_bsn"],
            "gepubliceerd_wijkt_af": prov["gepubliceerd_wijkt_af"],
            "caseload_onbekend_team": sim.case_counts["onbekend_team"],
            "team_fte_negatief": teams["negatieve_fte"],
            "factor_score_buiten_bereik": teams["score_buiten_bereik"],
        }
    )
    summary = {
        "regio": "Zuidoost-Duinland",
        "scale": scale,
        "seed": seed,
        "peildatum": DEFAULT_PEILDATUM.isoformat(),
        "van": WINDOW_START.isoformat(),
        "gemeenten": len(region.GEMEENTEN),
        "aanbieders": len(region.AANBIEDERS),
        "berichten": dict(sorted(sim.berichten.items())),
        "regels": dict(sorted(sim.regels.items())),
        "regels_totaal": sim.csv.rows,
        "wachttijd_records": sim.provider_files.rows,
        "caseload_rijen": sim.case_counts["caseload_rijen"],
        "fouten": faults,
        "paden": sim.paden(),
    }
    readme.write(out, summary)
    return summary
