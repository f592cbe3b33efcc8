"""The sample region exercises every path through the chain, and the model finds them.

`sample_data/README.md` documents, per path, the count the generator took from its simulation
(`Sim.paden`: reported starts, true ends). Here each is recounted independently on the sample region built
through the real build: stapeling and waiting at two providers straight from `trajecten` / `wachttijden`
(children), herinstroom and op-/afschaling as the sums of `maand_stromen`. Invariants:
* every path occurs a realistic number of times (at least 1 % of the children with a trajectory);
* the model's count is within 5 % of the documented one. Not exact, by design: the monitor derives an end
  without stop message from the toewijzing (fault `ontbrekende_stop`), which lengthens some trajectories.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

README = Path(__file__).resolve().parents[2] / "sample_data" / "README.md"
TOLERANCE = 0.05


def documented() -> dict[str, int]:
    text = README.read_text("utf-8")
    section = text.split("## Paden door de keten", 1)[1].split("\n## ", 1)[0]
    counts = {
        m[1]: int(m[2]) for m in re.finditer(r"^\| (\w+) \| (\d+) (?:kinderen|trajecten) \|", section, re.M)
    }
    (kinderen,) = re.findall(r"(\d+) kinderen hebben zo'n traject", section.replace("\n", " "))
    counts["kinderen_met_traject"] = int(kinderen)
    return counts


@pytest.fixture(scope="module")
def con(sample_db: Path):
    c = duckdb.connect(str(sample_db), read_only=True)
    yield c
    c.close()


def model_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "kinderen_met_traject": one(
            """select count(distinct t.client_id) from trajecten as t cross join peildatum as p
               where t.is_gestart and t.startdatum >= p.venster_begin"""
        ),
        # children with two started trajectories open at the same month end
        "stapeling": one(
            """with maanden as (select distinct m.maand from maand_stromen as m),
               open_eind as (
                   select m.maand, t.client_id, count(*) as n
                   from maanden as m
                   inner join trajecten as t
                       on t.is_gestart and t.startdatum <= last_day(m.maand)
                       and (t.einddatum is null or t.einddatum > last_day(m.maand))
                   group by all)
               select count(distinct o.client_id) from open_eind as o where o.n >= 2"""
        ),
        "herinstroom": one("select sum(herinstroom) from maand_stromen"),
        "opschaling": one("select sum(opschaling) from maand_stromen"),
        "afschaling": one("select sum(afschaling) from maand_stromen"),
        # children waiting (verwijzing/aanmelding -> start) at two providers on the same month end
        "dubbel_wachten": one(
            """with w as (select * from wachttijden where niveau = 'totaal'),
               eind as (
                   select distinct least(last_day(m.maand), p.peildatum) as d
                   from maand_stromen as m cross join peildatum as p)
               select count(distinct a.client_id)
               from w as a
               inner join w as b on a.client_id = b.client_id and a.aanbieder_agb < b.aanbieder_agb
               inner join eind as e
                   on a.begindatum <= e.d and b.begindatum <= e.d
                   and coalesce(a.einddatum, a.afbreekdatum, date '9999-12-31') > e.d
                   and coalesce(b.einddatum, b.afbreekdatum, date '9999-12-31') > e.d"""
        ),
    }


def test_readme_documents_every_path():
    counts = documented()
    assert set(counts) == {
        "stapeling",
        "herinstroom",
        "opschaling",
        "afschaling",
        "dubbel_wachten",
        "kinderen_met_traject",
    }


@pytest.mark.parametrize("pad", ["stapeling", "herinstroom", "opschaling", "afschaling", "dubbel_wachten"])
def test_each_path_occurs_often_and_the_model_finds_it(con, pad: str):
    doc = documented()
    model = model_counts(con)
    assert doc[pad] >= 0.01 * doc["kinderen_met_traject"], (pad, doc[pad])
    assert abs(model[pad] - doc[pad]) <= TOLERANCE * doc[pad], (pad, "model", model[pad], "README", doc[pad])


def test_the_flow_view_shows_the_paths_for_the_region(con):
    # the Stromen page's macro over the whole period: every path is visible, and a stacked child counts
    # once per month in the region (never more than the children with two open trajectories)
    got = con.execute(
        """select sum(opschaling), sum(afschaling), sum(herinstroom), max(stapeling)
           from stromen_maand(date '2022-10-01', date '2026-09-01', null, null, null, null)"""
    ).fetchone()
    assert all(v > 0 for v in got), got
    (max_cellen,) = con.execute(
        "select max(s) from (select sum(stapeling) as s from maand_stromen group by maand)"
    ).fetchone()
    assert got[3] < max_cellen  # the sum over cells counts each stacked child at least twice
