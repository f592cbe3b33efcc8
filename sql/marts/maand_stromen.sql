-- one row per maand × gemeente_code × aanbieder_agb × productcategorie × verwijzer_type × leeftijdsgroep
-- Flows of started trajectories (docs/definitions.md#stromen). A trajectory belongs to one cell for its
-- whole life (gemeente, categorie, verwijzer and leeftijdsgroep at start), so per cell
-- in_zorg(m) = in_zorg(m-1) + instroom(m) - uitstroom(m) holds exactly. instroom = startdatum in m;
-- uitstroom = einddatum in m; in_zorg = started in or before m and not ended in or before m.
-- Rows: every cell-month from the cell's first start up to the peildatum month with any non-zero value.
-- The events and their rules live in stroom_gebeurtenissen; this relation adds them up per cell.
with
peil as (
    select cast(date_trunc('month', p.peildatum) as date) as peilmaand
    from peildatum as p
),

per_maand as (
    select
        g.cel,
        g.maand,
        count(*) filter (where g.soort = 'instroom') as instroom,
        count(distinct g.client_id) filter (where g.soort = 'instroom') as instroom_unieke_kinderen,
        count(*) filter (where g.soort like 'uitstroom%') as uitstroom,
        count(*) filter (where g.soort = 'uitstroom_volgens_plan') as uitstroom_volgens_plan,
        count(*) filter (where g.soort = 'uitstroom_voortijdig') as uitstroom_voortijdig,
        count(*) filter (where g.soort = 'uitstroom_overig') as uitstroom_overig,
        count(*) filter (where g.soort = 'uitstroom_zonder_stopbericht') as uitstroom_zonder_stopbericht,
        count(*) filter (where g.soort = 'opschaling') as opschaling,
        count(*) filter (where g.soort = 'afschaling') as afschaling,
        count(*) filter (where g.soort = 'herinstroom') as herinstroom,
        count(distinct g.client_id) filter (where g.soort = 'stapeling') as stapeling,
        count(*) filter (where g.soort = 'overgang_18') as overgang_18,
        -- cell keys (docs/privacy.md): the sum of the record keys of what each count counts
        coalesce(sum(g.sleutel) filter (where g.soort = 'instroom'), 0) as instroom_ck,
        coalesce(sum(g.sleutel) filter (where g.soort like 'uitstroom%'), 0) as uitstroom_ck,
        coalesce(sum(g.sleutel) filter (where g.soort = 'uitstroom_volgens_plan'), 0) as uitstroom_volgens_plan_ck,
        coalesce(sum(g.sleutel) filter (where g.soort = 'uitstroom_voortijdig'), 0) as uitstroom_voortijdig_ck,
        coalesce(sum(g.sleutel) filter (where g.soort = 'uitstroom_overig'), 0) as uitstroom_overig_ck,
        coalesce(sum(g.sleutel) filter (where g.soort = 'uitstroom_zonder_stopbericht'), 0)
            as uitstroom_zonder_stopbericht_ck,
        coalesce(sum(g.sleutel) filter (where g.soort = 'opschaling'), 0) as opschaling_ck,
        coalesce(sum(g.sleutel) filter (where g.soort = 'afschaling'), 0) as afschaling_ck,
        coalesce(sum(g.sleutel) filter (where g.soort = 'herinstroom'), 0) as herinstroom_ck,
        coalesce(sum(distinct g.sleutel) filter (where g.soort = 'stapeling'), 0) as stapeling_ck,
        coalesce(sum(g.sleutel) filter (where g.soort = 'overgang_18'), 0) as overgang_18_ck
    from stroom_gebeurtenissen as g
    group by g.cel, g.maand
),

-- every cell starts with the start of its first trajectory
cellen as (
    select
        g.cel,
        any_value(g.gemeente_code) as gemeente_code,
        any_value(g.aanbieder_agb) as aanbieder_agb,
        any_value(g.productcategorie) as productcategorie,
        any_value(g.verwijzer_type) as verwijzer_type,
        any_value(g.leeftijdsgroep) as leeftijdsgroep,
        min(g.maand) filter (where g.soort = 'instroom') as eerste_maand
    from stroom_gebeurtenissen as g
    group by g.cel
),

raster as (
    select
        c.*,
        cast(unnest(generate_series(c.eerste_maand, pl.peilmaand, interval 1 month)) as date) as maand
    from cellen as c
    cross join peil as pl
),

gevuld as (
    select
        r.maand,
        r.gemeente_code,
        r.aanbieder_agb,
        r.productcategorie,
        r.verwijzer_type,
        r.leeftijdsgroep,
        coalesce(pm.instroom, 0) as instroom,
        coalesce(pm.instroom_unieke_kinderen, 0) as instroom_unieke_kinderen,
        sum(coalesce(pm.instroom, 0) - coalesce(pm.uitstroom, 0)) over (
            partition by r.cel order by r.maand rows between unbounded preceding and current row
        ) as in_zorg,
        coalesce(pm.uitstroom, 0) as uitstroom,
        coalesce(pm.uitstroom_volgens_plan, 0) as uitstroom_volgens_plan,
        coalesce(pm.uitstroom_voortijdig, 0) as uitstroom_voortijdig,
        coalesce(pm.uitstroom_overig, 0) as uitstroom_overig,
        coalesce(pm.uitstroom_zonder_stopbericht, 0) as uitstroom_zonder_stopbericht,
        coalesce(pm.opschaling, 0) as opschaling,
        coalesce(pm.afschaling, 0) as afschaling,
        coalesce(pm.stapeling, 0) as stapeling,
        coalesce(pm.herinstroom, 0) as herinstroom,
        coalesce(pm.overgang_18, 0) as overgang_18,
        coalesce(pm.instroom_ck, 0) as instroom_ck,
        sum(coalesce(pm.instroom_ck, 0) - coalesce(pm.uitstroom_ck, 0)) over (
            partition by r.cel order by r.maand rows between unbounded preceding and current row
        ) as in_zorg_ck,
        coalesce(pm.uitstroom_ck, 0) as uitstroom_ck,
        coalesce(pm.uitstroom_volgens_plan_ck, 0) as uitstroom_volgens_plan_ck,
        coalesce(pm.uitstroom_voortijdig_ck, 0) as uitstroom_voortijdig_ck,
        coalesce(pm.uitstroom_overig_ck, 0) as uitstroom_overig_ck,
        coalesce(pm.uitstroom_zonder_stopbericht_ck, 0) as uitstroom_zonder_stopbericht_ck,
        coalesce(pm.opschaling_ck, 0) as opschaling_ck,
        coalesce(pm.afschaling_ck, 0) as afschaling_ck,
        coalesce(pm.stapeling_ck, 0) as stapeling_ck,
        coalesce(pm.herinstroom_ck, 0) as herinstroom_ck,
        coalesce(pm.overgang_18_ck, 0) as overgang_18_ck
    from raster as r
    left join per_maand as pm on r.cel = pm.cel and r.maand = pm.maand
)

select
    g.maand,
    g.gemeente_code,
    g.aanbieder_agb,
    g.productcategorie,
    g.verwijzer_type,
    g.leeftijdsgroep,
    g.instroom,
    g.instroom_unieke_kinderen,
    cast(g.in_zorg as bigint) as in_zorg,
    g.uitstroom,
    g.uitstroom_volgens_plan,
    g.uitstroom_voortijdig,
    g.uitstroom_overig,
    g.uitstroom_zonder_stopbericht,
    g.opschaling,
    g.afschaling,
    g.stapeling,
    g.herinstroom,
    g.overgang_18,
    cast(g.instroom_ck as bigint) as instroom_ck,
    cast(g.in_zorg_ck as bigint) as in_zorg_ck,
    cast(g.uitstroom_ck as bigint) as uitstroom_ck,
    cast(g.uitstroom_volgens_plan_ck as bigint) as uitstroom_volgens_plan_ck,
    cast(g.uitstroom_voortijdig_ck as bigint) as uitstroom_voortijdig_ck,
    cast(g.uitstroom_overig_ck as bigint) as uitstroom_overig_ck,
    cast(g.uitstroom_zonder_stopbericht_ck as bigint) as uitstroom_zonder_stopbericht_ck,
    cast(g.opschaling_ck as bigint) as opschaling_ck,
    cast(g.afschaling_ck as bigint) as afschaling_ck,
    cast(g.stapeling_ck as bigint) as stapeling_ck,
    cast(g.herinstroom_ck as bigint) as herinstroom_ck,
    cast(g.overgang_18_ck as bigint) as overgang_18_ck
from gevuld as g
where g.in_zorg > 0 or g.instroom > 0 or g.uitstroom > 0
order by g.maand, g.gemeente_code, g.aanbieder_agb, g.productcategorie, g.verwijzer_type, g.leeftijdsgroep
