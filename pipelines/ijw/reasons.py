"""Quarantine codes and their Dutch sentences: the single place where reasons are worded.

Invariant: a reason names the element and the offending value, except for personal data (Bsn,
Geboortedatum), which is reported by position only. Values are cut to 40 characters and stripped of
control characters, so a hostile file cannot inject long or multi-line text into the report.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    # file and container level
    "IJW_BESTAND_TE_GROOT": "Bestand is {size} bytes, groter dan de limiet van {limit} bytes; niet gelezen.",
    "IJW_BESTAND_ONLEESBAAR": "Bestand kan niet worden gelezen ({error}).",
    "IJW_ZIP_ONGELDIG": "Zip-bestand is beschadigd of geen geldig zip-bestand.",
    "IJW_ZIP_TE_VEEL_LEDEN": (
        "Zip-bestand bevat {count} bestanden, meer dan de limiet van {limit}; niet gelezen."
    ),
    "IJW_ZIP_LID_TE_GROOT": "Zip-lid is uitgepakt groter dan de limiet van {limit} bytes; niet gelezen.",
    "IJW_ZIP_RATIO": (
        "Zip-lid heeft een compressieverhouding van {ratio}, boven de limiet van {limit} (mogelijke zip-bom);"
        " niet gelezen."
    ),
    "IJW_ZIP_PAD_ONVEILIG": "Zip-lid heeft een absoluut pad of '..' in de naam ({name}); niet gelezen.",
    "IJW_ZIP_TE_DIEP": "Zip-bestand is dieper genest dan {limit} niveaus; niet gelezen.",
    "IJW_ZIP_VERSLEUTELD": "Zip-lid is versleuteld; niet gelezen.",
    "IJW_ZIP_LID_ONBEKEND": "Zip-lid is geen iJw-bericht (.xml), iJw-export (.csv) of zip-bestand.",
    "IJW_DUPLICAAT": "Exact duplicaat van {original}; alleen het origineel is geladen.",
    # XML level
    "IJW_DTD_GEWEIGERD": (
        "Bestand bevat een DOCTYPE- of ENTITY-declaratie; die worden om veiligheidsredenen geweigerd"
        " (XXE, entiteit-expansie)."
    ),
    "IJW_XML_ONVOLLEDIG": "XML-bestand is afgebroken of leeg (onvolledig) bij regel {line}.",
    "IJW_CODERING_ONGELDIG": "Bestand is geen geldige tekst in de opgegeven tekencodering (regel {line}).",
    "IJW_XML_ONGELDIG": "XML-bestand is niet goed gevormd bij regel {line}, kolom {column}.",
    "IJW_GEEN_IJW": "Root-element is geen iJw-bericht (element {root}, namespace {namespace}).",
    "IJW_RELEASE_NIET_ONDERSTEUND": (
        "iJw-release {release} wordt niet ondersteund; alleen 3.0, 3.1 en 3.2 worden gelezen."
    ),
    "IJW_BERICHTTYPE_ONBEKEND": "Berichttype {value} wordt niet ondersteund.",
    "IJW_VERSIE_TEGENSTRIJDIG": (
        "{element} '{value}' komt niet overeen met de namespace van het bericht (verwacht '{expected}')."
    ),
    "IJW_GEEN_RECORDS": "Bericht bevat geen {element}.",
    # element level
    "IJW_ELEMENT_ONTBREEKT": "Verplicht element {element} ontbreekt.",
    "IJW_DATUM_ONGELDIG": "{element} '{value}' is geen geldige datum (JJJJ-MM-DD).",
    "IJW_DATUM_ONGELDIG_PERSOON": "{element} is geen geldige datum (waarde niet getoond: persoonsgegeven).",
    "IJW_TIJD_ONGELDIG": "{element} '{value}' is geen geldige tijd (UU:MM:SS).",
    "IJW_CODE_ONGELDIG": "{element} '{value}' komt niet voor in codelijst {codelist}.",
    "IJW_BSN_ONGELDIG": "Bsn op {position} voldoet niet aan de elfproef (waarde niet getoond).",
    "IJW_GEMEENTE_ONGELDIG": "{element} '{value}' is geen geldige gemeentecode (4 cijfers).",
    "IJW_AGB_ONGELDIG": "{element} '{value}' is geen geldige AGB-code (8 cijfers).",
    "IJW_GETAL_ONGELDIG": "{element} '{value}' is geen geldig geheel getal.",
    "IJW_TEKST_TE_LANG": "{element} is langer dan {limit} tekens.",
    # CSV level
    "IJW_CSV_KOLOMMEN": "Regel heeft {count} kolommen in plaats van {expected}.",
    "IJW_CSV_KOPREGEL": "Kopregel is niet de kopregel van de iJw-export (zie docs/data-formats.md).",
}


def clean_value(value: object) -> str:
    """A value as it may appear in a reason: printable, at most 40 characters."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    return text if len(text) <= 40 else text[:37] + "..."


def reason(code: str, **kw: object) -> str:
    """The Dutch sentence for `code` with its placeholders filled."""
    safe = {
        k: (clean_value(v) if k in ("value", "name", "root", "namespace", "error") else v)
        for k, v in kw.items()
    }
    return REASONS[code].format(**safe)
