-- maand_stromen: the stock in_zorg of every cell and month equals the started trajectories open at that month end, counted straight from trajecten (not the running sum of in - out the mart is built from)
with
peil as (
    select cast(date_trunc('month', p.peildatum) as date) as peilmaand
    from peildatum as p
),

maanden as (
    select cast(unnest(generate_series(
        (select cast(date_trunc('month', min(t.startdatum)) as date) from trajecten as t where t.is_gestart),
        pl.peilmaand,
        interval 1 month
    )) as date) as maand
    from peil as pl
),

direct as (
    select
        m.maand,
        t.gemeente_code,
        t.aanbieder_agb,
        t.productcategorie,
        t.verwijzer_type,
        t.leeftijdsgroep,
        count(*) as in_zorg
    from maanden as m
    inner join trajecten as t
        on
            t.is_gestart
            and t.startdatum <= last_day(m.maand)
            and (t.einddatum is null or t.einddatum > last_day(m.maand))
    group by all
)

select
    coalesce(d.maand, s.maand) as maand,
    coalesce(d.aanbieder_agb, s.aanbieder_agb) as aanbieder_agb,
    d.in_zorg as direct,
    s.in_zorg as stromen
from direct as d
full outer join maand_stromen as s
    on
        d.maand = s.maand
        and d.gemeente_code = s.gemeente_code
        and d.aanbieder_agb = s.aanbieder_agb
        and d.productcategorie is not distinct from s.productcategorie
        and d.verwijzer_type = s.verwijzer_type
        and d.leeftijdsgroep = s.leeftijdsgroep
where coalesce(d.in_zorg, 0) <> coalesce(s.in_zorg, 0)
