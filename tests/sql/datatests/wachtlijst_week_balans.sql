-- wachtlijst_week: per list the change of wachtend from one week to the next equals instroom - starts - afvallers, and the weeks follow each other without gaps
with
stap as (
    select
        w.lijst_id,
        w.week,
        w.instroom - w.starts - w.afvallers as saldo,
        w.wachtend - coalesce(lag(w.wachtend) over lijst, 0) as verandering,
        datediff('day', lag(w.week) over lijst, w.week) as dagen
    from wachtlijst_week as w
    window lijst as (partition by w.lijst_id order by w.week)
)

select s.lijst_id, s.week, s.saldo, s.verandering, s.dagen
from stap as s
where s.saldo <> s.verandering or s.dagen <> 7
