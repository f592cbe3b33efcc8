-- one row per soort (afgerond, wachtend) × class of wachttijd_klassen: the spread of completed waits in the
-- period and of the ages of the waits still running on the reference date; `week` is the class's first week,
-- `klasse` its label ("4–7", last "≥ 26": the open class holds every longer wait, so none disappears)
-- params: p_niveau, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
w as (
    select *
    from wachttijden_op(p_niveau, p_tot, p_gemeente, p_aanbieder, p_categorie)
),

duur as (
    select
        'afgerond' as soort,
        w.wachtdagen as dagen
    from w
    where w.einddatum between p_van and last_day(p_tot)
    union all
    select
        'wachtend' as soort,
        w.leeftijd_op_ref as dagen
    from w
    where w.is_wachtend_op_ref
)

select
    d.soort,
    k.week,
    any_value(k.klasse) as klasse,
    any_value(k.is_open) as is_open,
    count(*) as aantal
from duur as d
inner join wachttijd_klassen as k
    on
        (d.dagen >= k.van_dagen or k.week = 0)
        and (k.tot_dagen is null or d.dagen < k.tot_dagen)
group by d.soort, k.week
order by d.soort, k.week
