"""The pure filter model: parameters only for the filters a dataset applies, the Dutch notes, page filters."""

from __future__ import annotations

from datetime import date

from dashboard.filtermodel import ALLE, DATASETS, FILTER_PARAMS, Filters, filters_van_pagina, notitie

F = Filters(date(2025, 1, 1), date(2025, 6, 1), "9901", ALLE, "45", "12-17")


def test_params_are_exactly_those_of_the_applied_filters():
    assert F.params("routes") == {
        "p_van": date(2025, 1, 1),
        "p_tot": date(2025, 6, 1),
        "p_gemeente": "9901",
        "p_aanbieder": None,
        "p_categorie": "45",
        "p_leeftijd": "12-17",
    }
    assert F.params("kinderen_wachtend") == {
        "p_tot": date(2025, 6, 1),
        "p_gemeente": "9901",
        "p_aanbieder": None,
        "p_categorie": "45",
    }
    assert F.params("caseload_teams") == {"p_gemeente": "9901"}
    assert F.params("laadrapport_samenvatting") == {}
    for dataset in DATASETS:
        assert set(F.params(dataset)) <= FILTER_PARAMS


def test_notes_name_only_filters_that_are_set_and_not_applied():
    assert notitie("routes", F) is None
    assert notitie("wachttijden_km", F) == "Filter leeftijdsgroep geldt niet voor dit blok"
    assert notitie("dekking", F) == "Filters productcategorie en leeftijdsgroep gelden niet voor dit blok"
    assert notitie("quarantaine_redenen", F) == (
        "Filters periode, gemeente, productcategorie en leeftijdsgroep gelden niet voor dit blok"
    )
    unset = Filters(date(2025, 1, 1), date(2025, 6, 1), ALLE, ALLE, ALLE, ALLE)
    assert notitie("wachttijden_km", unset) is None
    assert notitie("wachttijden_km", None) is None


def test_page_filters_are_the_union_of_its_blocks():
    assert filters_van_pagina("stromen") == {
        "periode",
        "gemeente",
        "aanbieder",
        "productcategorie",
        "leeftijdsgroep",
    }
    assert filters_van_pagina("caseload") == {"periode", "gemeente"}
    assert filters_van_pagina("definities") == set()
    assert filters_van_pagina("onbekend") == filters_van_pagina("stromen")  # unknown page: nothing disabled


def test_the_filter_model_does_not_import_streamlit():
    import subprocess
    import sys

    code = "import sys, dashboard.filtermodel; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
