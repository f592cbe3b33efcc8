-- one row per aanbieder × productcategorie: completed waits in the period and waits still running on the
-- reference date for one niveau, uncapped longest wait included
-- params: p_niveau, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
with
w as (
    select *
    from wachttijden_op(p_niveau, p_tot, p_gemeente, p_aanbieder, p_categorie)
)

select
    w.aanbieder_agb,
    any_value(coalesce(o.naam, 'AGB ' || w.aanbieder_agb)) as aanbieder,
    w.productcategorie,
    any_value(w.productcategorie || ' ' || coalesce(c.omschrijving, '')) as categorie,
    count(*) filter (where w.einddatum between p_van and last_day(p_tot)) as n_afgerond,
    count(distinct w.client_id) filter (where w.einddatum between p_van and last_day(p_tot))
        as n_kinderen_afgerond,
    median(w.wachtdagen) filter (where w.einddatum between p_van and last_day(p_tot)) as mediaan_dagen,
    quantile_disc(w.wachtdagen, 0.92) filter (where w.einddatum between p_van and last_day(p_tot))
        as p92_dagen,
    count(*) filter (where w.is_wachtend_op_ref) as n_wachtend,
    count(distinct w.client_id) filter (where w.is_wachtend_op_ref) as n_kinderen_wachtend,
    median(w.leeftijd_op_ref) filter (where w.is_wachtend_op_ref) as mediaan_wachtend_dagen,
    max(w.leeftijd_op_ref) filter (where w.is_wachtend_op_ref) as langste_wachtend_dagen,
    coalesce(sum(w.wachttijd_sleutel) filter (where w.einddatum between p_van and last_day(p_tot)), 0)
        as n_afgerond_ck,
    coalesce(sum(distinct w.kind_sleutel) filter (where w.einddatum between p_van and last_day(p_tot)), 0)
        as n_kinderen_afgerond_ck,
    coalesce(sum(w.wachttijd_sleutel) filter (where w.is_wachtend_op_ref), 0) as n_wachtend_ck,
    coalesce(sum(distinct w.kind_sleutel) filter (where w.is_wachtend_op_ref), 0) as n_kinderen_wachtend_ck
from w
left join organisaties as o on o.soort = 'aanbieder' and w.aanbieder_agb = o.code
left join codelijsten as c on c.lijst = 'productcategorie' and w.productcategorie = c.code
group by w.aanbieder_agb, w.productcategorie
having n_afgerond > 0 or n_wachtend > 0
order by langste_wachtend_dagen desc nulls last, w.aanbieder_agb asc, w.productcategorie asc
