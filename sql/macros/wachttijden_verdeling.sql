-- one row per soort (afgerond, wachtend) × 4-week bin of waiting: the spread of completed waits in the period
-- and of the ages of the waits still running on the reference date; `week` is the bin's first week, the
-- bins are not capped (4-week bins keep fewer cells below the small-number threshold than weekly ones)
-- params: p_niveau, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
ref as (
    select least(last_day(p_tot), p.peildatum) as datum
    from peildatum as p
),

w as (
    select wt.*
    from wachttijden as wt
    where
        wt.niveau = p_niveau
        and (p_gemeente is null or wt.gemeente_code = p_gemeente)
        and (p_aanbieder is null or wt.aanbieder_agb = p_aanbieder)
        and (p_categorie is null or wt.productcategorie = p_categorie)
)

select
    'afgerond' as soort,
    4 * cast(floor(w.wachtdagen / 28) as integer) as week,
    count(*) as aantal
from w
where w.einddatum between p_van and last_day(p_tot)
group by all
union all
select
    'wachtend' as soort,
    4 * cast(floor(datediff('day', w.begindatum, r.datum) / 28) as integer) as week,
    count(*) as aantal
from w
cross join ref as r
where
    w.begindatum <= r.datum
    and (w.einddatum is null or w.einddatum > r.datum)
    and (w.afbreekdatum is null or w.afbreekdatum > r.datum)
group by all
order by soort, week
