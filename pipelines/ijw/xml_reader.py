"""Safe parsing of one iJw 3.x XML message into source rows.

Invariants:
- The parser never resolves entities, never loads a DTD, never touches the network and keeps lxml's
  default size limits (huge_tree off). A document with any DOCTYPE or ENTITY declaration is refused
  outright, before and after parsing.
- Element names are matched by local name (CDT children live in the basisschema namespace; the message
  namespace is checked once, on the root).
- Accounting per message: records_read == records_loaded + records_quarantined, where ONE RECORD is:
  JW301 a ToegewezenProduct, JW305 a StartProduct, JW307 a StopProduct, JW315 an AangevraagdProduct,
  JW317 an Ongewijzigd-/TeWijzigen-/NieuwProduct, JW319 the Antwoord, JW323 a Prestatie; a retour
  (JW302/306/308/316/318/320/325) one echoed product-level line (or Antwoord/Prestatie), or its header
  when nothing is echoed. A message that cannot be read at all, or has no record element, counts as one
  record.
- A broken header (or release/type mismatch) quarantines the whole message; a broken Client quarantines
  that client's lines; a broken line is quarantined on its own.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from lxml import etree

from pipelines import codes
from pipelines.ijw import fields, spec, walk
from pipelines.ijw.fields import Check
from pipelines.ijw.reasons import reason
from pipelines.ijw.sink import ReaderContext, UnitResult
from pipelines.ijw.walk_py import local

NS_RE = re.compile(r"^http://www\.istandaarden\.nl/ijw/(\d+)_(\d+)/(jw\d{3})/schema$")
ANY_IJW_NS = re.compile(r"^http://www\.istandaarden\.nl/ijw/(\d+)_(\d+)/")

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)

# Record elements per message type (a retour echoes its heenbericht's), and the paths of their fields: all
# from the declared tables in `spec`.
RECORD_TAGS: dict[str, tuple[str, ...]] = {
    **{jw: m.records for jw, m in spec.MESSAGES.items()},
    **{ret: spec.MESSAGES[heen].records for ret, heen in codes.RETOUR_OF.items()},
}
_ANY_NS_RECORD_TAGS = {jw: tuple("{*}" + t for t in tags) for jw, tags in RECORD_TAGS.items()}
PATHS_OF_TAG: dict[str, dict[str, str]] = {tag: m.paths for tag, m in spec.MESSAGE_OF_TAG.items()}


def _tx(el, path: str) -> str | None:
    """`el.findtext(path)` by local name, stripped (None when absent or empty)."""
    found = _path(el, path)
    if not found:
        return None
    value = found[0].text
    if value is None:
        return None
    value = value.strip()
    return value or None


def _path(el, path: str) -> list:
    """`el.iterfind("{*}A/{*}B")` for the local path "A/B", as a list, without ElementPath (same order).

    `iterchildren("{*}A")` matches by local name in any (or no) namespace, in C.
    """
    tags = _STEPS.get(path)
    if tags is None:
        tags = _STEPS[path] = tuple("{*}" + step for step in path.split("/"))
    if len(tags) == 1:
        return list(el.iterchildren(tags[0]))
    nodes = [el]
    for tag in tags:
        nodes = [c for n in nodes for c in n.iterchildren(tag)]
    return nodes


_STEPS: dict[str, tuple[str, ...]] = {}  # only the reader's own literal paths (bounded)


def _find(el, name: str):
    """`el.find("{*}Name")` (by local name) without ElementPath."""
    return next(el.iterchildren("{*}" + name), None)


PLAN_OF_TAG = {tag: walk.Plan(paths) for tag, paths in PATHS_OF_TAG.items()}
HEADER_PATHS = spec.HEADER_PATHS
CLIENT_PATHS = spec.CLIENT_PATHS
CONTACT_PATHS = spec.CONTACT_PATHS
HEADER_PLAN = walk.Plan(HEADER_PATHS)
CLIENT_PLAN = walk.Plan(CLIENT_PATHS)
CONTACT_PLAN = walk.Plan(CONTACT_PATHS)


def client_raw(client) -> dict:
    """bsn, geboortedatum, geslacht and the postcode of the first Contact of Soort 01 (all stripped)."""
    raw = walk.first(client, CLIENT_PLAN)
    raw["postcode"] = None
    for contact in _path(client, "Contactgegevens/Contact"):
        c = walk.first(contact, CONTACT_PLAN)
        if c["soort"] == "01":
            raw["postcode"] = c["postcode"]
            break
    return raw


def has_dtd(data: bytes) -> bool:
    """True when the bytes declare a DOCTYPE or ENTITY (also in UTF-16)."""
    if b"!" not in data:  # every pattern below contains a "!" byte
        return False
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return True
    return (
        b"<\x00!\x00D\x00O\x00C" in data
        or b"\x00<\x00!\x00D\x00O\x00C" in data
        or b"!\x00E\x00N\x00T" in data
    )


def parse_error_reason(exc: etree.XMLSyntaxError, data: bytes) -> tuple[str, dict]:
    """Map an lxml syntax error to a quarantine code; only line/column, never document content.

    Truncation is recognised by the error sitting at the very end of the input (lxml words it in many
    ways: "expected '>'", "Premature end of data", "Couldn't find end of Start Tag").
    """
    msg = str(exc.msg or "").lower()
    line, column = exc.position if exc.position else (0, 0)
    if "encoding" in msg or "utf-8" in msg or "not proper" in msg:
        return "IJW_CODERING_ONGELDIG", {"line": line}
    lines = data.rstrip().split(b"\n")
    at_end = not data.strip() or (line >= len(lines) and column >= len(lines[-1]))
    if at_end or "premature end" in msg or "document is empty" in msg:
        return "IJW_XML_ONVOLLEDIG", {"line": line}
    if "entity" in msg or "doctype" in msg:
        return "IJW_DTD_GEWEIGERD", {}
    return "IJW_XML_ONGELDIG", {"line": line, "column": column}


# Root tags that passed the root, namespace, release and type checks, with what they yield: a source holds
# a few dozen distinct ones (release x message type), so the checks run once per tag, not per message.
_OPENED_TAGS: dict[str, tuple[str, str, str, str]] = {}


class Opened(NamedTuple):
    """A parsed message whose root, namespace, release and type are in order."""

    root: Any  # the lxml root element (lxml has no type stubs here)
    jw: str
    release: str
    major: str
    minor: str


def read_xml_message(data: bytes, unit: UnitResult, ctx: ReaderContext) -> None:
    """Parse one message and write its rows; all accounting goes into `unit`."""
    opened = open_message(data, unit)
    if opened is not None:
        read_opened(opened, unit, ctx)


def open_message(data: bytes, unit: UnitResult) -> Opened | None:
    """Parse safely and check root, namespace, release and type; on a problem reject the unit (None)."""
    if has_dtd(data):
        unit.reject("bestand", "IJW_DTD_GEWEIGERD", reason("IJW_DTD_GEWEIGERD"))
        return None
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        code, kw = parse_error_reason(exc, data)
        unit.reject("bestand", code, reason(code, **kw))
        return None
    except ValueError:
        unit.reject("bestand", "IJW_CODERING_ONGELDIG", reason("IJW_CODERING_ONGELDIG", line=0))
        return None
    if walk.has_doctype(root):
        unit.reject("bestand", "IJW_DTD_GEWEIGERD", reason("IJW_DTD_GEWEIGERD"))
        return None

    tag = root.tag  # "{namespace}Local" or "Local"
    known = _OPENED_TAGS.get(tag)
    if known is not None:  # a root tag that passed every check below before
        unit.report.message_type = known[0]
        return Opened(root, *known)
    ns, _, localname = tag[1:].partition("}") if tag[0] == "{" else ("", "", tag)
    m = NS_RE.match(ns)
    if localname != "Bericht" or not m:
        anym = ANY_IJW_NS.match(ns)
        if anym and localname == "Bericht":
            rel = f"{anym.group(1)}.{anym.group(2)}"
            unit.reject(
                "bericht", "IJW_RELEASE_NIET_ONDERSTEUND", reason("IJW_RELEASE_NIET_ONDERSTEUND", release=rel)
            )
        else:
            unit.reject(
                "bericht", "IJW_GEEN_IJW", reason("IJW_GEEN_IJW", root=localname, namespace=ns or "-")
            )
        return None
    major, minor, jw = m.group(1), m.group(2), m.group(3).upper()
    release = f"{major}.{minor}"
    unit.report.message_type = jw if jw in codes.BERICHTCODE else None
    if release not in codes.SUPPORTED_RELEASES:
        unit.reject(
            "bericht", "IJW_RELEASE_NIET_ONDERSTEUND", reason("IJW_RELEASE_NIET_ONDERSTEUND", release=release)
        )
        return None
    if jw not in codes.BERICHTCODE:
        unit.reject("bericht", "IJW_BERICHTTYPE_ONBEKEND", reason("IJW_BERICHTTYPE_ONBEKEND", value=jw))
        return None

    _OPENED_TAGS[tag] = (jw, release, major, minor)
    return Opened(root, jw, release, major, minor)


def read_opened(opened: Opened, unit: UnitResult, ctx: ReaderContext) -> None:
    """Read the header, then the lines, of an opened message (the exact path: every reason worded)."""

    root, jw, release, major, minor = opened
    header = _find(root, "Header")
    n_records = sum(1 for _ in root.iter(*_ANY_NS_RECORD_TAGS[jw])) or 1
    if header is None:
        unit.reject(
            "Header", "IJW_ELEMENT_ONTBREEKT", reason("IJW_ELEMENT_ONTBREEKT", element="Header"), n_records
        )
        return

    # header: version cross-check, then the common fields
    texts = walk.first(header, HEADER_PLAN)
    c = Check()
    for element, expected in (
        ("BerichtCode", str(codes.BERICHTCODE[jw])),
        ("BerichtVersie", major),
        ("BerichtSubversie", minor),
    ):
        value = texts[element]
        if value is None:
            c.fail("IJW_ELEMENT_ONTBREEKT", element=f"Header/{element}")
        elif value.lstrip("0") != expected.lstrip("0"):
            c.fail("IJW_VERSIE_TEGENSTRIJDIG", element=f"Header/{element}", value=value, expected=expected)
    is_retour = jw in fields.RETOUR_TYPES
    hraw = {
        "release": release,
        "afzender": texts["afzender"],
        "ontvanger": texts["ontvanger"],
        "bericht_identificatie": texts["bericht_identificatie"],
        "dagtekening": texts["dagtekening"],
    }
    extra: dict = {}
    if is_retour:
        if jw == "JW325" and _find(header, "DeclaratieIdentificatie") is not None:
            own_id, own_date = hraw["bericht_identificatie"], hraw["dagtekening"]
            hraw["bericht_identificatie"] = texts["declaratie_identificatie"]
            hraw["dagtekening"] = texts["declaratie_dagtekening"]
            extra["identificatie_retour"] = c.field(spec.IDENTIFICATIE_RETOUR_325, own_id)
            extra["dagtekening_retour"] = c.field(spec.DAGTEKENING_RETOUR_325, own_date)
        else:
            extra["identificatie_retour"] = c.field(spec.IDENTIFICATIE_RETOUR, texts["identificatie_retour"])
            extra["dagtekening_retour"] = c.field(spec.DAGTEKENING_RETOUR, texts["dagtekening_retour"])
    head = fields.check_header(jw, hraw, c)
    if c.errors:
        unit.report.records_read += n_records
        unit.report.records_quarantined += n_records
        for code, text in c.errors:
            unit.add_reason("Header", code, text)
        return

    common = {**head, "bestand": unit.report.path, "bron_formaat": "xml"}
    before_loaded = unit.report.records_loaded
    before_read = unit.report.records_read
    if is_retour:
        _read_retour(jw, root, header, common, extra, unit, ctx)
    else:
        _read_heen(jw, root, common, unit, ctx)
    ctx.sink.add(
        "bron_bericht",
        {
            **common,
            "positie": "bericht",
            "identificatie_retour": extra.get("identificatie_retour"),
            "dagtekening_retour": extra.get("dagtekening_retour"),
            "inhoud_hash": unit.content_hash,
            "aantal_records": unit.report.records_read - before_read,
            "aantal_geladen": unit.report.records_loaded - before_loaded,
        },
    )


def _no_records(jw: str, unit: UnitResult) -> None:

    tag = RECORD_TAGS[jw][0]
    unit.reject("bericht", "IJW_GEEN_RECORDS", reason("IJW_GEEN_RECORDS", element=tag))


def _scope_raw(jw: str, scope) -> dict:
    """The raw texts of the fields every line below `scope` shares (JW317's Verzoek, JW323's Declaratie)."""
    return {f.name: _tx(scope, f.path) for f in spec.MESSAGES[jw].scope_fields}


def _heen_groups(jw: str, root) -> list[tuple[object, str, list, dict]]:
    """(client element or None, client position, [(line element, tag)], extra raw) per client."""
    if jw == "JW319":
        antwoord = _find(root, "Antwoord")
        return [(None, "", [(antwoord, "Antwoord")] if antwoord is not None else [], {})]
    if jw == "JW323":
        decl = _find(root, "Declaratie")
        if decl is None:
            return []
        extra = _scope_raw(jw, decl)
        return [
            (cl, f"Client {i}", [(p, "Prestatie") for p in _path(cl, "Prestaties/Prestatie")], extra)
            for i, cl in enumerate(_path(decl, "Clienten/Client"), 1)
        ]
    client = _find(root, "Client")
    if client is None:
        return []
    if jw == "JW317":
        verzoek = _find(client, "Verzoek")
        if verzoek is None:
            return [(client, "Client", [], {})]
        extra = _scope_raw(jw, verzoek)
        lines = [
            (el, local(el.tag)) for group in verzoek for el in group if local(el.tag) in RECORD_TAGS["JW317"]
        ]
        return [(client, "Client", lines, extra)]
    tag = RECORD_TAGS[jw][0]
    return [(client, "Client", [(el, tag) for el in client.iter("{*}" + tag)], {})]


def _read_heen(jw: str, root, common: dict, unit: UnitResult, ctx: ReaderContext) -> None:
    from pipelines.ijw.schemas import TABLE_OF

    table = TABLE_OF[jw]
    build_line = fields.LINE_BUILDERS[jw]
    roles = fields.role_columns(jw, common)
    groups = _heen_groups(jw, root)
    if not any(lines for _, _, lines, _ in groups):
        _no_records(jw, unit)
        return
    counters: dict[str, int] = {}
    report = unit.report
    n_read = n_loaded = 0
    add = ctx.sink.add
    lc = Check()
    for client, client_pos, lines, extra in groups:
        client_vals: dict = {}
        client_errors: list = []
        if client is not None:
            cc = Check()
            client_vals = fields.check_client(jw, client_raw(client), cc, ctx.key, client_pos)
            client_errors = cc.errors
        shared = {**common, **client_vals, **roles}
        for el, tag in lines:
            n = counters[tag] = counters.get(tag, 0) + 1
            position = f"{tag} {n}"
            n_read += 1
            if client_errors:
                report.records_quarantined += 1
                for code, text in client_errors:
                    unit.add_reason(position, code, text)
                continue
            raw = walk.raw(el, PLAN_OF_TAG[tag])
            if extra:
                raw.update(extra)
            vals = build_line(raw, lc)
            if lc.errors:
                report.records_quarantined += 1
                for code, text in lc.errors:
                    unit.add_reason(position, code, text)
                lc = Check()
                continue
            n_loaded += 1
            row = {**shared, **vals}
            row["positie"] = position
            row["regel_sleutel"] = fields.line_key(jw, raw)
            add(table, row)
    report.records_read += n_read
    report.records_loaded += n_loaded


def _read_retour(
    jw: str, root, header, common: dict, extra: dict, unit: UnitResult, ctx: ReaderContext
) -> None:
    heen = codes.RETOUR_OF[jw]
    header_codes = walk.codes(header)
    base = {
        **common,
        **extra,
        "heen_berichttype": heen,
        "heen_afzender": fields.heen_afzender(jw, common),
        "heen_identificatie": common["bericht_identificatie"],
        "heen_dagtekening": common["dagtekening"],
    }
    table = "bron_declaratie_antwoord" if jw == "JW325" else "bron_retour"
    entries: list[tuple[object, str, list[str], dict]] = []  # (line, tag, context codes, extra raw)
    totals: dict = {}
    if jw == "JW325":
        da = _find(root, "DeclaratieAntwoord")
        if da is not None:
            ctx_codes = header_codes + walk.codes(da)
            decl_nr = _scope_raw("JW323", da)["declaratienummer"]  # DeclaratieAntwoord echoes Declaratie's
            totals = {
                "declaratienummer": decl_nr,
                "totaal_ingediend_bedrag": _int_or_none(_tx(da, "TotaalIngediendBedrag/TotaalBedrag")),
                "totaal_toegekend_bedrag": _int_or_none(_tx(da, "TotaalToegekendBedrag/TotaalBedrag")),
            }
            for cl in _path(da, "Clienten/Client"):
                cl_codes = ctx_codes + walk.codes(cl)
                bsn = {"bsn": _tx(cl, "Bsn"), "declaratienummer": decl_nr}
                entries.extend((p, "Prestatie", cl_codes, bsn) for p in _path(cl, "Prestaties/Prestatie"))
            header_codes = ctx_codes
    elif jw == "JW320":
        antwoord = _find(root, "Antwoord")
        if antwoord is not None:
            wpb = _find(antwoord, "Woonplaatsbeginsel")
            entries.append((antwoord, "Antwoord", header_codes + walk.codes(wpb), {}))
    else:
        client = _find(root, "Client")
        if client is not None:
            ctx_codes = header_codes + walk.codes(client)
            cextra = {"bsn": _tx(client, "Bsn")}
            if jw == "JW318":
                verzoek = _find(client, "Verzoek")
                if verzoek is not None:
                    ctx_codes = ctx_codes + walk.codes(verzoek)
                    cextra["referentie_aanbieder"] = _scope_raw("JW317", verzoek)["referentie_aanbieder"]
                    for group in verzoek:
                        for el in group:
                            tag = local(el.tag)
                            if tag in RECORD_TAGS[jw]:
                                entries.append((el, tag, ctx_codes, cextra))
            else:
                tag = RECORD_TAGS[jw][0]
                entries.extend((el, tag, ctx_codes, cextra) for el in client.iter("{*}" + tag))
            if not entries:
                header_codes = ctx_codes
    if not entries:
        unit.report.records_read += 1
        unit.report.records_loaded += 1
        row = {
            **base,
            **totals,
            "positie": "Header",
            "klasse": "Header",
            "regel_sleutel": None,
            "retourcodes": header_codes,
            "is_afgekeurd": fields.is_rejecting(header_codes),
        }
        ctx.sink.add(table, row)
        return
    counters: dict[str, int] = {}
    for el, tag, ctx_codes, eraw in entries:
        counters[tag] = counters.get(tag, 0) + 1
        unit.report.records_read += 1
        unit.report.records_loaded += 1
        raw = walk.raw(el, PLAN_OF_TAG[tag])
        raw.update({k: v for k, v in eraw.items() if v is not None})
        own = walk.codes(el)
        row = {
            **base,
            **totals,
            **fields.retour_line_fields(jw, raw, ctx.key),
            "positie": f"{tag} {counters[tag]}",
            "klasse": tag,
            "retourcodes": own,
            "is_afgekeurd": fields.is_rejecting(own + ctx_codes),
        }
        ctx.sink.add(table, row)


_SIGNED_INT = re.compile(r"-?\d+")


def _int_or_none(value: str | None) -> int | None:
    """An optional signed whole number of fewer than 18 characters, else None (never raises)."""
    return int(value) if value is not None and len(value) < 18 and _SIGNED_INT.fullmatch(value) else None
