-- one row per maand × niveau × gemeente_code × aanbieder_agb × productcategorie with any wait activity
-- Completed waits = einddatum in the month (a retroactive wait, einddatum < begindatum, completes in the
-- month of its begindatum with 0 days); still waiting = clock running at the month end (the peildatum
-- in the peildatum month), age measured to that date, uncapped. Kaplan-Meier (product-limit) over the
-- completed waits of the month (events) and the waits still running at month end plus those afgebroken in
-- the month (censored): S(t) = prod over event times t_i <= t of (1 - d_i / n_i); median = smallest t with
-- S(t) <= 0.5, p92 = smallest t with S(t) <= 0.08 (NULL when not reached). Percentiles of observed waits
-- are nearest-rank (quantile_disc). Norms per niveau: wachttijd_normen (docs/definitions.md#wachttijden).
with
w as (
    select
        wt.*,
        concat_ws(
            '|', wt.niveau, coalesce(wt.gemeente_code, '-'), coalesce(wt.aanbieder_agb, '-'),
            coalesce(wt.productcategorie, '-')
        ) as cel,
        coalesce(wt.einddatum, wt.afbreekdatum) as klok_stop,
        nm.norm_dagen
    from wachttijden as wt
    left join wachttijd_normen as nm on wt.niveau = nm.niveau
),

wachtend as (
    select
        x.*,
        datediff('day', x.begindatum, least(last_day(x.maand), pd.peildatum)) as leeftijd
    from (
        select
            w.cel,
            w.niveau,
            w.client_id,
            w.aanbieder_agb,
            w.begindatum,
            w.norm_dagen,
            cast(unnest(generate_series(
                date_trunc('month', w.begindatum),
                coalesce(date_trunc('month', w.klok_stop) - interval 1 month, date_trunc('month', p.peildatum)),
                interval 1 month
            )) as date) as maand
        from w
        cross join peildatum as p
    ) as x
    cross join peildatum as pd
),

wachtend_elders as (
    select
        we.*,
        min(we.aanbieder_agb) over k <> max(we.aanbieder_agb) over k as is_ook_elders
    from wachtend as we
    window k as (partition by we.niveau, we.client_id, we.maand)
),

waarneming as (
    select
        w.cel,
        cast(date_trunc('month', greatest(w.einddatum, w.begindatum)) as date) as maand,
        'afgerond' as soort,
        w.client_id,
        w.wachtdagen as dagen,
        w.is_terugwerkend,
        false as is_ook_elders,
        w.norm_dagen
    from w
    where w.einddatum is not null
    union all
    select
        w.cel,
        cast(date_trunc('month', w.afbreekdatum) as date) as maand,
        'afgebroken' as soort,
        w.client_id,
        w.wachtdagen as dagen,
        false as is_terugwerkend,
        false as is_ook_elders,
        w.norm_dagen
    from w
    where w.is_afgebroken
    union all
    select
        we.cel,
        we.maand,
        'wachtend' as soort,
        we.client_id,
        we.leeftijd as dagen,
        false as is_terugwerkend,
        we.is_ook_elders,
        we.norm_dagen
    from wachtend_elders as we
),

km_tijden as (
    select
        wa.cel,
        wa.maand,
        wa.dagen as t,
        count(*) filter (where wa.soort = 'afgerond') as d,
        count(*) as n
    from waarneming as wa
    group by wa.cel, wa.maand, wa.dagen
),

km_risico as (
    select
        kt.*,
        sum(kt.n) over (
            partition by kt.cel, kt.maand order by kt.t desc rows between unbounded preceding and current row
        ) as at_risk
    from km_tijden as kt
),

km_s as (
    select
        kr.*,
        bool_or(kr.d > 0 and kr.d = kr.at_risk) over v as is_nul,
        sum(case when kr.d < kr.at_risk then ln(1 - cast(kr.d as double) / kr.at_risk) else 0 end) over v
            as log_s
    from km_risico as kr
    window v as (partition by kr.cel, kr.maand order by kr.t rows between unbounded preceding and current row)
),

km as (
    select
        ks.cel,
        ks.maand,
        min(ks.t) filter (where ks.is_nul or exp(ks.log_s) <= 0.5 + 1e-9) as km_mediaan_dagen,
        min(ks.t) filter (where ks.is_nul or exp(ks.log_s) <= 0.08 + 1e-9) as km_p92_dagen
    from km_s as ks
    group by ks.cel, ks.maand
),

cellen as (
    select
        w.cel,
        any_value(w.niveau) as niveau,
        any_value(w.gemeente_code) as gemeente_code,
        any_value(w.aanbieder_agb) as aanbieder_agb,
        any_value(w.productcategorie) as productcategorie
    from w
    group by w.cel
),

stats as (
    select
        wa.cel,
        wa.maand,
        count(*) filter (where wa.soort = 'afgerond') as n_afgerond,
        avg(wa.dagen) filter (where wa.soort = 'afgerond') as gemiddelde_wachtdagen,
        quantile_disc(wa.dagen, 0.5) filter (where wa.soort = 'afgerond') as mediaan_wachtdagen,
        quantile_disc(wa.dagen, 0.8) filter (where wa.soort = 'afgerond') as p80_wachtdagen,
        quantile_disc(wa.dagen, 0.92) filter (where wa.soort = 'afgerond') as p92_wachtdagen,
        count(*) filter (where wa.soort = 'afgerond' and wa.is_terugwerkend) as n_afgerond_terugwerkend,
        count(*) filter (where wa.soort = 'afgerond' and wa.dagen <= wa.norm_dagen) as n_binnen_norm,
        count(*) filter (where wa.soort = 'wachtend') as n_wachtend,
        count(*) filter (where wa.soort = 'wachtend' and wa.dagen > wa.norm_dagen) as n_boven_norm,
        count(distinct wa.client_id) filter (where wa.soort = 'wachtend') as n_unieke_kinderen_wachtend,
        count(*) filter (where wa.soort = 'wachtend' and wa.is_ook_elders) as n_wachtend_ook_elders,
        quantile_disc(wa.dagen, 0.5) filter (where wa.soort = 'wachtend') as mediaan_wachtend_dagen,
        quantile_disc(wa.dagen, 0.92) filter (where wa.soort = 'wachtend') as p92_wachtend_dagen,
        max(wa.dagen) filter (where wa.soort = 'wachtend') as langste_wachtend_dagen,
        count(*) filter (where wa.soort = 'afgebroken') as n_afgebroken,
        count(*) as km_n
    from waarneming as wa
    group by wa.cel, wa.maand
)

select
    s.maand,
    c.niveau,
    c.gemeente_code,
    c.aanbieder_agb,
    c.productcategorie,
    n.norm_dagen,
    s.n_afgerond,
    s.gemiddelde_wachtdagen,
    s.mediaan_wachtdagen,
    s.p80_wachtdagen,
    s.p92_wachtdagen,
    s.n_afgerond_terugwerkend,
    case when n.norm_dagen is not null then s.n_binnen_norm end as n_afgerond_binnen_norm,
    case
        when n.norm_dagen is not null and s.n_afgerond > 0 then 100.0 * s.n_binnen_norm / s.n_afgerond
    end as pct_binnen_norm,
    s.n_wachtend,
    s.n_unieke_kinderen_wachtend,
    s.n_wachtend_ook_elders,
    s.mediaan_wachtend_dagen,
    s.p92_wachtend_dagen,
    s.langste_wachtend_dagen,
    case when n.norm_dagen is not null then s.n_boven_norm end as n_wachtend_boven_norm,
    s.n_afgebroken,
    s.km_n,
    k.km_mediaan_dagen,
    k.km_p92_dagen
from stats as s
inner join cellen as c on s.cel = c.cel
inner join km as k on s.cel = k.cel and s.maand = k.maand
left join wachttijd_normen as n on c.niveau = n.niveau
order by s.maand, c.niveau, c.gemeente_code, c.aanbieder_agb, c.productcategorie
