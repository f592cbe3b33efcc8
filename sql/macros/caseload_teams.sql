-- one row per team with caseload data: code, name, type, gemeente and its latest status
-- params: p_gemeente
select
    c.team_code,
    any_value(c.team_naam) as team_naam,
    any_value(c.team_type) as team_type,
    any_value(c.gemeente_code) as gemeente_code,
    arg_max(c.status_gewogen, c.maand) filter (where c.status_gewogen is not null) as laatste_status_gewogen
from caseload_team as c
where binnen_filter(p_gemeente, null, null, null, c.gemeente_code, null, null, null) or c.gemeente_code is null
group by c.team_code
order by c.team_code
