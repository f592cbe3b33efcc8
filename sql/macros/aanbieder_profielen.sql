-- one row per aanbieder: the signals that suggest it defines start or wait differently (aanbieder_profiel)
-- params: p_aanbieder
select
    a.*,
    coalesce(o.naam, 'AGB ' || a.aanbieder_agb) as aanbieder
from aanbieder_profiel as a
left join organisaties as o on o.soort = 'aanbieder' and a.aanbieder_agb = o.code
where binnen_filter(null, p_aanbieder, null, null, null, a.aanbieder_agb, null, null)
order by a.aanbieder_agb
