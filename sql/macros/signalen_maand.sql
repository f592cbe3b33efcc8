-- one row per maand × signal type in the selected period: the number of chain signals;
-- voorlopig = 'ja' for a month whose messages may still arrive (aanleververtraging)
-- params: p_van, p_tot, p_gemeente, p_aanbieder
select
    cast(date_trunc('month', s.datum) as date) as maand,
    s.type,
    count(*) as aantal,
    case
        when cast(date_trunc('month', s.datum) as date) >= (select v.voorlopig_vanaf from aanleververtraging as v) then 'ja'
        else 'nee'
    end as voorlopig
from signalen as s
where
    s.datum between p_van and last_day(p_tot)
    and (p_gemeente is null or s.gemeente_code = p_gemeente)
    and (p_aanbieder is null or s.aanbieder_agb = p_aanbieder)
group by all
order by maand, s.type
