-- one row per soort × code (gemeente or aanbieder): the organisation's name from the reference list
-- When a code appears more than once, the name from the last file (by path, then line) wins.
select
    o.soort,
    o.code,
    arg_max(o.naam, o.bestand || lpad(cast(o.regel as varchar), 10, '0')) as naam
from bron_organisaties as o
group by o.soort, o.code
