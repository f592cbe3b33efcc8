-- wachttijden_maand: waiting at the peildatum month end = waits is_wachtend in wachttijden
with
direct as (
    select w.niveau, count(*) as n from wachttijden as w where w.is_wachtend group by w.niveau
),

maand as (
    select m.niveau, sum(m.n_wachtend) as n
    from wachttijden_maand as m
    cross join peildatum as p
    where m.maand = date_trunc('month', p.peildatum)
    group by m.niveau
)

select coalesce(d.niveau, m.niveau) as niveau, d.n as direct, m.n as maand
from direct as d
full outer join maand as m on d.niveau = m.niveau
where coalesce(d.n, 0) <> coalesce(m.n, 0)
