-- wachtlijst_week: no list ever has a negative number waiting, nor a negative flow
select w.lijst_id, w.week, w.wachtend
from wachtlijst_week as w
where w.wachtend < 0 or w.instroom < 0 or w.starts < 0 or w.afvallers < 0
