-- one row per option of a global dashboard filter (soort: maand, gemeente, aanbieder, productcategorie)
-- params:
select
    'maand' as soort,
    strftime(m.maand, '%Y-%m-%d') as waarde,
    strftime(m.maand, '%Y-%m') as label
from (
    select distinct s.maand
    from maand_stromen as s
    cross join peildatum as p
    where s.maand <= p.peildatum
) as m
union all
select
    'gemeente' as soort,
    g.gemeente_code as waarde,
    coalesce(o.naam || ' (' || g.gemeente_code || ')', 'Gemeente ' || g.gemeente_code) as label
from (select distinct t.gemeente_code from trajecten as t where t.gemeente_code is not null) as g
left join organisaties as o on o.soort = 'gemeente' and g.gemeente_code = o.code
union all
select
    'aanbieder' as soort,
    a.aanbieder_agb as waarde,
    coalesce(o.naam || ' (' || a.aanbieder_agb || ')', 'AGB ' || a.aanbieder_agb) as label
from (select distinct t.aanbieder_agb from trajecten as t where t.aanbieder_agb is not null) as a
left join organisaties as o on o.soort = 'aanbieder' and a.aanbieder_agb = o.code
union all
select
    'productcategorie' as soort,
    c.productcategorie as waarde,
    c.productcategorie || ' ' || coalesce(cl.omschrijving, '') as label
from (select distinct t.productcategorie from trajecten as t where t.productcategorie is not null) as c
left join codelijsten as cl on cl.lijst = 'productcategorie' and c.productcategorie = cl.code
order by soort, waarde
