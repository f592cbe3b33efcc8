-- one row per bron × aanbieder × maand of the selected period: what the aanbieder delivered that month
-- (iJw messages by the batch period of their delivery, waiting-time records by aanmelding) and, as
-- aantal_laat, how many of the iJw messages were made in an earlier month and delivered late; aantal 0 =
-- nothing delivered (the grid is complete so gaps show). Gemeente and aanbieder filters apply.
-- voorlopig = 'ja' for a month whose messages may still arrive (aanleververtraging)
-- params: p_van, p_tot, p_gemeente, p_aanbieder
with
maand as (
    select cast(unnest(generate_series(p_van, p_tot, interval 1 month)) as date) as maand
),

geleverd as (
    select
        l.bron,
        l.aanbieder_agb,
        l.maand,
        sum(l.aantal) as aantal,
        sum(l.aantal_laat) as aantal_laat
    from leveringen as l
    where binnen_filter(p_gemeente, p_aanbieder, null, null, l.gemeente_code, l.aanbieder_agb, null, null)
    group by l.bron, l.aanbieder_agb, l.maand
),

leverancier as (
    select distinct
        g.bron,
        g.aanbieder_agb
    from geleverd as g
)

select
    l.bron,
    l.aanbieder_agb,
    coalesce(o.naam, 'AGB ' || l.aanbieder_agb) as aanbieder,
    m.maand,
    cast(coalesce(g.aantal, 0) as bigint) as aantal,
    cast(coalesce(g.aantal_laat, 0) as bigint) as aantal_laat,
    case
        when m.maand >= (select v.voorlopig_vanaf from aanleververtraging as v) then 'ja'
        else 'nee'
    end as voorlopig
from leverancier as l
cross join maand as m
left join geleverd as g on l.bron = g.bron and l.aanbieder_agb = g.aanbieder_agb and m.maand = g.maand
left join organisaties as o on o.soort = 'aanbieder' and l.aanbieder_agb = o.code
order by l.bron, l.aanbieder_agb, m.maand
