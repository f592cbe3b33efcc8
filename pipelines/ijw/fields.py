"""Validation and row building shared by the XML and the CSV reader.

Both readers turn a record into a *raw* dict of stripped strings keyed by the column names of the flat CSV
export (docs/data-formats.md); everything after that is common code here. That is what makes "the same
traffic via XML and via CSV" produce the same rows.

The line rules (which fields, their kinds, required, lengths, code lists, element names, line key) are
not written here: `LINE_BUILDERS` and `KEY_PARTS` are derived from `pipelines.ijw.spec`.

Invariants:
- A check never raises on bad input: it records (code, Dutch sentence) and returns None.
- The BSN is validated (elfproef) and pseudonymised here, and only the pseudonym leaves this module.
- The birth date leaves as year and month only; a postcode as PC4 only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import Any

from pipelines import codes, pseudonym
from pipelines.ijw import spec
from pipelines.ijw.reasons import reason

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?$")
_INT = re.compile(r"^[+-]?\d{1,18}$")
_PC4 = re.compile(r"^([1-9]\d{3})")

GEMEENTE_AFZENDER = frozenset({"JW301", "JW302", "JW319", "JW320", "JW325"})
RETOUR_TYPES = frozenset(codes.RETOUR_OF)
HEEN_TYPES = frozenset(codes.HEEN_TO_RETOUR)
WITH_DEMOGRAPHICS = frozenset({"JW301", "JW302", "JW305", "JW306", "JW307", "JW308", "JW315", "JW316"})


class Check:
    """Collects the problems of one record (or one header/client) while converting values."""

    __slots__ = ("errors",)

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def fail(self, code: str, **kw: object) -> None:
        self.errors.append((code, reason(code, **kw)))

    def field(self, f: spec.Field, value: str | None) -> object:
        """`value` (a stripped text or None) checked and converted by the rule of declared field `f`."""
        return checked(self, rule_of(f), value)


# A field's rule as the checks use it: (name, kind, required, element, arg, codelist) with kind one of the
# constants below and arg the kind's parameter (text: max length; code: the code list's values).
TEXT, DATE, TIME, CODE, INTEGER, AGB, GEMEENTE = range(7)
_KINDS = {"text": TEXT, "date": DATE, "time": TIME, "code": CODE, "integer": INTEGER, "agb": AGB,
          "gemeente": GEMEENTE}  # fmt: skip
# arg is Any: its type depends on kind, and `checked` (the hot path) uses it without a cast.
Rule = tuple[str, int, bool, str, Any, str | None]


def rule_of(f: spec.Field) -> Rule:
    kind = _KINDS[f.kind]
    arg = f.max_len if kind == TEXT else f.values if kind == CODE else None
    return (f.name, kind, f.required, f.label, arg, f.codelist)


def checked(c: Check, rule: Rule, value: str | None) -> object:
    """The checked and converted value, or None after recording (code, reason) in `c`; never raises."""
    _, kind, required, element, arg, codelist = rule
    if value is None:
        if required:
            c.fail("IJW_ELEMENT_ONTBREEKT", element=element)
        return None
    if kind == TEXT:
        if len(value) <= arg:
            return value
        c.fail("IJW_TEKST_TE_LANG", element=element, limit=arg)
    elif kind == CODE:
        if value in arg:
            return value
        c.fail("IJW_CODE_ONGELDIG", element=element, value=value, codelist=codelist)
    elif kind == DATE:
        parsed = parse_date(value)
        if parsed is None:
            c.fail("IJW_DATUM_ONGELDIG", element=element, value=value)
        return parsed
    elif kind == INTEGER:
        # isdecimal() is exactly regex \d (Unicode Nd); the regex decides everything else
        if (value.isdecimal() and len(value) <= 18) or _INT.match(value):
            return int(value)
        c.fail("IJW_GETAL_ONGELDIG", element=element, value=value)
    elif kind == TIME:
        parsed_time = time_value(value)
        if parsed_time is not None:
            return parsed_time
        c.fail("IJW_TIJD_ONGELDIG", element=element, value=value)
    elif kind == GEMEENTE:
        if is_gemeente(value):
            return value
        c.fail("IJW_GEMEENTE_ONGELDIG", element=element, value=value)
    elif kind == AGB:
        if is_agb(value):
            return value
        c.fail("IJW_AGB_ONGELDIG", element=element, value=value)
    return None


def time_value(value: str) -> time | None:
    """A time UU:MM:SS (fraction allowed and dropped), or None."""
    m = _TIME.match(value)
    if m:
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if h < 24 and mi < 60 and s < 60:
            return time(h, mi, s)
    return None


def is_agb(value: str | None) -> bool:
    return value is not None and len(value) == 8 and value.isdigit() and value.isascii()


def is_gemeente(value: str | None) -> bool:
    return value is not None and len(value) == 4 and value.isdigit() and value.isascii()


def heen_afzender(msgtype: str, header: dict) -> str | None:
    """The sender of the heenbericht a retour answers (JW325: the aanbieder, whichever way it is written)."""
    if msgtype == "JW325":
        return header["afzender"] if is_agb(header["afzender"]) else header["ontvanger"]
    return header["afzender"]


_DATE_CACHE: dict[str, date | None] = {}
_CLIENT_IDS: dict[bytes, dict[str, str | None]] = {}
CACHE_MAX = 500_000  # entries per cache; a cache is emptied when full (bounded memory per worker)


def parse_date(value: str) -> date | None:
    """A strict ISO date (YYYY-MM-DD, no timezone), or None (memoised: dates repeat a lot)."""
    try:
        return _DATE_CACHE[value]
    except KeyError:
        pass
    parsed = _parse_date(value)
    if len(_DATE_CACHE) >= CACHE_MAX:
        _DATE_CACHE.clear()
    _DATE_CACHE[value] = parsed
    return parsed


def client_id_of(bsn: str, key: bytes) -> str | None:
    """The pseudonym of a BSN that passes the elfproef, else None (memoised per key within a process)."""
    ids = _CLIENT_IDS.get(key)
    if ids is None:
        ids = _CLIENT_IDS[key] = {}
    try:
        return ids[bsn]
    except KeyError:
        pass
    client_id = pseudonym.pseudonymise(bsn, key) if codes.bsn_elfproef(bsn) else None
    if len(ids) >= CACHE_MAX:
        ids.clear()
    ids[bsn] = client_id
    return client_id


def _parse_date(value: str) -> date | None:
    if not _DATE.match(value):
        return None
    try:
        return date(int(value[:4]), int(value[5:7]), int(value[8:10]))
    except ValueError:
        return None


def normalise_number(value: str | None) -> str:
    """ToewijzingNummer as a key part: leading zeros dropped, empty when absent."""
    if value is None:
        return ""
    return (value.lstrip("0") or "0") if value.isdigit() else value


# Per heenbericht type: the parts of its line key, each with "is a number whose leading zeros are dropped".
KEY_PARTS: dict[str, tuple[tuple[str, bool], ...]] = {
    jw: tuple((name, m.normalised_key(name)) for name in m.key) for jw, m in spec.MESSAGES.items()
}


def line_key(heen_type: str, raw: dict) -> str:
    """The key of a line within its heenbericht, identical for the heen line, its XML echo and its CSV row."""
    g = raw.get
    return "|".join(
        (normalise_number(g(name)) if number else g(name)) or ""
        for name, number in KEY_PARTS.get(heen_type, ())
    )


# ---------------------------------------------------------------- header

# the declared header and client fields' rules, made once (check_header runs per CSV row)
_ROLE_RULES = {
    first: tuple(map(rule_of, spec.ROLES["gemeente" if first else "aanbieder"])) for first in (True, False)
}
_IDENTIFICATIE = rule_of(spec.IDENTIFICATIE)
_DAGTEKENING = rule_of(spec.DAGTEKENING)
_GESLACHT = rule_of(spec.GESLACHT)


def check_header(msgtype: str, raw: dict, c: Check) -> dict:
    """Typed header values of one message (XML) or one CSV row."""
    gemeente_first = msgtype in GEMEENTE_AFZENDER
    if msgtype == "JW325" and is_agb(raw.get("afzender")) and is_gemeente(raw.get("ontvanger")):
        gemeente_first = False  # tolerated: a JW325 that echoes the JW323 header like the other retours
    afzender_rule, ontvanger_rule = _ROLE_RULES[gemeente_first]
    afzender = checked(c, afzender_rule, raw.get("afzender"))
    ontvanger = checked(c, ontvanger_rule, raw.get("ontvanger"))
    ident = checked(c, _IDENTIFICATIE, raw.get("bericht_identificatie"))
    dagtekening = checked(c, _DAGTEKENING, raw.get("dagtekening"))
    return {
        "berichttype": msgtype,
        "release": raw.get("release"),
        "afzender": afzender,
        "ontvanger": ontvanger,
        "bericht_identificatie": ident,
        "dagtekening": dagtekening,
    }


# ---------------------------------------------------------------- client


def check_client(msgtype: str, raw: dict, c: Check, key: bytes, position: str) -> dict:
    """Pseudonymised client fields: client_id, geboortejaar, geboortemaand, geslacht (and pc4)."""
    bsn = raw.get("bsn")
    client_id = None
    if bsn is None:
        c.fail("IJW_ELEMENT_ONTBREEKT", element=spec.BSN_ELEMENT)
    else:
        client_id = client_id_of(bsn, key)
        if client_id is None:
            c.fail("IJW_BSN_ONGELDIG", position=position)
    out: dict = {"client_id": client_id}
    if msgtype in WITH_DEMOGRAPHICS:
        geb = raw.get("geboortedatum")
        jaar = maand = None
        if geb is None:
            c.fail("IJW_ELEMENT_ONTBREEKT", element=spec.GEBOORTEDATUM_ELEMENT)
        else:
            parsed = parse_date(geb)
            if parsed is None:
                c.fail("IJW_DATUM_ONGELDIG_PERSOON", element=spec.GEBOORTEDATUM_ELEMENT)
            else:
                jaar, maand = parsed.year, parsed.month
        out["geboortejaar"] = jaar
        out["geboortemaand"] = maand
        out["geslacht"] = checked(c, _GESLACHT, raw.get("geslacht"))
        pc = raw.get("postcode")
        m = _PC4.match(pc) if pc else None
        out["pc4"] = m.group(1) if m else None
    return out


# ---------------------------------------------------------------- lines


class LineBuilder:
    """The typed line columns of one heenbericht type from a record's raw texts, by its declared table:
    every field checked in check order (problems recorded in the Check), constants and derived columns.

    A line without any problem (nearly every line) takes `fast`, a function generated from the same rules
    that only accepts: it returns the columns, or None as soon as any value is not plainly valid. Then
    every field goes through `checked` in check order, which words the reasons; so the result and the
    reasons are those of `checked` either way.
    """

    __slots__ = ("consts", "derived", "fast", "rules")

    def __init__(self, message: spec.Message) -> None:
        self.rules = tuple(rule_of(f) for f in message.fields)
        self.consts = {i.name: i.value for i in message.line if isinstance(i, spec.Const)}
        self.derived = tuple((i.name, i.rule) for i in message.line if isinstance(i, spec.Derived))
        self.fast = _fast_builder(message.jw, self.rules, self.consts)

    def __call__(self, raw: dict, c: Check) -> dict:
        out = self.fast(raw)
        if out is None:
            out = self.consts.copy()
            get = raw.get
            for rule in self.rules:
                out[rule[0]] = checked(c, rule, get(rule[0]))
        for name, derive in self.derived:
            out[name] = derive(raw)
        return out


# Per kind: the lines of the generated fast path for a present value `v` (None: not plainly valid).
_FAST = {
    TEXT: ["if len(v) > {arg}: return None"],
    CODE: ["if v not in {arg}: return None"],
    DATE: ["v = parse_date(v)", "if v is None: return None"],
    INTEGER: ["if not (v.isdecimal() and len(v) <= 18): return None", "v = int(v)"],
    TIME: ["v = time_value(v)", "if v is None: return None"],
    GEMEENTE: ["if not is_gemeente(v): return None"],
    AGB: ["if not is_agb(v): return None"],
}


def _fast_builder(jw: str, rules: tuple[Rule, ...], consts: dict) -> Callable[[dict], dict | None]:
    """Generate (once, at import) the accepting fast path of a line builder from its rules."""
    env: dict = {"parse_date": parse_date, "time_value": time_value, "is_gemeente": is_gemeente,
                 "is_agb": is_agb}  # fmt: skip
    body = ["g = raw.get"]
    values = []
    for i, (name, kind, required, _, arg, _) in enumerate(rules):
        if kind == CODE:
            env[f"codes_{i}"] = arg
            arg = f"codes_{i}"
        body.append(f"v = g({name!r})")
        body.append("if v is None: " + ("return None" if required else "pass"))
        body.append("else:")
        body.extend("    " + line.format(arg=arg) for line in _FAST[kind])
        body.append(f"v{i} = v")
        values.append(f"{name!r}: v{i}")
    values.extend(f"{name!r}: {value!r}" for name, value in consts.items())
    body.append("return {" + ", ".join(values) + "}")
    source = f"def fast_{jw}(raw):\n" + "".join(f"    {line}\n" for line in body)
    exec(compile(source, f"<LineBuilder {jw}>", "exec"), env)  # the source is made from the spec only
    return env[f"fast_{jw}"]


LINE_BUILDERS: dict[str, LineBuilder] = {jw: LineBuilder(m) for jw, m in spec.MESSAGES.items()}


def role_columns(msgtype: str, header: dict) -> dict:
    """gemeente_code and aanbieder_agb from the header, by direction of the message."""
    if msgtype in GEMEENTE_AFZENDER and not (msgtype == "JW325" and is_agb(header["afzender"])):
        return {"gemeente_code": header["afzender"], "aanbieder_agb": header["ontvanger"]}
    return {"gemeente_code": header["ontvanger"], "aanbieder_agb": header["afzender"]}


def is_rejecting(codes_: list[str]) -> bool:
    """True when any retourcode means "rejected" (anything but 0200 and 8001)."""
    return any(code not in codes.ACCEPTING_RETOURCODES for code in codes_)


# Klasse names of the echoed lines of each retour (JW318: per product kind).
RETOUR_KLASSE = {
    "JW302": "ToegewezenProduct",
    "JW306": "StartProduct",
    "JW308": "StopProduct",
    "JW316": "AangevraagdProduct",
    "JW320": "Antwoord",
    "JW325": "Prestatie",
}
KLASSE_317 = {
    "ongewijzigd": "OngewijzigdProduct",
    "te_wijzigen": "TeWijzigenProduct",
    "nieuw": "NieuwProduct",
}


def retour_line_fields(rettype: str, raw: dict, key: bytes) -> dict:
    """Key fields of an echoed line (no validation beyond what linkage needs)."""
    heen = codes.RETOUR_OF[rettype]
    bsn = raw.get("bsn")
    client_id = client_id_of(bsn, key) if bsn else None
    tnr = raw.get("toewijzingnummer")
    return {
        "regel_sleutel": line_key(heen, raw),
        "client_id": client_id,
        "toewijzingnummer": int(tnr) if tnr and tnr.isdigit() and len(tnr) < 18 else None,
        "referentie_aanbieder": raw.get("referentie_aanbieder"),
        "declaratienummer": raw.get("declaratienummer"),
        "referentienummer": raw.get("referentienummer"),
    }
