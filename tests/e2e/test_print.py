"""Printing a page (Ctrl+P) in the real browser: chromium's print media and its PDF writer.

The print layout (dashboard/print.css) hides the sidebar, the header, buttons, downloads, tab bars and
widgets, shows every table complete (its plain-HTML print copy instead of the canvas grid, which only
draws its visible rows), keeps the charts within the page width and asks for A4 landscape. The PDFs are
kept in artifacts/screenshots/ for a human to look at.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, screenshot, wait_for_app

pytestmark = pytest.mark.e2e

A4_LANDSCAPE_PT = (841.89, 595.28)  # 297 x 210 mm in PostScript points
HIDDEN_IN_PRINT = (
    '[data-testid="stSidebar"]',
    '[data-testid="stHeader"]',
    '[data-testid="stDownloadButton"]',
    '[role="tablist"]',
    '[data-testid="stSelectbox"]',
    '[data-testid="stDataFrame"]',
)


def _visible_count(page, selector: str) -> int:
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
        }).length""",
        selector,
    )


def _media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of every page of a PDF (its /MediaBox entries; chromium writes one per page)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", pdf)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


def _save_pdf(page, name: str) -> bytes:
    """The page as chromium prints it, with the page size the stylesheet asks for (no size given here)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.pdf"
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    return path.read_bytes()


_MAANDEN = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _as_on_screen(cell: str) -> str:
    """A CSV cell as the page shows it: an ISO date (the CSV's format) in Dutch words, the rest as is."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", cell)
    return f"{int(m[3])} {_MAANDEN[int(m[2]) - 1]} {m[1]}" if m else cell


def test_printing_a_table_page_gives_every_row_without_sidebar_or_buttons_on_a4_landscape(
    page, app_url, tmp_path
):
    page.goto(f"{app_url}/signalen?signaal_weergave={quote('Lijst per signaal')}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=re.compile("^Lijst: ")).first).to_be_visible(timeout=30_000)
    page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    wait_for_app(page)
    # the rows of the list as its CSV download has them (the table after the first empty line)
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="CSV").first
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = tmp_path / "lijst.csv"
    info.value.save_as(path)
    table = path.read_text("utf-8-sig").split("\n\n", 1)[-1]
    csv_rows = list(csv.reader(io.StringIO(table), delimiter=";"))[1:]
    # longer than the grid shows at once (Streamlit's default height: about ten rows, then it scrolls)
    assert len(csv_rows) > 10

    # on screen: the grid, and no print copy
    assert _visible_count(page, ".km-print-only") == 0
    assert _visible_count(page, '[data-testid="stDataFrame"]') >= 1

    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        assert _visible_count(page, selector) == 0, f"{selector} is printed"
    assert _visible_count(page, '[data-testid="stVerticalBlock"] button') == 0, "a button is printed"
    printed = page.locator(".km-print-only table").first
    expect(printed).to_be_visible()
    rows = printed.locator("tbody tr")
    assert rows.count() == len(csv_rows)
    # the print copy shows what the screen shows: the CSV's ISO dates as Dutch dates ("7 okt 2024")
    assert rows.last.locator("td").all_inner_texts() == [_as_on_screen(cell) for cell in csv_rows[-1]]

    screenshot(page, "signalen-lijst-afdruk")  # the print layout at screen width, for a quick look
    pdf = _save_pdf(page, "signalen-lijst-afdruk")
    boxes = _media_boxes(pdf)
    assert len(boxes) > 1, "a long list takes more than one page (nothing is cut off at one screen)"
    for width, height in boxes:
        assert abs(width - A4_LANDSCAPE_PT[0]) < 2 and abs(height - A4_LANDSCAPE_PT[1]) < 2, (width, height)


def test_printed_charts_fit_the_page_width(page, app_url):
    # A4 landscape less the margins of the print stylesheet (297 - 2 x 10 mm at 96 px per inch)
    printable = round((297 - 20) / 25.4 * 96)
    page.set_viewport_size({"width": printable, "height": 900})
    page.goto(f"{app_url}/")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas', timeout=30_000)
    wait_for_app(page)
    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    assert _visible_count(page, '[data-testid="stSidebar"]') == 0
    rights = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] canvas')]
            .map(c => c.getBoundingClientRect().right)"""
    )
    assert rights and max(rights) <= printable + 1, (rights, printable)
    screenshot(page, "overzicht-afdruk")
    pdf = _save_pdf(page, "overzicht-afdruk")
    assert all(w > h for w, h in _media_boxes(pdf))
