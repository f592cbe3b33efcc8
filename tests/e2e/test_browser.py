"""The served app in a real browser (Debian chromium via Playwright): every page, a filter, a download."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, wait_for_app, wait_for_metrics

pytestmark = pytest.mark.e2e

# Content is awaited with `expect(...)` (it retries until the element is there) rather than asserted once
# after wait_for_app: the script state can read "not running" before a reloaded page's first run has drawn.

PAGES = {
    "": "Overzicht",  # the default page lives at the root URL
    "stromen": "Instroom – doorstroom – uitstroom",
    "wachttijden": "Wachttijden",
    "caseload": "Caseload",
    "signalen": "Signalen en datakwaliteit",
    "vooruitblik": "Vooruitblik",
    "definities": "Definities",
}


def assert_no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert "Traceback" not in page.content()


@pytest.mark.parametrize("path, title", PAGES.items())
def test_every_page_renders_without_errors(page, app_url, path, title):
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=title).first).to_be_visible(timeout=30_000)
    assert_no_error(page)
    assert page.locator('[role="dialog"]').count() == 0, "a dialog (e.g. 'Page not found') is open"
    if path != "definities":
        expect(page.get_by_text("Peildatum").first).to_be_visible(timeout=30_000)
        # charts are drawn (vega-embed renders a canvas or svg)
        page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=30_000)
    shot = screenshot(page, path or "overzicht")
    assert shot.stat().st_size > 10_000


KPI_CARDS = 4  # Overzicht: instroom, in zorg, uitstroom, kinderen wachtend (then the wait cards)


def test_changing_a_filter_updates_url_and_figures(page, app_url):
    # every read waits for the drawn figures (wait_for_metrics), never only for the script state: under load
    # the state read "not running" before the rerun or the reloaded page's first run had drawn the cards
    page.goto(f"{app_url}/")
    wait_for_app(page)
    before = wait_for_metrics(page, KPI_CARDS)
    # the gemeente filter (the sidebar also holds the demo mode's "Bekijk als")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has_text="Gemeente"
    ).first.click()
    options = page.get_by_role("option")
    options.nth(1).click()  # the first gemeente after "Alle"
    page.wait_for_url(re.compile(r"gemeente=\d{4}"), timeout=15_000)
    # the figures change (a timeout here means they did not)
    after = wait_for_metrics(page, KPI_CARDS, differ_from=before)
    assert len(after) == len(before)
    assert_no_error(page)
    screenshot(page, "overzicht-gefilterd")
    # the link reproduces the view
    url = page.url
    page.goto(url)
    wait_for_app(page)
    assert wait_for_metrics(page, len(after)) == after


def test_csv_download_has_dutch_headings_and_no_small_counts(page, app_url, tmp_path):
    page.goto(f"{app_url}/stromen")
    wait_for_app(page)
    buttons = page.locator('[data-testid="stDownloadButton"] button', has_text="CSV")
    # the open chart tab and the table "Per gemeente": wait for both (the table is drawn after the chart)
    expect(buttons.nth(1)).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        buttons.last.click()
    path = tmp_path / "download.csv"
    info.value.save_as(path)
    context, _, text = path.read_text("utf-8-sig").partition("\n\n")  # the table after the context block
    assert context.splitlines()[:2] == ["Veld;Waarde", "Indicator;Per gemeente"]
    # in the browser the definition is a full address into this app
    assert f"Definitie;{app_url}/definities?anker=" in context, context
    header = text.splitlines()[0].split(";")
    assert header[0] == "Gemeente"
    for line in text.splitlines()[1:]:
        for cell in line.split(";")[1:]:
            cell = cell.strip('"').replace(".", "")
            assert not (cell.isdigit() and 0 < int(cell) < 5), line
    assert_no_error(page)


def test_png_download_of_a_cached_chart(page, app_url, tmp_path):
    # the chart is drawn from a cached spec; the PNG is built from the chart on click
    for _ in range(2):  # the second visit is served from the spec cache
        page.goto(f"{app_url}/stromen")
        wait_for_app(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=30_000)
    wait_for_app(page)  # the chart can arrive before the run ends; click once the page is complete
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="PNG").first
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = tmp_path / "grafiek.png"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000
    assert_no_error(page)


def test_a_tab_is_drawn_on_click_and_kept_in_the_url(page, app_url):
    # only the open tab is run and sent; a click reruns the page with the other tab and puts it in the URL
    page.goto(f"{app_url}/")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Datadekking: wie leverde wanneer").count() == 0
    page.get_by_role("tab", name="Datadekking").click()
    page.wait_for_url(re.compile(r"overzicht_grafiek=Datadekking"), timeout=15_000)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Datadekking: wie leverde wanneer").first).to_be_visible(
        timeout=30_000
    )
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas', timeout=30_000)
    # the other tab's blocks leave when the run ends (stale elements stay until then): wait for that
    expect(page.get_by_role("heading", name="Instroom, in zorg en uitstroom per maand")).to_have_count(
        0, timeout=30_000
    )
    assert_no_error(page)
    page.get_by_role("heading", name="Datadekking: wie leverde wanneer").first.scroll_into_view_if_needed()
    screenshot(page, "overzicht-datadekking")
    # the link reproduces the view
    page.goto(page.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Datadekking: wie leverde wanneer").first).to_be_visible(
        timeout=30_000
    )
