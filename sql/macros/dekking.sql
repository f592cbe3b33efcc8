-- one row per bron × aanbieder × maand of the selected period: how many iJw messages the aanbieder sent
-- (by Dagtekening) and how many provider waiting-time records have an aanmelding that month; 0 = nothing
-- delivered (the grid is complete so gaps show)
-- params: p_van, p_tot
with
maand as (
    select cast(unnest(generate_series(p_van, p_tot, interval 1 month)) as date) as maand
),

geleverd as (
    select
        'iJw-berichten' as bron,
        b.afzender as aanbieder_agb,
        cast(date_trunc('month', b.dagtekening) as date) as maand,
        count(*) as aantal
    from bron_bericht as b
    where b.berichttype in ('JW305', 'JW307', 'JW315', 'JW317', 'JW323')
    group by all
    union all
    select
        'wachttijdregistratie' as bron,
        a.aanbieder_agb,
        cast(date_trunc('month', a.datum_aanmelding) as date) as maand,
        count(*) as aantal
    from aanmeldingen as a
    group by all
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
    coalesce(g.aantal, 0) as aantal
from leverancier as l
cross join maand as m
left join geleverd as g on l.bron = g.bron and l.aanbieder_agb = g.aanbieder_agb and m.maand = g.maand
left join organisaties as o on o.soort = 'aanbieder' and l.aanbieder_agb = o.code
order by l.bron, l.aanbieder_agb, m.maand
