"""The iJw rules in the staging models, each on a hand-made message set built through the real build."""

from __future__ import annotations

import pytest

from pipelines.ijw import extractor
from tests.unit.ijw.conftest import build_files as _build_files
from tests.unit.ijw.conftest import make_zip, report_of
from tests.unit.ijw.ijwmsg import (
    BSN_B,
    Msg,
    aanvraag,
    prestatie,
    start,
    stop,
    to_csv,
    to_xml,
    toewijzing,
)

build_files = _build_files  # the fixture, shared with tests/unit/ijw

STAGING = ("toewijzingen", "starts", "stops", "verzoeken", "antwoorden", "declaraties")


def test_current_version_whatever_the_arrival_order(build_files) -> None:
    v1 = Msg(
        "JW301",
        "T1",
        dagtekening="2024-03-01",
        lines=[toewijzing(1, "2024-03-01", "09:00:00", referentie_aanbieder="REF1")],
    )
    v2 = Msg(
        "JW301",
        "T2",
        dagtekening="2024-04-01",
        lines=[toewijzing(1, "2024-04-01", "09:00:00", einddatum="2024-06-30")],
    )
    v2_resent = Msg(
        "JW301",
        "T3",
        dagtekening="2024-05-01",
        lines=[toewijzing(1, "2024-04-01", "09:00:00", einddatum="2024-06-30")],
    )
    # file names sort the newest version first: order of arrival must not matter
    files = {"a.xml": to_xml(v2_resent), "b.xml": to_xml(v2), "c.xml": to_xml(v1)}
    _, con = build_files(files)
    row = con.execute(
        "select einddatum::varchar, toewijzingsdatum::varchar, eerste_toewijzingsdatum::varchar,"
        " referentie_aanbieder, aantal_versies from toewijzingen"
    ).fetchall()
    assert row == [("2024-06-30", "2024-04-01", "2024-03-01", "REF1", 2)]


def test_same_date_later_time_wins(build_files) -> None:
    a = Msg("JW301", "T1", lines=[toewijzing(1, "2024-03-01", "15:00:00", einddatum="2024-09-30")])
    b = Msg("JW301", "T2", dagtekening="2024-03-02", lines=[toewijzing(1, "2024-03-01", "09:00:00")])
    _, con = build_files({"a.xml": to_xml(a), "b.xml": to_xml(b)})
    assert con.execute("select einddatum::varchar from toewijzingen").fetchall() == [("2024-09-30",)]


def test_reden_wijziging_13_removes(build_files) -> None:
    files = {
        "1.xml": to_xml(Msg("JW301", "T1", lines=[toewijzing(1), toewijzing(2)])),
        "2.xml": to_xml(
            Msg(
                "JW301",
                "T2",
                lines=[toewijzing(1, "2024-03-05", einddatum="2024-03-04", reden_wijziging="13")],
            )
        ),
        "3.xml": to_xml(
            Msg(
                "JW301",
                "T3",
                release="3.0",
                lines=[toewijzing(2, "2024-03-05", einddatum="2024-03-04", reden_wijziging="01")],
            )
        ),
    }
    _, con = build_files(files)
    assert con.execute("select count(*) from toewijzingen").fetchone()[0] == 0
    assert con.execute("select count(*) from bron_toewijzing").fetchone()[0] == 4


def test_status_aanlevering_3_deletes_start_and_stop(build_files) -> None:
    files = {
        "s1.xml": to_xml(Msg("JW305", "S1", dagtekening="2024-03-11", lines=[start(1, "2024-03-10")])),
        "s2.xml": to_xml(
            Msg("JW305", "S2", dagtekening="2024-03-15", lines=[start(1, "2024-03-10", status="3")])
        ),
        "s3.xml": to_xml(Msg("JW305", "S3", dagtekening="2024-03-15", lines=[start(1, "2024-03-12")])),
        "p1.xml": to_xml(
            Msg(
                "JW307",
                "P1",
                dagtekening="2024-06-02",
                lines=[stop(1, "2024-06-01", begindatum="2024-03-12")],
            )
        ),
        "p2.xml": to_xml(
            Msg(
                "JW307",
                "P2",
                dagtekening="2024-06-03",
                lines=[stop(1, "2024-06-01", begindatum="2024-03-12", status="3")],
            )
        ),
    }
    _, con = build_files(files)
    assert con.execute("select begindatum::varchar from starts").fetchall() == [("2024-03-12",)]
    assert con.execute("select count(*) from stops").fetchone()[0] == 0


def test_temporary_stop_and_restart_are_kept(build_files) -> None:
    files = {
        "s1.xml": to_xml(Msg("JW305", "S1", dagtekening="2024-03-11", lines=[start(1, "2024-03-10")])),
        "p1.xml": to_xml(
            Msg("JW307", "P1", dagtekening="2024-05-02", lines=[stop(1, "2024-05-01", reden="20")])
        ),
        "s2.xml": to_xml(Msg("JW305", "S2", dagtekening="2024-06-02", lines=[start(1, "2024-06-01")])),
        "p2.xml": to_xml(
            Msg(
                "JW307",
                "P2",
                dagtekening="2024-09-01",
                lines=[stop(1, "2024-08-31", begindatum="2024-06-01")],
            )
        ),
    }
    _, con = build_files(files)
    assert con.execute("select begindatum::varchar from starts order by begindatum").fetchall() == [
        ("2024-03-10",),
        ("2024-06-01",),
    ]
    stops = con.execute(
        "select s.begindatum::varchar, s.reden_beeindiging, s.is_tijdelijk, st.start_id is not null"
        " from stops as s left join starts as st using (start_id) order by s.begindatum"
    ).fetchall()
    assert stops == [("2024-03-10", "20", True, True), ("2024-06-01", "31", False, True)]


def test_retour_rejected_is_not_sent_and_resend_counts(build_files) -> None:
    files = {
        # toewijzing: line 2 rejected in T1, re-sent in T2 and accepted
        "t1.xml": to_xml(Msg("JW301", "T1", lines=[toewijzing(1), toewijzing(2)])),
        "t1r.xml": to_xml(
            Msg("JW302", "T1", lines=[toewijzing(1, retourcode="0200"), toewijzing(2, retourcode="9332")])
        ),
        "t2.xml": to_xml(Msg("JW301", "T2", dagtekening="2024-03-05", lines=[toewijzing(2)])),
        # start technically rejected as a whole (header code, nothing echoed)
        "s1.xml": to_xml(Msg("JW305", "S1", lines=[start(1)])),
        "s1r.xml": to_xml(Msg("JW306", "S1", retourcodes=["0001"])),
        # VOT rejected, re-sent later with the same referentie: counts from the re-send
        "v1.xml": to_xml(Msg("JW315", "V1", dagtekening="2024-02-01", lines=[aanvraag("REF1")])),
        "v1r.xml": to_xml(
            Msg("JW316", "V1", dagtekening="2024-02-01", lines=[aanvraag("REF1", retourcode="9355")])
        ),
        "v2.xml": to_xml(Msg("JW315", "V2", dagtekening="2024-02-10", lines=[aanvraag("REF1")])),
        "v2r.xml": to_xml(Msg("JW316", "V2", dagtekening="2024-02-10", retourcodes=["0200"])),
    }
    result, con = build_files(files)
    assert con.execute("select list_sort(list(toewijzingnummer)) from toewijzingen").fetchone()[0] == [1, 2]
    assert con.execute(
        "select bericht_identificatie from toewijzingen where toewijzingnummer = 2"
    ).fetchall() == [("T2",)]
    assert con.execute("select count(*) from starts").fetchone()[0] == 0
    assert con.execute("select dagtekening::varchar, bericht_identificatie from verzoeken").fetchall() == [
        ("2024-02-10", "V2")
    ]
    assert report_of(result, "s1r.xml").records_read == 1


def test_declaraties_with_jw325_outcome(build_files) -> None:
    files = {
        "d1.xml": to_xml(
            Msg(
                "JW323",
                "D1",
                declaratienummer="N1",
                lines=[prestatie("P1", 1), prestatie("P2", 1, bsn=BSN_B)],
            )
        ),
        "d1r.xml": to_xml(
            Msg(
                "JW325", "D1", declaratienummer="N1", lines=[prestatie("P2", 1, bsn=BSN_B, retourcode="8921")]
            )
        ),
        "d2.xml": to_xml(Msg("JW323", "D2", declaratienummer="N2", lines=[prestatie("P3", 2)])),
        "d2r.xml": to_xml(Msg("JW325", "D2", declaratienummer="N2", retourcodes=["8001"])),
        "d3.xml": to_xml(Msg("JW323", "D3", declaratienummer="N3", lines=[prestatie("P4", 3)])),
    }
    _, con = build_files(files)
    assert con.execute(
        "select referentienummer, declaratie_status from declaraties order by 1"
    ).fetchall() == [
        ("P1", "toegekend"),
        ("P2", "afgewezen"),
        ("P3", "toegekend"),
        ("P4", "onbeantwoord"),
    ]


def test_antwoorden_and_vow(build_files) -> None:
    files = {
        "w.xml": to_xml(
            Msg(
                "JW317",
                "W1",
                referentie_aanbieder="VOW1",
                lines=[
                    {"toewijzingnummer": "1"},
                    {"toewijzingnummer": "2", "ingangsdatum": "2024-04-01", "einddatum": "2024-12-31"},
                    {
                        "productcategorie": "45",
                        "productcode": "45A02",
                        "ingangsdatum": "2024-04-01",
                        "volume": "2",
                        "eenheid": "04",
                        "frequentie": "2",
                    },
                ],
            )
        ),
        "a.xml": to_xml(
            Msg("JW319", "A1", lines=[{"referentie_aanbieder": "VOW1", "verzoek_antwoord": "2"}])
        ),
    }
    _, con = build_files(files)
    assert con.execute(
        "select product_soort, verzoek_soort from verzoeken order by product_soort"
    ).fetchall() == [
        ("nieuw", "wijziging"),
        ("ongewijzigd", "wijziging"),
        ("te_wijzigen", "wijziging"),
    ]
    assert con.execute("select referentie_aanbieder, verzoek_antwoord from antwoorden").fetchall() == [
        ("VOW1", "2")
    ]


def test_exact_duplicates_load_once(build_files) -> None:
    msg = to_xml(Msg("JW301", "T1", lines=[toewijzing(1), toewijzing(2)]))
    files = {"b/kopie.xml": msg, "a/batch.zip": make_zip({"orig.xml": msg}), "c/z.xml": msg}
    result, con = build_files(files)
    assert report_of(result, "a/batch.zip/orig.xml").status == "loaded"
    for path in ("b/kopie.xml", "c/z.xml"):
        rep = report_of(result, path)
        assert (rep.status, rep.records_read, rep.records_loaded, rep.records_quarantined) == (
            "duplicate",
            0,
            0,
            0,
        )
        assert rep.reasons == ["Exact duplicaat van a/batch.zip/orig.xml; alleen het origineel is geladen."]
    assert con.execute("select count(*) from bron_toewijzing").fetchone()[0] == 2
    assert con.execute("select count(*) from bron_bericht").fetchone()[0] == 1


def _traffic() -> list[Msg]:
    return [
        Msg(
            "JW315",
            "V1",
            dagtekening="2024-02-01",
            lines=[aanvraag("REF1"), aanvraag("REF2", verwijzer="01")],
        ),
        Msg(
            "JW316",
            "V1",
            dagtekening="2024-02-01",
            lines=[aanvraag("REF1", retourcode="0200"), aanvraag("REF2", verwijzer="01", retourcode="9355")],
        ),
        Msg(
            "JW319",
            "A1",
            dagtekening="2024-02-05",
            lines=[{"referentie_aanbieder": "REF1", "verzoek_antwoord": "2"}],
        ),
        Msg(
            "JW301",
            "T1",
            dagtekening="2024-02-20",
            lines=[toewijzing(1, "2024-02-20", referentie_aanbieder="REF1"), toewijzing(2, "2024-02-20")],
        ),
        Msg(
            "JW301",
            "T2",
            dagtekening="2024-04-01",
            lines=[
                toewijzing(1, "2024-04-01", einddatum="2024-06-30"),
                toewijzing(2, "2024-04-01", einddatum="2024-03-04", reden_wijziging="13"),
            ],
        ),
        Msg("JW302", "T2", dagtekening="2024-04-01", retourcodes=["0200"]),
        Msg("JW305", "S1", dagtekening="2024-03-11", lines=[start(1, "2024-03-10")]),
        Msg(
            "JW305",
            "S2",
            dagtekening="2024-03-12",
            lines=[start(1, "2024-03-10", status="3"), start(1, "2024-03-11")],
        ),
        Msg(
            "JW307",
            "P1",
            dagtekening="2024-05-02",
            lines=[stop(1, "2024-05-01", reden="20", begindatum="2024-03-11")],
        ),
        Msg(
            "JW308",
            "P1",
            dagtekening="2024-05-02",
            lines=[stop(1, "2024-05-01", reden="20", begindatum="2024-03-11", retourcode="0200")],
        ),
        Msg("JW305", "S3", dagtekening="2024-05-20", lines=[start(1, "2024-05-20")]),
        Msg(
            "JW323", "D1", dagtekening="2024-03-05", lines=[prestatie("P1", 1), prestatie("P2", 1, bsn=BSN_B)]
        ),
        Msg(
            "JW325", "D1", dagtekening="2024-03-05", lines=[prestatie("P2", 1, bsn=BSN_B, retourcode="8921")]
        ),
    ]


def _staging(con) -> dict[str, list[tuple]]:
    return {name: con.execute(f"select * from {name} order by all").fetchall() for name in STAGING}


def test_xml_and_csv_of_the_same_traffic_give_the_same_staging(build_files) -> None:
    msgs = _traffic()
    xml_files = {f"ijw/{i:02d}.xml": to_xml(m) for i, m in enumerate(msgs)}
    csv_files = {"ijw-csv/export.zip": make_zip({"ijw_export.csv": to_csv(msgs)})}
    _, con_xml = build_files(xml_files)
    res_csv, con_csv = build_files(csv_files)
    _, con_both = build_files({**xml_files, **csv_files})
    assert all(r.status == "loaded" for r in res_csv.reports)
    a, b, c = _staging(con_xml), _staging(con_csv), _staging(con_both)
    for name in STAGING:
        assert a[name], f"{name} is empty"
        assert a[name] == b[name], name
        assert a[name] == c[name], name
    assert len(a["starts"]) == 2  # 2024-03-11 and the restart 2024-05-20; 2024-03-10 deleted
    assert len(a["toewijzingen"]) == 1  # nr 2 verwijderd
    assert len(a["verzoeken"]) == 1  # REF2 rejected


def _all_tables(con) -> dict[str, list[tuple]]:
    names = [
        t for (t,) in con.execute("select table_name from information_schema.tables order by 1").fetchall()
    ]
    return {n: con.execute(f"select * from {n} order by all").fetchall() for n in names}


def test_build_twice_is_identical_and_pool_equals_inline(
    build_files, monkeypatch: pytest.MonkeyPatch
) -> None:
    msgs = _traffic()
    files = {f"ijw/{i:02d}.xml": to_xml(m) for i, m in enumerate(msgs)}
    files["ijw/batch.zip"] = make_zip({f"{i}.xml": to_xml(m) for i, m in enumerate(msgs[:5])})
    files["ijw-csv/export.csv"] = to_csv(msgs)
    _, con1 = build_files(files)
    _, con2 = build_files(files)
    monkeypatch.setattr(extractor, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(extractor, "LOOSE_BATCH", 4)
    monkeypatch.setenv("KETENMONITOR_WORKERS", "2")
    _, con3 = build_files(files)
    t1, t2, t3 = _all_tables(con1), _all_tables(con2), _all_tables(con3)
    assert t1 == t2
    assert t1 == t3
