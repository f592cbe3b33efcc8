"""A learning session in a real browser, end to end: make a snapshot on Overzicht, write a note on each of the
five questions and an annotation on the Leersessie page, reload, rebuild the warehouse (the real build, swapped
in under the running server), and find everything again: the notes on the page, the annotation on the time
charts, and all of it in the session report's PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from playwright.sync_api import expect

from pipelines import settings
from pipelines.store import VRAGEN, open_store
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

NAAM = "E2E leersessie december"
TITEL = "E2E: nieuw intaketeam"


def _annotation_date(db: Path) -> date:
    """The first day of the month three months before the peildatum: inside every time chart's range."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        [(peildatum,)] = con.sql("select peildatum from peildatum").fetchall()
    finally:
        con.close()
    month = peildatum.month - 3
    return date(peildatum.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is installed with chromium (scripts/setup.sh --browser: poppler-utils)"
    out = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


def test_snapshot_notes_and_annotation_survive_a_reload_and_a_rebuild(
    page, app_url, app_db, app_source, tmp_path
):
    from pipelines.build import build

    # 1. a snapshot, made with the form on Overzicht
    page.goto(app_url)
    wait_for_app(page)
    page.get_by_text("Momentopname maken").click()
    page.get_by_label("Naam").fill(NAAM)
    page.get_by_role("button", name="Maak momentopname").click()
    expect(page.get_by_text(f"Momentopname ‘{NAAM}’ gemaakt")).to_be_visible(timeout=60_000)
    store = open_store(settings.store_path(app_db))
    snap = store.get_snapshot(NAAM)
    assert snap is not None
    stem = Path(snap.bestand).stem

    # 2. a note on each of the five questions, on the snapshot in view
    vragen = f"{app_url}/leersessie?momentopname={quote(stem)}&leersessie_onderdeel={quote('De vijf vragen')}"
    page.goto(vragen)
    wait_for_app(page)
    expect(page.get_by_text(f"Momentopname ‘{NAAM}’")).to_be_visible(timeout=30_000)
    notes = {nr: f"E2E notitie {nr}: {vraag}" for nr, vraag in VRAGEN.items()}
    for nr, text in notes.items():
        area = page.get_by_placeholder("Wat zegt de groep?").nth(nr - 1)
        area.fill(text)
        page.get_by_role("button", name="Opslaan").nth(nr - 1).click()
        wait_for_app(page)
        expect(page.get_by_text("Laatst opgeslagen door").nth(0)).to_be_visible(timeout=30_000)

    # 3. an annotation, inside the charts' months
    datum = _annotation_date(app_db)
    page.get_by_text("Gebeurtenis toevoegen").first.click()
    # Streamlit's date field is three spin buttons (react-aria): type each part
    for part, value in (("day", datum.day), ("month", datum.month), ("year", datum.year)):
        page.get_by_role("spinbutton", name=f"{part}, Datum").click()
        page.keyboard.type(f"{value:02d}")
    page.get_by_label("Titel").fill(TITEL)
    page.get_by_role("button", name="Gebeurtenis toevoegen").click()
    wait_for_app(page)
    [annotatie] = [a for a in store.list_annotations() if a.titel == TITEL]
    assert annotatie.datum == datum

    # 4. reload: everything is still there
    page.reload()
    wait_for_app(page)
    for nr, text in notes.items():
        expect(page.get_by_placeholder("Wat zegt de groep?").nth(nr - 1)).to_have_value(text, timeout=30_000)
    expect(page.get_by_text(TITEL).first).to_be_visible()

    # 5. rebuild the warehouse under the running server (the real build writes a new file and swaps it in)
    build(app_source, app_db, show_progress=False)
    page.goto(vragen)
    wait_for_app(page)
    expect(page.get_by_text(f"Momentopname ‘{NAAM}’")).to_be_visible(timeout=30_000)
    for nr, text in notes.items():
        expect(page.get_by_placeholder("Wat zegt de groep?").nth(nr - 1)).to_have_value(text, timeout=30_000)
    screenshot(page, "leersessie-vijf-vragen")

    # 6. the annotation on the time charts of another page (live and on the snapshot)
    for query in ("", f"?momentopname={quote(stem)}"):
        page.goto(f"{app_url}/stromen{query}")
        wait_for_app(page)
        expect(page.get_by_text("Gebeurtenissen").first).to_be_visible(timeout=30_000)
        expect(page.get_by_text(TITEL).first).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0

    # 7. the session report of the snapshot: the chart with its notes, the annotation, the snapshot's name
    page.goto(f"{app_url}/verslag?momentopname={quote(stem)}")
    wait_for_app(page)
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="Download verslag (PDF)")
    expect(button).to_be_enabled(timeout=30_000)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    path = tmp_path / "verslag.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    text = _pdf_text(path)
    for note in notes.values():
        assert note in text
    assert TITEL in text
    assert NAAM in text
    assert "SPC" in text
