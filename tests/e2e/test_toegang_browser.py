"""Access by role (issue 16) in a real browser: the served dashboard with `[auth]`, logged in through the
local OIDC provider (tests/e2e/oidc.py) as each role of a roles file in tmp, walking every page, tab, direct
URL, CSV download and the session report.

What each role may see is written out here from the issue (as tests/app/test_toegang.py does), not taken
from pipelines/toegang.py. The partner's organisation, the team manager's team and another team are read from
the test database with duckdb. Everything the browser receives is scanned: the visible text of the main area
and the sidebar, every websocket frame the server sends (the charts' and tables' data, tooltips included,
arrive there as Arrow) and every downloaded file. A chain partner and a team manager must receive no other
provider's name or AGB code, a team manager no other team's name; the contract manager receives them (so
the scan can fail). Refusals are read back from the audit log in the store.
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pipelines.store import open_store
from tests.app.conftest import PAGE_FILES, TABS
from tests.app.scan import real_providers, rol_feiten
from tests.e2e import oidc
from tests.e2e.conftest import REPO, wait_for_app

pytestmark = [pytest.mark.e2e, *oidc.QUIET_PROVIDER]

CM = "cm@regio.example"
PARTNER = "partner@aanbieder.example"
TM = "tm@wijkteam.example"
TM_SUB = "tm-sub-42"  # the team manager logs in with a sub that differs from the e-mail (as with Entra ID)
VREEMDE = "vreemde@elders.example"

# url path ("" is the start page) -> page file (for the tab headings of tests/app/conftest.TABS)
PAGINAS = {("" if pad == "overzicht" else pad): bestand for pad, bestand in PAGE_FILES.items()}
# the issue: the contract manager everything; a chain partner the regional pages, the learning session and
# its report (no caseload: no teams of its own in this roles file); a team manager its team's caseload and
# the regional pages
MAG = {
    CM: set(PAGINAS),
    PARTNER: set(PAGINAS) - {"caseload"},
    TM: set(PAGINAS) - {"leersessie", "verslag"},
}
DATAPAGINAS = {"", "stromen", "wachttijden", "caseload", "signalen", "vooruitblik"}  # each offers a CSV
NAMEN = {CM: "Carla Contract", PARTNER: "Piet Partner", TM: "Tineke Team"}
ROL_LABEL = {CM: "Contractmanager", PARTNER: "Ketenpartner", TM: "Teammanager"}

MAIN = '[data-testid="stMain"]'
SIDEBAR = '[data-testid="stSidebar"]'
FIGUREN = (  # what a page of figures draws
    '[data-testid="stVegaLiteChart"], [data-testid="stMetric"], [data-testid="stDataFrame"], '
    '[data-testid="stTable"], [data-testid="stDownloadButton"]'
)
_SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]')
        && document.querySelector('[data-testid="stMainBlockContainer"] h1');
}"""


# -- the region, the roles file, the store and the served app ----------------------------------------------


@dataclass
class Regio:
    url: str
    store: Path
    org: str  # the partner's organisation (AGB code)
    eigen_naam: str  # its name
    team: str  # the team manager's team (code, name)
    team_naam: str
    ander: str  # another team (code, name)
    ander_naam: str
    namen: set[str]  # every provider name and code in the database
    codes: set[str]
    ander_aanbieder: str  # another provider's name, in a note and an annotation the contract manager wrote

    @property
    def andere_namen(self) -> set[str]:
        return self.namen - {self.eigen_naam}

    @property
    def andere_codes(self) -> set[str]:
        return self.codes - {self.org}


@pytest.fixture(scope="module")
def regio(app_db, oidc_provider, tmp_path_factory: pytest.TempPathFactory):
    workdir = tmp_path_factory.mktemp("toegang_browser")
    f = rol_feiten(app_db)
    org, eigen_naam, team, team_naam, ander, ander_naam = (
        f.org,
        f.org_naam,
        f.team,
        f.team_naam,
        f.ander,
        f.ander_naam,
    )
    namen, codes = real_providers(app_db)
    rollen = workdir / "rollen.toml"
    rollen.write_text(
        f"""
[[gebruiker]]
email = "{CM}"
naam = "{NAMEN[CM]}"
rol = "contractmanager"

[[gebruiker]]
email = "{PARTNER}"
naam = "{NAMEN[PARTNER]}"
rol = "ketenpartner"
organisatie = "{org}"

[[gebruiker]]
email = "{TM}"
sub = "{TM_SUB}"
naam = "{NAMEN[TM]}"
rol = "teammanager"
teams = ["{team}"]
""",
        encoding="utf-8",
    )
    store_pad = workdir / "store.sqlite"
    # a note and an annotation that name another provider (written by the contract manager): the partner's
    # pages and report must show them under the pseudonym
    ander_aanbieder = sorted(namen - {eigen_naam})[0]
    store = open_store(store_pad)
    store.save_note("stromen.instroom_uitstroom", 1, f"Wachtlijst bij {ander_aanbieder} groeit", NAMEN[CM])
    store.add_annotation(date(2025, 3, 1), f"Nieuw contract {ander_aanbieder}", "", "contract", NAMEN[CM])
    env = {
        "KETENMONITOR_ROLLEN": str(rollen),
        "KETENMONITOR_STORE": str(store_pad),
        "KETENMONITOR_SNAPSHOTS": str(workdir / "snapshots"),
    }
    with oidc.serve(REPO / "dashboard" / "app.py", oidc_provider, workdir, db=app_db, env=env) as url:
        yield Regio(
            url=url,
            store=store_pad,
            org=org,
            eigen_naam=eigen_naam,
            team=team,
            team_naam=team_naam,
            ander=ander,
            ander_naam=ander_naam,
            namen=namen,
            codes=codes,
            ander_aanbieder=ander_aanbieder,
        )


@dataclass
class Ontvangen:
    """Everything the browser received: websocket frames from the server, downloaded files, visible texts."""

    frames: list[bytes] = field(default_factory=list)
    bestanden: dict[str, bytes] = field(default_factory=dict)
    teksten: dict[str, str] = field(default_factory=dict)
    views: list[tuple[str, int]] = field(default_factory=list)  # (view, index of its first frame)

    def reset(self) -> None:
        self.frames.clear()
        self.bestanden.clear()
        self.teksten.clear()
        self.views.clear()

    def begin(self, view: str) -> None:
        """The frames from now on belong to `view` (a page opened or a tab clicked)."""
        self.views.append((view, len(self.frames)))

    def _per_view(self) -> list[tuple[str, bytes]]:
        grenzen = [("/ (na het inloggen)", 0), *self.views, ("", len(self.frames))]
        return [
            (view, b"\n".join(self.frames[start:eind]))
            for (view, start), (_, eind) in itertools.pairwise(grenzen)
        ]

    def lekken(self, namen: set[str], codes: set[str]) -> dict[str, list[str]]:
        """Where each of `namen` and `codes` was received: 'websocket', a file name, or a view's text."""
        out: dict[str, list[str]] = {}
        per_view = self._per_view()
        for n in sorted(namen | codes):
            waar = [f"websocket {view}" for view, data in per_view if n.encode("utf-8") in data]
            waar += [k for k, data in self.bestanden.items() if n.encode("utf-8") in data]
            waar += [
                f"{k}: …{t[max(0, t.index(n) - 80) : t.index(n) + 40]}…"
                for k, t in self.teksten.items()
                if n in t
            ]
            if waar:
                out[n] = waar
        return out


@pytest.fixture(scope="module")
def browser_page(browser):
    """One browser (one person at one desk) for the whole module: the roles log in and out in turn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    ontvangen = Ontvangen()

    def on_ws(ws):
        ws.on(
            "framereceived",
            lambda payload: ontvangen.frames.append(
                payload if isinstance(payload, bytes) else payload.encode("utf-8")
            ),
        )

    page.on("websocket", on_ws)
    yield page, ontvangen
    context.close()


# -- reading the page ---------------------------------------------------------------------------------------


def settled_text(page, timeout_s: float = 90) -> str:
    """The main area's and the sidebar's text once the run has ended, nothing is stale, a title is drawn,
    and the text stays the same for a second."""
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        page.wait_for_function(_SETTLED, timeout=int(timeout_s * 1000))
        sidebar = page.locator(SIDEBAR)
        text = page.locator(MAIN).inner_text() + "\n" + (sidebar.inner_text() if sidebar.count() else "")
        if text == last:
            return text
        last = text
        page.wait_for_timeout(1000)
    raise AssertionError(f"{page.url}: the page did not settle")


def open_pad(page, url: str, pad: str, query: str = "", ontvangen: Ontvangen | None = None) -> str:
    if ontvangen is not None:
        ontvangen.begin(f"/{pad}{query}")
    page.goto(f"{url}/{pad}{query}")
    wait_for_app(page, 60_000)
    return settled_text(page)


def title(page) -> str:
    return page.locator(f"{MAIN} h1").first.inner_text().strip()


def no_exception(page, where: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, where
    assert "Traceback" not in page.locator(MAIN).inner_text(), where


def nav_paths(page) -> set[str]:
    """The url paths of the sidebar navigation's links ("" the start page)."""
    hrefs = page.locator('[data-testid="stSidebarNav"] a').evaluate_all("els => els.map(e => e.href)")
    return {re.sub(r"^https?://[^/]+/?", "", h).split("?")[0].strip("/") for h in hrefs}


def login_screen_only(page, where: str) -> None:
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_be_visible(timeout=30_000)
    assert title(page) == "Ketenmonitor", where
    assert page.locator(FIGUREN).count() == 0, where
    assert page.locator(f'{SIDEBAR} [data-testid="stSelectbox"], {SIDEBAR} input').count() == 0, where
    assert page.locator('[data-testid="stSidebarNav"] a').count() == 0, where


def download_csvs(page, into: Ontvangen, naam: str, tmp: Path) -> int:
    """Click every CSV button of the open view and keep the files; returns how many."""
    buttons = page.locator(f'{MAIN} [data-testid="stDownloadButton"] button', has_text="CSV")
    n = buttons.count()
    for i in range(n):
        with page.expect_download(timeout=60_000) as info:
            buttons.nth(i).click()
        path = tmp / f"{len(into.bestanden):03d}.csv"
        info.value.save_as(path)
        into.bestanden[f"{naam} csv {i + 1} ({info.value.suggested_filename})"] = path.read_bytes()
    return n


# -- the walk of one role -----------------------------------------------------------------------------------


def walk_page(page, regio: Regio, pad: str, ontvangen: Ontvangen, tmp: Path) -> list[str]:
    """Open an allowed page, then click each of its tabs; download every CSV of every view. Returns the
    views walked ("pad" or "pad › tab")."""
    naam = pad or "overzicht"
    text = open_pad(page, regio.url, pad, ontvangen=ontvangen)
    assert title(page) not in ("Geen toegang", "Ketenmonitor", ""), (naam, title(page))
    no_exception(page, naam)
    ontvangen.teksten[naam] = text
    csvs = download_csvs(page, ontvangen, naam, tmp)
    views = [naam]
    tabs = page.locator(f'{MAIN} [role="tab"]')
    labels = tabs.all_inner_texts()
    koppen = {
        label: kop
        for tab_page, kopjes in TABS.values()
        for label, kop in kopjes.items()
        if tab_page == PAGINAS[pad]
    }
    for label in [t.strip() for t in labels]:
        tab = page.get_by_role("tab", name=label, exact=True)
        if tab.get_attribute("aria-selected") == "true":
            continue
        ontvangen.begin(f"/{pad} › {label}")
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        kop = koppen.get(label)
        assert kop, f"{naam}: a tab {label!r} that tests/app/conftest.TABS does not know"
        expect(page.locator(MAIN)).to_contain_text(kop, timeout=60_000)
        text = settled_text(page)
        no_exception(page, f"{naam} › {label}")
        ontvangen.teksten[f"{naam} › {label}"] = text
        csvs += download_csvs(page, ontvangen, f"{naam} › {label}", tmp)
        views.append(f"{naam} › {label}")
    if pad in DATAPAGINAS:
        assert csvs, f"{naam}: no CSV download"
    return views


def refused_page(page, regio: Regio, pad: str, ontvangen: Ontvangen) -> None:
    text = open_pad(page, regio.url, pad, ontvangen=ontvangen)
    assert title(page) == "Geen toegang", (pad, title(page))
    no_exception(page, pad)
    assert page.locator(FIGUREN).count() == 0, pad
    ontvangen.teksten[f"{pad} (geweigerd)"] = text


def audit(regio: Regio) -> list[tuple[str, str, str]]:
    return [(r.wie, r.actie, r.onderwerp) for r in reversed(open_store(regio.store).list_audit())]


def session_report(page, regio: Regio, ontvangen: Ontvangen, tmp: Path) -> str:
    """On /verslag add a chart to the report in the multiselect and download the report as HTML."""
    open_pad(page, regio.url, "verslag", ontvangen=ontvangen)
    keuze = page.locator(f'{MAIN} [data-testid="stMultiSelect"]').first
    voor = keuze.inner_text()
    keuze.click()
    ontvangen.begin("/verslag › grafiek gekozen")
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"verslag_grafieken="), timeout=30_000)
    expect(keuze).not_to_have_text(voor, timeout=30_000)
    ontvangen.teksten["verslag (gekozen)"] = settled_text(page)
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="Download verslag (HTML)")
    expect(button).to_be_enabled(timeout=30_000)
    with page.expect_download(timeout=90_000) as info:
        button.click()
    path = tmp / "sessieverslag.html"
    info.value.save_as(path)
    html = path.read_bytes()
    ontvangen.bestanden["sessieverslag.html"] = html
    no_exception(page, "verslag")
    return html.decode("utf-8")


def walk_role(page, ontvangen: Ontvangen, regio: Regio, email: str, tmp: Path, sub: str | None = None):
    open_pad(page, regio.url, "")
    login_screen_only(page, "before the login")
    ontvangen.reset()
    voor = len(audit(regio))
    oidc.login(page, email, sub)
    try:
        text = settled_text(page)
        assert f"{NAMEN[email]} — {ROL_LABEL[email]}" in text, text[-400:]
        assert nav_paths(page) == MAG[email], nav_paths(page) ^ MAG[email]
        # the snapshot expander on Overzicht is the contract manager's alone
        momentopname = page.locator(f"{MAIN} summary", has_text="Momentopname maken").count()
        assert momentopname == (1 if email == CM else 0), momentopname

        gezien: list[str] = []
        for pad in sorted(MAG[email]):
            gezien += walk_page(page, regio, pad, ontvangen, tmp)
        geweigerd = sorted(set(PAGINAS) - MAG[email])
        for pad in geweigerd:
            refused_page(page, regio, pad, ontvangen)
        verwacht = {("geweigerd", f"pagina /{p}") for p in geweigerd}

        # direct URLs with a choice outside the role
        lijst = open_pad(page, regio.url, "signalen", "?signaal_weergave=Lijst+per+signaal", ontvangen)
        ontvangen.teksten["signalen?signaal_weergave=Lijst per signaal"] = lijst
        no_exception(page, "signalen lijst")
        if email == CM:
            expect(page.locator(MAIN)).to_contain_text("Lijst: ", timeout=60_000)
            gezien.append("signalen › Lijst per signaal (link)")
        else:
            assert page.get_by_role("tab", name="Lijst per signaal").count() == 0
            assert "De lijst per kind ziet alleen de contractmanager." in lijst
            assert not re.search(r"^Lijst: ", page.locator(MAIN).inner_text(), re.M)
            verwacht.add(("geweigerd", "signalen: lijst per kind"))
            geweigerd.append("signalen › Lijst per signaal (link)")
        if email != TM:  # providers ranked by name (pseudonyms for the partner)
            ontvangen.teksten["wachttijden?rangorde_dimensie=aanbieder"] = open_pad(
                page, regio.url, "wachttijden", "?rangorde_dimensie=aanbieder", ontvangen
            )
            no_exception(page, "wachttijden rangorde aanbieder")
            download_csvs(page, ontvangen, "wachttijden rangorde aanbieder", tmp)
            gezien.append("wachttijden?rangorde_dimensie=aanbieder")
        if email == TM:  # another team by link: the own team stays chosen
            text = open_pad(page, regio.url, "caseload", f"?caseload_team={regio.ander}", ontvangen)
            ontvangen.teksten["caseload?caseload_team=<ander team>"] = text
            no_exception(page, "caseload ander team")
            assert "onbekend team" in text, text[:500]
            geweigerd.append("caseload?caseload_team=<ander team> (notice, own team shown)")
        if "verslag" in MAG[email]:
            html = session_report(page, regio, ontvangen, tmp)
            gezien.append("verslag › Download verslag (HTML)")
        else:
            html = None

        nieuw = [a for a in audit(regio)[voor:] if a[1] == "geweigerd"]
        assert {a[1:] for a in nieuw} == verwacht, {a[1:] for a in nieuw} ^ verwacht
        assert all(email in a[0] for a in nieuw), nieuw
        # for the closing note of issue 16 (shown with -s)
        print(f"\n== {ROL_LABEL[email]} ({email}): {len(ontvangen.bestanden)} downloads")
        print("  gezien:", ", ".join(gezien))
        print("  geweigerd:", ", ".join(geweigerd))
        return html
    finally:
        oidc.logout(page)
        open_pad(page, regio.url, "caseload")
        login_screen_only(page, "after the logout")


# -- the tests ----------------------------------------------------------------------------------------------


def test_without_a_login_every_page_shows_only_the_login_screen(browser_page, regio):
    page, ontvangen = browser_page
    ontvangen.reset()
    for pad in [*PAGINAS, "overzicht"]:
        text = open_pad(page, regio.url, pad, ontvangen=ontvangen)
        login_screen_only(page, pad)
        assert "Log in met het account van uw organisatie" in text, (pad, text)
        no_exception(page, pad)
        ontvangen.teksten[pad] = text
    assert not ontvangen.lekken(regio.namen, regio.codes)
    assert not ontvangen.lekken({regio.ander_naam}, set())


def test_the_contract_manager_walks_everything_and_sees_every_provider(browser_page, regio, tmp_path):
    page, ontvangen = browser_page
    html = walk_role(page, ontvangen, regio, CM, tmp_path)
    # the scans below can fail: the contract manager receives the names and codes the others must not
    lekken = ontvangen.lekken(regio.andere_namen, regio.andere_codes)
    assert regio.andere_namen & set(lekken) and regio.andere_codes & set(lekken), lekken
    assert any(k.endswith(".csv)") for w in lekken.values() for k in w), lekken  # in a CSV too
    assert ontvangen.lekken({regio.ander_naam}, set()), "the other team's name reached the contract manager"
    assert f"Wachtlijst bij {regio.ander_aanbieder}" in html


def test_a_chain_partner_sees_other_providers_only_under_a_pseudonym(browser_page, regio, tmp_path):
    page, ontvangen = browser_page
    html = walk_role(page, ontvangen, regio, PARTNER, tmp_path)
    assert "Wachtlijst bij Aanbieder" in html and "Nieuw contract Aanbieder" in html, html[:2000]
    assert ontvangen.lekken({regio.eigen_naam}, set())  # the own organisation by name
    assert ontvangen.lekken({"Aanbieder A", "Aanbieder B"}, set())  # the others under their pseudonym
    lekken = ontvangen.lekken(regio.andere_namen, regio.andere_codes)
    assert not lekken, lekken


def test_a_team_manager_sees_only_their_own_team(browser_page, regio, tmp_path):
    page, ontvangen = browser_page
    walk_role(page, ontvangen, regio, TM, tmp_path, sub=TM_SUB)
    lekken = ontvangen.lekken(regio.andere_namen, regio.andere_codes)
    assert not lekken, lekken
    assert not ontvangen.lekken({regio.ander_naam}, set())
    assert regio.team_naam in ontvangen.teksten["caseload"]


def test_an_identity_without_a_role_sees_the_refusal_and_no_figures(browser_page, regio):
    page, ontvangen = browser_page
    open_pad(page, regio.url, "")
    login_screen_only(page, "before the login")
    ontvangen.reset()
    voor = len(audit(regio))
    oidc.login(page, VREEMDE)
    try:
        for pad in ("", "caseload", "signalen"):
            text = open_pad(page, regio.url, pad, ontvangen=ontvangen)
            assert "geen rol in Ketenmonitor" in text, (pad, text)
            assert page.locator(FIGUREN).count() == 0, pad
            assert page.locator('[data-testid="stSidebarNav"] a').count() == 0, pad
            ontvangen.teksten[pad] = text
        assert not ontvangen.lekken(regio.namen, regio.codes)
        nieuw = audit(regio)[voor:]
        assert (VREEMDE, "geweigerd", "inlog: niet in het rollenbestand") in nieuw, nieuw
    finally:
        oidc.logout(page)
        open_pad(page, regio.url, "")
        login_screen_only(page, "after the logout")
