-- one row per waiting episode matching the filters (p_niveau null = every niveau), with the reference date
-- (the end of the period, at most the peildatum), its age on that date and whether it still runs then:
-- the one definition of "still waiting on the reference date" the dashboard macros share
-- params: p_niveau, p_tot, p_gemeente, p_aanbieder, p_categorie
select
    wt.*,
    r.datum as ref_datum,
    datediff('day', wt.begindatum, r.datum) as leeftijd_op_ref,
    (
        wt.begindatum <= r.datum
        and (wt.einddatum is null or wt.einddatum > r.datum)
        and (wt.afbreekdatum is null or wt.afbreekdatum > r.datum)
    ) as is_wachtend_op_ref
from wachttijden as wt
cross join (
    select least(last_day(p_tot), p.peildatum) as datum
    from peildatum as p
) as r
where
    (p_niveau is null or wt.niveau = p_niveau)
    and binnen_filter(
        p_gemeente, p_aanbieder, p_categorie, null,
        wt.gemeente_code, wt.aanbieder_agb, wt.productcategorie, null
    )
