"""Browser tests: the served app on loopback, driven by Playwright with Debian's chromium.

Never `playwright install` (it cannot download here): the browser is /usr/bin/chromium, installed by
scripts/setup.sh --browser. The server fixture starts `streamlit run` on a free loopback port against a
database built through the real build, and waits for the health endpoint.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines import settings
from tools import devserver

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"


def _chromium() -> str | None:
    return settings.chromium_path()  # KETENMONITOR_CHROMIUM, else chromium on PATH


@pytest.fixture(scope="session")
def app_url(app_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    try:
        proc, url = devserver.start(app_db, log, timeout_s=60)
    except devserver.ServerError as exc:
        pytest.fail(str(exc))
    yield url
    devserver.stop(proc)


@pytest.fixture(scope="session")
def browser():
    chromium = _chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (scripts/setup.sh --browser installs it)")
        pytest.skip("chromium is not installed (run scripts/setup.sh --browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=chromium,
            args=devserver.CHROMIUM_ARGS,
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    p = context.new_page()
    yield p
    context.close()


def wait_for_app(page, timeout_ms: int = 30_000) -> None:
    """Wait until the script run has finished (no running indicator) and the app is drawn."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && document.querySelector('[data-testid="stMainBlockContainer"]');
        }""",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(300)


def wait_for_metrics(
    page, minimum: int, differ_from: list[str] | None = None, timeout_ms: int = 60_000
) -> list[str]:
    """Wait for the content, not for a state that can pass early: the run has ended, at least `minimum`
    metric cards are drawn and each shows a value (and, with `differ_from`, the values are not those any
    more), then the same values are read twice 300 ms apart. Returns the values; a timeout fails the test.

    The script state alone can read "notRunning" before a rerun has started (after a click) or before the
    first run has drawn anything (after a reload): reading the metrics then gave stale or empty values."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        remaining = max(1, int((deadline - time.monotonic()) * 1000))
        page.wait_for_function(
            """([minimum, before]) => {
                const app = document.querySelector('[data-testid="stApp"]');
                if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
                if (document.querySelector('[data-stale="true"]')) return false;
                const values = [...document.querySelectorAll('[data-testid="stMetricValue"]')]
                    .map(e => e.innerText.trim());
                if (values.length < minimum || values.some(v => v === '')) return false;
                return before === null || JSON.stringify(values) !== JSON.stringify(before);
            }""",
            arg=[minimum, differ_from],
            timeout=remaining,
        )
        first = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        page.wait_for_timeout(300)
        second = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        if first == second:
            return second
        if time.monotonic() > deadline:
            raise AssertionError(f"the metric cards did not settle: {first} then {second}")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def oidc_provider():
    """A local OIDC identity provider (oidc-provider-mock) for the login tests; see tests/e2e/oidc.py."""
    from tests.e2e import oidc

    with oidc.provider() as issuer:
        yield issuer
