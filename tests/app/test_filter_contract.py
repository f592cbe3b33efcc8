"""The filter contract (dashboard/filtermodel.py): every block × global filter is either applied (the figures
change for a filter value that matters in the region) or declared not applicable and labelled (the Dutch
note under the block's title and in its CSV); a filter a macro does not take is an error, never dropped.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import polars as pl
import pytest

from dashboard import components, data, export, filtermodel
from dashboard.export import ExportContext
from dashboard.filtermodel import ALLE, DATASETS, FILTER_NAMEN, FILTER_PARAMS, PAGES, Filters
from tests.app.conftest import PAGE_FILES, csv_parts, run_page, tab_views


def _rows(db, sql: str, **params) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql, params=params or None).fetchall()
    finally:
        con.close()


def _macro_params(db) -> dict[str, set[str]]:
    rows = _rows(
        db, "select function_name, parameters from duckdb_functions() where function_type = 'table_macro'"
    )
    return {name: set(params) for name, params in rows}


def _months(db) -> list[date]:
    return [
        date.fromisoformat(r[0])
        for r in _rows(db, "select waarde from filter_opties() where soort = 'maand'")
    ]


def _options(db, soort: str) -> list[str]:
    """The options of a filter, most frequent in the trajectories first (values that matter)."""
    column = {
        "gemeente": "gemeente_code",
        "aanbieder": "aanbieder_agb",
        "productcategorie": "productcategorie",
    }
    if soort == "leeftijdsgroep":
        return list(filtermodel.LEEFTIJDSGROEPEN)
    rows = _rows(
        db,
        f"select {column[soort]} from trajecten where {column[soort]} is not null group by all order by count(*) desc",
    )
    return [r[0] for r in rows]


def _all(db) -> Filters:
    months = _months(db)
    return Filters(months[0], months[-1], ALLE, ALLE, ALLE, ALLE)


def _extra(db, dataset: str, f: Filters) -> list[dict[str, object]]:
    """The non-filter arguments a dataset's block passes (a niveau, a team, a signal type)."""
    if dataset.startswith("wachttijden_"):
        return [{"p_niveau": n} for n in ("behandeling", "toewijzing_start")]
    if dataset in ("caseload_verloop", "caseload_factoren"):
        teams = _rows(
            db, "select distinct team_code from caseload_team where gemeente_code is not null order by 1"
        )
        return [{"p_team": t[0]} for t in teams]
    if dataset == "signalen_lijst":
        return [
            {"p_type": r[0]} for r in _rows(db, "select type from signalen group by 1 order by count(*) desc")
        ]
    return [{}]


def _fetch(dataset: str, f: Filters, extra: dict[str, object]) -> pl.DataFrame:
    return data.fetch(dataset, **extra, **f.params(dataset))


def _narrowed(db, f: Filters, naam: str) -> list[Filters]:
    """Candidate selections with filter `naam` set to a value that matters (most frequent first)."""
    if naam == "periode":
        months = _months(db)
        return [
            replace(f, van=months[len(months) // 2], tot=months[-4]),
            replace(f, van=months[-6], tot=months[-1]),
        ]
    return [replace(f, **{naam: v}) for v in _options(db, naam)[:4]]


def test_every_dataset_declaration_matches_its_macro(app_db):
    """The registry names, per dataset, exactly the filter parameters its macro declares."""
    declared = _macro_params(app_db)
    f = _all(app_db)
    for dataset in DATASETS:
        assert dataset in declared, f"{dataset} is not a macro"
        assert set(f.params(dataset)) == declared[dataset] & FILTER_PARAMS, dataset
    used = {b.dataset for blocks in PAGES.values() for b in blocks}
    assert used <= set(DATASETS)


def test_a_filter_a_macro_does_not_take_is_an_error(use_db):
    with pytest.raises(ValueError, match="p_aanbieder"):
        data.fetch("caseload_teams", p_gemeente=None, p_aanbieder="98000011")
    with pytest.raises(ValueError, match="p_leeftijd"):
        data.fetch("wachten_kerncijfers", **_all(use_db).params("wachten_kerncijfers"), p_leeftijd="12-17")


BLOCK_FILTERS = [
    (page, blok, naam) for page, blocks in PAGES.items() for blok in blocks for naam in FILTER_NAMEN
]


@pytest.mark.parametrize(
    "page, blok, naam",
    [x for x in BLOCK_FILTERS if x[2] in DATASETS[x[1].dataset].filters],
    ids=lambda x: getattr(x, "titel", x),
)
def test_an_applied_filter_changes_the_figures(use_db, page, blok, naam):
    """Applied: for some value that matters in the region, the block's figures differ from no filter."""
    f = _all(use_db)
    for extra in _extra(use_db, blok.dataset, f):
        base = _fetch(blok.dataset, f, extra)
        for narrowed in _narrowed(use_db, f, naam):
            if not _fetch(blok.dataset, narrowed, extra).equals(base):
                return
    pytest.fail(f"{page} / {blok.titel}: filter {naam} is declared applied but never changes the figures")


def _flat(node):
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for key in sorted(children):
        yield from _flat(children[key])


def _query_all_set(db) -> dict[str, str]:
    """Every global filter set at once, to values that keep data (the busiest gemeente, its busiest aanbieder)."""
    gemeente, aanbieder, categorie = _rows(
        db,
        "select gemeente_code, aanbieder_agb, productcategorie from trajecten where productcategorie is not null "
        "group by all order by count(*) desc limit 1",
    )[0]
    months = _months(db)
    return {
        "van": months[-12].isoformat(),
        "tot": months[-1].isoformat(),
        "gemeente": gemeente,
        "aanbieder": aanbieder,
        "productcategorie": categorie,
        "leeftijdsgroep": "12-17",
    }


@pytest.mark.parametrize("page", [p for p in PAGES if p != "definities"])
def test_a_filter_that_does_not_apply_is_named_next_to_the_title_and_in_the_csv(use_db, monkeypatch, page):
    """Not applied: with every filter set, each block of the page that does not apply some filter shows the
    note naming exactly those filters right under its title, and its CSV starts with the same note."""
    query = _query_all_set(use_db)
    f = Filters(
        date.fromisoformat(query["van"]),
        date.fromisoformat(query["tot"]),
        query["gemeente"],
        query["aanbieder"],
        query["productcategorie"],
        query["leeftijdsgroep"],
    )
    csv_heads: dict[str, str | None] = {}
    real_button = components._csv_button

    def recording_button(column, frame, labels, key, context):
        # the note as the downloaded file carries it: the "Filter niet toegepast" row of its context block
        csv_heads[key] = csv_parts(components._csv_bytes(frame, labels, context))[0].get(
            "Filter niet toegepast"
        )
        return real_button(column, frame, labels, key, context)

    monkeypatch.setattr(components, "_csv_button", recording_button)
    expected = {b.titel: filtermodel.notitie(b.dataset, f) for b in PAGES[page]}
    seen: set[str] = set()
    csv_checked = 0
    seen_titles: set[str] = set()  # blocks with a title (and so a CSV when they have data)
    for view in tab_views(PAGE_FILES[page]):
        at = run_page(PAGE_FILES[page], {**query, **view})
        assert not at.exception, [e.value for e in at.exception]
        elements = list(_flat(at.main))
        captions = [e.value for e in elements if e.type == "caption"]
        for i, e in enumerate(elements):
            if e.type != "subheader":
                continue
            title = (
                e.value
                if e.value in expected
                else next((t for t in expected if e.value.startswith(t + ":")), None)
            )
            if title is None:
                continue
            seen.add(title)
            seen_titles.add(title)
            note = expected[title]
            following = elements[i + 1] if i + 1 < len(elements) else None
            if note is None:
                assert following is None or "geldt niet" not in str(following.value), title
            else:
                assert following is not None and following.type == "caption", title
                assert note in following.value, (title, following.value)
            # the block's CSV (if it has data): the first CSV button before the next title
            for later in elements[i + 1 :]:
                if later.type == "subheader":
                    break
                if later.type == "download_button" and str(later.key).startswith("csv_"):
                    assert csv_heads[later.key.removeprefix("csv_")] == note, title
                    csv_checked += note is not None
                    break
        for b in PAGES[page]:  # blocks without a subheader (KPI groups, the coverage line) prefix their name
            note = expected[b.titel]
            if note and b.titel not in seen and any(b.titel in c and note in c for c in captions):
                seen.add(b.titel)
    missing = [t for t, note in expected.items() if note and t not in seen]
    assert not missing, f"{page}: blocks without their filter note: {missing}"
    if any(note for t, note in expected.items() if t in seen_titles):
        assert csv_checked, f"{page}: no CSV of a block with a filter note was checked"


def test_the_csv_context_names_the_filters_that_do_not_apply():
    f = Filters(date(2025, 1, 1), date(2025, 12, 1), "0999", "98000011", ALLE, "12-17")
    note = filtermodel.notitie("wachten_kerncijfers", f)
    assert note == "Filter leeftijdsgroep geldt niet voor dit blok"
    assert (
        filtermodel.notitie("caseload_teams", f)
        == "Filters periode, aanbieder en leeftijdsgroep gelden niet voor dit blok"
    )
    context = ExportContext(
        "Wachttijden",
        "/definities?anker=wachttijden",
        export.filter_waarden(f, "wachten_kerncijfers", {}),
        note,
    )
    head, table = csv_parts(
        components._csv_bytes(pl.DataFrame({"maand": ["2025-01"], "aantal": [12]}), None, context)
    )
    assert head["Filter niet toegepast"] == "Filter leeftijdsgroep geldt niet voor dit blok"
    assert head["Leeftijdsgroep"] == "12-17 (geldt niet voor dit blok)"
    assert head["Gemeente"] == "0999"  # no name known for the code: the code itself
    assert table.splitlines()[0].split(";")[0] == "maand"


def test_filters_no_block_of_a_page_applies_are_disabled(use_db):
    at = run_page(PAGE_FILES["definities"])
    assert all(s.disabled for s in at.sidebar.selectbox if s.key.startswith("filter_"))
    at = run_page(PAGE_FILES["caseload"])
    disabled = {s.label for s in at.sidebar.selectbox if s.disabled and s.key.startswith("filter_")}
    assert disabled == {"Aanbieder", "Productcategorie", "Leeftijdsgroep"}
    at = run_page(PAGE_FILES["stromen"])
    assert not any(s.disabled for s in at.sidebar.selectbox if s.key.startswith("filter_"))
