-- one row per verwijzer × productcategorie of the trajectories started in the selected period: the routes
-- summed over their afloop (the heatmap); the filters and labels are those of the routes macro, and the
-- cell key of a sum is the sum of its cells' keys (the same records)
-- params: p_van, p_tot, p_gemeente, p_aanbieder, p_categorie, p_leeftijd
select
    r.verwijzer,
    r.categorie,
    cast(sum(r.trajecten) as bigint) as trajecten,
    sum(r.trajecten_ck) as trajecten_ck
from routes(p_van, p_tot, p_gemeente, p_aanbieder, p_categorie, p_leeftijd) as r
group by all
order by r.verwijzer, r.categorie
