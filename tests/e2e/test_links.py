"""Links in a real browser: a copied link reproduces every choice, /overzicht and unknown paths, and a
'Definitie' link that lands on its indicator. URL checks without a browser: tests/app/test_url_state.py."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e

_SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]')
        && document.querySelector('[data-testid="stMainBlockContainer"] h1');
}"""


def view_text(page, timeout_s: float = 60) -> str:
    """Everything the page shows as text (figures, headings, status lines, widget values, sidebar), read
    once the run has ended and the text stays the same for a second."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        page.wait_for_function(_SETTLED, timeout=int(timeout_s * 1000))
        text = (
            page.locator('[data-testid="stMain"]').inner_text()
            + page.locator('[data-testid="stSidebar"]').inner_text()
        )
        if text == last:
            return text
        last = text
        page.wait_for_timeout(1000)
    raise AssertionError("the page did not settle")


def _changed(page, before: str) -> str:
    """Wait until the view differs from `before` (the click took effect) and has settled."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = view_text(page)
        if text != before:
            return text
        page.wait_for_timeout(500)
    raise AssertionError("the choice did not change the view")


def _pick_second(page, select) -> None:
    """Choose the second option of `select`; a click that lands while a rerun redraws the sidebar opens no
    list (seen under load), so it is clicked again, three times at most."""
    for _ in range(3):
        select.click()
        try:
            page.get_by_role("option").nth(1).click(timeout=10_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError("the list of options did not open")


def _gemeente(page):
    sidebar = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
    _pick_second(page, sidebar.filter(has_text="Gemeente").first)  # not the demo mode's "Bekijk als"


def _periode(page):
    thumb = page.locator('[data-testid="stSidebar"] input[type="range"]').first
    thumb.focus()
    thumb.press("ArrowRight")
    thumb.press("ArrowRight")


def _tab(name):
    return lambda page: page.get_by_role("tab", name=name).click()


def _segment(name):
    return lambda page: page.locator('[data-testid="stButtonGroup"]').get_by_text(name, exact=True).click()


def _main_select(page):
    _pick_second(page, page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first)


def _toggle(label):
    return lambda page: page.get_by_text(label, exact=True).click()


# per page: a non-default value for every widget that changes what it shows (the global filters once)
CHOICES = {
    "wachttijden": [_gemeente, _periode, _segment("Aanmelding → intake"), _tab("Kaplan–Meier")],
    "caseload": [_main_select, _toggle("Gewogen naar complexiteit"), _tab("Factoren")],
    "signalen": [_tab("Lijst per signaal"), _main_select, _tab("Quarantaine")],
    "stromen": [_tab("Routes")],
    "": [_tab("Datadekking")],
}


@pytest.mark.parametrize("path", list(CHOICES))
def test_a_copied_link_reproduces_every_choice(browser, page, app_url, path):
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)
    text = view_text(page)
    for choose in CHOICES[path]:
        choose(page)
        text = _changed(page, text)
    link = page.url
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = context.new_page()
        other.goto(link)
        wait_for_app(other)
        assert view_text(other) == text, f"the link {link} shows another view"
        assert "Genegeerd in de link" not in text
    finally:
        context.close()


def test_the_start_page_slug_opens_the_start_page(page, app_url):
    page.goto(f"{app_url}/overzicht?gemeente=ONBEKEND")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Overzicht").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Peildatum").first).to_be_visible(timeout=30_000)
    assert page.locator('[role="dialog"]').count() == 0, "a 'Page not found' dialog is open"
    # an ignored value is named in Dutch at the top
    expect(page.get_by_text(re.compile("Genegeerd in de link: gemeente=ONBEKEND"))).to_be_visible()


@pytest.mark.parametrize("path", ["bestaat-niet", "start"])
def test_an_unknown_path_shows_a_dutch_page(page, app_url, path):
    page.goto(f"{app_url}/{path}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(f"De pagina /{path} bestaat niet")).to_be_visible()
    assert page.locator('[role="dialog"]').count() == 0, "Streamlit's English dialog is open"
    assert "Page not found" not in page.content()
    page.locator('[data-testid="stMain"]').get_by_role("link", name="Wachttijden").click()
    expect(page.get_by_role("heading", name="Wachttijden").first).to_be_visible(timeout=30_000)


def test_a_definition_link_lands_on_its_indicator(page, app_url):
    page.goto(f"{app_url}/wachttijden")
    wait_for_app(page)
    link = page.locator('[data-testid="stMain"] a', has_text=re.compile(r"^Definitie$")).first
    expect(link).to_be_visible(timeout=30_000)
    anchor = re.search(r"(?:anker=|#)([a-z0-9-]+)", link.get_attribute("href")).group(1)
    with page.context.expect_page() as opened:
        link.click()
    target = opened.value
    wait_for_app(target)
    expect(target.get_by_role("heading", name="Definities").first).to_be_attached(timeout=30_000)
    # the anchor's row or heading is in the viewport, below the fixed header (not the top of the page)
    target.wait_for_function(
        """id => {
            const e = document.getElementById(id);
            if (!e) return false;
            const r = (e.closest('h1, h2, h3, h4, h5, h6, tr') || e).getBoundingClientRect();
            const header = document.querySelector('[data-testid="stHeader"]').getBoundingClientRect();
            const title = document.querySelector('[data-testid="stMain"] h1').getBoundingClientRect();
            return r.top >= header.bottom - 1 && r.bottom <= window.innerHeight && title.bottom < header.bottom;
        }""",
        arg=anchor,
        timeout=30_000,
    )
