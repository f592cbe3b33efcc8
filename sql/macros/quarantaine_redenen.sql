-- one row per quarantine code: how often it occurred, in how many files, and one example sentence
-- (the sentences never contain personal data; see pipelines/report.py)
-- params:
select
    q.code,
    q.kind as soort,
    count(*) as records,
    count(distinct q.path) as bestanden,
    min(q.reason) as voorbeeld_reden
from quarantine as q
group by q.code, q.kind
order by records desc, q.code asc
