-- one row per aanbieder the dashboard can name (its agb code and its name, null when unknown), for the
-- pseudonyms of the learning-session mode and of the roles that see other providers under a pseudonym
-- (dashboard/data.py): `volgorde` orders the letters by a hash keyed with the build's secret salt
-- params:
select
    a.aanbieder_agb,
    o.naam,
    sha256(b.schuilnaam_zout || ':' || a.aanbieder_agb) as volgorde
from (
    select t.aanbieder_agb from trajecten as t
    union
    select l.aanbieder_agb from leveringen as l
    union
    select w.aanbieder_agb from wachttijden as w
    union
    select p.aanbieder_agb from aanbieder_profiel as p
    union
    select s.aanbieder_agb from signalen as s
    union
    select r.code as aanbieder_agb from organisaties as r
    where r.soort = 'aanbieder'
) as a
left join organisaties as o on o.soort = 'aanbieder' and a.aanbieder_agb = o.code
cross join build_info as b
where a.aanbieder_agb is not null
