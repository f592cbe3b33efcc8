-- one row per team with caseload figures in the selected period: its latest month in the period with the
-- cases, FTE, cases per FTE (plain and weighted), the agreed band, the reference norm of the team type, both
-- statuses, the unit the team counts in (gezinnen, maatregelen, casussen) and whether the month is voorlopig
-- params: p_van, p_tot, p_gemeente
select
    c.team_code,
    c.team_naam,
    c.team_type,
    c.maand,
    c.actieve_casussen,
    c.fte,
    c.casussen_per_fte,
    c.gewogen_casussen_per_fte,
    c.bandbreedte_onder,
    c.bandbreedte_boven,
    c.referentienorm_maximum,
    c.status_ongewogen,
    c.status_gewogen,
    coalesce(
        c.eenheid,
        last_value(c.eenheid ignore nulls) over (
            partition by c.team_code order by c.maand rows between unbounded preceding and unbounded following
        )
    ) as eenheid,
    case
        when c.maand >= (select v.voorlopig_vanaf from aanleververtraging as v) then 'ja'
        else 'nee'
    end as voorlopig
from caseload_team as c
cross join peildatum as p
where
    c.team_code in (select t.team_code from caseload_teams(p_gemeente) as t)
    and c.maand between p_van and p_tot
    and c.maand <= p.peildatum
    and c.casussen_per_fte is not null
qualify row_number() over (partition by c.team_code order by c.maand desc) = 1
order by c.team_code
