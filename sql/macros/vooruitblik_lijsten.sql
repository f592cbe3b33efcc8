-- one row per waiting list (lijst_id): who runs it, its norm, its size in the last complete week and its
-- flows over the 52 weeks up to then (counts with their cell keys, dashboard/privacy.py)
-- params: p_aanbieder, p_categorie
with
laatste as (
    select max(w.week) as week
    from wachtlijst_week as w
),

jaar as (
    select
        w.lijst_id,
        any_value(w.niveau) as niveau,
        any_value(w.aanbieder_agb) as aanbieder_agb,
        any_value(w.productcategorie) as productcategorie,
        sum(w.instroom) as instroom_jaar,
        sum(w.starts) as starts_jaar,
        sum(w.afvallers) as afvallers_jaar,
        sum(w.instroom_ck) as instroom_jaar_ck,
        sum(w.starts_ck) as starts_jaar_ck,
        sum(w.afvallers_ck) as afvallers_jaar_ck,
        arg_max(w.wachtend, w.week) as wachtend,
        arg_max(w.wachtend_ck, w.week) as wachtend_ck
    from wachtlijst_week as w
    cross join laatste as l
    where
        w.week > l.week - 364
        and binnen_filter(
            null, p_aanbieder, p_categorie, null,
            null, w.aanbieder_agb, w.productcategorie, null
        )
    group by w.lijst_id
)

select
    j.lijst_id,
    j.niveau,
    j.aanbieder_agb,
    coalesce(o.naam, 'AGB ' || j.aanbieder_agb) as aanbieder,
    j.productcategorie,
    j.productcategorie || ' ' || coalesce(c.omschrijving, '') as categorie,
    nm.norm_dagen / 7.0 as norm_weken,
    l.week as laatste_week,
    cast(j.wachtend as bigint) as wachtend,
    cast(j.instroom_jaar as bigint) as instroom_jaar,
    cast(j.starts_jaar as bigint) as starts_jaar,
    cast(j.afvallers_jaar as bigint) as afvallers_jaar,
    cast(j.wachtend_ck as bigint) as wachtend_ck,
    cast(j.instroom_jaar_ck as bigint) as instroom_jaar_ck,
    cast(j.starts_jaar_ck as bigint) as starts_jaar_ck,
    cast(j.afvallers_jaar_ck as bigint) as afvallers_jaar_ck
from jaar as j
cross join laatste as l
left join wachttijd_normen as nm on j.niveau = nm.niveau
left join organisaties as o on o.soort = 'aanbieder' and j.aanbieder_agb = o.code
left join codelijsten as c on c.lijst = 'productcategorie' and j.productcategorie = c.code
order by j.lijst_id
