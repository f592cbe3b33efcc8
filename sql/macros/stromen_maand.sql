-- one row per maand in the selected period: instroom, in zorg, uitstroom and the other flows, summed over
-- the filtered cells of maand_stromen; the child-level measures (unique children in instroom, stapeling,
-- 18 jaar geworden) are counted once per child from the events in stroom_gebeurtenissen (a sum over cells
-- would count a child once per cell: a stacked child with trajectories in two cells would count twice). A
-- child counts when at least one of its events lies in the filter. voorlopig = 'ja' for a month whose
-- messages may still arrive (aanleververtraging)
-- params: p_van, p_tot, p_gemeente, p_aanbieder, p_categorie, p_leeftijd
with
cel as (
    select s.*
    from maand_stromen as s
    where
        s.maand between p_van and p_tot
        and binnen_filter(
            p_gemeente, p_aanbieder, p_categorie, p_leeftijd,
            s.gemeente_code, s.aanbieder_agb, s.productcategorie, s.leeftijdsgroep
        )
),

kind as (
    select
        g.maand,
        count(distinct g.client_id) filter (where g.soort = 'instroom') as instroom_unieke_kinderen,
        count(distinct g.client_id) filter (where g.soort = 'stapeling') as stapeling,
        count(distinct g.client_id) filter (where g.soort = 'overgang_18') as overgang_18,
        coalesce(sum(distinct g.kind_sleutel) filter (where g.soort = 'instroom'), 0)
            as instroom_unieke_kinderen_ck,
        coalesce(sum(distinct g.kind_sleutel) filter (where g.soort = 'stapeling'), 0) as stapeling_ck,
        coalesce(sum(distinct g.kind_sleutel) filter (where g.soort = 'overgang_18'), 0) as overgang_18_ck
    from stroom_gebeurtenissen as g
    where
        g.maand between p_van and p_tot
        and g.soort in ('instroom', 'stapeling', 'overgang_18')
        and binnen_filter(
            p_gemeente, p_aanbieder, p_categorie, p_leeftijd,
            g.gemeente_code, g.aanbieder_agb, g.productcategorie, g.leeftijdsgroep
        )
    group by g.maand
)

select
    c.maand,
    cast(sum(c.instroom) as bigint) as instroom,
    coalesce(any_value(ki.instroom_unieke_kinderen), 0) as instroom_unieke_kinderen,
    cast(sum(c.in_zorg) as bigint) as in_zorg,
    cast(sum(c.uitstroom) as bigint) as uitstroom,
    cast(sum(c.uitstroom_volgens_plan) as bigint) as uitstroom_volgens_plan,
    cast(sum(c.uitstroom_voortijdig) as bigint) as uitstroom_voortijdig,
    cast(sum(c.uitstroom_overig) as bigint) as uitstroom_overig,
    cast(sum(c.uitstroom_zonder_stopbericht) as bigint) as uitstroom_zonder_stopbericht,
    cast(sum(c.opschaling) as bigint) as opschaling,
    cast(sum(c.afschaling) as bigint) as afschaling,
    coalesce(any_value(ki.stapeling), 0) as stapeling,
    cast(sum(c.herinstroom) as bigint) as herinstroom,
    coalesce(any_value(ki.overgang_18), 0) as overgang_18,
    -- cell keys (docs/privacy.md): sums of record keys, additive over the cells of maand_stromen
    coalesce(any_value(ki.instroom_unieke_kinderen_ck), 0) as instroom_unieke_kinderen_ck,
    cast(sum(c.instroom_ck) as bigint) as instroom_ck,
    cast(sum(c.in_zorg_ck) as bigint) as in_zorg_ck,
    cast(sum(c.uitstroom_ck) as bigint) as uitstroom_ck,
    cast(sum(c.uitstroom_volgens_plan_ck) as bigint) as uitstroom_volgens_plan_ck,
    cast(sum(c.uitstroom_voortijdig_ck) as bigint) as uitstroom_voortijdig_ck,
    cast(sum(c.uitstroom_overig_ck) as bigint) as uitstroom_overig_ck,
    cast(sum(c.uitstroom_zonder_stopbericht_ck) as bigint) as uitstroom_zonder_stopbericht_ck,
    cast(sum(c.opschaling_ck) as bigint) as opschaling_ck,
    cast(sum(c.afschaling_ck) as bigint) as afschaling_ck,
    coalesce(any_value(ki.stapeling_ck), 0) as stapeling_ck,
    cast(sum(c.herinstroom_ck) as bigint) as herinstroom_ck,
    coalesce(any_value(ki.overgang_18_ck), 0) as overgang_18_ck,
    case
        when c.maand >= (select v.voorlopig_vanaf from aanleververtraging as v) then 'ja'
        else 'nee'
    end as voorlopig
from cel as c
left join kind as ki on c.maand = ki.maand
group by c.maand
order by c.maand
