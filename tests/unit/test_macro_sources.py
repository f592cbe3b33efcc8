"""Table macros (what the dashboard reads) read marts and intermediate relations, never raw `bron_*` tables or
staging models: a figure on screen always goes through the model's rules (issue 12). The exceptions are
named here with their reason, so a new one is a visible decision."""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.sqlrunner import _strip, read_models

SQL = Path(__file__).resolve().parents[2] / "sql"
_READ = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)\b", re.I)

# staging relations a macro may read, and why
ALLOWED_STAGING = {
    "organisaties": "a lookup of organisation names (no facts), joined for display",
    "ijw_afgekeurd": "read only by ijw_retourstatus, the build-time macro that is the one home of the retour "
    "rule for the iJw staging models (not a dashboard read)",
    "factorscores": "the per-member factor scores; no mart at member grain exists yet (caseload_factoren)",
}


def test_macros_read_marts_and_intermediate_relations_only():
    models = read_models(SQL)
    staging = {n for n, m in models.items() if m.layer == "staging"}
    problems = []
    for name, model in sorted(models.items()):
        if model.layer != "macros":
            continue
        read = {t.lower() for t in _READ.findall(_strip(model.sql))}
        raw = sorted(t for t in read if t.startswith("bron_"))
        stg = sorted((read & staging) - set(ALLOWED_STAGING))
        if raw or stg:
            problems.append(f"{name}: {raw + stg}")
    assert not problems, problems


def test_the_check_sees_a_staging_read():
    assert _READ.findall(_strip("select a.x from aanmeldingen as a -- from bron_bericht\n")) == [
        "aanmeldingen"
    ]


def test_the_retour_and_deletion_rules_have_one_home():
    """Issue 14: "rejected by a retour" and "deleted by StatusAanlevering 3" are written once, in
    sql/macros/ijw_retourstatus.sql and ijw_niet_verwijderd.sql; every iJw staging model reads through them."""
    models = read_models(SQL)
    retour, verwijderd = [], []
    for name, model in models.items():
        text = _strip(model.sql).lower()
        if re.search(r"\bfrom\s+ijw_afgekeurd\b", text) and name != "ijw_retourstatus":
            retour.append(name)
        if re.search(r"status_aanlevering\s*=\s*''", text) and name != "ijw_niet_verwijderd":
            verwijderd.append(name)  # _strip blanks string literals: '3' reads as ''
    assert retour == [] and verwijderd == [], (retour, verwijderd)
    users = sorted(n for n, m in models.items() if "ijw_retourstatus" in m.depends_on)
    assert users == ["antwoorden", "declaraties", "starts", "stops", "toewijzingen", "verzoeken"], users
