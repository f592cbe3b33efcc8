"""The roles file and the access policy (pipelines/toegang.py): what a file grants, what an error grants
(nothing), how an identity is found, and the view each role's queries are answered in."""

from __future__ import annotations

import pytest

from pipelines import settings
from pipelines.toegang import VOLLEDIG, Rol, RollenFout, Zicht, parse_rollen, read_rollen

GOED = """
[[gebruiker]]
email = "C.Manager@Regio.example"
naam = "Carla"
rol = "contractmanager"

[[gebruiker]]
sub = "00u1abc"
naam = "Piet"
rol = "ketenpartner"
organisatie = "98000011"

[[gebruiker]]
email = "tm@team.example"
rol = "teammanager"
teams = ["WT-DWZ", "WT-DWN"]
"""


def test_a_good_file_gives_each_user_their_role_organisation_and_teams():
    rollen = parse_rollen(GOED)
    cm, partner, tm = rollen.gebruikers
    assert (cm.rol, cm.email, cm.naam) == (Rol.CONTRACTMANAGER, "c.manager@regio.example", "Carla")
    assert (partner.rol, partner.sub, partner.organisatie) == (Rol.KETENPARTNER, "00u1abc", "98000011")
    assert (tm.rol, tm.teams, tm.naam) == (Rol.TEAMMANAGER, ("WT-DWZ", "WT-DWN"), "tm@team.example")


def test_an_identity_is_found_by_email_in_any_case_or_by_sub_and_nobody_else():
    rollen = parse_rollen(GOED)
    assert rollen.zoek("c.manager@REGIO.example", None).naam == "Carla"
    assert rollen.zoek(None, "00u1abc").naam == "Piet"
    assert rollen.zoek("iemand@anders.example", "00u1abd") is None
    assert rollen.zoek(None, None) is None
    assert rollen.zoek("", "") is None


@pytest.mark.parametrize(
    ("tekst", "fout"),
    [
        ('[[gebruiker]]\nemail = "a@b"\nrol = "beheerder"', "rol 'beheerder' bestaat niet"),
        ('[[gebruiker]]\nrol = "contractmanager"', "geef een e-mailadres"),
        ('[[gebruiker]]\nemail = "a@b"\nrol = "teammanager"', "ten minste één team"),
        (
            '[[gebruiker]]\nemail = "a@b"\nrol = "ketenpartner"\norganisatie = 98000011',
            "8 cijfers, als tekst",
        ),
        ('[[gebruiker]]\nemail = "a@b"\nrol = "ketenpartner"\norganisatie = "Kustlicht"', "AGB-code"),
        ('[[gebruiker]]\nemail = "a@b"\nrol = "contractmanager"\nteams = ["X"]', "ziet alles"),
        ('[[gebruiker]]\nemail = "a@b"\nrol = "ketenpartner"\nrechten = "alles"', "onbekend veld rechten"),
        ('[[gebruiker]]\nemail = "a@b"\nrol = "ketenpartner"\nteams = "X"', "lijst van teamcodes"),
        ("[beheer]\nx = 1", "onbekende sectie beheer"),
        ("[[gebruiker]\nrol =", "geen geldige TOML"),
        (
            '[[gebruiker]]\nemail = "a@b"\nrol = "contractmanager"\n[[gebruiker]]\nemail = "A@B"\nrol = "ketenpartner"',
            "dezelfde identiteit als gebruiker 1",
        ),
    ],
)
def test_a_file_with_an_error_grants_nothing_and_says_where(tekst, fout):
    with pytest.raises(RollenFout, match=fout) as exc:
        parse_rollen(tekst, "rollen.toml")
    assert str(exc.value).startswith("rollen.toml")


def test_a_missing_file_is_an_error_not_open_access(tmp_path):
    with pytest.raises(RollenFout, match="geen rollenbestand"):
        read_rollen(tmp_path / "rollen.toml")


def test_the_committed_example_is_a_valid_file_with_one_user_per_role():
    rollen = read_rollen(settings.ROLES_EXAMPLE)
    assert sorted(g.rol.value for g in rollen.gebruikers) == sorted(r.value for r in Rol)


def test_the_views_of_the_roles():
    cm, partner, tm = parse_rollen(GOED).gebruikers
    assert cm.zicht(False) == VOLLEDIG and cm.zicht(False).is_volledig
    assert cm.zicht(True) == Zicht(pseudoniemen=True)  # the contract manager's learning session
    assert partner.zicht(False) == Zicht(pseudoniemen=True, eigen="98000011", teams=(), per_kind=False)
    assert partner.zicht(True) == Zicht(pseudoniemen=True, eigen=None, teams=(), per_kind=False)
    assert tm.zicht(False) == Zicht(pseudoniemen=True, eigen=None, teams=("WT-DWZ", "WT-DWN"), per_kind=False)
    assert tm.zicht(False).mag_team("WT-DWN") and not tm.zicht(False).mag_team("WT-ZAN")
    assert cm.zicht(False).mag_team("WT-ZAN")


def test_what_each_role_may_do():
    cm, partner, tm = parse_rollen(GOED).gebruikers
    assert [g.ziet_per_kind for g in (cm, partner, tm)] == [True, False, False]
    assert [g.mag_momentopname_maken for g in (cm, partner, tm)] == [True, False, False]
    assert [g.mag_pseudoniemen_uitzetten for g in (cm, partner, tm)] == [True, False, False]
    assert [g.mag_schrijven for g in (cm, partner, tm)] == [True, True, False]
    assert "caseload" in cm.paginas() and "caseload" in tm.paginas()
    assert "caseload" not in partner.paginas()  # no teams of its own
    assert {"leersessie", "verslag"} & tm.paginas() == set()
    assert cm.auteur == "Carla (c.manager@regio.example)" and tm.auteur == "tm@team.example"
