-- one row per aanbieder: the signals that suggest it defines start or wait differently (aanbieder_profiel)
-- params: p_aanbieder
select a.*
from aanbieder_profiel as a
where p_aanbieder is null or a.aanbieder_agb = p_aanbieder
order by a.aanbieder_agb
