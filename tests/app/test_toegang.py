"""Access by role (issue 16) on the real router and pages, against a database built by the real build, with
its own roles file and store in tmp (KETENMONITOR_ROLLEN, KETENMONITOR_STORE).

What each role may see is written out here from the issue, not taken from pipelines/toegang.py: every page
for every role (allowed: it renders; refused: not in the navigation, its URL gives "Geen toegang", and the
refusal is in the audit log); a team manager never sees another team's figures; a chain partner sees every
other provider only under a pseudonym (names and codes read from the database with duckdb), on every page,
tab and download and in the session report; only the contract manager sees the list per child and makes
snapshots; the login mode (st.login, `[auth]` in the secrets) shows nothing without a known identity.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from dashboard.filtermodel import ALLE
from pipelines.store import open_store
from tests.app import uitext
from tests.app.conftest import PAGE_FILES, REPO, capture_downloads, capture_pngs, tab_views
from tests.app.scan import all_text, leaks, real_providers, rol_feiten

CM = "cm@regio.example"
PARTNER = "partner@aanbieder.example"
TM = "tm@wijkteam.example"

# url path -> page file; the start page is served at the root ("start": its internal path)
PAGINAS = {("start" if pad == "overzicht" else pad): bestand for pad, bestand in PAGE_FILES.items()}
# the issue: the contract manager everything; a chain partner the regional pages and the learning session
# (no caseload: no teams of its own in this file); a team manager its team's caseload and the regional pages
MAG = {
    CM: set(PAGINAS),
    PARTNER: set(PAGINAS) - {"caseload"},
    TM: set(PAGINAS) - {"leersessie", "verslag"},
}


@pytest.fixture
def rollen(use_db, tmp_path, monkeypatch):
    """A roles file with one user per role, and a store, both in tmp."""
    feiten = rol_feiten(use_db)
    org, team, ander, ander_naam, signaal = (
        feiten.org,
        feiten.team,
        feiten.ander,
        feiten.ander_naam,
        feiten.signaal,
    )
    pad = tmp_path / "rollen.toml"
    pad.write_text(
        f"""
[[gebruiker]]
email = "{CM}"
naam = "Carla Contract"
rol = "contractmanager"

[[gebruiker]]
email = "{PARTNER}"
naam = "Piet Partner"
rol = "ketenpartner"
organisatie = "{org}"

[[gebruiker]]
email = "{TM}"
sub = "tm-sub-42"
naam = "Tineke Team"
rol = "teammanager"
teams = ["{team}"]
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("KETENMONITOR_ROLLEN", str(pad))
    monkeypatch.setenv("KETENMONITOR_STORE", str(tmp_path / "store.sqlite"))
    return {
        "db": use_db,
        "org": org,
        "team": team,
        "ander": ander,
        "ander_naam": ander_naam,
        "signaal": signaal,
        "org_naam": feiten.org_naam,
    }


def open_as(email: str, pad: str, query: dict[str, str] | None = None):
    """The app opened at /`pad` by the demo mode's user `email`, as a link `/<pad>?als=<email>` opens it."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120)
    for key, value in {"als": email, **(query or {})}.items():
        at.query_params[key] = value
    at.context = {"url": f"http://localhost:8501/{'' if pad == 'start' else pad}"}
    at.switch_page(PAGINAS[pad])
    at.run()
    return at


def _nav(at) -> set[str]:
    """The url paths of the pages in this run's navigation (the router keeps its visible list in the session
    for the "not found" page's links)."""
    return {p.url_path or "start" for p in at.session_state["_paginas"]}  # the start page: the root, ""


def _audit() -> list[tuple[str, str, str]]:
    return [(r.wie, r.actie, r.onderwerp) for r in open_store().list_audit()]


@pytest.mark.parametrize("email", [CM, PARTNER, TM])
@pytest.mark.parametrize("pad", list(PAGINAS))
def test_every_page_for_every_role(rollen, email, pad):
    voor = _audit()
    at = open_as(email, pad)
    assert not at.exception, [e.value for e in at.exception]
    titels = [t.value for t in at.title]
    if pad in MAG[email]:
        assert titels and titels[0] != "Geen toegang", titels
        assert not [e.value for e in at.error if "Geen toegang" in e.value]
        assert _audit() == voor  # nothing refused
    else:
        assert titels == ["Geen toegang"], titels
        nieuw = _audit()[: len(_audit()) - len(voor)]
        assert len(nieuw) == 1 and nieuw[0][1:] == ("geweigerd", f"pagina /{pad}"), nieuw
        assert email in nieuw[0][0]
        # nothing of the page's figures: no table, no chart
        assert not at.dataframe and not at.get("arrow_vega_lite_chart")


@pytest.mark.parametrize("email", [CM, PARTNER, TM])
def test_the_navigation_lists_exactly_the_roles_pages(rollen, email):
    registered = _nav(open_as(email, "start"))
    assert registered == MAG[email], registered ^ MAG[email]


def test_the_demo_mode_is_marked_and_names_who_is_looking(rollen):
    at = open_as(TM, "start")
    banner = [w.value for w in at.sidebar.warning]
    assert banner and banner[0].startswith("**Demomodus**"), banner
    assert at.sidebar.selectbox(key="demo_als").value == TM
    # an unknown user in the link: the first user of the file, and a notice
    at = open_as("niemand@nergens.example", "start")
    assert at.sidebar.selectbox(key="demo_als").value == CM
    assert any("onbekende gebruiker" in w.value for w in at.warning)


def test_no_demo_mode_when_it_is_switched_off(rollen, monkeypatch):
    monkeypatch.setenv("KETENMONITOR_DEMO", "nee")
    at = open_as(CM, "start")
    assert [e.value for e in at.error] and "vereist inloggen" in at.error[0].value
    assert not at.dataframe and not at.get("arrow_vega_lite_chart") and not at.metric


# -- team manager: never another team's figures -----------------------------------------------------------------


def _team_views() -> list[tuple[str, dict[str, str]]]:
    out = []
    for pad in ("start", "caseload", "vooruitblik", "signalen"):
        out += [(pad, v) for v in tab_views(PAGINAS[pad])]
    return out


def test_a_team_manager_sees_only_their_own_team_on_every_page_tab_and_download(rollen, monkeypatch):
    captured = capture_downloads(monkeypatch)
    ander, ander_naam = rollen["ander"], rollen["ander_naam"]
    gezien_eigen = False
    for pad, view in _team_views():
        at = open_as(TM, pad, view)
        assert not at.exception, (pad, view, [e.value for e in at.exception])
        text = all_text(at)
        assert ander_naam not in text and f"'{ander}'" not in text, (pad, view)
        gezien_eigen |= rollen["team"] in text
    assert gezien_eigen
    assert captured
    for data in captured:
        assert ander_naam not in data.decode("utf-8-sig")
    # the scan can fail: the contract manager's caseload page names the other team
    assert ander_naam in all_text(open_as(CM, "caseload"))


def test_a_team_manager_cannot_ask_for_another_team_by_link(rollen):
    voor = len(_audit())
    at = open_as(TM, "caseload", {"caseload_team": rollen["ander"]})
    assert not at.exception
    assert at.selectbox(key="caseload_team").value == rollen["team"]
    assert at.selectbox(key="caseload_team").options == [
        at.selectbox(key="caseload_team").format_func(rollen["team"])
    ]
    assert any("onbekend team" in w.value for w in at.warning)
    assert rollen["ander_naam"] not in all_text(at)
    assert len(_audit()) == voor  # an unknown choice, not a refusal: nothing of the team was asked for


# -- chain partner: other providers only under a pseudonym ---------------------------------------------------


def _partner_views() -> list[tuple[str, dict[str, str]]]:
    out = []
    for pad in sorted(MAG[PARTNER]):
        out += [(pad, v) for v in tab_views(PAGINAS[pad])]
    out.append(("wachttijden", {"rangorde_dimensie": "aanbieder"}))
    return out


def test_a_chain_partner_sees_other_providers_only_under_a_pseudonym(rollen, monkeypatch):
    names, codes = real_providers(rollen["db"])
    eigen_naam = rollen["org_naam"]
    anderen_namen, anderen_codes = names - {eigen_naam}, codes - {rollen["org"]}
    captured = capture_downloads(monkeypatch)
    pngs, _saved = capture_pngs(monkeypatch)
    eigen_gezien = pseudoniem_gezien = False
    for pad, view in _partner_views():
        at = open_as(PARTNER, pad, view)
        assert not at.exception, (pad, view, [e.value for e in at.exception])
        text = all_text(at)
        assert not leaks(text, anderen_namen, anderen_codes), (
            pad,
            view,
            leaks(text, anderen_namen, anderen_codes),
        )
        eigen_gezien |= eigen_naam in text
        pseudoniem_gezien |= "Aanbieder A" in text or "Aanbieder B" in text
    assert eigen_gezien and pseudoniem_gezien
    assert captured
    for data in captured:
        text = data.decode("utf-8-sig")
        assert not leaks(text, anderen_namen, anderen_codes), leaks(text, anderen_namen, anderen_codes)
    # every PNG download, rendered as the click renders it: the chart spec it was made from (data included)
    assert pngs
    for make in pngs:
        make()
    assert len(_saved) >= len(pngs) > 0
    specs = json.dumps(_saved, ensure_ascii=False, default=str)
    assert not leaks(specs, anderen_namen, anderen_codes), leaks(specs, anderen_namen, anderen_codes)
    assert "Aanbieder " in specs
    # with the learning-session mode on, the partner's own organisation is under a pseudonym too
    sessie = open_as(PARTNER, "wachttijden", {"rangorde_dimensie": "aanbieder", "leersessie": "ja"})
    assert not sessie.exception
    assert not leaks(all_text(sessie), names, codes), leaks(all_text(sessie), names, codes)
    # the scan can fail: the contract manager sees the names
    assert leaks(
        all_text(open_as(CM, "wachttijden", {"rangorde_dimensie": "aanbieder"})), anderen_namen, anderen_codes
    )


def test_a_partner_cannot_learn_a_pseudonym_from_a_link_with_a_code(rollen):
    """A link with another provider's AGB code is not translated to its pseudonym (that would tell which
    letter is which provider): the filter stays at 'Alle' with a notice."""
    _names, codes = real_providers(rollen["db"])
    ander = sorted(codes - {rollen["org"]})[0]
    at = open_as(PARTNER, "wachttijden", {"aanbieder": ander})
    assert at.sidebar.selectbox(key="filter_aanbieder").value == ALLE
    assert any(f"aanbieder={ander} (onbekende aanbieder)" in w.value for w in at.warning)
    # the contract manager's link with the same code selects that provider (the check can fail)
    cm = open_as(CM, "wachttijden", {"aanbieder": ander})
    assert cm.sidebar.selectbox(key="filter_aanbieder").value == ander


def test_the_session_report_of_a_partner_names_no_other_provider(rollen, monkeypatch):
    from streamlit.delta_generator import DeltaGenerator

    names, codes = real_providers(rollen["db"])
    eigen_naam = rollen["org_naam"]
    # a note and an annotation that name another provider, written by the contract manager
    ander_naam = sorted(names - {eigen_naam})[0]
    store = open_store()
    store.save_note("stromen.instroom_uitstroom", 1, f"Wachtlijst bij {ander_naam} groeit", "Carla Contract")
    store.add_annotation(
        __import__("datetime").date(2025, 3, 1),
        f"Nieuw contract {ander_naam}",
        "",
        "contract",
        "Carla Contract",
    )
    downloads: dict[str, object] = {}
    real = DeltaGenerator.download_button

    def spy(self, label, data, *args, **kwargs):
        downloads[label] = data
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    at = open_as(PARTNER, "verslag", {"verslag_grafieken": "stromen.instroom_uitstroom,signalen.per_maand"})
    assert not at.exception, [e.value for e in at.exception]
    html = downloads["Download verslag (HTML)"]()
    html = html.decode("utf-8") if isinstance(html, bytes) else html
    assert "Wachtlijst bij Aanbieder" in html and "Nieuw contract Aanbieder" in html
    assert not leaks(html, names - {eigen_naam}, codes - {rollen["org"]}), leaks(
        html, names - {eigen_naam}, codes
    )
    assert ander_naam not in all_text(at)
    # the list of annotations on the Leersessie page: pseudonymised, and the contract manager's one is not
    # the partner's to remove
    lijst = open_as(PARTNER, "leersessie", {"leersessie_onderdeel": "De vijf vragen"})
    assert not lijst.exception
    assert "Nieuw contract Aanbieder" in all_text(lijst) and ander_naam not in all_text(lijst)
    assert not [b for b in lijst.button if b.label == "Verwijderen"]
    cm_lijst = open_as(CM, "leersessie", {"leersessie_onderdeel": "De vijf vragen"})
    assert ander_naam in all_text(cm_lijst) and [b for b in cm_lijst.button if b.label == "Verwijderen"]
    # the contract manager's report names it (the check can fail)
    downloads.clear()
    open_as(CM, "verslag", {"verslag_grafieken": "stromen.instroom_uitstroom"})
    cm_html = downloads["Download verslag (HTML)"]()
    assert ander_naam in (cm_html.decode("utf-8") if isinstance(cm_html, bytes) else cm_html)


# -- lists per child, snapshots, writes -----------------------------------------------------------------------


@pytest.mark.parametrize("email", [PARTNER, TM])
def test_only_the_contract_manager_sees_the_list_per_child(rollen, email):
    at = open_as(email, "signalen", {"signaal_weergave": "Lijst per signaal"})
    assert not at.exception
    assert not any(s.value.startswith("Lijst: ") for s in at.subheader)
    assert "client_pseudoniem" not in all_text(at) and "Cliënt" not in [
        c for f in at.dataframe for c in f.value.columns
    ]
    assert ("geweigerd", "signalen: lijst per kind") in [a[1:] for a in _audit()]
    cm = open_as(CM, "signalen", {"signaal_weergave": "Lijst per signaal"})
    assert any(s.value.startswith("Lijst: ") for s in cm.subheader)


def test_the_data_layer_refuses_another_team_and_a_list_per_child_whatever_asks(rollen):
    """The second line of defence (dashboard/data.py): a query outside the view raises, even when no page
    offers it."""
    from dashboard import data
    from pipelines.toegang import Geweigerd, read_rollen

    gebruikers = read_rollen(Path(__import__("os").environ["KETENMONITOR_ROLLEN"]))
    tm = gebruikers.zoek(TM, None)
    partner = gebruikers.zoek(PARTNER, None)
    stamp = data.current_stamp(rollen["db"])
    from dataclasses import replace

    met = {"p_van": date(2000, 1, 1), "p_tot": date(2100, 1, 1), "p_gemeente": None}
    with pytest.raises(Geweigerd):
        data._fetch(
            replace(stamp, zicht=tm.zicht(False)),
            "caseload_verloop",
            tuple(sorted({**met, "p_team": rollen["ander"]}.items())),
        )
    eigen = data._fetch(
        replace(stamp, zicht=tm.zicht(False)),
        "caseload_verloop",
        tuple(sorted({**met, "p_team": rollen["team"]}.items())),
    )
    assert eigen.height > 0
    periode = (("p_gemeente", None), ("p_tot", date(2100, 1, 1)), ("p_van", date(2000, 1, 1)))
    alle = data._fetch(stamp, "caseload_overzicht", periode)
    beperkt = data._fetch(replace(stamp, zicht=tm.zicht(False)), "caseload_overzicht", periode)
    assert alle["team_code"].n_unique() > 1 and set(beperkt["team_code"]) == {rollen["team"]}
    with pytest.raises(Geweigerd):
        data._fetch(
            replace(stamp, zicht=partner.zicht(False)), "signalen_lijst", (("p_type", rollen["signaal"]),)
        )


def test_only_the_contract_manager_makes_snapshots(rollen):
    cm = open_as(CM, "start")
    assert [e.label for e in cm.expander if e.label == "Momentopname maken"]
    for email in (PARTNER, TM):
        at = open_as(email, "start")
        assert not [e.label for e in at.expander if e.label == "Momentopname maken"]


def test_a_partners_note_is_saved_under_their_name_and_audited(rollen):
    at = open_as(PARTNER, "leersessie", {"leersessie_onderdeel": "De vijf vragen"})
    assert not at.exception, [e.value for e in at.exception]
    vak = at.text_area[0]
    vak.input("Wat zien we hier?")
    at.button(key=f"opslaan_{vak.key}").click().run()
    assert not at.exception
    notes = open_store().list_notes()
    assert [(n.tekst, n.auteur) for n in notes] == [("Wat zien we hier?", f"Piet Partner ({PARTNER})")]
    assert (f"Piet Partner ({PARTNER})", "notitie_opgeslagen") in [a[:2] for a in _audit()]


# -- the login mode --------------------------------------------------------------------------------------------

AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-cookie-geheim",
        "client_id": "ketenmonitor",
        "client_secret": "geheim",
        "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
    }
}


def open_logged_in(user: dict, pad: str = "start", query: dict[str, str] | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120)
    at.secrets = AUTH
    at.user = user
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.context = {"url": f"http://localhost:8501/{'' if pad == 'start' else pad}"}
    at.switch_page(PAGINAS[pad])
    at.run()
    return at


def test_with_auth_nothing_is_shown_before_the_login(rollen):
    at = open_logged_in({"is_logged_in": False}, "caseload")
    assert [b.label for b in at.button] == ["Inloggen"]
    assert not at.dataframe and not at.get("arrow_vega_lite_chart") and not at.metric
    assert not at.sidebar.selectbox  # no filters, no demo picker


def test_with_auth_an_unknown_identity_is_refused_and_audited(rollen):
    at = open_logged_in({"is_logged_in": True, "email": "vreemde@elders.example", "sub": "x"})
    assert at.error and "geen rol in Ketenmonitor" in at.error[0].value
    assert not at.dataframe and not at.metric
    assert ("vreemde@elders.example", "geweigerd", "inlog: niet in het rollenbestand") in _audit()


def test_with_auth_the_identity_maps_to_its_role_by_email_or_sub(rollen):
    at = open_logged_in({"is_logged_in": True, "email": PARTNER.upper(), "sub": "p"}, "caseload")
    assert [t.value for t in at.title] == ["Geen toegang"]
    assert any("Piet Partner" in c.value for c in at.sidebar.caption)
    assert [b.label for b in at.sidebar.button] == ["Uitloggen"]
    assert not at.sidebar.get("selectbox") or "demo_als" not in [s.key for s in at.sidebar.selectbox]
    # the team manager by the identity provider's sub (no e-mail claim)
    at = open_logged_in({"is_logged_in": True, "sub": "tm-sub-42"}, "caseload")
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="caseload_team").value == rollen["team"]
    assert "Demomodus" not in " ".join(t for _w, t in uitext.visible_texts(at))
