"""Pseudonymisation of BSN at the moment of reading.

Invariants:
- `client_id` = HMAC-SHA256(regional secret, BSN) as lowercase hex; the same BSN gives the same client_id
  across every source (iJw, provider records, caseload), so a child can be followed through the chain.
- Every keyed hash of the product is computed here and nowhere else: `pseudonymise` (BSN) and
  `medewerker_id` (a team member's code, domain-separated by a prefix so it never equals a client_id).
- The secret is never written into the database. It comes from `KETENMONITOR_PSEUDONYM_KEY` or from a key
  file beside the database (`<db>.key`, created once with mode 0600 and a warning).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from pipelines import settings

log = logging.getLogger(__name__)


def key_file_for(db: Path) -> Path:
    return db.with_name(db.name + ".key")


def load_key(db: Path) -> bytes:
    """The regional secret: env var first, else the key file beside `db` (created when missing)."""
    env = settings.pseudonym_key_env()
    if env:
        return env.encode("utf-8")
    path = key_file_for(db)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        log.warning(
            "Geen KETENMONITOR_PSEUDONYM_KEY gezet: nieuwe sleutel aangemaakt in %s (mode 0600). "
            "Bewaar deze sleutel veilig; zonder dezelfde sleutel krijgen kinderen bij een volgende "
            "build andere client_id's.",
            path,
        )
    return path.read_text("utf-8").strip().encode("utf-8")


def pseudonymise(bsn: str, key: bytes) -> str:
    """Keyed hash of a BSN (the caller validates the BSN first)."""
    return hmac.new(key, bsn.encode("ascii"), hashlib.sha256).hexdigest()


def medewerker_id(code: str, key: bytes) -> str:
    """Keyed hash of a team member's code, domain-separated from the BSN hash; 16 hex characters."""
    return hmac.new(key, b"medewerker\x00" + code.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def schuilnaam_zout(key: bytes) -> str:
    """The secret order of the providers' pseudonyms ("Aanbieder A", B, ...; dashboard/data.py): a keyed
    hash, domain-separated, so the letters are the same in every build with this key and nobody without
    the key can work out which provider has which letter from the (public) AGB codes."""
    return hmac.new(key, b"schuilnamen-aanbieders\x00", hashlib.sha256).hexdigest()
