-- one row per bron of the selected period: how many aanbieders delivered at all, how many in every month,
-- which missed months (aanbieder, months without any delivery, and how many messages came late, most gaps
-- first) and which delivered late (aanbieder and number of months with a late delivery)
-- params: p_van, p_tot, p_gemeente, p_aanbieder
with
per_aanbieder as (
    select
        d.bron,
        d.aanbieder,
        count(*) filter (where d.aantal = 0) as n_maanden_leeg,
        count(*) filter (where d.aantal_laat > 0) as n_maanden_laat
    from dekking(p_van, p_tot, p_gemeente, p_aanbieder) as d
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
    ) as aanbieders_met_gaten,
    coalesce(
        list(
            struct_pack(aanbieder := p.aanbieder, n_maanden_laat := p.n_maanden_laat)
            order by p.n_maanden_laat desc, p.aanbieder asc
        ) filter (where p.n_maanden_laat > 0),
        []
    ) as aanbieders_te_laat
from per_aanbieder as p
group by p.bron
order by p.bron
