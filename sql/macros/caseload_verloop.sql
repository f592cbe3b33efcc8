-- one row per maand of the selected period for one team: cases, FTE, cases per FTE (plain and weighted),
-- the agreed band, the reference norms of the team type and the traffic-light status of each figure;
-- voorlopig = 'ja' for a month whose messages may still arrive (aanleververtraging)
-- params: p_team, p_van, p_tot, p_gemeente
select
    c.maand,
    c.team_code,
    c.team_naam,
    c.team_type,
    c.eenheid,
    c.actieve_casussen,
    c.fte,
    c.casussen_per_fte,
    c.gewogen_casussen_per_fte,
    c.bandbreedte_onder,
    c.bandbreedte_boven,
    c.referentienorm_ideaal,
    c.referentienorm_maximum,
    c.referentienorm_bron,
    c.status_ongewogen,
    c.status_gewogen,
    case
        when c.maand >= (select v.voorlopig_vanaf from aanleververtraging as v) then 'ja'
        else 'nee'
    end as voorlopig
from caseload_team as c
cross join peildatum as p
where
    c.team_code = p_team
    and c.team_code in (select t.team_code from caseload_teams(p_gemeente) as t)
    and c.maand between p_van and p_tot
    and c.maand <= p.peildatum
order by c.maand
