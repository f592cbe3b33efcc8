-- one row per factor of the NJi factor sheet for one team: the mean score of its members in the latest
-- quarter up to the end of the selected period and the number of members who scored, with the same for the
-- measurement before it (the previous quarter with scores; null when there is none)
-- params: p_team, p_tot, p_gemeente
with
metingen as (
    select
        m.jk,
        row_number() over (order by m.jk desc) as rang
    from (
        select distinct f.jaar * 10 + f.kwartaalnummer as jk
        from factorscores as f
        where
            f.team_code = p_team
            and make_date(f.jaar, 3 * f.kwartaalnummer - 2, 1) <= p_tot
    ) as m
),

per_meting as (
    select
        f.factor,
        f.factor_label,
        f.factor_groep,
        m.rang,
        any_value(f.kwartaal) as kwartaal,
        avg(f.score) as gemiddelde_score,
        count(distinct f.medewerker_id) as n_medewerkers
    from factorscores as f
    inner join metingen as m on f.jaar * 10 + f.kwartaalnummer = m.jk
    where
        f.team_code = p_team
        and m.rang <= 2
        and f.team_code in (select t.team_code from caseload_teams(p_gemeente) as t)
    group by f.factor, f.factor_label, f.factor_groep, m.rang
)

select
    l.factor,
    l.factor_label,
    l.factor_groep,
    l.kwartaal,
    l.gemiddelde_score,
    l.n_medewerkers,
    v.kwartaal as vorig_kwartaal,
    v.gemiddelde_score as vorige_score,
    v.n_medewerkers as vorige_n_medewerkers
from per_meting as l
left join per_meting as v on l.factor = v.factor and v.rang = 2
where l.rang = 1
order by l.factor_groep, l.factor
