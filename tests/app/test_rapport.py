"""The session report (dashboard/rapport.py, dashboard/verslag_grafieken.py, views/verslag.py; issue 15):
the HTML holds every chosen chart (title and image), every saved note, the annotations, the snapshot and
the reader's part of each definition; the charts are drawn from protected frames (no count 1..k-1, checked
against the unprotected macro that has such counts); the PDF is a PDF whose text has the notes; the page
offers both downloads, or the HTML only with a Dutch message when there is no chromium."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from pipelines import settings
from tests.app.conftest import run_page
from tests.app.test_small_numbers import narrow_queries

K = settings.small_number_threshold()
KEYS = [
    "stromen.instroom_uitstroom",
    "wachttijden.verloop:behandeling",
    "caseload.verloop:{team}",
    "signalen.per_maand",
]
# a sentence of each chart's definition, reader's part (docs/definitions.md), and one of its technical part
READER = {
    "stromen.instroom_uitstroom": "In zorg van deze maand = in zorg van vorige maand + instroom − uitstroom.",
    "wachttijden.verloop:behandeling": "Onze klok voor de totale wachttijd start bij de verwijzing",
    "caseload.verloop:{team}": "Vergelijk alleen teams van hetzelfde type",
    "signalen.per_maand": "Een signaal is een aanwijzing, geen oordeel",
}
TECHNICAL = ["maand_stromen", "wachttijden_maand", "Zwaarte-volgorde", "<details>", "<summary>"]


@pytest.fixture
def store(use_db, tmp_path, monkeypatch):
    monkeypatch.setenv("KETENMONITOR_STORE", str(tmp_path / "store.sqlite"))
    from pipelines.store import open_store

    return open_store()


def _months(db: Path) -> list[date]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.sql("select waarde from filter_opties() where soort = 'maand' order by waarde").fetchall()
    finally:
        con.close()
    return [date.fromisoformat(r[0]) for r in rows]


def _filters(db: Path, **narrow: str):
    from dashboard.filtermodel import ALLE, Filters

    months = _months(db)
    return Filters(
        months[-24],
        months[-1],
        narrow.get("gemeente", ALLE),
        narrow.get("aanbieder", ALLE),
        narrow.get("productcategorie", ALLE),
        narrow.get("leeftijdsgroep", ALLE),
    )


def _keys(f) -> list[str]:
    from dashboard import verslag_grafieken

    team = next(iter(verslag_grafieken._teams(f)))
    return [k.format(team=team) for k in KEYS]


def _seed(store, keys: list[str], months: list[date]) -> tuple[dict[tuple[str, int], str], list]:
    """A note on every question of every chart (the first version of one is overwritten), and three
    annotations: one in the period, one before it, one limited to another gemeente."""
    from pipelines.store import VRAGEN

    notes = {}
    for i, key in enumerate(keys):
        for vraag in VRAGEN:
            text = f"Notitie {i}-{vraag}: <b>wij</b> & de keten\nregel twee"
            if (i, vraag) == (0, 1):
                store.save_note(key, vraag, "oude versie die niet in het verslag hoort", "Anna")
            store.save_note(key, vraag, text, "Anna" if vraag % 2 else "Bram")
            notes[(key, vraag)] = text
    annotations = [
        store.add_annotation(
            months[-2], "Nieuw contract jeugd-ggz", "Start in de hele regio.", "contract", "Anna"
        ),
        store.add_annotation(months[0], "Oude registratiewijziging", "", "registratie", "Bram"),
        store.add_annotation(
            months[-3],
            "Intaketeam Westdorp",
            "Alleen daar.",
            "overig",
            "Bram",
            scope_soort="gemeente",
            scope_code="9999",
        ),
    ]
    return notes, annotations


def test_the_report_holds_every_chart_note_annotation_and_definition(store, use_db):
    from dashboard import verslag_grafieken

    f = _filters(use_db)
    keys = _keys(f)
    notes, (in_period, before, elsewhere) = _seed(store, keys, _months(use_db))
    opdracht = verslag_grafieken.opdracht(keys, f)
    text = verslag_grafieken.verslag_html(opdracht, store)

    assert text.startswith("<!doctype html>")
    for key in keys:
        assert html.escape(verslag_grafieken.titel(key, f)) in text, key
        assert html.escape(READER[KEYS[keys.index(key)]]) in text, key
    for technical in TECHNICAL:
        assert technical not in text
    # one image per chart, each a PNG
    images = text.split('<img src="data:image/png;base64,')[1:]
    assert len(images) == len(keys)
    for image in images:
        import base64

        assert base64.b64decode(image.split('"', 1)[0])[:8] == b"\x89PNG\r\n\x1a\n"
    # every note's latest text, escaped (no markup of the user's), with its author; not the old version
    for text_ in notes.values():
        assert html.escape(text_) in text
    assert "<b>wij</b>" not in text
    assert "oude versie" not in text
    assert text.count("Herkennen we het beeld?") == len(keys)
    # annotations: the one in the charts' months on every chart (as drawn on it), the others (before the
    # period, or limited to another gemeente) not on the charts but in the appendix
    charts_part, _, appendix = text.partition("Bijlage: alle annotaties")
    assert charts_part.count(in_period.titel) == len(keys)
    assert before.titel not in charts_part and elsewhere.titel not in charts_part
    for a in (in_period, before, elsewhere):
        assert a.titel in appendix
    assert "Actuele database" in text


def test_snapshot_name_and_peildatum_are_on_the_title_page():
    from dashboard import rapport
    from pipelines.store import Notitie

    note = Notitie(1, 3, "x", 1, "Herkenbaar.", "Anna", datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    verslag = rapport.Verslag(
        sessiedatum=date(2026, 3, 2),
        grafieken=(rapport.GrafiekVerslag("x", "Een grafiek", None, (note,)),),
        regio="Zuidoost-Duinland",
        momentopname="Sessie maart",
        peildatum=date(2026, 2, 28),
    )
    text = rapport.verslag_html(verslag, k=5)
    assert "Leersessie 2 maart 2026" in text
    assert "Zuidoost-Duinland" in text
    assert "Momentopname “Sessie maart”, peildatum 28 feb 2026" in text
    assert "Actuele database" not in text
    assert "Anna, 2 mrt 2026 10:30" in text  # the users' clock (CET), not UTC
    assert "minder dan 5 personen" in text  # a chart with nothing to draw says why


def test_definition_is_the_readers_part_of_the_section_that_declares_the_anchor():
    from dashboard.rapport import definitie

    md = settings.DEFINITIONS_FILE.read_text("utf-8")
    d = definitie(md, "instroom")  # declared inside a bullet of "Stromen per maand"
    assert d is not None and d.kop == "Stromen per maand"
    assert d.tekst.startswith("**Wat betekent het?**")
    assert "**Valkuilen.**" in d.tekst and "<details>" not in d.tekst and "{#" not in d.tekst
    assert "(#voorlopig)" not in d.tekst and "voorlopig" in d.tekst  # app links become plain text
    assert definitie(md, "bestaat-niet") is None


def _counts_are_protected(frame: pl.DataFrame) -> list[tuple[str, object]]:
    """Counts (columns with a `_onderdrukt` flag) that show a value 1..k-1, or a flagged cell with a value."""
    bad = []
    for flag in (c for c in frame.columns if c.endswith("_onderdrukt")):
        col = flag.removesuffix("_onderdrukt")
        for value, hidden in zip(frame[col].to_list(), frame[flag].to_list(), strict=True):
            if (hidden and value is not None) or (value is not None and 0 < value < K):
                bad.append((col, value))
    return bad


def test_the_report_charts_are_drawn_from_protected_frames(store, use_db, monkeypatch):
    """Under narrow filters the unprotected macros have counts 1..k-1; the frames the report's PNGs are
    rendered from have none, and some of their cells are suppressed."""
    from dashboard import components, data, verslag_grafieken

    rendered: list[pl.DataFrame] = []
    real = verslag_grafieken._png

    def spy(onderdeel):
        if onderdeel.recipe is not None:
            rendered.extend(a for a in onderdeel.recipe.args if isinstance(a, pl.DataFrame))
        return real(onderdeel)

    monkeypatch.setattr(verslag_grafieken, "_png", spy)
    monkeypatch.setattr(components, "_png_bytes", lambda chart, context=None: b"\x89PNG\r\n\x1a\nstub")
    small_raw = suppressed = 0
    for narrow in narrow_queries(use_db)[1:]:
        f = _filters(use_db, **narrow)
        raw = data.fetch("stromen_maand", **f.params("stromen_maand"))
        small_raw += sum(
            int(((raw[c] > 0) & (raw[c] < K)).sum()) for c in ("instroom", "uitstroom", "in_zorg")
        )
        rendered.clear()
        verslag_grafieken.verslag_html(verslag_grafieken.opdracht(_keys(_filters(use_db)), f), store)
        assert rendered, "the report rendered its charts from frames"
        for frame in rendered:
            assert not _counts_are_protected(frame), _counts_are_protected(frame)[:5]
            suppressed += sum(int(frame[c].sum()) for c in frame.columns if c.endswith("_onderdrukt"))
    assert small_raw, "the narrow filters give small counts in the unprotected data"
    assert suppressed, "and the report's frames hid some of them"


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is not installed (scripts/setup.sh --browser installs poppler-utils)")
        pytest.skip("pdftotext is not installed (run scripts/setup.sh --browser)")
    path = tmp_path / "verslag.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_pdf_is_a_pdf_with_the_notes(store, use_db, tmp_path):
    from dashboard import rapport, verslag_grafieken

    if not rapport.pdf_beschikbaar():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (scripts/setup.sh --browser installs it)")
        pytest.skip("chromium is not installed (run scripts/setup.sh --browser)")
    f = _filters(use_db)
    keys = _keys(f)
    notes, (in_period, _, _) = _seed(store, keys, _months(use_db))
    pdf = verslag_grafieken.verslag_pdf(verslag_grafieken.opdracht(keys, f), store)
    assert pdf.startswith(b"%PDF-")
    text = " ".join(_pdf_text(pdf, tmp_path).split())
    for note in notes.values():
        assert " ".join(note.split()) in text
    assert in_period.titel in text
    assert "Leersessie" in text and "Bijlage: alle annotaties" in text


def test_no_pdf_without_chromium_is_a_clear_dutch_message(monkeypatch):
    from dashboard import rapport

    monkeypatch.setenv("KETENMONITOR_CHROMIUM", "/bestaat/niet/chromium")
    assert settings.chromium_path() is None
    assert not rapport.pdf_beschikbaar()
    with pytest.raises(rapport.PdfNietBeschikbaar, match="chromium ontbreekt"):
        rapport.html_naar_pdf("<p>x</p>")


def test_the_page_lists_the_notes_and_offers_the_report(store, use_db, monkeypatch):
    from dashboard import verslag_grafieken

    f = _filters(use_db)
    keys = _keys(f)[:2]
    notes, _ = _seed(store, keys, _months(use_db))
    store.save_note(
        "leersessie.onbekend", 1, "Een notitie bij een grafiek die het verslag niet kent.", "Anna"
    )
    at = run_page("views/verslag.py")
    assert not at.exception, [e.value for e in at.exception]
    [choice] = at.multiselect
    # the charts with notes, in the store's order (also one the report cannot draw: its notes go in)
    assert choice.value == sorted([*keys, "leersessie.onbekend"])
    shown = " ".join(t.value for t in at.text)
    for note in notes.values():
        assert note in shown
    buttons = {b.label: b for b in at.get("download_button")}
    assert set(buttons) == {"Download verslag (HTML)", "Download verslag (PDF)"}
    assert any("Peildatum" in c.value for c in at.caption)
    assert verslag_grafieken.zoek("leersessie.onbekend") is None
    assert any("leersessie.onbekend" in w.value for w in at.warning)

    monkeypatch.setenv("KETENMONITOR_CHROMIUM", "/bestaat/niet/chromium")
    at = run_page("views/verslag.py")
    assert not at.exception
    assert any("chromium ontbreekt" in i.value for i in at.info)
    assert [b.proto.disabled for b in at.get("download_button")] == [False, True]


def test_a_chart_of_stacked_panels_is_exported_at_the_export_width():
    """The flows chart (two panels, each as wide as its container on screen) was exported as narrow as
    Vega's default; in a PNG (and so in the report) each panel gets the export width."""
    from dashboard import charts, export

    frame = pl.DataFrame(
        {
            "maand": [date(2025, 1, 1), date(2025, 2, 1)],
            "in_zorg": [100, 110],
            "instroom": [10, 12],
            "uitstroom": [8, 9],
        }
    )
    chart = charts.flows.__wrapped__(
        frame,
        "maand",
        {"in_zorg": "In zorg"},
        {"instroom": "Instroom", "uitstroom": "Uitstroom"},
        "Trajecten",
    )
    spec = export.with_title(
        chart, export.ExportContext("Stromen", "/definities"), date(2026, 1, 1)
    ).to_dict()
    assert [panel.get("width") for panel in spec["vconcat"]] == [export.PNG_WIDTH, export.PNG_WIDTH]
    assert spec["title"]["text"] == "Stromen"


def test_the_chromium_setting_takes_a_path_or_a_command(monkeypatch, tmp_path):
    fake = tmp_path / "mijn-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("KETENMONITOR_CHROMIUM", str(fake))
    assert settings.chromium_path() == str(fake)
    monkeypatch.setenv("KETENMONITOR_CHROMIUM", "sh")  # a command on PATH
    assert settings.chromium_path() == shutil.which("sh")
    monkeypatch.delenv("KETENMONITOR_CHROMIUM")
    assert settings.chromium_path() == (shutil.which("chromium") or shutil.which("chromium-browser"))


def test_notes_under_a_key_the_report_cannot_draw_still_go_in(store, use_db):
    from dashboard import verslag_grafieken

    f = _filters(use_db)
    store.save_note("leersessie.onbekend", 3, "Gemeente B wijkt af; eerst de registratie bekijken.", "Anna")
    text = verslag_grafieken.verslag_html(
        verslag_grafieken.opdracht(["leersessie.onbekend", "stromen.instroom_uitstroom"], f), store
    )
    assert "Gemeente B wijkt af; eerst de registratie bekijken." in text
    assert "kan het verslag (nog) niet tekenen" in text
    assert text.count('<img src="data:image/png;base64,') == 1  # only the registered chart has an image


def test_the_leersessie_charts_are_in_the_report_under_the_keys_of_their_notes(store, use_db):
    """The Leersessie page keys its notes "trechter:<indicator>:<eenheid>[:<niveau>]" and
    "spc:<indicator>[:<niveau>]": the report draws those charts (the page's own recipes) with the notes."""
    from dashboard import queries, verslag_grafieken

    f = _filters(use_db)
    keys = ["trechter:uitstroom:gemeente", "trechter:wachttijd:aanbieder:behandeling", "spc:mediaan:intake"]
    for i, key in enumerate(keys):
        store.save_note(key, 1, f"Notitie {i} bij de leersessie.", "Anna")
    assert set(keys) <= set(verslag_grafieken.sleutels(f))
    text = verslag_grafieken.verslag_html(verslag_grafieken.opdracht(keys, f), store)
    assert "kan het verslag (nog) niet tekenen" not in text
    assert text.count('<img src="data:image/png;base64,') == len(keys)
    for i in range(len(keys)):
        assert f"Notitie {i} bij de leersessie." in text
    # the same chart as the page draws: the funnel of the page's query
    recipe, _ = verslag_grafieken.zoek(keys[0])[0].maak(f, "uitstroom:gemeente")
    t = queries.trechter("uitstroom", "gemeente", "behandeling", f)
    assert recipe.key() == verslag_grafieken.trechter_recept(t, "uitstroom").key()


def test_on_a_snapshot_the_report_names_it_and_has_its_notes(store, use_db, tmp_path, monkeypatch):
    """With a snapshot in view (`?momentopname=`), the report's title page names it and its peildatum, and
    the notes are those saved with that snapshot, not the live database's."""
    from dashboard import verslag_grafieken
    from pipelines import snapshot

    monkeypatch.setenv("KETENMONITOR_SNAPSHOTS", str(tmp_path / "snapshots"))
    snap = snapshot.make_snapshot("Sessie december", db=use_db, store=store, door="Anna")
    store.save_note(
        "stromen.instroom_uitstroom", 1, "Notitie bij de momentopname.", "Anna", snapshot_id=snap.id
    )
    store.save_note("stromen.instroom_uitstroom", 1, "Notitie bij de actuele database.", "Anna")
    captured = []
    real = verslag_grafieken.opdracht

    def spy(gekozen, f):
        captured.append(real(gekozen, f))
        return captured[-1]

    monkeypatch.setattr(verslag_grafieken, "opdracht", spy)
    at = run_page("views/verslag.py", {"momentopname": Path(snap.bestand).stem})
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.multiselect] == [["stromen.instroom_uitstroom"]]
    text = verslag_grafieken.verslag_html(captured[-1], store)
    assert "Momentopname “Sessie december”" in text
    assert snap.peildatum is not None
    from dashboard.format import datum

    assert f"peildatum {datum(snap.peildatum)}" in text
    assert "Notitie bij de momentopname." in text
    assert "Notitie bij de actuele database." not in text


def test_the_report_takes_the_filters_of_the_link(store, use_db, monkeypatch):
    """The page's sidebar filters are shown, not changed (no block of its own); a link's gemeente still
    narrows the report's charts and is named on its title page."""
    import duckdb

    from dashboard import verslag_grafieken

    con = duckdb.connect(str(use_db), read_only=True)
    try:
        code, naam = con.sql(
            "select waarde, label from filter_opties() where soort = 'gemeente' order by waarde limit 1"
        ).fetchall()[0]
    finally:
        con.close()
    store.save_note("stromen.instroom_uitstroom", 4, "Voor deze gemeente.", "Anna")
    captured = []
    real = verslag_grafieken.opdracht
    monkeypatch.setattr(
        verslag_grafieken, "opdracht", lambda gekozen, f: captured.append(real(gekozen, f)) or captured[-1]
    )
    at = run_page("views/verslag.py", {"gemeente": code})
    assert not at.exception, [e.value for e in at.exception]
    assert all(s.disabled for s in at.sidebar.selectbox if s.key.startswith("filter_"))
    o = captured[-1]
    assert o.filters.gemeente == code
    assert ("Gemeente", naam) in o.filter_woorden
    assert f"<dd>{naam}</dd>" in verslag_grafieken.verslag_html(o, store)


def test_the_chosen_charts_are_in_the_link(store, use_db):
    """The report's chart choice is kept in the URL (`verslag_grafieken`, comma-separated): a copied link
    opens the same choice, and an unknown key in it is named and left out."""
    from tests.app.test_url_state import open_page

    f = _filters(use_db)
    keys = _keys(f)[:3]
    at = open_page("views/verslag.py", {"verslag_grafieken": ",".join([keys[2], keys[0]])})
    assert not at.exception, [e.value for e in at.exception]
    [choice] = at.multiselect
    assert choice.value == [keys[2], keys[0]]
    choice.set_value([keys[1]]).run()
    assert at.query_params["verslag_grafieken"] in ([keys[1]], keys[1])
    at = open_page("views/verslag.py", {"verslag_grafieken": f"{keys[1]},bestaat.niet"})
    [choice] = at.multiselect
    assert choice.value == [keys[1]]
    assert any("bestaat.niet" in w.value for w in at.warning)
