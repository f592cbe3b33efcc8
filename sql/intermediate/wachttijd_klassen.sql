-- one row per niveau × class of the waiting-time histogram: waits of more than van_dagen up to and including
-- tot_dagen days (the first class also holds 0 and any negative length; tot_dagen null = the open class of
-- every wait longer than $wachttijden_verdeling_open_klasse_weken weeks). Class edges every
-- $wachttijden_verdeling_klasse_weken weeks, plus the norm of the niveau (wachttijd_normen) where it is not
-- an edge already, so the norm is always a class edge and the classes up to it hold exactly the waits within
-- the norm ("within" = at most norm_dagen, as in the marts). No gap, no overlap: every wait is in one class.
with
grens as (
    select
        cast($wachttijden_verdeling_open_klasse_weken as integer) as open_weken,
        cast($wachttijden_verdeling_klasse_weken as integer) as klasse_weken
),

randen as (
    select
        n.niveau,
        cast(unnest(generate_series(0, 7 * g.open_weken - 1, 7 * g.klasse_weken)) as integer) as dagen
    from wachttijd_normen as n
    cross join grens as g
    union
    select
        n.niveau,
        7 * g.open_weken as dagen
    from wachttijd_normen as n
    cross join grens as g
    union
    select
        n.niveau,
        n.norm_dagen as dagen
    from wachttijd_normen as n
    cross join grens as g
    where n.norm_dagen > 0 and n.norm_dagen < 7 * g.open_weken
),

klassen as (
    select
        r.niveau,
        r.dagen as van_dagen,
        lead(r.dagen) over (partition by r.niveau order by r.dagen) as tot_dagen
    from randen as r
),

benoemd as (
    select
        k.*,
        -- whole weeks as "4", others with one decimal and a Dutch comma ("4,3")
        case
            when k.van_dagen % 7 = 0 then cast(k.van_dagen // 7 as varchar)
            else replace(cast(round(k.van_dagen / 7.0, 1) as varchar), '.', ',')
        end as van_label,
        case
            when k.tot_dagen % 7 = 0 then cast(k.tot_dagen // 7 as varchar)
            else replace(cast(round(k.tot_dagen / 7.0, 1) as varchar), '.', ',')
        end as tot_label
    from klassen as k
)

select
    b.niveau,
    b.van_dagen,
    b.tot_dagen,
    row_number() over (partition by b.niveau order by b.van_dagen) as volgorde,
    b.van_dagen / 7.0 as week,
    b.tot_dagen is null as is_open,
    coalesce(b.tot_dagen <= n.norm_dagen, false) as binnen_norm,
    case
        when b.tot_dagen is null then '> ' || b.van_label || ' wk'
        else b.van_label || '–' || b.tot_label || ' wk'
    end as klasse
from benoemd as b
inner join wachttijd_normen as n on b.niveau = n.niveau
order by b.niveau, b.van_dagen
