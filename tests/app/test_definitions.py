"""Every 'Definitie' link in the pages points at an anchor the definitions catalogue declares."""

import re
from pathlib import Path

from dashboard.components import anchors_in_definitions

VIEWS = Path(__file__).resolve().parents[2] / "dashboard" / "views"


def test_every_anchor_used_by_a_page_exists():
    declared = anchors_in_definitions()
    used = set()
    for view in VIEWS.glob("*.py"):
        text = view.read_text("utf-8")
        used |= set(re.findall(r'anchor="([a-z0-9-]+)"', text))
        # anchors built per niveau: f"wachttijd-{niveau...}"
        if 'anchor=f"wachttijd-' in text:
            used |= {
                f"wachttijd-{n.replace('_', '-')}"
                for n in (
                    "verzoek_toewijzing",
                    "toewijzing_start",
                    "aanmelding",
                    "intake",
                    "behandeling",
                    "totaal",
                )
            }
    assert used, "no anchors found in the views"
    assert used - declared == set()
