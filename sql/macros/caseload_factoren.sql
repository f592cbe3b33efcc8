-- one row per factor of the NJi factor sheet for one team: the mean score of its members in the latest
-- quarter up to the end of the selected period, and the number of members who scored
-- params: p_team, p_tot, p_gemeente
with
laatste as (
    select max(f.jaar * 10 + f.kwartaalnummer) as jk
    from factorscores as f
    where
        f.team_code = p_team
        and make_date(f.jaar, 3 * f.kwartaalnummer - 2, 1) <= p_tot
)

select
    f.factor,
    f.factor_label,
    f.factor_groep,
    any_value(f.kwartaal) as kwartaal,
    avg(f.score) as gemiddelde_score,
    count(distinct f.medewerker_id) as n_medewerkers
from factorscores as f
cross join laatste as l
where
    f.team_code = p_team
    and f.jaar * 10 + f.kwartaalnummer = l.jk
    and f.team_code in (select t.team_code from caseload_teams(p_gemeente) as t)
group by f.factor, f.factor_label, f.factor_groep
order by f.factor_groep, f.factor
