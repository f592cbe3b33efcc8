-- one row per maand in the selected period: instroom, in zorg, uitstroom and the other flows, summed over
-- the filtered cells of maand_stromen; unique children recounted from trajecten (a sum over cells would
-- count a child once per cell); voorlopig = 'ja' for a month whose messages may still arrive
-- (aanleververtraging)
-- params: p_van, p_tot, p_gemeente, p_aanbieder, p_categorie, p_leeftijd
with
cel as (
    select s.*
    from maand_stromen as s
    where
        s.maand between p_van and p_tot
        and (p_gemeente is null or s.gemeente_code = p_gemeente)
        and (p_aanbieder is null or s.aanbieder_agb = p_aanbieder)
        and (p_categorie is null or s.productcategorie = p_categorie)
        and (p_leeftijd is null or s.leeftijdsgroep = p_leeftijd)
),

uniek as (
    select
        cast(date_trunc('month', t.startdatum) as date) as maand,
        count(distinct t.client_id) as instroom_unieke_kinderen
    from trajecten as t
    where
        t.startdatum between p_van and last_day(p_tot)
        and (p_gemeente is null or t.gemeente_code = p_gemeente)
        and (p_aanbieder is null or t.aanbieder_agb = p_aanbieder)
        and (p_categorie is null or t.productcategorie = p_categorie)
        and (p_leeftijd is null or t.leeftijdsgroep = p_leeftijd)
    group by all
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
    cast(sum(c.stapeling) as bigint) as stapeling,
    cast(sum(c.herinstroom) as bigint) as herinstroom,
    cast(sum(c.overgang_18) as bigint) as overgang_18,
    case
        when c.maand >= (select v.voorlopig_vanaf from aanleververtraging as v) then 'ja'
        else 'nee'
    end as voorlopig
from cel as c
left join uniek as u on c.maand = u.maand
group by c.maand
order by c.maand
