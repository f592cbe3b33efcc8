"""Validation reasons, product-line vs header quarantine, and the accounting per file and in total."""

from __future__ import annotations

from pipelines.report import totals
from tests.unit.ijw.conftest import codes_of, report_of
from tests.unit.ijw.ijwmsg import (
    BSN_BAD,
    Msg,
    aanvraag,
    prestatie,
    start,
    stop,
    to_csv,
    to_xml,
    toewijzing,
)


def test_bad_date_on_one_line_quarantines_only_that_line(build_files) -> None:
    msg = Msg("JW301", "T1", lines=[toewijzing(1), toewijzing(2, einddatum="2027-06-31"), toewijzing(3)])
    result, con = build_files({"m.xml": to_xml(msg)})
    rep = report_of(result, "m.xml")
    assert (rep.status, rep.records_read, rep.records_loaded, rep.records_quarantined) == ("partial", 3, 2, 1)
    [q] = [q for q in result.quarantine if q.path == "m.xml"]
    assert q.code == "IJW_DATUM_ONGELDIG" and q.position == "ToegewezenProduct 2"
    assert q.reason == "Einddatum '2027-06-31' is geen geldige datum (JJJJ-MM-DD)."
    assert con.execute("select list_sort(list(toewijzingnummer)) from bron_toewijzing").fetchone()[0] == [
        1,
        3,
    ]


def test_bad_codes_name_element_value_and_codelist(build_files) -> None:
    files = {
        "a.xml": to_xml(
            Msg("JW301", "T1", lines=[toewijzing(1, productcategorie="99", reden_wijziging="77")])
        ),
        "b.xml": to_xml(Msg("JW305", "S1", lines=[start(1, status="2")])),
        "c.xml": to_xml(Msg("JW307", "P1", lines=[stop(1, "2024-05-01", reden="99")])),
        "d.xml": to_xml(Msg("JW315", "V1", lines=[aanvraag("R1", verwijzer="07")])),
        "e.xml": to_xml(Msg("JW301", "T2", lines=[toewijzing(2, eenheid="99", frequentie="9")])),
        "f.xml": to_xml(Msg("JW305", "S2", geslacht="7", lines=[start(2)])),
    }
    result, _ = build_files(files)
    reasons = {q.path: [] for q in result.quarantine}
    for q in result.quarantine:
        reasons[q.path].append(q.reason)
    assert "Product/Categorie '99' komt niet voor in codelijst JZ020." in reasons["a.xml"]
    assert "RedenWijziging '77' komt niet voor in codelijst JZ002." in reasons["a.xml"]
    assert reasons["b.xml"] == ["StatusAanlevering '2' komt niet voor in codelijst COD467."]
    assert reasons["c.xml"] == ["RedenBeeindiging '99' komt niet voor in codelijst JZ588."]
    assert reasons["d.xml"] == ["Verwijzer/Type '07' komt niet voor in codelijst COD327."]
    assert sorted(reasons["e.xml"]) == [
        "Omvang/Eenheid '99' komt niet voor in codelijst WJ756.",
        "Omvang/Frequentie '9' komt niet voor in codelijst WMO757.",
    ]
    assert reasons["f.xml"] == ["Client/Geslacht '7' komt niet voor in codelijst COD046."]
    assert {q.code for q in result.quarantine} == {"IJW_CODE_ONGELDIG"}


def test_bsn_elfproef_reported_by_position_never_by_value(build_files) -> None:
    xml = to_xml(Msg("JW301", "T1", bsn=BSN_BAD, lines=[toewijzing(1), toewijzing(2)]))
    csv = to_csv([Msg("JW305", "S1", bsn=BSN_BAD, lines=[start(1)])])
    decl = to_xml(Msg("JW323", "D1", lines=[prestatie("P1", 1), prestatie("P2", 1, bsn=BSN_BAD)]))
    result, con = build_files({"m.xml": xml, "e.csv": csv, "d.xml": decl})
    rep = report_of(result, "m.xml")
    assert (rep.records_read, rep.records_quarantined) == (2, 2)
    assert codes_of(result, "m.xml") == ["IJW_BSN_ONGELDIG", "IJW_BSN_ONGELDIG"]
    assert codes_of(result, "e.csv") == ["IJW_BSN_ONGELDIG"]
    assert [q.reason for q in result.quarantine if q.path == "e.csv"] == [
        "Bsn op regel 2 voldoet niet aan de elfproef (waarde niet getoond)."
    ]
    drep = report_of(result, "d.xml")
    assert (drep.records_read, drep.records_loaded, drep.records_quarantined) == (2, 1, 1)
    everything = str(con.execute("select * from quarantine").fetchall()) + str(
        con.execute("select * from load_report").fetchall()
    )
    assert BSN_BAD not in everything


def test_bad_header_quarantines_whole_message(build_files) -> None:
    files = {
        "gemeente.xml": to_xml(Msg("JW301", "T1", afzender="363", lines=[toewijzing(1), toewijzing(2)])),
        "agb.xml": to_xml(Msg("JW305", "S1", afzender="1234567X", lines=[start(1)])),
        "dag.xml": to_xml(Msg("JW307", "P1", dagtekening="2024-02-30", lines=[stop(1, "2024-05-01")])),
    }
    result, con = build_files(files)
    assert report_of(result, "gemeente.xml").records_quarantined == 2
    assert [q.reason for q in result.quarantine if q.path == "gemeente.xml"] == [
        "Afzender '363' is geen geldige gemeentecode (4 cijfers)."
    ]
    assert [q.reason for q in result.quarantine if q.path == "agb.xml"] == [
        "Afzender '1234567X' is geen geldige AGB-code (8 cijfers)."
    ]
    assert codes_of(result, "dag.xml") == ["IJW_DATUM_ONGELDIG"]
    assert {q.position for q in result.quarantine} == {"Header"}
    assert con.execute("select count(*) from bron_bericht").fetchone()[0] == 0


def test_missing_required_element(build_files) -> None:
    result, _ = build_files({"m.xml": to_xml(Msg("JW301", "T1", lines=[toewijzing(1, ingangsdatum=None)]))})
    assert [q.reason for q in result.quarantine] == ["Verplicht element Ingangsdatum ontbreekt."]


def test_counts_add_up_per_file_and_in_total(build_files) -> None:
    files = {
        "a.xml": to_xml(Msg("JW301", "T1", lines=[toewijzing(1), toewijzing(2, einddatum="2027-06-31")])),
        "b.xml": b"<kapot",
        "c.csv": to_csv(
            [
                Msg("JW301", "T2", lines=[toewijzing(5), toewijzing(6, toewijzingsdatum="2024-13-01")]),
                Msg("JW305", "S1", lines=[start(5)]),
            ]
        ),
    }
    result, con = build_files(files)
    t = totals(result.reports)
    assert (t["records_read"], t["records_loaded"], t["records_quarantined"]) == (6, 3, 3)
    db = con.execute(
        "select sum(records_read), sum(records_loaded), sum(records_quarantined) from load_report"
    ).fetchone()
    assert db == (6, 3, 3)
    loaded = con.execute(
        "select (select count(*) from bron_toewijzing) + (select count(*) from bron_start)"
    ).fetchone()[0]
    assert loaded == t["records_loaded"]


def test_csv_short_row_and_unknown_type(build_files) -> None:
    csv = to_csv([Msg("JW305", "S1", lines=[start(1)])]) + b"JW305;3.2;kort\n" + b"JW999" + b";" * 39 + b"\n"
    result, _ = build_files({"e.csv": csv})
    rep = report_of(result, "e.csv")
    assert (rep.records_read, rep.records_loaded, rep.records_quarantined) == (3, 1, 2)
    assert codes_of(result, "e.csv") == ["IJW_CSV_KOLOMMEN", "IJW_BERICHTTYPE_ONBEKEND"]
