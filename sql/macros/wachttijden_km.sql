-- one row per distinct waiting time t (days) of the waits that began in the selected period: the
-- Kaplan-Meier share still waiting S(t), with waits still running (or abandoned) as censored observations
-- params: p_niveau, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
w as (
    select
        wt.wachtdagen as t,
        (wt.einddatum is not null) as is_event
    from wachttijden as wt
    where
        wt.niveau = p_niveau
        and wt.begindatum between p_van and last_day(p_tot)
        and binnen_filter(
            p_gemeente, p_aanbieder, p_categorie, null,
            wt.gemeente_code, wt.aanbieder_agb, wt.productcategorie, null
        )
),

tijden as (
    select
        w.t,
        count(*) filter (where w.is_event) as d,
        count(*) as n
    from w
    group by w.t
),

risico as (
    select
        ti.*,
        sum(ti.n) over (order by ti.t desc rows between unbounded preceding and current row) as at_risk
    from tijden as ti
)

select
    r.t as dagen,
    r.at_risk as n_risico,
    r.d as n_gebeurtenis,
    exp(sum(ln(greatest(1 - cast(r.d as double) / r.at_risk, 1e-300)))
        over (order by r.t rows between unbounded preceding and current row)) as aandeel_wachtend
from risico as r
order by r.t
