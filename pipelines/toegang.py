"""Who may see what: the three roles, the roles file and the view (`Zicht`) every page, query, download and
report is answered in.

Invariants:
- This module is the one home of the access rules: which pages a role has (`PAGINAS`), who sees lists per
  child, makes snapshots, writes notes and annotations, switches off the learning-session pseudonyms, and
  which teams and which provider a user sees (`Gebruiker.zicht`). The dashboard asks a `Gebruiker`; it
  never decides by the name of a role itself.
- Default deny: an identity the roles file does not name has no role (`Rollen.zoek` gives None) and sees
  nothing; a roles file with an error refuses everyone (`RollenFout`), never falls back to open access.
- A team manager and a chain partner never see figures of a team that is not theirs, and see every provider
  but their own organisation under a pseudonym; only the contract manager sees lists per child.
- Pure: no Streamlit, no database. The roles file is TOML (config/rollen.voorbeeld.toml, docs/toegang.md).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Rol(StrEnum):
    CONTRACTMANAGER = "contractmanager"
    KETENPARTNER = "ketenpartner"
    TEAMMANAGER = "teammanager"


ROL_LABELS: dict[Rol, str] = {
    Rol.CONTRACTMANAGER: "Contractmanager",
    Rol.KETENPARTNER: "Ketenpartner",
    Rol.TEAMMANAGER: "Teammanager",
}

# The pages (their url paths, dashboard/filtermodel.PAGES) each role has. Caseload also needs teams (a chain
# partner without teams in the roles file does not get it).
_REGIONAAL = frozenset({"overzicht", "stromen", "wachttijden", "signalen", "vooruitblik", "definities"})
PAGINAS: dict[Rol, frozenset[str]] = {
    Rol.CONTRACTMANAGER: _REGIONAAL | {"caseload", "leersessie", "verslag"},
    Rol.KETENPARTNER: _REGIONAAL | {"caseload", "leersessie", "verslag"},
    Rol.TEAMMANAGER: _REGIONAAL | {"caseload"},
}
# Columns that make a frame a list per child (a pseudonymous person id): only the contract manager gets one.
PER_KIND_KOLOMMEN = frozenset({"client_id", "client_pseudoniem"})
TEAM_KOLOM = "team_code"  # the column that makes a row a team's figures
TEAM_PARAMETER = "p_team"  # the macro parameter that asks for one team's figures


@dataclass(frozen=True)
class Zicht:
    """The view a query is answered in (part of every cache key of query results).

    pseudoniemen: providers appear as "Aanbieder A", B, ... (the learning-session pseudonyms);
    eigen: the AGB code of the one provider that keeps its name (the user's own organisation);
    teams: the team codes whose figures may be shown (None: every team);
    per_kind: lists per child may be shown.
    """

    pseudoniemen: bool = False
    eigen: str | None = None
    teams: tuple[str, ...] | None = None
    per_kind: bool = True

    @property
    def is_volledig(self) -> bool:
        return self == VOLLEDIG

    def mag_team(self, team: str) -> bool:
        return self.teams is None or team in self.teams


VOLLEDIG = Zicht()  # everything, providers named: the contract manager outside a learning session


class RollenFout(ValueError):
    """The roles file cannot be used (the message, Dutch, names the file and the entry)."""


class Geweigerd(PermissionError):
    """A request the user's role does not allow (the message, Dutch, says what was refused)."""


@dataclass(frozen=True)
class Gebruiker:
    """A user as the roles file describes them: the identity (`email` and/or `sub`), a name, a role, the
    organisation (an aanbieder's AGB code) named for them, and their teams."""

    naam: str
    rol: Rol
    email: str | None = None
    sub: str | None = None
    organisatie: str | None = None
    teams: tuple[str, ...] = ()

    @property
    def sleutel(self) -> str:
        """How the audit log and the demo picker name this user: the e-mail, else the sub."""
        return self.email or self.sub or self.naam

    @property
    def auteur(self) -> str:
        """Who the store records for this user's writes and the audit log for their refusals: the name and
        the identity ("Carla de Vries (c.devries@…)"), since names need not be unique."""
        return self.naam if self.naam == self.sleutel else f"{self.naam} ({self.sleutel})"

    @property
    def rol_label(self) -> str:
        return ROL_LABELS[self.rol]

    @property
    def is_contractmanager(self) -> bool:
        return self.rol is Rol.CONTRACTMANAGER

    def paginas(self) -> frozenset[str]:
        paginas = PAGINAS[self.rol]
        if not self.is_contractmanager and not self.teams:
            paginas = paginas - {"caseload"}
        return paginas

    def mag_pagina(self, pad: str) -> bool:
        return pad in self.paginas()

    @property
    def ziet_per_kind(self) -> bool:
        return self.is_contractmanager

    @property
    def mag_momentopname_maken(self) -> bool:
        return self.is_contractmanager

    @property
    def mag_pseudoniemen_uitzetten(self) -> bool:
        return self.is_contractmanager

    @property
    def mag_schrijven(self) -> bool:
        """Notes and annotations (the learning session's writes)."""
        return self.rol in (Rol.CONTRACTMANAGER, Rol.KETENPARTNER)

    def mag_verwijderen(self, door: str) -> bool:
        """Whether this user removes an annotation written by `door` (its `aangemaakt_door`): the contract
        manager any, a writer only their own."""
        return self.is_contractmanager or (self.mag_schrijven and door == self.auteur)

    def zicht(self, leersessie: bool) -> Zicht:
        """The view of this user; `leersessie`: the learning-session mode is on (then the own organisation,
        too, appears under its pseudonym)."""
        if self.is_contractmanager:
            return Zicht(pseudoniemen=leersessie) if leersessie else VOLLEDIG
        return Zicht(
            pseudoniemen=True,
            eigen=None if leersessie else self.organisatie,
            teams=self.teams,
            per_kind=False,
        )


@dataclass(frozen=True)
class Rollen:
    """The users of a roles file, in its order."""

    gebruikers: tuple[Gebruiker, ...] = field(default_factory=tuple)
    bron: str = ""  # the file it was read from

    def zoek(self, email: str | None, sub: str | None) -> Gebruiker | None:
        """The user with this e-mail (case-insensitive) or this sub; None: not in the file (no access)."""
        mail = (email or "").strip().lower()
        for g in self.gebruikers:
            if (mail and g.email == mail) or (sub and g.sub == sub):
                return g
        return None

    def per_sleutel(self) -> dict[str, Gebruiker]:
        return {g.sleutel: g for g in self.gebruikers}


_AGB = re.compile(r"^\d{8}$")
_VELDEN = {"naam", "rol", "email", "sub", "organisatie", "teams"}


def _gebruiker(ruw: object, nr: int, bron: str) -> Gebruiker:
    plek = f"{bron}, gebruiker {nr}"
    if not isinstance(ruw, dict):
        raise RollenFout(f"{plek}: verwacht een tabel [[gebruiker]]")
    onbekend = sorted(set(ruw) - _VELDEN)
    if onbekend:
        raise RollenFout(
            f"{plek}: onbekend veld {', '.join(onbekend)} (toegestaan: {', '.join(sorted(_VELDEN))})"
        )
    rol_ruw = ruw.get("rol")
    try:
        rol = Rol(str(rol_ruw))
    except ValueError:
        raise RollenFout(
            f"{plek}: rol {rol_ruw!r} bestaat niet (kies uit {', '.join(r.value for r in Rol)})"
        ) from None
    email = ruw.get("email")
    sub = ruw.get("sub")
    if not email and not sub:
        raise RollenFout(f"{plek}: geef een e-mailadres (email) of de sub van de identity provider")
    for veld, waarde in (("email", email), ("sub", sub), ("naam", ruw.get("naam"))):
        if waarde is not None and (not isinstance(waarde, str) or not waarde.strip()):
            raise RollenFout(f"{plek}: {veld} moet een niet-lege tekst zijn")
    organisatie = ruw.get("organisatie")
    if organisatie is not None and (not isinstance(organisatie, str) or not _AGB.match(organisatie)):
        raise RollenFout(
            f"{plek}: organisatie moet de AGB-code van een aanbieder zijn (8 cijfers, als tekst)"
        )
    teams = ruw.get("teams", [])
    if not isinstance(teams, list) or not all(isinstance(t, str) and t.strip() for t in teams):
        raise RollenFout(f"{plek}: teams moet een lijst van teamcodes zijn")
    if rol is Rol.TEAMMANAGER and not teams:
        raise RollenFout(f'{plek}: een teammanager heeft ten minste één team (teams = ["…"])')
    if rol is Rol.CONTRACTMANAGER and (organisatie or teams):
        raise RollenFout(f"{plek}: een contractmanager ziet alles; organisatie en teams horen daar niet bij")
    return Gebruiker(
        naam=str(ruw.get("naam") or email or sub).strip(),
        rol=rol,
        email=email.strip().lower() if email else None,
        sub=sub.strip() if sub else None,
        organisatie=organisatie,
        teams=tuple(t.strip() for t in teams),
    )


def parse_rollen(tekst: str, bron: str = "rollenbestand") -> Rollen:
    """The users of a roles file's text; RollenFout on any error (a file with an error grants nothing)."""
    try:
        ruw = tomllib.loads(tekst)
    except tomllib.TOMLDecodeError as exc:
        raise RollenFout(f"{bron}: geen geldige TOML ({exc})") from exc
    onbekend = sorted(set(ruw) - {"gebruiker"})
    if onbekend:
        raise RollenFout(f"{bron}: onbekende sectie {', '.join(onbekend)} (alleen [[gebruiker]])")
    lijst = ruw.get("gebruiker", [])
    if not isinstance(lijst, list):
        raise RollenFout(f"{bron}: gebruikers staan in [[gebruiker]]-tabellen")
    gebruikers = tuple(_gebruiker(g, i, bron) for i, g in enumerate(lijst, start=1))
    _uniek(gebruikers, bron)
    return Rollen(gebruikers, bron)


def _uniek(gebruikers: Iterable[Gebruiker], bron: str) -> None:
    gezien: dict[str, int] = {}
    for i, g in enumerate(gebruikers, start=1):
        for sleutel in filter(None, (g.email, g.sub and f"sub:{g.sub}")):
            if sleutel in gezien:
                raise RollenFout(
                    f"{bron}: gebruiker {i} heeft dezelfde identiteit als gebruiker {gezien[sleutel]}"
                )
            gezien[sleutel] = i


def read_rollen(path: Path) -> Rollen:
    """The roles file at `path`; RollenFout when it is missing or has an error."""
    try:
        tekst = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RollenFout(f"Er is geen rollenbestand: {path}") from None
    except OSError as exc:
        raise RollenFout(f"Het rollenbestand {path} is niet te lezen: {exc}") from exc
    return parse_rollen(tekst, str(path))
