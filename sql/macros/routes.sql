-- one row per verwijzer_type × productcategorie × reden_beeindiging (null while open) of the
-- trajectories started in the selected period: the routes children take through the chain
-- params: p_van, p_tot, p_gemeente, p_aanbieder, p_categorie, p_leeftijd
select
    t.verwijzer_type,
    coalesce(v.omschrijving, 'onbekend') as verwijzer,
    t.productcategorie,
    t.productcategorie || ' ' || coalesce(c.omschrijving, '') as categorie,
    case
        when t.is_open then 'nog in zorg'
        when t.reden_beeindiging is null then 'geen stopbericht'
        else t.reden_beeindiging || ' ' || coalesce(r.omschrijving, '')
    end as afloop,
    count(*) as trajecten,
    count(distinct t.client_id) as kinderen,
    sum(t.traject_sleutel) as trajecten_ck,
    sum(distinct t.kind_sleutel) as kinderen_ck
from trajecten as t
left join codelijsten as v on v.lijst = 'verwijzer_type' and t.verwijzer_type = v.code
left join codelijsten as c on c.lijst = 'productcategorie' and t.productcategorie = c.code
left join codelijsten as r on r.lijst = 'reden_beeindiging' and t.reden_beeindiging = r.code
where
    t.startdatum between p_van and last_day(p_tot)
    and binnen_filter(
        p_gemeente, p_aanbieder, p_categorie, p_leeftijd,
        t.gemeente_code, t.aanbieder_agb, t.productcategorie, t.leeftijdsgroep
    )
group by all
order by trajecten desc
