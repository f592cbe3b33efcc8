-- one row per soort (afgerond, wachtend) × class of wachttijd_klassen: the spread of completed waits in the
-- period and of the ages of the waits still running on the reference date; `week` is the class's first week,
-- `klasse` its label ("4–7", last "≥ 26": the open class holds every longer wait, so none disappears). Every
-- soort × class has a row, also an empty one, so a row's presence says nothing (docs/privacy.md)
-- params: p_niveau, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
w as (
    select *
    from wachttijden_op(p_niveau, p_tot, p_gemeente, p_aanbieder, p_categorie)
),

duur as (
    select
        'afgerond' as soort,
        w.wachtdagen as dagen,
        w.wachttijd_sleutel
    from w
    where w.einddatum between p_van and last_day(p_tot)
    union all
    select
        'wachtend' as soort,
        w.leeftijd_op_ref as dagen,
        w.wachttijd_sleutel
    from w
    where w.is_wachtend_op_ref
),

geteld as (
    select
        d.soort,
        k.week,
        count(*) as aantal,
        sum(d.wachttijd_sleutel) as aantal_ck
    from duur as d
    inner join wachttijd_klassen as k
        on
            (d.dagen >= k.van_dagen or k.week = 0)
            and (k.tot_dagen is null or d.dagen < k.tot_dagen)
    group by d.soort, k.week
)

select
    s.soort,
    k.week,
    k.klasse,
    k.is_open,
    coalesce(g.aantal, 0) as aantal,
    coalesce(g.aantal_ck, 0) as aantal_ck
from (select unnest(['afgerond', 'wachtend']) as soort) as s
cross join wachttijd_klassen as k
left join geteld as g on s.soort = g.soort and k.week = g.week
order by s.soort, k.week
