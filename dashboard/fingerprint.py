"""Content keys for derived artefacts (chart specs, display tables): what they are built from, not where.

Invariant: two values get the same key only if they are equal in content. A frame is keyed by its whole
Arrow IPC serialisation (every row, the schema), other values by type and `repr` of a closed set of plain
types; anything else raises `TypeError` rather than falling back to an identity-based key. (Streamlit's own
`st.cache_data` hashing of a polars frame is no substitute: in the pinned version it hashes a truncated
text rendering of the row hashes, so frames that differ only in middle rows get the same key.)
Pure functions; no Streamlit.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime

import polars as pl

_PLAIN = (str, int, float, bool, date, datetime, type(None))


def fingerprint(*values: object) -> str:
    """A SHA-256 hex key of `values` (frames, plain scalars, and tuples/lists/dicts of those)."""
    h = hashlib.sha256()
    for value in values:
        _update(h, value)
    return h.hexdigest()


def _update(h: hashlib._Hash, value: object) -> None:
    if isinstance(value, pl.DataFrame):
        buf = io.BytesIO()
        value.write_ipc(buf, compression="uncompressed")
        data = buf.getvalue()
        h.update(b"frame:%d:" % len(data))
        h.update(data)
    elif isinstance(value, _PLAIN):
        text = repr((type(value).__name__, value)).encode()
        h.update(b"plain:%d:" % len(text))
        h.update(text)
    elif isinstance(value, (tuple, list)):
        h.update(b"%s:%d:" % (type(value).__name__.encode(), len(value)))
        for item in value:
            _update(h, item)
    elif isinstance(value, dict):
        h.update(b"dict:%d:" % len(value))
        for key, item in value.items():  # in order: a chart's series order is part of what it shows
            _update(h, key)
            _update(h, item)
    else:
        raise TypeError(f"geen inhoudssleutel voor een waarde van type {type(value).__name__}")
