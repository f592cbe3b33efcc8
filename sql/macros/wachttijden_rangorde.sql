-- one row per dimensie (aanbieder, gemeente) × code with completed waits of one niveau in the selected period:
-- the completed-wait figures wachten_kerncijfers gives for that niveau under the filter dimensie = code (the
-- other filters as set): the same waits, so the same counts and cell keys, median and share within the norm
-- (at most norm_dagen), and the ranking releases nothing a filter choice does not
-- params: p_niveau, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
w as (
    select *
    from wachttijden_op(p_niveau, p_tot, p_gemeente, p_aanbieder, p_categorie)
    where einddatum between p_van and last_day(p_tot)
),

per_dimensie as (
    select
        'aanbieder' as dimensie,
        w.aanbieder_agb as code,
        w.wachtdagen,
        w.client_id,
        w.wachttijd_sleutel,
        w.kind_sleutel
    from w
    union all
    select
        'gemeente' as dimensie,
        w.gemeente_code as code,
        w.wachtdagen,
        w.client_id,
        w.wachttijd_sleutel,
        w.kind_sleutel
    from w
)

select
    d.dimensie,
    d.code,
    any_value(coalesce(o.naam, case d.dimensie when 'gemeente' then 'Gemeente ' else 'AGB ' end || d.code))
        as naam,
    any_value(n.norm_dagen) as norm_dagen,
    count(*) as n_afgerond,
    count(distinct d.client_id) as n_kinderen_afgerond,
    median(d.wachtdagen) as mediaan_dagen,
    avg(case when d.wachtdagen <= n.norm_dagen then 1.0 else 0.0 end) filter (
        where n.norm_dagen is not null
    ) as aandeel_binnen_norm,
    sum(d.wachttijd_sleutel) as n_afgerond_ck,
    sum(distinct d.kind_sleutel) as n_kinderen_afgerond_ck
from per_dimensie as d
inner join wachttijd_normen as n on n.niveau = p_niveau
left join organisaties as o on d.dimensie = o.soort and d.code = o.code
where d.code is not null
group by d.dimensie, d.code
order by d.dimensie, d.code
