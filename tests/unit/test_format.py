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
