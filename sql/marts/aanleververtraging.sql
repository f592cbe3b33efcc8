-- one row: the measured delivery lag of iJw start/stop lines and the first month that is still voorlopig
-- vertraging_maanden = the smallest number of months after a month's end by which at least $voorlopig_drempel of
-- the lines about that month had arrived, pooled over the measured months (aanlevering_maand.is_gemeten); without
-- a measured month the measuring window ($voorlopig_meetvenster_maanden) is taken. A month m is voorlopig while
-- the peildatum lies before the end of month m + vertraging_maanden: voorlopig_vanaf is the first such month, so
-- every month from voorlopig_vanaf on is voorlopig (docs/definitions.md#voorlopig).
with
gemeten as (
    select
        a.maanden_na_maandeinde,
        sum(a.n_regels) as n_regels
    from aanlevering_maand as a
    where a.is_gemeten
    group by a.maanden_na_maandeinde
),

cumulatief as (
    select
        g.maanden_na_maandeinde,
        sum(g.n_regels) over (order by g.maanden_na_maandeinde) / sum(g.n_regels) over () as aandeel_binnen
    from gemeten as g
),

vertraging as (
    select min(c.maanden_na_maandeinde) as maanden
    from cumulatief as c
    where c.aandeel_binnen >= cast($voorlopig_drempel as double)
),

omvang as (
    select
        count(distinct a.activiteitsmaand) as n_maanden_gemeten,
        cast(coalesce(sum(a.n_regels), 0) as bigint) as n_regels_gemeten,
        cast(coalesce(sum(a.n_regels) filter (where a.maanden_na_maandeinde > 0), 0) as bigint)
            as n_regels_na_maandeinde
    from aanlevering_maand as a
    where a.is_gemeten
),

lag as (
    select
        v.maanden is null as is_niet_gemeten,
        coalesce(v.maanden, cast($voorlopig_meetvenster_maanden as integer)) as vertraging_maanden
    from vertraging as v
)

select
    cast($voorlopig_drempel as double) as drempel,
    o.n_maanden_gemeten,
    o.n_regels_gemeten,
    o.n_regels_na_maandeinde / nullif(o.n_regels_gemeten, 0) as aandeel_na_maandeinde,
    l.vertraging_maanden,
    l.is_niet_gemeten,
    cast(date_trunc('month', p.peildatum + interval 1 day) - to_months(l.vertraging_maanden) as date)
        as voorlopig_vanaf
from lag as l
cross join omvang as o
cross join peildatum as p
