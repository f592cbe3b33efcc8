"""Safe parsing: hostile and broken files are quarantined with a reason and the build goes on."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipelines.ijw.sink import PartWriter, ReaderContext
from pipelines.ijw.worker import read_source_file
from pipelines.settings import Limits
from tests.unit.ijw.conftest import codes_of, make_zip, report_of
from tests.unit.ijw.ijwmsg import Msg, to_xml, toewijzing

GOOD = to_xml(Msg("JW301", "T1", lines=[toewijzing(1001)]))

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw301/schema">&lol4;</Bericht>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Bericht xmlns="http://www.istandaarden.nl/ijw/3_2/jw301/schema"><Header>&xxe;</Header></Bericht>"""


def _assert_counts(result) -> None:
    for r in result.reports:
        assert r.records_read == r.records_loaded + r.records_quarantined


def test_billion_laughs_and_xxe_are_refused(build_files) -> None:
    result, con = build_files({"a/lol.xml": BILLION_LAUGHS, "a/xxe.xml": XXE, "a/goed.xml": GOOD})
    for path in ("a/lol.xml", "a/xxe.xml"):
        rep = report_of(result, path)
        assert rep.status == "quarantined" and rep.records_quarantined == 1
        assert codes_of(result, path) == ["IJW_DTD_GEWEIGERD"]
    assert report_of(result, "a/goed.xml").status == "loaded"
    assert con.execute("select count(*) from bron_toewijzing").fetchone()[0] == 1
    blob = str(con.execute("select * from quarantine").fetchall())
    assert "root:" not in blob and "lollol" not in blob
    _assert_counts(result)


def test_utf16_doctype_is_refused(build_files) -> None:
    data = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    result, _ = build_files({"x.xml": data})
    assert codes_of(result, "x.xml") == ["IJW_DTD_GEWEIGERD"]


def test_truncated_and_wrong_encoding_and_empty(build_files) -> None:
    latin = to_xml(Msg("JW301", "T2", achternaam="Müller", lines=[toewijzing(1)])).decode().encode("latin-1")
    result, _ = build_files({"kort.xml": GOOD[: len(GOOD) // 2], "latin.xml": latin, "leeg.xml": b""})
    assert codes_of(result, "kort.xml") == ["IJW_XML_ONVOLLEDIG"]
    assert codes_of(result, "latin.xml") == ["IJW_CODERING_ONGELDIG"]
    assert codes_of(result, "leeg.xml") == ["IJW_XML_ONVOLLEDIG"]
    assert "afgebroken" in report_of(result, "kort.xml").reasons[0]
    _assert_counts(result)


def test_release_2x_and_foreign_xml(build_files) -> None:
    old = GOOD.replace(b"ijw/3_2/", b"ijw/2_4/")
    foreign = b'<?xml version="1.0"?><root xmlns="urn:iets"><a>1</a></root>'
    result, _ = build_files({"oud.xml": old, "vreemd.xml": foreign})
    assert codes_of(result, "oud.xml") == ["IJW_RELEASE_NIET_ONDERSTEUND"]
    assert "2.4" in report_of(result, "oud.xml").reasons[0]
    assert "niet ondersteund" in report_of(result, "oud.xml").reasons[0]
    assert codes_of(result, "vreemd.xml") == ["IJW_GEEN_IJW"]


def test_release_30_and_31_load(build_files) -> None:
    result, con = build_files(
        {
            "r30.xml": to_xml(Msg("JW301", "T30", release="3.0", lines=[toewijzing(30)])),
            "r31.xml": to_xml(Msg("JW301", "T31", release="3.1", lines=[toewijzing(31)])),
        }
    )
    assert {r.status for r in result.reports} == {"loaded"}
    assert con.execute("select list(release order by release) from bron_toewijzing").fetchone()[0] == [
        "3.0",
        "3.1",
    ]


def test_version_fields_disagreeing_with_namespace(build_files) -> None:
    wrong_code = to_xml(Msg("JW301", "T1", berichtcode=438, lines=[toewijzing(1), toewijzing(2)]))
    wrong_versie = to_xml(Msg("JW301", "T2", versie="2", lines=[toewijzing(3)]))
    result, con = build_files({"code.xml": wrong_code, "versie.xml": wrong_versie})
    rep = report_of(result, "code.xml")
    assert rep.status == "quarantined" and rep.records_read == 2 and rep.records_quarantined == 2
    assert codes_of(result, "code.xml") == ["IJW_VERSIE_TEGENSTRIJDIG"]
    assert codes_of(result, "versie.xml") == ["IJW_VERSIE_TEGENSTRIJDIG"]
    assert con.execute("select count(*) from bron_toewijzing").fetchone()[0] == 0


def test_zip_nested_traversal_and_unknown_members(build_files) -> None:
    inner = make_zip({"binnen.xml": to_xml(Msg("JW301", "T9", lines=[toewijzing(9)]))})
    outer = make_zip(
        {
            "een.xml": GOOD,
            "../../etc/evil.xml": GOOD,
            "/abs.xml": GOOD,
            "genest.zip": inner,
            "leesmij.txt": b"hallo",
        }
    )
    result, con = build_files({"ijw/batch.zip": outer})
    paths = sorted(r.path for r in result.reports)
    assert paths == sorted(
        [
            "ijw/batch.zip/een.xml",
            "ijw/batch.zip/../../etc/evil.xml",
            "ijw/batch.zip//abs.xml",
            "ijw/batch.zip/genest.zip/binnen.xml",
            "ijw/batch.zip/leesmij.txt",
        ]
    )
    assert codes_of(result, "ijw/batch.zip/../../etc/evil.xml") == ["IJW_ZIP_PAD_ONVEILIG"]
    assert codes_of(result, "ijw/batch.zip//abs.xml") == ["IJW_ZIP_PAD_ONVEILIG"]
    assert codes_of(result, "ijw/batch.zip/leesmij.txt") == ["IJW_ZIP_LID_ONBEKEND"]
    assert report_of(result, "ijw/batch.zip/genest.zip/binnen.xml").status == "loaded"
    assert con.execute("select list_sort(list(toewijzingnummer)) from bron_toewijzing").fetchone()[0] == [
        9,
        1001,
    ]
    assert not (Path("/etc/evil.xml")).exists()


def test_zip_bomb_ratio_and_corrupt_zip(build_files) -> None:
    bomb = make_zip({"bom.xml": b"<a>" + b" " * (20 * 1024 * 1024) + b"</a>", "goed.xml": GOOD})
    result, _ = build_files({"bom.zip": bomb, "kapot.zip": b"PK\x03\x04 dit is geen zip"})
    assert codes_of(result, "bom.zip/bom.xml") == ["IJW_ZIP_RATIO"]
    assert report_of(result, "bom.zip/goed.xml").status == "loaded"
    assert codes_of(result, "kapot.zip") == ["IJW_ZIP_ONGELDIG"]


def test_limits_members_member_size_file_size(tmp_path: Path) -> None:
    z = tmp_path / "veel.zip"
    z.write_bytes(make_zip({f"m{i}.xml": GOOD for i in range(5)}, zipfile.ZIP_STORED))
    sink = PartWriter(tmp_path / "out", 0)
    units = read_source_file(z, "veel.zip", ReaderContext(b"k", sink, Limits(max_zip_members=3)))
    assert len(units) == 1 and units[0].quarantine[0].code == "IJW_ZIP_TE_VEEL_LEDEN"
    assert units[0].report.records_read == units[0].report.records_quarantined == 1
    units = read_source_file(z, "veel.zip", ReaderContext(b"k", sink, Limits(max_zip_member_bytes=100)))
    assert [u.quarantine[0].code for u in units] == ["IJW_ZIP_LID_TE_GROOT"] * 5
    loose = tmp_path / "groot.xml"
    loose.write_bytes(GOOD)
    units = read_source_file(loose, "groot.xml", ReaderContext(b"k", sink, Limits(max_file_bytes=10)))
    assert units[0].quarantine[0].code == "IJW_BESTAND_TE_GROOT"
    assert not list((tmp_path / "out").rglob("*.parquet"))
