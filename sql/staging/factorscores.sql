-- one row per team × medewerker × kwartaal × factor: the member's 1-5 score on the NJi factor sheet
select
    f.team_code,
    f.medewerker_id,
    f.kwartaal,
    cast(left(f.kwartaal, 4) as integer) as jaar,
    cast(right(f.kwartaal, 1) as integer) as kwartaalnummer,
    f.factor,
    f.factor_groep,
    f.factor_label,
    f.score,
    f.bestand,
    f.regel
from bron_factoren as f
qualify
    row_number() over (
        partition by f.team_code, f.medewerker_id, f.kwartaal, f.factor
        order by f.bestand desc, f.regel desc
    ) = 1
order by f.team_code, f.medewerker_id, f.kwartaal, f.factor
