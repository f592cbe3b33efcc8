-- one row per class of the waiting-time histogram: [van_dagen, tot_dagen) in days, tot_dagen null = open class
-- 4-week classes from 0 up to $wachttijden_verdeling_open_klasse_weken weeks (the last of them ends there, so it
-- may be shorter), then one open class "≥ N weken". The classes cover 0 days and up without gap or overlap: every
-- wait falls in exactly one (a negative length, not expected, counts in the first class).
with
grens as (
    select cast($wachttijden_verdeling_open_klasse_weken as integer) as open_weken
),

gesloten as (
    select
        cast(unnest(generate_series(0, g.open_weken - 1, 4)) as integer) as van_weken,
        g.open_weken
    from grens as g
)

select
    k.van_weken as week,
    least(k.van_weken + 4, k.open_weken) as week_tot,
    7 * k.van_weken as van_dagen,
    7 * least(k.van_weken + 4, k.open_weken) as tot_dagen,
    false as is_open,
    cast(k.van_weken as varchar) || '–' || cast(least(k.van_weken + 4, k.open_weken) - 1 as varchar) as klasse
from gesloten as k
union all
select
    g.open_weken as week,
    null as week_tot,
    7 * g.open_weken as van_dagen,
    null as tot_dagen,
    true as is_open,
    '≥ ' || cast(g.open_weken as varchar) as klasse
from grens as g
order by week
