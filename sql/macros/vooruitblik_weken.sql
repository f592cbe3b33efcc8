-- one row per waiting list (lijst_id) × week: the weekly history the Vooruitblik forecasts from, gap-free
-- Every list of the region: the model pools its seasonality over all lists, so a list's forecast does not
-- change with the filters (the page filters the lists it shows: `vooruitblik_lijsten`).
-- params:
select
    w.lijst_id,
    w.week,
    w.niveau,
    w.instroom,
    w.starts,
    w.afvallers,
    w.wachtend,
    w.wachtend_ck
from wachtlijst_week as w
order by w.lijst_id, w.week
