-- one row per team of the gemeente filter (regional teams, without a gemeente, always): the caseload link inputs
-- params: p_gemeente
select
    t.team_code,
    t.team_naam,
    t.team_type,
    t.fte,
    t.bandbreedte_boven,
    t.actieve_casussen,
    t.nieuwe_casussen,
    t.afgesloten_casussen,
    t.gemiddelde_duur_weken,
    t.nieuwe_casussen_ck,
    t.afgesloten_casussen_ck
from team_doorstroom as t
where t.gemeente_code is null or binnen_filter(p_gemeente, null, null, null, t.gemeente_code, null, null, null)
order by t.team_code
