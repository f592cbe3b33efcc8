-- maand_stromen: in_zorg at the peildatum month equals the open started trajectories counted directly
with
direct as (
    select count(*) as n
    from trajecten as t
    cross join peildatum as p
    where t.is_gestart and (t.einddatum is null or t.einddatum > last_day(p.peildatum))
),

stroom as (
    select coalesce(sum(m.in_zorg), 0) as n
    from maand_stromen as m
    cross join peildatum as p
    where m.maand = date_trunc('month', p.peildatum)
)

select d.n as direct, s.n as stromen
from direct as d
cross join stroom as s
where d.n <> s.n
