-- one row per niveau: completed waits in the selected period (einddatum in it) and children still waiting
-- on the reference date (the end of the period, at most the peildatum), with the norm of the niveau
-- params: p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
norm as (
    select
        wm.niveau,
        any_value(wm.norm_dagen) as norm_dagen
    from wachttijden_maand as wm
    group by wm.niveau
),

w as (
    select *
    from wachttijden_op(null, p_tot, p_gemeente, p_aanbieder, p_categorie)
),

afgerond as (
    select
        w.niveau,
        count(*) as n_afgerond,
        count(distinct w.client_id) as n_kinderen_afgerond,
        median(w.wachtdagen) as mediaan_dagen,
        quantile_disc(w.wachtdagen, 0.92) as p92_dagen,
        avg(case when w.wachtdagen <= n.norm_dagen then 1.0 else 0.0 end) filter (
            where n.norm_dagen is not null
        ) as aandeel_binnen_norm,
        sum(w.wachttijd_sleutel) as n_afgerond_ck,
        sum(distinct w.kind_sleutel) as n_kinderen_afgerond_ck
    from w
    left join norm as n on w.niveau = n.niveau
    where w.einddatum between p_van and last_day(p_tot)
    group by w.niveau
),

wachtend as (
    select
        w.niveau,
        count(*) as n_wachtend,
        count(distinct w.client_id) as n_kinderen_wachtend,
        median(w.leeftijd_op_ref) as mediaan_wachtend_dagen,
        quantile_disc(w.leeftijd_op_ref, 0.92) as p92_wachtend_dagen,
        max(w.leeftijd_op_ref) as langste_wachtend_dagen,
        count(*) filter (where w.leeftijd_op_ref > n.norm_dagen) as n_wachtend_boven_norm,
        sum(w.wachttijd_sleutel) as n_wachtend_ck,
        sum(distinct w.kind_sleutel) as n_kinderen_wachtend_ck,
        sum(w.wachttijd_sleutel) filter (where w.leeftijd_op_ref > n.norm_dagen) as n_wachtend_boven_norm_ck
    from w
    left join norm as n on w.niveau = n.niveau
    where w.is_wachtend_op_ref
    group by w.niveau
)

select
    n.niveau,
    n.norm_dagen,
    coalesce(a.n_afgerond, 0) as n_afgerond,
    coalesce(a.n_kinderen_afgerond, 0) as n_kinderen_afgerond,
    a.mediaan_dagen,
    a.p92_dagen,
    a.aandeel_binnen_norm,
    coalesce(wa.n_wachtend, 0) as n_wachtend,
    coalesce(wa.n_kinderen_wachtend, 0) as n_kinderen_wachtend,
    wa.mediaan_wachtend_dagen,
    wa.p92_wachtend_dagen,
    wa.langste_wachtend_dagen,
    coalesce(wa.n_wachtend_boven_norm, 0) as n_wachtend_boven_norm,
    coalesce(a.n_afgerond_ck, 0) as n_afgerond_ck,
    coalesce(a.n_kinderen_afgerond_ck, 0) as n_kinderen_afgerond_ck,
    coalesce(wa.n_wachtend_ck, 0) as n_wachtend_ck,
    coalesce(wa.n_kinderen_wachtend_ck, 0) as n_kinderen_wachtend_ck,
    coalesce(wa.n_wachtend_boven_norm_ck, 0) as n_wachtend_boven_norm_ck
from norm as n
left join afgerond as a on n.niveau = a.niveau
left join wachtend as wa on n.niveau = wa.niveau
order by
    case n.niveau
        when 'verzoek_toewijzing' then 1
        when 'toewijzing_start' then 2
        when 'aanmelding' then 3
        when 'intake' then 4
        when 'behandeling' then 5
        else 6
    end
