-- trajecten: traject_id is unique and every toewijzing belongs to exactly one trajectory
select t.traject_id, count(*) as n from trajecten as t group by t.traject_id having count(*) > 1
union all
select tt.gemeente_code || '|' || cast(tt.toewijzingnummer as varchar) as traject_id, count(*) as n
from traject_toewijzingen as tt
group by tt.gemeente_code, tt.toewijzingnummer
having count(*) > 1
