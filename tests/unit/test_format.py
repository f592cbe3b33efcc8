"""Dutch number formats of the dashboard: signed changes as the KPI cards show them."""

from __future__ import annotations

import pytest

from dashboard.format import getal, verschil, weken


@pytest.mark.parametrize(
    ("delta", "fmt", "expected"),
    [
        (5, getal, "+5"),
        (-5, getal, "-5"),
        (0, getal, "0"),
        (1234, getal, "+1.234"),
        (5.6, weken, "+0,8 wk"),  # days -> weeks
        (-5.6, weken, "-0,8 wk"),
        (0.2, weken, "0,0 wk"),  # rounds to zero: no sign, so no arrow either way
        (-0.2, weken, "0,0 wk"),
    ],
)
def test_verschil(delta, fmt, expected):
    assert verschil(delta, fmt) == expected


def test_format_table_on_screen_and_in_a_csv():
    """One format per unit: Dutch numbers on screen, no thousands separator in a CSV; dates 'd mmm jjjj'
    (months 'mmm jjjj') on screen and ISO in a CSV; yes/no as ja/nee; codes by their Dutch names; days whole."""
    from datetime import date

    import polars as pl

    from dashboard.format import format_table

    df = pl.DataFrame(
        {
            "maand": [date(2026, 9, 1)],
            "datum": [date(2026, 9, 24)],
            "records": [15517],
            "fte": [1234.56],
            "mediaan_dagen": [25.5],
            "is_afwijkend": [False],
            "status": ["partial"],
            "type": ["toewijzing_zonder_start"],
            "status_gewogen": ["ver_boven_band"],
        }
    )
    screen = format_table(df).row(0)
    assert screen == (
        "sep 2026",
        "24 sep 2026",
        "15.517",
        "1.234,6",
        "26",
        "nee",
        "deels geladen",
        "Toewijzing zonder start",
        "10% of meer erboven",
    )
    csv = format_table(df, csv=True).row(0)
    assert csv[:5] == ("2026-09-01", "2026-09-24", "15517", "1234,6", "26")
    assert csv[5:] == screen[5:]


def test_stored_utc_times_are_shown_on_the_users_clock():
    """One home for "a stored time as the users read it" (banner, notes, report): Amsterdam time, winter and
    summer (the store keeps UTC)."""
    from datetime import UTC, datetime

    from dashboard.format import datum_tijd

    assert datum_tijd(datetime(2026, 12, 7, 7, 20, tzinfo=UTC)) == "7 dec 2026 08:20"
    assert datum_tijd(datetime(2026, 7, 1, 10, 0, tzinfo=UTC), " om ") == "1 jul 2026 om 12:00"
    assert datum_tijd(None) == "–"
