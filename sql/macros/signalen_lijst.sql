-- one row per chain signal of one type in the selected period (newest first, at most 500): the
-- pseudonymous drill-down list (client_id shortened; no direct identifiers exist in the database), with the
-- names of gemeente and aanbieder as the filters show them (filter_opties)
-- params: p_type, p_van, p_tot, p_gemeente, p_aanbieder, p_categorie
select
    s.datum,
    s.type,
    s.gemeente_code,
    coalesce(g.naam, 'Gemeente ' || s.gemeente_code) as gemeente,
    s.aanbieder_agb,
    coalesce(a.naam, 'AGB ' || s.aanbieder_agb) as aanbieder,
    left(s.client_id, 12) as client_pseudoniem,
    s.detail
from signalen as s
left join organisaties as g on g.soort = 'gemeente' and s.gemeente_code = g.code
left join organisaties as a on a.soort = 'aanbieder' and s.aanbieder_agb = a.code
where
    s.type = p_type
    and s.datum between p_van and last_day(p_tot)
    and binnen_filter(
        p_gemeente, p_aanbieder, p_categorie, null,
        s.gemeente_code, s.aanbieder_agb, s.productcategorie, null
    )
order by s.datum desc, s.signaal_id asc
limit 500
