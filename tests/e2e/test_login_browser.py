"""The login machinery of tests/e2e/oidc.py, proven on a minimal app: st.login through the local OIDC
provider in a real browser, two identities in turn, and st.logout back to the login screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e import oidc
from tests.e2e.conftest import wait_for_app

pytestmark = [pytest.mark.e2e, *oidc.QUIET_PROVIDER]

MINIMAL_APP = """
import streamlit as st

if not st.user.is_logged_in:
    st.button("Inloggen", on_click=st.login, type="primary", icon=":material/login:")
else:
    st.write(f"Ingelogd als {st.user.email} (sub {st.user.sub})")
    st.sidebar.button("Uitloggen", on_click=st.logout, icon=":material/logout:")
"""


@pytest.fixture(scope="module")
def login_app_url(oidc_provider, tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("login_app")
    script = workdir / "minimal_login_app.py"
    script.write_text(MINIMAL_APP, encoding="utf-8")
    with oidc.serve(script, oidc_provider, workdir) as url:
        yield url


def _text(page) -> str:
    return page.locator('[data-testid="stMainBlockContainer"]').inner_text()


def test_two_users_log_in_and_out_in_turn(page, login_app_url):
    page.goto(login_app_url)
    wait_for_app(page)
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_be_visible()
    assert "Ingelogd als" not in _text(page)

    # The first identity: sub differs from the e-mail (as with Entra ID), so the e-mail must come from the claim.
    oidc.login(page, "a.jansen@gemeente.example", sub="sub-a-0001")
    expect(page.get_by_text("Ingelogd als a.jansen@gemeente.example (sub sub-a-0001)")).to_be_visible()
    assert page.url.rstrip("/") == login_app_url

    oidc.logout(page)
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_be_visible()
    assert "a.jansen" not in _text(page)

    oidc.login(page, "b.de.vries@zorgaanbieder.example")
    expect(
        page.get_by_text(
            "Ingelogd als b.de.vries@zorgaanbieder.example (sub b.de.vries@zorgaanbieder.example)"
        )
    ).to_be_visible()
    assert "a.jansen" not in _text(page)

    oidc.logout(page)
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_be_visible()


def test_the_login_survives_a_reload_and_ends_with_the_logout(page, login_app_url):
    """The identity lives in the signed cookie, not in the session: a reload keeps it, a logout removes it."""
    page.goto(login_app_url)
    wait_for_app(page)
    oidc.login(page, "c.smit@wijkteam.example", sub="sub-c-0003")
    page.reload()
    expect(page.get_by_text("Ingelogd als c.smit@wijkteam.example")).to_be_visible()
    oidc.logout(page)
    page.goto(login_app_url)
    wait_for_app(page)
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_be_visible()
    assert "c.smit" not in _text(page)


def test_two_users_at_once_each_see_their_own_identity(browser, login_app_url):
    """Two browser contexts (two people) logged in at the same time: each keeps its own identity."""
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    try:
        pages = [c.new_page() for c in contexts]
        for p, email in zip(pages, ["d.mulder@gemeente.example", "e.bos@jeugdzorg.example"], strict=True):
            p.goto(login_app_url)
            wait_for_app(p)
            oidc.login(p, email)
        for p in pages:
            p.reload()
            wait_for_app(p)
        expect(pages[0].get_by_text("Ingelogd als d.mulder@gemeente.example")).to_be_visible()
        expect(pages[1].get_by_text("Ingelogd als e.bos@jeugdzorg.example")).to_be_visible()
        assert "e.bos" not in _text(pages[0]) and "d.mulder" not in _text(pages[1])
    finally:
        for c in contexts:
            c.close()
