-- wachtlijst_week: waiting at the end of the last week, per list, equals the waits open then counted from wachttijden (still waiting at the peildatum, or stopped after that week)
with
laatste as (
    select max(w.week) as week
    from wachtlijst_week as w
),

direct as (
    select
        concat_ws('|', wt.niveau, coalesce(wt.aanbieder_agb, '-'), coalesce(wt.productcategorie, '-')) as lijst_id,
        count(*) as n
    from wachttijden as wt
    cross join laatste as l
    where
        wt.niveau <> 'totaal'
        and wt.begindatum <= l.week + 6
        and (wt.is_wachtend or coalesce(wt.einddatum, wt.afbreekdatum) > l.week + 6)
    group by all
),

mart as (
    select w.lijst_id, w.wachtend as n
    from wachtlijst_week as w
    inner join laatste as l on w.week = l.week
)

select coalesce(d.lijst_id, m.lijst_id) as lijst_id, d.n as direct, m.n as mart
from direct as d
full outer join mart as m on d.lijst_id = m.lijst_id
where coalesce(d.n, 0) <> coalesce(m.n, 0)
