-- aanbieder_profiel: one row per aanbieder; shares between 0 and 1
select a.aanbieder_agb
from aanbieder_profiel as a
where
    a.aandeel_start_is_intake not between 0 and 1
    or a.aandeel_starts_maandeinde not between 0 and 1
    or a.cv_toewijzing_start < 0
union all
select a.aanbieder_agb from aanbieder_profiel as a group by a.aanbieder_agb having count(*) > 1
