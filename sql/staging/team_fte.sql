-- one row per team × maand: available FTE (the last delivered value when a month is repeated)
select
    f.team_code,
    f.maand,
    cast(f.maand || '-01' as date) as maand_begin,
    f.fte,
    f.bestand,
    f.regel
from bron_team_fte as f
qualify row_number() over (partition by f.team_code, f.maand order by f.bestand desc, f.regel desc) = 1
order by f.team_code, f.maand
