"""Declared schemas of the iJw source tables (`bron_*`), derived from `pipelines.ijw.spec`.

Invariants:
- Every row carries its provenance: `bestand` (source path, zip members as "<zip>/<member>"), `positie`
  (e.g. "ToegewezenProduct 2", "regel 17") and `bron_formaat` ("xml" or "csv").
- No column holds a BSN, a name, an address (PC4 at most), a phone number, an e-mail address, a relation,
  free text (Commentaar) or referrer identity; the birth date is reduced to year and month.
- `regel_sleutel` is computed by `pipelines.ijw.fields.line_key` from the same normalised fields for XML and
  CSV, so a retour line links to its heenbericht line whatever the format.
- The columns of a line table are those of its message type's table in `spec.MESSAGES`; nothing here
  names a line column.
"""

from __future__ import annotations

import polars as pl

from pipelines import codes
from pipelines.ijw import spec

BRON_BERICHT = spec.schema_of(spec.BRON_BERICHT)
BRON_TOEWIJZING = spec.LINE_TABLES["bron_toewijzing"]
BRON_START = spec.LINE_TABLES["bron_start"]
BRON_STOP = spec.LINE_TABLES["bron_stop"]
BRON_VERZOEK = spec.LINE_TABLES["bron_verzoek"]  # JW315 (verzoek_soort toewijzing) and JW317 (wijziging)
BRON_ANTWOORD = spec.LINE_TABLES["bron_antwoord"]
BRON_DECLARATIE = spec.LINE_TABLES["bron_declaratie"]
BRON_RETOUR = spec.schema_of(spec.BRON_RETOUR)
BRON_DECLARATIE_ANTWOORD = spec.schema_of(spec.BRON_DECLARATIE_ANTWOORD)

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

# Which table a message type's lines go to (a retour: its retour table).
TABLE_OF: dict[str, str] = {
    **{jw: m.table for jw, m in spec.MESSAGES.items()},
    **{ret: ("bron_declaratie_antwoord" if ret == "JW325" else "bron_retour") for ret in codes.RETOUR_OF},
}
