-- caseload_team: one row per team x maand; ratios non-negative; status consistent with the band
select c.team_code, c.maand
from caseload_team as c
where
    c.actieve_casussen < 0
    or c.casussen_per_fte < 0
    or (c.status_gewogen not in ('onder_band', 'binnen_band', 'boven_band', 'ver_boven_band'))
    or (c.status_ongewogen not in ('onder_band', 'binnen_band', 'boven_band', 'ver_boven_band'))
    or (c.status_gewogen = 'binnen_band' and c.gewogen_casussen_per_fte > c.bandbreedte_boven)
    or (c.status_gewogen = 'onder_band' and c.gewogen_casussen_per_fte >= c.bandbreedte_onder)
    or (c.status_ongewogen = 'binnen_band' and c.casussen_per_fte > c.bandbreedte_boven)
    or (c.status_ongewogen = 'onder_band' and c.casussen_per_fte >= c.bandbreedte_onder)
    or (c.fte > 0 and c.bandbreedte_boven is not null and (c.status_gewogen is null or c.status_ongewogen is null))
union all
select c.team_code, c.maand from caseload_team as c group by c.team_code, c.maand having count(*) > 1
