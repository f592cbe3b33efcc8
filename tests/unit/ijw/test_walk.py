"""The compiled element access (`_walk`) gives exactly the results of the pure-Python reference (`walk_py`).

The compiled module must be built (`pip install -e .`, run by scripts/setup.sh; without it this test fails
rather than skips, so CI notices a broken build).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipelines import settings
from pipelines.ijw import _walk, walk, walk_py
from pipelines.ijw.xml_reader import _PARSER, CLIENT_PATHS, CONTACT_PATHS, HEADER_PATHS, PATHS_OF_TAG

PLANS = {tag: (walk_py.Plan(paths), _walk.Plan(paths)) for tag, paths in PATHS_OF_TAG.items()}
FIRST_PLANS = {
    name: (walk_py.Plan(paths), _walk.Plan(paths))
    for name, paths in (("Header", HEADER_PATHS), ("Client", CLIENT_PATHS), ("Contact", CONTACT_PATHS))
}


def _messages(source: Path):
    for path in sorted(source.rglob("*")):
        if path.suffix == ".xml":
            yield path.read_bytes()
        elif path.suffix == ".zip":
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
                for name in zf.namelist():
                    if name.endswith(".xml"):
                        yield zf.read(name)


def _compare(root) -> int:
    n = 0
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = walk_py.local(el.tag)
        if name in PLANS:
            py_plan, c_plan = PLANS[name]
            assert _walk.raw(el, c_plan) == walk_py.raw(el, py_plan), etree.tostring(el)
            n += 1
        if name in FIRST_PLANS:
            py_plan, c_plan = FIRST_PLANS[name]
            assert _walk.first(el, c_plan) == walk_py.first(el, py_plan)
            n += 1
        assert _walk.codes(el) == walk_py.codes(el)
    assert _walk.has_doctype(root) == walk_py.has_doctype(root) is False
    return n


def test_compiled_module_is_in_use_unless_switched_off() -> None:
    # KETENMONITOR_IJW_COMPILED=0 is the CI run with the compiled module hidden (scripts/test.sh)
    assert walk.COMPILED is settings.ijw_compiled(), "pipelines/ijw/_walk is niet gebouwd: pip install -e ."


def test_same_as_reference_on_a_generated_region(small_source: Path) -> None:
    compared = 0
    for data in _messages(small_source):
        try:
            root = etree.fromstring(data, _PARSER)
        except (etree.XMLSyntaxError, ValueError):
            continue
        compared += _compare(root)
    assert compared > 1000


NS = 'xmlns:a="urn:a" xmlns:b="urn:b"'
EDGE_CASES = [
    # last occurrence wins; a leaf after a container of the same name; whitespace-only overwrites
    f"<a:Prestatie {NS}><a:ToewijzingNummer>1</a:ToewijzingNummer><b:ToewijzingNummer> 2 </b:ToewijzingNummer>"
    "<ProductCategorie>  </ProductCategorie><ProductCategorie/></a:Prestatie>",
    # a wanted leaf that has children contributes nothing; CDATA and split text nodes join
    f"<a:Prestatie {NS}><a:ProductCode>X<a:Sub/>Y</a:ProductCode>"
    "<a:Eenheid><![CDATA[ 0]]>1 </a:Eenheid></a:Prestatie>",
    # grandchildren under several containers: last wins (raw) and first wins (first)
    f"<a:Prestatie {NS}><a:ProductPeriode><b:Begindatum>2024-01-01</b:Begindatum></a:ProductPeriode>"
    "<a:ProductPeriode><b:Begindatum>2024-02-01</b:Begindatum><b:Begindatum/></a:ProductPeriode>"
    "<a:ProductPeriode>leaf text</a:ProductPeriode></a:Prestatie>",
    # non-ASCII text and a non-breaking space around it (str.strip removes it)
    "<Prestatie><ProductCode>\u00a0Ü12\u00a0</ProductCode><IngediendBedrag><Bedrag>\u2003</Bedrag>"
    "<DebetCredit>D</DebetCredit></IngediendBedrag></Prestatie>",
    # header-like: a child's own text counts even when it has children
    "<Header><Afzender>1234<x/>5</Afzender><Afzender>9999</Afzender><BerichtIdentificatie>"
    "<Identificatie/><Identificatie>ID2</Identificatie></BerichtIdentificatie>"
    "<RetourCodes><RetourCode> 0200 </RetourCode><RetourCode> </RetourCode></RetourCodes>"
    "<RetourCodes><RetourCode>8001</RetourCode></RetourCodes></Header>",
]


@pytest.mark.parametrize("xml", EDGE_CASES)
def test_same_as_reference_on_edge_cases(xml: str) -> None:
    root = etree.fromstring(xml.encode(), _PARSER)
    py_plan, c_plan = PLANS["Prestatie"]
    assert _walk.raw(root, c_plan) == walk_py.raw(root, py_plan)
    paths = HEADER_PATHS
    assert _walk.first(root, _walk.Plan(paths)) == walk_py.first(root, walk_py.Plan(paths))
    assert _walk.codes(root) == walk_py.codes(root)


def test_has_doctype_same_as_reference() -> None:
    # the parser refuses to load DTDs, but the declaration itself is kept on the document
    root = etree.fromstring(b'<!DOCTYPE Bericht SYSTEM "x.dtd"><Bericht/>', _PARSER)
    assert _walk.has_doctype(root) is True
    assert walk_py.has_doctype(root) is True


def test_edge_case_values() -> None:
    """The reference itself, on the first edge cases (what "last wins" and "text" mean)."""
    py_plan, _ = PLANS["Prestatie"]
    first = walk_py.raw(etree.fromstring(EDGE_CASES[0].encode(), _PARSER), py_plan)
    assert first["toewijzingnummer"] == "2"
    assert first["productcategorie"] is None
    second = walk_py.raw(etree.fromstring(EDGE_CASES[1].encode(), _PARSER), py_plan)
    assert second["productcode"] is None
    assert second["eenheid"] == "01"
    third = walk_py.raw(etree.fromstring(EDGE_CASES[2].encode(), _PARSER), py_plan)
    assert third["productperiode_begin"] == "2024-02-01"  # an empty element (no text node) overwrites nothing
    header = etree.fromstring(EDGE_CASES[4].encode(), _PARSER)
    texts = walk_py.first(header, walk_py.Plan(HEADER_PATHS))
    assert texts["afzender"] == "1234"
    assert texts["bericht_identificatie"] is None  # the FIRST Identificatie is empty
    assert walk_py.codes(header) == ["0200", "8001"]


def test_columns_hand_their_values_to_polars_unchanged() -> None:
    """The bulk reader's columns (Arrow buffers filled in C) reach Polars as exactly the texts `first`
    reads: stripped, null when absent or empty, non-ASCII intact; growth past the first buffers (3,000
    messages) keeps every value; exporting empties the column, so a buffer has one owner."""
    import polars as pl

    header_xml = (
        "<Header><BerichtCode>\u00a0414 </BerichtCode><BerichtVersie>3</BerichtVersie>"
        "<Afzender>  </Afzender><Ontvanger>Zo\u00eb \u2003</Ontvanger>"
        "<BerichtIdentificatie><Identificatie>{i}</Identificatie></BerichtIdentificatie><RetourCodes><RetourCode>0200</RetourCode>"
        "<RetourCode>{code}</RetourCode></RetourCodes></Header>"
    )
    plan_py, plan_c = walk_py.Plan(HEADER_PATHS), _walk.Plan(HEADER_PATHS)
    cols = [_walk.StrColumn() for _ in HEADER_PATHS] + [_walk.StrColumn(), _walk.IntColumn()]
    container = [_walk.StrColumn() for _ in range(4)]
    expected: list[list] = [[] for _ in cols]
    for i in range(3000):
        xml = f"<Bericht>{header_xml.format(i=i, code='' if i % 7 else 8001)}</Bericht>"
        root = etree.fromstring(xml.encode(), _PARSER)
        n = _walk.message_into(
            root, 2, plan_c, b"", b"", False, plan_c, cols, _walk.Plan({"a": "A", "b": "B", "c": "C"}),
            container, plan_c, plan_c, [], [], i,
        )  # fmt: skip
        assert n == 0
        values = walk_py.first(root[0], plan_py)
        for j, key in enumerate(HEADER_PATHS):
            expected[j].append(values[key])
        expected[-2].append("\x1f".join(walk_py.codes(root[0])) or None)
        expected[-1].append(0)
    names = list(HEADER_PATHS)
    first = {name: expected[j][0] for j, name in enumerate(names)}
    assert first["BerichtCode"] == "414" and first["ontvanger"] == "Zo\u00eb" and first["afzender"] is None
    assert (
        expected[names.index("bericht_identificatie")][2999] == "2999" and expected[-2][7] == "0200\x1f8001"
    )
    for col, want in zip(cols, expected, strict=True):
        assert len(col) == 3000
        assert col.values == want
        assert pl.Series(col).to_list() == want
        assert len(col) == 0 and col.values == []
        assert pl.Series(col).len() == 0
    assert pl.Series(cols[0]).dtype == pl.String and pl.Series(cols[-1]).dtype == pl.Int64
