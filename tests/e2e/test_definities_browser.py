"""The Definities page in a real browser: reader text visible, the technical parts collapsed, anchors there."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e


def test_definitions_show_reader_text_and_collapse_the_technical_parts(page, app_url):
    page.goto(f"{app_url}/definities")
    wait_for_app(page)
    expect(page.get_by_text("Wat betekent het?").first).to_be_visible(timeout=30_000)
    details = page.locator('[data-testid="stMarkdownContainer"] details')
    assert details.count() >= 17, "every section has its collapsed technical part"
    assert details.evaluate_all("els => els.filter(e => e.open).length") == 0
    # a relation name of the technical part is in the page but not visible until the part is opened
    name = page.locator("code", has_text="maand_stromen").first
    expect(name).to_be_hidden()
    page.locator("summary", has_text="Technisch").nth(3).click()
    expect(page.locator("details[open]")).to_have_count(1)
    # the anchors other pages link to are in the page, outside the collapsed parts
    for anchor in ("instroom", "wachttijd-toewijzing-start", "signaal-overlap", "kleine-aantallen"):
        assert page.locator(f'a[id="{anchor}"]').count() == 1, anchor  # (a heading may carry the id too)
        assert page.locator(f'details [id="{anchor}"]').count() == 0, anchor
