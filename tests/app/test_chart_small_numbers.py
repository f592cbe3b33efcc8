"""Charts a reader can trust under narrow filters: where the small-number rule hid a value in a chart, the
chart says so under its title, and signal types under k in every month are named, not silently missing.

The suppressed cells are counted from the frames the pages hand to `components.chart_block` (their
`<count>_onderdrukt` flags), the types under k from the unprotected macro (`dashboard.data.fetch`)."""

from __future__ import annotations

import os
from datetime import date

import polars as pl
import pytest

from dashboard.labels import signaaltype
from pipelines import settings
from tests.app.conftest import run_page, tab_views
from tests.app.test_small_numbers import narrow_queries

K = settings.small_number_threshold()
RULE = f"Waarden onder k={K} zijn niet getoond"


def _suppressed(frame: pl.DataFrame) -> int:
    return sum(int(frame[c].sum()) for c in frame.columns if c.endswith("_onderdrukt"))


@pytest.mark.parametrize("page", ["views/overzicht.py", "views/stromen.py", "views/wachttijden.py"])
def test_every_chart_with_hidden_values_states_the_small_number_rule(use_db, app_db, monkeypatch, page):
    import dashboard.components as components

    seen: list[tuple[str, int]] = []
    real = components.chart_block

    def spy(title, chart, frame, *args, **kwargs):
        seen.append((title, _suppressed(frame)))
        return real(title, chart, frame, *args, **kwargs)

    monkeypatch.setattr(components, "chart_block", spy)
    hidden_somewhere = False
    for query in (q | tab for q in narrow_queries(app_db)[1:3] for tab in tab_views(page)):
        at = run_page(page, query)
        seen.clear()  # run_page may have run another page (or tab) first: count this page's run only
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        notes = [c.value for c in at.caption if RULE in c.value]
        with_hidden = [title for title, n in seen if n]
        hidden_somewhere |= bool(with_hidden)
        assert len(notes) == len(with_hidden), (query, with_hidden, notes)
    assert hidden_somewhere, "the narrow filters hide some value in a chart of this page"


def test_signal_types_under_k_every_month_are_named(use_db, app_db):
    from dashboard import components, data, queries
    from dashboard.filtermodel import ALLE, Filters

    os.environ["KETENMONITOR_DB"] = str(app_db)
    opties = data.fetch("filter_opties")
    maanden = sorted(opties.filter(pl.col("soort") == "maand")["waarde"].to_list())
    d = queries.disclosure_method().max_afwijking
    named_any = False
    for gemeente in opties.filter(pl.col("soort") == "gemeente")["waarde"].to_list():
        f = Filters(
            date.fromisoformat(maanden[-6]), date.fromisoformat(maanden[-1]), gemeente, ALLE, ALLE, ALLE
        )
        true = data.fetch("signalen_maand", **f.params("signalen_maand"))
        top = true.group_by("type").agg(pl.col("aantal").max())
        # by their Dutch names, as the caption names them (labels.SIGNAALTYPEN)
        surely_under = {signaaltype(r["type"]) for r in top.iter_rows(named=True) if r["aantal"] < K}
        surely_shown = {signaaltype(r["type"]) for r in top.iter_rows(named=True) if r["aantal"] >= K + d}
        regel = components.signalen_onder_k_regel(queries.signaaltypen_onder_k(f))
        listed = (
            set(regel.split(": ", 1)[1].rstrip(".").split(", ")) if "Altijd minder dan" in regel else set()
        )
        assert surely_under <= listed, gemeente
        assert not (surely_shown & listed), gemeente
        named_any |= bool(surely_under)
    assert named_any, "some gemeente has a signal type under k in every month of the half year"
