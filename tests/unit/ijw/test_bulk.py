"""The bulk reader (pipelines/ijw/bulk.py) writes exactly what the exact path writes.

Both paths read the same files through the real worker (`run_job`); every report, every quarantine entry
and every row of every source table must be equal. The bulk path must also really be taken: most
messages of a clean region are read in bulk.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.ijw import bulk, walk
from pipelines.ijw.worker import Job, JobResult, run_job
from pipelines.settings import Limits
from tests.unit.ijw import ijwmsg
from tests.unit.ijw.ijwmsg import Msg, aanvraag, prestatie, start, stop, toewijzing

KEY = b"test-sleutel-bulk"


def _run(files: list[tuple[str, str]], workdir: Path, use_bulk: bool, monkeypatch) -> JobResult:
    monkeypatch.setenv("KETENMONITOR_IJW_BULK", "1" if use_bulk else "0")
    workdir.mkdir()
    return run_job(Job(0, files, str(workdir), KEY, Limits()))


def _tables(workdir: Path) -> dict[str, pl.DataFrame]:
    out = {}
    for folder in sorted(p for p in workdir.iterdir() if p.is_dir()):
        frame = pl.read_parquet(folder / "*.parquet")
        lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
        frame = frame.with_columns(pl.col(c).list.join("\x1f") for c in lists)
        out[folder.name] = frame.sort(frame.columns, nulls_last=True)
    return out


def _assert_same(files: list[tuple[str, str]], tmp_path: Path, monkeypatch) -> tuple[int, int]:
    """Run both paths; return (messages read in bulk, messages sent back to the exact path)."""
    counted = {"bulk": 0, "exact": 0}
    real_flush = bulk.BulkReader.flush
    real_exact = bulk.read_xml_message

    def flush(self) -> None:
        counted["bulk"] += len(self.units)
        real_flush(self)

    def exact(*args) -> None:
        counted["exact"] += 1
        real_exact(*args)

    monkeypatch.setattr(bulk.BulkReader, "flush", flush)
    monkeypatch.setattr(bulk, "read_xml_message", exact)
    fast = _run(files, tmp_path / "bulk", True, monkeypatch)
    slow = _run(files, tmp_path / "exact", False, monkeypatch)
    assert [u.report for u in fast.units] == [u.report for u in slow.units]
    assert [u.quarantine for u in fast.units] == [u.quarantine for u in slow.units]
    fast_tables, slow_tables = _tables(tmp_path / "bulk"), _tables(tmp_path / "exact")
    assert fast_tables.keys() == slow_tables.keys()
    for name, frame in slow_tables.items():
        assert fast_tables[name].schema == frame.schema, name
        assert fast_tables[name].equals(frame), name
    return counted["bulk"], counted["exact"]


def test_compiled_reader_is_used() -> None:
    assert walk.COMPILED


def test_same_as_exact_on_a_generated_region(small_source: Path, tmp_path: Path, monkeypatch) -> None:
    files = [(str(p), p.relative_to(small_source).as_posix()) for p in sorted(small_source.rglob("*"))
             if p.is_file() and p.suffix in (".xml", ".zip") and "ijw" in p.parts[len(small_source.parts)]]  # fmt: skip
    read_in_bulk, sent_back = _assert_same(files, tmp_path, monkeypatch)
    assert read_in_bulk > 1000
    assert sent_back < read_in_bulk / 20  # only messages with a problem go back


def _faulty_messages() -> list[Msg]:
    """Every kind of problem the bulk checks must recognise, each in an otherwise sound message."""
    t, s, p = toewijzing, start, prestatie
    return [
        Msg("JW301", "ok1", lines=[t(1), t(2, reden_wijziging="01")]),
        Msg("JW301", "date", lines=[t(3, datum="2024-02-30")]),
        Msg("JW301", "year0", lines=[t(4, datum="0000-01-01")]),
        Msg("JW301", "time", lines=[t(5, tijd="24:00:00")]),
        Msg("JW301", "time-frac", lines=[t(6, tijd="10:00:00.250")]),
        Msg("JW301", "unicode-digits", lines=[t(7, datum="٢٠٢٤-٠٣-٠١")]),
        Msg("JW301", "code", lines=[t(8, eenheid="99")]),
        Msg("JW301", "int", lines=[t(9, volume="4.5")]),
        Msg("JW301", "int-plus", lines=[t(10, volume="+4"), t(11, budget="-0007")]),
        Msg("JW301", "lead-zeros", lines=[t("000012")]),
        Msg("JW301", "long-ref", lines=[t(13, referentie_aanbieder="R" * 37)]),
        Msg("JW301", "no-nr", lines=[t(14, toewijzingnummer=None)]),
        Msg("JW301", "bsn", bsn=ijwmsg.BSN_BAD, lines=[t(15)]),
        Msg("JW301", "birth", geboortedatum="2012-13-01", lines=[t(16)]),
        Msg("JW301", "sex", geslacht="7", lines=[t(17)]),
        Msg("JW301", "pc", postcode="0123AB", lines=[t(18)]),
        Msg("JW301", "no-lines", lines=[]),
        Msg("JW301", "version", versie="4", lines=[t(19)]),
        Msg("JW301", "afzender", afzender="12345", lines=[t(20)]),
        Msg("JW301", "dagtekening", dagtekening="2024-3-1", lines=[t(21)]),
        Msg("JW305", "ok5", lines=[s(1), s(2, status="3")]),
        Msg("JW305", "status", lines=[s(3, status="9")]),
        Msg("JW307", "ok7", lines=[stop(1, "2024-04-01")]),
        Msg("JW307", "reason", lines=[stop(2, "2024-04-01", reden="00")]),
        Msg("JW315", "ok15", lines=[aanvraag("A1"), aanvraag("A2", productcategorie=None)]),
        Msg("JW315", "verwijzer", lines=[aanvraag("A3", verwijzer="99")]),
        Msg("JW323", "ok23", lines=[p("P1", 1), p("P2", 1, bsn=ijwmsg.BSN_B), p("P3", 2, debet_credit="C")]),
        Msg("JW323", "dc", lines=[p("P4", 1, debet_credit="X")]),
        Msg("JW323", "code23", lines=[p("P5", 1, productcode="TOOLONG")]),
        Msg("JW323", "decl", declaratienummer="D" * 13, lines=[p("P6", 1)]),
        Msg("JW302", "ok2", retourcodes=["0200"]),
        Msg("JW306", "rej6", retourcodes=["0200", "9001"]),
        Msg("JW308", "nocode"),
        Msg("JW316", "ret16", ident_retour="R" * 37),
        Msg("JW302", "echo", lines=[t(30)]),
        Msg("JW325", "ok25", retourcodes=["0200"]),
        Msg("JW325", "echo25", lines=[p("P7", 1)]),
    ]


def test_same_as_exact_on_hand_made_problems(tmp_path: Path, monkeypatch) -> None:
    src = tmp_path / "bron"
    src.mkdir()
    files = []
    for i, msg in enumerate(_faulty_messages()):
        path = src / f"{i:03d}-{msg.ident}.xml"
        path.write_bytes(ijwmsg.to_xml(msg))
        files.append((str(path), path.name))
    read_in_bulk, sent_back = _assert_same(files, tmp_path, monkeypatch)
    assert read_in_bulk > 10 and sent_back > 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("-5", -5), ("--5", None), ("5-", None), ("²", None), ("1" * 18, None), (None, None)],
)
def test_int_or_none_never_raises(text: str | None, expected: int | None) -> None:
    from pipelines.ijw.xml_reader import _int_or_none

    assert _int_or_none(text) == expected
