"""The intruder test: can anyone recover a count of 1..k-1 children from what the dashboard releases?

The releases are the protected frames the pages show and offer as CSV (`dashboard.queries`), for the
sample region under no filter, each gemeente alone and each aanbieder alone. The true counts come from
the same macros unprotected (`dashboard.data.fetch`). Identities known to hold are added (and checked on
the true counts); each protected cell is then bounded by linear programming (tests/app/intruder.py).
The Vooruitblik's counts (queue sizes, demand, capacity and reneges of 52 weeks, the expected wait's group
sizes, the teams' new and closed cases) are audited like the other pages' (`vooruitblik_audit`): a count
shown without its protection fails the audit's check of the release rule.

Pass: no true count of 1..k-1 can be narrowed to fewer than `MIN_CANDIDATES` integer values, the promise
of docs/privacy.md. Before the cell-key method (exact released values, cell suppression) this test found
exact values for hidden cells: 333 of 1014 small flow counts below 3 values, routes and waits exact
(commit f664448). With the cell-key method (D = 3) the narrowest interval is 3 values (flows); with
D = 2 four small flow counts narrowed to two values.
"""

from __future__ import annotations

import itertools
import os
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from dashboard.labels import SIGNAALTYPEN
from tests.app.intruder import Audit

MIN_CANDIDATES = 3  # docs/privacy.md: a small count always keeps at least this many possible values

STROMEN_PARTS = [
    "uitstroom_volgens_plan",
    "uitstroom_voortijdig",
    "uitstroom_overig",
    "uitstroom_zonder_stopbericht",
]
STROMEN_COUNTS = ["instroom", "in_zorg", "uitstroom", *STROMEN_PARTS]
WAIT_EPISODES = ["n_afgerond", "n_wachtend"]
DIMS = {"gemeente": "gemeenten", "aanbieder": "aanbieders"}


@pytest.fixture(scope="module")
def releases(sample_db: Path):
    """Everything released for the filter combinations, as (name, filters, protected frame, true frame)."""
    old = os.environ.get("KETENMONITOR_DB")
    os.environ["KETENMONITOR_DB"] = str(sample_db)
    try:
        yield _collect()
    finally:
        if old is None:
            os.environ.pop("KETENMONITOR_DB", None)
        else:
            os.environ["KETENMONITOR_DB"] = old


def _collect() -> dict:
    from dashboard import data, queries
    from dashboard.filtermodel import ALLE, Filters

    opties = data.fetch("filter_opties")
    maanden = sorted(opties.filter(pl.col("soort") == "maand")["waarde"].to_list())
    van, tot = date.fromisoformat(maanden[-24]), date.fromisoformat(maanden[-1])
    base = Filters(van, tot, ALLE, ALLE, ALLE, ALLE)
    gemeenten = opties.filter(pl.col("soort") == "gemeente")["waarde"].to_list()
    aanbieders = opties.filter(pl.col("soort") == "aanbieder")["waarde"].to_list()
    combos: list[tuple[frozenset, Filters]] = [(frozenset(), base)]
    combos += [(frozenset({("gemeente", g)}), Filters(van, tot, g, ALLE, ALLE, ALLE)) for g in gemeenten]
    combos += [(frozenset({("aanbieder", a)}), Filters(van, tot, ALLE, a, ALLE, ALLE)) for a in aanbieders]

    out: dict = {"gemeenten": gemeenten, "aanbieders": aanbieders, "van": van, "tot": tot, "sets": []}
    # the Vooruitblik's true counts: group sizes of the expected wait (the waits of the 52-week window per
    # list) and the weekly queue of every list; the queue's weekly series is released per list, not per filter
    vb_groepen = data.fetch("vooruitblik_wachttijden").group_by("lijst_id").agg(n_wachttijden=pl.len())
    vb_weken = data.fetch("vooruitblik_weken")
    out["vb_weken"] = vb_weken
    out["vb_reeksen"] = {
        lid: queries.vooruitblik_backtest_reeks(lid) for lid in queries.vooruitblik_lijsten(base)["lijst_id"]
    }
    for key, f in combos:

        def raw(macro: str, f=f, **extra) -> pl.DataFrame:  # the true counts, same macro, same filters
            return data.fetch(macro, **extra, **f.params(macro))

        sets = {
            "stromen": (queries.stromen(f), raw("stromen_maand")),
            "per_gemeente": (queries.stromen_per_gemeente(f), raw("stromen_per_gemeente")),
            "signalen": (  # the page shows the type by its Dutch name; match the true rows on it
                queries.signalen_maand(f),
                raw("signalen_maand").with_columns(
                    pl.col("type").replace_strict(SIGNAALTYPEN, default=pl.col("type"))
                ),
            ),
            "routes": (queries.routes(f), raw("routes")),
            "kern": (queries.wachten_per_niveau(f), raw("wachten_kerncijfers")),
        }
        for niveau in ("toewijzing_start", "behandeling"):
            sets[f"aanbieder_{niveau}"] = (
                queries.wachttijden_per_aanbieder(niveau, f),
                raw("wachttijden_per_aanbieder", p_niveau=niveau),
            )
        # Vooruitblik: the ranking (queue size, flows of 52 weeks), the expected wait's group sizes, the teams
        sets["vb_lijsten"] = (queries.vooruitblik_lijsten(f), raw("vooruitblik_lijsten"))
        sets["vb_verwachting"] = (queries.vooruitblik_verwachting(f), vb_groepen)
        sets["vb_teams"] = (queries.vooruitblik_teams(f), raw("vooruitblik_teams"))
        out["sets"].append((key, sets))
    out["k"] = queries.k()
    out["d"] = queries.disclosure_method().max_afwijking
    out["zero_hidden"] = True  # docs/privacy.md: "<k" covers 0 as well
    return out


def _release(audit: Audit, cell, shown_row: dict, true_row: dict, col: str, sparse: bool = False) -> None:
    suppressed = bool(shown_row.get(col + "_onderdrukt"))
    shown = shown_row[col] if suppressed or shown_row[col] is not None else 0  # no value = none there
    audit.release(cell, shown, suppressed, int(true_row[col] or 0), sparse)


def _rows(shown: pl.DataFrame, true: pl.DataFrame, keys: list[str]):
    """Pairs (shown row, true row) matched on `keys` (the protected frame keeps the macro's rows)."""
    true_by_key = {tuple(r[k] for k in keys): r for r in true.iter_rows(named=True)}
    assert shown.height == true.height
    for r in shown.iter_rows(named=True):
        yield r, true_by_key[tuple(r[k] for k in keys)]


def stromen_audit(rel) -> Audit:
    """Flows: row sums, the stock identity, the per-gemeente table, partitions over gemeente and aanbieder."""
    audit = Audit(rel["k"], rel["d"], rel["zero_hidden"])
    van, tot = rel["van"], rel["tot"]
    months: list[date] = []
    for key, sets in rel["sets"]:
        shown, true = sets["stromen"]
        months = sorted(true["maand"].to_list())
        for s, t in _rows(shown, true, ["maand"]):
            m = t["maand"]
            for col in STROMEN_COUNTS:
                _release(audit, (col, m, m, key), s, t, col)
            audit.equal(("uitstroom", m, m, key), [(c, m, m, key) for c in STROMEN_PARTS])
        for prev, m in itertools.pairwise(months):
            audit.equal(
                ("in_zorg", m, m, key),
                [("in_zorg", prev, prev, key), ("instroom", m, m, key), ("uitstroom", m, m, key)],
                sign={("uitstroom", m, m, key): -1},
            )
        shown, true = sets["per_gemeente"]
        gemeenten = []
        for s, t in _rows(shown, true, ["gemeente_code"]):
            g = key | {("gemeente", t["gemeente_code"])}
            gemeenten.append(g)
            _release(audit, ("instroom", van, tot, g), s, t, "instroom")
            _release(audit, ("uitstroom", van, tot, g), s, t, "uitstroom")
            _release(audit, ("in_zorg", tot, tot, g), s, t, "in_zorg_eind")
        for col in ("instroom", "uitstroom"):  # the table's rows add up to the period's months
            audit.sums_equal([(col, van, tot, g) for g in gemeenten], [(col, m, m, key) for m in months])
    # the period totals per gemeente are the sums of that gemeente's months
    for g in rel["gemeenten"]:
        key = frozenset({("gemeente", g)})
        for col in ("instroom", "uitstroom"):
            if ((col, van, tot, key) in audit.true) and all((col, m, m, key) in audit.true for m in months):
                audit.equal((col, van, tot, key), [(col, m, m, key) for m in months])
    # partitions: every trajectory has exactly one gemeente and one aanbieder
    for dim in ("gemeente", "aanbieder"):
        for col in STROMEN_COUNTS:
            for m in months:
                parts = [(col, m, m, frozenset({(dim, v)})) for v in rel[DIMS[dim]]]
                parts = [p for p in parts if p in audit.true]
                if (col, m, m, frozenset()) in audit.true:
                    audit.equal((col, m, m, frozenset()), parts)
    return audit


def _sparse(audit: Audit, rel, name: str, keys: list[str], col: str, cell, nonzero: bool = True) -> dict:
    """Release a sparse list over all views: a row missing from a view is an absent cell. `nonzero`: the
    list has a row only where `col` is non-zero (else a row may hold a 0 in `col`). Returns
    {(row key, view): cell}."""
    universe = set()
    for _, sets in rel["sets"]:
        shown, _ = sets[name]
        universe |= {tuple(r[k] for k in keys) for r in shown.iter_rows(named=True)}
    cells = {}
    for view, sets in rel["sets"]:
        shown, true = sets[name]
        shown_by = {tuple(r[k] for k in keys): r for r in shown.iter_rows(named=True)}
        true_by = {tuple(r[k] for k in keys): r for r in true.iter_rows(named=True)}
        for row in universe:
            c = cell(row, view)
            t = true_by.get(row)
            if row in shown_by:
                _release(audit, c, shown_by[row], t, col, sparse=nonzero)
            else:
                audit.absent(c, int(t[col]) if t else 0)
            cells[(row, view)] = c
    return cells


def _partitions(audit: Audit, rel, cells: dict, exact: dict[str, bool]) -> None:
    """Region cell = sum over the values of each dimension (>= where a part may lack the dimension)."""
    rows = {row for row, view in cells if view == frozenset()}
    for row in rows:
        for dim, is_exact in exact.items():
            parts = [cells[(row, frozenset({(dim, v)}))] for v in rel[DIMS[dim]]]
            if is_exact:
                audit.equal(cells[(row, frozenset())], parts)
            else:
                audit.at_least(cells[(row, frozenset())], parts)


def signalen_audit(rel) -> Audit:
    audit = Audit(rel["k"], rel["d"], rel["zero_hidden"])
    cells = _sparse(audit, rel, "signalen", ["type", "maand"], "aantal", lambda r, v: ("signaal", *r, v))
    _partitions(audit, rel, cells, {"gemeente": False, "aanbieder": True})  # a signal may lack a gemeente
    return audit


def routes_audit(rel) -> Audit:
    audit = Audit(rel["k"], rel["d"], rel["zero_hidden"])
    keys = ["verwijzer_type", "productcategorie", "afloop"]
    cells = _sparse(audit, rel, "routes", keys, "trajecten", lambda r, v: ("trajecten", *r, v))
    _partitions(audit, rel, cells, {"gemeente": True, "aanbieder": True})
    return audit


def wachten_audit(rel) -> Audit:
    """Waiting episodes per niveau = the sum over the aanbieder × categorie rows of the same view."""
    audit = Audit(rel["k"], rel["d"], rel["zero_hidden"])
    for key, sets in rel["sets"]:
        shown, true = sets["kern"]
        for s, t in _rows(shown, true, ["niveau"]):
            for col in WAIT_EPISODES:
                _release(audit, (col, t["niveau"], key), s, t, col)
    for niveau in ("toewijzing_start", "behandeling"):
        for col in WAIT_EPISODES:
            cells = _sparse(
                audit,
                rel,
                f"aanbieder_{niveau}",
                ["aanbieder_agb", "productcategorie"],
                col,
                lambda r, v, col=col, niveau=niveau: (
                    col,
                    niveau,
                    v | {("aanbieder", r[0]), ("categorie", r[1])},
                ),
                nonzero=False,  # a row has completed or waiting episodes, not necessarily both
            )
            for _, view in {(None, v) for _, v in cells}:
                parts = [c for (row, v), c in cells.items() if v == view]
                audit.equal((col, niveau, view), parts)
    return audit


VB_FLOWS = ["instroom_jaar", "starts_jaar", "afvallers_jaar"]


def vooruitblik_audit(rel) -> Audit:
    """Vooruitblik: per list the queue at the last week (the ranking, and the last point of its weekly
    series), the flows of the 52 weeks and the expected wait's group size; per team the new and closed
    cases. A list is the same cell under every filter. The balance: queue(last week) = queue(52 weeks
    earlier, not released) + instroom - starts - afvallers of the 52 weeks. A list shown under no view
    (fewer than k children joined it) releases nothing."""
    audit = Audit(rel["k"], rel["d"], rel["zero_hidden"])
    weken = rel["vb_weken"]
    laatste = weken["week"].max()
    for _, sets in rel["sets"]:
        shown, true = sets["vb_lijsten"]
        true_by = {r["lijst_id"]: r for r in true.iter_rows(named=True)}
        assert set(shown["lijst_id"]) <= set(true_by)
        for s in shown.iter_rows(named=True):
            t = true_by[s["lijst_id"]]
            _release(audit, ("vb_wachtend", s["lijst_id"], laatste), s, t, "wachtend")
            for col in VB_FLOWS:
                _release(audit, (col, s["lijst_id"]), s, t, col)
        shown, true = sets["vb_verwachting"]
        true_by = {r["lijst_id"]: r for r in true.iter_rows(named=True)}
        for s in shown.iter_rows(named=True):
            _release(audit, ("vb_wachttijden", s["lijst_id"]), s, true_by[s["lijst_id"]], "n_wachttijden")
        for s, t in _rows(*sets["vb_teams"], ["team_code"]):
            for col in ("nieuwe_casussen", "afgesloten_casussen"):
                _release(audit, (col, t["team_code"]), s, t, col)
    for lid, reeks in rel["vb_reeksen"].items():
        waar = weken.filter(pl.col("lijst_id") == lid)
        true_by = {r["week"]: r for r in waar.iter_rows(named=True)}
        for s in reeks.unique("week").iter_rows(named=True):
            _release(audit, ("vb_wachtend", lid, s["week"]), s, true_by[s["week"]], "wachtend")
        begin = laatste - timedelta(weeks=52)
        t_begin = true_by.get(begin, {"wachtend": 0})["wachtend"]  # a list that began later started at 0
        audit.unreleased(("vb_wachtend", lid, begin), int(t_begin))
        audit.equal(
            ("vb_wachtend", lid, laatste),
            [("vb_wachtend", lid, begin), *((col, lid) for col in VB_FLOWS)],
            sign={("starts_jaar", lid): -1, ("afvallers_jaar", lid): -1},
        )
    return audit


AUDITS = {
    "stromen": stromen_audit,
    "signalen": signalen_audit,
    "routes": routes_audit,
    "wachten": wachten_audit,
    "vooruitblik": vooruitblik_audit,
}


@pytest.mark.parametrize("family", list(AUDITS))
def test_no_small_count_can_be_recovered(releases, family):
    audit = AUDITS[family](releases)
    protected = audit.protected()
    assert protected, "the sample region must have small counts to protect (self-check)"
    bounds = audit.bounds(protected)
    narrow = {c: b for c, b in bounds.items() if b[1] - b[0] + 1 < MIN_CANDIDATES}
    widths = sorted(b[1] - b[0] + 1 for b in bounds.values())
    print(f"{family}: {len(audit.true)} cells, {len(protected)} protected, narrowest {widths[:5]}")
    assert not narrow, (
        f"{len(narrow)} of {len(protected)} small counts narrowed below {MIN_CANDIDATES} values, e.g. "
        + "; ".join(f"{c}: true {audit.true[c]}, bounds {b}" for c, b in list(narrow.items())[:4])
    )
