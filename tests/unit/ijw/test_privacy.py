"""Privacy: no BSN, name, address, e-mail, free text or referrer identity reaches the database."""

from __future__ import annotations

from tests.unit.ijw.conftest import make_zip
from tests.unit.ijw.ijwmsg import BSN_A, BSN_B, Msg, aanvraag, prestatie, start, to_csv, to_xml, toewijzing

FORBIDDEN = [
    BSN_A,
    BSN_B,
    "Zwartbroek",
    "Pieternella",
    "2511CV",
    "2511 CV",
    "Lange Voorhout",
    "Duinstad",
    "ouder@example.org",
    "Geheime opmerking",
    "Vrije tekst",
    "Dokter Verwijsma",
    "01999999",
    "2012-05-17",
]


def _traffic() -> list[Msg]:
    return [
        Msg("JW301", "T1", lines=[toewijzing(1)]),
        Msg("JW305", "S1", lines=[start(1)]),
        Msg("JW315", "V1", lines=[aanvraag("R1")]),
        Msg("JW323", "D1", lines=[prestatie("P1", 1, bsn=BSN_B)]),
        Msg("JW302", "T1", lines=[toewijzing(1, retourcode="0200")]),
    ]


def test_no_personal_data_in_any_column_or_db_bytes(build_files) -> None:
    msgs = _traffic()
    files = {f"x/{i}.xml": to_xml(m) for i, m in enumerate(msgs)}
    files["csv/export.zip"] = make_zip({"export.csv": to_csv(msgs)})
    result, con = build_files(files)
    assert all(r.status == "loaded" for r in result.reports), result.reports
    tables = [t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()]
    for table in tables:
        text = str(con.execute(f"select * from {table}").fetchall())
        for needle in FORBIDDEN:
            assert needle not in text, f"{needle!r} found in {table}"
    # birth date kept as year + month, postcode as PC4
    assert con.execute("select geboortejaar, geboortemaand, pc4 from bron_toewijzing").fetchall() == [
        (2012, 5, "2511"),
        (2012, 5, "2511"),
    ]
    assert con.execute("select count(distinct client_id) from bron_declaratie").fetchone()[0] == 1
    con.close()
    raw = result.db.read_bytes()
    for needle in FORBIDDEN:
        assert needle.encode() not in raw, f"{needle!r} in the database file"


def test_client_id_is_the_shared_pseudonym(build_files) -> None:
    from pipelines import pseudonym, settings

    _, con = build_files({"a.xml": to_xml(Msg("JW301", "T1", lines=[toewijzing(1)]))})
    key = settings.pseudonym_key_env().encode()
    assert con.execute("select client_id from bron_toewijzing").fetchone()[0] == pseudonym.pseudonymise(
        BSN_A, key
    )
