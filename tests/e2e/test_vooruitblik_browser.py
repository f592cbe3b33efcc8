"""The Vooruitblik page in a real browser: a what-if control writes its setting into the URL, and the copied
link opened in a new browser context shows the same scenario and figures."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_links import _changed, view_text

pytestmark = pytest.mark.e2e


def test_a_what_if_is_kept_in_the_link(browser, page, app_url):
    page.goto(f"{app_url}/vooruitblik")
    wait_for_app(page, timeout_ms=90_000)
    text = view_text(page, timeout_s=90)
    assert "Terugblik: hoe goed was de prognose?" in text
    assert "naast wat de aanbieder publiceert" in text  # the expected wait beside the published wait
    # the first slider of the page is the capacity (%): one step right is +5 %
    thumb = page.locator('[data-testid="stMain"] input[type="range"]').first
    thumb.focus()
    thumb.press("ArrowRight")
    thumb.press("ArrowRight")
    text = _changed(page, text)
    page.wait_for_url(re.compile(r"vb_capaciteit=10"), timeout=30_000)
    assert "+10 %" in text
    link = page.url
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = context.new_page()
        other.goto(link)
        wait_for_app(other, timeout_ms=90_000)
        assert view_text(other, timeout_s=90) == text, f"the link {link} shows another scenario"
    finally:
        context.close()
