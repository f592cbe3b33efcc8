"""Declared schemas of the iJw source tables (`bron_*`).

Invariants:
- Every row carries its provenance: `bestand` (source path, zip members as "<zip>/<member>"), `positie`
  (e.g. "ToegewezenProduct 2", "regel 17") and `bron_formaat` ("xml" or "csv").
- No column holds a BSN, a name, an address (PC4 at most), a phone number, an e-mail address, a relation,
  free text (Commentaar) or referrer identity; the birth date is reduced to year and month.
- `regel_sleutel` is computed by `pipelines.ijw.fields.line_key` from the same normalised fields for XML and
  CSV, so a retour line links to its heenbericht line whatever the format.
"""

from __future__ import annotations

import polars as pl

S = pl.String
D = pl.Date
I = pl.Int64  # noqa: E741

COMMON: dict[str, pl.DataType] = {
    "bestand": S,
    "positie": S,
    "bron_formaat": S,
    "berichttype": S,
    "release": S,
    "afzender": S,
    "ontvanger": S,
    "bericht_identificatie": S,
    "dagtekening": D,
    "regel_sleutel": S,
}

CLIENT: dict[str, pl.DataType] = {
    "client_id": S,
    "geboortejaar": I,
    "geboortemaand": I,
    "geslacht": S,
}

BRON_BERICHT = pl.Schema(
    {
        "bestand": S,
        "positie": S,
        "bron_formaat": S,
        "berichttype": S,
        "release": S,
        "afzender": S,
        "ontvanger": S,
        "bericht_identificatie": S,
        "dagtekening": D,
        "identificatie_retour": S,
        "dagtekening_retour": D,
        "inhoud_hash": S,
        "aantal_records": I,
        "aantal_geladen": I,
    }
)

BRON_TOEWIJZING = pl.Schema(
    {
        **COMMON,
        **CLIENT,
        "pc4": S,
        "gemeente_code": S,
        "aanbieder_agb": S,
        "toewijzingnummer": I,
        "referentie_aanbieder": S,
        "productcategorie": S,
        "productcode": S,
        "toewijzingsdatum": D,
        "toewijzingstijd": pl.Time,
        "ingangsdatum": D,
        "einddatum": D,
        "reden_wijziging": S,
        "volume": I,
        "eenheid": S,
        "frequentie": S,
        "budget": I,
    }
)

BRON_START = pl.Schema(
    {
        **COMMON,
        **CLIENT,
        "aanbieder_agb": S,
        "gemeente_code": S,
        "toewijzingnummer": I,
        "productcategorie": S,
        "productcode": S,
        "toewijzing_ingangsdatum": D,
        "begindatum": D,
        "status_aanlevering": S,
    }
)

BRON_STOP = pl.Schema(
    {
        **COMMON,
        **CLIENT,
        "aanbieder_agb": S,
        "gemeente_code": S,
        "toewijzingnummer": I,
        "productcategorie": S,
        "productcode": S,
        "toewijzing_ingangsdatum": D,
        "begindatum": D,
        "reden_beeindiging": S,
        "einddatum": D,
        "status_aanlevering": S,
    }
)

BRON_VERZOEK = pl.Schema(
    {
        **COMMON,
        **CLIENT,
        "aanbieder_agb": S,
        "gemeente_code": S,
        "verzoek_soort": S,  # toewijzing (JW315) | wijziging (JW317)
        "product_soort": S,  # JW317: ongewijzigd | te_wijzigen | nieuw; JW315: aangevraagd
        "referentie_aanbieder": S,
        "toewijzingnummer": I,
        "productcategorie": S,
        "productcode": S,
        "ingangsdatum": D,
        "einddatum": D,
        "volume": I,
        "eenheid": S,
        "frequentie": S,
        "budget": I,
        "verwijzer_type": S,
        "reden_verzoek": S,
    }
)

BRON_ANTWOORD = pl.Schema(
    {
        **COMMON,
        "gemeente_code": S,
        "aanbieder_agb": S,
        "referentie_aanbieder": S,
        "verzoek_antwoord": S,
        "reden_afwijzing": S,
        "woonplaatsbeginsel_gemeente": S,
    }
)

BRON_DECLARATIE = pl.Schema(
    {
        **COMMON,
        "client_id": S,
        "aanbieder_agb": S,
        "gemeente_code": S,
        "declaratienummer": S,
        "referentienummer": S,
        "vorig_referentienummer": S,
        "toewijzingnummer": I,
        "productcategorie": S,
        "productcode": S,
        "productperiode_begin": D,
        "productperiode_eind": D,
        "geleverd_volume": I,
        "eenheid": S,
        "product_tarief": I,
        "ingediend_bedrag": I,
        "debet_credit": S,
    }
)

# Retours: the COMMON header columns hold the echoed heenbericht header (berichttype = the retour type).
RETOUR: dict[str, pl.DataType] = {
    "heen_berichttype": S,
    "heen_afzender": S,
    "heen_identificatie": S,
    "heen_dagtekening": D,
    "identificatie_retour": S,
    "dagtekening_retour": D,
    "klasse": S,
    "client_id": S,
    "retourcodes": pl.List(S),
    "is_afgekeurd": pl.Boolean,
}

BRON_RETOUR = pl.Schema(
    {
        **COMMON,
        **RETOUR,
        "toewijzingnummer": I,
        "referentie_aanbieder": S,
    }
)

BRON_DECLARATIE_ANTWOORD = pl.Schema(
    {
        **COMMON,
        **RETOUR,
        "declaratienummer": S,
        "referentienummer": S,
        "totaal_ingediend_bedrag": I,
        "totaal_toegekend_bedrag": I,
    }
)

TABLES: dict[str, pl.Schema] = {
    "bron_bericht": BRON_BERICHT,
    "bron_toewijzing": BRON_TOEWIJZING,
    "bron_start": BRON_START,
    "bron_stop": BRON_STOP,
    "bron_verzoek": BRON_VERZOEK,
    "bron_antwoord": BRON_ANTWOORD,
    "bron_declaratie": BRON_DECLARATIE,
    "bron_retour": BRON_RETOUR,
    "bron_declaratie_antwoord": BRON_DECLARATIE_ANTWOORD,
}

# Which table a heenbericht type's lines go to.
TABLE_OF: dict[str, str] = {
    "JW301": "bron_toewijzing",
    "JW305": "bron_start",
    "JW307": "bron_stop",
    "JW315": "bron_verzoek",
    "JW317": "bron_verzoek",
    "JW319": "bron_antwoord",
    "JW323": "bron_declaratie",
    "JW302": "bron_retour",
    "JW306": "bron_retour",
    "JW308": "bron_retour",
    "JW316": "bron_retour",
    "JW318": "bron_retour",
    "JW320": "bron_retour",
    "JW325": "bron_declaratie_antwoord",
}
