-- one row per gemeente: instroom and uitstroom summed over the selected period and in zorg at its end
-- params: p_van, p_tot, p_gemeente, p_aanbieder, p_categorie, p_leeftijd
select
    s.gemeente_code,
    any_value(coalesce(o.naam, 'Gemeente ' || s.gemeente_code)) as gemeente,
    cast(sum(s.instroom) as bigint) as instroom,
    cast(sum(s.uitstroom) as bigint) as uitstroom,
    coalesce(cast(sum(s.in_zorg) filter (where s.maand = p_tot) as bigint), 0) as in_zorg_eind,
    cast(sum(s.instroom_ck) as bigint) as instroom_ck,
    cast(sum(s.uitstroom_ck) as bigint) as uitstroom_ck,
    coalesce(cast(sum(s.in_zorg_ck) filter (where s.maand = p_tot) as bigint), 0) as in_zorg_eind_ck
from maand_stromen as s
left join organisaties as o on o.soort = 'gemeente' and s.gemeente_code = o.code
where
    s.maand between p_van and p_tot
    and binnen_filter(
        p_gemeente, p_aanbieder, p_categorie, p_leeftijd,
        s.gemeente_code, s.aanbieder_agb, s.productcategorie, s.leeftijdsgroep
    )
group by s.gemeente_code
order by s.gemeente_code
