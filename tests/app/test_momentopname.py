"""A snapshot in view on every page (?momentopname=, "Cijfers van", the banner), the form that makes one, and
the learning-session mode (?leersessie=ja: providers as "Aanbieder A, B, …" everywhere).

The live database is a copy of the app tests' real build in tmp, with its store and snapshot folder beside it
(KETENMONITOR_DB, KETENMONITOR_STORE, KETENMONITOR_SNAPSHOTS); the snapshot is made by
pipelines.snapshot.make_snapshot. Expected figures are read from the files with duckdb, not from the app.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines import snapshot
from pipelines.store import open_store
from tests.app.conftest import PAGES, capture_downloads, csv_parts, run_page, tab_views
from tests.app.scan import all_text as _all_text
from tests.app.scan import leaks as _leaks
from tests.app.scan import real_providers as _real_providers

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _words(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _facts(db: Path) -> dict:
    """Independent figures of a database file: its peildatum, the aanbieders and gemeenten with trajecten, and
    the trajecten in zorg at the end of the last month up to the peildatum (summed over the mart's cells)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "peildatum": con.execute("select peildatum from peildatum").fetchall()[0][0],
            "in_zorg": con.execute(
                "select sum(s.in_zorg) from maand_stromen as s where s.maand = (select max(m.maand)"
                " from maand_stromen as m, peildatum as p where m.maand <= p.peildatum)"
            ).fetchall()[0][0],
            "aanbieders": sorted(
                r[0]
                for r in con.execute(
                    "select distinct aanbieder_agb from trajecten where aanbieder_agb is not null"
                ).fetchall()
            ),
            "gemeenten": sorted(
                r[0]
                for r in con.execute(
                    "select distinct gemeente_code from trajecten where gemeente_code is not null"
                ).fetchall()
            ),
        }
    finally:
        con.close()


@pytest.fixture
def live(app_db: Path, tmp_path: Path, monkeypatch) -> Path:
    """A copy of the built database as the live one, with its own store and snapshot folder in tmp."""
    db = tmp_path / "live" / "ketenmonitor.duckdb"
    db.parent.mkdir()
    shutil.copy(app_db, db)
    monkeypatch.setenv("KETENMONITOR_DB", str(db))
    monkeypatch.setenv("KETENMONITOR_STORE", str(tmp_path / "opslag.sqlite"))
    monkeypatch.setenv("KETENMONITOR_SNAPSHOTS", str(tmp_path / "momentopnamen"))
    return db


@pytest.fixture
def snap(live: Path) -> snapshot.Snapshot:
    return snapshot.make_snapshot("Sessie maart", db=live, door="test", opmerking="voor de leersessie")


def _param(at, key: str) -> str | None:
    """A query parameter of the app after its run (AppTest gives a value or a list of values)."""
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) else value


def _banner(at) -> list[str]:
    return [i.value for i in at.info if str(i.value).startswith("Momentopname ‘")]


def _provider_options(at) -> list[str]:
    return [o for o in at.sidebar.selectbox(key="filter_aanbieder").options if o != "Alle"]


def _caption_peildatum(at) -> str:
    return next(c.value for c in at.caption if "Peildatum:" in c.value)


@pytest.mark.parametrize("page", PAGES)
def test_the_banner_names_the_snapshot_on_every_page(snap, page):
    at = run_page(page, {"momentopname": "sessie-maart"})
    assert not at.exception, [e.value for e in at.exception]
    banner = _banner(at)
    assert len(banner) == 1, banner
    assert banner[0].startswith(
        f"Momentopname ‘Sessie maart’ — peildatum {_words(snap.peildatum)}, gemaakt op "
    )
    assert banner[0].endswith("(bevroren cijfers; een nieuwe build verandert ze niet)")
    assert not _banner(run_page(page))  # the live database: no banner


def test_the_sidebar_offers_the_snapshots_newest_first_and_the_choice_goes_into_the_link(snap, live):
    later = snapshot.make_snapshot("Sessie april", db=live, door="test")
    at = run_page(PAGES[0])
    box = at.sidebar.selectbox(key="momentopname")
    assert box.label == "Cijfers van"
    assert box.options == [
        "Actuele database",
        f"Sessie april (peildatum {_words(later.peildatum)})",
        f"Sessie maart (peildatum {_words(snap.peildatum)})",
    ]
    box.select("sessie-maart").run()
    assert not at.exception
    assert _param(at, "momentopname") == "sessie-maart"
    assert _banner(at) and "Sessie maart" in _banner(at)[0]
    # a link by the snapshot's name works too, and is written back as its file stem
    by_name = run_page(PAGES[1], {"momentopname": "Sessie april"})
    assert "Sessie april" in _banner(by_name)[0]
    assert _param(by_name, "momentopname") == "sessie-april"


@pytest.mark.parametrize("value", ["bestaat-niet", "verwijderd"])
def test_an_unknown_or_deleted_snapshot_is_named_and_the_live_database_shown(snap, live, value):
    gone = snapshot.make_snapshot("Verwijderd", db=live, door="test")
    snapshot.delete_snapshot(gone.naam, db=live, door="test")
    at = run_page(PAGES[0], {"momentopname": value})
    assert not at.exception
    assert [w.value for w in at.main.warning] == [
        f"Genegeerd in de link: momentopname={value} (onbekende of verwijderde momentopname); getoond: "
        "Actuele database."
    ]
    assert not _banner(at)


def _figures(at) -> dict:
    """What a page shows that depends on the database: the peildatum, the filter options, the KPI values."""
    return {
        "peildatum": _caption_peildatum(at),
        "aanbieders": sorted(_provider_options(at)),
        "gemeenten": sorted(o for o in at.sidebar.selectbox(key="filter_gemeente").options if o != "Alle"),
        "kpi": [(m.label, m.value) for m in at.metric],
    }


D = 3  # the cell-key method's largest deviation (config kleine_aantallen.kansen: 7 probabilities)


def _in_zorg(figures: dict) -> int:
    return int(dict(figures["kpi"])["In zorg"].replace(".", ""))


def test_a_snapshot_keeps_its_figures_after_a_rebuild_with_other_data(snap, live, small_source):
    """Before the rebuild the snapshot shows what the live database shows; after a rebuild of the live path
    from another (smaller) region the snapshot still shows the old figures and the live view the new ones,
    each as read from its file with duckdb."""
    from pipelines.build import build

    oud = _facts(live)
    live_voor = _figures(run_page(PAGES[0]))
    snap_voor = _figures(run_page(PAGES[0], {"momentopname": "sessie-maart"}))
    assert snap_voor == live_voor
    assert live_voor["peildatum"].endswith(f"**{_words(oud['peildatum'])}**")
    assert len(live_voor["aanbieders"]) == len(oud["aanbieders"])

    # the KPI "In zorg" is the independent count, published by the cell-key method (at most D off)
    assert abs(_in_zorg(live_voor) - oud["in_zorg"]) <= D

    build(small_source, live, show_progress=False)  # the real build, swapped into the live path
    nieuw = _facts(live)
    assert abs(nieuw["in_zorg"] - oud["in_zorg"]) > 2 * D  # other data: the figures can tell them apart
    assert _facts(Path(snap.bestand)) == oud  # the file itself is unchanged

    snap_na = _figures(run_page(PAGES[0], {"momentopname": "sessie-maart"}))
    live_na = _figures(run_page(PAGES[0]))
    assert snap_na == snap_voor
    assert abs(_in_zorg(snap_na) - oud["in_zorg"]) <= D
    assert abs(_in_zorg(live_na) - nieuw["in_zorg"]) <= D
    assert live_na["peildatum"].endswith(f"**{_words(nieuw['peildatum'])}**")
    assert len(live_na["aanbieders"]) == len(nieuw["aanbieders"])
    assert len(live_na["gemeenten"]) == len(nieuw["gemeenten"])
    assert live_na != live_voor


def test_downloads_of_a_snapshot_name_it_as_their_source(snap, monkeypatch):
    captured = capture_downloads(monkeypatch)
    run_page("views/stromen.py", {"momentopname": "sessie-maart"})
    assert captured
    for data in captured:
        context, _table = csv_parts(data)
        assert context["Bron"].startswith("Ketenmonitor, momentopname ‘Sessie maart’"), context["Bron"]
        assert context["Peildatum"] == _words(snap.peildatum)


def test_the_form_makes_a_snapshot_of_the_live_database(live):
    at = run_page(PAGES[0])
    at.text_input[0].input("Leersessie april")
    at.text_area[0].input("Met de jeugdhulpaanbieders")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] and "Leersessie april" in at.success[0].value
    record = open_store().get_snapshot("Leersessie april")
    assert record is not None and Path(record.bestand).exists()
    assert record.opmerking == "Met de jeugdhulpaanbieders"
    # the next run offers it
    at.run()
    assert any(o.startswith("Leersessie april") for o in at.sidebar.selectbox(key="momentopname").options)
    # the same name again: a Dutch error, nothing made
    at.text_input[0].input("Leersessie april")
    at.button[0].click().run()
    assert at.error and "Er bestaat al een momentopname" in at.error[0].value
    assert len(open_store().list_snapshots()) == 1


# -- learning-session mode ---------------------------------------------------------------------------------


def _views():
    out = []
    for page in PAGES:
        for view in tab_views(page):
            out.append((page, view))
    out.append(("views/signalen.py", {"signaal_weergave": "Lijst per signaal"}))
    out.append(("views/wachttijden.py", {"rangorde_dimensie": "aanbieder"}))
    return out


def test_no_real_provider_name_or_code_on_any_page_tab_or_download_in_a_learning_session(live, monkeypatch):
    names, codes = _real_providers(live)
    assert len(names) >= 5 and len(codes) >= 5
    captured = capture_downloads(monkeypatch)
    seen: list[str] = []
    pseudonyms = set()
    for page, view in _views():
        at = run_page(page, {**view, "leersessie": "ja"})
        assert not at.exception, (page, view, [e.value for e in at.exception])
        text = _all_text(at)
        assert not _leaks(text, names, codes), (page, view, _leaks(text, names, codes))
        seen.append(text)
        pseudonyms |= {o for o in _provider_options(at)}
    # the pseudonyms are there instead (the scan looked at the right places)
    assert pseudonyms and all(p.startswith("Aanbieder ") for p in pseudonyms)
    assert len(pseudonyms) == len(_facts(live)["aanbieders"])
    assert any("Aanbieder A" in t for t in seen[1:])
    for data in captured:
        text = data.decode("utf-8-sig")
        assert not _leaks(text, names, codes), _leaks(text, names, codes)
    # the same scan without the mode finds real names (it can fail)
    assert _leaks(_all_text(run_page("views/wachttijden.py")), names, codes)


def test_a_provider_chosen_in_a_learning_session_shows_its_figures_under_its_pseudonym(live, monkeypatch):
    names, codes = _real_providers(live)
    at = run_page("views/stromen.py", {"leersessie": "ja"})
    assert not at.exception
    first = sorted(_provider_options(at), key=lambda p: (len(p), p))[0]
    assert first == "Aanbieder A"
    at.sidebar.selectbox(key="filter_aanbieder").select(first).run()
    assert not at.exception
    assert _param(at, "aanbieder") == first
    text = _all_text(at)
    assert not _leaks(text, names, codes)
    pseudoniem_tabel = at.dataframe[0].value
    # the same provider by its code, without the mode: the same figures
    from dashboard import data

    code = {p: c for c, p in data.pseudoniemen(data.current_stamp(live)).items()}[first]
    assert code in codes
    plain = run_page("views/stromen.py", {"aanbieder": code})
    assert plain.dataframe[0].value.equals(pseudoniem_tabel)
    # switching the mode off keeps the provider, now by its code (and on again: by the pseudonym)
    at.sidebar.toggle(key="leersessie").set_value(False).run()
    assert _param(at, "aanbieder") == code
    at.sidebar.toggle(key="leersessie").set_value(True).run()
    assert _param(at, "aanbieder") == first
    assert not at.main.warning


def test_pseudonyms_are_stable_between_runs_and_between_a_snapshot_and_a_rebuild(live, app_db):
    """The same providers get the same letters: in two runs, on a snapshot, and on the live database after a
    rebuild from the same exports."""
    from dashboard import data

    def mapping(query):
        at = run_page("views/wachttijden.py", {"leersessie": "ja", **query})
        assert not at.exception
        return sorted(_provider_options(at))

    snap = snapshot.make_snapshot("Sessie", db=live, door="test")
    first = data.pseudoniemen(data.current_stamp(live))
    shown = mapping({})
    assert shown == mapping({}) == mapping({"momentopname": "sessie"})
    assert set(shown) <= set(first.values()) and len(shown) >= 5
    assert data.pseudoniemen(data.current_stamp(Path(snap.bestand))) == first
    # a rebuild of the same data (the app database's copy swapped in again, as a build swaps): same letters
    shutil.copy(app_db, live.with_suffix(".nieuw"))
    live.with_suffix(".nieuw").replace(live)
    assert data.pseudoniemen(data.current_stamp(live)) == first
    # not the order of the codes or of the names
    codes = sorted(first)
    assert [first[c] for c in codes] != sorted(first.values(), key=lambda p: (len(p), p))
