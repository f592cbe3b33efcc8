"""Screenshots of every page (and tab) at the review sizes, and each page printed to PDF (A4 landscape).

For a human review of the dashboard (issue 13: "look at every page at 1440×900 and 1024×768 and at the
printed PDF"). Serves the app on a database through tools/devserver.py, drives Debian's chromium with
Playwright and writes PNGs and PDFs into --out (default artifacts/screenshots/review).

    .venv/bin/python -m tools.screenshots --db data/ketenmonitor.duckdb
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from pipelines import settings
from tools import devserver

REPO = Path(__file__).resolve().parent.parent

SIZES = {"1440x900": (1440, 900), "1024x768": (1024, 768)}
# path + query -> file stem: every page, and the tabs a reader opens most
VIEWS_ALL = {
    "overzicht": "overzicht",
    "overzicht?overzicht_grafiek=Datadekking": "overzicht-datadekking",
    "stromen": "stromen",
    "stromen?stromen_grafiek=Routes": "stromen-routes",
    "wachttijden": "wachttijden",
    "caseload": "caseload",
    "caseload?caseload_grafiek=Factoren": "caseload-factoren",
    "signalen": "signalen",
    "definities": "definities",
}


VIEWS = VIEWS_ALL


def _wait(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && document.querySelector('[data-testid="stMainBlockContainer"]')
                && !document.querySelector('[data-stale="true"]');
        }""",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)  # vega draws after the run has ended


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--alleen", nargs="*", help="only these views (file stems), e.g. stromen")
    parser.add_argument("--out", type=Path, default=REPO / "artifacts" / "screenshots" / "review")
    args = parser.parse_args(argv)
    chromium = settings.chromium_path()
    if chromium is None:
        print("chromium ontbreekt: bash scripts/setup.sh --browser", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = devserver.start(args.db.resolve(), Path(tmp) / "server.log")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=devserver.CHROMIUM_ARGS)
                for size, (w, h) in SIZES.items():
                    context = browser.new_context(viewport={"width": w, "height": h})
                    page = context.new_page()
                    for path, stem in VIEWS.items():
                        if args.alleen and stem not in args.alleen:
                            continue
                        page.goto(f"{url}/{path}")
                        _wait(page)
                        page.screenshot(path=str(args.out / f"{stem}-{size}.png"))  # what one sees
                        # the whole page: Streamlit scrolls inside its main container, so full_page alone
                        # stops at the viewport; grow the viewport to the content for one shot
                        tall = page.evaluate(
                            "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
                        )
                        page.set_viewport_size({"width": w, "height": max(h, int(tall))})
                        page.wait_for_timeout(800)
                        page.screenshot(path=str(args.out / f"{stem}-{size}-heel.png"))
                        page.set_viewport_size({"width": w, "height": h})
                        if size == "1440x900" and "?" not in path:
                            page.emulate_media(media="print")
                            page.pdf(
                                path=str(args.out / f"{stem}.pdf"),
                                prefer_css_page_size=True,
                                print_background=True,
                            )
                            # the print layout as an image too (A4 landscape at 96 dpi: 1123 px wide), for a
                            # reviewer without a PDF viewer
                            page.set_viewport_size({"width": 1123, "height": 794})
                            page.wait_for_timeout(800)
                            high = page.evaluate("() => document.documentElement.scrollHeight")
                            page.set_viewport_size({"width": 1123, "height": max(794, int(high))})
                            page.wait_for_timeout(800)
                            page.screenshot(path=str(args.out / f"{stem}-afdruk.png"))
                            page.set_viewport_size({"width": w, "height": h})
                            page.emulate_media(media="screen")
                        print(f"{stem} {size}", flush=True)
                    context.close()
                browser.close()
        finally:
            devserver.stop(proc)
    print(f"geschreven in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
