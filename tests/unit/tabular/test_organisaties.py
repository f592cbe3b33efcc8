"""The optional reference list of organisation names: loads, checks codes per soort, feeds the labels."""

from tests.unit.tabular.helpers import write_csv


def test_organisation_names_load_and_bad_rows_are_quarantined(source, run_build):
    write_csv(
        source / "referentie" / "organisaties.csv",
        "soort;code;naam\n"
        "gemeente;9901;Duinwijk\n"
        "Aanbieder;98000011;GGZ Duinrand Jeugd\n"
        "gemeente;98000011;Verkeerde code\n"
        "school;1234;Onbekende soort\n",
    )
    b = run_build(source)
    report = b.report("referentie/organisaties.csv")
    assert report.kind == "organisaties"
    assert (report.records_read, report.records_loaded, report.records_quarantined) == (4, 2, 2)
    codes = sorted(e.code for e in b.quarantine("referentie/organisaties.csv"))
    assert codes == ["TAB_CODE_ONBEKEND", "TAB_CODE_ONGELDIG"]
    rows = b.con.sql("select soort, code, naam from organisaties order by all").fetchall()
    assert rows == [("aanbieder", "98000011", "GGZ Duinrand Jeugd"), ("gemeente", "9901", "Duinwijk")]
