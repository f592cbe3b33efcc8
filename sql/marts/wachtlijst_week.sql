-- one row per week × niveau × aanbieder_agb × productcategorie (lijst_id): a waiting list's weekly flows and size
-- The weekly history of the Vooruitblik (docs/definitions.md#wachtrij-kengetallen): every niveau of
-- `wachttijden` except totaal (which spans the others). week = the Monday of an ISO week; instroom = waits
-- whose clock started that week; starts = waits whose clock stopped that week; afvallers = waits that ended
-- without their clock stop that week (toewijzing expired or withdrawn, uitgeschreven); wachtend = waiting
-- at the end of the week, the running balance instroom - starts - afvallers. A stop before the clock start
-- counts in the week of the clock start, as `wachtdagen` clips it to 0 days, so the balance never goes
-- negative (`greatest` only where the stop exists: DuckDB's greatest(null, x) is x). Weeks run without gaps from a list's first week to the last complete week before the peildatum
-- (a partial last week would show a dip that is not there). `<count>_ck`: cell keys (dashboard/privacy.py).
with
grens as (
    select cast(date_trunc('week', p.peildatum + 1) - interval 7 day as date) as laatste_week
    from peildatum as p
),

episodes as (
    select
        w.niveau,
        w.aanbieder_agb,
        w.productcategorie,
        w.wachttijd_sleutel,
        cast(date_trunc('week', w.begindatum) as date) as beginweek,
        case
            when w.einddatum is not null
                then cast(date_trunc('week', greatest(w.einddatum, w.begindatum)) as date)
        end as startweek,
        case
            when w.einddatum is null and w.afbreekdatum is not null
                then cast(date_trunc('week', greatest(w.afbreekdatum, w.begindatum)) as date)
        end as afvalweek
    from wachttijden as w
    where w.niveau <> 'totaal'
),

gebeurtenissen as (
    select
        e.niveau,
        e.aanbieder_agb,
        e.productcategorie,
        e.beginweek as week,
        1 as instroom,
        0 as starts,
        0 as afvallers,
        e.wachttijd_sleutel as instroom_ck,
        0 as starts_ck,
        0 as afvallers_ck
    from episodes as e
    union all
    select
        e.niveau,
        e.aanbieder_agb,
        e.productcategorie,
        e.startweek as week,
        0 as instroom,
        1 as starts,
        0 as afvallers,
        0 as instroom_ck,
        e.wachttijd_sleutel as starts_ck,
        0 as afvallers_ck
    from episodes as e
    where e.startweek is not null
    union all
    select
        e.niveau,
        e.aanbieder_agb,
        e.productcategorie,
        e.afvalweek as week,
        0 as instroom,
        0 as starts,
        1 as afvallers,
        0 as instroom_ck,
        0 as starts_ck,
        e.wachttijd_sleutel as afvallers_ck
    from episodes as e
    where e.afvalweek is not null
),

per_week as (
    select
        g.niveau,
        g.aanbieder_agb,
        g.productcategorie,
        g.week,
        sum(g.instroom) as instroom,
        sum(g.starts) as starts,
        sum(g.afvallers) as afvallers,
        sum(g.instroom_ck) as instroom_ck,
        sum(g.starts_ck) as starts_ck,
        sum(g.afvallers_ck) as afvallers_ck
    from gebeurtenissen as g
    cross join grens as gr
    where g.week <= gr.laatste_week
    group by g.niveau, g.aanbieder_agb, g.productcategorie, g.week
),

lijsten as (
    select
        pw.niveau,
        pw.aanbieder_agb,
        pw.productcategorie,
        min(pw.week) as eerste_week
    from per_week as pw
    group by pw.niveau, pw.aanbieder_agb, pw.productcategorie
),

raster as (
    select
        l.niveau,
        l.aanbieder_agb,
        l.productcategorie,
        cast(unnest(generate_series(l.eerste_week, gr.laatste_week, interval 7 day)) as date) as week
    from lijsten as l
    cross join grens as gr
),

gevuld as (
    select
        r.niveau,
        r.aanbieder_agb,
        r.productcategorie,
        r.week,
        coalesce(pw.instroom, 0) as instroom,
        coalesce(pw.starts, 0) as starts,
        coalesce(pw.afvallers, 0) as afvallers,
        coalesce(pw.instroom_ck, 0) as instroom_ck,
        coalesce(pw.starts_ck, 0) as starts_ck,
        coalesce(pw.afvallers_ck, 0) as afvallers_ck
    from raster as r
    left join per_week as pw
        on
            r.niveau = pw.niveau
            and r.aanbieder_agb is not distinct from pw.aanbieder_agb
            and r.productcategorie is not distinct from pw.productcategorie
            and r.week = pw.week
)

select
    concat_ws('|', g.niveau, coalesce(g.aanbieder_agb, '-'), coalesce(g.productcategorie, '-')) as lijst_id,
    g.week as week,
    g.niveau as niveau,
    g.aanbieder_agb as aanbieder_agb,
    g.productcategorie as productcategorie,
    cast(g.instroom as integer) as instroom,
    cast(g.starts as integer) as starts,
    cast(g.afvallers as integer) as afvallers,
    cast(sum(g.instroom - g.starts - g.afvallers) over lijst as integer) as wachtend,
    cast(g.instroom_ck as bigint) as instroom_ck,
    cast(g.starts_ck as bigint) as starts_ck,
    cast(g.afvallers_ck as bigint) as afvallers_ck,
    cast(sum(g.instroom_ck - g.starts_ck - g.afvallers_ck) over lijst as bigint) as wachtend_ck
from gevuld as g
window lijst as (
    partition by g.niveau, g.aanbieder_agb, g.productcategorie
    order by g.week
    rows between unbounded preceding and current row
)
order by lijst_id, week
