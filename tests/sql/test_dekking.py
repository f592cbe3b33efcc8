"""Data coverage counts what was delivered when: the sample region's planted gap (aanbieder 98000077 sent no
files for 2025-03 and 2025-04, and those months' messages came in the 2025-05 batch, sample_data/README.md)
shows as two months without delivery and as late deliveries, checked against the zip files themselves.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
IJW = REPO / "sample_data" / "ijw"
GAP_AGB = "98000077"
SENT_BY_AANBIEDER = ("305", "307", "315", "317", "323")  # message-number prefixes of the member names
VAN, TOT = date(2024, 7, 1), date(2025, 12, 1)


@pytest.fixture(scope="module")
def con(sample_db):
    c = duckdb.connect(str(sample_db), read_only=True)
    yield c
    c.close()


def _zip_months(agb: str) -> set[date]:
    """Months for which the aanbieder's folder holds a batch file (`<agb>_<YYYY-MM>.zip`)."""
    months = set()
    for path in (IJW / agb).glob(f"{agb}_*.zip"):
        y, m = re.search(r"_(\d{4})-(\d{2})\.zip$", path.name).groups()
        months.add(date(int(y), int(m), 1))
    return months


def test_months_with_a_delivery_are_the_months_with_a_batch_file(con):
    """Per aanbieder, the grid's months with iJw messages delivered are exactly its batch files' months
    (an independent count from the folder), so the two missing months of 98000077 read 'niets geleverd'."""
    rows = con.execute(
        "select aanbieder_agb, maand, aantal from dekking($van, $tot, null, null) where bron = 'iJw-berichten'",
        {"van": VAN, "tot": TOT},
    ).fetchall()
    delivered: dict[str, set[date]] = {}
    for agb, maand, aantal in rows:
        delivered.setdefault(agb, set())
        if aantal > 0:
            delivered[agb].add(maand)
    assert GAP_AGB in delivered
    window = {date(y, m, 1) for y in range(VAN.year, TOT.year + 1) for m in range(1, 13)}
    window = {d for d in window if VAN <= d <= TOT}
    for agb, months in delivered.items():
        assert months == _zip_months(agb) & window, agb
    assert window - delivered[GAP_AGB] == {date(2025, 3, 1), date(2025, 4, 1)}


def test_late_messages_are_the_earlier_months_messages_in_the_batch_after_the_gap(con):
    """aantal_laat of 98000077 in 2025-05 = the messages it sent itself in its 2025-05 zip with a Dagtekening
    before May, counted from the zip members; no other aanbieder × month has late messages."""
    expected = 0
    with zipfile.ZipFile(IJW / GAP_AGB / f"{GAP_AGB}_2025-05.zip") as z:
        for name in z.namelist():
            if name.startswith(SENT_BY_AANBIEDER):
                dagtekening = re.search(r"Dagtekening>(\d{4}-\d{2}-\d{2})<", z.read(name).decode("utf-8"))
                expected += date.fromisoformat(dagtekening.group(1)) < date(2025, 5, 1)
    assert expected > 0
    late = con.execute(
        "select aanbieder_agb, maand, aantal_laat from dekking($van, $tot, null, null) where aantal_laat > 0",
        {"van": VAN, "tot": TOT},
    ).fetchall()
    assert late == [(GAP_AGB, date(2025, 5, 1), expected)]


def test_the_coverage_line_names_the_gap_and_the_late_delivery(con):
    naam = con.execute(
        "select naam from organisaties where soort = 'aanbieder' and code = $c", {"c": GAP_AGB}
    )
    naam = naam.fetchone()[0]
    row = con.execute(
        "select n_aanbieders, n_aanbieders_volledig, aanbieders_met_gaten, aanbieders_te_laat "
        "from dekking_samenvatting($van, $tot, null, null) where bron = 'iJw-berichten'",
        {"van": VAN, "tot": TOT},
    ).fetchone()
    n, volledig, gaten, laat = row
    assert volledig == n - 1
    assert gaten == [{"aanbieder": naam, "n_maanden_leeg": 2}]
    assert laat == [{"aanbieder": naam, "n_maanden_laat": 1}]


def test_gemeente_and_aanbieder_filters_narrow_the_coverage(con):
    """iJw messages each go to one gemeente, so the gemeenten's grids add up to the region's; provider
    waiting-time records without a gemeente count only without the gemeente filter."""
    p = {"van": VAN, "tot": TOT}
    q = "select coalesce(sum(aantal), 0) from dekking($van, $tot, $g, null) where bron = 'iJw-berichten'"
    alle = con.execute(q, {**p, "g": None}).fetchone()[0]
    gemeenten = [
        r[0]
        for r in con.execute(
            "select distinct ontvanger from bron_bericht where ontvanger like '99%'"
        ).fetchall()
    ]
    per_gemeente = [con.execute(q, {**p, "g": g}).fetchone()[0] for g in gemeenten]
    assert len(gemeenten) > 1 and all(0 < n < alle for n in per_gemeente)
    assert sum(per_gemeente) == alle
    een = con.execute(
        "select count(distinct aanbieder_agb) from dekking($van, $tot, null, $a)", {**p, "a": GAP_AGB}
    ).fetchone()[0]
    assert een == 1
