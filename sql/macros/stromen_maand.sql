-- one row per maand in the selected period: instroom, in zorg, uitstroom and the other flows, summed over
-- the filtered cells of maand_stromen; the child-level measures (unique children in instroom, stapeling) are
-- recounted from trajecten (a sum over cells would count a child once per cell: a stacked child with
-- trajectories in two cells would count twice). Stapeling as in maand_stromen: a child with two or more
-- started trajectories open at the month end, counted when at least one of them lies in the filter.
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

uniek as (
    select
        cast(date_trunc('month', t.startdatum) as date) as maand,
        count(distinct t.client_id) as instroom_unieke_kinderen,
        sum(distinct t.kind_sleutel) as instroom_unieke_kinderen_ck
    from trajecten as t
    where
        t.startdatum between p_van and last_day(p_tot)
        and binnen_filter(
            p_gemeente, p_aanbieder, p_categorie, p_leeftijd,
            t.gemeente_code, t.aanbieder_agb, t.productcategorie, t.leeftijdsgroep
        )
    group by all
),

open_op_maandeinde as (
    select
        m.maand,
        t.client_id,
        any_value(t.kind_sleutel) as kind_sleutel,
        count(*) as n_open,
        bool_or(
            (p_gemeente is null or t.gemeente_code = p_gemeente)
            and (p_aanbieder is null or t.aanbieder_agb = p_aanbieder)
            and (p_categorie is null or t.productcategorie = p_categorie)
            and (p_leeftijd is null or t.leeftijdsgroep = p_leeftijd)
        ) as is_in_filter
    from (select distinct c.maand from cel as c) as m
    inner join trajecten as t
        on
            t.is_gestart
            and t.startdatum <= last_day(m.maand)
            and (t.einddatum is null or t.einddatum > last_day(m.maand))
    group by m.maand, t.client_id
),

gestapeld as (
    select
        o.maand,
        count(*) as stapeling,
        sum(o.kind_sleutel) as stapeling_ck
    from open_op_maandeinde as o
    where o.n_open >= 2 and o.is_in_filter
    group by o.maand
)

select
    c.maand,
    cast(sum(c.instroom) as bigint) as instroom,
    coalesce(any_value(u.instroom_unieke_kinderen), 0) as instroom_unieke_kinderen,
    cast(sum(c.in_zorg) as bigint) as in_zorg,
    cast(sum(c.uitstroom) as bigint) as uitstroom,
    cast(sum(c.uitstroom_volgens_plan) as bigint) as uitstroom_volgens_plan,
    cast(sum(c.uitstroom_voortijdig) as bigint) as uitstroom_voortijdig,
    cast(sum(c.uitstroom_overig) as bigint) as uitstroom_overig,
    cast(sum(c.uitstroom_zonder_stopbericht) as bigint) as uitstroom_zonder_stopbericht,
    cast(sum(c.opschaling) as bigint) as opschaling,
    cast(sum(c.afschaling) as bigint) as afschaling,
    coalesce(any_value(gs.stapeling), 0) as stapeling,
    cast(sum(c.herinstroom) as bigint) as herinstroom,
    cast(sum(c.overgang_18) as bigint) as overgang_18,
    -- cell keys (docs/privacy.md): sums of record keys, additive over the cells of maand_stromen
    coalesce(any_value(u.instroom_unieke_kinderen_ck), 0) as instroom_unieke_kinderen_ck,
    cast(sum(c.instroom_ck) as bigint) as instroom_ck,
    cast(sum(c.in_zorg_ck) as bigint) as in_zorg_ck,
    cast(sum(c.uitstroom_ck) as bigint) as uitstroom_ck,
    cast(sum(c.uitstroom_volgens_plan_ck) as bigint) as uitstroom_volgens_plan_ck,
    cast(sum(c.uitstroom_voortijdig_ck) as bigint) as uitstroom_voortijdig_ck,
    cast(sum(c.uitstroom_overig_ck) as bigint) as uitstroom_overig_ck,
    cast(sum(c.uitstroom_zonder_stopbericht_ck) as bigint) as uitstroom_zonder_stopbericht_ck,
    cast(sum(c.opschaling_ck) as bigint) as opschaling_ck,
    cast(sum(c.afschaling_ck) as bigint) as afschaling_ck,
    coalesce(any_value(gs.stapeling_ck), 0) as stapeling_ck,
    cast(sum(c.herinstroom_ck) as bigint) as herinstroom_ck,
    cast(sum(c.overgang_18_ck) as bigint) as overgang_18_ck
from cel as c
left join uniek as u on c.maand = u.maand
left join gestapeld as gs on c.maand = gs.maand
group by c.maand
order by c.maand
