"""The session report in a real browser: notes saved in the store appear on the Sessieverslag page, and the
"Download verslag (PDF)" button delivers a PDF (made on the server by chromium) whose text has them."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from pipelines import settings
from pipelines.store import open_store
from tests.e2e.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def test_the_pdf_download_has_the_notes(page, app_url, app_db, tmp_path):
    store = open_store(settings.store_path(app_db))  # the store the served app reads (beside its database)
    notes = {
        1: "Browsertest: we herkennen de daling van de instroom in de zomer.",
        2: "Browsertest: het nieuwe wijkteam vangt meer op in de voorliggende zorg.",
    }
    for vraag, text in notes.items():
        store.save_note("stromen.instroom_uitstroom", vraag, text, "Browsertest")
    store.add_annotation(date(2025, 7, 1), "Browsertest: nieuw wijkteam", "", "overig", "Browsertest")

    page.goto(f"{app_url}/verslag")
    wait_for_app(page)
    for text in notes.values():
        expect(page.get_by_text(text)).to_be_visible(timeout=30_000)
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="Download verslag (PDF)")
    expect(button).to_be_enabled()
    screenshot(page, "sessieverslag")
    with page.expect_download(timeout=90_000) as info:
        button.click()
    path = tmp_path / "verslag.pdf"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is installed with chromium (scripts/setup.sh --browser: poppler-utils)"
    text = " ".join(
        subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    for note in notes.values():
        assert note in text
    assert "Instroom, in zorg en uitstroom" in text
    assert "Browsertest: nieuw wijkteam" in text
    assert page.locator('[data-testid="stException"]').count() == 0
