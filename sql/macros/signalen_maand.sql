-- one row per maand × signal type in the selected period: the number of chain signals;
-- voorlopig = 'ja' for a month whose messages may still arrive (aanleververtraging)
-- params: p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
select
    cast(date_trunc('month', s.datum) as date) as maand,
    s.type,
    count(*) as aantal,
    sum(s.signaal_sleutel) as aantal_ck,
    case
        when cast(date_trunc('month', s.datum) as date) >= (select v.voorlopig_vanaf from aanleververtraging as v) then 'ja'
        else 'nee'
    end as voorlopig
from signalen as s
where
    s.datum between p_van and last_day(p_tot)
    and binnen_filter(
        p_gemeente, p_aanbieder, p_categorie, null,
        s.gemeente_code, s.aanbieder_agb, s.productcategorie, null
    )
group by all
order by maand, s.type
