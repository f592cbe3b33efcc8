-- one row per soort (afgerond, wachtend) × 4-week bin of waiting: the spread of completed waits in the period
-- and of the ages of the waits still running on the reference date; `week` is the bin's first week, the
-- bins are not capped (4-week bins keep fewer cells below the small-number threshold than weekly ones)
-- params: p_niveau, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
w as (
    select *
    from wachttijden_op(p_niveau, p_tot, p_gemeente, p_aanbieder, p_categorie)
)

select
    'afgerond' as soort,
    4 * cast(floor(w.wachtdagen / 28) as integer) as week,
    count(*) as aantal,
    sum(w.wachttijd_sleutel) as aantal_ck
from w
where w.einddatum between p_van and last_day(p_tot)
group by all
union all
select
    'wachtend' as soort,
    4 * cast(floor(w.leeftijd_op_ref / 28) as integer) as week,
    count(*) as aantal,
    sum(w.wachttijd_sleutel) as aantal_ck
from w
where w.is_wachtend_op_ref
group by all
order by soort, week
