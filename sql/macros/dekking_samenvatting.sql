-- one row per bron of the selected period: how many aanbieders delivered at all, how many in every month,
-- and which missed months (aanbieder and number of months without any delivery, most gaps first)
-- params: p_van, p_tot
with
per_aanbieder as (
    select
        d.bron,
        d.aanbieder,
        count(*) filter (where d.aantal = 0) as n_maanden_leeg
    from dekking(p_van, p_tot) as d
    group by d.bron, d.aanbieder
)

select
    p.bron,
    count(*) as n_aanbieders,
    count(*) filter (where p.n_maanden_leeg = 0) as n_aanbieders_volledig,
    coalesce(
        list(
            struct_pack(aanbieder := p.aanbieder, n_maanden_leeg := p.n_maanden_leeg)
            order by p.n_maanden_leeg desc, p.aanbieder asc
        ) filter (where p.n_maanden_leeg > 0),
        []
    ) as aanbieders_met_gaten
from per_aanbieder as p
group by p.bron
order by p.bron
