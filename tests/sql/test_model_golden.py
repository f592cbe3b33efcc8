"""Golden tests: the hand-made region of golden.py built through the real build; every expected row below
was worked out by hand from the scenario (dates in the comments), then compared exactly."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from pipelines import pseudonym
from pipelines.build import build
from tests.sql import golden
from tests.sql.golden import AGB1, AGB2, AGB3, AGB4, PEILDATUM

D = date.fromisoformat
G = golden.GEMEENTE


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, dict[str, str]]:
    root = tmp_path_factory.mktemp("golden")
    source = golden.write_source(root / "bron")
    result = build(source, root / "k.duckdb", peildatum=PEILDATUM, show_progress=False)
    assert result.quarantine == []
    con = duckdb.connect(str(result.db), read_only=True)
    key = pseudonym.load_key(result.db)
    child = {pseudonym.pseudonymise(bsn, key): name for name, bsn in golden.BSN.items()}
    return con, child


def rows(db, sql: str) -> list[tuple]:
    con, child = db
    out = []
    for row in con.execute(sql).fetchall():
        out.append(tuple(child.get(v, v) if isinstance(v, str) else v for v in row))
    return sorted(out, key=repr)


def test_peildatum_is_the_configured_one(db):
    assert rows(db, "select peildatum, is_geconfigureerd from peildatum") == [(PEILDATUM, True)]


def test_trajecten(db):
    got = rows(
        db,
        """select client_id, aanbieder_agb, productcategorie, verwijzer_type, is_verwijzer_afgeleid,
                  verzoekdatum, toewijzingsdatum, ingangsdatum, startdatum, einddatum, reden_beeindiging,
                  leeftijd_bij_start, leeftijdsgroep, is_open, aantal_toewijzingen, aantal_starts
           from trajecten""",
    )
    expected = [
        # A: JW315 02-20 (verwijzer 02) -> JW301 03-01 -> start 03-10 -> stop 31 on 06-10; born 2012-09
        ("A", AGB1, "45", "02", False, D("2024-02-20"), D("2024-03-01"), D("2024-03-04"), D("2024-03-10"),
         D("2024-06-10"), "31", 11, "4-11", False, 1, 1),
        # B: toewijzingsdatum 04-15 after the start 03-05; born 2006-06: 17 at start
        ("B", AGB1, "45", "01", True, None, D("2024-04-15"), D("2024-03-01"), D("2024-03-05"), None, None,
         17, "12-17", True, 1, 1),
        # C: verwijderd -> no trajectory.  D: start 01-20 deleted, 01-25 counts
        ("D", AGB1, "45", "01", True, None, D("2024-01-10"), D("2024-01-15"), D("2024-01-25"), None, None,
         11, "4-11", True, 1, 1),
        # E: start 01-08, stop 20, restart 03-01, stop 31 on 05-31: one trajectory, two starts
        ("E", AGB1, "45", "01", True, None, D("2024-01-02"), D("2024-01-02"), D("2024-01-08"),
         D("2024-05-31"), "31", 11, "4-11", False, 1, 2),
        # F: 6001 (01-05..03-31) and 6002 (from 04-01, adjacent) merge; still open
        ("F", AGB1, "45", "01", True, None, D("2024-01-05"), D("2024-01-05"), D("2024-01-10"), None, None,
         11, "4-11", True, 2, 2),
        # H: no start yet
        ("H", AGB1, "45", "01", True, None, D("2024-05-20"), D("2024-05-20"), None, None, None,
         None, "onbekend", True, 1, 0),
        # J: two providers at once = two trajectories
        ("J", AGB1, "45", "01", True, None, D("2024-02-01"), D("2024-02-01"), D("2024-02-12"), None, None,
         11, "4-11", True, 1, 1),
        ("J", AGB2, "45", "01", True, None, D("2024-02-01"), D("2024-02-01"), D("2024-02-20"), None, None,
         11, "4-11", True, 1, 1),
        # K: expired 04-30 without start: ended, no stop message
        ("K", AGB1, "45", "01", True, None, D("2024-01-15"), D("2024-01-15"), None, D("2024-04-30"), None,
         None, "onbekend", False, 1, 0),
        # M (born 2009-05-01: 14): 45 at AGB3 01-08..02-29 (stop 31), then 54 at AGB4 from 03-11
        ("M", AGB3, "45", "01", True, None, D("2024-01-02"), D("2024-01-02"), D("2024-01-08"),
         D("2024-02-29"), "31", 14, "12-17", False, 1, 1),
        ("M", AGB4, "54", "01", True, None, D("2024-03-01"), D("2024-03-01"), D("2024-03-11"), None, None,
         14, "12-17", True, 1, 1),
        # N: 43 at AGB4 01-03..04-15, then 45 at AGB3 from 05-06 (turned 15 on 05-01)
        ("N", AGB4, "43", "01", True, None, D("2024-01-02"), D("2024-01-02"), D("2024-01-03"),
         D("2024-04-15"), "31", 14, "12-17", False, 1, 1),
        ("N", AGB3, "45", "01", True, None, D("2024-04-10"), D("2024-04-10"), D("2024-05-06"), None, None,
         15, "12-17", True, 1, 1),
        # O: 45 at AGB3 01-04..01-31, 45 at AGB4 from 05-14
        ("O", AGB3, "45", "01", True, None, D("2024-01-02"), D("2024-01-02"), D("2024-01-04"),
         D("2024-01-31"), "31", 11, "4-11", False, 1, 1),
        ("O", AGB4, "45", "01", True, None, D("2024-05-10"), D("2024-05-10"), D("2024-05-14"), None, None,
         11, "4-11", True, 1, 1),
        # P (born 2021-06-01: 2): 45 at AGB3 from 02-05 and 51 at AGB4 from 03-04, both open
        ("P", AGB3, "45", "01", True, None, D("2024-02-01"), D("2024-02-01"), D("2024-02-05"), None, None,
         2, "0-3", True, 1, 1),
        ("P", AGB4, "51", "01", True, None, D("2024-03-01"), D("2024-03-01"), D("2024-03-04"), None, None,
         2, "0-3", True, 1, 1),
        # R, S, T: never started; each ends on its toewijzing's einddatum (03-01, 03-15, 02-29)
        ("R", AGB3, "45", "01", True, None, D("2024-03-01"), D("2024-03-01"), None, D("2024-03-01"), None,
         None, "onbekend", False, 1, 0),
        ("S", AGB3, "45", "01", True, None, D("2024-02-01"), D("2024-02-01"), None, D("2024-03-15"), None,
         None, "onbekend", False, 1, 0),
        ("T", AGB3, "45", "01", True, None, D("2024-01-10"), D("2023-11-01"), None, D("2024-02-29"), None,
         None, "onbekend", False, 1, 0),
    ]  # fmt: skip
    assert got == sorted(expected, key=repr)


def test_wachttijden(db):
    got = rows(
        db,
        """select niveau, client_id, aanbieder_agb, begindatum, einddatum, wachtdagen, is_wachtend,
                  is_terugwerkend, is_verlopen_zonder_start, is_afgebroken
           from wachttijden""",
    )
    j, f, t = D, False, True
    expected = [
        ("verzoek_toewijzing", "A", AGB1, j("2024-02-20"), j("2024-03-01"), 10, f, f, f, f),
        # G: the JW315 of 04-01 was rejected by its JW316; the re-send of 04-08 counts; JW319 afgewezen 04-20
        ("verzoek_toewijzing", "G", AGB1, j("2024-04-08"), j("2024-04-20"), 12, f, f, f, f),
        # I: unanswered: 06-10 -> peildatum 06-30
        ("verzoek_toewijzing", "I", AGB1, j("2024-06-10"), None, 20, t, f, f, f),
        # toewijzing_start: max(toewijzingsdatum, ingangsdatum) -> first start
        ("toewijzing_start", "A", AGB1, j("2024-03-04"), j("2024-03-10"), 6, f, f, f, f),
        ("toewijzing_start", "B", AGB1, j("2024-04-15"), j("2024-03-05"), 0, f, t, f, f),
        ("toewijzing_start", "D", AGB1, j("2024-01-15"), j("2024-01-25"), 10, f, f, f, f),
        ("toewijzing_start", "E", AGB1, j("2024-01-02"), j("2024-01-08"), 6, f, f, f, f),
        ("toewijzing_start", "F", AGB1, j("2024-01-05"), j("2024-01-10"), 5, f, f, f, f),
        ("toewijzing_start", "H", AGB1, j("2024-05-20"), None, 41, t, f, f, f),
        ("toewijzing_start", "J", AGB1, j("2024-02-01"), j("2024-02-12"), 11, f, f, f, f),
        ("toewijzing_start", "J", AGB2, j("2024-02-01"), j("2024-02-20"), 19, f, f, f, f),
        ("toewijzing_start", "K", AGB1, j("2024-01-15"), None, 106, f, f, t, t),
        # the path children: toewijzing -> start
        ("toewijzing_start", "M", AGB3, j("2024-01-02"), j("2024-01-08"), 6, f, f, f, f),
        ("toewijzing_start", "M", AGB4, j("2024-03-01"), j("2024-03-11"), 10, f, f, f, f),
        ("toewijzing_start", "N", AGB4, j("2024-01-02"), j("2024-01-03"), 1, f, f, f, f),
        ("toewijzing_start", "N", AGB3, j("2024-04-10"), j("2024-05-06"), 26, f, f, f, f),
        ("toewijzing_start", "O", AGB3, j("2024-01-02"), j("2024-01-04"), 2, f, f, f, f),
        ("toewijzing_start", "O", AGB4, j("2024-05-10"), j("2024-05-14"), 4, f, f, f, f),
        ("toewijzing_start", "P", AGB3, j("2024-02-01"), j("2024-02-05"), 4, f, f, f, f),
        ("toewijzing_start", "P", AGB4, j("2024-03-01"), j("2024-03-04"), 3, f, f, f, f),
        # R: ended on the day it began (0 days); S: ended after 43 days; T: from max(01-10, 2023-11-01) to
        # 02-29 = 50 days. All three end without start: afgebroken (the signal decides which is an expiry)
        ("toewijzing_start", "R", AGB3, j("2024-03-01"), None, 0, f, f, t, t),
        ("toewijzing_start", "S", AGB3, j("2024-02-01"), None, 43, f, f, t, t),
        ("toewijzing_start", "T", AGB3, j("2024-01-10"), None, 50, f, f, t, t),
        # provider levels
        ("aanmelding", "J", AGB1, j("2024-01-05"), j("2024-01-10"), 5, f, f, f, f),
        ("aanmelding", "J", AGB2, j("2024-01-05"), j("2024-01-15"), 10, f, f, f, f),
        ("intake", "J", AGB1, j("2024-01-10"), j("2024-01-24"), 14, f, f, f, f),
        ("intake", "J", AGB2, j("2024-01-15"), None, 167, t, f, f, f),
        ("intake", "L", AGB1, j("2024-05-01"), None, 60, t, f, f, f),
        # Q: aangemeld 04-02 at AGB3 and AGB4, no intake at the peildatum: 29 + 31 + 30 = 89 days at both
        ("intake", "Q", AGB3, j("2024-04-02"), None, 89, t, f, f, f),
        ("intake", "Q", AGB4, j("2024-04-02"), None, 89, t, f, f, f),
        ("behandeling", "J", AGB1, j("2024-01-24"), j("2024-02-12"), 19, f, f, f, f),
        ("totaal", "J", AGB1, j("2024-01-05"), j("2024-02-12"), 38, f, f, f, f),
        ("totaal", "J", AGB2, j("2024-01-05"), None, 177, t, f, f, f),
        ("totaal", "L", AGB1, j("2024-05-01"), None, 60, t, f, f, f),
        ("totaal", "Q", AGB3, j("2024-04-02"), None, 89, t, f, f, f),
        ("totaal", "Q", AGB4, j("2024-04-02"), None, 89, t, f, f, f),
    ]
    assert got == sorted(expected, key=repr)


def test_maand_stromen(db):
    got = rows(
        db,
        """select maand, aanbieder_agb, productcategorie, verwijzer_type, leeftijdsgroep, instroom, in_zorg,
                  uitstroom, uitstroom_volgens_plan,
                  uitstroom_voortijdig + uitstroom_overig + uitstroom_zonder_stopbericht,
                  opschaling, afschaling, stapeling, herinstroom, overgang_18
           from maand_stromen""",
    )
    m = lambda k: D(f"2024-{k:02d}-01")  # noqa: E731
    c1 = (AGB1, "45", "01", "4-11")  # D, E, F (January), J (February); E ends in May
    c2 = (AGB1, "45", "02", "4-11")  # A: March .. June
    c3 = (AGB1, "45", "01", "12-17")  # B: from March; turns 18 in June
    c4 = (AGB2, "45", "01", "4-11")  # J at the second provider: from February
    # the path children (zwaarte: 45 and 51 level 1, 54 level 2, 43 level 4; op/af within 90 days,
    # herinstroom within 365 days after an end with nothing running)
    c5 = (AGB3, "45", "01", "12-17")  # M 01-08..02-29; N from 05-06
    c6 = (AGB4, "54", "01", "12-17")  # M from 03-11
    c7 = (AGB4, "43", "01", "12-17")  # N 01-03..04-15
    c8 = (AGB3, "45", "01", "4-11")  # O 01-04..01-31
    c9 = (AGB4, "45", "01", "4-11")  # O from 05-14
    c10 = (AGB3, "45", "01", "0-3")  # P from 02-05
    c11 = (AGB4, "51", "01", "0-3")  # P from 03-04
    expected = [
        (m(1), *c1, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(2), *c1, 1, 4, 0, 0, 0, 0, 0, 1, 0, 0),  # J holds two trajectories: stapeling in c1 and c4
        (m(3), *c1, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(4), *c1, 0, 4, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(5), *c1, 0, 3, 1, 1, 0, 0, 0, 1, 0, 0),
        (m(6), *c1, 0, 3, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(3), *c2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(4), *c2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(5), *c2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(6), *c2, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0),
        (m(3), *c3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(4), *c3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(5), *c3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(6), *c3, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1),
        (m(2), *c4, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(3), *c4, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(4), *c4, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(5), *c4, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(6), *c4, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        # c5: M in Jan, stop 31 on 02-29; empty in Mar/Apr (no row); N starts 05-06: its previous trajectory
        # (43, level 4) ended 04-15, 21 days before -> afschaling; and it is a herinstroom (ended < 365 days
        # before, nothing running)
        (m(1), *c5, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(2), *c5, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0),
        (m(5), *c5, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0),
        (m(6), *c5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        # c6: M's 54 (level 2) starts 03-11, 11 days after its 45 (level 1) ended -> opschaling + herinstroom
        (m(3), *c6, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0),
        (m(4), *c6, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(5), *c6, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(6), *c6, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        # c7: N's 43 from 01-03, stop 31 on 04-15
        (m(1), *c7, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(2), *c7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(3), *c7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(4), *c7, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0),
        # c8: O in and out in January; c9: O again from 05-14, 104 days after 01-31: herinstroom only (the
        # same level, and beyond the 90 days of op/afschaling)
        (m(1), *c8, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0),
        (m(5), *c9, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0),
        (m(6), *c9, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        # c10, c11: P holds two open trajectories at the ends of March..June: stapeling 1 in both cells; its
        # 51 starts while the 45 runs, same level: no op/afschaling, no herinstroom
        (m(2), *c10, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0),
        (m(3), *c10, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(4), *c10, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(5), *c10, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(6), *c10, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(3), *c11, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(4), *c11, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(5), *c11, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        (m(6), *c11, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
    ]
    assert got == sorted(expected, key=repr)


def test_stromen_maand_counts_a_stacked_child_once_in_the_region(db):
    got = rows(
        db,
        """select maand, stapeling, opschaling, afschaling, herinstroom
           from stromen_maand(date '2024-01-01', date '2024-06-01', null, null, null, null)""",
    )
    m = lambda k: D(f"2024-{k:02d}-01")  # noqa: E731
    # Stacked children: J (AGB1 + AGB2) from the end of February, P (AGB3 + AGB4) from the end of March.
    # Each holds trajectories in two cells, so the sum over cells would be 2 in February and 4 after.
    # Op/af/herinstroom are trajectory events: M March (op + her), N May (af + her), O May (her).
    expected = [
        (m(1), 0, 0, 0, 0),
        (m(2), 1, 0, 0, 0),
        (m(3), 2, 1, 0, 1),
        (m(4), 2, 0, 0, 0),
        (m(5), 2, 0, 1, 2),
        (m(6), 2, 0, 0, 0),
    ]
    assert got == expected
    # filtered to AGB3: only P's 45 lies there, but P is stacked (its 51 at AGB4 is open too)
    got = rows(
        db,
        f"""select maand, stapeling
            from stromen_maand(date '2024-03-01', date '2024-06-01', null, '{AGB3}', null, null)""",
    )
    assert got == [(m(3), 1), (m(4), 1), (m(5), 1), (m(6), 1)]


def test_wachttijden_maand_toewijzing_start(db):
    got = rows(
        db,
        """select maand, n_afgerond, gemiddelde_wachtdagen, mediaan_wachtdagen, p80_wachtdagen,
                  p92_wachtdagen, n_afgerond_terugwerkend, n_afgerond_binnen_norm, n_wachtend,
                  mediaan_wachtend_dagen, langste_wachtend_dagen, n_wachtend_boven_norm, n_afgebroken, km_n,
                  km_mediaan_dagen, km_p92_dagen
           from wachttijden_maand
           where niveau = 'toewijzing_start' and aanbieder_agb = '12345678'""",
    )
    m = lambda k: D(f"2024-{k:02d}-01")  # noqa: E731
    expected = [
        # Jan: completed D 10, E 6, F 5; K waiting 01-15 -> 01-31 = 16 (censored).
        # KM: t5 4 at risk S=3/4; t6 3 at risk S=1/2 -> median 6; t10 S=1/4; p92 not reached.
        (m(1), 3, 7.0, 6, 10, 10, 0, 3, 1, 16, 16, 0, 0, 4, 6, None),
        # Feb: J 11 completed; K 45 days at 02-29 (> norm 30). KM: S(11) = 1/2.
        (m(2), 1, 11.0, 11, 11, 11, 0, 1, 1, 45, 45, 1, 0, 2, 11, None),
        # Mar: A 6; K 76 days.
        (m(3), 1, 6.0, 6, 6, 6, 0, 1, 1, 76, 76, 1, 0, 2, 6, None),
        # Apr: B retroactive (0 days, completes in April, its begin month); K expired 04-30 (106, censored).
        (m(4), 1, 0.0, 0, 0, 0, 1, 1, 0, None, None, 0, 1, 2, 0, None),
        # May, Jun: H waiting since 05-20: 11 days at 05-31, 41 at the peildatum 06-30.
        (m(5), 0, None, None, None, None, 0, 0, 1, 11, 11, 0, 0, 1, None, None),
        (m(6), 0, None, None, None, None, 0, 0, 1, 41, 41, 1, 0, 1, None, None),
    ]
    assert got == sorted(expected, key=repr)


def test_wachttijden_maand_double_waiting_across_providers(db):
    got = rows(
        db,
        """select maand, aanbieder_agb, n_wachtend, n_unieke_kinderen_wachtend, n_wachtend_ook_elders
           from wachttijden_maand where niveau = 'totaal' and maand <= '2024-02-01'""",
    )
    # J waits at both providers at the end of January (verwijzing 01-05); in February only at AGB2.
    expected = [
        (D("2024-01-01"), AGB1, 1, 1, 1),
        (D("2024-01-01"), AGB2, 1, 1, 1),
        (D("2024-02-01"), AGB1, 0, 0, 0),
        (D("2024-02-01"), AGB2, 1, 1, 0),
    ]
    assert got == sorted(expected, key=repr)


def test_waiting_at_two_providers_counts_the_child_once(db):
    # Q waits for intake at AGB3 and AGB4 (aangemeld 04-02); per cell one waiting, also waiting elsewhere
    got = rows(
        db,
        """select aanbieder_agb, n_wachtend, n_unieke_kinderen_wachtend, n_wachtend_ook_elders
           from wachttijden_maand
           where niveau = 'intake' and maand = '2024-06-01' and aanbieder_agb in ('11223344', '44332211')""",
    )
    assert got == [(AGB3, 1, 1, 1), (AGB4, 1, 1, 1)]
    # region at the peildatum: waiting for intake L (AGB1, since 05-01), J (AGB2, since 01-15) and Q twice:
    # 4 waits, 3 children; totaal the same four waits (J's from its verwijzing 01-05)
    got = rows(
        db,
        """select niveau, n_wachtend, n_kinderen_wachtend
           from wachten_kerncijfers(date '2024-06-01', date '2024-06-30', null, null, null)
           where niveau in ('intake', 'totaal')""",
    )
    assert got == [("intake", 4, 3), ("totaal", 4, 3)]


def test_caseload_team(db):
    got = rows(
        db,
        """select team_code, maand, actieve_casussen, gewogen_casussen, fte, casussen_per_fte,
                  gewogen_casussen_per_fte, referentienorm_ideaal, referentienorm_maximum, status_ongewogen,
                  status_gewogen,
                  factor_kwartaal, factor_client_gezin, factor_stelsel_keten, factor_randvoorwaarden,
                  factor_team
           from caseload_team""",
    )
    m = lambda k: D(f"2024-{k:02d}-01")  # noqa: E731
    q1 = ("2024-Q1", 3.0, 4.0, 3.0, 2.0)  # means of m1 (4,3,2,1) and m2 (2,5,4,3); 2024-Q3 not yet begun
    none = (None, None, None, None, None)
    expected = [
        # WT01 April: one case, no FTE delivered -> no ratio, no status
        ("WT01", m(4), 1, 1.0, None, None, None, 15.0, 28.0, None, None, *q1),
        # May (05-31): 5 cases, weight 6.0, 0.5 FTE -> 12 per FTE = the upper bound: binnen_band; unweighted
        # 10 = the lower bound: binnen_band
        ("WT01", m(5), 5, 6.0, 0.5, 10.0, 12.0, 15.0, 28.0, "binnen_band", "binnen_band", *q1),
        # June (peildatum 06-30): the weight-2 case ended 06-15; two new ones -> 6.5 / 0.5 = 13 < 12 * 1.1;
        # unweighted 6 / 0.5 = 12 = the upper bound: binnen_band
        ("WT01", m(6), 6, 6.5, 0.5, 12.0, 13.0, 15.0, 28.0, "binnen_band", "boven_band", *q1),
        # GI01: weights 5 + 4 = 9; May 0.5 FTE -> 18 >= 13.2: ver_boven_band; June 1.0 FTE -> 9 < 10;
        # unweighted 2 cases: 4 and 2 per FTE, both below 10: onder_band
        ("GI01", m(5), 2, 9.0, 0.5, 4.0, 18.0, 12.0, 16.0, "onder_band", "ver_boven_band", *none),
        ("GI01", m(6), 2, 9.0, 1.0, 2.0, 9.0, 12.0, 16.0, "onder_band", "onder_band", *none),
    ]
    assert got == sorted(expected, key=repr)


def test_signalen(db):
    got = rows(db, "select type, datum, aanbieder_agb, client_id from signalen")
    expected = [
        # A: JW315 Tue 20-02 + 5 working days = 27-02; answered (JW301) 01-03 -> late
        ("vot_beslistermijn_overschreden", D("2024-02-28"), AGB1, "A"),
        # G: the re-sent JW315 Mon 08-04 -> 15-04; JW319 afgewezen 20-04
        ("vot_beslistermijn_overschreden", D("2024-04-16"), AGB1, "G"),
        # I: Mon 10-06 -> 17-06, no answer at the peildatum
        ("vot_beslistermijn_overschreden", D("2024-06-18"), AGB1, "I"),
        # H: valid since 20-05, no start after 30 days
        ("toewijzing_zonder_start", D("2024-06-20"), AGB1, "H"),
        # K: expired 30-04 while waiting (valid 15-01..30-04, inside the data window, never shortened). Not
        # signalled: R (ended on its own ingangsdatum, 0 days), S (ended by the gemeente, RedenWijziging 09)
        # and T (valid since 01-11-2023, before the first message of 02-01-2024: a start may be unseen)
        ("verlopen_tijdens_wachten", D("2024-04-30"), AGB1, "K"),
        # C: stop (JW307) for a start that was never sent
        ("stop_zonder_start", D("2024-03-15"), AGB1, "C"),
        # A's February claim: before the toewijzing (from 04-03) and before the first start (10-03)
        ("declaratie_buiten_toewijzing", D("2024-02-01"), AGB1, "A"),
        ("declaratie_zonder_start", D("2024-02-01"), AGB1, "A"),
        # H's June claim: no start
        ("declaratie_zonder_start", D("2024-06-01"), AGB1, "H"),
        # J: the same product 45A01 allocated to two providers over the same period (OP259)
        ("overlappende_toewijzingen", D("2024-02-01"), AGB1, "J"),
    ]
    assert got == sorted(expected, key=repr)
    con, _ = db
    (detail,) = con.execute("select detail from signalen where type = 'verlopen_tijdens_wachten'").fetchone()
    assert detail == (
        "Toewijzing geldig sinds 15-01-2024 is op 30-04-2024 verlopen zonder dat de zorg startte "
        "(geen JW305) na 106 dagen wachten."
    )


def test_aanbieder_profiel(db):
    got = rows(
        db,
        """select aanbieder_agb, n_gekoppeld, aandeel_start_is_intake, aandeel_start_is_behandeling,
                  n_toewijzing_start, gemiddelde_toewijzing_start_dagen, is_constante_startgap,
                  gepubliceerd_aanmelding_weken, berekend_aanmelding_weken, is_gepubliceerd_afwijkend,
                  n_startberichten
           from aanbieder_profiel""",
    )
    expected = [
        # AGB1: J's start 12-02 equals the provider's start of treatment; completed waits A 6, D 10, E 6,
        # F 5, J 11 (B is retroactive: left out) -> mean 7.6; published 5 weeks vs J's intake wait 14 days
        # = 2 weeks -> differs by more than 2 weeks. Starts: A, B, D, E (2), F (2), J = 8.
        (AGB1, 1, 0.0, 1.0, 5, 7.6, False, 5.0, 2.0, True, 8),
        (AGB2, 1, 0.0, 0.0, 1, 19.0, False, None, None, False, 1),
        # AGB3: Q's provider record has no trajectory there (nothing to link); completed waits M 6, N 26,
        # O 2, P 4 -> mean 9.5 (R, S, T never started); starts M, N, O, P = 4
        (AGB3, 0, None, None, 4, 9.5, False, None, None, False, 4),
        # AGB4: M 10, N 1, O 4, P 3 -> mean 4.5; starts 4
        (AGB4, 0, None, None, 4, 4.5, False, None, None, False, 4),
    ]
    assert got == sorted(expected, key=repr)
