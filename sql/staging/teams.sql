-- one row per team × geldigheidsperiode (a team with a changed band has one row per period)
select
    t.team_code,
    t.team_naam,
    t.team_type,
    t.gemeente_code,
    t.gemeente_code is null as is_regionaal,
    t.bandbreedte_onder,
    t.bandbreedte_boven,
    t.eenheid,
    t.geldig_vanaf,
    t.geldig_tot,
    t.bestand,
    t.regel
from bron_teams as t
qualify
    row_number() over (
        partition by t.team_code, t.geldig_vanaf
        order by t.bestand desc, t.regel desc
    ) = 1
order by t.team_code, t.geldig_vanaf
