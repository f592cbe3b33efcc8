-- one row per maand of the selected period for one niveau: completed waits in the month (n, median, p92)
-- and waits still running at the month end (n, unique children, median age); the peildatum month is
-- measured to the peildatum; voorlopig = 'ja' for a month whose messages may still arrive (aanleververtraging)
-- params: p_niveau, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
maand as (
    select
        x.maand,
        least(last_day(x.maand), p.peildatum) as ref
    from (select cast(unnest(generate_series(p_van, p_tot, interval 1 month)) as date) as maand) as x
    cross join peildatum as p
    where x.maand <= p.peildatum
),

w as (
    select wt.*
    from wachttijden as wt
    where
        wt.niveau = p_niveau
        and binnen_filter(
            p_gemeente, p_aanbieder, p_categorie, null,
            wt.gemeente_code, wt.aanbieder_agb, wt.productcategorie, null
        )
),

afgerond as (
    select
        m.maand,
        count(*) as n_afgerond,
        count(distinct w.client_id) as n_kinderen_afgerond,
        median(w.wachtdagen) as mediaan_dagen,
        quantile_disc(w.wachtdagen, 0.92) as p92_dagen,
        sum(w.wachttijd_sleutel) as n_afgerond_ck,
        sum(distinct w.kind_sleutel) as n_kinderen_afgerond_ck
    from maand as m
    inner join w on w.einddatum between m.maand and m.ref
    group by m.maand
),

wachtend as (
    select
        m.maand,
        count(*) as n_wachtend,
        count(distinct w.client_id) as n_kinderen_wachtend,
        median(datediff('day', w.begindatum, m.ref)) as mediaan_wachtend_dagen,
        sum(w.wachttijd_sleutel) as n_wachtend_ck,
        sum(distinct w.kind_sleutel) as n_kinderen_wachtend_ck
    from maand as m
    inner join w
        on
            w.begindatum <= m.ref
            and (w.einddatum is null or w.einddatum > m.ref)
            and (w.afbreekdatum is null or w.afbreekdatum > m.ref)
    group by m.maand
)

select
    m.maand,
    coalesce(a.n_afgerond, 0) as n_afgerond,
    coalesce(a.n_kinderen_afgerond, 0) as n_kinderen_afgerond,
    a.mediaan_dagen,
    a.p92_dagen,
    coalesce(wa.n_wachtend, 0) as n_wachtend,
    coalesce(wa.n_kinderen_wachtend, 0) as n_kinderen_wachtend,
    wa.mediaan_wachtend_dagen,
    coalesce(a.n_afgerond_ck, 0) as n_afgerond_ck,
    coalesce(a.n_kinderen_afgerond_ck, 0) as n_kinderen_afgerond_ck,
    coalesce(wa.n_wachtend_ck, 0) as n_wachtend_ck,
    coalesce(wa.n_kinderen_wachtend_ck, 0) as n_kinderen_wachtend_ck,
    case
        when m.maand >= (select v.voorlopig_vanaf from aanleververtraging as v) then 'ja'
        else 'nee'
    end as voorlopig
from maand as m
left join afgerond as a on m.maand = a.maand
left join wachtend as wa on m.maand = wa.maand
order by m.maand
