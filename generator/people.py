"""Fictitious people: BSNs (11-proef), names, addresses, phone numbers and e-mail addresses.

Invariants: every BSN is unique within one generation and passes the 11-proef unless the caller asks for a
deliberately invalid one; all randomness comes from the `random.Random` passed in (no global state).
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from generator import region
from generator.ijwxml import Persoon
from pipelines.codes import bsn_elfproef


class BsnFactory:
    """Unique 9-digit BSNs; `invalid=True` gives one that fails the 11-proef."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self, invalid: bool = False) -> str:
        while True:
            digits = [self.rng.randint(1, 9)] + [self.rng.randint(0, 9) for _ in range(7)]
            s = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
            if s == 10:
                continue
            last = s if not invalid else (s + 1 + self.rng.randint(0, 7)) % 10
            bsn = "".join(map(str, digits)) + str(last)
            if bsn in self.used or bsn_elfproef(bsn) == invalid:
                continue
            self.used.add(bsn)
            return bsn


def _ascii(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def new_persoon(
    rng: random.Random, bsns: BsnFactory, gemeente: region.Gemeente, on: date, invalid_bsn: bool = False
) -> Persoon:
    """A child aged 0-17 on `on`, living in `gemeente`."""
    age_days = int(365.25 * rng.choice((2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17)))
    born = on - timedelta(days=age_days - rng.randint(0, 364))
    geslacht = rng.choice(("1", "2", "1", "2", "1"))
    voornaam = rng.choice(region.VOORNAMEN_M if geslacht == "1" else region.VOORNAMEN_V)
    voorvoegsel, achternaam = rng.choice(region.ACHTERNAMEN)
    lo, hi = gemeente.pc4
    postcode = (
        f"{rng.randint(lo, hi)}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
    )
    mail_naam = _ascii(f"{voornaam}.{voorvoegsel}{achternaam}").lower().replace(" ", "")
    return Persoon(
        bsn=bsns.new(invalid=invalid_bsn),
        geboortedatum=born.isoformat(),
        geslacht=geslacht,
        voornamen=voornaam,
        voorletters=_ascii(voornaam[0]),
        voorvoegsel=voorvoegsel,
        achternaam=achternaam,
        straat=rng.choice(gemeente.straten),
        huisnummer=rng.randint(1, 180),
        postcode=postcode,
        plaats=gemeente.naam,
        telefoon=f"06{rng.randint(10000000, 99999999)}",
        email=f"{mail_naam}{rng.randint(1, 99)}@voorbeeldmail.nl",
        ouder_voornaam=rng.choice(region.VOORNAMEN_V + region.VOORNAMEN_M) if rng.random() < 0.1 else "",
        ouder_telefoon=f"06{rng.randint(10000000, 99999999)}",
    )
