-- one row per dimensie (aanbieder, gemeente) × code with trajectories in the selected period: uitstroom summed
-- over the period and in zorg at its end (the outflow funnel of the Leersessie page: uitstroom / (in zorg eind +
-- uitstroom) = the share of the trajectories in care during the period that ended in it); per gemeente the
-- same cells and cell keys as stromen_per_gemeente
-- params: p_van, p_tot, p_gemeente, p_aanbieder, p_categorie, p_leeftijd
with
cel as (
    select
        s.maand,
        s.gemeente_code,
        s.aanbieder_agb,
        s.uitstroom,
        s.in_zorg,
        s.uitstroom_ck,
        s.in_zorg_ck
    from maand_stromen as s
    where
        s.maand between p_van and p_tot
        and binnen_filter(
            p_gemeente, p_aanbieder, p_categorie, p_leeftijd,
            s.gemeente_code, s.aanbieder_agb, s.productcategorie, s.leeftijdsgroep
        )
),

per_dimensie as (
    select
        'aanbieder' as dimensie,
        c.aanbieder_agb as code,
        c.maand,
        c.uitstroom,
        c.in_zorg,
        c.uitstroom_ck,
        c.in_zorg_ck
    from cel as c
    union all
    select
        'gemeente' as dimensie,
        c.gemeente_code as code,
        c.maand,
        c.uitstroom,
        c.in_zorg,
        c.uitstroom_ck,
        c.in_zorg_ck
    from cel as c
)

select
    d.dimensie,
    d.code,
    any_value(coalesce(o.naam, case d.dimensie when 'gemeente' then 'Gemeente ' else 'AGB ' end || d.code))
        as naam,
    cast(sum(d.uitstroom) as bigint) as uitstroom,
    coalesce(cast(sum(d.in_zorg) filter (where d.maand = p_tot) as bigint), 0) as in_zorg_eind,
    cast(sum(d.uitstroom_ck) as bigint) as uitstroom_ck,
    coalesce(cast(sum(d.in_zorg_ck) filter (where d.maand = p_tot) as bigint), 0) as in_zorg_eind_ck
from per_dimensie as d
left join organisaties as o on d.dimensie = o.soort and d.code = o.code
where d.code is not null
group by d.dimensie, d.code
order by d.dimensie, d.code
